//! Evaluation over the real seed articles in `../shared/seeds` (read at run time, never copied into
//! the repository). Each seed's expectations are spelled out: the headline, outlet, authors and date
//! (right with its evidence, or unknown), short probes for the article's own text that must survive
//! and for the page furniture that must go. Skips when the folder is absent, unless
//! `STORYLINE_REQUIRE_SHARED` is set (as `.ci/run` does where `../shared` exists).

mod common;

use common::{articles, storyline, workspace};
use std::path::PathBuf;

struct Seed {
    file: &'static str,
    title: Option<&'static str>,
    outlet: Option<&'static str>,
    authors: &'static [&'static str],
    /// `YYYY-MM-DD`, or `None` when the page carries no trustworthy date.
    date: Option<&'static str>,
    /// Words the date's evidence must contain.
    evidence: Option<&'static str>,
    paragraphs: usize,
    keeps: &'static [&'static str],
    drops: &'static [&'static str],
    /// Direct quotes, by a few of their words, with the speaker the text names.
    quotes: &'static [(&'static str, &'static str)],
}

const SEEDS: &[Seed] = &[
    Seed {
        file: "000_",
        title: None,
        outlet: None,
        authors: &[],
        // Its only date is in a photo caption, which is not the article's date.
        date: None,
        evidence: None,
        paragraphs: 13,
        keeps: &[
            "UPDATE 0625 GMT",
            "toll has risen to four",
            "Another 14 civilians",
            "Every day, every night",
            "ORIGINAL ENTRY",
            "ratification instruments",
            "signed it into law",
            "32 1/2-month invasion",
            "first small engagement",
            "coordinated response",
        ],
        drops: &["pose for the cameras", "Coverage: Emergency", "Institute for the Study", "See also", "Day 987"],
        quotes: &[
            ("the same terror", "Volodymyr Zelensky"),
            ("take effect from the day", "KCNA"),
            ("first small engagement", "Rustem Umerov"),
        ],
    },
    Seed {
        file: "001_",
        title: Some("Russia and North Korea Solidify Mutual Defence Pact"),
        outlet: Some("London Daily"),
        authors: &[],
        // The header's "Wednesday, Feb 05, 2025" is the day the page was served.
        date: None,
        evidence: None,
        paragraphs: 8,
        keeps: &[
            "On Saturday, Russian President",
            "obligates each nation",
            "sequentially ratified",
            "February 2022",
            "remnants of these arms",
            "dispatched 11,000 troops",
            "yet to acknowledge",
        ],
        drops: &[
            "Focus on the big picture",
            "Feb 05, 2025",
            "Newsletter",
            "Related Articles",
            "0:00",
            "Refugee Convention",
            "Dogs' Lifespan",
            "×",
        ],
        quotes: &[],
    },
    Seed {
        file: "002_",
        title: Some("Russia and North Korea Sign Mutual Defense Agreement"),
        outlet: Some("The New American"),
        authors: &["D. Michael DeRidder"],
        date: Some("2024-06-19"),
        evidence: Some("Written by"),
        paragraphs: 7,
        keeps: &[
            "first time since July 2000",
            "news agency TASS reported:",
            "to a new level",
            "Literally today there was",
            "10-Year Bilateral Security Agreement",
            "joint press conference",
            "very ambitious commitments",
            "membership in the Alliance.",
        ],
        drops: &[
            "<u>",
            "**",
            "AP Images",
            "Subscribe",
            "What's Included",
            "24 Issues Per Year",
            "money back",
            "Cancel anytime",
            "patriotic Americans",
        ],
        quotes: &[
            ("provides, among other things", "Putin"),
            ("to a new level", "TASS"),
            ("Literally today", "a North Korean diplomat"),
            ("very ambitious commitments", "Antony Blinken"),
        ],
    },
    Seed {
        file: "003_",
        title: Some("Kim Jong Un and Putin sign mutual defense pact in North Korea"),
        outlet: None,
        authors: &[],
        date: Some("2024-06-19"),
        evidence: Some("03:14:00"),
        paragraphs: 1,
        keeps: &[
            "SEOUL, South Korea",
            "truly breakthrough document",
            "first to North Korea in 24 years",
            "Kim Il Sung Square",
            "waved balloons",
        ],
        drops: &["Scroll down", "GPT analysis", "Original Article", "Source: Link"],
        quotes: &[
            ("breakthrough document", "Putin"),
            ("full support", "Kim"),
            ("special military operation", "Russia"),
        ],
    },
    Seed {
        file: "004_",
        title: None,
        outlet: Some("UP"),
        authors: &[],
        date: Some("2024-10-29"),
        evidence: Some("date 2024-10-29"),
        paragraphs: 13,
        keeps: &[
            "During a telephone conversation",
            "Source: President Zelenskyy on Telegram",
            "only one conclusion",
            "around 12,000",
            "exchange delegations",
            "Details:",
            "Previously: On 28 October",
            "Background:",
            "On 8 October",
            "On 13 October",
            "as early as 1 November",
            "on 23 October",
            "Mark Rutte also confirmed",
        ],
        drops: &["Advertisement", "Support UP", "patron", " date 2024-10-29"],
        quotes: &[("We have discussed the deployment", "Zelenskyy")],
    },
];

fn seeds_dir() -> Option<PathBuf> {
    let shared =
        std::env::var_os("STORYLINE_SHARED").map(PathBuf::from).unwrap_or_else(|| workspace().join("../shared"));
    let seeds = shared.join("seeds");
    if seeds.is_dir() {
        return Some(seeds);
    }
    assert!(
        std::env::var_os("STORYLINE_REQUIRE_SHARED").is_none(),
        "STORYLINE_REQUIRE_SHARED is set but {} is missing",
        seeds.display()
    );
    eprintln!("skipped: {} is not there", seeds.display());
    None
}

#[test]
fn seeds_extract_as_expected() {
    let Some(dir) = seeds_dir() else { return };
    let data = tempfile::tempdir().expect("tempdir");
    let run = storyline(data.path(), &["analyze", "--format", "json", dir.to_str().expect("utf-8 path")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let found = articles(&run.stdout);
    assert_eq!(found.len(), SEEDS.len());

    let mut checks = 0;
    let mut failures = Vec::new();
    let mut check = |ok: bool, what: String| {
        checks += 1;
        if !ok {
            failures.push(what);
        }
    };
    for seed in SEEDS {
        let a = found
            .iter()
            .find(|a| a["source"].as_str().is_some_and(|s| s.contains(&format!("/{}", seed.file))))
            .unwrap_or_else(|| panic!("no article from {}", seed.file));
        let file = seed.file;
        check(a["title"].as_str() == seed.title, format!("{file}: title {} != {:?}", a["title"], seed.title));
        check(a["outlet"].as_str() == seed.outlet, format!("{file}: outlet {} != {:?}", a["outlet"], seed.outlet));
        let authors: Vec<&str> = a["authors"].as_array().into_iter().flatten().filter_map(|v| v.as_str()).collect();
        check(authors == seed.authors, format!("{file}: authors {authors:?} != {:?}", seed.authors));
        let published = &a["published"];
        check(
            published["date"].as_str() == seed.date,
            format!("{file}: date {} != {:?}", published["date"], seed.date),
        );
        match seed.evidence {
            Some(words) => check(
                published["evidence"].as_str().is_some_and(|e| e.contains(words)),
                format!("{file}: evidence {} lacks {words:?}", published["evidence"]),
            ),
            None => check(
                published["confidence"].as_f64() == Some(0.0),
                format!("{file}: unknown date must have confidence 0"),
            ),
        }
        let body = a["body"].as_str().unwrap_or_default();
        let paragraphs = body.split("\n\n").count();
        check(paragraphs == seed.paragraphs, format!("{file}: {paragraphs} paragraphs, expected {}", seed.paragraphs));
        for probe in seed.keeps {
            check(body.contains(probe), format!("{file}: body lost {probe:?}"));
        }
        for probe in seed.drops {
            check(!body.contains(probe), format!("{file}: body kept furniture {probe:?}"));
        }
        let quotes = a["quotes"].as_array().cloned().unwrap_or_default();
        for (probe, speaker) in seed.quotes {
            let found = quotes.iter().find(|q| q["text"].as_str().is_some_and(|t| t.contains(probe)));
            let got = found.and_then(|q| q["speaker"].as_str());
            check(got == Some(*speaker), format!("{file}: quote {probe:?} has speaker {got:?}, expected {speaker:?}"));
        }
        let removed = a["removed"].as_array().map_or(0, Vec::len);
        check(removed > 0, format!("{file}: nothing recorded as removed"));
    }
    eprintln!("seed evaluation: {} of {checks} checks hold", checks - failures.len());
    assert!(failures.is_empty(), "{} failed checks:\n{}", failures.len(), failures.join("\n"));
}
