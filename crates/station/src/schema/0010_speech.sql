-- What was said in each call (issue #12), as its seat transcribed it: a
-- lead at another seat reviews the call with it. Written only by the
-- call's seat; read by that seat and a lead's session (as 0009).
CREATE TABLE speech (
    seat    TEXT NOT NULL REFERENCES seats (seat),
    call_id BIGINT NOT NULL,
    n       INTEGER NOT NULL,
    -- The desk's SpeechSegment as JSON.
    doc     JSONB NOT NULL,
    PRIMARY KEY (seat, call_id, n)
);

GRANT SELECT, INSERT, UPDATE ON speech TO jiejing_desk;
ALTER TABLE speech ENABLE ROW LEVEL SECURITY;
CREATE POLICY speech_read ON speech FOR SELECT
    USING (seat = (SELECT jiejing_seat()) OR (SELECT jiejing_lead()));
CREATE POLICY speech_insert ON speech FOR INSERT WITH CHECK (seat = jiejing_seat());
CREATE POLICY speech_update ON speech FOR UPDATE USING (seat = jiejing_seat());
