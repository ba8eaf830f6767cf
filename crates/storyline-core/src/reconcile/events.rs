//! Events: dated happenings read from the sentences that report them. A sentence reports an event
//! when it holds a time expression resolved to a calendar day or month and an event word ("signed",
//! "ratified", "sent", "struck"…); the event word nearest the date gives the event's kind. Reports of
//! the same kind on the same date, across articles, are one event with every report as a source; a
//! month-level report joins the one day-level event of its kind in that month, and events of one
//! day that share a report are one event. An event word must stand near its date, and an event
//! known only to the month needs two articles: background asides ("in January she was received")
//! stay out of the timeline. Sentences that look ahead ("will take effect") date nothing that has
//! happened and are left out.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::Source;
use crate::Article;
use crate::annotate::{EntityKind, Granularity};

/// A dated happening of the story.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// TimeML value: `2024-06-19` or `2024-06`.
    pub date: String,
    pub granularity: Granularity,
    /// What happened, as a word: signing, ratification, deployment, strike…
    pub kind: String,
    /// The report that says it best (the shortest full sentence among them).
    pub summary: String,
    /// Entity ids of the people, organisations and governments in the reports.
    pub participants: Vec<String>,
    /// The place it happened, when a report says ("in Pyongyang").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    pub sources: Vec<Source>,
}

/// Event words by kind. Reporting verbs ("said") are not events.
const TRIGGERS: &[(&str, &str)] = &[
    ("signing", r"sign(?:s|ed|ing)?|inked"),
    ("ratification", r"ratif(?:y|ies|ied|ying|ication)|approv(?:e|es|ed|al)|endors(?:ed|ement)|enact(?:s|ed)?"),
    ("entry into force", r"(?:took|takes|came|comes|entered|enters) (?:into )?(?:effect|force)"),
    ("deployment", r"deploy(?:s|ed|ing|ment)?|sen[dt]|sending|dispatch(?:es|ed)?|arriv(?:e|es|ed|al)|transferred"),
    (
        "fighting",
        r"fight(?:s|ing)?|fought|clash(?:es|ed)?|engag(?:ed|ement)|combat|offensive|incursion|advance[ds]?|captur(?:e|ed)|took control|crossed",
    ),
    ("strike", r"strik(?:e|es|ing)|struck|attack(?:s|ed)?|shell(?:ed|ing)|bomb(?:ed|ing)|missile|drone"),
    ("casualties", r"killed|died|dead|death toll|wounded|injured"),
    ("meeting", r"met|meets|meeting|talks|summit|visit(?:s|ed)?|hosted"),
    ("vote", r"vot(?:e|es|ed|ing)|elected|won"),
    ("announcement", r"announc(?:e|es|ed|ement)|unveil(?:s|ed)?|pledg(?:e|es|ed)|declar(?:e|es|ed)|confirm(?:s|ed)"),
    ("collapse", r"collaps(?:e|es|ed)|crash(?:ed|es)?|collid(?:e|ed)|collision|earthquake|quake|fire"),
    ("reopening", r"reopen(?:s|ed|ing)?|restored|resum(?:e|ed|es)"),
    ("resignation", r"resign(?:s|ed|ation)?|step(?:s|ped) down|withdr(?:ew|aw|awal)|dropp(?:ed|ing) out"),
    ("release", r"releas(?:e|ed)|freed|exchange[ds]?|swap"),
];

static TRIGGER: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    TRIGGERS
        .iter()
        .map(|(kind, pattern)| (*kind, Regex::new(&format!(r"(?i)\b(?:{pattern})\b")).expect("valid trigger pattern")))
        .collect()
});

static LOOKS_AHEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:will|would|is to|are to|plans? to|expected to|scheduled to|due to)\b").expect("valid pattern")
});

/// Bytes between an event word and its date, at most.
const TRIGGER_REACH: usize = 90;

/// Text before a date that makes it a dateline: a place in capitals and a comma.
static DATELINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\p{Lu}][\p{Lu} .'-]*(?:,\s*[\p{Lu}][\p{L} .'-]*)?,\s*$").expect("valid pattern"));

/// A time of day with no day of its own ("1:29 a.m.", "19:40 GMT"): the day it resolved to is the
/// article's, a guess for an event.
fn clock_only(text: &str) -> bool {
    const NOT_A_DAY: &[&str] = &[
        "a.m.",
        "a.m",
        "p.m",
        "p.m.",
        "am",
        "pm",
        "gmt",
        "utc",
        "edt",
        "est",
        "bst",
        "cet",
        "cest",
        "jst",
        "kst",
        "et",
        "about",
        "around",
        "at",
        "approximately",
        "shortly",
        "just",
        "before",
        "after",
        "by",
    ];
    let lower = text.to_lowercase();
    let rest: Vec<&str> = lower
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| c == ',' || c == '(' || c == ')'))
        .filter(|w| !NOT_A_DAY.contains(w))
        .collect();
    text.contains(':')
        && rest.len() <= 1
        && rest.iter().all(|w| !w.chars().any(char::is_alphabetic) && !w.contains('/'))
}

/// One sentence's report of a dated happening: an article's contribution to the timeline.
#[derive(Clone, Debug)]
pub(super) struct Report {
    date: String,
    kind: &'static str,
    sentence: String,
    participants: Vec<String>,
    place: Option<String>,
    source: Source,
}

impl Report {
    /// Where the report's sentence starts in its article's body.
    pub(super) fn at(&self) -> usize {
        self.source.start
    }
}

pub(super) fn reports(article: &Article) -> Vec<Report> {
    let mut out: Vec<Report> = Vec::new();
    for time in &article.times {
        let Some(value) = time.value.as_deref() else { continue };
        let date = match time.granularity {
            Granularity::Day | Granularity::Time | Granularity::PartOfDay if value.len() >= 10 => {
                value[..10].to_owned()
            }
            Granularity::Month if value.len() == 7 => value.to_owned(),
            _ => continue,
        };
        if !date.as_bytes()[..4].iter().all(u8::is_ascii_digit) || clock_only(&time.text) {
            continue;
        }
        let source = Source::of(article, time.start, time.end);
        let sentence = source.text(article);
        // The part of the sentence before the date is where "will" would look ahead from.
        let lead = &article.body[source.start..time.start.max(source.start)];
        // A dateline ("BALTIMORE, June 10 (Meridian Wire) -") dates the report, not an event.
        if LOOKS_AHEAD.is_match(lead) || DATELINE.is_match(lead) {
            continue;
        }
        let offset = time.start - source.start;
        let nearest = TRIGGER
            .iter()
            .flat_map(|(kind, re)| re.find_iter(sentence).map(move |m| (*kind, m.start())))
            // The verb usually comes before its date ("ratified the treaty on Thursday"): a word after
            // the date counts as twice as far.
            .min_by_key(|(_, at)| if *at <= offset { offset - at } else { 2 * (at - offset) });
        let Some((kind, at)) = nearest else { continue };
        if at.abs_diff(offset) > TRIGGER_REACH {
            continue;
        }
        if out.iter().any(|r| r.source == source && r.kind == kind && r.date == date) {
            continue;
        }
        let mut participants = Vec::new();
        let mut place = None;
        for entity in &article.entities {
            for mention in &entity.mentions {
                if mention.start < source.start || mention.end > source.end {
                    continue;
                }
                let before = article.body[source.start..mention.start].trim_end().to_lowercase();
                let located = before.ends_with(" in") || before.ends_with(" at") || before.ends_with(" near");
                match entity.kind {
                    EntityKind::Place if mention.sense.is_none() && located && place.is_none() => {
                        place = Some(entity.id.clone());
                    }
                    EntityKind::Nationality => {}
                    _ if !participants.contains(&entity.id) => participants.push(entity.id.clone()),
                    _ => {}
                }
            }
        }
        if let Some(p) = &place {
            participants.retain(|id| id != p);
        }
        out.push(Report { date, kind, sentence: sentence.to_owned(), participants, place, source });
    }
    out
}

/// The story's timeline from its independent articles' reports, in date order.
pub(super) fn timeline<'a>(reports: impl Iterator<Item = &'a Report>) -> Vec<Event> {
    let mut groups: BTreeMap<(String, &'static str), Vec<Report>> = BTreeMap::new();
    for report in reports {
        groups.entry((report.date.clone(), report.kind)).or_default().push(report.clone());
    }
    // A month-level report joins the only day-level event of its kind in that month.
    let months: Vec<(String, &'static str)> = groups.keys().filter(|(date, _)| date.len() == 7).cloned().collect();
    for (month, kind) in months {
        let days: Vec<(String, &'static str)> =
            groups.keys().filter(|(d, k)| *k == kind && d.len() == 10 && d.starts_with(&month)).cloned().collect();
        if let [day] = days.as_slice()
            && let Some(reports) = groups.remove(&(month.clone(), kind))
        {
            groups.entry(day.clone()).or_default().extend(reports);
        }
    }
    // Reports of one day from the same sentence are one event, of the kind most reports give.
    let keys: Vec<(String, &'static str)> = groups.keys().cloned().collect();
    for (i, a) in keys.iter().enumerate() {
        for b in &keys[i + 1..] {
            if a.0 != b.0 || !groups.contains_key(a) || !groups.contains_key(b) {
                continue;
            }
            let shared = groups[a].iter().any(|r| groups[b].iter().any(|o| o.source == r.source));
            if shared {
                let (keep, fold) = if groups[a].len() >= groups[b].len() { (a, b) } else { (b, a) };
                let folded = groups.remove(fold).unwrap_or_default();
                let target = groups.entry(keep.clone()).or_default();
                for report in folded {
                    if !target.iter().any(|r| r.source == report.source) {
                        target.push(report);
                    }
                }
            }
        }
    }
    groups.retain(|(date, _), reports| {
        let mut articles: Vec<&crate::DocumentId> = reports.iter().map(|r| &r.source.article).collect();
        articles.dedup();
        date.len() == 10 || articles.len() >= 2
    });
    let mut events: Vec<Event> = groups
        .into_iter()
        .map(|((date, kind), reports)| {
            let granularity = if date.len() == 10 { Granularity::Day } else { Granularity::Month };
            let summary = reports
                .iter()
                .map(|r| r.sentence.as_str())
                .filter(|s| s.split_whitespace().count() >= 6)
                .min_by_key(|s| s.len())
                .or_else(|| reports.first().map(|r| r.sentence.as_str()))
                .unwrap_or_default()
                .to_owned();
            let mut participants: Vec<String> = Vec::new();
            for id in reports.iter().flat_map(|r| r.participants.iter()) {
                if !participants.contains(id) {
                    participants.push(id.clone());
                }
            }
            let place = reports.iter().find_map(|r| r.place.clone());
            let mut sources: Vec<Source> = reports.into_iter().map(|r| r.source).collect();
            sources.dedup();
            Event { date, granularity, kind: kind.to_owned(), summary, participants, place, sources }
        })
        .collect();
    events.sort_by(|a, b| a.date.cmp(&b.date).then(b.sources.len().cmp(&a.sources.len())).then(a.kind.cmp(&b.kind)));
    events
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_of_day_alone_dates_no_event_but_a_day_does() {
        assert!(clock_only("1:29 a.m"));
        assert!(clock_only("about 1:29 a.m."));
        assert!(clock_only("19:40 GMT"));
        assert!(!clock_only("01:20 GMT, 31 Oct"));
        assert!(!clock_only("Monday at 17:55"));
        assert!(!clock_only("June 10"));
    }

    #[test]
    fn datelines_are_recognised() {
        assert!(DATELINE.is_match("BALTIMORE, "));
        assert!(DATELINE.is_match("KYIV, "));
        assert!(!DATELINE.is_match("The vote came on "));
    }
}
