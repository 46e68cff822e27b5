//! Complaint follow-ups across seats. A follow-up is written by its own
//! seat (the whole record, replaced by newer revisions); a reply from any
//! other seat is a row of its own, keyed by its global `origin`. What every
//! seat sees is the two merged: the seat's record plus the replies it has
//! not pulled back yet. Replies only ever add up, so nothing is overwritten:
//! a reply written without seeing one recorded meanwhile, or a second reply
//! that closes, is kept and recorded as a conflict for the lead.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use jiejing_core::{FollowUp, FollowUpId, Reply};
use jiejing_store::{PulledReply, SentReply};
use postgres::{GenericClient, Transaction};
use serde::Serialize;

use crate::{Station, StationError};

/// A follow-up as every seat sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SeatFollowUp {
    pub seat: String,
    pub followup: FollowUp,
}

pub use jiejing_desk::Conflict;

/// A reply from another seat and when the station got it.
type Recorded = (Reply, DateTime<Utc>);

fn corrupt(what: &str, e: impl std::fmt::Display) -> StationError {
    StationError::Db(format!(
        "the station holds a {what} this desk cannot read: {e}"
    ))
}

/// One follow-up by its seat and id, merged.
fn load_one(
    c: &mut impl GenericClient,
    seat: &str,
    id: FollowUpId,
) -> Result<Option<SeatFollowUp>, StationError> {
    Ok(load(c, "WHERE f.seat = $1 AND f.id = $2", &[&seat, &id])?.pop())
}

/// Follow-ups matching `filter` (a fixed clause from this file), merged.
fn load(
    c: &mut impl GenericClient,
    filter: &str,
    args: &[&(dyn postgres::types::ToSql + Sync)],
) -> Result<Vec<SeatFollowUp>, StationError> {
    let rows = c.query(
        &format!(
            "SELECT f.seat, f.id, f.doc FROM followups_shown f {filter} ORDER BY f.due_at, f.seat, f.id"
        ),
        args,
    )?;
    // Every other seat's reply to these, in one query, in the order made.
    let mut remote: HashMap<(String, i64), Vec<Recorded>> = HashMap::new();
    let replies = c.query(
        &format!(
            "SELECT r.seat, r.followup_id, r.doc, r.at FROM followup_replies_shown r
             JOIN followups f ON f.seat = r.seat AND f.id = r.followup_id {filter} ORDER BY r.n"
        ),
        args,
    )?;
    for r in replies {
        let reply: Reply = serde_json::from_value(r.get(2)).map_err(|e| corrupt("reply", e))?;
        remote
            .entry((r.get(0), r.get(1)))
            .or_default()
            .push((reply, r.get(3)));
    }
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let (seat, id): (String, i64) = (row.get(0), row.get(1));
        let mut followup: FollowUp =
            serde_json::from_value(row.get(2)).map_err(|e| corrupt("follow-up", e))?;
        followup.merge_replies(remote.remove(&(seat.clone(), id)).unwrap_or_default());
        out.push(SeatFollowUp { seat, followup });
    }
    Ok(out)
}

/// The new values come from the parameters, not `excluded`: reading
/// `excluded.doc` needs the right to read `doc`, which a seat has no
/// longer (station schema 0015).
const UPSERT: &str = "INSERT INTO followups (seat, id, call_id, rev, doc, due_at, closed_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (seat, id) DO UPDATE SET rev = $4, doc = $5, due_at = $6,
        closed_at = $7, received_at = clock_timestamp()
     WHERE followups.rev < $4";

/// A seat's own follow-up, as part of a push.
pub(crate) fn upsert(
    tx: &mut Transaction<'_>,
    seat: &str,
    f: &FollowUp,
    rev: i64,
) -> Result<(), StationError> {
    let doc = serde_json::to_value(f).map_err(|e| StationError::Db(e.to_string()))?;
    let n = tx.execute(
        UPSERT,
        &[
            &seat,
            &f.id,
            &f.call_id,
            &rev,
            &doc,
            &f.due_at,
            &f.closed_at,
        ],
    )?;
    if n == 1 {
        if let Some(now) = load_one(tx, seat, f.id)? {
            closed_twice(tx, seat, &now.followup, seat)?;
        }
    }
    Ok(())
}

/// A reply to another seat's follow-up, as part of a push: kept whatever
/// happened meanwhile, and a conflict recorded when it crossed another.
pub(crate) fn insert_reply(
    tx: &mut Transaction<'_>,
    from_seat: &str,
    r: &SentReply,
) -> Result<(), StationError> {
    let doc = serde_json::to_value(&r.reply).map_err(|e| StationError::Db(e.to_string()))?;
    let seen = r.seen as i32;
    let n = tx.execute(
        "INSERT INTO followup_replies (origin, seat, followup_id, from_seat, seen, doc) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (origin) DO NOTHING",
        &[&r.reply.origin, &r.seat, &r.followup_id, &from_seat, &seen, &doc],
    )?;
    if n == 0 {
        return Ok(()); // pushed before: the first landing did the checks
    }
    let now = load_one(tx, &r.seat, r.followup_id)?;
    let held = now
        .as_ref()
        .map_or(0, |f| f.followup.replies.len().saturating_sub(1));
    if held != r.seen as usize {
        let detail = format!(
            "seat {from_seat} replied having seen {} repl{}; the station held {held} by then",
            r.seen,
            if r.seen == 1 { "y" } else { "ies" }
        );
        record(
            tx,
            &r.seat,
            "reply_crossed",
            r.followup_id,
            from_seat,
            &detail,
        )?;
    }
    match now {
        Some(f) => closed_twice(tx, &r.seat, &f.followup, from_seat),
        None => Ok(()),
    }
}

/// Two replies that each closed the follow-up `f` (as merged now): both
/// stay; the lead is told once.
fn closed_twice(
    tx: &mut Transaction<'_>,
    seat: &str,
    f: &FollowUp,
    from_seat: &str,
) -> Result<(), StationError> {
    let id = f.id;
    let closing: Vec<&Reply> = f.replies.iter().filter(|r| r.closes).collect();
    if closing.len() < 2 {
        return Ok(());
    }
    let known = tx
        .query_opt(
            "SELECT 1 FROM conflicts WHERE seat = $1 AND ref = $2 AND kind = 'closed_twice'",
            &[&seat, &id],
        )?
        .is_some();
    if !known {
        let by: Vec<&str> = closing.iter().map(|r| r.by.as_str()).collect();
        let detail = format!(
            "{} replies closed this follow-up (by {})",
            closing.len(),
            by.join(", ")
        );
        record(tx, seat, "closed_twice", id, from_seat, &detail)?;
    }
    Ok(())
}

pub(crate) fn record(
    tx: &mut Transaction<'_>,
    seat: &str,
    kind: &str,
    id: i64,
    from_seat: &str,
    detail: &str,
) -> Result<(), StationError> {
    tx.execute(
        "INSERT INTO conflicts (seat, kind, ref, from_seat, detail) VALUES ($1, $2, $3, $4, $5)",
        &[&seat, &kind, &id, &from_seat, &detail],
    )?;
    Ok(())
}

impl Station {
    /// Every seat's follow-ups, earliest due first; open ones only if
    /// `open_only`.
    ///
    /// # Errors
    /// Database errors; a record this desk cannot read.
    pub fn followups(&mut self, open_only: bool) -> Result<Vec<SeatFollowUp>, StationError> {
        let all = load(
            self.client(),
            if open_only {
                "WHERE f.closed_at IS NULL"
            } else {
                ""
            },
            &[],
        )?;
        // A reply from another seat may have closed one the seat's record
        // still holds open.
        Ok(all
            .into_iter()
            .filter(|f| !open_only || f.followup.closed_at.is_none())
            .collect())
    }

    /// One follow-up by seat and id.
    ///
    /// # Errors
    /// Database errors; a record this desk cannot read.
    pub fn followup(
        &mut self,
        seat: &str,
        id: FollowUpId,
    ) -> Result<Option<SeatFollowUp>, StationError> {
        load_one(self.client(), seat, id)
    }

    /// Replies other seats made to `seat`'s follow-ups after position
    /// `after`, in order: what the seat pulls back.
    ///
    /// # Errors
    /// Database errors; a record this desk cannot read.
    pub fn replies_for(
        &mut self,
        seat: &str,
        after: i64,
    ) -> Result<Vec<PulledReply>, StationError> {
        self.client()
            .query(
                "SELECT n, followup_id, from_seat, doc, at FROM followup_replies_shown WHERE seat = $1 AND n > $2 ORDER BY n LIMIT 500",
                &[&seat, &after],
            )?
            .into_iter()
            .map(|r| {
                Ok(PulledReply {
                    n: r.get(0),
                    followup_id: r.get(1),
                    from_seat: r.get(2),
                    reply: serde_json::from_value(r.get(3)).map_err(|e| corrupt("reply", e))?,
                    at: r.get(4),
                })
            })
            .collect()
    }

    /// Conflicts recorded at the station, newest first.
    ///
    /// # Errors
    /// Database errors.
    pub fn conflicts(&mut self) -> Result<Vec<Conflict>, StationError> {
        Ok(self
            .client()
            .query(
                "SELECT seat, kind, ref, from_seat, detail, at FROM conflicts ORDER BY n DESC",
                &[],
            )?
            .iter()
            .map(|r| Conflict {
                seat: r.get(0),
                kind: r.get(1),
                id: r.get(2),
                from_seat: r.get(3),
                detail: r.get(4),
                at: r.get(5),
            })
            .collect())
    }
}
