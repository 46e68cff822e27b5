-- Shift-lead review (issue 5): accounts, the audit trail, QA reviews and
-- full-text search over what was written on each call.

CREATE TABLE users (
    id         TEXT PRIMARY KEY,            -- 工号, written on every call taken
    name       TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('taker', 'lead')),
    pin_hash   TEXT NOT NULL,               -- argon2id, PHC string
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL
);

-- Append-only: each entry carries the hash of the one before, so an edited,
-- inserted or deleted row breaks the chain (`jiejing audit verify`). The
-- triggers stop honest mistakes; the chain catches the rest.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    call_id   INTEGER,
    detail    TEXT NOT NULL,                -- JSON
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX audit_by_call ON audit_log (call_id) WHERE call_id IS NOT NULL;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;

-- One QA review per call: drawn into the sample, then scored.
CREATE TABLE reviews (
    call_id     INTEGER PRIMARY KEY REFERENCES calls (id),
    status      TEXT NOT NULL CHECK (status IN ('sampled', 'reviewed')),
    sampled_at  TEXT,
    reviewer    TEXT,
    reviewed_at TEXT,
    score       REAL,
    critical    INTEGER NOT NULL DEFAULT 0,
    marks       TEXT NOT NULL DEFAULT '[]', -- JSON [{item, verdict}]
    notes       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX reviews_by_status ON reviews (status, call_id);

-- Element values, notes and complaint text, one character per token so a
-- search for any run of characters (two-character Chinese words, part of a
-- plate) is a phrase match. Contentless: the text lives in the call tables.
CREATE VIRTUAL TABLE call_text USING fts5 (body, content = '', contentless_delete = 1);
