-- Complaint follow-ups belong to the station (issue #12): every seat sees
-- what is due, and any seat can record the reply.

-- The queue learns two new kinds of record. SQLite cannot change a CHECK,
-- so the table is rebuilt with its rows (and their order) kept.
CREATE TABLE station_outbox_new (
    seq  INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('call', 'audit', 'urge', 'followup', 'reply')),
    ref  INTEGER NOT NULL,
    UNIQUE (kind, ref)
);
INSERT INTO station_outbox_new (seq, kind, ref) SELECT seq, kind, ref FROM station_outbox;
DROP TABLE station_outbox;
ALTER TABLE station_outbox_new RENAME TO station_outbox;

-- Each save of a follow-up bumps its revision, as calls do.
ALTER TABLE followups ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;

-- A reply recorded at another seat carries its global id there, so it is
-- applied here once and recognised at the station when this seat ships it.
ALTER TABLE followup_replies ADD COLUMN origin TEXT;
CREATE UNIQUE INDEX followup_replies_by_origin ON followup_replies (origin) WHERE origin IS NOT NULL;

-- Replies this desk recorded to another seat's follow-up: kept here first
-- (crash safe, link down or not) and shipped through the queue. `seen` is
-- how many replies the call-taker saw: the station records a conflict when
-- it holds more by the time this one lands.
CREATE TABLE station_replies (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    seat        TEXT NOT NULL,
    followup_id INTEGER NOT NULL,
    seen        INTEGER NOT NULL,
    reply       TEXT NOT NULL,
    at          TEXT NOT NULL
);

-- The station's replies to this seat's follow-ups, from other seats, are
-- pulled back and applied here; this is the last one applied.
ALTER TABLE station_link ADD COLUMN replies_pulled_to INTEGER NOT NULL DEFAULT 0;
