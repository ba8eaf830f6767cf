//! Authors from bylines ("By Jane Holloway and Tom Reyes", "Written by D. Michael DeRidder on June 19,
//! 2024"). A byline block is lifted out of the body; a date in it becomes a publication-date candidate.
//! News agencies and job titles in a byline are not authors.

use super::block::Block;
use super::published::DateCandidate;
use crate::dates;
use crate::model::{DateMethod, RemovalReason};
use regex::Regex;
use std::sync::LazyLock;

static PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?i:written by|by|words by|story by|reporting by|reported by|authors?:?|text by|автор:?|авторы:?|par)\s+",
    )
    .expect("valid byline prefix")
});

static NOT_A_PERSON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(reuters|ap|afp|associated press|agence france-presse|bloomberg|tass|ria novosti|yonhap|kcna|the editors)$|(?i)\b(correspondent|editor|editors|reporter|writer|writers|contributor|columnist|analyst|bureau|desk|staff|team|news|agency|press|wire|times|post|herald|gazette|journal|tribune|daily|service|media|review|bulletin|dispatch|observer|ledger|courier)\b")
        .expect("valid non-person pattern")
});

const PARTICLES: &[&str] = &["de", "van", "von", "der", "da", "di", "la", "le", "bin", "al", "del", "dos", "du", "ter"];

/// Finds byline blocks, marks them, and returns the authors in order without repeats. Blocks that the
/// HTML reader put outside the article are read too: bylines often sit in the header above it.
pub(crate) fn take_authors(blocks: &mut [Block], candidates: &mut Vec<DateCandidate>) -> Vec<String> {
    let mut authors: Vec<String> = Vec::new();
    for block in blocks.iter_mut() {
        let readable = matches!(block.verdict, None | Some(RemovalReason::OutsideArticle));
        if !readable || block.words() > 18 {
            continue;
        }
        let Some(found) = parse_byline(&block.text) else {
            continue;
        };
        block.verdict = Some(RemovalReason::Byline);
        if let Some(date) = found.date {
            candidates.push(DateCandidate::found(&date, DateMethod::Byline, &block.text));
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

/// Reads one byline line: a prefix ("By", "Written by"), then names, roles and outlets between
/// separators, and perhaps a date. A segment that is none of these means the line is a sentence
/// that happens to start with "By", and it is not a byline.
pub(crate) fn parse_byline(text: &str) -> Option<Byline> {
    let text = text.trim();
    let prefix = PREFIX.find(text)?;
    let rest = &text[prefix.end()..];
    let date = dates::find_dates(rest).into_iter().next();
    let names_part = match &date {
        Some(d) => {
            if rest[d.end..].split_whitespace().count() > 4 {
                return None;
            }
            &rest[..d.start]
        }
        None => rest,
    };
    let names_part =
        names_part.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | '|' | '-' | '–' | '—' | '·'));
    let names_part = names_part.strip_suffix(" on").unwrap_or(names_part);
    let mut names = Vec::new();
    let mut roles = 0;
    for segment in names_part.split([',', '|', '·', '—', '–', ';', '&']).flat_map(|s| s.split(" and ")) {
        let segment = segment.trim();
        if segment.is_empty() {
            continue;
        }
        if NOT_A_PERSON.is_match(segment) {
            roles += 1;
        } else if is_person_name(segment) {
            names.push(segment.to_owned());
        } else {
            return None;
        }
    }
    if names.is_empty() && date.is_none() && roles == 0 {
        return None;
    }
    Some(Byline { names, date })
}

/// Two to five capitalised words (initials and name particles allowed), no digits.
fn is_person_name(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    (2..=5).contains(&words.len())
        && words.iter().all(|w| w.starts_with(|c: char| c.is_uppercase()) || PARTICLES.contains(w))
        && !text.chars().any(|c| c.is_ascii_digit())
        && dates::find_dates(text).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, names: &[&str], date: Option<&str>) {
        let found = parse_byline(text);
        let got = found.as_ref().map(|b| (b.names.clone(), b.date.as_ref().map(|d| d.date.to_string())));
        let expected = Some((names.iter().map(|s| s.to_string()).collect::<Vec<_>>(), date.map(str::to_owned)));
        assert_eq!(got, expected, "for {text:?}");
    }

    #[test]
    fn bylines() {
        check("Written by D. Michael DeRidder on June 19, 2024", &["D. Michael DeRidder"], Some("2024-06-19"));
        check("By Jane Holloway and Tom Reyes", &["Jane Holloway", "Tom Reyes"], None);
        check("By Jane Holloway, Senior Correspondent", &["Jane Holloway"], None);
        check("By Marta Kovalenko | Meridian Wire | Aug 12, 2024", &["Marta Kovalenko"], Some("2024-08-12"));
        check("By Reuters | March 26, 2024", &[], Some("2024-03-26"));
        check("By Jane Holloway, Asia correspondent", &["Jane Holloway"], None);
        check("By Chris Dalton, Meridian Wire", &["Chris Dalton"], None);
        check("By Reuters", &[], None);
        check(
            "Written by Taras Levchenko and Anna Whitfield on December 4, 2024",
            &["Taras Levchenko", "Anna Whitfield"],
            Some("2024-12-04"),
        );
    }

    #[test]
    fn sentences_are_not_bylines() {
        assert!(parse_byline("By Saturday, the toll had risen to four").is_none());
        assert!(parse_byline("By the end of the week the channel was open").is_none());
    }
}
