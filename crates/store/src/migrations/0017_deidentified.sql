-- Personal-data retention (issue #16, PIPL): when a closed call's caller
-- data was removed, its figures kept.
ALTER TABLE calls ADD COLUMN deidentified_at TEXT;
CREATE INDEX calls_identified ON calls (ring_at) WHERE deidentified_at IS NULL AND state = 'closed';
