//! Entities: the people, organisations, places and nationalities an article names, each mention
//! with its byte offsets, grouped under one canonical identity that is the same in every article
//! whatever the spelling ("Kim Jong-un", "Kim Jong Un" and a later "Kim" are `person/kim-jong-un`).
//!
//! How: capitalised runs of words are cut into names by the gazetteer (longest known spelling
//! first); the rest are typed by their head word ("… Ministry", "… Oblast"), by a title or role
//! before them ("President", "leader"), by a given name, by a speech verb after them, or by the
//! preposition before them. Short forms are then resolved inside the article ("Kim" after "Kim Jong
//! Un", "KINU" after "Korea Institute for National Unification (KINU)"), and capitals or countries
//! that act ("Pyongyang has sent troops") are marked as standing for their government, a capital
//! then taking its country's identity. Identities of names the gazetteer does not know are their
//! normalised spelling, so they too agree across articles. This module finds; it must not look
//! anything up outside the article and the bundled gazetteer.

use crate::annotate::gazetteer::{Entry, GAZETTEER, Subkind};
use serde::{Deserialize, Serialize};
// Lookups only, never iterated for output: a fast hash, seeded per process.
use foldhash::{HashMap, HashMapExt, HashSet};
use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The kinds of entity storyline tells apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Org,
    Place,
    Nationality,
}

impl EntityKind {
    /// Parses the lowercase name used in ids, the gazetteer and label files.
    pub fn parse(s: &str) -> Option<EntityKind> {
        match s {
            "person" => Some(EntityKind::Person),
            "org" => Some(EntityKind::Org),
            "place" => Some(EntityKind::Place),
            "nationality" => Some(EntityKind::Nationality),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Org => "org",
            EntityKind::Place => "place",
            EntityKind::Nationality => "nationality",
        }
    }
}

/// What a place name stands for in a mention.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sense {
    /// The state or its government acting ("Pyongyang has sent troops").
    Government,
}

/// One place in the body where an entity is named.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// Set when a place name stands for its government.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sense: Option<Sense>,
    /// The title or role written before a person's name ("Russian President", "North Korean leader").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// An entity of one article, with every mention of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// The canonical identity, shared across articles: `kind/name-in-lowercase`.
    pub id: String,
    pub name: String,
    pub kind: EntityKind,
    /// Whether the bundled gazetteer knows it.
    #[serde(default)]
    pub known: bool,
    /// The spellings used in this article.
    pub aliases: Vec<String>,
    /// Roles given to a person in this article.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    pub mentions: Vec<Mention>,
}

/// A word of the text: `start..end`, and `core_end` without a possessive "'s".
#[derive(Clone, Copy, Debug)]
struct Word {
    start: usize,
    end: usize,
    core_end: usize,
}

impl Word {
    fn core<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.core_end]
    }
    fn possessive(&self) -> bool {
        self.core_end < self.end
    }
}

/// Phrases right before a country or capital that make it the state ("ties with Pyongyang").
const STATE_BEFORE: &[&str] = &[
    "ties with",
    "relations with",
    "talks with",
    "alliance with",
    "cooperation with",
    "partnership with",
    "pact with",
    "treaty with",
    "deal with",
    "agreement with",
    "accord with",
    "support for",
    "sanctions on",
    "sanctions against",
    "pressure on",
    "pressure from",
    "ally of",
    "allied with",
    "aid from",
    "aid to",
    "arms from",
    "weapons from",
    "troops from",
    "soldiers from",
    "forces from",
    "backed by",
    "supplied by",
    "sent by",
    "deployed by",
    "signed by",
    "ratified by",
    "approved by",
    "demanded by",
    "accused",
    "urged",
    "warned",
    "condemned",
    "called on",
    "help from",
    "assistance from",
    "war with",
    "fighting",
    "invasion by",
    "neither",
    "both",
];

/// The recogniser's word lists, from `data/entity-words.txt` (stop words, titles, head words…).
#[derive(Debug)]
struct Lexicon {
    stop: HashSet<&'static str>,
    titles: HashSet<&'static str>,
    role_words: HashSet<&'static str>,
    org_heads: HashSet<&'static str>,
    place_heads: HashSet<&'static str>,
    not_entity_heads: HashSet<&'static str>,
    particles: HashSet<&'static str>,
    surname_first: HashSet<&'static str>,
    not_acronyms: HashSet<&'static str>,
    state_verbs: HashSet<&'static str>,
    auxiliaries: HashSet<&'static str>,
    state_nouns: HashSet<&'static str>,
    not_verbs: HashSet<&'static str>,
    locative: HashSet<&'static str>,
    motion: HashSet<&'static str>,
    city_nouns: HashSet<&'static str>,
    object_verbs: HashSet<&'static str>,
    subject_verbs: HashSet<&'static str>,
    region_words: HashSet<&'static str>,
    linkers: HashSet<&'static str>,
    government_words: HashSet<&'static str>,
}

const ENTITY_WORDS: &str = include_str!("../../data/entity-words.txt");

static LEX: LazyLock<Lexicon> = LazyLock::new(|| {
    let mut lists: HashMap<&'static str, HashSet<&'static str>> = HashMap::new();
    let mut current = None;
    for line in ENTITY_WORDS.lines() {
        if let Some(name) = line.strip_prefix("## ") {
            current = Some(name.trim());
        } else if !line.starts_with('#')
            && let Some(name) = current
        {
            lists.entry(name).or_default().extend(line.split_whitespace());
        }
    }
    let mut list = |name: &str| lists.remove(name).unwrap_or_default();
    Lexicon {
        stop: list("stop"),
        titles: list("titles"),
        role_words: list("role_words"),
        org_heads: list("org_heads"),
        place_heads: list("place_heads"),
        not_entity_heads: list("not_entity_heads"),
        particles: list("particles"),
        surname_first: list("surname_first"),
        not_acronyms: list("not_acronyms"),
        state_verbs: list("state_verbs"),
        auxiliaries: list("auxiliaries"),
        state_nouns: list("state_nouns"),
        not_verbs: list("not_verbs"),
        locative: list("locative"),
        motion: list("motion"),
        city_nouns: list("city_nouns"),
        object_verbs: list("object_verbs"),
        subject_verbs: list("subject_verbs"),
        region_words: list("region_words"),
        linkers: list("linkers"),
        government_words: list("government_words"),
    }
});

/// Finds the entities of an article body. `english` enables the rules for names the gazetteer does
/// not know; other languages get the gazetteer's names only.
pub fn find_entities(text: &str, english: bool) -> Vec<Entity> {
    let words = words(text);
    let mut found = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let Some(end) = chunk_end(text, &words, i) else {
            i += 1;
            continue;
        };
        segment(text, &words, i, end, english, &mut found);
        i = end;
    }
    resolve(text, &words, found)
}

/// A mention before resolution.
#[derive(Clone, Debug)]
struct Found {
    start: usize,
    end: usize,
    kind: EntityKind,
    known: Option<&'static Entry>,
    /// The identity without the kind; empty for a lone word that waits for resolution.
    identity: String,
    sense: Option<Sense>,
    /// A lone unknown word, kept only if it resolves to an entity named fully in the article.
    pending: bool,
}

impl Found {
    /// A mention the gazetteer does not know, read as a place, government or person by the rules.
    fn unknown(start: usize, end: usize, kind: EntityKind, identity: String) -> Found {
        Found { start, end, kind, known: None, identity, sense: None, pending: false }
    }
}

/// The first head word in `words[from..to]` followed by "of" or "for" ("Port of Baltimore",
/// "Centre for Eastern Studies"): such a run is one name.
fn head_of(text: &str, words: &[Word], from: usize, to: usize) -> Option<usize> {
    (from..to.saturating_sub(1))
        .find(|&k| is_head(words[k].core(text)) && matches!(words[k + 1].core(text), "of" | "for"))
}

/// The lowercase region word right after `words[e - 1]` ("Kursk region", "Sumy oblast").
fn region_word_after<'w>(text: &str, words: &'w [Word], e: usize) -> Option<&'w Word> {
    let last = &words[e - 1];
    let next = words.get(e)?;
    (!last.possessive() && text[last.end..next.start] == *" " && LEX.region_words.contains(&next.core(text)))
        .then_some(next)
}

/// Splits `text` into words: letters, digits and marks, joined by inner apostrophes and hyphens,
/// and dotted initialisms ("U.S.") with their final dot.
fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    let is_word =
        |c: char| if c.is_ascii() { c.is_ascii_alphanumeric() } else { c.is_alphanumeric() || is_combining_mark(c) };
    while let Some((start, c)) = chars.next() {
        if !is_word(c) {
            continue;
        }
        let mut end = start + c.len_utf8();
        let mut letters_only_initials = c.is_alphabetic();
        let mut segment_len = 1;
        while let Some(&(j, d)) = chars.peek() {
            if is_word(d) {
                segment_len += 1;
                end = j + d.len_utf8();
                chars.next();
                continue;
            }
            let joiner = matches!(d, '\'' | '’' | '-' | '‐' | '.');
            let next_is_word = text[j + d.len_utf8()..].chars().next().is_some_and(is_word);
            if !joiner || !next_is_word {
                break;
            }
            if d == '.' && !(letters_only_initials && segment_len == 1) {
                break;
            }
            // "Russian-North Korean", "Moscow-Pyongyang": capitalised words joined by a hyphen are
            // words of their own (a name spelled so, "Kim Jong-Un", is still found across them).
            let next_upper = text[j + d.len_utf8()..].chars().next().is_some_and(char::is_uppercase);
            if matches!(d, '-' | '‐') && next_upper && c.is_uppercase() {
                break;
            }
            if d != '.' {
                letters_only_initials = false;
            }
            segment_len = 0;
            end = j + d.len_utf8();
            chars.next();
        }
        // "U.S." keeps its last dot.
        if letters_only_initials && text[start..end].contains('.') && text[end..].starts_with('.') {
            end += 1;
            chars.next();
        }
        let word = &text[start..end];
        let core_end = if word.ends_with("'s") || word.ends_with("’s") {
            end - if word.ends_with("'s") { 2 } else { 4 }
        } else {
            end
        };
        out.push(Word { start, end, core_end: if core_end > start { core_end } else { end } });
    }
    out
}

fn capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(|c| c.is_uppercase())
}

fn all_caps(word: &str) -> bool {
    word.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !word.chars().any(|c| c.is_lowercase())
}

/// Whether the gap between two words lets a name continue: one space, or ". " after an initial or
/// an abbreviated title ("D. Michael", "Gen. Syrskyi").
fn joins(text: &str, before: &Word, after: &Word) -> bool {
    let gap = &text[before.end..after.start];
    if gap == " " || gap == "\u{a0}" {
        return true;
    }
    if matches!(gap, "-" | "‐") {
        return capitalised(&text[after.start..after.end]);
    }
    if gap == ". " {
        let word = &text[before.start..before.end];
        return (word.chars().count() == 1 && capitalised(word))
            || is_title(word)
            || matches!(word, "St" | "Mt" | "Ft");
    }
    false
}

fn is_title(word: &str) -> bool {
    LEX.titles.contains(&word.trim_end_matches('.'))
}

/// The end (exclusive word index) of the capitalised run starting at word `i`, if one starts there.
fn chunk_end(text: &str, words: &[Word], i: usize) -> Option<usize> {
    let first = &text[words[i].start..words[i].end];
    if !capitalised(first) {
        return None;
    }
    let mut end = i + 1;
    let mut has_head = is_head(first);
    while end < words.len() && (!words[end - 1].possessive() || keeps_possessive(text, &words[end - 1])) {
        if !joins(text, &words[end - 1], &words[end]) {
            break;
        }
        let word = &text[words[end].start..words[end].end];
        if capitalised(word) {
            has_head |= is_head(word);
            end += 1;
            continue;
        }
        // A lowercase word continues the name only between capitalised words.
        let particle = LEX.particles.contains(&word) || word.starts_with("al-") || word.starts_with("el-");
        // "and" joins the words of one name ("Strategic and International Studies"), not two names
        // ("Coast Guard and the Army Corps").
        let complete = word == "and" && is_head(&text[words[end - 1].start..words[end - 1].end]);
        // "Bosnia and Herzegovina", "Trinidad and Tobago": a known name goes on through the word.
        let in_name = GAZETTEER.continues(&text[words[i].start..words[end].end]);
        let linker =
            LEX.linkers.contains(&word) && (in_name || !complete && (has_head || head_ahead(text, words, end + 1)));
        if !(particle || linker) {
            break;
        }
        let mut next = end + 1;
        // "of the", "for the"
        if next < words.len() && &text[words[next].start..words[next].end] == "the" && word != "the" {
            next += 1;
        }
        let continues = next < words.len()
            && joins(text, &words[next - 1], &words[next])
            && capitalised(&text[words[next].start..words[next].end]);
        if word.starts_with("al-") || word.starts_with("el-") {
            end += 1;
            continue;
        }
        if !continues {
            break;
        }
        end = next;
    }
    Some(end)
}

/// Whether the capitalised words from `from` on end in a head word ("… and Markets Authority").
fn head_ahead(text: &str, words: &[Word], from: usize) -> bool {
    let mut last = None;
    for k in from..words.len().min(from + 6) {
        if !capitalised(words[k].core(text)) || k > from && !joins(text, &words[k - 1], &words[k]) {
            break;
        }
        last = Some(words[k].core(text));
        if words[k].possessive() {
            break;
        }
    }
    last.is_some_and(|w| LEX.org_heads.contains(&w))
}

/// "People's Army": a possessive that belongs to the name.
fn keeps_possessive(text: &str, word: &Word) -> bool {
    word.possessive() && matches!(word.core(text), "People" | "Workers" | "Women" | "Children" | "Veterans" | "Farmers")
}

fn is_head(word: &str) -> bool {
    LEX.org_heads.contains(&word) || LEX.place_heads.contains(&word)
}

/// Cuts the capitalised run `words[from..to]` into mentions.
fn segment(text: &str, words: &[Word], from: usize, to: usize, english: bool, out: &mut Vec<Found>) {
    let gaz = &*GAZETTEER;
    // "Port of Baltimore", "U.S. Army Corps of Engineers", "Centre for Eastern Studies": a head word
    // joined by "of" or "for" makes the whole run one name, even when parts of it are known.
    let first = (from..to).find(|&k| !LEX.stop.contains(&words[k].core(text))).unwrap_or(to);
    let joined = head_of(text, words, first, to).is_some();
    if english && joined && first < to && lookup(&text[words[first].start..words[to - 1].core_end]).is_none() {
        classify(text, words, first, to, out);
        return;
    }
    let mut i = from;
    let mut unknown_start: Option<usize> = None;
    let mut pieces: Vec<(usize, usize, Option<&'static Entry>)> = Vec::new();
    while i < to {
        let longest = (1..=gaz.max_words.min(to - i)).rev().find_map(|n| {
            let last = &words[i + n - 1];
            let surface = &text[words[i].start..last.core_end];
            let entry = lookup(surface)?;
            // A possessive inside the run ends a name.
            let clean = words[i..i + n - 1].iter().all(|w| !w.possessive() || keeps_possessive(text, w));
            clean.then_some((n, entry))
        });
        match longest {
            Some((n, entry)) => {
                if let Some(s) = unknown_start.take() {
                    pieces.push((s, i, None));
                }
                pieces.push((i, i + n, Some(entry)));
                i += n;
            }
            None => {
                unknown_start.get_or_insert(i);
                i += 1;
            }
        }
    }
    if let Some(s) = unknown_start {
        pieces.push((s, to, None));
    }
    // An organisation's name takes the national adjective or country before it ("Russian Defence
    // Ministry"), and a known name with a head word after it is a longer name ("Kursk Oblast" when
    // only "Kursk" is known).
    let mut merged: Vec<(usize, usize, Option<&'static Entry>)> = Vec::new();
    for piece in pieces {
        if let Some(prev) = merged.last_mut()
            && prev.1 == piece.0
            && let Some(prev_entry) = prev.2
            && (prev_entry.kind == EntityKind::Place || prev_entry.subkind == Subkind::Nationality)
            && (is_organisation_piece(text, words, piece)
                || piece.2.is_none() && LEX.place_heads.contains(&words[piece.1 - 1].core(text)))
        {
            *prev = (prev.0, piece.1, piece.2);
            continue;
        }
        // "Kim Il Sung Square", "Baltimore Harbor": a known name and a head word name a place or body.
        if let Some(prev) = merged.last_mut()
            && prev.1 == piece.0
            && piece.2.is_none()
            && piece.1 - piece.0 == 1
            && prev.2.is_some_and(|e| matches!(e.kind, EntityKind::Person | EntityKind::Place))
            && is_head(words[piece.0].core(text))
        {
            *prev = (prev.0, piece.1, None);
            continue;
        }
        // "Guadalupe Taddei": a town that is also a given name, before an unknown word, is a person's
        // first name.
        if let Some(prev) = merged.last_mut()
            && prev.1 == piece.0
            && piece.2.is_none()
            && prev.2.is_some_and(|e| e.subkind == Subkind::City && GAZETTEER.is_given_name(e.name))
        {
            *prev = (prev.0, piece.1, None);
            continue;
        }
        // "North-east Asia", "Eastern Europe": a compass word and a known place are one place.
        if english
            && let Some(prev) = merged.last()
            && prev.1 == piece.0
            && prev.2.is_none()
            && prev.1 - prev.0 == 1
            && piece.2.is_some_and(|e| e.kind == EntityKind::Place)
            && is_compass(words[prev.0].core(text))
        {
            let (start, end) = (words[prev.0].start, words[piece.1 - 1].core_end);
            merged.pop();
            out.push(Found::unknown(start, end, EntityKind::Place, place_identity(&text[start..end])));
            continue;
        }
        merged.push(piece);
    }
    for (s, e, entry) in merged {
        match entry {
            // "Airbus A350": a maker named for its product is not a mention.
            Some(entry)
                if entry.kind == EntityKind::Org
                    && words.get(e).is_some_and(|w| {
                        text[words[e - 1].end..w.start] == *" " && w.core(text).chars().any(|c| c.is_ascii_digit())
                    }) => {}
            Some(entry) => out.push(known_mention(text, words, s, e, entry)),
            None if english => {
                // Words capitalised only because they open a sentence cut a run in two.
                let mut from = s;
                for at in s..=e {
                    if at == e || LEX.stop.contains(&words[at].core(text)) {
                        if from < at {
                            classify(text, words, from, at, out);
                        }
                        from = at + 1;
                    }
                }
            }
            None => {}
        }
    }
}

fn is_compass(word: &str) -> bool {
    let lower = word.to_lowercase();
    ["north", "south", "east", "west", "central", "northern", "southern", "eastern", "western"]
        .iter()
        .any(|c| lower == *c || lower.starts_with(&format!("{c}-")))
}

fn is_organisation_piece(text: &str, words: &[Word], (_, e, entry): (usize, usize, Option<&Entry>)) -> bool {
    match entry {
        Some(entry) => entry.kind == EntityKind::Org,
        None => LEX.org_heads.contains(&words[e - 1].core(text)),
    }
}

/// Looks a surface up, also with its spaces normalised.
fn lookup(surface: &str) -> Option<&'static Entry> {
    let gaz = &*GAZETTEER;
    if let Some(entry) = gaz.lookup(surface) {
        return Some(entry);
    }
    if surface.contains('\u{a0}') {
        return gaz.lookup(&surface.replace('\u{a0}', " "));
    }
    // Datelines and headlines in capitals: "KYIV", "NORTH KOREA".
    if surface.chars().filter(|c| c.is_alphabetic()).count() >= 3 && !surface.chars().any(char::is_lowercase) {
        let title: String = surface
            .split(' ')
            .map(|w| {
                let mut chars = w.chars();
                chars.next().map(|c| c.to_string() + &chars.as_str().to_lowercase()).unwrap_or_default()
            })
            .collect::<Vec<_>>()
            .join(" ");
        return gaz.lookup(&title);
    }
    None
}

fn known_mention(text: &str, words: &[Word], s: usize, e: usize, entry: &'static Entry) -> Found {
    let start = words[s].start;
    let mut end = words[e - 1].core_end;
    let mut kind = entry.kind;
    let mut identity = entry.identity.to_owned();
    let mut known = Some(entry);
    // "Kursk region", "Belgorod oblast": a known city with a region word after it.
    if entry.kind == EntityKind::Place
        && let Some(next) = region_word_after(text, words, e)
    {
        let longer = &text[start..next.core_end];
        match lookup(longer) {
            Some(region) => {
                known = Some(region);
                identity = region.identity.to_owned();
            }
            // "Gangwon province" when only "Gangwon" is listed: the region already known.
            None if entry.subkind == Subkind::Region => {}
            None => {
                known = None;
                identity = place_identity(longer);
            }
        }
        end = next.core_end;
        kind = EntityKind::Place;
    }
    Found { start, end, kind, known, identity, sense: None, pending: false }
}

/// Types a run the gazetteer does not know.
fn classify(text: &str, words: &[Word], mut s: usize, mut e: usize, out: &mut Vec<Found>) {
    // "State of" before a known "Maryland": small words that joined the run end no name.
    while e > s && !capitalised(words[e - 1].core(text)) {
        e -= 1;
    }
    if s >= e {
        return;
    }
    // Capitalised only because it opens the sentence, or a title.
    let mut titled = false;
    // "Transport Minister Tetsuo Saito": everything up to the last title is the role (not in
    // names joined by "of": "Defence Intelligence of Ukraine").
    let joined = head_of(text, words, s, e).is_some();
    if !joined
        && !LEX.org_heads.contains(&words[e - 1].core(text))
        && let Some(k) = (s..e.saturating_sub(1)).rev().find(|&k| is_title(words[k].core(text)))
    {
        s = k + 1;
        titled = true;
    }
    // "Welcoming Putin, …": a verb or adverb capitalised only because it opens the sentence.
    if sentence_initial(text, words[s].start)
        && ["ing", "ed", "ly", "ness", "tion"].iter().any(|end| words[s].core(text).ends_with(end))
        && !GAZETTEER.is_given_name(words[s].core(text))
    {
        s += 1;
    }
    if joined {
        // "Head of Defence Intelligence of Ukraine": a title and its "of" before the name.
        let linker = (s..e).find(|&k| !capitalised(words[k].core(text)));
        if let Some(k) = linker
            && k > s
            && (s..k).all(|t| is_title(words[t].core(text)))
            && (k + 1..e).any(|t| is_head(words[t].core(text)))
        {
            s = k + 1;
            titled = true;
        }
    }
    while !joined && s < e {
        let w = words[s].core(text);
        if is_title(w) && !LEX.org_heads.contains(&words[e - 1].core(text)) {
            titled = true;
            s += 1;
        } else {
            break;
        }
    }
    if s >= e {
        return;
    }
    let start = words[s].start;
    let end = words[e - 1].core_end;
    let surface = &text[start..end];
    let last = words[e - 1].core(text);
    let n = e - s;
    let first = words[s].core(text);
    if n == 1 && first.chars().count() < 2 {
        return;
    }
    let found = |kind, identity: String, pending| {
        let f = Found { pending, ..Found::unknown(start, end, kind, identity) };
        if kind == EntityKind::Person && !pending { known_person(f) } else { f }
    };
    if LEX.not_entity_heads.contains(&last)
        || words[s..e].iter().any(|w| w.core(text).chars().any(|c| c.is_ascii_digit()))
    {
        return;
    }
    // "Evelyn Park said": a given name and one more word is a person.
    if n == 2
        && GAZETTEER.is_given_name(words[s].core(text))
        && !LEX.org_heads.contains(&last)
        && (speech_after(text, end) || !LEX.place_heads.contains(&last) || last == "Park")
    {
        out.push(found(EntityKind::Person, person_identity(surface), false));
        return;
    }
    if n > 1 && matches!(first, "Lake" | "Mount" | "Mt" | "Port" | "Fort" | "Cape" | "Isle" | "Gulf" | "Sea" | "Bay") {
        out.push(found(EntityKind::Place, place_identity(surface), false));
        return;
    }
    if LEX.place_heads.contains(&last) && n > 1 {
        out.push(found(EntityKind::Place, place_identity(surface), false));
        return;
    }
    if LEX.org_heads.contains(&last) && (n > 1 || matches!(last, "Kremlin" | "Pentagon")) {
        out.push(found(EntityKind::Org, slug(surface), false));
        return;
    }
    // "Port of Baltimore", "Army Corps of Engineers": the head word before "of" decides.
    if let Some(k) = head_of(text, words, s, e) {
        let kind = if LEX.place_heads.contains(&words[k].core(text)) { EntityKind::Place } else { EntityKind::Org };
        let identity = if kind == EntityKind::Place { place_identity(surface) } else { slug(surface) };
        out.push(found(kind, identity, false));
        return;
    }
    // A lowercase region word after it: "Sumy region".
    if let Some(next) = region_word_after(text, words, e) {
        let longer = &text[start..next.core_end];
        out.push(Found { end: next.core_end, ..found(EntityKind::Place, place_identity(longer), false) });
        return;
    }
    if n == 1 && all_caps(first) && first.chars().count() <= 6 && !LEX.not_acronyms.contains(&first) {
        out.push(found(EntityKind::Org, slug(first), false));
        return;
    }
    if all_caps(surface) {
        // A dateline opening a paragraph ("SANTA CLARA, California —") names a place; other runs in
        // capitals are headlines and labels ("BREAKING NEWS").
        let opens_paragraph = text[..start].trim_end_matches([' ', '\t']).ends_with('\n') || start == 0;
        let rest = text[end..].trim_start_matches(' ');
        if opens_paragraph
            && (rest.starts_with(',') || rest.starts_with('—') || rest.starts_with("- ") || rest.starts_with('–'))
        {
            out.push(found(EntityKind::Place, place_identity(&surface.to_lowercase()), false));
        }
        return;
    }
    let role_before = role_word_before(text, start);
    let speech_after = speech_after(text, end);
    let given = GAZETTEER.is_given_name(first) || LEX.surname_first.contains(&first);
    let initial = sentence_initial(text, start);
    if n >= 2 {
        let person = titled
            || role_before
            || given
            || speech_after
            || words[s..e].iter().all(|w| {
                let word = w.core(text);
                word.chars().all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'))
            });
        if person {
            out.push(found(EntityKind::Person, person_identity(surface), false));
        }
        return;
    }
    // One word.
    if titled || role_before || speech_after && !initial {
        out.push(found(EntityKind::Person, person_identity(surface), false));
    } else if !initial && place_preposition_before(text, start) {
        out.push(found(EntityKind::Place, place_identity(surface), false));
    } else {
        out.push(found(EntityKind::Person, String::new(), true));
    }
}

/// A person the gazetteer knows under another transliteration ("Oleksandr Syrskiy" for Syrskyi)
/// takes the gazetteer's identity.
fn known_person(mut f: Found) -> Found {
    if let Some(entry) = GAZETTEER.person_by_folded(&f.identity) {
        f.identity = entry.identity.to_owned();
        f.known = Some(entry);
    }
    f
}

/// Whether the text before `start` is a sentence opening (nothing, or a stop and opening marks).
fn sentence_initial(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end_matches(|c: char| c.is_whitespace() || "\"“‘'([*#•—–-".contains(c));
    before.is_empty() || before.ends_with(['.', '!', '?', ':', ';', '\n', '”', '"'])
}

fn previous_word(text: &str, start: usize) -> &str {
    let Some(before) = text[..start].strip_suffix(' ') else { return "" };
    let from = before
        .rfind(|c: char| !(c.is_alphanumeric() || c == '-'))
        .map_or(0, |i| i + before[i..].chars().next().map_or(1, char::len_utf8));
    &before[from..]
}

fn next_word(text: &str, end: usize) -> &str {
    let after = text[end..].strip_prefix(' ').unwrap_or("");
    let to = after.find(|c: char| !(c.is_alphanumeric() || c == '-')).unwrap_or(after.len());
    &after[..to]
}

fn role_word_before(text: &str, start: usize) -> bool {
    LEX.role_words.contains(&previous_word(text, start))
}

fn place_preposition_before(text: &str, start: usize) -> bool {
    matches!(
        previous_word(text, start),
        "in" | "near" | "at" | "from" | "into" | "outside" | "inside" | "across" | "towards" | "toward" | "around"
    )
}

fn speech_after(text: &str, end: usize) -> bool {
    let rest = &text[end..];
    if rest.starts_with(", who ") || rest.starts_with(", whose ") {
        return true;
    }
    matches!(
        next_word(text, end),
        "said" | "says" | "told" | "added" | "wrote" | "posted" | "argued" | "explained" | "noted" | "recalled"
    )
}

/// A person named in full that a lone word may stand for: where, kind, identity, gazetteer entry, and
/// rank (0 for the family name, 1 for a first name).
type ShortForm = (usize, EntityKind, String, Option<&'static Entry>, u8);

/// Marks countries and capitals that stand for their state, gives a capital used so its country's
/// identity, resolves lone words to fully named entities of the article, and groups mentions.
fn resolve(text: &str, words: &[Word], mut found: Vec<Found>) -> Vec<Entity> {
    // The state acting.
    for f in &mut found {
        let Some(entry) = f.known else { continue };
        if entry.subkind != Subkind::Capital || f.kind != EntityKind::Place {
            continue;
        }
        if stands_for_state(text, f.start, f.end) {
            f.sense = Some(Sense::Government);
            if entry.subkind == Subkind::Capital
                && let Some(country) = entry.link.and_then(|l| GAZETTEER.entry(l))
            {
                f.identity = country.identity.to_owned();
            }
        }
    }
    // Capitals listed together ("from Seoul, Tokyo and Washington") share one reading.
    for i in (1..found.len()).chain((1..found.len()).rev()) {
        let gap = &text[found[i - 1].end.min(found[i].start)..found[i].start];
        let listed = matches!(gap, ", " | " and " | ", and " | " or ");
        let both_capitals = [&found[i - 1], &found[i]]
            .iter()
            .all(|f| f.kind == EntityKind::Place && f.known.is_some_and(|e| e.subkind == Subkind::Capital));
        if !(listed && both_capitals) || found[i - 1].sense == found[i].sense {
            continue;
        }
        // The list's head says where ("diplomats in Seoul, Tokyo and Washington").
        let head = (0..i)
            .rev()
            .take_while(|&k| {
                k == i - 1 || {
                    let gap = &text[found[k].end.min(found[k + 1].start)..found[k + 1].start];
                    matches!(gap, ", " | " and " | ", and " | " or ")
                }
            })
            .last()
            .unwrap_or(i - 1);
        let word = previous_word(text, found[head].start);
        if LEX.locative.contains(&word) || matches!(word, "to" | "from") {
            continue;
        }
        for at in [i - 1, i] {
            let f = &mut found[at];
            f.sense = Some(Sense::Government);
            if let Some(country) = f.known.and_then(|e| e.link).and_then(|l| GAZETTEER.entry(l)) {
                f.identity = country.identity.to_owned();
            }
        }
    }
    // Acronyms given in brackets after a name: "Korea Institute for National Unification (KINU)".
    let mut acronyms: HashMap<String, (EntityKind, String)> = HashMap::new();
    for f in &found {
        if f.pending || f.identity.is_empty() {
            continue;
        }
        if let Some(rest) = text[f.end..].strip_prefix(" (")
            && let Some(close) = rest.get(..rest.floor_char_boundary(12)).and_then(|head| head.find(')'))
            && close <= 8
            && all_caps(&rest[..close])
        {
            acronyms.insert(rest[..close].to_owned(), (f.kind, f.identity.clone()));
        }
    }
    // Short forms of people named in full: the family name (last word, or first for names written
    // family name first), else the first word ("Gibran", "Lai"), which some news styles use alone.
    let mut short: HashMap<String, Vec<ShortForm>> = HashMap::new();
    for f in found.iter().filter(|f| f.kind == EntityKind::Person && !f.pending) {
        let name = &text[f.start..f.end];
        let parts: Vec<&str> = name.split([' ', '\u{a0}']).collect();
        if parts.len() < 2 {
            continue;
        }
        let family_first = LEX.surname_first.contains(&parts[0]);
        let keys = [(parts[parts.len() - 1], u8::from(family_first)), (parts[0], u8::from(!family_first))];
        for (key, rank) in keys {
            short.entry(key.to_owned()).or_default().push((f.start, f.kind, f.identity.clone(), f.known, rank));
        }
    }
    // One decision per short form, made once: the person named in full most often, and on a tie
    // the one named first (the article's subject: "Kim" is Kim Jong Un, not his father named once
    // in passing). Family names outrank first names.
    let chosen: HashMap<&str, &ShortForm> = short
        .iter()
        .filter_map(|(key, all)| {
            let best_rank = all.iter().map(|c| c.4).min()?;
            let mut counts: HashMap<&str, usize> = HashMap::new();
            for c in all.iter().filter(|c| c.4 == best_rank) {
                *counts.entry(c.2.as_str()).or_default() += 1;
            }
            let most = counts.values().copied().max()?;
            let best = all.iter().filter(|c| c.4 == best_rank).find(|c| counts.get(c.2.as_str()) == Some(&most))?;
            Some((key.as_str(), best))
        })
        .collect();
    for f in &mut found {
        let word = &text[f.start..f.end];
        if let Some((kind, identity)) = acronyms.get(word)
            && (f.pending || f.known.is_none())
        {
            f.kind = *kind;
            f.identity = identity.clone();
            f.pending = false;
            continue;
        }
        if !(f.pending || f.kind == EntityKind::Person && f.known.is_none() && !word.contains(' ')) {
            continue;
        }
        if let Some((_, kind, identity, known, _)) = chosen.get(word) {
            f.kind = *kind;
            f.identity = identity.clone();
            f.known = *known;
            f.pending = false;
        }
    }
    // "Defence Ministry" after "Russian Defence Ministry", "Security Council" after "UN Security Council".
    // The nearest such longer name before it wins; each distinct name is listed once.
    let mut organisations: Vec<(usize, &str, String)> = Vec::new();
    for f in found.iter().filter(|f| f.kind == EntityKind::Org && !f.pending) {
        let name = &text[f.start..f.end];
        match organisations.iter_mut().find(|(_, n, _)| *n == name) {
            Some(entry) => entry.0 = entry.0.min(f.start),
            None => organisations.push((f.start, name, f.identity.clone())),
        }
    }
    for f in found.iter_mut().filter(|f| f.kind == EntityKind::Org && f.known.is_none()) {
        let name = &text[f.start..f.end];
        let longer = organisations
            .iter()
            .filter(|(_, other, _)| {
                other.len() > name.len() && other.ends_with(name) && other[..other.len() - name.len()].ends_with(' ')
            })
            .min_by_key(|(at, _, _)| if *at < f.start { f.start - at } else { usize::MAX / 2 + at });
        if let Some((_, _, identity)) = longer {
            f.identity = identity.clone();
        }
    }
    found.retain(|f| !f.pending && !f.identity.is_empty());
    found.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
    found.dedup_by(|b, a| b.start < a.end);

    let mut entities: Vec<Entity> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for f in found {
        let id = format!("{}/{}", f.kind.as_str(), f.identity);
        let mention_text = text[f.start..f.end].to_owned();
        let role = (f.kind == EntityKind::Person).then(|| role_before(text, words, f.start)).flatten();
        let at = *index.entry(id.clone()).or_insert_with(|| {
            let known = f
                .known
                .filter(|e| e.identity == f.identity)
                .or_else(|| GAZETTEER.entry(&f.identity))
                .filter(|e| e.kind == f.kind);
            entities.push(Entity::new(id, f.kind, known, &mention_text));
            entities.len() - 1
        });
        entities[at].add(Mention { text: mention_text, start: f.start, end: f.end, sense: f.sense, role });
    }
    entities
}

impl Entity {
    fn new(id: String, kind: EntityKind, known: Option<&Entry>, first: &str) -> Entity {
        Entity {
            id,
            name: known.map_or_else(|| first.to_owned(), |e| e.name.to_owned()),
            kind,
            known: known.is_some(),
            aliases: Vec::new(),
            roles: Vec::new(),
            mentions: Vec::new(),
        }
    }

    /// Adds a mention in body order, with its spelling and role; an unknown entity is named by its
    /// fullest spelling.
    fn add(&mut self, mention: Mention) {
        if !self.known && mention.text.split(' ').count() > self.name.split(' ').count() {
            self.name = mention.text.clone();
        }
        if !self.aliases.contains(&mention.text) {
            self.aliases.push(mention.text.clone());
        }
        if let Some(role) = &mention.role
            && !self.roles.contains(role)
        {
            self.roles.push(role.clone());
        }
        let at = self.mentions.partition_point(|m| m.start < mention.start);
        self.mentions.insert(at, mention);
    }
}

/// Whether a capital named at `start..end` stands for its country's state: the subject of a verb
/// ("Moscow is short of shells", "Pyongyang has sent"), its object or partner ("thanked Moscow",
/// "ties with Pyongyang", "between Moscow and Pyongyang"), or its owner ("Kyiv's intelligence");
/// not when it is where something is ("officials in Seoul", "flew to Pyongyang").
fn stands_for_state(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].trim_end();
    let lower_before: String = before[before.floor_char_boundary(before.len().saturating_sub(40))..].to_lowercase();
    let lower_before = lower_before.as_str();
    if STATE_BEFORE.iter().any(|p| lower_before.ends_with(p)) || lower_before.ends_with("between") {
        return true;
    }
    if let Some(head) = lower_before.strip_suffix(" and")
        && head.rsplit(' ').nth(1).is_some_and(|w| w == "between")
    {
        return true;
    }
    let mut previous = lower_before.rsplit(|c: char| !c.is_alphanumeric() && c != '-');
    let prev = if before.len() + 1 == start { previous.next().unwrap_or("") } else { "" };
    let prev2 = previous.next().unwrap_or("");
    if LEX.locative.contains(&prev) {
        return false;
    }
    let after = &text[end..];
    // "Kyiv's intelligence" is the state's; "Moscow's streets", "Pyongyang's Kim Il Sung Square"
    // are the city's.
    if let Some(rest) = after.strip_prefix("'s ").or_else(|| after.strip_prefix("’s ")) {
        let noun = rest.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
        return !LEX.city_nouns.contains(&noun.to_lowercase().as_str()) && !capitalised(noun);
    }
    // "Pyongyang, North Korea": the city with its country.
    if let Some(rest) = after.strip_prefix(", ")
        && lookup(rest.split([',', '.', ';']).next().unwrap_or("")).is_some_and(|e| e.subkind == Subkind::Country)
    {
        return false;
    }
    // "arms to Kyiv", "condemnation from Seoul" are the state; "trips to Moscow" are places.
    if matches!(prev, "to" | "from") {
        return LEX.state_nouns.contains(&prev2) && !LEX.motion.contains(&prev2);
    }
    let verb_before = prev.len() > 3 && prev.ends_with("ed")
        || prev.len() > 4 && prev.ends_with("ing") && !LEX.not_verbs.contains(&prev)
        || LEX.state_verbs.contains(&prev)
        || LEX.object_verbs.contains(&prev);
    if matches!(prev, "for" | "with" | "by" | "against" | "on") || verb_before {
        return true;
    }
    let mut rest = after.strip_prefix(", which").or_else(|| after.strip_prefix(", who")).unwrap_or(after);
    if let Some(r) = rest.strip_prefix(' ')
        && LEX.government_words.contains(r.split(|c: char| !c.is_alphanumeric()).next().unwrap_or(""))
    {
        return true;
    }
    // "Moscow and Pyongyang have signed"
    if let Some(r) = rest.strip_prefix(" and ") {
        let skip = r.find([' ', ',']).unwrap_or(r.len());
        if r.chars().next().is_some_and(char::is_uppercase) {
            rest = &r[skip..];
        }
    }
    for _ in 0..4 {
        let Some(r) = rest.strip_prefix(' ').or_else(|| rest.strip_prefix(", ")) else { return false };
        let word_end = r.find(|c: char| !(c.is_alphanumeric() || c == '-')).unwrap_or(r.len());
        let word = &r[..word_end];
        if LEX.state_verbs.contains(&word) || LEX.subject_verbs.contains(&word) {
            return true;
        }
        if !LEX.auxiliaries.contains(&word) {
            return false;
        }
        if !matches!(word, "also" | "reportedly" | "already" | "allegedly" | "apparently" | "now" | "then" | "still") {
            return true;
        }
        rest = &r[word_end..];
    }
    false
}

/// The role written right before a person's name: title words, with the nationality, country or
/// body they belong to ("Russian President", "North Korean leader", "NATO Secretary General").
fn role_before(text: &str, words: &[Word], start: usize) -> Option<String> {
    let at = words.partition_point(|w| w.start < start);
    let mut from = at;
    let mut has_title = false;
    // Roles are a few words long ("NATO Secretary General", "Russian Deputy Foreign Minister").
    while from > 0 && at - from < 6 {
        let w = &words[from - 1];
        let gap = &text[w.end..words[from].start];
        if !(gap == " " || gap == "\u{a0}" || gap == ". " && is_title(w.core(text))) {
            break;
        }
        let word = w.core(text);
        let lower = word.to_lowercase();
        let title = (is_title(word) && !matches!(word, "Mr" | "Mrs" | "Ms" | "Dr" | "Sir" | "Dame"))
            || LEX.role_words.contains(&lower.as_str()) && !matches!(lower.as_str(), "official" | "officials");
        let descriptor = capitalised(word) || matches!(word, "of" | "the" | "for");
        if title {
            has_title = true;
        } else if !descriptor || w.possessive() && !capitalised(word) {
            break;
        }
        from -= 1;
        if w.possessive() {
            break;
        }
    }
    // Trim words that are not part of the role from its front ("the", "said").
    while from < at {
        let word = words[from].core(text);
        if is_title(word) || capitalised(word) && !LEX.stop.contains(&word) {
            break;
        }
        if LEX.role_words.contains(&word.to_lowercase().as_str()) {
            break;
        }
        from += 1;
    }
    if !has_title || from >= at {
        return None;
    }
    let role = text[words[from].start..words[at - 1].end].trim_end_matches('.');
    (!role.is_empty()).then(|| role.to_owned())
}

/// The entity of the article a name ("Kim", "Foreign Minister Choe Son Hui", "KCNA") refers to:
/// one spelled so, else one whose spelling ends the name, else a person sharing its last word.
pub fn named<'e>(entities: &'e [Entity], name: &str) -> Option<&'e Entity> {
    let name = name.trim();
    if let Some(e) = entities.iter().find(|e| e.aliases.iter().any(|a| a == name)) {
        return Some(e);
    }
    let ending = entities
        .iter()
        .flat_map(|e| e.aliases.iter().map(move |a| (e, a)))
        .filter(|(_, a)| name.ends_with(a.as_str()) && name[..name.len() - a.len()].ends_with(' '))
        .max_by_key(|(_, a)| a.len());
    if let Some((e, _)) = ending {
        return Some(e);
    }
    let last = name.rsplit(' ').next()?;
    entities
        .iter()
        .find(|e| e.kind == EntityKind::Person && e.aliases.iter().any(|a| a.rsplit(' ').next() == Some(last)))
}

/// The entity a figure at `span` belongs to, within its sentence `bounds`: a nationality, place or
/// body named inside the figure ("11,000 North Korean troops") or right after it ("troops from North
/// Korea"), else the one named last before it ("Pyongyang has sent 11,000 troops"). A nationality
/// stands for its country, so that every way of saying it agrees.
pub fn owner(entities: &[Entity], text: &str, span: (usize, usize), bounds: (usize, usize)) -> Option<String> {
    let candidates = entities
        .iter()
        .filter(|e| e.kind != EntityKind::Person)
        .flat_map(|e| e.mentions.iter().map(move |m| (e, m)))
        .filter(|(_, m)| bounds.0 <= m.start && m.end <= bounds.1);
    let inside_or_after = candidates
        .clone()
        .filter(|(_, m)| {
            span.0 <= m.start && m.start < span.1 || {
                let gap = text.get(span.1..m.start).unwrap_or("");
                m.start >= span.1 && matches!(gap, " from " | " of " | " from the " | " of the " | " in " | " sent by ")
            }
        })
        .min_by_key(|(_, m)| m.start);
    let before = || candidates.clone().filter(|(_, m)| m.end <= span.0).max_by_key(|(_, m)| m.start);
    let (entity, _) = inside_or_after.or_else(before)?;
    if entity.kind == EntityKind::Nationality
        && let Some(country) = GAZETTEER
            .entry(entity.id.split_once('/').map_or("", |(_, identity)| identity))
            .and_then(|e| e.link)
            .and_then(|l| GAZETTEER.entry(l))
    {
        return Some(format!("{}/{}", country.kind.as_str(), country.identity));
    }
    Some(entity.id.clone())
}

/// A quote's speaker named by a full personal name the recogniser passed over (in a language it
/// has no rules for, or with no cue it knows): the person's entity, added with its mention, nearest
/// the quote at `near`. Names of one word, or with a head word ("Institute"), are not people here.
pub fn speaker_entity(entities: &mut Vec<Entity>, text: &str, speaker: &str, near: usize) -> Option<String> {
    let words: Vec<&str> = speaker.split_whitespace().collect();
    let personal = (2..=3).contains(&words.len())
        && words
            .iter()
            .all(|w| capitalised(w) && w.chars().all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’')))
        && !words.iter().any(|w| is_head(w) || is_title(w));
    if !personal {
        return None;
    }
    let start = text
        .match_indices(speaker)
        .map(|(at, _)| at)
        .filter(|&at| !word_char_before(text, at) && !text[at + speaker.len()..].starts_with(char::is_alphanumeric))
        .min_by_key(|&at| at.abs_diff(near))?;
    let identity =
        known_person(Found::unknown(start, start + speaker.len(), EntityKind::Person, person_identity(speaker)));
    let id = format!("person/{}", identity.identity);
    let at = match entities.iter().position(|e| e.id == id) {
        Some(at) => at,
        None => {
            entities.push(Entity::new(id.clone(), EntityKind::Person, identity.known, speaker));
            entities.len() - 1
        }
    };
    if !entities[at].mentions.iter().any(|m| m.start == start) {
        entities[at].add(Mention {
            text: speaker.to_owned(),
            start,
            end: start + speaker.len(),
            sense: None,
            role: None,
        });
    }
    Some(id)
}

fn word_char_before(text: &str, at: usize) -> bool {
    text[..at].chars().next_back().is_some_and(char::is_alphanumeric)
}

/// The person mentioned last before `at` (within 600 bytes), outside the `quoted` ranges.
pub fn person_before<'e>(entities: &'e [Entity], at: usize, quoted: &[(usize, usize)]) -> Option<&'e Entity> {
    entities
        .iter()
        .filter(|e| e.kind == EntityKind::Person)
        .flat_map(|e| e.mentions.iter().map(move |m| (e, m)))
        .filter(|(_, m)| m.end <= at && at - m.end <= 600 && !quoted.iter().any(|&(s, e)| s <= m.start && m.end <= e))
        .max_by_key(|(_, m)| m.start)
        .map(|(e, _)| e)
}

/// Lowercase identity of a name: accents folded (Latin letters become ASCII; other scripts stay as
/// they are), apostrophes dropped, other marks hyphens.
pub fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut dash = false;
    for c in name.nfd() {
        if is_combining_mark(c) || c == '\'' || c == '’' {
            continue;
        }
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            // Letters that do not decompose into a base letter and a mark.
            match c.to_lowercase().next().unwrap_or(c) {
                'ø' => out.push('o'),
                'ł' => out.push('l'),
                'đ' | 'ð' => out.push('d'),
                'ß' => out.push_str("ss"),
                'æ' => out.push_str("ae"),
                'œ' => out.push_str("oe"),
                'þ' => out.push_str("th"),
                'ı' => out.push('i'),
                _ => out.extend(c.to_lowercase()),
            }
        } else {
            dash = true;
        }
    }
    out
}

/// A person's identity: transliteration endings agreed ("Zelenskyy", "Zelenskiy" → "zelensky").
pub(crate) fn person_identity(name: &str) -> String {
    slug(name)
        .split('-')
        .map(|part| {
            for ending in ["yy", "iy", "yi", "ii"] {
                if let Some(stem) = part.strip_suffix(ending)
                    && stem.len() >= 3
                {
                    return format!("{stem}y");
                }
            }
            part.to_owned()
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// A place's identity: "Kursk Oblast", "Kursk province" and "Kursk region" agree.
fn place_identity(name: &str) -> String {
    let s = slug(name.trim_start_matches("the ").trim_start_matches("The "));
    for word in &LEX.region_words {
        if let Some(stem) = s.strip_suffix(&format!("-{word}")) {
            return format!("{stem}-region");
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<(String, Vec<String>)> {
        find_entities(text, true)
            .into_iter()
            .map(|e| (e.id, e.mentions.into_iter().map(|m| m.text).collect()))
            .collect()
    }

    fn id_of(text: &str, mention: &str) -> Option<String> {
        find_entities(text, true).into_iter().find(|e| e.mentions.iter().any(|m| m.text == mention)).map(|e| e.id)
    }

    #[test]
    fn spellings_share_one_identity() {
        let a = id_of("North Korean leader Kim Jong-un met Putin.", "Kim Jong-un");
        let b = id_of("Kim Jong Un said the treaty mattered.", "Kim Jong Un");
        assert!(a.is_some());
        assert_eq!(a, b);
        let z1 = id_of("President Volodymyr Zelenskyy said so.", "Volodymyr Zelenskyy");
        let z2 = id_of("Ukraine's leader Zelensky said so.", "Zelensky");
        assert_eq!(z1, z2);
        let k1 = id_of("Troops are in the Kursk region now.", "Kursk region");
        let k2 = id_of("Troops are in Kursk Oblast now.", "Kursk Oblast");
        assert_eq!(k1, k2);
    }

    #[test]
    fn short_forms_resolve_inside_the_article() {
        let text = "Kim Jong Un hosted the visit. Later Kim said the pact was historic.";
        let found = ids(text);
        let kim = found.iter().find(|(_, m)| m.contains(&"Kim".to_owned())).expect("Kim found");
        assert!(kim.1.contains(&"Kim Jong Un".to_owned()), "{found:?}");
        let text = "Analyst Jane Holloway of the Harbour Institute said it was new. Holloway added more.";
        let found = ids(text);
        assert!(found.iter().any(|(id, m)| id == "person/jane-holloway" && m.len() == 2), "{found:?}");
        assert!(found.iter().any(|(id, _)| id == "org/harbour-institute"), "{found:?}");
    }

    #[test]
    fn capitals_acting_stand_for_their_state() {
        let text = "Pyongyang has sent troops, and talks between Moscow and Pyongyang went on in Pyongyang.";
        let entities = find_entities(text, true);
        let nk = entities.iter().find(|e| e.id == "place/north-korea").expect("north korea as the state");
        assert_eq!(nk.mentions.len(), 2, "{entities:?}");
        assert!(nk.mentions.iter().all(|m| m.sense == Some(Sense::Government)));
        let city = entities.iter().find(|e| e.id == "place/pyongyang").expect("the city");
        assert_eq!(city.mentions.len(), 1);
        assert!(city.mentions[0].sense.is_none());
    }

    #[test]
    fn titles_are_roles_not_names() {
        let entities = find_entities("Russian President Vladimir Putin and North Korean leader Kim Jong Un met.", true);
        let putin = entities.iter().find(|e| e.id == "person/vladimir-putin").expect("putin");
        assert_eq!(putin.mentions[0].text, "Vladimir Putin");
        assert_eq!(putin.roles, vec!["Russian President".to_owned()]);
        let kim = entities.iter().find(|e| e.id == "person/kim-jong-un").expect("kim");
        assert_eq!(kim.roles, vec!["North Korean leader".to_owned()]);
        assert!(entities.iter().any(|e| e.id == "nationality/russian"));
    }

    #[test]
    fn organisations_take_their_national_adjective() {
        let entities = find_entities("The Russian Defence Ministry said its forces held the line.", true);
        assert_eq!(entities.len(), 1, "{entities:?}");
        assert_eq!(entities[0].kind, EntityKind::Org);
        assert_eq!(entities[0].mentions[0].text, "Russian Defence Ministry");
    }

    #[test]
    fn sentence_openers_are_not_names() {
        assert!(ids("However, nothing happened. Officials said nothing.").is_empty());
    }

    #[test]
    fn offsets_slice_the_mentions() {
        let text = "In Hanoi, Tô Lâm welcomed Putin’s delegation; the U.S. State Department said little.";
        for e in find_entities(text, true) {
            for m in e.mentions {
                assert_eq!(&text[m.start..m.end], m.text);
            }
        }
    }

    #[test]
    fn every_word_list_is_in_the_data_file() {
        let lex = &*LEX;
        let debug = format!("{lex:?}");
        assert!(!debug.contains(": {}"), "a list of data/entity-words.txt is missing or empty: {debug}");
        assert!(lex.stop.contains("However") && lex.org_heads.contains("Ministry"));
    }

    #[test]
    fn spellings_the_gazetteer_does_not_list_still_take_its_identity() {
        let listed = id_of("Oleksandr Syrskyi said so.", "Oleksandr Syrskyi");
        assert_eq!(id_of("Oleksandr Syrskiy said so.", "Oleksandr Syrskiy"), listed);
        let region = id_of("Troops crossed into Gangwon Province.", "Gangwon Province");
        assert_eq!(id_of("Troops crossed into Gangwon province.", "Gangwon province"), region);
    }

    #[test]
    fn names_with_small_words_and_abbreviations_are_whole() {
        assert_eq!(
            id_of("Officials in Bosnia and Herzegovina said.", "Bosnia and Herzegovina"),
            Some("place/bosnia-and-herzegovina".to_owned())
        );
        assert!(id_of("Troops from Russia and Belarus trained.", "Russia").is_some());
        assert!(id_of("He flew to St. Petersburg on Monday.", "St. Petersburg").is_some());
    }

    #[test]
    fn a_speaker_the_rules_passed_over_becomes_a_person() {
        let text = "«Это формальность», — сказал политолог Иван Петров.";
        let mut entities = find_entities(text, false);
        let id = speaker_entity(&mut entities, text, "Иван Петров", 30);
        assert_eq!(id.as_deref(), Some("person/иван-петров"));
        let person = entities.iter().find(|e| e.kind == EntityKind::Person).expect("added");
        assert_eq!(&text[person.mentions[0].start..person.mentions[0].end], "Иван Петров");
        assert_eq!(speaker_entity(&mut entities, text, "Harbour Institute", 0), None);
    }

    #[test]
    fn identities_fold_spellings() {
        assert_eq!(person_identity("Volodymyr Zelenskyy"), "volodymyr-zelensky");
        assert_eq!(person_identity("Oleksandr Syrskyi"), "oleksandr-syrsky");
        assert_eq!(place_identity("Kursk Oblast"), place_identity("Kursk region"));
        assert_eq!(slug("Tô Lâm"), "to-lam");
    }
}
