//! The reconcile stage: from the articles of one story to its dossier — the outlets with their
//! dates, the key entities, a timeline of dated events, a table of claims (figures about the same
//! thing across sources, classed as agreeing, conflicting, updated or projected), quotes by
//! speaker, a short extractive summary and the removed-noise count. Every fact points back to the
//! article and sentence it came from. A live blog's entries about something else than the story
//! give it no facts and are listed apart (`entries.rs`).
//!
//! Pure: it reads annotated articles and the linker's verdicts (which article copies which); it
//! does no I/O and never changes an article.

mod claims;
mod entries;
mod events;
mod summary;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::annotate::{EntityKind, Sentence, sentences::holding};
use crate::model::opt_date;
use crate::{Article, DocumentId};

pub use claims::{Claim, ClaimStatus, ClaimValue, Relation};
pub use events::Event;

/// Where a fact was read: an article, the index of its sentence, and the sentence's byte range in
/// the article's body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub article: DocumentId,
    pub sentence: usize,
    pub start: usize,
    pub end: usize,
}

impl Source {
    /// The source of the span `start..end` of `article`, by the sentence holding it.
    pub(crate) fn of(article: &Article, start: usize, end: usize) -> Source {
        let index = article.sentences.partition_point(|s| s.end <= start);
        let sentence: Sentence =
            holding(&article.sentences, start, end).unwrap_or(Sentence { start, end: end.min(article.body.len()) });
        Source { article: article.id.clone(), sentence: index, start: sentence.start, end: sentence.end }
    }

    /// The sentence's text in `article`.
    pub fn text<'a>(&self, article: &'a Article) -> &'a str {
        article.body.get(self.start..self.end).unwrap_or("")
    }
}

/// An article of the story as the dossier lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    pub id: DocumentId,
    pub outlet: Option<String>,
    pub title: Option<String>,
    #[serde(with = "opt_date")]
    pub published: Option<NaiveDate>,
    /// The article this one republishes, when it is a syndicated copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy_of: Option<DocumentId>,
}

/// A key entity of the story.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KeyEntity {
    pub id: String,
    pub name: String,
    pub kind: EntityKind,
    /// Independent articles (copies not counted) that name it.
    pub articles: usize,
    pub mentions: usize,
}

/// One speaker's quotes across the story.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpeakerQuotes {
    pub speaker: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker_id: Option<String>,
    pub quotes: Vec<QuoteRef>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuoteRef {
    pub text: String,
    pub source: Source,
}

/// Everything storyline says about one story.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dossier {
    pub id: String,
    pub title: String,
    pub articles: Vec<Coverage>,
    /// Distinct outlets, copies included (they are coverage).
    pub outlets: Vec<String>,
    #[serde(with = "opt_date")]
    pub first: Option<NaiveDate>,
    #[serde(with = "opt_date")]
    pub last: Option<NaiveDate>,
    pub entities: Vec<KeyEntity>,
    pub events: Vec<Event>,
    pub claims: Vec<Claim>,
    pub quotes: Vec<SpeakerQuotes>,
    /// A few sentences from different articles that say what the story is.
    pub summary: Vec<QuoteRef>,
    /// Blocks of page furniture removed from the story's articles (kept for audit with each article).
    pub removed_noise: usize,
    /// Entries of live blogs in the story that are about something else, each by its first
    /// sentence: they give the story no events, claims, quotes or summary.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_entries: Vec<QuoteRef>,
}

/// Key entities listed in a dossier.
const KEY_ENTITIES: usize = 12;

/// What reconciling needs from one article, read once: a story's dossier is assembled from its
/// articles' facts, so a story that gains an article is reconciled again without re-reading the
/// articles it already had.
#[derive(Clone, Debug)]
pub struct ArticleFacts {
    id: DocumentId,
    outlet: Option<String>,
    title: Option<String>,
    published: Option<NaiveDate>,
    removed: usize,
    /// (id, name, kind, mentions)
    entities: Vec<(String, String, EntityKind, usize)>,
    reports: Vec<events::Report>,
    figures: Vec<claims::Figure>,
    /// (speaker as written, speaker id, the quote)
    quotes: Vec<(String, Option<String>, QuoteRef)>,
    lead: summary::Lead,
    /// Live-blog entries (empty for an article in one piece), each with its first sentence.
    entries: Vec<(entries::Entry, Option<QuoteRef>)>,
}

impl ArticleFacts {
    pub fn of(article: &Article) -> ArticleFacts {
        ArticleFacts {
            id: article.id.clone(),
            outlet: article.outlet.clone(),
            title: article.title.clone(),
            published: article.published.date,
            removed: article.removed.len(),
            entities: article
                .entities
                .iter()
                .map(|e| (e.id.clone(), e.name.clone(), e.kind, e.mentions.len()))
                .collect(),
            reports: events::reports(article),
            figures: claims::figures(article),
            quotes: article
                .quotes
                .iter()
                .filter_map(|q| {
                    let speaker = q.speaker.clone()?;
                    let quote = QuoteRef { text: q.text.clone(), source: Source::of(article, q.start, q.end) };
                    Some((speaker, q.speaker_id.clone(), quote))
                })
                .collect(),
            lead: summary::lead(article),
            entries: entries::entries(&article.body)
                .into_iter()
                .map(|entry| {
                    let first = article
                        .sentences
                        .iter()
                        .filter(|s| s.start >= entry.start && s.end <= entry.end)
                        .find(|s| article.body[s.start..s.end].split_whitespace().count() >= 6)
                        .map(|s| QuoteRef {
                            text: article.body[s.start..s.end].to_owned(),
                            source: Source::of(article, s.start, s.end),
                        });
                    (entry, first)
                })
                .collect(),
        }
    }

    /// These facts without those read inside the byte ranges `aside`.
    fn without(&self, aside: &[(usize, usize)]) -> ArticleFacts {
        let keep = |at: usize| !aside.iter().any(|&(start, end)| start <= at && at < end);
        ArticleFacts {
            reports: self.reports.iter().filter(|r| keep(r.at())).cloned().collect(),
            figures: self.figures.iter().filter(|f| keep(f.at())).cloned().collect(),
            quotes: self.quotes.iter().filter(|(_, _, q)| keep(q.source.start)).cloned().collect(),
            lead: self.lead.keeping(keep),
            ..self.clone()
        }
    }
}

/// The originals restricted to what is about the story: each live blog without its entries that
/// share too few words with the story's other originals; and those entries, by first sentence.
fn about_the_story<'a>(originals: &[&'a ArticleFacts]) -> (Vec<Cow<'a, ArticleFacts>>, Vec<QuoteRef>) {
    if originals.iter().all(|a| a.entries.len() < 2) {
        return (originals.iter().map(|a| Cow::Borrowed(*a)).collect(), Vec::new());
    }
    // What each article is about: the words of its title, lead and entity names.
    let about: Vec<summary::WordSet> = originals
        .iter()
        .map(|a| {
            let mut words = a.lead.words().clone();
            for (_, name, _, _) in &a.entities {
                words.extend(summary::words(name));
            }
            words
        })
        .collect();
    let mut restricted = Vec::new();
    let mut other_entries = Vec::new();
    for (i, article) in originals.iter().enumerate() {
        if article.entries.len() < 2 {
            restricted.push(Cow::Borrowed(*article));
            continue;
        }
        let others: Vec<&summary::WordSet> =
            about.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, words)| words).collect();
        let entry_words: Vec<&summary::WordSet> = article.entries.iter().map(|(e, _)| &e.words).collect();
        let mut aside = Vec::new();
        for ((entry, first), kept) in article.entries.iter().zip(entries::kept(&entry_words, &others)) {
            if !kept {
                aside.push((entry.start, entry.end));
                other_entries.extend(first.clone());
            }
        }
        restricted.push(if aside.is_empty() { Cow::Borrowed(*article) } else { Cow::Owned(article.without(&aside)) });
    }
    (restricted, other_entries)
}

/// The dossier of a story made of `articles` (in any order); `copy_of` maps a syndicated copy to
/// the article it republishes. Copies count as coverage (outlets, dates) but never as independent
/// sources of a fact.
pub fn dossier(id: &str, articles: &[&Article], copy_of: &HashMap<DocumentId, DocumentId>) -> Dossier {
    let facts: Vec<ArticleFacts> = articles.iter().map(|a| ArticleFacts::of(a)).collect();
    let refs: Vec<&ArticleFacts> = facts.iter().collect();
    dossier_from(id, &refs, copy_of)
}

/// The dossier of a story from its articles' facts (see `dossier`).
pub fn dossier_from(id: &str, facts: &[&ArticleFacts], copy_of: &HashMap<DocumentId, DocumentId>) -> Dossier {
    let mut ordered: Vec<&ArticleFacts> = facts.to_vec();
    ordered.sort_by(|a, b| a.published.cmp(&b.published).then(a.id.cmp(&b.id)));
    let originals: Vec<&ArticleFacts> = ordered.iter().copied().filter(|a| !copy_of.contains_key(&a.id)).collect();
    let coverage: Vec<Coverage> = ordered
        .iter()
        .map(|a| Coverage {
            id: a.id.clone(),
            outlet: a.outlet.clone(),
            title: a.title.clone(),
            published: a.published,
            copy_of: copy_of.get(&a.id).cloned(),
        })
        .collect();
    let mut outlets: Vec<String> = Vec::new();
    for outlet in ordered.iter().filter_map(|a| a.outlet.clone()) {
        if !outlets.contains(&outlet) {
            outlets.push(outlet);
        }
    }
    let first = ordered.iter().filter_map(|a| a.published).min();
    let last = ordered.iter().filter_map(|a| a.published).max();
    let entities = key_entities(&originals);
    let (about, other_entries) = about_the_story(&originals);
    let originals: Vec<&ArticleFacts> = about.iter().map(|a| a.as_ref()).collect();
    let leads: Vec<&summary::Lead> = originals.iter().map(|a| &a.lead).collect();
    let keys = summary::key_words(&leads);
    let summary = summary::summary(&leads, &keys);
    let title = summary::title(&leads, &entities, &keys, &summary);
    Dossier {
        id: id.to_owned(),
        title,
        articles: coverage,
        outlets,
        first,
        last,
        events: events::timeline(originals.iter().flat_map(|a| a.reports.iter())),
        claims: claims::claims(originals.iter().flat_map(|a| a.figures.iter())),
        quotes: quotes_by_speaker(&originals),
        entities,
        summary,
        removed_noise: ordered.iter().map(|a| a.removed).sum(),
        other_entries,
    }
}

fn key_entities(articles: &[&ArticleFacts]) -> Vec<KeyEntity> {
    struct Tally {
        names: BTreeMap<String, usize>,
        kind: EntityKind,
        articles: usize,
        mentions: usize,
    }
    let mut tallies: HashMap<&str, Tally> = HashMap::new();
    for article in articles {
        for (id, name, kind, mentions) in &article.entities {
            let tally = tallies.entry(id).or_insert_with(|| Tally {
                names: BTreeMap::new(),
                kind: *kind,
                articles: 0,
                mentions: 0,
            });
            tally.articles += 1;
            tally.mentions += mentions;
            *tally.names.entry(name.clone()).or_default() += mentions;
        }
    }
    let mut out: Vec<KeyEntity> = tallies
        .into_iter()
        .map(|(id, t)| KeyEntity {
            id: id.to_owned(),
            name: t
                .names
                .iter()
                .max_by_key(|(name, n)| (**n, std::cmp::Reverse((*name).clone())))
                .map(|(name, _)| name.clone())
                .unwrap_or_default(),
            kind: t.kind,
            articles: t.articles,
            mentions: t.mentions,
        })
        .collect();
    out.sort_by(|a, b| b.articles.cmp(&a.articles).then(b.mentions.cmp(&a.mentions)).then(a.id.cmp(&b.id)));
    out.truncate(KEY_ENTITIES);
    out
}

fn quotes_by_speaker(articles: &[&ArticleFacts]) -> Vec<SpeakerQuotes> {
    let mut by: BTreeMap<String, SpeakerQuotes> = BTreeMap::new();
    for article in articles {
        for (speaker, speaker_id, quote) in &article.quotes {
            let speaker = speaker.clone();
            let key = speaker_id.clone().unwrap_or_else(|| speaker.to_lowercase());
            let group = by.entry(key).or_insert_with(|| SpeakerQuotes {
                speaker: speaker.clone(),
                speaker_id: speaker_id.clone(),
                quotes: Vec::new(),
            });
            // The fullest spelling names the group ("Volodymyr Zelensky" over "Zelensky").
            if speaker.len() > group.speaker.len() {
                group.speaker = speaker;
            }
            group.quotes.push(quote.clone());
        }
    }
    let mut out: Vec<SpeakerQuotes> = by.into_values().collect();
    out.sort_by(|a, b| b.quotes.len().cmp(&a.quotes.len()).then(a.speaker.cmp(&b.speaker)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::article;

    #[test]
    fn a_live_blog_entry_about_something_else_gives_the_story_nothing_and_is_listed() {
        let treaty = article(
            "Russia's parliament ratified the mutual defence treaty with North Korea on Thursday, and \
             Vladimir Putin signed the ratification law on Saturday, officials in Moscow said.",
            "2024-11-10",
        );
        let upper = article(
            "The upper house of Russia's parliament approved the mutual defence treaty with North Korea \
             on Wednesday, sending the ratification law to Vladimir Putin to sign.",
            "2024-11-06",
        );
        let blog = article(
            "UPDATE 0625 GMT:\n\nThe toll from Monday's missile strike on a residential building in \
             Kryvyi Rih has risen to four, with three children among the dead, rescuers said. \
             \"Every night brings the same terror,\" the city's mayor said.\n\n\
             ORIGINAL ENTRY: North Korea has ratified its mutual defence treaty with Russia, the state news \
             agency said, after Vladimir Putin signed the ratification law on Saturday.",
            "2024-11-12",
        );
        let dossier = dossier("s1", &[&treaty, &upper, &blog], &HashMap::new());
        assert_eq!(dossier.other_entries.len(), 1, "{:?}", dossier.other_entries);
        assert!(dossier.other_entries[0].text.contains("Kryvyi Rih"));
        let speakers: Vec<&str> = dossier.quotes.iter().map(|q| q.speaker.as_str()).collect();
        assert!(!dossier.quotes.iter().flat_map(|q| &q.quotes).any(|q| q.text.contains("terror")), "{speakers:?}");
        let strike_event = dossier.events.iter().any(|e| e.summary.contains("Kryvyi Rih"));
        assert!(!strike_event, "{:?}", dossier.events);
        // The blog's treaty entry still counts.
        assert!(dossier.events.iter().any(|e| e.sources.iter().any(|s| s.article == blog.id)), "{:?}", dossier.events);
    }
}
