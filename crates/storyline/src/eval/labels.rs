//! Accuracy on our own labelled corpus (`examples/labels`, format in docs/labels.md): entity
//! mentions per kind and their identities across articles, figures, time values and quote speakers.
//! The same scorer takes another tool's entity output (`--entities-from`), so a peer such as spaCy
//! is measured on the same bodies against the same labels.

use super::Prf;
use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use storyline_core::annotate::{EntityKind, find_entities};
use storyline_core::{Article, process};
use storyline_source::{Input, SourceConfig, Sources};

#[derive(Debug, clap::Args)]
pub struct LabelsArgs {
    /// The corpus folder, e.g. examples/corpus.
    corpus: PathBuf,
    /// The labels folder, e.g. examples/labels.
    labels: PathBuf,
    /// Fail when the entity mention F1 (span and kind) falls below this.
    #[arg(long)]
    min_entity_f1: Option<f64>,
    /// Fail when the share of found time expressions (spans overlapping a labelled one) with the
    /// right value falls below this: the value accuracy on matched spans, as TempEval measures it.
    #[arg(long)]
    min_time_accuracy: Option<f64>,
    /// Fail when the share of labelled time expressions that are found at all falls below this.
    #[arg(long)]
    min_time_recall: Option<f64>,
    /// Fail when the share of labelled quotes found with the right speaker falls below this.
    #[arg(long)]
    min_speaker_accuracy: Option<f64>,
    /// Score these entity mentions instead of storyline's: JSON Lines `{"id", "entities": [{"start",
    /// "end", "kind"}]}` with byte offsets into the bodies that `--export-bodies` wrote.
    #[arg(long, value_name = "FILE")]
    entities_from: Option<PathBuf>,
    /// Write the labelled articles' bodies as JSON Lines `{"id", "text"}` (the input of
    /// scripts/spacy/entities.py) and stop.
    #[arg(long, value_name = "FILE")]
    export_bodies: Option<PathBuf>,
    /// Also time the entity recogniser alone over the labelled bodies (tokens per second, one
    /// thread), for side-by-side comparison with a peer.
    #[arg(long)]
    speed: bool,
    /// Print up to this many disagreements of each kind.
    #[arg(long, default_value_t = 0)]
    errors: usize,
}

/// One article's labels.
#[derive(Debug, Default)]
struct Labels {
    entities: Vec<EntityLabel>,
    quantities: Vec<QuantityLabel>,
    times: Vec<(String, String)>,
    quotes: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
struct EntityLabel {
    surface: String,
    occurrence: Option<usize>,
    /// `None`: this occurrence is not an entity.
    kind: Option<EntityKind>,
    identity: String,
    government: bool,
}

#[derive(Debug)]
struct QuantityLabel {
    text: String,
    low: f64,
    high: f64,
    unit: String,
    hedge: Option<String>,
    modality: String,
}

/// A gold entity mention.
#[derive(Debug, Clone)]
struct GoldMention {
    start: usize,
    end: usize,
    kind: EntityKind,
    identity: String,
    government: bool,
}

fn parse_labels(text: &str, origin: &str) -> Result<Labels> {
    let mut labels = Labels::default();
    let mut section = "";
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with('[') && line.ends_with(']') {
            section = match &line[1..line.len() - 1] {
                s @ ("entities" | "quantities" | "times" | "quotes") => s,
                other => bail!("{origin}:{}: unknown section [{other}]", n + 1),
            };
            continue;
        }
        let fields: Vec<&str> = line.split('\t').map(str::trim).collect();
        let bad = |what: &str| anyhow::anyhow!("{origin}:{}: {what}: {line:?}", n + 1);
        match section {
            "entities" => {
                let (surface, occurrence) = match fields[0].rsplit_once('#') {
                    Some((s, k)) if k.parse::<usize>().is_ok() => (s, k.parse().ok()),
                    _ => (fields[0], None),
                };
                let kind_field = fields.get(1).ok_or_else(|| bad("an entity needs a kind"))?;
                let kind = if *kind_field == "-" {
                    None
                } else {
                    Some(EntityKind::parse(kind_field).ok_or_else(|| bad("unknown kind"))?)
                };
                let identity = fields.get(2).copied().unwrap_or_default().to_owned();
                if kind.is_some() && identity.is_empty() {
                    return Err(bad("an entity needs an identity"));
                }
                let government = fields.get(3).is_some_and(|f| *f == "gov");
                labels.entities.push(EntityLabel {
                    surface: surface.to_owned(),
                    occurrence,
                    kind,
                    identity,
                    government,
                });
            }
            "quantities" => {
                let [text, value, unit, hedge, modality] = fields[..] else {
                    return Err(bad("a quantity needs 5 fields"));
                };
                let (low, high) = parse_range(value).ok_or_else(|| bad("bad value"))?;
                labels.quantities.push(QuantityLabel {
                    text: text.to_owned(),
                    low,
                    high,
                    unit: unit.to_owned(),
                    hedge: (hedge != "-").then(|| hedge.to_owned()),
                    modality: modality.to_owned(),
                });
            }
            "times" => {
                let [text, value] = fields[..] else { return Err(bad("a time needs 2 fields")) };
                labels.times.push((text.to_owned(), value.to_owned()));
            }
            "quotes" => {
                let [probe, speaker] = fields[..] else { return Err(bad("a quote needs 2 fields")) };
                labels.quotes.push((probe.to_owned(), speaker.to_owned()));
            }
            _ => return Err(bad("a line before any [section]")),
        }
    }
    Ok(labels)
}

fn parse_range(value: &str) -> Option<(f64, f64)> {
    if let Ok(v) = value.parse::<f64>() {
        return Some((v, v));
    }
    let (low, high) = value.split_once('-')?;
    Some((low.parse().ok()?, high.parse().ok()?))
}

fn word_char_at(text: &str, at: usize, before: bool) -> bool {
    let c = if before { text[..at].chars().next_back() } else { text[at..].chars().next() };
    c.is_some_and(char::is_alphanumeric)
}

/// Whole-word occurrences of `needle` in `text`.
fn occurrences(text: &str, needle: &str) -> Vec<(usize, usize)> {
    if needle.is_empty() {
        return Vec::new();
    }
    text.match_indices(needle)
        .map(|(s, m)| (s, s + m.len()))
        .filter(|&(s, e)| !word_char_at(text, s, true) && !word_char_at(text, e, false))
        .collect()
}

/// Projects the entity labels onto the body: every occurrence of a surface, longer surfaces first,
/// with `#N` overrides.
fn gold_mentions(body: &str, labels: &[EntityLabel]) -> Vec<GoldMention> {
    let mut surfaces: Vec<&str> = labels.iter().map(|l| l.surface.as_str()).collect();
    surfaces.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    surfaces.dedup();
    let mut claimed: Vec<(usize, usize, &str)> = Vec::new();
    for surface in &surfaces {
        for (s, e) in occurrences(body, surface) {
            if !claimed.iter().any(|&(cs, ce, _)| s < ce && cs < e) {
                claimed.push((s, e, surface));
            }
        }
    }
    claimed.sort_by_key(|c| c.0);
    let mut out = Vec::new();
    for surface in &surfaces {
        let spots: Vec<(usize, usize)> = claimed.iter().filter(|c| c.2 == *surface).map(|&(s, e, _)| (s, e)).collect();
        let base = labels.iter().find(|l| l.surface == *surface && l.occurrence.is_none());
        for (n, &(start, end)) in spots.iter().enumerate() {
            let label = labels.iter().find(|l| l.surface == *surface && l.occurrence == Some(n + 1)).or(base);
            if let Some(EntityLabel { kind: Some(kind), identity, government, .. }) = label {
                out.push(GoldMention { start, end, kind: *kind, identity: identity.clone(), government: *government });
            }
        }
    }
    out.sort_by_key(|m| m.start);
    out
}

/// A system mention to score.
#[derive(Debug, Clone, Deserialize)]
struct SystemMention {
    start: usize,
    end: usize,
    kind: EntityKind,
    #[serde(default)]
    id: String,
    #[serde(default)]
    government: bool,
}

#[derive(Debug, Deserialize)]
struct ForeignRecord {
    id: String,
    entities: Vec<SystemMention>,
}

/// The label key of a document: its file name, `file.jsonl#N` for a JSONL record.
pub(crate) fn label_key(origin: &str) -> String {
    let name = Path::new(origin).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    match name.rsplit_once(':') {
        Some((file, line)) if line.parse::<usize>().is_ok() => format!("{file}#{line}"),
        _ => name,
    }
}

fn system_mentions(article: &Article) -> Vec<SystemMention> {
    let mut out: Vec<SystemMention> = article
        .entities
        .iter()
        .flat_map(|e| {
            e.mentions.iter().map(|m| SystemMention {
                start: m.start,
                end: m.end,
                kind: e.kind,
                id: e.id.clone(),
                government: m.sense.is_some(),
            })
        })
        .collect();
    out.sort_by_key(|m| m.start);
    out
}

#[derive(Default)]
struct Tally {
    correct: usize,
    system: usize,
    gold: usize,
}

impl Tally {
    fn prf(&self) -> Prf {
        Prf::from_counts(self.correct, self.system, self.gold)
    }
}

/// Units agree when the heads agree, currencies by their codes: "USD" and "US dollars of
/// assistance", "troops" and "troop", "square kilometres" and "sq km" do; the labels' free words
/// after the head ("euros of military aid") are ignored.
fn same_unit(ours: Option<&str>, gold: &str) -> bool {
    let norm = |u: &str| -> String {
        let lower = u.to_lowercase();
        let head = lower.split(" of ").next().unwrap_or(&lower).trim().to_owned();
        let head = match head.as_str() {
            "dollars" | "us dollars" | "dollar" | "$" => "usd".to_owned(),
            "euros" | "euro" | "€" => "eur".to_owned(),
            "pounds" | "pound" | "£" => "gbp".to_owned(),
            "km" | "kilometers" | "kilometre" | "kilometer" => "kilometres".to_owned(),
            "sq km" | "square kilometers" => "square kilometres".to_owned(),
            "%" | "per cent" => "percent".to_owned(),
            _ => head,
        };
        head.trim_end_matches('s').to_owned()
    };
    ours.is_some_and(|u| norm(u) == norm(gold))
}

pub fn run(args: &LabelsArgs, out: &mut dyn Write) -> Result<()> {
    let mut articles: BTreeMap<String, Article> = BTreeMap::new();
    let config = SourceConfig::default();
    for doc in Sources::new([Input::Path(args.corpus.clone())], config) {
        let doc = doc.with_context(|| format!("cannot read the corpus {}", args.corpus.display()))?;
        let article = process(&doc).with_context(|| format!("cannot extract {}", doc.origin))?;
        articles.insert(label_key(&doc.origin), article);
    }
    let mut labels: BTreeMap<String, Labels> = BTreeMap::new();
    let entries =
        std::fs::read_dir(&args.labels).with_context(|| format!("cannot read the labels {}", args.labels.display()))?;
    for entry in entries {
        let path = entry?.path();
        let Some(key) = path.file_name().and_then(|n| n.to_str()).and_then(|n| n.strip_suffix(".labels")) else {
            continue;
        };
        if !articles.contains_key(key) {
            bail!("{}: no article {key} in {}", path.display(), args.corpus.display());
        }
        let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
        labels.insert(key.to_owned(), parse_labels(&text, &path.display().to_string())?);
    }
    if labels.is_empty() {
        bail!("no .labels files in {}", args.labels.display());
    }
    if let Some(path) = &args.export_bodies {
        let mut file = std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
        for key in labels.keys() {
            let body = &articles[key].body;
            writeln!(file, "{}", serde_json::json!({"id": key, "text": body}))?;
        }
        writeln!(out, "wrote {} bodies to {}", labels.len(), path.display())?;
        return Ok(());
    }
    let mut foreign: HashMap<String, Vec<SystemMention>> = HashMap::new();
    if let Some(path) = &args.entities_from {
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let record: ForeignRecord = serde_json::from_str(line)
                .with_context(|| format!("{}:{}: not an entity record", path.display(), n + 1))?;
            let body = articles.get(&record.id).map_or("", |a| a.body.as_str());
            if let Some(bad) = record.entities.iter().find(|m| body.get(m.start..m.end).is_none()) {
                bail!(
                    "{}:{}: mention {}..{} is not a span of the body of {} (byte offsets expected)",
                    path.display(),
                    n + 1,
                    bad.start,
                    bad.end,
                    record.id
                );
            }
            foreign.insert(record.id, record.entities);
        }
    }

    let kinds = [EntityKind::Person, EntityKind::Org, EntityKind::Place, EntityKind::Nationality];
    let mut by_kind: BTreeMap<EntityKind, Tally> = BTreeMap::new();
    let mut untyped = Tally::default();
    // Matched mentions across the corpus: (gold identity, system id), for identity agreement.
    let mut matched: Vec<(String, String)> = Vec::new();
    let (mut sense_right, mut sense_total) = (0, 0);
    let mut entity_errors = Vec::new();
    let (mut q_found, mut q_value, mut q_unit, mut q_hedge, mut q_modality, mut q_all, mut q_gold, mut q_system) =
        (0, 0, 0, 0, 0, 0, 0, 0);
    let mut quantity_errors = Vec::new();
    let (mut t_right, mut t_found, mut t_gold, mut t_system, mut t_spurious) = (0, 0, 0, 0, 0);
    let mut time_errors = Vec::new();
    let (mut s_right, mut s_gold) = (0, 0);
    let mut speaker_errors = Vec::new();

    for (key, label) in &labels {
        let article = &articles[key];
        let body = article.body.as_str();
        let gold = gold_mentions(body, &label.entities);
        let system = match &args.entities_from {
            Some(_) => foreign.get(key).cloned().unwrap_or_default(),
            None => system_mentions(article),
        };
        for kind in kinds {
            let tally = by_kind.entry(kind).or_default();
            tally.gold += gold.iter().filter(|g| g.kind == kind).count();
            tally.system += system.iter().filter(|s| s.kind == kind).count();
        }
        untyped.gold += gold.len();
        untyped.system += system.len();
        for s in &system {
            let same_span = gold.iter().find(|g| g.start == s.start && g.end == s.end);
            if let Some(g) = same_span {
                untyped.correct += 1;
                if g.kind == s.kind {
                    by_kind.entry(s.kind).or_default().correct += 1;
                    matched.push((g.identity.clone(), s.id.clone()));
                    if g.kind == EntityKind::Place {
                        sense_total += 1;
                        sense_right += usize::from(g.government == s.government);
                        if g.government != s.government {
                            let context = &body[body.floor_char_boundary(s.start.saturating_sub(30))
                                ..body.ceil_char_boundary((s.end + 30).min(body.len()))];
                            entity_errors.push(format!(
                                "{key}: sense of {:?}: gold government {}, ours {} in {context:?}",
                                &body[s.start..s.end],
                                g.government,
                                s.government
                            ));
                        }
                    }
                    continue;
                }
                entity_errors.push(format!("{key}: {:?} is {:?}, ours {:?}", &body[s.start..s.end], g.kind, s.kind));
            } else {
                entity_errors.push(format!("{key}: extra {:?} {:?}", s.kind, &body[s.start..s.end]));
            }
        }
        for g in &gold {
            if !system.iter().any(|s| s.start == g.start && s.end == g.end) {
                entity_errors.push(format!("{key}: missed {:?} {:?}", g.kind, &body[g.start..g.end]));
            }
        }

        // Figures.
        q_system += article.quantities.len();
        let mut used = Vec::new();
        for q in &label.quantities {
            q_gold += 1;
            let spot = occurrences(body, &q.text).into_iter().find(|o| !used.contains(o));
            let Some((s, e)) = spot else {
                bail!("{key}.labels: quantity {:?} is not in the body", q.text);
            };
            used.push((s, e));
            let Some(ours) = article.quantities.iter().find(|o| o.start < e && s < o.end) else {
                // Durations are time expressions ("11 weeks" is P11W): found if the number and unit agree.
                let duration = article
                    .times
                    .iter()
                    .filter(|t| t.start < e && s < t.end)
                    .find_map(|t| duration_amount(t.value.as_deref()?));
                match duration {
                    Some((n, unit))
                        if (n - q.low).abs() < 1e-9 && q.low == q.high && same_unit(Some(unit), &q.unit) =>
                    {
                        q_found += 1;
                        q_value += 1;
                        q_unit += 1;
                        q_all += 1;
                        q_hedge += usize::from(q.hedge.is_none());
                        q_modality += usize::from(q.modality == "stated");
                    }
                    _ => quantity_errors.push(format!("{key}: missed {:?}", q.text)),
                }
                continue;
            };
            q_found += 1;
            let close = |a: Option<f64>, b: f64| a.is_some_and(|a| (a - b).abs() <= 1e-6 * b.abs().max(1.0));
            let value_ok = if q.low == q.high {
                close(ours.value, q.low) || ours.value.is_none() && (close(ours.low, q.low) || close(ours.high, q.low))
            } else {
                close(ours.low, q.low) && close(ours.high, q.high)
            };
            let unit_ok = same_unit(ours.unit.as_deref(), &q.unit);
            let hedge_ok = ours.hedge.as_deref().map(str::to_lowercase) == q.hedge.as_deref().map(str::to_lowercase);
            let modality = serde_json::to_value(ours.modality)?.as_str().unwrap_or_default().to_owned();
            let modality_ok = modality == q.modality;
            q_value += usize::from(value_ok);
            q_unit += usize::from(unit_ok);
            q_hedge += usize::from(hedge_ok);
            q_modality += usize::from(modality_ok);
            q_all += usize::from(value_ok && unit_ok);
            if !(value_ok && unit_ok && hedge_ok && modality_ok) {
                quantity_errors.push(format!(
                    "{key}: {:?}: ours value {:?} [{:?}, {:?}] unit {:?} hedge {:?} {modality}; gold {}–{} {} {:?} {}",
                    q.text,
                    ours.value,
                    ours.low,
                    ours.high,
                    ours.unit,
                    ours.hedge,
                    q.low,
                    q.high,
                    q.unit,
                    q.hedge,
                    q.modality
                ));
            }
        }

        // Time expressions.
        t_system += article.times.len();
        let mut used = Vec::new();
        for (text, value) in &label.times {
            t_gold += 1;
            let spot = occurrences(body, text).into_iter().find(|o| !used.contains(o));
            let Some((s, e)) = spot else {
                bail!("{key}.labels: time {text:?} is not in the body");
            };
            used.push((s, e));
            let ours = article.times.iter().find(|t| t.start < e && s < t.end);
            let got = ours.map(|t| t.value.clone().unwrap_or_else(|| "?".to_owned()));
            t_found += usize::from(ours.is_some());
            if got.as_deref() == Some(value.as_str()) {
                t_right += 1;
            } else {
                time_errors.push(format!("{key}: {text:?} gold {value}, ours {got:?}"));
            }
        }
        t_spurious += article.times.iter().filter(|t| !used.iter().any(|&(s, e)| t.start < e && s < t.end)).count();

        // Quote speakers: the speaker entity is right when its mentions are the gold speaker's (so
        // the spelling of identities does not matter).
        let gold_of = |id: &str| -> Option<String> {
            let entity = article.entities.iter().find(|e| e.id == id)?;
            let mut votes: BTreeMap<String, usize> = BTreeMap::new();
            for m in &entity.mentions {
                if let Some(g) = gold.iter().find(|g| g.start == m.start && g.end == m.end) {
                    *votes.entry(format!("{}/{}", g.kind.as_str(), g.identity)).or_default() += 1;
                }
            }
            votes.into_iter().max_by_key(|(_, n)| *n).map(|(g, _)| g)
        };
        for (probe, speaker) in &label.quotes {
            s_gold += 1;
            let quote = article.quotes.iter().find(|q| q.text.contains(probe.as_str()));
            let got = quote.and_then(|q| q.speaker_id.clone());
            let got_gold = got.as_deref().and_then(gold_of);
            if got.as_deref() == Some(speaker.as_str()) || got_gold.as_deref() == Some(speaker.as_str()) {
                s_right += 1;
            } else {
                let said = quote.map(|q| q.speaker.clone());
                speaker_errors.push(format!("{key}: {probe:?} gold {speaker}, ours {got:?} (speaker text {said:?})"));
            }
        }
    }

    // Speed of the entity recogniser alone over the same bodies, in tokens (words and punctuation
    // marks, as spaCy counts them) per second on this thread.
    if args.speed && args.entities_from.is_none() {
        let bodies: Vec<(&str, bool)> = labels
            .keys()
            .map(|k| (articles[k].body.as_str(), articles[k].language.as_deref().is_none_or(|l| l == "en")))
            .collect();
        let tokens: usize = bodies.iter().map(|(b, _)| token_count(b)).sum();
        let started = std::time::Instant::now();
        let mut rounds = 0;
        while rounds < 3 || started.elapsed().as_secs_f64() < 1.0 {
            for (body, english) in &bodies {
                std::hint::black_box(find_entities(body, *english));
            }
            rounds += 1;
        }
        let per_second = (tokens * rounds) as f64 / started.elapsed().as_secs_f64();
        writeln!(
            out,
            "Entity recogniser speed: {per_second:.0} tokens/s ({tokens} tokens in {} bodies, {rounds} rounds, one thread)",
            bodies.len()
        )?;
    }
    let who = if args.entities_from.is_some() { "the given entity mentions" } else { "storyline" };
    writeln!(
        out,
        "Labelled corpus: {} articles with labels ({} in the corpus); scoring {who}",
        labels.len(),
        articles.len()
    )?;
    writeln!(out, "Entity mentions (exact span and kind):")?;
    let mut total = Tally::default();
    for (kind, tally) in &by_kind {
        writeln!(out, "  {:<12} gold {:>4}  found {:>4}  {}", kind.as_str(), tally.gold, tally.system, tally.prf())?;
        total.correct += tally.correct;
        total.system += tally.system;
        total.gold += tally.gold;
    }
    let entity_f1 = total.prf().f1;
    writeln!(out, "  {:<12} gold {:>4}  found {:>4}  {}", "all", total.gold, total.system, total.prf())?;
    writeln!(out, "  {:<12} (span only, any kind)      {}", "spans", untyped.prf())?;
    if args.entities_from.is_none() {
        let identity = pairwise_identity(&matched);
        writeln!(out, "  identity across articles (pairwise over {} matched mentions): {identity}", matched.len())?;
        writeln!(
            out,
            "  places standing for their state, told apart: {sense_right} of {sense_total} ({:.3})",
            sense_right as f64 / sense_total.max(1) as f64
        )?;
        let ratio = |n: usize| n as f64 / q_gold.max(1) as f64;
        writeln!(
            out,
            "Figures: {q_gold} labelled, {q_system} found in all; found {q_found} ({:.3}); value {:.3}, unit {:.3}, \
             value+unit {:.3}, hedge {:.3}, modality {:.3} (shares of labelled)",
            ratio(q_found),
            ratio(q_value),
            ratio(q_unit),
            ratio(q_all),
            ratio(q_hedge),
            ratio(q_modality)
        )?;
        writeln!(
            out,
            "Time expressions: {t_found} of {t_gold} labelled found (recall {:.3}); {t_right} of those {t_found} with the right value (accuracy {:.3}); {t_right} of {t_gold} end to end ({:.3}); {t_spurious} of {t_system} found are not labelled",
            t_found as f64 / t_gold.max(1) as f64,
            t_right as f64 / t_found.max(1) as f64,
            t_right as f64 / t_gold.max(1) as f64
        )?;
        writeln!(
            out,
            "Quote speakers: {s_right} of {s_gold} quotes found with the right speaker entity ({:.3})",
            s_right as f64 / s_gold.max(1) as f64
        )?;
    }
    if args.entities_from.is_none() {
        let mut splits: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
        for (gold, ours) in &matched {
            *splits.entry(gold.as_str()).or_default().entry(ours.as_str()).or_default() += 1;
        }
        let mut merges: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
        for (gold, ours) in &matched {
            *merges.entry(ours.as_str()).or_default().entry(gold.as_str()).or_default() += 1;
        }
        let split_lines =
            splits.iter().filter(|(_, ids)| ids.len() > 1).map(|(g, ids)| format!("{g} split into {ids:?}"));
        let merge_lines = merges.iter().filter(|(_, ids)| ids.len() > 1).map(|(s, ids)| format!("{s} merges {ids:?}"));
        for line in split_lines.chain(merge_lines).take(args.errors) {
            writeln!(out, "  identity: {line}")?;
        }
    }
    for (what, errors) in
        [("entity", &entity_errors), ("figure", &quantity_errors), ("time", &time_errors), ("speaker", &speaker_errors)]
    {
        for line in errors.iter().take(args.errors) {
            writeln!(out, "  {what}: {line}")?;
        }
    }
    let mut failures = Vec::new();
    if let Some(floor) = args.min_entity_f1
        && entity_f1 < floor
    {
        failures.push(format!("entity F1 {entity_f1:.3} is below the floor {floor:.3}"));
    }
    let time_accuracy = t_right as f64 / t_found.max(1) as f64;
    let time_recall = t_found as f64 / t_gold.max(1) as f64;
    if let Some(floor) = args.min_time_recall
        && time_recall < floor
    {
        failures.push(format!("time recall {time_recall:.3} is below the floor {floor:.3}"));
    }
    if let Some(floor) = args.min_time_accuracy
        && time_accuracy < floor
    {
        failures.push(format!("time accuracy {time_accuracy:.3} is below the floor {floor:.3}"));
    }
    let speaker_accuracy = s_right as f64 / s_gold.max(1) as f64;
    if let Some(floor) = args.min_speaker_accuracy
        && speaker_accuracy < floor
    {
        failures.push(format!("quote speaker accuracy {speaker_accuracy:.3} is below the floor {floor:.3}"));
    }
    if !failures.is_empty() {
        bail!("{}", failures.join("; "));
    }
    Ok(())
}

/// The number and unit of a TimeML duration value: `P11W` → (11, "weeks"), `PT86M` → (86, "minutes").
fn duration_amount(value: &str) -> Option<(f64, &'static str)> {
    let rest = value.strip_prefix('P')?;
    let (time, rest) = match rest.strip_prefix('T') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let letter = rest.chars().last()?;
    let number: f64 = rest[..rest.len() - letter.len_utf8()].parse().ok()?;
    let unit = match (time, letter) {
        (false, 'Y') => "years",
        (false, 'M') => "months",
        (false, 'W') => "weeks",
        (false, 'D') => "days",
        (true, 'H') => "hours",
        (true, 'M') => "minutes",
        (true, 'S') => "seconds",
        _ => return None,
    };
    Some((number, unit))
}

/// Words and punctuation marks, the way spaCy's tokenizer roughly counts tokens.
fn token_count(text: &str) -> usize {
    let mut count = 0;
    let mut in_word = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            count += usize::from(!in_word);
            in_word = true;
        } else {
            in_word = false;
            count += usize::from(!c.is_whitespace());
        }
    }
    count
}

/// Pairwise agreement of identities: over pairs of matched mentions, do the gold and the system
/// agree that the two name the same entity?
fn pairwise_identity(matched: &[(String, String)]) -> Prf {
    let (mut both, mut system, mut gold) = (0usize, 0usize, 0usize);
    for (i, a) in matched.iter().enumerate() {
        for b in &matched[i + 1..] {
            let g = a.0 == b.0;
            let s = a.1 == b.1;
            both += usize::from(g && s);
            system += usize::from(s);
            gold += usize::from(g);
        }
    }
    Prf::from_counts(both, system, gold)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_project_onto_every_occurrence_with_overrides() {
        let body = "Pyongyang said so. Talks in Pyongyang began; North Korea and Pyongyang's allies waited.";
        let labels = parse_labels(
            "[entities]\nPyongyang\tplace\tpyongyang\nPyongyang#1\tplace\tnorth-korea\tgov\nNorth Korea\tplace\tnorth-korea\nKorea\tplace\tkorea\n",
            "test",
        )
        .expect("labels parse");
        let gold = gold_mentions(body, &labels.entities);
        let seen: Vec<(&str, &str, bool)> =
            gold.iter().map(|g| (&body[g.start..g.end], g.identity.as_str(), g.government)).collect();
        assert_eq!(
            seen,
            vec![
                ("Pyongyang", "north-korea", true),
                ("Pyongyang", "pyongyang", false),
                ("North Korea", "north-korea", false),
                ("Pyongyang", "pyongyang", false),
            ]
        );
    }

    #[test]
    fn bad_label_lines_name_the_file_and_line() {
        let err = parse_labels("[entities]\nKim\twizard\tkim\n", "x.labels").expect_err("unknown kind");
        assert!(err.to_string().starts_with("x.labels:2: unknown kind"), "{err}");
        assert!(parse_labels("Kim\tperson\tkim\n", "x.labels").is_err());
        assert_eq!(label_key("examples/corpus/wire-feed.jsonl:2"), "wire-feed.jsonl#2");
    }

    #[test]
    fn identity_agreement_counts_pairs() {
        let m = |g: &str, s: &str| (g.to_owned(), s.to_owned());
        let perfect = pairwise_identity(&[m("a", "1"), m("a", "1"), m("b", "2")]);
        assert_eq!(perfect.f1, 1.0);
        let split = pairwise_identity(&[m("a", "1"), m("a", "2")]);
        assert_eq!(split.recall, 0.0);
    }
}
