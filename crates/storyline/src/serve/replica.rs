//! The search replica of a server over a shared PostgreSQL store. Workers commit articles
//! elsewhere; the store notifies every listening server of the new ids on commit (and only on
//! commit), and this follower reads those articles and adds them to the server's own index, and
//! drops the server's kept story list and dossiers when links change. Notifications sent while
//! the follower was not connected are lost, so on every (re)connection, and every half minute
//! when no notification came, the index's count is checked against the store's and the index is
//! rebuilt when they differ.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Result;
use storyline_store::{ARTICLES_CHANNEL, PgStore, STORIES_CHANNEL, Store};

use super::App;

/// How often the index's count is checked against the store's when notifications are flowing.
const CHECK_EVERY: Duration = Duration::from_secs(30);

/// Follows the store until `stop`, reconnecting after failures.
pub fn follow(app: &App, address: &str, stop: &AtomicBool) {
    while !stop.load(Ordering::SeqCst) {
        if let Err(err) = session(app, address, stop) {
            eprintln!("storyline: search replica: {err:#}; reconnecting");
            let until = Instant::now() + Duration::from_secs(1);
            while !stop.load(Ordering::SeqCst) && Instant::now() < until {
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }
}

fn session(app: &App, address: &str, stop: &AtomicBool) -> Result<()> {
    let store = PgStore::connect(address)?;
    // Listening first, then checking: nothing committed in between is missed.
    store.listen(&[ARTICLES_CHANNEL, STORIES_CHANNEL])?;
    catch_up(app, &store)?;
    let mut checked = Instant::now();
    while !stop.load(Ordering::SeqCst) {
        let notices = store.notices(Duration::from_millis(500))?;
        let mut ids: Vec<String> = Vec::new();
        let mut links_changed = false;
        for notice in &notices {
            if notice.channel == ARTICLES_CHANNEL {
                ids.extend(notice.payload.split(',').filter(|id| !id.is_empty()).map(str::to_owned));
            } else {
                links_changed = true;
            }
        }
        if !ids.is_empty() {
            let mut articles = Vec::with_capacity(ids.len());
            for id in &ids {
                if let Some(article) = store.article(id)? {
                    articles.push(article);
                }
            }
            app.index.put(&articles)?;
        }
        if links_changed || !ids.is_empty() {
            app.written_elsewhere();
        }
        // Only when quiet: while articles stream in, the index trails the store by design.
        if notices.is_empty() && checked.elapsed() >= CHECK_EVERY {
            catch_up(app, &store)?;
            checked = Instant::now();
        }
    }
    Ok(())
}

/// Rebuilds the index when it does not hold as many articles as the store.
fn catch_up(app: &App, store: &PgStore) -> Result<()> {
    let (stored, indexed) = (store.count()?, app.index.count());
    if stored != indexed {
        eprintln!(
            "storyline: search replica: the index holds {indexed} of the {stored} stored articles; rebuilding it"
        );
        crate::search::reindex(store, &app.index)?;
        app.written_elsewhere();
    }
    Ok(())
}
