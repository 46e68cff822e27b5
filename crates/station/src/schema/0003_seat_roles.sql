-- Each seat logs in as its own PostgreSQL role (issue #12), made by
-- `jiejing station add-seat`. Row-level security lets a seat's role write
-- only its own seat's rows; the admin who owns the tables is not bound.
-- Reads stay open to every seat: the repeat lookup (norm clause 3) and the
-- follow-up queue are a call-taker's work across seats.

-- Which seat a login is; read by the policies through jiejing_seat().
CREATE TABLE seat_roles (
    role NAME PRIMARY KEY,
    seat TEXT NOT NULL UNIQUE
);

-- The seat of the session's login (NULL for a login that is no seat).
CREATE FUNCTION jiejing_seat() RETURNS TEXT
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
    AS $$ SELECT seat FROM seat_roles WHERE role = session_user $$;

-- The group every seat's role belongs to: cluster-wide, so made once.
DO $$ BEGIN
    CREATE ROLE jiejing_desk NOLOGIN;
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;

GRANT USAGE ON SCHEMA public TO jiejing_desk;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO jiejing_desk;
GRANT INSERT, UPDATE ON seats, calls, urges, audit, followups, followup_replies, conflicts TO jiejing_desk;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO jiejing_desk;
GRANT EXECUTE ON FUNCTION jiejing_seat() TO jiejing_desk;

ALTER TABLE seats ENABLE ROW LEVEL SECURITY;
CREATE POLICY seats_read ON seats FOR SELECT USING (true);
CREATE POLICY seats_claim ON seats FOR INSERT WITH CHECK (seat = jiejing_seat());
CREATE POLICY seats_own ON seats FOR UPDATE USING (seat = jiejing_seat());

ALTER TABLE calls ENABLE ROW LEVEL SECURITY;
CREATE POLICY calls_read ON calls FOR SELECT USING (true);
CREATE POLICY calls_insert ON calls FOR INSERT WITH CHECK (seat = jiejing_seat());
CREATE POLICY calls_update ON calls FOR UPDATE USING (seat = jiejing_seat());

ALTER TABLE audit ENABLE ROW LEVEL SECURITY;
CREATE POLICY audit_read ON audit FOR SELECT USING (true);
CREATE POLICY audit_insert ON audit FOR INSERT WITH CHECK (seat = jiejing_seat());

ALTER TABLE followups ENABLE ROW LEVEL SECURITY;
CREATE POLICY followups_read ON followups FOR SELECT USING (true);
CREATE POLICY followups_insert ON followups FOR INSERT WITH CHECK (seat = jiejing_seat());
CREATE POLICY followups_update ON followups FOR UPDATE USING (seat = jiejing_seat());

-- Rows a seat writes about another seat's record carry the writer's seat.
ALTER TABLE urges ENABLE ROW LEVEL SECURITY;
CREATE POLICY urges_read ON urges FOR SELECT USING (true);
CREATE POLICY urges_insert ON urges FOR INSERT WITH CHECK (by_seat = jiejing_seat());

ALTER TABLE followup_replies ENABLE ROW LEVEL SECURITY;
CREATE POLICY replies_read ON followup_replies FOR SELECT USING (true);
CREATE POLICY replies_insert ON followup_replies FOR INSERT WITH CHECK (from_seat = jiejing_seat());

ALTER TABLE conflicts ENABLE ROW LEVEL SECURITY;
CREATE POLICY conflicts_read ON conflicts FOR SELECT USING (true);
CREATE POLICY conflicts_insert ON conflicts FOR INSERT WITH CHECK (from_seat = jiejing_seat());
