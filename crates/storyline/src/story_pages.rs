//! `storyline bench --pages FILE`: writes generated raw articles that form known stories, as
//! JSONL (one scraped page per line, with its URL, outlet and date), for the cluster's tests and
//! throughput runs: every stage has real work (page furniture to strip, names, figures and dates
//! to annotate, stories to link, wire copies to recognise). Seeded: the same seed writes the
//! same file.

use std::io::Write;

use anyhow::{Context, Result};

use crate::bench::Rng;
use crate::link_bench::word;

const OUTLETS: &[(&str, &str)] = &[
    ("Harbour Courier", "harbourcourier.example"),
    ("Meridian Wire", "meridianwire.example"),
    ("Eastern Ledger", "easternledger.example"),
    ("Northfield Gazette", "northfieldgazette.example"),
    ("Capital Dispatch", "capitaldispatch.example"),
    ("Valley Tribune", "valleytribune.example"),
];
const MONTHS: &[&str] = &["March", "April", "May", "June", "July", "August", "September", "October"];
const VERBS: &[&str] = &["announced", "confirmed", "rejected", "reviewed", "defended", "questioned", "delayed"];
const TAILS: &[&str] = &[
    "on Monday, officials said.",
    "after weeks of talks.",
    "despite objections from the opposition.",
    "in a statement released late on Tuesday.",
    "according to figures seen by reporters.",
    "two days after the vote.",
    "and expects a decision by Friday.",
];
/// Articles per simulated day.
const PER_DAY: usize = 350;

struct Story {
    words: Vec<usize>,
    person: String,
    place: String,
    body_of: Vec<String>,
    ends: usize,
}

fn capital(w: &str) -> String {
    let mut c = w.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// Writes `count` pages to `path`.
pub fn write(path: &std::path::Path, count: usize, seed: u64) -> Result<()> {
    let file = std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    let mut rng = Rng::new(seed);
    let mut stories: Vec<Story> = Vec::new();
    let mut active: Vec<usize> = Vec::new();
    for n in 0..count {
        active.retain(|&s| stories[s].ends > n);
        if active.len() < 25 || rng.below(30) == 0 {
            let words: Vec<usize> = (0..30).map(|_| 500 + rng.below(11_000)).collect();
            let person = format!("{} {}", capital(&word(rng.below(5_000))), capital(&word(5_000 + rng.below(5_000))));
            let place = capital(&word(10_000 + rng.below(3_000)));
            let days = 2 + rng.below(8);
            stories.push(Story { words, person, place, body_of: Vec::new(), ends: n + days * PER_DAY });
            active.push(stories.len() - 1);
        }
        let s = active[rng.below(active.len())];
        let day = n / PER_DAY;
        let (month, dom) = (MONTHS[(day / 28) % MONTHS.len()], day % 28 + 1);
        let (outlet, domain) = OUTLETS[rng.below(OUTLETS.len())];
        // A wire copy: an earlier body of the story under another masthead.
        let copy = (!stories[s].body_of.is_empty() && rng.below(8) == 0)
            .then(|| stories[s].body_of[rng.below(stories[s].body_of.len())].clone());
        let story = &stories[s];
        let topic = |rng: &mut Rng| word(story.words[rng.below(story.words.len())]);
        let title = format!(
            "{} {} {} {} in {}",
            story.person,
            VERBS[rng.below(VERBS.len())],
            topic(&mut rng),
            topic(&mut rng),
            story.place
        );
        let body = match copy {
            Some(body) => body,
            None => {
                let mut body = String::new();
                for p in 0..5 {
                    for _ in 0..3 {
                        let figure = 100 + rng.below(9_000);
                        body.push_str(&format!(
                            "{} {} the {} {} plan in {} {} About {figure} people were affected. ",
                            if p == 0 { story.person.clone() } else { "The council".to_owned() },
                            VERBS[rng.below(VERBS.len())],
                            topic(&mut rng),
                            topic(&mut rng),
                            story.place,
                            TAILS[rng.below(TAILS.len())],
                        ));
                        let words: Vec<String> = (0..10).map(|_| topic(&mut rng)).collect();
                        body.push_str(&format!("Residents said the {} would matter.", words.join(" ")));
                        body.push(' ');
                    }
                    body.push_str(&format!(
                        "\n\n\"We will not {} the {} again,\" {} said.\n\n",
                        ["delay", "review", "reject", "change", "abandon"][rng.below(5)],
                        topic(&mut rng),
                        story.person
                    ));
                }
                body
            }
        };
        let page = format!(
            "{outlet}\nHome | World | Business | Sport\n{title}\nBy Staff Reporter\nPublished: {month} {dom}, 2024\n\n{body}\
             Share | Tweet | Copy link\nRelated Articles\n{} {} the budget\n\
             Subscribe to the {outlet}\nSupport independent journalism - donate today\n",
            capital(&word(rng.below(9_000))),
            VERBS[rng.below(VERBS.len())]
        );
        let month_number = MONTHS.iter().position(|m| *m == month).unwrap_or(0) + 3;
        let line = serde_json::json!({
            "url": format!("https://{domain}/news/{n}"),
            "outlet": outlet,
            "published": format!("2024-{month_number:02}-{dom:02}"),
            "text": page,
        });
        writeln!(out, "{line}")?;
        stories[s].body_of.push(body);
        if stories[s].body_of.len() > 20 {
            stories[s].body_of.remove(0);
        }
    }
    out.flush()?;
    Ok(())
}
