//! English stems with a memory: the same filter as tantivy's `Stemmer` (the same Snowball
//! algorithm, from `frostem`), with each thread keeping the stems it has made. News text repeats
//! its words, and stemming was over half of a search's time (snippets stem every word of every
//! hit) and a good part of indexing. The cache never changes a stem, only how often it is made.

use std::cell::RefCell;
use std::collections::HashMap;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Word → stem, hashed with foldhash (SipHash was a third of the lookups' time).
type Kept = HashMap<String, String, foldhash::fast::FixedState>;

/// Stems a thread keeps at most; past it the cache starts again.
const KEPT: usize = 200_000;

thread_local! {
    static STEMS: RefCell<(frostem::Stemmer, Kept)> =
        RefCell::new((frostem::Stemmer::new(frostem::Algorithm::English), Kept::default()));
}

/// Replaces `word` with its English stem.
fn stem_in_place(word: &mut String) {
    STEMS.with(|cell| {
        let mut cell = cell.borrow_mut();
        let (stemmer, kept) = &mut *cell;
        if let Some(stem) = kept.get(word.as_str()) {
            word.clone_from(stem);
            return;
        }
        let stem = stemmer.stem(word).into_owned();
        if kept.len() >= KEPT {
            kept.clear();
        }
        kept.insert(std::mem::replace(word, stem.clone()), stem);
    });
}

/// The token filter.
#[derive(Clone, Copy, Debug, Default)]
pub struct CachedEnglishStemmer;

impl TokenFilter for CachedEnglishStemmer {
    type Tokenizer<T: Tokenizer> = Filter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> Filter<T> {
        Filter { inner: tokenizer }
    }
}

#[derive(Clone, Debug)]
pub struct Filter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for Filter<T> {
    type TokenStream<'a> = Stream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        Stream { tail: self.inner.token_stream(text) }
    }
}

#[derive(Debug)]
pub struct Stream<T> {
    tail: T,
}

impl<T: TokenStream> TokenStream for Stream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        stem_in_place(&mut self.tail.token_mut().text);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::{Language, LowerCaser, SimpleTokenizer, Stemmer, TextAnalyzer};

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn stems_are_tantivys_every_time() {
        let mut plain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::English))
            .build();
        let mut cached =
            TextAnalyzer::builder(SimpleTokenizer::default()).filter(LowerCaser).filter(CachedEnglishStemmer).build();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus");
        let mut checked = 0;
        for entry in std::fs::read_dir(dir).expect("the example corpus") {
            let text = std::fs::read_to_string(entry.expect("an entry").path()).unwrap_or_default();
            // Twice: the second pass is served from the cache.
            for _ in 0..2 {
                let expected = tokens(&mut plain, &text);
                assert_eq!(tokens(&mut cached, &text), expected);
                checked += expected.len();
            }
        }
        assert!(checked > 50_000, "{checked} tokens");
    }
}
