//! Evaluation over the real seed articles in `../shared/seeds` (read at run time, never copied into
//! the repository). Each seed's expectations are spelled out: the headline, outlet, authors and date
//! (right with its evidence, or unknown), short probes for the article's own text that must survive
//! and for the page furniture that must go, and the people, organisations, places and nationalities
//! the text names (each spelling a mention; one storyline id per entity across the seeds; its kind).
//! Skips when the folder is absent, unless `STORYLINE_REQUIRE_SHARED` is set (as `.ci/run` does
//! where `../shared` exists).

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
    /// Every person, organisation, place and nationality the article's own text names, by each
    /// spelling it takes there, with the kind and identity a reader gives it (see [`Named`]).
    entities: &'static [Named],
}

/// One spelling of an entity in one seed, read off the article by hand (never off storyline's
/// output), following `docs/labels.md`: every whole-word, case-sensitive occurrence of `spelling`
/// in the body is a mention of `id` (`kind/identity`, one identity per real entity across all the
/// seeds), except occurrences inside a longer listed spelling. `Spelling#N` is only its N-th such
/// occurrence; the plain spelling then takes the others. `gov`: a capital standing for its state.
struct Named {
    spelling: &'static str,
    id: &'static str,
    gov: bool,
}

const fn e(spelling: &'static str, id: &'static str) -> Named {
    Named { spelling, id, gov: false }
}

/// A capital (or country's city) that stands for its state: `id` is the country's.
const fn gov(spelling: &'static str, id: &'static str) -> Named {
    Named { spelling, id, gov: true }
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
        entities: &[
            e("Russian", "nationality/russian"),
            e("Kryvyi Rih", "place/kryvyi-rih"),
            e("Ukraine", "place/ukraine"),
            e("Volodymyr Zelensky", "person/volodymyr-zelensky"),
            e("Russia", "place/russia"),
            e("North Korea", "place/north-korea"),
            e("North Korean", "nationality/north-korean"),
            e("North Koreans", "nationality/north-korean"),
            e("KCNA", "org/kcna"),
            e("Kim Jong-un", "person/kim-jong-un"),
            e("Kim", "person/kim-jong-un"),
            e("Vladimir Putin", "person/vladimir-putin"),
            e("Putin", "person/vladimir-putin"),
            e("Pyongyang", "place/pyongyang"),
            e("Ukrainian", "nationality/ukrainian"),
            e("South Korean", "nationality/south-korean"),
            e("US", "place/united-states"),
            e("Kursk region", "place/kursk-region"),
            e("Rustem Umerov", "person/rustem-umerov"),
            e("G7", "org/g7"),
            e("Japan", "place/japan"),
            e("Italy", "place/italy"),
            e("UK", "place/united-kingdom"),
            e("Germany", "place/germany"),
            e("France", "place/france"),
            e("Canada", "place/canada"),
            e("South Korea", "place/south-korea"),
            e("Australia", "place/australia"),
            e("New Zealand", "place/new-zealand"),
            e("European Union", "org/european-union"),
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
        entities: &[
            e("Putin", "person/vladimir-putin"),
            e("Vladimir Putin", "person/vladimir-putin"),
            e("North Korea", "place/north-korea"),
            e("Russian", "nationality/russian"),
            e("North Korean", "nationality/north-korean"),
            e("Kim Jong Un", "person/kim-jong-un"),
            // Where the treaty was signed; then the state, in a pair with Moscow.
            e("Pyongyang#1", "place/pyongyang"),
            gov("Pyongyang#2", "place/north-korea"),
            gov("Moscow", "place/russia"),
            e("Russia", "place/russia"),
            e("Ukraine", "place/ukraine"),
            e("South Korea", "place/south-korea"),
            e("Ukrainian", "nationality/ukrainian"),
            e("Volodymyr Zelensky", "person/volodymyr-zelensky"),
            e("Kursk region", "place/kursk-region"),
        ],
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
        entities: &[
            e("Russian", "nationality/russian"),
            e("Vladimir Putin", "person/vladimir-putin"),
            e("Putin", "person/vladimir-putin"),
            e("Pyongyang", "place/pyongyang"),
            e("North Korea", "place/north-korea"),
            e("North Korean", "nationality/north-korean"),
            e("Kim Jong-Un", "person/kim-jong-un"),
            e("Kim Jong Un", "person/kim-jong-un"),
            e("TASS", "org/tass"),
            e("Russia", "place/russia"),
            e("United States", "place/united-states"),
            e("U.S.", "place/united-states"),
            e("Ukraine", "place/ukraine"),
            e("Antony Blinken", "person/antony-blinken"),
            e("NATO", "org/nato"),
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
        entities: &[
            e("SEOUL", "place/seoul"),
            e("South Korea", "place/south-korea"),
            e("Russian", "nationality/russian"),
            e("Vladimir Putin", "person/vladimir-putin"),
            e("Putin", "person/vladimir-putin"),
            e("North Korean", "nationality/north-korean"),
            e("Kim Jong Un", "person/kim-jong-un"),
            e("Kim", "person/kim-jong-un"),
            // The summit's city; then the state receiving technology; then the square's city.
            e("Pyongyang#1", "place/pyongyang"),
            gov("Pyongyang#2", "place/north-korea"),
            e("Pyongyang#3", "place/pyongyang"),
            gov("Moscow", "place/russia"),
            gov("Kyiv", "place/ukraine"),
            e("Ukraine", "place/ukraine"),
            e("U.S.", "place/united-states"),
            e("NBC News", "org/nbc-news"),
            e("North Korea", "place/north-korea"),
            e("Asia-Pacific region", "place/asia-pacific"),
            e("Russia", "place/russia"),
            e("Kremlin", "org/kremlin"),
            e("Kim Il Sung Square", "place/kim-il-sung-square"),
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
        entities: &[
            e("Ukrainian", "nationality/ukrainian"),
            e("Volodymyr Zelenskyy", "person/volodymyr-zelensky"),
            e("Zelenskyy", "person/volodymyr-zelensky"),
            e("South Korean", "nationality/south-korean"),
            e("Yoon Suk-yeol", "person/yoon-suk-yeol"),
            e("Russia", "place/russia"),
            e("North Korean", "nationality/north-korean"),
            e("Ukraine", "place/ukraine"),
            e("Russian", "nationality/russian"),
            e("Republic of Korea", "place/south-korea"),
            e("National Resistance Center", "org/national-resistance-center"),
            e("Kursk Oblast", "place/kursk-region"),
            e("South Korean Ministry of Defence", "org/south-korean-ministry-of-defence"),
            e("North Korea", "place/north-korea"),
            e("Kyrylo Budanov", "person/kyrylo-budanov"),
            e("Defence Intelligence of Ukraine", "org/defence-intelligence-of-ukraine"),
            e("NATO", "org/nato"),
            e("Mark Rutte", "person/mark-rutte"),
        ],
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

/// `storyline analyze --format json` over the seeds in a fresh store, when the seeds are there.
fn analyze_seeds() -> Option<common::Run> {
    let dir = seeds_dir()?;
    let data = tempfile::tempdir().expect("tempdir");
    let run = storyline(data.path(), &["analyze", "--format", "json", dir.to_str().expect("utf-8 path")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    Some(run)
}

#[test]
fn seeds_extract_as_expected() {
    let Some(run) = analyze_seeds() else { return };
    let found = articles(&run.stdout);
    assert_eq!(found.len(), SEEDS.len());

    let mut tally = Tally::default();
    let mut check = |ok: bool, what: String| tally.check(ok, what);
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

    let before = (tally.checks, tally.failures.len());
    check_entities(&found, &mut tally);
    let entity_checks = tally.checks - before.0;
    let entity_failures = &tally.failures[before.1..];
    eprintln!("entity evaluation: {} of {entity_checks} checks hold", entity_checks - entity_failures.len());
    for failure in entity_failures {
        eprintln!("  {failure}");
    }
    let Tally { checks, failures } = tally;
    eprintln!("seed evaluation: {} of {checks} checks hold", checks - failures.len());
    assert!(failures.is_empty(), "{} failed checks:\n{}", failures.len(), failures.join("\n"));
}

#[derive(Default)]
struct Tally {
    checks: usize,
    failures: Vec<String>,
}

impl Tally {
    fn check(&mut self, ok: bool, what: String) {
        self.checks += 1;
        if !ok {
            self.failures.push(what);
        }
    }
}

/// A mention storyline reports, with the entity it puts it under.
struct Got<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    id: &'a str,
    kind: &'a str,
    government: bool,
}

/// What storyline gave for one occurrence of an expected spelling.
struct Found<'a> {
    file: &'static str,
    spelling: &'static str,
    id: &'a str,
    kind: &'a str,
}

/// Byte ranges of the whole-word, case-sensitive occurrences of `word` in `text`.
fn occurrences(text: &str, word: &str) -> Vec<(usize, usize)> {
    let alnum_before = |i: usize| text[..i].chars().next_back().is_some_and(char::is_alphanumeric);
    let alnum_after = |i: usize| text[i..].chars().next().is_some_and(char::is_alphanumeric);
    text.match_indices(word)
        .map(|(i, w)| (i, i + w.len()))
        .filter(|&(s, e)| !alnum_before(s) && !alnum_after(e))
        .collect()
}

/// Per seed: (a) each listed spelling is a mention, with exactly its span, wherever it occurs;
/// a capital standing for its state is marked so. Over all seeds, per expected entity: (b) its
/// mentions share one storyline id, which no other expected entity's mentions have; (c) its kind.
fn check_entities(found: &[serde_json::Value], tally: &mut Tally) {
    let mut by_entity: Vec<(&'static str, Vec<Found>)> = Vec::new();
    for seed in SEEDS {
        let file = seed.file;
        let a = found
            .iter()
            .find(|a| a["source"].as_str().is_some_and(|s| s.contains(&format!("/{file}"))))
            .expect("article found above");
        let body = a["body"].as_str().unwrap_or_default();
        let mut got = Vec::new();
        for entity in a["entities"].as_array().into_iter().flatten() {
            for m in entity["mentions"].as_array().into_iter().flatten() {
                got.push(Got {
                    start: m["start"].as_u64().unwrap_or(u64::MAX) as usize,
                    end: m["end"].as_u64().unwrap_or(u64::MAX) as usize,
                    text: m["text"].as_str().unwrap_or_default(),
                    id: entity["id"].as_str().unwrap_or_default(),
                    kind: entity["kind"].as_str().unwrap_or_default(),
                    government: m["sense"].as_str() == Some("government"),
                });
            }
        }

        // Occurrences of each listed spelling, longer spellings claiming theirs first.
        let mut bases: Vec<&str> =
            seed.entities.iter().map(|n| n.spelling.split('#').next().unwrap_or(n.spelling)).collect();
        bases.sort_by_key(|b| std::cmp::Reverse(b.len()));
        bases.dedup();
        let mut claimed: Vec<(usize, usize)> = Vec::new();
        let mut at: Vec<(&str, Vec<(usize, usize)>)> = Vec::new();
        for base in bases {
            let free: Vec<_> = occurrences(body, base)
                .into_iter()
                .filter(|&(s, e)| !claimed.iter().any(|&(cs, ce)| s < ce && cs < e))
                .collect();
            claimed.extend(&free);
            at.push((base, free));
        }

        let (people, spellings) =
            (seed.entities.iter().map(|n| n.id).collect::<std::collections::BTreeSet<_>>().len(), seed.entities.len());
        eprintln!("{file}: {people} expected entities, {spellings} spellings");

        for named in seed.entities {
            let (base, nth) = match named.spelling.split_once('#') {
                Some((b, n)) => (b, Some(n.parse::<usize>().expect("#N"))),
                None => (named.spelling, None),
            };
            let all = &at.iter().find(|(b, _)| *b == base).expect("every base was looked up").1;
            let spans: Vec<(usize, usize)> = match nth {
                Some(n) => all.get(n - 1).into_iter().copied().collect(),
                None => {
                    let taken: Vec<usize> = seed
                        .entities
                        .iter()
                        .filter_map(|o| o.spelling.split_once('#'))
                        .filter(|(b, _)| *b == base)
                        .map(|(_, n)| n.parse::<usize>().expect("#N") - 1)
                        .collect();
                    all.iter().enumerate().filter(|(i, _)| !taken.contains(i)).map(|(_, s)| *s).collect()
                }
            };
            let spelling = named.spelling;
            if spans.is_empty() {
                tally.check(false, format!("{file}: entity {spelling:?} does not occur in the body"));
                continue;
            }
            let mut missing = Vec::new();
            let mut hits = Vec::new();
            for &(s, e) in &spans {
                match got.iter().find(|g| g.start == s && g.end == e) {
                    Some(g) => hits.push(g),
                    None => {
                        let near: Vec<String> = got
                            .iter()
                            .filter(|g| g.start < e && s < g.end)
                            .map(|g| format!("{:?} as {}", g.text, g.id))
                            .collect();
                        missing.push(if near.is_empty() {
                            format!("@{s}: no mention")
                        } else {
                            format!("@{s}: only {}", near.join(", "))
                        });
                    }
                }
            }
            tally.check(
                missing.is_empty(),
                format!(
                    "{file}: entity {spelling:?} ({}): {} of {} occurrences not a mention [{}]",
                    named.id,
                    missing.len(),
                    spans.len(),
                    missing.join("; ")
                ),
            );
            if named.gov {
                let unmarked = hits.iter().filter(|g| !g.government).count();
                tally.check(
                    !hits.is_empty() && unmarked == 0,
                    format!(
                        "{file}: entity {spelling:?} stands for {} but {unmarked} of {} mentions lack sense government",
                        named.id,
                        hits.len()
                    ),
                );
            }
            let slot = match by_entity.iter().position(|(id, _)| *id == named.id) {
                Some(i) => i,
                None => {
                    by_entity.push((named.id, Vec::new()));
                    by_entity.len() - 1
                }
            };
            by_entity[slot].1.extend(hits.iter().map(|g| Found { file, spelling, id: g.id, kind: g.kind }));
        }
    }

    fn ids_of<'a>(found: &[Found<'a>]) -> Vec<&'a str> {
        let mut ids: Vec<&str> = found.iter().map(|f| f.id).collect();
        ids.sort();
        ids.dedup();
        ids
    }
    for (expected, found) in &by_entity {
        let ids = ids_of(found);
        let spread: Vec<String> = ids
            .iter()
            .map(|id| {
                let mut by: Vec<String> =
                    found.iter().filter(|f| f.id == *id).map(|f| format!("{}{:?}", f.file, f.spelling)).collect();
                by.dedup();
                format!("{id} <- {}", by.join(" "))
            })
            .collect();
        tally.check(
            ids.len() == 1,
            format!("entity {expected}: mentions carry {} storyline ids, not one [{}]", ids.len(), spread.join("; ")),
        );
        let shared: Vec<String> = by_entity
            .iter()
            .filter(|(other, _)| other != expected)
            .filter_map(|(other, theirs)| {
                let common: Vec<&str> = ids_of(theirs).into_iter().filter(|id| ids.contains(id)).collect();
                (!common.is_empty()).then(|| format!("{other} also has {}", common.join(", ")))
            })
            .collect();
        tally.check(
            shared.is_empty(),
            format!("entity {expected}: id shared with another entity [{}]", shared.join("; ")),
        );
        let kind = expected.split('/').next().unwrap_or_default();
        let mut wrong: Vec<String> = found
            .iter()
            .filter(|f| f.kind != kind)
            .map(|f| format!("{}{:?} is {}", f.file, f.spelling, f.kind))
            .collect();
        wrong.dedup();
        tally.check(
            !found.is_empty() && wrong.is_empty(),
            format!(
                "entity {expected}: kind is not {kind} [{}]",
                if found.is_empty() { "no mention".into() } else { wrong.join("; ") }
            ),
        );
    }
}

/// The seeds as stories (the stories issue): what the dossiers must say about them. Printed as a
/// tally like the extraction checks; every check must hold.
#[test]
fn seeds_link_and_reconcile() {
    let Some(run) = analyze_seeds() else { return };
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let found = articles(&run.stdout);
    let id_of = |prefix: &str| {
        found
            .iter()
            .find(|a| a["source"].as_str().is_some_and(|s| s.contains(&format!("/{prefix}"))))
            .and_then(|a| a["id"].as_str())
            .unwrap_or_default()
            .to_owned()
    };
    let stories = value["stories"].as_array().cloned().unwrap_or_default();
    let story_of = |id: &str| {
        stories.iter().find(|s| s["articles"].as_array().is_some_and(|a| a.iter().any(|x| x["id"] == id))).cloned()
    };
    let mut tally = Tally::default();
    let treaty = story_of(&id_of("002_")).expect("the signing article is in a story");
    let members: Vec<&str> =
        treaty["articles"].as_array().into_iter().flatten().filter_map(|a| a["id"].as_str()).collect();
    for seed in ["000_", "001_", "002_", "003_", "004_"] {
        tally.check(members.contains(&id_of(seed).as_str()), format!("{seed} is in the treaty story"));
    }
    // The October 2024 deployment reports, on their days, from the troops article.
    for day in ["2024-10-08", "2024-10-18", "2024-10-28"] {
        let cites_troops = treaty["events"].as_array().into_iter().flatten().any(|e| {
            e["date"] == day
                && e["sources"].as_array().into_iter().flatten().any(|s| s["article"] == id_of("004_").as_str())
        });
        tally.check(cites_troops, format!("the treaty timeline has the {day} report from 004_"));
    }
    // The signing on 19 June 2024, from both articles that report it.
    let signing =
        treaty["events"].as_array().into_iter().flatten().find(|e| e["date"] == "2024-06-19" && e["kind"] == "signing");
    let signing_sources: Vec<&str> = signing
        .and_then(|e| e["sources"].as_array())
        .into_iter()
        .flatten()
        .filter_map(|s| s["article"].as_str())
        .collect();
    for seed in ["002_", "003_"] {
        tally.check(signing_sources.contains(&id_of(seed).as_str()), format!("the 2024-06-19 signing cites {seed}"));
    }
    // The live blog's missile strike is not an event of the treaty's timeline.
    let strike_in_treaty = treaty["events"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|e| e["summary"].as_str().is_some_and(|s| s.contains("Kryvyi Rih")));
    tally.check(!strike_in_treaty, "the Kryvyi Rih strike stays out of the treaty timeline".to_owned());
    // It is an entry of its own, listed apart, and gives the treaty story none of its quotes.
    let set_apart = treaty["other_entries"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|e| e["text"].as_str().is_some_and(|t| t.contains("Kryvyi Rih")));
    tally.check(set_apart, "the Kryvyi Rih update is listed as a live-blog entry on another matter".to_owned());
    let strike_quote = treaty["quotes"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|g| g["quotes"].as_array().into_iter().flatten())
        .any(|q| q["text"].as_str().is_some_and(|t| t.contains("unleashes the same terror")));
    tally.check(!strike_quote, "the strike update's quote stays out of the treaty story".to_owned());
    // Troop figures: one claim about North Korea's troops per story, values with their qualifiers
    // and sources, projections marked as projections and never as conflicts.
    let mut troop_values = Vec::new();
    for story in &stories {
        let claims = story["claims"].as_array().cloned().unwrap_or_default();
        let troops: Vec<&serde_json::Value> =
            claims.iter().filter(|c| c["measure"] == "troops" && c["subject"] == "place/north-korea").collect();
        tally.check(troops.len() <= 1, format!("one troop claim per story, got {}", troops.len()));
        for claim in troops {
            for v in claim["values"].as_array().into_iter().flatten() {
                tally.check(
                    !v["sources"].as_array().is_none_or(Vec::is_empty),
                    format!("a troop value without sources: {v}"),
                );
                let ahead = v["modality"] == "expected" || v["modality"] == "planned";
                tally.check(!ahead || v["relation"] == "projection", format!("a projection marked {}", v["relation"]));
                troop_values.push((v["value"].as_f64(), v["qualifier"].as_str().map(str::to_owned)));
            }
        }
    }
    // All of them in the treaty story's one claim, from the live blog, the explainer and the
    // troops article.
    let treaty_troops = treaty["claims"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["measure"] == "troops" && c["subject"] == "place/north-korea");
    let troop_sources: std::collections::HashSet<&str> = treaty_troops
        .and_then(|c| c["values"].as_array())
        .into_iter()
        .flatten()
        .flat_map(|v| v["sources"].as_array().into_iter().flatten())
        .filter_map(|s| s["article"].as_str())
        .collect();
    for seed in ["000_", "001_", "004_"] {
        tally.check(troop_sources.contains(id_of(seed).as_str()), format!("the treaty's troop claim cites {seed}"));
    }
    for (value, qualifier) in [(11000.0, Some("around")), (12000.0, Some("around")), (10000.0, Some("about"))] {
        tally.check(
            troop_values.iter().any(|(v, q)| *v == Some(value) && q.as_deref() == qualifier),
            format!("troop value {value} {qualifier:?} in a claim"),
        );
    }
    eprintln!("story evaluation: {} of {} checks hold", tally.checks - tally.failures.len(), tally.checks);
    assert!(tally.failures.is_empty(), "{}", tally.failures.join("\n"));
}
