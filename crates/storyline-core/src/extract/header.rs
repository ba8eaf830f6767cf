//! The page's head, above the first paragraph of prose: the masthead and tagline, the site header's
//! "today" date, the headline, and a timestamp under the headline. The site header's date is marked
//! `page-date` and never becomes the publication date: it tells when the page was served.

use super::block::{Block, BlockKind};
use super::byline;
use super::published::DateCandidate;
use super::rules::title_case_share;
use crate::dates;
use crate::model::{DateMethod, RemovalReason};

/// What the head of the page said.
#[derive(Debug, Default)]
pub(crate) struct Header {
    pub title: Option<String>,
    pub masthead: Option<String>,
    /// Names on a line of their own under the headline, with no "By".
    pub authors: Vec<String>,
}

/// Index of the first block of article prose: the end of the page's head.
pub(crate) fn body_start(blocks: &[Block]) -> usize {
    blocks
        .iter()
        .position(|b| {
            let words = b.words();
            b.verdict.is_none()
                && !matches!(b.kind, BlockKind::Heading(_))
                && ((words >= 12 && b.ends_sentence()) || words >= 25)
        })
        .unwrap_or(blocks.len())
}

/// A block that could be a headline.
fn headline_like(block: &Block) -> bool {
    let words = block.words();
    let text = block.text.trim();
    block.verdict.is_none()
        && (2..=25).contains(&words)
        && !text.ends_with([':', '.', ';', ','])
        && dates::whole_date(text).is_none()
}

/// Reads the head of the page and marks its blocks. `known_title` (from HTML metadata or a container)
/// wins over what the text suggests; the block repeating it is marked as the title. Once the
/// headline is known, what stands above it (section labels, slogans, menus) is page chrome.
pub(crate) fn read_header(
    blocks: &mut [Block],
    known_title: Option<&str>,
    candidates: &mut Vec<DateCandidate>,
) -> Header {
    let end = body_start(blocks);
    let mut header = Header { masthead: read_masthead(blocks, end), ..Header::default() };

    let mut title_index = None;
    if let Some(known) = known_title {
        let wanted = normalise(known);
        title_index = blocks.iter().take(end + 2).position(|b| b.verdict.is_none() && normalise(&b.text) == wanted);
        header.title = Some(known.to_owned());
    }

    // A date standing alone above the headline is the site header's date; a time of day with it makes
    // it the article's timestamp instead (the page's "today" has no time).
    let page_date = (0..end.min(6)).find(|&i| {
        blocks[i].verdict.is_none()
            && dates::whole_date(&blocks[i].text).is_some_and(|d| !d.timed)
            && blocks[i + 1..end].iter().any(headline_like)
            && title_index.is_none_or(|t| t > i)
    });
    if let Some(p) = page_date {
        blocks[p].verdict = Some(RemovalReason::PageDate);
        for block in blocks[..p].iter_mut().filter(|b| b.verdict.is_none()) {
            block.verdict = Some(RemovalReason::Tagline);
        }
    }

    if header.title.is_none() {
        title_index = choose_title(blocks, page_date.map_or(0, |p| p + 1), end);
        header.title = title_index.map(|t| blocks[t].text.clone());
    }
    if let Some(t) = title_index {
        // A timestamp standing right above the headline ("16.06.2024 | 20:15") dates the article.
        if let Some(above) = blocks[..t].iter().rposition(|b| b.verdict.is_none())
            && let Some(found) = dates::whole_date(&blocks[above].text).filter(|d| d.timed)
        {
            candidates.push(DateCandidate::found(&found, DateMethod::UnderHeadline, &blocks[above].text));
            blocks[above].verdict = Some(RemovalReason::Timestamp);
        }
        blocks[t].verdict = Some(RemovalReason::Title);
        for block in blocks[..t].iter_mut().filter(|b| b.verdict.is_none()) {
            block.verdict = Some(RemovalReason::Navigation);
        }
    }

    // Under the headline, a line of names alone is the byline ("Sandra Odermatt and Peter Gisler").
    if let Some(t) = title_index {
        for block in blocks.iter_mut().take(end.min(t + 4)).skip(t + 1) {
            if block.verdict.is_none()
                && block.kind == BlockKind::Paragraph
                && let Some(names) = byline::bare_names(&block.text)
            {
                block.verdict = Some(RemovalReason::Byline);
                header.authors = names;
                break;
            }
        }
    }

    // A timestamp just under the headline (or opening a line of chrome there) dates the article.
    let after_title = title_index.map_or(0, |t| t + 1);
    for block in &mut blocks[after_title..end.max(after_title)] {
        if matches!(block.verdict, Some(RemovalReason::Caption | RemovalReason::PageDate | RemovalReason::Timestamp)) {
            continue;
        }
        let Some(found) = dates::leading_date(&block.text) else {
            continue;
        };
        if block.verdict.is_none() && block.words() > 15 {
            continue;
        }
        candidates.push(DateCandidate::found(&found, DateMethod::UnderHeadline, &block.text));
        block.verdict.get_or_insert(RemovalReason::Timestamp);
        break;
    }
    header
}

/// The headline among the head's blocks: a level-1 heading if there is one, else the headline-like
/// block that sits closest above a byline or timestamp; all-capital section labels never win.
/// Ties go to the earlier block (a headline comes before its dek).
fn choose_title(blocks: &[Block], from: usize, end: usize) -> Option<usize> {
    let mut best: Option<(i32, usize)> = None;
    for i in from..end {
        let block = &blocks[i];
        if !headline_like(block) {
            continue;
        }
        let words = block.words();
        let mut score = i32::from((3..=20).contains(&words));
        match block.kind {
            BlockKind::Heading(1) => score += 4,
            BlockKind::Heading(2) => score += 1,
            _ => {}
        }
        let near_byline = blocks[i + 1..(i + 4).min(blocks.len())]
            .iter()
            .any(|b| matches!(b.verdict, Some(RemovalReason::Byline | RemovalReason::Timestamp)));
        if near_byline {
            score += 2;
        }
        if is_all_caps(&block.text) {
            score -= 3;
        }
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, i));
        }
    }
    best.map(|(_, i)| i)
}

/// The outlet's name at the very top: a block that is only a short name ("London Daily", "THE
/// HARBOUR COURIER"), or a capitalised name opening a line of menu or slogan ("MEKONG LEDGER — …").
/// A slogan right under a lone masthead is marked as the tagline.
fn read_masthead(blocks: &mut [Block], end: usize) -> Option<String> {
    let first = blocks.iter().position(|b| !matches!(b.verdict, Some(RemovalReason::CookieNotice)))?;
    if first >= end || first > 1 {
        return None;
    }
    let block = &blocks[first];
    if block.verdict.is_none() && is_masthead(block) && blocks[first + 1..end].iter().any(headline_like) {
        let name = display_name(&block.text);
        blocks[first].verdict = Some(RemovalReason::Masthead);
        // A slogan, not the headline, when another headline follows it before the text starts.
        let headline_after = blocks.get(first + 2..end).is_some_and(|rest| rest.iter().any(headline_like));
        if let Some(next) = blocks.get_mut(first + 1) {
            let slogan = next.verdict.is_none() && next.words() <= 15 && dates::whole_date(&next.text).is_none();
            if slogan && headline_after {
                next.verdict = Some(RemovalReason::Tagline);
            }
        }
        return Some(name);
    }
    let words: Vec<&str> = block.text.split_whitespace().take_while(|w| is_all_caps(w) || *w == "&").collect();
    let rest = block.text.split_whitespace().nth(words.len());
    let separated = rest.is_some_and(|r| r.starts_with(['—', '–', '-', '|', '·']));
    if (1..=5).contains(&words.len()) && words.iter().map(|w| w.len()).sum::<usize>() >= 4 && separated {
        let name = display_name(&words.join(" "));
        blocks[first].verdict.get_or_insert(RemovalReason::Masthead);
        return Some(name);
    }
    None
}

/// A masthead: a short name in title case or capitals, with no sentence punctuation.
fn is_masthead(block: &Block) -> bool {
    let words = block.words();
    (1..=5).contains(&words)
        && !block.text.ends_with(['.', ':', '?', '!'])
        && (title_case_share(&block.text) >= 0.99 || is_all_caps(&block.text))
}

/// All letters are capitals (and there are at least two).
fn is_all_caps(text: &str) -> bool {
    let mut letters = text.chars().filter(|c| c.is_alphabetic()).peekable();
    letters.peek().is_some()
        && text.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && letters.all(char::is_uppercase)
}

/// "THE HARBOUR COURIER" → "The Harbour Courier"; names already in mixed case stay as written.
fn display_name(text: &str) -> String {
    if !is_all_caps(text) {
        return text.to_owned();
    }
    text.split_whitespace()
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars.flat_map(char::to_lowercase)).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn normalise(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::block::text_blocks;

    fn check(text: &str, title: Option<&str>, masthead: Option<&str>, date: Option<&str>) {
        let mut blocks = text_blocks(text);
        crate::extract::rules::mark_boilerplate(&mut blocks, false);
        let mut candidates = Vec::new();
        let header = read_header(&mut blocks, None, &mut candidates);
        assert_eq!(header.title.as_deref(), title, "title of {text:?}");
        assert_eq!(header.masthead.as_deref(), masthead, "masthead of {text:?}");
        let published = super::super::published::choose(&candidates);
        assert_eq!(published.date.map(|d| d.to_string()).as_deref(), date, "date of {text:?}");
    }

    #[test]
    fn names_alone_under_the_headline() {
        let text = format!("Ferry runs aground in a storm\nIDA ROTH\nInes Roth and Pavel Dusek\n{PROSE}\nTom Hale");
        let mut blocks = text_blocks(&text);
        crate::extract::rules::mark_boilerplate(&mut blocks, false);
        let header = read_header(&mut blocks, None, &mut Vec::new());
        assert_eq!(header.authors, ["Ines Roth", "Pavel Dusek"]);
        assert!(blocks[4].verdict.is_none(), "a name below the text's start is not a byline");
    }

    const PROSE: &str = "The agreement, signed after a day of talks, commits each side to help the other if attacked.";

    #[test]
    fn heads() {
        check(
            &format!(
                "Harbour Courier\nNews you can trust.\nWednesday, Feb 05, 2025\nTreaty Takes Effect\nA dek line here\n{PROSE}"
            ),
            Some("Treaty Takes Effect"),
            Some("Harbour Courier"),
            None,
        );
        check(
            &format!(
                "Kim and Putin sign a defence pact in Pyongyang\n2024-06-19 03:14:00+00:00 - Scroll down for original article\n{PROSE}"
            ),
            Some("Kim and Putin sign a defence pact in Pyongyang"),
            None,
            Some("2024-06-19"),
        );
        check(
            &format!("# Bridge Collapses After Ship Strike\n\nMarch 26, 2024\n{PROSE}"),
            Some("Bridge Collapses After Ship Strike"),
            None,
            Some("2024-03-26"),
        );
        check(&format!("UPDATE 0625 GMT:\n{PROSE}"), None, None, None);
        check(
            &format!(
                "THE HARBOUR COURIER\nIndependent news from the waterfront\nWORLD > ASIA\nPutin and Kim sign a defence pact\nA long dek line that explains the story without ending in a full stop\nBy Jane Holloway\n{PROSE}"
            ),
            Some("Putin and Kim sign a defence pact"),
            Some("The Harbour Courier"),
            None,
        );
        check(
            &format!(
                "BASEL LEDGER\nTue 7 Mar 2023 | Log in | Subscribe | Deutsch\nFerry runs aground in a storm\n{PROSE}"
            ),
            Some("Ferry runs aground in a storm"),
            Some("Basel Ledger"),
            None,
        );
        check(
            &format!(
                "BASEL LEDGER\nHome | City | Sport | Culture | Weather: Basel 12°, rain\n07.03.2023 | 18:40\nFerry runs aground in a storm\n{PROSE}"
            ),
            Some("Ferry runs aground in a storm"),
            Some("Basel Ledger"),
            Some("2023-03-07"),
        );
        check(
            &format!("MEKONG LEDGER — business across Asia\nHome | Markets\nWhat Vietnam took from the visit\n{PROSE}"),
            Some("What Vietnam took from the visit"),
            Some("Mekong Ledger"),
            None,
        );
    }
}
