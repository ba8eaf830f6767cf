//! The web pages: server-side HTML (maud, which escapes every interpolated value) over the same
//! reads as the JSON API, with one stylesheet and one small script embedded in the binary. Pages
//! are untrusted input: article text is only ever interpolated as text, never as markup, and the
//! Content-Security-Policy forbids inline scripts, so a payload that slipped through would not run.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{Datelike, NaiveDate};
use maud::{DOCTYPE, Markup, html};
use storyline_core::Article;
use storyline_core::reconcile::{ClaimStatus, Dossier, Relation, Source};
use storyline_store::Store;

use super::api::{pairs, search_request, story_list};
use super::{ApiError, App, blocking};

const STYLE: &str = include_str!("static/style.css");
const SCRIPT: &str = include_str!("static/live.js");
const POLICY: &str = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/", get(story_list_page))
        .route("/stories/{id}", get(story_page))
        .route("/articles/{id}", get(article_page))
        .route("/entities/{name}", get(entity_page))
        .route("/search", get(search_page))
        .route("/static/style.css", get(|| async { asset("text/css; charset=utf-8", STYLE) }))
        .route("/static/live.js", get(|| async { asset("text/javascript; charset=utf-8", SCRIPT) }))
}

fn asset(kind: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, kind), (header::CACHE_CONTROL, "max-age=3600")], body).into_response()
}

fn page(title: &str, body: Markup) -> Response {
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · storyline" }
                link rel="stylesheet" href="/static/style.css";
                script src="/static/live.js" defer {}
            }
            body {
                header.top {
                    a.brand href="/" { "storyline" }
                    form.find action="/search" method="get" {
                        input type="search" name="q" placeholder="Search articles" aria-label="Search articles";
                    }
                    span #live hidden {}
                }
                main { (body) }
            }
        }
    };
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, POLICY),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        markup.into_string(),
    )
        .into_response()
}

/// A page for an error, in the same dress.
fn error_page(err: ApiError) -> Response {
    let status = err.status;
    let mut response = page("Not here", html! { h1 { "Not here" } p.muted { (err.message) } });
    *response.status_mut() = status;
    response
}

async fn render(app: &Arc<App>, work: impl FnOnce(&App) -> Result<Response, ApiError> + Send + 'static) -> Response {
    match blocking(app, work).await {
        Ok(response) => response,
        Err(err) => error_page(err),
    }
}

fn day(date: Option<NaiveDate>) -> String {
    date.map_or_else(|| "undated".to_owned(), |d| d.format("%-d %b %Y").to_string())
}

/// A TimeML day or month as a calendar day (a month as its first day).
fn event_day(value: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .ok()
        .or_else(|| NaiveDate::parse_from_str(&format!("{value}-01"), "%Y-%m-%d").ok())
}

fn source_link(source: &Source) -> String {
    format!("/articles/{}?hl={}-{}#hl", source.article.as_str(), source.start, source.end)
}

/// Articles per day as a small bar chart.
fn sparkline(coverage: &[(NaiveDate, u64)]) -> Markup {
    let (Some(first), Some(last)) = (coverage.first().map(|c| c.0), coverage.last().map(|c| c.0)) else {
        return html! {};
    };
    let days = (last - first).num_days().max(0) as usize + 1;
    let buckets = days.min(60);
    let mut counts = vec![0u64; buckets];
    for (d, n) in coverage {
        let at = ((*d - first).num_days().max(0) as usize * buckets) / days;
        counts[at.min(buckets - 1)] += n;
    }
    let top = counts.iter().copied().max().unwrap_or(1).max(1) as f64;
    let width = 120.0 / buckets as f64;
    html! {
        svg.spark width="120" height="24" viewBox="0 0 120 24" role="img" aria-label=(format!("{} articles over {days} days", coverage.iter().map(|c| c.1).sum::<u64>())) {
            @for (i, n) in counts.iter().enumerate() {
                @if *n > 0 {
                    @let h = (*n as f64 / top * 22.0).max(2.0);
                    rect x=(format!("{:.1}", i as f64 * width)) y=(format!("{:.1}", 24.0 - h)) width=(format!("{:.1}", (width - 0.6).max(1.0))) height=(format!("{h:.1}")) {}
                }
            }
        }
    }
}

async fn story_list_page(State(app): State<Arc<App>>) -> Response {
    render(&app, |app| {
        let list = story_list(app)?;
        let stories = list["stories"].as_array().cloned().unwrap_or_default();
        let total: u64 = stories.iter().filter_map(|s| s["articles"].as_u64()).sum();
        let body = html! {
            h1 { "Stories" }
            p.muted { (stories.len()) " stories from " (total) " articles, latest first." }
            table.stories {
                thead { tr { th { "Story" } th.num { "Articles" } th.num { "Outlets" } th { "Span" } th { "Coverage" } } }
                tbody {
                    @for s in &stories {
                        @let id = s["id"].as_str().unwrap_or("");
                        @let coverage: Vec<(NaiveDate, u64)> = s["coverage"].as_array().into_iter().flatten().filter_map(|c| {
                            Some((NaiveDate::parse_from_str(c[0].as_str()?, "%Y-%m-%d").ok()?, c[1].as_u64()?))
                        }).collect();
                        tr.story {
                            td { a href=(format!("/stories/{id}")) { (s["title"].as_str().unwrap_or("(untitled)")) } }
                            td.num { (s["articles"].as_u64().unwrap_or(0)) }
                            td.num { (s["outlets"].as_array().map_or(0, Vec::len)) }
                            td.span {
                                (s["first"].as_str().unwrap_or("?")) " – " (s["last"].as_str().unwrap_or("?"))
                            }
                            td { (sparkline(&coverage)) }
                        }
                    }
                }
            }
        };
        Ok(page("Stories", body))
    })
    .await
}

/// Label rows above the timeline's axis; a label that fits in none is left to the dot's tooltip.
const LANES: usize = 6;

/// The timeline as a picture: a date axis with one dot per event, in date order, each label in
/// the lowest row where it does not run into the one before it.
fn timeline_svg(dossier: &Dossier) -> Markup {
    let mut events: Vec<(usize, NaiveDate)> =
        dossier.events.iter().enumerate().filter_map(|(i, e)| event_day(&e.date).map(|d| (i, d))).collect();
    events.sort_by_key(|&(i, d)| (d, i));
    let (Some(first), Some(last)) = (events.first().map(|e| e.1), events.last().map(|e| e.1)) else {
        return html! { p.muted { "No dated events." } };
    };
    let span = (last - first).num_days().max(1) as f64;
    let (left, right, width) = (50.0, 50.0, 960.0);
    let x = |d: NaiveDate| left + (d - first).num_days() as f64 / span * (width - left - right);
    let axis = 24.0 + LANES as f64 * 16.0 + 14.0;
    let mut lane_end = [f64::MIN; LANES];
    let placed: Vec<(usize, f64, Option<usize>)> = events
        .iter()
        .map(|&(i, d)| {
            let cx = x(d);
            let half = dossier.events[i].kind.chars().count() as f64 * 3.4 + 4.0;
            let lane = (0..LANES).find(|&l| lane_end[l] < cx - half);
            if let Some(l) = lane {
                lane_end[l] = cx + half;
            }
            (i, cx, lane)
        })
        .collect();
    let mut ticks = Vec::new();
    let mut t = first.with_day(1).unwrap_or(first);
    while t <= last {
        if t >= first {
            ticks.push(t);
        }
        t = t.checked_add_months(chrono::Months::new(1)).unwrap_or(last + chrono::Days::new(1));
    }
    html! {
        svg #timeline.timeline viewBox=(format!("0 0 {width} {}", axis + 34.0)) role="img" aria-label="Timeline of the story's events" {
            line.axis x1=(left) y1=(axis) x2=(width - right) y2=(axis) {}
            @for t in &ticks {
                line.tick x1=(format!("{:.1}", x(*t))) y1=(axis - 4.0) x2=(format!("{:.1}", x(*t))) y2=(axis + 4.0) {}
                text.tick x=(format!("{:.1}", x(*t))) y=(axis + 22.0) { (t.format("%b %Y")) }
            }
            @for (i, cx, lane) in &placed {
                @let e = &dossier.events[*i];
                a href=(format!("#event-{i}")) {
                    g.event data-date=(event_day(&e.date).map(|d| d.to_string()).unwrap_or_default()) data-kind=(e.kind) {
                        title { (e.date) ": " (e.kind) " — " (e.summary) }
                        @if let Some(l) = lane {
                            @let y = axis - 14.0 - *l as f64 * 16.0;
                            line.stem x1=(format!("{cx:.1}")) y1=(axis) x2=(format!("{cx:.1}")) y2=(format!("{:.1}", y + 3.0)) {}
                            text.label x=(format!("{cx:.1}")) y=(format!("{y:.1}")) { (e.kind) }
                        }
                        circle cx=(format!("{cx:.1}")) cy=(axis) r="6" {}
                    }
                }
            }
        }
    }
}

/// A readable name from an entity id with no display name at hand: `place/new-york` → "New York".
fn from_slug(id: &str) -> String {
    let slug = id.split_once('/').map_or(id, |(_, s)| s);
    slug.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next().map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn status_name(status: ClaimStatus) -> &'static str {
    match status {
        ClaimStatus::Agree => "agree",
        ClaimStatus::Conflict => "conflict",
        ClaimStatus::Update => "update",
        ClaimStatus::Projection => "projection",
    }
}

fn relation_name(relation: Relation) -> &'static str {
    match relation {
        Relation::Consensus => "consensus",
        Relation::Lower => "lower",
        Relation::Higher => "higher",
        Relation::Projection => "projection",
    }
}

async fn story_page(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    render(&app, move |app| {
        let Some(dossier) = app.dossier(&id)? else {
            return Err(ApiError::not_found(format!("no stored story has the id {id:?}")));
        };
        let outlet_of: HashMap<&str, &str> = dossier
            .articles
            .iter()
            .map(|a| (a.id.as_str(), a.outlet.as_deref().unwrap_or("unknown outlet")))
            .collect();
        let by = |s: &Source| outlet_of.get(s.article.as_str()).copied().unwrap_or("source");
        let names: HashMap<&str, &str> = dossier.entities.iter().map(|e| (e.id.as_str(), e.name.as_str())).collect();
        let body = html! {
            p.crumbs { a href="/" { "Stories" } " / " (dossier.id) }
            h1 { (dossier.title) }
            p.muted {
                (dossier.articles.len()) " articles from " (dossier.outlets.len()) " outlets, "
                (day(dossier.first)) " – " (day(dossier.last)) "."
                @if dossier.removed_noise > 0 { " " (dossier.removed_noise) " blocks of page furniture removed." }
            }
            @if !dossier.summary.is_empty() {
                section.summary {
                    @for q in &dossier.summary {
                        p { (q.text) " " a.src href=(source_link(&q.source)) { (by(&q.source)) } }
                    }
                }
            }
            section {
                h2 { "Timeline" }
                (timeline_svg(&dossier))
                ol.events {
                    @for (i, e) in dossier.events.iter().enumerate() {
                        li #(format!("event-{i}")) {
                            span.date { (e.date) } " "
                            span.kind { (e.kind) }
                            @if let Some(place) = &e.place { " · " span.place { (names.get(place.as_str()).map_or_else(|| from_slug(place), |n| (*n).to_owned())) } }
                            p { (e.summary) }
                            p.sources {
                                @for s in &e.sources { a.src href=(source_link(s)) { (by(s)) } " " }
                            }
                        }
                    }
                }
            }
            @if !dossier.claims.is_empty() {
                section {
                    h2 { "Claims" }
                    p.muted.legend {
                        span.rel.consensus { "consensus" } span.rel.lower { "lower" } span.rel.higher { "higher" } span.rel.projection { "projected" }
                    }
                    table.claims {
                        thead { tr { th { "What" } th { "Status" } th { "Values, with the sources that give them" } } }
                        tbody {
                            @for c in &dossier.claims {
                                tr.claim data-status=(status_name(c.status)) {
                                    td {
                                        (c.measure)
                                        @if let Some(subject) = &c.subject { br; span.muted { (names.get(subject.as_str()).copied().unwrap_or(subject)) } }
                                    }
                                    td { span.(format!("status {}", status_name(c.status))) { (status_name(c.status)) } }
                                    td {
                                        @for v in &c.values {
                                            div.(format!("value rel {}", relation_name(v.relation))) {
                                                strong { (v.text) }
                                                @if v.relation != Relation::Consensus { " " span.badge { (relation_name(v.relation)) } }
                                                " "
                                                @for s in &v.sources { a.src.claim-source href=(source_link(s)) { (by(s)) } " " }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if !dossier.quotes.is_empty() {
                section {
                    h2 { "Quotes by speaker" }
                    @for sq in &dossier.quotes {
                        div.speaker {
                            h3 { (sq.speaker) }
                            @for q in &sq.quotes {
                                blockquote { "“" (q.text) "” " a.src href=(source_link(&q.source)) { (by(&q.source)) } }
                            }
                        }
                    }
                }
            }
            section {
                h2 { "Outlets side by side" }
                table.coverage {
                    thead { tr { th { "Published" } th { "Outlet" } th { "Headline" } } }
                    tbody {
                        @for a in &dossier.articles {
                            tr.(if a.copy_of.is_some() { "copy" } else { "original" }) {
                                td.span { (day(a.published)) }
                                td { (a.outlet.as_deref().unwrap_or("unknown")) }
                                td {
                                    a href=(format!("/articles/{}", a.id.as_str())) { (a.title.as_deref().unwrap_or("(untitled)")) }
                                    @if a.copy_of.is_some() { " " span.badge { "copy" } }
                                }
                            }
                        }
                    }
                }
            }
            @if !dossier.entities.is_empty() {
                section {
                    h2 { "Who and where" }
                    p.entities {
                        @for e in &dossier.entities {
                            a.chip href=(format!("/entities/{}", e.id)) { (e.name) " " span.muted { (e.articles) } } " "
                        }
                    }
                }
            }
        };
        Ok(page(&dossier.title, body))
    })
    .await
}

/// The body as paragraphs, the range `hl` marked.
fn body_markup(article: &Article, hl: Option<(usize, usize)>) -> Markup {
    let body = &article.body;
    let hl = hl.filter(|&(a, b)| a < b && b <= body.len() && body.is_char_boundary(a) && body.is_char_boundary(b));
    let mut paragraphs: Vec<(usize, &str)> = Vec::new();
    let mut at = 0;
    for part in body.split("\n\n") {
        paragraphs.push((at, part));
        at += part.len() + 2;
    }
    html! {
        @for (start, text) in paragraphs {
            @let end = start + text.len();
            @match hl {
                Some((a, b)) if a < end && b > start => {
                    @let (a, b) = (a.max(start) - start, b.min(end) - start);
                    p { (&text[..a]) mark #hl { (&text[a..b]) } (&text[b..]) }
                }
                _ => { p { (text) } }
            }
        }
    }
}

async fn article_page(State(app): State<Arc<App>>, Path(id): Path<String>, RawQuery(query): RawQuery) -> Response {
    let hl = pairs(query).ok().and_then(|q| {
        let v = q.iter().find(|(k, _)| k == "hl")?.1.clone();
        let (a, b) = v.split_once('-')?;
        Some((a.parse().ok()?, b.parse().ok()?))
    });
    render(&app, move |app| {
        let store = app.reader()?;
        let article = store.article(&id).map_err(|e| ApiError::bad_request(e.to_string()))?;
        let Some(article) = article else {
            return Err(ApiError::not_found(format!("no stored article has the id {id:?}")));
        };
        let story = store.story_of(&article.id).map_err(ApiError::internal)?;
        let p = &article.published;
        let title = article.title.clone().unwrap_or_else(|| "(untitled)".to_owned());
        let mut entities: Vec<&storyline_core::annotate::Entity> = article.entities.iter().collect();
        entities.sort_by(|a, b| b.mentions.len().cmp(&a.mentions.len()).then(a.name.cmp(&b.name)));
        let body = html! {
            p.crumbs {
                a href="/" { "Stories" }
                @if let Some(s) = &story { " / " a href=(format!("/stories/{s}")) { (s) } }
                " / " (article.id.as_str())
            }
            h1 { (title) }
            p.meta {
                (article.outlet.as_deref().unwrap_or("unknown outlet")) " · " (day(p.date))
                @if !article.authors.is_empty() { " · by " (article.authors.join(", ")) }
                @if let Some(lang) = &article.language { " · " (lang) }
            }
            @if let Some(evidence) = &p.evidence {
                p.muted.evidence {
                    "Date from " (p.method.and_then(|m| serde_json::to_value(m).ok()).and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default())
                    " (confidence " (format!("{:.2}", p.confidence)) "): “" (evidence) "”"
                }
            }
            @if let Some(url) = &article.url { p.muted { "Source: " (url) } }
            article.body { (body_markup(&article, hl)) }
            @if !entities.is_empty() {
                p.entities {
                    @for e in entities.iter().take(30) {
                        a.chip href=(format!("/entities/{}", e.id)) { (e.name) } " "
                    }
                }
            }
            details.removed {
                summary { "Removed page furniture (" (article.removed.len()) " blocks)" }
                ol {
                    @for r in &article.removed {
                        li { span.badge { (r.reason.to_string()) } " " (r.text) }
                    }
                }
            }
        };
        Ok(page(&title, body))
    })
    .await
}

async fn entity_page(State(app): State<Arc<App>>, Path(name): Path<String>) -> Response {
    render(&app, move |app| {
        let store = app.reader()?;
        let mentions = store.entity_mentions(&name).map_err(ApiError::internal)?;
        if mentions.is_empty() {
            return Err(ApiError::not_found(format!("no stored article mentions {name:?}")));
        }
        let mut articles: HashMap<String, Article> = HashMap::new();
        for m in &mentions {
            if !articles.contains_key(&m.article_id)
                && let Some(a) = store.article(&m.article_id).map_err(ApiError::internal)?
            {
                articles.insert(m.article_id.clone(), a);
            }
        }
        let display = mentions[0].name.clone();
        let mut spellings: Vec<&str> = mentions.iter().map(|m| m.text.as_str()).collect();
        spellings.sort_unstable();
        spellings.dedup();
        let body = html! {
            p.crumbs { a href="/" { "Stories" } " / " (mentions[0].entity_id) }
            h1 { (display) }
            p.muted { (mentions.len()) " mentions in " (articles.len()) " articles. Written as: " (spellings.join(" · ")) }
            ol.mentions {
                @for m in &mentions {
                    @if let Some(a) = articles.get(&m.article_id) {
                        @let (s, e) = sentence_around(a, m.start, m.end);
                        li {
                            a href=(format!("/articles/{}?hl={s}-{e}#hl", a.id.as_str())) { (a.title.as_deref().unwrap_or("(untitled)")) }
                            " " span.muted { (a.outlet.as_deref().unwrap_or("")) " · " (day(a.published.date)) }
                            p { (a.body.get(s..e).unwrap_or("")) }
                        }
                    }
                }
            }
        };
        Ok(page(&display, body))
    })
    .await
}

fn sentence_around(article: &Article, start: usize, end: usize) -> (usize, usize) {
    article.sentences.iter().find(|s| s.start <= start && end <= s.end).map_or((start, end), |s| (s.start, s.end))
}

/// A snippet with its matches in `<mark>`.
fn marked(s: &storyline_search::Snippet) -> Markup {
    let mut at = 0;
    let mut parts: Vec<(bool, &str)> = Vec::new();
    for &(a, b) in &s.highlights {
        if a < at || b > s.text.len() || !s.text.is_char_boundary(a) || !s.text.is_char_boundary(b) {
            continue;
        }
        parts.push((false, &s.text[at..a]));
        parts.push((true, &s.text[a..b]));
        at = b;
    }
    parts.push((false, &s.text[at..]));
    // Paragraph breaks inside a snippet would vanish into one space: show them.
    html! { @for (hit, text) in parts { @if hit { mark { (text) } } @else { (text.replace("\n\n", " · ")) } } }
}

async fn search_page(State(app): State<Arc<App>>, RawQuery(query): RawQuery) -> Response {
    let raw = query.clone().unwrap_or_default();
    render(&app, move |app| {
        let q = pairs(query)?;
        let store = app.reader()?;
        let request = search_request(&*store, &q)?;
        let results = app.index.search(&request).map_err(|e| ApiError::from_search(&e))?;
        let ids: Vec<String> = results.facets.entities.iter().map(|f| f.value.clone()).collect();
        let names = store.entity_names(&ids).map_err(ApiError::internal)?;
        let with = |key: &str, value: &str| {
            let mut extra = q.clone();
            extra.push((key.to_owned(), value.to_owned()));
            extra.retain(|(k, _)| k != "offset");
            format!("/search?{}", serde_urlencoded::to_string(&extra).unwrap_or_default())
        };
        let active: Vec<&(String, String)> = q.iter().filter(|(k, v)| k != "q" && !v.is_empty()).collect();
        let body = html! {
            h1 { "Search" }
            form.search action="/search" method="get" {
                input type="search" name="q" value=(request.text) autofocus;
                @for (k, v) in &active { input type="hidden" name=(k) value=(v); }
                button type="submit" { "Search" }
            }
            @if !active.is_empty() {
                p.filters { "Filtered by: " @for (k, v) in &active { span.chip { (k) ": " (v) } " " } a href=(format!("/search?q={}", serde_urlencoded::to_string([("", request.text.as_str())]).unwrap_or_default().trim_start_matches('='))) { "clear" } }
            }
            @if let Some(why) = &results.read_as_words {
                p.muted { "Searched for the words alone: the query could not be read (" (why) ")." }
            }
            p.muted { (results.total) " articles match." }
            div.results {
                aside.facets {
                    h3 { "Outlets" }
                    ul { @for f in &results.facets.outlets { li { a href=(with("outlet", &f.value)) { (f.value) } " " span.muted { (f.count) } } } }
                    h3 { "Languages" }
                    ul { @for f in &results.facets.languages { li { a href=(with("language", &f.value)) { (f.value) } " " span.muted { (f.count) } } } }
                    h3 { "Entities" }
                    ul { @for f in &results.facets.entities { li { a href=(with("entity", &f.value)) { (names.get(&f.value).map_or(f.value.as_str(), String::as_str)) } " " span.muted { (f.count) } } } }
                }
                ol.hits {
                    @for h in &results.hits {
                        li.hit {
                            a href=(format!("/articles/{}?hl={}-{}#hl", h.id, h.snippet.start, h.snippet.start + h.snippet.text.len())) { (marked(&h.title_snippet)) }
                            " " span.muted { (h.outlet.as_deref().unwrap_or("")) " · " (day(h.published)) }
                            p { (marked(&h.snippet)) }
                        }
                    }
                }
            }
            @if results.total > request.offset + results.hits.len() {
                p { a.more href=(format!("/search?{raw}&offset={}", request.offset + request.limit)) { "More results" } }
            }
        };
        Ok(page("Search", body))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_read_as_names() {
        assert_eq!(from_slug("place/new-york"), "New York");
        assert_eq!(from_slug("kazan"), "Kazan");
    }

    #[test]
    fn months_and_days_become_days() {
        assert_eq!(event_day("2024-06-19"), NaiveDate::from_ymd_opt(2024, 6, 19));
        assert_eq!(event_day("2024-06"), NaiveDate::from_ymd_opt(2024, 6, 1));
        assert_eq!(event_day("2024-W23"), None);
    }

    #[test]
    fn hostile_text_is_escaped() {
        let s = storyline_search::Snippet {
            text: "<script>alert(1)</script> <img src=x onerror=alert(2)>".into(),
            start: 0,
            highlights: vec![(0, 8)],
        };
        let out = marked(&s).into_string();
        assert!(!out.contains("<script>") && !out.contains("<img"), "{out}");
        assert!(out.contains("&lt;script&gt;"), "{out}");
    }

    #[test]
    fn sparklines_bucket_long_spans() {
        let d = |n| NaiveDate::from_ymd_opt(2024, 1, 1).and_then(|x| x.checked_add_days(chrono::Days::new(n)));
        let coverage: Vec<(NaiveDate, u64)> = (0..200).filter_map(|n| d(n).map(|x| (x, 1))).collect();
        let svg = sparkline(&coverage).into_string();
        assert_eq!(svg.matches("<rect").count(), 60, "{svg}");
    }
}
