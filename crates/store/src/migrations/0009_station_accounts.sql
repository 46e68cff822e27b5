-- Accounts belong to the station (issue #12): a call-taker signs in at any
-- seat. An account change made at this desk is queued like any other
-- change; the station's accounts are copied here when someone signs in, so
-- whoever has signed in at this seat before still can while it is offline.

-- The queue learns accounts (rebuilt as in 0008, rows and order kept).
CREATE TABLE station_outbox_new (
    seq  INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('call', 'audit', 'urge', 'followup', 'reply', 'account')),
    ref  INTEGER NOT NULL,
    UNIQUE (kind, ref)
);
INSERT INTO station_outbox_new (seq, kind, ref) SELECT seq, kind, ref FROM station_outbox;
DROP TABLE station_outbox;
ALTER TABLE station_outbox_new RENAME TO station_outbox;

-- When an account last changed: the newer of two changes stands.
ALTER TABLE users ADD COLUMN changed_at TEXT;
UPDATE users SET changed_at = created_at;

-- An account's place in the queue (users are keyed by text; the queue by
-- number): replaced on each change.
CREATE TABLE account_changes (
    n       INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL UNIQUE REFERENCES users (id)
);
