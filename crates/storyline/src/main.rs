//! The `storyline` command line: parses arguments, wires sources, stages and store together, shows
//! progress, prints results, and turns outcomes into exit codes. No extraction logic lives here.

mod bench;
mod cluster;
mod eval;
mod ingest;
mod link_bench;
mod render;
mod search;
mod serve;
mod stories;
mod story_pages;
mod watch;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use storyline_source::{Input, SourceConfig};
use storyline_store::{SqliteStore, Store};

/// Exit code when every input went through.
const EXIT_OK: u8 = 0;
/// Exit code when storyline itself failed (store unreadable, output closed…).
const EXIT_FATAL: u8 = 1;
/// Exit code when some inputs failed and the others were stored.
const EXIT_SOME_FAILED: u8 = 3;

/// storyline turns a stream of news articles into clean, dated, cross-sourced records.
///
/// Give it scraped text, HTML pages, JSONL files (one article per line) or folders of them, or `-`
/// for standard input. It strips the page furniture (menus, related links, ads, subscription and
/// donation pleas), keeps what it removed for audit, and finds each article's title, outlet,
/// authors, language and publication date (with the evidence for it). Results go to an embedded
/// store in the data folder.
#[derive(Debug, Parser)]
#[command(
    name = "storyline",
    version,
    max_term_width = 100,
    after_long_help = "Examples:\n  storyline analyze examples/corpus\n  storyline ingest crawl/ wire-feed.jsonl\n  \
        curl -s https://… | storyline analyze - --format json\n  storyline article 5ce2 --explain\n\n\
        Exit codes: 0 every input went through; 3 some inputs failed (each named on stderr, the rest \
        stored); 1 storyline itself failed; 2 bad arguments.\n\nThe JSON output is described in docs/json.md."
)]
struct Cli {
    /// The data folder holding the store.
    #[arg(long, global = true, default_value = "storyline-data", env = "STORYLINE_DATA")]
    data: PathBuf,

    /// The store: the data folder's embedded SQLite database (the default), or a shared
    /// PostgreSQL database, `postgres://user@host:5432/dbname` (see docs/cluster.md). The search
    /// index stays in the data folder either way.
    #[arg(long, global = true, env = "STORYLINE_STORE", value_name = "ADDRESS")]
    store: Option<String>,

    /// No progress display and no summary line.
    #[arg(long, short, global = true)]
    quiet: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read articles from files, folders or stdin (`-`) and store them.
    Ingest {
        #[command(flatten)]
        input: InputArgs,
    },
    /// Ingest the inputs and print what was extracted from each, in one go.
    Analyze {
        #[command(flatten)]
        input: InputArgs,
        /// Output format.
        #[arg(long, value_enum, default_value_t = AnalyzeFormat::Markdown)]
        format: AnalyzeFormat,
    },
    /// List the stored articles.
    Articles {
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Show one stored article by its id (or a unique prefix of it).
    Article {
        id: String,
        /// Also show every block that was removed from the page, with the reason, and the date's evidence.
        #[arg(long)]
        explain: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ArticleFormat::Text)]
        format: ArticleFormat,
    },
    /// List the stories the stored articles form: id, size, outlets, span and title.
    Stories {
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// One story's dossier: summary, timeline, claims with their sources, quotes by speaker,
    /// coverage; by its id (or a unique prefix of it).
    Story {
        id: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = AnalyzeFormat::Markdown)]
        format: AnalyzeFormat,
    },
    /// One story's dated events in order, each with its sources.
    Timeline { id: String },
    /// List the people, organisations, places and nationalities named across the stored articles.
    Entities {
        /// Only entities of this kind.
        #[arg(long, value_enum)]
        kind: Option<KindArg>,
        /// Show at most this many (0: all).
        #[arg(long, default_value_t = 40)]
        limit: usize,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Every mention of one entity across the stored articles, with its sentence: give its id
    /// (`person/kim-jong-un`), its name, or any spelling of it ("Kim Jong-un", "DPRK").
    Entity {
        name: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ArticleFormat::Text)]
        format: ArticleFormat,
    },
    /// Full-text search over the stored articles: BM25 over titles and bodies, with filters, the
    /// matches marked, and counts by outlet, language and entity.
    Search(search::SearchArgs),
    /// Build the search index again from the stored articles.
    Reindex,
    /// Watch a folder and ingest every file that appears in it or changes (a crawler's output
    /// folder as a live feed), linking new articles into stories as they arrive. Ctrl-C stops.
    Watch(watch::WatchArgs),
    /// Serve the store as a JSON API (see /openapi.json): articles, stories, entities, search,
    /// and POST /api/articles to add articles, linked into stories as they arrive.
    Serve(serve::ServeArgs),
    /// Cluster: read inputs (as `ingest` does) and publish each document to the NATS JetStream
    /// work queue, for the workers (see docs/cluster.md).
    Submit(cluster::submit::SubmitArgs),
    /// Cluster: pull documents from the work queue, extract, annotate and store them in the shared
    /// PostgreSQL store (`--store postgres://…`), acknowledging each after its commit. Any number
    /// may run, on any machine; one of them at a time also links stories.
    Worker(cluster::worker::WorkerArgs),
    /// Cluster: queue depth, in-flight and dead-lettered documents, and the store's progress.
    Status(cluster::status::StatusArgs),
    /// Annotate every stored article again (after an upgrade of storyline's annotators).
    Reannotate,
    /// Measure ingest+extract throughput on generated noisy articles (single core).
    Bench(bench::BenchArgs),
    /// Measure accuracy against public labelled data.
    #[command(subcommand)]
    Eval(EvalCommand),
}

#[derive(Debug, Subcommand)]
enum EvalCommand {
    /// Article-body extraction from HTML pages, e.g. ../shared/bench/article-extraction.
    Extraction(eval::extraction::ExtractionArgs),
    /// Publication dates: a corpus against date labels (examples/corpus --labels examples/dates.tsv),
    /// or a benchmark folder against the days in its URLs.
    Dates(eval::dates::DatesArgs),
    /// Time expressions against TimeML (TempEval-3 style), e.g. ../shared/bench/timeml-dev.
    Timeml(eval::timeml::TimemlArgs),
    /// Quote speakers against PolNeAR attributions, e.g. ../shared/bench/polnear-train.
    Polnear(eval::polnear::PolnearArgs),
    /// Entities, figures, time values and quote speakers against our own labels (examples/labels).
    Labels(eval::labels::LabelsArgs),
    /// Story clustering against ECB+ event clusters and topics, e.g. ../shared/bench/ecbplus-dev.
    Ecbplus(eval::ecbplus::EcbplusArgs),
    /// Story linking and near-duplicates against our own labelled stream (examples/stories.tsv).
    Stories(eval::stories::StoriesArgs),
}

#[derive(Debug, clap::Args)]
struct InputArgs {
    /// Files, folders (read recursively) or `-` for standard input.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<String>,
    /// The largest document accepted, in bytes (a file, a stdin read, or one JSONL line).
    #[arg(long, default_value_t = SourceConfig::default().max_document_bytes, value_name = "BYTES")]
    max_document_size: u64,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum AnalyzeFormat {
    Markdown,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ListFormat {
    Table,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum KindArg {
    Person,
    Org,
    Place,
    Nationality,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ArticleFormat {
    Text,
    Json,
}

/// mimalloc: the pipeline allocates many small strings and vectors per article; glibc's allocator
/// spent about a tenth of a run's time in malloc and free.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::from(EXIT_OK);
            }
            eprintln!("storyline: error: {err:#}");
            ExitCode::from(EXIT_FATAL)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .any(|e| e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}

/// A store of either kind, as every command but the benchmarks uses it.
pub type AnyStore = Box<dyn Store + Send>;

fn open_store(cli: &Cli) -> Result<AnyStore> {
    open_store_at(cli.store.as_deref(), &cli.data)
}

/// The store at `address` (see `--store`), or the data folder's SQLite store when there is none.
fn open_store_at(address: Option<&str>, data: &std::path::Path) -> Result<AnyStore> {
    match address {
        None => Ok(Box::new(
            SqliteStore::open(data).with_context(|| format!("cannot open the store in {}", data.display()))?,
        )),
        Some(url) if is_postgres(url) => Ok(Box::new(storyline_store::PgStore::connect(url)?)),
        Some(other) => bail!(
            "--store {:?} is not a store address: give postgres://user@host:port/dbname, or leave it out for the \
             data folder's SQLite store",
            storyline_store::redacted(other)
        ),
    }
}

/// Where the store is, for messages: the data folder, or the address without its password.
fn store_label(cli: &Cli) -> String {
    match &cli.store {
        Some(address) => storyline_store::redacted(address),
        None => cli.data.display().to_string(),
    }
}

fn is_postgres(address: &str) -> bool {
    address.starts_with("postgres://") || address.starts_with("postgresql://")
}

fn run(cli: Cli) -> Result<u8> {
    // Buffered: JSON and Markdown reports are many short lines, and a line-buffered stdout would
    // write each with its own system call.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let code = run_command(&cli, &mut out)?;
    out.flush()?;
    Ok(code)
}

fn run_command(cli: &Cli, mut out: &mut impl std::io::Write) -> Result<u8> {
    match &cli.command {
        Command::Ingest { input } => {
            let mut store = open_store(cli)?;
            let index = search::open_index(&cli.data, &store, true, cli.quiet)?;
            let report = ingest_inputs(cli, input, &mut store, &index, false)?;
            let stories = stories::relink(&mut store, &[])?;
            if !cli.quiet {
                eprintln!("{}; {stories} stories in the store", report.summary(&store_label(cli)));
            }
            Ok(exit_code(&report))
        }
        Command::Analyze { input, format } => {
            let mut store = open_store(cli)?;
            let index = search::open_index(&cli.data, &store, true, cli.quiet)?;
            let mut report = ingest_inputs(cli, input, &mut store, &index, true)?;
            let fresh = std::mem::take(&mut report.articles);
            let stories = stories::relink(&mut store, &fresh)?;
            let dossiers = stories::dossiers(&store, Some(&report.ids), &fresh)?;
            // In input order; articles stored by an earlier run are read from the store.
            let mut fresh: std::collections::HashMap<storyline_core::DocumentId, storyline_core::Article> =
                fresh.into_iter().map(|a| (a.id.clone(), a)).collect();
            let mut articles = Vec::with_capacity(report.ids.len());
            for id in &report.ids {
                let article = match fresh.remove(id) {
                    Some(article) => article,
                    None => {
                        store.article(id.as_str())?.with_context(|| format!("article {id} vanished from the store"))?
                    }
                };
                articles.push(article);
            }
            match format {
                AnalyzeFormat::Json => render::json_analysis(&mut out, &articles, &dossiers)?,
                AnalyzeFormat::Markdown => {
                    render::markdown(&mut out, &articles)?;
                    writeln!(out, "# Stories\n")?;
                    for d in &dossiers {
                        render::dossier_markdown(&mut out, d)?;
                    }
                }
            }
            if !cli.quiet {
                eprintln!("{}; {stories} stories in the store", report.summary(&store_label(cli)));
            }
            Ok(exit_code(&report))
        }
        Command::Articles { format } => {
            let store = open_store(cli)?;
            match format {
                ListFormat::Table => render::table(&mut out, &store)?,
                ListFormat::Json => render::json_store(&mut out, &store)?,
            }
            Ok(EXIT_OK)
        }
        Command::Article { id, explain, format } => {
            let store = open_store(cli)?;
            let Some(article) = store.article(id)? else {
                bail!("no stored article has the id {id:?} (see `storyline articles`)");
            };
            match format {
                ArticleFormat::Json => render::json_article(&mut out, &article)?,
                ArticleFormat::Text => render::text(&mut out, &article, *explain)?,
            }
            Ok(EXIT_OK)
        }
        Command::Stories { format } => {
            let store = open_store(cli)?;
            let dossiers = stories::dossiers(&store, None, &[])?;
            match format {
                ListFormat::Table => render::story_table(&mut out, &dossiers)?,
                ListFormat::Json => render::json_stories(&mut out, &dossiers)?,
            }
            Ok(EXIT_OK)
        }
        Command::Story { id, format } => {
            let store = open_store(cli)?;
            let dossier = stories::find(&store, id)?;
            match format {
                AnalyzeFormat::Json => render::json_stories(&mut out, std::slice::from_ref(&dossier))?,
                AnalyzeFormat::Markdown => render::dossier_markdown(&mut out, &dossier)?,
            }
            Ok(EXIT_OK)
        }
        Command::Timeline { id } => {
            let store = open_store(cli)?;
            let dossier = stories::find(&store, id)?;
            render::timeline(&mut out, &dossier)?;
            Ok(EXIT_OK)
        }
        Command::Entities { kind, limit, format } => {
            let store = open_store(cli)?;
            let kind = kind.and_then(|k| k.to_possible_value()).map(|v| v.get_name().to_owned());
            let mut entities = store.entities()?;
            entities.retain(|e| kind.as_deref().is_none_or(|k| e.kind == k));
            if *limit > 0 {
                entities.truncate(*limit);
            }
            match format {
                ListFormat::Table => render::entity_table(&mut out, &entities)?,
                ListFormat::Json => render::json_entities(&mut out, &entities)?,
            }
            Ok(EXIT_OK)
        }
        Command::Entity { name, format } => {
            let store = open_store(cli)?;
            let mentions = store.entity_mentions(name)?;
            if mentions.is_empty() {
                bail!("no stored article mentions {name:?} (see `storyline entities`)");
            }
            match format {
                ArticleFormat::Text => render::entity_mentions(&mut out, &store, &mentions)?,
                ArticleFormat::Json => render::json_entity_mentions(&mut out, &store, &mentions)?,
            }
            Ok(EXIT_OK)
        }
        Command::Search(args) => {
            let store = open_store(cli)?;
            let index = search::open_index(&cli.data, &store, false, cli.quiet)?;
            search::run(args, &store, &index, &mut out)?;
            Ok(EXIT_OK)
        }
        Command::Reindex => {
            let store = open_store(cli)?;
            let dir = search::index_dir(&cli.data);
            let index = search::open_to_write(&dir, cli.quiet)?;
            let count = search::reindex(&store, &index)?;
            if !cli.quiet {
                eprintln!("storyline: search index rebuilt: {count} article(s) (in {})", dir.display());
            }
            Ok(EXIT_OK)
        }
        Command::Watch(args) => {
            let store = open_store(cli)?;
            let index = search::open_index(&cli.data, &store, true, cli.quiet)?;
            let mut writer = stories::LiveWriter::new(store)?;
            if !cli.quiet {
                eprintln!(
                    "storyline: watching {} ({} articles stored in {})",
                    args.dir.display(),
                    writer.stories.len(),
                    cli.data.display()
                );
            }
            let config = SourceConfig::default();
            let data = cli.data.clone();
            let quiet = cli.quiet;
            let mut ingest = |paths: Vec<PathBuf>| -> Result<()> {
                let inputs: Vec<Input> = paths.into_iter().map(Input::Path).collect();
                let (report, _) = writer.ingest(&index, &inputs, config)?;
                if !quiet && report.documents > 0 {
                    eprintln!("{}", report.summary(&data.display()));
                }
                Ok(())
            };
            // Runs until the process is interrupted: every batch is one store transaction and one
            // index commit, so an interruption loses nothing stored.
            let stop = std::sync::atomic::AtomicBool::new(false);
            watch::watch(&args.dir, std::time::Duration::from_millis(args.settle), &stop, &mut ingest)?;
            Ok(EXIT_OK)
        }
        Command::Serve(args) => {
            serve::run(args, cli.store.clone(), cli.data.clone(), cli.quiet)?;
            Ok(EXIT_OK)
        }
        Command::Reannotate => {
            let mut store = open_store(cli)?;
            let index = search::open_index(&cli.data, &store, true, cli.quiet)?;
            let updated = ingest::reannotate(&mut store, &index, cli.quiet)?;
            if !cli.quiet {
                eprintln!("storyline: {updated} article(s) annotated again (store: {})", cli.data.display());
            }
            Ok(EXIT_OK)
        }
        Command::Submit(args) => {
            let report = cluster::submit::run(args, cli.quiet)?;
            Ok(if report.failed == 0 { EXIT_OK } else { EXIT_SOME_FAILED })
        }
        Command::Worker(args) => {
            cluster::worker::run(args, cluster::postgres_address(cli.store.as_deref())?, cli.quiet)?;
            Ok(EXIT_OK)
        }
        Command::Status(args) => {
            let status = cluster::status::read(&args.queue, cluster::postgres_address(cli.store.as_deref())?)?;
            cluster::status::print(&mut out, &status, args.format)?;
            Ok(EXIT_OK)
        }
        Command::Bench(args) => {
            bench::run(args, &cli.data, &mut out)?;
            Ok(EXIT_OK)
        }
        Command::Eval(command) => {
            match command {
                EvalCommand::Dates(args) => eval::dates::run(args, &mut out),
                EvalCommand::Extraction(args) => eval::extraction::run(args, &mut out),
                EvalCommand::Timeml(args) => eval::timeml::run(args, &mut out),
                EvalCommand::Labels(args) => eval::labels::run(args, &mut out),
                EvalCommand::Ecbplus(args) => eval::ecbplus::run(args, &mut out),
                EvalCommand::Stories(args) => eval::stories::run(args, &mut out),
                EvalCommand::Polnear(args) => eval::polnear::run(args, &mut out),
            }?;
            Ok(EXIT_OK)
        }
    }
}

/// Ingests the inputs into the store, with progress unless quiet.
fn ingest_inputs(
    cli: &Cli,
    args: &InputArgs,
    store: &mut AnyStore,
    index: &storyline_search::SearchIndex,
    keep: bool,
) -> Result<ingest::Report> {
    let inputs: Vec<Input> = args.paths.iter().map(|p| Input::parse(p)).collect();
    let config = SourceConfig { max_document_bytes: args.max_document_size };
    ingest::run(&inputs, config, store, index, cli.quiet, keep)
}

fn exit_code(report: &ingest::Report) -> u8 {
    if report.failed == 0 { EXIT_OK } else { EXIT_SOME_FAILED }
}
