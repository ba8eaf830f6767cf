//! WARC containers (`.warc`, `.warc.gz`, as crawlers and Common Crawl write them): every `response`
//! record whose HTTP payload is a page (HTML or plain text, status 2xx) becomes one document, with
//! the record's target URI as its URL and the HTTP `Content-Type` charset as a hint. Requests,
//! metadata, redirects, images and the rest are passed over. Records are parsed by the `warc` crate
//! in a thread of their own that hands documents over a small bounded channel, so a file of any size
//! streams in constant memory; a payload over the document limit is an error for that record only.
//! A record that cannot be parsed ends the file (where the next record starts is then unknown).

use crate::SourceError;
use std::io::{BufRead, Read};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;
use storyline_core::{Document, Hints, MediaType};
use warc::{RecordType, WarcHeader, WarcReader};

/// Documents read ahead of the consumer.
const AHEAD: usize = 16;
/// Room for the HTTP status line and headers on top of the document limit.
const HTTP_HEAD_ROOM: u64 = 64 * 1024;

pub(crate) struct WarcSource {
    documents: Receiver<Result<Document, SourceError>>,
    reader: Option<JoinHandle<()>>,
    /// The reader thread could not start: said once, in place of the file's documents.
    failed: Option<SourceError>,
}

impl WarcSource {
    pub fn new(origin: String, reader: Box<dyn BufRead + Send>, limit: u64) -> Self {
        let (send, documents) = sync_channel(AHEAD);
        let name = origin.clone();
        match std::thread::Builder::new()
            .name("warc-reader".into())
            .spawn(move || read_records(&origin, reader, limit, &send))
        {
            Ok(reader) => WarcSource { documents, reader: Some(reader), failed: None },
            Err(source) => {
                WarcSource { documents, reader: None, failed: Some(SourceError::Io { origin: name, source }) }
            }
        }
    }
}

impl Iterator for WarcSource {
    type Item = Result<Document, SourceError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(failed) = self.failed.take() {
            return Some(Err(failed));
        }
        match self.documents.recv() {
            Ok(item) => Some(item),
            Err(_) => {
                // The reader has finished (or died): wait for it so no thread outlives the file.
                if let Some(reader) = self.reader.take() {
                    let _ = reader.join();
                }
                None
            }
        }
    }
}

fn read_records(
    origin: &str,
    reader: Box<dyn BufRead + Send>,
    limit: u64,
    send: &SyncSender<Result<Document, SourceError>>,
) {
    let mut warc = WarcReader::new(reader);
    let mut records = warc.stream_records();
    let mut number = 0usize;
    while let Some(item) = records.next_item() {
        number += 1;
        let at = format!("{origin}#{number}");
        let record = match item {
            Ok(record) => record,
            Err(e) => {
                let _ = send
                    .send(Err(SourceError::Record { origin: at, message: format!("not a readable WARC record: {e}") }));
                return;
            }
        };
        if *record.warc_type() != RecordType::Response {
            continue;
        }
        let uri = record.header(WarcHeader::TargetURI).map(|u| u.into_owned());
        let size = record.content_length();
        if size > limit + HTTP_HEAD_ROOM {
            // Not read: the reader skips the rest of the record on its way to the next.
            if send.send(Err(SourceError::TooLarge { origin: at, size, limit })).is_err() {
                return;
            }
            continue;
        }
        let mut payload = Vec::new();
        let mut body = record.take(limit + HTTP_HEAD_ROOM + 1);
        let result = match body.read_to_end(&mut payload) {
            Err(source) => Err(SourceError::Io { origin: at, source }),
            Ok(_) => page(&at, uri, &payload, limit),
        };
        // A record that is not a page yields nothing; the consumer gone, the reading stops.
        if let Some(item) = result.transpose()
            && send.send(item).is_err()
        {
            return;
        }
    }
}

/// The document an HTTP response carries, `None` for one that is not a page (a redirect, an image).
fn page(origin: &str, uri: Option<String>, payload: &[u8], limit: u64) -> Result<Option<Document>, SourceError> {
    let error = |message: String| SourceError::Record { origin: origin.to_owned(), message };
    let mut headers = [httparse::EMPTY_HEADER; 128];
    let mut response = httparse::Response::new(&mut headers);
    let head_len = match response.parse(payload) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => return Err(error("the HTTP response in the record is cut short".into())),
        Err(e) => return Err(error(format!("the record's payload is not an HTTP response: {e}"))),
    };
    if !response.code.is_some_and(|code| (200..300).contains(&code)) {
        return Ok(None);
    }
    let header = |name: &str| {
        response
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).into_owned())
    };
    let content_type = header("content-type").unwrap_or_default().to_ascii_lowercase();
    let media = if content_type.is_empty() || content_type.contains("html") {
        MediaType::Html
    } else if content_type.starts_with("text/plain") {
        MediaType::Text
    } else {
        return Ok(None);
    };
    let charset = content_type
        .split(';')
        .filter_map(|part| part.trim().strip_prefix("charset="))
        .map(|c| c.trim_matches(['"', '\'']).to_owned())
        .next();
    let body = &payload[head_len..];
    let body = match header("content-encoding").map(|e| e.trim().to_ascii_lowercase()).as_deref() {
        Some("gzip" | "x-gzip") => inflate(flate2::read::MultiGzDecoder::new(body), limit).map_err(&error)?,
        Some("deflate") => inflate(flate2::read::ZlibDecoder::new(body), limit).map_err(&error)?,
        Some("identity") | None => body.to_vec(),
        Some(other) => {
            return Err(error(format!("the page is compressed as {other:?}, which storyline does not read")));
        }
    };
    if body.len() as u64 > limit {
        return Err(SourceError::TooLarge { origin: origin.to_owned(), size: body.len() as u64, limit });
    }
    let hints = Hints { url: uri, charset, ..Hints::default() };
    Ok(Some(Document::new(origin.to_owned(), media, body, hints)))
}

/// A compressed page body, held to `limit` bytes once inflated.
fn inflate(reader: impl Read, limit: u64) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    reader.take(limit + 1).read_to_end(&mut out).map_err(|e| format!("the page's compressed body is damaged: {e}"))?;
    if out.len() as u64 > limit {
        return Err(format!("the page inflates to more than the limit of {limit} bytes"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::{Input, SourceConfig, Sources};
    use std::io::Write;

    /// One WARC record with the headers the format requires.
    fn record(kind: &str, uri: &str, payload: &[u8]) -> Vec<u8> {
        let mut out = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Date: 2024-10-24T08:00:00Z\r\nWARC-Record-ID: <urn:uuid:{:08x}-0000-4000-8000-000000000000>\r\nWARC-Target-URI: {uri}\r\nContent-Type: application/http; msgtype={kind}\r\nContent-Length: {}\r\n\r\n",
            payload.len() ^ kind.len(),
            payload.len()
        )
        .into_bytes();
        out.extend_from_slice(payload);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    fn response(headers: &str, body: &[u8]) -> Vec<u8> {
        let mut out = format!("HTTP/1.1 200 OK\r\n{headers}Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        out.extend_from_slice(body);
        out
    }

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(bytes).expect("compress");
        encoder.finish().expect("compress")
    }

    const PAGE: &str = "<html><head><title>Harbour reopens</title></head><body><article><p>The harbour reopened to \
        ships on Monday after the storm, the port authority said, and the first ferry left at noon.</p></article></body></html>";

    /// A crawl as Common Crawl writes it: a warcinfo record, then request/response pairs, each record
    /// its own gzip member; pages in UTF-8, in windows-1251 declared only by HTTP, compressed by the
    /// server, plain text; an image, a redirect; and a last record cut short.
    fn crawl() -> Vec<Vec<u8>> {
        let cyrillic = encoding_rs::WINDOWS_1251
            .encode("<html><body><p>Госдума ратифицировала договор с КНДР о всеобъемлющем стратегическом партнёрстве в четверг.</p></body></html>")
            .0
            .into_owned();
        vec![
            record("warcinfo", "urn:x", b"software: storyline tests\r\n"),
            record("request", "https://a.example/harbour", b"GET /harbour HTTP/1.1\r\nHost: a.example\r\n\r\n"),
            record(
                "response",
                "https://a.example/harbour",
                &response("Content-Type: text/html; charset=utf-8\r\n", PAGE.as_bytes()),
            ),
            record(
                "response",
                "https://b.example/duma",
                &response("Content-Type: text/html; charset=windows-1251\r\n", &cyrillic),
            ),
            record(
                "response",
                "https://c.example/gz",
                &response(
                    "Content-Type: text/html\r\nContent-Encoding: gzip\r\n",
                    &gzip(PAGE.replace("Harbour", "Gzip").as_bytes()),
                ),
            ),
            record("response", "https://d.example/logo.png", &response("Content-Type: image/png\r\n", b"\x89PNG....")),
            record(
                "response",
                "https://e.example/moved",
                b"HTTP/1.1 301 Moved Permanently\r\nLocation: /x\r\nContent-Length: 0\r\n\r\n",
            ),
            record(
                "response",
                "https://f.example/notes.txt",
                &response("Content-Type: text/plain\r\n", b"Plain notes from the council meeting, read as text."),
            ),
        ]
    }

    fn read(path: &std::path::Path) -> Vec<Result<storyline_core::Document, String>> {
        Sources::new(vec![Input::Path(path.to_owned())], SourceConfig::default())
            .map(|r| r.map_err(|e| e.to_string()))
            .collect()
    }

    #[test]
    fn pages_of_a_gzipped_crawl_become_documents() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("crawl.warc.gz");
        let mut bytes: Vec<u8> = crawl().iter().flat_map(|r| gzip(r)).collect();
        let last = gzip(&record(
            "response",
            "https://g.example/cut",
            &response("Content-Type: text/html\r\n", PAGE.as_bytes()),
        ));
        bytes.extend_from_slice(&last[..last.len() / 2]);
        std::fs::write(&path, bytes).expect("write");
        let got = read(&path);
        let docs: Vec<&storyline_core::Document> = got.iter().filter_map(|r| r.as_ref().ok()).collect();
        let urls: Vec<&str> = docs.iter().filter_map(|d| d.hints.url.as_deref()).collect();
        assert_eq!(
            urls,
            [
                "https://a.example/harbour",
                "https://b.example/duma",
                "https://c.example/gz",
                "https://f.example/notes.txt"
            ]
        );
        assert_eq!(docs[1].hints.charset.as_deref(), Some("windows-1251"));
        assert!(String::from_utf8_lossy(&docs[2].bytes).contains("Gzip reopens"), "the server's compression is undone");
        assert_eq!(docs[3].media, storyline_core::MediaType::Text);
        assert!(docs[0].origin.ends_with("crawl.warc.gz#3"), "{}", docs[0].origin);
        // The cut record is one error naming the file and the record, after every good page.
        let errors: Vec<&String> = got.iter().filter_map(|r| r.as_ref().err()).collect();
        assert_eq!(errors.len(), 1, "{got:?}");
        assert!(errors[0].contains("crawl.warc.gz"), "{}", errors[0]);
        // And the windows-1251 page reads as Russian once extracted.
        let article = storyline_core::extract(docs[1]).expect("extracts");
        assert!(article.body.contains("Госдума ратифицировала"), "{}", article.body);
    }

    #[test]
    fn an_uncompressed_crawl_and_a_record_over_the_limit() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("crawl.warc");
        let big = response("Content-Type: text/html\r\n", &vec![b'x'; 300_000]);
        let mut bytes: Vec<u8> = crawl().concat();
        bytes.extend(record("response", "https://h.example/big", &big));
        bytes.extend(record(
            "response",
            "https://i.example/after",
            &response("Content-Type: text/html\r\n", PAGE.as_bytes()),
        ));
        std::fs::write(&path, bytes).expect("write");
        let got: Vec<Result<String, String>> =
            Sources::new(vec![Input::Path(path.clone())], SourceConfig { max_document_bytes: 100_000 })
                .map(|r| r.map(|d| d.hints.url.unwrap_or_default()).map_err(|e| e.to_string()))
                .collect();
        assert_eq!(got.len(), 6, "{got:?}");
        assert!(matches!(&got[4], Err(e) if e.contains("#9") && e.contains("too large")), "{got:?}");
        assert_eq!(got[5], Ok("https://i.example/after".to_owned()), "the record after a refused one is read");
    }
}
