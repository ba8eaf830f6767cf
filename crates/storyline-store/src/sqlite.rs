//! The embedded SQLite store: one file, `storyline.db`, in the data folder, in WAL mode so readers
//! never block the writer. Schema changes are numbered migrations tracked in `PRAGMA user_version`.

use crate::columns::{StoredRow, annotations_json, id_prefix, json, method_name, named_by, parse_id};
use crate::{ArticleHeader, BatchOutcome, EntitySummary, Store, StoreError, StoredMention, StoryLink};
use rusqlite::{Connection, OptionalExtension, Row, params};
use std::path::{Path, PathBuf};
use storyline_core::{Article, DocumentId};

/// Each entry moves the schema one version up; never edit a released one, append a new one.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE articles (
    seq                  INTEGER PRIMARY KEY AUTOINCREMENT,
    id                   TEXT NOT NULL UNIQUE,
    source               TEXT NOT NULL,
    media                TEXT NOT NULL,
    url                  TEXT,
    title                TEXT,
    outlet               TEXT,
    authors              TEXT NOT NULL,  -- JSON array of names
    published_date       TEXT,           -- YYYY-MM-DD
    published_datetime   TEXT,           -- RFC 3339
    published_confidence REAL NOT NULL,
    published_evidence   TEXT,
    published_method     TEXT,
    language             TEXT,
    encoding             TEXT NOT NULL,
    body                 TEXT NOT NULL,
    removed              TEXT NOT NULL,  -- JSON array of {text, reason}
    warnings             TEXT NOT NULL,  -- JSON array of strings
    stored_at            TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX articles_published ON articles(published_date);
CREATE INDEX articles_outlet ON articles(outlet);
"#,
    r#"
-- The annotate stage's output for the article: {"sentences": [...], "times": [...], "quantities": [...], "quotes": [...]}.
ALTER TABLE articles ADD COLUMN annotations TEXT NOT NULL DEFAULT '{}';
"#,
    r#"
-- Entity mentions, one row each, so that an entity's mentions across all articles are one index
-- lookup. Kept in step with the annotations column (which also gains an "entities" list): written
-- with the article, replaced when it is annotated again. Articles stored before this version get
-- theirs from `storyline reannotate`.
CREATE TABLE mentions (
    entity_id  TEXT NOT NULL,    -- kind/identity, e.g. person/kim-jong-un
    kind       TEXT NOT NULL,
    name       TEXT NOT NULL,    -- the entity's display name in that article
    article_id TEXT NOT NULL REFERENCES articles(id),
    text       TEXT NOT NULL,    -- the mention as written
    lower_text TEXT NOT NULL,    -- lowercase, for lookups by spelling
    start      INTEGER NOT NULL, -- byte offsets into the article body
    end        INTEGER NOT NULL
);
CREATE INDEX mentions_entity ON mentions(entity_id);
CREATE INDEX mentions_text ON mentions(lower_text);
CREATE INDEX mentions_article ON mentions(article_id);
"#,
    r#"
-- The link stage's verdict for each article: its story, and the article it is a syndicated copy
-- of. Replaced whole, in one transaction, each time the stored articles are linked.
CREATE TABLE story_links (
    article_id TEXT PRIMARY KEY REFERENCES articles(id),
    story_id   TEXT NOT NULL,
    copy_of    TEXT REFERENCES articles(id)
);
CREATE INDEX story_links_story ON story_links(story_id);
"#,
];

/// The embedded store.
#[derive(Debug)]
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
}

impl SqliteStore {
    /// Opens (creating if needed) the store in `data_dir`.
    pub fn open(data_dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(data_dir)
            .map_err(|source| StoreError::DataDir { path: data_dir.display().to_string(), source })?;
        let path = data_dir.join("storyline.db");
        let conn = Connection::open(&path)?;
        // First, so that opening beside another process that is creating or migrating the same
        // file waits for it instead of failing with "database is locked".
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        set_wal(&conn)?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        let mut store = SqliteStore { conn, path };
        store.migrate()?;
        Ok(store)
    }

    /// Where the database file is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let version: i64 = self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let supported = MIGRATIONS.len() as i64;
        if version > supported {
            return Err(StoreError::TooNew { path: self.path.display().to_string(), found: version, supported });
        }
        if version == supported {
            return Ok(());
        }
        // Immediate: the write lock is taken (waiting for it) before the version is read again,
        // so two processes opening a new store at once migrate it once, one after the other.
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let version: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        for (index, migration) in MIGRATIONS.iter().enumerate().skip(usize::try_from(version).unwrap_or(0)) {
            tx.execute_batch(migration)?;
            tx.pragma_update(None, "user_version", index as i64 + 1)?;
        }
        tx.commit()?;
        Ok(())
    }
}

/// Puts the file in WAL mode (it stays so). Switching takes a lock that SQLite does not wait for,
/// so when another process is creating the same store at that moment, it is tried again.
fn set_wal(conn: &Connection) -> Result<(), StoreError> {
    let mut tries = 0;
    loop {
        let mode: rusqlite::Result<String> = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0));
        let result = match mode {
            Ok(mode) if mode.eq_ignore_ascii_case("wal") => return Ok(()),
            Ok(_) => conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0)).map(drop),
            Err(err) => Err(err),
        };
        match result {
            Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::DatabaseBusy && tries < 250 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(err) => return Err(err.into()),
            Ok(()) => {}
        }
    }
}

const COLUMNS: &str = "id, source, media, url, title, outlet, authors, published_date, published_datetime, \
    published_confidence, published_evidence, published_method, language, encoding, body, removed, warnings, annotations";

impl Store for SqliteStore {
    fn contains(&self, id: &DocumentId) -> Result<bool, StoreError> {
        let found = self
            .conn
            .prepare_cached("SELECT 1 FROM articles WHERE id = ?1")?
            .query_row([id.as_str()], |_| Ok(()))
            .optional()?;
        Ok(found.is_some())
    }

    fn put_articles(&mut self, batch: &[Article]) -> Result<BatchOutcome, StoreError> {
        let tx = self.conn.transaction()?;
        let mut outcome = BatchOutcome::default();
        {
            let mut insert = tx.prepare_cached(&format!(
                "INSERT OR IGNORE INTO articles ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)"
            ))?;
            for a in batch {
                let changed = insert.execute(params![
                    a.id.as_str(),
                    a.source,
                    a.media.as_str(),
                    a.url,
                    a.title,
                    a.outlet,
                    json(&a.authors),
                    a.published.date.map(|d| d.format("%Y-%m-%d").to_string()),
                    a.published.datetime.map(|d| d.to_rfc3339()),
                    f64::from(a.published.confidence),
                    a.published.evidence,
                    method_name(a),
                    a.language,
                    a.encoding,
                    a.body,
                    json(&a.removed),
                    json(&a.warnings),
                    annotations_json(a),
                ])?;
                if changed == 1 {
                    outcome.added += 1;
                    insert_mentions(&tx, a)?;
                } else {
                    outcome.already_stored += 1;
                }
            }
        }
        tx.commit()?;
        Ok(outcome)
    }

    fn article(&self, id_or_prefix: &str) -> Result<Option<Article>, StoreError> {
        let Some(prefix) = id_prefix(id_or_prefix) else { return Ok(None) };
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM articles WHERE id >= ?1 AND id < ?1 || 'g' ORDER BY id LIMIT 2"
        ))?;
        let rows: Vec<Article> = stmt.query_map([&prefix], read_row)?.collect::<Result<Result<Vec<_>, _>, _>>()??;
        match rows.len() {
            0 => Ok(None),
            1 => Ok(rows.into_iter().next()),
            _ => {
                let count: i64 = self.conn.query_row(
                    "SELECT count(*) FROM articles WHERE id >= ?1 AND id < ?1 || 'g'",
                    [&prefix],
                    |r| r.get(0),
                )?;
                Err(StoreError::Ambiguous { prefix, count: usize::try_from(count).unwrap_or(usize::MAX) })
            }
        }
    }

    fn for_each_article(&self, visit: &mut dyn FnMut(Article)) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!("SELECT {COLUMNS} FROM articles ORDER BY seq"))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            visit(read_row(row)??);
        }
        Ok(())
    }

    fn count(&self) -> Result<u64, StoreError> {
        let count: i64 = self.conn.query_row("SELECT count(*) FROM articles", [], |r| r.get(0))?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    fn ids(&self) -> Result<Vec<DocumentId>, StoreError> {
        let mut stmt = self.conn.prepare_cached("SELECT id FROM articles ORDER BY seq")?;
        let ids = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
        ids.into_iter()
            .map(|id| DocumentId::parse(&id).ok_or_else(|| StoreError::Corrupt { id, message: "malformed id".into() }))
            .collect()
    }

    fn update_annotations(&mut self, batch: &[Article]) -> Result<usize, StoreError> {
        let tx = self.conn.transaction()?;
        let mut updated = 0;
        {
            let mut update = tx.prepare_cached("UPDATE articles SET annotations = ?2 WHERE id = ?1")?;
            for a in batch {
                let changed = update.execute(params![a.id.as_str(), annotations_json(a)])?;
                if changed == 1 {
                    tx.execute("DELETE FROM mentions WHERE article_id = ?1", [a.id.as_str()])?;
                    insert_mentions(&tx, a)?;
                }
                updated += changed;
            }
        }
        tx.commit()?;
        Ok(updated)
    }

    fn replace_story_links(&mut self, links: &[StoryLink]) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM story_links", [])?;
        upsert_links(&tx, links)?;
        tx.commit()?;
        Ok(())
    }

    fn story_links(&self) -> Result<Vec<StoryLink>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached("SELECT article_id, story_id, copy_of FROM story_links ORDER BY story_id, article_id")?;
        read_links(statement.query([])?)
    }

    fn put_story_links(&mut self, links: &[StoryLink]) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        upsert_links(&tx, links)?;
        tx.commit()?;
        Ok(())
    }

    fn story_of(&self, article: &DocumentId) -> Result<Option<String>, StoreError> {
        let mut statement = self.conn.prepare_cached("SELECT story_id FROM story_links WHERE article_id = ?1")?;
        Ok(statement.query_row([article.as_str()], |r| r.get(0)).optional()?)
    }

    fn story_members(&self, story: &str) -> Result<Vec<StoryLink>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT article_id, story_id, copy_of FROM story_links WHERE story_id = ?1 ORDER BY article_id",
        )?;
        read_links(statement.query([story])?)
    }

    fn headers(&self) -> Result<Vec<ArticleHeader>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT id, title, outlet, published_date, language, published_datetime FROM articles ORDER BY seq",
        )?;
        let mut rows = statement.query([])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            let date: Option<String> = row.get(3)?;
            out.push(ArticleHeader {
                id: parse_id(&id)?,
                title: row.get(1)?,
                outlet: row.get(2)?,
                published: date.and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
                language: row.get(4)?,
                published_at: row
                    .get::<_, Option<String>>(5)?
                    .and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok()),
            });
        }
        Ok(out)
    }

    fn entities(&self) -> Result<Vec<EntitySummary>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT entity_id, kind, name, count(DISTINCT article_id), count(*) FROM mentions \
             GROUP BY entity_id, kind, name ORDER BY entity_id, kind, name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })?;
        let mut grouped = Vec::new();
        for row in rows {
            grouped.push(row?);
        }
        Ok(crate::summarise_entities(grouped))
    }

    fn resolve_entity(&self, query: &str) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT entity_id FROM mentions WHERE {NAMED_BY} GROUP BY entity_id ORDER BY count(*) DESC, entity_id"
        ))?;
        let rows = stmt.query_map(named_by(query), |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn entity_names(&self, ids: &[String]) -> Result<std::collections::HashMap<String, String>, StoreError> {
        let mut stmt = self.conn.prepare_cached("SELECT name FROM mentions WHERE entity_id = ?1 LIMIT 1")?;
        let mut names = std::collections::HashMap::with_capacity(ids.len());
        for id in ids {
            if let Some(name) = stmt.query_row([id], |r| r.get::<_, String>(0)).optional()? {
                names.insert(id.clone(), name);
            }
        }
        Ok(names)
    }

    fn entity_mentions(&self, query: &str) -> Result<Vec<StoredMention>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT m.entity_id, m.name, m.article_id, m.text, m.start, m.end FROM mentions m \
             JOIN articles a ON a.id = m.article_id \
             WHERE m.entity_id IN (SELECT entity_id FROM mentions WHERE {NAMED_BY}) \
             ORDER BY a.seq, m.start"
        ))?;
        let rows = stmt.query_map(named_by(query), |r| {
            Ok(StoredMention {
                entity_id: r.get(0)?,
                name: r.get(1)?,
                article_id: r.get(2)?,
                text: r.get(3)?,
                start: usize::try_from(r.get::<_, i64>(4)?).unwrap_or(0),
                end: usize::try_from(r.get::<_, i64>(5)?).unwrap_or(0),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// Writes story links, replacing those of the same articles.
fn upsert_links(tx: &rusqlite::Transaction<'_>, links: &[StoryLink]) -> Result<(), StoreError> {
    let mut upsert = tx.prepare_cached(
        "INSERT INTO story_links (article_id, story_id, copy_of) VALUES (?1, ?2, ?3) \
         ON CONFLICT(article_id) DO UPDATE SET story_id = excluded.story_id, copy_of = excluded.copy_of",
    )?;
    for link in links {
        upsert.execute(params![link.article.as_str(), link.story, link.copy_of.as_ref().map(DocumentId::as_str)])?;
    }
    Ok(())
}

/// Which mentions' entities a query names: an entity id (?1), an identity under any kind (?2),
/// or a spelling used in some article (?3, any case). Its parameters come from [`named_by`].
const NAMED_BY: &str = "entity_id = ?1 \
    OR entity_id IN ('person/' || ?2, 'org/' || ?2, 'place/' || ?2, 'nationality/' || ?2) \
    OR lower_text = ?3";

/// Story links from rows of (article_id, story_id, copy_of).
fn read_links(mut rows: rusqlite::Rows<'_>) -> Result<Vec<StoryLink>, StoreError> {
    let mut links = Vec::new();
    while let Some(row) = rows.next()? {
        let article: String = row.get(0)?;
        let copy_of: Option<String> = row.get(2)?;
        links.push(StoryLink {
            article: parse_id(&article)?,
            story: row.get(1)?,
            copy_of: copy_of.as_deref().map(parse_id).transpose()?,
        });
    }
    Ok(links)
}

/// Indexes an article's entity mentions.
fn insert_mentions(tx: &rusqlite::Transaction<'_>, a: &Article) -> Result<(), StoreError> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO mentions (entity_id, kind, name, article_id, text, lower_text, start, end) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for e in &a.entities {
        for m in &e.mentions {
            insert.execute(params![
                e.id,
                e.kind.as_str(),
                e.name,
                a.id.as_str(),
                m.text,
                m.text.to_lowercase(),
                m.start as i64,
                m.end as i64
            ])?;
        }
    }
    Ok(())
}

/// Reads one row; the outer error is SQLite's, the inner one a corrupt record.
fn read_row(row: &Row<'_>) -> rusqlite::Result<Result<Article, StoreError>> {
    Ok(StoredRow {
        id: row.get(0)?,
        source: row.get(1)?,
        media: row.get(2)?,
        url: row.get(3)?,
        title: row.get(4)?,
        outlet: row.get(5)?,
        authors: row.get(6)?,
        published_date: row.get(7)?,
        published_datetime: row.get(8)?,
        published_confidence: row.get(9)?,
        published_evidence: row.get(10)?,
        published_method: row.get(11)?,
        language: row.get(12)?,
        encoding: row.get(13)?,
        body: row.get(14)?,
        removed: row.get(15)?,
        warnings: row.get(16)?,
        annotations: row.get(17)?,
    }
    .decode())
}
