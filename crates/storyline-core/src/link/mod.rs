//! The link stage: near-duplicates and stories. Each annotated article gets a signature (MinHash of
//! its word shingles) and a feature vector (weighted terms and entity identities); the `Linker`
//! finds candidate duplicates through LSH bands and candidate stories through an inverted index of
//! salient features, and never compares an article with the whole store.
//!
//! Pure: no I/O and no clock. The linker's state is built from the articles given to it; what the
//! store keeps (story ids per article) is the caller's business.

mod features;
mod neardup;
mod stories;

pub use features::{FeatureVector, Features, Vocabulary};
pub use neardup::{NearDupIndex, Signature};
pub use stories::{Assignment, LinkConfig, Linker};
