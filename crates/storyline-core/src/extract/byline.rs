//! Authors from bylines ("By Jane Holloway and Tom Reyes", "Written by D. Michael DeRidder on June 19,
//! 2024"). A byline block is lifted out of the body; a date in it becomes a publication-date candidate.
//! News agencies and job titles in a byline are not authors.

use super::block::Block;
use super::header;
use super::published::DateCandidate;
use crate::dates;
use crate::model::{DateMethod, RemovalReason};
use regex::Regex;
use std::sync::LazyLock;

static PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?i:written by|by|words by|story by|reporting by|reported by|authors?:?|text by|text:|автор:?|авторы:?|par)\s+",
    )
    .expect("valid byline prefix")
});

static NOT_A_PERSON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(reuters|ap|afp|associated press|agence france-presse|bloomberg|tass|ria novosti|yonhap|kcna|the editors)$|(?i)\b(correspondent|editor|editors|reporter|writer|writers|contributor|columnist|analyst|bureau|desk|staff|team|news|agency|press|wire|times|post|herald|gazette|journal|tribune|daily|service|media|review|bulletin|dispatch|observer|ledger|courier)\b")
        .expect("valid non-person pattern")
});

const PARTICLES: &[&str] = &["de", "van", "von", "der", "da", "di", "la", "le", "bin", "al", "del", "dos", "du", "ter"];

static TRAILING_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(^|\s)(on|posted|posted on|published|published on|updated|updated on)$")
        .expect("valid label pattern")
});

/// Separators between the fields of a byline ("Name | City | date"): only the first field holds names.
const FIELD_SEPARATORS: [char; 4] = ['|', '·', '—', '–'];

/// Finds byline blocks, marks them, and returns the authors in order without repeats. Blocks that the
/// HTML reader put outside the article are read too: bylines often sit in the header above it. A
/// byline without "By" ("Anjali Raghavan | New Delhi | 17 June 2024") counts only above the text.
pub(crate) fn take_authors(blocks: &mut [Block], candidates: &mut Vec<DateCandidate>) -> Vec<String> {
    let head_end = header::body_start(blocks);
    let mut authors: Vec<String> = Vec::new();
    for (i, block) in blocks.iter_mut().enumerate() {
        let readable = matches!(block.verdict, None | Some(RemovalReason::OutsideArticle));
        if !readable || block.words() > 18 {
            continue;
        }
        let Some(found) = parse_byline(&block.text) else {
            continue;
        };
        if !found.prefixed && i >= head_end {
            continue;
        }
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
    /// Opened by "By" (or kin); without it, a byline needs a name and a date.
    pub prefixed: bool,
}

/// Reads one byline line: a prefix ("By", "Written by"), then names, roles and outlets between
/// separators, and perhaps a date. Without a prefix, the line must be names followed by fields and
/// a date ("Karel Novotny and Ji-woo Han 1 Nov 2024, 18:20 CET"). A segment that is none of these
/// means the line is a sentence that happens to start with "By", and it is not a byline.
pub(crate) fn parse_byline(text: &str) -> Option<Byline> {
    let text = text.trim();
    let prefix = PREFIX.find(text);
    let prefixed = prefix.is_some();
    let rest = &text[prefix.map_or(0, |p| p.end())..];
    let date = dates::find_dates(rest).into_iter().next();
    let names_part = match &date {
        Some(d) => {
            if rest[d.end..].split_whitespace().count() > 4 {
                return None;
            }
            &rest[..d.start]
        }
        None if prefixed => rest,
        None => return None,
    };
    let names_part = trim_separators(names_part);
    let names_part =
        TRAILING_LABEL.find(names_part).map_or(names_part, |label| trim_separators(&names_part[..label.start()]));
    let mut fields = names_part.split(FIELD_SEPARATORS);
    let (names, roles) = read_names(fields.next().unwrap_or_default())?;
    // Later fields name a place, a desk or the outlet: short, and not a sentence.
    for field in fields {
        let field = field.trim();
        if field.split_whitespace().count() > 4 || field.ends_with(['.', '?', '!']) {
            return None;
        }
    }
    if names.is_empty() && (!prefixed || (date.is_none() && roles == 0)) {
        return None;
    }
    Some(Byline { names, date, prefixed })
}

/// A line that is only people's names ("Sandra Odermatt and Peter Gisler"), as some pages put under
/// the headline without "By". Read only there: elsewhere such a line could be anything. A line in
/// capitals is a label, not names.
pub(crate) fn bare_names(text: &str) -> Option<Vec<String>> {
    let text = text.trim();
    let shouted = !text.chars().any(char::is_lowercase);
    if shouted || text.contains(FIELD_SEPARATORS) || text.split_whitespace().count() > 12 {
        return None;
    }
    match read_names(text)? {
        (names, 0) if !names.is_empty() && names.iter().all(|n| is_person_name(n)) => Some(names),
        _ => None,
    }
}

static TRAILER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\((?i:reporting by|reported by|written by)\s+(?P<names>[^;)]{1,120})[;)]")
        .expect("valid trailer pattern")
});

/// Authors named only in a wire trailer closing the text: "(Reporting by Chris Dalton; editing by
/// Maya Felder)". Editors are not authors; "Meridian Wire staff" names nobody.
pub(crate) fn trailer_authors(body: &str) -> Vec<String> {
    let last = body.rsplit("\n\n").next().unwrap_or(body);
    TRAILER
        .captures_iter(last)
        .last()
        .and_then(|caps| read_names(caps.name("names")?.as_str()))
        .map(|(names, _)| names)
        .unwrap_or_default()
}

/// The names in a list ("Jane Holloway, Tom Reyes and Ann Lee", "Chris Dalton, Meridian Wire",
/// "Ayumi Kobayashi, Niigata"), with how many segments were roles or outlets. A one-word segment after
/// a name is a place. `None` when a segment is none of these.
fn read_names(list: &str) -> Option<(Vec<String>, usize)> {
    let mut names: Vec<String> = Vec::new();
    let mut roles = 0;
    for segment in list.split([',', ';', '&']).flat_map(|s| s.split(" and ")) {
        let segment = segment.trim();
        if segment.is_empty() {
            continue;
        }
        if NOT_A_PERSON.is_match(segment) {
            roles += 1;
        } else if is_person_name(segment) {
            names.push(segment.to_owned());
        } else if names.is_empty() || !is_place(segment) {
            return None;
        }
    }
    Some((names, roles))
}

/// One capitalised word with no digits: "Brussels", "Bürgenstock".
fn is_place(text: &str) -> bool {
    !text.contains(char::is_whitespace)
        && text.starts_with(char::is_uppercase)
        && text.chars().all(|c| c.is_alphabetic() || c == '-' || c == '\'')
}

fn trim_separators(text: &str) -> &str {
    text.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | '|' | '-' | '–' | '—' | '·'))
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
    fn fields_after_the_names() {
        check("By Ann de Groot · Antwerp · Friday 3 March 2023, 09:10 CET", &["Ann de Groot"], Some("2023-03-03"));
        check("Text: Mika Saarinen, Oulu", &["Mika Saarinen"], None);
        check("By Lena Brandt, Cologne", &["Lena Brandt"], None);
    }

    #[test]
    fn bylines_without_by() {
        check("Ravi Menon | Chennai | Friday, 3 March 2023 | Updated: 09:10", &["Ravi Menon"], Some("2023-03-03"));
        check("Tomas Berg | Rail desk | Posted Friday, 3 March 2023", &["Tomas Berg"], Some("2023-03-03"));
        check("Ines Roth and Pavel Dusek 3 Mar 2023, 09:10 CET", &["Ines Roth", "Pavel Dusek"], Some("2023-03-03"));
        assert!(parse_byline("Ravi Menon | Chennai").is_none(), "no date: not a byline without By");
        assert!(parse_byline("Chennai, March 3, 2023").is_none(), "a place and a date name nobody");
        assert!(parse_byline("Updated 3 March 2023, 09:10").is_none());
        assert!(parse_byline("Ravi Menon | the minister said on Friday | March 3, 2023").is_none());
    }

    #[test]
    fn bare_names_and_trailers() {
        assert_eq!(bare_names("Ines Roth and Pavel Dusek"), Some(vec!["Ines Roth".into(), "Pavel Dusek".into()]));
        assert_eq!(bare_names("Ines Roth"), Some(vec!["Ines Roth".into()]));
        assert_eq!(bare_names("The harbour reopened on Friday"), None);
        assert_eq!(bare_names("Rail Desk Team"), None);
        assert_eq!(bare_names("INES ROTH"), None);
        assert_eq!(
            trailer_authors("First paragraph.\n\nThe line reopened. (Reporting by Ines Roth; editing by Tom Hale)"),
            ["Ines Roth"]
        );
        assert!(trailer_authors("The line reopened. (Reporting by Wire staff; editing by Tom Hale)").is_empty());
    }

    #[test]
    fn bylines_without_by_count_only_above_the_text() {
        let text = "Rail line reopens after a week\nRavi Menon | Chennai | 3 March 2023\nThe line between the two cities reopened on Friday after a week of repairs, the operator said.\nPavel Dusek | Pune | 4 March 2023";
        let mut blocks = crate::extract::block::text_blocks(text);
        let mut candidates = Vec::new();
        assert_eq!(take_authors(&mut blocks, &mut candidates), ["Ravi Menon"]);
        assert_eq!(candidates.len(), 1);
        assert!(blocks[3].verdict.is_none());
    }

    #[test]
    fn sentences_are_not_bylines() {
        assert!(parse_byline("By Saturday, the toll had risen to four").is_none());
        assert!(parse_byline("By the end of the week the channel was open").is_none());
    }
}
