//! The cluster end to end: PostgreSQL and NATS JetStream (started by `.ci/run`, or by
//! `scripts/cluster-services start DIR` and its env file), three workers and one API server,
//! 20,000 generated articles streamed in, the linking worker killed with SIGKILL mid-stream and
//! started again. Then every article must be stored exactly once, every message acknowledged, the
//! stories identical to a single-process `ingest` of the same input, and the API server's search
//! replica level with the store.
//!
//! Skipped (saying so) without `STORYLINE_TEST_POSTGRES` and `STORYLINE_TEST_NATS`, unless
//! `STORYLINE_REQUIRE_CLUSTER=1`. `STORYLINE_CLUSTER_ARTICLES` changes the article count.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use storyline_store::{PgStore, SqliteStore, Store};

fn services() -> Option<(String, String)> {
    match (std::env::var("STORYLINE_TEST_POSTGRES"), std::env::var("STORYLINE_TEST_NATS")) {
        (Ok(pg), Ok(nats)) => Some((pg, nats)),
        _ => {
            assert!(
                std::env::var("STORYLINE_REQUIRE_CLUSTER").is_err(),
                "STORYLINE_REQUIRE_CLUSTER is set but STORYLINE_TEST_POSTGRES / STORYLINE_TEST_NATS are not"
            );
            eprintln!("cluster test skipped: start the services with scripts/cluster-services and source its env file");
            None
        }
    }
}

/// A cluster process whose stderr is kept (and echoed with a label).
struct Node {
    child: Child,
    log: Arc<Mutex<Vec<String>>>,
}

impl Node {
    fn start(label: &str, args: &[&str]) -> Node {
        let mut child = Command::new(env!("CARGO_BIN_EXE_storyline"))
            .current_dir(common::workspace())
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starts storyline");
        let log = Arc::new(Mutex::new(Vec::new()));
        let (lines, kept, label) = (child.stderr.take().expect("stderr"), Arc::clone(&log), label.to_owned());
        std::thread::spawn(move || {
            for line in BufReader::new(lines).lines().map_while(Result::ok) {
                eprintln!("[{label}] {line}");
                kept.lock().expect("log").push(line);
            }
        });
        Node { child, log }
    }

    fn said(&self, text: &str) -> bool {
        self.log.lock().expect("log").iter().any(|l| l.contains(text))
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn status(store: &str, nats: &str, queue: &str) -> serde_json::Value {
    let run = common::storyline(
        Path::new("unused"),
        &["--store", store, "status", "--nats", nats, "--queue", queue, "--format", "json"],
    );
    assert_eq!(run.code, 0, "status failed: {}", run.stderr);
    serde_json::from_str(&run.stdout).expect("status JSON")
}

fn get_json(url: &str) -> serde_json::Value {
    let mut response = ureq::get(url).call().expect("the API answers");
    serde_json::from_str(&response.body_mut().read_to_string().expect("body")).expect("JSON")
}

#[test]
fn three_workers_one_killed_store_every_article_once_and_link_as_one_process() {
    let Some((admin, nats)) = services() else { return };
    let count: usize = std::env::var("STORYLINE_CLUSTER_ARTICLES").ok().and_then(|n| n.parse().ok()).unwrap_or(20_000);
    let dir = tempfile::tempdir().expect("tempdir");
    let pages = dir.path().join("pages.jsonl");
    let pages_arg = pages.to_str().expect("utf-8 path");
    let count_arg = count.to_string();
    let made = common::storyline(dir.path(), &["bench", "--articles", &count_arg, "--pages", pages_arg, "--seed", "7"]);
    assert_eq!(made.code, 0, "{}", made.stderr);

    // The reference: one process, the embedded store.
    let single = dir.path().join("single");
    let run = common::storyline(&single, &["-q", "ingest", pages_arg]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    let store = storyline_store::scratch_database(&admin, "cluster").expect("scratch database");
    let queue = format!("cluster{}", std::process::id());
    let worker_args = |n: usize| -> Vec<String> {
        [
            "--store",
            &store,
            "--data",
            &format!("{}/w{n}", dir.path().display()),
            "worker",
            "--nats",
            &nats,
            "--queue",
            &queue,
            "--ack-wait",
            "10",
            "--threads",
            "1",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    let start_worker = |n: usize| {
        let args = worker_args(n);
        Node::start(&format!("worker {n}"), &args.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let mut workers: Vec<Node> = (0..3).map(start_worker).collect();
    let server = common::Server::start(&dir.path().join("api"), &["--store", &store]);

    let submit = Node::start(
        "submit",
        &["--data", "unused", "submit", "--nats", &nats, "--queue", &queue, "--ack-wait", "10", pages_arg],
    );

    // Mid-stream, the worker that links is killed outright, then started again.
    let pg = PgStore::connect(&store).expect("connects");
    let deadline = Instant::now() + Duration::from_secs(900);
    while pg.count().expect("count") < (count / 3) as u64 {
        assert!(Instant::now() < deadline, "the workers stored too little in time");
        std::thread::sleep(Duration::from_millis(200));
    }
    let linker = workers.iter().position(|w| w.said("links the stories")).unwrap_or(0);
    let pid = workers[linker].child.id();
    let killed = Command::new("kill").args(["-KILL", &pid.to_string()]).status().expect("kill runs");
    assert!(killed.success());
    let _ = workers[linker].child.wait();
    eprintln!("killed worker {linker} (pid {pid}, the linker) at {} stored articles", pg.count().expect("count"));
    workers[linker] = start_worker(linker + 10);

    // Drained: everything stored, acknowledged and linked by a whole pass.
    let settled = loop {
        assert!(Instant::now() < deadline, "the cluster did not settle in time");
        std::thread::sleep(Duration::from_millis(500));
        let s = status(&store, &nats, &queue);
        let done = s["queued"] == 0
            && s["in_flight"] == 0
            && s["articles"] == count as u64
            && s["unlinked"] == 0
            && s["settled"] == count as u64;
        if done && submit.said("queued") {
            break s;
        }
    };
    eprintln!("settled: {settled}");
    assert_eq!(settled["dead_letters"], 0, "no document should have been dead-lettered");
    assert!(submit.said(&format!("{count} queued")), "submit queued every document once");

    // Exactly once: as many rows as documents, no id twice, no mention set written twice.
    assert_eq!(pg.count().expect("count"), count as u64);
    let ids = pg.ids().expect("ids");
    assert_eq!(ids.iter().collect::<std::collections::HashSet<_>>().len(), count);
    let reference = SqliteStore::open(&single).expect("opens the single-process store");
    assert_eq!(reference.entities().expect("entities"), pg.entities().expect("entities"), "mentions differ");

    // The stories: the same links, under the same names, as one process made.
    let (mut expected, mut got) = (reference.story_links().expect("links"), pg.story_links().expect("links"));
    expected.sort_by(|a, b| a.article.cmp(&b.article));
    got.sort_by(|a, b| a.article.cmp(&b.article));
    let differing = expected.iter().zip(&got).filter(|(a, b)| a != b).count();
    assert_eq!(expected.len(), got.len());
    assert_eq!(differing, 0, "{differing} of {count} articles are linked differently from the single-process run");

    // A page with no article in it fails the same way every time: it goes to the dead letters,
    // acknowledged, and nothing else moves.
    let junk = dir.path().join("furniture-only.txt");
    std::fs::write(&junk, "Advertisement\nHome | World | Sport\nSubscribe today\n").expect("writes");
    let sent = common::storyline(
        dir.path(),
        &["submit", "--nats", &nats, "--queue", &queue, junk.to_str().expect("utf-8 path")],
    );
    assert_eq!(sent.code, 0, "{}", sent.stderr);
    let dead = loop {
        assert!(Instant::now() < deadline, "the page was not dead-lettered in time");
        let s = status(&store, &nats, &queue);
        if s["dead_letters"] == 1 && s["queued"] == 0 && s["in_flight"] == 0 {
            break s;
        }
        std::thread::sleep(Duration::from_millis(300));
    };
    assert_eq!(dead["articles"], count as u64);
    assert!(workers.iter().any(|w| w.said("no article text found")), "a worker names why it dead-lettered the page");

    // The API server's replica followed the store, and its pages show the same stories.
    let health: serde_json::Value = loop {
        let h = get_json(&format!("{}/api/health", server.base));
        if h["indexed"] == count as u64 || Instant::now() > deadline {
            break h;
        }
        std::thread::sleep(Duration::from_millis(500));
    };
    assert_eq!(health["articles"], count as u64);
    assert_eq!(health["indexed"], count as u64);
    let stories = get_json(&format!("{}/api/stories?limit=1", server.base));
    let names: std::collections::HashSet<&String> = expected.iter().map(|l| &l.story).collect();
    assert_eq!(stories["total"], names.len() as u64);
    drop(workers);
    drop(submit);
    server.stop();
}

#[test]
fn postgres_and_sqlite_give_the_same_dossiers() {
    let Some((admin, _)) = services() else { return };
    let store = storyline_store::scratch_database(&admin, "parity").expect("scratch database");
    let dir = tempfile::tempdir().expect("tempdir");
    let (sqlite, pg) = (dir.path().join("sqlite"), dir.path().join("pg"));
    let with_pg = |args: &[&str]| {
        let mut all = vec!["--store", store.as_str()];
        all.extend_from_slice(args);
        common::storyline(&pg, &all)
    };
    for run in [
        common::storyline(&sqlite, &["-q", "ingest", "examples/corpus"]),
        with_pg(&["-q", "ingest", "examples/corpus"]),
    ] {
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    // Ingesting again stores nothing twice, in either store.
    let again = with_pg(&["ingest", "examples/corpus"]);
    assert!(again.stderr.contains("0 new article(s) stored, 104 already stored"), "{}", again.stderr);
    for args in [
        &["stories", "--format", "json"][..],
        &["articles", "--format", "json"],
        &["entities", "--limit", "0", "--format", "json"],
        &["entity", "Kim Jong-un", "--format", "json"],
        &["search", "treaty", "--format", "json"],
    ] {
        let (a, b) = (common::storyline(&sqlite, args), with_pg(args));
        assert_eq!((a.code, b.code), (0, 0), "{args:?}: {} / {}", a.stderr, b.stderr);
        assert!(a.stdout == b.stdout, "{args:?} differs between SQLite and PostgreSQL");
    }
    let stories: serde_json::Value =
        serde_json::from_str(&common::storyline(&sqlite, &["stories", "--format", "json"]).stdout).expect("JSON");
    let ids: Vec<&str> =
        stories["stories"].as_array().expect("stories").iter().filter_map(|s| s["id"].as_str()).collect();
    assert!(ids.len() >= 10, "{} stories", ids.len());
    for id in ids {
        let (a, b) = (
            common::storyline(&sqlite, &["story", id, "--format", "json"]),
            with_pg(&["story", id, "--format", "json"]),
        );
        assert_eq!((a.code, b.code), (0, 0));
        assert!(a.stdout == b.stdout, "the dossier of {id} differs between SQLite and PostgreSQL");
    }
}
