-- The lead's figures read a week or a month of every seat's calls: at 50
-- seats × a year (5 million calls) a week is 96,000 of them, and reading
-- each from its row (with its 2 KB of JSON) took 1.9 s (scale benchmark).
-- The columns the report reads ride along in this index, so PostgreSQL
-- answers from the index alone once vacuum has seen the rows.
CREATE INDEX calls_for_report ON calls (ring_at)
    INCLUDE (taker_id, answer_ms, rings_before_answer, elements_done, greeted, state, missed, disposition);
