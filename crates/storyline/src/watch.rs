//! Watch mode: a folder a crawler writes into becomes a live feed. The files already there are
//! ingested first; then every file that appears or changes (`notify`: inotify on Linux) is
//! ingested once it has been quiet for a moment, so a file still being written is not read half
//! way. Hidden, temporary and partial files (`.x`, `x~`, `x.part`) are ignored, as a folder walk
//! ignores them. A file that changes again is read again: what it already held is already stored
//! (identity is content), only what is new is added.
//!
//! This module only notices files and hands them over; storing, indexing and linking are the
//! caller's (`storyline watch`, or `storyline serve --watch`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use notify::{EventKind, RecursiveMode, Watcher};

#[derive(Debug, clap::Args)]
pub struct WatchArgs {
    /// The folder to watch (recursively).
    pub dir: PathBuf,
    /// How long a file must be left alone before it is read, in milliseconds.
    #[arg(long, default_value_t = 400, value_name = "MS")]
    pub settle: u64,
}

/// Whether an event can mean a file has new content.
fn may_have_content(kind: &EventKind) -> bool {
    use notify::event::{AccessKind, AccessMode, ModifyKind};
    matches!(
        kind,
        EventKind::Create(_)
            | EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Name(_) | ModifyKind::Any)
            | EventKind::Access(AccessKind::Close(AccessMode::Write))
    )
}

/// Watches `dir` until `stop` is set, calling `ingest` with each group of files that settled.
/// An error from `ingest` is printed and watching goes on.
pub fn watch(
    dir: &Path,
    settle: Duration,
    stop: &AtomicBool,
    ingest: &mut dyn FnMut(Vec<PathBuf>) -> Result<()>,
) -> Result<()> {
    if !dir.is_dir() {
        anyhow::bail!("{} is not a folder", dir.display());
    }
    let (tx, rx) = channel();
    let mut watcher = notify::recommended_watcher(tx).context("cannot start watching files")?;
    watcher.watch(dir, RecursiveMode::Recursive).with_context(|| format!("cannot watch {}", dir.display()))?;
    // What is there already, after the watch is set, so nothing written in between is missed.
    if let Err(err) = ingest(vec![dir.to_owned()]) {
        eprintln!("storyline: error: {err:#}");
    }
    let mut pending: BTreeMap<PathBuf, Instant> = BTreeMap::new();
    while !stop.load(Ordering::Relaxed) {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(Ok(event)) if may_have_content(&event.kind) => {
                for path in event.paths {
                    if storyline_source::is_readable_file_name(&path) {
                        pending.insert(path, Instant::now());
                    }
                }
            }
            Ok(Ok(_)) | Err(RecvTimeoutError::Timeout) => {}
            Ok(Err(err)) => eprintln!("storyline: watching {}: {err}", dir.display()),
            Err(RecvTimeoutError::Disconnected) => break,
        }
        let now = Instant::now();
        let ready: Vec<PathBuf> =
            pending.iter().filter(|(_, at)| now.duration_since(**at) >= settle).map(|(p, _)| p.clone()).collect();
        if ready.is_empty() {
            continue;
        }
        for path in &ready {
            pending.remove(path);
        }
        let files: Vec<PathBuf> = ready.into_iter().filter(|p| p.is_file()).collect();
        if !files.is_empty()
            && let Err(err) = ingest(files)
        {
            eprintln!("storyline: error: {err:#}");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind, RemoveKind};

    #[test]
    fn only_events_that_bring_content_count() {
        assert!(may_have_content(&EventKind::Create(CreateKind::File)));
        assert!(may_have_content(&EventKind::Access(AccessKind::Close(AccessMode::Write))));
        assert!(may_have_content(&EventKind::Modify(ModifyKind::Name(notify::event::RenameMode::To))));
        assert!(!may_have_content(&EventKind::Remove(RemoveKind::File)));
        assert!(!may_have_content(&EventKind::Access(AccessKind::Open(AccessMode::Read))));
    }
}
