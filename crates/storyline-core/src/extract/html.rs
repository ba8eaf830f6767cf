//! HTML pages to blocks and page metadata, through `scraper` (html5ever). Reads the head (meta tags,
//! JSON-LD, canonical link, `lang`), walks the body iteratively (deep nesting cannot overflow the
//! stack), gives containers a verdict from their tag, role and class names, and finds the main
//! content by scoring where the prose sits. What the blocks say is judged later by the shared rules.

use super::block::{Block, BlockKind, collapse_space};
use super::byline;
use super::published::DateCandidate;
use crate::dates;
use crate::model::{DateMethod, RemovalReason};
use ego_tree::NodeId;
use scraper::{ElementRef, Html, Node, Selector};
use std::collections::HashMap;
use std::sync::LazyLock;

/// What the page's markup says about the article, outside its text.
#[derive(Debug, Default)]
pub(crate) struct PageMeta {
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub authors: Vec<String>,
    pub url: Option<String>,
    pub language: Option<String>,
    pub dates: Vec<DateCandidate>,
}

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("static selector is valid")
}

static META: LazyLock<Selector> = LazyLock::new(|| selector("meta"));
static TITLE: LazyLock<Selector> = LazyLock::new(|| selector("title"));
static H1: LazyLock<Selector> = LazyLock::new(|| selector("h1"));
static CANONICAL: LazyLock<Selector> = LazyLock::new(|| selector("link[rel=canonical]"));
static JSON_LD: LazyLock<Selector> = LazyLock::new(|| selector("script[type='application/ld+json']"));
static TIME: LazyLock<Selector> = LazyLock::new(|| selector("time[datetime]"));
static HTML_TAG: LazyLock<Selector> = LazyLock::new(|| selector("html"));

/// Deeper nesting than this is refused before parsing: tree building costs time in proportion to
/// the depth for every element, so a hostile page of nested `<div>`s would take quadratic time.
pub(crate) const MAX_DEPTH: usize = 4096;

/// A resource guard, not a parser: counts the nesting of elements that must be closed explicitly
/// (void elements and those with optional end tags are left out) and says whether it ever passes
/// `limit`. Linear in the page's length; it decides nothing about content.
pub(crate) fn nesting_exceeds(page: &str, limit: usize) -> bool {
    const UNCOUNTED: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "p",
        "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "tbody", "thead", "tfoot", "colgroup", "caption",
        "rb", "rt", "rp", "html", "head", "body", "param", "keygen", "image",
    ];
    let bytes = page.as_bytes();
    let mut depth: usize = 0;
    let mut i = 0;
    while let Some(offset) = bytes[i..].iter().position(|b| *b == b'<') {
        i += offset + 1;
        let closing = bytes.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        let len = bytes[start.min(bytes.len())..].iter().take_while(|b| b.is_ascii_alphanumeric()).count();
        if len == 0 || !bytes[start].is_ascii_alphabetic() {
            continue;
        }
        let name = page[start..start + len].to_ascii_lowercase();
        if UNCOUNTED.contains(&name.as_str()) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else {
            depth += 1;
            if depth > limit {
                return true;
            }
        }
    }
    false
}

/// Parses the page and returns its blocks (with container verdicts set) and its metadata.
pub(crate) fn read_page(text: &str) -> (Vec<Block>, PageMeta) {
    let page = Html::parse_document(text);
    let mut meta = read_meta(&page);
    let mut walk = Walk::default();
    walk.run(&page);
    let blocks = walk.finish(&page, &mut meta);
    (blocks, meta)
}

fn read_meta(page: &Html) -> PageMeta {
    let mut tags: HashMap<String, String> = HashMap::new();
    for el in page.select(&META) {
        let key = el.attr("property").or_else(|| el.attr("name")).or_else(|| el.attr("itemprop"));
        if let (Some(key), Some(content)) = (key, el.attr("content")) {
            let content = collapse_space(content);
            if !content.is_empty() {
                tags.entry(key.to_ascii_lowercase()).or_insert(content);
            }
        }
    }
    let mut meta = PageMeta::default();
    let ld = json_ld(page);

    let h1 = page.select(&H1).map(|h| collapse_space(&h.text().collect::<String>())).find(|t| !t.is_empty());
    let title_tag = page.select(&TITLE).next().map(|t| collapse_space(&t.text().collect::<String>()));
    meta.title = h1
        .or_else(|| tags.get("og:title").cloned())
        .or_else(|| ld.headline.clone())
        .or_else(|| tags.get("twitter:title").cloned())
        .or_else(|| title_tag.map(|t| strip_site_suffix(&t)))
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

    meta.url = page
        .select(&CANONICAL)
        .find_map(|l| l.attr("href").map(str::to_owned))
        .or_else(|| tags.get("og:url").cloned())
        .filter(|u| u.starts_with("http"));
    meta.language = page.select(&HTML_TAG).next().and_then(|h| h.attr("lang")).map(str::to_owned);

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
    let time = page
        .select(&TIME)
        .find(|t| {
            !inside(t, &["nav", "aside", "footer"]) && t.attr("pubdate").is_some()
                || t.attr("itemprop") == Some("datePublished")
        })
        .or_else(|| page.select(&TIME).find(|t| !inside(t, &["nav", "aside", "footer"])));
    if let Some(t) = time
        && let Some((date, datetime)) = t.attr("datetime").and_then(dates::parse_timestamp)
    {
        let shown = collapse_space(&t.text().collect::<String>());
        let evidence = format!("<time datetime=\"{}\">{}</time>", t.attr("datetime").unwrap_or_default(), shown);
        meta.dates.push(DateCandidate::new(date, datetime, DateMethod::TimeElement, &evidence));
    }
    meta
}

fn inside(el: &ElementRef<'_>, tags: &[&str]) -> bool {
    el.ancestors().filter_map(ElementRef::wrap).any(|a| tags.contains(&a.value().name()))
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
fn json_ld(page: &Html) -> LinkedData {
    let mut found = LinkedData::default();
    for script in page.select(&JSON_LD) {
        let text: String = script.text().collect();
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) else {
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
    skip: bool,
    link: bool,
    verdict: Option<(RemovalReason, NodeId)>,
    kind: Option<BlockKind>,
    in_article: bool,
}

/// A block as the walk found it, before verdicts are settled.
struct RawBlock {
    block: Block,
    element: NodeId,
    verdict_source: Option<NodeId>,
}

#[derive(Default)]
struct Walk {
    stack: Vec<Frame>,
    text: String,
    link_chars: usize,
    element: Option<NodeId>,
    blocks: Vec<RawBlock>,
    /// Elements the markup names as the article's body (`itemprop="articleBody"`).
    marked_bodies: Vec<NodeId>,
}

impl Walk {
    fn run(&mut self, page: &Html) {
        for edge in page.tree.root().traverse() {
            match edge {
                ego_tree::iter::Edge::Open(node) => match node.value() {
                    Node::Element(el) => self.open(node.id(), el),
                    Node::Text(text) if !self.stack.last().is_some_and(|f| f.skip) => {
                        if self.stack.last().is_some_and(|f| f.link) {
                            self.link_chars += text.trim().chars().count();
                        }
                        self.text.push_str(text);
                    }
                    _ => {}
                },
                ego_tree::iter::Edge::Close(node) => {
                    if let Node::Element(el) = node.value() {
                        if BLOCK_LEVEL.contains(&el.name()) || el.name() == "br" {
                            self.flush();
                        }
                        if el.name() != "br" && !is_void(el.name()) {
                            self.stack.pop();
                        }
                    }
                }
            }
        }
        self.flush();
    }

    fn open(&mut self, id: NodeId, el: &scraper::node::Element) {
        let name = el.name();
        if name == "br" {
            return;
        }
        if BLOCK_LEVEL.contains(&name) {
            self.flush();
            self.element = Some(id);
        }
        if is_void(name) {
            return;
        }
        let parent = self.stack.last();
        let hidden = el.attr("hidden").is_some()
            || el.attr("aria-hidden") == Some("true")
            || el.attr("style").is_some_and(|s| s.replace(' ', "").contains("display:none"));
        let skip = parent.is_some_and(|f| f.skip) || SKIPPED.contains(&name) || hidden;
        if el.attr("itemprop").is_some_and(|p| p.split_ascii_whitespace().any(|p| p == "articleBody")) {
            self.marked_bodies.push(id);
        }
        let in_article = parent.is_some_and(|f| f.in_article) || name == "article";
        let own_verdict = container_verdict(el, in_article).map(|r| (r, id));
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
        self.stack.push(Frame { skip, link, verdict, kind, in_article });
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

    /// Settles verdicts and marks what lies outside the main content.
    fn finish(self, page: &Html, meta: &mut PageMeta) -> Vec<Block> {
        let marked_bodies = self.marked_bodies;
        let mut raw = self.blocks;
        let is_prose = |b: &Block| b.text.len() >= 40 && b.link_density() < 0.33 && b.kind != BlockKind::Caption;

        // A container verdict that would swallow most of the page's prose was a misreading of a
        // class name ("content-with-sidebar"): lift it.
        let total: usize = raw.iter().filter(|r| is_prose(&r.block)).map(|r| r.block.text.len()).sum();
        let mut by_source: HashMap<NodeId, usize> = HashMap::new();
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
        let mut scores: HashMap<NodeId, f32> = HashMap::new();
        for r in raw.iter().filter(|r| r.block.verdict.is_none() && is_prose(&r.block)) {
            let Some(node) = page.tree.get(r.element) else {
                continue;
            };
            let len = r.block.text.len() as f32;
            if let Some(parent) = node.parent() {
                *scores.entry(parent.id()).or_default() += len;
                if let Some(grand) = parent.parent() {
                    *scores.entry(grand.id()).or_default() += len / 2.0;
                }
            }
        }
        let main = scores.iter().max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0))).map(|(id, score)| (*id, *score));
        let Some((mut main, mut score)) = main else {
            return raw.into_iter().map(|r| r.block).collect();
        };
        while let Some(parent) = page.tree.get(main).and_then(|n| n.parent()) {
            let parent_score = scores.get(&parent.id()).copied().unwrap_or(0.0);
            if parent_score < score * 0.75 {
                break;
            }
            main = parent.id();
            score = parent_score;
        }
        // An article split into sibling sections (a body column broken by ads and pictures) has
        // its best-scored part in one of them: grow the main element upward while what a parent
        // adds is more prose than furniture.
        let mut totals: HashMap<NodeId, (usize, usize)> = HashMap::new();
        for r in &raw {
            let prose = r.block.verdict.is_none() && is_prose(&r.block);
            let len = r.block.text.len();
            let mut node = page.tree.get(r.element);
            while let Some(n) = node {
                let entry = totals.entry(n.id()).or_default();
                if prose {
                    entry.0 += len;
                } else {
                    entry.1 += len;
                }
                node = n.parent();
            }
        }
        // The markup's own word for the body wins when it holds real prose.
        if let [marked] = marked_bodies.as_slice()
            && totals.get(marked).is_some_and(|&(prose, _)| prose >= 100)
        {
            main = *marked;
        }
        // A body split into repeated sections (`div.StoryBodyCompanionColumn` after
        // `div.StoryBodyCompanionColumn`, broken by ads and pictures): take their parent when the
        // main element, or one of its two nearest ancestors, has siblings of the same tag and class
        // that hold prose.
        let signature = |n: &ego_tree::NodeRef<'_, Node>| {
            n.value().as_element().and_then(|e| {
                e.attr("class").filter(|c| !c.trim().is_empty()).map(|c| (e.name().to_owned(), c.to_owned()))
            })
        };
        let mut node = page.tree.get(main);
        for _ in 0..3 {
            let Some(n) = node else { break };
            if let (Some(own), Some(parent)) = (signature(&n), n.parent()) {
                let repeated = parent.children().any(|sibling| {
                    sibling.id() != n.id()
                        && signature(&sibling).as_ref() == Some(&own)
                        && totals.get(&sibling.id()).is_some_and(|&(prose, _)| prose >= 100)
                });
                if repeated {
                    main = parent.id();
                    break;
                }
            }
            node = n.parent();
        }

        let mut blocks = Vec::with_capacity(raw.len());
        for mut r in raw {
            let inside_main =
                r.element == main || page.tree.get(r.element).is_some_and(|n| n.ancestors().any(|a| a.id() == main));
            if !inside_main {
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

fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
    )
}

/// A container's verdict from its tag, ARIA role and class or id names.
fn container_verdict(el: &scraper::node::Element, in_article: bool) -> Option<RemovalReason> {
    use RemovalReason::*;
    let name = el.name();
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
    match el.attr("role") {
        Some("navigation" | "menu" | "menubar") => return Some(Navigation),
        Some("banner") if !in_article => return Some(Navigation),
        Some("contentinfo") => return Some(OutsideArticle),
        Some("complementary") => return Some(RelatedLinks),
        _ => {}
    }
    let names =
        [el.attr("class").unwrap_or_default(), el.attr("id").unwrap_or_default()].join(" ").to_ascii_lowercase();
    let tokens: Vec<&str> = names.split(|c: char| !c.is_ascii_alphanumeric()).filter(|t| !t.is_empty()).collect();
    let has = |words: &[&str]| tokens.iter().any(|t| words.contains(t));
    let joined = tokens.join("-");
    let contains = |parts: &[&str]| parts.iter().any(|p| joined.contains(p));
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
        let (blocks, meta) = read_page(PAGE);
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
        read_page(page).0.into_iter().filter(|b| b.verdict.is_none()).map(|b| b.text).collect()
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
}
