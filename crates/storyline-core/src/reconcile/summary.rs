//! The story's title and summary, chosen from what its articles say (extractive: nothing is
//! written that no article wrote). Sentences are scored by how many of the story's key words they
//! hold, where a key word is one that several articles use; the summary takes the best lead
//! sentences of different articles, skipping any that repeat one already taken.

type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;
type HashSet<K> = std::collections::HashSet<K, foldhash::fast::FixedState>;
use std::hash::BuildHasher;

use super::{KeyEntity, QuoteRef, Source};
use crate::Article;

/// Sentences in a summary.
const SUMMARY_SENTENCES: usize = 3;
/// Sentences of each article considered for the summary (the lead carries the news).
const LEAD: usize = 3;

/// A set of words as `words` hashes them.
pub(super) type WordSet = HashSet<u64>;

/// The distinct words of four letters or more, as hashes of their lowercase letters (no
/// allocation per word: reconciling runs for every story an ingest touches).
pub(super) fn words(text: &str) -> WordSet {
    let state = foldhash::fast::FixedState::with_seed(0x5eed);
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().nth(3).is_some())
        .map(|w| {
            // ASCII words (nearly all of them) are lowered on the stack.
            let mut buffer = [0u8; 32];
            if w.is_ascii() && w.len() <= buffer.len() {
                let lowered = &mut buffer[..w.len()];
                lowered.copy_from_slice(w.as_bytes());
                lowered.make_ascii_lowercase();
                return state.hash_one(&*lowered);
            }
            state.hash_one(w.to_lowercase().as_bytes())
        })
        .collect()
}

/// What the summary and title need from one article: its lead sentences that could stand in a
/// summary (with their words), the words of its title and lead, and its title.
#[derive(Clone, Debug)]
pub(super) struct Lead {
    candidates: Vec<(QuoteRef, HashSet<u64>)>,
    words: HashSet<u64>,
    title: Option<(String, HashSet<u64>)>,
}

impl Lead {
    /// The words of the title and lead: what the article is about.
    pub(super) fn words(&self) -> &WordSet {
        &self.words
    }

    /// The lead without the candidate sentences that `keep` refuses (by their start in the body).
    pub(super) fn keeping(&self, keep: impl Fn(usize) -> bool) -> Lead {
        Lead {
            candidates: self.candidates.iter().filter(|(q, _)| keep(q.source.start)).cloned().collect(),
            ..self.clone()
        }
    }
}

pub(super) fn lead(article: &Article) -> Lead {
    let lead_end = article.sentences.get(LEAD.saturating_sub(1)).map_or(article.body.len(), |s| s.end);
    let mut seen = words(&article.body[..lead_end]);
    let title = article.title.as_ref().map(|t| (t.clone(), words(t)));
    if let Some((_, title_words)) = &title {
        seen.extend(title_words.iter().copied());
    }
    let mut candidates = Vec::new();
    for sentence in article.sentences.iter().take(LEAD) {
        let text = &article.body[sentence.start..sentence.end];
        if text.split_whitespace().count() < 8 || text.contains('\n') {
            continue;
        }
        let source = Source::of(article, sentence.start, sentence.end);
        candidates.push((QuoteRef { text: text.to_owned(), source }, words(text)));
    }
    Lead { candidates, words: seen, title }
}

/// Words used by at least two articles' titles and leads (or the only article's), with the number
/// of articles. The lead carries what the story is; the rest of the body would only cost time.
pub(super) fn key_words(leads: &[&Lead]) -> HashMap<u64, usize> {
    let mut counts: HashMap<u64, usize> = HashMap::default();
    for lead in leads {
        for word in &lead.words {
            *counts.entry(*word).or_default() += 1;
        }
    }
    let least = if leads.len() > 1 { 2 } else { 1 };
    counts.retain(|_, n| *n >= least && *n < leads.len().max(2) * 10);
    counts
}

fn score(ws: &HashSet<u64>, keys: &HashMap<u64, usize>) -> f64 {
    if ws.is_empty() {
        return 0.0;
    }
    let total: usize = ws.iter().filter_map(|w| keys.get(w)).sum();
    // Long sentences are not better for being long.
    total as f64 / (ws.len() as f64).sqrt()
}

pub(super) fn summary(leads: &[&Lead], keys: &HashMap<u64, usize>) -> Vec<QuoteRef> {
    let mut candidates: Vec<(f64, &QuoteRef, &HashSet<u64>)> = Vec::new();
    for lead in leads {
        for (quote, ws) in &lead.candidates {
            candidates.push((score(ws, keys), quote, ws));
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.source.article.cmp(&b.1.source.article)));
    let mut chosen: Vec<(&QuoteRef, &HashSet<u64>)> = Vec::new();
    for (_, candidate, ws) in candidates {
        let repeats = chosen.iter().any(|(c, other)| {
            let shared = ws.intersection(other).count();
            c.source.article == candidate.source.article || shared * 2 > ws.len().min(other.len())
        });
        if !repeats {
            chosen.push((candidate, ws));
        }
        if chosen.len() == SUMMARY_SENTENCES {
            break;
        }
    }
    chosen.into_iter().map(|(c, _)| c.clone()).collect()
}

/// The headline that best says what the whole story is about: of the articles' titles, the one
/// with the most key words and key entity names; without titles, the best lead sentence.
pub(super) fn title(
    leads: &[&Lead],
    entities: &[KeyEntity],
    keys: &HashMap<u64, usize>,
    summary: &[QuoteRef],
) -> String {
    let names: Vec<String> = entities.iter().take(6).map(|e| e.name.to_lowercase()).collect();
    let title_score = |(t, ws): &(String, HashSet<u64>)| {
        let lower = t.to_lowercase();
        score(ws, keys) + names.iter().filter(|n| lower.contains(n.as_str())).count() as f64
    };
    leads
        .iter()
        .filter_map(|l| l.title.as_ref())
        .max_by(|a, b| title_score(a).total_cmp(&title_score(b)).then(b.0.cmp(&a.0)))
        .map(|(t, _)| t.clone())
        .or_else(|| summary.first().map(|q| q.text.clone()))
        .unwrap_or_else(|| "Untitled story".to_owned())
}
