//! Full-text search over the stored articles: a tantivy index on disk beside the store. BM25 over
//! titles (boosted) and bodies, phrase queries, filters by outlet, entity, language and publication
//! date, highlighted snippets and facet counts.
//!
//! The index is derived data. It holds nothing the store does not, the binary writes to it after
//! every store transaction, and [`SearchIndex::rebuild`] makes it again from the stored articles
//! (`storyline reindex`). This crate never reads the store itself and knows no SQL; the store never
//! reads the index.

use std::collections::BTreeSet;
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use chrono::NaiveDate;
use serde::Serialize;
use storyline_core::Article;
use tantivy::aggregation::AggregationCollector;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, INDEXED, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};
use tantivy::{DateTime, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term, doc};

/// Bumped whenever the schema or the analysers change: an index of another version is refused
/// with a message that says to run `storyline reindex`.
const FORMAT_VERSION: &str = "storyline-search 2";
const VERSION_FILE: &str = "storyline-search-version";
/// Heap for the writer (one thread: ingest already keeps the cores busy extracting). tantivy sizes
/// its term table from it up front, so a larger heap costs memory touched on every run.
const WRITER_HEAP_BYTES: usize = 32 * 1024 * 1024;
/// Longest snippet taken from a body, in characters.
const SNIPPET_CHARS: usize = 240;
/// How much more a match in the title counts than one in the body.
const TITLE_BOOST: f32 = 2.0;

/// Why the index could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("cannot open the search index at {path}: {source}")]
    Open {
        path: String,
        #[source]
        source: tantivy::TantivyError,
    },
    #[error("the search index at {path} was built by another version of storyline ({found}); run `storyline reindex`")]
    Version { path: String, found: String },
    #[error("the search index at {path} is being written by another storyline process (a running `serve` or `watch`?)")]
    Busy { path: String },
    #[error("cannot read the query {query:?}: {message}")]
    Query { query: String, message: String },
    #[error("search index error: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("cannot count facets: {0}")]
    Facets(String),
    #[error("search index error at {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// What to look for. Several values of one filter are alternatives (any outlet listed); different
/// filters must all hold, and so must every entity listed (articles naming all of them).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchRequest {
    /// Words, `"phrases"`, `-excluded`, `title:word`, `a OR b`: every plain word must occur.
    /// Empty: every article that passes the filters, newest first.
    pub text: String,
    /// Outlet names, any case.
    pub outlets: Vec<String>,
    /// Entity ids (`person/kim-jong-un`).
    pub entities: Vec<String>,
    /// Language codes (`en`).
    pub languages: Vec<String>,
    /// Publication date from, inclusive.
    pub since: Option<NaiveDate>,
    /// Publication date until, inclusive.
    pub until: Option<NaiveDate>,
    pub limit: usize,
    pub offset: usize,
    /// How many values of each facet to count (0: none).
    pub facets: usize,
}

/// A piece of text with the byte ranges that matched the query.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Snippet {
    pub text: String,
    /// Byte offset of `text` in the field it was taken from (the article body, for body snippets).
    pub start: usize,
    /// Byte ranges of `text` that matched, in order.
    pub highlights: Vec<(usize, usize)>,
}

/// One article found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hit {
    pub id: String,
    pub score: f32,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub language: Option<String>,
    pub published: Option<NaiveDate>,
    /// The title with its matches marked.
    pub title_snippet: Snippet,
    /// The best passage of the body, or its opening when only filters matched.
    pub snippet: Snippet,
}

/// How many matching articles carry each value of a facet, most first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    pub outlets: Vec<FacetCount>,
    pub languages: Vec<FacetCount>,
    pub entities: Vec<FacetCount>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// The answer to a [`SearchRequest`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SearchResults {
    /// How many articles match in all (not only those returned).
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    /// When the text could not be read as query syntax (`Noto quake: toll`), why; it was then
    /// searched for as plain words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_as_words: Option<String>,
}

#[derive(Clone, Copy, Debug)]
struct Fields {
    id: Field,
    title: Field,
    body: Field,
    outlet: Field,
    language: Field,
    entity: Field,
    published: Field,
}

/// The analyser of titles and bodies: words, lower case, accents folded, English stems.
const TEXT_ANALYSER: &str = "storyline_text";
/// The analyser of outlet names: the whole name, lower case.
const KEY_ANALYSER: &str = "storyline_key";

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TEXT_ANALYSER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    // Outlets are matched in lower case, counted (a fast column) as written.
    let key = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default().set_tokenizer(KEY_ANALYSER).set_index_option(IndexRecordOption::Basic),
        )
        .set_stored()
        .set_fast("raw");
    let raw = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer("raw").set_index_option(IndexRecordOption::Basic),
    );
    let fields = Fields {
        id: b.add_text_field("id", raw.clone().set_stored()),
        title: b.add_text_field("title", text.clone()),
        body: b.add_text_field("body", text),
        outlet: b.add_text_field("outlet", key),
        language: b.add_text_field("language", raw.clone().set_stored().set_fast("raw")),
        entity: b.add_text_field("entity", raw.set_fast("raw")),
        published: b.add_date_field(
            "published",
            DateOptions::from(INDEXED).set_stored().set_fast().set_precision(DateTimePrecision::Seconds),
        ),
    };
    (b.build(), fields)
}

fn register_analysers(index: &Index) {
    index.tokenizers().register(
        TEXT_ANALYSER,
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(48))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .filter(stem::CachedEnglishStemmer)
            .build(),
    );
    index
        .tokenizers()
        .register(KEY_ANALYSER, TextAnalyzer::builder(RawTokenizer::default()).filter(LowerCaser).build());
}

fn day(date: NaiveDate) -> DateTime {
    DateTime::from_timestamp_secs(date.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp()).unwrap_or(0))
}

fn undate(value: DateTime) -> Option<NaiveDate> {
    chrono::DateTime::from_timestamp(value.into_timestamp_secs(), 0).map(|t| t.date_naive())
}

/// The search index of one data folder.
pub struct SearchIndex {
    path: PathBuf,
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// Made on the first write, so that a reader never takes the writer's lock.
    writer: Mutex<Option<IndexWriter>>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").field("path", &self.path).finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it (empty) when the folder holds none.
    pub fn open(dir: &Path) -> Result<SearchIndex, SearchError> {
        let path = dir.display().to_string();
        let io = |source| SearchError::Io { path: path.clone(), source };
        std::fs::create_dir_all(dir).map_err(io)?;
        let version_file = dir.join(VERSION_FILE);
        let (schema, fields) = schema();
        let index = if dir.join("meta.json").exists() {
            let found = std::fs::read_to_string(&version_file).unwrap_or_default();
            if found.trim() != FORMAT_VERSION {
                let found = if found.trim().is_empty() { "unknown".to_owned() } else { found.trim().to_owned() };
                return Err(SearchError::Version { path, found });
            }
            let index = Index::open_in_dir(dir).map_err(|source| SearchError::Open { path: path.clone(), source })?;
            if index.schema() != schema {
                return Err(SearchError::Version { path, found: "a different schema".to_owned() });
            }
            index
        } else {
            let index =
                Index::create_in_dir(dir, schema).map_err(|source| SearchError::Open { path: path.clone(), source })?;
            std::fs::write(&version_file, FORMAT_VERSION).map_err(io)?;
            index
        };
        register_analysers(&index);
        let reader = index.reader_builder().reload_policy(ReloadPolicy::OnCommitWithDelay).try_into()?;
        Ok(SearchIndex { path: dir.to_owned(), index, reader, fields, writer: Mutex::new(None) })
    }

    /// How many articles the index holds.
    pub fn count(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Takes the writer's lock now (a long-running writer does, so that a second one is refused
    /// before it stores anything).
    pub fn hold_writer(&self) -> Result<(), SearchError> {
        self.writer().map(drop)
    }

    fn writer(&self) -> Result<MutexGuard<'_, Option<IndexWriter>>, SearchError> {
        let mut guard = self.writer.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if guard.is_none() {
            let writer = self.index.writer_with_num_threads(1, WRITER_HEAP_BYTES).map_err(|err| match err {
                tantivy::TantivyError::LockFailure(..) => SearchError::Busy { path: self.path.display().to_string() },
                other => SearchError::Index(other),
            })?;
            *guard = Some(writer);
        }
        Ok(guard)
    }

    fn document(&self, a: &Article) -> TantivyDocument {
        let f = &self.fields;
        let mut d = doc!(f.id => a.id.as_str(), f.body => a.body.as_str());
        if let Some(title) = &a.title {
            d.add_text(f.title, title);
        }
        if let Some(outlet) = &a.outlet {
            d.add_text(f.outlet, outlet);
        }
        if let Some(language) = &a.language {
            d.add_text(f.language, language);
        }
        if let Some(date) = a.published.date {
            d.add_date(f.published, day(date));
        }
        let ids: BTreeSet<&str> = a.entities.iter().map(|e| e.id.as_str()).collect();
        for id in ids {
            d.add_text(f.entity, id);
        }
        d
    }

    fn stage(&self, writer: &IndexWriter, articles: &[Article]) -> Result<(), SearchError> {
        for a in articles {
            writer.delete_term(Term::from_field_text(self.fields.id, a.id.as_str()));
            writer.add_document(self.document(a))?;
        }
        Ok(())
    }

    /// Adds articles, replacing any indexed under the same id, in one commit: after it returns
    /// they are found by every search, and a failure leaves the index as it was.
    pub fn put(&self, articles: &[Article]) -> Result<(), SearchError> {
        if articles.is_empty() {
            return Ok(());
        }
        let mut guard = self.writer()?;
        let Some(writer) = guard.as_mut() else { unreachable!("writer() always fills the slot") };
        if let Err(err) = self.stage(writer, articles) {
            writer.rollback()?;
            return Err(err);
        }
        writer.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// Starts making the index again from nothing. Searches see the old index until
    /// [`Rebuild::commit`]; dropping the rebuild without committing leaves the old one.
    pub fn rebuild(&self) -> Result<Rebuild<'_>, SearchError> {
        let guard = self.writer()?;
        let rebuild = Rebuild { index: self, guard, committed: false };
        if let Some(writer) = rebuild.guard.as_ref() {
            writer.delete_all_documents()?;
        }
        Ok(rebuild)
    }

    fn filters(&self, request: &SearchRequest) -> Vec<(Occur, Box<dyn Query>)> {
        let f = &self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let any_of = |field: Field, values: &[String], lower: bool| -> Box<dyn Query> {
            let terms: Vec<(Occur, Box<dyn Query>)> = values
                .iter()
                .map(|v| {
                    let v = if lower { v.trim().to_lowercase() } else { v.trim().to_owned() };
                    let q: Box<dyn Query> =
                        Box::new(TermQuery::new(Term::from_field_text(field, &v), IndexRecordOption::Basic));
                    (Occur::Should, q)
                })
                .collect();
            Box::new(BooleanQuery::new(terms))
        };
        if !request.outlets.is_empty() {
            clauses.push((Occur::Must, any_of(f.outlet, &request.outlets, true)));
        }
        if !request.languages.is_empty() {
            clauses.push((Occur::Must, any_of(f.language, &request.languages, false)));
        }
        for entity in &request.entities {
            clauses.push((Occur::Must, any_of(f.entity, std::slice::from_ref(entity), false)));
        }
        if request.since.is_some() || request.until.is_some() {
            let bound = |d: Option<NaiveDate>, lower: bool| match d {
                None => Bound::Unbounded,
                Some(d) if lower => Bound::Included(Term::from_field_date(f.published, day(d))),
                Some(d) => match d.succ_opt() {
                    Some(next) => Bound::Excluded(Term::from_field_date(f.published, day(next))),
                    None => Bound::Unbounded,
                },
            };
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(bound(request.since, true), bound(request.until, false))),
            ));
        }
        clauses
    }

    /// Runs a search.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        let f = self.fields;
        let searcher = self.reader.searcher();
        let text = request.text.trim();
        let mut read_as_words = None;
        let matched: Option<Box<dyn Query>> = if text.is_empty() {
            None
        } else {
            let mut parser = QueryParser::for_index(&self.index, vec![f.title, f.body]);
            parser.set_conjunction_by_default();
            parser.set_field_boost(f.title, TITLE_BOOST);
            match parser.parse_query(text) {
                Ok(parsed) => Some(parsed),
                // People type punctuation ("Noto quake: toll", an unclosed quote): what is not
                // query syntax is searched for as the words it holds, and the answer says so.
                Err(err) => {
                    read_as_words = Some(err.to_string());
                    let words = plain_words(text);
                    let parsed = parser
                        .parse_query(&words)
                        .map_err(|e| SearchError::Query { query: text.to_owned(), message: e.to_string() })?;
                    Some(parsed)
                }
            }
        };
        let mut clauses = self.filters(request);
        let query: Box<dyn Query> = match (&matched, clauses.is_empty()) {
            (None, true) => Box::new(AllQuery),
            (Some(q), true) => q.box_clone(),
            (m, false) => {
                match m {
                    Some(q) => clauses.push((Occur::Must, q.box_clone())),
                    None => clauses.push((Occur::Must, Box::new(AllQuery))),
                }
                Box::new(BooleanQuery::new(clauses))
            }
        };
        let limit = request.limit.max(1);
        // Facets: terms aggregations over the fast columns, counting only the matching documents
        // and looking up only the top values' names.
        let facet_collector = (request.facets > 0).then(|| facet_aggregations(request.facets)).transpose()?;
        let (found, total, facet_counts) = if matched.is_some() {
            let top = TopDocs::with_limit(limit).and_offset(request.offset).order_by_score();
            searcher.search(&*query, &(top, Count, facet_collector))?
        } else {
            // Only filters: newest first.
            let top = TopDocs::with_limit(limit)
                .and_offset(request.offset)
                .order_by_fast_field::<DateTime>("published", tantivy::Order::Desc);
            let (found, total, facets) = searcher.search(&*query, &(top, Count, facet_collector))?;
            (
                found.into_iter().map(|(_, address)| (0.0, address)).collect::<Vec<(f32, tantivy::DocAddress)>>(),
                total,
                facets,
            )
        };
        let generator = |field: Field, chars: usize| -> Result<Option<SnippetGenerator>, SearchError> {
            match &matched {
                None => Ok(None),
                Some(q) => {
                    let mut g = SnippetGenerator::create(&searcher, &**q, field)?;
                    g.set_max_num_chars(chars);
                    Ok(Some(g))
                }
            }
        };
        let body_snippets = generator(f.body, SNIPPET_CHARS)?;
        let title_snippets = generator(f.title, 1000)?;
        let mut hits = Vec::with_capacity(found.len());
        for (score, address) in found {
            let d: TantivyDocument = searcher.doc(address)?;
            let text_of = |field: Field| d.get_first(field).and_then(|v| v.as_str()).map(str::to_owned);
            let title = text_of(f.title);
            let body = text_of(f.body).unwrap_or_default();
            let snippet = snippet(body_snippets.as_ref(), &body, SNIPPET_CHARS);
            let title_snippet = snippet_whole(title_snippets.as_ref(), title.as_deref().unwrap_or(""));
            hits.push(Hit {
                id: text_of(f.id).unwrap_or_default(),
                score,
                title,
                outlet: text_of(f.outlet),
                language: text_of(f.language),
                published: d.get_first(f.published).and_then(|v| v.as_datetime()).and_then(undate),
                title_snippet,
                snippet,
            });
        }
        let facets = match facet_counts {
            Some(results) => {
                let value = serde_json::to_value(results).map_err(|e| SearchError::Facets(e.to_string()))?;
                Facets {
                    outlets: buckets(&value, "outlets"),
                    languages: buckets(&value, "languages"),
                    entities: buckets(&value, "entities"),
                }
            }
            None => Facets::default(),
        };
        Ok(SearchResults { total, hits, facets, read_as_words })
    }
}

/// The text with every character of query syntax made a space: only words are left.
fn plain_words(text: &str) -> String {
    let words: String = text.chars().map(|c| if c.is_alphanumeric() || c.is_whitespace() { c } else { ' ' }).collect();
    words.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The facet counts asked for: the `size` most frequent outlets, languages and entities.
fn facet_aggregations(size: usize) -> Result<AggregationCollector, SearchError> {
    let terms = |field: &str| serde_json::json!({"terms": {"field": field, "size": size, "min_doc_count": 1}});
    let request = serde_json::json!({
        "outlets": terms("outlet"),
        "languages": terms("language"),
        "entities": terms("entity"),
    });
    let aggregations: Aggregations = serde_json::from_value(request).map_err(|e| SearchError::Facets(e.to_string()))?;
    Ok(AggregationCollector::from_aggs(aggregations, Default::default()))
}

/// One aggregation's buckets as counts, most first (ties by value).
fn buckets(results: &serde_json::Value, name: &str) -> Vec<FacetCount> {
    let mut counts: Vec<FacetCount> = results[name]["buckets"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|b| Some(FacetCount { value: b["key"].as_str()?.to_owned(), count: b["doc_count"].as_u64()? }))
        .collect();
    counts.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    counts
}

/// The opening of `text`, at most `chars` characters, cut at a word boundary.
fn opening(text: &str, chars: usize) -> &str {
    let Some((cut, _)) = text.char_indices().nth(chars) else { return text };
    match text[..cut].rfind(char::is_whitespace) {
        Some(space) if space > 0 => &text[..space],
        _ => &text[..cut],
    }
}

fn snippet(generator: Option<&SnippetGenerator>, text: &str, chars: usize) -> Snippet {
    if let Some(g) = generator {
        let s = g.snippet(text);
        if !s.highlighted().is_empty() {
            return Snippet {
                text: s.fragment().to_owned(),
                start: s.fragment_range().start,
                highlights: s.highlighted().iter().map(|r| (r.start, r.end)).collect(),
            };
        }
    }
    Snippet { text: opening(text, chars).to_owned(), start: 0, highlights: Vec::new() }
}

/// A short field (the title) whole, with its matches marked.
fn snippet_whole(generator: Option<&SnippetGenerator>, text: &str) -> Snippet {
    let mut s = snippet(generator, text, text.chars().count());
    if s.text.len() != text.len() {
        let offset = s.start;
        s.highlights = s.highlights.iter().map(|&(a, b)| (a + offset, b + offset)).collect();
        s.text = text.to_owned();
        s.start = 0;
    }
    s
}

/// An index being made again; see [`SearchIndex::rebuild`].
pub struct Rebuild<'a> {
    index: &'a SearchIndex,
    guard: MutexGuard<'a, Option<IndexWriter>>,
    committed: bool,
}

impl std::fmt::Debug for Rebuild<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rebuild").field("path", &self.index.path).finish_non_exhaustive()
    }
}

impl Rebuild<'_> {
    pub fn add(&mut self, articles: &[Article]) -> Result<(), SearchError> {
        match self.guard.as_ref() {
            Some(writer) => self.index.stage(writer, articles),
            None => Ok(()),
        }
    }

    /// Makes the new index the one searches see.
    pub fn commit(mut self) -> Result<(), SearchError> {
        if let Some(writer) = self.guard.as_mut() {
            writer.commit()?;
        }
        self.committed = true;
        self.index.reader.reload()?;
        Ok(())
    }
}

impl Drop for Rebuild<'_> {
    fn drop(&mut self) {
        // Not committed (an error, or the caller gave up): forget what was staged.
        if !self.committed
            && let Some(writer) = self.guard.as_mut()
        {
            let _ = writer.rollback();
        }
    }
}

impl Drop for SearchIndex {
    fn drop(&mut self) {
        let slot = self.writer.get_mut().map(Option::take).unwrap_or_else(|poisoned| poisoned.into_inner().take());
        if let Some(writer) = slot {
            // Let merges that are under way finish, so the folder is left tidy.
            let _ = writer.wait_merging_threads();
        }
    }
}

mod stem;

#[cfg(test)]
mod tests;
