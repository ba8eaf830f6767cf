//! The unit extraction reasons about: a `Block` of text (a paragraph, heading, list item or quote)
//! with the few layout facts the rules need. Turns scraped text into blocks (markdown marks and stray
//! HTML tags cleaned away, hard-wrapped lines rejoined); HTML pages become blocks in `html.rs`.

use crate::model::RemovalReason;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BlockKind {
    Paragraph,
    /// A heading of level 1..=6 (markdown `#` or HTML `<h1>`…`<h6>`).
    Heading(u8),
    ListItem,
    Quote,
    /// An HTML `<figcaption>` or caption container.
    Caption,
}

#[derive(Clone, Debug)]
pub(crate) struct Block {
    pub text: String,
    pub kind: BlockKind,
    /// Characters of `text` that were link text.
    pub link_chars: usize,
    /// A verdict reached before the rules ran (from HTML containers); the rules keep it.
    pub verdict: Option<RemovalReason>,
    /// Word count of `text`, kept in step by `new` and `set_text` (the rules ask for it often).
    words: usize,
}

impl Block {
    pub fn new(text: String, kind: BlockKind) -> Self {
        let words = text.split_whitespace().count();
        Block { text, kind, link_chars: 0, verdict: None, words }
    }

    pub fn set_text(&mut self, text: String) {
        self.words = text.split_whitespace().count();
        self.text = text;
    }

    pub fn words(&self) -> usize {
        self.words
    }

    pub fn link_density(&self) -> f32 {
        let len = self.text.chars().count().max(1);
        self.link_chars as f32 / len as f32
    }

    /// Ends the way a sentence does.
    pub fn ends_sentence(&self) -> bool {
        ends_sentence(&self.text)
    }
}

pub(crate) fn ends_sentence(text: &str) -> bool {
    text.trim_end().ends_with(['.', '!', '?', '"', '”', '’', '»', ')', '…'])
}

/// Splits scraped text into blocks: every non-empty line is a block, except that a line which
/// continues a hard-wrapped paragraph (the previous line is long, does not end a sentence, and this
/// one starts in lower case) is joined to it.
pub(crate) fn text_blocks(text: &str) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    let mut gap = true;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || is_rule(trimmed) || !trimmed.chars().any(char::is_alphanumeric) {
            gap = true;
            continue;
        }
        let (kind, rest) = line_kind(trimmed);
        let (clean, link_chars) = clean_inline(rest);
        if clean.is_empty() {
            continue;
        }
        if !gap
            && kind == BlockKind::Paragraph
            && let Some(prev) = blocks.last_mut()
        {
            let continues = prev.kind == BlockKind::Paragraph
                && prev.text.len() >= 40
                && !prev.ends_sentence()
                && !prev.text.ends_with(':')
                && clean.starts_with(|c: char| c.is_lowercase());
            if continues {
                let joined = format!("{} {clean}", prev.text);
                prev.set_text(joined);
                prev.link_chars += link_chars;
                continue;
            }
        }
        let mut block = Block::new(clean, kind);
        block.link_chars = link_chars;
        blocks.push(block);
        gap = false;
    }
    blocks
}

fn is_rule(line: &str) -> bool {
    line.len() >= 3 && line.chars().all(|c| matches!(c, '-' | '*' | '_' | '=' | ' '))
}

fn line_kind(line: &str) -> (BlockKind, &str) {
    let hashes = line.bytes().take_while(|b| *b == b'#').count();
    if (1..=6).contains(&hashes) && line[hashes..].starts_with(' ') {
        // `hashes` is 1..=6, so the cast cannot truncate.
        return (BlockKind::Heading(hashes as u8), line[hashes..].trim());
    }
    if let Some(rest) = line.strip_prefix("> ") {
        return (BlockKind::Quote, rest.trim());
    }
    for marker in ["- ", "* ", "• ", "· ", "– "] {
        if let Some(rest) = line.strip_prefix(marker) {
            return (BlockKind::ListItem, rest.trim());
        }
    }
    (BlockKind::Paragraph, line)
}

/// Removes stray HTML tags (through a real HTML parser), markdown emphasis and link syntax, and
/// collapses runs of white space. Returns the clean text and how many of its characters were links.
pub(crate) fn clean_inline(text: &str) -> (String, usize) {
    let mut link_chars = 0;
    let without_tags;
    let mut text = text;
    if looks_like_markup(text) {
        without_tags = super::html::text_of_fragment(text);
        text = &without_tags;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let image = out.ends_with('!');
        match after.find("](").and_then(|close| after[close + 2..].find(')').map(|end| (close, close + 2 + end))) {
            Some((close, end)) if !after[..close].contains('[') => {
                if image {
                    out.pop();
                } else {
                    link_chars += after[..close].chars().count();
                    out.push_str(&after[..close]);
                }
                rest = &after[end + 1..];
            }
            _ => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    // Emphasis marks; a lone `*` between spaces ("5 * 3") is arithmetic and stays.
    let out = out.replace("**", "").replace("__", "");
    let out = strip_emphasis(&out);
    (collapse_space(&out), link_chars)
}

fn strip_emphasis(text: &str) -> String {
    if !text.contains('*') {
        return text.to_owned();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i + 1).copied();
        let spaced = before.is_none_or(char::is_whitespace) && after.is_none_or(char::is_whitespace);
        if c != '*' || spaced {
            out.push(c);
        }
    }
    out
}

/// A `<` followed by a letter, `/`, `!` or `?` (tags, comments, processing leftovers such as `<?php`)
/// suggests markup; plain "a < b" text is left alone.
fn looks_like_markup(text: &str) -> bool {
    text.match_indices('<')
        .any(|(i, _)| text[i + 1..].starts_with(|c: char| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?')))
        || text.contains("&amp;")
        || text.contains("&nbsp;")
        || text.contains("&quot;")
}

pub(crate) fn collapse_space(text: &str) -> String {
    let tidy = !text.starts_with(char::is_whitespace)
        && !text.ends_with(char::is_whitespace)
        && !text.contains("  ")
        && !text.contains(['\t', '\n', '\u{a0}', '\r']);
    if tidy {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &[&str]) {
        let got: Vec<String> = text_blocks(input)
            .iter()
            .map(|b| match b.kind {
                BlockKind::Heading(level) => format!("h{level}: {}", b.text),
                BlockKind::ListItem => format!("li: {}", b.text),
                BlockKind::Quote => format!("quote: {}", b.text),
                _ => b.text.clone(),
            })
            .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn markdown_and_stray_tags() {
        check(
            "# Title here\n\n#### Written by **Jane Roe** on June 19, 2024\nState-owned <u>news agency TASS</u> said &amp; more\n- item one\n> quoted",
            &[
                "h1: Title here",
                "h4: Written by Jane Roe on June 19, 2024",
                "State-owned news agency TASS said & more",
                "li: item one",
                "quote: quoted",
            ],
        );
        check("See [the report](https://x.example/a) and ![chart](c.png) now", &["See the report and now"]);
        check("if a < b then", &["if a < b then"]);
        check("Troops <?php echo $n; ?>arrived<!-- ad --> in Kursk<!>.", &["Troops arrived in Kursk."]);
    }

    #[test]
    fn hard_wraps_rejoin_but_lines_stay_apart() {
        check(
            "The agreement was signed in Pyongyang on Wednesday after\ntalks that lasted most of the day.\nRelated Articles\nAnother headline",
            &[
                "The agreement was signed in Pyongyang on Wednesday after talks that lasted most of the day.",
                "Related Articles",
                "Another headline",
            ],
        );
    }
}
