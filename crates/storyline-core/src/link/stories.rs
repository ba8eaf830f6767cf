//! Incremental story clustering. Each new article is compared only with the stories that share one
//! of its salient features (found through an inverted index), scored by a blend of term cosine and
//! entity cosine against each story's centroid, damped by the time between them and by dates in
//! different years, and joins the best story at or above the threshold, or opens a new one.
//!
//! Two stories that share most words but not their event (two earthquakes, two summits) can grow
//! into one before the second has enough articles to stand apart, so a story that has grown is
//! refined: its members are clustered again by average linkage over the pairwise model
//! (`pairwise.rs`), and each group of two or more that does not hold the story's first article
//! leaves for a story of its own. `finish_batch` ends a batch linked all at once: every story is
//! refined, then every article left alone is offered to the other stories again. A near-duplicate joins the story of the article it copies and does not move that story's
//! centroid (a copy is coverage, not confirmation); it follows its original when it moves.

use super::Map as HashMap;

use chrono::NaiveDate;

use super::features::{FeatureId, FeatureVector, Features, Vocabulary};
use super::neardup::{NearDupIndex, Signature};
use super::pairwise::{PairModel, Profile, average_link};
use crate::Article;

/// The knobs of linking. The defaults are the values tuned on the ECB+ training topics and our own
/// labelled stream (`storyline eval ecbplus`, `storyline eval stories`).
#[derive(Clone, Debug, PartialEq)]
pub struct LinkConfig {
    /// Join the best story when its score reaches this.
    pub threshold: f32,
    /// The share of the score given to entity cosine (the rest is term cosine).
    pub entity_share: f32,
    /// Feature weights are tf × idf^power (1 is plain tf-idf; above 1, rare names and places
    /// count for more against the words every article of a topic shares).
    pub idf_power: f32,
    /// Days beyond a story's span at which its score is halved.
    pub half_life_days: f32,
    /// The least the time decay leaves of a score: a story that goes quiet for months (a treaty
    /// signed in June, ratified in November) can still take an article that matches it closely.
    pub time_floor: f32,
    /// The score is multiplied by this when the article and the story date things to different
    /// years only (neither shares a year with the other).
    pub other_year_factor: f32,
    /// When a story is refined, groups of its members merge while the mean probability of the
    /// pairwise model between them is at least this.
    pub pair_threshold: f32,
    /// The pairwise model that refines stories.
    pub pair_model: PairModel,
    /// Estimated Jaccard similarity of shingles at which two bodies are near-duplicates.
    pub duplicate_jaccard: f64,
    /// Salient features of an article looked up in the index.
    pub query_features: usize,
    /// Features kept in a story's centroid.
    pub centroid_features: usize,
    /// Features kept per member article (for splits).
    pub member_features: usize,
    /// Stories remembered per feature in the index (the most recent).
    pub postings_per_feature: usize,
    /// Candidate stories scored per article: those sharing the most salient features.
    pub max_candidates: usize,
}

impl Default for LinkConfig {
    fn default() -> Self {
        LinkConfig {
            threshold: 0.18,
            entity_share: 0.5,
            idf_power: 1.0,
            half_life_days: 14.0,
            time_floor: 0.5,
            other_year_factor: 0.5,
            pair_threshold: 0.5,
            pair_model: PairModel::default(),
            duplicate_jaccard: 0.6,
            query_features: 24,
            centroid_features: 400,
            member_features: 64,
            postings_per_feature: 64,
            max_candidates: 32,
        }
    }
}

/// Where the linker put an article.
#[derive(Clone, Debug, PartialEq)]
pub struct Assignment {
    /// The story's position in the order stories were opened.
    pub story: usize,
    /// Whether the article opened the story.
    pub opened: bool,
    /// The earlier article (by position in insertion order) this one is a near-duplicate of.
    pub duplicate_of: Option<usize>,
    /// The score that decided it (1 for a duplicate, 0 for a new story).
    pub score: f32,
    /// Articles (by position) moved to another story by a split this addition caused, with the
    /// story they moved to.
    pub moved: Vec<(usize, usize)>,
}

#[derive(Clone, Debug, Default)]
struct Centroid {
    weights: HashMap<FeatureId, f32>,
    norm: f32,
}

impl Centroid {
    fn add(&mut self, vector: &FeatureVector, keep: usize) {
        for (feature, weight) in &vector.0 {
            *self.weights.entry(*feature).or_default() += weight;
        }
        if self.weights.len() > keep * 2 {
            self.prune(keep);
        }
        self.norm = self.weights.values().map(|w| w * w).sum::<f32>().sqrt();
    }

    /// Keeps only the `keep` heaviest features.
    fn prune(&mut self, keep: usize) {
        if self.weights.len() <= keep {
            return;
        }
        let mut all: Vec<(FeatureId, f32)> = self.weights.drain().collect();
        all.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        all.truncate(keep);
        self.weights = all.into_iter().collect();
        self.weights.shrink_to_fit();
        self.norm = self.weights.values().map(|w| w * w).sum::<f32>().sqrt();
    }

    fn cosine(&self, vector: &FeatureVector) -> f32 {
        if self.norm == 0.0 {
            return 0.0;
        }
        vector.0.iter().filter_map(|(f, w)| self.weights.get(f).map(|c| c * w)).sum::<f32>() / self.norm
    }
}

/// An article in a story, with what a split needs to know about it.
#[derive(Clone, Debug)]
struct Member {
    position: usize,
    date: Option<NaiveDate>,
    years: Vec<i32>,
    language: Option<String>,
    /// Truncated term and entity vectors with headline and figures; `None` for a near-duplicate
    /// and for a member of an idle story.
    vectors: Option<Profile>,
    duplicate_of: Option<usize>,
}

#[derive(Clone, Debug, Default)]
struct Story {
    members: Vec<Member>,
    terms: Centroid,
    entities: Centroid,
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
    years: Vec<i32>,
    /// The languages of its articles.
    languages: Vec<String>,
    /// The size at which the next refining runs.
    next_check: usize,
}

/// The linker's state: what it has seen, its stories and its indexes.
#[derive(Debug, Default)]
pub struct Linker {
    config: LinkConfig,
    vocabulary: Vocabulary,
    stories: Vec<Story>,
    /// The story of each article, by insertion position.
    story_of: Vec<usize>,
    postings: HashMap<FeatureId, Vec<u32>>,
    duplicates: NearDupIndex,
    /// The latest publication date seen: the stream's "now".
    latest: Option<NaiveDate>,
}

/// A story with no article for this many days lets go of what only growth needs: its members'
/// vectors (for refining) and the tail of its centroids.
const IDLE_DAYS: i64 = 60;
/// Articles between two sweeps for idle stories.
const SWEEP_EVERY: usize = 10_000;
/// Features an idle story's centroids keep.
const IDLE_CENTROID: usize = 100;

/// A story is first refined when it reaches this many articles, then each time it has grown by half again.
const FIRST_SPLIT_CHECK: usize = 6;
/// A group smaller than this stays in its story when the story is refined.
const MIN_SPLIT_SIDE: usize = 2;
/// Stories are refined over at most this many of their latest members (the cost is quadratic).
const MAX_REFINED: usize = 400;

impl Linker {
    pub fn new(config: LinkConfig) -> Self {
        Linker { config, ..Linker::default() }
    }

    /// How many stories hold articles (a story emptied by `reconsider_alone` does not count).
    pub fn story_count(&self) -> usize {
        self.stories.iter().filter(|s| !s.members.is_empty()).count()
    }

    pub fn story_of(&self, position: usize) -> Option<usize> {
        self.story_of.get(position).copied()
    }

    /// The articles (insertion positions) of story `story`.
    pub fn articles_of(&self, story: usize) -> Vec<usize> {
        self.stories.get(story).map_or_else(Vec::new, |s| s.members.iter().map(|m| m.position).collect())
    }

    /// Links the next article and says where it went.
    pub fn add(&mut self, article: &Article) -> Assignment {
        let position = self.story_of.len();
        let date = article.published.date;
        self.latest = self.latest.max(date);
        if position > 0 && position.is_multiple_of(SWEEP_EVERY) {
            self.sweep_idle();
        }
        let duplicate_of = self.duplicates.insert(Signature::of(&article.body), self.config.duplicate_jaccard);
        let features = Features::of(article);
        self.vocabulary.add(&features);
        if let Some(original) = duplicate_of
            && let Some(&story) = self.story_of.get(original)
        {
            let member = Member { position, date, years: Vec::new(), language: None, vectors: None, duplicate_of };
            self.join(story, member);
            return Assignment { story, opened: false, duplicate_of, score: 1.0, moved: Vec::new() };
        }
        let weighted = self.vocabulary.weigh(&features, self.config.idf_power);
        let (terms, entities) = (&weighted.terms, &weighted.entities);
        let best = self
            .candidates(terms, entities)
            .into_iter()
            .map(|story| {
                (self.score(story, terms, entities, date, &features.years, features.language.as_deref()), story)
            })
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
        let (story, opened, score) = match best {
            Some((score, story)) if score >= self.config.threshold => (story, false, score),
            _ => {
                self.stories.push(Story { next_check: FIRST_SPLIT_CHECK, ..Story::default() });
                (self.stories.len() - 1, true, 0.0)
            }
        };
        let keep = self.config.member_features;
        let member = Member {
            position,
            date,
            years: features.years.clone(),
            language: features.language.clone(),
            vectors: Some(Profile::of(&weighted, &features, keep)),
            duplicate_of: None,
        };
        self.join(story, member);
        let moved = self.maybe_refine(story);
        let story = self.story_of.get(position).copied().unwrap_or(story);
        Assignment { story, opened, duplicate_of, score, moved }
    }

    /// Lets idle stories go of member vectors and centroid tails (see `IDLE_DAYS`).
    fn sweep_idle(&mut self) {
        let Some(now) = self.latest else { return };
        for story in &mut self.stories {
            let idle = story.last.is_some_and(|last| (now - last).num_days() > IDLE_DAYS);
            if !idle {
                continue;
            }
            for member in &mut story.members {
                member.vectors = None;
            }
            story.members.shrink_to_fit();
            story.terms.prune(IDLE_CENTROID);
            story.entities.prune(IDLE_CENTROID);
        }
    }

    /// The stories sharing most of the article's salient features (at most `max_candidates`):
    /// only these are scored, so the cost of an add stays flat as stories accumulate.
    fn candidates(&self, terms: &FeatureVector, entities: &FeatureVector) -> Vec<usize> {
        let mut hits: Vec<u32> = Vec::new();
        let query = self.config.query_features;
        for feature in terms.top(query).into_iter().chain(entities.top(query / 2)) {
            if let Some(stories) = self.postings.get(&feature) {
                hits.extend(stories.iter().copied());
            }
        }
        hits.sort_unstable();
        let mut counted: Vec<(usize, u32)> = Vec::new();
        for story in hits {
            match counted.last_mut() {
                Some((n, last)) if *last == story => *n += 1,
                _ => counted.push((1, story)),
            }
        }
        counted.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
        counted.truncate(self.config.max_candidates);
        counted.into_iter().map(|(_, story)| story as usize).collect()
    }

    fn score(
        &self,
        story: usize,
        terms: &FeatureVector,
        entities: &FeatureVector,
        date: Option<NaiveDate>,
        years: &[i32],
        language: Option<&str>,
    ) -> f32 {
        let Some(s) = self.stories.get(story) else { return 0.0 };
        let term_cosine = s.terms.cosine(terms);
        // Words do not carry across languages; entity identities do ("КНДР" is `place/north-korea`).
        let other_language =
            language.is_some_and(|l| !s.languages.is_empty() && !s.languages.iter().any(|known| known == l));
        let share = self.config.entity_share;
        let centroid = if other_language {
            s.entities.cosine(entities)
        } else if entities.is_empty() || s.entities.norm == 0.0 {
            term_cosine
        } else {
            (1.0 - share) * term_cosine + share * s.entities.cosine(entities)
        };
        let blended = centroid;
        let gap = match (date, s.first, s.last) {
            (Some(d), Some(first), _) if d < first => (first - d).num_days(),
            (Some(d), _, Some(last)) if d > last => (d - last).num_days(),
            _ => 0,
        };
        let other_years = !years.is_empty() && !s.years.is_empty() && !years.iter().any(|y| s.years.contains(y));
        let year_factor = if other_years { self.config.other_year_factor } else { 1.0 };
        let floor = self.config.time_floor;
        blended * year_factor * (floor + (1.0 - floor) * 0.5f32.powf(gap as f32 / self.config.half_life_days))
    }

    fn join(&mut self, story: usize, member: Member) {
        if let Some(slot) = self.story_of.get_mut(member.position) {
            *slot = story;
        } else {
            self.story_of.push(story);
        }
        let keep = self.config.centroid_features;
        let Some(s) = self.stories.get_mut(story) else { return };
        if let Some(d) = member.date {
            s.first = Some(s.first.map_or(d, |f| f.min(d)));
            s.last = Some(s.last.map_or(d, |l| l.max(d)));
        }
        if let Some(language) = &member.language
            && !s.languages.contains(language)
        {
            s.languages.push(language.clone());
        }
        for year in &member.years {
            if !s.years.contains(year) {
                s.years.push(*year);
            }
        }
        if let Some(Profile { terms, entities, .. }) = &member.vectors {
            s.terms.add(terms, keep);
            s.entities.add(entities, keep);
            let query = self.config.query_features;
            let cap = self.config.postings_per_feature;
            for feature in terms.top(query).into_iter().chain(entities.top(query / 2)) {
                let list = self.postings.entry(feature).or_default();
                if !list.contains(&(story as u32)) {
                    list.push(story as u32);
                    if list.len() > cap {
                        list.remove(0);
                    }
                }
            }
        }
        s.members.push(member);
    }

    /// Refines `story` when it has grown to its next check size. Returns the articles that moved,
    /// with their new story.
    fn maybe_refine(&mut self, story: usize) -> Vec<(usize, usize)> {
        let Some(s) = self.stories.get_mut(story) else { return Vec::new() };
        if s.members.len() < s.next_check {
            return Vec::new();
        }
        s.next_check = s.members.len() * 3 / 2;
        self.refine(story)
    }

    /// Ends a batch linked all at once: refines every story, then offers every article left alone
    /// to the other stories once more. Returns the articles that moved, with their new story.
    pub fn finish_batch(&mut self) -> Vec<(usize, usize)> {
        let mut moved = self.refine_all();
        moved.extend(self.reconsider_alone());
        moved
    }

    /// Refines every story (see `refine`), as at the end of a batch linked all at once. Returns the
    /// articles that moved, with their new story.
    fn refine_all(&mut self) -> Vec<(usize, usize)> {
        let mut moved = Vec::new();
        for story in 0..self.stories.len() {
            moved.extend(self.refine(story));
        }
        moved
    }

    /// Offers every article that is alone in its story to the other stories once more, as at the
    /// end of a batch: an article that arrived before the articles that bridge it to a story (the
    /// undated ones come last) opened a story of its own, and joins the best story now scoring at
    /// least the threshold. Returns the articles that moved, with their new story; the stories they
    /// leave are empty.
    fn reconsider_alone(&mut self) -> Vec<(usize, usize)> {
        let mut moved = Vec::new();
        for story in 0..self.stories.len() {
            let [member] = self.stories[story].members.as_slice() else { continue };
            let Some(profile) = member.vectors.clone() else { continue };
            let (date, years, language) = (member.date, member.years.clone(), member.language.clone());
            let best = self
                .candidates(&profile.terms, &profile.entities)
                .into_iter()
                .filter(|&other| other != story && !self.stories[other].members.is_empty())
                .map(|other| {
                    (self.score(other, &profile.terms, &profile.entities, date, &years, language.as_deref()), other)
                })
                .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
            if let Some((score, target)) = best
                && score >= self.config.threshold
            {
                let members = std::mem::take(&mut self.stories[story].members);
                self.stories[story] = Story::default();
                for member in members {
                    moved.push((member.position, target));
                    self.join(target, member);
                }
            }
        }
        moved
    }

    /// Clusters the members of `story` again by average linkage over the pairwise model; every
    /// group of at least `MIN_SPLIT_SIDE` that does not hold the story's first member leaves for a
    /// story of its own, with the copies of its articles.
    fn refine(&mut self, story: usize) -> Vec<(usize, usize)> {
        let Some(s) = self.stories.get(story) else { return Vec::new() };
        let profiled: Vec<(usize, &Profile)> =
            s.members.iter().filter_map(|m| m.vectors.as_ref().map(|p| (m.position, p))).collect();
        let profiled = &profiled[profiled.len().saturating_sub(MAX_REFINED)..];
        if profiled.len() < 2 * MIN_SPLIT_SIDE {
            return Vec::new();
        }
        let profiles: Vec<&Profile> = profiled.iter().map(|(_, p)| *p).collect();
        let groups = average_link(&profiles, &self.config.pair_model, self.config.pair_threshold);
        let count = groups.iter().copied().max().map_or(0, |g| g + 1);
        let mut sizes = vec![0usize; count];
        for &g in &groups {
            sizes[g] += 1;
        }
        // Group 0 holds the first profiled member and keeps the story.
        let leaving: Vec<usize> = (1..count).filter(|&g| sizes[g] >= MIN_SPLIT_SIDE).collect();
        if leaving.is_empty() {
            return Vec::new();
        }
        let mut target: HashMap<usize, usize> = HashMap::default();
        for (&(position, _), &g) in profiled.iter().zip(&groups) {
            if let Some(k) = leaving.iter().position(|&l| l == g) {
                target.insert(position, k);
            }
        }
        let members = std::mem::take(&mut self.stories[story].members);
        let next_check = self.stories[story].next_check;
        self.stories[story] = Story { next_check, ..Story::default() };
        let first_new = self.stories.len();
        for k in 0..leaving.len() {
            let size = sizes[leaving[k]];
            self.stories.push(Story { next_check: (size * 2).max(FIRST_SPLIT_CHECK), ..Story::default() });
        }
        let mut moved = Vec::new();
        for member in members {
            // Copies follow their originals.
            let goes = target.get(&member.position).or_else(|| member.duplicate_of.and_then(|o| target.get(&o)));
            match goes {
                Some(&k) => {
                    moved.push((member.position, first_new + k));
                    self.join(first_new + k, member);
                }
                None => self.join(story, member),
            }
        }
        moved
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::article;

    const QUAKE: &str = "A magnitude 7.5 earthquake struck the Noto Peninsula in Ishikawa prefecture on Monday, \
        toppling wooden houses in Wajima and Suzu and setting off a fire in Wajima's morning market. The Japan \
        Meteorological Agency issued a major tsunami warning for the Ishikawa coast.";
    const QUAKE_LATER: &str = "Rescuers in Wajima and Suzu dug through collapsed houses on the Noto Peninsula as \
        the death toll from the earthquake in Ishikawa prefecture rose, and aftershocks kept shaking the region \
        days after the tsunami warning was lifted.";
    const SUMMIT: &str = "Leaders of NATO's 32 members gathered in Washington for a summit marking the alliance's \
        75th anniversary, where Joe Biden announced air-defence systems for Ukraine and Jens Stoltenberg said \
        the path to membership was irreversible.";

    #[test]
    fn same_story_joins_other_story_opens() {
        let mut linker = Linker::new(LinkConfig::default());
        let first = linker.add(&article(QUAKE, "2024-01-01"));
        assert!(first.opened);
        let second = linker.add(&article(SUMMIT, "2024-07-10"));
        assert!(second.opened);
        assert_ne!(first.story, second.story);
        let third = linker.add(&article(QUAKE_LATER, "2024-01-03"));
        assert_eq!(third.story, first.story, "score {}", third.score);
        assert_eq!(linker.articles_of(first.story), vec![0, 2]);
    }

    #[test]
    fn a_copy_joins_its_original_as_a_duplicate() {
        let mut linker = Linker::new(LinkConfig::default());
        let original = linker.add(&article(QUAKE, "2024-01-01"));
        linker.add(&article(SUMMIT, "2024-07-10"));
        let copy = linker.add(&article(&format!("From our wire partners. {QUAKE}"), "2024-01-02"));
        assert_eq!(copy.duplicate_of, Some(0));
        assert_eq!(copy.story, original.story);
    }

    #[test]
    fn time_apart_lowers_the_score() {
        let mut near = Linker::new(LinkConfig::default());
        near.add(&article(QUAKE, "2024-01-01"));
        let close = near.add(&article(QUAKE_LATER, "2024-01-03")).score;
        let mut far = Linker::new(LinkConfig::default());
        far.add(&article(QUAKE, "2024-01-01"));
        let late = far.add(&article(QUAKE_LATER, "2024-06-03")).score;
        // Months apart, the decay has reached its floor.
        let floor = LinkConfig::default().time_floor;
        assert!(late < close * (floor + 0.05) && late > 0.0, "{late} vs {close}");
    }

    #[test]
    fn an_article_alone_joins_the_story_a_later_article_bridged_it_to() {
        let signing = "Vladimir Putin and Kim Jong Un signed a mutual defence treaty in Pyongyang on Wednesday, \
            pledging that Russia and North Korea will come to each other's aid if either is attacked. The treaty \
            was the centrepiece of Putin's first visit to North Korea in 24 years.";
        let troops = "Ukrainian intelligence said about 11,000 North Korean troops were training in Russia's east \
            and that the first units had reached the Kursk region. Volodymyr Zelensky said the soldiers would \
            be in combat against Ukraine within days, and South Korea summoned Russia's ambassador.";
        let bridge = "North Korea ratified its mutual defence treaty with Russia, which Vladimir Putin and Kim Jong \
            Un signed in Pyongyang, while about 11,000 North Korean troops sent to Russia gathered in the Kursk \
            region. Volodymyr Zelensky said the soldiers had already clashed with Ukrainian units.";
        let mut linker = Linker::new(LinkConfig::default());
        linker.add(&article(signing, "2024-06-19"));
        linker.add(&article(troops, "2024-10-29"));
        linker.add(&Article { published: Default::default(), ..article(bridge, "2024-11-12") });
        linker.refine_all();
        assert_ne!(linker.story_of(1), linker.story_of(0), "the troops article should arrive alone");
        assert_eq!(linker.story_of(2), linker.story_of(0), "the bridge should join the treaty story");
        let moved = linker.reconsider_alone();
        assert_eq!(moved, vec![(1, linker.story_of(0).unwrap_or(usize::MAX))]);
        assert_eq!(linker.story_count(), 1);
    }

    #[test]
    fn refining_parts_two_events_that_grew_into_one_story() {
        let noto = [
            "A magnitude 7.5 earthquake struck the Noto Peninsula in Ishikawa on Monday, toppling houses in Wajima and Suzu. Prime Minister Fumio Kishida said rescuers were racing to reach people trapped under rubble.",
            "The earthquake on the Noto Peninsula killed 48 people in Wajima and Suzu, Ishikawa officials said, as rescuers searched collapsed houses. Fumio Kishida sent 1,000 troops to the Noto Peninsula.",
            "Aftershocks rattled Wajima and Suzu a day after the earthquake, and Ishikawa officials said the toll on the Noto Peninsula had risen to 62. Kishida promised 4.7 billion yen in reserve funds for the quake zone.",
        ];
        let hualien = [
            "A magnitude 7.4 earthquake struck Hualien on Taiwan's east coast on Wednesday, tilting buildings and setting off landslides in Taroko Gorge. President Tsai Ing-wen said rescuers were racing to reach people trapped.",
            "The earthquake in Hualien killed at least 9 people, Taiwan's fire agency said, as rescuers reached 600 hikers stranded in Taroko Gorge. Tsai Ing-wen visited the damaged buildings in Hualien.",
            "Aftershocks shook Hualien a day after the earthquake, and Taiwan's fire agency said the toll in Taroko Gorge had risen to 12. Tsai Ing-wen promised 28.5 billion dollars to rebuild Hualien.",
        ];
        // A threshold of zero, with every word looked up, lets every article join the first story
        // it shares a word with.
        let mut linker = Linker::new(LinkConfig { threshold: 0.0, query_features: 1000, ..LinkConfig::default() });
        let mut moved = Vec::new();
        for (a, b) in noto.iter().zip(&hualien) {
            let first = linker.add(&article(a, "2024-01-01"));
            let second = linker.add(&article(b, "2024-01-01"));
            moved.extend(first.moved.into_iter().chain(second.moved));
        }
        moved.extend(linker.refine_all());
        assert!(!moved.is_empty(), "the two quakes never shared a story: nothing to refine");
        let noto_story = linker.story_of(0);
        let hualien_story = linker.story_of(1);
        assert_ne!(noto_story, hualien_story, "moved {moved:?}");
        for position in 0..6 {
            let expected = if position % 2 == 0 { noto_story } else { hualien_story };
            assert_eq!(linker.story_of(position), expected, "article {position}");
        }
    }
}
