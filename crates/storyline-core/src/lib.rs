//! storyline's core: the model and the pure stages of the pipeline. Given bytes and configuration it
//! returns values plus diagnostics; it does no I/O, spawns no threads and reads no clock. Reading
//! inputs lives in `storyline-source`, storage in `storyline-store`, the command line in `storyline`.

pub mod annotate;
pub mod dates;
pub mod decode;
pub mod extract;
pub mod link;
pub mod model;
pub mod reconcile;
mod rulegate;
#[cfg(test)]
mod testing;

pub use decode::{DecodeError, Decoded, decode};
pub use extract::{ExtractError, extract};

/// The per-document stages in order: extract, then annotate.
pub fn process(doc: &Document) -> Result<Article, ExtractError> {
    let mut article = extract(doc)?;
    annotate::annotate(&mut article);
    Ok(article)
}
pub use model::{Article, DateMethod, Document, DocumentId, Hints, MediaType, Published, RemovalReason, Removed};
