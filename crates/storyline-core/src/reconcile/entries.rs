//! Live-blog entries: a live blog is one page of dated updates, often about different happenings
//! ("UPDATE 0625 GMT: the toll from Monday's strike has risen…" above "ORIGINAL ENTRY: North Korea
//! has ratified the treaty…"). Its entries are found by the markers that open them, and in a story
//! only the entries that share the story's words give it events, claims, quotes and summary
//! sentences; the others are set aside and listed, so a missile-strike update does not enter a
//! treaty's timeline.
//!
//! Pure text work on one body (the markers) and on word sets (the choice); no I/O.

use std::sync::LazyLock;

use regex::Regex;

use super::summary::{WordSet, words};

/// Time zones a live blog stamps its entries with.
const ZONES: &str = "GMT|BST|UTC|CET|CEST|EET|EEST|MSK|EST|EDT|ET|PST|PDT|PT|IST|KST|JST";

/// A paragraph that opens a live-blog entry: "UPDATE 0625 GMT:", "Update, 14:05 BST", "ORIGINAL
/// ENTRY:", "ORIGINAL POST:", or a bare "10:32 GMT" or "13:05 GMT, 30 Oct:" line.
static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?m)^(?:(?:UPDATE|Update|UPDATED|Updated)\b[ ,:]*(?:at )?\d{{1,2}}[:.]?\d{{2}}\s*(?:{ZONES})?\s*:?|ORIGINAL (?:ENTRY|POST)\s*:|\d{{1,2}}:\d{{2}}\s*(?:{ZONES})(?:,\s*\d{{1,2}}\s+[A-Z][a-z]{{2,8}})?\s*:?\s*$)"
    ))
    .expect("valid live-blog marker pattern")
});

/// A word every body with an entry marker holds (a marker's first word, or a zone): a literal
/// search passes over most bodies before the marker pattern runs.
static CUE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"UPDATE|Update|ORIGINAL|{ZONES}")).expect("valid live-blog cue pattern"));

/// An entry's share of the story's words, below which (as a share of the best entry's) it is
/// about something else.
const KEEP_SHARE: f64 = 0.5;

/// One entry of a live blog: its byte range in the body and its words.
#[derive(Clone, Debug)]
pub(super) struct Entry {
    pub start: usize,
    pub end: usize,
    pub words: WordSet,
}

/// The entries of a live blog, in order, the text before the first marker counting as one; empty
/// for an article with no entry markers (one piece).
pub(super) fn entries(body: &str) -> Vec<Entry> {
    if !CUE.is_match(body) {
        return Vec::new();
    }
    let starts: Vec<usize> = MARKER.find_iter(body).map(|m| m.start()).filter(|&s| s > 0).collect();
    if starts.is_empty() {
        return Vec::new();
    }
    let mut bounds = vec![0];
    bounds.extend(starts);
    bounds.push(body.len());
    bounds
        .windows(2)
        .filter(|w| !body[w[0]..w[1]].trim().is_empty())
        .map(|w| Entry { start: w[0], end: w[1], words: words(&body[w[0]..w[1]]) })
        .collect()
}

/// Which of an article's entries (by their words) are about the story whose other articles use
/// the words `others`: those whose share of the story's words (words that at least two of the
/// others use, or the only other one) is at least `KEEP_SHARE` of the best entry's. With nothing
/// to compare against, every entry is kept.
pub(super) fn kept(entries: &[&WordSet], others: &[&WordSet]) -> Vec<bool> {
    if others.is_empty() {
        return vec![true; entries.len()];
    }
    let least = if others.len() >= 2 { 2 } else { 1 };
    let story_word = |w: &u64| others.iter().filter(|o| o.contains(w)).count() >= least;
    let share = |words: &WordSet| {
        if words.is_empty() { 0.0 } else { words.iter().filter(|w| story_word(w)).count() as f64 / words.len() as f64 }
    };
    let shares: Vec<f64> = entries.iter().map(|words| share(words)).collect();
    let best = shares.iter().copied().fold(0.0, f64::max);
    shares.iter().map(|&s| best == 0.0 || s >= KEEP_SHARE * best).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BLOG: &str = "Crews cleared roads in the capital overnight.\n\n\
        UPDATE 0625 GMT:\n\nThe toll from Monday's missile strike on a residential building in Kryvyi Rih has \
        risen to four, with children among the dead and rescuers still searching the rubble.\n\n\
        ORIGINAL ENTRY: Parliament ratified the mutual defence treaty with its neighbour, and the \
        president signed the ratification law, completing the treaty's approval.";

    #[test]
    fn markers_open_entries_and_the_text_before_them_is_one() {
        let found = entries(BLOG);
        assert_eq!(found.len(), 3);
        assert!(BLOG[found[1].start..found[1].end].starts_with("UPDATE 0625 GMT:"));
        assert!(BLOG[found[2].start..found[2].end].starts_with("ORIGINAL ENTRY:"));
        assert_eq!(found[2].end, BLOG.len());
    }

    #[test]
    fn an_article_without_markers_has_no_entries() {
        assert!(entries("The treaty was signed on Wednesday.\n\nIt takes effect next year.").is_empty());
        // "Update" in running text is not a marker.
        assert!(entries("Officials gave an update at 10:30 on the talks.").is_empty());
        let dated = entries("Talks resumed.\n\n13:05 GMT, 30 Oct:\n\nThe ministers met again.");
        assert_eq!(dated.len(), 2);
    }

    #[test]
    fn the_entries_that_share_the_story_s_words_are_kept() {
        let found = entries(BLOG);
        let first = words(
            "The parliament voted to ratify the mutual defence treaty, and the president signed the \
             ratification law after the treaty approval by lawmakers.",
        );
        let second = words("Lawmakers approved the defence treaty and the president signed its ratification.");
        let found: Vec<&WordSet> = found.iter().map(|e| &e.words).collect();
        let keep = kept(&found, &[&first, &second]);
        assert!(keep[2], "the treaty entry");
        assert!(!keep[1], "the strike update");
        assert_eq!(kept(&found, &[]), vec![true; 3]);
    }
}
