//! storyline's store. The `Store` trait is what the pipeline and the command line see; `SqliteStore`
//! is the embedded default (SQLite in WAL mode in the data folder). This is the only crate that knows
//! the schema. Writes are one transaction per batch: a batch is stored whole or not at all.

mod columns;
mod pg;
mod sqlite;
#[cfg(test)]
mod tests;

pub use pg::{ARTICLES_CHANNEL, LinkState, Notice, PgStore, STORIES_CHANNEL, redacted, scratch_database};
pub use sqlite::SqliteStore;
use storyline_core::{Article, DocumentId};

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create the data folder {path}: {source}")]
    DataDir {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("PostgreSQL: {0}")]
    Postgres(#[from] postgres::Error),
    #[error("cannot connect to PostgreSQL at {address}: {source}")]
    Connect {
        address: String,
        #[source]
        source: postgres::Error,
    },
    #[error("stored record for {id} is corrupt: {message}")]
    Corrupt { id: String, message: String },
    #[error(
        "the database at {path} has schema version {found}, newer than this storyline understands ({supported}); upgrade storyline"
    )]
    TooNew { path: String, found: i64, supported: i64 },
    #[error("\"{prefix}\" matches {count} articles; give more of the id")]
    Ambiguous { prefix: String, count: usize },
}

/// What a batch write did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BatchOutcome {
    /// Articles written.
    pub added: usize,
    /// Articles that were already stored and were left as they were.
    pub already_stored: usize,
}

/// An entity across the whole store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntitySummary {
    /// The canonical identity, `kind/identity`.
    pub id: String,
    pub kind: String,
    /// The name most articles give it.
    pub name: String,
    /// In how many articles it is mentioned.
    pub articles: u64,
    pub mentions: u64,
}

/// One mention of an entity in a stored article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredMention {
    pub entity_id: String,
    pub name: String,
    pub article_id: String,
    /// The mention as written, and its byte offsets in the article body.
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// Persistence for the pipeline's results. Implementations must make `put_articles` atomic.
/// The link stage's verdict for one article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoryLink {
    pub article: DocumentId,
    pub story: String,
    /// The article this one is a syndicated copy of.
    pub copy_of: Option<DocumentId>,
}

/// An article as lists show it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ArticleHeader {
    pub id: DocumentId,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub published: Option<chrono::NaiveDate>,
    /// The publication instant, where known.
    pub published_at: Option<chrono::DateTime<chrono::FixedOffset>>,
    pub language: Option<String>,
}

pub trait Store: std::fmt::Debug {
    /// Whether an article with this document id is stored.
    fn contains(&self, id: &DocumentId) -> Result<bool, StoreError>;

    /// Stores a batch in one transaction. Articles whose id is already stored are left unchanged,
    /// so re-ingesting the same input is a no-op.
    fn put_articles(&mut self, batch: &[Article]) -> Result<BatchOutcome, StoreError>;

    /// The article whose id is `id_or_prefix` or uniquely starts with it.
    fn article(&self, id_or_prefix: &str) -> Result<Option<Article>, StoreError>;

    /// Calls `visit` for every stored article in the order they were stored, without holding them
    /// all in memory.
    fn for_each_article(&self, visit: &mut dyn FnMut(Article)) -> Result<(), StoreError>;

    /// How many articles are stored.
    fn count(&self) -> Result<u64, StoreError>;

    /// The ids of every stored article, in the order they were stored.
    fn ids(&self) -> Result<Vec<DocumentId>, StoreError>;

    /// Replaces the annotations (sentences, entities, times, quantities, quotes) of stored articles, in one
    /// transaction; extraction results are left as they are. Returns how many were updated.
    fn update_annotations(&mut self, batch: &[Article]) -> Result<usize, StoreError>;

    /// Every entity mentioned in the store, most widely covered first.
    fn entities(&self) -> Result<Vec<EntitySummary>, StoreError>;

    /// Every mention, across all articles, of the entities `query` names: an entity id
    /// (`person/kim-jong-un`), an identity (`kim-jong-un`, "Kim Jong Un"), or a spelling used in
    /// some article ("Kim Jong-un", "DPRK"; any case). In storing order, then body order.
    fn entity_mentions(&self, query: &str) -> Result<Vec<StoredMention>, StoreError>;

    /// The ids of the entities `query` names, as [`Store::entity_mentions`] reads it, most
    /// mentioned first; empty when none is stored.
    fn resolve_entity(&self, query: &str) -> Result<Vec<String>, StoreError>;

    /// The display names of these entity ids (those stored), as some article gives them.
    fn entity_names(&self, ids: &[String]) -> Result<std::collections::HashMap<String, String>, StoreError>;

    /// Replaces every story link with `links`, in one transaction.
    fn replace_story_links(&mut self, links: &[StoryLink]) -> Result<(), StoreError>;

    /// Every story link, by story.
    fn story_links(&self) -> Result<Vec<StoryLink>, StoreError>;

    /// Writes these articles' story links (replacing theirs, leaving every other), in one transaction.
    fn put_story_links(&mut self, links: &[StoryLink]) -> Result<(), StoreError>;

    /// The story an article is in, when it has been linked.
    fn story_of(&self, article: &DocumentId) -> Result<Option<String>, StoreError>;

    /// The links of one story's articles (the story id exactly), by article id.
    fn story_members(&self, story: &str) -> Result<Vec<StoryLink>, StoreError>;

    /// What lists need of every stored article (no body, no annotations), in storing order.
    fn headers(&self) -> Result<Vec<ArticleHeader>, StoreError>;

    /// The stored articles among `ids` (exact ids), in the order given; ids not stored are left out.
    fn articles(&self, ids: &[DocumentId]) -> Result<Vec<Article>, StoreError> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.extend(self.article(id.as_str())?);
        }
        Ok(out)
    }

    /// Whether the store's connection is gone for good (a pool then drops it and opens another).
    fn is_closed(&self) -> bool {
        false
    }
}

/// A boxed store is a store (what `--store` chooses at run time).
impl<S: Store + ?Sized> Store for Box<S> {
    fn contains(&self, id: &DocumentId) -> Result<bool, StoreError> {
        (**self).contains(id)
    }
    fn put_articles(&mut self, batch: &[Article]) -> Result<BatchOutcome, StoreError> {
        (**self).put_articles(batch)
    }
    fn article(&self, id_or_prefix: &str) -> Result<Option<Article>, StoreError> {
        (**self).article(id_or_prefix)
    }
    fn for_each_article(&self, visit: &mut dyn FnMut(Article)) -> Result<(), StoreError> {
        (**self).for_each_article(visit)
    }
    fn count(&self) -> Result<u64, StoreError> {
        (**self).count()
    }
    fn ids(&self) -> Result<Vec<DocumentId>, StoreError> {
        (**self).ids()
    }
    fn update_annotations(&mut self, batch: &[Article]) -> Result<usize, StoreError> {
        (**self).update_annotations(batch)
    }
    fn entities(&self) -> Result<Vec<EntitySummary>, StoreError> {
        (**self).entities()
    }
    fn entity_mentions(&self, query: &str) -> Result<Vec<StoredMention>, StoreError> {
        (**self).entity_mentions(query)
    }
    fn resolve_entity(&self, query: &str) -> Result<Vec<String>, StoreError> {
        (**self).resolve_entity(query)
    }
    fn entity_names(&self, ids: &[String]) -> Result<std::collections::HashMap<String, String>, StoreError> {
        (**self).entity_names(ids)
    }
    fn replace_story_links(&mut self, links: &[StoryLink]) -> Result<(), StoreError> {
        (**self).replace_story_links(links)
    }
    fn story_links(&self) -> Result<Vec<StoryLink>, StoreError> {
        (**self).story_links()
    }
    fn put_story_links(&mut self, links: &[StoryLink]) -> Result<(), StoreError> {
        (**self).put_story_links(links)
    }
    fn story_of(&self, article: &DocumentId) -> Result<Option<String>, StoreError> {
        (**self).story_of(article)
    }
    fn story_members(&self, story: &str) -> Result<Vec<StoryLink>, StoreError> {
        (**self).story_members(story)
    }
    fn headers(&self) -> Result<Vec<ArticleHeader>, StoreError> {
        (**self).headers()
    }
    fn articles(&self, ids: &[DocumentId]) -> Result<Vec<Article>, StoreError> {
        (**self).articles(ids)
    }
    fn is_closed(&self) -> bool {
        (**self).is_closed()
    }
}

/// Entity summaries from mention counts grouped by (id, kind, name, articles, mentions): one entity
/// may carry different display names in different articles, and the most common wins. Most widely
/// covered first.
pub(crate) fn summarise_entities(grouped: Vec<(String, String, String, i64, i64)>) -> Vec<EntitySummary> {
    let mut by_id: std::collections::BTreeMap<String, (EntitySummary, i64)> = std::collections::BTreeMap::new();
    for (id, kind, name, articles, mentions) in grouped {
        let entry = by_id
            .entry(id.clone())
            .or_insert_with(|| (EntitySummary { id, kind, name: name.clone(), articles: 0, mentions: 0 }, -1));
        if articles > entry.1 {
            entry.0.name = name;
            entry.1 = articles;
        }
        entry.0.articles += u64::try_from(articles).unwrap_or(0);
        entry.0.mentions += u64::try_from(mentions).unwrap_or(0);
    }
    let mut out: Vec<EntitySummary> = by_id.into_values().map(|(e, _)| e).collect();
    out.sort_by(|a, b| b.articles.cmp(&a.articles).then(b.mentions.cmp(&a.mentions)).then(a.id.cmp(&b.id)));
    out
}
