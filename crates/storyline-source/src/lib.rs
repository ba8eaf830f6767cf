//! Where documents come from. `Sources` turns command-line inputs (files, folders walked
//! recursively, `-` for stdin) into a stream of `Document`s, one at a time, so a corpus never sits in
//! memory whole. JSONL files and streams yield one document per line. Every failure is a
//! `SourceError` naming the input; the stream goes on with the next input. A `.gz` file is read
//! through gzip (every member, so concatenated members work) as the kind its inner name says, and
//! its decompressed size is held to the same limit as any document, so a small bomb cannot expand
//! without bound. This crate reads bytes and containers only: what the bytes say is the core's
//! business.

mod feed;
mod jsonl;
mod warc;

use jsonl::JsonlReader;
use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use storyline_core::{Document, Hints, MediaType};
use warc::WarcSource;

/// One thing the user asked to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    Path(PathBuf),
    Stdin,
    /// Bytes already in memory (an upload), read as a file of that name would be: its extension
    /// (`.gz` included) says the kind, else the bytes are sniffed.
    Bytes {
        name: String,
        bytes: Vec<u8>,
    },
}

impl Input {
    /// `-` means standard input; anything else is a path.
    pub fn parse(arg: &str) -> Self {
        if arg == "-" { Input::Stdin } else { Input::Path(PathBuf::from(arg)) }
    }
}

/// Limits that keep one hostile input from exhausting memory.
#[derive(Clone, Copy, Debug)]
pub struct SourceConfig {
    /// The largest single document (a file, a stdin read, or one JSONL line), in bytes.
    pub max_document_bytes: u64,
}

impl Default for SourceConfig {
    fn default() -> Self {
        SourceConfig { max_document_bytes: 16 * 1024 * 1024 }
    }
}

/// Why an input (or one record of it) produced no document.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("{origin}: cannot read: {source}")]
    Io {
        origin: String,
        #[source]
        source: io::Error,
    },
    #[error(
        "{origin}: too large: {size} bytes, over the limit of {limit} bytes for one document (see --max-document-size)"
    )]
    TooLarge { origin: String, size: u64, limit: u64 },
    #[error("{origin}: {message}")]
    Record { origin: String, message: String },
}

impl SourceError {
    /// The input (path, `path:line` or `-`) the error is about.
    pub fn origin(&self) -> &str {
        match self {
            SourceError::Io { origin, .. }
            | SourceError::TooLarge { origin, .. }
            | SourceError::Record { origin, .. } => origin,
        }
    }
}

/// What a directory walk passed over, for the summary.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Skipped {
    /// Files in walked folders whose extension is not one storyline reads.
    pub unsupported: Vec<PathBuf>,
}

/// A stream of documents from the inputs, in order; folders are walked in name order.
pub struct Sources {
    queue: VecDeque<Input>,
    config: SourceConfig,
    jsonl: Option<JsonlReader>,
    warc: Option<WarcSource>,
    skipped: Skipped,
    /// Errors met while walking a folder, reported before its files.
    pending: VecDeque<SourceError>,
    /// The items of a feed read whole, handed out one by one.
    queued: VecDeque<Result<Document, SourceError>>,
}

impl std::fmt::Debug for Sources {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sources").field("queue", &self.queue).field("config", &self.config).finish_non_exhaustive()
    }
}

const TEXT_EXTENSIONS: &[&str] = &["txt", "text", "md", "markdown"];
const HTML_EXTENSIONS: &[&str] = &["html", "htm", "xhtml"];
const JSONL_EXTENSIONS: &[&str] = &["jsonl", "ndjson"];
const WARC_EXTENSIONS: &[&str] = &["warc"];
const FEED_EXTENSIONS: &[&str] = &["rss", "atom"];

enum Kind {
    Single(MediaType),
    Jsonl,
    Warc,
    Feed,
}

impl Sources {
    pub fn new(inputs: impl IntoIterator<Item = Input>, config: SourceConfig) -> Self {
        Sources {
            queue: inputs.into_iter().collect(),
            config,
            jsonl: None,
            warc: None,
            skipped: Skipped::default(),
            pending: VecDeque::new(),
            queued: VecDeque::new(),
        }
    }

    /// What folder walks passed over so far.
    pub fn skipped(&self) -> &Skipped {
        &self.skipped
    }

    /// Queues the readable files under `dir`; entries that cannot be read (a vanished file, a
    /// symlink loop) become errors of their own, and the walk goes on.
    fn expand_dir(&mut self, dir: &Path) {
        let mut files = Vec::new();
        let walker = walkdir::WalkDir::new(dir).follow_links(true).sort_by_file_name();
        let entries =
            walker.into_iter().filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    let origin = e.path().unwrap_or(dir).display().to_string();
                    let source = e.into_io_error().unwrap_or_else(|| io::Error::other("symbolic links form a loop"));
                    self.pending.push_back(SourceError::Io { origin, source });
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let path = entry.into_path();
            if kind_by_extension(&path).is_some() {
                files.push(Input::Path(path));
            } else {
                self.skipped.unsupported.push(path);
            }
        }
        for file in files.into_iter().rev() {
            self.queue.push_front(file);
        }
    }

    fn open_path(&mut self, path: &Path) -> Option<Result<Document, SourceError>> {
        let origin = path.display().to_string();
        let io_err = |source| SourceError::Io { origin: origin.clone(), source };
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) => return Some(Err(io_err(e))),
        };
        if meta.is_dir() {
            self.expand_dir(path);
            return None;
        }
        let file = match File::open(path) {
            Ok(file) => file,
            Err(e) => return Some(Err(io_err(e))),
        };
        let gzipped = is_gzip(path);
        let reader: Box<dyn BufRead + Send> = if gzipped {
            Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(BufReader::new(file))))
        } else {
            Box::new(BufReader::new(file))
        };
        let kind = kind_by_extension(path);
        // A plain file's size is known before reading; a compressed one's is counted by `read_whole`.
        if let Some(Kind::Single(_)) = kind
            && !gzipped
            && meta.len() > self.config.max_document_bytes
        {
            return Some(Err(SourceError::TooLarge {
                origin,
                size: meta.len(),
                limit: self.config.max_document_bytes,
            }));
        }
        self.open_stream(origin, reader, kind)
    }

    /// Reads a feed whole (within the document limit) and queues its items.
    fn open_feed(&mut self, origin: String, reader: Box<dyn BufRead + Send>) -> Option<Result<Document, SourceError>> {
        let limit = self.config.max_document_bytes;
        let mut bytes = Vec::new();
        if let Err(source) = reader.take(limit + 1).read_to_end(&mut bytes) {
            return Some(Err(SourceError::Io { origin, source }));
        }
        if bytes.len() as u64 > limit {
            return Some(Err(SourceError::TooLarge { origin, size: bytes.len() as u64, limit }));
        }
        self.queued.extend(feed::documents(&origin, &bytes));
        None
    }

    fn open_stdin(&mut self) -> Option<Result<Document, SourceError>> {
        self.open_stream("-".to_owned(), Box::new(BufReader::new(io::stdin())), None)
    }

    fn open_bytes(&mut self, name: String, bytes: Vec<u8>) -> Option<Result<Document, SourceError>> {
        let path = PathBuf::from(&name);
        let reader: Box<dyn BufRead + Send> = if is_gzip(&path) {
            Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(io::Cursor::new(bytes))))
        } else {
            Box::new(io::Cursor::new(bytes))
        };
        self.open_stream(name, reader, kind_by_extension(&path))
    }

    /// Reads a stream of the given kind, or of the kind its first bytes show.
    fn open_stream(
        &mut self,
        origin: String,
        mut reader: Box<dyn BufRead + Send>,
        kind: Option<Kind>,
    ) -> Option<Result<Document, SourceError>> {
        let kind = match kind {
            Some(kind) => kind,
            None => match sniff(&mut reader) {
                Ok(kind) => kind,
                Err(source) => return Some(Err(SourceError::Io { origin, source })),
            },
        };
        let limit = self.config.max_document_bytes;
        match kind {
            Kind::Jsonl => {
                self.jsonl = Some(JsonlReader::new(origin, reader, limit));
                None
            }
            Kind::Warc => {
                self.warc = Some(WarcSource::new(origin, reader, limit));
                None
            }
            Kind::Feed => self.open_feed(origin, reader),
            Kind::Single(media) => Some(read_whole(origin, reader, media, limit)),
        }
    }
}

impl Iterator for Sources {
    type Item = Result<Document, SourceError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(err) = self.pending.pop_front() {
                return Some(Err(err));
            }
            if let Some(item) = self.queued.pop_front() {
                return Some(item);
            }
            if let Some(reader) = &mut self.jsonl {
                match reader.next() {
                    Some(item) => return Some(item),
                    None => self.jsonl = None,
                }
            }
            if let Some(reader) = &mut self.warc {
                match reader.next() {
                    Some(item) => return Some(item),
                    None => self.warc = None,
                }
            }
            let item = match self.queue.pop_front()? {
                Input::Stdin => self.open_stdin(),
                Input::Path(path) => self.open_path(&path),
                Input::Bytes { name, bytes } => self.open_bytes(name, bytes),
            };
            if item.is_some() {
                return item;
            }
        }
    }
}

/// Whether a folder walk would read this file: not hidden, and of a kind known by its extension
/// (`.gz` of one included). What watchers use to ignore temporary and partial files.
pub fn is_readable_file_name(path: &Path) -> bool {
    let hidden = path.file_name().and_then(|n| n.to_str()).is_none_or(|n| n.starts_with('.') || n.ends_with('~'));
    !hidden && kind_by_extension(path).is_some()
}

/// Whether the file is gzip-compressed, by its name (`page.html.gz`, `feed.jsonl.gz`).
fn is_gzip(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("gz"))
}

/// The kind of document a file holds, by its extension; for a `.gz` file, by the name inside it.
fn kind_by_extension(path: &Path) -> Option<Kind> {
    let inner;
    let path = if is_gzip(path) {
        inner = PathBuf::from(path.file_stem()?);
        inner.as_path()
    } else {
        path
    };
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    if TEXT_EXTENSIONS.contains(&ext.as_str()) {
        Some(Kind::Single(MediaType::Text))
    } else if HTML_EXTENSIONS.contains(&ext.as_str()) {
        Some(Kind::Single(MediaType::Html))
    } else if JSONL_EXTENSIONS.contains(&ext.as_str()) {
        Some(Kind::Jsonl)
    } else if WARC_EXTENSIONS.contains(&ext.as_str()) {
        Some(Kind::Warc)
    } else if FEED_EXTENSIONS.contains(&ext.as_str()) {
        Some(Kind::Feed)
    } else {
        None
    }
}

/// Decides from the first bytes: a WARC header is WARC, XML rooted in `<rss>`/`<feed>` is a feed, other
/// markup is HTML, a leading `{` is JSONL, anything else is text.
fn sniff(reader: &mut dyn BufRead) -> io::Result<Kind> {
    let head = reader.fill_buf()?;
    let start =
        head.iter().position(|b| !b.is_ascii_whitespace() && !matches!(b, 0xEF | 0xBB | 0xBF)).unwrap_or(head.len());
    let head = &head[start..];
    let lower: Vec<u8> = head.iter().take(64).map(u8::to_ascii_lowercase).collect();
    let markup = [&b"<!doctype html"[..], b"<html", b"<head", b"<body", b"<?xml", b"<!--", b"<meta"];
    Ok(if head.starts_with(b"WARC/") {
        Kind::Warc
    } else if feed::looks_like_feed(head) {
        Kind::Feed
    } else if markup.iter().any(|m| lower.starts_with(m)) {
        Kind::Single(MediaType::Html)
    } else if head.first() == Some(&b'{') {
        Kind::Jsonl
    } else {
        Kind::Single(MediaType::Text)
    })
}

fn read_whole(origin: String, reader: impl Read, media: MediaType, limit: u64) -> Result<Document, SourceError> {
    let mut bytes = Vec::new();
    let read = reader.take(limit + 1).read_to_end(&mut bytes);
    if let Err(source) = read {
        // A corrupt or truncated gzip stream surfaces here as an I/O error naming the file.
        return Err(SourceError::Io { origin, source });
    }
    if bytes.len() as u64 > limit {
        return Err(SourceError::TooLarge { origin, size: bytes.len() as u64, limit });
    }
    Ok(Document::new(origin, media, bytes, Hints::default()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn collect(inputs: Vec<Input>, config: SourceConfig) -> Vec<Result<String, String>> {
        Sources::new(inputs, config)
            .map(|item| item.map(|d| format!("{} {}", d.origin, d.media.as_str())).map_err(|e| e.to_string()))
            .collect()
    }

    #[test]
    fn walks_folders_in_name_order_and_reports_failures_by_name() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        fs::create_dir(root.join("sub")).expect("mkdir");
        fs::write(root.join("b.txt"), "text").expect("write");
        fs::write(root.join("a.html"), "<p>x</p>").expect("write");
        fs::write(root.join("sub/c.jsonl"), "{\"text\":\"one\"}\n\nnot json\n{\"title\":\"t\"}\n").expect("write");
        fs::write(root.join("image.png"), [0x89, b'P']).expect("write");
        fs::write(root.join(".hidden.txt"), "x").expect("write");
        let got =
            collect(vec![Input::Path(root.to_owned()), Input::Path(root.join("missing.txt"))], SourceConfig::default());
        let r = root.display();
        assert_eq!(got[0], Ok(format!("{r}/a.html html")));
        assert_eq!(got[1], Ok(format!("{r}/b.txt text")));
        assert_eq!(got[2], Ok(format!("{r}/sub/c.jsonl:1 text")));
        assert!(
            matches!(&got[3], Err(e) if e.starts_with(&format!("{r}/sub/c.jsonl:3: not valid JSON"))),
            "{:?}",
            got[3]
        );
        assert!(matches!(&got[4], Err(e) if e.contains("c.jsonl:4: no \"text\" or \"html\" field")), "{:?}", got[4]);
        assert!(matches!(&got[5], Err(e) if e.starts_with(&format!("{r}/missing.txt: cannot read"))), "{:?}", got[5]);
        assert_eq!(got.len(), 6);
    }

    #[test]
    fn a_symlink_loop_is_one_error_and_the_walk_goes_on() {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::write(dir.path().join("good.txt"), "text").expect("write");
        std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).expect("symlink");
        let got = collect(vec![Input::Path(dir.path().to_owned())], SourceConfig::default());
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got.iter().any(|g| matches!(g, Err(e) if e.contains("loop"))), "{got:?}");
        assert!(got.iter().any(|g| matches!(g, Ok(d) if d.ends_with("good.txt text"))), "{got:?}");
    }

    #[test]
    fn too_large_is_refused_before_reading() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("big.txt");
        fs::write(&path, vec![b'a'; 2000]).expect("write");
        let got = collect(vec![Input::Path(path)], SourceConfig { max_document_bytes: 1000 });
        assert!(matches!(&got[0], Err(e) if e.contains("too large: 2000 bytes")), "{got:?}");
    }

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(bytes).expect("compress");
        encoder.finish().expect("compress")
    }

    #[test]
    fn gzip_files_are_read_as_their_inner_kind() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        fs::write(root.join("page.html.gz"), gzip(b"<html><p>Inside a gzip member.</p></html>")).expect("write");
        // Two members back to back, as `cat a.gz b.gz` makes: both are read.
        let mut two = gzip(b"{\"text\":\"one\"}\n");
        two.extend(gzip(b"{\"text\":\"two\"}\n"));
        fs::write(root.join("feed.jsonl.gz"), two).expect("write");
        fs::write(root.join("notes.gz"), gzip(b"plain words")).expect("write");
        let got =
            collect(vec![Input::Path(root.to_owned()), Input::Path(root.join("notes.gz"))], SourceConfig::default());
        let r = root.display();
        assert_eq!(got[0], Ok(format!("{r}/feed.jsonl.gz:1 text")));
        assert_eq!(got[1], Ok(format!("{r}/feed.jsonl.gz:2 text")));
        assert_eq!(got[2], Ok(format!("{r}/page.html.gz html")));
        // Passed over in a walk (no known kind inside), sniffed when named.
        assert_eq!(got[3], Ok(format!("{r}/notes.gz text")));
        assert_eq!(got.len(), 4, "{got:?}");
        let page = Sources::new(vec![Input::Path(root.join("page.html.gz"))], SourceConfig::default())
            .next()
            .and_then(Result::ok)
            .expect("page");
        assert_eq!(page.bytes, b"<html><p>Inside a gzip member.</p></html>");
    }

    #[test]
    fn a_gzip_bomb_is_refused_at_the_document_limit() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("bomb.txt.gz");
        // 4 MB of one byte compress to about 4 KB.
        fs::write(&path, gzip(&vec![b'a'; 4 << 20])).expect("write");
        let got = collect(vec![Input::Path(path)], SourceConfig { max_document_bytes: 1 << 20 });
        assert!(matches!(&got[0], Err(e) if e.contains("bomb.txt.gz: too large")), "{got:?}");
    }

    #[test]
    fn corrupt_or_truncated_gzip_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let whole = gzip(&b"words and more words ".repeat(200));
        fs::write(dir.path().join("cut.txt.gz"), &whole[..whole.len() / 2]).expect("write");
        fs::write(dir.path().join("junk.html.gz"), b"not gzip at all").expect("write");
        fs::write(dir.path().join("fine.txt"), "still read").expect("write");
        let got = collect(vec![Input::Path(dir.path().to_owned())], SourceConfig::default());
        assert!(matches!(&got[0], Err(e) if e.contains("cut.txt.gz: cannot read")), "{got:?}");
        assert!(matches!(&got[1], Ok(d) if d.ends_with("fine.txt text")), "{got:?}");
        assert!(matches!(&got[2], Err(e) if e.contains("junk.html.gz: cannot read")), "{got:?}");
    }

    #[test]
    fn bytes_in_memory_read_like_a_file_of_their_name() {
        let inputs = vec![
            Input::Bytes {
                name: "upload.jsonl.gz".into(),
                bytes: gzip(b"{\"text\":\"one\"}\n{\"html\":\"<p>two</p>\"}\n"),
            },
            Input::Bytes { name: "unnamed".into(), bytes: b"<!doctype html><p>x</p>".to_vec() },
        ];
        let got = collect(inputs, SourceConfig::default());
        assert_eq!(
            got,
            [Ok("upload.jsonl.gz:1 text".into()), Ok("upload.jsonl.gz:2 html".into()), Ok("unnamed html".into())]
        );
    }

    #[test]
    fn readable_names_are_those_a_walk_takes() {
        for name in ["a.txt", "b.html.gz", "feed.jsonl", "crawl.warc.gz", "news.rss"] {
            assert!(is_readable_file_name(Path::new(name)), "{name}");
        }
        for name in [".a.txt", "a.txt~", "a.html.part", "a.crdownload", "notes", ".hidden.html.gz"] {
            assert!(!is_readable_file_name(Path::new(name)), "{name}");
        }
    }

    #[test]
    fn files_without_known_extension_are_sniffed() {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::write(dir.path().join("page"), "  <!DOCTYPE html><p>x</p>").expect("write");
        fs::write(dir.path().join("feed"), "{\"html\":\"<p>x</p>\"}\n").expect("write");
        let got = collect(
            vec![Input::Path(dir.path().join("page")), Input::Path(dir.path().join("feed"))],
            SourceConfig::default(),
        );
        assert_eq!(got[0].as_deref().map(|s| s.ends_with("page html")), Ok(true));
        assert_eq!(got[1].as_deref().map(|s| s.ends_with("feed:1 html")), Ok(true));
    }
}
