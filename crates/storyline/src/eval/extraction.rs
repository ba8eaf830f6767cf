//! Article-body extraction against a benchmark folder in the layout of the public article
//! extraction benchmark (`../shared/bench/article-extraction`): `ground-truth.json` maps each page
//! id to `{"articleBody", "url"}`, and `html/<id>.html.gz` holds the page. Each page goes through
//! our extract stage as an HTML document with its URL; the body is scored against the expected one
//! by shingles of four `\w+` tokens, the benchmark's own measure: per page, true positives, false
//! positives and false negatives over shingle counts, normalised by their sum; precision is the
//! mean over pages that extracted something, recall the mean over pages that expect something, and
//! F1 comes from those two means.
//!
//! `--texts-from FILE` scores another tool's bodies (the same `{id: {"articleBody"}}` layout, as
//! `scripts/trafilatura/extract.py` writes it) with the same scorer, so two tools are compared by
//! one measure. Extraction speed here is the extract stage alone, in process, on one thread, with
//! the pages already in memory; the whole-process figure comes from timing `storyline analyze`.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use storyline_core::{Document, Hints, MediaType};

use super::Prf;

#[derive(Debug, clap::Args)]
pub struct ExtractionArgs {
    /// The benchmark folder (with `ground-truth.json` and `html/`).
    dir: PathBuf,
    /// Score the bodies in this JSON file (`{id: {"articleBody": text}}`) instead of extracting.
    #[arg(long)]
    texts_from: Option<PathBuf>,
    /// Write our extracted bodies to this file, in the same layout.
    #[arg(long)]
    write_texts: Option<PathBuf>,
    /// List this many pages with the lowest F1, with their precision and recall.
    #[arg(long, default_value_t = 0)]
    worst: usize,
    /// Timed passes over all pages for the speed figure (the fastest is reported).
    #[arg(long, default_value_t = 3)]
    passes: usize,
    /// Fail when F1 falls below this.
    #[arg(long)]
    min_f1: Option<f64>,
}

#[derive(serde::Deserialize)]
struct Expected {
    #[serde(rename = "articleBody", default)]
    body: String,
    #[serde(default)]
    url: Option<String>,
}

#[derive(serde::Deserialize, serde::Serialize)]
struct Body {
    #[serde(rename = "articleBody", default)]
    body: String,
}

/// One page's shingle counts, normalised so that every page weighs the same.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Matching {
    pub tp: f64,
    pub fp: f64,
    pub fn_: f64,
}

impl Matching {
    fn precision(&self) -> Option<f64> {
        (self.tp + self.fp > 0.0)
            .then(|| if self.fp == 0.0 && self.fn_ == 0.0 { 1.0 } else { self.tp / (self.tp + self.fp) })
    }

    fn recall(&self) -> Option<f64> {
        (self.tp + self.fn_ > 0.0)
            .then(|| if self.fp == 0.0 && self.fn_ == 0.0 { 1.0 } else { self.tp / (self.tp + self.fn_) })
    }

    fn f1(&self) -> f64 {
        let (p, r) = (self.precision().unwrap_or(0.0), self.recall().unwrap_or(0.0));
        if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
    }
}

/// The `\w+` runs of `text` (letters, digits, marks and underscores), case kept.
fn tokens(text: &str) -> Vec<&str> {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    text.split(|c: char| !word(c)).filter(|t| !t.is_empty()).collect()
}

/// Shingles of `n` consecutive tokens with their counts; a text shorter than `n` tokens is one
/// shingle of all of them.
fn shingles(text: &str, n: usize) -> HashMap<Vec<&str>, u32> {
    let tokens = tokens(text);
    let mut counts: HashMap<Vec<&str>, u32> = HashMap::new();
    if tokens.len() < n {
        if !tokens.is_empty() {
            counts.insert(tokens, 1);
        }
        return counts;
    }
    for window in tokens.windows(n) {
        *counts.entry(window.to_vec()).or_default() += 1;
    }
    counts
}

/// Scores an extracted body against the expected one.
pub fn matching(expected: &str, extracted: &str) -> Matching {
    let want = shingles(expected, 4);
    let got = shingles(extracted, 4);
    let (mut tp, mut fp, mut fn_) = (0.0, 0.0, 0.0);
    for (shingle, &g) in &got {
        let w = want.get(shingle).copied().unwrap_or(0);
        tp += f64::from(g.min(w));
        fp += f64::from(g.saturating_sub(w));
    }
    for (shingle, &w) in &want {
        fn_ += f64::from(w.saturating_sub(got.get(shingle).copied().unwrap_or(0)));
    }
    let sum = tp + fp + fn_;
    if sum > 0.0 { Matching { tp: tp / sum, fp: fp / sum, fn_: fn_ / sum } } else { Matching { tp, fp, fn_ } }
}

/// Mean precision over pages that extracted something, mean recall over pages that expect
/// something, and the F1 of those means.
pub fn summarise(pages: &[Matching]) -> Prf {
    let mean =
        |values: Vec<f64>| if values.is_empty() { 0.0 } else { values.iter().sum::<f64>() / values.len() as f64 };
    let precision = mean(pages.iter().filter_map(Matching::precision).collect());
    let recall = mean(pages.iter().filter_map(Matching::recall).collect());
    let f1 = if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
    Prf { precision, recall, f1 }
}

/// One benchmark page: its id, URL, HTML and expected body.
pub(crate) struct Page {
    pub id: String,
    pub url: Option<String>,
    pub html: Vec<u8>,
    pub expected: String,
}

/// The benchmark's pages, by id.
pub(crate) fn load(dir: &Path) -> Result<Vec<Page>> {
    let truth_path = dir.join("ground-truth.json");
    let truth =
        std::fs::read_to_string(&truth_path).with_context(|| format!("cannot read {}", truth_path.display()))?;
    let truth: HashMap<String, Expected> = serde_json::from_str(&truth)
        .with_context(|| format!("{}: not a map of id to {{articleBody, url}}", truth_path.display()))?;
    let mut pages = Vec::with_capacity(truth.len());
    for (id, expected) in truth {
        let path = dir.join("html").join(format!("{id}.html.gz"));
        let file = std::fs::File::open(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let mut html = Vec::new();
        flate2::read::MultiGzDecoder::new(file)
            .take(64 << 20)
            .read_to_end(&mut html)
            .with_context(|| format!("{}: not a readable gzip file", path.display()))?;
        pages.push(Page { id, url: expected.url, html, expected: expected.body });
    }
    if pages.is_empty() {
        bail!("{}: no pages", truth_path.display());
    }
    pages.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(pages)
}

fn document(page: &Page) -> Document {
    let hints = Hints { url: page.url.clone(), ..Hints::default() };
    Document::new(page.id.clone(), MediaType::Html, page.html.clone(), hints)
}

/// Our bodies, one per page (empty where extraction found no article), and the fastest pass in
/// pages per second.
fn extract_all(pages: &[Page], passes: usize) -> (Vec<String>, f64) {
    let documents: Vec<Document> = pages.iter().map(document).collect();
    let mut bodies = Vec::new();
    let mut best = f64::INFINITY;
    for _ in 0..passes.max(1) {
        let start = Instant::now();
        bodies = documents
            .iter()
            .map(|doc| storyline_core::extract(doc).map(|article| article.body).unwrap_or_default())
            .collect();
        best = best.min(start.elapsed().as_secs_f64());
    }
    (bodies, pages.len() as f64 / best.max(f64::EPSILON))
}

pub fn run(args: &ExtractionArgs, out: &mut impl Write) -> Result<()> {
    let pages = load(&args.dir)?;
    let bytes: usize = pages.iter().map(|p| p.html.len()).sum();
    let (tool, bodies, speed) = match &args.texts_from {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
            let mut theirs: HashMap<String, Body> = serde_json::from_str(&text)
                .with_context(|| format!("{}: not a map of id to {{articleBody}}", path.display()))?;
            let missing = pages.iter().filter(|p| !theirs.contains_key(&p.id)).count();
            if missing > 0 {
                bail!("{}: no body for {missing} of the {} pages", path.display(), pages.len());
            }
            let bodies = pages.iter().map(|p| theirs.remove(&p.id).map(|b| b.body).unwrap_or_default()).collect();
            (path.display().to_string(), bodies, None)
        }
        None => {
            let (bodies, speed) = extract_all(&pages, args.passes);
            ("storyline".to_owned(), bodies, Some(speed))
        }
    };
    if let Some(path) = &args.write_texts {
        let map: HashMap<&str, Body> =
            pages.iter().zip(&bodies).map(|(p, b)| (p.id.as_str(), Body { body: b.clone() })).collect();
        std::fs::write(path, serde_json::to_string(&map)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let scored: Vec<Matching> = pages.iter().zip(&bodies).map(|(p, b)| matching(&p.expected, b)).collect();
    let prf = summarise(&scored);
    let empty = bodies.iter().filter(|b| b.trim().is_empty()).count();
    writeln!(out, "article extraction: {} pages, {:.1} MB of HTML", pages.len(), bytes as f64 / 1e6)?;
    write!(out, "{tool}: {prf}; {empty} pages with no body")?;
    if let Some(speed) = speed {
        write!(
            out,
            "; extract stage {speed:.0} pages/s on one thread ({:.1} MB/s)",
            speed * bytes as f64 / pages.len() as f64 / 1e6
        )?;
    }
    writeln!(out)?;
    if args.worst > 0 {
        let mut order: Vec<usize> = (0..pages.len()).collect();
        order.sort_by(|&a, &b| scored[a].f1().total_cmp(&scored[b].f1()));
        for &i in order.iter().take(args.worst) {
            let m = &scored[i];
            writeln!(
                out,
                "  {}  F1 {:.3}  P {:.3}  R {:.3}  {}",
                pages[i].id,
                m.f1(),
                m.precision().unwrap_or(0.0),
                m.recall().unwrap_or(0.0),
                pages[i].url.as_deref().unwrap_or("")
            )?;
        }
    }
    if let Some(floor) = args.min_f1
        && prf.f1 < floor
    {
        bail!("extraction F1 {:.3} is below the floor {floor:.3}", prf.f1);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_bodies_score_one_and_extra_text_costs_precision() {
        let body = "The council voted on Tuesday to close the old bridge for repairs until spring.";
        assert_eq!(matching(body, body), Matching { tp: 1.0, fp: 0.0, fn_: 0.0 });
        let noisy = format!("Subscribe now to read more. {body}");
        let m = matching(body, &noisy);
        assert!(m.recall() == Some(1.0) && m.precision().is_some_and(|p| p < 1.0), "{m:?}");
        let short = "The council voted on Tuesday.";
        let m = matching(body, short);
        assert!(m.precision() == Some(1.0) && m.recall().is_some_and(|r| r < 0.5), "{m:?}");
    }

    #[test]
    fn nothing_extracted_counts_for_recall_only() {
        let pages = [matching("some expected words here and there", ""), matching("a b c d e", "a b c d e")];
        let prf = summarise(&pages);
        assert_eq!(prf.precision, 1.0);
        assert_eq!(prf.recall, 0.5);
    }

    #[test]
    fn tokens_are_word_runs_across_scripts() {
        assert_eq!(
            tokens("Kim Jong-un's 11,000 troops — «Курск»"),
            ["Kim", "Jong", "un", "s", "11", "000", "troops", "Курск"]
        );
        assert_eq!(shingles("two words", 4).len(), 1);
    }
}
