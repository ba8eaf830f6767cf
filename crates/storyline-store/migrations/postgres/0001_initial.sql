-- storyline's PostgreSQL schema, version 1: the same records as the SQLite store's first four
-- migrations, in PostgreSQL's types. Identifiers and the columns compared or sorted by them use
-- the "C" collation, so that ranges over id prefixes and orderings match SQLite's byte order
-- whatever the database's locale. JSON values the store never queries are kept as text.

CREATE TABLE articles (
    seq                  BIGSERIAL PRIMARY KEY,
    id                   TEXT COLLATE "C" NOT NULL UNIQUE,
    source               TEXT NOT NULL,
    media                TEXT NOT NULL,
    url                  TEXT,
    title                TEXT,
    outlet               TEXT,
    authors              TEXT NOT NULL,  -- JSON array of names
    published_date       DATE,
    published_datetime   TEXT,           -- RFC 3339, with the offset the page gave
    published_confidence DOUBLE PRECISION NOT NULL,
    published_evidence   TEXT,
    published_method     TEXT,
    language             TEXT,
    encoding             TEXT NOT NULL,
    body                 TEXT NOT NULL,
    removed              TEXT NOT NULL,  -- JSON array of {text, reason}
    warnings             TEXT NOT NULL,  -- JSON array of strings
    annotations          TEXT NOT NULL,  -- {"sentences", "entities", "times", "quantities", "quotes"}
    stored_at            TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX articles_published ON articles (published_date);
CREATE INDEX articles_outlet ON articles (outlet);
CREATE INDEX articles_stored_at ON articles (stored_at);

-- Entity mentions, one row each, written with the article and replaced when it is annotated again.
CREATE TABLE mentions (
    entity_id  TEXT COLLATE "C" NOT NULL,
    kind       TEXT NOT NULL,
    name       TEXT NOT NULL,
    article_id TEXT COLLATE "C" NOT NULL REFERENCES articles (id),
    text       TEXT NOT NULL,
    lower_text TEXT COLLATE "C" NOT NULL,
    start_byte BIGINT NOT NULL,
    end_byte   BIGINT NOT NULL
);
CREATE INDEX mentions_entity ON mentions (entity_id);
CREATE INDEX mentions_text ON mentions (lower_text);
CREATE INDEX mentions_article ON mentions (article_id);

-- The link stage's verdict for each article.
CREATE TABLE story_links (
    article_id TEXT COLLATE "C" PRIMARY KEY REFERENCES articles (id),
    story_id   TEXT COLLATE "C" NOT NULL,
    copy_of    TEXT COLLATE "C" REFERENCES articles (id)
);
CREATE INDEX story_links_story ON story_links (story_id);

-- The cluster's linker: how many articles its last whole pass (a settle) linked, and when. One row.
CREATE TABLE link_state (
    singleton  BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
    settled    BIGINT NOT NULL DEFAULT 0,
    settled_at TIMESTAMPTZ
);
INSERT INTO link_state (singleton) VALUES (TRUE);
