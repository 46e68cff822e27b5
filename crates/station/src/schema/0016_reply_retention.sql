-- Retention reaches replies other seats recorded (issue #16). A follow-up's
-- own seat de-identifies it, with what every reply said (＊), and sends it
-- again; but a reply recorded at another seat also lives in a row of its
-- own (followup_replies), which the own seat cannot write. So when a seat's
-- follow-up arrives with a reply's words removed, the station removes them
-- from that reply's row too, as its owner. A seat can only do this to
-- replies to its own follow-ups, whose record it already holds whole.
CREATE FUNCTION jiejing_replies_follow_retention() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public
    AS $$
BEGIN
    UPDATE followup_replies r
       SET doc = r.doc || jsonb_build_object('content', x.r->'content', 'outcome', x.r->'outcome')
      FROM jsonb_array_elements(coalesce(NEW.doc->'replies', '[]'::jsonb)) AS x(r)
     WHERE r.seat = NEW.seat AND r.followup_id = NEW.id
       AND r.origin = x.r->>'origin'
       AND x.r->>'content' = '＊'
       AND r.doc->>'content' IS DISTINCT FROM '＊';
    RETURN NEW;
END
$$;

CREATE TRIGGER followups_replies_retention
    AFTER INSERT OR UPDATE OF doc ON followups
    FOR EACH ROW EXECUTE FUNCTION jiejing_replies_follow_retention();
