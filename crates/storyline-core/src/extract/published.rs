//! Publication-date evidence: every place a date was seen is a `DateCandidate` with a method and a
//! confidence; the most trusted wins, and when none is trustworthy the date stays unknown. Dates in
//! captions and in the site header (the page's "today") never become candidates.

use super::block::{Block, BlockKind};
use crate::dates::{self, DateMatch};
use crate::model::{DateMethod, Published, RemovalReason};
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use regex::Regex;
use std::sync::LazyLock;

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct DateCandidate {
    pub date: NaiveDate,
    pub datetime: Option<DateTime<FixedOffset>>,
    pub method: DateMethod,
    pub confidence: f32,
    pub evidence: String,
}

impl DateCandidate {
    /// A candidate read from a date found in the page's text.
    pub fn found(found: &DateMatch, method: DateMethod, evidence: &str) -> Self {
        Self::new(found.date, found.datetime, method, evidence)
    }

    pub fn new(date: NaiveDate, datetime: Option<DateTime<FixedOffset>>, method: DateMethod, evidence: &str) -> Self {
        let confidence = match method {
            DateMethod::Container | DateMethod::JsonLd | DateMethod::MetaTag => 0.95,
            DateMethod::Labelled | DateMethod::Byline => 0.9,
            DateMethod::TimeElement => 0.85,
            DateMethod::UnderHeadline if datetime.is_some() => 0.85,
            DateMethod::UnderHeadline => 0.75,
            DateMethod::Dateline => 0.8,
            DateMethod::Url => 0.7,
        };
        DateCandidate { date, datetime, method, confidence, evidence: evidence.trim().to_owned() }
    }
}

static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?P<label>date|dated|published|publication date|posted|first published|published on|posted on|updated|updated on|last updated|modified)\b\s*:?\s*")
        .expect("valid date label pattern")
});

/// Lifts labelled timestamps ("Published: …", "date 2024-10-29 …", "Updated 27 March 2024") out of
/// the blocks. A label glued to the first paragraph is split off so that the paragraph stays.
pub(crate) fn take_labelled_dates(blocks: &mut Vec<Block>, candidates: &mut Vec<DateCandidate>) {
    let mut i = 0;
    while i < blocks.len() {
        if blocks[i].verdict.is_some() {
            i += 1;
            continue;
        }
        let text = blocks[i].text.clone();
        let Some(label) = LABEL.captures(&text) else {
            i += 1;
            continue;
        };
        let (Some(whole), Some(name)) = (label.get(0), label.name("label")) else {
            i += 1;
            continue;
        };
        let rest = &text[whole.end()..];
        let Some(found) = dates::leading_date(rest) else {
            i += 1;
            continue;
        };
        let stamp_end = whole.end() + found.end;
        let stamp = text[..stamp_end].to_owned();
        let updated = matches!(
            name.as_str().to_ascii_lowercase().as_str(),
            "updated" | "updated on" | "last updated" | "modified"
        );
        let mut candidate = DateCandidate::found(&found, DateMethod::Labelled, &stamp);
        if updated {
            // The last update bounds the publication date from above; it is not the publication date.
            candidate.confidence = 0.6;
        }
        candidates.push(candidate);
        let remainder = text[stamp_end..]
            .trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '|' | '-' | '–' | '—' | '·' | ','));
        if remainder.split_whitespace().count() >= 8 {
            blocks[i].set_text(remainder.to_owned());
            let mut stamp_block = Block::new(stamp, BlockKind::Paragraph);
            stamp_block.verdict = Some(RemovalReason::Timestamp);
            blocks.insert(i, stamp_block);
            i += 2;
        } else {
            blocks[i].verdict = Some(RemovalReason::Timestamp);
            i += 1;
        }
    }
}

/// A dateline with a full date opening the first paragraph: "KYIV, Aug. 12, 2024 (Wire) —". The
/// place must be in capitals and the date before the first dash.
pub(crate) fn dateline_candidate(first_paragraph: &str) -> Option<DateCandidate> {
    let window: String = first_paragraph.chars().take(90).collect();
    let cut = window.find(['—', '–']).or_else(|| window.find(" - "))?;
    let prefix = &window[..cut];
    let place = prefix.split([',', ' ']).next()?;
    let is_place = place.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && place.chars().all(|c| !c.is_alphabetic() || c.is_uppercase());
    if !is_place {
        return None;
    }
    let found = dates::find_dates(prefix).into_iter().next()?;
    Some(DateCandidate::found(&found, DateMethod::Dateline, prefix))
}

static URL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"/(?P<y>(?:19|20)\d{2})[/-](?P<m>\d{1,2})[/-](?P<d>\d{1,2})(?:/|-|$)").expect("valid URL date pattern")
});

/// A date in a URL path: `/2024/06/19/…`.
pub(crate) fn url_candidate(url: &str) -> Option<DateCandidate> {
    let caps = URL_DATE.captures(url)?;
    let date = NaiveDate::from_ymd_opt(caps["y"].parse().ok()?, caps["m"].parse().ok()?, caps["d"].parse().ok()?)?;
    Some(DateCandidate::new(date, None, DateMethod::Url, url))
}

/// The best-supported candidate; ties go to the one seen first.
pub(crate) fn choose(candidates: &[DateCandidate]) -> Published {
    // Placeholders some sites leave in their metadata ("0001-01-01", the Unix epoch) are no date.
    let plausible = |c: &&DateCandidate| {
        (1800..=2200).contains(&c.date.year()) && c.date != NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()
    };
    let best = candidates.iter().filter(plausible).fold(None::<&DateCandidate>, |best, c| match best {
        Some(b) if b.confidence >= c.confidence => Some(b),
        _ => Some(c),
    });
    match best {
        Some(c) => Published {
            date: Some(c.date),
            // A less trusted source may still give the time of day for the same date.
            datetime: c.datetime.or_else(|| candidates.iter().filter(|o| o.date == c.date).find_map(|o| o.datetime)),
            confidence: c.confidence,
            evidence: Some(c.evidence.clone()),
            method: Some(c.method),
        },
        None => Published::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::block::text_blocks;

    #[test]
    fn glued_label_is_split_from_the_paragraph() {
        let mut blocks = text_blocks(
            " date 2024-10-29 During a telephone conversation, the two presidents agreed to share more intelligence.",
        );
        let mut candidates = Vec::new();
        take_labelled_dates(&mut blocks, &mut candidates);
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].text, "date 2024-10-29");
        assert!(blocks[1].text.starts_with("During a telephone"));
        let published = choose(&candidates);
        assert_eq!(published.date.map(|d| d.to_string()).as_deref(), Some("2024-10-29"));
        assert_eq!(published.method, Some(DateMethod::Labelled));
    }

    #[test]
    fn other_sources() {
        let c =
            dateline_candidate("KYIV, Aug. 12, 2024 (Meridian Wire) — Ukrainian forces pressed on.").expect("dateline");
        assert_eq!(c.date.to_string(), "2024-08-12");
        assert!(dateline_candidate("SEOUL, South Korea — Russian President Vladimir Putin").is_none());
        assert_eq!(
            url_candidate("https://news.example/world/2024/06/19/putin-kim").map(|c| c.date.to_string()),
            Some("2024-06-19".into())
        );
        assert_eq!(choose(&[]), Published::default());
    }

    #[test]
    fn placeholder_dates_are_no_dates() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("valid day");
        let candidates = [
            DateCandidate::new(
                day(1, 1, 1),
                None,
                DateMethod::JsonLd,
                "JSON-LD datePublished \"0001-01-01T00:00:00Z\"",
            ),
            DateCandidate::new(day(1970, 1, 1), None, DateMethod::MetaTag, "<meta date=\"1970-01-01\">"),
            DateCandidate::new(day(2019, 11, 19), None, DateMethod::Url, "https://news.example/2019/11/19/story"),
        ];
        assert_eq!(choose(&candidates).date, Some(day(2019, 11, 19)));
    }
}
