//! Output formats: the JSON contract (docs/json.md), Markdown for reading, a table for listing, and
//! the plain-text `article` view with its `--explain` audit. Formatting only; nothing is computed
//! here that the stages did not already decide.

use anyhow::Result;
use std::collections::BTreeMap;
use std::io::Write;
use storyline_core::Article;
use storyline_core::annotate::{EntityKind, TimeKind};
use storyline_core::reconcile::Dossier;
use storyline_store::{EntitySummary, Store, StoredMention};

/// `{"articles": [...]}` for the whole store, streamed article by article.
pub fn json_store(out: &mut dyn Write, store: &dyn Store) -> Result<()> {
    write!(out, "{{\n  \"articles\": [")?;
    let mut first = true;
    let mut failure: Option<std::io::Error> = None;
    store.for_each_article(&mut |article| {
        if failure.is_some() {
            return;
        }
        let written = (|| -> std::io::Result<()> {
            out.write_all(if first { b"\n" } else { b",\n" })?;
            serde_json::to_writer_pretty(&mut *out, &article)?;
            Ok(())
        })();
        first = false;
        failure = written.err();
    })?;
    if let Some(err) = failure {
        return Err(err.into());
    }
    writeln!(out, "\n  ]\n}}")?;
    Ok(())
}

/// One article as JSON.
pub fn json_article(out: &mut dyn Write, article: &Article) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, article)?;
    writeln!(out)?;
    Ok(())
}

/// A fixed-width table of the stored articles.
pub fn table(out: &mut dyn Write, store: &dyn Store) -> Result<()> {
    writeln!(out, "{:<16}  {:<10}  {:<22}  TITLE", "ID", "PUBLISHED", "OUTLET")?;
    let mut failure: Option<std::io::Error> = None;
    store.for_each_article(&mut |a| {
        if failure.is_some() {
            return;
        }
        let date = a.published.date.map_or_else(|| "unknown".to_owned(), |d| d.to_string());
        let outlet = clip(a.outlet.as_deref().unwrap_or("-"), 22);
        let title = clip(a.title.as_deref().unwrap_or("(untitled)"), 70);
        failure = writeln!(out, "{:<16}  {:<10}  {:<22}  {}", a.id, date, outlet, title).err();
    })?;
    if let Some(err) = failure {
        return Err(err.into());
    }
    Ok(())
}

fn clip(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(width - 1).collect();
        cut.push('…');
        cut
    }
}

fn date_line(article: &Article) -> String {
    let p = &article.published;
    match (p.date, &p.evidence) {
        (Some(date), Some(evidence)) => {
            let when = p.datetime.map_or_else(|| date.to_string(), |dt| dt.to_rfc3339());
            let method =
                p.method.and_then(|m| serde_json::to_value(m).ok()).and_then(|v| v.as_str().map(str::to_owned));
            format!(
                "{when} (confidence {:.2}, {}: \"{}\")",
                p.confidence,
                method.unwrap_or_default(),
                clip(evidence, 90)
            )
        }
        _ => "unknown (no trustworthy date on the page)".to_owned(),
    }
}

fn authors_line(article: &Article) -> String {
    if article.authors.is_empty() { "unknown".to_owned() } else { article.authors.join(", ") }
}

fn removed_counts(article: &Article) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &article.removed {
        *counts.entry(r.reason.as_str()).or_default() += 1;
    }
    counts.iter().map(|(reason, n)| format!("{reason} {n}")).collect::<Vec<_>>().join(", ")
}

/// The annotations worth showing a reader at a glance, one line each.
struct Facts {
    people: Vec<String>,
    organisations: Vec<String>,
    places: Vec<String>,
    dates: Vec<String>,
    figures: Vec<String>,
    quotes: Vec<String>,
}

impl Facts {
    const MOST: usize = 12;

    fn of(a: &Article) -> Self {
        // The most mentioned first, each with its role and every spelling used.
        let named = |kind: EntityKind| -> Vec<String> {
            let mut of_kind: Vec<_> = a.entities.iter().filter(|e| e.kind == kind).collect();
            of_kind.sort_by_key(|e| std::cmp::Reverse(e.mentions.len()));
            of_kind
                .iter()
                .take(Self::MOST)
                .map(|e| {
                    let mut line = e.name.clone();
                    if let Some(role) = e.roles.first() {
                        line.push_str(&format!(", {role}"));
                    }
                    let others: Vec<&str> = e.aliases.iter().map(String::as_str).filter(|s| *s != e.name).collect();
                    if !others.is_empty() {
                        line.push_str(&format!(" (as {})", others.join(", ")));
                    }
                    line
                })
                .collect()
        };
        let people = named(EntityKind::Person);
        let organisations = named(EntityKind::Org);
        let places = named(EntityKind::Place);
        let dates = a
            .times
            .iter()
            .filter(|t| matches!(t.kind, TimeKind::Date | TimeKind::Time))
            .filter_map(|t| t.value.as_ref().filter(|v| !v.ends_with("_REF")).map(|v| format!("{} → {v}", t.text)))
            .take(Self::MOST)
            .collect();
        // Small plain counts ("two countries") are prose, not figures a reader looks for.
        let figures = a
            .quantities
            .iter()
            .filter(|q| q.approx || q.low.is_some() || q.high.is_some() || q.value.is_some_and(|v| v >= 10.0))
            .map(|q| {
                let modality = serde_json::to_value(q.modality).ok().and_then(|v| v.as_str().map(str::to_owned));
                format!("{} ({})", q.text, modality.unwrap_or_default())
            })
            .take(Self::MOST)
            .collect();
        let quotes = a
            .quotes
            .iter()
            .map(|q| {
                let text = clip(q.text.trim(), 90);
                let entity = q.speaker_id.as_ref().and_then(|id| a.entities.iter().find(|e| &e.id == id));
                let speaker = entity.map(|e| e.name.as_str()).or(q.speaker.as_deref()).unwrap_or("unattributed");
                format!("“{text}” — {speaker}")
            })
            .take(Self::MOST)
            .collect();
        Facts { people, organisations, places, dates, figures, quotes }
    }
}

/// The analysis as Markdown: one section per article.
pub fn markdown(out: &mut dyn Write, articles: &[Article]) -> Result<()> {
    writeln!(out, "# storyline: {} article(s)\n", articles.len())?;
    for a in articles {
        writeln!(out, "## {}\n", a.title.as_deref().unwrap_or("(untitled)"))?;
        writeln!(out, "- **Outlet:** {}", a.outlet.as_deref().unwrap_or("unknown"))?;
        writeln!(out, "- **Published:** {}", date_line(a))?;
        let authors = authors_line(a);
        writeln!(out, "- **Authors:** {authors}")?;
        writeln!(out, "- **Language:** {} · **Encoding:** {}", a.language.as_deref().unwrap_or("unknown"), a.encoding)?;
        writeln!(out, "- **Source:** `{}` · **ID:** `{}`", a.source, a.id)?;
        if !a.removed.is_empty() {
            writeln!(out, "- **Removed:** {} block(s): {}", a.removed.len(), removed_counts(a))?;
        }
        for warning in &a.warnings {
            writeln!(out, "- **Warning:** {warning}")?;
        }
        let facts = Facts::of(a);
        for (label, list) in
            [("People", &facts.people), ("Organisations", &facts.organisations), ("Places", &facts.places)]
        {
            if !list.is_empty() {
                writeln!(out, "- **{label}:** {}", list.join("; "))?;
            }
        }
        if !facts.dates.is_empty() {
            writeln!(out, "- **Dates:** {}", facts.dates.join("; "))?;
        }
        if !facts.figures.is_empty() {
            writeln!(out, "- **Figures:** {}", facts.figures.join("; "))?;
        }
        for quote in &facts.quotes {
            writeln!(out, "- **Quote:** {quote}")?;
        }
        writeln!(out)?;
        for paragraph in a.paragraphs() {
            writeln!(out, "{paragraph}\n")?;
        }
    }
    Ok(())
}

/// The plain-text view of one article; `explain` adds the audit of removed blocks.
pub fn text(out: &mut dyn Write, a: &Article, explain: bool) -> Result<()> {
    writeln!(out, "{}", a.title.as_deref().unwrap_or("(untitled)"))?;
    writeln!(out, "id:        {}", a.id)?;
    writeln!(out, "source:    {}", a.source)?;
    if let Some(url) = &a.url {
        writeln!(out, "url:       {url}")?;
    }
    writeln!(out, "outlet:    {}", a.outlet.as_deref().unwrap_or("unknown"))?;
    writeln!(out, "authors:   {}", authors_line(a))?;
    writeln!(out, "published: {}", date_line(a))?;
    writeln!(out, "language:  {} (decoded from {})", a.language.as_deref().unwrap_or("unknown"), a.encoding)?;
    for warning in &a.warnings {
        writeln!(out, "warning:   {warning}")?;
    }
    let facts = Facts::of(a);
    let sections = [
        ("people:   ", &facts.people),
        ("orgs:     ", &facts.organisations),
        ("places:   ", &facts.places),
        ("dates:    ", &facts.dates),
        ("figures:  ", &facts.figures),
        ("quotes:   ", &facts.quotes),
    ];
    for (label, lines) in sections {
        for (i, line) in lines.iter().enumerate() {
            writeln!(out, "{} {line}", if i == 0 { label } else { "          " })?;
        }
    }
    writeln!(out)?;
    for paragraph in a.paragraphs() {
        writeln!(out, "{paragraph}\n")?;
    }
    if explain {
        writeln!(out, "--- removed from the page ({} block(s)) ---", a.removed.len())?;
        for r in &a.removed {
            let mut lines = r.text.lines();
            writeln!(out, "[{}] {}", r.reason, lines.next().unwrap_or_default())?;
            for line in lines {
                writeln!(out, "{:width$} {line}", "", width = r.reason.as_str().len() + 2)?;
            }
        }
    } else if !a.removed.is_empty() {
        writeln!(out, "({} block(s) removed: {}; see --explain)", a.removed.len(), removed_counts(a))?;
    }
    Ok(())
}

/// The entities table: how widely each is covered.
pub fn entity_table(out: &mut dyn Write, entities: &[EntitySummary]) -> Result<()> {
    writeln!(out, "{:>8}  {:>8}  {:<12} {:<36} NAME", "ARTICLES", "MENTIONS", "KIND", "ID")?;
    for e in entities {
        writeln!(out, "{:>8}  {:>8}  {:<12} {:<36} {}", e.articles, e.mentions, e.kind, clip(&e.id, 36), e.name)?;
    }
    Ok(())
}

/// `{"entities": [...]}`.
pub fn json_entities(out: &mut dyn Write, entities: &[EntitySummary]) -> Result<()> {
    let list: Vec<serde_json::Value> = entities
        .iter()
        .map(|e| {
            serde_json::json!({"id": e.id, "kind": e.kind, "name": e.name, "articles": e.articles, "mentions": e.mentions})
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &serde_json::json!({ "entities": list }))?;
    writeln!(out)?;
    Ok(())
}

/// The stored articles the mentions are in, each read once.
fn mention_articles(store: &dyn Store, mentions: &[StoredMention]) -> Result<BTreeMap<String, Article>> {
    let mut articles = BTreeMap::new();
    for m in mentions {
        if !articles.contains_key(&m.article_id)
            && let Some(article) = store.article(&m.article_id)?
        {
            articles.insert(m.article_id.clone(), article);
        }
    }
    Ok(articles)
}

/// The sentence of the body that holds `start..end`, or the mention alone.
fn sentence_of(article: &Article, start: usize, end: usize) -> (usize, usize) {
    storyline_core::annotate::sentences::holding(&article.sentences, start, end)
        .map_or((start, end), |s| (s.start, s.end))
}

/// Every mention grouped by article, each in its sentence with the mention in [brackets].
pub fn entity_mentions(out: &mut dyn Write, store: &dyn Store, mentions: &[StoredMention]) -> Result<()> {
    let articles = mention_articles(store, mentions)?;
    let mut ids: Vec<&str> = mentions.iter().map(|m| m.entity_id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    let spellings: std::collections::BTreeSet<&str> = mentions.iter().map(|m| m.text.as_str()).collect();
    let count = mentions.iter().map(|m| &m.article_id).collect::<std::collections::BTreeSet<_>>().len();
    writeln!(out, "{} ({}): {} mentions in {count} articles", mentions[0].name, ids.join(", "), mentions.len())?;
    writeln!(out, "Written as: {}", spellings.into_iter().collect::<Vec<_>>().join(" · "))?;
    let mut current = "";
    for m in mentions {
        let Some(article) = articles.get(&m.article_id) else { continue };
        if m.article_id != current {
            current = &m.article_id;
            let title = article.title.as_deref().unwrap_or("(no title)");
            let outlet = article.outlet.as_deref().unwrap_or("unknown outlet");
            let date = article.published.date.map_or_else(|| "undated   ".to_owned(), |d| d.to_string());
            writeln!(out, "\n{}  {date}  {outlet}  {title}", &m.article_id[..m.article_id.len().min(8)])?;
        }
        let body = &article.body;
        if m.start > m.end || body.get(m.start..m.end).is_none() {
            continue;
        }
        let (s, e) = sentence_of(article, m.start, m.end);
        let sentence = format!("{}[{}]{}", &body[s..m.start], &body[m.start..m.end], &body[m.end..e]);
        writeln!(out, "  {}", sentence.split_whitespace().collect::<Vec<_>>().join(" "))?;
    }
    Ok(())
}

/// `{"mentions": [...]}`, each with its article and sentence.
pub fn json_entity_mentions(out: &mut dyn Write, store: &dyn Store, mentions: &[StoredMention]) -> Result<()> {
    let articles = mention_articles(store, mentions)?;
    let list: Vec<serde_json::Value> = mentions
        .iter()
        .filter_map(|m| {
            let article = articles.get(&m.article_id)?;
            let (s, e) = sentence_of(article, m.start, m.end);
            Some(serde_json::json!({
                "entity": m.entity_id,
                "name": m.name,
                "article": m.article_id,
                "title": article.title,
                "outlet": article.outlet,
                "published": article.published.date,
                "text": m.text,
                "start": m.start,
                "end": m.end,
                "sentence": article.body.get(s..e),
            }))
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &serde_json::json!({ "mentions": list }))?;
    writeln!(out)?;
    Ok(())
}

/// `{"articles": [...], "stories": [...]}`: what `analyze` found, with the dossiers of the stories
/// the articles are in.
pub fn json_analysis(out: &mut dyn Write, articles: &[Article], dossiers: &[Dossier]) -> Result<()> {
    // Serialised straight from the values (no intermediate `serde_json::Value` tree).
    #[derive(serde::Serialize)]
    struct Analysis<'a> {
        articles: &'a [Article],
        stories: &'a [Dossier],
    }
    serde_json::to_writer_pretty(&mut *out, &Analysis { articles, stories: dossiers })?;
    writeln!(out)?;
    Ok(())
}

/// `{"stories": [...]}` for the given dossiers.
pub fn json_stories(out: &mut dyn Write, dossiers: &[Dossier]) -> Result<()> {
    #[derive(serde::Serialize)]
    struct Stories<'a> {
        stories: &'a [Dossier],
    }
    serde_json::to_writer_pretty(&mut *out, &Stories { stories: dossiers })?;
    writeln!(out)?;
    Ok(())
}

/// One line per story: id, articles, outlets, span, title.
pub fn story_table(out: &mut dyn Write, dossiers: &[Dossier]) -> Result<()> {
    writeln!(out, "{:<13} {:>8} {:>7}  {:<23}  title", "story", "articles", "outlets", "span")?;
    for d in dossiers {
        writeln!(
            out,
            "{:<13} {:>8} {:>7}  {:<23}  {}",
            d.id,
            d.articles.len(),
            d.outlets.len(),
            span(d),
            clip(&d.title, 90)
        )?;
    }
    Ok(())
}

fn span(d: &Dossier) -> String {
    let day = |x: Option<chrono::NaiveDate>| x.map_or("?".to_owned(), |d| d.format("%Y-%m-%d").to_string());
    if d.first == d.last { day(d.first) } else { format!("{} – {}", day(d.first), day(d.last)) }
}

/// The outlets (or short ids) of a fact's sources, in order, without repeats.
fn source_names(d: &Dossier, sources: &[storyline_core::reconcile::Source]) -> String {
    let mut names: Vec<String> = Vec::new();
    for s in sources {
        let name = d
            .articles
            .iter()
            .find(|a| a.id == s.article)
            .and_then(|a| a.outlet.clone())
            .unwrap_or_else(|| s.article.as_str()[..8].to_owned());
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names.join(", ")
}

/// The timeline as lines: date, kind, what happened, sources.
pub fn timeline(out: &mut dyn Write, d: &Dossier) -> Result<()> {
    writeln!(out, "{} — {}", d.id, d.title)?;
    if d.events.is_empty() {
        writeln!(out, "(no dated events)")?;
    }
    for e in &d.events {
        writeln!(out, "{:<10}  {:<16}  {}", e.date, e.kind, clip(&e.summary, 160))?;
        writeln!(out, "{:<10}  {:<16}  sources: {}", "", "", source_names(d, &e.sources))?;
    }
    Ok(())
}

/// The serde name of a unit enum value ("planned", "consensus").
fn word(value: impl serde::Serialize) -> String {
    serde_json::to_value(value).ok().and_then(|m| m.as_str().map(str::to_owned)).unwrap_or_default()
}

/// A dossier as Markdown, for reading.
pub fn dossier_markdown(out: &mut dyn Write, d: &Dossier) -> Result<()> {
    writeln!(out, "## {}\n", d.title)?;
    let copies = d.articles.iter().filter(|a| a.copy_of.is_some()).count();
    writeln!(
        out,
        "Story `{}` · {} articles ({} syndicated copies) from {} outlets · {} · {} blocks of page furniture removed\n",
        d.id,
        d.articles.len(),
        copies,
        d.outlets.len(),
        span(d),
        d.removed_noise
    )?;
    if !d.summary.is_empty() {
        writeln!(out, "### Summary\n")?;
        for s in &d.summary {
            writeln!(out, "- {} ({})", s.text, source_names(d, std::slice::from_ref(&s.source)))?;
        }
        writeln!(out)?;
    }
    if !d.events.is_empty() {
        writeln!(out, "### Timeline\n")?;
        for e in &d.events {
            let place = e.place.as_deref().map(|p| format!(" · {p}")).unwrap_or_default();
            writeln!(
                out,
                "- **{}** {}{place}: {} ({})",
                e.date,
                e.kind,
                clip(&e.summary, 240),
                source_names(d, &e.sources)
            )?;
        }
        writeln!(out)?;
    }
    if !d.claims.is_empty() {
        writeln!(out, "### Claims\n")?;
        writeln!(out, "| subject | measure | value | qualifier | modality | against the others | sources | claim |")?;
        writeln!(out, "|---|---|---|---|---|---|---|---|")?;
        for c in &d.claims {
            for v in &c.values {
                let value = match (v.value, v.low, v.high) {
                    (Some(x), _, _) => format!("{x}"),
                    (None, low, high) => format!(
                        "{}–{}",
                        low.map_or(String::new(), |x| x.to_string()),
                        high.map_or(String::new(), |x| x.to_string())
                    ),
                };
                writeln!(
                    out,
                    "| {} | {} | {value} | {} | {} | {} | {} | {} |",
                    c.subject.as_deref().unwrap_or("—"),
                    c.measure,
                    v.qualifier.as_deref().unwrap_or(""),
                    word(v.modality),
                    word(v.relation),
                    source_names(d, &v.sources),
                    word(c.status)
                )?;
            }
        }
        writeln!(out)?;
    }
    if !d.quotes.is_empty() {
        writeln!(out, "### Quotes\n")?;
        for group in &d.quotes {
            writeln!(out, "**{}**", group.speaker)?;
            for q in &group.quotes {
                writeln!(out, "- “{}” ({})", clip(&q.text, 240), source_names(d, std::slice::from_ref(&q.source)))?;
            }
        }
        writeln!(out)?;
    }
    if !d.other_entries.is_empty() {
        writeln!(out, "### Live-blog entries on other matters\n")?;
        for e in &d.other_entries {
            writeln!(out, "- {} ({})", clip(&e.text, 240), source_names(d, std::slice::from_ref(&e.source)))?;
        }
        writeln!(out)?;
    }
    writeln!(out, "### Coverage\n")?;
    for a in &d.articles {
        let date = a.published.map_or("undated".to_owned(), |x| x.format("%Y-%m-%d").to_string());
        let copy = a.copy_of.as_ref().map(|o| format!(" (copy of {})", &o.as_str()[..8])).unwrap_or_default();
        writeln!(
            out,
            "- {date} · {} · {}{copy} `{}`",
            a.outlet.as_deref().unwrap_or("unknown outlet"),
            a.title.as_deref().unwrap_or("untitled"),
            &a.id.as_str()[..8]
        )?;
    }
    writeln!(out)?;
    if !d.entities.is_empty() {
        let names: Vec<String> = d.entities.iter().map(|e| format!("{} ({})", e.name, e.articles)).collect();
        writeln!(out, "Key entities (articles naming them): {}\n", names.join(", "))?;
    }
    Ok(())
}
