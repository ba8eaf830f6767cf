//! Arbitrary bytes through extraction and annotation, as scraped text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use storyline_core::{Document, Hints, MediaType, process};

fuzz_target!(|data: &[u8]| {
    let doc = Document::new("fuzz.txt", MediaType::Text, data.to_vec(), Hints::default());
    let _ = process(&doc);
});
