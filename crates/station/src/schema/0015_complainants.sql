-- Complainants' details reach only the seats that may show them (issue
-- #16). The follow-up queue is every seat's (norm clause 7), but a seat's
-- login now reads another seat's follow-ups with the complainant's name,
-- address, work unit, phone, account of what happened and subject blanked,
-- and what replies said (content) blanked, unless a lead's session is on.
-- Its own seat's follow-ups, and replies to them, it reads whole. The desk
-- blanks the same for anyone but leads and the call's own taker; now the
-- details are not even sent to a seat that may not show them.
--
-- The tables' documents are no longer readable by seats directly: the
-- views below (owned by the station's administrator, so they read the
-- documents) hand them out as the rule says. The other columns stay
-- readable, for the report and the log.

CREATE FUNCTION jiejing_blank_replies(p_replies JSONB) RETURNS JSONB
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT coalesce((SELECT jsonb_agg(r || '{"content": ""}'::jsonb ORDER BY i)
                     FROM jsonb_array_elements(p_replies) WITH ORDINALITY AS x(r, i)), '[]'::jsonb)
    $$;

CREATE VIEW followups_shown AS
    SELECT seat, id, call_id, rev, due_at, closed_at, received_at,
           CASE WHEN seat = jiejing_seat() OR jiejing_reads_all() THEN doc
                ELSE jsonb_set(
                    jsonb_set(doc, '{complaint}', coalesce(doc->'complaint', '{}'::jsonb)
                        || '{"name": "", "address": "", "workUnit": "", "phone": "", "whatHappened": "", "subject": ""}'::jsonb),
                    '{replies}', jiejing_blank_replies(coalesce(doc->'replies', '[]'::jsonb)))
           END AS doc
    FROM followups;

CREATE VIEW followup_replies_shown AS
    SELECT n, origin, seat, followup_id, from_seat, seen, at,
           CASE WHEN seat = jiejing_seat() OR from_seat = jiejing_seat() OR jiejing_reads_all() THEN doc
                ELSE doc || '{"content": ""}'::jsonb
           END AS doc
    FROM followup_replies;

REVOKE SELECT ON followups, followup_replies FROM jiejing_desk;
GRANT SELECT (seat, id, call_id, rev, due_at, closed_at, received_at) ON followups TO jiejing_desk;
GRANT SELECT (n, origin, seat, followup_id, from_seat, seen, at) ON followup_replies TO jiejing_desk;
GRANT SELECT ON followups_shown, followup_replies_shown TO jiejing_desk;
