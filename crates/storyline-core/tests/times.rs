//! Time expressions on our own labelled sentences (`tests/data/times.txt`, written for storyline):
//! each marked expression must be found with the value a careful reader assigns, anchored on the
//! line's publication date. Floors: value accuracy ≥ 0.95, precision ≥ 0.90.

use chrono::NaiveDate;
use storyline_core::annotate::find_times;

struct Gold {
    start: usize,
    end: usize,
    value: Option<String>,
}

/// Strips `[[expression|value]]` marks, returning the plain sentence and the marked spans.
fn parse(marked: &str) -> (String, Vec<Gold>) {
    let mut text = String::new();
    let mut gold = Vec::new();
    let mut rest = marked;
    while let Some(open) = rest.find("[[") {
        text.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let close = after.find("]]").expect("closed mark");
        let (expr, value) = after[..close].rsplit_once('|').expect("expression|value");
        let start = text.len();
        text.push_str(expr);
        gold.push(Gold { start, end: text.len(), value: (value != "?").then(|| value.to_owned()) });
        rest = &after[close + 2..];
    }
    text.push_str(rest);
    (text, gold)
}

#[test]
fn our_labelled_time_expressions() {
    let data = include_str!("data/times.txt");
    let (mut total, mut correct, mut found_n, mut spurious) = (0, 0, 0, 0);
    let mut failures = Vec::new();
    for line in data.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let (anchor, marked) = line.split_once(" | ").expect("ANCHOR | sentence");
        let anchor = NaiveDate::parse_from_str(anchor.trim(), "%Y-%m-%d").ok();
        let (text, gold) = parse(marked);
        let found = find_times(&text, anchor);
        found_n += found.len();
        spurious += found.iter().filter(|f| !gold.iter().any(|g| f.start < g.end && g.start < f.end)).count();
        for g in &gold {
            total += 1;
            let hit = found.iter().find(|f| f.start < g.end && g.start < f.end);
            match hit {
                Some(f) if f.value == g.value => correct += 1,
                other => failures.push(format!(
                    "{:?} in {text:?}: expected {:?}, got {:?}",
                    &text[g.start..g.end],
                    g.value,
                    other.map(|f| (&f.text, &f.value))
                )),
            }
        }
    }
    let accuracy = correct as f64 / total as f64;
    let precision = (found_n - spurious) as f64 / found_n.max(1) as f64;
    eprintln!(
        "own time expressions: {correct} of {total} right ({accuracy:.3}); precision {precision:.3} ({spurious} spurious of {found_n})"
    );
    for f in &failures {
        eprintln!("  {f}");
    }
    assert!(total >= 200, "the set must hold at least 200 expressions, has {total}");
    assert!(accuracy >= 0.95, "value accuracy {accuracy:.3} is below 0.95");
    assert!(precision >= 0.90, "precision {precision:.3} is below 0.90");
}
