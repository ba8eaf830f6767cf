//! The outlet's name when the page itself does not state it in metadata: from the URL's host, or
//! from a plea that names the outlet ("Subscribe to the New American", "Support UP or become our
//! patron!").

use crate::model::{RemovalReason, Removed};
use regex::Regex;
use std::sync::LazyLock;

/// The host of `url` without `www.`, as the outlet's name of last resort.
pub(crate) fn from_url(url: &str) -> Option<String> {
    let after_scheme = url.split_once("://").map(|(_, rest)| rest)?;
    let host = after_scheme.split(['/', '?', '#']).next()?.split('@').next_back()?;
    let host = host.split(':').next()?.trim_start_matches("www.").to_ascii_lowercase();
    (host.contains('.') && !host.is_empty()).then_some(host)
}

static PLEA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:subscribe to|support|donate to|become a member of) +(?P<the>(?i:the) +)?(?P<name>\p{Lu}[\p{L}&'’.-]*(?: +\p{Lu}[\p{L}&'’.-]*){0,4})")
        .expect("valid plea pattern")
});

/// The outlet named by a subscription or donation plea among the removed blocks.
pub(crate) fn from_pleas(removed: &[Removed]) -> Option<String> {
    removed
        .iter()
        .filter(|r| matches!(r.reason, RemovalReason::Subscription | RemovalReason::Donation))
        .flat_map(|r| r.text.lines())
        .find_map(|line| {
            let caps = PLEA.captures(line.trim())?;
            let name = caps.name("name")?.as_str().trim_end_matches(['.', '!']);
            Some(match caps.name("the") {
                Some(_) => format!("The {name}"),
                None => name.to_owned(),
            })
        })
}

/// The masthead's name as the page spells it elsewhere: a masthead in capitals ("СЕВЕРНЫЙ ВЕСТНИК")
/// is title-cased by guess, while the copyright line or a plea gives the real case ("Северный вестник").
pub(crate) fn as_spelled(name: String, removed: &[Removed]) -> String {
    let wanted: Vec<char> = name.chars().flat_map(char::to_lowercase).collect();
    let spelled = removed
        .iter()
        .filter(|r| matches!(r.reason, RemovalReason::Footer | RemovalReason::Subscription | RemovalReason::Donation))
        .flat_map(|r| r.text.lines())
        .find_map(|line| {
            let chars: Vec<char> = line.chars().collect();
            (0..chars.len()).find_map(|start| {
                let mut lower = Vec::with_capacity(wanted.len());
                let mut end = start;
                while lower.len() < wanted.len() && end < chars.len() {
                    lower.extend(chars[end].to_lowercase());
                    end += 1;
                }
                let found: String = chars[start..end].iter().collect();
                let whole_word = start == 0 || !chars[start - 1].is_alphanumeric();
                let ends_word = chars.get(end).is_none_or(|c| !c.is_alphanumeric());
                (lower == wanted && whole_word && ends_word && found.starts_with(char::is_uppercase) && found != name)
                    .then_some(found)
            })
        });
    spelled.unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plea(text: &str) -> Option<String> {
        from_pleas(&[Removed { text: text.into(), reason: RemovalReason::Subscription }])
    }

    #[test]
    fn outlets() {
        assert_eq!(from_url("https://www.example-news.com/world/2024/story").as_deref(), Some("example-news.com"));
        assert_eq!(from_url("not a url"), None);
        assert_eq!(plea("Subscribe to the New American").as_deref(), Some("The New American"));
        assert_eq!(plea("Support UP or become our patron!").as_deref(), Some("UP"));
        assert_eq!(plea("Support independent journalism"), None);
        let footer = |text: &str| vec![Removed { text: text.into(), reason: RemovalReason::Footer }];
        assert_eq!(as_spelled("Ost Bote".into(), &footer("© 2023 «Ost bote». Alle Rechte vorbehalten.")), "Ost bote");
        assert_eq!(as_spelled("Ost Bote".into(), &footer("© 2023 Ostbote GmbH")), "Ost Bote");
        assert_eq!(as_spelled("Ost Bote".into(), &footer("© 2023 the ost bote")), "Ost Bote");
    }
}
