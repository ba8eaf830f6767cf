//! Story clustering against ECB+ (`../shared/bench/ecbplus-dev`): 772 news articles in 33 topics of
//! two confusable events each. All articles (of the chosen split) are annotated and streamed through
//! the linker at once, in a shuffled but fixed order, and the stories are scored against the gold
//! event clusters and topics with B-cubed and pairwise F1.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use quick_xml::events::Event;
use rayon::prelude::*;
use storyline_core::Article;
use storyline_core::link::{Features, LinkConfig, Linker, PAIR_FEATURES, PairModel, pair_features, profiles_of};

use super::clusters::score;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Split {
    Train,
    Dev,
    All,
}

#[derive(Debug, clap::Args)]
pub struct EcbplusArgs {
    /// The ecbplus-dev folder (with `clusters.tsv` and `ECB+/`).
    dir: PathBuf,
    /// Which documents to cluster: the standard train or dev topics, or all.
    #[arg(long, value_enum, default_value_t = Split::All)]
    split: Split,
    #[command(flatten)]
    knobs: super::LinkKnobs,
    /// Run each setting over this many shuffled orders and report the mean (and the worst).
    #[arg(long, default_value_t = 3)]
    orders: u64,
    /// Print event-level B-cubed F1 for a range of thresholds and entity shares instead.
    #[arg(long)]
    sweep: bool,
    /// Print, for the first order, every story that mixes gold events and every event split
    /// across stories, with counts.
    #[arg(long)]
    show: bool,
    /// Fit the pairwise model on the training topics' article pairs (and those of `--stream`) and
    /// print its weights.
    #[arg(long)]
    fit: bool,
    /// With `--fit`: also fit on every pair of this labelled stream's articles (a corpus folder;
    /// the labels are `--stream-labels`).
    #[arg(long, requires = "stream_labels")]
    stream: Option<PathBuf>,
    /// The story labels of `--stream`, e.g. examples/stories.tsv.
    #[arg(long, requires = "stream")]
    stream_labels: Option<PathBuf>,
    /// Fail when the event-level B-cubed F1 (mean over orders) falls below this.
    #[arg(long)]
    min_event_f1: Option<f64>,
}

struct Doc {
    name: String,
    topic: String,
    event: String,
    split: String,
    article: Article,
}

/// Joins tokens into running text: no space before closing punctuation and clitics, none after
/// opening brackets.
fn detokenize(tokens: &[String]) -> String {
    let mut text = String::new();
    let mut glue_next = false;
    for token in tokens {
        let closing =
            matches!(token.as_str(), "." | "," | ";" | ":" | "!" | "?" | ")" | "]" | "%" | "'s" | "n't" | "'")
                || token.starts_with('\'') && token.len() <= 3;
        if !text.is_empty() && !closing && !glue_next {
            text.push(' ');
        }
        text.push_str(token);
        glue_next = matches!(token.as_str(), "(" | "[" | "$");
    }
    text
}

fn read_doc(path: &Path) -> Result<Vec<Vec<String>>> {
    let xml = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut sentences: Vec<(u32, Vec<String>)> = Vec::new();
    let mut current: Option<u32> = None;
    loop {
        match reader.read_event().with_context(|| format!("{}: malformed XML", path.display()))? {
            Event::Start(e) if e.name().as_ref() == b"token" => {
                let sentence = e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.as_ref() == b"sentence")
                    .and_then(|a| a.unescape_value().ok()?.parse::<u32>().ok());
                current = sentence;
            }
            Event::Text(t) => {
                if let Some(sentence) = current {
                    let word = t.decode().map(|w| w.trim().to_owned()).unwrap_or_default();
                    if word.is_empty() {
                        continue;
                    }
                    match sentences.last_mut() {
                        Some((n, words)) if *n == sentence => words.push(word),
                        _ => sentences.push((sentence, vec![word])),
                    }
                }
            }
            Event::End(e) if e.name().as_ref() == b"token" => current = None,
            Event::Eof => break,
            _ => {}
        }
    }
    // In ECB+ files sentence 0 is the URL the text was found at, not text.
    let plus = path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with("ecbplus.xml"));
    Ok(sentences.into_iter().filter(|(n, _)| !(plus && *n == 0)).map(|(_, words)| words).collect())
}

fn load(dir: &Path, split: Split) -> Result<Vec<Doc>> {
    let tsv = dir.join("clusters.tsv");
    let table = std::fs::read_to_string(&tsv).with_context(|| format!("cannot read {}", tsv.display()))?;
    let mut rows = Vec::new();
    for (number, line) in table.lines().enumerate().skip(1) {
        let cells: Vec<&str> = line.split('\t').collect();
        let [name, topic, event, doc_split, ..] = cells.as_slice() else {
            bail!("{}:{}: expected doc_file, topic, subtopic_event_cluster, standard_split", tsv.display(), number + 1);
        };
        let wanted = match split {
            Split::All => true,
            Split::Train => *doc_split == "train",
            Split::Dev => *doc_split == "dev",
        };
        if wanted {
            rows.push((name.to_string(), topic.to_string(), event.to_string(), doc_split.to_string()));
        }
    }
    if rows.is_empty() {
        bail!("{}: no documents for this split", tsv.display());
    }
    rows.into_par_iter()
        .map(|(name, topic, event, split)| {
            let path = dir.join("ECB+").join(&topic).join(&name);
            let sentences = read_doc(&path)?;
            let body = sentences.iter().map(|s| detokenize(s)).collect::<Vec<_>>().join("\n\n");
            let mut article = Article::from_body(path.display().to_string(), body);
            storyline_core::annotate::annotate(&mut article);
            Ok(Doc { name, topic, event, split, article })
        })
        .collect()
}

/// A fixed shuffle: documents ordered by a seeded hash of their names.
fn order(docs: &[Doc], seed: u64) -> Vec<usize> {
    let key = |name: &str| foldhash::quality::FixedState::with_seed(seed).hash_one(name);
    let mut positions: Vec<usize> = (0..docs.len()).collect();
    positions.sort_by_key(|&i| key(&docs[i].name));
    positions
}

struct Scores {
    story: Vec<usize>,
    event_bcubed: super::Prf,
    event_pairwise: super::Prf,
    topic_bcubed: super::Prf,
    topic_pairwise: super::Prf,
    stories: usize,
}

fn run_once(docs: &[Doc], config: &LinkConfig, seed: u64) -> Scores {
    let mut linker = Linker::new(config.clone());
    let sequence = order(docs, seed);
    for &i in &sequence {
        linker.add(&docs[i].article);
    }
    linker.finish_batch();
    // Splits move articles after they were added: read the stories at the end.
    let mut story = vec![0usize; docs.len()];
    for (position, &i) in sequence.iter().enumerate() {
        story[i] = linker.story_of(position).unwrap_or(usize::MAX);
    }
    let events: Vec<&str> = docs.iter().map(|d| d.event.as_str()).collect();
    let topics: Vec<&str> = docs.iter().map(|d| d.topic.as_str()).collect();
    let (event_bcubed, event_pairwise) = score(&story, &events);
    let (topic_bcubed, topic_pairwise) = score(&story, &topics);
    Scores { story, event_bcubed, event_pairwise, topic_bcubed, topic_pairwise, stories: linker.story_count() }
}

pub fn run(args: &EcbplusArgs, out: &mut impl Write) -> Result<()> {
    let docs = load(&args.dir, args.split)?;
    let events = docs.iter().map(|d| d.event.as_str()).collect::<std::collections::HashSet<_>>().len();
    let topics = docs.iter().map(|d| d.topic.as_str()).collect::<std::collections::HashSet<_>>().len();
    let splits: HashMap<&str, usize> = docs.iter().fold(HashMap::new(), |mut m, d| {
        *m.entry(d.split.as_str()).or_default() += 1;
        m
    });
    writeln!(out, "ECB+: {} documents ({splits:?}), {events} gold events in {topics} topics", docs.len())?;
    let config = args.knobs.config();
    if args.fit {
        let stream = match (&args.stream, &args.stream_labels) {
            (Some(corpus), Some(labels)) => super::stories::labelled_pairs(corpus, labels, &config)?,
            _ => Vec::new(),
        };
        return fit(&docs, &config, stream, out);
    }
    let orders = args.orders.max(1);
    if args.sweep {
        writeln!(
            out,
            "event-level B-cubed F1 (mean of {orders} orders) by entity share (rows) and threshold (columns)"
        )?;
        let thresholds: Vec<f32> = (4..=30).map(|t| t as f32 * 0.02).collect();
        write!(out, "share")?;
        for t in &thresholds {
            write!(out, " {t:>5.2}")?;
        }
        writeln!(out)?;
        for share in [0.3f32, 0.4, 0.5, 0.6] {
            write!(out, "{share:>5.2}")?;
            for &threshold in &thresholds {
                let config = LinkConfig { threshold, entity_share: share, ..config.clone() };
                let f1: f64 =
                    (0..orders).map(|seed| run_once(&docs, &config, seed).event_bcubed.f1).sum::<f64>() / orders as f64;
                write!(out, " {f1:.3}")?;
            }
            writeln!(out)?;
        }
        return Ok(());
    }
    let runs: Vec<Scores> = (0..orders).map(|seed| run_once(&docs, &config, seed)).collect();
    let mean = |f: &dyn Fn(&Scores) -> f64| runs.iter().map(f).sum::<f64>() / runs.len() as f64;
    let worst = runs.iter().map(|r| r.event_bcubed.f1).fold(f64::INFINITY, f64::min);
    writeln!(
        out,
        "linker: threshold {:.2}, entity share {:.2}; {orders} shuffled orders",
        config.threshold, config.entity_share
    )?;
    for (i, r) in runs.iter().enumerate() {
        writeln!(
            out,
            "  order {i}: {} stories; events B3 {}; pairwise {}; topics B3 {}; pairwise {}",
            r.stories, r.event_bcubed, r.event_pairwise, r.topic_bcubed, r.topic_pairwise
        )?;
    }
    if args.show
        && let Some(first) = runs.first()
    {
        show(docs.as_slice(), &first.story, out)?;
    }
    let event_f1 = mean(&|r| r.event_bcubed.f1);
    writeln!(
        out,
        "mean: events B3 F1 {event_f1:.3} (worst order {worst:.3}), pairwise F1 {:.3}; topics B3 F1 {:.3}, pairwise F1 {:.3}",
        mean(&|r| r.event_pairwise.f1),
        mean(&|r| r.topic_bcubed.f1),
        mean(&|r| r.topic_pairwise.f1)
    )?;
    if let Some(floor) = args.min_event_f1
        && event_f1 < floor
    {
        bail!("event-level B-cubed F1 {event_f1:.3} is below the floor {floor:.3}");
    }
    Ok(())
}

/// Fits the pairwise model on the training topics: every pair of articles in one topic (the hard
/// negatives: same words, other event) and, of the pairs across topics, those sharing some words
/// plus a fixed sample of the rest; features weighed against the training articles as a whole.
/// The pairs of a labelled stream, when given, are added as they are.
fn fit(
    docs: &[Doc],
    config: &LinkConfig,
    stream: Vec<([f32; PAIR_FEATURES], bool)>,
    out: &mut impl Write,
) -> Result<()> {
    let train: Vec<&Doc> = docs.iter().filter(|d| d.split == "train").collect();
    if train.is_empty() {
        bail!("no training documents: --fit needs --split train or all");
    }
    let features: Vec<Features> = train.iter().map(|d| Features::of(&d.article)).collect();
    let profiles = profiles_of(&features, config.idf_power, config.member_features);
    let sample = |i: usize, j: usize| foldhash::quality::FixedState::with_seed(11).hash_one((i, j)).is_multiple_of(50);
    let mut samples = Vec::new();
    for i in 0..train.len() {
        for j in i + 1..train.len() {
            let x = pair_features(&profiles[i], &profiles[j]);
            if train[i].topic == train[j].topic || x[0] > 0.1 || sample(i, j) {
                samples.push((x, train[i].event == train[j].event));
            }
        }
    }
    let ecbplus = samples.len();
    let stream_pairs = stream.len();
    samples.extend(stream);
    let positives = samples.iter().filter(|(_, same)| *same).count();
    let model = PairModel::fit(&samples);
    writeln!(
        out,
        "pairwise model fitted on {} pairs ({ecbplus} of ECB+, {stream_pairs} of the stream; {positives} of one event or story):",
        samples.len()
    )?;
    writeln!(out, "  features: terms, entities, head, figures, other years, terms x entities, close in time")?;
    writeln!(out, "  weights: {:?}", model.weights.map(|w| (w * 100.0).round() / 100.0))?;
    writeln!(out, "  bias: {:.2}", model.bias)?;
    Ok(())
}

/// The stories that mix gold events, and the events spread over several stories.
fn show(docs: &[Doc], story: &[usize], out: &mut impl Write) -> Result<()> {
    let mut by_story: std::collections::BTreeMap<usize, std::collections::BTreeMap<&str, usize>> = Default::default();
    let mut by_event: std::collections::BTreeMap<&str, std::collections::BTreeMap<usize, usize>> = Default::default();
    for (doc, &s) in docs.iter().zip(story) {
        *by_story.entry(s).or_default().entry(doc.event.as_str()).or_default() += 1;
        *by_event.entry(doc.event.as_str()).or_default().entry(s).or_default() += 1;
    }
    for (s, events) in &by_story {
        if events.len() > 1 {
            writeln!(out, "  story {s} mixes events {events:?}")?;
        }
    }
    for (event, stories) in &by_event {
        if stories.len() > 1 {
            writeln!(out, "  event {event} is spread over stories {stories:?}")?;
        }
    }
    Ok(())
}
