-- The lead's random sample across seats (issue #12): calls drawn into the
-- review queue at the station, whichever seat took them and whichever
-- seat's lead drew them. A call is drawn once.
CREATE TABLE samples (
    seat     TEXT NOT NULL,
    call_id  BIGINT NOT NULL,
    by_seat  TEXT NOT NULL REFERENCES seats (seat),
    drawn_by TEXT NOT NULL,
    at       timestamptz NOT NULL,
    PRIMARY KEY (seat, call_id)
);

GRANT SELECT, INSERT ON samples TO jiejing_desk;
ALTER TABLE samples ENABLE ROW LEVEL SECURITY;
CREATE POLICY samples_read ON samples FOR SELECT USING (true);
CREATE POLICY samples_insert ON samples FOR INSERT WITH CHECK (by_seat = jiejing_seat());
