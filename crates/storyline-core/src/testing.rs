//! Helpers shared by the unit tests of several stages.

use crate::Article;

/// An annotated article of `body`, published on `date` (`YYYY-MM-DD`; anything else leaves it
/// undated).
pub(crate) fn article(body: &str, date: &str) -> Article {
    let mut article = Article::from_body("test", body);
    article.published.date = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok();
    crate::annotate::annotate(&mut article);
    article
}

/// Every line of every file of the example corpus, decoded as the pipeline decodes it.
pub(crate) fn corpus_lines() -> Vec<String> {
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus");
    let mut lines = Vec::new();
    for entry in std::fs::read_dir(&corpus).expect("the example corpus is there") {
        let bytes = std::fs::read(entry.expect("a corpus entry").path()).expect("a corpus file reads");
        let text = crate::decode(&bytes, None).map(|d| d.text).unwrap_or_default();
        lines.extend(text.lines().map(|line| line.trim().to_owned()));
    }
    lines
}
