//! Arbitrary bytes read as a JSONL container (see `common`).
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::read_as("jsonl", data));
