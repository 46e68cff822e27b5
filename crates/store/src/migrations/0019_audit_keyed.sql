-- The audit chain is keyed from here on (issue #16): each entry's hash is
-- an HMAC-SHA-256 under a key derived from the database key, so a chain
-- rewritten by anyone without that key (a copy of the station's rows, a
-- file edited with the key lost) no longer verifies. The entries written
-- before this migration keep their plain SHA-256: rewriting them would
-- break the heads already written down and the station's copy.
CREATE TABLE audit_keyed (
    from_id INTEGER NOT NULL
);
INSERT INTO audit_keyed (from_id) SELECT COALESCE(MAX(id), 0) + 1 FROM audit_log;
CREATE TRIGGER audit_keyed_no_update BEFORE UPDATE ON audit_keyed
BEGIN SELECT RAISE(ABORT, 'where the audit chain is keyed from is fixed'); END;
CREATE TRIGGER audit_keyed_no_delete BEFORE DELETE ON audit_keyed
BEGIN SELECT RAISE(ABORT, 'where the audit chain is keyed from is fixed'); END;
CREATE TRIGGER audit_keyed_one_row BEFORE INSERT ON audit_keyed
BEGIN SELECT RAISE(ABORT, 'where the audit chain is keyed from is fixed'); END;
