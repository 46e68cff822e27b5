-- Joining a station (issue #12). Every change is still committed here first;
-- in the same transaction it is queued for the station's PostgreSQL, and a
-- background worker ships the queue in order.

-- One row while this desk is joined to a station.
CREATE TABLE station_link (
    one          INTEGER PRIMARY KEY CHECK (one = 1),
    url          TEXT NOT NULL,
    seat         TEXT NOT NULL,
    -- This desk's random id: the station refuses a second desk that
    -- claims a seat already held, whose call ids would collide.
    desk_id      TEXT NOT NULL,
    joined_at    TEXT NOT NULL,
    last_sync_at TEXT,
    -- Since when the station could not be reached ('' while it can).
    offline_since TEXT,
    last_error   TEXT NOT NULL DEFAULT ''
);

-- What the station has not got yet: one row per changed record, replaced
-- (with a new seq) on every change, so the queue holds each record once, in
-- the order of its latest change, and a call typed into 200 times while the
-- link was down is shipped once. The worker sends the record as it is now.
CREATE TABLE station_outbox (
    seq  INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('call', 'audit', 'urge')),
    ref  INTEGER NOT NULL,
    UNIQUE (kind, ref)
);

-- Each save of a call bumps its revision. The station keeps a call only
-- when the revision is newer than the one it has, so a repeated or late
-- push (a crash before the ack, two workers) never writes older content.
ALTER TABLE calls ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;

-- A repeat of a call that another seat took, found at the station: the
-- earlier call is kept as the station had it (JSON of jiejing_core::Call),
-- so this call shows it after a restart or while offline, and the urge is
-- shipped to the station, where it is recorded on the earlier call.
CREATE TABLE station_repeats (
    call_id    INTEGER PRIMARY KEY REFERENCES calls (id),
    seat       TEXT NOT NULL,
    earlier_id INTEGER NOT NULL,
    earlier    TEXT NOT NULL,
    at         TEXT NOT NULL
);
