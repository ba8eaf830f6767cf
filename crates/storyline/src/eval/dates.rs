//! Publication dates against known dates. Two shapes of input:
//!
//! - a corpus folder with a labels file (`examples/corpus` with `examples/dates.tsv`: article,
//!   `YYYY-MM-DD` or `none`), scored as accuracy of the extracted day (an article the labels call
//!   undated is right only when storyline gives no date);
//! - a folder in the layout of the article-extraction benchmark (`ground-truth.json` and
//!   `html/<id>.html.gz`), which carries no date truth: there the extracted day is compared with a
//!   day written in the page's URL (`/2019/11/19/`, `2019-11-19`), where the URL has one. That is
//!   agreement with the URL, not accuracy: our extractor trusts the page's metadata first and the
//!   URL last, so a disagreement is either its mistake or the page's.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use storyline_core::{Document, Hints, MediaType, extract};
use storyline_source::{Input, SourceConfig, Sources};

use super::labels::label_key;

#[derive(Debug, clap::Args)]
pub struct DatesArgs {
    /// A corpus folder (with --labels), or an article-extraction benchmark folder.
    dir: PathBuf,
    /// The date labels of the corpus (article, YYYY-MM-DD or `none`; tab-separated).
    #[arg(long)]
    labels: Option<PathBuf>,
    /// List every article whose date is not the labelled one.
    #[arg(long)]
    show: bool,
    /// Fail when the accuracy falls below this (labelled corpora only).
    #[arg(long)]
    min_accuracy: Option<f64>,
}

/// One article's verdict.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Verdict {
    Right,
    WrongDay,
    Missed,
    Invented,
}

fn verdict(gold: Option<NaiveDate>, got: Option<NaiveDate>) -> Verdict {
    match (gold, got) {
        (g, s) if g == s => Verdict::Right,
        (Some(_), None) => Verdict::Missed,
        (None, Some(_)) => Verdict::Invented,
        _ => Verdict::WrongDay,
    }
}

pub fn run(args: &DatesArgs, out: &mut dyn Write) -> Result<()> {
    if args.dir.join("ground-truth.json").is_file() {
        return against_urls(&args.dir, args.show, out);
    }
    let Some(labels_path) = &args.labels else {
        bail!("{}: not a benchmark folder (no ground-truth.json); give --labels for a corpus", args.dir.display());
    };
    let text =
        std::fs::read_to_string(labels_path).with_context(|| format!("cannot read {}", labels_path.display()))?;
    let mut labels: HashMap<String, Option<NaiveDate>> = HashMap::new();
    for (number, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let Some((article, date)) = line.split_once('\t') else {
            bail!("{}:{}: expected `article<TAB>date`", labels_path.display(), number + 1);
        };
        let date = match date.trim() {
            "none" => None,
            d => Some(NaiveDate::parse_from_str(d, "%Y-%m-%d").with_context(|| {
                format!("{}:{}: {d:?} is not a YYYY-MM-DD date", labels_path.display(), number + 1)
            })?),
        };
        labels.insert(article.to_owned(), date);
    }
    let mut counts: HashMap<(bool, Verdict), usize> = HashMap::new();
    let mut methods: HashMap<String, (usize, usize)> = HashMap::new();
    let mut wrong = Vec::new();
    let mut seen = 0usize;
    for doc in Sources::new([Input::Path(args.dir.clone())], SourceConfig::default()) {
        let doc = doc.with_context(|| format!("cannot read the corpus {}", args.dir.display()))?;
        let key = label_key(&doc.origin);
        let Some(&gold) = labels.get(&key) else {
            bail!("{}: no date label for {key}", labels_path.display());
        };
        seen += 1;
        let article = extract(&doc).with_context(|| format!("cannot extract {}", doc.origin))?;
        let got = article.published.date;
        let v = verdict(gold, got);
        *counts.entry((doc.media == MediaType::Html, v)).or_default() += 1;
        let method = article.published.method.map_or("none".to_owned(), |m| format!("{m:?}").to_lowercase());
        let entry = methods.entry(method).or_default();
        entry.0 += 1;
        entry.1 += usize::from(v == Verdict::Right);
        if v != Verdict::Right {
            wrong.push(format!(
                "  {key}: labelled {}, extracted {} ({v:?})",
                gold.map_or("none".into(), |d| d.to_string()),
                got.map_or("none".into(), |d| d.to_string())
            ));
        }
    }
    let count = |html: Option<bool>, v: Option<Verdict>| -> usize {
        counts
            .iter()
            .filter(|((h, vv), _)| html.is_none_or(|x| x == *h) && v.is_none_or(|x| x == *vv))
            .map(|(_, n)| n)
            .sum()
    };
    let accuracy = |html: Option<bool>| count(html, Some(Verdict::Right)) as f64 / count(html, None).max(1) as f64;
    writeln!(out, "publication dates: {seen} articles against {}", labels_path.display())?;
    for (name, html) in [("all", None), ("HTML pages", Some(true)), ("text, markdown, JSONL", Some(false))] {
        writeln!(
            out,
            "  {name}: {} of {} right = {:.3} (wrong day {}, missed {}, invented {})",
            count(html, Some(Verdict::Right)),
            count(html, None),
            accuracy(html),
            count(html, Some(Verdict::WrongDay)),
            count(html, Some(Verdict::Missed)),
            count(html, Some(Verdict::Invented))
        )?;
    }
    let mut methods: Vec<(String, (usize, usize))> = methods.into_iter().collect();
    methods.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(&b.0)));
    let by_method: Vec<String> = methods.iter().map(|(m, (n, right))| format!("{m} {right}/{n}")).collect();
    writeln!(out, "  by method: {}", by_method.join(", "))?;
    if args.show {
        for line in &wrong {
            writeln!(out, "{line}")?;
        }
    }
    let all = accuracy(None);
    if let Some(floor) = args.min_accuracy
        && all < floor
    {
        bail!("date accuracy {all:.3} is below the floor {floor:.3}");
    }
    Ok(())
}

/// A day written in a URL's path: `/2019/11/19/` or `2019-11-19`.
fn url_day(url: &str) -> Option<NaiveDate> {
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = url.split(['/', '?', '#']).collect();
    for window in parts.windows(3) {
        if digits(window[0], 4) && digits(window[1], 2) && digits(window[2], 2) {
            let day = format!("{}-{}-{}", window[0], window[1], window[2]);
            if let Ok(date) = NaiveDate::parse_from_str(&day, "%Y-%m-%d") {
                return Some(date);
            }
        }
    }
    let bytes = url.as_bytes();
    (0..bytes.len().saturating_sub(9)).find_map(|i| {
        let s = url.get(i..i + 10)?;
        let shape = s.bytes().enumerate().all(|(j, b)| if j == 4 || j == 7 { b == b'-' } else { b.is_ascii_digit() });
        (shape && url.as_bytes().get(i + 10).is_none_or(|b| !b.is_ascii_digit()))
            .then(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
            .flatten()
    })
}

fn against_urls(dir: &Path, show: bool, out: &mut dyn Write) -> Result<()> {
    let (mut with_day, mut agree, mut dated, mut pages) = (0usize, 0usize, 0usize, 0usize);
    let mut disagreements = Vec::new();
    for page in super::extraction::load(dir)? {
        let (id, url, html) = (page.id, page.url, page.html);
        pages += 1;
        let doc = Document::new(id.clone(), MediaType::Html, html, Hints { url: url.clone(), ..Hints::default() });
        let got = extract(&doc).ok().and_then(|a| a.published.date.map(|d| (d, a.published.method)));
        dated += usize::from(got.is_some());
        if let Some(day) = url.as_deref().and_then(url_day) {
            with_day += 1;
            // A page published late in the evening in one time zone is dated the next day in another.
            if got.is_some_and(|(d, _)| (d - day).num_days().abs() <= 1) {
                agree += 1;
            } else {
                disagreements.push(format!("  {id}: URL {day}, extracted {got:?}  {}", url.as_deref().unwrap_or("")));
            }
        }
    }
    writeln!(out, "publication dates on {pages} benchmark pages (no date truth; compared with days in URLs)")?;
    writeln!(out, "  a date extracted for {dated} of {pages} pages ({:.3})", dated as f64 / pages.max(1) as f64)?;
    writeln!(
        out,
        "  {with_day} URLs carry a day; the extracted date is within a day of it for {agree} ({:.3})",
        agree as f64 / with_day.max(1) as f64
    )?;
    if show {
        for line in &disagreements {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_in_urls() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        assert_eq!(url_day("https://www.nytimes.com/2019/11/18/business/trump.html"), day("2019-11-18"));
        assert_eq!(url_day("https://www.latimes.com/business/story/2019-11-19/gannett"), day("2019-11-19"));
        assert_eq!(url_day("https://example.com/news/608399"), None);
        assert_eq!(url_day("https://example.com/2019/13/45/x"), None);
    }

    #[test]
    fn verdicts() {
        let d = NaiveDate::from_ymd_opt(2024, 6, 19);
        assert_eq!(verdict(d, d), Verdict::Right);
        assert_eq!(verdict(None, None), Verdict::Right);
        assert_eq!(verdict(d, None), Verdict::Missed);
        assert_eq!(verdict(None, d), Verdict::Invented);
        assert_eq!(verdict(d, NaiveDate::from_ymd_opt(2024, 6, 20)), Verdict::WrongDay);
    }
}
