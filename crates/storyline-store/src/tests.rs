//! The store's contract, checked on both stores: SQLite always, PostgreSQL when
//! `STORYLINE_TEST_POSTGRES` names a server where a scratch database may be made (required when
//! `STORYLINE_REQUIRE_CLUSTER=1`, as `.ci/run` sets it).

use crate::*;
use storyline_core::MediaType;
use storyline_core::{Document, Hints, process};

/// Runs `check` on a fresh SQLite store and, where a PostgreSQL server is given, a fresh PostgreSQL store.
fn each_store(check: impl Fn(&mut dyn Store)) {
    let dir = tempfile::tempdir().expect("tempdir");
    check(&mut SqliteStore::open(dir.path()).expect("opens"));
    if let Some(url) = scratch_postgres() {
        check(&mut PgStore::connect(&url).expect("connects"));
    }
}

/// A fresh database on the test server, when there is one.
fn scratch_postgres() -> Option<String> {
    match std::env::var("STORYLINE_TEST_POSTGRES") {
        Ok(admin) => Some(scratch_database(&admin, "store").expect("scratch database")),
        Err(_) => {
            assert!(std::env::var("STORYLINE_REQUIRE_CLUSTER").is_err(), "STORYLINE_TEST_POSTGRES is not set");
            eprintln!("PostgreSQL checks skipped: STORYLINE_TEST_POSTGRES is not set");
            None
        }
    }
}

fn article(text: &str) -> Article {
    let doc = Document::new(format!("{}.txt", text.len()), MediaType::Text, text.as_bytes().to_vec(), Hints::default());
    process(&doc).expect("extracts")
}

#[test]
fn round_trip_and_idempotence() {
    each_store(round_trip);
    let dir = tempfile::tempdir().expect("tempdir");
    round_trip(&mut SqliteStore::open(dir.path()).expect("opens"));
    let reopened = SqliteStore::open(dir.path()).expect("reopens");
    assert_eq!(reopened.count().expect("count"), 2);
}

fn round_trip(store: &mut dyn Store) {
    let a = article(
        "Bridge Falls Into River\nBy Jane Holloway on March 26, 2024\nA container ship struck a pier of the bridge early on Tuesday, and the span fell.\nAdvertisement",
    );
    let b = article(
        "Port Reopens Channel\nThe main shipping channel reopened to deep-draft vessels on Monday, officials said.",
    );
    assert_eq!(store.put_articles(&[a.clone(), b.clone()]).expect("put"), BatchOutcome { added: 2, already_stored: 0 });
    assert_eq!(
        store.put_articles(std::slice::from_ref(&a)).expect("put"),
        BatchOutcome { added: 0, already_stored: 1 }
    );
    assert_eq!(store.count().expect("count"), 2);
    assert_eq!(store.article(a.id.as_str()).expect("get"), Some(a.clone()));
    assert_eq!(store.article(&a.id.as_str()[..6]).expect("get"), Some(a.clone()));
    assert_eq!(store.article("zz").expect("get"), None);
    let mut seen = Vec::new();
    store.for_each_article(&mut |x| seen.push(x)).expect("iterate");
    assert_eq!(seen, [a, b]);
}

#[test]
fn annotations_are_replaced_and_nothing_else() {
    each_store(|store| {
        let full = article(
            "Port Reopens Channel\nThe main shipping channel reopened on Monday, officials said on June 10, 2024.",
        );
        let mut bare = full.clone();
        bare.sentences.clear();
        bare.times.clear();
        store.put_articles(std::slice::from_ref(&bare)).expect("put");
        assert_eq!(store.article(bare.id.as_str()).expect("get"), Some(bare.clone()));
        assert_eq!(store.ids().expect("ids"), [bare.id.clone()]);
        assert_eq!(store.update_annotations(std::slice::from_ref(&full)).expect("update"), 1);
        assert_eq!(store.article(full.id.as_str()).expect("get"), Some(full));
    });
}

#[test]
fn entities_resolve_by_id_name_and_spelling() {
    each_store(|store| {
        let a = article(
            "Summit In Pyongyang\nKim Jong Un welcomed Vladimir Putin on Wednesday. Putin thanked Kim Jong-un for the welcome.",
        );
        store.put_articles(std::slice::from_ref(&a)).expect("put");
        for query in ["person/kim-jong-un", "Kim Jong Un", "kim jong-un", "KIM JONG-UN"] {
            assert_eq!(store.resolve_entity(query).expect("resolve"), ["person/kim-jong-un"], "{query}");
        }
        assert!(store.resolve_entity("Nobody Here").expect("resolve").is_empty());
        let names = store.entity_names(&["person/kim-jong-un".to_owned(), "person/nobody".to_owned()]).expect("names");
        assert_eq!(names.len(), 1);
        assert!(names["person/kim-jong-un"].starts_with("Kim Jong"), "{names:?}");
    });
}

#[test]
fn story_links_are_replaced_per_article_and_read_per_story() {
    each_store(|store| {
        let a = article("Bridge Falls Into River\nA container ship struck a pier of the bridge early on Tuesday.");
        let b = article("Port Reopens Channel\nThe main shipping channel reopened to deep-draft vessels on Monday.");
        store.put_articles(&[a.clone(), b.clone()]).expect("put");
        let link = |x: &Article, story: &str, copy_of: Option<&Article>| StoryLink {
            article: x.id.clone(),
            story: story.to_owned(),
            copy_of: copy_of.map(|c| c.id.clone()),
        };
        store.replace_story_links(&[link(&a, "s1", None), link(&b, "s2", None)]).expect("replace");
        store.put_story_links(&[link(&b, "s1", Some(&a))]).expect("put links");
        assert_eq!(store.story_members("s1").expect("members"), {
            let mut v = vec![link(&a, "s1", None), link(&b, "s1", Some(&a))];
            v.sort_by(|x, y| x.article.cmp(&y.article));
            v
        });
        assert!(store.story_members("s2").expect("members").is_empty());
        assert_eq!(store.story_of(&b.id).expect("story of"), Some("s1".to_owned()));
        let headers = store.headers().expect("headers");
        assert_eq!(
            headers.iter().map(|h| h.title.as_deref()).collect::<Vec<_>>(),
            [a.title.as_deref(), b.title.as_deref()]
        );
    });
}

#[test]
fn postgres_keeps_what_sqlite_keeps() {
    let Some(url) = scratch_postgres() else { return };
    // Two nodes opening a new database at once migrate it once.
    let other = {
        let url = url.clone();
        std::thread::spawn(move || PgStore::connect(&url).map(drop))
    };
    let mut pg = PgStore::connect(&url).expect("connects");
    other.join().expect("joins").expect("second node connects");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut sqlite = SqliteStore::open(dir.path()).expect("opens");
    let mut texts = vec![
        "Summit In Pyongyang\nBy Min-ji Park\nPublished: June 19, 2024\nKim Jong Un welcomed Vladimir Putin on Wednesday, the second day of talks. Putin thanked Kim Jong-un for the welcome.".to_owned(),
        "Treaty Ratified\nRussia's lower house ratified the treaty with North Korea on Thursday, October 24, 2024.".to_owned(),
    ];
    // A NUL past the binary check is dropped by decoding, so both stores keep the same text.
    texts.push(format!(
        "Quake Toll Rises\n{}The toll rose to 160 on Friday,\u{0} officials said.",
        "Rescuers searched the coast for survivors. ".repeat(250)
    ));
    let articles: Vec<Article> = texts.iter().map(|t| article(t)).collect();
    assert!(articles[2].body.ends_with("Friday, officials said."), "{}", &articles[2].body[10_000..]);
    assert_eq!(pg.put_articles(&articles).expect("pg put"), sqlite.put_articles(&articles).expect("sqlite put"));
    for a in &articles {
        assert_eq!(pg.article(a.id.as_str()).expect("pg"), sqlite.article(a.id.as_str()).expect("sqlite"));
    }
    assert_eq!(pg.ids().expect("ids"), sqlite.ids().expect("ids"));
    assert_eq!(pg.headers().expect("headers"), sqlite.headers().expect("headers"));
    assert_eq!(pg.entities().expect("entities"), sqlite.entities().expect("entities"));
    for query in ["Kim Jong-un", "putin", "place/russia"] {
        assert_eq!(pg.entity_mentions(query).expect("pg"), sqlite.entity_mentions(query).expect("sqlite"), "{query}");
        assert_eq!(pg.resolve_entity(query).expect("pg"), sqlite.resolve_entity(query).expect("sqlite"), "{query}");
    }
    // Unlinked articles are what the cluster's linker picks up.
    let state = pg.link_state().expect("state");
    assert_eq!((state.articles, state.unlinked, state.settled), (3, 3, 0));
    let link = StoryLink { article: articles[0].id.clone(), story: "s1".into(), copy_of: None };
    pg.put_story_links(std::slice::from_ref(&link)).expect("links");
    assert_eq!(pg.unlinked(10).expect("unlinked").len(), 2);
    pg.mark_settled(1).expect("settle");
    assert_eq!(pg.link_state().expect("state").settled, 1);
}

#[test]
fn postgres_notifies_new_articles_on_commit_only() {
    let Some(url) = scratch_postgres() else { return };
    let listener = PgStore::connect(&url).expect("connects");
    listener.listen(&[ARTICLES_CHANNEL, STORIES_CHANNEL]).expect("listens");
    let mut writer = PgStore::connect(&url).expect("connects");
    let a = article("Port Reopens Channel\nThe main shipping channel reopened to deep-draft vessels on Monday.");
    writer.put_articles(std::slice::from_ref(&a)).expect("put");
    writer.put_articles(std::slice::from_ref(&a)).expect("put again: nothing new, no notice");
    let notices = listener.notices(std::time::Duration::from_secs(5)).expect("notices");
    assert_eq!(notices, [Notice { channel: ARTICLES_CHANNEL.to_owned(), payload: a.id.as_str().to_owned() }]);
    // A linker lock is one holder's at a time, and is let go with its connection.
    assert!(writer.try_lock_linker().expect("lock"));
    assert!(!listener.try_lock_linker().expect("lock"));
    drop(writer);
    let mut taken = false;
    for _ in 0..50 {
        taken = listener.try_lock_linker().expect("lock");
        if taken {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(taken, "the lock outlived its connection");
}
