//! Claims: the figures about the same thing gathered across the story's independent articles —
//! same measure (what is counted, with synonyms folded: troops, soldiers and infantrymen are
//! troops) and same subject (the entity the figure belongs to) — each value with its qualifier,
//! modality and sources. Values are compared as intervals (a hedged "about 11,000" spans ±10%,
//! "over 3,000" is open above). The consensus is the point most reported values cover; each value
//! is then in it, lower, higher, or a projection ("expected to rise to 12,000", "plans to send"),
//! which is never counted against the others. A claim agrees when every reported value is in the
//! consensus; is a projection when only projections differ; an update when the values grow with the
//! dates of their reports; and a conflict otherwise.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Source;
use crate::Article;
use crate::annotate::{Modality, Quantity};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClaimStatus {
    Agree,
    Conflict,
    Update,
    Projection,
}

/// One value of a claim and the sources that give it.
/// How a value stands to the claim's consensus.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    Consensus,
    Lower,
    Higher,
    Projection,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClaimValue {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high: Option<f64>,
    /// The hedge as written ("around", "more than"), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<String>,
    pub modality: Modality,
    /// The figure as written in the first source.
    pub text: String,
    pub relation: Relation,
    pub sources: Vec<Source>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    /// The entity the figures belong to (`place/north-korea`), when the sentences say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// What is counted.
    pub measure: String,
    pub values: Vec<ClaimValue>,
    pub status: ClaimStatus,
}

/// Words for the same measure.
const MEASURES: &[(&str, &[&str])] = &[
    (
        "troops",
        &["troops", "troop", "soldiers", "soldier", "servicemen", "infantrymen", "personnel", "fighters", "forces"],
    ),
    ("people killed", &["killed", "dead", "deaths", "fatalities", "victims"]),
    ("people injured", &["injured", "wounded", "hurt"]),
    ("people", &["people", "persons", "residents", "civilians"]),
];

/// Spans of time ("a 10-year agreement"), generic counts ("two countries"), dimensions and money
/// (widths, depths and costs of different things share a unit but are not one claim).
const NOT_CLAIMS: &[&str] = &[
    "year",
    "years",
    "month",
    "months",
    "week",
    "weeks",
    "day",
    "days",
    "hours",
    "minutes",
    "times",
    "countries",
    "states",
    "sides",
    "parties",
    "leaders",
    "percent",
    "feet",
    "foot",
    "metres",
    "meters",
    "kilometres",
    "kilometers",
    "km",
    "miles",
    "mph",
    "knots",
    "square kilometres",
    "square miles",
];

/// What happened to the counted people or things, when the words after the figure say ("six
/// workers were killed", "troops wounded"): it splits one unit into different claims.
static OUTCOME: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)^[^.;:]{0,40}?\b(killed|dead|died|injured|wounded|missing|rescued|evacuated|arrested|captured|freed|released|displaced)\b",
    )
    .expect("valid outcome pattern")
});

fn measure_of(quantity: &Quantity, body: &str) -> Option<String> {
    let unit = quantity.unit.as_deref()?.to_lowercase();
    let is_money =
        unit.len() == 3 && quantity.unit.as_deref().is_some_and(|u| u.chars().all(|c| c.is_ascii_uppercase()));
    if NOT_CLAIMS.contains(&unit.as_str())
        || is_money
        || !(unit.len() > 2 && unit.chars().all(|c| c.is_alphabetic() || c == ' '))
    {
        return None;
    }
    let measure = MEASURES
        .iter()
        .find(|(_, words)| words.contains(&unit.as_str()))
        .map_or(unit.clone(), |(measure, _)| (*measure).to_owned());
    if measure.starts_with("people ") {
        return Some(measure);
    }
    let after = body.get(quantity.end..).unwrap_or("");
    match OUTCOME.captures(after).and_then(|c| c.get(1)) {
        Some(outcome) => {
            let outcome = match outcome.as_str().to_lowercase().as_str() {
                "dead" | "died" => "killed".to_owned(),
                "wounded" => "injured".to_owned(),
                other => other.to_owned(),
            };
            Some(format!("{measure} {outcome}"))
        }
        None => Some(measure),
    }
}

/// The interval a value stands for.
fn interval(v: &ClaimValue) -> (f64, f64) {
    let hedge = v.qualifier.as_deref().unwrap_or("").to_lowercase();
    match (v.value, v.low, v.high) {
        (Some(x), _, _) => match hedge.as_str() {
            "more than" | "over" | "at least" => (x, f64::INFINITY),
            "up to" | "fewer than" | "less than" | "under" | "as many as" => (0.0, x),
            "" => (x, x),
            _ => (x * 0.9, x * 1.1),
        },
        (None, low, high) => (low.unwrap_or(0.0), high.unwrap_or(f64::INFINITY)),
    }
}

fn looks_ahead(modality: Modality) -> bool {
    matches!(modality, Modality::Expected | Modality::Planned)
}

/// The point covered by the most sources (each interval weighing its number of sources; the
/// highest such point, as counts that differ are more often partial or early ones), and its weight.
fn consensus(intervals: &[((f64, f64), usize)]) -> Option<(f64, usize)> {
    intervals
        .iter()
        .map(|((low, _), _)| *low)
        .map(|point| {
            let weight: usize = intervals.iter().filter(|((l, h), _)| *l <= point && point <= *h).map(|(_, n)| n).sum();
            (point, weight)
        })
        .max_by(|a, b| a.1.cmp(&b.1).then(a.0.total_cmp(&b.0)))
}

/// Sets each value's relation and returns the claim's status.
fn classify(values: &mut [ClaimValue], dates: &[Option<chrono::NaiveDate>]) -> ClaimStatus {
    let reported: Vec<((f64, f64), usize)> =
        values.iter().filter(|v| !looks_ahead(v.modality)).map(|v| (interval(v), v.sources.len().max(1))).collect();
    let Some((point, _)) = consensus(&reported) else {
        for v in values.iter_mut() {
            v.relation = Relation::Projection;
        }
        return ClaimStatus::Projection;
    };
    for v in values.iter_mut() {
        let (low, high) = interval(v);
        v.relation = if looks_ahead(v.modality) {
            Relation::Projection
        } else if low <= point && point <= high {
            Relation::Consensus
        } else if high < point {
            Relation::Lower
        } else {
            Relation::Higher
        };
    }
    let reported_agree = values.iter().all(|v| matches!(v.relation, Relation::Consensus | Relation::Projection));
    if reported_agree {
        let projections_differ = values.iter().any(|v| {
            v.relation == Relation::Projection && {
                let (low, high) = interval(v);
                !(low <= point && point <= high)
            }
        });
        return if projections_differ { ClaimStatus::Projection } else { ClaimStatus::Agree };
    }
    // An update: the reported values, in the order of their reports' dates, never fall.
    let mut dated: Vec<(chrono::NaiveDate, f64)> = values
        .iter()
        .zip(dates)
        .filter(|(v, _)| v.relation != Relation::Projection)
        .filter_map(|(v, d)| d.map(|d| (d, interval(v).0)))
        .collect();
    let reported_count = values.iter().filter(|v| v.relation != Relation::Projection).count();
    dated.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let distinct_days = dated.windows(2).any(|w| w[0].0 != w[1].0);
    if distinct_days && dated.len() == reported_count && dated.windows(2).all(|w| w[0].1 <= w[1].1) {
        return ClaimStatus::Update;
    }
    ClaimStatus::Conflict
}

type Key = (Option<String>, String);

/// One figure of an article that can take part in a claim: its subject and measure, its value.
#[derive(Clone, Debug)]
pub(super) struct Figure {
    key: Key,
    value: ClaimValue,
    date: Option<chrono::NaiveDate>,
}

impl Figure {
    /// Where the figure's sentence starts in its article's body.
    pub(super) fn at(&self) -> usize {
        self.value.sources.first().map_or(0, |s| s.start)
    }
}

/// The figures of an article that can take part in claims.
pub(super) fn figures(article: &Article) -> Vec<Figure> {
    let mut out = Vec::new();
    for q in &article.quantities {
        let Some(measure) = measure_of(q, &article.body) else { continue };
        if q.value.is_none() && q.low.is_none() && q.high.is_none() {
            continue;
        }
        let value = ClaimValue {
            value: q.value,
            low: q.low,
            high: q.high,
            qualifier: q.hedge.clone(),
            modality: q.modality,
            text: q.text.clone(),
            relation: Relation::Consensus,
            sources: vec![Source::of(article, q.start, q.end)],
        };
        out.push(Figure { key: (q.entity.clone(), measure), value, date: article.published.date });
    }
    out
}

/// Adds a figure to a claim's values: to the same value (same figure, the same qualifier in any
/// case, the same modality) with its sources and the earliest date of its reports, else as a new one.
fn add_value(
    group: &mut Vec<(ClaimValue, Option<chrono::NaiveDate>)>,
    value: ClaimValue,
    date: Option<chrono::NaiveDate>,
) {
    let same = group.iter_mut().find(|(v, _)| {
        (v.value, v.low, v.high) == (value.value, value.low, value.high)
            && v.qualifier.as_deref().map(str::to_lowercase) == value.qualifier.as_deref().map(str::to_lowercase)
            && v.modality == value.modality
    });
    match same {
        Some((v, earliest)) => {
            v.sources.extend(value.sources);
            *earliest = match (*earliest, date) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        None => group.push((value, date)),
    }
}

/// The claims of a story's independent articles' figures: measures reported at least twice.
pub(super) fn claims<'a>(figures: impl Iterator<Item = &'a Figure>) -> Vec<Claim> {
    let mut groups: BTreeMap<Key, Vec<(ClaimValue, Option<chrono::NaiveDate>)>> = BTreeMap::new();
    for figure in figures {
        add_value(groups.entry(figure.key.clone()).or_default(), figure.value.clone(), figure.date);
    }
    // Figures whose sentence names no subject join the claim about the same measure that has one,
    // when exactly one does.
    let unowned: Vec<Key> = groups.keys().filter(|(subject, _)| subject.is_none()).cloned().collect();
    for key in unowned {
        let owners: Vec<Key> =
            groups.keys().filter(|(subject, measure)| subject.is_some() && *measure == key.1).cloned().collect();
        if let [owner] = owners.as_slice()
            && let Some(values) = groups.remove(&key)
        {
            let group = groups.entry(owner.clone()).or_default();
            for (value, date) in values {
                add_value(group, value, date);
            }
        }
    }
    let mut out: Vec<Claim> = groups
        .into_iter()
        .filter(|(_, values)| values.iter().map(|(v, _)| v.sources.len()).sum::<usize>() >= 2)
        .map(|((subject, measure), values)| {
            let dates: Vec<Option<chrono::NaiveDate>> = values.iter().map(|(_, d)| *d).collect();
            let mut values: Vec<ClaimValue> = values.into_iter().map(|(v, _)| v).collect();
            let status = classify(&mut values, &dates);
            Claim { subject, measure, values, status }
        })
        .collect();
    // Claims about a named subject and with more sources first.
    out.sort_by(|a, b| {
        let weight = |c: &Claim| c.values.iter().map(|v| v.sources.len()).sum::<usize>();
        b.subject.is_some().cmp(&a.subject.is_some()).then(weight(b).cmp(&weight(a))).then(a.measure.cmp(&b.measure))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(v: f64, hedge: Option<&str>, modality: Modality) -> ClaimValue {
        ClaimValue {
            value: Some(v),
            low: None,
            high: None,
            qualifier: hedge.map(str::to_owned),
            modality,
            text: String::new(),
            relation: Relation::Consensus,
            sources: Vec::new(),
        }
    }

    #[test]
    fn hedged_figures_agree_and_projections_are_not_conflicts() {
        let day = chrono::NaiveDate::from_ymd_opt(2024, 10, 29);
        let mut values =
            [value(11000.0, Some("around"), Modality::Reported), value(3000.0, Some("over"), Modality::Reported)];
        assert_eq!(classify(&mut values, &[day, day]), ClaimStatus::Agree);
        let mut values = [
            value(11000.0, Some("around"), Modality::Reported),
            value(12000.0, Some("around"), Modality::Expected),
            value(3000.0, Some("more than"), Modality::Reported),
            value(20000.0, None, Modality::Planned),
        ];
        assert_eq!(classify(&mut values, &[day, day, day, day]), ClaimStatus::Projection);
        assert_eq!(values[1].relation, Relation::Projection);
        assert_eq!(values[0].relation, Relation::Consensus);
    }

    #[test]
    fn growing_counts_are_updates_and_disagreeing_ones_conflict() {
        let d = |day| chrono::NaiveDate::from_ymd_opt(2024, 1, day);
        let mut values = [value(48.0, None, Modality::Reported), value(202.0, None, Modality::Reported)];
        assert_eq!(classify(&mut values, &[d(2), d(9)]), ClaimStatus::Update);
        let mut values = [value(48.0, None, Modality::Reported), value(30.0, None, Modality::Reported)];
        assert_eq!(classify(&mut values, &[d(2), d(9)]), ClaimStatus::Conflict);
    }
}
