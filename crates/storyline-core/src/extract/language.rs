//! The article's language, detected from its body with `whatlang`; the page's declared language is
//! the fallback when the text is too short or ambiguous to tell.

/// Enough text for a reliable guess; more only costs time (detection is linear in the sample).
const SAMPLE_CHARS: usize = 500;

/// ISO 639-1 where the language has one, else the ISO 639-3 code `whatlang` reports.
pub(crate) fn detect(body: &str, declared: Option<&str>) -> Option<String> {
    let sample = match body.char_indices().nth(SAMPLE_CHARS) {
        Some((cut, _)) => &body[..cut],
        None => body,
    };
    // Most of what storyline reads is English news; its commonest words settle that at a fraction of
    // the cost of trigram scoring, which then only runs for everything else.
    if looks_english(sample) {
        return Some("en".to_owned());
    }
    let detected =
        whatlang::detect(sample).filter(|info| sample.len() >= 40 && (info.is_reliable() || info.confidence() >= 0.5));
    match detected {
        Some(info) => Some(iso_639_1(info.lang().code()).to_owned()),
        None => declared
            .map(|d| d.split(['-', '_']).next().unwrap_or(d).to_ascii_lowercase())
            .filter(|d| (2..=3).contains(&d.len()) && d.chars().all(|c| c.is_ascii_alphabetic())),
    }
}

/// At least a fifth of the words are the commonest English function words.
fn looks_english(sample: &str) -> bool {
    const COMMON: &[&str] =
        &["the", "and", "of", "to", "in", "a", "is", "that", "for", "on", "was", "with", "said", "by", "as", "at"];
    let mut words = 0;
    let mut common = 0;
    for word in sample.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()).take(120) {
        words += 1;
        if COMMON.iter().any(|c| c.eq_ignore_ascii_case(word)) {
            common += 1;
        }
    }
    words >= 12 && common * 100 >= words * 22
}

fn iso_639_1(code: &'static str) -> &'static str {
    const TABLE: &[(&str, &str)] = &[
        ("afr", "af"),
        ("aka", "ak"),
        ("amh", "am"),
        ("ara", "ar"),
        ("aze", "az"),
        ("bel", "be"),
        ("ben", "bn"),
        ("bul", "bg"),
        ("cat", "ca"),
        ("ces", "cs"),
        ("cmn", "zh"),
        ("dan", "da"),
        ("deu", "de"),
        ("ell", "el"),
        ("eng", "en"),
        ("epo", "eo"),
        ("est", "et"),
        ("fin", "fi"),
        ("fra", "fr"),
        ("guj", "gu"),
        ("heb", "he"),
        ("hin", "hi"),
        ("hrv", "hr"),
        ("hun", "hu"),
        ("hye", "hy"),
        ("ind", "id"),
        ("ita", "it"),
        ("jav", "jv"),
        ("jpn", "ja"),
        ("kan", "kn"),
        ("kat", "ka"),
        ("khm", "km"),
        ("kor", "ko"),
        ("lat", "la"),
        ("lav", "lv"),
        ("lit", "lt"),
        ("mal", "ml"),
        ("mar", "mr"),
        ("mkd", "mk"),
        ("mya", "my"),
        ("nep", "ne"),
        ("nld", "nl"),
        ("nob", "nb"),
        ("ori", "or"),
        ("pan", "pa"),
        ("pes", "fa"),
        ("pol", "pl"),
        ("por", "pt"),
        ("ron", "ro"),
        ("rus", "ru"),
        ("sin", "si"),
        ("slk", "sk"),
        ("slv", "sl"),
        ("sna", "sn"),
        ("spa", "es"),
        ("srp", "sr"),
        ("swe", "sv"),
        ("tam", "ta"),
        ("tel", "te"),
        ("tgl", "tl"),
        ("tha", "th"),
        ("tuk", "tk"),
        ("tur", "tr"),
        ("ukr", "uk"),
        ("urd", "ur"),
        ("uzb", "uz"),
        ("vie", "vi"),
        ("yid", "yi"),
        ("zul", "zu"),
    ];
    TABLE.iter().find(|(three, _)| *three == code).map_or(code, |(_, two)| two)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages() {
        assert_eq!(
            detect("The agreement commits both countries to help each other in the event of an attack.", None)
                .as_deref(),
            Some("en")
        );
        assert_eq!(
            detect("Государственная дума ратифицировала договор о всеобъемлющем стратегическом партнёрстве.", None)
                .as_deref(),
            Some("ru")
        );
        assert_eq!(detect("ok", Some("en-GB")).as_deref(), Some("en"));
        assert_eq!(detect("ok", None), None);
        // Romance languages share "a" and "in" with English, but not enough of its function words.
        assert_eq!(detect("La Commission européenne a présenté mardi un plan pour réformer la convention sur les réfugiés de 1951, a-t-on appris à Bruxelles.", None).as_deref(), Some("fr"));
    }
}
