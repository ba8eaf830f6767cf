//! What the container targets share: arbitrary bytes read as a file with the given extension
//! (gzip-compressed when the first byte is odd), every document it yields extracted and annotated.
//! The document limit is small so that limits are hit often.

use storyline_source::{Input, SourceConfig, Sources};

pub fn read_as(extension: &str, data: &[u8]) {
    let gzip = if data.first().is_some_and(|b| b % 2 == 1) { ".gz" } else { "" };
    let input = Input::Bytes { name: format!("fuzz.{extension}{gzip}"), bytes: data.to_vec() };
    for document in Sources::new(vec![input], SourceConfig { max_document_bytes: 64 * 1024 }).flatten() {
        let _ = storyline_core::process(&document);
    }
}
