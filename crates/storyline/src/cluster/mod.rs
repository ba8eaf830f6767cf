//! The distributed pipeline over NATS JetStream: `submit` publishes raw documents to a durable
//! work queue, any number of `worker`s pull them, extract and annotate, commit to the shared
//! PostgreSQL store and only then acknowledge; one worker at a time (elected by a PostgreSQL
//! advisory lock) also links the stored articles into stories; `status` reports the queue and
//! the store. docs/cluster.md tells how to run it; ARCHITECTURE.md why it is shaped so.
//!
//! This module holds the wire format and the queue's configuration; extraction, linking and the
//! schema live in their own crates and modules.

pub mod linker;
pub mod status;
pub mod submit;
pub mod worker;

use std::time::Duration;

use anyhow::{Context, Result, bail};
use async_nats::jetstream;
use storyline_core::{Document, DocumentId, Hints, MediaType};

/// Where the queue is, shared by every cluster command.
#[derive(Debug, Clone, clap::Args)]
pub struct QueueArgs {
    /// The NATS server (with JetStream enabled).
    #[arg(long, env = "STORYLINE_NATS", default_value = "nats://127.0.0.1:4222", value_name = "URL")]
    pub nats: String,
    /// The queue's name: the JetStream stream `NAME` (subject `NAME.docs`), its dead letters in
    /// `NAME_dead` (subject `NAME.dead`), and the workers' durable consumer `NAME_workers`.
    #[arg(long, default_value = "storyline", value_name = "NAME")]
    pub queue: String,
    /// Seconds a worker has to acknowledge a document before the queue delivers it to another
    /// (how soon a dead worker's documents are taken up). Set when the consumer is first made.
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    pub ack_wait: u64,
}

impl QueueArgs {
    pub fn subject(&self) -> String {
        format!("{}.docs", self.queue)
    }
    pub fn dead_subject(&self) -> String {
        format!("{}.dead", self.queue)
    }
    fn dead_stream(&self) -> String {
        format!("{}_dead", self.queue)
    }
    fn consumer(&self) -> String {
        format!("{}_workers", self.queue)
    }
}

/// How many documents the queue holds before publishers are held back (JetStream refuses new
/// messages past it, and `submit` waits and tries again).
pub const QUEUE_LIMIT: i64 = 200_000;
/// Deliveries of one document before it goes to the dead-letter stream.
pub const MAX_DELIVERIES: i64 = 5;

/// Headers of a queued document.
const ORIGIN: &str = "Storyline-Origin";
const MEDIA: &str = "Storyline-Media";
const HINTS: &str = "Storyline-Hints";
/// Why a document was dead-lettered.
pub const FAILURE: &str = "Storyline-Failure";

/// A connection to the queue, with its streams made if they are not there yet.
pub struct Queue {
    pub client: async_nats::Client,
    pub js: jetstream::Context,
    pub args: QueueArgs,
}

impl std::fmt::Debug for Queue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Queue").field("nats", &self.args.nats).field("queue", &self.args.queue).finish()
    }
}

impl Queue {
    pub async fn connect(args: &QueueArgs) -> Result<Queue> {
        if args.queue.is_empty() || !args.queue.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            bail!("--queue {:?}: use letters, digits, '-' and '_' only", args.queue);
        }
        let client = async_nats::ConnectOptions::new()
            .name("storyline")
            .retry_on_initial_connect()
            .connection_timeout(Duration::from_secs(10))
            .connect(&args.nats)
            .await
            .with_context(|| format!("cannot connect to NATS at {}", args.nats))?;
        let js = jetstream::new(client.clone());
        let queue = Queue { client, js, args: args.clone() };
        queue.streams().await?;
        Ok(queue)
    }

    /// The work queue and the dead-letter stream, made when absent.
    async fn streams(&self) -> Result<(jetstream::stream::Stream, jetstream::stream::Stream)> {
        let work = self
            .js
            .get_or_create_stream(jetstream::stream::Config {
                name: self.args.queue.clone(),
                subjects: vec![self.args.subject()],
                retention: jetstream::stream::RetentionPolicy::WorkQueue,
                max_messages: QUEUE_LIMIT,
                discard: jetstream::stream::DiscardPolicy::New,
                storage: jetstream::stream::StorageType::File,
                // Publishing the same document twice within this window stores it once.
                duplicate_window: Duration::from_secs(10 * 60),
                ..Default::default()
            })
            .await
            .with_context(|| {
                format!("cannot make the JetStream stream {} (is JetStream enabled: nats-server -js?)", self.args.queue)
            })?;
        let dead = self
            .js
            .get_or_create_stream(jetstream::stream::Config {
                name: self.args.dead_stream(),
                subjects: vec![self.args.dead_subject()],
                storage: jetstream::stream::StorageType::File,
                ..Default::default()
            })
            .await
            .with_context(|| format!("cannot make the dead-letter stream {}", self.args.dead_stream()))?;
        Ok((work, dead))
    }

    /// The workers' shared durable consumer.
    pub async fn consumer(&self) -> Result<jetstream::consumer::Consumer<jetstream::consumer::pull::Config>> {
        let (work, _) = self.streams().await?;
        let name = self.args.consumer();
        work.get_or_create_consumer(
            &name,
            jetstream::consumer::pull::Config {
                durable_name: Some(name.clone()),
                ack_policy: jetstream::consumer::AckPolicy::Explicit,
                ack_wait: Duration::from_secs(self.args.ack_wait.max(1)),
                max_deliver: MAX_DELIVERIES,
                max_ack_pending: 10_000,
                ..Default::default()
            },
        )
        .await
        .with_context(|| format!("cannot make the consumer {name}"))
    }

    /// The largest message the server takes.
    pub fn max_payload(&self) -> usize {
        self.client.server_info().max_payload
    }
}

/// A document as a queue message: its bytes as the payload, the rest in headers. The document id
/// is the message id, so JetStream drops a document published twice within its window; past it,
/// the store's content-hash identity does.
pub fn encode(doc: &Document) -> async_nats::HeaderMap {
    let mut headers = async_nats::HeaderMap::new();
    headers.insert("Nats-Msg-Id", doc.id.as_str());
    headers.insert(ORIGIN, ascii_json(&serde_json::Value::String(doc.origin.clone())).as_str());
    headers.insert(MEDIA, doc.media.as_str());
    if let Ok(hints) = serde_json::to_value(&doc.hints) {
        headers.insert(HINTS, ascii_json(&hints).as_str());
    }
    headers
}

/// The document a queue message carries; an error says what is wrong with it.
pub fn decode(headers: Option<&async_nats::HeaderMap>, payload: &[u8]) -> Result<Document> {
    let header = |name: &str| headers.and_then(|h| h.get(name)).map(|v| v.as_str().to_owned());
    let origin: String = match header(ORIGIN) {
        Some(json) => serde_json::from_str(&json).context("the origin header is not JSON")?,
        None => "queue".to_owned(),
    };
    let media = match header(MEDIA).as_deref() {
        Some("html") => MediaType::Html,
        Some("text") | None => MediaType::Text,
        Some(other) => bail!("{origin}: unknown media type {other:?}"),
    };
    let hints: Hints = match header(HINTS) {
        Some(json) => {
            serde_json::from_str(&json).with_context(|| format!("{origin}: the hints header is not valid"))?
        }
        None => Hints::default(),
    };
    // The id travels as it was made (a JSONL record's id is not the hash of the bytes sent).
    let Some(id) = header("Nats-Msg-Id").as_deref().and_then(DocumentId::parse) else {
        bail!("{origin}: the message has no document id (Nats-Msg-Id): it was not sent by storyline submit");
    };
    Ok(Document { id, origin, media, bytes: payload.to_vec(), hints })
}

/// JSON with every character outside printable ASCII escaped, so that it is a valid header value.
fn ascii_json(value: &serde_json::Value) -> String {
    let json = value.to_string();
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if (' '..='~').contains(&c) {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

/// The PostgreSQL store address a cluster command needs.
pub fn postgres_address(store: Option<&str>) -> Result<&str> {
    match store {
        Some(url) if crate::is_postgres(url) => Ok(url),
        _ => bail!(
            "the cluster commands need the shared store: give --store postgres://user@host:port/dbname (or STORYLINE_STORE)"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_survive_the_wire_whatever_their_origin() {
        let hints = Hints {
            url: Some("https://example.org/nouvelles/été".into()),
            title: Some("Séoul répond\u{2014}\n\"vite\"".into()),
            outlet: None,
            published: Some("2024-06-19".into()),
            charset: None,
        };
        let doc = Document::new("crawl/Zürich 🗞.jsonl:3", MediaType::Html, b"<p>x</p>".to_vec(), hints);
        let headers = encode(&doc);
        for (_, values) in headers.iter() {
            for v in values {
                assert!(v.as_str().bytes().all(|b| (b' '..=b'~').contains(&b)), "{v:?}");
            }
        }
        let back = decode(Some(&headers), &doc.bytes).expect("decodes");
        assert_eq!((back.id, back.origin, back.media, back.hints), (doc.id, doc.origin, doc.media, doc.hints));
    }

    #[test]
    fn a_message_without_a_document_id_is_refused() {
        let doc = Document::new("a.txt", MediaType::Text, b"one".to_vec(), Hints::default());
        let mut headers = encode(&doc);
        headers.insert("Nats-Msg-Id", "not-an-id");
        let err = decode(Some(&headers), b"one").expect_err("refused");
        assert!(err.to_string().contains("no document id"), "{err}");
        assert!(decode(None, b"one").is_err());
    }
}
