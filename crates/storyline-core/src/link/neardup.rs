//! Near-duplicate detection: a MinHash signature of each body's five-word shingles, and an LSH index
//! over bands of it, so that a wire story republished under ten mastheads is found as one text
//! without comparing it with every stored article. A candidate found through a shared band is
//! confirmed by the signatures' estimated Jaccard similarity.
//!
//! No crate is used for this: the MinHash crates on crates.io are early partial ports (datasketch-
//! minhash-lsh 0.0.1, lshdedup-core 0.1) and the algorithm is a few lines over `foldhash`.

use super::Map as HashMap;
use std::hash::BuildHasher;

/// Hash functions in a signature.
pub const PERMUTATIONS: usize = 64;
/// LSH bands, of `PERMUTATIONS / BANDS` rows each: documents sharing any band are candidates.
const BANDS: usize = 16;
const ROWS: usize = PERMUTATIONS / BANDS;
/// Words per shingle.
const SHINGLE: usize = 5;

/// A MinHash signature: for each of the hash functions, the least hash over the shingles.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature(pub [u32; PERMUTATIONS]);

/// The multipliers and offsets of the hash family `a·x + b` (odd `a`), fixed so that signatures are
/// the same on every machine and in every run.
fn family() -> &'static [(u64, u64); PERMUTATIONS] {
    static FAMILY: std::sync::LazyLock<[(u64, u64); PERMUTATIONS]> = std::sync::LazyLock::new(|| {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = || {
            // splitmix64
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        std::array::from_fn(|_| (next() | 1, next()))
    });
    &FAMILY
}

/// Whether lower-casing leaves `c` as it is (titlecase "ǅ" is not upper case, yet changes).
fn lowercase_already(c: char) -> bool {
    let mut lower = c.to_lowercase();
    lower.next() == Some(c) && lower.next().is_none()
}

impl Signature {
    /// The signature of `text`, or `None` when it has fewer words than a shingle.
    pub fn of(text: &str) -> Option<Signature> {
        // Words that lower-casing leaves as they are are borrowed; a `Cow<str>` hashes as its text
        // does, so the signature is the same as with owned lower-cased words.
        let words: Vec<std::borrow::Cow<'_, str>> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| if w.chars().all(lowercase_already) { w.into() } else { w.to_lowercase().into() })
            .collect();
        if words.len() < SHINGLE {
            return None;
        }
        let family = family();
        let mut mins = [u32::MAX; PERMUTATIONS];
        let seed = foldhash::quality::FixedState::with_seed(0x0d0c_5eed);
        for shingle in words.windows(SHINGLE) {
            let x = seed.hash_one(shingle);
            for (min, (a, b)) in mins.iter_mut().zip(family) {
                let h = (a.wrapping_mul(x).wrapping_add(*b) >> 32) as u32;
                *min = (*min).min(h);
            }
        }
        Some(Signature(mins))
    }

    /// The estimated Jaccard similarity of the two shingle sets.
    pub fn similarity(&self, other: &Signature) -> f64 {
        let same = self.0.iter().zip(&other.0).filter(|(a, b)| a == b).count();
        same as f64 / PERMUTATIONS as f64
    }

    fn band_keys(&self) -> impl Iterator<Item = u64> + '_ {
        self.0
            .chunks(ROWS)
            .enumerate()
            .map(|(band, rows)| foldhash::quality::FixedState::with_seed(band as u64).hash_one(rows))
    }
}

/// The LSH index: band key → the latest document (by position) whose signature has that band (a
/// copy of a copy finds the latest, which leads to the same original), and the signatures of the
/// most recent documents (copies appear within days; older signatures are let go).
#[derive(Debug, Default)]
pub struct NearDupIndex {
    signatures: std::collections::VecDeque<Option<Signature>>,
    /// Position of the first signature still held.
    first: usize,
    bands: HashMap<u64, u32>,
}

/// Signatures held: the most recent documents.
const RECENT: usize = 200_000;

impl NearDupIndex {
    /// Adds the next document (positions count from 0 in insertion order) and returns the earlier
    /// document it is a near-duplicate of (estimated Jaccard ≥ `threshold`), the most similar one.
    pub fn insert(&mut self, signature: Option<Signature>, threshold: f64) -> Option<usize> {
        let position = (self.first + self.signatures.len()) as u32;
        let mut best: Option<(f64, usize)> = None;
        if let Some(signature) = &signature {
            let mut seen = Vec::new();
            for key in signature.band_keys() {
                if let Some(other) = self.bands.insert(key, position)
                    && !seen.contains(&other)
                {
                    seen.push(other);
                    let held = (other as usize).checked_sub(self.first).and_then(|i| self.signatures.get(i));
                    let Some(Some(theirs)) = held else { continue };
                    let similarity = signature.similarity(theirs);
                    if similarity >= threshold && best.is_none_or(|(s, _)| similarity > s) {
                        best = Some((similarity, other as usize));
                    }
                }
            }
        }
        self.signatures.push_back(signature);
        if self.signatures.len() > RECENT {
            self.signatures.pop_front();
            self.first += 1;
            // Now and then, forget bands that only lead to signatures let go.
            if self.first.is_multiple_of(RECENT) {
                let first = self.first as u32;
                self.bands.retain(|_, position| *position >= first);
            }
        }
        best.map(|(_, other)| other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Borrowing the words already in lower case gives the signature of owned lower-cased words.
    #[test]
    fn borrowed_words_sign_as_owned_ones() {
        let text = "Džemal ǅemal met ΣΟΦΙΑ and Kim Jong-un in Pyongyang on Tuesday, officials said today";
        let owned: Vec<String> =
            text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
        let family = family();
        let seed = foldhash::quality::FixedState::with_seed(0x0d0c_5eed);
        let mut mins = [u32::MAX; PERMUTATIONS];
        for shingle in owned.windows(SHINGLE) {
            let x = seed.hash_one(shingle);
            for (min, (a, b)) in mins.iter_mut().zip(family) {
                *min = (*min).min((a.wrapping_mul(x).wrapping_add(*b) >> 32) as u32);
            }
        }
        assert_eq!(Signature::of(text).map(|s| s.0), Some(mins));
    }

    const WIRE: &str = "TOKYO, Jan 3 - Japan released air traffic control transcripts on Wednesday showing that a \
        Japan Airlines jet had been cleared to land at Haneda, while the coast guard plane it struck had been told \
        to taxi to a holding point short of the runway. The records covered the minutes before the crash, in which \
        all 379 people on the airliner escaped and five of the six coast guard crew died. Investigators from the \
        transport safety board have recovered both planes' flight recorders, the ministry said.";

    #[test]
    fn copies_are_found_and_other_texts_are_not() {
        let mut index = NearDupIndex::default();
        assert_eq!(index.insert(Signature::of(WIRE), 0.6), None);
        let other = "Russia's lower house ratified the defence treaty with North Korea on Thursday, a vote \
            that came as reports of North Korean troops in the Kursk region mounted and officials in Seoul \
            warned of a deepening military partnership between the two governments.";
        assert_eq!(index.insert(Signature::of(other), 0.6), None);
        let copy = format!("Sapporo readers: flights to Haneda resumed. {WIRE}");
        assert_eq!(index.insert(Signature::of(&copy), 0.6), Some(0));
        let trimmed = WIRE.rsplit_once(" Investigators").map(|(head, _)| head).unwrap_or(WIRE);
        assert_eq!(index.insert(Signature::of(trimmed), 0.6), Some(0));
        assert_eq!(index.insert(Signature::of("too short"), 0.6), None);
    }

    #[test]
    fn similarity_estimates_jaccard() {
        let a = Signature::of(WIRE).expect("long enough");
        assert_eq!(a.similarity(&a), 1.0);
        let b =
            Signature::of("An entirely different text about a bridge in Baltimore that fell into the river at night.")
                .expect("long enough");
        assert!(a.similarity(&b) < 0.1);
    }
}
