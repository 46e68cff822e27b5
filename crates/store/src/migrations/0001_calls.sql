-- The call record. Times are RFC 3339 UTC text with milliseconds, which
-- sorts correctly as text and reads back without a time-zone guess.
CREATE TABLE calls (
    id               INTEGER PRIMARY KEY,
    state            TEXT NOT NULL CHECK (state IN ('ringing', 'answered', 'in_progress', 'closed')),
    ring_at          TEXT NOT NULL,
    ring_source      TEXT NOT NULL,
    answered_at      TEXT,
    answer_source    TEXT,
    in_progress_at   TEXT,
    closed_at        TEXT,
    caller_number    TEXT NOT NULL DEFAULT '',
    -- Digits only, so "138 1234-5678" and "13812345678" match as repeats.
    caller_digits    TEXT NOT NULL DEFAULT '',
    taker_id         TEXT NOT NULL,
    station_id       TEXT NOT NULL,
    greeting_text    TEXT NOT NULL,
    greeting_at      TEXT,
    repeat_of        INTEGER REFERENCES calls (id),
    notes            TEXT NOT NULL DEFAULT '',
    disposition      TEXT,
    -- Comma-separated element keys missing when the close was confirmed.
    missing_at_close TEXT NOT NULL DEFAULT ''
);
CREATE INDEX calls_by_ring_at ON calls (ring_at);
CREATE INDEX calls_by_caller ON calls (caller_digits, ring_at) WHERE caller_digits <> '';
CREATE INDEX calls_open ON calls (state) WHERE state <> 'closed';

CREATE TABLE call_elements (
    call_id           INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    element           TEXT NOT NULL,
    value             TEXT NOT NULL DEFAULT '',
    state             TEXT NOT NULL,
    first_answered_at TEXT,
    PRIMARY KEY (call_id, element)
) WITHOUT ROWID;

CREATE TABLE call_situations (
    call_id INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    kind    TEXT NOT NULL,
    at      TEXT NOT NULL,
    PRIMARY KEY (call_id, kind)
) WITHOUT ROWID;

-- A later call (by_call_id) urging an earlier one (call_id), norm clause 3.
CREATE TABLE call_urges (
    call_id    INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    by_call_id INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    at         TEXT NOT NULL,
    PRIMARY KEY (call_id, by_call_id)
) WITHOUT ROWID;

CREATE TABLE call_referrals (
    call_id    INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    department TEXT NOT NULL,
    phone      TEXT NOT NULL,
    at         TEXT NOT NULL,
    PRIMARY KEY (call_id, department)
) WITHOUT ROWID;

CREATE TABLE complaints (
    call_id       INTEGER PRIMARY KEY REFERENCES calls (id) ON DELETE CASCADE,
    received_at   TEXT,
    name          TEXT NOT NULL DEFAULT '',
    address       TEXT NOT NULL DEFAULT '',
    work_unit     TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    what_happened TEXT NOT NULL DEFAULT '',
    subject       TEXT NOT NULL DEFAULT ''
);

-- Station settings as one JSON document per key.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
