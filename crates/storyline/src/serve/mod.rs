//! `storyline serve`: the store as a JSON HTTP API (axum on tokio). Reads go to a pool of store
//! connections and the search index; writes (new articles) go through one writer that stores,
//! indexes and links them into stories as they arrive. Over a shared PostgreSQL store (a cluster)
//! the server is a reader: workers write and link, and the server's search index is a replica
//! that follows the store's change notifications (see `replica`). Every handler's work runs on tokio's
//! blocking pool, under a deadline; errors are JSON with a stable code.
//!
//! This module wires HTTP to the stages and the store; it holds no extraction or linking logic.

mod api;
mod openapi;
mod pages;
mod replica;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use storyline_search::SearchIndex;

use crate::stories::LiveWriter;

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The address to listen on. Beyond loopback, writes need a token.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// The token that `POST /api/articles` must carry (`Authorization: Bearer TOKEN`). Required
    /// when the address is not loopback.
    #[arg(long, env = "STORYLINE_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// The largest request body accepted, in bytes.
    #[arg(long, default_value_t = 64 * 1024 * 1024, value_name = "BYTES")]
    max_body: usize,
    /// Also watch this folder and ingest what a crawler writes into it (see `storyline watch`).
    #[arg(long, value_name = "DIR")]
    watch: Option<PathBuf>,
    /// How long a request may take before it is answered with a timeout, in seconds. A write
    /// that runs past it still completes (ingest is idempotent, so a retry is safe).
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    timeout: u64,
}

/// What every handler shares.
pub struct App {
    data: PathBuf,
    /// `--store`: none for the data folder's SQLite store.
    store_address: Option<String>,
    readers: Mutex<Vec<crate::AnyStore>>,
    /// The writer; none over a shared store, where the cluster's workers write.
    writer: Option<Mutex<LiveWriter>>,
    index: SearchIndex,
    token: Option<String>,
    timeout: Duration,
    max_document_bytes: u64,
    /// The story list, made on first request after each write.
    stories: RwLock<Option<Arc<serde_json::Value>>>,
    /// Dossiers made since their story last changed, by story id.
    dossiers: Mutex<std::collections::HashMap<String, Arc<storyline_core::reconcile::Dossier>>>,
    /// Writes so far: a dossier made while a write went through is not kept.
    writes: std::sync::atomic::AtomicU64,
}

/// Dossiers kept at most; past it the cache starts again.
const DOSSIERS_KEPT: usize = 20_000;

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App").field("data", &self.data).finish_non_exhaustive()
    }
}

/// A reader connection, back to the pool when dropped.
struct Reader<'a> {
    app: &'a App,
    store: Option<crate::AnyStore>,
}

impl std::ops::Deref for Reader<'_> {
    type Target = crate::AnyStore;
    fn deref(&self) -> &crate::AnyStore {
        self.store.as_ref().unwrap_or_else(|| unreachable!("a reader holds its store until dropped"))
    }
}

impl Drop for Reader<'_> {
    fn drop(&mut self) {
        if let Some(store) = self.store.take().filter(|s| !s.is_closed()) {
            self.app.readers.lock().unwrap_or_else(|p| p.into_inner()).push(store);
        }
    }
}

impl App {
    /// One story's dossier, made from the store unless kept since its story last changed.
    fn dossier(&self, id: &str) -> Result<Option<Arc<storyline_core::reconcile::Dossier>>, ApiError> {
        use std::sync::atomic::Ordering;
        if let Some(d) = self.dossiers.lock().unwrap_or_else(|p| p.into_inner()).get(id) {
            return Ok(Some(Arc::clone(d)));
        }
        let generation = self.writes.load(Ordering::SeqCst);
        let store = self.reader()?;
        let Some(dossier) = crate::stories::dossier_of(&*store, id)? else { return Ok(None) };
        let dossier = Arc::new(dossier);
        let mut kept = self.dossiers.lock().unwrap_or_else(|p| p.into_inner());
        if self.writes.load(Ordering::SeqCst) == generation {
            if kept.len() >= DOSSIERS_KEPT {
                kept.clear();
            }
            kept.insert(id.to_owned(), Arc::clone(&dossier));
        }
        Ok(Some(dossier))
    }

    /// After writes elsewhere (a cluster's workers): everything readers kept is dropped.
    fn written_elsewhere(&self) {
        self.writes.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.dossiers.lock().unwrap_or_else(|p| p.into_inner()).clear();
        *self.stories.write().unwrap_or_else(|p| p.into_inner()) = None;
    }

    /// After a write: what readers kept of the stories it changed is dropped.
    fn written(&self, changed: &std::collections::BTreeSet<String>) {
        self.writes.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let mut kept = self.dossiers.lock().unwrap_or_else(|p| p.into_inner());
        for id in changed {
            kept.remove(id);
        }
        drop(kept);
        *self.stories.write().unwrap_or_else(|p| p.into_inner()) = None;
    }

    fn reader(&self) -> Result<Reader<'_>, ApiError> {
        let pooled = self.readers.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let store = match pooled {
            Some(store) => store,
            None => crate::open_store_at(self.store_address.as_deref(), &self.data)
                .map_err(|e| ApiError::internal(format!("{e:#}")))?,
        };
        Ok(Reader { app: self, store: Some(store) })
    }
}

/// An error as the API answers it: `{"error": {"code": "...", "message": "..."}}`. Codes are
/// stable (documented in /openapi.json); messages are for people.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError { status, code, message: message.into() }
    }
    fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }
    fn not_found(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }
    fn internal(err: impl std::fmt::Display) -> Self {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", err.to_string())
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(err: anyhow::Error) -> Self {
        if let Some(search) = err.downcast_ref::<storyline_search::SearchError>() {
            return ApiError::from_search(search);
        }
        ApiError::internal(format!("{err:#}"))
    }
}

impl ApiError {
    fn from_search(err: &storyline_search::SearchError) -> Self {
        match err {
            storyline_search::SearchError::Query { .. } => ApiError::bad_request(err.to_string()),
            other => ApiError::internal(other),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({"error": {"code": self.code, "message": self.message}});
        (self.status, Json(body)).into_response()
    }
}

/// Runs `work` on the blocking pool under the app's deadline.
async fn blocking<T: Send + 'static>(
    app: &Arc<App>,
    work: impl FnOnce(&App) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let shared = Arc::clone(app);
    let task = tokio::task::spawn_blocking(move || work(&shared));
    match tokio::time::timeout(app.timeout, task).await {
        Ok(Ok(result)) => result,
        Ok(Err(join)) => Err(ApiError::internal(format!("the request's work failed: {join}"))),
        Err(_) => Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "timeout",
            format!("the request took longer than {} s", app.timeout.as_secs()),
        )),
    }
}

/// Whether a token is needed and given right, compared in constant time.
fn token_matches(expected: &str, given: &str) -> bool {
    let (a, b) = (expected.as_bytes(), given.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub fn run(args: &ServeArgs, store_address: Option<String>, data: PathBuf, quiet: bool) -> Result<()> {
    if !args.addr.ip().is_loopback() && args.token.as_deref().is_none_or(str::is_empty) {
        bail!("{} is beyond loopback: give a write token with --token or STORYLINE_TOKEN", args.addr);
    }
    let shared = store_address.is_some();
    if shared && args.watch.is_some() {
        bail!(
            "--watch writes, and over a shared store the workers write: run `storyline submit` on the folder instead"
        );
    }
    let store = crate::open_store_at(store_address.as_deref(), &data)?;
    // The index's writer is taken now: a CLI ingest into the same folder is then refused at once.
    let index = crate::search::open_index(&data, &store, true, quiet)?;
    let (writer, articles) = if shared {
        let articles = store.count()?;
        (None, articles as usize)
    } else {
        let writer = LiveWriter::new(store)?;
        let articles = writer.stories.len();
        (Some(Mutex::new(writer)), articles)
    };
    let app = Arc::new(App {
        data: data.clone(),
        store_address: store_address.clone(),
        readers: Mutex::new(Vec::new()),
        writer,
        index,
        token: args.token.clone().filter(|t| !t.is_empty()),
        timeout: Duration::from_secs(args.timeout.max(1)),
        max_document_bytes: storyline_source::SourceConfig::default().max_document_bytes,
        stories: RwLock::new(None),
        dossiers: Mutex::new(std::collections::HashMap::new()),
        writes: std::sync::atomic::AtomicU64::new(0),
    });
    let router = api::router(Arc::clone(&app), args.max_body);
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let follower = store_address.map(|address| {
        let (app, stop) = (Arc::clone(&app), Arc::clone(&stop));
        std::thread::spawn(move || replica::follow(&app, &address, &stop))
    });
    let watcher = args.watch.clone().map(|dir| {
        let (app, stop) = (Arc::clone(&app), Arc::clone(&stop));
        std::thread::spawn(move || {
            let mut ingest = |paths: Vec<PathBuf>| -> Result<()> {
                let inputs: Vec<storyline_source::Input> =
                    paths.into_iter().map(storyline_source::Input::Path).collect();
                let config = storyline_source::SourceConfig { max_document_bytes: app.max_document_bytes };
                let Some(writer) = app.writer.as_ref() else { bail!("this server takes no writes") };
                let (report, changed) =
                    writer.lock().unwrap_or_else(|p| p.into_inner()).ingest(&app.index, &inputs, config)?;
                app.written(&changed);
                if report.added > 0 {
                    eprintln!(
                        "storyline: watch: {} new article(s) from {} document(s)",
                        report.added, report.documents
                    );
                }
                Ok(())
            };
            crate::watch::watch(&dir, Duration::from_millis(400), &stop, &mut ingest)
        })
    });
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        let bound = listener.local_addr()?;
        let writes = if app.token.is_some() { "writes need the token" } else { "writes open on loopback" };
        // The first line a supervisor (or a test) reads: where to connect.
        eprintln!("storyline: serving {articles} articles from {} on http://{bound} ({writes})", data.display());
        axum::serve(listener, router).with_graceful_shutdown(shutdown_signal()).await?;
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if !quiet {
            eprintln!("storyline: stopped; in-flight requests finished");
        }
        anyhow::Ok(())
    })?;
    if let Some(follower) = follower
        && follower.join().is_err()
    {
        bail!("the search replica's follower failed");
    }
    if let Some(watcher) = watcher {
        match watcher.join() {
            Ok(result) => result?,
            Err(_) => bail!("the folder watcher failed"),
        }
    }
    // The runtime is gone, so every handler's hold on the app is too: the index's writer is
    // dropped here, after its merges finish.
    Ok(())
}

/// Ctrl-C or SIGTERM: stop accepting, let in-flight requests (writes included) finish.
pub(crate) async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_whole() {
        assert!(token_matches("s3cret", "s3cret"));
        assert!(!token_matches("s3cret", "s3cre"));
        assert!(!token_matches("s3cret", "s3cres"));
        assert!(!token_matches("s3cret", ""));
    }
}
