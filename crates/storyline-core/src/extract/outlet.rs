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
    }
}
