//! Stories in the store: after every ingest the stored articles are linked again (so a new article
//! can join, or bridge, stories) and the verdicts replace the stored links in one transaction; the
//! dossiers are reconciled on demand from the stored articles of a story.
//!
//! Linking everything again costs time in proportion to the store; it keeps results independent of
//! how the articles were batched. The incremental path (the linker's state kept in the store) is
//! the scale work of the stories issue.

use std::collections::{BTreeMap, HashMap};

use anyhow::Result;
use storyline_core::link::{LinkConfig, Linker, link_all, stream_order};
use storyline_core::reconcile::{Dossier, dossier};
use storyline_core::{Article, DocumentId};
use storyline_store::{Store, StoryLink};

/// Every stored article: those in `known` (just extracted, the same as stored) as they are, the
/// rest read from the store.
fn all_articles<'a>(store: &dyn Store, known: &'a [Article]) -> Result<Vec<std::borrow::Cow<'a, Article>>> {
    if known.is_empty() {
        let mut articles = Vec::new();
        store.for_each_article(&mut |a| articles.push(std::borrow::Cow::Owned(a)))?;
        return Ok(articles);
    }
    let by_id: HashMap<&DocumentId, &Article> = known.iter().map(|a| (&a.id, a)).collect();
    let mut articles = Vec::new();
    for id in store.ids()? {
        match by_id.get(&id) {
            Some(article) => articles.push(std::borrow::Cow::Borrowed(*article)),
            None => {
                if let Some(article) = store.article(id.as_str())? {
                    articles.push(std::borrow::Cow::Owned(article));
                }
            }
        }
    }
    Ok(articles)
}

/// Links every stored article and stores the verdicts. Returns the number of stories. `known` are
/// articles the caller holds already (just extracted): they are not read back from the store.
pub fn relink(store: &mut dyn Store, known: &[Article]) -> Result<usize> {
    let articles = all_articles(store, known)?;
    let refs: Vec<&Article> = articles.iter().map(|a| a.as_ref()).collect();
    let linked = link_all(&refs, &LinkConfig::default());
    // A story is named after its first article in publication order, so its id stays put while
    // later articles join it.
    let mut names: HashMap<usize, String> = HashMap::new();
    for i in stream_order(&refs) {
        names.entry(linked.story[i]).or_insert_with(|| format!("s{}", &articles[i].id.as_str()[..11]));
    }
    let links: Vec<StoryLink> = articles
        .iter()
        .enumerate()
        .map(|(i, a)| StoryLink {
            article: a.id.clone(),
            story: names.get(&linked.story[i]).cloned().unwrap_or_default(),
            copy_of: linked.copy_of[i].map(|o| articles[o].id.clone()),
        })
        .collect();
    store.replace_story_links(&links)?;
    Ok(names.len())
}

/// The dossiers of the stored stories (all, or those holding one of `only`), latest story first.
/// Articles in `known` are used as they are; the others are read from the store.
pub fn dossiers(store: &dyn Store, only: Option<&[DocumentId]>, known: &[Article]) -> Result<Vec<Dossier>> {
    let links = store.story_links()?;
    let only: Option<std::collections::HashSet<&DocumentId>> = only.map(|ids| ids.iter().collect());
    let wanted: Option<std::collections::HashSet<&String>> =
        only.map(|ids| links.iter().filter(|l| ids.contains(&l.article)).map(|l| &l.story).collect());
    let mut members: BTreeMap<&str, Vec<&StoryLink>> = BTreeMap::new();
    for link in &links {
        if wanted.as_ref().is_none_or(|w| w.contains(&&link.story)) {
            members.entry(&link.story).or_default().push(link);
        }
    }
    // Only the articles of the stories asked for are read, and only those not at hand.
    let mut articles: HashMap<DocumentId, std::borrow::Cow<'_, Article>> =
        known.iter().map(|a| (a.id.clone(), std::borrow::Cow::Borrowed(a))).collect();
    for link in members.values().flatten() {
        if !articles.contains_key(&link.article)
            && let Some(article) = store.article(link.article.as_str())?
        {
            articles.insert(link.article.clone(), std::borrow::Cow::Owned(article));
        }
    }
    let copy_of: HashMap<DocumentId, DocumentId> =
        links.iter().filter_map(|l| l.copy_of.clone().map(|o| (l.article.clone(), o))).collect();
    let mut out: Vec<Dossier> = members
        .into_iter()
        .map(|(story, links)| {
            let list: Vec<&Article> =
                links.iter().filter_map(|l| articles.get(&l.article).map(|a| a.as_ref())).collect();
            dossier(story, &list, &copy_of)
        })
        .collect();
    out.sort_by(|a, b| b.last.cmp(&a.last).then(b.articles.len().cmp(&a.articles.len())).then(a.id.cmp(&b.id)));
    Ok(out)
}

/// One story's dossier, by its id or a unique prefix of it; an error names what was not found.
pub fn find(store: &dyn Store, id: &str) -> Result<Dossier> {
    match find_opt(store, id)? {
        Some(dossier) => Ok(dossier),
        None => anyhow::bail!("no stored story has the id {id:?} (see `storyline stories`)"),
    }
}

fn find_opt(store: &dyn Store, id: &str) -> Result<Option<Dossier>> {
    let links = store.story_links()?;
    let mut ids: Vec<&String> = links.iter().map(|l| &l.story).filter(|s| s.starts_with(id)).collect();
    ids.dedup();
    match ids.as_slice() {
        [] => Ok(None),
        [one] => dossier_of(store, one),
        many => anyhow::bail!("\"{id}\" matches {} stories; give more of the id", many.len()),
    }
}

/// One story's dossier by its exact id, reading only its articles.
pub fn dossier_of(store: &dyn Store, id: &str) -> Result<Option<Dossier>> {
    let members = store.story_members(id)?;
    if members.is_empty() {
        return Ok(None);
    }
    let mut articles = Vec::with_capacity(members.len());
    for link in &members {
        if let Some(article) = store.article(link.article.as_str())? {
            articles.push(article);
        }
    }
    let copy_of: HashMap<DocumentId, DocumentId> =
        members.iter().filter_map(|l| l.copy_of.clone().map(|o| (l.article.clone(), o))).collect();
    let list: Vec<&Article> = articles.iter().collect();
    Ok(Some(dossier(id, &list, &copy_of)))
}

/// Stories kept current as articles arrive one at a time (the server's write path): the linker's
/// state over every stored article is built once, by linking them as `relink` does, and each new
/// article is then added to it. Only the links that change are written.
///
/// Names follow `relink`'s rule (a story is named after its first article in stream order), so
/// the CLI and the server agree on ids. Articles added here skip the whole-store pass that ends
/// `link_all`; the next `relink` (any CLI ingest) does it.
pub struct LiveStories {
    linker: Linker,
    /// By linker position: the article, its story, and the position it copies.
    ids: Vec<DocumentId>,
    story: Vec<usize>,
    copy_of: Vec<Option<usize>>,
    /// The story id last stored for each position (what readers may have cached under).
    written: Vec<String>,
    known: std::collections::HashSet<DocumentId>,
}

impl std::fmt::Debug for LiveStories {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveStories").field("articles", &self.ids.len()).finish_non_exhaustive()
    }
}

impl LiveStories {
    /// Links every stored article in stream order, reading them one at a time, and stores the links.
    pub fn build(store: &mut dyn Store) -> Result<LiveStories> {
        let headers = store.headers()?;
        let mut order: Vec<&storyline_store::ArticleHeader> = headers.iter().collect();
        order.sort_by(|a, b| key(a).cmp(&key(b)));
        let mut live = LiveStories {
            linker: Linker::new(LinkConfig::default()),
            ids: Vec::with_capacity(order.len()),
            story: Vec::with_capacity(order.len()),
            copy_of: Vec::with_capacity(order.len()),
            written: Vec::new(),
            known: std::collections::HashSet::with_capacity(order.len()),
        };
        for chunk in order.chunks(256) {
            let ids: Vec<DocumentId> = chunk.iter().map(|h| h.id.clone()).collect();
            for article in store.articles(&ids)? {
                let assignment = live.linker.add(&article);
                live.ids.push(article.id.clone());
                live.known.insert(article.id);
                live.story.push(assignment.story);
                live.copy_of.push(assignment.duplicate_of);
            }
        }
        live.linker.finish_batch();
        for position in 0..live.ids.len() {
            live.story[position] = live.linker.story_of(position).unwrap_or(0);
        }
        let links: Vec<StoryLink> = (0..live.ids.len()).map(|p| live.link(p)).collect();
        store.replace_story_links(&links)?;
        live.written = links.into_iter().map(|l| l.story).collect();
        Ok(live)
    }

    /// How many articles the linker holds.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    fn name(&self, story: usize) -> String {
        let first = self.linker.articles_of(story).into_iter().min();
        let id = first.and_then(|p| self.ids.get(p)).map_or("", |id| id.as_str());
        format!("s{}", &id[..id.len().min(11)])
    }

    fn link(&self, position: usize) -> StoryLink {
        StoryLink {
            article: self.ids[position].clone(),
            story: self.name(self.story[position]),
            copy_of: self.copy_of[position].map(|o| self.ids[o].clone()),
        }
    }

    /// Links newly stored articles (in stream order) and stores the links that changed: theirs,
    /// and those of every article in a story they joined, split or renamed. Returns the ids of
    /// the stories whose membership changed, under their old names and their new ones.
    pub fn add(&mut self, store: &mut dyn Store, articles: &[Article]) -> Result<std::collections::BTreeSet<String>> {
        let mut fresh: Vec<&Article> = articles.iter().filter(|a| !self.known.contains(&a.id)).collect();
        fresh.sort_by(|a, b| storyline_core::link::StreamKey::of(a).cmp(&storyline_core::link::StreamKey::of(b)));
        let mut touched = std::collections::BTreeSet::new();
        for article in fresh {
            let assignment = self.linker.add(article);
            self.ids.push(article.id.clone());
            self.known.insert(article.id.clone());
            self.story.push(assignment.story);
            self.copy_of.push(assignment.duplicate_of);
            touched.insert(assignment.story);
            for &(moved, to) in &assignment.moved {
                touched.insert(self.story[moved]);
                self.story[moved] = to;
                touched.insert(to);
            }
        }
        let positions: Vec<usize> = touched.into_iter().flat_map(|s| self.linker.articles_of(s)).collect();
        let links: Vec<StoryLink> = positions.iter().map(|&p| self.link(p)).collect();
        store.put_story_links(&links)?;
        let mut changed = std::collections::BTreeSet::new();
        self.written.resize(self.ids.len(), String::new());
        for (&p, link) in positions.iter().zip(&links) {
            let old = std::mem::replace(&mut self.written[p], link.story.clone());
            if !old.is_empty() {
                changed.insert(old);
            }
            changed.insert(link.story.clone());
        }
        Ok(changed)
    }
}

fn key(header: &storyline_store::ArticleHeader) -> storyline_core::link::StreamKey<'_> {
    storyline_core::link::StreamKey::new(header.published, header.published_at.map(|t| t.timestamp()), &header.id)
}

/// The long-running writer of a data folder (the server, the watcher): its store and the live
/// linker, fed inputs as they come. The caller holds the search index's writer lock.
#[derive(Debug)]
pub struct LiveWriter {
    pub store: crate::AnyStore,
    pub stories: LiveStories,
}

impl LiveWriter {
    /// Links every stored article (see [`LiveStories::build`]).
    pub fn new(mut store: crate::AnyStore) -> Result<LiveWriter> {
        let stories = LiveStories::build(&mut store)?;
        Ok(LiveWriter { store, stories })
    }

    /// Ingests the inputs (stored, then indexed) and links the new articles into stories.
    /// Returns what was read and the ids of the stories that changed (old and new names).
    pub fn ingest(
        &mut self,
        index: &storyline_search::SearchIndex,
        inputs: &[storyline_source::Input],
        config: storyline_source::SourceConfig,
    ) -> Result<(crate::ingest::Report, std::collections::BTreeSet<String>)> {
        let report = crate::ingest::run(inputs, config, &mut self.store, index, true, true)?;
        let changed = self.stories.add(&mut self.store, &report.articles)?;
        Ok((report, changed))
    }
}
