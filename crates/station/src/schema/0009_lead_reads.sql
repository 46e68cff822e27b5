-- Only a shift lead's session reads across seats (issue #12). A seat's
-- login reads its own seat's calls, audit, reviews and corrections; another
-- seat's only while a lead has signed in at that seat, which the server
-- checks itself: the PIN proof is compared here, and the session token it
-- hands out is good only for the login that asked, until sign-out or the
-- end of a shift. A seat's login can no longer read PIN hashes, so holding
-- a seat's password is not enough to become a lead.
--
-- What a call-taker needs across seats stays open, narrowly: the repeat
-- lookup by caller number (norm clause 3) through jiejing_repeat_call, and
-- the complaint follow-up queue (clause 7).
--
-- The admin who owns the tables is not bound (a station admin reads all).

-- Lead sessions by the SHA-256 of their token; seats have no grant on it.
CREATE TABLE lead_sessions (
    token_hash BYTEA PRIMARY KEY,
    login      NAME NOT NULL,
    account    TEXT NOT NULL,
    expires_at timestamptz NOT NULL
);

-- Whether this session carries a live lead token (set by the desk with
-- set_config('jiejing.lead', token, false) after jiejing_sign_in).
CREATE FUNCTION jiejing_lead() RETURNS BOOLEAN
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
    AS $$
    SELECT EXISTS (
        SELECT 1 FROM lead_sessions
        WHERE token_hash = sha256(convert_to(coalesce(current_setting('jiejing.lead', true), ''), 'UTF8'))
          AND login = session_user AND expires_at > now())
    $$;

-- Whether this session reads every seat: the admin, or a lead's session.
CREATE FUNCTION jiejing_reads_all() RETURNS BOOLEAN
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
    AS $$ SELECT jiejing_seat() IS NULL OR jiejing_lead() $$;

-- The account's PIN hash parameters and salt (the PHC string without its
-- hash), for the desk to compute the proof; NULL for an unknown account.
CREATE FUNCTION jiejing_pin_salt(p_id TEXT) RETURNS TEXT
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
    AS $$ SELECT substring(pin_hash FROM '^(.*)\$[^$]*$') FROM accounts WHERE id = p_id $$;

-- Signs in: the account as the station holds it and whether the proof (the
-- PIN's full PHC hash) matched; for an active lead that matched, a token.
-- No row: the station does not know the account.
CREATE FUNCTION jiejing_sign_in(p_id TEXT, p_proof TEXT)
    RETURNS TABLE (name TEXT, role TEXT, active BOOLEAN, changed_at timestamptz, matched BOOLEAN, token TEXT)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public
    AS $$
DECLARE
    a accounts;
    t TEXT;
BEGIN
    SELECT * INTO a FROM accounts WHERE accounts.id = p_id;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    IF a.pin_hash = p_proof AND a.active AND a.role = 'lead' AND jiejing_seat() IS NOT NULL THEN
        -- gen_random_uuid draws from the server's strong random source.
        t := replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '');
        DELETE FROM lead_sessions WHERE expires_at < now();
        INSERT INTO lead_sessions VALUES
            (sha256(convert_to(t, 'UTF8')), session_user, a.id, now() + interval '12 hours');
    END IF;
    RETURN QUERY SELECT a.name, a.role, a.active, a.changed_at, a.pin_hash = p_proof, t;
END
$$;

CREATE FUNCTION jiejing_sign_out(p_token TEXT) RETURNS VOID
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public
    AS $$
    DELETE FROM lead_sessions
    WHERE token_hash = sha256(convert_to(coalesce(p_token, ''), 'UTF8')) AND login = session_user
    $$;

-- The repeat lookup (norm clause 3) for any seat: the newest call from
-- these digits since `p_since`, other than the asking call, with the urges
-- other seats recorded on it.
CREATE FUNCTION jiejing_repeat_call(p_digits TEXT, p_since timestamptz, p_seat TEXT, p_id BIGINT)
    RETURNS TABLE (seat TEXT, doc JSONB, hash TEXT, urged_by JSONB)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
    AS $$
    SELECT c.seat, c.doc, c.hash,
           coalesce((SELECT jsonb_agg(jsonb_build_array(u.by_seat, u.by_call_id, u.at) ORDER BY u.at)
                     FROM urges u WHERE u.seat = c.seat AND u.call_id = c.id), '[]')
    FROM calls c
    -- caller_digits <> '' lets the planner use calls_by_caller (a partial
    -- index) with a parameter: without it, 4 s a lookup at 5 million calls.
    WHERE c.caller_digits = p_digits AND c.caller_digits <> '' AND c.ring_at >= p_since
      AND NOT (c.seat = p_seat AND c.id = p_id)
    ORDER BY c.ring_at DESC, c.seat, c.id DESC LIMIT 1
    $$;

-- Which seats reviewed a call: the review push records a second review as
-- a conflict without reading the other seats' reviews themselves.
CREATE FUNCTION jiejing_reviewed_by(p_seat TEXT, p_call BIGINT) RETURNS TEXT[]
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
    AS $$ SELECT coalesce(array_agg(by_seat ORDER BY by_seat), '{}') FROM reviews WHERE seat = p_seat AND call_id = p_call $$;

-- A correction's check (see corrections.rs), done here because the seat
-- that pushes it may not read the call: what the station held for the item
-- just before it landed, the newest other correction that landed after the
-- call's last push, else the call's own value. A difference is recorded
-- as `correction_crossed`.
CREATE FUNCTION jiejing_correction_check() RETURNS TRIGGER
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public
    AS $$
DECLARE
    c calls;
    held TEXT;
BEGIN
    SELECT * INTO c FROM calls WHERE calls.seat = NEW.seat AND calls.id = NEW.call_id;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    SELECT k.new INTO held FROM corrections k
    WHERE k.seat = NEW.seat AND k.call_id = NEW.call_id AND k.field = NEW.field
      AND k.origin <> NEW.origin AND k.received_at > c.received_at
    ORDER BY k.n DESC LIMIT 1;
    IF NOT FOUND THEN
        IF NEW.field = 'notes' THEN
            held := coalesce(c.doc->>'notes', '');
        ELSE
            SELECT coalesce(e->>'value', '') INTO held
            FROM jsonb_array_elements(c.doc->'elements') e WHERE e->>'key' = NEW.field;
        END IF;
    END IF;
    IF held IS DISTINCT FROM NEW.old THEN
        INSERT INTO conflicts (seat, kind, ref, from_seat, detail) VALUES (
            NEW.seat, 'correction_crossed', NEW.call_id, NEW.by_seat,
            format('seat %s (%s) corrected %s of call %s from %s to %s, but the station held %s by then',
                   NEW.by_seat, NEW.actor, NEW.field, NEW.call_id,
                   to_json(NEW.old), to_json(NEW.new), to_json(held)));
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER corrections_check AFTER INSERT ON corrections
    FOR EACH ROW EXECUTE FUNCTION jiejing_correction_check();

GRANT EXECUTE ON FUNCTION jiejing_lead(), jiejing_reads_all(), jiejing_pin_salt(TEXT),
    jiejing_sign_in(TEXT, TEXT), jiejing_sign_out(TEXT),
    jiejing_repeat_call(TEXT, timestamptz, TEXT, BIGINT), jiejing_reviewed_by(TEXT, BIGINT)
    TO jiejing_desk;

-- The PIN hash leaves the server only through jiejing_sign_in's comparison.
REVOKE SELECT ON accounts FROM jiejing_desk;
GRANT SELECT (id, name, role, active, changed_at, changed_by_seat) ON accounts TO jiejing_desk;

-- Reads: this seat's rows, or every seat's for a lead's session. The
-- sub-selects run once per query, not once per row.
DROP POLICY calls_read ON calls;
CREATE POLICY calls_read ON calls FOR SELECT
    USING (seat = (SELECT jiejing_seat()) OR (SELECT jiejing_lead()));

DROP POLICY audit_read ON audit;
CREATE POLICY audit_read ON audit FOR SELECT
    USING (seat = (SELECT jiejing_seat()) OR (SELECT jiejing_lead()));

DROP POLICY urges_read ON urges;
CREATE POLICY urges_read ON urges FOR SELECT
    USING (seat = (SELECT jiejing_seat()) OR by_seat = (SELECT jiejing_seat()) OR (SELECT jiejing_lead()));

DROP POLICY reviews_read ON reviews;
CREATE POLICY reviews_read ON reviews FOR SELECT
    USING (seat = (SELECT jiejing_seat()) OR by_seat = (SELECT jiejing_seat()) OR (SELECT jiejing_lead()));

DROP POLICY corrections_read ON corrections;
CREATE POLICY corrections_read ON corrections FOR SELECT
    USING (seat = (SELECT jiejing_seat()) OR by_seat = (SELECT jiejing_seat()) OR (SELECT jiejing_lead()));

DROP POLICY samples_read ON samples;
CREATE POLICY samples_read ON samples FOR SELECT
    USING (seat = (SELECT jiejing_seat()) OR by_seat = (SELECT jiejing_seat()) OR (SELECT jiejing_lead()));

DROP POLICY conflicts_read ON conflicts;
CREATE POLICY conflicts_read ON conflicts FOR SELECT
    USING (seat = (SELECT jiejing_seat()) OR from_seat = (SELECT jiejing_seat()) OR (SELECT jiejing_lead()));
