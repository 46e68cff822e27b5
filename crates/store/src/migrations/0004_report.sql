-- Figures a shift lead's report reads for every call in a week, kept on
-- the call row (written with the call) so a report over a year of calls
-- reads one indexed range of one table.
ALTER TABLE calls ADD COLUMN rings_before_answer INTEGER; -- NULL: no rings heard
ALTER TABLE calls ADD COLUMN answer_ms INTEGER;           -- first ring (or F2) to answer
ALTER TABLE calls ADD COLUMN elements_done INTEGER NOT NULL DEFAULT 0;

UPDATE calls SET
    elements_done = (SELECT count(*) FROM call_elements e
                     WHERE e.call_id = calls.id AND e.state IN ('answered', 'not_applicable')),
    answer_ms = CASE WHEN answered_at IS NULL THEN NULL
                     ELSE CAST(round((julianday(answered_at) - julianday(ring_at)) * 86400000) AS INTEGER) END,
    rings_before_answer = CASE WHEN NOT EXISTS (SELECT 1 FROM call_rings r WHERE r.call_id = calls.id) THEN NULL
                     ELSE (SELECT count(*) FROM call_rings r WHERE r.call_id = calls.id
                           AND (calls.answered_at IS NULL OR r.onset_at < calls.answered_at)) END;

CREATE INDEX calls_by_taker ON calls (taker_id, ring_at);
