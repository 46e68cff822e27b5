//! QA reviews across seats (issue #12): this desk's reviews of its own calls
//! are shipped to the station; a review of another seat's call is kept here
//! (`seat_reviews`, with this desk's audit entry) and shipped the same way.

use jiejing_core::qa::ReviewStatus;
use jiejing_core::CallId;
use rusqlite::{params, OptionalExtension, Transaction};

use crate::codec::{parse_time, time};
use crate::outbox::{enqueue, Outgoing};
use crate::{Review, ReviewInput, Store, StoreError};

/// A review as it goes to the station: the call's seat ("" for this
/// desk's own call) and the review.
#[derive(Debug, Clone, PartialEq)]
pub struct SeatReview {
    pub seat: String,
    pub review: Review,
}

impl Store {
    /// Keeps a review of `seat`'s call (replacing this desk's earlier one of
    /// it) and queues it, with this desk's audit entry, in one transaction.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn save_seat_review(&mut self, seat: &str, r: &ReviewInput<'_>) -> Result<(), StoreError> {
        let marks =
            serde_json::to_string(r.marks).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO seat_reviews (seat, call_id, reviewer, reviewed_at, score, critical, marks, notes)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (seat, call_id) DO UPDATE SET reviewer = ?3, reviewed_at = ?4, score = ?5,
                 critical = ?6, marks = ?7, notes = ?8",
            params![seat, r.call_id, r.reviewer, time(r.at), r.score, r.critical, marks, r.notes],
        )?;
        let id: i64 = tx.query_row(
            "SELECT id FROM seat_reviews WHERE seat = ?1 AND call_id = ?2",
            params![seat, r.call_id],
            |row| row.get(0),
        )?;
        enqueue(&tx, "seat_review", id)?;
        let detail = serde_json::json!({
            "seat": seat, "callId": r.call_id, "score": r.score, "critical": r.critical,
            "marks": r.marks, "notes": r.notes,
        });
        crate::audit::append(
            &tx,
            &self.audit_key,
            r.at,
            r.reviewer,
            "review_seat",
            None,
            &detail,
        )?;
        tx.commit()?;
        Ok(())
    }

    /// This desk's review of `seat`'s call `id`, if it is still queued (the
    /// station's may not show it yet).
    ///
    /// # Errors
    /// SQLite errors, [`StoreError::Corrupt`].
    pub fn queued_seat_review(&self, seat: &str, id: CallId) -> Result<Option<Review>, StoreError> {
        let row: Option<i64> = self
            .conn
            .prepare_cached(
                "SELECT r.id FROM seat_reviews r JOIN station_outbox o ON o.kind = 'seat_review' AND o.ref = r.id
                 WHERE r.seat = ?1 AND r.call_id = ?2",
            )?
            .query_row(params![seat, id], |r| r.get(0))
            .optional()?;
        match row {
            Some(id) => Ok(read(&self.conn, id)?.map(|s| s.review)),
            None => Ok(None),
        }
    }
}

fn read(conn: &rusqlite::Connection, id: i64) -> Result<Option<SeatReview>, StoreError> {
    let row = conn
        .prepare_cached(
            "SELECT seat, call_id, reviewer, reviewed_at, score, critical, marks, notes FROM seat_reviews WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, CallId>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<f64>>(4)?,
                r.get::<_, bool>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
            ))
        })
        .optional()?;
    row.map(
        |(seat, call_id, reviewer, at, score, critical, marks, notes)| {
            Ok(SeatReview {
                seat,
                review: Review {
                    call_id,
                    status: ReviewStatus::Reviewed,
                    sampled_at: None,
                    reviewer: Some(reviewer),
                    reviewed_at: Some(parse_time(&at)?),
                    score,
                    critical,
                    marks: serde_json::from_str(&marks)
                        .map_err(|e| StoreError::Corrupt(format!("review marks: {e}")))?,
                    notes,
                },
            })
        },
    )
    .transpose()
}

/// The outbox's reading of a queued review of another seat's call.
pub(crate) fn read_seat_review(
    tx: &Transaction<'_>,
    id: i64,
) -> Result<Option<Outgoing>, StoreError> {
    Ok(read(tx, id)?.map(Outgoing::Review))
}

/// The outbox's reading of this desk's review of its own call `id`.
pub(crate) fn read_own_review(
    tx: &Transaction<'_>,
    id: CallId,
) -> Result<Option<Outgoing>, StoreError> {
    Ok(crate::reviews::load(tx, id)?.map(|review| {
        Outgoing::Review(SeatReview {
            seat: String::new(),
            review,
        })
    }))
}
