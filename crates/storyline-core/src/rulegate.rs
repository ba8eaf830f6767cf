//! A literal gate for a list of regex rules: which rules can match in a haystack, told from the
//! words every match of a rule must contain, found by one Aho-Corasick pass.
//!
//! It stands where a `RegexSet` would: a set of many case-insensitive rules builds its lazy DFA
//! state by state while it reads, and on a short run that building costs more than the searching.
//! The gate is built in a millisecond and needs no warming. It is sound, never precise: a rule it
//! lets through may still not match, a rule it holds back cannot. A rule with no required literal
//! (it could match only digits, say) is always let through. It must not be used where a rule's
//! absence is an answer: it only narrows which rules are run.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex_syntax::hir::{Class, Hir, HirKind};
use std::collections::BTreeSet;

/// The literal that stands for "some `far` character": a rule that requires one is let through by
/// any haystack that holds one. Never put in the automaton.
const PAST_ASCII: &str = "\0";

/// More strings than this in one literal set, and the set is given up on (the rule's other parts,
/// or no gate at all, take over).
const MAX_SET: usize = 128;

pub(crate) struct RuleGate {
    automaton: AhoCorasick,
    /// For each automaton pattern, the rules it lets through.
    rules_of: Vec<Vec<usize>>,
    /// Rules with no required literal: always let through.
    always: Vec<usize>,
    /// Rules that require a `far` character.
    past_ascii: Vec<usize>,
    len: usize,
}

impl RuleGate {
    /// A gate for these patterns, in the regex crate's syntax, in order.
    ///
    /// # Panics
    /// On a pattern that does not parse; the patterns are the program's own and their regexes are
    /// compiled from the same text.
    pub(crate) fn new<'a>(patterns: impl IntoIterator<Item = &'a str>) -> RuleGate {
        let mut literals: Vec<String> = Vec::new();
        let mut rules_of: Vec<Vec<usize>> = Vec::new();
        let mut always = Vec::new();
        let mut past_ascii = Vec::new();
        let mut len = 0;
        for (index, pattern) in patterns.into_iter().enumerate() {
            len = index + 1;
            let hir = regex_syntax::parse(pattern).expect("a rule's pattern parses");
            match required(&hir).map(minimal) {
                Some(mut set) => {
                    if set.remove(PAST_ASCII) {
                        past_ascii.push(index);
                    }
                    for literal in set {
                        let at = literals.iter().position(|l| *l == literal).unwrap_or_else(|| {
                            literals.push(literal);
                            rules_of.push(Vec::new());
                            literals.len() - 1
                        });
                        if rules_of[at].last() != Some(&index) {
                            rules_of[at].push(index);
                        }
                    }
                }
                None => always.push(index),
            }
        }
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&literals)
            .expect("the gate's literals build an automaton");
        RuleGate { automaton, rules_of, always, past_ascii, len }
    }

    /// The rules that may match somewhere in `haystack`, in rule order.
    pub(crate) fn candidates(&self, haystack: &str) -> Vec<usize> {
        let mut open = vec![false; self.len];
        for &rule in &self.always {
            open[rule] = true;
        }
        if !haystack.is_ascii() && haystack.chars().any(far) {
            for &rule in &self.past_ascii {
                open[rule] = true;
            }
        }
        for found in self.automaton.find_overlapping_iter(haystack) {
            for &rule in &self.rules_of[found.pattern().as_usize()] {
                open[rule] = true;
            }
        }
        open.iter().enumerate().filter(|(_, open)| **open).map(|(rule, _)| rule).collect()
    }
}

/// Rules behind their gate, each compiled the first time the gate lets it through: a run that
/// never meets a rule's words never pays for its automaton.
pub(crate) struct GatedRules {
    gate: RuleGate,
    patterns: Vec<String>,
    compiled: Vec<std::sync::OnceLock<regex::Regex>>,
    compile: fn(&str) -> regex::Regex,
}

impl GatedRules {
    /// `compile` turns a pattern into its regex; it panics only on a pattern that is not valid,
    /// which the rules' tests rule out.
    pub(crate) fn new(patterns: Vec<String>, compile: fn(&str) -> regex::Regex) -> GatedRules {
        let gate = RuleGate::new(patterns.iter().map(String::as_str));
        let compiled = patterns.iter().map(|_| std::sync::OnceLock::new()).collect();
        GatedRules { gate, patterns, compiled, compile }
    }

    /// The rules that may match somewhere in `haystack`, in rule order, with their regexes.
    pub(crate) fn candidates(&self, haystack: &str) -> impl Iterator<Item = (usize, &regex::Regex)> {
        self.gate.candidates(haystack).into_iter().map(|index| (index, self.regex(index)))
    }

    /// Rule `index`'s regex.
    pub(crate) fn regex(&self, index: usize) -> &regex::Regex {
        self.compiled[index].get_or_init(|| (self.compile)(&self.patterns[index]))
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.patterns.len()
    }
}

/// Lowercase strings such that every match of `hir` contains one of them, or `None` when no such
/// set is known. Prefers the set whose shortest string is longest, then the smaller set.
fn required(hir: &Hir) -> Option<BTreeSet<String>> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => None,
        HirKind::Class(class) if past_ascii(class) => Some(BTreeSet::from([PAST_ASCII.to_owned()])),
        HirKind::Literal(literal)
            if std::str::from_utf8(&literal.0).is_ok_and(|t| t.chars().next().is_some_and(far)) =>
        {
            Some(BTreeSet::from([PAST_ASCII.to_owned()]))
        }
        HirKind::Literal(_) | HirKind::Class(_) => exact(hir).filter(|set| !set.contains("")),
        HirKind::Capture(capture) => required(&capture.sub),
        HirKind::Repetition(repetition) if repetition.min >= 1 => required(&repetition.sub),
        HirKind::Repetition(_) => None,
        HirKind::Alternation(branches) => union(branches, required),
        HirKind::Concat(parts) => {
            let mut best: Option<BTreeSet<String>> = None;
            let mut consider = |candidate: Option<BTreeSet<String>>| {
                if let Some(candidate) = candidate.filter(|set| !set.is_empty() && !set.contains(""))
                    && best.as_ref().is_none_or(|best| {
                        (shortest(&candidate), std::cmp::Reverse(candidate.len()))
                            > (shortest(best), std::cmp::Reverse(best.len()))
                    })
                {
                    best = Some(candidate);
                }
            };
            // Runs of parts whose every match is known spell the strings the run matches.
            let mut run: Option<BTreeSet<String>> = None;
            for part in parts {
                match exact(part) {
                    Some(set) => {
                        run = match run.take() {
                            None => Some(set),
                            Some(before) => product(&before, &set).or_else(|| {
                                // Too many strings together: the run so far stands on its own.
                                consider(Some(before));
                                Some(set)
                            }),
                        }
                    }
                    None => {
                        consider(run.take());
                        consider(required(part));
                    }
                }
            }
            consider(run);
            best
        }
    }
}

/// Every string `hir` can match, lowercased, when they are few; zero-width assertions match "".
fn exact(hir: &Hir) -> Option<BTreeSet<String>> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Some(BTreeSet::from([String::new()])),
        HirKind::Literal(literal) => {
            std::str::from_utf8(&literal.0).ok().map(|text| BTreeSet::from([text.to_ascii_lowercase()]))
        }
        HirKind::Class(class) => one_letter(class).map(|c| BTreeSet::from([c.to_string()])),
        HirKind::Capture(capture) => exact(&capture.sub),
        HirKind::Repetition(repetition) => match (repetition.min, repetition.max) {
            (0, Some(1)) => {
                let mut set = exact(&repetition.sub)?;
                set.insert(String::new());
                Some(set)
            }
            (1, Some(1)) => exact(&repetition.sub),
            _ => None,
        },
        HirKind::Alternation(branches) => union(branches, exact),
        HirKind::Concat(parts) => {
            let mut set = BTreeSet::from([String::new()]);
            for part in parts {
                set = product(&set, &exact(part)?)?;
            }
            Some(set)
        }
    }
}

/// Whether every character of the class is a `far` one (a Cyrillic letter in either case, say).
fn past_ascii(class: &Class) -> bool {
    match class {
        Class::Bytes(_) => false,
        Class::Unicode(unicode) => {
            unicode.iter().all(|range| far(range.start()) && far(range.end()) && !PUNCTUATION.contains(&range.start()))
                && !unicode.iter().any(|range| range.start() < *PUNCTUATION.start() && range.end() > *PUNCTUATION.end())
        }
    }
}

/// Quotes, dashes, arrows and other signs: past ASCII, and in most English news text.
const PUNCTUATION: std::ops::RangeInclusive<char> = '\u{2000}'..='\u{2BFF}';

/// A character past the Latin letters and outside `PUNCTUATION`: Greek, Cyrillic, CJK and so on.
fn far(c: char) -> bool {
    c >= '\u{370}' && !PUNCTUATION.contains(&c)
}

/// The one ASCII letter or sign a class stands for, its case aside ("[Mm]" is "m"); `None` for a
/// class of several, or of anything past ASCII (the automaton folds ASCII case only).
fn one_letter(class: &Class) -> Option<char> {
    let mut letter: Option<char> = None;
    let mut same = |c: char| {
        let c = c.to_ascii_lowercase();
        match letter {
            Some(seen) => seen == c,
            None => {
                letter = Some(c);
                true
            }
        }
    };
    match class {
        Class::Bytes(bytes) => {
            for range in bytes.iter() {
                if range.end() - range.start() > 1 || !range.end().is_ascii() {
                    return None;
                }
                if !(range.start()..=range.end()).all(|b| same(char::from(b))) {
                    return None;
                }
            }
        }
        Class::Unicode(unicode) => {
            for range in unicode.iter() {
                if !range.end().is_ascii() || u32::from(range.end()) - u32::from(range.start()) > 1 {
                    return None;
                }
                if !(range.start()..=range.end()).all(&mut same) {
                    return None;
                }
            }
        }
    }
    letter
}

/// The strings of every branch together, when each branch has its set and they are few.
fn union(branches: &[Hir], strings: fn(&Hir) -> Option<BTreeSet<String>>) -> Option<BTreeSet<String>> {
    let mut all = BTreeSet::new();
    for branch in branches {
        all.extend(strings(branch)?);
        if all.len() > MAX_SET {
            return None;
        }
    }
    Some(all)
}

fn product(left: &BTreeSet<String>, right: &BTreeSet<String>) -> Option<BTreeSet<String>> {
    if left.len() * right.len() > MAX_SET {
        return None;
    }
    Some(left.iter().flat_map(|l| right.iter().map(move |r| format!("{l}{r}"))).collect())
}

/// The set without strings that hold another of its strings ("jan." goes where "jan" is).
fn minimal(set: BTreeSet<String>) -> BTreeSet<String> {
    set.iter().filter(|s| !set.iter().any(|t| t != *s && s.contains(t.as_str()))).cloned().collect()
}

fn shortest(set: &BTreeSet<String>) -> usize {
    set.iter().map(String::len).min().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn literals(pattern: &str) -> Option<Vec<String>> {
        required(&regex_syntax::parse(pattern).ok()?).map(|set| minimal(set).into_iter().collect())
    }

    #[test]
    fn required_words_are_read_from_the_pattern() {
        assert_eq!(literals(r"(?i)\b[0-9]{1,2}\s+(?:jan|feb)\.?"), Some(vec!["feb".into(), "jan".into()]));
        assert_eq!(literals(r"(?-u)(?i)\b(?:last|next)[ \t]+week\b"), Some(vec!["week".into()]));
        assert_eq!(literals(r"(?i)today|tonight"), Some(vec!["today".into(), "tonight".into()]));
        // Digits alone, or a part that may be absent, require nothing.
        assert_eq!(literals(r"[0-9]{4}"), None);
        assert_eq!(literals(r"(?:about )?[0-9]+"), None);
        // A Cyrillic word is past what the automaton folds: it asks for a character past ASCII.
        assert_eq!(literals(r"(?i)сейчас|ныне"), Some(vec![PAST_ASCII.into()]));
    }

    #[test]
    fn a_rule_that_matches_is_never_held_back() {
        let patterns = [
            r"(?-u)(?i)\b(?:the[ \t\n]+)?(?P<day>[0-9]{1,2})(?:st|nd|rd|th)?[ \t\n]+(?:of[ \t\n]+)?(?P<month>january|jan|may)\.?\b",
            r"(?-u)(?i)\b(?P<hour>[0-2][0-9])(?P<minute>[0-5][0-9])[ \t\n]+(?:gmt|utc|z)\b",
            r"(?-u)(?i)\b[0-9]{4}\b",
            r"(?i)сейчас",
            r"(?i)^(реклама|ads?)$",
        ];
        let gate = RuleGate::new(patterns);
        let regexes: Vec<regex::Regex> = patterns.iter().map(|p| regex::Regex::new(p).expect("valid")).collect();
        for haystack in ["On the 3rd of MAY it rained", "At 0625 GMT, 1999", "сейчас", "nothing here", "the Mayor"]
        {
            let open = gate.candidates(haystack);
            for (index, regex) in regexes.iter().enumerate() {
                assert!(!regex.is_match(haystack) || open.contains(&index), "rule {index} held back on {haystack:?}");
            }
        }
        assert_eq!(gate.candidates("nothing “here” — really"), vec![2]);
        assert_eq!(gate.candidates("nothing here, сейчас"), vec![2, 3, 4]);
    }
}
