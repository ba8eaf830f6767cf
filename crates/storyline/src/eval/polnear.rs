//! Speaker attribution on PolNeAR (brat standoff attributions over political news): for each direct
//! quote storyline finds that overlaps a gold Content span by at least half, is the speaker right?
//! Gold sources that are pronouns ("he", "she") are counted apart, since checking them needs the
//! coreference the corpus does not give. Also reports how many gold direct quotes were found.

use super::Prf;
use anyhow::{Context, Result, bail};
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use storyline_core::annotate::{find_quotes, sentences};

#[derive(Debug, clap::Args)]
pub struct PolnearArgs {
    /// The corpus folder, holding `text/` and `attributions/`.
    dir: PathBuf,
    /// Fail (exit 1) when speaker accuracy on found quotes falls below this.
    #[arg(long)]
    min_speaker_accuracy: Option<f64>,
    /// Print up to this many disagreements.
    #[arg(long, default_value_t = 0)]
    errors: usize,
}

struct Attribution {
    content: (usize, usize),
    source: Option<String>,
}

const PRONOUNS: &[&str] = &["he", "she", "they", "i", "we", "you", "it", "him", "her", "them", "his", "their"];

/// Byte offset of each character offset (brat offsets count characters).
fn char_to_byte(text: &str) -> Vec<usize> {
    let mut map: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    map.push(text.len());
    map
}

fn read_attributions(ann: &str, bytes: &[usize]) -> Vec<Attribution> {
    let mut spans: HashMap<&str, (String, usize, usize, String)> = HashMap::new();
    let mut out = Vec::new();
    for line in ann.lines() {
        let mut fields = line.split('\t');
        let (Some(id), Some(info)) = (fields.next(), fields.next()) else { continue };
        if id.starts_with('T') {
            let text = fields.next().unwrap_or_default().to_owned();
            let mut parts = info.split([' ', ';']);
            let label = parts.next().unwrap_or_default().to_owned();
            let numbers: Vec<usize> = parts.filter_map(|p| p.parse().ok()).collect();
            if let (Some(&start), Some(&end)) = (numbers.first(), numbers.last()) {
                let (start, end) = (bytes.get(start).copied().unwrap_or(0), bytes.get(end).copied().unwrap_or(0));
                spans.insert(id, (label, start, end, text));
            }
        } else if id.starts_with('E') {
            let roles: HashMap<&str, &str> = info.split(' ').filter_map(|r| r.split_once(':')).collect();
            let content = roles.get("Content").and_then(|t| spans.get(t));
            let source = roles.get("Source").and_then(|t| spans.get(t)).map(|s| s.3.clone());
            if let Some((_, start, end, _)) = content {
                out.push(Attribution { content: (*start, *end), source });
            }
        }
    }
    out
}

fn words(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 1)
        .map(str::to_lowercase)
        .filter(|w| !matches!(w.as_str(), "the" | "of" | "and" | "mr" | "mrs" | "ms"))
        .collect()
}

/// Same speaker when the names share a word ("Trump" and "Donald Trump").
fn same_speaker(ours: &str, gold: &str) -> bool {
    let gold_words = words(gold);
    words(ours).iter().any(|w| gold_words.contains(w))
}

pub fn run(args: &PolnearArgs, out: &mut dyn Write) -> Result<()> {
    let text_dir = args.dir.join("text");
    let ann_dir = args.dir.join("attributions");
    let mut texts: Vec<PathBuf> = std::fs::read_dir(&text_dir)
        .with_context(|| format!("cannot read {}", text_dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    texts.sort();
    if texts.is_empty() {
        bail!("no .txt files under {}", text_dir.display());
    }
    let mut annotations: Vec<PathBuf> = std::fs::read_dir(&ann_dir)
        .with_context(|| format!("cannot read {}", ann_dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    annotations.sort();

    let (mut found, mut matched, mut correct, mut pronoun, mut no_source, mut gold_direct, mut gold_direct_found) =
        (0, 0, 0, 0, 0, 0, 0);
    let mut errors = Vec::new();
    for path in &texts {
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        // One annotator per article: the first file in name order.
        let Some(ann_path) = annotations
            .iter()
            .find(|a| a.file_name().is_some_and(|n| n.to_string_lossy().starts_with(&format!("{stem}_"))))
        else {
            continue;
        };
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        let ann = std::fs::read_to_string(ann_path).with_context(|| format!("cannot read {}", ann_path.display()))?;
        let gold = read_attributions(&ann, &char_to_byte(&text));
        let quotes = find_quotes(&text, &sentences(&text));
        found += quotes.len();
        for g in &gold {
            let (s, e) = g.content;
            let direct = text.get(s..e).is_some_and(|c| c.trim_start().starts_with(['“', '"']));
            if direct {
                gold_direct += 1;
                if quotes.iter().any(|q| q.start < e && s < q.end) {
                    gold_direct_found += 1;
                }
            }
        }
        for q in &quotes {
            let overlap = |g: &&Attribution| {
                let (s, e) = g.content;
                let shared = q.end.min(e).saturating_sub(q.start.max(s));
                shared * 2 >= (q.end - q.start).max(1)
            };
            let Some(g) = gold.iter().find(overlap) else { continue };
            matched += 1;
            let Some(source) = &g.source else {
                no_source += 1;
                continue;
            };
            if PRONOUNS.contains(&source.to_lowercase().as_str()) {
                pronoun += 1;
                continue;
            }
            let ok = q.speaker.as_deref().is_some_and(|s| same_speaker(s, source));
            if ok {
                correct += 1;
            } else {
                errors.push(format!(
                    "{stem}: {:?} gold {source:?}, ours {:?}",
                    q.text.chars().take(60).collect::<String>(),
                    q.speaker
                ));
            }
        }
    }
    let scored = matched - pronoun - no_source;
    let accuracy = if scored == 0 { 0.0 } else { correct as f64 / scored as f64 };
    writeln!(
        out,
        "PolNeAR speaker attribution: {} articles; {found} quotes found, {matched} on a gold attribution",
        texts.len()
    )?;
    writeln!(
        out,
        "  speaker accuracy on found quotes with a named gold source: {correct} of {scored} = {accuracy:.3}"
    )?;
    writeln!(out, "  (set apart: {pronoun} with a pronoun as gold source, {no_source} with no gold source)")?;
    writeln!(
        out,
        "  gold direct quotes found: {gold_direct_found} of {gold_direct} ({:.3}); precision of found quotes: {}",
        gold_direct_found as f64 / gold_direct.max(1) as f64,
        Prf::from_counts(matched, found, matched).precision
    )?;
    for line in errors.iter().take(args.errors) {
        writeln!(out, "  {line}")?;
    }
    if let Some(floor) = args.min_speaker_accuracy
        && accuracy < floor
    {
        bail!("speaker accuracy {accuracy:.3} is below the floor {floor:.3}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_brat_attributions_with_character_offsets() {
        let text = "“Ça va,” she said. Trump said it was great.";
        let ann = "T1\tSource 9 12\tshe\nT2\tCue 13 17\tsaid\nT3\tContent 1 6\tÇa va\nT4\tAttribution 13 17\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n";
        let gold = read_attributions(ann, &char_to_byte(text));
        assert_eq!(gold.len(), 1);
        assert_eq!(&text[gold[0].content.0..gold[0].content.1], "Ça va");
        assert_eq!(gold[0].source.as_deref(), Some("she"));
        assert!(same_speaker("Donald Trump", "Trump"));
        assert!(!same_speaker("Clinton", "Trump"));
    }
}
