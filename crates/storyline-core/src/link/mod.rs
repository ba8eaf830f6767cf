//! The link stage: near-duplicates and stories. Each annotated article gets a signature (MinHash of
//! its word shingles) and a feature vector (weighted terms and entity identities); the `Linker`
//! finds candidate duplicates through LSH bands and candidate stories through an inverted index of
//! salient features, and never compares an article with the whole store.
//!
//! Pure: no I/O and no clock. The linker's state is built from the articles given to it; what the
//! store keeps (story ids per article) is the caller's business.

mod features;
mod neardup;
mod pairwise;
mod stories;

pub use features::{FeatureVector, Features, Vocabulary, Weighted};
pub use neardup::{NearDupIndex, Signature};
pub use pairwise::{PAIR_FEATURES, PairModel, Profile, average_link, pair_features, profiles_of};
pub use stories::{Assignment, LinkConfig, Linker};

use crate::Article;

/// The linker's hash maps: foldhash with a fixed seed, fast for integer keys and the same in every
/// run (iteration order, and so float sums, never depend on a random seed).
pub(crate) type Map<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;

/// The order a batch of articles is linked in: publication order (the instant where known, else
/// the day), undated articles last, ties by id, so the same articles always link the same way.
pub fn stream_order(articles: &[&Article]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..articles.len()).collect();
    order.sort_by(|&a, &b| StreamKey::of(articles[a]).cmp(&StreamKey::of(articles[b])));
    order
}

/// Where an article comes in [`stream_order`], from what a store's listing holds of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct StreamKey<'a> {
    undated: bool,
    day: Option<chrono::NaiveDate>,
    /// Seconds since the epoch.
    instant: Option<i64>,
    id: &'a crate::DocumentId,
}

impl<'a> StreamKey<'a> {
    pub fn new(day: Option<chrono::NaiveDate>, instant: Option<i64>, id: &'a crate::DocumentId) -> Self {
        StreamKey { undated: day.is_none(), day, instant, id }
    }

    pub fn of(article: &'a Article) -> Self {
        StreamKey::new(article.published.date, article.published.datetime.map(|d| d.timestamp()), &article.id)
    }
}

/// Stories of a whole set of articles, linked in `stream_order`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Linked {
    /// For each article (as given), its story, numbered from 0 in the order stories were opened.
    pub story: Vec<usize>,
    /// For each article, the article (as given) it is a near-duplicate of.
    pub copy_of: Vec<Option<usize>>,
}

/// Links `articles` from scratch with `config`: streamed in `stream_order`, then every story refined,
/// then every article left alone in a story offered to the others once more.
pub fn link_all(articles: &[&Article], config: &LinkConfig) -> Linked {
    let order = stream_order(articles);
    let mut linker = Linker::new(config.clone());
    let mut copy_of = vec![None; articles.len()];
    for &i in &order {
        let assignment = linker.add(articles[i]);
        copy_of[i] = assignment.duplicate_of.map(|position| order[position]);
    }
    linker.finish_batch();
    let mut story = vec![0; articles.len()];
    for (position, &i) in order.iter().enumerate() {
        story[i] = linker.story_of(position).unwrap_or(0);
    }
    Linked { story, copy_of }
}
