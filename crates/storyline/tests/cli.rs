//! The command line as a user meets it: bad inputs next to good ones, idempotent re-runs, the
//! store left consistent, and the listing and explain views.

mod common;

use common::{articles, storyline};
use std::fs;
use std::path::Path;

const GOOD: &str = "The Harbour Courier\nPort Reopens Main Channel\nBy Jane Holloway\nPublished: June 10, 2024\n\n\
    The main shipping channel reopened to deep-draft vessels on Monday after eleven weeks of salvage work, officials said.\n\n\
    Advertisement\n\nCrews removed about 50,000 tons of steel and concrete from the river, the Army Corps of Engineers said.\n";

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    fs::write(&path, bytes).expect("writes input");
    path.display().to_string()
}

fn store_json(data: &Path) -> String {
    let run = storyline(data, &["articles", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

#[test]
fn bad_inputs_fail_one_by_one_and_good_ones_go_through() {
    let inputs = tempfile::tempdir().expect("tempdir");
    let data = tempfile::tempdir().expect("tempdir");
    let dir = inputs.path();

    // A store with one article in it already.
    let first = write(dir, "first.txt", GOOD.as_bytes());
    assert_eq!(storyline(data.path(), &["ingest", &first]).code, 0);
    let before = store_json(data.path());

    let empty = write(dir, "empty.txt", b"");
    let binary = write(dir, "photo.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0");
    let huge = dir.join("huge.txt");
    fs::File::create(&huge).and_then(|f| f.set_len(100 * 1024 * 1024)).expect("sparse 100 MB file");
    let huge = huge.display().to_string();
    let missing = dir.join("missing.txt").display().to_string();
    let jsonl = write(
        dir,
        "feed.jsonl",
        b"{\"title\":\"Wire One\",\"text\":\"Officials said on Tuesday that the bridge inquiry would report by the end of the year.\",\"outlet\":\"Meridian Wire\"}\n\
          {\"title\": broken json\n\
          {\"text\":\"caf\xe9 bytes are not UTF-8\"}\n\
          {\"title\":\"no body\"}\n",
    );
    let mut broken_utf8 = GOOD.replace("Port Reopens", "Port Reopens Again").into_bytes();
    broken_utf8.extend_from_slice("\nA closing line with a dash — and a broken byte: \u{201c}".as_bytes());
    broken_utf8.push(0xFF);
    let broken_utf8 = write(dir, "broken-utf8.txt", &broken_utf8);

    let run = storyline(data.path(), &["ingest", &empty, &binary, &huge, &missing, &jsonl, &broken_utf8]);
    assert_eq!(run.code, 3, "some inputs failed: exit code 3\n{}", run.stderr);
    let errors: Vec<&str> = run.stderr.lines().filter(|l| l.starts_with("error: ")).collect();
    let has = |needle: &str| errors.iter().any(|l| l.contains(needle));
    assert!(has(&format!("{empty}: empty input")), "{errors:#?}");
    assert!(has(&format!("{binary}: binary content")), "{errors:#?}");
    assert!(has(&format!("{huge}: too large: 104857600 bytes")), "{errors:#?}");
    assert!(has(&format!("{missing}: cannot read")), "{errors:#?}");
    assert!(has(&format!("{jsonl}:2: not valid JSON")), "{errors:#?}");
    assert!(has(&format!("{jsonl}:3: invalid UTF-8")), "{errors:#?}");
    assert!(has(&format!("{jsonl}:4: no \"text\" or \"html\" field")), "{errors:#?}");
    assert_eq!(errors.len(), 7, "one line per bad input: {errors:#?}");
    assert!(run.stderr.contains(&format!("warning: {broken_utf8}: invalid UTF-8")), "{}", run.stderr);
    assert!(run.stderr.contains("2 new article(s) stored"), "{}", run.stderr);

    // What was stored before is untouched; the two good inputs were added after it.
    let after = store_json(data.path());
    let before_articles = articles(&before);
    let after_articles = articles(&after);
    assert_eq!(after_articles.len(), before_articles.len() + 2);
    assert_eq!(after_articles[..before_articles.len()], before_articles[..]);
    assert_eq!(after_articles[1]["outlet"], "Meridian Wire");
    assert!(after_articles[2]["body"].as_str().is_some_and(|b| b.ends_with('\u{FFFD}')));
}

#[test]
fn reingesting_is_a_no_op() {
    let inputs = tempfile::tempdir().expect("tempdir");
    let data = tempfile::tempdir().expect("tempdir");
    let path = write(inputs.path(), "story.txt", GOOD.as_bytes());
    let copy = write(inputs.path(), "copy-of-story.txt", GOOD.as_bytes());
    let run = storyline(data.path(), &["ingest", &path]);
    assert!(run.stderr.contains("1 new article(s) stored, 0 already stored"), "{}", run.stderr);
    let before = store_json(data.path());
    let run = storyline(data.path(), &["ingest", &path, &copy]);
    assert_eq!(run.code, 0);
    assert!(run.stderr.contains("0 new article(s) stored, 2 already stored"), "{}", run.stderr);
    assert_eq!(store_json(data.path()), before);
}

#[test]
fn analyze_reads_stdin_and_prints_markdown() {
    let data = tempfile::tempdir().expect("tempdir");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_storyline"))
        .args(["--data", data.path().to_str().expect("utf-8"), "analyze", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawns");
    use std::io::Write;
    child.stdin.take().expect("stdin").write_all(GOOD.as_bytes()).expect("writes");
    let output = child.wait_with_output().expect("finishes");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("## Port Reopens Main Channel"), "{stdout}");
    assert!(stdout.contains("- **Outlet:** The Harbour Courier"), "{stdout}");
    assert!(
        stdout.contains("- **Published:** 2024-06-10 (confidence 0.90, labelled: \"Published: June 10, 2024\")"),
        "{stdout}"
    );
    assert!(stdout.contains("- **Authors:** Jane Holloway"), "{stdout}");
    assert!(!stdout.contains("\nAdvertisement"), "{stdout}");
}

#[test]
fn list_and_explain() {
    let inputs = tempfile::tempdir().expect("tempdir");
    let data = tempfile::tempdir().expect("tempdir");
    let path = write(inputs.path(), "story.txt", GOOD.as_bytes());
    storyline(data.path(), &["ingest", &path]);
    let table = storyline(data.path(), &["articles"]);
    assert!(table.stdout.starts_with("ID"), "{}", table.stdout);
    let line = table.stdout.lines().nth(1).expect("one article");
    assert!(
        line.contains("2024-06-10")
            && line.contains("The Harbour Courier")
            && line.contains("Port Reopens Main Channel"),
        "{line}"
    );
    let id = line.split_whitespace().next().expect("id");

    let explain = storyline(data.path(), &["article", &id[..8], "--explain"]);
    assert_eq!(explain.code, 0, "{}", explain.stderr);
    assert!(explain.stdout.contains("[advertisement] Advertisement"), "{}", explain.stdout);
    assert!(explain.stdout.contains("[masthead] The Harbour Courier"), "{}", explain.stdout);
    assert!(explain.stdout.contains("[byline] By Jane Holloway"), "{}", explain.stdout);

    let missing = storyline(data.path(), &["article", "ffffffff"]);
    assert_eq!(missing.code, 1);
    assert!(missing.stderr.contains("no stored article has the id \"ffffffff\""), "{}", missing.stderr);
}

#[test]
fn reannotate_rewrites_annotations_and_leaves_the_rest() {
    let inputs = tempfile::tempdir().expect("tempdir");
    let data = tempfile::tempdir().expect("tempdir");
    let path = write(inputs.path(), "story.txt", GOOD.as_bytes());
    storyline(data.path(), &["ingest", &path]);
    let before = store_json(data.path());
    let run = storyline(data.path(), &["reannotate"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("1 article(s) annotated again"), "{}", run.stderr);
    // The annotators are deterministic: the same record comes back.
    assert_eq!(store_json(data.path()), before);
    let times = &articles(&before)[0]["times"];
    assert_eq!(times[0]["text"], "Monday");
    assert_eq!(times[0]["value"], "2024-06-10");
}

#[test]
fn entities_are_listed_and_found_under_any_spelling() {
    let data = tempfile::tempdir().expect("tempdir");
    let run = storyline(
        data.path(),
        &[
            "ingest",
            "examples/corpus/a01-harbour-courier-treaty-signed.txt",
            "examples/corpus/a06-straits-herald-pyongyang-ratifies.html",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let list = storyline(data.path(), &["entities", "--kind", "person"]);
    assert_eq!(list.code, 0, "{}", list.stderr);
    let kim = list.stdout.lines().find(|l| l.contains("person/kim-jong-un")).expect("Kim Jong Un is listed");
    // Both articles name him, one as "Kim Jong Un" and one as "Kim Jong-un".
    assert!(kim.trim_start().starts_with('2'), "{kim}");
    for spelling in ["Kim Jong-un", "kim jong un", "person/kim-jong-un"] {
        let found = storyline(data.path(), &["entity", spelling]);
        assert_eq!(found.code, 0, "{spelling}: {}", found.stderr);
        assert!(found.stdout.contains("in 2 articles"), "{spelling}: {}", found.stdout);
        assert!(found.stdout.contains("[Kim Jong Un]") && found.stdout.contains("[Kim Jong-un]"), "{}", found.stdout);
    }
    // "Pyongyang" standing for the state is a mention of North Korea, found with the rest.
    let json = storyline(data.path(), &["entity", "north korea", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    let mentions = value["mentions"].as_array().expect("mentions");
    assert!(mentions.iter().all(|m| m["entity"] == "place/north-korea"), "{}", json.stdout);
    assert!(mentions.iter().any(|m| m["text"] == "North Korea"));
    assert!(mentions.iter().any(|m| m["text"] == "Pyongyang"), "{}", json.stdout);
    assert!(
        mentions.iter().all(|m| m["sentence"].as_str().is_some_and(|s| s.contains(m["text"].as_str().unwrap_or("?"))))
    );
    let missing = storyline(data.path(), &["entity", "Atlantis"]);
    assert_eq!(missing.code, 1);
    assert!(missing.stderr.contains("no stored article mentions \"Atlantis\""), "{}", missing.stderr);
}

#[test]
fn stories_dossiers_and_timelines_of_the_example_corpus() {
    let data = tempfile::tempdir().expect("tempdir");
    let ingest = storyline(data.path(), &["ingest", "examples/corpus"]);
    assert_eq!(ingest.code, 0, "{}", ingest.stderr);
    assert!(ingest.stderr.contains("stories in the store"), "{}", ingest.stderr);

    let listed = storyline(data.path(), &["stories", "--format", "json"]);
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    let value: serde_json::Value = serde_json::from_str(&listed.stdout).expect("valid JSON");
    let stories = value["stories"].as_array().expect("a stories list");
    assert!((14..=20).contains(&stories.len()), "{} stories", stories.len());
    for story in stories {
        for key in ["id", "title", "articles", "entities", "events", "claims", "quotes", "summary"] {
            assert!(story.get(key).is_some(), "a story without {key}: {story}");
        }
    }
    let copies: usize = stories
        .iter()
        .flat_map(|s| s["articles"].as_array().into_iter().flatten())
        .filter(|a| a.get("copy_of").is_some())
        .count();
    assert_eq!(copies, 12, "each of the 12 syndicated copies of examples/stories.tsv is linked to an original");

    // The Haneda story: its transcripts copy is coverage, and its timeline is in date order.
    let haneda = stories
        .iter()
        .filter(|s| s["title"].as_str().is_some_and(|t| t.contains("Haneda") || t.contains("JAL")))
        .max_by_key(|s| s["articles"].as_array().map_or(0, Vec::len))
        .expect("a Haneda story");
    let id = haneda["id"].as_str().expect("an id");
    let dates: Vec<&str> =
        haneda["events"].as_array().expect("events").iter().filter_map(|e| e["date"].as_str()).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted);
    for event in haneda["events"].as_array().expect("events") {
        let sources = event["sources"].as_array().expect("sources");
        assert!(!sources.is_empty());
        assert!(sources.iter().all(|s| s["article"].is_string() && s["sentence"].is_u64()), "{event}");
    }

    let markdown = storyline(data.path(), &["story", &id[..6]]);
    assert_eq!(markdown.code, 0, "{}", markdown.stderr);
    for part in ["### Timeline", "### Coverage", "Story `"] {
        assert!(markdown.stdout.contains(part), "no {part} in\n{}", markdown.stdout);
    }
    let timeline = storyline(data.path(), &["timeline", id]);
    assert_eq!(timeline.code, 0, "{}", timeline.stderr);
    assert!(timeline.stdout.contains("2024-01-02"), "{}", timeline.stdout);

    let missing = storyline(data.path(), &["story", "nosuchstory"]);
    assert_eq!(missing.code, 1);
    assert!(missing.stderr.contains("no stored story has the id"), "{}", missing.stderr);
}

#[test]
fn a_crawl_in_warc_is_ingested_page_by_page() {
    let inputs = tempfile::tempdir().expect("tempdir");
    let data = tempfile::tempdir().expect("tempdir");
    let page = |title: &str, text: &str| {
        format!(
            "<html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>{text}</p></article></body></html>"
        )
    };
    let mut crawl = String::new();
    for (n, (uri, html)) in [
        ("https://a.example/port", page("Port reopens", "The main channel reopened to deep-draft ships on Monday after eleven weeks of salvage work, officials said.")),
        ("https://b.example/ferry", page("Ferry resumes", "The island ferry resumed its crossings on Tuesday, two days after the storm closed the harbour mouth, the operator said.")),
    ]
    .into_iter()
    .enumerate()
    {
        let payload = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n{html}", html.len());
        crawl.push_str(&format!(
            "WARC/1.1\r\nWARC-Type: response\r\nWARC-Date: 2024-06-10T09:00:00Z\r\nWARC-Record-ID: <urn:uuid:0000000{n}-0000-4000-8000-000000000000>\r\nWARC-Target-URI: {uri}\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n{payload}\r\n\r\n",
            payload.len()
        ));
    }
    let path = write(inputs.path(), "crawl.warc", crawl.as_bytes());
    let run = storyline(data.path(), &["ingest", &path]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let stored = store_json(data.path());
    assert!(stored.contains("https://a.example/port") && stored.contains("https://b.example/ferry"), "{stored}");
    assert!(stored.contains("Ferry resumes"), "{stored}");
}

#[test]
fn search_finds_filters_and_keeps_in_step_with_the_store() {
    let data = tempfile::tempdir().expect("tempdir");
    let ingest = storyline(data.path(), &["ingest", "examples/corpus"]);
    assert_eq!(ingest.code, 0, "{}", ingest.stderr);

    let run = storyline(data.path(), &["search", "treaty", "ratified", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let hits = value["hits"].as_array().expect("hits");
    assert!(value["total"].as_u64().is_some_and(|n| n >= 3), "{value}");
    let first = hits[0]["title"].as_str().expect("a title").to_lowercase();
    assert!(first.contains("ratif"), "{first}");

    // The entity filter takes any spelling; the date filter bounds the publication day.
    let run = storyline(
        data.path(),
        &["search", "--entity", "Kim Jong-un", "--since", "2024-11-01", "--until", "2024-11-30", "--format", "json"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let hits = value["hits"].as_array().expect("hits");
    assert!(!hits.is_empty());
    for hit in hits {
        let day = hit["published"].as_str().expect("dated");
        assert!(("2024-11-01"..="2024-11-30").contains(&day), "{day}");
    }

    // The table marks matches.
    let run = storyline(data.path(), &["search", "\"Kursk region\""]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("**Kursk region**") || run.stdout.contains("**Kursk** **region**"), "{}", run.stdout);

    // Bad input is named.
    let run = storyline(data.path(), &["search", "--entity", "Atlantis"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("\"Atlantis\""), "{}", run.stderr);
    let run = storyline(data.path(), &["search", "--since", "June 2024", "x"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("YYYY-MM-DD"), "{}", run.stderr);

    // An index lost or behind is rebuilt from the store on the next open; reindex rebuilds on demand.
    fs::remove_dir_all(data.path().join("search")).expect("remove the index");
    let run = storyline(data.path(), &["search", "Haneda", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("rebuilding"), "{}", run.stderr);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert!(value["total"].as_u64().is_some_and(|n| n >= 4), "{value}");
    let run = storyline(data.path(), &["reindex"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("104 article(s)"), "{}", run.stderr);
}

#[test]
fn watch_ingests_what_appears_in_a_folder() {
    let data = tempfile::tempdir().expect("tempdir");
    let feed = tempfile::tempdir().expect("tempdir");
    write(feed.path(), "first.txt", GOOD.as_bytes());
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_storyline"))
        .arg("--data")
        .arg(data.path())
        .arg("watch")
        .arg(feed.path())
        .stdout(std::process::Stdio::null())
        .stderr(fs::File::create(feed.path().join(".watch.log")).expect("a log file"))
        .spawn()
        .expect("starts storyline watch");
    let count = || {
        let run = storyline(data.path(), &["articles", "--format", "json"]);
        if run.code == 0 { articles(&run.stdout).len() } else { 0 }
    };
    let wait_for = |n: usize| {
        (0..150).any(|_| {
            count() == n || {
                std::thread::sleep(std::time::Duration::from_millis(100));
                false
            }
        })
    };
    let first = wait_for(1);
    write(feed.path(), "second.txt", GOOD.replace("Port Reopens Main Channel", "Second Channel Opens").as_bytes());
    let second = wait_for(2);
    let _ = child.kill();
    let _ = child.wait();
    let log = fs::read_to_string(feed.path().join(".watch.log")).unwrap_or_default();
    assert!(first, "the file already there is ingested; the watcher said:\n{log}");
    assert!(second, "the new file is ingested; the watcher said:\n{log}");
}
