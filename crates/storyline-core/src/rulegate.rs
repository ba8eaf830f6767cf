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
use regex::Regex;
use regex_syntax::hir::{Class, Hir, HirKind};
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// The literal that stands for "some `far` character": a rule that requires one is let through by
/// any haystack that holds one. Never put in the automaton.
const FAR: &str = "\0";

/// More strings than this in one literal set, and the set is given up on (the rule's other parts,
/// or no gate at all, take over).
const MAX_SET: usize = 128;

/// Rules are told apart by the bits of a `Rules` word.
const MAX_RULES: usize = u128::BITS as usize;
type Rules = u128;

/// Rules, each a pattern and what it stands for (`T`), behind their gate. A rule compiles the first
/// time the gate lets it through: a run that never meets a rule's words never pays for its
/// automaton.
pub(crate) struct GatedRules<T> {
    rules: Vec<(String, T)>,
    compiled: Vec<OnceLock<Regex>>,
    compile: fn(&str) -> Regex,
    automaton: AhoCorasick,
    /// For each automaton pattern, the rules it lets through.
    opened_by: Vec<Rules>,
    /// Rules with no required literal: always let through.
    always: Rules,
    /// Rules that require a `far` character.
    far: Rules,
}

impl<T> GatedRules<T> {
    /// The gate for `rules`, in order; patterns are in the regex crate's syntax and `compile` turns
    /// one into its regex.
    ///
    /// # Panics
    /// On a pattern that does not parse, or past `MAX_RULES` rules: the rules are the program's
    /// own, and their tests build every list.
    pub(crate) fn new(rules: Vec<(String, T)>, compile: fn(&str) -> Regex) -> GatedRules<T> {
        assert!(rules.len() <= MAX_RULES, "{} rules behind one gate; at most {MAX_RULES}", rules.len());
        let mut literals: Vec<String> = Vec::new();
        let mut opened_by: Vec<Rules> = Vec::new();
        let (mut always, mut far) = (0, 0);
        for (index, (pattern, _)) in rules.iter().enumerate() {
            let bit: Rules = 1 << index;
            let hir = regex_syntax::parse(pattern).expect("a rule's pattern parses");
            let Some(mut set) = required(&hir).map(minimal) else {
                always |= bit;
                continue;
            };
            if set.remove(FAR) {
                far |= bit;
            }
            for literal in set {
                match literals.iter().position(|l| *l == literal) {
                    Some(at) => opened_by[at] |= bit,
                    None => {
                        literals.push(literal);
                        opened_by.push(bit);
                    }
                }
            }
        }
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&literals)
            .expect("the gate's literals build an automaton");
        let compiled = rules.iter().map(|_| OnceLock::new()).collect();
        GatedRules { rules, compiled, compile, automaton, opened_by, always, far }
    }

    /// The rules that may match somewhere in `haystack`, in rule order: what each stands for, and
    /// its regex.
    pub(crate) fn candidates(&self, haystack: &str) -> impl Iterator<Item = (&T, &Regex)> {
        let open = self.open(haystack);
        (0..self.rules.len())
            .filter(move |index| open & (1 << index) != 0)
            .map(|index| (&self.rules[index].1, self.regex(index)))
    }

    /// The bits of the rules the gate lets through for `haystack`.
    fn open(&self, haystack: &str) -> Rules {
        let mut open = self.always;
        if self.far != 0 && !haystack.is_ascii() && haystack.chars().any(far) {
            open |= self.far;
        }
        for found in self.automaton.find_overlapping_iter(haystack) {
            open |= self.opened_by[found.pattern().as_usize()];
        }
        open
    }

    fn regex(&self, index: usize) -> &Regex {
        self.compiled[index].get_or_init(|| (self.compile)(&self.rules[index].0))
    }

    /// The first rule that matches `haystack` though the gate holds it back: `None` is the gate's
    /// promise. For the tests of every rule list.
    #[cfg(test)]
    pub(crate) fn held_back(&self, haystack: &str) -> Option<usize> {
        let open = self.open(haystack);
        (0..self.rules.len()).find(|&index| open & (1 << index) == 0 && self.regex(index).is_match(haystack))
    }
}

/// Lowercase strings such that every match of `hir` contains one of them, or `None` when no such
/// set is known. Prefers the set whose shortest string is longest, then the smaller set.
fn required(hir: &Hir) -> Option<BTreeSet<String>> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => None,
        // The automaton folds ASCII case only: a letter of another script in either case stands
        // for itself as "some far character".
        HirKind::Class(class) if far_class(class) => Some(BTreeSet::from([FAR.to_owned()])),
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
fn far_class(class: &Class) -> bool {
    match class {
        Class::Bytes(_) => false,
        Class::Unicode(unicode) => unicode.iter().all(|range| {
            far(range.start())
                && far(range.end())
                && !(range.start() < *PUNCTUATION.start() && range.end() > *PUNCTUATION.end())
        }),
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
        // A Cyrillic word is past what the automaton folds: it asks for a far character.
        assert_eq!(literals(r"(?i)сейчас|ныне"), Some(vec![FAR.into()]));
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
        let gate =
            GatedRules::new(patterns.iter().map(|p| (p.to_string(), ())).collect(), |p| Regex::new(p).expect("valid"));
        for haystack in [
            "On the 3rd of MAY it rained",
            "At 0625 GMT, 1999",
            "сейчас",
            "nothing here",
            "the Mayor",
            "Ads",
            "Реклама",
        ] {
            assert_eq!(gate.held_back(haystack), None, "on {haystack:?}");
        }
        assert_eq!(gate.open("nothing “here” — really"), 0b100);
        assert_eq!(gate.open("nothing here, сейчас"), 0b11100);
    }
}
