-- Transcripts reach the station (issue #12): a lead at another seat
-- reviews a call with what was said in it. The queue learns 'speech' (ref:
-- the call id; the whole transcript goes, so a new utterance re-queues it).
-- At the station only the call's seat and a lead's session read it.
CREATE TABLE station_outbox_new (
    seq  INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('call', 'audit', 'urge', 'followup', 'reply', 'account', 'correction', 'review', 'seat_review', 'speech')),
    ref  INTEGER NOT NULL,
    UNIQUE (kind, ref)
);
INSERT INTO station_outbox_new (seq, kind, ref) SELECT seq, kind, ref FROM station_outbox;
DROP TABLE station_outbox;
ALTER TABLE station_outbox_new RENAME TO station_outbox;

-- A desk joined before this version ships the transcripts it already has.
INSERT OR IGNORE INTO station_outbox (kind, ref)
    SELECT DISTINCT 'speech', call_id FROM call_speech
    WHERE EXISTS (SELECT 1 FROM station_link);
