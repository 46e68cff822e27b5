//! Corrections of a closed call made at another seat (issue #12). The rule:
//! a correction names the value its lead saw; the station compares it with
//! what it holds for that item now (the call as its seat last pushed it,
//! or a correction that landed after that push). When they differ, two
//! leads corrected the same item without seeing each other's work: the
//! correction is still kept and applied in arrival order, and a
//! `correction_crossed` conflict names both values for the lead. Nothing
//! is overwritten silently, and every value stays in the seat's audit
//! trail.

use jiejing_core::{Call, CallId};
use jiejing_store::Correction;
use postgres::Transaction;

use crate::{Station, StationError};

/// Inserts a correction once (by origin); the server checks it.
pub(crate) fn insert(
    tx: &mut Transaction<'_>,
    by_seat: &str,
    c: &Correction,
) -> Result<(), StationError> {
    // A second landing (same origin) does nothing. The check against what
    // the station held is the server's trigger (schema 0009), since the
    // pushing seat may not read the call itself.
    tx.execute(
        "INSERT INTO corrections (origin, seat, call_id, by_seat, field, old, new, actor, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (origin) DO NOTHING",
        &[
            &c.origin, &c.seat, &c.call_id, &by_seat, &c.field, &c.old, &c.new, &c.actor, &c.at,
        ],
    )?;
    Ok(())
}

impl Station {
    /// `seat`'s call `id` as the station holds it: as the seat last pushed
    /// it, with the corrections that landed since (the seat has not yet
    /// pulled them back) put in, in arrival order.
    ///
    /// # Errors
    /// Database errors; a record this desk cannot read.
    pub fn call_as_held(&mut self, seat: &str, id: CallId) -> Result<Option<Call>, StationError> {
        let Some(row) = self.client().query_opt(
            "SELECT doc, received_at FROM calls WHERE seat = $1 AND id = $2",
            &[&seat, &id],
        )?
        else {
            return Ok(None);
        };
        let mut call: Call = serde_json::from_value(row.get(0)).map_err(|e| {
            StationError::Db(format!(
                "the station holds a call this desk cannot read: {e}"
            ))
        })?;
        let received: chrono::DateTime<chrono::Utc> = row.get(1);
        let later = self.client().query(
            "SELECT n, origin, seat, call_id, field, old, new, actor, at FROM corrections
             WHERE seat = $1 AND call_id = $2 AND received_at > $3 ORDER BY n",
            &[&seat, &id, &received],
        )?;
        for r in &later {
            // A value the rules refuse now was refused at its seat too.
            let _ = row_of(r).apply_to(&mut call);
        }
        Ok(Some(call))
    }

    /// Corrections other seats made to `seat`'s calls, after position
    /// `after`, in the order they landed: `(position, correction)`.
    ///
    /// # Errors
    /// Database errors.
    pub fn corrections_for(
        &mut self,
        seat: &str,
        after: i64,
    ) -> Result<Vec<(i64, Correction)>, StationError> {
        Ok(self
            .client()
            .query(
                "SELECT n, origin, seat, call_id, field, old, new, actor, at FROM corrections
                 WHERE seat = $1 AND n > $2 ORDER BY n LIMIT 500",
                &[&seat, &after],
            )?
            .iter()
            .map(|r| (r.get(0), row_of(r)))
            .collect())
    }

    /// Every correction of `seat`'s call `id` made at other seats, in the
    /// order they landed.
    ///
    /// # Errors
    /// Database errors.
    pub fn corrections_of(
        &mut self,
        seat: &str,
        id: CallId,
    ) -> Result<Vec<Correction>, StationError> {
        Ok(self
            .client()
            .query(
                "SELECT n, origin, seat, call_id, field, old, new, actor, at FROM corrections
                 WHERE seat = $1 AND call_id = $2 ORDER BY n",
                &[&seat, &id],
            )?
            .iter()
            .map(row_of)
            .collect())
    }
}

fn row_of(r: &postgres::Row) -> Correction {
    Correction {
        origin: r.get(1),
        seat: r.get(2),
        call_id: r.get(3),
        field: r.get(4),
        old: r.get(5),
        new: r.get(6),
        actor: r.get(7),
        at: r.get(8),
    }
}
