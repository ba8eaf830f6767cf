//! Golden outputs over the example corpus: `analyze --format json` on `examples/corpus`, one
//! expected record per article under `tests/golden/`, compared field by field with a readable diff;
//! and the stories as a reader sees them, in `tests/golden-stories.md`.
//! After reviewing a change by eye, rewrite them with `STORYLINE_BLESS=1 cargo test --test golden`.

mod common;

use common::{articles, storyline, workspace};
use std::path::PathBuf;

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// A file name for the article's expected record: the corpus file, plus the line for JSONL records.
fn golden_name(source: &str) -> String {
    let name = source.rsplit('/').next().unwrap_or(source);
    format!("{}.json", name.replace(':', "-line-"))
}

#[test]
fn example_corpus_matches_golden_records() {
    let data = tempfile::tempdir().expect("tempdir");
    let run = storyline(data.path(), &["analyze", "--format", "json", "examples/corpus"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let found = articles(&run.stdout);
    assert!(found.len() >= 15, "the example corpus must hold at least 15 articles, got {}", found.len());

    let bless = std::env::var_os("STORYLINE_BLESS").is_some();
    let dir = golden_dir();
    let mut problems = Vec::new();
    let mut expected_names: Vec<String> = Vec::new();
    for article in &found {
        let source = article["source"].as_str().expect("source");
        let name = golden_name(source);
        expected_names.push(name.clone());
        let path = dir.join(&name);
        let actual = serde_json::to_string_pretty(article).expect("serialises") + "\n";
        if bless {
            std::fs::create_dir_all(&dir).expect("golden dir");
            std::fs::write(&path, &actual).expect("writes golden file");
            continue;
        }
        let Ok(expected_text) = std::fs::read_to_string(&path) else {
            problems.push(format!("{name}: no golden file (run with STORYLINE_BLESS=1 after review)"));
            continue;
        };
        let expected: serde_json::Value = serde_json::from_str(&expected_text).expect("golden file is JSON");
        let Some(fields) = expected.as_object() else {
            continue;
        };
        for (key, want) in fields {
            let got = &article[key];
            if got != want {
                problems.push(format!(
                    "{name}: field {key:?}\n  expected: {}\n  actual:   {}",
                    around_difference(want, got),
                    around_difference(got, want)
                ));
            }
        }
    }
    if !bless {
        for entry in std::fs::read_dir(&dir).expect("golden dir").flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !expected_names.contains(&name) {
                problems.push(format!("{name}: golden file for an article the corpus no longer yields"));
            }
        }
    }
    let _ = workspace();
    assert!(problems.is_empty(), "{} difference(s) from the golden records:\n{}", problems.len(), problems.join("\n"));
}

/// The value, or for long values the stretch around where `other` first differs from it.
fn around_difference(value: &serde_json::Value, other: &serde_json::Value) -> String {
    let (a, b) = (value.to_string(), other.to_string());
    let at = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let from = at.saturating_sub(60);
    let shown: String = a.chars().skip(from).take(200).collect();
    if from == 0 && a.chars().count() <= 200 { shown } else { format!("[at char {at}] …{shown}…") }
}

/// The stories of the example corpus as a reader sees them: the `stories` table and every dossier
/// in Markdown, one file (`tests/golden-stories.md`), compared line by line.
#[test]
fn example_corpus_stories_match_golden_dossiers() {
    let data = tempfile::tempdir().expect("tempdir");
    let ingest = storyline(data.path(), &["ingest", "examples/corpus"]);
    assert_eq!(ingest.code, 0, "{}", ingest.stderr);
    let table = storyline(data.path(), &["stories"]);
    assert_eq!(table.code, 0, "{}", table.stderr);
    let mut actual = table.stdout.clone();
    for line in table.stdout.lines().skip(1) {
        let Some(id) = line.split_whitespace().next() else { continue };
        let story = storyline(data.path(), &["story", id]);
        assert_eq!(story.code, 0, "{}", story.stderr);
        actual.push('\n');
        actual.push_str(&story.stdout);
    }
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden-stories.md");
    if std::env::var_os("STORYLINE_BLESS").is_some() {
        std::fs::write(&path, &actual).expect("writes the golden dossiers");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    let differences: Vec<String> = expected
        .lines()
        .zip(actual.lines())
        .enumerate()
        .filter(|(_, (want, got))| want != got)
        .take(10)
        .map(|(n, (want, got))| format!("line {}:\n  expected: {want}\n  actual:   {got}", n + 1))
        .collect();
    let same_length = expected.lines().count() == actual.lines().count();
    assert!(
        differences.is_empty() && same_length,
        "the dossiers differ from tests/golden-stories.md ({} vs {} lines; review, then STORYLINE_BLESS=1):\n{}",
        expected.lines().count(),
        actual.lines().count(),
        differences.join("\n")
    );
}
