//! HTML pages to blocks and page metadata, in one streaming pass of `lol_html` over the page (its
//! tokenizer follows the HTML standard, and it never builds a document tree). The walk keeps its
//! own stack of open elements, closes the elements HTML closes implicitly (`<p>` before a block,
//! `<li>` before the next item, table cells and rows), and records each element's tag, class and
//! parent in a flat arena, which is all the scoring needs. It reads the head (meta tags, JSON-LD,
//! canonical link, `lang`) as it passes, gives containers a verdict from their tag, role and class
//! names, and finds the main content by scoring where the prose sits. What the blocks say is judged
//! later by the shared rules.

use super::block::{Block, BlockKind, collapse_space};
use super::byline;
use super::published::DateCandidate;
use crate::dates;
use crate::model::{DateMethod, RemovalReason};
use lol_html::html_content::{Element, TextChunk, TextType};
use lol_html::{HtmlRewriter, MemorySettings, Settings, doc_text, element, end_tag};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// What the page's markup says about the article, outside its text.
#[derive(Debug, Default)]
pub(crate) struct PageMeta {
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub authors: Vec<String>,
    pub url: Option<String>,
    pub language: Option<String>,
    pub dates: Vec<DateCandidate>,
    /// Problems met while reading the page (the rest of a page past a parser limit is lost).
    pub warnings: Vec<String>,
}

/// The most memory the tokenizer may hold for one construct (a tag with gigantic attributes).
const PARSER_MEMORY: usize = 32 << 20;

/// Deeper nesting than this is refused: no real page nests like this, and every open element costs
/// the walk a little on each later tag.
pub(crate) const MAX_DEPTH: usize = 4096;

/// The tokenizer's settings: lenient (a page is read however it is written) and with its memory capped.
fn parser_settings<'h>() -> Settings<'h, 'static> {
    Settings::new()
        .with_strict(false)
        .with_memory_settings(MemorySettings::new().with_max_allowed_memory_usage(PARSER_MEMORY))
}

/// Parses the page and returns its blocks (with container verdicts set) and its metadata, or
/// `TooDeep` for markup nested past `MAX_DEPTH` (refused as soon as the walk gets there).
pub(crate) fn read_page(text: &str) -> Result<(Vec<Block>, PageMeta), super::ExtractError> {
    let walk = Rc::new(RefCell::new(Walk::default()));
    let result = {
        let on_element = Rc::clone(&walk);
        let on_text = Rc::clone(&walk);
        let settings = parser_settings()
            .append_element_content_handler(element!("*", move |el| {
                let tag = Tag::of(el, text);
                let index = on_element.borrow_mut().open(&tag, el.can_have_content());
                if on_element.borrow().too_deep {
                    return Err("markup nested too deep".into());
                }
                if let (Some(index), Some(handlers)) = (index, el.end_tag_handlers()) {
                    let on_end = Rc::clone(&on_element);
                    handlers.push(end_tag!(move |_| {
                        on_end.borrow_mut().close(index);
                        Ok(())
                    }));
                }
                Ok(())
            }))
            .append_document_content_handler(doc_text!(move |chunk| {
                on_text.borrow_mut().text(chunk);
                Ok(())
            }));
        let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
        rewriter.write(text.as_bytes()).and_then(|()| rewriter.end())
    };
    let mut walk = walk.take();
    if walk.too_deep {
        return Err(super::ExtractError::TooDeep(MAX_DEPTH));
    }
    walk.close_all();
    let mut meta = walk.meta();
    if let Err(e) = result {
        meta.warnings.push(format!("the page could not be read to its end ({e}); what came before is kept"));
    }
    let blocks = walk.finish(&mut meta);
    Ok((blocks, meta))
}

/// A start tag as the walk needs it: its name and the attributes it reads, as written in the page
/// (entities in values not yet decoded). Read in one pass over the attributes, straight from the
/// page's bytes.
#[derive(Default)]
struct Tag<'a> {
    name: String,
    class: Option<&'a str>,
    id: Option<&'a str>,
    role: Option<&'a str>,
    style: Option<&'a str>,
    hidden: bool,
    aria_hidden: Option<&'a str>,
    itemprop: Option<&'a str>,
    kind: Option<&'a str>,
    datetime: Option<&'a str>,
    pubdate: bool,
    property: Option<&'a str>,
    meta_name: Option<&'a str>,
    content: Option<&'a str>,
    rel: Option<&'a str>,
    href: Option<&'a str>,
    lang: Option<&'a str>,
}

impl<'a> Tag<'a> {
    fn of(el: &Element<'_, '_>, page: &'a str) -> Tag<'a> {
        let mut tag = Tag { name: el.tag_name(), ..Tag::default() };
        for attribute in el.attributes() {
            let Some(name) = attribute.name_source_location().and_then(|l| page.get(l.bytes())) else {
                continue;
            };
            let value = attribute.value_source_location().and_then(|l| page.get(l.bytes())).unwrap_or("");
            let is = |key: &str| name.eq_ignore_ascii_case(key);
            let slot = if is("class") {
                &mut tag.class
            } else if is("id") {
                &mut tag.id
            } else if is("role") {
                &mut tag.role
            } else if is("style") {
                &mut tag.style
            } else if is("aria-hidden") {
                &mut tag.aria_hidden
            } else if is("itemprop") {
                &mut tag.itemprop
            } else if is("type") {
                &mut tag.kind
            } else if is("datetime") {
                &mut tag.datetime
            } else if is("property") {
                &mut tag.property
            } else if is("name") {
                &mut tag.meta_name
            } else if is("content") {
                &mut tag.content
            } else if is("rel") {
                &mut tag.rel
            } else if is("href") {
                &mut tag.href
            } else if is("lang") {
                &mut tag.lang
            } else {
                tag.hidden |= is("hidden");
                tag.pubdate |= is("pubdate");
                continue;
            };
            // The first of a repeated attribute counts, as in a browser.
            slot.get_or_insert(value);
        }
        tag
    }
}

/// An attribute value with its entities decoded.
fn decoded(value: Option<&str>) -> Option<String> {
    value.map(|v| htmlize::unescape_attribute(v).into_owned())
}

/// What the walk saw of the head and of the metadata elements, for `Walk::meta`.
#[derive(Default)]
struct Seen {
    tags: HashMap<String, String>,
    title: Option<String>,
    h1: Option<String>,
    canonical: Option<String>,
    language: Option<String>,
    json_ld: Vec<String>,
    /// `<time datetime>` elements: the value, whether it is marked as the publication time, whether
    /// it sits in a menu, aside or footer, and its shown text.
    times: Vec<(String, bool, bool, String)>,
}

/// Text being gathered for a metadata element until it closes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Capture {
    Title,
    H1,
    JsonLd,
    Time,
}

impl Walk {
    fn meta(&mut self) -> PageMeta {
        let seen = std::mem::take(&mut self.seen);
        let tags = seen.tags;
        let mut meta = PageMeta::default();
        let ld = json_ld(&seen.json_ld);

        meta.title = seen
            .h1
            .or_else(|| tags.get("og:title").cloned())
            .or_else(|| ld.headline.clone())
            .or_else(|| tags.get("twitter:title").cloned())
            .or_else(|| seen.title.map(|t| strip_site_suffix(&t)))
            .filter(|t| !t.is_empty());

        meta.outlet = tags
            .get("og:site_name")
            .cloned()
            .or_else(|| ld.publisher.clone())
            .or_else(|| tags.get("application-name").cloned());

        meta.authors = ld.authors.clone();
        if meta.authors.is_empty() {
            for key in ["author", "article:author", "byl", "sailthru.author", "parsely-author", "dc.creator"] {
                if let Some(value) = tags.get(key).filter(|v| !v.contains("://")) {
                    let value = value.strip_prefix("By ").unwrap_or(value);
                    meta.authors = byline::parse_byline(&format!("By {value}")).map(|b| b.names).unwrap_or_default();
                    if !meta.authors.is_empty() {
                        break;
                    }
                }
            }
        }

        meta.url = seen.canonical.or_else(|| tags.get("og:url").cloned()).filter(|u| u.starts_with("http"));
        meta.language = seen.language;

        for key in [
            "article:published_time",
            "og:published_time",
            "datepublished",
            "pubdate",
            "publishdate",
            "publish-date",
            "publication_date",
            "date",
            "dc.date",
            "dc.date.issued",
            "dcterms.created",
            "sailthru.date",
            "parsely-pub-date",
            "citation_publication_date",
        ] {
            if let Some(value) = tags.get(key)
                && let Some((date, datetime)) = dates::parse_timestamp(value)
            {
                meta.dates.push(DateCandidate::new(
                    date,
                    datetime,
                    DateMethod::MetaTag,
                    &format!("<meta {key}=\"{value}\">"),
                ));
                break;
            }
        }
        if let Some(value) = &ld.date_published
            && let Some((date, datetime)) = dates::parse_timestamp(value)
        {
            meta.dates.push(DateCandidate::new(
                date,
                datetime,
                DateMethod::JsonLd,
                &format!("JSON-LD datePublished \"{value}\""),
            ));
        }
        let time = seen
            .times
            .iter()
            .find(|(_, marked, aside, _)| *marked && !aside)
            .or_else(|| seen.times.iter().find(|(_, _, aside, _)| !aside));
        if let Some((value, _, _, shown)) = time
            && let Some((date, datetime)) = dates::parse_timestamp(value)
        {
            let evidence = format!("<time datetime=\"{value}\">{shown}</time>");
            meta.dates.push(DateCandidate::new(date, datetime, DateMethod::TimeElement, &evidence));
        }
        meta
    }
}

/// The text of a fragment of markup, tags dropped and entities decoded; scripts and styles are
/// left out. For stray markup in scraped text.
pub(crate) fn text_of_fragment(fragment: &str) -> String {
    let out = RefCell::new(String::new());
    let settings = parser_settings().append_document_content_handler(doc_text!(|chunk| {
        // Script and style bodies are raw text of other types.
        if matches!(chunk.text_type(), TextType::Data | TextType::RCData) {
            out.borrow_mut().push_str(&htmlize::unescape(chunk.as_str()));
        }
        Ok(())
    }));
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    // A fragment past the parser's memory limit keeps the text read before it.
    let _ = rewriter.write(fragment.as_bytes()).and_then(|()| rewriter.end());
    out.into_inner()
}

/// "Headline | Site Name" → "Headline".
fn strip_site_suffix(title: &str) -> String {
    for sep in [" | ", " - ", " — ", " – ", " :: "] {
        if let Some((head, _)) = title.rsplit_once(sep)
            && head.split_whitespace().count() >= 3
        {
            return head.trim().to_owned();
        }
    }
    title.to_owned()
}

#[derive(Default)]
struct LinkedData {
    headline: Option<String>,
    date_published: Option<String>,
    authors: Vec<String>,
    publisher: Option<String>,
}

/// The first JSON-LD object of an article type. Malformed JSON-LD is ignored, as browsers do.
fn json_ld(scripts: &[String]) -> LinkedData {
    let mut found = LinkedData::default();
    for text in scripts {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
            continue;
        };
        let mut stack = vec![&value];
        while let Some(v) = stack.pop() {
            match v {
                serde_json::Value::Array(items) => stack.extend(items.iter().rev()),
                serde_json::Value::Object(map) => {
                    if let Some(graph) = map.get("@graph") {
                        stack.push(graph);
                    }
                    if is_article_type(map.get("@type")) {
                        found.headline = map.get("headline").and_then(|h| h.as_str()).map(collapse_space);
                        found.date_published = map.get("datePublished").and_then(|d| d.as_str()).map(str::to_owned);
                        found.authors = names(map.get("author"));
                        found.publisher = names(map.get("publisher")).into_iter().next();
                        return found;
                    }
                }
                _ => {}
            }
        }
    }
    found
}

fn is_article_type(kind: Option<&serde_json::Value>) -> bool {
    let is = |s: &str| {
        s.ends_with("Article") || matches!(s, "ReportageNews" | "BlogPosting" | "LiveBlogPosting" | "NewsArticle")
    };
    match kind {
        Some(serde_json::Value::String(s)) => is(s),
        Some(serde_json::Value::Array(kinds)) => kinds.iter().filter_map(|k| k.as_str()).any(is),
        _ => false,
    }
}

fn names(value: Option<&serde_json::Value>) -> Vec<String> {
    match value {
        Some(serde_json::Value::String(s)) => vec![collapse_space(s)],
        Some(serde_json::Value::Object(map)) => {
            map.get("name").and_then(|n| n.as_str()).map(collapse_space).into_iter().collect()
        }
        Some(serde_json::Value::Array(items)) => items.iter().flat_map(|i| names(Some(i))).collect(),
        _ => Vec::new(),
    }
}

const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "iframe", "button", "select", "option", "input", "textarea",
    "canvas", "object", "embed", "head", "math", "video", "audio", "map",
];
const BLOCK_LEVEL: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
    "summary",
    "caption",
];

struct Frame {
    /// The element's place in `Walk::elements`.
    element: u32,
    skip: bool,
    link: bool,
    verdict: Option<(RemovalReason, u32)>,
    kind: Option<BlockKind>,
    in_article: bool,
    /// Inside a menu, aside or footer (for `<time>` elements).
    aside: bool,
    capture: Option<Capture>,
}

/// An element as the scoring sees it.
struct Elem {
    name: String,
    class: Option<String>,
    parent: Option<u32>,
    /// Still on the stack (not yet ended, explicitly or implicitly).
    open: bool,
    /// Its start and end break the text into blocks.
    block: bool,
    /// Its place in `IMPLIED`, for an element other start tags can end.
    implied: Option<u8>,
}

/// A block as the walk found it, before verdicts are settled.
struct RawBlock {
    block: Block,
    element: u32,
    verdict_source: Option<u32>,
}

#[derive(Default)]
struct Walk {
    elements: Vec<Elem>,
    stack: Vec<Frame>,
    text: String,
    link_chars: usize,
    element: Option<u32>,
    blocks: Vec<RawBlock>,
    /// Elements the markup names as the article's body (`itemprop="articleBody"`).
    marked_bodies: Vec<u32>,
    seen: Seen,
    /// Text of the metadata element being read (`<title>`, `<h1>`, JSON-LD, `<time>`).
    captured: String,
    /// How many elements of each name in `IMPLIED` are open: a start tag looks for one to end only
    /// when there is one, so the cost of a tag does not grow with the depth.
    implied_open: [u32; IMPLIED.len()],
    /// The page nests deeper than `MAX_DEPTH`.
    too_deep: bool,
}

/// Elements that other start tags end implicitly.
const IMPLIED: &[&str] = &["p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option"];

/// Elements whose start closes an open `<p>` (HTML's "close a p element" rule).
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "details",
    "dialog",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "ul",
    "li",
    "dd",
    "dt",
];

impl Walk {
    /// Closes open elements down to (and including) the innermost one named `name`, provided it is
    /// open below none of `boundaries`.
    fn close_open(&mut self, names: &[&str], boundaries: &[&str]) {
        let open = |name: &&str| IMPLIED.iter().position(|n| n == name).map_or(0, |i| self.implied_open[i]);
        if names.iter().map(open).sum::<u32>() == 0 {
            return;
        }
        let found = self.stack.iter().rposition(|f| {
            let name = self.elements[f.element as usize].name.as_str();
            names.contains(&name) || boundaries.contains(&name)
        });
        if let Some(at) = found
            && names.contains(&self.elements[self.stack[at].element as usize].name.as_str())
        {
            while self.stack.len() > at {
                self.pop();
            }
        }
    }

    /// The elements HTML ends implicitly when `name` starts.
    fn implied_ends(&mut self, name: &str) {
        const SCOPE: &[&str] = &["table", "td", "th", "caption", "html", "button", "template"];
        if CLOSES_P.contains(&name) {
            self.close_open(&["p"], SCOPE);
        }
        match name {
            "li" => self.close_open(&["li"], &["ul", "ol", "menu", "table", "td", "th"]),
            "dt" | "dd" => self.close_open(&["dt", "dd"], &["dl", "table", "td", "th"]),
            "tr" => self.close_open(&["tr"], &["table", "thead", "tbody", "tfoot"]),
            "td" | "th" => self.close_open(&["td", "th"], &["tr", "table"]),
            "thead" | "tbody" | "tfoot" => self.close_open(&["thead", "tbody", "tfoot"], &["table"]),
            "option" => self.close_open(&["option"], &["select", "datalist"]),
            _ => {}
        }
    }

    /// A start tag. Returns the element's index when it stays open (so its end tag can close it).
    fn open(&mut self, tag: &Tag<'_>, can_have_content: bool) -> Option<u32> {
        let name = tag.name.as_str();
        let block = BLOCK_LEVEL.contains(&name);
        let implied = IMPLIED.iter().position(|n| *n == name).map(|i| i as u8);
        self.implied_ends(name);
        if block || name == "br" {
            self.flush();
        }
        let parent = self.stack.last();
        let index = self.elements.len() as u32;
        self.elements.push(Elem {
            name: name.to_owned(),
            class: tag.class.map(str::to_owned),
            parent: parent.map(|f| f.element),
            open: false,
            block,
            implied,
        });
        if block {
            self.element = Some(index);
        }
        match name {
            "meta" => {
                let key = tag.property.or(tag.meta_name).or(tag.itemprop);
                if let (Some(key), Some(content)) = (key, decoded(tag.content)) {
                    let content = collapse_space(&content);
                    if !content.is_empty() {
                        self.seen.tags.entry(key.to_ascii_lowercase()).or_insert(content);
                    }
                }
            }
            "link"
                if self.seen.canonical.is_none()
                    && tag
                        .rel
                        .is_some_and(|r| r.split_ascii_whitespace().any(|r| r.eq_ignore_ascii_case("canonical"))) =>
            {
                self.seen.canonical = decoded(tag.href);
            }
            "html" if self.seen.language.is_none() => self.seen.language = tag.lang.map(str::to_owned),
            _ => {}
        }
        if !can_have_content {
            return None;
        }
        if self.stack.len() >= MAX_DEPTH {
            self.too_deep = true;
            return None;
        }
        let hidden = tag.hidden
            || tag.class.is_some_and(hidden_by_class)
            || tag.aria_hidden == Some("true")
            || tag.style.is_some_and(|s| s.contains("display") && s.replace(' ', "").contains("display:none"));
        let skip = parent.is_some_and(|f| f.skip) || SKIPPED.contains(&name) || hidden;
        if tag.itemprop.is_some_and(|p| p.split_ascii_whitespace().any(|p| p == "articleBody")) {
            self.marked_bodies.push(index);
        }
        let in_article = parent.is_some_and(|f| f.in_article) || name == "article";
        let aside = parent.is_some_and(|f| f.aside) || matches!(name, "nav" | "aside" | "footer");
        let own_verdict = container_verdict(name, tag.role, tag.class, tag.id, in_article).map(|r| (r, index));
        let verdict = parent.and_then(|f| f.verdict).or(own_verdict);
        let kind = match name {
            "p" | "pre" | "dd" | "dt" | "td" | "th" => Some(BlockKind::Paragraph),
            "h1" => Some(BlockKind::Heading(1)),
            "h2" => Some(BlockKind::Heading(2)),
            "h3" => Some(BlockKind::Heading(3)),
            "h4" => Some(BlockKind::Heading(4)),
            "h5" => Some(BlockKind::Heading(5)),
            "h6" => Some(BlockKind::Heading(6)),
            "li" => Some(BlockKind::ListItem),
            "blockquote" => Some(BlockKind::Quote),
            "figcaption" | "caption" => Some(BlockKind::Caption),
            _ => None,
        }
        .or_else(|| parent.and_then(|f| f.kind));
        let link = parent.is_some_and(|f| f.link) || name == "a";
        let capture = match name {
            "title" if self.seen.title.is_none() => Some(Capture::Title),
            "h1" if self.seen.h1.is_none() => Some(Capture::H1),
            "script" if tag.kind.is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json")) => {
                Some(Capture::JsonLd)
            }
            "time" => decoded(tag.datetime).map(|value| {
                let marked = tag.pubdate || tag.itemprop == Some("datePublished");
                self.seen.times.push((value, marked, aside, String::new()));
                Capture::Time
            }),
            _ => None,
        }
        .or_else(|| parent.and_then(|f| f.capture));
        if capture != parent.and_then(|f| f.capture) {
            self.captured.clear();
        }
        self.stack.push(Frame { element: index, skip, link, verdict, kind, in_article, aside, capture });
        if let Some(element) = self.elements.last_mut() {
            element.open = true;
        }
        if let Some(i) = implied {
            self.implied_open[i as usize] += 1;
        }
        Some(index)
    }

    /// An end tag for the element at `index`: it and whatever is still open inside it close. An end
    /// tag for an element already closed implicitly changes nothing.
    fn close(&mut self, index: u32) {
        if !self.elements.get(index as usize).is_some_and(|e| e.open) {
            return;
        }
        if let Some(at) = self.stack.iter().rposition(|f| f.element == index) {
            while self.stack.len() > at {
                self.pop();
            }
        }
    }

    /// Closes everything still open at the end of the page.
    fn close_all(&mut self) {
        while !self.stack.is_empty() {
            self.pop();
        }
        self.flush();
    }

    /// Closes the innermost open element.
    fn pop(&mut self) {
        let Some(frame) = self.stack.last() else { return };
        if self.elements[frame.element as usize].block {
            self.flush();
        }
        let Some(frame) = self.stack.pop() else { return };
        let mut was_block = false;
        if let Some(element) = self.elements.get_mut(frame.element as usize) {
            element.open = false;
            was_block = element.block;
            if let Some(i) = element.implied {
                self.implied_open[i as usize] = self.implied_open[i as usize].saturating_sub(1);
            }
        }
        if was_block {
            // Text after a closed block (a paragraph after a picture's table) is an unnamed paragraph
            // of the enclosing block, not more of the block that just ended.
            let holder = self.stack.iter().rev().map(|f| f.element).find(|&e| self.elements[e as usize].block);
            self.element = holder.map(|parent| {
                self.elements.push(Elem {
                    name: "#text".to_owned(),
                    class: None,
                    parent: Some(parent),
                    open: false,
                    block: false,
                    implied: None,
                });
                self.elements.len() as u32 - 1
            });
        }
        let outer = self.stack.last().and_then(|f| f.capture);
        if let Some(capture) = frame.capture
            && outer != Some(capture)
        {
            let text = std::mem::take(&mut self.captured);
            match capture {
                Capture::Title => self.seen.title = Some(collapse_space(&text)),
                Capture::H1 => {
                    let text = collapse_space(&text);
                    if !text.is_empty() {
                        self.seen.h1 = Some(text);
                    }
                }
                Capture::JsonLd => self.seen.json_ld.push(text),
                Capture::Time => {
                    if let Some(last) = self.seen.times.last_mut() {
                        last.3 = collapse_space(&text);
                    }
                }
            }
        }
    }

    fn text(&mut self, chunk: &TextChunk<'_>) {
        let raw = chunk.as_str();
        if raw.is_empty() {
            return;
        }
        let frame = self.stack.last();
        let decoded = match chunk.text_type() {
            TextType::Data | TextType::RCData => htmlize::unescape(raw),
            _ => std::borrow::Cow::Borrowed(raw),
        };
        if frame.and_then(|f| f.capture).is_some() {
            self.captured.push_str(&decoded);
        }
        if frame.is_none_or(|f| f.skip) || !matches!(chunk.text_type(), TextType::Data) {
            return;
        }
        if frame.is_some_and(|f| f.link) {
            self.link_chars += decoded.trim().chars().count();
        }
        self.text.push_str(&decoded);
    }

    fn flush(&mut self) {
        let text = collapse_space(&self.text);
        self.text.clear();
        let link_chars = std::mem::take(&mut self.link_chars);
        let Some(element) = self.element else { return };
        if text.is_empty() {
            return;
        }
        let frame = self.stack.last();
        let mut block = Block::new(text, frame.and_then(|f| f.kind).unwrap_or(BlockKind::Paragraph));
        block.link_chars = link_chars.min(block.text.chars().count());
        let verdict = frame.and_then(|f| f.verdict);
        block.verdict = verdict.map(|(r, _)| r);
        self.blocks.push(RawBlock { block, element, verdict_source: verdict.map(|(_, id)| id) });
    }

    fn parent(&self, element: u32) -> Option<u32> {
        self.elements.get(element as usize).and_then(|e| e.parent)
    }

    /// Settles verdicts and marks what lies outside the main content.
    fn finish(mut self, meta: &mut PageMeta) -> Vec<Block> {
        // A list item of a headline link plus a teaser is not prose, even under the link limit.
        let is_prose = |b: &Block| {
            b.text.len() >= 40
                && b.link_density() < 0.33
                && b.kind != BlockKind::Caption
                && !(b.kind == BlockKind::ListItem && b.link_density() >= 0.2)
        };
        let count = self.elements.len();
        let mut raw = std::mem::take(&mut self.blocks);
        let walk = self;

        // A container verdict that would swallow most of the page's prose was a misreading of a
        // class name ("content-with-sidebar"): lift it.
        let total: usize = raw.iter().filter(|r| is_prose(&r.block)).map(|r| r.block.text.len()).sum();
        let mut by_source: HashMap<u32, usize> = HashMap::new();
        for r in raw.iter().filter(|r| is_prose(&r.block)) {
            if let Some(source) = r.verdict_source {
                *by_source.entry(source).or_default() += r.block.text.len();
            }
        }
        // Comments are the exception: a long discussion under a short post is still not the post,
        // unless the page's first prose lies inside it (a whole page wrapped in "has-comments").
        let first_prose_source = raw.iter().find(|r| is_prose(&r.block)).and_then(|r| r.verdict_source);
        for r in raw.iter_mut() {
            if let Some(source) = r.verdict_source
                && by_source.get(&source).is_some_and(|&len| len * 5 > total * 2 && len >= 150)
                && (r.block.verdict != Some(RemovalReason::Comments) || first_prose_source == Some(source))
            {
                r.block.verdict = None;
            }
        }

        // Score each element by the prose directly under it (and half of that of its children).
        let mut scores = vec![0f32; count];
        for r in raw.iter().filter(|r| r.block.verdict.is_none() && is_prose(&r.block)) {
            let len = r.block.text.len() as f32;
            if let Some(parent) = walk.parent(r.element) {
                scores[parent as usize] += len;
                // An `<article>` is a whole: its prose does not lift the list of teasers it sits in.
                let whole = walk.elements[parent as usize].name == "article";
                if let Some(grand) = walk.parent(parent).filter(|_| !whole) {
                    scores[grand as usize] += len / 2.0;
                }
            }
        }
        let best =
            scores.iter().enumerate().filter(|(_, s)| **s > 0.0).max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(&a.0)));
        let Some((main, &score)) = best else {
            return raw.into_iter().map(|r| r.block).collect();
        };
        let (mut main, mut score) = (main as u32, score);
        while let Some(parent) = walk.parent(main) {
            let parent_score = scores[parent as usize];
            if parent_score < score * 0.75 {
                break;
            }
            main = parent;
            score = parent_score;
        }
        // Prose (and other text) held by each element and everything inside it: each block counts
        // for its element, then every element passes its sums to its parent (a parent always comes
        // before its children in the arena, so one backward pass does it).
        let mut totals = vec![(0usize, 0usize); count];
        for r in &raw {
            let entry = &mut totals[r.element as usize];
            if r.block.verdict.is_none() && is_prose(&r.block) {
                entry.0 += r.block.text.len();
            } else {
                entry.1 += r.block.text.len();
            }
        }
        for element in (0..count).rev() {
            if let Some(parent) = walk.elements[element].parent {
                let (prose, other) = totals[element];
                totals[parent as usize].0 += prose;
                totals[parent as usize].1 += other;
            }
        }
        // The markup's own word for the body wins when it holds real prose.
        if let [marked] = walk.marked_bodies.as_slice()
            && totals[*marked as usize].0 >= 100
        {
            main = *marked;
        }
        // A body split into repeated sections (`div.StoryBodyCompanionColumn` after
        // `div.StoryBodyCompanionColumn`, broken by ads and pictures): take their parent when the
        // main element, or one of its two nearest ancestors, has siblings of the same tag and class
        // that hold prose.
        let signature = |n: u32| {
            let e = &walk.elements[n as usize];
            e.class.as_deref().filter(|c| !c.trim().is_empty()).map(|c| (e.name.as_str(), c))
        };
        let mut node = Some(main);
        for _ in 0..3 {
            let Some(n) = node else { break };
            if let (Some(own), Some(parent)) = (signature(n), walk.parent(n)) {
                let repeated = (0..count as u32).any(|sibling| {
                    sibling != n
                        && walk.parent(sibling) == Some(parent)
                        && signature(sibling) == Some(own)
                        && totals[sibling as usize].0 >= 100
                });
                if repeated {
                    main = parent;
                    break;
                }
            }
            node = walk.parent(n);
        }

        // Which elements lie inside the main one (one forward pass: parents come first).
        let mut inside = vec![false; count];
        for element in 0..count {
            inside[element] =
                element as u32 == main || walk.elements[element].parent.is_some_and(|parent| inside[parent as usize]);
        }
        let mut blocks = Vec::with_capacity(raw.len());
        for mut r in raw {
            if !inside[r.element as usize] {
                // Headlines and bylines often sit in a header just above the text: keep them as
                // candidates for the metadata readers, which mark them.
                let heading = matches!(r.block.kind, BlockKind::Heading(1));
                if heading && meta.title.as_deref() == Some(r.block.text.as_str()) {
                    r.block.verdict = Some(RemovalReason::Title);
                } else if r.block.verdict.is_none() {
                    r.block.verdict = Some(RemovalReason::OutsideArticle);
                }
            } else if r.block.verdict.is_none() && r.block.link_density() > 0.6 && r.block.words() <= 25 {
                r.block.verdict = Some(RemovalReason::RelatedLinks);
            }
            blocks.push(r.block);
        }
        blocks
    }
}

/// Classes that hide an element from readers: the frameworks' own hiding classes (`d-none`,
/// `sr-only`…, matched whole: `hidden-xs` hides only on small screens), and hover cards and
/// tooltips whose text would otherwise run into the sentence they decorate.
fn hidden_by_class(class: &str) -> bool {
    class.split_ascii_whitespace().any(|t| matches!(t, "d-none" | "hidden" | "sr-only" | "visually-hidden"))
        || class
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|t| ["tooltip", "popover", "hovercard", "rollover"].iter().any(|w| t.eq_ignore_ascii_case(w)))
}

/// A container's verdict from its tag, ARIA role and class or id names.
fn container_verdict(
    name: &str,
    role: Option<&str>,
    class: Option<&str>,
    id: Option<&str>,
    in_article: bool,
) -> Option<RemovalReason> {
    use RemovalReason::*;
    if matches!(name, "html" | "body" | "main" | "article" | "p") {
        return None;
    }
    match name {
        "nav" => return Some(Navigation),
        "footer" if !in_article => return Some(OutsideArticle),
        "header" if !in_article => return Some(Navigation),
        "aside" => return Some(OutsideArticle),
        _ => {}
    }
    match role {
        Some("navigation" | "menu" | "menubar") => return Some(Navigation),
        Some("banner") if !in_article => return Some(Navigation),
        Some("contentinfo") => return Some(OutsideArticle),
        Some("complementary") => return Some(RelatedLinks),
        _ => {}
    }
    if class.is_none() && id.is_none() {
        return None;
    }
    let names = [class.unwrap_or_default(), id.unwrap_or_default()].join(" ").to_ascii_lowercase();
    let tokens: Vec<&str> = names.split(|c: char| !c.is_ascii_alphanumeric()).filter(|t| !t.is_empty()).collect();
    let has = |words: &[&str]| tokens.iter().any(|t| words.contains(t));
    let joined = tokens.join("-");
    let contains = |parts: &[&str]| parts.iter().any(|p| joined.contains(p));
    // An embedded post ("social-media-embed", "article-tweet") is part of the story it is in.
    if contains(&["embed"]) || has(&["tweet", "instagram"]) {
        return None;
    }
    if has(&["cookie", "cookies", "consent", "gdpr"]) {
        Some(CookieNotice)
    } else if has(&["share", "sharing", "social", "sharebar", "shares"]) {
        Some(Share)
    } else if has(&["newsletter", "signup"]) || contains(&["newsletter", "sign-up"]) {
        Some(Newsletter)
    } else if has(&["subscribe", "subscription", "paywall", "piano", "regwall"]) {
        Some(Subscription)
    } else if has(&["donate", "donation", "donations", "membership", "contribute"]) || contains(&["support-us"]) {
        Some(Donation)
    } else if has(&["ad", "ads", "advert", "adslot", "dfp", "sponsor", "sponsored", "promo", "banner"])
        || contains(&["advert", "ad-slot", "ad-container", "ad-unit", "adsbygoogle"])
    {
        Some(Advertisement)
    } else if has(&[
        "related",
        "recommended",
        "recommendations",
        "trending",
        "popular",
        "outbrain",
        "taboola",
        "readmore",
        "mostread",
    ]) || contains(&["more-stories", "read-more", "also-read", "most-read", "related-"])
    {
        Some(RelatedLinks)
    } else if has(&["comment", "comments", "disqus", "replies"]) || contains(&["comments", "commentlist"]) {
        Some(Comments)
    } else if has(&["breadcrumb", "breadcrumbs", "menu", "navbar", "nav", "topbar", "masthead", "skip"]) {
        Some(Navigation)
    } else if has(&["credit", "credits"]) {
        Some(PhotoCredit)
    } else if has(&["caption", "figcaption"]) {
        Some(Caption)
    } else if has(&["footer", "sidebar", "rail", "widget"]) && !in_article {
        Some(OutsideArticle)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!doctype html><html lang="en"><head><title>Ship Strikes Bridge | Harbour Courier</title>
<meta property="og:site_name" content="Harbour Courier">
<meta property="article:published_time" content="2024-03-26T09:15:00-04:00">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Ship Strikes Bridge","author":[{"@type":"Person","name":"Jane Holloway"}]}</script>
</head><body><header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>
<div class="cookie-banner">We use cookies. Accept all</div>
<main><article><h1>Ship Strikes Bridge</h1>
<div class="share-bar"><a>Share</a><a>Tweet</a></div>
<p>A container ship lost power and struck a support pier of the bridge early on Tuesday, bringing most of the span down into the river.</p>
<div class="ad-slot">Advertisement</div>
<p>Six members of a road crew who were filling potholes on the span are presumed to have died, officials said later that day.</p>
<figure><img src="x.jpg"><figcaption>The wreck seen from the shore.</figcaption></figure>
</article><aside class="related"><h2>Related</h2><ul><li><a href="/a">Port closes indefinitely</a></li></ul></aside></main>
<footer>© Harbour Courier</footer></body></html>"#;

    #[test]
    fn reads_a_page() {
        let (blocks, meta) = read_page(PAGE).expect("reads");
        assert_eq!(meta.title.as_deref(), Some("Ship Strikes Bridge"));
        assert_eq!(meta.outlet.as_deref(), Some("Harbour Courier"));
        assert_eq!(meta.authors, ["Jane Holloway"]);
        assert_eq!(meta.dates[0].datetime.map(|d| d.to_rfc3339()).as_deref(), Some("2024-03-26T09:15:00-04:00"));
        let kept: Vec<&str> = blocks.iter().filter(|b| b.verdict.is_none()).map(|b| b.text.as_str()).collect();
        assert_eq!(kept[0], "Ship Strikes Bridge", "{kept:?}");
        assert!(kept[1].starts_with("A container ship"), "{kept:?}");
        assert!(kept[2].starts_with("Six members"), "{kept:?}");
        let reasons: Vec<_> = blocks.iter().filter_map(|b| b.verdict.map(|v| (v.as_str(), b.text.as_str()))).collect();
        assert!(reasons.contains(&("share", "ShareTweet")), "{reasons:?}");
        assert!(reasons.contains(&("advertisement", "Advertisement")), "{reasons:?}");
        assert!(reasons.contains(&("cookie-notice", "We use cookies. Accept all")), "{reasons:?}");
        assert!(reasons.iter().any(|(r, t)| *r == "outside-article" && t.contains("Port closes")), "{reasons:?}");
    }

    fn kept(page: &str) -> Vec<String> {
        read_page(page).expect("reads").0.into_iter().filter(|b| b.verdict.is_none()).map(|b| b.text).collect()
    }

    const PARAGRAPH: &str = "The harbour authority said on Monday that the dredging of the outer channel would \
        resume next spring, once the survey of the seabed near the breakwater is complete.";

    #[test]
    fn a_body_in_repeated_sections_is_kept_whole() {
        let section = |n: usize| {
            format!(
                r#"<div class="body-column"><div class="inner"><p>Part {n}. {PARAGRAPH}</p><p>Part {n} again. {PARAGRAPH}</p></div></div>"#
            )
        };
        let last = format!(
            r#"<div class="body-column"><div class="inner"><p>Part 3. {PARAGRAPH}</p><p>Part 3 again. {PARAGRAPH}</p><p>Part 3 once more. {PARAGRAPH}</p></div></div>"#
        );
        let (first, second) = (section(1), section(2));
        let page = format!(
            r#"<html><body><nav><a href="/">Home</a></nav><section class="story">{first}<div class="ad-slot">Advertisement</div>{second}<div class="ad-slot">Advertisement</div>{last}</section><footer>About us</footer></body></html>"#
        );
        let kept = kept(&page);
        for part in ["Part 1.", "Part 2.", "Part 3."] {
            assert!(kept.iter().any(|k| k.starts_with(part)), "{part} missing from {kept:?}");
        }
        assert!(!kept.iter().any(|k| k.contains("About us")), "{kept:?}");
    }

    #[test]
    fn the_markups_article_body_wins_over_longer_furniture() {
        let furniture =
            format!("<p>Our customer service centre answers calls on weekdays. {PARAGRAPH} {PARAGRAPH}</p>");
        let page = format!(
            r#"<html><body><div class="service">{furniture}</div><div itemprop="articleBody">A fire broke out in the old mill on Tuesday night, and crews from three towns fought it until dawn.<div></div>No one was hurt, the fire service said, but the roof of the east wing fell in before midnight.</div></body></html>"#
        );
        let kept = kept(&page);
        assert!(kept.iter().any(|k| k.starts_with("A fire broke out")), "{kept:?}");
        assert!(!kept.iter().any(|k| k.contains("customer service")), "{kept:?}");
    }

    #[test]
    fn a_long_discussion_under_a_short_post_stays_out() {
        let comment = |n: usize| format!(r#"<li class="comment"><p>Reader {n} writes: {PARAGRAPH}</p></li>"#);
        let comments: String = (0..8).map(comment).collect();
        let page = format!(
            r#"<html><body><article><div class="entry"><p>{PARAGRAPH}</p><p>The work is expected to take four months.</p></div></article><div id="comments" class="comments-area"><ol class="comment-list">{comments}</ol></div></body></html>"#
        );
        let kept = kept(&page);
        assert!(kept.iter().any(|k| k.starts_with("The harbour authority")), "{kept:?}");
        assert!(!kept.iter().any(|k| k.starts_with("Reader")), "{kept:?}");
    }

    #[test]
    fn implied_ends_entities_and_raw_text_read_as_a_browser_would() {
        let page = r#"<html><head><meta property="og:title" content="Caf&eacute; &amp; Bar"></head><body><main>
<p>The first paragraph of the report&#8217;s text, long enough to count as prose here.<p>The second one, about the caf&eacute; on the square, also long enough.
<ul><li>First point<li>Second &lt;point&gt;</ul>
<script>if (a < b && c > d) { document.write("<p>never shown</p>"); }</script>
<table><tr><td>Cell one<td>Cell two</table></main></body></html>"#;
        let (blocks, meta) = read_page(page).expect("reads");
        let texts: Vec<&str> = blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(meta.title.as_deref(), Some("Café & Bar"));
        assert_eq!(texts[0], "The first paragraph of the report’s text, long enough to count as prose here.");
        assert_eq!(texts[1], "The second one, about the café on the square, also long enough.");
        assert_eq!(&texts[2..6], ["First point", "Second <point>", "Cell one", "Cell two"], "{texts:?}");
        assert!(!texts.iter().any(|t| t.contains("never shown")), "{texts:?}");
    }

    #[test]
    fn stray_markup_in_text_is_read_for_its_words() {
        assert_eq!(text_of_fragment("<b>Bold</b> &amp; <i>plain</i><script>x()</script>"), "Bold & plain");
    }

    #[test]
    fn text_after_a_picture_table_stays_with_its_article() {
        let para = |n: usize| {
            format!("Paragraph {n} of the review, which goes on about the play for long enough to be prose.<br><br>")
        };
        let before: String = (1..=3).map(para).collect();
        let after: String = (4..=9).map(para).collect();
        let page = format!(
            r#"<html><body><div id="article">{before}<table><tr><td><img src="a.jpg"></td></tr><tr><td>Photo: the cast</td></tr></table>{after}</div><div class="foot">Company address and a phone number that go on for a while here.</div></body></html>"#
        );
        let kept = kept(&page);
        for n in 1..=9 {
            assert!(kept.iter().any(|k| k.starts_with(&format!("Paragraph {n} "))), "paragraph {n} missing: {kept:?}");
        }
    }

    #[test]
    fn hover_cards_hidden_classes_and_embeds() {
        let page = format!(
            r#"<html><body><article><p>{PARAGRAPH} The minister<span class="rollover-people-block">Minister card: born 1970, party, district</span> said so.</p><div class="d-none d-print-block">Printed citation line</div><div class="social-media-embed"><blockquote>The embedded post's own words are part of the story too.</blockquote></div></article></body></html>"#
        );
        let kept = kept(&page).join("\n");
        assert!(!kept.contains("Minister card") && !kept.contains("Printed citation"), "{kept}");
        assert!(kept.contains("embedded post"), "{kept}");
    }

    #[test]
    fn teasers_in_articles_and_lists_do_not_outweigh_the_story() {
        let teaser = |n: usize| {
            format!(
                r#"<article class="postbox"><h2><a href="/{n}">Other story {n}</a></h2><p>{PARAGRAPH}</p></article>"#
            )
        };
        let teasers: String = (0..6).map(teaser).collect();
        let page = format!(
            r#"<html><body><article class="main"><p>The one paragraph of this post tells of a bridge that reopened on Sunday after a year of repairs, with the mayor cutting a ribbon, a brass band playing and hundreds of residents crossing on foot in the first hour, many with their children and dogs, before the first buses came through at noon and the traffic lights were switched on again.</p></article><section id="more">{teasers}</section></body></html>"#
        );
        let kept = kept(&page);
        assert!(kept.iter().any(|k| k.starts_with("The one paragraph")), "{kept:?}");
        assert!(!kept.iter().any(|k| k.starts_with("The harbour authority")), "{kept:?}");
    }
}
