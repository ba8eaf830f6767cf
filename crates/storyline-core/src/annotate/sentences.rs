//! Sentence boundaries in article text: a stop (`.`, `!`, `?`, with any closing quotes or brackets)
//! followed by space and a capital, digit or opening quote ends a sentence, unless the word before
//! it is an abbreviation ("U.S.", "Gen.", "Jan.") or an initial ("D. Michael"); a blank line always
//! ends one. Offsets are byte offsets into the text.
//!
//! Why not `unicode-segmentation` at run time: its UAX #29 sentence boundaries, filtered by the same
//! abbreviation and paragraph rules, give the very same sentences on every article of our corpus, but
//! cost a fifth of annotation throughput. It stays the reference: the tests check this scanner against
//! it on the example corpus and on generated text. One deliberate difference: a sentence may open
//! with a figure ("The toll rose. 12 people died."), where UAX #29 reads on.

use serde::{Deserialize, Serialize};

/// A sentence as a byte range of the text it was found in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
}

const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cmdr", "adm", "sgt", "cpl", "pvt", "sen",
    "rep", "gov", "pres", "rev", "hon", "st", "jr", "sr", "inc", "corp", "co", "ltd", "plc", "bros", "dept", "univ",
    "no", "vol", "vs", "etc", "al", "approx", "est", "fig", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "u.s",
    "u.k", "u.n", "e.u", "a.m", "p.m", "d.c", "n.y", "l.a", "ft", "mt", "ave", "blvd", "rd", "sq", "km", "mi",
];

/// The sentence of `bounds` (in text order) that holds the whole byte range `start..end`, if one does.
pub fn holding(bounds: &[Sentence], start: usize, end: usize) -> Option<Sentence> {
    let i = bounds.partition_point(|s| s.end <= start);
    bounds.get(i).filter(|s| s.start <= start && end <= s.end).copied()
}

/// Splits `text` into sentences, skipping blank stretches.
pub fn sentences(text: &str) -> Vec<Sentence> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\n' && bytes.get(i + 1) == Some(&b'\n') {
            push(text, start, i, &mut out);
            start = i + 2;
            i += 2;
            continue;
        }
        if matches!(b, b'.' | b'!' | b'?') {
            let mut end = i + 1;
            // Closing quotes and brackets belong to the sentence they close.
            while end < bytes.len() {
                let rest = &text[end..];
                let Some(c) = rest.chars().next() else { break };
                if matches!(c, '"' | '\'' | '”' | '’' | ')' | ']' | '»' | '.') {
                    end += c.len_utf8();
                } else {
                    break;
                }
            }
            let after = &text[end..];
            let spaced = after.starts_with(char::is_whitespace) || after.is_empty();
            let next = after.trim_start().chars().next();
            let opens = next.is_none_or(|c| {
                c.is_uppercase() || c.is_ascii_digit() || matches!(c, '"' | '“' | '‘' | '\'' | '(' | '«' | '[')
            });
            if spaced && opens && !(b == b'.' && is_abbreviation(&text[start..i])) {
                push(text, start, end, &mut out);
                start = end;
            }
            i = end;
            continue;
        }
        i += 1;
    }
    push(text, start, text.len(), &mut out);
    out
}

fn push(text: &str, start: usize, end: usize, out: &mut Vec<Sentence>) {
    let slice = &text[start..end];
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    if lead + trail < slice.len() {
        out.push(Sentence { start: start + lead, end: end - trail });
    }
}

/// Whether the word ending at the end of `before` (the text up to a full stop) is an abbreviation or
/// an initial, after which a stop does not end the sentence.
fn is_abbreviation(before: &str) -> bool {
    let word = before.rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '“').next().unwrap_or("");
    let lower = word.to_lowercase();
    let bare = lower.trim_start_matches(['(', '"', '“']);
    if bare.chars().count() == 1 && bare.chars().all(char::is_alphabetic) {
        return true;
    }
    ABBREVIATIONS.contains(&bare) || (bare.contains('.') && bare.chars().filter(|c| c.is_alphabetic()).count() <= 4)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use unicode_segmentation::UnicodeSegmentation;

    /// The reference: Unicode's candidate boundaries (UAX #29), kept where a stop ends the text before
    /// them, something that opens a sentence follows, and the stop is not an abbreviation's; blank
    /// lines split paragraphs first.
    fn reference(text: &str) -> Vec<Sentence> {
        let mut out = Vec::new();
        let mut from = 0;
        for (at, _) in text.match_indices("\n\n") {
            if at >= from {
                reference_paragraph(text, from, at, &mut out);
                from = at + 2;
            }
        }
        reference_paragraph(text, from, text.len(), &mut out);
        out
    }

    fn reference_paragraph(text: &str, from: usize, to: usize, out: &mut Vec<Sentence>) {
        let mut start = from;
        for (at, piece) in text[from..to].split_sentence_bound_indices() {
            let end = from + at + piece.len();
            if end == to {
                break;
            }
            let stop = text[start..end].trim_end().trim_end_matches(['"', '\'', '”', '’', ')', ']', '»']);
            let next = text[end..to].trim_start().chars().next();
            let opens = next.is_some_and(|c| {
                c.is_uppercase() || c.is_ascii_digit() || matches!(c, '"' | '“' | '‘' | '\'' | '(' | '«' | '[')
            });
            let abbreviated = stop.ends_with('.') && is_abbreviation(&stop[..stop.len() - 1]);
            if stop.ends_with(['.', '!', '?']) && opens && !abbreviated {
                push(text, start, end, out);
                start = end;
            }
        }
        push(text, start, to, out);
    }

    #[test]
    fn agrees_with_unicode_boundaries_on_the_example_corpus() {
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus");
        let mut checked = 0;
        for entry in std::fs::read_dir(&corpus).expect("examples/corpus is readable") {
            let path = entry.expect("a corpus entry").path();
            let media = match path.extension().and_then(|e| e.to_str()) {
                Some("html") => crate::MediaType::Html,
                Some("txt" | "md") => crate::MediaType::Text,
                _ => continue,
            };
            let bytes = std::fs::read(&path).expect("a readable corpus file");
            let doc = crate::Document::new(path.display().to_string(), media, bytes, crate::Hints::default());
            let body = crate::extract(&doc).expect("corpus articles extract").body;
            assert_eq!(sentences(&body), reference(&body), "in {}", path.display());
            checked += 1;
        }
        assert!(checked >= 35, "only {checked} corpus articles were read");
    }

    proptest! {
        #[test]
        fn agrees_with_unicode_boundaries_on_generated_text(words in proptest::collection::vec(prop_oneof![
            Just("The"), Just("U.S."), Just("Gen."), Just("D."), Just("Jan."), Just("said"), Just("so."),
            Just("rose 3.5"), Just("percent."), Just("“We"), Just("won.”"), Just("Why?"), Just("Now!"), Just("(It"),
            Just("ended.)"), Just("Kim"), Just("и"), Just("Москва."), Just("\n"), Just("\n\n"), Just("e.g."),
            Just("by 12"), Just("'Yes.'"), Just("a"), Just("B."),
        ], 0..60)) {
            let text = words.join(" ");
            prop_assert_eq!(sentences(&text), reference(&text), "in {:?}", text);
        }
    }

    fn check(text: &str, expected: &[&str]) {
        let got: Vec<&str> = sentences(text).iter().map(|s| &text[s.start..s.end]).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn boundaries() {
        check(
            "The U.S. Army said so. Gen. Smith agreed on Jan. 5. Written by D. Michael DeRidder today.",
            &["The U.S. Army said so.", "Gen. Smith agreed on Jan. 5.", "Written by D. Michael DeRidder today."],
        );
        check(
            "“It is over,” he said. “We won.” Then silence!\n\nNew paragraph",
            &["“It is over,” he said.", "“We won.”", "Then silence!", "New paragraph"],
        );
        check("Prices rose 3.5 percent. Shares fell.", &["Prices rose 3.5 percent.", "Shares fell."]);
        check(
            "Background:\n\nOn 8 October, the ministry said so.",
            &["Background:", "On 8 October, the ministry said so."],
        );
    }
}
