//! Ships the desk's outbox to the station: batches in queue order, each
//! batch one PostgreSQL transaction, acked at the desk only after it
//! committed. A crash between the commit and the ack sends the batch again;
//! the upserts make that a no-op (a call is replaced only by a newer
//! revision, audit entries, urges and replies are inserted once). Replies
//! other seats made to this seat's follow-ups, and other seats' corrections
//! of this seat's calls, are pulled back at the end.

use jiejing_core::{text, Call, Clock};
use jiejing_store::{AuditRow, Outgoing, Store};
use postgres::{Statement, Transaction};
use serde::Serialize;

use crate::{Station, StationError};

/// Records per PostgreSQL transaction: big enough that a backlog drains at
/// thousands a second, small enough that a cut link redoes little.
const BATCH: usize = 500;

/// What one sync did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Pushed {
    pub pushed: u64,
    pub backlog: u64,
}

/// Pushes the whole queue (or until an error). Each committed batch is
/// acked at once, so an error part-way keeps what already landed.
///
/// # Errors
/// [`StationError::NotJoined`]; the station's errors (the queue is kept,
/// and the failure noted on the link for the header).
pub fn sync(
    store: &mut Store,
    station: &mut Station,
    clock: &dyn Clock,
) -> Result<Pushed, StationError> {
    let link = store.station_link()?.ok_or(StationError::NotJoined)?;
    let key = jiejing_audio::SealKey::new(store.files_key());
    let mut pushed = 0u64;
    loop {
        let batch = store.outbox_batch(BATCH)?;
        if batch.seqs.is_empty() {
            break;
        }
        if let Err(e) = push_batch(station, &link.seat, &link.desk_id, &batch.items, &key) {
            store.station_failed(&e.to_string(), clock.now())?;
            return Err(e);
        }
        stall_for_tests();
        store.outbox_ack(&batch.seqs, clock.now())?;
        pushed += batch.items.len() as u64;
    }
    // Replies other seats made to this seat's follow-ups come back here.
    let pulled = match station.replies_for(&link.seat, store.replies_pulled_to()?) {
        Ok(p) => p,
        Err(e) => {
            store.station_failed(&e.to_string(), clock.now())?;
            return Err(e);
        }
    };
    store.apply_station_replies(&pulled)?;
    // So do other seats' leads' corrections of this seat's calls.
    let corrections = match station.corrections_for(&link.seat, store.corrections_pulled_to()?) {
        Ok(c) => c,
        Err(e) => {
            store.station_failed(&e.to_string(), clock.now())?;
            return Err(e);
        }
    };
    for skipped in store.apply_station_corrections(&corrections)? {
        eprintln!("jiejing: a correction from the station was not applied: {skipped}");
    }
    // And accounts changed at other seats: one disabled there is signed
    // out here at its next command, not its next sign-in.
    let accounts = match station.account_states() {
        Ok(a) => a,
        Err(e) => {
            store.station_failed(&e.to_string(), clock.now())?;
            return Err(e);
        }
    };
    store.refresh_station_users(&accounts)?;
    if pushed == 0 {
        // Nothing to send still proves the link: the header says online.
        if station.is_alive() {
            store.outbox_ack(&[], clock.now())?;
        } else {
            let e = StationError::Unreachable {
                url: crate::redact(station.url()),
                why: "the connection was lost".into(),
            };
            store.station_failed(&e.to_string(), clock.now())?;
            return Err(e);
        }
    }
    Ok(Pushed {
        pushed,
        backlog: store.outbox_len()?,
    })
}

/// The kill -9 test needs a desk stopped after the station committed a
/// batch and before the desk acked it; this holds it there.
fn stall_for_tests() {
    if std::env::var_os("JIEJING_TEST_STALL_AFTER_PUSH").is_some() {
        eprintln!("station: batch committed, not yet acked");
        loop {
            std::thread::sleep(std::time::Duration::from_secs(60));
        }
    }
}

fn push_batch(
    station: &mut Station,
    seat: &str,
    desk_id: &str,
    items: &[Outgoing],
    key: &jiejing_audio::SealKey,
) -> Result<(), StationError> {
    let mut tx = station.client().transaction()?;
    // The seat is claimed again if the station lost it (restored from an
    // older backup): only another desk holding it is a refusal.
    let holder: Option<String> = tx
        .query_opt(CLAIM_SEAT, &[&seat, &desk_id])?
        .map(|r| r.get(0));
    if holder.as_deref() != Some(desk_id) {
        return Err(StationError::SeatTaken { seat: seat.into() });
    }
    // Prepared once a batch: a backlog is thousands of the same two statements.
    let call_stmt = tx.prepare(UPSERT_CALL)?;
    let audit_stmt = tx.prepare(INSERT_AUDIT)?;
    for item in items {
        match item {
            Outgoing::Call { call, rev, hash } => {
                upsert_call(&mut tx, &call_stmt, seat, call, *rev, hash)?;
            }
            Outgoing::Audit(a) => insert_audit(&mut tx, &audit_stmt, seat, a)?,
            Outgoing::FollowUp { followup, rev } => {
                crate::followups::upsert(&mut tx, seat, followup, *rev)?;
            }
            Outgoing::Reply(r) => crate::followups::insert_reply(&mut tx, seat, r)?,
            Outgoing::Account { account, by, proof } => {
                crate::accounts::upsert(&mut tx, seat, account, by, proof)?
            }
            Outgoing::Correction(c) => crate::corrections::insert(&mut tx, seat, c)?,
            Outgoing::Review(r) => crate::reviews::upsert(&mut tx, seat, r)?,
            Outgoing::Speech { call_id, segments } => {
                // A transcript the seat de-identified (or cut) goes here too.
                tx.execute(
                    "DELETE FROM speech WHERE seat = $1 AND call_id = $2 AND n > $3",
                    &[&seat, call_id, &(segments.len() as i32)],
                )?;
                for s in segments {
                    let doc = serde_json::to_value(s)
                        .map_err(|e| StationError::Db(format!("utterance: {e}")))?;
                    tx.execute(
                        "INSERT INTO speech (seat, call_id, n, doc) VALUES ($1, $2, $3, $4)
                         ON CONFLICT (seat, call_id, n) DO UPDATE SET doc = excluded.doc",
                        &[&seat, call_id, &(s.n as i32), &doc],
                    )?;
                }
            }
            Outgoing::Recording { row, file } => {
                crate::recordings::upsert(&mut tx, seat, row, file, key)?;
            }
            Outgoing::Urge {
                call_id,
                seat: earlier_seat,
                earlier_id,
                at,
            } => {
                tx.execute(
                    "INSERT INTO urges (seat, call_id, by_seat, by_call_id, at) VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT DO NOTHING",
                    &[earlier_seat, earlier_id, &seat, call_id, at],
                )?;
            }
        }
    }
    tx.execute(
        "UPDATE seats SET last_push_at = now() WHERE seat = $1",
        &[&seat],
    )?;
    tx.commit()?;
    Ok(())
}

/// Claims a seat for a desk; returns the desk that holds it.
pub(crate) const CLAIM_SEAT: &str = "INSERT INTO seats (seat, desk_id) VALUES ($1, $2)
     ON CONFLICT (seat) DO UPDATE SET seat = excluded.seat RETURNING desk_id";

const UPSERT_CALL: &str = "INSERT INTO calls (seat, id, rev, hash, doc, state, ring_at, answered_at, closed_at, caller_number,
                        caller_digits, taker_id, disposition, missed, greeted, rings_before_answer,
                        answer_ms, elements_done, situations)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
     ON CONFLICT (seat, id) DO UPDATE SET
        rev = excluded.rev, hash = excluded.hash, doc = excluded.doc, state = excluded.state,
        ring_at = excluded.ring_at, answered_at = excluded.answered_at, closed_at = excluded.closed_at,
        caller_number = excluded.caller_number, caller_digits = excluded.caller_digits,
        taker_id = excluded.taker_id, disposition = excluded.disposition, missed = excluded.missed,
        greeted = excluded.greeted, rings_before_answer = excluded.rings_before_answer,
        answer_ms = excluded.answer_ms, elements_done = excluded.elements_done,
        situations = excluded.situations, received_at = clock_timestamp()
     WHERE calls.rev < excluded.rev";

const INSERT_AUDIT: &str =
    "INSERT INTO audit (seat, id, at, actor, action, call_id, detail, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING";

/// The columns the station keeps beside a call's JSON, derived from the
/// call: what its lists, reports and the repeat lookup read.
pub(crate) struct CallRow {
    pub doc: serde_json::Value,
    pub digits: String,
    pub rings: Option<i32>,
    pub answer_ms: Option<i64>,
    pub done: i32,
    pub situations: Vec<String>,
}

impl CallRow {
    pub(crate) fn of(c: &Call) -> Result<CallRow, StationError> {
        Ok(CallRow {
            doc: serde_json::to_value(c).map_err(|e| StationError::Db(e.to_string()))?,
            digits: text::phone_digits(&c.caller_number),
            rings: c.ring_timing().map(|t| t.rings_before_answer as i32),
            answer_ms: c.answered_at.map(|a| (a - c.ring_at).num_milliseconds()),
            done: c.completeness().0 as i32,
            situations: c
                .situations
                .iter()
                .map(|s| s.kind.as_str().to_string())
                .collect(),
        })
    }
}

fn upsert_call(
    tx: &mut Transaction<'_>,
    stmt: &Statement,
    seat: &str,
    c: &Call,
    rev: i64,
    hash: &str,
) -> Result<(), StationError> {
    let r = CallRow::of(c)?;
    tx.execute(
        stmt,
        &[
            &seat,
            &c.id,
            &rev,
            &hash,
            &r.doc,
            &c.state.as_str(),
            &c.ring_at,
            &c.answered_at,
            &c.closed_at,
            &c.caller_number,
            &r.digits,
            &c.taker_id,
            &c.disposition.map(|d| d.as_str()),
            &c.missed,
            &c.greeting_at.is_some(),
            &r.rings,
            &r.answer_ms,
            &r.done,
            &r.situations,
        ],
    )?;
    Ok(())
}

fn insert_audit(
    tx: &mut Transaction<'_>,
    stmt: &Statement,
    seat: &str,
    a: &AuditRow,
) -> Result<(), StationError> {
    let e = &a.entry;
    tx.execute(
        stmt,
        &[
            &seat,
            &e.id,
            &e.at,
            &e.actor,
            &e.action,
            &e.call_id,
            &e.detail,
            &a.prev_hash,
            &a.hash,
        ],
    )?;
    tx.execute(
        "UPDATE seats SET audit_head_id = $2, audit_head_hash = $3 WHERE seat = $1 AND audit_head_id < $2",
        &[&seat, &e.id, &a.hash],
    )?;
    Ok(())
}
