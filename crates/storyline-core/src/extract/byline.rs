//! Authors from bylines ("By Jane Holloway and Tom Reyes", "Written by D. Michael DeRidder on June 19,
//! 2024"). A byline block is lifted out of the body; a date in it becomes a publication-date candidate.
//! News agencies and job titles in a byline are not authors.

use super::block::Block;
use super::published::DateCandidate;
use crate::dates;
use crate::model::{DateMethod, RemovalReason};
use regex::Regex;
use std::sync::LazyLock;

const NAME: &str =
    r"\p{Lu}[\p{L}.'’-]*(?:\s+(?:\p{Lu}[\p{L}.'’-]*|de|van|von|der|da|di|la|le|bin|al|del|dos))*";

static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?i:written by|by|words by|story by|reporting by|reported by|authors?|text by)\s*:?\s+(?P<names>{NAME}(?:(?:\s*,\s*|\s+and\s+|\s*&\s*){NAME})*)(?P<rest>.*)$"
    ))
    .expect("valid byline pattern")
});

static NOT_A_PERSON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(reuters|ap|afp|associated press|agence france-presse|bloomberg|tass|ria novosti|yonhap|kcna|staff|staff writers?|our correspondent|the editors|editorial board|news desk|wire services?)$|(?i)\b(correspondent|editor|reporter|writer|contributor|columnist|analyst|bureau|desk|staff|news|agency|press)\b")
        .expect("valid non-person pattern")
});

/// Finds byline blocks, marks them, and returns the authors in order without repeats.
pub(crate) fn take_authors(
    blocks: &mut [Block],
    candidates: &mut Vec<DateCandidate>,
) -> Vec<String> {
    let mut authors: Vec<String> = Vec::new();
    for block in blocks.iter_mut() {
        if block.verdict.is_some() || block.words() > 18 {
            continue;
        }
        let Some(found) = parse_byline(&block.text) else {
            continue;
        };
        block.verdict = Some(RemovalReason::Byline);
        if let Some(date) = found.date {
            candidates.push(DateCandidate::new(date, DateMethod::Byline, &block.text));
        }
        for name in found.names {
            if !authors.contains(&name) {
                authors.push(name);
            }
        }
    }
    authors
}

pub(crate) struct Byline {
    pub names: Vec<String>,
    pub date: Option<dates::DateMatch>,
}

/// Reads one byline line. The text after the names must be empty or a separator followed by a date,
/// an outlet or a role; anything longer is a sentence that happens to start with "By".
pub(crate) fn parse_byline(text: &str) -> Option<Byline> {
    let caps = BYLINE.captures(text.trim())?;
    let rest = caps
        .name("rest")
        .map(|m| m.as_str().trim())
        .unwrap_or_default();
    let separated = rest.is_empty()
        || rest.starts_with(['|', ',', '-', '–', '—', '·', '('])
        || rest.to_lowercase().starts_with("on ")
        || rest.to_lowercase().starts_with("in ");
    if !separated || rest.split_whitespace().count() > 10 {
        return None;
    }
    let names_text = caps.name("names")?.as_str();
    let names: Vec<String> = split_names(names_text)
        .into_iter()
        .filter(|name| !NOT_A_PERSON.is_match(name))
        .filter(|name| name.split_whitespace().count() >= 2 && dates::find_dates(name).is_empty())
        .collect();
    let date = dates::find_dates(rest).into_iter().next();
    if names.is_empty() && date.is_none() {
        return None;
    }
    Some(Byline { names, date })
}

fn split_names(text: &str) -> Vec<String> {
    text.split(',')
        .flat_map(|part| part.split(" and "))
        .flat_map(|part| part.split('&'))
        .map(|name| name.trim().to_owned())
        .filter(|name| name.split_whitespace().count() >= 2 || name.len() > 3)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, names: &[&str], date: Option<&str>) {
        let found = parse_byline(text);
        let got = found
            .as_ref()
            .map(|b| (b.names.clone(), b.date.as_ref().map(|d| d.date.to_string())));
        let expected = Some((
            names.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            date.map(str::to_owned),
        ));
        assert_eq!(got, expected, "for {text:?}");
    }

    #[test]
    fn bylines() {
        check(
            "Written by D. Michael DeRidder on June 19, 2024",
            &["D. Michael DeRidder"],
            Some("2024-06-19"),
        );
        check(
            "By Jane Holloway and Tom Reyes",
            &["Jane Holloway", "Tom Reyes"],
            None,
        );
        check(
            "By Jane Holloway, Senior Correspondent",
            &["Jane Holloway"],
            None,
        );
        check(
            "By Marta Kovalenko | Meridian Wire | Aug 12, 2024",
            &["Marta Kovalenko"],
            Some("2024-08-12"),
        );
        check("By Reuters | March 26, 2024", &[], Some("2024-03-26"));
    }

    #[test]
    fn sentences_are_not_bylines() {
        assert!(parse_byline("By Saturday, the toll had risen to four").is_none());
        assert!(parse_byline("By the end of the week the channel was open").is_none());
        assert!(parse_byline("By Reuters").is_none());
    }
}
