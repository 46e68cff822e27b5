-- Calls' recordings (issue #15), shipped by the seat that took the call
-- once it is finished, so a lead at any seat hears it while that desk is
-- off. FLAC as the desk wrote it (lossless, ~60 MB per hour of calls).
-- Retention at the desk deletes the audio here too (the row stays, with
-- when). Written only by the call's seat; read by that seat and a lead's
-- session (as 0009).
CREATE TABLE recordings (
    seat       TEXT NOT NULL REFERENCES seats (seat),
    call_id    BIGINT NOT NULL,
    started_at TIMESTAMPTZ NOT NULL,
    seconds    DOUBLE PRECISION NOT NULL,
    channels   SMALLINT NOT NULL,
    flac       BYTEA,
    purged_at  TIMESTAMPTZ,
    PRIMARY KEY (seat, call_id)
);
-- The audio is already compressed: stored as is, out of line, not
-- compressed again.
ALTER TABLE recordings ALTER COLUMN flac SET STORAGE EXTERNAL;

GRANT SELECT, INSERT, UPDATE ON recordings TO jiejing_desk;
ALTER TABLE recordings ENABLE ROW LEVEL SECURITY;
CREATE POLICY recordings_read ON recordings FOR SELECT
    USING (seat = (SELECT jiejing_seat()) OR (SELECT jiejing_lead()));
CREATE POLICY recordings_insert ON recordings FOR INSERT WITH CHECK (seat = jiejing_seat());
CREATE POLICY recordings_update ON recordings FOR UPDATE USING (seat = jiejing_seat());
