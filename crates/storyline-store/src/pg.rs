//! The PostgreSQL store: the same records as the SQLite store, in a database every node of a
//! cluster shares. Schema changes are the numbered SQL files in `migrations/postgres/`, applied in
//! order under an advisory lock (so nodes starting together migrate once) and tracked in
//! `storyline_schema`.
//!
//! Batches are written with one statement per table (arrays unnested server-side), so a batch of
//! articles costs a few round trips whatever its size. Inserts are sorted by id, so two nodes
//! writing overlapping batches wait for each other instead of deadlocking. Every commit that adds
//! articles or changes story links also sends a notification (`storyline_articles` with the new
//! ids, `storyline_stories`), delivered by PostgreSQL only if the transaction commits: that is the
//! change stream the API nodes' search replicas follow.
//!
//! The cluster's linker also finds here what it needs and the trait does not say: the articles
//! not linked yet, the linker's lock, and the record of its last whole pass.

use std::borrow::Cow;
use std::cell::RefCell;
use std::time::Duration;

use crate::columns::{StoredRow, annotations_json, id_prefix, json, method_name, named_by, parse_id};
use crate::{ArticleHeader, BatchOutcome, EntitySummary, Store, StoreError, StoredMention, StoryLink};
use postgres::{Client, NoTls, Row};
use storyline_core::{Article, DocumentId};

/// Each entry moves the schema one version up; never edit a released one, append a new file.
const MIGRATIONS: &[&str] = &[include_str!("../migrations/postgres/0001_initial.sql")];

/// Advisory lock keys (arbitrary constants, "stor" and "link" in ASCII).
const MIGRATION_LOCK: i64 = 0x73746f72;
const LINKER_LOCK: i64 = 0x6c696e6b;

/// The notification channel that carries the ids of newly stored articles (comma-separated).
pub const ARTICLES_CHANNEL: &str = "storyline_articles";
/// The notification channel that says story links changed.
pub const STORIES_CHANNEL: &str = "storyline_stories";
/// PostgreSQL refuses notification payloads of 8,000 bytes or more.
const PAYLOAD_BYTES: usize = 7_000;

const COLUMNS: &str = "id, source, media, url, title, outlet, authors, published_date, published_datetime, \
    published_confidence, published_evidence, published_method, language, encoding, body, removed, warnings, annotations";

/// A store in a PostgreSQL database, one connection. Not for use inside an async runtime's
/// worker threads (the client blocks): call it from plain threads or a blocking pool.
pub struct PgStore {
    client: RefCell<Client>,
    /// The address without its password, for messages.
    address: String,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore").field("address", &self.address).finish_non_exhaustive()
    }
}

/// A notification received on a channel this connection listens to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub channel: String,
    pub payload: String,
}

/// What the linker has done, as the store records it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LinkState {
    /// Articles stored.
    pub articles: u64,
    /// Articles with no story link yet.
    pub unlinked: u64,
    /// How many articles the linker's last whole pass linked (0 before the first).
    pub settled: u64,
}

/// `postgres://user:secret@host/db` as `postgres://user@host/db`.
pub fn redacted(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{}{}", &url[..scheme + 3], user, &url[at..])
        }
        _ => url.to_owned(),
    }
}

/// Makes a new, empty database on the server at `admin_url` (whose user may create databases),
/// named `storyline_{label}_{pid}_{n}`, and returns its address: scratch stores for tests and
/// benchmarks. Nothing ever drops it; the server's folder is thrown away whole.
pub fn scratch_database(admin_url: &str, label: &str) -> Result<String, StoreError> {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let label: String = label.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_lowercase();
    let name = format!("storyline_{label}_{}_{n}", std::process::id());
    let mut admin = Client::connect(admin_url, NoTls)
        .map_err(|source| StoreError::Connect { address: redacted(admin_url), source })?;
    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))?;
    admin.batch_execute(&format!("CREATE DATABASE {name}"))?;
    let base = match admin_url.split_once('?') {
        Some((base, _)) => base,
        None => admin_url,
    };
    let root = match base.rfind('/') {
        Some(slash) if slash > base.find("://").map_or(0, |s| s + 2) => &base[..slash],
        _ => base,
    };
    Ok(format!("{root}/{name}"))
}

/// PostgreSQL text cannot hold NUL characters; they carry nothing in an article, so they are dropped.
fn text(s: &str) -> Cow<'_, str> {
    if s.contains('\0') { Cow::Owned(s.replace('\0', "")) } else { Cow::Borrowed(s) }
}

fn opt_text(s: &Option<String>) -> Option<String> {
    s.as_deref().map(|s| text(s).into_owned())
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://user:password@host:port/dbname`, or the
    /// key=value form) and brings its schema up to date. The connection is not encrypted: run it
    /// on a trusted network or through a tunnel (docs/cluster.md).
    pub fn connect(url: &str) -> Result<Self, StoreError> {
        let address = redacted(url);
        let client =
            Client::connect(url, NoTls).map_err(|source| StoreError::Connect { address: address.clone(), source })?;
        let store = PgStore { client: RefCell::new(client), address };
        store.migrate()?;
        Ok(store)
    }

    /// Where the store is, without the password.
    pub fn address(&self) -> &str {
        &self.address
    }

    fn migrate(&self) -> Result<(), StoreError> {
        let mut client = self.client.borrow_mut();
        let mut tx = client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
        tx.batch_execute("CREATE TABLE IF NOT EXISTS storyline_schema (version INTEGER NOT NULL)")?;
        let version: i32 = tx.query_one("SELECT coalesce(max(version), 0) FROM storyline_schema", &[])?.get(0);
        let supported = MIGRATIONS.len() as i64;
        if i64::from(version) > supported {
            return Err(StoreError::TooNew { path: self.address.clone(), found: i64::from(version), supported });
        }
        for (index, migration) in MIGRATIONS.iter().enumerate().skip(usize::try_from(version).unwrap_or(0)) {
            tx.batch_execute(migration)?;
            let next = i32::try_from(index + 1).unwrap_or(i32::MAX);
            tx.execute("DELETE FROM storyline_schema", &[])?;
            tx.execute("INSERT INTO storyline_schema (version) VALUES ($1)", &[&next])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Stored articles that no story link names yet, in storing order, at most `limit`.
    pub fn unlinked(&self, limit: usize) -> Result<Vec<Article>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = self.client.borrow_mut().query(
            &format!(
                "SELECT {COLUMNS} FROM articles a WHERE NOT EXISTS \
                 (SELECT 1 FROM story_links l WHERE l.article_id = a.id) ORDER BY a.seq LIMIT $1"
            ),
            &[&limit],
        )?;
        rows.iter().map(read_row).collect()
    }

    /// Takes the cluster's linker lock for this connection's lifetime, unless another holds it.
    /// The lock ends with the connection, so a linker that dies hands it on; links written
    /// through this same connection are fenced by it.
    pub fn try_lock_linker(&self) -> Result<bool, StoreError> {
        Ok(self.client.borrow_mut().query_one("SELECT pg_try_advisory_lock($1)", &[&LINKER_LOCK])?.get(0))
    }

    /// Records that a whole pass linked `articles` articles.
    pub fn mark_settled(&self, articles: u64) -> Result<(), StoreError> {
        let articles = i64::try_from(articles).unwrap_or(i64::MAX);
        self.client.borrow_mut().execute("UPDATE link_state SET settled = $1, settled_at = now()", &[&articles])?;
        Ok(())
    }

    /// What the linker has done so far.
    pub fn link_state(&self) -> Result<LinkState, StoreError> {
        let row = self.client.borrow_mut().query_one(
            "SELECT (SELECT count(*) FROM articles), \
                    (SELECT count(*) FROM articles a WHERE NOT EXISTS \
                        (SELECT 1 FROM story_links l WHERE l.article_id = a.id)), \
                    (SELECT settled FROM link_state)",
            &[],
        )?;
        let count = |i: usize| u64::try_from(row.get::<_, i64>(i)).unwrap_or(0);
        Ok(LinkState { articles: count(0), unlinked: count(1), settled: count(2) })
    }

    /// How many articles were stored in the last `window`.
    pub fn stored_within(&self, window: Duration) -> Result<u64, StoreError> {
        let seconds = window.as_secs_f64();
        let row = self.client.borrow_mut().query_one(
            "SELECT count(*) FROM articles WHERE stored_at > now() - make_interval(secs => $1)",
            &[&seconds],
        )?;
        Ok(u64::try_from(row.get::<_, i64>(0)).unwrap_or(0))
    }

    /// Listens on these notification channels from now on.
    pub fn listen(&self, channels: &[&str]) -> Result<(), StoreError> {
        let mut client = self.client.borrow_mut();
        for channel in channels {
            client.batch_execute(&format!("LISTEN {channel}"))?;
        }
        Ok(())
    }

    /// The notifications that arrive within `wait` (those already received first; returns as
    /// soon as there is at least one and no more are immediately at hand).
    pub fn notices(&self, wait: Duration) -> Result<Vec<Notice>, StoreError> {
        use postgres::fallible_iterator::FallibleIterator;
        let mut client = self.client.borrow_mut();
        let mut notifications = client.notifications();
        let mut out = Vec::new();
        let mut iter = notifications.timeout_iter(wait);
        while let Some(n) = iter.next()? {
            out.push(Notice { channel: n.channel().to_owned(), payload: n.payload().to_owned() });
            if out.len() >= 1_000 {
                break;
            }
        }
        Ok(out)
    }
}

/// Sends `ids` on `channel` inside the transaction, in payloads under PostgreSQL's limit.
fn notify_ids(tx: &mut postgres::Transaction<'_>, channel: &str, ids: &[&str]) -> Result<(), StoreError> {
    let mut payload = String::new();
    for id in ids {
        if payload.len() + id.len() + 1 > PAYLOAD_BYTES {
            tx.execute("SELECT pg_notify($1, $2)", &[&channel, &payload])?;
            payload.clear();
        }
        if !payload.is_empty() {
            payload.push(',');
        }
        payload.push_str(id);
    }
    if !payload.is_empty() {
        tx.execute("SELECT pg_notify($1, $2)", &[&channel, &payload])?;
    }
    Ok(())
}

/// Indexes the entity mentions of these articles, one statement.
fn insert_mentions(tx: &mut postgres::Transaction<'_>, articles: &[&Article]) -> Result<(), StoreError> {
    let (mut entity, mut kind, mut name, mut article, mut written, mut lower, mut start, mut end) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for a in articles {
        for e in &a.entities {
            for m in &e.mentions {
                entity.push(text(&e.id).into_owned());
                kind.push(e.kind.as_str());
                name.push(text(&e.name).into_owned());
                article.push(a.id.as_str());
                written.push(text(&m.text).into_owned());
                lower.push(text(&m.text.to_lowercase()).into_owned());
                start.push(i64::try_from(m.start).unwrap_or(i64::MAX));
                end.push(i64::try_from(m.end).unwrap_or(i64::MAX));
            }
        }
    }
    if entity.is_empty() {
        return Ok(());
    }
    tx.execute(
        "INSERT INTO mentions (entity_id, kind, name, article_id, text, lower_text, start_byte, end_byte) \
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int8[], $8::int8[])",
        &[&entity, &kind, &name, &article, &written, &lower, &start, &end],
    )?;
    Ok(())
}

/// Writes story links, replacing those of the same articles (the last one given for an article wins).
fn upsert_links(tx: &mut postgres::Transaction<'_>, links: &[StoryLink]) -> Result<(), StoreError> {
    let mut last: std::collections::HashMap<&str, &StoryLink> = std::collections::HashMap::with_capacity(links.len());
    for link in links {
        last.insert(link.article.as_str(), link);
    }
    let mut ordered: Vec<&StoryLink> = last.into_values().collect();
    ordered.sort_by(|a, b| a.article.cmp(&b.article));
    let articles: Vec<&str> = ordered.iter().map(|l| l.article.as_str()).collect();
    let stories: Vec<&str> = ordered.iter().map(|l| l.story.as_str()).collect();
    let copies: Vec<Option<&str>> = ordered.iter().map(|l| l.copy_of.as_ref().map(DocumentId::as_str)).collect();
    if !articles.is_empty() {
        tx.execute(
            "INSERT INTO story_links (article_id, story_id, copy_of) \
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) \
             ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id, copy_of = excluded.copy_of",
            &[&articles, &stories, &copies],
        )?;
    }
    tx.execute("SELECT pg_notify($1, '')", &[&STORIES_CHANNEL])?;
    Ok(())
}

fn read_links(rows: &[Row]) -> Result<Vec<StoryLink>, StoreError> {
    rows.iter()
        .map(|row| {
            let copy_of: Option<String> = row.try_get(2)?;
            Ok(StoryLink {
                article: parse_id(row.try_get(0)?)?,
                story: row.try_get(1)?,
                copy_of: copy_of.as_deref().map(parse_id).transpose()?,
            })
        })
        .collect()
}

fn read_row(row: &Row) -> Result<Article, StoreError> {
    let date: Option<chrono::NaiveDate> = row.try_get(7)?;
    StoredRow {
        id: row.try_get(0)?,
        source: row.try_get(1)?,
        media: row.try_get(2)?,
        url: row.try_get(3)?,
        title: row.try_get(4)?,
        outlet: row.try_get(5)?,
        authors: row.try_get(6)?,
        published_date: date.map(|d| d.format("%Y-%m-%d").to_string()),
        published_datetime: row.try_get(8)?,
        published_confidence: row.try_get(9)?,
        published_evidence: row.try_get(10)?,
        published_method: row.try_get(11)?,
        language: row.try_get(12)?,
        encoding: row.try_get(13)?,
        body: row.try_get(14)?,
        removed: row.try_get(15)?,
        warnings: row.try_get(16)?,
        annotations: row.try_get(17)?,
    }
    .decode()
}

fn count(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

impl Store for PgStore {
    fn contains(&self, id: &DocumentId) -> Result<bool, StoreError> {
        let rows = self.client.borrow_mut().query("SELECT 1 FROM articles WHERE id = $1", &[&id.as_str()])?;
        Ok(!rows.is_empty())
    }

    fn put_articles(&mut self, batch: &[Article]) -> Result<BatchOutcome, StoreError> {
        if batch.is_empty() {
            return Ok(BatchOutcome::default());
        }
        let mut client = self.client.borrow_mut();
        let mut tx = client.transaction()?;
        // Storing order is the batch's order (as in SQLite): sequence numbers are drawn for the
        // batch first. Rows are then inserted sorted by id, so concurrent writers of overlapping
        // batches take their row locks in one order and wait for each other instead of deadlocking.
        let n = i64::try_from(batch.len()).unwrap_or(i64::MAX);
        let drawn: Vec<i64> = tx
            .query(
                "SELECT nextval(pg_get_serial_sequence('articles', 'seq')) FROM generate_series(1, $1::int8)",
                &[&n],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let mut order: Vec<usize> = (0..batch.len()).collect();
        order.sort_by(|&a, &b| batch[a].id.cmp(&batch[b].id));
        let seqs: Vec<i64> = order.iter().map(|&i| drawn.get(i).copied().unwrap_or_default()).collect();
        let sorted: Vec<&Article> = order.iter().map(|&i| &batch[i]).collect();
        let s = |f: fn(&Article) -> &str| -> Vec<String> { sorted.iter().map(|a| text(f(a)).into_owned()).collect() };
        let o = |f: fn(&Article) -> &Option<String>| -> Vec<Option<String>> {
            sorted.iter().map(|a| opt_text(f(a))).collect()
        };
        let ids: Vec<&str> = sorted.iter().map(|a| a.id.as_str()).collect();
        let media: Vec<&str> = sorted.iter().map(|a| a.media.as_str()).collect();
        let authors: Vec<String> = sorted.iter().map(|a| text(&json(&a.authors)).into_owned()).collect();
        let dates: Vec<Option<chrono::NaiveDate>> = sorted.iter().map(|a| a.published.date).collect();
        let datetimes: Vec<Option<String>> =
            sorted.iter().map(|a| a.published.datetime.map(|d| d.to_rfc3339())).collect();
        let confidence: Vec<f64> = sorted.iter().map(|a| f64::from(a.published.confidence)).collect();
        let evidence: Vec<Option<String>> = sorted.iter().map(|a| opt_text(&a.published.evidence)).collect();
        let methods: Vec<Option<String>> = sorted.iter().map(|a| method_name(a)).collect();
        let removed: Vec<String> = sorted.iter().map(|a| text(&json(&a.removed)).into_owned()).collect();
        let warnings: Vec<String> = sorted.iter().map(|a| text(&json(&a.warnings)).into_owned()).collect();
        let annotations: Vec<String> = sorted.iter().map(|a| text(&annotations_json(a)).into_owned()).collect();
        let (source, url, title, outlet) = (s(|a| &a.source), o(|a| &a.url), o(|a| &a.title), o(|a| &a.outlet));
        let (language, encoding, body) = (o(|a| &a.language), s(|a| &a.encoding), s(|a| &a.body));
        let inserted = tx.query(
            &format!(
                "INSERT INTO articles ({COLUMNS}, seq) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], \
                 $4::text[], $5::text[], $6::text[], $7::text[], $8::date[], $9::text[], $10::float8[], $11::text[], \
                 $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[], $19::int8[]) \
                 ON CONFLICT (id) DO NOTHING RETURNING id"
            ),
            &[
                &ids,
                &source,
                &media,
                &url,
                &title,
                &outlet,
                &authors,
                &dates,
                &datetimes,
                &confidence,
                &evidence,
                &methods,
                &language,
                &encoding,
                &body,
                &removed,
                &warnings,
                &annotations,
                &seqs,
            ],
        )?;
        let added: std::collections::HashSet<String> = inserted.iter().map(|r| r.get::<_, String>(0)).collect();
        let mut fresh: Vec<&Article> = Vec::with_capacity(added.len());
        let mut seen = std::collections::HashSet::with_capacity(added.len());
        for a in &sorted {
            if added.contains(a.id.as_str()) && seen.insert(a.id.as_str()) {
                fresh.push(a);
            }
        }
        insert_mentions(&mut tx, &fresh)?;
        let fresh_ids: Vec<&str> = fresh.iter().map(|a| a.id.as_str()).collect();
        notify_ids(&mut tx, ARTICLES_CHANNEL, &fresh_ids)?;
        tx.commit()?;
        Ok(BatchOutcome { added: fresh.len(), already_stored: batch.len() - fresh.len() })
    }

    fn article(&self, id_or_prefix: &str) -> Result<Option<Article>, StoreError> {
        let Some(prefix) = id_prefix(id_or_prefix) else { return Ok(None) };
        let upper = format!("{prefix}g");
        let mut client = self.client.borrow_mut();
        let rows = client.query(
            &format!("SELECT {COLUMNS} FROM articles WHERE id >= $1 AND id < $2 ORDER BY id LIMIT 2"),
            &[&prefix, &upper],
        )?;
        match rows.as_slice() {
            [] => Ok(None),
            [one] => read_row(one).map(Some),
            _ => {
                let row =
                    client.query_one("SELECT count(*) FROM articles WHERE id >= $1 AND id < $2", &[&prefix, &upper])?;
                Err(StoreError::Ambiguous {
                    prefix,
                    count: usize::try_from(row.get::<_, i64>(0)).unwrap_or(usize::MAX),
                })
            }
        }
    }

    fn for_each_article(&self, visit: &mut dyn FnMut(Article)) -> Result<(), StoreError> {
        // In pages by storing order, so memory stays bounded and the connection is free while
        // `visit` runs.
        const PAGE: i64 = 256;
        let mut after = 0i64;
        loop {
            let rows = self.client.borrow_mut().query(
                &format!("SELECT {COLUMNS}, seq FROM articles WHERE seq > $1 ORDER BY seq LIMIT $2"),
                &[&after, &PAGE],
            )?;
            let Some(last) = rows.last() else { return Ok(()) };
            after = last.try_get(18)?;
            for row in &rows {
                visit(read_row(row)?);
            }
            if (rows.len() as i64) < PAGE {
                return Ok(());
            }
        }
    }

    fn count(&self) -> Result<u64, StoreError> {
        Ok(count(self.client.borrow_mut().query_one("SELECT count(*) FROM articles", &[])?.get(0)))
    }

    fn ids(&self) -> Result<Vec<DocumentId>, StoreError> {
        let rows = self.client.borrow_mut().query("SELECT id FROM articles ORDER BY seq", &[])?;
        rows.iter().map(|r| parse_id(r.try_get(0)?)).collect()
    }

    fn update_annotations(&mut self, batch: &[Article]) -> Result<usize, StoreError> {
        let mut sorted: Vec<&Article> = batch.iter().collect();
        sorted.sort_by(|a, b| a.id.cmp(&b.id));
        let mut client = self.client.borrow_mut();
        let mut tx = client.transaction()?;
        let update = tx.prepare("UPDATE articles SET annotations = $2 WHERE id = $1")?;
        let mut updated = Vec::with_capacity(sorted.len());
        for a in sorted {
            if tx.execute(&update, &[&a.id.as_str(), &text(&annotations_json(a)).as_ref()])? == 1 {
                tx.execute("DELETE FROM mentions WHERE article_id = $1", &[&a.id.as_str()])?;
                updated.push(a);
            }
        }
        insert_mentions(&mut tx, &updated)?;
        tx.commit()?;
        Ok(updated.len())
    }

    fn replace_story_links(&mut self, links: &[StoryLink]) -> Result<(), StoreError> {
        let mut client = self.client.borrow_mut();
        let mut tx = client.transaction()?;
        tx.execute("DELETE FROM story_links", &[])?;
        upsert_links(&mut tx, links)?;
        tx.commit()?;
        Ok(())
    }

    fn story_links(&self) -> Result<Vec<StoryLink>, StoreError> {
        let rows = self
            .client
            .borrow_mut()
            .query("SELECT article_id, story_id, copy_of FROM story_links ORDER BY story_id, article_id", &[])?;
        read_links(&rows)
    }

    fn put_story_links(&mut self, links: &[StoryLink]) -> Result<(), StoreError> {
        let mut client = self.client.borrow_mut();
        let mut tx = client.transaction()?;
        upsert_links(&mut tx, links)?;
        tx.commit()?;
        Ok(())
    }

    fn story_of(&self, article: &DocumentId) -> Result<Option<String>, StoreError> {
        let rows = self
            .client
            .borrow_mut()
            .query("SELECT story_id FROM story_links WHERE article_id = $1", &[&article.as_str()])?;
        Ok(rows.first().map(|r| r.try_get(0)).transpose()?)
    }

    fn story_members(&self, story: &str) -> Result<Vec<StoryLink>, StoreError> {
        let rows = self.client.borrow_mut().query(
            "SELECT article_id, story_id, copy_of FROM story_links WHERE story_id = $1 ORDER BY article_id",
            &[&story],
        )?;
        read_links(&rows)
    }

    fn is_closed(&self) -> bool {
        self.client.borrow().is_closed()
    }

    fn articles(&self, ids: &[DocumentId]) -> Result<Vec<Article>, StoreError> {
        // One round trip per few hundred, not per article: the linker's whole pass reads every article.
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let wanted: Vec<&str> = chunk.iter().map(DocumentId::as_str).collect();
            let rows = self
                .client
                .borrow_mut()
                .query(&format!("SELECT {COLUMNS} FROM articles WHERE id = ANY($1)"), &[&wanted])?;
            let mut found: std::collections::HashMap<String, Article> =
                std::collections::HashMap::with_capacity(rows.len());
            for row in &rows {
                let article = read_row(row)?;
                found.insert(article.id.as_str().to_owned(), article);
            }
            out.extend(wanted.iter().filter_map(|id| found.remove(*id)));
        }
        Ok(out)
    }

    fn headers(&self) -> Result<Vec<ArticleHeader>, StoreError> {
        let rows = self.client.borrow_mut().query(
            "SELECT id, title, outlet, published_date, language, published_datetime FROM articles ORDER BY seq",
            &[],
        )?;
        rows.iter()
            .map(|row| {
                Ok(ArticleHeader {
                    id: parse_id(row.try_get(0)?)?,
                    title: row.try_get(1)?,
                    outlet: row.try_get(2)?,
                    published: row.try_get(3)?,
                    language: row.try_get(4)?,
                    published_at: row
                        .try_get::<_, Option<String>>(5)?
                        .and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok()),
                })
            })
            .collect()
    }

    fn entities(&self) -> Result<Vec<EntitySummary>, StoreError> {
        let rows = self.client.borrow_mut().query(
            "SELECT entity_id, kind, name, count(DISTINCT article_id), count(*) FROM mentions \
             GROUP BY entity_id, kind, name ORDER BY entity_id, kind COLLATE \"C\", name COLLATE \"C\"",
            &[],
        )?;
        let mut grouped = Vec::with_capacity(rows.len());
        for row in &rows {
            grouped.push((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?, row.try_get(3)?, row.try_get(4)?));
        }
        Ok(crate::summarise_entities(grouped))
    }

    fn resolve_entity(&self, query: &str) -> Result<Vec<String>, StoreError> {
        let params = named_by(query);
        let rows = self.client.borrow_mut().query(
            &format!(
                "SELECT entity_id FROM mentions WHERE {NAMED_BY} GROUP BY entity_id ORDER BY count(*) DESC, entity_id"
            ),
            &[&params[0], &params[1], &params[2]],
        )?;
        rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
    }

    fn entity_names(&self, ids: &[String]) -> Result<std::collections::HashMap<String, String>, StoreError> {
        let rows = self.client.borrow_mut().query(
            // The name of its first mention in storing order, as SQLite's rowid order gives it.
            "SELECT DISTINCT ON (m.entity_id) m.entity_id, m.name FROM mentions m \
             JOIN articles a ON a.id = m.article_id WHERE m.entity_id = ANY($1) ORDER BY m.entity_id, a.seq, m.start_byte",
            &[&ids],
        )?;
        rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
    }

    fn entity_mentions(&self, query: &str) -> Result<Vec<StoredMention>, StoreError> {
        let params = named_by(query);
        let rows = self.client.borrow_mut().query(
            &format!(
                "SELECT m.entity_id, m.name, m.article_id, m.text, m.start_byte, m.end_byte FROM mentions m \
                 JOIN articles a ON a.id = m.article_id \
                 WHERE m.entity_id IN (SELECT entity_id FROM mentions WHERE {NAMED_BY}) \
                 ORDER BY a.seq, m.start_byte"
            ),
            &[&params[0], &params[1], &params[2]],
        )?;
        rows.iter()
            .map(|r| {
                Ok(StoredMention {
                    entity_id: r.try_get(0)?,
                    name: r.try_get(1)?,
                    article_id: r.try_get(2)?,
                    text: r.try_get(3)?,
                    start: usize::try_from(r.try_get::<_, i64>(4)?).unwrap_or(0),
                    end: usize::try_from(r.try_get::<_, i64>(5)?).unwrap_or(0),
                })
            })
            .collect()
    }
}

/// Which mentions' entities a query names; its parameters come from [`named_by`].
const NAMED_BY: &str = "entity_id = $1 \
    OR entity_id IN ('person/' || $2, 'org/' || $2, 'place/' || $2, 'nationality/' || $2) \
    OR lower_text = $3";
