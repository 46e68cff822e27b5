//! Follow-ups across seats (issue #12): this desk's follow-ups go to the
//! station through the outbox like its calls; a reply to another seat's
//! follow-up is kept here and shipped the same way; and replies other seats
//! made to this seat's follow-ups come back and are applied here, so the
//! seat that took the complaint sees it answered even when offline later.

use chrono::{DateTime, Utc};
use jiejing_core::{FollowUpId, FollowUpLog, Reply};
use rusqlite::{params, OptionalExtension, Transaction};

use crate::codec::time;
use crate::outbox::{enqueue, Outgoing};
use crate::{Store, StoreError};

/// A reply this desk recorded to another seat's follow-up.
#[derive(Debug, Clone, PartialEq)]
pub struct SentReply {
    /// The follow-up's seat and its id there.
    pub seat: String,
    pub followup_id: FollowUpId,
    /// How many replies the call-taker saw when writing this one.
    pub seen: u32,
    /// With its `origin` set.
    pub reply: Reply,
}

/// A reply another seat recorded to one of this seat's follow-ups, as the
/// station hands it back.
#[derive(Debug, Clone, PartialEq)]
pub struct PulledReply {
    /// The station's position of the reply, for [`Store::apply_station_replies`].
    pub n: i64,
    pub followup_id: FollowUpId,
    pub from_seat: String,
    /// With its `origin` set.
    pub reply: Reply,
    /// When the station received it.
    pub at: DateTime<Utc>,
}

fn corrupt(what: String) -> StoreError {
    StoreError::Corrupt(what)
}

impl Store {
    /// Keeps a reply to `seat`'s follow-up `followup_id` and queues it for
    /// the station, in one transaction. Returns it with its origin set.
    ///
    /// # Errors
    /// [`StoreError::Corrupt`] when this desk is not joined; SQLite errors.
    pub fn queue_station_reply(
        &mut self,
        seat: &str,
        followup_id: FollowUpId,
        seen: u32,
        reply: &Reply,
        now: DateTime<Utc>,
    ) -> Result<SentReply, StoreError> {
        let tx = self.conn.transaction()?;
        let mine: String = tx
            .query_row("SELECT seat FROM station_link", [], |r| r.get(0))
            .optional()?
            .ok_or_else(|| corrupt("a reply to another seat needs a joined desk".into()))?;
        tx.execute(
            "INSERT INTO station_replies (seat, followup_id, seen, reply, at) VALUES (?1, ?2, ?3, '', ?4)",
            params![seat, followup_id, seen, time(now)],
        )?;
        let id = tx.last_insert_rowid();
        let mut reply = reply.clone();
        reply.origin = Some(format!("{mine}#{id}"));
        let doc = serde_json::to_string(&reply).map_err(|e| corrupt(e.to_string()))?;
        tx.execute(
            "UPDATE station_replies SET reply = ?2 WHERE id = ?1",
            params![id, doc],
        )?;
        enqueue(&tx, "reply", id)?;
        tx.commit()?;
        Ok(SentReply {
            seat: seat.into(),
            followup_id,
            seen,
            reply,
        })
    }

    /// Every reply this desk recorded to other seats' follow-ups: the
    /// station's view may not hold the newest yet.
    ///
    /// # Errors
    /// SQLite errors, [`StoreError::Corrupt`].
    pub fn sent_station_replies(&self) -> Result<Vec<SentReply>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, seat, followup_id, seen, reply FROM station_replies ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?;
        rows.map(|row| sent(row?)).collect()
    }

    /// Where the pull of replies to this seat's follow-ups stands.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn replies_pulled_to(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT replies_pulled_to FROM station_link", [], |r| {
                r.get(0)
            })
            .optional()?
            .unwrap_or(0))
    }

    /// Applies replies other seats made to this seat's follow-ups, each
    /// once (by origin), in one transaction with the new pull position. A
    /// reply is never dropped: one that lands on a follow-up closed
    /// meanwhile is kept, and the follow-up's history says so.
    ///
    /// # Errors
    /// SQLite errors, [`StoreError::Corrupt`].
    pub fn apply_station_replies(&mut self, pulled: &[PulledReply]) -> Result<(), StoreError> {
        let Some(last) = pulled.iter().map(|p| p.n).max() else {
            return Ok(());
        };
        let tx = self.conn.transaction()?;
        for p in pulled {
            let known = tx
                .prepare_cached("SELECT 1 FROM followup_replies WHERE origin = ?1")?
                .exists([&p.reply.origin])?;
            if known {
                continue;
            }
            // A follow-up this desk does not hold (a data folder restored
            // from an older backup): the reply stays at the station, in the
            // station's view, and must not hold up the rest.
            let Some(mut f) = crate::followups::load(&tx, p.followup_id)? else {
                continue;
            };
            let what = if f.closed_at.is_some() {
                format!(
                    "reply from seat {} arrived after this follow-up was closed",
                    p.from_seat
                )
            } else {
                format!("reply recorded at seat {}", p.from_seat)
            };
            if p.reply.closes && f.closed_at.is_none() {
                f.closed_at = Some(p.at);
            }
            f.replies.push(p.reply.clone());
            f.log.push(FollowUpLog { at: p.at, what });
            crate::followups::save_followup(&tx, &f)?;
        }
        tx.execute(
            "UPDATE station_link SET replies_pulled_to = max(replies_pulled_to, ?1)",
            [last],
        )?;
        tx.commit()?;
        Ok(())
    }
}

type SentRow = (i64, String, FollowUpId, u32, String);

fn sent((id, seat, followup_id, seen, doc): SentRow) -> Result<SentReply, StoreError> {
    let reply =
        serde_json::from_str(&doc).map_err(|e| corrupt(format!("station reply {id}: {e}")))?;
    Ok(SentReply {
        seat,
        followup_id,
        seen,
        reply,
    })
}

fn read_sent(tx: &Transaction<'_>, id: i64) -> Result<Option<SentReply>, StoreError> {
    let row: Option<SentRow> = tx
        .prepare_cached(
            "SELECT id, seat, followup_id, seen, reply FROM station_replies WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .optional()?;
    row.map(sent).transpose()
}

/// The outbox's reading of a queued follow-up.
pub(crate) fn read_followup(
    tx: &Transaction<'_>,
    id: FollowUpId,
) -> Result<Option<Outgoing>, StoreError> {
    let Some(f) = crate::followups::load(tx, id)? else {
        return Ok(None);
    };
    let rev: i64 = tx
        .prepare_cached("SELECT rev FROM followups WHERE id = ?1")?
        .query_row([id], |r| r.get(0))?;
    Ok(Some(Outgoing::FollowUp {
        followup: Box::new(f),
        rev,
    }))
}

/// The outbox's reading of a queued reply to another seat.
pub(crate) fn read_reply(tx: &Transaction<'_>, id: i64) -> Result<Option<Outgoing>, StoreError> {
    Ok(read_sent(tx, id)?.map(Outgoing::Reply))
}
