-- What the desk heard during a call (issue #6): one row per utterance, as
-- transcribed and normalised, with the suggestions drawn from it (JSON, see
-- jiejing_core::Suggestions). Kept with the call; never sent anywhere.
CREATE TABLE call_speech (
    call_id     INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    n           INTEGER NOT NULL CHECK (n >= 1),
    start_at    TEXT NOT NULL,
    end_at      TEXT NOT NULL,
    text        TEXT NOT NULL,
    greeting    INTEGER NOT NULL DEFAULT 0 CHECK (greeting IN (0, 1)),
    suggestions TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (call_id, n)
) WITHOUT ROWID;
