-- A call's recording (issue #15): the FLAC file beside the database, from
-- the first ring to the close. `seconds` and `bytes` are NULL while it is
-- being written; a desk that stopped in the middle finds it so at start
-- and measures what the file holds. Retention deletes the file and keeps
-- the row, with when it went (`purged_at`), so a lead sees that a call had
-- a recording and why it is gone.
CREATE TABLE call_recordings (
    call_id    INTEGER PRIMARY KEY REFERENCES calls(id),
    file       TEXT NOT NULL,
    started_at TEXT NOT NULL,
    channels   INTEGER NOT NULL CHECK (channels IN (1, 2)),
    seconds    REAL,
    bytes      INTEGER,
    purged_at  TEXT
);
CREATE INDEX call_recordings_started ON call_recordings (started_at) WHERE purged_at IS NULL;
