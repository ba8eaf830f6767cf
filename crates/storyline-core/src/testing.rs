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
