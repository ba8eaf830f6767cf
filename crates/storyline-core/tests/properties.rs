//! Properties that must hold for any input: extraction never panics (bytes are untrusted), is
//! deterministic, keeps identity tied to content, and never invents body text.

use proptest::prelude::*;
use storyline_core::{Document, DocumentId, ExtractError, Hints, MediaType, extract};

fn noisy_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Advertisement".to_owned()),
        Just("Related Articles".to_owned()),
        Just("Share | Tweet | Copy link".to_owned()),
        Just("By Jane Holloway and Tom Reyes".to_owned()),
        Just("Published: 2024-06-19 14:20 UTC".to_owned()),
        Just("Wednesday, Feb 05, 2025".to_owned()),
        Just("THE HARBOUR COURIER".to_owned()),
        Just("# A Headline In Markdown".to_owned()),
        Just("Subscribe to the Harbour Courier".to_owned()),
        Just("<u>stray</u> tags &amp; entities".to_owned()),
        Just("".to_owned()),
        "[A-Za-z ,.'\"—:0-9]{0,120}",
        "\\PC{0,80}",
    ]
}

/// The test's own oracle for stray-tag cleaning, line by line, as the HTML tokenizer reads markup:
/// drops `<x…>` runs (a `<` followed by a letter, `/`, `!` or `?`; `<!>` and `<?…>` are bogus
/// comments), and `<!-- … -->` comments.
fn without_tags(text: &str) -> String {
    text.lines().map(strip_line_tags).collect::<Vec<_>>().join("\n")
}

fn strip_line_tags(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        if let Some(comment) = after.strip_prefix("!--") {
            // `<!-->` and `<!--->` close at once; otherwise the comment runs to `-->` or the end.
            rest = if let Some(end) = comment.strip_prefix('>').or_else(|| comment.strip_prefix("->")) {
                end
            } else {
                comment.find("-->").map_or("", |close| &comment[close + 3..])
            };
            continue;
        }
        let tag = after.starts_with(|c: char| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'));
        match after.find('>') {
            Some(close) if tag => rest = &after[close + 1..],
            // An unterminated tag runs to the end of the fragment.
            None if tag => rest = "",
            _ => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn doc(bytes: Vec<u8>, media: MediaType) -> Document {
    Document::new("prop", media, bytes, Hints::default())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..3000), html in any::<bool>()) {
        let media = if html { MediaType::Html } else { MediaType::Text };
        let _ = extract(&doc(bytes, media));
    }

    #[test]
    fn noisy_pages_extract_deterministically_and_invent_nothing(lines in proptest::collection::vec(noisy_line(), 0..40)) {
        let text = lines.join("\n");
        let first = extract(&doc(text.clone().into_bytes(), MediaType::Text));
        let second = extract(&doc(text.clone().into_bytes(), MediaType::Text));
        prop_assert_eq!(&first, &second);
        if let Ok(article) = first {
            // Compare with the input as decoding normalises it (NFC), less emphasis marks.
            let normalised = storyline_core::decode(text.as_bytes(), None).map(|d| d.text).unwrap_or_default();
            let normalised = without_tags(&normalised).replace('*', "").replace("__", "");
            let words: std::collections::HashSet<&str> = normalised.split(|c: char| !c.is_alphanumeric()).collect();
            for word in article.body.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
                prop_assert!(words.contains(word), "body word {word:?} is not in the input");
            }
        }
    }

    #[test]
    fn html_pages_never_panic(parts in proptest::collection::vec(prop_oneof![
        Just("<div class=\"share\">".to_owned()), Just("</div>".to_owned()), Just("<p>".to_owned()), Just("</p>".to_owned()),
        Just("<article>".to_owned()), Just("<nav>".to_owned()), Just("<script>var x = '</p>';</script>".to_owned()),
        Just("<meta property=\"article:published_time\" content=\"2024-06-19T10:00:00Z\">".to_owned()),
        Just("<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"author\":[{\"name\":\"A B\"}]}</script>".to_owned()),
        "[A-Za-z .,]{0,200}",
    ], 0..60)) {
        let _ = extract(&doc(parts.concat().into_bytes(), MediaType::Html));
    }

        /// Every annotation of any text is a span of it on character boundaries, entity mentions slice to
    /// their own text, and annotating twice gives the same result.
    #[test]
    fn annotations_are_spans_of_the_text(
        parts in proptest::collection::vec(prop_oneof![
            Just("Kim Jong-un ".to_owned()),
            Just("North Korean troops ".to_owned()),
            Just("Pyongyang's ".to_owned()),
            Just("Russian-North Korean ".to_owned()),
            Just("Head of Defence Intelligence of Ukraine ".to_owned()),
            Just("about 11,000 ".to_owned()),
            Just("said: \"".to_owned()),
            Just("last Tuesday ".to_owned()),
            Just("the same day, ".to_owned()),
            Just("Tô Lâm ".to_owned()),
            Just("КНДР ".to_owned()),
            Just(". ".to_owned()),
            Just("\n\n".to_owned()),
            "[A-Za-z' .,-]{0,20}",
            "\\PC{0,12}",
        ], 0..40),
        anchored in any::<bool>(),
    ) {
        let text: String = parts.concat();
        let mut article = extract(&doc(format!("Title\n\n{text}").into_bytes(), MediaType::Text));
        if let Ok(article) = article.as_mut() {
            if !anchored {
                article.published.date = None;
            }
            storyline_core::annotate::annotate(article);
            let body = &article.body;
            for e in &article.entities {
                for m in &e.mentions {
                    prop_assert_eq!(body.get(m.start..m.end), Some(m.text.as_str()));
                }
            }
            for t in &article.times {
                prop_assert_eq!(body.get(t.start..t.end), Some(t.text.as_str()));
            }
            for q in &article.quantities {
                prop_assert_eq!(body.get(q.start..q.end), Some(q.text.as_str()));
            }
            for q in &article.quotes {
                prop_assert!(body.get(q.start..q.end).is_some());
            }
            let mut again = article.clone();
            storyline_core::annotate::annotate(&mut again);
            prop_assert_eq!(&again, &*article);
        }
    }

    #[test]
    fn identity_is_the_content(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let a = Document::new("one", MediaType::Text, bytes.clone(), Hints::default());
        let b = Document::new("two", MediaType::Html, bytes.clone(), Hints::default());
        prop_assert_eq!(&a.id, &b.id);
        prop_assert_eq!(DocumentId::parse(a.id.as_str()), Some(a.id.clone()));
    }
}

#[test]
fn deeply_nested_markup_is_bounded() {
    // Hostile nesting is refused as soon as the walk reaches the limit...
    let page = format!("{}<p>Deep text.</p>", "<div>".repeat(1_000_000));
    assert_eq!(extract(&doc(page.into_bytes(), MediaType::Html)), Err(ExtractError::TooDeep(4096)));
    // ...while real pages, however many elements they have, are read.
    let flat = format!(
        "<article>{}</article>",
        "<p>One more paragraph of reporting that reads like prose and ends.</p>".repeat(20_000)
    );
    assert!(extract(&doc(flat.into_bytes(), MediaType::Html)).is_ok());
    let depth = 3_000;
    let page = format!(
        "{}<p>Deep text that goes on for long enough to count as prose here.</p>{}",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    let _ = extract(&doc(page.into_bytes(), MediaType::Html));
    // Deep but legal nesting followed by a flood of tags that end others implicitly, or end tags
    // of elements already ended: each tag must cost the same at any depth (this would take minutes
    // if every tag searched the whole stack).
    for flood in ["<li>x", "<p>x<div></div></p>", "<td>x", "</span>"] {
        let page = format!(
            "{}<p>Some text that is long enough to count as a paragraph of prose.</p>{}",
            "<div>".repeat(4_000),
            flood.repeat(200_000)
        );
        let _ = extract(&doc(page.into_bytes(), MediaType::Html));
    }
    let page = format!(
        "<p title=\"{}\">An attribute of a megabyte is still only an attribute, and the text stays.</p>",
        "x".repeat(1 << 20)
    );
    let article = extract(&doc(page.into_bytes(), MediaType::Html)).expect("extracts");
    assert!(article.body.starts_with("An attribute"));
}
