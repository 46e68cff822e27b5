-- Recordings reach the station (issue #15): a lead at another seat hears
-- a call even when the desk that took it is switched off, so the finished
-- file is shipped, not served from the desk. The queue learns 'recording'
-- (ref: the call id); a recording deleted by retention is queued again so
-- the station deletes its copy too.
CREATE TABLE station_outbox_new (
    seq  INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('call', 'audit', 'urge', 'followup', 'reply', 'account', 'correction', 'review', 'seat_review', 'speech', 'recording')),
    ref  INTEGER NOT NULL,
    UNIQUE (kind, ref)
);
INSERT INTO station_outbox_new (seq, kind, ref) SELECT seq, kind, ref FROM station_outbox;
DROP TABLE station_outbox;
ALTER TABLE station_outbox_new RENAME TO station_outbox;

INSERT OR IGNORE INTO station_outbox (kind, ref)
    SELECT 'recording', call_id FROM call_recordings
    WHERE seconds IS NOT NULL AND EXISTS (SELECT 1 FROM station_link);
