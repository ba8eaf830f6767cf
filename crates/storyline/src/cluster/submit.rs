//! `storyline submit`: reads inputs as `ingest` does (files, folders, JSONL, WARC, feeds, stdin)
//! and publishes each document to the work queue. Publishing is confirmed: a document counts as
//! submitted once JetStream has stored it. At most a window of documents waits for confirmation;
//! when the queue is full (JetStream refuses past its limit) submit waits and sends again, so a
//! crawler can never run the queue past its bounds.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use anyhow::Result;
use storyline_core::Document;
use storyline_source::{Input, SourceConfig, Sources};

use super::{Queue, QueueArgs, encode};

#[derive(Debug, clap::Args)]
pub struct SubmitArgs {
    #[command(flatten)]
    pub queue: QueueArgs,
    /// Files, folders (read recursively) or `-` for standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,
    /// The largest document accepted, in bytes (a file, a stdin read, or one JSONL line).
    #[arg(long, default_value_t = SourceConfig::default().max_document_bytes, value_name = "BYTES")]
    pub max_document_size: u64,
}

/// What a submit did.
#[derive(Debug, Default)]
pub struct SubmitReport {
    pub documents: usize,
    /// Stored in the queue.
    pub queued: usize,
    /// Already in the queue's duplicate window (sent before).
    pub duplicates: usize,
    pub failed: usize,
    /// Times the queue was full and submit waited.
    pub held_back: usize,
    pub seconds: f64,
}

/// Confirmations awaited at once.
const WINDOW: usize = 512;

pub fn run(args: &SubmitArgs, quiet: bool) -> Result<SubmitReport> {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    runtime.block_on(submit(args, quiet))
}

async fn submit(args: &SubmitArgs, quiet: bool) -> Result<SubmitReport> {
    let queue = Queue::connect(&args.queue).await?;
    let max_payload = queue.max_payload();
    let inputs: Vec<Input> = args.paths.iter().map(|p| Input::parse(p)).collect();
    let config = SourceConfig { max_document_bytes: args.max_document_size };
    // Sources read files synchronously: they run on their own thread and hand documents over.
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Result<Document, String>>(WINDOW);
    let reader = std::thread::spawn(move || {
        for item in Sources::new(inputs, config) {
            if tx.blocking_send(item.map_err(|e| e.to_string())).is_err() {
                break;
            }
        }
    });
    let started = Instant::now();
    let mut report = SubmitReport::default();
    let mut pending: VecDeque<(Document, async_nats::jetstream::context::PublishAckFuture)> = VecDeque::new();
    let subject = args.queue.subject();
    let mut last_said = Instant::now();
    let mut exhausted = false;
    loop {
        while !exhausted && pending.len() < WINDOW {
            let Some(item) = rx.recv().await else {
                exhausted = true;
                break;
            };
            report.documents += 1;
            match item {
                Err(err) => {
                    report.failed += 1;
                    eprintln!("error: {err}");
                }
                Ok(doc) if doc.bytes.len() + 1024 > max_payload => {
                    report.failed += 1;
                    eprintln!(
                        "error: {}: {} bytes, more than the NATS server's max_payload of {max_payload} bytes \
                         (raise max_payload in the server's configuration)",
                        doc.origin,
                        doc.bytes.len()
                    );
                }
                Ok(doc) => {
                    let ack = publish(&queue, &subject, &doc).await?;
                    pending.push_back((doc, ack));
                }
            }
        }
        // The oldest confirmation; when the window is full or the input done.
        let Some((doc, ack)) = pending.pop_front() else { break };
        match ack.await {
            Ok(ack) if ack.duplicate => report.duplicates += 1,
            Ok(_) => report.queued += 1,
            Err(err) => {
                // Most often the queue is full: wait, then send this document again.
                report.held_back += 1;
                if !quiet && last_said.elapsed() > Duration::from_secs(5) {
                    eprintln!("storyline: submit: the queue does not take more yet ({err}); waiting");
                    last_said = Instant::now();
                }
                tokio::time::sleep(Duration::from_millis(250)).await;
                let again = publish(&queue, &subject, &doc).await?;
                pending.push_front((doc, again));
            }
        }
    }
    let _ = reader.join();
    report.seconds = started.elapsed().as_secs_f64();
    if !quiet {
        eprintln!(
            "storyline: {} document(s) read: {} queued, {} already queued, {} failed, in {:.1} s ({:.0}/s) to {} on {}",
            report.documents,
            report.queued,
            report.duplicates,
            report.failed,
            report.seconds,
            report.documents as f64 / report.seconds.max(1e-9),
            args.queue.queue,
            args.queue.nats
        );
    }
    Ok(report)
}

async fn publish(
    queue: &Queue,
    subject: &str,
    doc: &Document,
) -> Result<async_nats::jetstream::context::PublishAckFuture> {
    let mut tries = 0;
    loop {
        match queue.js.publish_with_headers(subject.to_owned(), encode(doc), doc.bytes.clone().into()).await {
            Ok(ack) => return Ok(ack),
            Err(_) if tries < 100 => {
                tries += 1;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(err) => return Err(anyhow::anyhow!("{}: cannot publish to {subject}: {err}", doc.origin)),
        }
    }
}
