//! The web pages in a real browser: headless Chromium driven through chromedriver (WebDriver, with
//! `fantoccini`). A reader opens the story list, opens a story, reads the timeline (its events in
//! date order), follows a claim to its sentence marked in the article, and searches; an article
//! carrying script and event-handler payloads renders inert.
//!
//! Needs Debian's `chromium` and `chromium-driver`. Without them the test says so and passes,
//! unless `STORYLINE_REQUIRE_BROWSER=1` (as `.ci/run` sets after installing them), when it fails.
//! `STORYLINE_SCREENSHOTS=DIR` keeps screenshots of the pages it visits.

mod common;

use common::{Server, storyline};
use fantoccini::{Client, ClientBuilder, Locator};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

fn start_driver() -> (Driver, String) {
    let port = free_port();
    // Held by the guard from the start, so it is killed and waited for on every path.
    let driver = Driver(
        Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starts chromedriver"),
    );
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if ureq::get(&format!("{url}/status")).call().is_ok() {
            return (driver, url);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("chromedriver did not answer on {url}");
}

async fn browser(driver: &str, profile: &Path) -> Client {
    let caps = serde_json::json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1600",
                format!("--user-data-dir={}", profile.display()),
            ],
        },
    });
    let caps = caps.as_object().cloned().expect("an object");
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector).capabilities(caps).connect(driver).await.expect("a browser session")
}

fn screenshots() -> Option<PathBuf> {
    let dir = std::env::var_os("STORYLINE_SCREENSHOTS").map(PathBuf::from)?;
    let dir = if dir.is_absolute() { dir } else { common::workspace().join(dir) };
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    Some(dir)
}

async fn keep_screenshot(client: &Client, name: &str) {
    if let Some(dir) = screenshots() {
        let png = client.screenshot().await.expect("a screenshot");
        std::fs::write(dir.join(name), png).expect("writes the screenshot");
    }
}

async fn strings(client: &Client, script: &str) -> Vec<String> {
    let value = client.execute(script, vec![]).await.expect("script runs");
    value.as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_owned)).collect()
}

/// A JSONL article of our own whose title and body carry payloads that would run if the pages
/// interpolated text as markup.
const HOSTILE: &str = r#"{"title":"Harbour <script>window.pwned=1</script> report <img src=x onerror=\"window.pwned=2\">","text":"The port authority said on Monday that dredging in the harbour would resume next week. Officials quoted &lt;script&gt;window.pwned=3&lt;/script&gt; and &lt;img src=x onerror=window.pwned=4&gt; in the dredging notice.\n\nA second paragraph of the dredging notice carries &lt;svg onload=window.pwned=5&gt; as well.","outlet":"Meridian Wire","published":"2024-05-06"}"#;

#[tokio::test(flavor = "multi_thread")]
async fn a_reader_opens_a_story_follows_a_claim_and_searches() {
    let required = std::env::var("STORYLINE_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
        assert!(!required, "STORYLINE_REQUIRE_BROWSER=1 but {CHROMIUM} or {CHROMEDRIVER} is missing");
        eprintln!("skipped: no {CHROMIUM} and {CHROMEDRIVER} (apt-get install chromium chromium-driver)");
        return;
    }
    let data = tempfile::tempdir().expect("tempdir");
    let inputs = tempfile::tempdir().expect("tempdir");
    let hostile = inputs.path().join("hostile.jsonl");
    std::fs::write(&hostile, format!("{HOSTILE}\n")).expect("writes");
    for input in ["examples/corpus", hostile.to_str().expect("a path")] {
        let run = storyline(data.path(), &["ingest", input]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let server = Server::start(data.path(), &[]);
    let base = server.base.clone();
    let (_driver, driver_url) = start_driver();
    let profile = tempfile::tempdir().expect("tempdir");
    let client = browser(&driver_url, profile.path()).await;

    // The story list, then the story with the most articles.
    client.goto(&format!("{base}/")).await.expect("opens the story list");
    let rows = client.find_all(Locator::Css("tr.story")).await.expect("story rows");
    assert!(rows.len() >= 10, "{} stories listed", rows.len());
    keep_screenshot(&client, "stories.png").await;
    let biggest = client
        .execute(
            "let best = null, n = -1; for (const r of document.querySelectorAll('tr.story')) { \
             const k = parseInt(r.children[1].textContent, 10); if (k > n) { n = k; best = r; } } \
             return best.querySelector('a').getAttribute('href');",
            vec![],
        )
        .await
        .expect("script runs");
    let href = biggest.as_str().expect("a story link").to_owned();
    client.find(Locator::Css(&format!("a[href='{href}']"))).await.expect("the link").click().await.expect("clicks");
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("svg#timeline")).await.expect("a timeline");

    // The timeline: its events in date order, drawn left to right.
    let dates = strings(
        &client,
        "return Array.from(document.querySelectorAll('#timeline g.event')).map(g => g.getAttribute('data-date'));",
    )
    .await;
    assert!(dates.len() >= 5, "{dates:?}");
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "events in date order");
    let xs = strings(
        &client,
        "return Array.from(document.querySelectorAll('#timeline g.event circle')).map(c => c.getAttribute('cx'));",
    )
    .await;
    let xs: Vec<f64> = xs.iter().filter_map(|x| x.parse().ok()).collect();
    assert!(xs.windows(2).all(|w| w[0] <= w[1]), "drawn left to right: {xs:?}");
    keep_screenshot(&client, "story.png").await;
    client.execute("document.querySelector('table.claims').scrollIntoView();", vec![]).await.expect("scrolls");
    keep_screenshot(&client, "story-claims.png").await;

    // A claim's source leads to its sentence, marked in the article.
    let claims = client.find_all(Locator::Css("a.claim-source")).await.expect("claim sources");
    assert!(!claims.is_empty(), "the story has claims with sources");
    let value = client
        .execute(
            "return document.querySelector('a.claim-source').parentElement.querySelector('strong').textContent;",
            vec![],
        )
        .await
        .expect("script runs");
    let figure: String = value.as_str().expect("a value").chars().filter(char::is_ascii_digit).collect();
    claims[0].click().await.expect("clicks the claim's source");
    let mark =
        client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("mark#hl")).await.expect("marked");
    let sentence = mark.text().await.expect("its text");
    let digits: String = sentence.chars().filter(char::is_ascii_digit).collect();
    assert!(digits.contains(&figure), "the marked sentence {sentence:?} gives the claim's figure {figure}");
    assert!(client.current_url().await.expect("url").path().starts_with("/articles/"));
    keep_screenshot(&client, "article.png").await;

    // Search from the header, then narrow by a facet.
    client.goto(&format!("{base}/")).await.expect("home");
    let input = client.find(Locator::Css("form.find input")).await.expect("the search box");
    // Typed, then Enter (WebDriver's key code for it), as a reader does.
    input.send_keys("Kursk\u{E007}").await.expect("types and submits");
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("li.hit")).await.expect("results");
    let hits = client.find_all(Locator::Css("li.hit")).await.expect("hits");
    assert!(hits.len() >= 3, "{} hits", hits.len());
    assert!(!client.find_all(Locator::Css("li.hit mark")).await.expect("marks").is_empty(), "matches marked");
    let outlet = client.find(Locator::Css("aside.facets ul a")).await.expect("an outlet facet");
    let name = outlet.text().await.expect("its name");
    outlet.click().await.expect("narrows");
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("p.filters")).await.expect("filtered");
    let outlets =
        strings(&client, "return Array.from(document.querySelectorAll('li.hit .muted')).map(s => s.textContent);")
            .await;
    assert!(!outlets.is_empty() && outlets.iter().all(|o| o.starts_with(&name)), "{name}: {outlets:?}");
    keep_screenshot(&client, "search.png").await;

    // The hostile article: its payloads are shown as text and none of them runs.
    client.goto(&format!("{base}/search?q=dredging%20notice")).await.expect("search");
    let link =
        client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("li.hit a")).await.expect("found");
    link.click().await.expect("opens it");
    let heading =
        client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("main h1")).await.expect("a title");
    let title = heading.text().await.expect("title text");
    assert!(title.contains("<script>window.pwned=1</script>"), "the payload is shown as text: {title:?}");
    let body = client.find(Locator::Css("article.body")).await.expect("body").text().await.expect("text");
    assert!(body.contains("onerror=window.pwned=4"), "{body}");
    let state = client
        .execute(
            "return [typeof window.pwned, document.querySelectorAll('main script, main img, main svg[onload], main [onerror], main [onmouseover]').length];",
            vec![],
        )
        .await
        .expect("script runs");
    assert_eq!(state, serde_json::json!(["undefined", 0]), "nothing ran and no element was injected");

    client.close().await.expect("closes the browser");
    assert!(server.stop().success());
}
