//! How an article is laid out in columns, shared by both stores so that they write and read the
//! same values: the JSON columns' encoding, the annotations column, entity-query parameters, and
//! the decoding of one stored row back into an [`Article`]. No SQL lives here.

use crate::StoreError;
use storyline_core::{Article, DocumentId, MediaType, Published};

/// Serialises a value kept as a JSON column.
pub(crate) fn json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".to_owned())
}

/// The annotations column's value for an article.
pub(crate) fn annotations_json(a: &Article) -> String {
    serde_json::json!({
        "sentences": a.sentences,
        "entities": a.entities,
        "times": a.times,
        "quantities": a.quantities,
        "quotes": a.quotes,
    })
    .to_string()
}

/// The date method's stored name (its serde name).
pub(crate) fn method_name(a: &Article) -> Option<String> {
    a.published.method.and_then(|m| serde_json::to_value(m).ok().and_then(|v| v.as_str().map(str::to_owned)))
}

/// One list from the annotations column; absent lists (rows stored before annotation) are empty.
fn annotation<T: serde::de::DeserializeOwned>(value: &serde_json::Value, key: &str) -> Result<Vec<T>, String> {
    match value.get(key) {
        Some(list) => serde_json::from_value(list.clone()).map_err(|e| format!("annotations.{key}: {e}")),
        None => Ok(Vec::new()),
    }
}

/// The parameters of an entity query: an entity id, an identity under any kind, a spelling (any case).
pub(crate) fn named_by(query: &str) -> [String; 3] {
    let query = query.trim();
    [query.to_owned(), storyline_core::annotate::entities::slug(query), query.to_lowercase()]
}

pub(crate) fn parse_id(id: &str) -> Result<DocumentId, StoreError> {
    DocumentId::parse(id)
        .ok_or_else(|| StoreError::Corrupt { id: id.to_owned(), message: "not an article id".to_owned() })
}

/// A lowercase hex prefix of an article id, or `None` when the text cannot be one.
pub(crate) fn id_prefix(id_or_prefix: &str) -> Option<String> {
    let ok = !id_or_prefix.is_empty() && id_or_prefix.chars().all(|c| c.is_ascii_hexdigit());
    ok.then(|| id_or_prefix.to_ascii_lowercase())
}

/// One stored row's values, as either store reads them.
pub(crate) struct StoredRow {
    pub id: String,
    pub source: String,
    pub media: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub authors: String,
    pub published_date: Option<String>,
    pub published_datetime: Option<String>,
    pub published_confidence: f64,
    pub published_evidence: Option<String>,
    pub published_method: Option<String>,
    pub language: Option<String>,
    pub encoding: String,
    pub body: String,
    pub removed: String,
    pub warnings: String,
    pub annotations: String,
}

impl StoredRow {
    /// The article; a value that does not decode is a corrupt record, named by its id.
    pub(crate) fn decode(self) -> Result<Article, StoreError> {
        let id = self.id.clone();
        self.decode_inner().map_err(|message| StoreError::Corrupt { id, message })
    }

    fn decode_inner(self) -> Result<Article, String> {
        let published = serde_json::json!({
            "date": self.published_date,
            "datetime": self.published_datetime,
            "confidence": self.published_confidence,
            "evidence": self.published_evidence,
            "method": self.published_method,
        });
        let annotations: serde_json::Value =
            serde_json::from_str(&self.annotations).map_err(|e| format!("annotations: {e}"))?;
        Ok(Article {
            id: DocumentId::parse(&self.id).ok_or("malformed id")?,
            source: self.source,
            media: if self.media == "html" { MediaType::Html } else { MediaType::Text },
            url: self.url,
            title: self.title,
            outlet: self.outlet,
            authors: serde_json::from_str(&self.authors).map_err(|e| format!("authors: {e}"))?,
            published: serde_json::from_value::<Published>(published).map_err(|e| format!("published: {e}"))?,
            language: self.language,
            encoding: self.encoding,
            body: self.body,
            removed: serde_json::from_str(&self.removed).map_err(|e| format!("removed: {e}"))?,
            warnings: serde_json::from_str(&self.warnings).map_err(|e| format!("warnings: {e}"))?,
            sentences: annotation(&annotations, "sentences")?,
            entities: annotation(&annotations, "entities")?,
            times: annotation(&annotations, "times")?,
            quantities: annotation(&annotations, "quantities")?,
            quotes: annotation(&annotations, "quotes")?,
        })
    }
}
