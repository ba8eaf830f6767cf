//! Incremental story clustering. Each new article is compared only with the stories that share one
//! of its salient features (found through an inverted index), scored by a blend of term cosine and
//! entity cosine against each story's centroid, damped by the time between them and by dates in
//! different years, and joins the best story at or above the threshold, or opens a new one.
//!
//! Two stories that share most words but not their event (two earthquakes, two summits) can grow
//! into one before the second has enough articles to stand apart, so a story that has grown is
//! checked for a split: a two-way spherical k-means over its members, kept when the two halves'
//! centroids are far enough apart. A near-duplicate joins the story of the article it copies and
//! does not move that story's centroid (a copy is coverage, not confirmation); it follows its
//! original through splits.

use super::Map as HashMap;

use chrono::NaiveDate;

use super::features::{FeatureId, FeatureVector, Features, Vocabulary};
use super::neardup::{NearDupIndex, Signature};
use crate::Article;

/// The knobs of linking. The defaults are the values tuned on the ECB+ training topics and our own
/// labelled stream (`storyline eval ecbplus`, `storyline eval stories`).
#[derive(Clone, Debug, PartialEq)]
pub struct LinkConfig {
    /// Join the best story when its score reaches this.
    pub threshold: f32,
    /// The share of the score given to entity cosine (the rest is term cosine).
    pub entity_share: f32,
    /// Feature weights are tf × idf^power: above 1, rare names and places count for more against
    /// the words every article of a topic shares.
    pub idf_power: f32,
    /// Days beyond a story's span at which its score is halved.
    pub half_life_days: f32,
    /// The least the time decay leaves of a score: a story that goes quiet for months (a treaty
    /// signed in June, ratified in November) can still take an article that matches it closely.
    pub time_floor: f32,
    /// The score is multiplied by this when the article and the story date things to different
    /// years only (neither shares a year with the other).
    pub other_year_factor: f32,
    /// Split a story when the cosine between its two halves' centroids is below this.
    pub split_below: f32,
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
            idf_power: 1.5,
            half_life_days: 14.0,
            time_floor: 0.5,
            other_year_factor: 0.5,
            split_below: 0.3,
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

    fn cosine_with(&self, other: &Centroid) -> f32 {
        if self.norm == 0.0 || other.norm == 0.0 {
            return 0.0;
        }
        let (small, large) = if self.weights.len() <= other.weights.len() { (self, other) } else { (other, self) };
        let dot: f32 = small.weights.iter().filter_map(|(f, w)| large.weights.get(f).map(|c| c * w)).sum();
        dot / (self.norm * other.norm)
    }
}

/// An article in a story, with what a split needs to know about it.
#[derive(Clone, Debug)]
struct Member {
    position: usize,
    date: Option<NaiveDate>,
    years: Vec<i32>,
    language: Option<String>,
    /// Truncated term and entity vectors; `None` for a near-duplicate.
    vectors: Option<(FeatureVector, FeatureVector)>,
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
    /// The size at which the next split check runs.
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
/// vectors (for split checks) and the tail of its centroids.
const IDLE_DAYS: i64 = 60;
/// Articles between two sweeps for idle stories.
const SWEEP_EVERY: usize = 10_000;
/// Features an idle story's centroids keep.
const IDLE_CENTROID: usize = 100;

/// The first split check runs when a story reaches this many articles, then each time it has grown by half again.
const FIRST_SPLIT_CHECK: usize = 6;
/// Neither half of a split may be smaller than this.
const MIN_SPLIT_SIDE: usize = 2;

impl Linker {
    pub fn new(config: LinkConfig) -> Self {
        Linker { config, ..Linker::default() }
    }

    /// How many stories have been opened (some may have lost all their articles to no one: stories
    /// are never emptied, so this is also the number of non-empty stories).
    pub fn story_count(&self) -> usize {
        self.stories.len()
    }

    /// The story an article (by insertion position) is in now.
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
        let (terms, entities) = self.vocabulary.weigh(&features, self.config.idf_power);
        let best = self
            .candidates(&terms, &entities)
            .into_iter()
            .map(|story| (self.score(story, &terms, &entities, date, &features), story))
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
            vectors: Some((truncate(&terms, keep), truncate(&entities, keep / 2))),
            duplicate_of: None,
        };
        self.join(story, member);
        let moved = self.maybe_split(story);
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
        features: &Features,
    ) -> f32 {
        let Some(s) = self.stories.get(story) else { return 0.0 };
        let years = &features.years;
        let term_cosine = s.terms.cosine(terms);
        // Words do not carry across languages; entity identities do ("КНДР" is `place/north-korea`).
        let other_language =
            features.language.as_ref().is_some_and(|l| !s.languages.is_empty() && !s.languages.contains(l));
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
        if let Some((terms, entities)) = &member.vectors {
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

    /// Splits `story` in two when it has grown to its next check size and its members fall into two
    /// groups whose centroids are far apart. Returns the articles that moved, with their new story.
    fn maybe_split(&mut self, story: usize) -> Vec<(usize, usize)> {
        let Some(s) = self.stories.get_mut(story) else { return Vec::new() };
        if s.members.len() < s.next_check {
            return Vec::new();
        }
        s.next_check = s.members.len() * 3 / 2;
        let share = self.config.entity_share;
        let originals: Vec<(usize, FeatureVector)> = s
            .members
            .iter()
            .enumerate()
            .filter_map(|(i, m)| m.vectors.as_ref().map(|(t, e)| (i, combine(t, e, share))))
            .collect();
        let Some(side) = bisect(&originals, self.config.split_below) else { return Vec::new() };
        // The half holding the story's first article keeps the story.
        let first_side = side.first().copied().unwrap_or(false);
        let moving: Vec<usize> =
            originals.iter().zip(&side).filter(|(_, s)| **s != first_side).map(|((i, _), _)| *i).collect();
        let mut moving_positions: Vec<usize> =
            moving.iter().filter_map(|&i| s.members.get(i)).map(|m| m.position).collect();
        // Copies follow their originals.
        for m in &s.members {
            if let Some(original) = m.duplicate_of
                && moving_positions.contains(&original)
            {
                moving_positions.push(m.position);
            }
        }
        let members = std::mem::take(&mut s.members);
        let (leaving, staying): (Vec<Member>, Vec<Member>) =
            members.into_iter().partition(|m| moving_positions.contains(&m.position));
        let next_check = s.next_check;
        self.stories[story] = Story { next_check, ..Story::default() };
        self.stories.push(Story { next_check: (leaving.len() * 2).max(FIRST_SPLIT_CHECK), ..Story::default() });
        let new_story = self.stories.len() - 1;
        for member in staying {
            self.join(story, member);
        }
        let mut moved = Vec::new();
        for member in leaving {
            moved.push((member.position, new_story));
            self.join(new_story, member);
        }
        moved
    }
}

/// The `keep` heaviest weights of `vector`, in feature order.
fn truncate(vector: &FeatureVector, keep: usize) -> FeatureVector {
    if vector.0.len() <= keep {
        return vector.clone();
    }
    let mut heaviest = vector.0.clone();
    heaviest.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    heaviest.truncate(keep);
    heaviest.sort_unstable_by_key(|(f, _)| *f);
    let norm = heaviest.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        for (_, w) in &mut heaviest {
            *w /= norm;
        }
    }
    FeatureVector(heaviest)
}

/// One vector of terms (weighted `1 - share`) and entities (weighted `share`); the two kinds of
/// features never share ids.
fn combine(terms: &FeatureVector, entities: &FeatureVector, share: f32) -> FeatureVector {
    let mut all: Vec<(FeatureId, f32)> = terms.0.iter().map(|(f, w)| (*f, w * (1.0 - share))).collect();
    all.extend(entities.0.iter().map(|(f, w)| (*f, w * share)));
    all.sort_unstable_by_key(|(f, _)| *f);
    FeatureVector(all)
}

/// A two-way spherical k-means over `members`: which side each is on, when both sides have at
/// least `MIN_SPLIT_SIDE` members and the cosine between the sides' centroids is below `below`.
fn bisect(members: &[(usize, FeatureVector)], below: f32) -> Option<Vec<bool>> {
    if members.len() < 2 * MIN_SPLIT_SIDE {
        return None;
    }
    let centroid_of = |side: &[bool], which: bool| {
        let mut c = Centroid::default();
        for ((_, v), s) in members.iter().zip(side) {
            if *s == which {
                c.add(v, usize::MAX / 4);
            }
        }
        c
    };
    let all = centroid_of(&vec![true; members.len()], true);
    // Seeds: the member least like the whole, then the member least like that one.
    let least_like = |c: &Centroid| {
        members
            .iter()
            .enumerate()
            .min_by(|a, b| c.cosine(&a.1.1).total_cmp(&c.cosine(&b.1.1)).then(a.0.cmp(&b.0)))
            .map(|(i, _)| i)
    };
    let a = least_like(&all)?;
    let mut seed = Centroid::default();
    seed.add(&members[a].1, usize::MAX / 4);
    let b = least_like(&seed)?;
    let mut other = Centroid::default();
    other.add(&members[b].1, usize::MAX / 4);
    let (mut left, mut right) = (seed, other);
    let mut side = vec![false; members.len()];
    for _ in 0..8 {
        let next: Vec<bool> = members.iter().map(|(_, v)| right.cosine(v) > left.cosine(v)).collect();
        if next == side && !side.is_empty() {
            break;
        }
        side = next;
        left = centroid_of(&side, false);
        right = centroid_of(&side, true);
    }
    let on_right = side.iter().filter(|s| **s).count();
    if on_right < MIN_SPLIT_SIDE || members.len() - on_right < MIN_SPLIT_SIDE {
        return None;
    }
    (left.cosine_with(&right) < below).then_some(side)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(body: &str, date: &str) -> Article {
        let mut article = Article::from_body("test", body);
        article.published.date = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok();
        crate::annotate::annotate(&mut article);
        article
    }

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
}
