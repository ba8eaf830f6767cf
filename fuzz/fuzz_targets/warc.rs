//! Arbitrary bytes read as a WARC file (see `common`).
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::read_as("warc", data));
