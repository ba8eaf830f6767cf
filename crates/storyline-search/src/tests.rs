use super::*;
use storyline_core::{Document, Hints, MediaType, process};

/// Articles of the bundled example corpus (our own writing), extracted and annotated.
fn corpus(names: &[&str]) -> Vec<Article> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus");
    names
        .iter()
        .map(|name| {
            let path = dir.join(name);
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let media = if name.ends_with(".html") { MediaType::Html } else { MediaType::Text };
            process(&Document::new(path.display().to_string(), media, bytes, Hints::default()))
                .unwrap_or_else(|e| panic!("{name}: {e}"))
        })
        .collect()
}

const NAMES: &[&str] = &[
    "a01-harbour-courier-treaty-signed.txt",
    "a09-harbour-courier-nis-12000-troops.txt",
    "d01-patapsco-post-bridge-collapse.txt",
    "g01-tokyo-bay-chronicle-haneda-collision.txt",
    "m02-pacific-wire-noto-toll-rises.html",
];

fn request(text: &str) -> SearchRequest {
    SearchRequest { text: text.to_owned(), limit: 10, facets: 10, ..SearchRequest::default() }
}

fn titles(results: &SearchResults) -> Vec<String> {
    results.hits.iter().map(|h| h.title.clone().unwrap_or_default()).collect()
}

#[test]
fn finds_by_words_phrases_and_filters() {
    let dir = tempfile::tempdir().expect("temp dir");
    let index = SearchIndex::open(dir.path()).expect("open");
    let articles = corpus(NAMES);
    index.put(&articles).expect("put");
    assert_eq!(index.count(), 5);

    // Words: every one must occur; stems match ("signs" finds "signed").
    let r = index.search(&request("treaty Pyongyang")).expect("search");
    assert!(r.total >= 1);
    assert!(titles(&r)[0].contains("mutual-defence pact"), "{:?}", titles(&r));
    let r = index.search(&request("bridge collapse ship")).expect("search");
    assert_eq!(r.hits.first().and_then(|h| h.outlet.as_deref()), articles[2].outlet.as_deref());

    // A phrase is words in order: "Kim Jong Un" is in the treaty article, "Un Jong Kim" nowhere.
    assert!(index.search(&request("\"Kim Jong Un\"")).expect("search").total >= 1);
    assert_eq!(index.search(&request("\"Un Jong Kim\"")).expect("search").total, 0);

    // Exclusion.
    let all = index.search(&request("Kim")).expect("search").total;
    let without = index.search(&request("Kim -treaty")).expect("search").total;
    assert!(without < all, "{without} !< {all}");

    // Snippets mark what matched, inside the text they come from, and point into the body.
    let r = index.search(&request("collision")).expect("search");
    let hit = &r.hits[0];
    assert!(!hit.snippet.highlights.is_empty());
    for &(a, b) in &hit.snippet.highlights {
        assert!(hit.snippet.text[a..b].to_lowercase().starts_with("collision"), "{:?}", &hit.snippet.text[a..b]);
    }
    let body = &articles.iter().find(|a| a.id.as_str() == hit.id).expect("hit is an article").body;
    assert_eq!(&body[hit.snippet.start..hit.snippet.start + hit.snippet.text.len()], hit.snippet.text);

    // Filters: outlet (any case), language, date range, entity.
    let outlet = articles[0].outlet.clone().expect("the treaty article has an outlet");
    let mut q = request("");
    q.outlets = vec![outlet.to_uppercase()];
    let r = index.search(&q).expect("search");
    assert_eq!(r.total, 2, "two Harbour Courier articles: {:?}", titles(&r));
    let mut q = request("");
    q.since = articles[2].published.date;
    q.until = articles[2].published.date;
    let r = index.search(&q).expect("search");
    assert!(r.hits.iter().all(|h| h.published == articles[2].published.date));
    assert!(r.hits.iter().any(|h| h.id == articles[2].id.as_str()));
    let mut q = request("");
    q.entities = vec!["person/kim-jong-un".to_owned()];
    let r = index.search(&q).expect("search");
    assert!(r.total >= 1 && r.total <= 2, "{:?}", titles(&r));
    let mut q = request("");
    q.languages = vec!["de".to_owned()];
    assert_eq!(index.search(&q).expect("search").total, 0);

    // Facets count what matched.
    let r = index.search(&SearchRequest { facets: 1000, ..request("") }).expect("search");
    assert_eq!(r.total, 5);
    assert!(r.facets.entities.windows(2).all(|w| w[0].count >= w[1].count), "most first");
    assert_eq!(r.facets.outlets.iter().find(|f| f.value == outlet).map(|f| f.count), Some(2));
    assert_eq!(r.facets.languages.first().map(|f| (f.value.as_str(), f.count)), Some(("en", 5)));
    assert!(r.facets.entities.iter().any(|f| f.value == "person/kim-jong-un"), "{:?}", r.facets.entities);
    // Filters only: newest first.
    let dates: Vec<_> = r.hits.iter().map(|h| h.published).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
}

#[test]
fn putting_again_replaces_and_rebuild_is_atomic() {
    let dir = tempfile::tempdir().expect("temp dir");
    let articles = corpus(&NAMES[..2]);
    {
        let index = SearchIndex::open(dir.path()).expect("open");
        index.put(&articles).expect("put");
        index.put(&articles).expect("put again");
        assert_eq!(index.count(), 2);
    }
    // Reopened from disk.
    let index = SearchIndex::open(dir.path()).expect("reopen");
    assert_eq!(index.count(), 2);
    // A rebuild that is dropped uncommitted leaves the old index.
    {
        let mut rebuild = index.rebuild().expect("rebuild");
        rebuild.add(&articles[..1]).expect("add");
    }
    assert_eq!(index.count(), 2);
    let mut rebuild = index.rebuild().expect("rebuild");
    rebuild.add(&articles[..1]).expect("add");
    rebuild.commit().expect("commit");
    assert_eq!(index.count(), 1);
}

#[test]
fn bad_queries_and_foreign_indexes_are_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let index = SearchIndex::open(dir.path()).expect("open");
    // What is not query syntax is read as words, and the answer says why.
    let r = index.search(&request("nosuchfield:word")).expect("read as words");
    assert!(r.read_as_words.as_deref().is_some_and(|why| why.contains("nosuchfield")), "{:?}", r.read_as_words);
    assert_eq!(r.total, 0);
    assert!(index.search(&request("treaty")).expect("search").read_as_words.is_none());
    assert_eq!(plain_words("Noto quake: toll (\"rises"), "Noto quake toll rises");
    index.put(&corpus(&NAMES[..1])).expect("put");
    let r = index.search(&request("Putin and Kim: \"mutual-defence")).expect("read as words");
    assert!(r.read_as_words.is_some() && r.total == 1, "{r:?}");
    drop(index);
    std::fs::write(dir.path().join(VERSION_FILE), "storyline-search 0").expect("write");
    let err = SearchIndex::open(dir.path()).expect_err("old version");
    assert!(err.to_string().contains("storyline reindex"), "{err}");
}

#[test]
fn a_second_writer_is_told_who_holds_the_lock() {
    let dir = tempfile::tempdir().expect("temp dir");
    let articles = corpus(&NAMES[..1]);
    let first = SearchIndex::open(dir.path()).expect("open");
    first.put(&articles).expect("put");
    let second = SearchIndex::open(dir.path()).expect("a reader opens beside a writer");
    assert_eq!(second.count(), 1);
    let err = second.put(&articles).expect_err("the lock is held");
    assert!(matches!(err, SearchError::Busy { .. }), "{err}");
}

#[test]
fn openings_cut_at_words_and_char_boundaries() {
    assert_eq!(opening("short", 10), "short");
    assert_eq!(opening("one two three", 9), "one two");
    assert_eq!(opening("ééééé", 2), "éé");
}
