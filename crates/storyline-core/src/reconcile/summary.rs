//! The story's title and summary, chosen from what its articles say (extractive: nothing is
//! written that no article wrote). Sentences are scored by how many of the story's key words they
//! hold, where a key word is one that several articles use; the summary takes the best lead
//! sentences of different articles, skipping any that repeat one already taken.

use std::collections::{HashMap, HashSet};

use super::{KeyEntity, QuoteRef, Source};
use crate::Article;

/// Sentences in a summary.
const SUMMARY_SENTENCES: usize = 3;
/// Sentences of each article considered for the summary (the lead carries the news).
const LEAD: usize = 3;

fn words(text: &str) -> HashSet<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() >= 4).map(str::to_lowercase).collect()
}

/// Words used by at least two articles (or the only article), with the number of articles.
fn key_words(articles: &[&Article]) -> HashMap<String, usize> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for article in articles {
        for word in words(&article.body) {
            *counts.entry(word).or_default() += 1;
        }
    }
    let least = if articles.len() > 1 { 2 } else { 1 };
    counts.retain(|_, n| *n >= least && *n < articles.len().max(2) * 10);
    counts
}

fn score(text: &str, keys: &HashMap<String, usize>) -> f64 {
    let ws = words(text);
    if ws.is_empty() {
        return 0.0;
    }
    let total: usize = ws.iter().filter_map(|w| keys.get(w)).sum();
    // Long sentences are not better for being long.
    total as f64 / (ws.len() as f64).sqrt()
}

pub(super) fn summary(articles: &[&Article]) -> Vec<QuoteRef> {
    let keys = key_words(articles);
    let mut candidates: Vec<(f64, QuoteRef)> = Vec::new();
    for article in articles {
        for sentence in article.sentences.iter().take(LEAD) {
            let text = &article.body[sentence.start..sentence.end];
            if text.split_whitespace().count() < 8 || text.contains('\n') {
                continue;
            }
            let source = Source::of(article, sentence.start, sentence.end);
            candidates.push((score(text, &keys), QuoteRef { text: text.to_owned(), source }));
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.source.article.cmp(&b.1.source.article)));
    let mut chosen: Vec<QuoteRef> = Vec::new();
    for (_, candidate) in candidates {
        let ws = words(&candidate.text);
        let repeats = chosen.iter().any(|c| {
            let other = words(&c.text);
            let shared = ws.intersection(&other).count();
            c.source.article == candidate.source.article || shared * 2 > ws.len().min(other.len())
        });
        if !repeats {
            chosen.push(candidate);
        }
        if chosen.len() == SUMMARY_SENTENCES {
            break;
        }
    }
    chosen
}

/// The headline that best says what the whole story is about: of the articles' titles, the one
/// with the most key words and key entity names; without titles, the best lead sentence.
pub(super) fn title(articles: &[&Article], entities: &[KeyEntity]) -> String {
    let keys = key_words(articles);
    let names: Vec<String> = entities.iter().take(6).map(|e| e.name.to_lowercase()).collect();
    let title_score = |t: &str| {
        let lower = t.to_lowercase();
        score(t, &keys) + names.iter().filter(|n| lower.contains(n.as_str())).count() as f64
    };
    articles
        .iter()
        .filter_map(|a| a.title.as_deref())
        .max_by(|a, b| title_score(a).total_cmp(&title_score(b)).then(b.cmp(a)))
        .map(str::to_owned)
        .or_else(|| summary(articles).into_iter().next().map(|q| q.text))
        .unwrap_or_else(|| "Untitled story".to_owned())
}
