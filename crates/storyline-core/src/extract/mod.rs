//! Extract: one `Document` in, one `Article` out. Decodes the bytes, turns text or HTML into blocks,
//! marks boilerplate with reasons, reads the metadata (title, outlet, authors, publication date with
//! evidence, language) and assembles the body. Never fails on messy text: only bytes that are not
//! text at all are an error.

mod block;
mod byline;
mod header;
mod html;
mod language;
mod outlet;
mod published;
mod rules;

use crate::dates;
use crate::decode::{self, DecodeError};
use crate::model::{Article, DateMethod, Document, MediaType, RemovalReason, Removed};
use block::{Block, text_blocks};
use published::DateCandidate;

/// Why a document yielded no article.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ExtractError {
    #[error(transparent)]
    Decode(#[from] DecodeError),
    #[error("no article text found: every block was page furniture ({0} blocks removed)")]
    NoText(usize),
    #[error("markup nested more than {0} levels deep: refused, as no real page nests like this")]
    TooDeep(usize),
}

/// Extracts the article from one document.
pub fn extract(doc: &Document) -> Result<Article, ExtractError> {
    let transport = doc.hints.charset.as_deref().and_then(decode::encoding_for_label);
    let declared = match doc.media {
        MediaType::Html => transport.or_else(|| declared_charset(&doc.bytes)),
        MediaType::Text => transport,
    };
    let decoded = decode::decode(&doc.bytes, declared)?;
    let (mut blocks, mut page) = match doc.media {
        MediaType::Html => html::read_page(&decoded.text)?,
        MediaType::Text => (text_blocks(&decoded.text), html::PageMeta::default()),
    };
    let mut warnings = decoded.warnings;
    warnings.append(&mut page.warnings);
    let mut candidates: Vec<DateCandidate> = page.dates;

    if let Some(published) = &doc.hints.published {
        match dates::parse_timestamp(published) {
            Some((date, datetime)) => {
                candidates.push(DateCandidate::new(
                    date,
                    datetime,
                    DateMethod::Container,
                    &format!("published: {published}"),
                ));
            }
            None => warnings.push(format!("the container's published value {published:?} is not a date; ignored")),
        }
    }
    published::take_labelled_dates(&mut blocks, &mut candidates);
    rules::mark_boilerplate(&mut blocks, doc.media == MediaType::Html);
    // A byline on the page names every author; metadata sometimes names only the first.
    let mut authors = byline::take_authors(&mut blocks, &mut candidates);
    let known_title = doc.hints.title.as_deref().or(page.title.as_deref());
    let head = header::read_header(&mut blocks, known_title, &mut candidates);
    if authors.is_empty() {
        authors = head.authors;
    }
    if authors.is_empty() {
        authors = page.authors;
    }

    let url = doc.hints.url.clone().or(page.url);
    if let Some(first) = blocks.iter().find(|b| b.verdict.is_none() && b.words() >= 12) {
        candidates.extend(published::dateline_candidate(&first.text));
    }
    if let Some(url) = &url {
        candidates.extend(published::url_candidate(url));
    }
    let published = published::choose(&candidates);

    let (body, removed) = assemble(blocks);
    if body.is_empty() {
        return Err(ExtractError::NoText(removed.len()));
    }
    if authors.is_empty() {
        authors = byline::trailer_authors(&body);
    }
    let outlet = doc
        .hints
        .outlet
        .clone()
        .or(page.outlet)
        .or_else(|| url.as_deref().and_then(outlet::from_url))
        .or_else(|| head.masthead.map(|name| outlet::as_spelled(name, &removed)))
        .or_else(|| outlet::from_pleas(&removed));
    let language = language::detect(&body, page.language.as_deref());

    Ok(Article {
        id: doc.id.clone(),
        source: doc.origin.clone(),
        media: doc.media,
        url,
        title: head.title,
        outlet,
        authors,
        published,
        language,
        encoding: decoded.encoding.to_owned(),
        body,
        removed,
        warnings,
        sentences: Vec::new(),
        times: Vec::new(),
        quantities: Vec::new(),
        quotes: Vec::new(),
        entities: Vec::new(),
    })
}

/// Joins kept blocks into the body; consecutive removed blocks with the same reason become one
/// audit entry, one line per block.
fn assemble(blocks: Vec<Block>) -> (String, Vec<Removed>) {
    let mut body = String::new();
    let mut removed: Vec<Removed> = Vec::new();
    let mut last_reason: Option<RemovalReason> = None;
    for block in blocks {
        match block.verdict {
            None => {
                if !body.is_empty() {
                    body.push_str("\n\n");
                }
                body.push_str(&block.text);
                last_reason = None;
            }
            Some(reason) => {
                match removed.last_mut() {
                    Some(prev) if last_reason == Some(reason) => {
                        prev.text.push('\n');
                        prev.text.push_str(&block.text);
                    }
                    _ => removed.push(Removed { text: block.text, reason }),
                }
                last_reason = Some(reason);
            }
        }
    }
    (body, removed)
}

/// The charset an HTML page declares in its first kilobytes (`<meta charset>` or the
/// `http-equiv` content type), as the HTML standard's prescan does.
fn declared_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let at = lower.windows(8).position(|w| w == b"charset=")?;
    let rest = &head[at + 8..];
    let rest = rest.strip_prefix(b"\"").or_else(|| rest.strip_prefix(b"'")).unwrap_or(rest);
    let end = rest.iter().position(|b| matches!(b, b'"' | b'\'' | b';' | b'>' | b' ' | b'/')).unwrap_or(rest.len());
    let label = std::str::from_utf8(&rest[..end]).ok()?;
    decode::encoding_for_label(label)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Hints;

    #[test]
    fn declared_charsets() {
        assert_eq!(declared_charset(b"<meta charset=\"windows-1251\">").map(|e| e.name()), Some("windows-1251"));
        assert_eq!(
            declared_charset(b"<meta http-equiv=Content-Type content='text/html; charset=ISO-8859-1'>")
                .map(|e| e.name()),
            Some("windows-1252")
        );
        assert_eq!(declared_charset(b"<p>no charset</p>"), None);
    }

    #[test]
    fn container_hints_win() {
        let text = "Some Headline Here\nBy Jane Holloway\nThe port reopened its main channel to deep-draft ships on Monday, officials said.";
        let hints = Hints {
            published: Some("2024-06-10T12:00:00Z".into()),
            outlet: Some("Meridian Wire".into()),
            ..Hints::default()
        };
        let doc = Document::new("feed.jsonl:3", MediaType::Text, text.as_bytes().to_vec(), hints);
        let article = extract(&doc).expect("extracts");
        assert_eq!(article.outlet.as_deref(), Some("Meridian Wire"));
        assert_eq!(article.published.method, Some(DateMethod::Container));
        assert_eq!(article.authors, ["Jane Holloway"]);
        assert_eq!(article.title.as_deref(), Some("Some Headline Here"));
        assert!(article.body.starts_with("The port reopened"));
    }

    #[test]
    fn furniture_only_is_an_error() {
        let doc = Document::new("x.txt", MediaType::Text, b"Advertisement\nShare\n0:00".to_vec(), Hints::default());
        assert_eq!(extract(&doc), Err(ExtractError::NoText(3)));
    }
}
