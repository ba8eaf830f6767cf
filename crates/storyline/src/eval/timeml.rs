//! Time-expression evaluation on TimeML corpora (TempEval-3 Task A style): strict and relaxed span
//! P/R/F1, and `type` and `value` attribute F1 over relaxed matches, with the document creation
//! time as the anchor. Reads `.tml` files with a real XML parser.

use super::Prf;
use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use quick_xml::events::Event;
use std::io::Write;
use std::path::{Path, PathBuf};
use storyline_core::annotate::{TimeKind, find_times};

#[derive(Debug, clap::Args)]
pub struct TimemlArgs {
    /// A folder of `.tml` files (searched recursively).
    dir: PathBuf,
    /// Fail (exit 1) when value F1 falls below this.
    #[arg(long)]
    min_value_f1: Option<f64>,
    /// Print up to this many disagreements, for error analysis.
    #[arg(long, default_value_t = 0)]
    errors: usize,
}

struct Gold {
    start: usize,
    end: usize,
    kind: String,
    value: String,
}

struct Doc {
    name: String,
    dct: NaiveDate,
    text: String,
    gold: Vec<Gold>,
}

fn attribute(e: &quick_xml::events::BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

fn read_doc(path: &Path) -> Result<Doc> {
    let xml = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut in_dct, mut in_text) = (false, false);
    let mut dct = None;
    let mut text = String::new();
    let mut gold = Vec::new();
    let mut open: Option<(usize, String, String)> = None;
    loop {
        match reader.read_event().with_context(|| format!("{}: malformed XML", path.display()))? {
            Event::Start(e) => match e.name().as_ref() {
                b"DCT" => in_dct = true,
                b"TEXT" => in_text = true,
                b"TIMEX3" if in_dct => {
                    dct =
                        attribute(&e, b"value").and_then(|v| NaiveDate::parse_from_str(v.get(..10)?, "%Y-%m-%d").ok());
                }
                b"TIMEX3" if in_text => {
                    open = Some((
                        text.len(),
                        attribute(&e, b"type").unwrap_or_default(),
                        attribute(&e, b"value").unwrap_or_default(),
                    ));
                }
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                b"DCT" => in_dct = false,
                b"TEXT" => in_text = false,
                b"TIMEX3" if in_text => {
                    if let Some((start, kind, value)) = open.take() {
                        gold.push(Gold { start, end: text.len(), kind, value });
                    }
                }
                _ => {}
            },
            Event::Text(t) if in_text => text.push_str(&t.xml_content().unwrap_or_default()),
            Event::GeneralRef(r) if in_text => {
                let name = String::from_utf8_lossy(r.as_ref()).into_owned();
                text.push_str(match name.as_str() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "?",
                });
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let dct = dct.with_context(|| format!("{}: no document creation time", path.display()))?;
    Ok(Doc { name, dct, text, gold })
}

fn tml_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).with_context(|| format!("cannot read {}", d.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "tml") {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

fn kind_name(kind: TimeKind) -> &'static str {
    match kind {
        TimeKind::Date => "DATE",
        TimeKind::Time => "TIME",
        TimeKind::Duration => "DURATION",
        TimeKind::Set => "SET",
    }
}

pub fn run(args: &TimemlArgs, out: &mut dyn Write) -> Result<()> {
    let files = tml_files(&args.dir)?;
    if files.is_empty() {
        bail!("no .tml files under {}", args.dir.display());
    }
    let (mut gold_n, mut system_n, mut strict, mut relaxed, mut typed, mut valued) = (0, 0, 0, 0, 0, 0);
    let mut errors = Vec::new();
    let mut tokens = 0usize;
    let started = std::time::Instant::now();
    let mut busy = std::time::Duration::ZERO;
    for path in &files {
        let doc = read_doc(path)?;
        tokens += doc.text.split_whitespace().count();
        let t = std::time::Instant::now();
        let found = find_times(&doc.text, Some(doc.dct));
        busy += t.elapsed();
        gold_n += doc.gold.len();
        system_n += found.len();
        let mut used = vec![false; found.len()];
        for g in &doc.gold {
            let matched = found.iter().enumerate().find(|(i, s)| !used[*i] && s.start < g.end && g.start < s.end);
            let Some((i, s)) = matched else {
                errors.push(format!("{}: missed {:?} ({} {})", doc.name, &doc.text[g.start..g.end], g.kind, g.value));
                continue;
            };
            used[i] = true;
            relaxed += 1;
            if s.start == g.start && s.end == g.end {
                strict += 1;
            }
            if kind_name(s.kind) == g.kind {
                typed += 1;
            }
            if s.value.as_deref() == Some(g.value.as_str()) {
                valued += 1;
            } else {
                errors.push(format!(
                    "{}: {:?} gold {} {} / ours {:?} {} {} (dct {})",
                    doc.name,
                    &doc.text[g.start..g.end],
                    g.kind,
                    g.value,
                    s.text,
                    kind_name(s.kind),
                    s.value.as_deref().unwrap_or("-"),
                    doc.dct
                ));
            }
        }
        for (i, s) in found.iter().enumerate() {
            if !used[i] {
                errors.push(format!(
                    "{}: spurious {:?} {} {}",
                    doc.name,
                    s.text,
                    kind_name(s.kind),
                    s.value.as_deref().unwrap_or("-")
                ));
            }
        }
    }
    let value = Prf::from_counts(valued, system_n, gold_n);
    writeln!(
        out,
        "TimeML evaluation: {} documents, {} gold time expressions, {} found (anchor: document creation time)",
        files.len(),
        gold_n,
        system_n
    )?;
    writeln!(out, "  strict span   {}", Prf::from_counts(strict, system_n, gold_n))?;
    writeln!(out, "  relaxed span  {}", Prf::from_counts(relaxed, system_n, gold_n))?;
    writeln!(out, "  type          {}", Prf::from_counts(typed, system_n, gold_n))?;
    writeln!(out, "  value         {value}")?;
    writeln!(
        out,
        "  value accuracy on matched spans: {:.3}",
        if relaxed == 0 { 0.0 } else { valued as f64 / relaxed as f64 }
    )?;
    writeln!(
        out,
        "  speed: {:.0} tokens/s in the tagger ({} tokens, {:.2} s wall in all)",
        tokens as f64 / busy.as_secs_f64().max(1e-9),
        tokens,
        started.elapsed().as_secs_f64()
    )?;
    for line in errors.iter().take(args.errors) {
        writeln!(out, "  {line}")?;
    }
    if let Some(floor) = args.min_value_f1
        && value.f1 < floor
    {
        bail!("value F1 {:.3} is below the floor {floor:.3}", value.f1);
    }
    Ok(())
}
