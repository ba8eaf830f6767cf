//! `storyline worker`: pulls documents from the work queue in batches, extracts and annotates the
//! new ones, writes the batch to the shared store in one transaction, and acknowledges each
//! message only after that commit. A worker killed at any point loses nothing: what it had not
//! acknowledged is delivered again after the queue's ack wait, and a document stored before the
//! kill is recognised by its content hash and only acknowledged. So delivery is at least once and
//! the effect exactly once.
//!
//! A document that cannot be extracted fails the same way every time: it goes to the dead-letter
//! stream at once, with the reason. A batch the store refuses is handed back (negative
//! acknowledgement with a delay) and tried again; a document delivered `MAX_DELIVERIES` times is
//! dead-lettered. Every worker also runs a linker candidate (see `linker`): one of them links.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use async_nats::jetstream::{self, AckKind};
use futures_util::StreamExt;
use rayon::prelude::*;
use storyline_core::{Article, Document, process};
use storyline_store::{PgStore, Store};

use super::{FAILURE, MAX_DELIVERIES, Queue, QueueArgs, decode};

#[derive(Debug, clap::Args)]
pub struct WorkerArgs {
    #[command(flatten)]
    pub queue: QueueArgs,
    /// Documents pulled and stored per transaction.
    #[arg(long, default_value_t = 64)]
    pub batch: usize,
    /// Threads extracting in this worker (0: one per core).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Do not stand for linker (a worker that only extracts).
    #[arg(long)]
    pub no_linker: bool,
    /// Stop when the queue has been empty this many seconds (0: run until stopped).
    #[arg(long, default_value_t = 0, value_name = "SECONDS")]
    pub exit_when_idle: u64,
}

/// What happened to one message of a batch.
enum Verdict {
    /// Stored now or before: acknowledge.
    Done,
    /// Fails the same way every time: dead-letter it with this reason.
    Dead(String),
}

pub fn run(args: &WorkerArgs, store_address: &str, quiet: bool) -> Result<()> {
    let threads =
        if args.threads == 0 { std::thread::available_parallelism().map_or(1, |n| n.get()) } else { args.threads };
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build()?;
    let stop = Arc::new(AtomicBool::new(false));
    let linker = (!args.no_linker).then(|| {
        let (address, stop) = (store_address.to_owned(), Arc::clone(&stop));
        std::thread::spawn(move || super::linker::stand(&address, &stop, quiet))
    });
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let result = runtime.block_on(work(args, store_address, &pool, quiet));
    stop.store(true, Ordering::SeqCst);
    if let Some(linker) = linker {
        let _ = linker.join();
    }
    result
}

async fn work(args: &WorkerArgs, store_address: &str, pool: &rayon::ThreadPool, quiet: bool) -> Result<()> {
    let queue = Queue::connect(&args.queue).await?;
    let consumer = queue.consumer().await?;
    // The store's client runs a runtime of its own: it is made, used and dropped off this
    // runtime's async threads (block_in_place).
    let mut store = Held(Some(tokio::task::block_in_place(|| PgStore::connect(store_address))?));
    if !quiet {
        eprintln!(
            "storyline: worker {} pulling from {} on {} into {}",
            std::process::id(),
            args.queue.queue,
            args.queue.nats,
            store.get()?.address()
        );
    }
    let mut shutdown = Box::pin(crate::serve::shutdown_signal());
    let mut idle_since = Instant::now();
    let (mut stored, mut dead) = (0usize, 0usize);
    loop {
        let fetch = consumer.fetch().max_messages(args.batch.max(1)).expires(Duration::from_secs(1)).messages();
        let mut batch = tokio::select! {
            fetched = fetch => fetched.map_err(|e| anyhow::anyhow!("cannot pull from {}: {e}", args.queue.queue))?,
            () = &mut shutdown => break,
        };
        let mut messages = Vec::new();
        while let Some(message) = batch.next().await {
            match message {
                Ok(message) => messages.push(message),
                Err(err) => eprintln!("storyline: worker: a pull failed: {err}"),
            }
        }
        if messages.is_empty() {
            if args.exit_when_idle > 0 && idle_since.elapsed() > Duration::from_secs(args.exit_when_idle) {
                break;
            }
            continue;
        }
        idle_since = Instant::now();
        let docs: Vec<Result<Document>> = messages.iter().map(|m| decode(m.headers.as_ref(), &m.payload)).collect();
        // The store's client blocks: the batch runs off the runtime's async threads.
        let outcome = tokio::task::block_in_place(|| process_batch(pool, store.get()?, docs));
        match outcome {
            Ok(verdicts) => {
                for (message, verdict) in messages.iter().zip(verdicts) {
                    match verdict {
                        Verdict::Done => stored += 1,
                        Verdict::Dead(reason) => {
                            dead += 1;
                            dead_letter(&queue, message, &reason).await?;
                        }
                    }
                    message.ack().await.map_err(|e| anyhow::anyhow!("cannot acknowledge: {e}"))?;
                }
            }
            Err(err) => {
                // The store refused the batch (connection lost, server down): hand every message
                // back to be tried again later, or dead-letter those tried too often.
                eprintln!("storyline: worker: the batch was not stored, it will be tried again: {err:#}");
                for message in &messages {
                    let delivered = message.info().map(|i| i.delivered).unwrap_or(1);
                    if delivered >= MAX_DELIVERIES {
                        dead_letter(&queue, message, &format!("not stored after {delivered} tries: {err:#}")).await?;
                        message.ack_with(AckKind::Term).await.map_err(|e| anyhow::anyhow!("cannot terminate: {e}"))?;
                    } else {
                        let _ = message.ack_with(AckKind::Nak(Some(Duration::from_secs(2 * delivered as u64)))).await;
                    }
                }
                if store.get()?.is_closed() {
                    match tokio::task::block_in_place(|| PgStore::connect(store_address)) {
                        Ok(fresh) => store = Held(Some(fresh)),
                        Err(err) => {
                            eprintln!("storyline: worker: cannot reconnect to the store: {err}");
                            tokio::time::sleep(Duration::from_secs(2)).await;
                        }
                    }
                }
            }
        }
    }
    if !quiet {
        eprintln!("storyline: worker {} stopped: {stored} document(s) done, {dead} dead-lettered", std::process::id());
    }
    Ok(())
}

/// The worker's store connection, dropped off the async threads whichever way `work` ends.
struct Held(Option<PgStore>);

impl Held {
    fn get(&mut self) -> Result<&mut PgStore> {
        self.0.as_mut().context("the store connection is gone")
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        if let Some(store) = self.0.take() {
            tokio::task::block_in_place(|| drop(store));
        }
    }
}

/// Extracts the documents not stored yet and stores them in one transaction. An error is the
/// store's (the whole batch is then retried); per-document failures are verdicts.
fn process_batch(pool: &rayon::ThreadPool, store: &mut PgStore, docs: Vec<Result<Document>>) -> Result<Vec<Verdict>> {
    let mut verdicts: Vec<Option<Verdict>> = Vec::with_capacity(docs.len());
    let mut todo: Vec<(usize, Document)> = Vec::new();
    for (i, doc) in docs.into_iter().enumerate() {
        match doc {
            Err(err) => verdicts.push(Some(Verdict::Dead(format!("{err:#}")))),
            Ok(doc) => {
                if store.contains(&doc.id)? {
                    verdicts.push(Some(Verdict::Done));
                } else {
                    verdicts.push(None);
                    todo.push((i, doc));
                }
            }
        }
    }
    let results: Vec<(usize, std::result::Result<Article, String>)> = pool.install(|| {
        todo.par_iter()
            .map(|(i, doc)| {
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| process(doc)));
                let result = match result {
                    Ok(Ok(article)) => Ok(article),
                    Ok(Err(err)) => Err(format!("{}: {err}", doc.origin)),
                    Err(_) => {
                        Err(format!("{}: extraction panicked (a bug: please report it with this document)", doc.origin))
                    }
                };
                (*i, result)
            })
            .collect()
    });
    let mut articles = Vec::with_capacity(results.len());
    for (i, result) in results {
        match result {
            Ok(article) => {
                articles.push(article);
                verdicts[i] = Some(Verdict::Done);
            }
            Err(reason) => verdicts[i] = Some(Verdict::Dead(reason)),
        }
    }
    store.put_articles(&articles).context("cannot store the batch")?;
    Ok(verdicts.into_iter().map(|v| v.unwrap_or(Verdict::Done)).collect())
}

/// Copies a message to the dead-letter stream with the reason, confirmed before the original is
/// acknowledged.
async fn dead_letter(queue: &Queue, message: &jetstream::Message, reason: &str) -> Result<()> {
    let mut headers = message.headers.clone().unwrap_or_default();
    let reason: String = reason.chars().map(|c| if (' '..='~').contains(&c) { c } else { '?' }).take(2000).collect();
    headers.insert(FAILURE, reason.as_str());
    eprintln!("storyline: worker: dead-lettered: {reason}");
    queue
        .js
        .publish_with_headers(queue.args.dead_subject(), headers, message.payload.clone())
        .await
        .map_err(|e| anyhow::anyhow!("cannot dead-letter: {e}"))?
        .await
        .map_err(|e| anyhow::anyhow!("cannot dead-letter: {e}"))?;
    Ok(())
}
