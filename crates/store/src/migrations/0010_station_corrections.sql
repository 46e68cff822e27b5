-- A lead's corrections of a closed call can come from any seat (issue #12).
-- The call's own seat stays its one writer: a correction made at another
-- seat is kept here first, shipped through the queue, and applied by the
-- call's seat when it pulls it back, in the order the station received it.

-- The queue learns corrections (rebuilt as in 0008, rows and order kept).
CREATE TABLE station_outbox_new (
    seq  INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('call', 'audit', 'urge', 'followup', 'reply', 'account', 'correction')),
    ref  INTEGER NOT NULL,
    UNIQUE (kind, ref)
);
INSERT INTO station_outbox_new (seq, kind, ref) SELECT seq, kind, ref FROM station_outbox;
DROP TABLE station_outbox;
ALTER TABLE station_outbox_new RENAME TO station_outbox;

-- Corrections this desk's lead made to other seats' calls. `old` is the
-- value the lead saw: the station records a conflict when the call held
-- something else by the time this one landed.
CREATE TABLE station_corrections (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    seat    TEXT NOT NULL,
    call_id INTEGER NOT NULL,
    field   TEXT NOT NULL,
    old     TEXT NOT NULL,
    new     TEXT NOT NULL,
    actor   TEXT NOT NULL,
    at      TEXT NOT NULL
);

-- Other seats' corrections to this seat's calls are pulled back and
-- applied here; this is the last one applied.
ALTER TABLE station_link ADD COLUMN corrections_pulled_to INTEGER NOT NULL DEFAULT 0;
