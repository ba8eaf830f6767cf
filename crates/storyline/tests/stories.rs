//! Floors on story linking over our own labelled stream (`examples/stories.tsv` over
//! `examples/corpus`, docs/labels.md): stories by B-cubed F1, syndicated copies by the precision of
//! near-duplicate pairs. The figures themselves are printed by `storyline eval stories`.

mod common;

use common::storyline;

#[test]
fn example_stream_holds_its_story_and_duplicate_floors() {
    let data = tempfile::tempdir().expect("tempdir");
    let run = storyline(
        data.path(),
        &[
            "eval",
            "stories",
            "examples/corpus",
            "examples/stories.tsv",
            "--min-story-f1",
            "0.95",
            "--min-duplicate-precision",
            "0.99",
        ],
    );
    println!("{}", run.stdout);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("15 labelled copy pairs"), "{}", run.stdout);
}

#[test]
fn a_corpus_article_without_a_label_is_named() {
    let data = tempfile::tempdir().expect("tempdir");
    let labels = data.path().join("stories.tsv");
    std::fs::write(&labels, "article\tstory\tevent\tcopy_of\nwire-feed.jsonl#1\tA\tA-x\t\n").expect("write labels");
    let labels = labels.to_string_lossy().into_owned();
    let run = storyline(data.path(), &["eval", "stories", "examples/corpus", &labels]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("no story label for"), "{}", run.stderr);
}
