-- Complaint follow-ups across seats (issue #12): every seat sees what is
-- due, any seat records the reply, and crossed edits are kept as conflicts
-- for the lead rather than lost.

-- A follow-up as its seat last saved it (jiejing_core::FollowUp as JSON,
-- with the replies that seat holds), replaced only by a newer revision.
CREATE TABLE followups (
    seat        TEXT NOT NULL REFERENCES seats (seat),
    id          BIGINT NOT NULL,
    call_id     BIGINT NOT NULL,
    rev         BIGINT NOT NULL,
    doc         JSONB NOT NULL,
    due_at      timestamptz NOT NULL,
    closed_at   timestamptz,
    received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (seat, id)
);
CREATE INDEX followups_open ON followups (due_at) WHERE closed_at IS NULL;

-- A reply recorded at another seat (from_seat) to the follow-up (seat, id).
-- `origin` is its global id, so a reply pushed twice lands once; `n` orders
-- them for the follow-up's own seat, which pulls them back.
CREATE TABLE followup_replies (
    n           BIGSERIAL PRIMARY KEY,
    origin      TEXT NOT NULL UNIQUE,
    seat        TEXT NOT NULL,
    followup_id BIGINT NOT NULL,
    from_seat   TEXT NOT NULL REFERENCES seats (seat),
    -- How many replies the writer saw.
    seen        INTEGER NOT NULL,
    doc         JSONB NOT NULL,
    at          timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX followup_replies_by_followup ON followup_replies (seat, followup_id);

-- An edit that crossed another: both are kept, and this row tells the lead.
CREATE TABLE conflicts (
    n         BIGSERIAL PRIMARY KEY,
    seat      TEXT NOT NULL,
    kind      TEXT NOT NULL,
    ref       BIGINT NOT NULL,
    from_seat TEXT NOT NULL,
    detail    TEXT NOT NULL,
    at        timestamptz NOT NULL DEFAULT clock_timestamp()
);
