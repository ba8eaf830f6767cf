//! `storyline serve` as a client meets it: the binary started on a free loopback port over a store
//! of the example corpus, every route of its OpenAPI document called and checked against what the
//! document promises, writes with and without the token, bad bodies, and a graceful stop that
//! finishes a write in flight.

mod common;

use common::{Server, storyline};

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).build().into()
}

fn get(url: &str) -> (u16, serde_json::Value) {
    let mut response = agent().get(url).call().expect("request goes through");
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().expect("body");
    (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("{url}: not JSON ({e}): {text}")))
}

fn post(url: &str, token: Option<&str>, content_type: &str, body: &[u8]) -> (u16, serde_json::Value) {
    let mut request = agent().post(url).header("Content-Type", content_type);
    if let Some(token) = token {
        request = request.header("Authorization", &format!("Bearer {token}"));
    }
    let mut response = request.send(body).expect("request goes through");
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().expect("body");
    (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("{url}: not JSON ({e}): {text}")))
}

fn error_code(value: &serde_json::Value) -> &str {
    value["error"]["code"].as_str().unwrap_or_else(|| panic!("no error code in {value}"))
}

/// A new article of our own, on a story of the example corpus (the Noto earthquake).
const NOTO_UPDATE: &str = "The Hokuriku Current\nNoto quake: water restored to most of Wajima as evacuees return\n\
    By Aiko Tanabe\nPublished: February 20, 2024\n\n\
    Running water has returned to most homes in Wajima, city officials said on Tuesday, seven weeks after the \
    New Year's Day earthquake on the Noto Peninsula cut supplies across Ishikawa Prefecture.\n\n\
    About 2,000 people remain in evacuation shelters in the city, down from more than 10,000 in January, \
    the Ishikawa prefectural government said.\n\nSubscribe to our newsletter\n";

#[test]
fn every_documented_route_answers_as_documented() {
    let data = tempfile::tempdir().expect("tempdir");
    let ingest = storyline(data.path(), &["ingest", "examples/corpus"]);
    assert_eq!(ingest.code, 0, "{}", ingest.stderr);
    let server = Server::start(data.path(), &["--token", "s3cret", "--max-body", "20000"]);
    let base = server.base.clone();

    let (status, doc) = get(&format!("{base}/openapi.json"));
    assert_eq!(status, 200);
    let codes: Vec<&str> = doc["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]["enum"]
        .as_array()
        .expect("error codes listed")
        .iter()
        .filter_map(|c| c.as_str())
        .collect();

    let (_, listed) = get(&format!("{base}/api/articles?limit=1"));
    let article = listed["articles"][0]["id"].as_str().expect("an article").to_owned();
    let (_, stories) = get(&format!("{base}/api/stories"));
    let story = stories["stories"][0]["id"].as_str().expect("a story").to_owned();
    let fill = |path: &str| {
        path.replace("{id}", if path.contains("stories") { &story } else { &article })
            .replace("{name}", "Kim%20Jong-un")
    };
    let paths = doc["paths"].as_object().expect("paths");
    assert!(paths.len() >= 9, "{} paths", paths.len());
    for (path, item) in paths {
        let Some(operation) = item.get("get") else { continue };
        let url = format!("{base}{}", fill(path));
        let (status, value) = get(&url);
        assert_eq!(status, 200, "{url}: {value}");
        let schema = &operation["responses"]["200"]["content"]["application/json"]["schema"];
        for key in schema["required"].as_array().expect("required properties") {
            let key = key.as_str().expect("a name");
            assert!(value.get(key).is_some(), "{url} lacks {key:?}: {value}");
        }
        for (list, item_schema) in schema["properties"].as_object().into_iter().flatten() {
            let Some(required) = item_schema["items"]["required"].as_array() else { continue };
            for entry in value[list].as_array().expect("a list") {
                for key in required {
                    assert!(entry.get(key.as_str().expect("a name")).is_some(), "{url}: {list} item lacks {key}");
                }
            }
        }
    }

    // Text that is not query syntax is searched as words, and the answer says so.
    let (status, value) = get(&format!("{base}/api/search?q=title:(unclosed%20Haneda"));
    assert_eq!(status, 200, "{value}");
    assert!(value["read_as_words"].is_string(), "{value}");

    // Errors are JSON with a documented code.
    for (url, status) in [
        (format!("{base}/api/articles/ffffffffffff"), 404),
        (format!("{base}/api/stories/nosuchstory"), 404),
        (format!("{base}/api/entities/Atlantis"), 404),
        (format!("{base}/api/search?since=June"), 400),
        (format!("{base}/api/articles?limit=lots"), 400),
        (format!("{base}/api/entities?kind=planet"), 400),
        (format!("{base}/no/such/route"), 404),
    ] {
        let (got, value) = get(&url);
        assert_eq!(got, status, "{url}: {value}");
        assert!(codes.contains(&error_code(&value)), "{url}: undocumented code in {value}");
    }

    // The Noto story's dossier, read (and so kept by the server) before the update arrives.
    let (_, noto) = get(&format!("{base}/api/search?q=Wajima&limit=1"));
    let noto_article = noto["hits"][0]["id"].as_str().expect("a Noto article").to_owned();
    let (_, noto_article) = get(&format!("{base}/api/articles/{noto_article}"));
    let noto_story = noto_article["story"].as_str().expect("in a story").to_owned();
    let (_, before) = get(&format!("{base}/api/stories/{noto_story}"));
    let before = before["articles"].as_array().map_or(0, Vec::len);

    // Writes: the token is required, then the article is stored, indexed and linked.
    let url = format!("{base}/api/articles");
    let (status, value) = post(&url, None, "text/plain", NOTO_UPDATE.as_bytes());
    assert_eq!((status, error_code(&value)), (401, "unauthorized"), "{value}");
    let (status, value) = post(&url, Some("wrong"), "text/plain", NOTO_UPDATE.as_bytes());
    assert_eq!(status, 401, "{value}");
    let (status, value) = post(&url, Some("s3cret"), "text/plain", NOTO_UPDATE.as_bytes());
    assert_eq!(status, 201, "{value}");
    assert_eq!(value["added"], 1);
    let new = value["articles"][0]["id"].as_str().expect("the new id").to_owned();
    let new_story = value["articles"][0]["story"].as_str().expect("linked into a story").to_owned();
    let (status, again) = post(&url, Some("s3cret"), "text/plain", NOTO_UPDATE.as_bytes());
    assert_eq!((status, again["already_stored"].as_u64()), (200, Some(1)), "{again}");

    let (_, found) = get(&format!("{base}/api/search?q=Wajima%20evacuees&limit=3"));
    assert_eq!(found["hits"][0]["id"], new.as_str(), "{found}");
    let (_, dossier) = get(&format!("{base}/api/stories/{new_story}"));
    let members: Vec<&str> =
        dossier["articles"].as_array().expect("articles").iter().filter_map(|a| a["id"].as_str()).collect();
    assert!(members.contains(&new.as_str()), "{members:?}");
    assert!(members.len() > 1, "the update joins the Noto story: {members:?}");
    assert_eq!(new_story, noto_story, "the update joins the story it belongs to");
    assert_eq!(members.len(), before + 1, "the kept dossier was dropped when its story changed");
    let (_, health) = get(&format!("{base}/api/health"));
    assert_eq!((health["articles"].as_u64(), health["indexed"].as_u64()), (Some(105), Some(105)), "{health}");

    // Bad bodies: named, nothing stored.
    let (status, value) = post(&url, Some("s3cret"), "text/plain", b"");
    assert_eq!((status, error_code(&value)), (400, "bad_request"), "{value}");
    let (status, value) = post(&url, Some("s3cret"), "application/octet-stream", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0");
    assert_eq!((status, error_code(&value)), (422, "unprocessable"), "{value}");
    let (status, value) = post(&url, Some("s3cret"), "text/plain", &vec![b'a'; 30_000]);
    assert_eq!((status, error_code(&value)), (413, "payload_too_large"), "{value}");
    let (_, health) = get(&format!("{base}/api/health"));
    assert_eq!(health["articles"].as_u64(), Some(105), "{health}");

    assert!(server.stop().success());
    // What the server linked, the CLI reads back.
    let run = storyline(data.path(), &["story", &new_story, "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(&new), "{}", run.stdout);
}

#[test]
fn beyond_loopback_needs_a_token_and_a_stop_finishes_the_write_in_flight() {
    let data = tempfile::tempdir().expect("tempdir");
    let run = storyline(data.path(), &["serve", "--addr", "0.0.0.0:0"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("--token"), "{}", run.stderr);

    // A CLI ingest beside a running server is refused before it stores anything.
    let server = Server::start(data.path(), &[]);
    let run = storyline(data.path(), &["ingest", "examples/corpus/a01-harbour-courier-treaty-signed.txt"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("another storyline process"), "{}", run.stderr);

    // Many articles in one JSONL body; the stop comes while they are being stored.
    let mut feed = String::new();
    for n in 0..300 {
        feed.push_str(&serde_json::json!({
            "title": format!("Harbour dredging report number {n}"),
            "text": format!("The port authority published dredging report {n} on Monday, officials said. Crews moved {n} tons of silt from berth {n}."),
            "outlet": "Meridian Wire",
            "published": "2024-05-06",
        }).to_string());
        feed.push('\n');
    }
    let url = format!("{}/api/articles", server.base);
    let writer = std::thread::spawn(move || post(&url, None, "application/x-ndjson", feed.as_bytes()));
    // Stop once the first batch is stored (the write is then surely under way), or after 5 s.
    let health = format!("{}/api/health", server.base);
    for _ in 0..500 {
        if writer.is_finished() || get(&health).1["articles"].as_u64().is_some_and(|n| n > 0) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let status = server.stop();
    let (code, value) = writer.join().expect("the writer thread");
    assert!(status.success(), "{status:?}");
    assert_eq!(code, 201, "{value}");
    assert_eq!(value["added"], 300);
    let run = storyline(data.path(), &["articles", "--format", "json"]);
    assert_eq!(common::articles(&run.stdout).len(), 300, "{}", run.stderr);
}

/// Polls `check` every 100 ms for up to 15 s.
fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    for _ in 0..150 {
        if check() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("{what}: not within 15 s");
}

#[test]
fn a_watched_folder_is_a_live_feed_for_the_server() {
    let data = tempfile::tempdir().expect("tempdir");
    let feed = tempfile::tempdir().expect("tempdir");
    std::fs::write(feed.path().join("already-there.txt"), NOTO_UPDATE).expect("writes");
    let server = Server::start(data.path(), &["--watch", feed.path().to_str().expect("a path")]);
    let health = || get(&format!("{}/api/health", server.base)).1;
    eventually("the file already there is ingested", || {
        let h = health();
        h["articles"] == 1 && h["indexed"] == 1
    });

    // A crawler writes under a temporary name and renames when done; the partial file is ignored.
    let partial = feed.path().join("port.txt.part");
    std::fs::write(&partial, "Port Reopens\nThe main channel reopened on Monday, officials said.\n").expect("writes");
    std::fs::rename(&partial, feed.path().join("port.txt")).expect("renames");
    std::fs::write(feed.path().join(".hidden.txt"), "Hidden\nNot for the store, a hidden file.\n").expect("writes");
    // Stored first, then indexed: wait for both.
    eventually("the renamed file is ingested", || {
        let h = health();
        h["articles"] == 2 && h["indexed"] == 2
    });
    let (_, found) = get(&format!("{}/api/search?q=channel%20reopened", server.base));
    assert_eq!(found["total"], 1, "{found}");
    std::thread::sleep(std::time::Duration::from_millis(800));
    assert_eq!(health()["articles"], 2, "the hidden file stays out");
    assert!(server.stop().success());
}
