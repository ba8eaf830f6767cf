//! `storyline bench`: ingest+extract throughput on generated noisy articles, on one core, with
//! memory read from the kernel at checkpoints so that a flat profile can be seen. Articles are made
//! one at a time from a seeded generator, never held together, so the corpus size costs no memory.

use anyhow::Result;
use std::io::Write;
use std::time::{Duration, Instant};
use storyline_core::annotate::annotate;
use storyline_core::{Document, Hints, MediaType, extract, process};
use storyline_store::{SqliteStore, Store};

#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// How many articles to generate.
    #[arg(long, default_value_t = 10_000)]
    articles: usize,
    /// Approximate size of each article's page text, in bytes.
    #[arg(long, default_value_t = 5_000)]
    size: usize,
    /// Share of articles generated as HTML pages rather than scraped text (0..1).
    #[arg(long, default_value_t = 0.0)]
    html_share: f64,
    /// Also store the articles in a temporary SQLite store (one transaction per 256).
    #[arg(long)]
    with_sqlite: bool,
    /// Measure extraction alone, without the annotate stage.
    #[arg(long, conflicts_with = "annotate_only")]
    extract_only: bool,
    /// Measure the annotate stage alone (extraction runs outside the clock).
    #[arg(long)]
    annotate_only: bool,
    /// Measure the link and reconcile stages instead, on generated annotated articles that form
    /// known stories (latency of each add, throughput, memory, and the stories' B-cubed F1).
    #[arg(long, conflicts_with_all = ["extract_only", "annotate_only", "with_sqlite"])]
    link: bool,
    /// With --link: instead of timing the linker, store the generated articles in the data folder
    /// (store, search index, story links), to load `storyline serve` with a store of that size.
    #[arg(long, requires = "link")]
    fill: bool,
    /// Seed of the generator: the same seed gives the same corpus.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Instead of measuring, write `--articles` generated raw pages that form known stories (with
    /// wire copies) to this JSONL file: the input of the cluster's tests and throughput runs.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["link", "with_sqlite", "warc_mb"])]
    pages: Option<std::path::PathBuf>,
    /// Measure WARC input instead: generate a gzipped WARC of about this many MB (uncompressed; one
    /// gzip member per record, a request and a response per page, as crawlers write them), then read
    /// it through the sources (gzip, WARC, HTTP) and extract every page.
    #[arg(long, conflicts_with_all = ["link", "with_sqlite", "annotate_only"])]
    warc_mb: Option<usize>,
}

pub fn run(args: &BenchArgs, data: &std::path::Path, out: &mut dyn Write) -> Result<()> {
    if let Some(path) = &args.pages {
        crate::story_pages::write(path, args.articles, args.seed)?;
        return Ok(writeln!(out, "storyline bench: {} generated pages written to {}", args.articles, path.display())?);
    }
    if args.fill {
        return crate::link_bench::fill(args.articles, args.seed, data, out);
    }
    if args.link {
        return crate::link_bench::run(args.articles, args.seed, out);
    }
    if let Some(mb) = args.warc_mb {
        return warc_bench(mb, args, out);
    }
    let mut generator = Generator::new(args.seed);
    let temp = tempfile_dir()?;
    let mut store = if args.with_sqlite { Some(SqliteStore::open(&temp)?) } else { None };
    let mut batch = Vec::new();
    let mut bytes = 0usize;
    let mut busy = Duration::ZERO;
    let mut failed = 0usize;
    let started = Instant::now();
    let checkpoints: Vec<usize> =
        [0.1, 0.25, 0.5, 1.0].iter().map(|f| ((args.articles as f64) * f).ceil() as usize).collect();
    writeln!(
        out,
        "storyline bench: {} generated articles of ~{} bytes, single core, {}{}",
        args.articles,
        args.size,
        if args.extract_only {
            "extract only"
        } else if args.annotate_only {
            "annotate only"
        } else {
            "extract + annotate"
        },
        if args.with_sqlite { ", with SQLite store" } else { "" }
    )?;
    writeln!(out, "{:>10}  {:>12}  {:>9}  {:>10}", "articles", "articles/s", "MB/s", "RSS MiB")?;
    for n in 1..=args.articles {
        let html = generator.chance(args.html_share);
        let page = generator.article(args.size, html);
        let media = if html { MediaType::Html } else { MediaType::Text };
        let doc = Document::new(format!("generated/{n}"), media, page.into_bytes(), Hints::default());
        bytes += doc.bytes.len();
        let mut t = Instant::now();
        let result = if args.extract_only {
            extract(&doc)
        } else if args.annotate_only {
            let extracted = extract(&doc);
            t = Instant::now();
            extracted.map(|mut article| {
                annotate(&mut article);
                article
            })
        } else {
            process(&doc)
        };
        match result {
            Ok(article) => batch.push(article),
            Err(_) => failed += 1,
        }
        if let Some(store) = store.as_mut() {
            if batch.len() == 256 || n == args.articles {
                store.put_articles(&batch)?;
                batch.clear();
            }
        } else {
            batch.clear();
        }
        busy += t.elapsed();
        if checkpoints.contains(&n) {
            let secs = busy.as_secs_f64().max(1e-9);
            writeln!(
                out,
                "{:>10}  {:>12.0}  {:>9.2}  {:>10.1}",
                n,
                n as f64 / secs,
                bytes as f64 / secs / 1e6,
                memory_kib("VmRSS:") as f64 / 1024.0
            )?;
        }
    }
    let secs = busy.as_secs_f64().max(1e-9);
    writeln!(
        out,
        "total: {} articles, {:.1} MB in {:.2} s of pipeline time ({:.2} s wall): {:.0} articles/s, {:.2} MB/s; {} failed",
        args.articles,
        bytes as f64 / 1e6,
        secs,
        started.elapsed().as_secs_f64(),
        args.articles as f64 / secs,
        bytes as f64 / secs / 1e6,
        failed
    )?;
    writeln!(out, "peak memory (VmHWM): {:.1} MiB", memory_kib("VmHWM:") as f64 / 1024.0)?;
    drop(store);
    let _ = std::fs::remove_dir_all(&temp);
    Ok(())
}

/// One WARC record with the headers the format requires.
fn warc_record(kind: &str, number: usize, uri: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Date: 2024-06-19T08:00:00Z\r\nWARC-Record-ID: <urn:uuid:{number:08x}-0000-4000-8000-{:012x}>\r\nWARC-Target-URI: {uri}\r\nContent-Type: application/http; msgtype={kind}\r\nContent-Length: {}\r\n\r\n",
        kind.len(),
        payload.len()
    )
    .into_bytes();
    out.extend_from_slice(payload);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

/// `bench --warc-mb N`: WARC reading and extraction throughput over a generated crawl.
fn warc_bench(mb: usize, args: &BenchArgs, out: &mut dyn Write) -> Result<()> {
    use std::io::Write as _;
    let temp = tempfile_dir()?;
    let path = temp.join("crawl.warc.gz");
    let mut generator = Generator::new(args.seed);
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path)?);
    let (mut raw, mut pages) = (0usize, 0usize);
    while raw < mb * 1_000_000 {
        pages += 1;
        let uri = format!("https://news.example/{pages}");
        let html = generator.article(args.size, true);
        let response = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n{html}",
            html.len()
        );
        let request = format!("GET /{pages} HTTP/1.1\r\nHost: news.example\r\n\r\n");
        for record in [
            warc_record("request", pages * 2, &uri, request.as_bytes()),
            warc_record("response", pages * 2 + 1, &uri, response.as_bytes()),
        ] {
            raw += record.len();
            let mut member = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            member.write_all(&record)?;
            file.write_all(&member.finish()?)?;
        }
    }
    file.flush()?;
    drop(file);
    let compressed = std::fs::metadata(&path)?.len() as f64;
    writeln!(
        out,
        "storyline bench: generated WARC of {pages} pages, {:.0} MB ({:.0} MB gzipped)",
        raw as f64 / 1e6,
        compressed / 1e6
    )?;
    for extracting in [false, true] {
        let started = Instant::now();
        let (mut documents, mut failed, mut body_bytes) = (0usize, 0usize, 0usize);
        let sources = storyline_source::Sources::new(
            vec![storyline_source::Input::Path(path.clone())],
            storyline_source::SourceConfig::default(),
        );
        for item in sources {
            match item {
                Ok(doc) if extracting => match extract(&doc) {
                    Ok(article) => {
                        documents += 1;
                        body_bytes += article.body.len();
                    }
                    Err(_) => failed += 1,
                },
                Ok(_) => documents += 1,
                Err(_) => failed += 1,
            }
        }
        let secs = started.elapsed().as_secs_f64().max(1e-9);
        writeln!(
            out,
            "{}: {documents} pages in {secs:.2} s: {:.1} MB/s of WARC ({:.1} MB/s gzipped), {:.0} pages/s; {failed} failed{}",
            if extracting { "read + extract" } else { "read (gzip, WARC, HTTP)" },
            raw as f64 / secs / 1e6,
            compressed / secs / 1e6,
            documents as f64 / secs,
            if extracting { format!("; {:.1} MB of article text", body_bytes as f64 / 1e6) } else { String::new() }
        )?;
    }
    writeln!(out, "peak memory (VmHWM): {:.1} MiB", memory_kib("VmHWM:") as f64 / 1024.0)?;
    let _ = std::fs::remove_dir_all(&temp);
    Ok(())
}

fn tempfile_dir() -> Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("storyline-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// A field of /proc/self/status in KiB; 0 where the kernel does not say.
pub fn memory_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// The benchmarks' dice: xorshift64*, seeded, so the same seed gives the same corpus (no
/// dependency for a benchmark's randomness).
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub(crate) fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `n` (0 when `n` is 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// A seeded generator of noisy news pages.
struct Generator {
    rng: Rng,
}

const OUTLETS: &[&str] =
    &["Harbour Courier", "Meridian Wire", "Eastern Ledger", "Northfield Gazette", "Capital Dispatch"];
const PEOPLE: &[&str] =
    &["Mayor Elena Ruiz", "Minister Tomas Berg", "Governor Wes Harlan", "Commissioner Ada Okafor", "Senator Lin Park"];
const PLACES: &[&str] =
    &["the port district", "the northern suburbs", "the river crossing", "the old town", "the industrial zone"];
const SUBJECTS: &[&str] =
    &["The council", "Emergency crews", "Investigators", "The transport agency", "Local residents", "The ministry"];
const VERBS: &[&str] = &["announced", "reported", "confirmed", "rejected", "reviewed", "welcomed", "questioned"];
const OBJECTS: &[&str] = &[
    "a new budget for road repairs",
    "the findings of the safety inquiry",
    "plans to reopen the channel",
    "a proposal to expand the tram line",
    "the latest casualty figures",
    "an agreement with the unions",
];
// Time expressions as dense as real reporting has them, so the annotate stage does real work.
const TAILS: &[&str] = &[
    "last week, according to a statement released on June 19, 2024.",
    "three years ago and will review it again next month.",
    "in the third quarter, up from a year earlier.",
    "on Monday morning, two days after the vote in March.",
    "for the past five months, and now expects a decision by Friday.",
    "on Tuesday, officials said.",
    "after weeks of talks.",
    "despite objections from the opposition.",
    "in a statement released late on Monday.",
    "according to figures seen by reporters.",
];

impl Generator {
    fn new(seed: u64) -> Self {
        Generator { rng: Rng::new(seed) }
    }

    fn next(&mut self) -> u64 {
        self.rng.next()
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }

    fn chance(&mut self, p: f64) -> bool {
        (self.next() % 10_000) as f64 / 10_000.0 < p
    }

    fn sentence(&mut self) -> String {
        let n = self.next() % 9000 + 100;
        format!(
            "{} {} {} in {} {} About {n} people were affected, {} said.",
            self.pick(SUBJECTS),
            self.pick(VERBS),
            self.pick(OBJECTS),
            self.pick(PLACES),
            self.pick(TAILS),
            self.pick(PEOPLE)
        )
    }

    fn article(&mut self, size: usize, html: bool) -> String {
        let outlet = self.pick(OUTLETS);
        let day = self.next() % 28 + 1;
        let title =
            format!("{} {} {} in {}", self.pick(SUBJECTS), self.pick(VERBS), self.pick(OBJECTS), self.pick(PLACES));
        let mut paragraphs = Vec::new();
        let mut len = 0;
        while len < size.saturating_sub(900) {
            let p = format!("{} {} {}", self.sentence(), self.sentence(), self.sentence());
            len += p.len();
            paragraphs.push(p);
        }
        let related: Vec<String> =
            (0..8).map(|_| format!("{} {} {}", self.pick(SUBJECTS), self.pick(VERBS), self.pick(OBJECTS))).collect();
        if html {
            let body: String = paragraphs
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let ad = if i % 3 == 2 { "<div class=\"ad-slot\">Advertisement</div>\n" } else { "" };
                    format!("<p>{p}</p>\n{ad}")
                })
                .collect();
            let links: String = related.iter().map(|r| format!("<li><a href=\"/x\">{r}</a></li>")).collect();
            format!(
                "<!doctype html><html lang=\"en\"><head><title>{title} | {outlet}</title><meta property=\"og:site_name\" content=\"{outlet}\"><meta property=\"article:published_time\" content=\"2024-05-{day:02}T10:00:00Z\"></head><body><nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav><article><h1>{title}</h1><p class=\"byline\">By Jane Holloway</p>\n{body}</article><aside class=\"related\"><h2>Related</h2><ul>{links}</ul></aside><footer>Subscribe to the {outlet}</footer></body></html>"
            )
        } else {
            let mut page = format!(
                "{outlet}\nHome | World | Business | Sport\n{title}\nBy Jane Holloway\nPublished: May {day}, 2024\n\n"
            );
            for (i, p) in paragraphs.iter().enumerate() {
                page.push_str(p);
                page.push_str("\n\n");
                if i % 3 == 2 {
                    page.push_str("Advertisement\n\n");
                }
            }
            page.push_str("Share | Tweet | Copy link\nRelated Articles\n");
            for r in &related {
                page.push_str(r);
                page.push('\n');
            }
            page.push_str(&format!("Subscribe to the {outlet}\nSupport independent journalism — donate today\n"));
            page
        }
    }
}
