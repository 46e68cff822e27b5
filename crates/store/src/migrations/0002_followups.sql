-- Complaint follow-ups (norm clause 7): one per complaint call.
ALTER TABLE complaints ADD COLUMN misconduct_now INTEGER NOT NULL DEFAULT 0;

CREATE TABLE followups (
    id            INTEGER PRIMARY KEY,
    call_id       INTEGER NOT NULL UNIQUE REFERENCES calls (id),
    received_at   TEXT NOT NULL,
    -- The due day in the station's time zone, YYYY-MM-DD.
    due_date      TEXT NOT NULL,
    due_at        TEXT NOT NULL,
    provisional   INTEGER NOT NULL,
    -- Comma-separated years whose official schedule was missing.
    missing_years TEXT NOT NULL DEFAULT '',
    working_days  INTEGER NOT NULL,
    closed_at     TEXT
);
CREATE INDEX followups_open ON followups (due_at) WHERE closed_at IS NULL;

CREATE TABLE followup_replies (
    id          INTEGER PRIMARY KEY,
    followup_id INTEGER NOT NULL REFERENCES followups (id),
    at          TEXT NOT NULL,
    by          TEXT NOT NULL,
    method      TEXT NOT NULL CHECK (method IN ('phone', 'sms', 'in_person', 'letter')),
    content     TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    closes      INTEGER NOT NULL
);

CREATE TABLE followup_log (
    id          INTEGER PRIMARY KEY,
    followup_id INTEGER NOT NULL REFERENCES followups (id),
    at          TEXT NOT NULL,
    what        TEXT NOT NULL
);
