//! The search index beside the store, as the command line uses it: opened in the data folder and
//! brought level with the store when it is behind (an interrupted ingest, a store from before the
//! index existed), rebuilt by `reindex`, queried by `search`. The index itself lives in
//! `storyline-search`; this module only wires it to the store and prints results.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use storyline_search::{SearchIndex, SearchRequest, SearchResults, Snippet};
use storyline_store::Store;

/// Where the index lives in the data folder.
pub fn index_dir(data: &Path) -> std::path::PathBuf {
    data.join("search")
}

/// Opens the data folder's index; when it does not hold exactly the stored articles, rebuilds it
/// from the store first. A caller that will write (`write`) takes the writer's lock here, before
/// anything is stored, so that a second writer (a running server) is refused up front.
pub fn open_index(data: &Path, store: &dyn Store, write: bool, quiet: bool) -> Result<SearchIndex> {
    let dir = index_dir(data);
    let index = if write { open_to_write(&dir, quiet)? } else { open_to_read(&dir)? };

    let stored = store.count()?;
    let indexed = index.count();
    if stored != indexed {
        if !quiet {
            eprintln!("storyline: the search index holds {indexed} of the {stored} stored articles; rebuilding it");
        }
        reindex(store, &index)?;
    }
    Ok(index)
}

fn open_to_read(dir: &Path) -> Result<SearchIndex> {
    SearchIndex::open(dir).with_context(|| format!("cannot open the search index in {}", dir.display()))
}

/// Opens the index and takes its writer's lock. An index of another version is derived data
/// made by another storyline: it is removed and made again (empty here; the caller fills it).
pub fn open_to_write(dir: &Path, quiet: bool) -> Result<SearchIndex> {
    let index = match SearchIndex::open(dir) {
        Err(storyline_search::SearchError::Version { found, .. }) => {
            if !quiet {
                eprintln!(
                    "storyline: the search index in {} is of another version ({found}); making it again",
                    dir.display()
                );
            }
            std::fs::remove_dir_all(dir)
                .with_context(|| format!("cannot remove the old index in {}", dir.display()))?;
            open_to_read(dir)?
        }
        other => other.with_context(|| format!("cannot open the search index in {}", dir.display()))?,
    };
    index.hold_writer()?;
    Ok(index)
}

/// Makes the index again from every stored article; searches see the old one until it is done.
/// Returns how many articles it holds.
pub fn reindex(store: &dyn Store, index: &SearchIndex) -> Result<u64> {
    const BATCH: usize = 512;
    let mut rebuild = index.rebuild()?;
    let mut batch = Vec::with_capacity(BATCH);
    let mut failure = None;
    store.for_each_article(&mut |article| {
        if failure.is_some() {
            return;
        }
        batch.push(article);
        if batch.len() == BATCH {
            failure = rebuild.add(&batch).err();
            batch.clear();
        }
    })?;
    if let Some(err) = failure {
        return Err(err.into());
    }
    rebuild.add(&batch)?;
    rebuild.commit()?;
    Ok(index.count())
}

#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// Words (all must occur), "quoted phrases", -excluded words, title:word, a OR b. Leave out
    /// to list what the filters alone let through, newest first.
    #[arg(value_name = "QUERY")]
    query: Vec<String>,
    /// Only articles from this outlet (any case; repeat for any of several).
    #[arg(long, value_name = "NAME")]
    outlet: Vec<String>,
    /// Only articles naming this entity: an id, a name or any spelling (repeat: all of them).
    #[arg(long, value_name = "NAME")]
    entity: Vec<String>,
    /// Only articles in this language, an ISO 639-1 code (repeat for any of several).
    #[arg(long, value_name = "CODE")]
    language: Vec<String>,
    /// Only articles published on or after this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    since: Option<NaiveDate>,
    /// Only articles published on or before this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    until: Option<NaiveDate>,
    /// How many articles to show.
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// How many of the best to skip (for paging).
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = crate::ListFormat::Table)]
    format: crate::ListFormat,
}

pub fn parse_day(text: &str) -> std::result::Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| format!("{text:?} is not a day written YYYY-MM-DD"))
}

/// Entity names as the user gave them, made ids; an unknown name is an error that names it.
pub fn entity_ids(store: &dyn Store, names: &[String]) -> Result<Vec<String>> {
    let mut ids = Vec::with_capacity(names.len());
    for name in names {
        match store.resolve_entity(name)?.into_iter().next() {
            Some(id) => ids.push(id),
            None => bail!("no stored article mentions {name:?} (see `storyline entities`)"),
        }
    }
    Ok(ids)
}

pub fn run(args: &SearchArgs, store: &dyn Store, index: &SearchIndex, out: &mut dyn Write) -> Result<()> {
    let request = SearchRequest {
        text: args.query.join(" "),
        outlets: args.outlet.clone(),
        entities: entity_ids(store, &args.entity)?,
        languages: args.language.clone(),
        since: args.since,
        until: args.until,
        limit: args.limit,
        offset: args.offset,
        facets: 8,
    };
    let results = index.search(&request)?;
    match args.format {
        crate::ListFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &results)?;
            writeln!(out)?;
        }
        crate::ListFormat::Table => table(out, &request, &results)?,
    }
    Ok(())
}

/// Matches marked `**like this**`.
fn marked(s: &Snippet) -> String {
    let mut text = String::with_capacity(s.text.len() + 4 * s.highlights.len());
    let mut at = 0;
    for &(a, b) in &s.highlights {
        if a < at || b > s.text.len() {
            continue;
        }
        text.push_str(&s.text[at..a]);
        text.push_str("**");
        text.push_str(&s.text[a..b]);
        text.push_str("**");
        at = b;
    }
    text.push_str(&s.text[at..]);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn table(out: &mut dyn Write, request: &SearchRequest, results: &SearchResults) -> Result<()> {
    if let Some(why) = &results.read_as_words {
        writeln!(out, "(searched for the words alone: the query could not be read: {why})")?;
    }
    let what = if request.text.trim().is_empty() { "the filters".to_owned() } else { format!("{:?}", request.text) };
    if results.hits.is_empty() {
        writeln!(out, "{} article(s) match {what}", results.total)?;
        return Ok(());
    }
    let first = request.offset + 1;
    writeln!(out, "{} article(s) match {what}; {}–{}:\n", results.total, first, request.offset + results.hits.len())?;
    for (n, hit) in results.hits.iter().enumerate() {
        let date = hit.published.map_or_else(|| "undated".to_owned(), |d| d.to_string());
        let id: String = hit.id.chars().take(16).collect();
        writeln!(
            out,
            "{:>3}. {}  {}  {}  {}",
            first + n,
            marked(&hit.title_snippet),
            date,
            hit.outlet.as_deref().unwrap_or("-"),
            id
        )?;
        writeln!(out, "     {}\n", marked(&hit.snippet))?;
    }
    let list = |values: &[storyline_search::FacetCount]| {
        values.iter().map(|f| format!("{} ({})", f.value, f.count)).collect::<Vec<_>>().join(", ")
    };
    writeln!(out, "outlets: {}", list(&results.facets.outlets))?;
    writeln!(out, "languages: {}", list(&results.facets.languages))?;
    writeln!(out, "entities: {}", list(&results.facets.entities))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_are_marked_and_bad_ranges_skipped() {
        let s =
            Snippet { text: "the treaty was\nsigned".into(), start: 0, highlights: vec![(4, 10), (2, 3), (15, 99)] };
        assert_eq!(marked(&s), "the **treaty** was signed");
    }

    #[test]
    fn days_are_read_or_refused_by_name() {
        assert_eq!(parse_day("2024-06-19"), Ok(NaiveDate::from_ymd_opt(2024, 6, 19).expect("day")));
        assert!(parse_day("19/06/2024").expect_err("refused").contains("19/06/2024"));
    }
}
