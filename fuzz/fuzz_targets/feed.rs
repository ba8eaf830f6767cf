//! Arbitrary bytes read as an RSS or Atom feed (see `common`).
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::read_as("rss", data));
