//! The cluster's linker. Linking is a decision over the whole stream (an article can join,
//! bridge or split stories), so it is made in one place: every worker stands for linker, and the
//! one that holds PostgreSQL's advisory lock links; the others wait for the lock. The lock is tied
//! to the connection that writes the links, so a linker that dies (SIGKILL, lost machine) hands it
//! on when PostgreSQL drops its session, and one that merely stalls still holds it: two linkers
//! never write at once.
//!
//! The linker links articles as they are stored (incrementally, as `serve` does), and once the
//! stream has been quiet for a moment links the whole store again from scratch in stream order,
//! as the single-process `ingest` does, so the settled stories do not depend on how many workers
//! there were or in which order they committed. Each settle is recorded in the store
//! (`link_state`), which `status` and the tests read.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Result;
use storyline_store::PgStore;

use crate::stories::LiveStories;

/// How long the stream must be quiet before the whole store is linked again.
const SETTLE_AFTER: Duration = Duration::from_secs(2);
/// Unlinked articles taken per incremental step.
const STEP: usize = 2_000;

/// Stands for linker until `stop`: waits for the lock, then links; starts over after an error
/// (a lost connection also loses the lock, so another candidate may take over meanwhile).
pub fn stand(address: &str, stop: &AtomicBool, quiet: bool) {
    while !stop.load(Ordering::SeqCst) {
        match lead(address, stop, quiet) {
            Ok(()) => {}
            Err(err) => {
                eprintln!("storyline: linker: {err:#}; standing again");
                sleep_unless(stop, Duration::from_secs(1));
            }
        }
    }
}

fn sleep_unless(stop: &AtomicBool, total: Duration) {
    let until = Instant::now() + total;
    while !stop.load(Ordering::SeqCst) && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn lead(address: &str, stop: &AtomicBool, quiet: bool) -> Result<()> {
    let mut store = PgStore::connect(address)?;
    while !store.try_lock_linker()? {
        sleep_unless(stop, Duration::from_millis(500));
        if stop.load(Ordering::SeqCst) {
            return Ok(());
        }
    }
    if !quiet {
        eprintln!("storyline: linker: this worker ({}) links the stories", std::process::id());
    }
    let mut live = settle(&mut store)?;
    let mut changed_since_settle = false;
    let mut last_change = Instant::now();
    while !stop.load(Ordering::SeqCst) {
        let fresh = store.unlinked(STEP)?;
        if !fresh.is_empty() {
            live.add(&mut store, &fresh)?;
            changed_since_settle = true;
            last_change = Instant::now();
            continue;
        }
        if changed_since_settle && last_change.elapsed() >= SETTLE_AFTER {
            live = settle(&mut store)?;
            changed_since_settle = false;
            continue;
        }
        sleep_unless(stop, Duration::from_millis(200));
    }
    Ok(())
}

/// Links every stored article again and records it.
fn settle(store: &mut PgStore) -> Result<LiveStories> {
    let started = Instant::now();
    let live = LiveStories::build(store)?;
    store.mark_settled(live.len() as u64)?;
    eprintln!("storyline: linker: {} article(s) linked in {:.1} s", live.len(), started.elapsed().as_secs_f64());
    Ok(live)
}
