//! JSONL containers: one article per line (`url`, `title`, `text` or `html`, `published`, `outlet`,
//! each optional but one of `text`/`html`). Lines are read with a length bound so a 100 MB line is an
//! error for that line, not an allocation of 100 MB.

use crate::SourceError;
use serde::Deserialize;
use std::io::{self, BufRead};
use storyline_core::{Document, Hints, MediaType};

#[derive(Deserialize)]
struct Record {
    url: Option<String>,
    title: Option<String>,
    text: Option<String>,
    html: Option<String>,
    published: Option<String>,
    outlet: Option<String>,
}

pub(crate) struct JsonlReader {
    origin: String,
    reader: Box<dyn BufRead>,
    limit: u64,
    line: usize,
    done: bool,
}

enum Line {
    Eof,
    Bytes(Vec<u8>),
    TooLong(u64),
}

impl JsonlReader {
    pub fn new(origin: String, reader: Box<dyn BufRead>, limit: u64) -> Self {
        JsonlReader { origin, reader, limit, line: 0, done: false }
    }

    /// Reads one line, keeping at most `limit` bytes; a longer line is consumed and reported.
    fn read_line(&mut self) -> io::Result<Line> {
        let mut bytes = Vec::new();
        let mut total: u64 = 0;
        let mut seen_any = false;
        loop {
            let buf = self.reader.fill_buf()?;
            if buf.is_empty() {
                return Ok(if !seen_any {
                    Line::Eof
                } else if total > self.limit {
                    Line::TooLong(total)
                } else {
                    Line::Bytes(bytes)
                });
            }
            seen_any = true;
            let (chunk, found_newline) = match buf.iter().position(|b| *b == b'\n') {
                Some(i) => (&buf[..i], true),
                None => (buf, false),
            };
            total += chunk.len() as u64;
            if total <= self.limit {
                bytes.extend_from_slice(chunk);
            } else {
                bytes = Vec::new();
            }
            let consumed = chunk.len() + usize::from(found_newline);
            self.reader.consume(consumed);
            if found_newline {
                return Ok(if total > self.limit { Line::TooLong(total) } else { Line::Bytes(bytes) });
            }
        }
    }

    fn record_error(&self, message: impl Into<String>) -> SourceError {
        SourceError::Record { origin: format!("{}:{}", self.origin, self.line), message: message.into() }
    }
}

impl Iterator for JsonlReader {
    type Item = Result<Document, SourceError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.done {
                return None;
            }
            self.line += 1;
            let bytes = match self.read_line() {
                Ok(Line::Eof) => {
                    self.done = true;
                    return None;
                }
                Ok(Line::TooLong(size)) => {
                    let origin = format!("{}:{}", self.origin, self.line);
                    return Some(Err(SourceError::TooLarge { origin, size, limit: self.limit }));
                }
                Ok(Line::Bytes(bytes)) => bytes,
                Err(source) => {
                    self.done = true;
                    return Some(Err(SourceError::Io { origin: format!("{}:{}", self.origin, self.line), source }));
                }
            };
            let trimmed = bytes.trim_ascii();
            if trimmed.is_empty() {
                continue;
            }
            return Some(self.document(trimmed));
        }
    }
}

impl JsonlReader {
    fn document(&self, line: &[u8]) -> Result<Document, SourceError> {
        if let Err(e) = std::str::from_utf8(line) {
            return Err(self
                .record_error(format!("invalid UTF-8 at byte {} of the line (JSON must be UTF-8)", e.valid_up_to())));
        }
        let record: Record =
            serde_json::from_slice(line).map_err(|e| self.record_error(format!("not valid JSON: {e}")))?;
        let (media, content) = match (record.html, record.text) {
            (Some(html), _) if !html.trim().is_empty() => (MediaType::Html, html),
            (_, Some(text)) => (MediaType::Text, text),
            (Some(html), None) => (MediaType::Html, html),
            (None, None) => return Err(self.record_error("no \"text\" or \"html\" field")),
        };
        let hints = Hints {
            url: record.url,
            title: record.title,
            outlet: record.outlet,
            published: record.published,
            charset: None,
        };
        let mut doc = Document::new(format!("{}:{}", self.origin, self.line), media, content.into_bytes(), hints);
        // The record, not just its text, is the unit of identity: the same text under two outlets is
        // two documents (a syndicated copy), the same line twice is one.
        doc.id = storyline_core::DocumentId::of_bytes(line);
        Ok(doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any bytes at all: one result per non-blank line, never a panic, never more bytes kept
        /// than the limit.
        #[test]
        fn arbitrary_streams_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048), limit in 1u64..256) {
            let input: &'static [u8] = Box::leak(bytes.into_boxed_slice());
            for doc in JsonlReader::new("fuzz.jsonl".into(), Box::new(input), limit).flatten() {
                prop_assert!(doc.bytes.len() as u64 <= limit);
            }
        }
    }

    fn read(input: &'static [u8], limit: u64) -> Vec<Result<String, String>> {
        JsonlReader::new("feed.jsonl".into(), Box::new(input), limit)
            .map(|r| r.map(|d| String::from_utf8_lossy(&d.bytes).into_owned()).map_err(|e| e.to_string()))
            .collect()
    }

    #[test]
    fn lines() {
        let input = b"{\"text\":\"a\",\"published\":\"2024-06-19\"}\n{\"text\":\"\xff\"}\n{\"text\":\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\"}\n{\"html\":\"<p>c</p>\"}";
        let got = read(input, 40);
        assert_eq!(got[0], Ok("a".into()));
        assert!(matches!(&got[1], Err(e) if e.starts_with("feed.jsonl:2: invalid UTF-8")), "{got:?}");
        assert!(matches!(&got[2], Err(e) if e.starts_with("feed.jsonl:3: too large")), "{got:?}");
        assert_eq!(got[3], Ok("<p>c</p>".into()));
        assert_eq!(got.len(), 4);
    }
}
