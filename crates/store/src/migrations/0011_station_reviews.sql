-- QA reviews reach the station (issue #12): the lead's review screen spans
-- every seat, so a review of this desk's own call is shipped, and a lead
-- here may review another seat's call, kept here first like any change.

-- The queue learns reviews (rebuilt as in 0008, rows and order kept):
-- 'review' is this desk's review of its own call (ref: the call id),
-- 'seat_review' one of another seat's call (ref: seat_reviews.id).
CREATE TABLE station_outbox_new (
    seq  INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('call', 'audit', 'urge', 'followup', 'reply', 'account', 'correction', 'review', 'seat_review')),
    ref  INTEGER NOT NULL,
    UNIQUE (kind, ref)
);
INSERT INTO station_outbox_new (seq, kind, ref) SELECT seq, kind, ref FROM station_outbox;
DROP TABLE station_outbox;
ALTER TABLE station_outbox_new RENAME TO station_outbox;

-- Reviews this desk's leads made of other seats' calls: one per call (a
-- new review here replaces this desk's earlier one).
CREATE TABLE seat_reviews (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    seat        TEXT NOT NULL,
    call_id     INTEGER NOT NULL,
    reviewer    TEXT NOT NULL,
    reviewed_at TEXT NOT NULL,
    score       REAL,
    critical    INTEGER NOT NULL CHECK (critical IN (0, 1)),
    marks       TEXT NOT NULL,
    notes       TEXT NOT NULL,
    UNIQUE (seat, call_id)
);
