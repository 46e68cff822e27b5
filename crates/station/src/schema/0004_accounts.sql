-- Accounts of the whole station (issue #12): written by a lead at any seat,
-- read at sign-in by every seat. Of two changes to one account the newer
-- stands; the older one is recorded in `conflicts`, not dropped unseen.
CREATE TABLE accounts (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    role            TEXT NOT NULL,
    active          BOOLEAN NOT NULL,
    pin_hash        TEXT NOT NULL,
    changed_at      timestamptz NOT NULL,
    changed_by_seat TEXT NOT NULL
);

GRANT SELECT, INSERT, UPDATE ON accounts TO jiejing_desk;
ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY accounts_read ON accounts FOR SELECT USING (true);
CREATE POLICY accounts_insert ON accounts FOR INSERT WITH CHECK (changed_by_seat = jiejing_seat());
CREATE POLICY accounts_update ON accounts FOR UPDATE USING (true) WITH CHECK (changed_by_seat = jiejing_seat());
