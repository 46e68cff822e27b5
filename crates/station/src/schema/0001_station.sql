-- The station (issue #12): every seat's calls, audit chains and cross-seat
-- urges in one PostgreSQL database. Desks write here only through their
-- outbox worker (idempotent upserts keyed by seat and the desk's own id),
-- and read here for repeat callers, review and reports across seats.

CREATE TABLE seats (
    seat            TEXT PRIMARY KEY,
    -- The desk that holds the seat (its random id): a second desk claiming
    -- the same seat is refused, since its call ids would collide.
    desk_id         TEXT NOT NULL,
    joined_at       timestamptz NOT NULL DEFAULT now(),
    last_push_at    timestamptz,
    -- The newest audit entry the seat has pushed: the station keeps every
    -- seat's chain head, so entries removed at the seat afterwards show.
    audit_head_id   BIGINT NOT NULL DEFAULT 0,
    audit_head_hash TEXT NOT NULL DEFAULT ''
);

-- A call as its seat last saved it: the whole record as JSON (the desk's
-- jiejing_core::Call) and, beside it, the columns the station's lists,
-- reports and the repeat lookup read.
CREATE TABLE calls (
    seat                TEXT NOT NULL REFERENCES seats (seat),
    id                  BIGINT NOT NULL,
    rev                 BIGINT NOT NULL,
    hash                TEXT NOT NULL,
    doc                 JSONB NOT NULL,
    state               TEXT NOT NULL,
    ring_at             timestamptz NOT NULL,
    answered_at         timestamptz,
    closed_at           timestamptz,
    caller_number       TEXT NOT NULL,
    caller_digits       TEXT NOT NULL,
    taker_id            TEXT NOT NULL,
    disposition         TEXT,
    missed              BOOLEAN NOT NULL,
    greeted             BOOLEAN NOT NULL,
    rings_before_answer INTEGER,
    answer_ms           BIGINT,
    elements_done       INTEGER NOT NULL,
    situations          TEXT[] NOT NULL,
    -- When this revision reached the station.
    received_at         timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (seat, id)
);
CREATE INDEX calls_by_ring_at ON calls (ring_at DESC, seat, id);
CREATE INDEX calls_by_caller ON calls (caller_digits, ring_at DESC) WHERE caller_digits <> '';
CREATE INDEX calls_by_taker ON calls (taker_id, ring_at);

-- A later call (by_seat, by_call_id) urging an earlier one at another seat
-- (norm clause 3). Written by the later call's seat; the earlier call's
-- urges are these rows plus those in its own record.
CREATE TABLE urges (
    seat       TEXT NOT NULL,
    call_id    BIGINT NOT NULL,
    by_seat    TEXT NOT NULL REFERENCES seats (seat),
    by_call_id BIGINT NOT NULL,
    at         timestamptz NOT NULL,
    PRIMARY KEY (seat, call_id, by_seat, by_call_id)
);

-- Every seat's audit chain, entry for entry, with the seat's hashes.
CREATE TABLE audit (
    seat      TEXT NOT NULL REFERENCES seats (seat),
    id        BIGINT NOT NULL,
    at        timestamptz NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    call_id   BIGINT,
    detail    TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL,
    PRIMARY KEY (seat, id)
);
