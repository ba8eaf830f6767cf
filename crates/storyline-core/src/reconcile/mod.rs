//! The reconcile stage: from the articles of one story to its dossier — the outlets with their
//! dates, the key entities, a timeline of dated events, a table of claims (figures about the same
//! thing across sources, classed as agreeing, conflicting, updated or projected), quotes by
//! speaker, a short extractive summary and the removed-noise count. Every fact points back to the
//! article and sentence it came from.
//!
//! Pure: it reads annotated articles and the linker's verdicts (which article copies which); it
//! does no I/O and never changes an article.

mod claims;
mod events;
mod summary;

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
        }
    }
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
