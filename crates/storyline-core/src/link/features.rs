//! What an article is about, as numbers: its salient terms (lowercase words of the title and body,
//! weighted by tf-idf against the articles seen so far), the terms of its headline and lead (what
//! its own event is), the identities of the entities it names and the words of their names, the
//! figures it gives, the years it dates things to and its publication date. Features are 32-bit
//! hashes of `kind:value` strings.

use super::Map as HashMap;
use std::hash::BuildHasher;

use crate::Article;
use crate::annotate::EntityKind;

/// A feature's 64-bit key.
/// 32 bits: a story's features number in the hundreds and a corpus's in the millions, so collisions
/// are rare and harmless (two rare words counted as one), and vectors take half the memory.
pub type FeatureId = u32;

/// Sparse weights, sorted by feature id, scaled to unit length.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FeatureVector(pub Vec<(FeatureId, f32)>);

impl FeatureVector {
    fn from_counts(counts: HashMap<FeatureId, f32>) -> Self {
        let mut weights: Vec<(FeatureId, f32)> = counts.into_iter().filter(|(_, w)| *w > 0.0).collect();
        weights.sort_unstable_by_key(|(f, _)| *f);
        let norm = weights.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            for (_, w) in &mut weights {
                *w /= norm;
            }
        }
        FeatureVector(weights)
    }

    /// The `keep` heaviest weights, in feature order, scaled to unit length again.
    pub fn truncated(&self, keep: usize) -> FeatureVector {
        if self.0.len() <= keep {
            return self.clone();
        }
        let mut heaviest = self.0.clone();
        heaviest.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        heaviest.truncate(keep);
        heaviest.sort_unstable_by_key(|(f, _)| *f);
        let norm = heaviest.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            for (_, w) in &mut heaviest {
                *w /= norm;
            }
        }
        FeatureVector(heaviest)
    }

    /// The cosine of two unit vectors (both sorted by feature id).
    pub fn cosine(&self, other: &FeatureVector) -> f32 {
        let (mut a, mut b) = (self.0.iter().peekable(), other.0.iter().peekable());
        let mut dot = 0.0;
        while let (Some(x), Some(y)) = (a.peek(), b.peek()) {
            match x.0.cmp(&y.0) {
                std::cmp::Ordering::Less => {
                    a.next();
                }
                std::cmp::Ordering::Greater => {
                    b.next();
                }
                std::cmp::Ordering::Equal => {
                    dot += x.1 * y.1;
                    a.next();
                    b.next();
                }
            }
        }
        dot
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The `n` heaviest features.
    pub fn top(&self, n: usize) -> Vec<FeatureId> {
        let mut by_weight = self.0.clone();
        by_weight.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        by_weight.into_iter().take(n).map(|(f, _)| f).collect()
    }
}

/// Raw features of one article, before weighting: term counts and entity counts.
#[derive(Clone, Debug, Default)]
pub struct Features {
    pub terms: HashMap<FeatureId, f32>,
    /// The terms of the title and the first sentence (the first two without a title).
    pub head: HashMap<FeatureId, f32>,
    pub entities: HashMap<FeatureId, f32>,
    /// The figures the text gives: the values of its quantities, every non-year number written
    /// in it, and one constant figure every article has.
    pub figures: HashMap<FeatureId, f32>,
    /// The calendar years the text dates things to.
    pub years: Vec<i32>,
    /// The article's language, where known.
    pub language: Option<String>,
    /// The article's publication date, where known.
    pub published: Option<chrono::NaiveDate>,
}

static STOPWORDS: &str = include_str!("../../data/stopwords.txt");

fn hash_feature(kind: &str, value: &str) -> FeatureId {
    let hash = foldhash::quality::FixedState::with_seed(0x5709_11e5).hash_one((kind, value));
    (hash ^ (hash >> 32)) as FeatureId
}

/// A title word counts as much as this many body words.
const TITLE_WEIGHT: f32 = 3.0;

impl Features {
    /// The features of an annotated article.
    pub fn of(article: &Article) -> Features {
        let mut features =
            Features { language: article.language.clone(), published: article.published.date, ..Features::default() };
        let add_terms = |counts: &mut HashMap<FeatureId, f32>, text: &str, weight: f32| {
            for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() >= 3) {
                if let Some(term) = term_of(word) {
                    *counts.entry(term).or_default() += weight;
                }
            }
        };
        if let Some(title) = &article.title {
            add_terms(&mut features.terms, title, TITLE_WEIGHT);
            add_terms(&mut features.head, title, 1.0);
        }
        add_terms(&mut features.terms, &article.body, 1.0);
        let lead_sentences = if article.title.is_some() { 1 } else { 2 };
        for sentence in article.sentences.iter().take(lead_sentences) {
            if let Some(text) = article.body.get(sentence.start..sentence.end) {
                add_terms(&mut features.head, text, 1.0);
            }
        }
        // Figures: the values of the quantities found, and every number written in the text
        // (scores, versions, tolls, dates of the month), but not years. One constant figure more,
        // so that two articles giving no figures agree on that.
        let mut add_figure = |value: &str| *features.figures.entry(hash_feature("n", value)).or_default() += 1.0;
        add_figure("");
        for quantity in &article.quantities {
            if let Some(value) = quantity.value {
                add_figure(&format!("{value}"));
            }
        }
        for token in article.body.split_whitespace() {
            if let Some(number) = number_of(token) {
                add_figure(&number);
            }
        }
        for entity in &article.entities {
            // Nationalities say little about which story this is ("Russian", "American").
            let weight = if entity.kind == EntityKind::Nationality { 0.5 } else { 1.0 };
            let weight = weight * entity.mentions.len() as f32;
            *features.entities.entry(hash_feature("e", &entity.id)).or_default() += weight;
            // The words of the name as well, so that "Microsoft" meets "Microsoft Corp." and a
            // surname meets the full name across articles.
            let name = entity.id.split_once('/').map_or(entity.id.as_str(), |(_, name)| name);
            for part in name.split('-').filter(|part| part.len() >= 2) {
                *features.entities.entry(hash_feature("p", part)).or_default() += weight;
            }
        }
        // Years the text dates things to ("in 2008", "March 2011") tell apart stories that share
        // every word but happened in different years.
        for time in &article.times {
            let Some(value) = time.value.as_deref() else { continue };
            let year = value.get(..4).filter(|y| y.bytes().all(|b| b.is_ascii_digit()));
            if let Some(year) = year {
                *features.entities.entry(hash_feature("y", year)).or_default() += 1.0;
                if let Ok(year) = year.parse::<i32>()
                    && !features.years.contains(&year)
                {
                    features.years.push(year);
                }
            }
        }
        if let Some(date) = article.published.date {
            let year = chrono::Datelike::year(&date);
            if !features.years.contains(&year) {
                features.years.push(year);
            }
        }
        features
    }
}

/// The number a whitespace token writes ("11,000" → "11000", "7.6", "(3)" → "3"), or `None`
/// for a word or a year (1900–2099).
fn number_of(token: &str) -> Option<String> {
    let number =
        token.trim_start_matches(|c: char| !c.is_alphanumeric()).trim_end_matches(|c: char| !c.is_ascii_digit());
    if !number.starts_with(|c: char| c.is_ascii_digit())
        || !number.chars().all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    {
        return None;
    }
    let number = number.replace(',', "");
    let year = number.len() == 4 && (number.starts_with("19") || number.starts_with("20"));
    (!year).then_some(number)
}

/// Words already turned into terms, by the hash of the word as written: lowercasing and the
/// stopword look-up are most of the cost of features, and news repeats its words. Bounded;
/// cleared when full.
const TERM_MEMO: usize = 200_000;

thread_local! {
    static TERMS: std::cell::RefCell<HashMap<u64, Option<FeatureId>>> = std::cell::RefCell::new(HashMap::default());
}

/// The term feature of a word (lowercase, unstemmed: the exact word forms tell two events of one
/// kind apart better than their stems, measured on ECB+), or `None` for a stopword.
fn term_of(word: &str) -> Option<FeatureId> {
    let key = foldhash::fast::FixedState::with_seed(7).hash_one(word);
    if let Some(found) = TERMS.with(|memo| memo.borrow().get(&key).copied()) {
        return found;
    }
    let lower = word.to_lowercase();
    let term = if is_stopword(&lower) { None } else { Some(hash_feature("t", &lower)) };
    TERMS.with(|memo| {
        let mut memo = memo.borrow_mut();
        if memo.len() >= TERM_MEMO {
            memo.clear();
        }
        memo.insert(key, term);
    });
    term
}

fn is_stopword(word: &str) -> bool {
    static SET: std::sync::LazyLock<foldhash::HashSet<&'static str>> = std::sync::LazyLock::new(|| {
        STOPWORDS.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect()
    });
    SET.contains(word)
}

/// Document frequencies of the features seen so far, for inverse-document-frequency weights.
#[derive(Clone, Debug, Default)]
pub struct Vocabulary {
    documents: u32,
    frequency: HashMap<FeatureId, u32>,
}

impl Vocabulary {
    /// Counts one more document with these features.
    pub fn add(&mut self, features: &Features) {
        self.documents += 1;
        for feature in features.terms.keys().chain(features.entities.keys()).chain(features.figures.keys()) {
            *self.frequency.entry(*feature).or_default() += 1;
        }
    }

    pub fn idf(&self, feature: FeatureId) -> f32 {
        let df = self.frequency.get(&feature).copied().unwrap_or(0) as f32;
        ((1.0 + self.documents as f32) / (1.0 + df)).ln() + 1.0
    }

    /// Sublinear tf times idf to the given power, each kind scaled to unit length.
    pub fn weigh(&self, features: &Features, idf_power: f32) -> Weighted {
        let weigh = |counts: &HashMap<FeatureId, f32>| {
            FeatureVector::from_counts(
                counts.iter().map(|(f, c)| (*f, (1.0 + c.ln()) * self.idf(*f).powf(idf_power))).collect(),
            )
        };
        Weighted {
            terms: weigh(&features.terms),
            head: weigh(&features.head),
            entities: weigh(&features.entities),
            figures: weigh(&features.figures),
        }
    }
}

/// An article's features weighed against the vocabulary, each kind a unit vector.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Weighted {
    pub terms: FeatureVector,
    pub head: FeatureVector,
    pub entities: FeatureVector,
    pub figures: FeatureVector,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_as_written_and_years_are_not_figures() {
        assert_eq!(number_of("11,000").as_deref(), Some("11000"));
        assert_eq!(number_of("(7.6),").as_deref(), Some("7.6"));
        assert_eq!(number_of("$5bn").as_deref(), Some("5"));
        assert_eq!(number_of("2024."), None);
        assert_eq!(number_of("COVID-19"), None);
        assert_eq!(number_of("troops"), None);
        assert_eq!(number_of("—"), None);
    }

    #[test]
    fn terms_are_lowercase_words_and_stopwords_are_not_terms() {
        assert_eq!(term_of("Treaty"), term_of("treaty"));
        assert_ne!(term_of("treaty"), term_of("treaties"));
        assert_eq!(term_of("the"), None);
    }
}
