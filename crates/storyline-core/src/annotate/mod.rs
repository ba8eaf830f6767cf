//! Annotate: the facts in an article's text, each pointing back to its offsets. This stage so far
//! finds sentences and time expressions; entities, quantities and quotes join it next.

pub mod numbers;
pub mod sentences;
pub mod times;

pub use sentences::{Sentence, sentences};
pub use times::{Granularity, TimeExpr, TimeKind, find_times};
