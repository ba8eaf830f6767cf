//! `storyline bench --link`: the link and reconcile stages at scale. A seeded generator streams
//! annotated articles (synthetic words and entities, no extraction) that belong to known stories —
//! stories open and fade over simulated days, outlets republish wire copies — through one linker,
//! timing every `add` (its latency percentiles are what adding one article to a store of that size
//! costs) and reconciling the stories each batch touched. Memory is read from the kernel. The
//! linking's accuracy against the generator's stories is reported too, so speed is never bought
//! with wrong stories.

use std::collections::{HashMap, HashSet, VecDeque};
use std::io::Write;
use std::time::{Duration, Instant};

use anyhow::Result;
use chrono::NaiveDate;
use storyline_core::annotate::{Entity, EntityKind, Mention, sentences};
use storyline_core::link::{LinkConfig, Linker};
use storyline_core::reconcile::{ArticleFacts, dossier_from};
use storyline_core::{Article, DocumentId};

use crate::bench::{Rng, memory_kib};
use crate::eval::clusters::score;

/// Articles per simulated day.
const PER_DAY: usize = 1_400;
/// Articles' reconcile facts kept in memory (the store's job in the product).
const WINDOW: usize = 20_000;
/// Articles between reconcile passes.
const BATCH: usize = 1_000;

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mer", "tan", "vi", "dor", "sel", "pra", "nu", "gest", "bal", "cor", "fen", "hal", "rim", "sto", "wen",
    "zar", "quo", "lin", "mar", "pel", "tor", "ves",
];

pub(crate) fn word(n: usize) -> String {
    let s = SYLLABLES.len();
    let mut w = String::new();
    let mut k = n;
    for _ in 0..3 {
        w.push_str(SYLLABLES[k % s]);
        k /= s;
        if k == 0 {
            break;
        }
    }
    w
}

struct Story {
    words: Vec<usize>,
    entities: Vec<(String, EntityKind)>,
    ends: usize,
}

struct Generator {
    rng: Rng,
    stories: Vec<Story>,
    active: Vec<usize>,
    recent: VecDeque<(String, usize)>,
}

const VOCABULARY: usize = 12_000;

impl Generator {
    fn open_story(&mut self, now: usize) {
        let words = (0..40).map(|_| self.rng.below(VOCABULARY)).collect();
        let id = self.stories.len();
        let entities = (0..4)
            .map(|i| {
                let kind = [EntityKind::Person, EntityKind::Place, EntityKind::Org, EntityKind::Person][i];
                let n = self.rng.below(40_000);
                (format!("{}/e{n}", kind_name(kind)), kind)
            })
            .collect();
        let days = 2 + self.rng.below(30);
        self.stories.push(Story { words, entities, ends: now + days * PER_DAY });
        self.active.push(id);
    }

    /// The next article, its story and whether it is a copy.
    fn article(&mut self, n: usize, start: NaiveDate) -> (Article, usize) {
        self.active.retain(|&s| self.stories[s].ends > n);
        if self.active.len() < 30 || self.rng.below(40) == 0 {
            self.open_story(n);
        }
        let date = start + chrono::Days::new((n / PER_DAY) as u64);
        // Wire copies: a recent body republished under another masthead.
        if self.rng.below(10) == 0
            && let Some((body, story)) = self.recent.get(self.rng.below(self.recent.len())).cloned()
        {
            let mut article =
                Article::from_body(format!("generated/{n}"), format!("From our wire partners.\n\n{body}"));
            article.published.date = Some(date);
            article.sentences = sentences(&article.body);
            return (article, story);
        }
        let story = self.active[self.rng.below(self.active.len())];
        let mut body = String::new();
        for sentence in 0..18 {
            for i in 0..16 {
                let w = if self.rng.below(10) < 4 {
                    let words = &self.stories[story].words;
                    word(words[self.rng.below(words.len())])
                } else {
                    // Common words are common: a skewed pick from the whole vocabulary.
                    let r = self.rng.below(VOCABULARY);
                    word(r * r / VOCABULARY)
                };
                if i > 0 {
                    body.push(' ');
                }
                body.push_str(&w);
            }
            body.push_str(if sentence % 6 == 5 { ".\n\n" } else { ". " });
        }
        let title: Vec<String> = (0..7).map(|_| word(self.stories[story].words[self.rng.below(40)])).collect();
        let mut article = Article::from_body(format!("generated/{n}"), body.trim_end().to_owned());
        article.title = Some(title.join(" "));
        article.published.date = Some(date);
        article.sentences = sentences(&article.body);
        let mut entities: Vec<(String, EntityKind)> =
            (0..3).map(|_| self.stories[story].entities[self.rng.below(4)].clone()).collect();
        entities.push((format!("place/e{}", self.rng.below(40_000)), EntityKind::Place));
        entities.sort();
        entities.dedup();
        article.entities = entities
            .into_iter()
            .map(|(id, kind)| Entity {
                name: id.clone(),
                kind,
                known: false,
                aliases: vec![id.clone()],
                roles: Vec::new(),
                mentions: (0..1 + self.rng.below(4))
                    .map(|_| Mention { text: id.clone(), start: 0, end: 0, sense: None, role: None })
                    .collect(),
                id,
            })
            .collect();
        self.recent.push_back((article.body.clone(), story));
        if self.recent.len() > 200 {
            self.recent.pop_front();
        }
        (article, story)
    }
}

fn kind_name(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "person",
        EntityKind::Org => "org",
        EntityKind::Place => "place",
        EntityKind::Nationality => "nationality",
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

pub fn run(articles: usize, seed: u64, out: &mut dyn Write) -> Result<()> {
    let mut generator =
        Generator { rng: Rng::new(seed), stories: Vec::new(), active: Vec::new(), recent: VecDeque::new() };
    let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default();
    let mut linker = Linker::new(LinkConfig::default());
    let mut window: VecDeque<(usize, ArticleFacts)> = VecDeque::new();
    let mut latencies: Vec<Duration> = Vec::with_capacity(articles);
    let mut gold: Vec<usize> = Vec::with_capacity(articles);
    let (mut link_time, mut reconcile_time) = (Duration::ZERO, Duration::ZERO);
    let mut touched: HashSet<usize> = HashSet::new();
    let (mut reconciled, mut reconciled_articles) = (0usize, 0usize);
    writeln!(out, "storyline bench --link: {articles} generated annotated articles, single core, link + reconcile")?;
    writeln!(out, "{:>10}  {:>12}  {:>10}  {:>10}  {:>9}", "articles", "articles/s", "p50 add", "p99 add", "RSS MiB")?;
    let checkpoints: Vec<usize> =
        [0.01, 0.1, 0.25, 0.5, 1.0].iter().map(|f| ((articles as f64) * f) as usize).collect();
    for n in 1..=articles {
        let (article, story) = generator.article(n, start);
        gold.push(story);
        let t = Instant::now();
        let assignment = linker.add(&article);
        let took = t.elapsed();
        link_time += took;
        latencies.push(took);
        touched.insert(assignment.story);
        // Each article is read for reconciling once; its story's dossier is assembled from facts.
        let t = Instant::now();
        window.push_back((n - 1, ArticleFacts::of(&article)));
        reconcile_time += t.elapsed();
        if window.len() > WINDOW {
            window.pop_front();
        }
        if n % BATCH == 0 || n == articles {
            let t = Instant::now();
            let copy_of: HashMap<DocumentId, DocumentId> = HashMap::new();
            let mut members: HashMap<usize, Vec<&ArticleFacts>> = HashMap::new();
            for (position, a) in &window {
                if let Some(s) = linker.story_of(*position)
                    && touched.contains(&s)
                {
                    members.entry(s).or_default().push(a);
                }
            }
            for (s, list) in members {
                reconciled_articles += list.len();
                let _ = dossier_from(&format!("s{s}"), &list, &copy_of);
                reconciled += 1;
            }
            touched.clear();
            reconcile_time += t.elapsed();
        }
        if checkpoints.contains(&n) {
            let mut recent: Vec<Duration> = latencies[latencies.len().saturating_sub(10_000)..].to_vec();
            recent.sort();
            let secs = (link_time + reconcile_time).as_secs_f64().max(1e-9);
            writeln!(
                out,
                "{:>10}  {:>12.0}  {:>8.3}ms  {:>8.3}ms  {:>9.1}",
                n,
                n as f64 / secs,
                percentile(&recent, 0.5).as_secs_f64() * 1e3,
                percentile(&recent, 0.99).as_secs_f64() * 1e3,
                memory_kib("VmRSS:") as f64 / 1024.0
            )?;
        }
    }
    latencies.sort();
    let secs = (link_time + reconcile_time).as_secs_f64().max(1e-9);
    writeln!(
        out,
        "total: {articles} articles in {:.2} s (link {:.2} s, reconcile {:.2} s over {reconciled} story passes of {reconciled_articles} articles): {:.0} articles/s",
        secs,
        link_time.as_secs_f64(),
        reconcile_time.as_secs_f64(),
        articles as f64 / secs
    )?;
    writeln!(
        out,
        "add latency over all articles: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        percentile(&latencies, 0.5).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3
    )?;
    let system: Vec<usize> = (0..articles).map(|p| linker.story_of(p).unwrap_or(usize::MAX)).collect();
    let (bcubed, _) = score(&system, &gold);
    writeln!(
        out,
        "stories: {} generated, {} found; B-cubed against the generator's stories {bcubed}",
        generator.stories.len(),
        linker.story_count()
    )?;
    writeln!(out, "peak memory (VmHWM): {:.1} MiB", memory_kib("VmHWM:") as f64 / 1024.0)?;
    Ok(())
}

/// Outlets the filled store's articles are spread over.
const OUTLETS: &[&str] = &[
    "Meridian Wire",
    "The Harbour Courier",
    "Eastern Ledger",
    "The Northgate Observer",
    "Baltic Beacon",
    "Pacific Wire Service",
    "The Straits Herald",
    "Kyiv Morning Post",
    "The Continental Desk",
    "Lowland Tribune",
];

/// `storyline bench --link --fill`: the generated articles stored in the data folder — one store
/// transaction and one index commit per 1,000, then every article linked into stories — so that a
/// server can be loaded with a store of that size. Prints how long each part took.
pub fn fill(articles: usize, seed: u64, data: &std::path::Path, out: &mut dyn Write) -> Result<()> {
    use storyline_store::Store;
    let mut generator =
        Generator { rng: Rng::new(seed), stories: Vec::new(), active: Vec::new(), recent: VecDeque::new() };
    let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default();
    let mut store = crate::open_store_at(None, data)?;
    let index = crate::search::open_index(data, &store, true, true)?;
    let began = Instant::now();
    let mut batch = Vec::with_capacity(BATCH);
    let (mut stored, mut indexed) = (Duration::ZERO, Duration::ZERO);
    for n in 1..=articles {
        let (mut article, _) = generator.article(n, start);
        article.outlet = Some(OUTLETS[n % OUTLETS.len()].to_owned());
        article.language = Some("en".to_owned());
        batch.push(article);
        if batch.len() == BATCH || n == articles {
            let t = Instant::now();
            store.put_articles(&batch)?;
            stored += t.elapsed();
            let t = Instant::now();
            index.put(&batch)?;
            indexed += t.elapsed();
            batch.clear();
        }
    }
    let t = Instant::now();
    let writer = crate::stories::LiveWriter::new(store)?;
    let linked = t.elapsed();
    writeln!(
        out,
        "filled {}: {} articles ({} stored now), {} stories; store {:.1} s, index {:.1} s, link {:.1} s, all {:.1} s; peak RSS {} MiB",
        data.display(),
        articles,
        writer.store.count()?,
        writer.store.story_links()?.iter().map(|l| &l.story).collect::<HashSet<_>>().len(),
        stored.as_secs_f64(),
        indexed.as_secs_f64(),
        linked.as_secs_f64(),
        began.elapsed().as_secs_f64(),
        memory_kib("VmHWM:") / 1024,
    )?;
    Ok(())
}
