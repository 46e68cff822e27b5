-- Rings heard by the detector (three-ring rule), and calls that rang out
-- with nobody answering.
ALTER TABLE calls ADD COLUMN missed INTEGER NOT NULL DEFAULT 0 CHECK (missed IN (0, 1));

CREATE TABLE call_rings (
    call_id   INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    n         INTEGER NOT NULL CHECK (n >= 1),
    onset_at  TEXT NOT NULL,
    offset_at TEXT NOT NULL,
    PRIMARY KEY (call_id, n)
) WITHOUT ROWID;
