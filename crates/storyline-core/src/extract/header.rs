//! The page's head, above the first paragraph of prose: the masthead and tagline, the site header's
//! "today" date, the headline, and a timestamp under the headline. The site header's date is marked
//! `page-date` and never becomes the publication date: it tells when the page was served.

use super::block::{Block, BlockKind};
use super::published::DateCandidate;
use super::rules::title_case_share;
use crate::dates;
use crate::model::{DateMethod, RemovalReason};

/// What the head of the page said.
#[derive(Debug, Default)]
pub(crate) struct Header {
    pub title: Option<String>,
    pub masthead: Option<String>,
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
/// wins over what the text suggests; the block repeating it is marked as the title.
pub(crate) fn read_header(
    blocks: &mut [Block],
    known_title: Option<&str>,
    candidates: &mut Vec<DateCandidate>,
) -> Header {
    let end = body_start(blocks);
    let mut header = Header::default();

    if let Some(known) = known_title {
        let wanted = normalise(known);
        if let Some(block) = blocks
            .iter_mut()
            .take(end.max(1) + 2)
            .find(|b| b.verdict.is_none() && normalise(&b.text) == wanted)
        {
            block.verdict = Some(RemovalReason::Title);
        }
        header.title = Some(known.to_owned());
    }

    // A date standing alone above the headline is the site header's date.
    let page_date = (0..end.min(6)).find(|&i| {
        blocks[i].verdict.is_none()
            && dates::whole_date(&blocks[i].text).is_some()
            && blocks[i + 1..end].iter().any(headline_like)
            && !blocks[..i]
                .iter()
                .any(|b| b.verdict == Some(RemovalReason::Title))
    });

    if header.title.is_none() {
        let first_h1 = blocks[..end]
            .iter()
            .position(|b| b.verdict.is_none() && b.kind == BlockKind::Heading(1));
        let after = page_date.map_or(0, |p| p + 1);
        let mut title_index =
            first_h1.or_else(|| (after..end).find(|&i| headline_like(&blocks[i])));
        if page_date.is_none() {
            if let Some(first) = title_index {
                let next = (first + 1..end).find(|&i| headline_like(&blocks[i]));
                if is_masthead(&blocks[first]) && next.is_some() && first_h1.is_none() {
                    header.masthead = Some(blocks[first].text.clone());
                    blocks[first].verdict = Some(RemovalReason::Masthead);
                    title_index = next;
                }
            }
        }
        if let Some(t) = title_index {
            header.title = Some(blocks[t].text.clone());
            blocks[t].verdict = Some(RemovalReason::Title);
        }
    }

    if let Some(p) = page_date {
        blocks[p].verdict = Some(RemovalReason::PageDate);
        let mut first = true;
        for block in blocks[..p].iter_mut().filter(|b| b.verdict.is_none()) {
            if first && is_masthead(block) {
                header.masthead = Some(block.text.clone());
                block.verdict = Some(RemovalReason::Masthead);
            } else {
                block.verdict = Some(RemovalReason::Tagline);
            }
            first = false;
        }
    }

    // A timestamp just under the headline (or opening a line of chrome there) dates the article.
    let after_title = blocks
        .iter()
        .position(|b| b.verdict == Some(RemovalReason::Title))
        .map_or(0, |t| t + 1);
    for block in &mut blocks[after_title..end.max(after_title)] {
        if matches!(
            block.verdict,
            Some(RemovalReason::Caption | RemovalReason::PageDate | RemovalReason::Timestamp)
        ) {
            continue;
        }
        let Some(found) = dates::find_dates(&block.text)
            .into_iter()
            .next()
            .filter(|m| m.start == 0)
        else {
            continue;
        };
        if block.verdict.is_none() && block.words() > 15 {
            continue;
        }
        candidates.push(DateCandidate::new(
            found,
            DateMethod::UnderHeadline,
            &block.text,
        ));
        block.verdict.get_or_insert(RemovalReason::Timestamp);
        break;
    }
    header
}

/// A masthead: a short name in title case with no sentence punctuation ("London Daily").
fn is_masthead(block: &Block) -> bool {
    let words = block.words();
    (1..=5).contains(&words)
        && !block.text.ends_with(['.', ':', '?', '!'])
        && title_case_share(&block.text) >= 0.99
}

fn normalise(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::block::text_blocks;

    fn check(text: &str, title: Option<&str>, masthead: Option<&str>, date: Option<&str>) {
        let mut blocks = text_blocks(text);
        let mut candidates = Vec::new();
        let header = read_header(&mut blocks, None, &mut candidates);
        assert_eq!(header.title.as_deref(), title, "title of {text:?}");
        assert_eq!(header.masthead.as_deref(), masthead, "masthead of {text:?}");
        let published = super::super::published::choose(&candidates);
        assert_eq!(
            published.date.map(|d| d.to_string()).as_deref(),
            date,
            "date of {text:?}"
        );
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
    }
}
