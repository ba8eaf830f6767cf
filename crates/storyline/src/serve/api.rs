//! The routes of the JSON API and their handlers. Each route is listed in `openapi.rs`, and a
//! test calls every documented route.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use storyline_core::{Article, DocumentId};
use storyline_search::SearchRequest;
use storyline_store::Store;

use super::{ApiError, App, blocking, token_matches};

pub fn router(app: Arc<App>, max_body: usize) -> Router {
    Router::new()
        .route("/api/health", get(health))
        .route("/api/articles", get(articles).post(post_articles))
        .route("/api/articles/{id}", get(article))
        .route("/api/stories", get(stories))
        .route("/api/stories/{id}", get(story))
        .route("/api/entities", get(entities))
        .route("/api/entities/{name}", get(entity))
        .route("/api/search", get(search))
        .route("/openapi.json", get(openapi))
        .merge(super::pages::routes())
        .fallback(|| async { ApiError::not_found("no such route (see /openapi.json)") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "this route does not take that method")
        })
        .layer(DefaultBodyLimit::max(max_body))
        .with_state(app)
}

/// A JSON body already serialised.
fn json(value: &impl serde::Serialize) -> Result<Response, ApiError> {
    let body = serde_json::to_vec(value).map_err(ApiError::internal)?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// The query string as (key, value) pairs, repeated keys kept.
pub(super) fn pairs(query: Option<String>) -> Result<Vec<(String, String)>, ApiError> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(query.as_deref().unwrap_or(""))
        .map_err(|e| ApiError::bad_request(format!("cannot read the query string: {e}")))
}

fn number(pairs: &[(String, String)], key: &str, default: usize, max: usize) -> Result<usize, ApiError> {
    match pairs.iter().rev().find(|(k, _)| k == key) {
        None => Ok(default),
        Some((_, v)) => match v.parse::<usize>() {
            Ok(n) if n <= max => Ok(n),
            _ => Err(ApiError::bad_request(format!("{key}={v:?}: give a whole number from 0 to {max}"))),
        },
    }
}

fn one<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str()).filter(|v| !v.trim().is_empty())
}

fn all(pairs: &[(String, String)], key: &str) -> Vec<String> {
    pairs.iter().filter(|(k, v)| k == key && !v.trim().is_empty()).map(|(_, v)| v.clone()).collect()
}

async fn health(State(app): State<Arc<App>>) -> Result<Response, ApiError> {
    blocking(&app, |app| {
        let store = app.reader()?;
        let articles = store.count().map_err(ApiError::internal)?;
        json(&serde_json::json!({"status": "ok", "articles": articles, "indexed": app.index.count()}))
    })
    .await
}

async fn articles(State(app): State<Arc<App>>, RawQuery(query): RawQuery) -> Result<Response, ApiError> {
    let q = pairs(query)?;
    let limit = number(&q, "limit", 50, 1000)?;
    let offset = number(&q, "offset", 0, usize::MAX)?;
    blocking(&app, move |app| {
        let store = app.reader()?;
        let mut headers = store.headers().map_err(ApiError::internal)?;
        let total = headers.len();
        headers.reverse();
        let page: Vec<_> = headers.into_iter().skip(offset).take(limit).collect();
        json(&serde_json::json!({"total": total, "articles": page}))
    })
    .await
}

async fn article(State(app): State<Arc<App>>, Path(id): Path<String>) -> Result<Response, ApiError> {
    blocking(&app, move |app| {
        let store = app.reader()?;
        let found = store.article(&id).map_err(|e| match e {
            storyline_store::StoreError::Ambiguous { .. } => ApiError::bad_request(e.to_string()),
            other => ApiError::internal(other),
        })?;
        let Some(article) = found else {
            return Err(ApiError::not_found(format!("no stored article has the id {id:?}")));
        };
        let story = story_of(&*store, &article.id)?;
        let mut value = serde_json::to_value(&article).map_err(ApiError::internal)?;
        if let Some(map) = value.as_object_mut() {
            map.insert("story".to_owned(), story.map_or(serde_json::Value::Null, serde_json::Value::String));
        }
        json(&value)
    })
    .await
}

/// The story an article is in.
fn story_of(store: &dyn Store, id: &DocumentId) -> Result<Option<String>, ApiError> {
    store.story_of(id).map_err(ApiError::internal)
}

async fn stories(State(app): State<Arc<App>>, RawQuery(query): RawQuery) -> Result<Response, ApiError> {
    let q = pairs(query)?;
    let limit = number(&q, "limit", 100, 10_000)?;
    let offset = number(&q, "offset", 0, usize::MAX)?;
    blocking(&app, move |app| {
        let list = story_list(app)?;
        let all = list["stories"].as_array().map_or(&[][..], Vec::as_slice);
        let page: Vec<&serde_json::Value> = all.iter().skip(offset).take(limit).collect();
        json(&serde_json::json!({"total": all.len(), "stories": page}))
    })
    .await
}

/// Every story, latest first: id, size, outlets, span, title and articles per day (the coverage a
/// sparkline draws). Made from the links and the article headers, never from bodies; kept until
/// the next write.
pub(super) fn story_list(app: &App) -> Result<Arc<serde_json::Value>, ApiError> {
    if let Some(list) = app.stories.read().unwrap_or_else(|p| p.into_inner()).as_ref() {
        return Ok(Arc::clone(list));
    }
    let store = app.reader()?;
    let links = store.story_links().map_err(ApiError::internal)?;
    let headers = store.headers().map_err(ApiError::internal)?;
    let by_id: HashMap<&DocumentId, &storyline_store::ArticleHeader> = headers.iter().map(|h| (&h.id, h)).collect();
    let mut groups: BTreeMap<&str, Vec<&storyline_store::StoryLink>> = BTreeMap::new();
    for link in &links {
        groups.entry(link.story.as_str()).or_default().push(link);
    }
    let mut list: Vec<serde_json::Value> = groups
        .into_iter()
        .map(|(id, members)| {
            let heads: Vec<&storyline_store::ArticleHeader> =
                members.iter().filter_map(|l| by_id.get(&l.article).copied()).collect();
            let first = heads.iter().filter_map(|h| h.published).min();
            let last = heads.iter().filter_map(|h| h.published).max();
            let mut outlets: Vec<&str> = heads.iter().filter_map(|h| h.outlet.as_deref()).collect();
            outlets.sort_unstable();
            outlets.dedup();
            // The title of the earliest original.
            let title = members
                .iter()
                .filter(|l| l.copy_of.is_none())
                .filter_map(|l| by_id.get(&l.article))
                .min_by_key(|h| (h.published.is_none(), h.published, h.id.clone()))
                .and_then(|h| h.title.clone());
            let mut per_day: BTreeMap<chrono::NaiveDate, usize> = BTreeMap::new();
            for day in heads.iter().filter_map(|h| h.published) {
                *per_day.entry(day).or_default() += 1;
            }
            let coverage: Vec<_> = per_day.into_iter().map(|(d, n)| serde_json::json!([d, n])).collect();
            serde_json::json!({
                "id": id,
                "title": title,
                "articles": members.len(),
                "copies": members.iter().filter(|l| l.copy_of.is_some()).count(),
                "outlets": outlets,
                "first": first,
                "last": last,
                "coverage": coverage,
            })
        })
        .collect();
    list.sort_by(|a, b| {
        b["last"]
            .as_str()
            .cmp(&a["last"].as_str())
            .then(b["articles"].as_u64().cmp(&a["articles"].as_u64()))
            .then(a["id"].as_str().cmp(&b["id"].as_str()))
    });
    let value = Arc::new(serde_json::json!({ "stories": list }));
    *app.stories.write().unwrap_or_else(|p| p.into_inner()) = Some(Arc::clone(&value));
    Ok(value)
}

async fn story(State(app): State<Arc<App>>, Path(id): Path<String>) -> Result<Response, ApiError> {
    blocking(&app, move |app| match app.dossier(&id)? {
        Some(dossier) => json(&*dossier),
        None => Err(ApiError::not_found(format!("no stored story has the id {id:?}"))),
    })
    .await
}

async fn entities(State(app): State<Arc<App>>, RawQuery(query): RawQuery) -> Result<Response, ApiError> {
    let q = pairs(query)?;
    let limit = number(&q, "limit", 100, 100_000)?;
    let kind = one(&q, "kind").map(str::to_owned);
    if let Some(k) = &kind
        && !["person", "org", "place", "nationality"].contains(&k.as_str())
    {
        return Err(ApiError::bad_request(format!("kind={k:?}: one of person, org, place, nationality")));
    }
    blocking(&app, move |app| {
        let store = app.reader()?;
        let mut list = store.entities().map_err(ApiError::internal)?;
        list.retain(|e| kind.as_deref().is_none_or(|k| e.kind == k));
        let total = list.len();
        list.truncate(limit);
        let mut buffer = Vec::new();
        crate::render::json_entities(&mut buffer, &list).map_err(ApiError::from)?;
        let mut value: serde_json::Value = serde_json::from_slice(&buffer).map_err(ApiError::internal)?;
        value["total"] = total.into();
        json(&value)
    })
    .await
}

async fn entity(State(app): State<Arc<App>>, Path(name): Path<String>) -> Result<Response, ApiError> {
    blocking(&app, move |app| {
        let store = app.reader()?;
        let mentions = store.entity_mentions(&name).map_err(ApiError::internal)?;
        if mentions.is_empty() {
            return Err(ApiError::not_found(format!("no stored article mentions {name:?}")));
        }
        let mut buffer = Vec::new();
        crate::render::json_entity_mentions(&mut buffer, &*store, &mentions).map_err(ApiError::from)?;
        Ok(([(header::CONTENT_TYPE, "application/json")], buffer).into_response())
    })
    .await
}

/// A search request from a query string: `q`, `outlet`, `entity`, `language` (repeatable),
/// `since`, `until`, `limit`, `offset`, `facets`.
pub(super) fn search_request(store: &dyn Store, q: &[(String, String)]) -> Result<SearchRequest, ApiError> {
    let day = |key: &str| -> Result<Option<chrono::NaiveDate>, ApiError> {
        one(q, key)
            .map(|v| crate::search::parse_day(v).map_err(|e| ApiError::bad_request(format!("{key}: {e}"))))
            .transpose()
    };
    let names = all(q, "entity");
    let mut entities = Vec::with_capacity(names.len());
    for name in &names {
        match store.resolve_entity(name).map_err(ApiError::internal)?.into_iter().next() {
            Some(id) => entities.push(id),
            None => return Err(ApiError::not_found(format!("no stored article mentions {name:?}"))),
        }
    }
    Ok(SearchRequest {
        text: one(q, "q").unwrap_or("").to_owned(),
        outlets: all(q, "outlet"),
        entities,
        languages: all(q, "language"),
        since: day("since")?,
        until: day("until")?,
        limit: number(q, "limit", 10, 200)?,
        offset: number(q, "offset", 0, 10_000)?,
        facets: number(q, "facets", 10, 100)?,
    })
}

async fn search(State(app): State<Arc<App>>, RawQuery(query): RawQuery) -> Result<Response, ApiError> {
    let q = pairs(query)?;
    blocking(&app, move |app| {
        let store = app.reader()?;
        let request = search_request(&*store, &q)?;
        let results = app.index.search(&request).map_err(|e| ApiError::from_search(&e))?;
        json(&results)
    })
    .await
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], super::openapi::document().to_string()).into_response()
}

/// The name an upload is read under, which tells the sources its kind: `?name=` if given, else
/// from the Content-Type, else none (the bytes are sniffed).
fn upload_name(q: &[(String, String)], headers: &HeaderMap) -> String {
    if let Some(name) = one(q, "name") {
        return name.to_owned();
    }
    let kind = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let kind = kind.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let ext = match kind.as_str() {
        "text/html" | "application/xhtml+xml" => ".html",
        "text/plain" => ".txt",
        "text/markdown" => ".md",
        "application/x-ndjson" | "application/jsonl" | "application/json" => ".jsonl",
        "application/warc" => ".warc",
        "application/rss+xml" | "application/atom+xml" | "application/xml" | "text/xml" => ".xml",
        "application/gzip" => ".gz",
        _ => "",
    };
    format!("upload{ext}")
}

async fn post_articles(
    State(app): State<Arc<App>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    if let Some(expected) = &app.token {
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        if !token_matches(expected, given) {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "writes need the server's token: Authorization: Bearer TOKEN",
            ));
        }
    }
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "the body is larger than the server's --max-body",
            )
        } else {
            ApiError::bad_request(format!("cannot read the body: {rejection}"))
        }
    })?;
    if body.is_empty() {
        return Err(ApiError::bad_request(
            "the request body is empty: send the article (HTML, text, JSONL, WARC or a feed)",
        ));
    }
    let q = pairs(query)?;
    let name = upload_name(&q, &headers);
    blocking(&app, move |app| {
        let Some(writer) = app.writer.as_ref() else {
            return Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "read_only",
                "this server reads a shared store that the cluster's workers write: submit articles with \
                 `storyline submit` (docs/cluster.md)",
            ));
        };
        let mut writer = writer.lock().unwrap_or_else(|p| p.into_inner());
        let writer = &mut *writer;
        let input = storyline_source::Input::Bytes { name, bytes: body.to_vec() };
        let config = storyline_source::SourceConfig { max_document_bytes: app.max_document_bytes };
        let (report, changed) = writer.ingest(&app.index, &[input], config)?;
        app.written(&changed);
        let fresh: HashMap<&DocumentId, &Article> = report.articles.iter().map(|a| (&a.id, a)).collect();
        let mut listed = Vec::with_capacity(report.ids.len());
        for id in &report.ids {
            let fresh = fresh.get(id).copied();
            let title = match fresh {
                Some(a) => a.title.clone(),
                None => writer.store.article(id.as_str()).ok().flatten().and_then(|a| a.title),
            };
            listed.push(serde_json::json!({
                "id": id,
                "title": title,
                "new": fresh.is_some(),
                "story": story_of(&writer.store, id)?,
            }));
        }
        let status = if report.failed > 0 && report.ids.is_empty() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else if report.added > 0 {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        };
        let mut body = serde_json::json!({
            "documents": report.documents,
            "added": report.added,
            "already_stored": report.already_stored,
            "failed": report.failed,
            "errors": report.errors,
            "articles": listed,
        });
        if status == StatusCode::UNPROCESSABLE_ENTITY {
            let message = report.errors.join("; ");
            body["error"] = serde_json::json!({"code": "unprocessable", "message": message});
        }
        let mut response = json(&body)?;
        *response.status_mut() = status;
        Ok(response)
    })
    .await
}
