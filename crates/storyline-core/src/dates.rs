//! Absolute calendar dates and timestamps written in text ("June 19, 2024", "19 June 2024",
//! "2024-06-19 03:14:00+00:00", "Wednesday, Feb 05, 2025"). Finds and parses; never resolves relative
//! expressions ("last Tuesday") — that needs an anchor and belongs to the annotation stage.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone};
use regex::{Captures, Regex};
use std::sync::LazyLock;

/// A date (and, where the text gives a time and a zone, an exact instant) found in text.
#[derive(Clone, Debug, PartialEq)]
pub struct DateMatch {
    pub start: usize,
    pub end: usize,
    pub date: NaiveDate,
    pub datetime: Option<DateTime<FixedOffset>>,
    /// The text gives a time of day with the date (with or without a zone).
    pub timed: bool,
}

const MONTH: &str = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?";
const WEEKDAY: &str = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?";
const TIME: &str = r"(?:(?:\s*(?:at|,|-|–|—|\|)?\s*)(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?\s*(?P<zone>(?:utc|gmt|z|[+-]\d{2}:?\d{2}|kst|jst|msk|cet|cest|bst|eet|eest|edt|est|cdt|cst|pdt|pst)(?-u:\b))?)?";

static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?\s*(?P<zone>z|utc|gmt|[+-]\d{2}:?\d{2})?)?(?-u:\b)")
        .expect("valid ISO date pattern")
});
static MONTH_DAY_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?-u:\b){WEEKDAY}{MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})(?-u:\b){TIME}"
    ))
    .expect("valid month-day-year pattern")
});
static DAY_MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?-u:\b){WEEKDAY}(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH},?\s+(?P<year>\d{{4}})(?-u:\b){TIME}"
    ))
    .expect("valid day-month-year pattern")
});
static RUSSIAN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)(?-u:\b)(?P<day>\d{{1,2}})\s+(?P<month>января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)\s+(?P<year>\d{{4}})(?:\s*(?:г\.|года))?{TIME}"))
        .expect("valid Russian date pattern")
});
static DOTTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)(?-u:\b)(?P<day>\d{{1,2}})\.(?P<month>\d{{1,2}})\.(?P<year>\d{{4}})(?-u:\b){TIME}"))
        .expect("valid dotted date pattern")
});

/// Every absolute date in `text`, in order, without overlaps.
pub fn find_dates(text: &str) -> Vec<DateMatch> {
    let mut found: Vec<DateMatch> = Vec::new();
    for re in [&*ISO, &*MONTH_DAY_YEAR, &*DAY_MONTH_YEAR, &*RUSSIAN, &*DOTTED] {
        for caps in re.captures_iter(text) {
            let Some(whole) = caps.get(0) else { continue };
            if found.iter().any(|m| m.start < whole.end() && whole.start() < m.end) {
                continue;
            }
            if let Some((date, datetime)) = from_captures(&caps) {
                let end = trim_trailing_space(text, whole.start(), whole.end());
                let timed = caps.name("hour").is_some();
                found.push(DateMatch { start: whole.start(), end, date, datetime, timed });
            }
        }
    }
    found.sort_by_key(|m| m.start);
    found
}

/// The date when the whole of `text` (ignoring surrounding space and punctuation) is one date.
pub fn whole_date(text: &str) -> Option<DateMatch> {
    let trimmed = text.trim_matches(|c: char| c.is_whitespace() || matches!(c, '|' | '-' | '–' | '—' | '·' | ':'));
    let offset = text.find(trimmed).unwrap_or(0);
    let found = find_dates(trimmed);
    match found.as_slice() {
        [only] if only.start == 0 && only.end == trimmed.len() => {
            Some(DateMatch { start: only.start + offset, end: only.end + offset, ..only.clone() })
        }
        _ => None,
    }
}

/// The date that opens `text`, if one does ("2024-06-19 03:14 - Scroll down…").
pub fn leading_date(text: &str) -> Option<DateMatch> {
    find_dates(text).into_iter().next().filter(|m| m.start == 0)
}

/// Parses a machine timestamp as containers give it: RFC 3339, ISO 8601 with or without zone,
/// a plain date, or a written date.
pub fn parse_timestamp(text: &str) -> Option<(NaiveDate, Option<DateTime<FixedOffset>>)> {
    let text = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Some((dt.date_naive(), Some(dt)));
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(text) {
        return Some((dt.date_naive(), Some(dt)));
    }
    find_dates(text).into_iter().next().map(|m| (m.date, m.datetime))
}

fn trim_trailing_space(text: &str, start: usize, end: usize) -> usize {
    start + text[start..end].trim_end().len()
}

fn from_captures(caps: &Captures<'_>) -> Option<(NaiveDate, Option<DateTime<FixedOffset>>)> {
    let year: i32 = caps.name("year")?.as_str().parse().ok()?;
    if !(1900..=2100).contains(&year) {
        return None;
    }
    let month_text = caps.name("month")?.as_str();
    let month = month_text.parse::<u32>().ok().or_else(|| month_number(month_text))?;
    let day: u32 = caps.name("day")?.as_str().parse().ok()?;
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    Some((date, instant(date, caps)))
}

/// The exact instant, only when the text gives both a time of day and a zone.
fn instant(date: NaiveDate, caps: &Captures<'_>) -> Option<DateTime<FixedOffset>> {
    let mut hour: u32 = caps.name("hour")?.as_str().parse().ok()?;
    let minute: u32 = caps.name("minute")?.as_str().parse().ok()?;
    let second: u32 = caps.name("second").and_then(|s| s.as_str().parse().ok()).unwrap_or(0);
    if let Some(ampm) = caps.name("ampm") {
        let pm = ampm.as_str().to_ascii_lowercase().starts_with('p');
        if hour == 12 {
            hour = 0;
        }
        if pm {
            hour += 12;
        }
    }
    let offset = zone_offset(caps.name("zone")?.as_str())?;
    let time = NaiveTime::from_hms_opt(hour, minute, second)?;
    offset.from_local_datetime(&date.and_time(time)).single()
}

fn zone_offset(zone: &str) -> Option<FixedOffset> {
    let zone = zone.to_ascii_lowercase();
    let hours = match zone.as_str() {
        "z" | "utc" | "gmt" => 0,
        "cet" | "bst" => 1,
        "cest" | "eet" => 2,
        "eest" | "msk" => 3,
        "kst" | "jst" => 9,
        "edt" => -4,
        "est" | "cdt" => -5,
        "cst" => -6,
        "pdt" => -7,
        "pst" => -8,
        _ => {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let digits: String = zone.chars().filter(|c| c.is_ascii_digit()).collect();
            let h: i32 = digits.get(..2)?.parse().ok()?;
            let m: i32 = digits.get(2..4)?.parse().ok()?;
            return FixedOffset::east_opt(sign * (h * 3600 + m * 60));
        }
    };
    FixedOffset::east_opt(hours * 3600)
}

/// January = 1, from an English month name or its abbreviation.
pub fn month_number(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    const RUSSIAN_MONTHS: [&str; 12] =
        ["январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр", "октябр", "ноябр", "декабр"];
    let lower = name.trim_end_matches('.').to_lowercase();
    if let Some(index) = RUSSIAN_MONTHS
        .iter()
        .position(|stem| lower.starts_with(stem) && lower.chars().count() <= stem.chars().count() + 1)
    {
        return u32::try_from(index + 1).ok();
    }
    if lower.len() < 3 {
        return None;
    }
    let index = MONTHS.iter().position(|full| full.starts_with(&lower))?;
    u32::try_from(index + 1).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: &[&str]) {
        let got: Vec<String> = find_dates(text)
            .iter()
            .map(|m| match m.datetime {
                Some(dt) => format!("{} = {}", &text[m.start..m.end], dt.to_rfc3339()),
                None => format!("{} = {}", &text[m.start..m.end], m.date),
            })
            .collect();
        assert_eq!(got, expected, "in {text:?}");
    }

    #[test]
    fn written_dates() {
        check("Written by D. Michael DeRidder on June 19, 2024", &["June 19, 2024 = 2024-06-19"]);
        check("Wednesday, Feb 05, 2025", &["Wednesday, Feb 05, 2025 = 2025-02-05"]);
        check("Updated 27 March 2024, 14:05 GMT", &["27 March 2024, 14:05 GMT = 2024-03-27T14:05:00+00:00"]);
        check(
            "on the 6th of August 2024 and Sept. 3, 2024",
            &["6th of August 2024 = 2024-08-06", "Sept. 3, 2024 = 2024-09-03"],
        );
        check("Published 07.08.2024", &["07.08.2024 = 2024-08-07"]);
        check("24 октября 2024, 15:40", &["24 октября 2024, 15:40 = 2024-10-24"]);
        check("Published June 10, 2024, 6:30 p.m. EDT", &["June 10, 2024, 6:30 p.m. EDT = 2024-06-10T18:30:00-04:00"]);
        check("nothing on June 31, 2024 or in 2024", &[]);
    }

    #[test]
    fn timestamps() {
        check("2024-06-19 03:14:00+00:00 - Scroll down", &["2024-06-19 03:14:00+00:00 = 2024-06-19T03:14:00+00:00"]);
        check("date 2024-10-29 During a call", &["2024-10-29 = 2024-10-29"]);
        check("Published: 2024-08-07 14:20 UTC", &["2024-08-07 14:20 UTC = 2024-08-07T14:20:00+00:00"]);
        assert_eq!(
            parse_timestamp("2024-11-09T18:30:00+03:00").map(|(d, t)| (d.to_string(), t.map(|t| t.to_rfc3339()))),
            Some(("2024-11-09".into(), Some("2024-11-09T18:30:00+03:00".into())))
        );
        check("03.05.2023 | 07:45", &["03.05.2023 | 07:45 = 2023-05-03"]);
        check("03.05.2023 07:45 CEST", &["03.05.2023 07:45 CEST = 2023-05-03T07:45:00+02:00"]);
        check("Filed 9 March 2023, 6:10 p.m. JST", &["9 March 2023, 6:10 p.m. JST = 2023-03-09T18:10:00+09:00"]);
        assert!(whole_date("03.05.2023 | 07:45").is_some_and(|d| d.timed));
        assert!(whole_date("Wed 3 May 2023").is_some_and(|d| !d.timed));
        assert!(whole_date("  Wednesday, Feb 05, 2025 ").is_some());
        assert!(whole_date("Published Wednesday, Feb 05, 2025").is_none());
    }
}
