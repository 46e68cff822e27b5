//! The lead's random sample over every seat: `pct` % (rounded up) of the
//! scope's closed, answered calls that are neither reviewed nor drawn yet,
//! at random, drawn in one statement so two leads drawing at once cannot
//! draw a call twice.

use chrono::{DateTime, Utc};
use jiejing_store::Scope;

use crate::{Station, StationError};

/// The scope's terms on `calls c` are report.rs's ($1–$6).
const ELIGIBLE: &str = "FROM calls c
     WHERE c.ring_at >= $1 AND c.ring_at < $2 AND ($3::text IS NULL OR c.taker_id = $3)
       AND ($4::int IS NULL OR (CASE WHEN $4 < $5
            THEN mod(floor(date_part('epoch', c.ring_at))::bigint + $6::bigint, 86400) / 60 >= $4
             AND mod(floor(date_part('epoch', c.ring_at))::bigint + $6::bigint, 86400) / 60 < $5
            ELSE mod(floor(date_part('epoch', c.ring_at))::bigint + $6::bigint, 86400) / 60 >= $4
             OR mod(floor(date_part('epoch', c.ring_at))::bigint + $6::bigint, 86400) / 60 < $5 END))
       AND c.state = 'closed' AND c.answered_at IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM reviews v WHERE v.seat = c.seat AND v.call_id = c.id)
       AND NOT EXISTS (SELECT 1 FROM samples p WHERE p.seat = c.seat AND p.call_id = c.id)";

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
        let (start, end) = (
            scope.shift.map(|s| s.0 as i32),
            scope.shift.map(|s| s.1 as i32),
        );
        let offset = i64::from(scope.offset_min) * 60;
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
