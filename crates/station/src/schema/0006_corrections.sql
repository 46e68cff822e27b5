-- A lead's correction of a closed call made at another seat than the
-- call's (issue #12). The call's seat stays its one writer: it pulls these
-- back in order (`n`) and applies them to its record. A correction carries
-- the value its lead saw (`old`); one that lands when the station holds
-- something else is kept and recorded in `conflicts` for the lead.
CREATE TABLE corrections (
    n           BIGSERIAL PRIMARY KEY,
    origin      TEXT NOT NULL UNIQUE,
    seat        TEXT NOT NULL,
    call_id     BIGINT NOT NULL,
    by_seat     TEXT NOT NULL REFERENCES seats (seat),
    field       TEXT NOT NULL,
    old         TEXT NOT NULL,
    new         TEXT NOT NULL,
    actor       TEXT NOT NULL,
    at          timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX corrections_of_call ON corrections (seat, call_id, field, n);

GRANT SELECT, INSERT ON corrections TO jiejing_desk;
GRANT USAGE ON SEQUENCE corrections_n_seq TO jiejing_desk;
ALTER TABLE corrections ENABLE ROW LEVEL SECURITY;
CREATE POLICY corrections_read ON corrections FOR SELECT USING (true);
CREATE POLICY corrections_insert ON corrections FOR INSERT WITH CHECK (by_seat = jiejing_seat());
