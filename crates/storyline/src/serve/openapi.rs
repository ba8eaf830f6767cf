//! The OpenAPI 3.1 document served at /openapi.json. Written by hand next to the routes; the
//! server tests call every path listed here and check each answer against the properties it
//! promises, so the document cannot drift from what the server does.

use serde_json::{Value, json};

/// The error codes the API answers with, each with its HTTP status.
pub const ERROR_CODES: &[(&str, u16)] = &[
    ("bad_request", 400),
    ("unauthorized", 401),
    ("not_found", 404),
    ("method_not_allowed", 405),
    ("payload_too_large", 413),
    ("unprocessable", 422),
    ("internal", 500),
    ("timeout", 503),
];

fn object(required: &[&str]) -> Value {
    let properties: serde_json::Map<String, Value> = required.iter().map(|k| ((*k).to_owned(), json!({}))).collect();
    json!({"type": "object", "required": required, "properties": properties})
}

fn param(name: &str, place: &str, description: &str, schema: Value) -> Value {
    json!({"name": name, "in": place, "required": place == "path", "description": description, "schema": schema})
}

fn ok(description: &str, schema: Value) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": schema}}})
}

fn errors() -> Value {
    json!({"description": "an error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
}

fn get(summary: &str, parameters: Vec<Value>, response: Value) -> Value {
    json!({"get": {"summary": summary, "parameters": parameters, "responses": {"200": response, "default": errors()}}})
}

/// The document.
pub fn document() -> Value {
    let int = json!({"type": "integer", "minimum": 0});
    let text = json!({"type": "string"});
    let day = json!({"type": "string", "format": "date"});
    let limit = |default: u32| {
        param("limit", "query", &format!("how many (default {default})"), json!({"type": "integer", "minimum": 0}))
    };
    let offset = param("offset", "query", "how many to skip", int.clone());
    let article_list = {
        let mut o = object(&["total", "articles"]);
        o["properties"]["articles"] =
            json!({"type": "array", "items": object(&["id", "title", "outlet", "published", "language"])});
        o
    };
    let mut articles = get(
        "Stored articles, the latest stored first",
        vec![limit(50), offset.clone()],
        ok("a page of articles", article_list),
    );
    articles["post"] = json!({
        "summary": "Add articles: the body is one document in any format the CLI reads (HTML, text, Markdown, JSONL, WARC, RSS/Atom, gzip of any), its kind from `name` or the Content-Type, else sniffed. New articles are stored, indexed and linked into stories before the answer. Needs `Authorization: Bearer TOKEN` when the server has a token.",
        "parameters": [param("name", "query", "a file name whose extension gives the kind (feed.jsonl, page.html.gz)", text.clone())],
        "requestBody": {"required": true, "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}},
        "responses": {
            "201": ok("some articles were new", object(&["documents", "added", "already_stored", "failed", "errors", "articles"])),
            "200": ok("every article was already stored", object(&["documents", "added", "already_stored", "failed", "errors", "articles"])),
            "422": ok("no document could be read", object(&["documents", "failed", "errors", "error"])),
            "default": errors(),
        },
        "security": [{"token": []}],
    });
    let search_params = vec![
        param(
            "q",
            "query",
            "words (all must occur), \"phrases\", -excluded, title:word, a OR b; text that is not query syntax is searched as its words, and `read_as_words` says why",
            text.clone(),
        ),
        param("outlet", "query", "outlet name, any case (repeat for any of several)", text.clone()),
        param("entity", "query", "entity id, name or spelling (repeat: all of them)", text.clone()),
        param("language", "query", "ISO 639-1 code (repeat for any of several)", text.clone()),
        param("since", "query", "published on or after", day.clone()),
        param("until", "query", "published on or before", day.clone()),
        limit(10),
        param("offset", "query", "how many of the best to skip", int.clone()),
        param("facets", "query", "values counted per facet (default 10)", int.clone()),
    ];
    let hit = object(&["id", "score", "title", "outlet", "language", "published", "title_snippet", "snippet"]);
    let mut results = object(&["total", "hits", "facets"]);
    results["properties"]["hits"] = json!({"type": "array", "items": hit});
    results["properties"]["facets"] = object(&["outlets", "languages", "entities"]);
    let mut story_list = object(&["total", "stories"]);
    story_list["properties"]["stories"] = json!({"type": "array", "items": object(&["id", "title", "articles", "copies", "outlets", "first", "last", "coverage"])});
    let paths = json!({
        "/api/health": get("Liveness and counts", vec![], ok("the server is up", object(&["status", "articles", "indexed"]))),
        "/api/articles": articles,
        "/api/articles/{id}": get(
            "One article (its id or a unique prefix): body, removed blocks with reasons, metadata, annotations, and its story",
            vec![param("id", "path", "article id or unique prefix", text.clone())],
            ok("the article", object(&["id", "title", "outlet", "published", "body", "removed", "sentences", "entities", "times", "quantities", "quotes", "story"])),
        ),
        "/api/stories": get("Stories, latest first, with articles per day", vec![limit(100), offset.clone()], ok("a page of stories", story_list)),
        "/api/stories/{id}": get(
            "One story's dossier: summary, timeline, claims with their sources, quotes by speaker, coverage",
            vec![param("id", "path", "story id", text.clone())],
            ok("the dossier", object(&["id", "title", "articles", "entities", "events", "claims", "quotes", "summary"])),
        ),
        "/api/entities": get(
            "Entities across the store, most widely covered first",
            vec![param("kind", "query", "person, org, place or nationality", json!({"enum": ["person", "org", "place", "nationality"]})), limit(100)],
            ok("entities", object(&["total", "entities"])),
        ),
        "/api/entities/{name}": get(
            "Every mention of one entity, by id, name or any spelling, with its sentence",
            vec![param("name", "path", "entity id, name or spelling", text)],
            ok("mentions", object(&["mentions"])),
        ),
        "/api/search": get("Full-text search (BM25) with filters, marked snippets and facets", search_params, ok("results", results)),
        "/openapi.json": get("This document", vec![], ok("OpenAPI 3.1", object(&["openapi", "info", "paths"]))),
    });
    let codes: Vec<&str> = ERROR_CODES.iter().map(|(c, _)| *c).collect();
    json!({
        "openapi": "3.1.0",
        "info": {"title": "storyline", "version": env!("CARGO_PKG_VERSION"), "description": "Articles, stories, entities and search over a storyline store."},
        "paths": paths,
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {"code": {"enum": codes}, "message": {"type": "string"}}}},
                },
            },
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
        }
    })
}
