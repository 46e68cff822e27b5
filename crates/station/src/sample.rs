//! The lead's random sample over every seat: `pct` % (rounded up) of the
//! scope's closed, answered calls that are neither reviewed nor drawn yet,
//! at random, drawn in one statement so two leads drawing at once cannot
//! draw a call twice.

use chrono::{DateTime, Utc};
use jiejing_store::Scope;

use crate::report::scope_sql;
use crate::{Station, StationError};

/// The scope's terms on `calls c` are report.rs's ($1–$6).
const ELIGIBLE: &str = concat!(
    "FROM calls c
     WHERE ",
    scope_sql!(),
    "
       AND c.state = 'closed' AND c.answered_at IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM reviews v WHERE v.seat = c.seat AND v.call_id = c.id)
       AND NOT EXISTS (SELECT 1 FROM samples p WHERE p.seat = c.seat AND p.call_id = c.id)"
);

impl Station {
    /// Draws the sample as `by_seat`'s lead `drawn_by`; returns (drawn,
    /// eligible).
    ///
    /// # Errors
    /// Database errors.
    pub fn draw_sample(
        &mut self,
        scope: &Scope<'_>,
        pct: f64,
        by_seat: &str,
        drawn_by: &str,
        now: DateTime<Utc>,
    ) -> Result<(u64, u64), StationError> {
        let (start, end, offset) = crate::report::scope_params(scope);
        let mut tx = self.client().transaction()?;
        let eligible: i64 = tx
            .query_one(
                &format!("SELECT count(*) {ELIGIBLE}"),
                &[&scope.from, &scope.to, &scope.taker, &start, &end, &offset],
            )?
            .get(0);
        let n = (eligible as f64 * pct / 100.0).ceil() as i64;
        let drawn = tx.execute(
            &format!(
                "INSERT INTO samples (seat, call_id, by_seat, drawn_by, at)
                 SELECT c.seat, c.id, $7, $8, $9 {ELIGIBLE} ORDER BY random() LIMIT $10
                 ON CONFLICT DO NOTHING"
            ),
            &[
                &scope.from,
                &scope.to,
                &scope.taker,
                &start,
                &end,
                &offset,
                &by_seat,
                &drawn_by,
                &now,
                &n,
            ],
        )?;
        tx.commit()?;
        Ok((drawn, eligible as u64))
    }
}
