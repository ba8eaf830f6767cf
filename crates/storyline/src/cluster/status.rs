//! `storyline status`: the cluster at a glance: the queue's depth, what the workers hold
//! unacknowledged, redeliveries, dead letters, and from the store what is stored, linked and how
//! fast articles arrive.

use std::io::Write;
use std::time::Duration;

use anyhow::{Context, Result};
use storyline_store::{PgStore, Store};

use super::{Queue, QueueArgs};

#[derive(Debug, clap::Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub queue: QueueArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = crate::ListFormat::Table)]
    pub format: crate::ListFormat,
}

/// The figures `status` shows.
#[derive(Debug, Clone, Copy, Default, serde::Serialize, PartialEq, Eq)]
pub struct Status {
    /// Documents in the queue not yet delivered to any worker.
    pub queued: u64,
    /// Delivered to a worker and not acknowledged yet.
    pub in_flight: u64,
    /// Deliveries that were repeats (a worker died, or handed a batch back).
    pub redelivered: u64,
    /// Documents in the dead-letter stream.
    pub dead_letters: u64,
    pub articles: u64,
    /// Stored articles not linked into a story yet.
    pub unlinked: u64,
    /// Articles the linker's last whole pass linked.
    pub settled: u64,
    /// Articles stored in the last minute.
    pub stored_last_minute: u64,
}

pub fn read(queue_args: &QueueArgs, store_address: &str) -> Result<Status> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let (queued, in_flight, redelivered, dead_letters) = runtime.block_on(async {
        let queue = Queue::connect(queue_args).await?;
        let info = queue.consumer().await?.get_info().await.context("cannot read the consumer's state")?;
        let dead = queue
            .js
            .get_stream(queue.args.dead_stream())
            .await
            .context("cannot read the dead-letter stream")?
            .get_info()
            .await
            .context("cannot read the dead-letter stream")?;
        anyhow::Ok((info.num_pending, info.num_ack_pending as u64, info.num_redelivered as u64, dead.state.messages))
    })?;
    let store = PgStore::connect(store_address)?;
    let state = store.link_state()?;
    Ok(Status {
        queued,
        in_flight,
        redelivered,
        dead_letters,
        articles: store.count()?,
        unlinked: state.unlinked,
        settled: state.settled,
        stored_last_minute: store.stored_within(Duration::from_secs(60))?,
    })
}

pub fn print(out: &mut dyn Write, status: &Status, format: crate::ListFormat) -> Result<()> {
    match format {
        crate::ListFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(status)?)?,
        crate::ListFormat::Table => {
            let rows = [
                ("queued", status.queued.to_string(), "documents waiting for a worker"),
                ("in flight", status.in_flight.to_string(), "delivered, not yet acknowledged"),
                ("redelivered", status.redelivered.to_string(), "repeat deliveries (a worker died or retried)"),
                ("dead letters", status.dead_letters.to_string(), "documents that kept failing (see docs/cluster.md)"),
                ("articles", status.articles.to_string(), "stored"),
                ("unlinked", status.unlinked.to_string(), "stored, not yet in a story"),
                ("settled", status.settled.to_string(), "linked by the linker's last whole pass"),
                (
                    "throughput",
                    format!("{:.1}/s", status.stored_last_minute as f64 / 60.0),
                    "articles stored per second over the last minute",
                ),
            ];
            for (name, value, what) in rows {
                writeln!(out, "{name:<13} {value:>10}  {what}")?;
            }
        }
    }
    Ok(())
}
