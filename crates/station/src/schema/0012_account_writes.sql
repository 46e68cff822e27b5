-- Accounts are written only through jiejing_put_account (issue #12): from
-- a seat's login it takes a change only with the PIN proof (the argon2
-- hash the desk holds) of an active lead of the station, so holding a
-- seat's password is not enough to make oneself a lead. The first seat's
-- own accounts are taken until another seat has written one (a station
-- begins with the desk that had the accounts). The admin is not bound.
-- Returns 'taken', 'older' (a newer change stands) or 'refused'.
CREATE FUNCTION jiejing_put_account(
    p_id TEXT, p_name TEXT, p_role TEXT, p_active BOOLEAN, p_pin_hash TEXT,
    p_changed_at timestamptz, p_seat TEXT, p_lead TEXT, p_proof TEXT)
    RETURNS TEXT
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public
    AS $$
DECLARE
    s TEXT := jiejing_seat();
BEGIN
    IF s IS NOT NULL AND (
        s <> p_seat
        OR (EXISTS (SELECT 1 FROM accounts WHERE changed_by_seat <> s)
            AND NOT EXISTS (SELECT 1 FROM accounts
                            WHERE id = p_lead AND role = 'lead' AND active AND pin_hash = p_proof))) THEN
        RETURN 'refused';
    END IF;
    UPDATE accounts SET name = p_name, role = p_role, active = p_active, pin_hash = p_pin_hash,
                        changed_at = p_changed_at, changed_by_seat = p_seat
    WHERE id = p_id AND changed_at < p_changed_at;
    IF FOUND THEN
        RETURN 'taken';
    END IF;
    INSERT INTO accounts (id, name, role, active, pin_hash, changed_at, changed_by_seat)
    VALUES (p_id, p_name, p_role, p_active, p_pin_hash, p_changed_at, p_seat)
    ON CONFLICT (id) DO NOTHING;
    IF FOUND THEN
        RETURN 'taken';
    END IF;
    RETURN 'older';
END
$$;

REVOKE INSERT, UPDATE ON accounts FROM jiejing_desk;
GRANT EXECUTE ON FUNCTION jiejing_put_account(TEXT, TEXT, TEXT, BOOLEAN, TEXT, timestamptz, TEXT, TEXT, TEXT)
    TO jiejing_desk;
