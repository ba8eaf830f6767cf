//! Bytes to text: byte-order marks, UTF-16 without a BOM, a declared charset, then detection
//! (`chardetng`) for legacy encodings; binary input is refused; the result is NFC-normalised with
//! `\n` line ends. This module decides nothing about what the text means.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Why bytes could not be read as text.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DecodeError {
    #[error("empty input (0 bytes)")]
    Empty,
    #[error("no text: the input holds only whitespace")]
    Blank,
    #[error("binary content, not text: {0}")]
    Binary(String),
}

/// Decoded text and how it was decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// The WHATWG name of the encoding used, e.g. `UTF-8`, `windows-1251`.
    pub encoding: &'static str,
    pub warnings: Vec<String>,
}

/// Decodes `bytes` as text. `declared` is an encoding named by the container (an HTTP header or an
/// HTML `<meta charset>`); it is used only when the bytes are not valid UTF-8 and carry no BOM.
pub fn decode(bytes: &[u8], declared: Option<&'static Encoding>) -> Result<Decoded, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    let mut warnings = Vec::new();
    let (encoding, body) = match Encoding::for_bom(bytes) {
        Some((enc, bom_len)) => (enc, &bytes[bom_len..]),
        None => (sniff_utf16(bytes).unwrap_or(UTF_8), bytes),
    };
    let (text, encoding) = if encoding == UTF_8 {
        if let Some(kind) = binary_signature(body) {
            return Err(DecodeError::Binary(kind));
        }
        match std::str::from_utf8(body) {
            Ok(text) => (text.to_owned(), UTF_8),
            Err(_) => decode_non_utf8(body, declared, &mut warnings),
        }
    } else {
        (decode_reporting(encoding, body, &mut warnings), encoding)
    };
    let text = normalise(text);
    check_textual(&text)?;
    if text.trim().is_empty() {
        return Err(DecodeError::Blank);
    }
    Ok(Decoded { text, encoding: encoding.name(), warnings })
}

/// Bytes that are not valid UTF-8: a declared encoding wins; text that is UTF-8 but for a few broken
/// sequences stays UTF-8 (with the damage reported); anything else goes to the detector.
fn decode_non_utf8(
    body: &[u8],
    declared: Option<&'static Encoding>,
    warnings: &mut Vec<String>,
) -> (String, &'static Encoding) {
    if let Some(enc) = declared.filter(|e| *e != UTF_8) {
        return (decode_reporting(enc, body, warnings), enc);
    }
    let (valid_multibyte, invalid) = utf8_damage(body);
    if valid_multibyte > 0 && invalid <= 3.max(valid_multibyte / 10) {
        let first_bad = std::str::from_utf8(body).err().map(|e| e.valid_up_to()).unwrap_or(0);
        warnings.push(format!(
            "invalid UTF-8 ({invalid} broken sequence(s), the first at byte {first_bad}) replaced with U+FFFD"
        ));
        return (String::from_utf8_lossy(body).into_owned(), UTF_8);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(body, true);
    let enc = detector.guess(None, chardetng::Utf8Detection::Allow);
    (decode_reporting(enc, body, warnings), enc)
}

/// Decodes with `encoding`, noting in `warnings` when malformed sequences had to be replaced.
fn decode_reporting(encoding: &'static Encoding, body: &[u8], warnings: &mut Vec<String>) -> String {
    let (text, had_errors) = encoding.decode_without_bom_handling(body);
    if had_errors {
        warnings.push(format!("invalid {} sequences replaced with U+FFFD", encoding.name()));
    }
    text.into_owned()
}

/// Counts well-formed multi-byte UTF-8 sequences and broken ones.
fn utf8_damage(mut bytes: &[u8]) -> (usize, usize) {
    let (mut valid, mut invalid) = (0usize, 0usize);
    loop {
        match std::str::from_utf8(bytes) {
            Ok(rest) => {
                valid += rest.chars().filter(|c| !c.is_ascii()).count();
                return (valid, invalid);
            }
            Err(e) => {
                let good = &bytes[..e.valid_up_to()];
                valid += good.iter().filter(|b| **b >= 0xC0).count();
                invalid += 1;
                let skip = e.error_len().unwrap_or(bytes.len() - e.valid_up_to());
                bytes = &bytes[e.valid_up_to() + skip..];
            }
        }
    }
}

/// UTF-16 without a BOM shows as NUL bytes in every other position of mostly-ASCII text.
fn sniff_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 8 {
        return None;
    }
    let pairs = sample.len() / 2;
    let even_nuls = sample.iter().step_by(2).filter(|b| **b == 0).count();
    let odd_nuls = sample.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    if odd_nuls * 10 >= pairs * 7 && even_nuls * 10 <= pairs {
        Some(UTF_16LE)
    } else if even_nuls * 10 >= pairs * 7 && odd_nuls * 10 <= pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Recognises common binary formats and NUL-laden data before any decoding is tried.
fn binary_signature(bytes: &[u8]) -> Option<String> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"%PDF", "a PDF document"),
        (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
        (b"\x1F\x8B", "gzip-compressed data"),
        (b"\x7FELF", "an executable"),
        (b"SQLite format 3\0", "an SQLite database"),
    ];
    if let Some((_, what)) = MAGIC.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return Some(format!("looks like {what}"));
    }
    let sample = &bytes[..bytes.len().min(8192)];
    let nuls = sample.iter().filter(|b| **b == 0).count();
    (nuls > 0).then(|| format!("{nuls} NUL byte(s) in the first {} bytes", sample.len()))
}

/// Text full of control characters is binary data that happened to decode.
fn check_textual(text: &str) -> Result<(), DecodeError> {
    let mut total = 0usize;
    let mut control = 0usize;
    for c in text.chars().take(8192) {
        total += 1;
        if c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}') {
            control += 1;
        }
    }
    if control > 0 && control * 20 > total {
        return Err(DecodeError::Binary(format!("{control} control characters in the first {total}")));
    }
    Ok(())
}

/// NFC, `\n` line ends, no BOM left inside, no NUL (a page too sparse in them to be called binary
/// still has them dropped: they carry nothing, and PostgreSQL text cannot hold them).
fn normalise(text: String) -> String {
    let text = if text.contains('\0') { text.replace('\0', "") } else { text };
    let text = if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n") } else { text };
    let text = if text.contains('\u{feff}') { text.replace('\u{feff}', "") } else { text };
    // ASCII is NFC whatever surrounds it, so the quick check needs only the other characters
    // (skipping ASCII can turn a "yes" into a "maybe", never the reverse): a page is mostly markup.
    match is_nfc_quick(non_ascii_chars(&text)) {
        IsNormalized::Yes => text,
        _ => text.nfc().collect(),
    }
}

/// The characters of `text` outside ASCII, in order; ASCII runs are skipped 16 bytes at a time.
fn non_ascii_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() {
            if bytes.get(at..at + 16).is_some_and(|run| run.is_ascii()) {
                at += 16;
            } else if bytes[at].is_ascii() {
                at += 1;
            } else {
                // `at` is on a character boundary: every byte skipped was a whole ASCII character.
                let c = text.get(at..).and_then(|rest| rest.chars().next())?;
                at += c.len_utf8();
                return Some(c);
            }
        }
        None
    })
}

/// The encoding named by a charset label (`utf-8`, `cp1251`, `latin1`, …).
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(bytes: &[u8], text: &str, encoding: &str) {
        let decoded = decode(bytes, None).expect("decodes");
        assert_eq!(decoded.text, text);
        assert_eq!(decoded.encoding, encoding);
    }

    #[test]
    fn encodings() {
        check("Kyiv – Kursk".as_bytes(), "Kyiv – Kursk", "UTF-8");
        check(b"\xEF\xBB\xBFhello\r\nworld", "hello\nworld", "UTF-8");
        let utf16: Vec<u8> = "Pyongyang summit".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        check(&utf16, "Pyongyang summit", "UTF-16LE");
        let mut with_bom = vec![0xFF, 0xFE];
        with_bom.extend_from_slice(&utf16);
        check(&with_bom, "Pyongyang summit", "UTF-16LE");
        let (cp1251, _, _) =
            encoding_rs::WINDOWS_1251.encode("Госдума ратифицировала договор с КНДР о стратегическом партнёрстве.");
        check(&cp1251, "Госдума ратифицировала договор с КНДР о стратегическом партнёрстве.", "windows-1251");
        check(
            b"Soci\xe9t\xe9 G\xe9n\xe9rale in Z\xfcrich, caf\xe9 cr\xe8me et d\xe9j\xe0 vu",
            "Société Générale in Zürich, café crème et déjà vu",
            "windows-1252",
        );
        // Decomposed accents are composed (NFC).
        check("Cafe\u{301}".as_bytes(), "Café", "UTF-8");
    }

    #[test]
    fn broken_utf8_stays_utf8_with_a_warning() {
        let mut bytes = "Zelenskyy – “quote” – Kyiv – Kursk – Sudzha – ".repeat(3).into_bytes();
        bytes.push(0xFF);
        let decoded = decode(&bytes, None).expect("decodes");
        assert_eq!(decoded.encoding, "UTF-8");
        assert!(decoded.text.ends_with('\u{FFFD}'));
        assert!(decoded.warnings[0].contains("invalid UTF-8"), "{:?}", decoded.warnings);
    }

    #[test]
    fn refusals() {
        assert_eq!(decode(b"", None), Err(DecodeError::Empty));
        assert_eq!(decode(b"  \n\t ", None), Err(DecodeError::Blank));
        assert!(matches!(decode(b"\x89PNG\r\n\x1a\n\0\0", None), Err(DecodeError::Binary(_))));
        assert!(matches!(decode(b"abc\0\x01\x02def\0", None), Err(DecodeError::Binary(_))));
        let controls: Vec<u8> = (0..200u8).map(|i| if i % 3 == 0 { 0x01 } else { b'a' }).collect();
        assert!(matches!(decode(&controls, None), Err(DecodeError::Binary(_))));
    }

    #[test]
    fn the_quick_check_sees_every_character_outside_ascii() {
        let text = format!("{}é{}\u{301}x{}ü", "a".repeat(40), "b".repeat(17), "c".repeat(3));
        assert_eq!(non_ascii_chars(&text).collect::<String>(), "é\u{301}ü");
        // A decomposed accent after plain letters is composed.
        assert_eq!(normalise("Cafe\u{301} au lait".to_owned()), "Café au lait");
    }
}
