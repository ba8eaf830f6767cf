//! Quantities: numbers with what they count ("11,000 troops", "around 3,000 North Korean soldiers",
//! "four killed", "14 civilians", "$212 million", "5 percent"), written in digits or words, as
//! single values or ranges, with their hedge ("about", "more than", "up to") and the modality the
//! sentence gives them (reported, estimated, expected, planned, confirmed). Numbers that are parts of
//! dates and times are left to the time reader.

use super::numbers::number_value;
use super::sentences::{Sentence, holding, sentences};
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// How the text holds a figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Modality {
    /// Stated as fact by the writer or a source.
    Stated,
    /// Attributed: "reportedly", "according to", "said".
    Reported,
    /// An estimate: "estimated", "estimates".
    Estimated,
    /// A projection: "expected to", "could", "to rise to".
    Expected,
    /// Intended: "plans to send", "will send".
    Planned,
    /// Confirmed by a source.
    Confirmed,
}

/// One quantity, as byte offsets into the text it was found in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    /// The value when it is one number; the midpoint is not invented for ranges.
    pub value: Option<f64>,
    /// Lower bound ("at least 3,000", "10,000 to 12,000").
    pub low: Option<f64>,
    /// Upper bound ("up to 12,000").
    pub high: Option<f64>,
    /// Hedged: "about", "around", "some", "nearly", "an estimated".
    pub approx: bool,
    /// The hedge as written, if any.
    pub hedge: Option<String>,
    /// What is counted: the head of the noun phrase after the number ("troops"), `percent`, or a
    /// currency code.
    pub unit: Option<String>,
    pub modality: Modality,
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// The entity the figure belongs to where its sentence says ("11,000 North Korean troops",
    /// "Pyongyang has sent 11,000 troops": `place/north-korea`), filled by the annotate stage.
    pub entity: Option<String>,
}

const WORD_NUMBERS: &str = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|a dozen|dozens of|tens of thousands of|hundreds of thousands of|hundreds of|thousands of|millions of";

static QUANTITY: LazyLock<Regex> = LazyLock::new(|| {
    let number = format!(
        r"(?:[$£€][ ]?|(?-u:\b))(?:[0-9]{{1,3}}(?:,[0-9]{{3}})+|[0-9]+(?:\.[0-9]+)?(?:[ ][0-9]/[0-9])?|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-(?:one|two|three|four|five|six|seven|eight|nine)|{WORD_NUMBERS})(?:[ ](?:million|billion|thousand|trillion))?"
    );
    regex::RegexBuilder::new(&format!(
        r"(?i)(?:(?-u:\b)(?P<hedge>about|around|approximately|roughly|some|nearly|almost|an estimated|more than|over|at least|up to|as many as|fewer than|less than|under|between|close to)[ ])?(?P<n1>{number})(?:(?:[ ]?(?:-|–|to|and)[ ]?)(?P<n2>{number}))?(?P<percent>[ ]?(?:%|percent|per cent))?"
    ))
    .dfa_size_limit(8 << 20)
    .build()
    .expect("valid quantity pattern")
});

/// Units of measure: the head of the phrase even when singular ("1,000 feet long").
const MEASURES: &[&str] = &[
    "feet",
    "foot",
    "ft",
    "km",
    "kilometre",
    "kilometer",
    "metre",
    "meter",
    "m",
    "mile",
    "miles",
    "tons",
    "tonnes",
    "kg",
    "lb",
    "mph",
    "hectare",
    "acre",
    "sq",
    "barrels",
    "gallons",
    "litres",
    "liters",
];

/// Words that end a counted phrase without being part of it.
const ADVERBS: &[&str] =
    &["also", "still", "now", "only", "just", "again", "apiece", "ago", "closer", "already", "too", "either", "each"];

/// Words after which "about" means "concerning".
const ABOUT_AS_PREPOSITION: &[&str] = &[
    "information",
    "news",
    "report",
    "reports",
    "reporting",
    "concern",
    "concerns",
    "data",
    "details",
    "talk",
    "talks",
    "questions",
    "warning",
    "warnings",
    "story",
    "stories",
    "worried",
    "asked",
    "spoke",
    "speak",
    "know",
    "knew",
    "learned",
    "heard",
    "nothing",
    "something",
    "anything",
];

static STOP: &[&str] = &[
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "from", "by", "with", "and", "or", "but", "as", "that",
    "which", "who", "were", "was", "is", "are", "be", "been", "being", "had", "have", "has", "will", "would", "could",
    "should", "may", "might", "than", "into", "per", "each", "after", "before", "since", "during", "this", "these",
    "those", "their", "its", "his", "her", "it", "they", "he", "she", "we", "said", "says", "more", "last",
];

static CUES: LazyLock<[(Modality, Regex); 5]> = LazyLock::new(|| {
    let re = |p: &str| Regex::new(&format!(r"(?i)(?-u:\b)(?:{p})")).expect("valid modality cue");
    [
        (
            Modality::Expected,
            re(
                r"expect\w*|could|may|might|likely|projected|forecast\w*|to rise|to grow|to increase|rise to|increase in their number",
            ),
        ),
        (Modality::Planned, re(r"plans?|planned|intends?|will send|to send|will deploy|to deploy|aims? to")),
        (Modality::Estimated, re(r"estimat\w*")),
        (Modality::Confirmed, re(r"confirm\w*")),
        (Modality::Reported, re(r"reportedly|reported|according to|said|says|claim\w*|told|cited|citing")),
    ]
});

/// Every quantity in `text`. `times` are the byte ranges of time expressions already found: numbers
/// inside them are dates, not counts.
pub fn find_quantities(text: &str, times: &[(usize, usize)]) -> Vec<Quantity> {
    quantities_in(text, &sentences(text), times)
}

/// `find_quantities` with the sentences already split.
pub(crate) fn quantities_in(text: &str, bounds: &[Sentence], times: &[(usize, usize)]) -> Vec<Quantity> {
    let mut found: Vec<Quantity> = Vec::new();
    // One scan of the whole text; each match is then read within its sentence.
    for caps in QUANTITY.captures_iter(text) {
        let (Some(matched), Some(n1)) = (caps.get(0), caps.name("n1")) else { continue };
        let Some(sentence) = holding(bounds, matched.start(), matched.end()) else { continue };
        let slice = &text[sentence.start..sentence.end];
        let whole = Span { start: matched.start() - sentence.start, end: matched.end() - sentence.start };
        let n1 = Span { start: n1.start() - sentence.start, end: n1.end() - sentence.start };
        let n1_text = &slice[n1.start..n1.end];
        let (start, end) = (matched.start(), matched.end());
        if times.iter().any(|&(s, e)| start < e && s < end) || !standalone(slice, whole.start, whole.end) {
            continue;
        }
        let first = parse_number(n1_text);
        let second = caps.name("n2").and_then(|n| parse_number(n.as_str()));
        let Some(first) = first else { continue };
        let mut hedge = caps.name("hedge").map(|h| h.as_str().to_lowercase());
        let mut start = start;
        // "information about 3,000 troops": "about" is a preposition there, not a hedge.
        let previous = slice[..whole.start].split_whitespace().next_back().unwrap_or("").to_lowercase();
        if hedge.as_deref() == Some("about") && ABOUT_AS_PREPOSITION.contains(&previous.as_str()) {
            hedge = None;
            start = sentence.start + n1.start;
        }
        let percent = caps.name("percent").is_some();
        let currency = currency_of(n1_text);
        let after = &slice[whole.end..];
        let (mut unit, unit_end) = if percent {
            (Some("percent".to_owned()), 0)
        } else if let Some(code) = currency {
            (Some(code.to_owned()), 0)
        } else {
            counted(after)
        };
        // "…3,000 troops…, rising to around 12,000": a bare figure counts what the one before it
        // in the sentence counted.
        if unit.is_none() {
            unit = found
                .iter()
                .rev()
                .take_while(|q: &&Quantity| q.start >= sentence.start)
                .find_map(|q| q.unit.clone())
                .filter(|u| u != "percent");
        }
        // A bare number with nothing counted is not a quantity worth reporting ("page 3").
        if unit.is_none() && first.abs() < 1000.0 && second.is_none() {
            continue;
        }
        // Years standing alone ("in 2022") are the time reader's.
        if unit.is_none() && (1900.0..=2100.0).contains(&first) && second.is_none() && !n1_text.contains(',') {
            continue;
        }
        let (mut value, mut low, high, mut approx) = value_and_bounds(first, second, hedge.as_deref());
        // "thousands of soldiers": a lower bound, and the words are the hedge.
        if vague_multiple(n1_text).is_some() {
            (value, low, approx) = (None, Some(first), true);
            hedge = Some(n1_text.to_lowercase().trim_end_matches(" of").to_owned());
        }
        let end_with_unit = sentence.start + whole.end + unit_end;
        found.push(Quantity {
            value,
            low,
            high,
            approx,
            hedge,
            unit,
            modality: modality(slice, whole.start, whole.end + unit_end),
            text: text[start..end_with_unit].to_owned(),
            start,
            end: end_with_unit,
            entity: None,
        });
    }
    found
}

/// Value, lower and upper bound, and whether hedged, from the numbers and the hedge before them.
fn value_and_bounds(
    first: f64,
    second: Option<f64>,
    hedge: Option<&str>,
) -> (Option<f64>, Option<f64>, Option<f64>, bool) {
    let (mut value, mut low, mut high) = (Some(first), None, None);
    if let Some(second) = second {
        (value, low, high) = (None, Some(first.min(second)), Some(first.max(second)));
    }
    match hedge {
        Some("more than" | "over" | "at least") => (value, low) = (None, Some(first)),
        Some("up to" | "as many as" | "fewer than" | "less than" | "under") => (value, high) = (None, Some(first)),
        _ => {}
    }
    let approx = matches!(
        hedge,
        Some(
            "about"
                | "around"
                | "approximately"
                | "roughly"
                | "some"
                | "nearly"
                | "almost"
                | "an estimated"
                | "close to"
        )
    );
    (value, low, high, approx)
}

/// A byte range within a sentence.
#[derive(Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
}

/// Not glued to other tokens: "G7", "F-16", "Day 987" and ordinals are not counts.
fn standalone(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let before_word = text[..start].split_whitespace().next_back().unwrap_or("").to_lowercase();
    !before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '-' | ':' | '.' | ','))
        && !after.is_some_and(|c| c.is_alphanumeric())
        && !matches!(before_word.as_str(), "day" | "no." | "number" | "page" | "article" | "resolution" | "chapter")
        && !text[end..].starts_with(['/', ':'])
}

/// "thousands of", "tens of thousands of": the unit the words count in, a lower bound (the
/// convention of docs/labels.md).
fn vague_multiple(words: &str) -> Option<f64> {
    Some(match words.to_lowercase().as_str() {
        "dozens of" => 12.0,
        "hundreds of" => 100.0,
        "thousands of" => 1000.0,
        "tens of thousands of" => 10_000.0,
        "hundreds of thousands of" => 100_000.0,
        "millions of" => 1e6,
        _ => return None,
    })
}

fn currency_of(number: &str) -> Option<&'static str> {
    match number.chars().next()? {
        '$' => Some("USD"),
        '£' => Some("GBP"),
        '€' => Some("EUR"),
        _ => None,
    }
}

fn parse_number(text: &str) -> Option<f64> {
    let lower = text.to_lowercase();
    let lower = lower.trim_start_matches(['$', '£', '€']).trim();
    let (base, scale) = match lower.rsplit_once(' ') {
        Some((b, "million")) => (b, 1e6),
        Some((b, "billion")) => (b, 1e9),
        Some((b, "trillion")) => (b, 1e12),
        Some((b, "thousand")) => (b, 1e3),
        _ => (lower, 1.0),
    };
    let value = match vague_multiple(base) {
        Some(least) => least,
        None => number_value(base)?,
    };
    Some(value * scale)
}

/// What follows the number is what it counts: the head of the noun phrase, skipping adjectives and
/// nationalities ("3,000 North Korean troops" counts troops). Returns the head and how many bytes
/// of `after` the phrase spans.
fn counted(after: &str) -> (Option<String>, usize) {
    // "a 1.6-mile span": the unit is glued on with a hyphen.
    if let Some(rest) = after.strip_prefix('-') {
        let word: String = rest.chars().take_while(|c| c.is_alphabetic()).collect();
        if !word.is_empty() {
            return (Some(word.to_lowercase()), 1 + word.len());
        }
    }
    let mut head: Option<(String, usize)> = None;
    let lead = after.len() - after.trim_start().len();
    if lead == 0 || lead > 1 {
        return (None, 0);
    }
    let mut offset = lead;
    for (i, word) in after[lead..].split_inclusive(char::is_whitespace).enumerate() {
        let bare = word.trim().trim_end_matches([',', '.', ';', ':', ')', '"', '”', '’']);
        let ends_phrase = word.trim() != bare;
        let lower = bare.to_lowercase();
        let function_word =
            bare.chars().count() <= 2 && bare.chars().all(char::is_lowercase) && !MEASURES.contains(&lower.as_str());
        let adverb = lower.ends_with("ly") || ADVERBS.contains(&lower.as_str());
        if i >= 4
            || bare.is_empty()
            || STOP.contains(&lower.as_str())
            || function_word
            || adverb
            || lower.contains("n't")
            || !bare.chars().all(|c| c.is_alphabetic() || c == '-' || c == '\'')
        {
            break;
        }
        // Verbs after a noun end the phrase ("troops being transferred", "people marched").
        if head.is_some() && (lower.ends_with("ing") || lower.ends_with("ed")) {
            break;
        }
        offset += word.len();
        // A plural noun is the head: "two countries exchange…" counts countries.
        // A hyphenated modifier ("special-forces troops") is not the head even when plural.
        let plural = (lower.len() > 3
            && lower.ends_with('s')
            && !lower.ends_with("ss")
            && !lower.ends_with("us")
            && (!lower.contains('-') || ends_phrase))
            || MEASURES.contains(&lower.as_str());
        // "square kilometres" is one measure.
        let lower = match &head {
            Some((previous, _)) if previous == "square" || previous == "sq" => format!("square {lower}"),
            _ => lower,
        };
        head = Some((lower, offset - (word.len() - word.trim_end().len())));
        if ends_phrase || plural {
            break;
        }
    }
    match head {
        Some((word, end)) => (Some(word.trim_end_matches([',', '.', ';', ':']).to_owned()), trimmed_end(after, end)),
        None => (None, 0),
    }
}

fn trimmed_end(after: &str, end: usize) -> usize {
    let phrase = &after[..end.min(after.len())];
    phrase.trim_end_matches([',', '.', ';', ':', ')', '"', '”', '’']).len()
}

/// The modality cue nearest before the figure in its sentence (or right after it).
fn modality(sentence: &str, at: usize, end: usize) -> Modality {
    let start = sentence.ceil_char_boundary(at.saturating_sub(120));
    let near = &sentence[start..];
    let mut best: Option<(usize, Modality)> = None;
    for (modality, cue) in CUES.iter() {
        for m in cue.find_iter(near) {
            // Cues before the figure count by closeness; a cue after it must be close.
            let position = start + m.start();
            // Cues before the figure count by closeness; after it, only a close cue, or an
            // attribution closing the sentence (", the centre reported.").
            let distance = if position <= at { at - position } else { position.saturating_sub(end) };
            let attribution = *modality == Modality::Reported && position > at;
            let distance = if attribution { distance + 100 } else { distance };
            let in_reach = position <= at && distance < 120 || position > at && (distance < 20 || attribution);
            if in_reach && best.is_none_or(|(d, _)| distance < d) {
                best = Some((distance, *modality));
            }
        }
    }
    best.map_or(Modality::Stated, |(_, m)| m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: &[&str]) {
        let got: Vec<String> = find_quantities(text, &[])
            .iter()
            .map(|q| {
                let bounds = match (q.value, q.low, q.high) {
                    (Some(v), _, _) => format!("{v}"),
                    (None, l, h) => format!(
                        "{}..{}",
                        l.map_or("".into(), |v| v.to_string()),
                        h.map_or("".into(), |v| v.to_string())
                    ),
                };
                format!(
                    "{bounds} {}{} {:?}",
                    q.unit.as_deref().unwrap_or("-"),
                    if q.approx { " ~" } else { "" },
                    q.modality
                )
            })
            .collect();
        assert_eq!(got, expected, "in {text:?}");
    }

    #[test]
    fn troop_figures() {
        check(
            "Intelligence estimate that the North has sent around 11,000 troops to Russia.",
            &["11000 troops ~ Estimated"],
        );
        check(
            "He shared information about 3,000 North Korean troops being transferred, and the expected increase in their number to around 12,000.",
            &["3000 troops Stated", "12000 troops ~ Expected"],
        );
        check(
            "He said Russia intended to involve about 10,000 soldiers from North Korea.",
            &["10000 soldiers ~ Planned"],
        );
        check(
            "Over 3,000 North Korean soldiers had begun training exercises, the centre reported.",
            &["3000.. soldiers Reported"],
        );
    }

    #[test]
    fn other_figures() {
        check(
            "The toll has risen to four killed — three children and a woman.",
            &["4 killed Stated", "3 children Stated"],
        );
        check("Another 14 civilians were injured.", &["14 civilians Stated"]);
        check("Shares were bought for $27 a share, or $212 million.", &["27 USD Stated", "212000000 USD Stated"]);
        check(
            "Prices rose 5 percent in a year; 10,000 to 12,000 people marched.",
            &["5 percent Stated", "10000..12000 people Stated"],
        );
        check("Up to 12,000 troops could be sent.", &["..12000 troops Expected"]);
        check(
            "I shared information about 3,000 troops being moved, and the expected increase to around 12,000.",
            &["3000 troops Stated", "12000 troops ~ Expected"],
        );
        check("The G7 met on page 3 of Resolution 2231 in 2022.", &[]);
    }
}
