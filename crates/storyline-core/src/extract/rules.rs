//! Boilerplate rules: which blocks are page furniture rather than the article, and why. Line rules
//! look at one short block at a time; zone rules look at runs ("Related Articles" and the headlines
//! under it, a subscription offer and everything after it, unlabelled headline lists). The rules only
//! set verdicts; metadata (title, byline, dates) is read elsewhere.

use super::block::{Block, BlockKind};
use super::byline::parse_byline;
use crate::dates;
use crate::model::RemovalReason;
use crate::rulegate::GatedRules;
use regex::Regex;
use std::sync::LazyLock;

/// Blocks longer than this are prose: line rules never remove them.
const SHORT: usize = 30;

/// In order: the first that matches gives the reason. Behind the gate that tells which can match
/// a line.
static LINE_RULES: LazyLock<GatedRules<RemovalReason>> = LazyLock::new(|| {
    use RemovalReason::*;
    let rules: &[(RemovalReason, &str)] = &[
        (
            Footer,
            r"(^(©|\(c\)|copyright\b)|\ball rights reserved\b|\btous droits réservés|все права защищены|\bmay not be (published|reproduced)\b|^(about( us)?|contact( us)?|privacy( policy)?|terms( of (use|service))?)\s*[|·•]\s*)",
        ),
        (
            Advertisement,
            r"^(реклама|advertisements?|advert|ads?|sponsored|sponsored content|paid (content|post)|promoted( content)?|(story|article) continues below( advertisement)?|continue reading below|scroll to continue( with content)?)\s*:?$",
        ),
        (
            MediaPlayer,
            r"^(\d{1,2}:\d{2}(:\d{2})?(\s*/\s*\d{1,2}:\d{2}(:\d{2})?)?|play|pause|mute|unmute|replay|close|close player|fullscreen|exit fullscreen|skip ad|loading( video)?\W*|[×✕✖]|now playing\b.*|up next\b.{0,80}|listen( to (this|the) (article|story))?(\W+\d+ min(ute)?s?)?|watch now|video (player|ad)|autoplay\b.*)$",
        ),
        (
            Share,
            r"^((share|share this|share this (article|story|page)|share on \w+|tweet|email|e-mail|print|copy link|link copied|facebook|twitter|x|whatsapp|linkedin|telegram|reddit|pinterest|messenger|flipboard|save|bookmark|gift (this )?article)\s*[|·•/,]?\s*)+$",
        ),
        (
            Navigation,
            r"^(menu|main menu|search|home|skip to (main )?content|toggle navigation|open menu|close menu|back to top|sections|log ?in|sign in|my account|register|top)$",
        ),
        (
            Comments,
            r"^(\d+\s+comments?|comments?( \(\d+\))?|leave a (comment|reply)|join the (conversation|discussion)|(show|view|add|post) (a )?comments?|comment on this (story|article))$",
        ),
        (
            Newsletter,
            r"^(newsletters?|sign up( now| today)?|sign up (for|to) .{0,80}|get (our|the) .{0,60}(newsletter|briefing|in your inbox).*|enter your e-?mail( address)?.*|your e-?mail( address)?|thank you for signing up.*|.{0,80}\b(newsletter|in your inbox|straight to your inbox)\b.{0,80})$",
        ),
        (
            Subscription,
            r"^(abonnez-vous\b.*|подпишитесь.*|subscribe|subscribe (now|today|here)|subscribe (to|for) .{1,80}|subscribers? only.*|already (a subscriber|have an account)\??.*|start (your )?(free )?trial.*|unlock (full|unlimited) access.*|get (unlimited|full|exclusive|digital) (digital )?access.*|this (article|content|story) is (for|available to|exclusive to) (subscribers|members).*|to continue reading.*|you have (reached|read) .{0,40}articles?.*|become a subscriber.*|what['’]s included\??|cancel anytime\.?|\d+-day money[- ]back guarantee!?)$",
        ),
        (
            SeeAlso,
            r"^((see also|read also|also read)\b.+|(read more|more reading|related|related (story|article|coverage)|more on this( story)?|must read|recommended|watch|listen|explainer|more)\s*[:\-–—|]\s*\S.*)$",
        ),
        (
            EarlierCoverage,
            r"^(((mon|tues|wednes|thurs|fri|satur|sun)day|yesterday|today)['’]s coverage|(previous|earlier|our earlier|our previous|full|live) coverage)\s*[:\-–—].*$",
        ),
        (
            AggregatorChrome,
            r"(scroll down (for|to read) (the )?original|request (a |an )?(gpt |ai )?analysis|^original article:?$|^source:\s*(link|here|original)$|^view (the )?original( article)?$|^read (the )?original( article)?( here)?$|^this (article|story) (was|is) (originally )?(published|republished|syndicated)\b|^click (the|this) button to)",
        ),
        (
            PhotoCredit,
            r"^((photo|photos|photograph|image|images|picture|map|graphic|video|illustration|credit|photo credit|image credit|file photo|cover photo|main image|top image)\s*(:|by|/|—|–)\s*.{0,400}|\(?(ap|afp|reuters|getty( images)?|epa|epa-efe|ap images|ap photo|shutterstock|anadolu|sputnik|kcna|yonhap|tass|pool)( via .{1,40})?\)?(\s*[/|].{0,60})?|(ap|afp|getty|reuters|epa) (images|photo)\b[^.]{0,120}|.{0,300}\((photo|credit|image|getty images|ap photo)\b[^)]{0,60}\)|.{0,300}\([^)]{0,60}\b(photo|photos|images|getty|pool|handout)\)?[^)]{0,60}\))$",
        ),
        (
            CookieNotice,
            r"(\bwe use cookies\b|\bthis (site|website) uses cookies\b|\baccept (all )?cookies\b|\bcookie (policy|settings|preferences)\b|\bmanage (your )?consent\b)",
        ),
    ];
    // One small automaton per rule rather than one set: the set's combined lazy DFA kept building
    // states. Word boundaries are ASCII ones: a Unicode `\b` keeps the fast (lazy DFA) engine from
    // running on text that is not ASCII, and the patterns put no boundary next to a word in another
    // script.
    let rules = rules.iter().map(|(reason, pattern)| (format!("(?i){}", pattern.replace(r"\b", r"(?-u:\b)")), *reason));
    GatedRules::new(rules.collect(), |pattern| Regex::new(pattern).expect("valid line rule"))
});

static RELATED_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(read more|read also|also read|lire aussi|читайте также|по теме|related|related (articles|stories|coverage|news|content|posts|reading|links)|you (may|might) also (like|be interested in)|recommended( for you| stories| reading)?|most (read|popular|viewed|shared)|trending( now| stories)?|latest( news| stories| headlines)?|top (stories|news|headlines)|more (stories|news|headlines|from .{1,40}|on .{1,40}|in .{1,40})|what to read next|read next|further reading|in other news|don['’]t miss|editor['’]s picks|popular( now)?)\s*:?$")
        .expect("valid related heading pattern")
});

/// The same headings in the words of other languages, and longer English forms ("Most read in
/// world news", "You may like these posts").
static RELATED_HEADING_MORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(most (read|popular|viewed) (in|on) .{1,40}|you (may|might) (also )?like( these( posts| stories| articles)?)?|você (pode|também pode) gostar|veja também|leia também|(notícias|posts|artigos|matérias) relacionad[oa]s|te puede interesar|(artículos|noticias) relacionad[oa]s|lo más (leído|visto)|le(ggi|gga) anche|articoli correlati|potrebbe(ro)? interessarti|das könnte sie (auch )?interessieren|mehr zum thema|weitere artikel|самые популярные.{0,40}|популярное|похожие (статьи|новости|записи)|вам (может|также может) понравиться|관련기사|関連記事)$")
        .expect("valid related heading pattern")
});

static PROMO_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(subscribe|subscribe (now|today)|subscribe to .{1,60}|become a (member|subscriber)|join (us|today)|what['’]s included\??)$").expect("valid promo pattern")
});

static PROMO_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(subscri\w*|access|magazine|issues?|editions?|offer|trial|membership|exclusive|print|digital|guarantee|cancel)\b").expect("valid promo words")
});

static DONATION_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(please\s+)?(support|donate|help|become|contribute|make a|give|chip in|back)\b")
        .expect("valid donation start")
});
static DONATION_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(donat|patron|contribut|supporter|membership|become a member|support (us|our|independent|quality)\b|journalism)").expect("valid donation words")
});

/// Applies every rule to `blocks`, setting `verdict` on the ones that are not article text.
/// `links_known`: the blocks come from markup that says which text was links (HTML); scraped text
/// has lost its links, and then a list of headlines cannot be told from a list of facts by them.
pub(crate) fn mark_boilerplate(blocks: &mut [Block], links_known: bool) {
    for block in blocks.iter_mut() {
        if block.verdict.is_none() {
            block.verdict = line_verdict(block);
        }
    }
    mark_related_zones(blocks, links_known);
    mark_promo_tail(blocks);
    mark_headline_runs(blocks, links_known);
}

/// The verdict of the line rules on one block.
pub(crate) fn line_verdict(block: &Block) -> Option<RemovalReason> {
    let words = block.words();
    if block.kind == BlockKind::Caption {
        return Some(RemovalReason::Caption);
    }
    if words > SHORT {
        return None;
    }
    let text = block.text.trim();
    if let Some(reason) = navigation_bar(text) {
        return Some(reason);
    }
    if is_share_row(text) {
        return Some(RemovalReason::Share);
    }
    if is_player_debris(text) {
        return Some(RemovalReason::MediaPlayer);
    }
    if let Some((reason, _)) = LINE_RULES.candidates(text).find(|(_, rule)| rule.is_match(text)) {
        return Some(*reason);
    }
    if DONATION_START.is_match(text) && DONATION_WORDS.is_match(text) {
        return Some(RemovalReason::Donation);
    }
    is_caption(block).then_some(RemovalReason::Caption)
}

/// A row of share buttons, bracketed or not: "[f] Share [x] Post [in] Share WhatsApp", "Share Post LINE
/// Email Print".
fn is_share_row(text: &str) -> bool {
    const BUTTONS: &str = "share post tweet email e-mail mail print copy link url save on f x in facebook twitter \
        whatsapp linkedin line telegram reddit pinterest messenger flipboard threads bluesky kakaotalk zalo wechat weibo";
    let tokens: Vec<String> = text
        .split(|c: char| c.is_whitespace() || matches!(c, '[' | ']' | '|' | '·' | '•' | '/' | ','))
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
        .collect();
    tokens.len() >= 3
        && tokens.iter().any(|t| t == "share")
        && tokens.iter().all(|t| BUTTONS.split_whitespace().any(|b| b == t))
}

/// Controls of an audio or video player run together: "Play 0:00 / 3:15 Listen to this article Close".
fn is_player_debris(text: &str) -> bool {
    const CONTROLS: &[&str] =
        &["play", "pause", "mute", "unmute", "close", "replay", "fullscreen", "listen", "video", "audio"];
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let has_clock = words.iter().any(|w| {
        let w = w.trim_matches(|c: char| !c.is_ascii_digit());
        w.split_once(':').is_some_and(|(m, s)| {
            !m.is_empty() && m.len() <= 2 && s.len() == 2 && s.chars().all(|c| c.is_ascii_digit())
        })
    });
    let control_at_edge = |w: Option<&&str>| w.is_some_and(|w| CONTROLS.contains(&w.trim_end_matches(':')));
    has_clock && words.len() <= 20 && (control_at_edge(words.first()) || control_at_edge(words.last()))
}

/// "Home | World | Business | Sport": three or more short items between separators. Between `|`, four
/// or more items may include one longer one ("Tue 2 Jan 2024 | Login | Subscribe | 日本語", "… | Weather:
/// Lucerne 19°, showers"), unless it is a copyright notice. A byline ("Anjali Raghavan | New Delhi |
/// 17 June 2024") has a menu's shape but is not one.
fn navigation_bar(text: &str) -> Option<RemovalReason> {
    for sep in ['|', '·', '•', '»', '/', '>', '›'] {
        let items: Vec<&str> = text.split(sep).map(str::trim).filter(|s| !s.is_empty()).collect();
        let short = |item: &&str| item.split_whitespace().count() <= 3 && !item.ends_with('.');
        let named = |item: &&str| item.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit());
        let long: Vec<&&str> = items.iter().filter(|i| !short(i)).collect();
        let menu = items.len() >= 3
            && match long.as_slice() {
                [] => true,
                [one] => {
                    sep == '|'
                        && items.len() >= 4
                        && one.split_whitespace().count() <= 6
                        && !one.ends_with('.')
                        && !one.contains('©')
                }
                _ => false,
            };
        if menu && parse_byline(text).is_some() {
            return None;
        }
        // Two items make a breadcrumb only with a breadcrumb's separator and no dates or bylines.
        let crumb = items.len() == 2
            && matches!(sep, '>' | '›' | '/' | '|')
            && items.iter().all(|i| short(i) && named(i) && !i.chars().any(|c| c.is_ascii_digit()))
            && !text.starts_with("By ");
        if menu || crumb {
            return Some(RemovalReason::Navigation);
        }
    }
    None
}

/// A photo caption in scraped text: no sentence end, a comma, and a full date closing the line
/// ("… pose for the cameras, Pyongyang, June 19, 2024").
fn is_caption(block: &Block) -> bool {
    let text = block.text.trim();
    let words = block.words();
    if !(6..=45).contains(&words) || text.ends_with('.') || block.kind != BlockKind::Paragraph {
        return false;
    }
    match dates::find_dates(text).last() {
        Some(last) => last.end == text.len() && text[..last.start].trim_end().ends_with(','),
        None => false,
    }
}

/// An item as lists of other articles show them: short, and rarely a full sentence.
fn list_item_like(block: &Block) -> bool {
    let words = block.words();
    (2..=SHORT).contains(&words) && !block.text.ends_with(':')
}

/// "Related Articles" (and kin) plus the run of short blocks under it.
fn mark_related_zones(blocks: &mut [Block], links_known: bool) {
    let mut i = 0;
    while i < blocks.len() {
        let text = blocks[i].text.trim();
        // An entry of a menu ("Latest" among "Politics", "Sports"…) heads nothing.
        let judged = blocks[i].verdict == Some(RemovalReason::Navigation)
            && blocks.get(i + 1).is_some_and(|next| next.verdict.is_some());
        let heading = !judged
            && blocks[i].words() <= 8
            && text.split(" / ").any(|part| {
                let part = part.trim();
                RELATED_HEADING.is_match(part) || RELATED_HEADING_MORE.is_match(part.trim_end_matches(['.', '…', ':']))
            });
        if !heading {
            i += 1;
            continue;
        }
        blocks[i].verdict = Some(RemovalReason::RelatedLinks);
        let mut j = i + 1;
        while j < blocks.len() {
            let block = &mut blocks[j];
            if block.verdict.is_none() {
                if !list_item_like(block) && block.words() > 1 {
                    break;
                }
                // Where links are known, a sentence that is not a link is the article again
                // (one-sentence paragraphs are common) and ends the zone.
                if links_known && block.ends_sentence() && block.words() >= 8 && block.link_density() < 0.5 {
                    break;
                }
                block.verdict = Some(RemovalReason::RelatedLinks);
            }
            j += 1;
        }
        i = j;
    }
}

/// A subscription heading late in the page starts an offer that runs to the end, provided nothing
/// after it reads like article prose.
fn mark_promo_tail(blocks: &mut [Block]) {
    let Some(start) = blocks
        .iter()
        .position(|b| b.words() <= 10 && PROMO_HEADING.is_match(b.text.trim_end_matches(['!', '.', ':']).trim()))
    else {
        return;
    };
    let prose_after =
        blocks[start + 1..].iter().any(|b| b.verdict.is_none() && b.words() > SHORT && !PROMO_WORDS.is_match(&b.text));
    if prose_after {
        blocks[start].verdict.get_or_insert(RemovalReason::Subscription);
        return;
    }
    for block in &mut blocks[start..] {
        block.verdict.get_or_insert(RemovalReason::Subscription);
    }
}

/// Three or more headline-like blocks in a row, with no sentence among them, after the article has
/// begun: an unlabelled list of other stories.
fn mark_headline_runs(blocks: &mut [Block], links_known: bool) {
    // A long headline or dek is not the article's start: prose ends its sentences (as in `body_start`).
    let Some(first_prose) = blocks.iter().position(|b| {
        b.verdict.is_none()
            && !matches!(b.kind, BlockKind::Heading(_))
            && ((b.words() >= 15 && b.ends_sentence()) || b.words() >= 25)
    }) else {
        return;
    };
    let mut i = first_prose + 1;
    while i < blocks.len() {
        let listed = |b: &Block| {
            b.verdict.is_none()
                && list_item_like(b)
                && b.words() >= 4
                && !b.ends_sentence()
                && !matches!(b.kind, BlockKind::Heading(_))
                && title_case_share(&b.text) >= 0.5
                // Other stories are listed as links; tour dates and product points are not.
                && (!links_known || b.link_density() >= 0.5)
        };
        if !listed(&blocks[i]) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < blocks.len() && listed(&blocks[j]) {
            j += 1;
        }
        if j - i >= 3 {
            for block in &mut blocks[i..j] {
                block.verdict = Some(RemovalReason::RelatedLinks);
            }
        }
        i = j;
    }
}

/// The share of words (ignoring short function words) that start with a capital letter.
pub(crate) fn title_case_share(text: &str) -> f32 {
    let mut words = 0;
    let mut capitalised = 0;
    for word in text.split_whitespace() {
        let letters: String = word.chars().filter(|c| c.is_alphabetic()).collect();
        if letters.len() <= 3 && letters.chars().all(|c| c.is_lowercase()) {
            continue;
        }
        words += 1;
        if letters.starts_with(|c: char| c.is_uppercase()) || word.starts_with(|c: char| c.is_ascii_digit()) {
            capitalised += 1;
        }
    }
    if words == 0 { 0.0 } else { capitalised as f32 / words as f32 }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::extract::block::text_blocks;

    /// The gate never holds back a line rule that matches: checked on every line of the example
    /// corpus and on the furniture lines the rules are for.
    #[test]
    fn the_gate_lets_through_every_line_rule_that_matches() {
        let mut lines = crate::testing::corpus_lines();
        lines.extend(
            ["Advertisement", "Реклама", "ADS", "Share | Tweet | Copy link", "12:04 / 45:10", "×"].map(String::from),
        );
        let matched =
            lines.iter().filter(|line| LINE_RULES.candidates(line).any(|(_, rule)| rule.is_match(line))).count();
        assert!(matched > 100, "only {matched} lines matched a rule");
        for line in &lines {
            assert_eq!(LINE_RULES.held_back(line), None, "on {line:?}");
        }
    }

    fn check(line: &str, expected: Option<&str>) {
        let block = Block::new(line.to_owned(), BlockKind::Paragraph);
        assert_eq!(line_verdict(&block).map(|r| r.as_str()), expected, "for {line:?}");
    }

    #[test]
    fn line_rules() {
        check("Advertisement:", Some("advertisement"));
        check("ADVERTISEMENT", Some("advertisement"));
        check("0:00", Some("media-player"));
        check("×", Some("media-player"));
        check("Share | Tweet | Copy link", Some("navigation"));
        check("Share Tweet Email", Some("share"));
        check("Play 0:00 / 3:15 Listen to this article Close", Some("media-player"));
        check("Play 0:00 Video: Footage of the fighting Close", Some("media-player"));
        check("© 2024 The Harbour Courier Ltd. All rights reserved.", Some("footer"));
        check("Реклама", Some("advertisement"));
        check("Home | World | Business | Sport", Some("navigation"));
        check("World > Asia", Some("navigation"));
        check("World > Asia", Some("navigation"));
        check("Kursk / Sumy", Some("navigation"));
        check("See also Ukraine War, Day 987: Kyiv’s 1st Clashes With Troops", Some("see-also"));
        check("Read more: Bridge salvage begins", Some("see-also"));
        check("Monday’s Coverage: Emergency Blackouts as Power Grid Is Hit", Some("earlier-coverage"));
        check(
            "Click the button to request GPT analysis of the article, or scroll down to read the original article text",
            Some("aggregator-chrome"),
        );
        check("Source: Link", Some("aggregator-chrome"));
        check("Map: Institute for the Study of War", Some("photo-credit"));
        check("AP Images Vladimir Putin and a guest", Some("photo-credit"));
        check("Rescue boats near the wreck on Tuesday. (Getty Images)", Some("photo-credit"));
        check(
            "Photo: Leaders at a welcoming ceremony in the main square of the capital, seen from the stands on the first day of the visit. (Pool photo via Getty Images)",
            Some("photo-credit"),
        );
        check("The ship beneath the wreck, photographed from the air. (State Police handout)", Some("photo-credit"));
        check("Ukraine said it shot down 20 drones overnight. (Reuters)", None);
        check("Support UP or become our patron!", Some("donation"));
        check("Support independent journalism — donate today", Some("donation"));
        check("Subscribe to the Harbour Courier", Some("subscription"));
        check("Get our morning briefing in your inbox", Some("newsletter"));
        check("We use cookies to improve your experience. Accept all", Some("cookie-notice"));
        check("Leaders pose for the cameras, Pyongyang, June 19, 2024", Some("caption"));
        check("Tue 7 Mar 2023 | Log in | Subscribe | Deutsch", Some("navigation"));
        check("Home | City | Sport | Culture | Weather: Basel 12°, rain", Some("navigation"));
        check("[f] Share [x] Post [in] Share", Some("share"));
        check("[Share] [Post] [LINE] [Copy URL]", Some("share"));
        check("Share Post LINE Email Print", Some("share"));
        // A byline has a menu's shape; a copyright line stays the footer.
        check("Ravi Menon | Chennai | Friday, 3 March 2023 | Updated: 09:10", None);
        check("© 2023 The Basel Ledger AG | About | Contact | Privacy", Some("footer"));
        check("Basel · Bern · Zurich — the news of the north-west", None);
        // Article text stays.
        check("Post the share of votes in every seat, the board said.", None);
        check("Source: President Zelenskyy on Telegram", None);
        check("Background:", None);
        check("Previously: On 28 October, the centre reported new training.", None);
        check("He called on partners to support Ukraine and its allies.", None);
        check("The treaty was signed on June 19, 2024.", None);
    }

    #[test]
    fn zones() {
        let text = "A first paragraph of the article that is long enough to count as prose for the rules here.\n\
            Newsletter\nRelated Articles\n0:00\nClose\nEU Leaders Meet on Defence\nNHS Trial Starts.\nOne more headline here\n";
        let mut blocks = text_blocks(text);
        mark_boilerplate(&mut blocks, false);
        let verdicts: Vec<_> = blocks.iter().map(|b| b.verdict.map(|v| v.as_str())).collect();
        assert_eq!(
            verdicts,
            [
                None,
                Some("newsletter"),
                Some("related-links"),
                Some("media-player"),
                Some("media-player"),
                Some("related-links"),
                Some("related-links"),
                Some("related-links")
            ]
        );
    }

    #[test]
    fn a_long_headline_does_not_start_the_article() {
        let text = "Forty passengers rescued after ferry runs aground off the coast in storm; two crew missing\n\
            By Ines Roth and Pavel Dusek\n3 March 2023, 09:10 CET\nShare Email Print\n\
            The ferry ran aground on a sandbank shortly after midnight, and rescuers reached it within the hour.";
        let mut blocks = text_blocks(text);
        mark_boilerplate(&mut blocks, false);
        assert!(blocks[1].verdict.is_none(), "the byline is left for the byline reader");
        assert!(blocks[2].verdict.is_none(), "the timestamp is left for the header reader");
    }

    #[test]
    fn promo_tail_runs_to_the_end() {
        let text = "The article's last paragraph, which is long enough to be prose for these rules to see.\n\
            ## Subscribe\nWhat's Included?\n24 Issues Per Year\nDigital Edition Access\nCancel anytime.\n";
        let mut blocks = text_blocks(text);
        mark_boilerplate(&mut blocks, false);
        assert!(blocks[0].verdict.is_none());
        assert!(blocks[1..].iter().all(|b| b.verdict == Some(RemovalReason::Subscription)));
    }

    #[test]
    fn with_links_known_a_zone_ends_at_a_sentence_and_unlinked_lists_stay() {
        let link = |text: &str| {
            let mut b = Block::new(text.to_owned(), BlockKind::ListItem);
            b.link_chars = text.chars().count();
            b
        };
        let para = |text: &str| Block::new(text.to_owned(), BlockKind::Paragraph);
        let mut blocks = vec![
            para("The council approved the new budget on Monday after a long debate about the harbour."),
            para("Read more"),
            link("Harbour dredging to resume in spring"),
            para("However, the other members said they would vote against it next year."),
            para("June 9 Coral Sky Amphitheatre West Palm Beach"),
            para("June 11 Walmart Amphitheater Rogers Arkansas"),
            para("June 13 Pine Knob Music Theatre Clarkston Michigan"),
        ];
        mark_boilerplate(&mut blocks, true);
        let kept: Vec<&str> = blocks.iter().filter(|b| b.verdict.is_none()).map(|b| b.text.as_str()).collect();
        assert!(kept.contains(&"However, the other members said they would vote against it next year."), "{kept:?}");
        assert!(kept.contains(&"June 11 Walmart Amphitheater Rogers Arkansas"), "{kept:?}");
        assert!(!kept.contains(&"Harbour dredging to resume in spring"), "{kept:?}");
    }

    #[test]
    fn related_headings_in_other_languages() {
        for heading in ["Você pode gostar...", "Most read in world news", "Самые популярные диеты", "Leggi anche"]
        {
            let mut blocks = vec![
                Block::new(heading.to_owned(), BlockKind::Heading(3)),
                Block::new("Another headline about something else".to_owned(), BlockKind::ListItem),
            ];
            mark_boilerplate(&mut blocks, false);
            assert!(blocks.iter().all(|b| b.verdict == Some(RemovalReason::RelatedLinks)), "{heading}");
        }
    }
}
