//! storyline's store. The `Store` trait is what the pipeline and the command line see; `SqliteStore`
//! is the embedded default (SQLite in WAL mode in the data folder). This is the only crate that knows
//! the schema. Writes are one transaction per batch: a batch is stored whole or not at all.

mod sqlite;

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

pub trait Store {
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
}
