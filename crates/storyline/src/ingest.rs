//! The ingest loop: documents from the sources, in batches, extracted in parallel, stored one
//! transaction per batch. Per-input failures are printed as they happen (one line naming the input)
//! and counted; they never stop the run or touch what is stored.

use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::collections::HashSet;
use std::time::Duration;
use storyline_core::{Article, Document, DocumentId, annotate, process};
use storyline_search::SearchIndex;
use storyline_source::{Input, SourceConfig, Sources};
use storyline_store::Store;

/// Documents per transaction.
const BATCH_DOCUMENTS: usize = 256;
/// Bytes of raw input held at once, whatever the document count.
const BATCH_BYTES: usize = 64 * 1024 * 1024;

/// What one run did.
#[derive(Debug, Default)]
pub struct Report {
    /// Every article the inputs yielded (new or already stored), in input order, without repeats.
    pub ids: Vec<DocumentId>,
    pub documents: usize,
    pub added: usize,
    pub already_stored: usize,
    pub failed: usize,
    pub skipped_files: usize,
    /// One line per input that failed, naming it and the problem (as printed).
    pub errors: Vec<String>,
    /// The articles this run extracted (only when the caller asked to keep them), so that a caller
    /// who prints them need not read them back from the store.
    pub articles: Vec<Article>,
}

impl Report {
    /// The run in one line; `store` names where it went (a folder, or a redacted address).
    pub fn summary(&self, store: &dyn std::fmt::Display) -> String {
        let mut line = format!(
            "storyline: {} document(s) read: {} new article(s) stored, {} already stored, {} failed (store: {})",
            self.documents, self.added, self.already_stored, self.failed, store
        );
        if self.skipped_files > 0 {
            line.push_str(&format!(
                "; {} file(s) in folders skipped (not .txt/.md/.html/.jsonl/.warc, plain or .gz)",
                self.skipped_files
            ));
        }
        line
    }
}

/// Ingests the inputs: each batch goes to the store in one transaction, then to the search index.
pub fn run(
    inputs: &[Input],
    config: SourceConfig,
    store: &mut dyn Store,
    index: &SearchIndex,
    quiet: bool,
    keep: bool,
) -> Result<Report> {
    let progress =
        if quiet { ProgressBar::hidden() } else { ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()) };
    progress.set_style(ProgressStyle::with_template("{spinner} {pos} documents, {msg} [{elapsed}]")?);
    progress.enable_steady_tick(Duration::from_millis(200));
    let say = |line: String| progress.suspend(|| eprintln!("{line}"));

    let mut report = Report::default();
    let mut seen: HashSet<DocumentId> = HashSet::new();
    let mut sources = Sources::new(inputs.iter().cloned(), config);
    loop {
        let mut batch: Vec<Document> = Vec::new();
        let mut bytes = 0usize;
        while batch.len() < BATCH_DOCUMENTS && bytes < BATCH_BYTES {
            let Some(item) = sources.next() else { break };
            report.documents += 1;
            progress.inc(1);
            match item {
                Ok(doc) => {
                    bytes += doc.bytes.len();
                    batch.push(doc);
                }
                Err(err) => {
                    report.failed += 1;
                    report.errors.push(err.to_string());
                    say(format!("error: {err}"));
                }
            }
        }
        if batch.is_empty() {
            break;
        }
        // Already stored or repeated in this run: nothing to extract.
        let mut fresh = Vec::with_capacity(batch.len());
        let mut order = Vec::with_capacity(batch.len());
        for doc in batch {
            if !seen.insert(doc.id.clone()) {
                report.already_stored += 1;
                continue;
            }
            order.push(doc.id.clone());
            if store.contains(&doc.id)? {
                report.already_stored += 1;
            } else {
                fresh.push(doc);
            }
        }
        let results: Vec<_> = fresh.par_iter().map(|doc| (doc, process(doc))).collect();
        let mut articles = Vec::with_capacity(results.len());
        let mut failed: HashSet<DocumentId> = HashSet::new();
        for (doc, result) in results {
            match result {
                Ok(article) => {
                    for warning in &article.warnings {
                        say(format!("warning: {}: {warning}", doc.origin));
                    }
                    articles.push(article);
                }
                Err(err) => {
                    report.failed += 1;
                    failed.insert(doc.id.clone());
                    report.errors.push(format!("{}: {err}", doc.origin));
                    say(format!("error: {}: {err}", doc.origin));
                }
            }
        }
        report.ids.extend(order.into_iter().filter(|id| !failed.contains(id)));
        let outcome = store.put_articles(&articles)?;
        // After the store's commit: the index never holds an article the store lacks. Should this
        // fail, the next open finds the index behind the store and catches up.
        index.put(&articles)?;
        report.added += outcome.added;
        report.already_stored += outcome.already_stored;
        if keep {
            report.articles.extend(articles);
        }
        progress.set_message(format!("{} new, {} failed", report.added, report.failed));
    }
    report.skipped_files = sources.skipped().unsupported.len();
    progress.finish_and_clear();
    Ok(report)
}

/// Runs the annotate stage again over every stored article (after storyline's annotators improve,
/// or for articles stored before annotations existed), one transaction per batch. Returns how many
/// articles were updated.
pub fn reannotate(store: &mut dyn Store, index: &SearchIndex, quiet: bool) -> Result<usize> {
    let ids = store.ids()?;
    let progress = if quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::with_draw_target(Some(ids.len() as u64), ProgressDrawTarget::stderr())
    };
    progress.set_style(ProgressStyle::with_template("{bar:30} {pos}/{len} articles [{elapsed}]")?);
    let mut updated = 0;
    for chunk in ids.chunks(BATCH_DOCUMENTS) {
        let mut articles = Vec::with_capacity(chunk.len());
        for id in chunk {
            if let Some(article) = store.article(id.as_str())? {
                articles.push(article);
            }
        }
        articles.par_iter_mut().for_each(annotate::annotate);
        updated += store.update_annotations(&articles)?;
        index.put(&articles)?;
        progress.inc(chunk.len() as u64);
    }
    progress.finish_and_clear();
    Ok(updated)
}
