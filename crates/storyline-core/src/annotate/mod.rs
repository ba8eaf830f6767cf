//! Annotate: the facts in an article's text, each pointing back to its offsets. This stage so far
//! finds sentences, time expressions, quantities and direct quotes; entities join it next.

pub mod numbers;
pub mod quantities;
pub mod quotes;
pub mod sentences;
pub mod times;

pub use quantities::{Modality, Quantity, find_quantities};
pub use quotes::{Quote, find_quotes};
pub use sentences::{Sentence, sentences};
pub use times::{Granularity, TimeExpr, TimeKind, find_times};

use crate::model::Article;

/// Annotates an extracted article in place: its sentences, and its time expressions anchored on
/// the publication date (left unresolved when that date is unknown).
pub fn annotate(article: &mut Article) {
    article.sentences = sentences(&article.body);
    article.times = times::times_in(&article.body, &article.sentences, article.published.date);
    let spans: Vec<(usize, usize)> = article.times.iter().map(|t| (t.start, t.end)).collect();
    article.quantities = quantities::quantities_in(&article.body, &article.sentences, &spans);
    article.quotes = find_quotes(&article.body, &article.sentences);
}
