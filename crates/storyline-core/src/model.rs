//! The nouns every stage shares: `Document` (raw input), `Article` (what extraction made of it) and the
//! small value types around them. Plain data with serde derives; no behaviour beyond construction and
//! formatting, and nothing here knows how documents are read or stored.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

/// Content identity of a document: the first 16 hex digits (64 bits) of the SHA-256 of its raw bytes.
///
/// Identity comes from the bytes, not the path, so the same input ingested twice (or from two
/// places) is one document, and re-ingesting is a no-op.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DocumentId(String);

impl DocumentId {
    /// The identity of these raw bytes.
    pub fn of_bytes(bytes: &[u8]) -> Self {
        let digest = Sha256::digest(bytes);
        let mut hex = String::with_capacity(16);
        for byte in &digest[..8] {
            hex.push_str(&format!("{byte:02x}"));
        }
        DocumentId(hex)
    }

    /// Rebuilds an identity read back from storage. Returns `None` unless it is 16 lowercase hex digits.
    pub fn parse(text: &str) -> Option<Self> {
        let ok = text.len() == 16 && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        ok.then(|| DocumentId(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How a document's bytes are to be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaType {
    /// Plain or markdown-ish scraped text.
    Text,
    /// An HTML page.
    Html,
}

impl MediaType {
    pub fn as_str(self) -> &'static str {
        match self {
            MediaType::Text => "text",
            MediaType::Html => "html",
        }
    }
}

/// Metadata that came with a document from its container (a JSONL record, later a feed item or a
/// WARC header). Hints are trusted above what extraction finds in the text itself.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Hints {
    pub url: Option<String>,
    pub title: Option<String>,
    pub outlet: Option<String>,
    /// The publication timestamp as the container gave it (RFC 3339 or a plain date).
    pub published: Option<String>,
    /// The character encoding the transport declared (an HTTP `Content-Type` charset); it outranks
    /// one the page declares in itself.
    #[serde(default)]
    pub charset: Option<String>,
}

/// One raw input document: bytes plus where they came from.
#[derive(Clone, Debug)]
pub struct Document {
    pub id: DocumentId,
    /// A path, `path:line` for a JSONL record, `-` for stdin, or a URL.
    pub origin: String,
    pub media: MediaType,
    pub bytes: Vec<u8>,
    pub hints: Hints,
}

impl Document {
    /// A document whose identity is the hash of `bytes`.
    pub fn new(origin: impl Into<String>, media: MediaType, bytes: Vec<u8>, hints: Hints) -> Self {
        Document { id: DocumentId::of_bytes(&bytes), origin: origin.into(), media, bytes, hints }
    }
}

/// Why a block of the page was kept out of the article body.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RemovalReason {
    /// Site menus, breadcrumbs, "skip to content".
    Navigation,
    /// The outlet's name at the top of the page.
    Masthead,
    /// The outlet's slogan under the masthead.
    Tagline,
    /// A date in the site's header: the day the page was served, not the article's date.
    PageDate,
    /// The headline (reported as `title`, not repeated in the body).
    Title,
    /// A byline or author line (reported as `authors`).
    Byline,
    /// A timestamp line (reported as `published`).
    Timestamp,
    /// Lists of other headlines: "Related Articles", "Most read", unlabelled headline runs.
    RelatedLinks,
    /// "See also …", "Read more: …" links inside or after the text.
    SeeAlso,
    /// Links to the outlet's earlier coverage ("Monday's Coverage: …").
    EarlierCoverage,
    /// Subscription and paywall offers.
    Subscription,
    /// Newsletter sign-up boxes.
    Newsletter,
    /// Donation and membership pleas.
    Donation,
    /// "Advertisement" markers and ad slots.
    Advertisement,
    /// Debris of audio and video players ("0:00", "Close", "×").
    MediaPlayer,
    /// Share bars ("Share", "Tweet", "Copy link").
    Share,
    /// Aggregator or re-publisher chrome ("Scroll down for the original article").
    AggregatorChrome,
    /// Photo, map and video credits.
    PhotoCredit,
    /// Photo captions.
    Caption,
    /// Cookie and consent banners.
    CookieNotice,
    /// Reader comments and their chrome.
    Comments,
    /// Page furniture outside the article's main content (HTML only).
    OutsideArticle,
    /// Copyright lines, legal notices and footer links.
    Footer,
}

impl RemovalReason {
    pub fn as_str(self) -> &'static str {
        match self {
            RemovalReason::Navigation => "navigation",
            RemovalReason::Masthead => "masthead",
            RemovalReason::Tagline => "tagline",
            RemovalReason::PageDate => "page-date",
            RemovalReason::Title => "title",
            RemovalReason::Byline => "byline",
            RemovalReason::Timestamp => "timestamp",
            RemovalReason::RelatedLinks => "related-links",
            RemovalReason::SeeAlso => "see-also",
            RemovalReason::EarlierCoverage => "earlier-coverage",
            RemovalReason::Subscription => "subscription",
            RemovalReason::Newsletter => "newsletter",
            RemovalReason::Donation => "donation",
            RemovalReason::Advertisement => "advertisement",
            RemovalReason::MediaPlayer => "media-player",
            RemovalReason::Share => "share",
            RemovalReason::AggregatorChrome => "aggregator-chrome",
            RemovalReason::PhotoCredit => "photo-credit",
            RemovalReason::Caption => "caption",
            RemovalReason::CookieNotice => "cookie-notice",
            RemovalReason::Comments => "comments",
            RemovalReason::OutsideArticle => "outside-article",
            RemovalReason::Footer => "footer",
        }
    }

    /// Reasons that mark metadata lifted out of the text rather than noise.
    pub fn is_metadata(self) -> bool {
        matches!(
            self,
            RemovalReason::Masthead | RemovalReason::Title | RemovalReason::Byline | RemovalReason::Timestamp
        )
    }
}

impl fmt::Display for RemovalReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A block that extraction kept out of the body, with the reason, for `--explain` audits.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Removed {
    pub text: String,
    pub reason: RemovalReason,
}

/// Where a publication date was found; the order of the variants is not the order of trust
/// (that is the `confidence`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateMethod {
    /// Given by the container (a JSONL `published` field).
    Container,
    /// An HTML `<meta>` tag such as `article:published_time`.
    MetaTag,
    /// JSON-LD `datePublished`.
    JsonLd,
    /// An HTML `<time datetime>` element.
    TimeElement,
    /// A labelled line: "Published: …", "date …", "Posted on …".
    Labelled,
    /// A byline: "Written by … on June 19, 2024".
    Byline,
    /// A timestamp or date line just under the headline.
    UnderHeadline,
    /// A dateline with a full date: "KYIV, Aug. 12, 2024 —".
    Dateline,
    /// A date in the URL path.
    Url,
}

/// The publication date with the evidence it rests on. `date` is `None` when nothing trustworthy was
/// found: storyline never guesses a date silently.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Published {
    #[serde(with = "opt_date")]
    pub date: Option<NaiveDate>,
    pub datetime: Option<DateTime<FixedOffset>>,
    /// 0 when unknown; otherwise how far the evidence can be trusted (0..1).
    pub confidence: f32,
    /// The text the date was read from.
    pub evidence: Option<String>,
    pub method: Option<DateMethod>,
}

pub(crate) mod opt_date {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(date: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(d) => s.serialize_str(&d.format("%Y-%m-%d").to_string()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        let text: Option<String> = Option::deserialize(d)?;
        text.map(|t| NaiveDate::parse_from_str(&t, "%Y-%m-%d").map_err(serde::de::Error::custom)).transpose()
    }
}

/// What extraction made of one document. This is the JSON contract's article record (docs/json.md).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Article {
    pub id: DocumentId,
    /// Path or URL the document came from.
    pub source: String,
    pub media: MediaType,
    /// The article's canonical URL when known.
    pub url: Option<String>,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub authors: Vec<String>,
    pub published: Published,
    /// ISO 639-1 code where one exists, else ISO 639-3.
    pub language: Option<String>,
    /// The encoding the bytes were decoded from.
    pub encoding: String,
    /// Paragraphs joined by blank lines.
    pub body: String,
    pub removed: Vec<Removed>,
    /// Things a reader of the result should know: replaced bytes, ambiguous dates.
    pub warnings: Vec<String>,
    /// Sentences of the body, as byte ranges of `body` (filled by the annotate stage).
    #[serde(default)]
    pub sentences: Vec<crate::annotate::Sentence>,
    /// People, organisations, places and nationalities named in the body, with identities shared
    /// across articles (annotate stage).
    #[serde(default)]
    pub entities: Vec<crate::annotate::Entity>,
    /// Time expressions in the body, resolved against the publication date (annotate stage).
    #[serde(default)]
    pub times: Vec<crate::annotate::TimeExpr>,
    /// Figures in the body with what they count, their hedge and modality (annotate stage).
    #[serde(default)]
    pub quantities: Vec<crate::annotate::Quantity>,
    /// Direct quotes with their speakers (annotate stage).
    #[serde(default)]
    pub quotes: Vec<crate::annotate::Quote>,
}

impl Article {
    /// An article that is only a clean body (already extracted elsewhere, as in labelled corpora),
    /// identified by the hash of the body, with no metadata and no annotations yet.
    pub fn from_body(source: impl Into<String>, body: impl Into<String>) -> Article {
        let body = body.into();
        Article {
            id: DocumentId::of_bytes(body.as_bytes()),
            source: source.into(),
            media: MediaType::Text,
            url: None,
            title: None,
            outlet: None,
            authors: Vec::new(),
            published: Published::default(),
            language: None,
            encoding: "UTF-8".to_owned(),
            body,
            removed: Vec::new(),
            warnings: Vec::new(),
            sentences: Vec::new(),
            entities: Vec::new(),
            times: Vec::new(),
            quantities: Vec::new(),
            quotes: Vec::new(),
        }
    }

    /// The body's paragraphs.
    pub fn paragraphs(&self) -> impl Iterator<Item = &str> {
        self.body.split("\n\n").filter(|p| !p.is_empty())
    }
}
