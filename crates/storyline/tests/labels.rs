//! Accuracy floors on our own labelled articles (docs/labels.md): the example corpus with
//! `examples/labels`, and a held-out set written after the gazetteer was frozen, whose names were
//! chosen without looking at it. A change that makes entities, time values or quote speakers worse
//! than these floors fails here; the figures themselves are printed by `storyline eval labels`
//! (and, for publication dates against `examples/dates.tsv`, by `storyline eval dates`).

mod common;

use common::storyline;

fn eval(corpus: &str, labels: &str, floors: &[&str]) {
    let data = tempfile::tempdir().expect("tempdir");
    let mut args = vec!["eval", "labels", corpus, labels];
    args.extend_from_slice(floors);
    let run = storyline(data.path(), &args);
    println!("{}", run.stdout);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
}

#[test]
fn example_corpus_labels_hold_their_floors() {
    eval(
        "examples/corpus",
        "examples/labels",
        &[
            "--min-entity-f1",
            "0.93",
            "--min-time-accuracy",
            "0.97",
            "--min-time-recall",
            "0.95",
            "--min-speaker-accuracy",
            "0.97",
        ],
    );
}

#[test]
fn held_out_labels_hold_their_floors() {
    eval(
        "crates/storyline/tests/heldout/corpus",
        "crates/storyline/tests/heldout/labels",
        &[
            "--min-entity-f1",
            "0.85",
            "--min-time-accuracy",
            "0.95",
            "--min-time-recall",
            "0.95",
            "--min-speaker-accuracy",
            "0.95",
        ],
    );
}

#[test]
fn example_corpus_publication_dates_hold_their_floor() {
    // 104 articles with the dates MANIFEST.md gives (one page undated on purpose): 99 right, no
    // wrong day, 5 text articles without a date found.
    let data = tempfile::tempdir().expect("tempdir");
    let args = ["eval", "dates", "examples/corpus", "--labels", "examples/dates.tsv", "--min-accuracy", "0.95"];
    let run = storyline(data.path(), &args);
    println!("{}", run.stdout);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("wrong day 0"), "a wrong date is worse than none: {}", run.stdout);
}
