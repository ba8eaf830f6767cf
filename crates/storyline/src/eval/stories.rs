//! Story linking against our own labelled stream (`examples/stories.tsv` over `examples/corpus`):
//! the corpus is read, extracted and annotated, streamed through the linker in publication order
//! (undated articles last), and scored: B-cubed and pairwise F1 of the stories against the labelled
//! stories, and precision and recall of near-duplicate pairs against the labelled copies.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use storyline_core::link::{Features, LinkConfig, PAIR_FEATURES, link_all, pair_features, profiles_of};
use storyline_core::{Article, process};
use storyline_source::{Input, SourceConfig, Sources};

use super::Prf;
use super::clusters::score;
use super::labels::label_key;

#[derive(Debug, clap::Args)]
pub struct StoriesArgs {
    /// The corpus folder, e.g. examples/corpus.
    corpus: PathBuf,
    /// The story labels, e.g. examples/stories.tsv.
    labels: PathBuf,
    /// Fail when the story B-cubed F1 falls below this.
    #[arg(long)]
    min_story_f1: Option<f64>,
    /// Fail when the precision of near-duplicate pairs falls below this.
    #[arg(long)]
    min_duplicate_precision: Option<f64>,
    #[command(flatten)]
    knobs: super::LinkKnobs,
    /// Print each story's articles with their labelled stories.
    #[arg(long)]
    show: bool,
}

struct Label {
    story: String,
    copy_of: Option<String>,
}

fn read_labels(path: &Path) -> Result<BTreeMap<String, Label>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read the story labels {}", path.display()))?;
    let mut labels = BTreeMap::new();
    let mut header_seen = false;
    for (number, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if !header_seen {
            header_seen = true;
            if line.starts_with("article\t") {
                continue;
            }
        }
        let cells: Vec<&str> = line.split('\t').collect();
        let [article, story, _event, rest @ ..] = cells.as_slice() else {
            bail!("{}:{}: expected article, story, event, copy_of", path.display(), number + 1);
        };
        let copy_of = rest.first().map(|c| c.trim()).filter(|c| !c.is_empty()).map(str::to_owned);
        labels.insert(article.to_string(), Label { story: story.to_string(), copy_of });
    }
    Ok(labels)
}

/// The groups that `edges` join, as each key's representative (the least key of its group).
fn groups(keys: &[String], edges: &[(String, String)]) -> HashMap<String, String> {
    let mut parent: HashMap<String, String> = keys.iter().map(|k| (k.clone(), k.clone())).collect();
    fn root(parent: &HashMap<String, String>, key: &str) -> String {
        let mut at = key.to_owned();
        while let Some(up) = parent.get(&at).filter(|up| **up != at) {
            at = up.clone();
        }
        at
    }
    for (a, b) in edges {
        let (ra, rb) = (root(&parent, a), root(&parent, b));
        if ra != rb {
            let (low, high) = if ra < rb { (ra, rb) } else { (rb, ra) };
            parent.insert(high, low);
        }
    }
    keys.iter().map(|k| (k.clone(), root(&parent, k))).collect()
}

/// Pairs inside the same group, as sorted key pairs.
fn pairs(group_of: &HashMap<String, String>) -> Vec<(String, String)> {
    let mut members: BTreeMap<&String, Vec<&String>> = BTreeMap::new();
    for (key, group) in group_of {
        members.entry(group).or_default().push(key);
    }
    let mut out = Vec::new();
    for list in members.values_mut() {
        list.sort();
        for (i, a) in list.iter().enumerate() {
            for b in &list[i + 1..] {
                out.push(((*a).clone(), (*b).clone()));
            }
        }
    }
    out
}

/// The labelled stream: its articles (by label key) and their labels, every article labelled.
struct Stream {
    articles: Vec<(String, Article)>,
    labels: BTreeMap<String, Label>,
}

fn read_stream(corpus: &Path, labels_path: &Path) -> Result<Stream> {
    let labels = read_labels(labels_path)?;
    let mut articles: Vec<(String, Article)> = Vec::new();
    for doc in Sources::new([Input::Path(corpus.to_path_buf())], SourceConfig::default()) {
        let doc = doc.with_context(|| format!("cannot read the corpus {}", corpus.display()))?;
        let article = process(&doc).with_context(|| format!("cannot extract {}", doc.origin))?;
        articles.push((label_key(&doc.origin), article));
    }
    for (key, _) in &articles {
        if !labels.contains_key(key) {
            bail!("{}: no story label for {key}", labels_path.display());
        }
    }
    Ok(Stream { articles, labels })
}

/// Every pair of the labelled stream's articles as pair features and whether the two are of one
/// story, for fitting the pairwise model.
pub fn labelled_pairs(
    corpus: &Path,
    labels_path: &Path,
    config: &LinkConfig,
) -> Result<Vec<([f32; PAIR_FEATURES], bool)>> {
    let Stream { articles, labels } = read_stream(corpus, labels_path)?;
    let features: Vec<Features> = articles.iter().map(|(_, a)| Features::of(a)).collect();
    let profiles = profiles_of(&features, config.idf_power, config.member_features);
    let mut pairs = Vec::new();
    for i in 0..articles.len() {
        for j in i + 1..articles.len() {
            let same = labels[&articles[i].0].story == labels[&articles[j].0].story;
            pairs.push((pair_features(&profiles[i], &profiles[j]), same));
        }
    }
    Ok(pairs)
}

pub fn run(args: &StoriesArgs, out: &mut dyn Write) -> Result<()> {
    let Stream { articles, labels } = read_stream(&args.corpus, &args.labels)?;
    let config = args.knobs.config();
    let refs: Vec<&Article> = articles.iter().map(|(_, a)| a).collect();
    let linked = link_all(&refs, &config);
    let duplicate_edges: Vec<(String, String)> = linked
        .copy_of
        .iter()
        .enumerate()
        .filter_map(|(i, original)| original.map(|o| (articles[i].0.clone(), articles[o].0.clone())))
        .collect();
    let keys: Vec<String> = articles.iter().map(|(k, _)| k.clone()).collect();
    let system = linked.story;
    let gold: Vec<&str> = keys.iter().map(|k| labels[k].story.as_str()).collect();
    let (bcubed, pairwise) = score(&system, &gold);
    let gold_stories = gold.iter().collect::<std::collections::HashSet<_>>().len();
    writeln!(
        out,
        "Stories: {} articles, {} labelled stories, {} found; B-cubed {bcubed}; pairwise {pairwise}",
        articles.len(),
        gold_stories,
        system.iter().collect::<std::collections::HashSet<_>>().len()
    )?;
    let gold_edges: Vec<(String, String)> =
        keys.iter().filter_map(|k| labels[k].copy_of.as_ref().map(|original| (k.clone(), original.clone()))).collect();
    let found = pairs(&groups(&keys, &duplicate_edges));
    let expected = pairs(&groups(&keys, &gold_edges));
    let correct = found.iter().filter(|p| expected.contains(p)).count();
    let duplicates = Prf::from_counts(correct, found.len(), expected.len());
    writeln!(
        out,
        "Near-duplicates: {} labelled copy pairs, {} found, {correct} right; {duplicates}",
        expected.len(),
        found.len()
    )?;
    for pair in found.iter().filter(|p| !expected.contains(p)) {
        writeln!(out, "  not a labelled copy: {} ~ {}", pair.0, pair.1)?;
    }
    for pair in expected.iter().filter(|p| !found.contains(p)) {
        writeln!(out, "  copy missed: {} ~ {}", pair.0, pair.1)?;
    }
    if args.show {
        let mut by_story: BTreeMap<usize, Vec<(&str, &str)>> = BTreeMap::new();
        for (key, story) in keys.iter().zip(&system) {
            by_story.entry(*story).or_default().push((key, &labels[key].story));
        }
        for (story, members) in by_story {
            writeln!(out, "story {story}:")?;
            for (key, label) in members {
                writeln!(out, "  [{label}] {key}")?;
            }
        }
    }
    let mut failures = Vec::new();
    if let Some(floor) = args.min_story_f1
        && bcubed.f1 < floor
    {
        failures.push(format!("story B-cubed F1 {:.3} is below the floor {floor:.3}", bcubed.f1));
    }
    if let Some(floor) = args.min_duplicate_precision
        && duplicates.precision < floor
    {
        failures.push(format!("near-duplicate precision {:.3} is below the floor {floor:.3}", duplicates.precision));
    }
    if !failures.is_empty() {
        bail!("{}", failures.join("; "));
    }
    Ok(())
}
