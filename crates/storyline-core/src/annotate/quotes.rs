//! Direct quotes and who said them. Inline quotes are text between paired quotation marks (straight
//! or curly) with a speaker found by the cue around them ("…," KCNA said; X said, "…"; X said the
//! pact, which he called "…"). Block quotes follow a line that ends with a colon after a cue ("X
//! posted:", "TASS reported:", "Quote from X:"); the paragraph after it is the quote. Speakers are
//! names as written; tying them to entities is the entity stage's job.

use super::sentences::Sentence;
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// One direct quote, as byte offsets of its content in the text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    pub text: String,
    /// Who said it, as the text names them ("Volodymyr Zelensky", "KCNA", "a North Korean diplomat").
    pub speaker: Option<String>,
    /// The speaker's entity id (`person/kim-jong-un`), when the speaker is a named entity of the
    /// article (filled by the annotate stage once entities are known).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker_id: Option<String>,
    /// The attribution named the speaker by a pronoun ("he said"), resolved from the text before.
    #[serde(skip)]
    pub by_pronoun: bool,
    /// The verb or phrase that attributes it ("said", "posted", "Quote from").
    pub cue: Option<String>,
    /// Where it was said, when the text says ("on Telegram").
    pub channel: Option<String>,
    pub start: usize,
    pub end: usize,
}

const CUES: &str = r"said|says|say|told|tells|tell|added|adds|posted|posts|wrote|writes|write|stated|states|declared|announced|announce|warned|warns|stressed|noted|reported|reports|explained|insisted|argued|asked|replied|called|calls|claimed|claims|promised|pledged|vowed|expressed|voiced|tweeted|quoted as saying|saying|stating|telling|adding";

/// A name: capitalised words, initials, and the small words inside names; or an acronym.
const NAME: &str = r"(?:(?:\p{Lu}\.(?:\p{Lu}\.)*|\p{Lu}[\p{L}'’-]*)(?:\s+(?:(?:de|van|von|bin|al|der|of|the)\s+){0,2}(?:\p{Lu}\.(?:\p{Lu}\.)*|\p{Lu}[\p{L}'’-]*))*)";

static AFTER_QUOTE: LazyLock<Regex> = LazyLock::new(|| {
    // ", KCNA said." / ", said Kim." / ", he said" right after the closing mark.
    Regex::new(&format!(
        r"^[ ,]*(?:(?P<who>{NAME}|he|she|they|it|(?:the|a|an|one|another|his|her|their)\s+(?:[\p{{L}}'’-]+\s+){{0,3}}?[a-z][\w-]*)\s+(?:also\s+)?(?P<cue>{CUES})|(?P<cue2>{CUES})\s+(?:(?:retired|former|late|then)\s+)*(?P<who2>{NAME}|(?:the|a|an|one|another)\s+(?:[\p{{L}}'’-]+\s+){{0,3}}?[\p{{L}}-]+))"
    ))
    .expect("valid quote pattern")
});

static CUE: LazyLock<Regex> = LazyLock::new(|| Regex::new(&format!(r"\b(?:{CUES})\b")).expect("valid cue pattern"));

/// Russian attribution after a quote: "», — сказал нашему изданию политолог Павел Ермолин".
static AFTER_QUOTE_RU: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^[ ,]*[—–-]\s*(?P<cue>(?:сказал|заявил|отметил|добавил|пояснил|подчеркнул|написал|сообщил|уточнил|считает)а?)(?:\s+\p{{Ll}}[\p{{L}}-]*){{0,4}}\s+(?P<who>{NAME})"
    ))
    .expect("valid Russian quote pattern")
});

static QUOTE_FROM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"[Qq]uote from\s+(?P<who>{NAME})")).expect("valid quote-from pattern"));

static INSTITUTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:Institute|Centre|Center|University|School|Forum|Council|Ministry|Agency|Group|Foundation|Association|Committee|Office|Department|Bank|Fund|Party|Union|News|Press|Times|Post)\b")
        .expect("valid institution pattern")
});

static NAME_RUN: LazyLock<Regex> = LazyLock::new(|| Regex::new(NAME).expect("valid name pattern"));

static CHANNEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:on|via|in a post on|in a statement on)\s+(?P<channel>Telegram|X|Twitter|Facebook|Instagram|TikTok|YouTube|state television|television|radio|his website|her website)\b")
        .expect("valid channel pattern")
});

static TITLES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:Secretary of State|Secretary General|Secretary-General|Prime Minister|Defence Minister|Defense Minister|Foreign Minister|Head of Defence Intelligence|Ukraine|Ukrainian|Russian|North Korean|South Korean|US|U\.S\.|UK|President|Minister|Secretary|General|Colonel|Lieutenant|Major|Captain|Admiral|Commander|Sergeant|Chancellor|Senator|Governor|Mayor|Leader|leader|Comrade|Mr\.?|Mrs\.?|Ms\.?|Dr\.?)\s+)+")
        .expect("valid titles pattern")
});

/// Pronouns a speaker may be named by, to be resolved to the person they stand for.
const PRONOUNS: &[&str] = &["he", "she", "they", "He", "She", "They"];

/// Words that look like names at a sentence start but never speak.
const NOT_SPEAKERS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Yesterday",
    "Today",
    "Earlier",
    "Later",
    "Previously",
    "Meanwhile",
    "However",
    "But",
    "And",
    "The",
    "In",
    "On",
    "At",
    "He",
    "She",
    "They",
    "It",
    "We",
    "I",
];

/// Every direct quote in `text`, whose sentences are `bounds`.
pub fn find_quotes(text: &str, bounds: &[Sentence]) -> Vec<Quote> {
    let mut quotes = block_quotes(text);
    for span in quoted_spans(text) {
        let (start, end) = (span.content_start, span.content_end);
        if quotes.iter().any(|q| q.start <= start && end <= q.end) {
            continue;
        }
        let content = &text[start..end];
        let words = content.split_whitespace().count();
        if words < 2 {
            continue;
        }
        let sentence = bounds.iter().find(|s| s.start <= start && start < s.end).copied();
        // The attribution after a quote runs to the end of the sentence the closing mark is in.
        let to = bounds.iter().find(|s| s.end > span.close).map_or(text.len(), |s| s.end.max(span.close));
        let from = sentence.map_or(0, |s| s.start.min(span.open));
        let before = &text[from..span.open];
        let after = &text[span.close..to];
        // The attribution is on the same line as the closing mark.
        let after = after.split('\n').next().unwrap_or_default();
        let (mut speaker, cue) = attribute(before, after);
        let by_pronoun = speaker.as_deref().is_some_and(|s| PRONOUNS.contains(&s));
        // "he said": a name earlier in the same sentence, else the person last quoted, else the last
        // full name before the quote.
        if speaker.as_deref().is_some_and(|s| PRONOUNS.contains(&s)) {
            let earlier = &text[text.floor_char_boundary(span.open.saturating_sub(600))..span.open];
            let in_sentence =
                NAME_RUN.find_iter(before).map(|m| m.as_str()).filter(|w| !NOT_SPEAKERS.contains(w)).last();
            // Names inside earlier quotes are what was said, not who said it; a person's name is
            // preferred to an institution's ("…at the Aurland School of International Affairs").
            let earlier_start = span.open - earlier.len();
            let named_before = NAME_RUN
                .find_iter(earlier)
                .filter(|m| m.as_str().contains(' ') && !NOT_SPEAKERS.contains(&m.as_str()))
                .filter(|m| !m.as_str().contains(" of ") && !INSTITUTION.is_match(m.as_str()) && !demonym(m.as_str()))
                .filter(|m| {
                    let at = earlier_start + m.start();
                    !quotes.iter().any(|q| q.start <= at && at < q.end)
                })
                .last()
                .map(|m| clean_speaker(m.as_str()));
            speaker = in_sentence.map(clean_speaker).or(named_before).or_else(|| {
                quotes.iter().rev().filter(|q: &&Quote| q.end <= span.open).find_map(|q| q.speaker.clone())
            });
        }
        // A quote that goes on after its attribution ("…," said X. "…") is still X's, as long as the
        // paragraph has not changed.
        if speaker.is_none()
            && let Some(previous) = quotes.iter().rev().find(|q: &&Quote| q.end <= span.open)
            && (!text[previous.end..span.open].contains("\n\n") || opens_paragraph(text, span.open))
            && span.open - previous.end < 400
        {
            speaker = previous.speaker.clone();
        }
        // Two-word fragments count only when someone is saying them ("expressed “grave concerns”"),
        // not as scare quotes.
        if words < 3 && speaker.is_none() {
            continue;
        }
        let context_from = text.floor_char_boundary(span.open.saturating_sub(300));
        let channel = CHANNEL
            .captures(&text[from..to])
            .or_else(|| CHANNEL.captures(&text[context_from..span.open]))
            .and_then(|c| c.name("channel"))
            .map(|m| m.as_str().to_owned());
        quotes.push(Quote {
            text: content.to_owned(),
            speaker,
            speaker_id: None,
            by_pronoun,
            cue,
            channel,
            start,
            end,
        });
    }
    quotes.sort_by_key(|q| q.start);
    quotes
}

/// A quoted stretch: where its opening mark starts, its content, and where its closing mark ends.
struct QuotedSpan {
    open: usize,
    content_start: usize,
    content_end: usize,
    close: usize,
}

/// Text inside paired quotation marks: “…”, "…", «…». A quote may run over several paragraphs
/// when only its last paragraph closes it.
fn quoted_spans(text: &str) -> Vec<QuotedSpan> {
    let mut spans = Vec::new();
    let mut open: Option<(usize, char)> = None;
    for (i, c) in text.char_indices() {
        match (open, c) {
            (None, '“' | '«') => open = Some((i, c)),
            // A straight quote opens when it does not follow a letter.
            (None, '"') if !text[..i].chars().next_back().is_some_and(char::is_alphanumeric) => open = Some((i, '"')),
            (Some((at, '“')), '”') | (Some((at, '«')), '»') | (Some((at, '"')), '"') => {
                let mark = text[at..].chars().next().map_or(1, char::len_utf8);
                spans.push(QuotedSpan { open: at, content_start: at + mark, content_end: i, close: i + c.len_utf8() });
                open = None;
            }
            _ => {}
        }
    }
    spans
}

/// The speaker and cue for an inline quote, from the words after it, else from the cue nearest
/// before it.
fn attribute(before: &str, after: &str) -> (Option<String>, Option<String>) {
    if let Some(caps) = AFTER_QUOTE_RU.captures(after) {
        let cue = caps.name("cue").map(|m| m.as_str().to_owned());
        return (caps.name("who").map(|m| clean_speaker(m.as_str())), cue);
    }
    if let Some(caps) = AFTER_QUOTE.captures(after) {
        let who = caps.name("who").or_else(|| caps.name("who2")).map(|m| m.as_str());
        let cue = caps.name("cue").or_else(|| caps.name("cue2")).map(|m| m.as_str().to_owned());
        if let Some(who) = who.filter(|w| !NOT_SPEAKERS.contains(w)) {
            return (Some(clean_speaker(who)), cue);
        }
    }
    if let Some(caps) = QUOTE_FROM.captures(before) {
        return (caps.name("who").map(|m| clean_speaker(m.as_str())), Some("quote from".to_owned()));
    }
    let Some(cue) = CUE.find_iter(before).last() else { return (None, None) };
    let head = before[..cue.start()].trim_end();
    let head = head.strip_suffix(" also").unwrap_or(head).trim_end();
    let name = NAME_RUN
        .find_iter(head)
        .last()
        .filter(|m| m.end() == head.len())
        .map(|m| m.as_str())
        .filter(|w| !NOT_SPEAKERS.contains(w) && !dateline_word(w));
    let pronoun = PRONOUNS.iter().copied().find(|p| head.ends_with(&format!(" {p}")) || head == *p);
    // "Kim, who …, on Wednesday promised": the sentence's subject, its first name.
    let subject = || {
        NAME_RUN
            .find_iter(head)
            .map(|m| m.as_str())
            .find(|w| !NOT_SPEAKERS.contains(w) && !dateline_word(w) && !w.ends_with("ing"))
    };
    let who = name.or(pronoun).or_else(subject);
    (who.map(clean_speaker), Some(cue.as_str().to_owned()))
}

/// The quote opens its paragraph: a continuation of the last speaker, as news writes them.
fn opens_paragraph(text: &str, at: usize) -> bool {
    at == 0 || text[..at].trim_end_matches([' ', '\t']).ends_with('\n')
}

/// A word in capitals longer than an acronym is a dateline ("WASHINGTON —"), not a speaker.
fn dateline_word(name: &str) -> bool {
    name.chars().filter(|c| c.is_alphabetic()).count() > 5 && !name.chars().any(char::is_lowercase)
}

/// "South Korean", "North Korean": a nationality, not a person.
fn demonym(name: &str) -> bool {
    const DEMONYMS: &[&str] = &[
        "Korean",
        "Russian",
        "Ukrainian",
        "American",
        "Chinese",
        "Japanese",
        "British",
        "French",
        "German",
        "Vietnamese",
        "Swiss",
        "European",
        "Western",
        "Asian",
        "Belarusian",
        "Polish",
        "Lithuanian",
        "Indian",
    ];
    name.split_whitespace().next_back().is_some_and(|w| DEMONYMS.contains(&w))
}

/// Titles and roles come off the name: "Ukraine President Volodymyr Zelensky" → "Volodymyr Zelensky".
fn clean_speaker(who: &str) -> String {
    let who = who.trim();
    let stripped = TITLES.replace(who, "");
    let name = if stripped.trim().is_empty() { who } else { stripped.trim() };
    name.trim_end_matches([',', '.', ':']).to_owned()
}

/// Paragraphs introduced by a line ending in a colon after a cue.
fn block_quotes(text: &str) -> Vec<Quote> {
    let mut quotes = Vec::new();
    let mut offset = 0;
    let paragraphs: Vec<(usize, &str)> = text
        .split("\n\n")
        .map(|p| {
            let start = offset;
            offset += p.len() + 2;
            (start, p)
        })
        .collect();
    for (i, (_, paragraph)) in paragraphs.iter().enumerate() {
        // The intro is the last sentence of its paragraph, ending with a colon.
        let last_sentence = paragraph.rsplit(['.', '!', '?']).next().unwrap_or(paragraph);
        let intro = last_sentence.trim();
        let Some((speaker, cue)) = introducer(intro) else { continue };
        // The quote is the paragraph that follows the introducing line.
        let (quote_start, quote_text) = match paragraphs.get(i + 1) {
            Some((next_start, next)) if !next.trim().is_empty() => (*next_start, *next),
            _ => continue,
        };
        let channel = CHANNEL.captures(paragraph).and_then(|c| c.name("channel")).map(|m| m.as_str().to_owned());
        quotes.push(Quote {
            text: quote_text.to_owned(),
            speaker,
            speaker_id: None,
            by_pronoun: false,
            cue,
            channel,
            start: quote_start,
            end: quote_start + quote_text.len(),
        });
    }
    quotes
}

/// Who a block quote's introducing line names, and the cue: "… Zelensky posted:", "TASS reported:",
/// "… that a North Korean diplomat stated at the embassy:", "Quote from Zelenskyy:".
fn introducer(line: &str) -> Option<(Option<String>, Option<String>)> {
    if !line.ends_with(':') {
        return None;
    }
    if let Some(caps) = QUOTE_FROM.captures(line) {
        return Some((caps.name("who").map(|m| clean_speaker(m.as_str())), Some("quote from".to_owned())));
    }
    let cue = CUE.find_iter(line).last()?;
    let before = line[..cue.start()].trim_end().trim_end_matches(',');
    let before = before.trim_end_matches(" also").trim_end();
    let speaker = if cue.as_str().ends_with("ing") {
        // "…, stating in a press conference:": the sentence's subject, its longest name.
        NAME_RUN.find_iter(before).max_by_key(|m| m.as_str().len()).map(|m| m.as_str())
    } else if let Some(i) = before.rfind(" that ") {
        Some(&before[i + 6..])
    } else {
        // The name just before the cue, else the last few words ("a North Korean diplomat").
        let run = NAME_RUN.find_iter(before).last().filter(|m| m.end() == before.len()).map(|m| m.as_str());
        run.or(Some(tail_words(before, 4)))
    };
    Some((speaker.map(clean_speaker), Some(cue.as_str().to_owned())))
}

fn tail_words(text: &str, n: usize) -> &str {
    let mut cut = text.len();
    for (count, (i, _)) in text.rmatch_indices(' ').enumerate() {
        if count + 1 == n {
            break;
        }
        cut = i + 1;
    }
    &text[cut.min(text.len())..]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotate::sentences;

    fn check(text: &str, expected: &[(&str, Option<&str>)]) {
        let got: Vec<(String, Option<String>)> =
            find_quotes(text, &sentences(text)).into_iter().map(|q| (q.text, q.speaker)).collect();
        let expected: Vec<(String, Option<String>)> =
            expected.iter().map(|(t, s)| (t.to_string(), s.map(str::to_owned))).collect();
        assert_eq!(got, expected, "in {text:?}");
    }

    #[test]
    fn russian_attribution_after_the_quote() {
        check(
            "«Ратификация была ожидаемой формальностью», — сказал нашему изданию политолог Иван Петров.",
            &[("Ратификация была ожидаемой формальностью", Some("Иван Петров"))],
        );
    }

    #[test]
    fn inline_quotes() {
        check(
            "“The pact takes effect when both sides swap the papers,” KCNA said.",
            &[("The pact takes effect when both sides swap the papers,", Some("KCNA"))],
        );
        check(
            "Putin said of the agreement, \"It provides for mutual assistance in case of aggression.\"",
            &[("It provides for mutual assistance in case of aggression.", Some("Putin"))],
        );
        check(
            "\"We will not back down,\" said Defence Minister Rustem Umerov.",
            &[("We will not back down,", Some("Rustem Umerov"))],
        );
        check("The ministers voiced “grave concerns” over the move.", &[]);
    }

    #[test]
    fn block_quotes_after_a_cue() {
        check(
            "Ukraine President Volodymyr Zelensky posted:\n\nEvery night the strikes go on, and every night we answer.\n\nORIGINAL ENTRY: Text.",
            &[("Every night the strikes go on, and every night we answer.", Some("Volodymyr Zelensky"))],
        );
        check(
            "The agency also reported that a North Korean diplomat stated at the embassy:\n\nToday a new treaty was born between our countries.",
            &[("Today a new treaty was born between our countries.", Some("a North Korean diplomat"))],
        );
    }
}

#[cfg(test)]
mod pronoun_tests {
    use super::*;
    use crate::annotate::sentences;

    #[test]
    fn he_said_is_the_last_person_named() {
        let text = "\"The paperwork has caught up,\" said Seo Jin-ah, a researcher in Seoul. \"It is a formality.\"\n\nPatrick Lindahl, a former diplomat who now teaches at the Aurland School of International Affairs, said the timing was deliberate. \"They ratified in the same weeks that troops arrived,\" he said.";
        let quotes = find_quotes(text, &sentences(text));
        let speakers: Vec<Option<String>> = quotes.iter().map(|q| q.speaker.clone()).collect();
        assert_eq!(
            speakers,
            [Some("Seo Jin-ah".to_owned()), Some("Seo Jin-ah".to_owned()), Some("Patrick Lindahl".to_owned())]
        );
    }
}
