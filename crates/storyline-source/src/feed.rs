//! RSS and Atom feeds (`.rss`, `.atom`, or XML whose root is `<rss>`, `<feed>` or `<rdf:RDF>`), read
//! by `feed-rs`: every item that carries its text (Atom `content`, RSS `content:encoded`, or a
//! description) becomes one document, with the item's link, title and publication date as hints.
//! Items that are only a link are passed over: storyline does not fetch pages.

use crate::SourceError;
use storyline_core::{Document, Hints, MediaType};

/// The documents of one feed, in its order; a feed that cannot be parsed is one error.
pub(crate) fn documents(origin: &str, bytes: &[u8]) -> Vec<Result<Document, SourceError>> {
    let feed = match feed_rs::parser::parse(bytes) {
        Ok(feed) => feed,
        Err(e) => {
            return vec![Err(SourceError::Record {
                origin: origin.to_owned(),
                message: format!("not a readable feed: {e}"),
            })];
        }
    };
    let mut out = Vec::new();
    for (number, entry) in feed.entries.into_iter().enumerate() {
        let (body, content_type) =
            match (entry.content.and_then(|c| c.body.map(|b| (b, c.content_type))), entry.summary) {
                (Some((body, kind)), _) if !body.trim().is_empty() => (body, kind.to_string()),
                (_, Some(summary)) if !summary.content.trim().is_empty() => {
                    (summary.content, summary.content_type.to_string())
                }
                _ => continue,
            };
        let media = if content_type.starts_with("text/plain") { MediaType::Text } else { MediaType::Html };
        let url = entry
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .or(entry.links.first())
            .map(|l| l.href.clone());
        let hints = Hints {
            url,
            title: entry.title.map(|t| t.content.trim().to_owned()).filter(|t| !t.is_empty()),
            published: entry.published.or(entry.updated).map(|d| d.to_rfc3339()),
            ..Hints::default()
        };
        out.push(Ok(Document::new(format!("{origin}#item-{}", number + 1), media, body.into_bytes(), hints)));
    }
    out
}

/// Whether the start of a file is a feed: XML whose first element is `<rss`, `<feed` or `<rdf:RDF`.
pub(crate) fn looks_like_feed(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&head[..head.len().min(2048)]).to_ascii_lowercase();
    let Some(root) = text
        .split('<')
        .map(str::trim_start)
        .find(|tag| !tag.is_empty() && !tag.starts_with('?') && !tag.starts_with('!'))
    else {
        return false;
    };
    root.starts_with("rss") || root.starts_with("feed") || root.starts_with("rdf:rdf")
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Harbour Courier</title><link>https://courier.example/</link><description>News</description>
<item><title>Port reopens main channel</title><link>https://courier.example/port</link>
<pubDate>Mon, 10 Jun 2024 09:15:00 +0100</pubDate>
<content:encoded><![CDATA[<p>The main channel reopened to deep-draft ships on Monday after eleven weeks of salvage work, officials said.</p>]]></content:encoded></item>
<item><title>Only a link</title><link>https://courier.example/link</link></item>
<item><title>Ferry resumes</title><link>https://courier.example/ferry</link><description>The island ferry resumed its crossings on Tuesday, the operator said.</description></item>
</channel></rss>"#;

    const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Meridian Wire</title><id>urn:x</id><updated>2024-10-24T10:00:00Z</updated>
<entry><title>Duma ratifies treaty</title><id>urn:y</id><link rel="alternate" href="https://wire.example/duma"/>
<published>2024-10-24T09:30:00Z</published><updated>2024-10-24T10:00:00Z</updated>
<content type="html">&lt;p&gt;Russia's lower house ratified the treaty with North Korea on Thursday.&lt;/p&gt;</content></entry></feed>"#;

    #[test]
    fn rss_items_with_text_become_documents() {
        let docs: Vec<Document> =
            documents("feed.rss", RSS.as_bytes()).into_iter().map(|d| d.expect("document")).collect();
        assert_eq!(docs.len(), 2, "the link-only item is passed over");
        assert_eq!(docs[0].hints.url.as_deref(), Some("https://courier.example/port"));
        assert_eq!(docs[0].hints.title.as_deref(), Some("Port reopens main channel"));
        assert_eq!(docs[0].hints.published.as_deref(), Some("2024-06-10T08:15:00+00:00"));
        assert!(String::from_utf8_lossy(&docs[0].bytes).contains("eleven weeks"));
        assert_eq!(docs[1].origin, "feed.rss#item-3");
        let article = storyline_core::process(&docs[0]).expect("extracts");
        assert_eq!(article.published.date.map(|d| d.to_string()).as_deref(), Some("2024-06-10"));
    }

    #[test]
    fn atom_entries_and_sniffing() {
        let docs = documents("wire.atom", ATOM.as_bytes());
        let doc = docs[0].as_ref().expect("document");
        assert_eq!(doc.hints.url.as_deref(), Some("https://wire.example/duma"));
        assert!(String::from_utf8_lossy(&doc.bytes).contains("<p>Russia's lower house"));
        assert!(looks_like_feed(RSS.as_bytes()) && looks_like_feed(ATOM.as_bytes()));
        assert!(!looks_like_feed(b"<?xml version=\"1.0\"?><urlset></urlset>"));
        assert!(!looks_like_feed(b"<!doctype html><html><body>feed</body></html>"));
        let broken = documents("broken.rss", b"<rss><channel><item><title>cut");
        assert!(
            matches!(&broken[..], [Err(e)] if e.to_string().starts_with("broken.rss: not a readable feed")),
            "{broken:?}"
        );
    }
}
