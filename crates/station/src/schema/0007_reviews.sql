-- QA reviews of every seat's calls (issue #12), by the lead at any seat:
-- one row per call and reviewing seat, so two seats' reviews of one call are
-- both kept (the newer shows; the second is recorded in `conflicts`).
CREATE TABLE reviews (
    seat     TEXT NOT NULL,
    call_id  BIGINT NOT NULL,
    by_seat  TEXT NOT NULL REFERENCES seats (seat),
    reviewer TEXT NOT NULL,
    at       timestamptz NOT NULL,
    score    DOUBLE PRECISION,
    critical BOOLEAN NOT NULL,
    -- The checklist marks and the notes, as the desk's Review holds them.
    doc      JSONB NOT NULL,
    PRIMARY KEY (seat, call_id, by_seat)
);

GRANT SELECT, INSERT, UPDATE ON reviews TO jiejing_desk;
ALTER TABLE reviews ENABLE ROW LEVEL SECURITY;
CREATE POLICY reviews_read ON reviews FOR SELECT USING (true);
CREATE POLICY reviews_insert ON reviews FOR INSERT WITH CHECK (by_seat = jiejing_seat());
CREATE POLICY reviews_update ON reviews FOR UPDATE USING (by_seat = jiejing_seat());
