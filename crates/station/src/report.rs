//! The lead's figures over every seat: the same rows a desk reads from its
//! SQLite, read from the station and put through the same computation
//! (`jiejing_store::build_report`), so a station's report is by
//! construction the seats' reports taken together.

use chrono::{DateTime, Utc};
use jiejing_store::{build_report, Report, ReportRow, Scope};

use crate::{Station, StationError};

/// The scope's terms on `calls c`, numbered from `$1`: from, to, taker,
/// shift start and end (minutes of the local day), the zone's offset in
/// seconds ([`scope_params`]). The same terms as the desk's `SCOPE_SQL`;
/// the report, the log and the sample share them.
macro_rules! scope_sql {
    () => {
        "c.ring_at >= $1 AND c.ring_at < $2 AND ($3::text IS NULL OR c.taker_id = $3)
               AND ($4::int IS NULL OR (CASE WHEN $4 < $5
                    THEN mod(floor(date_part('epoch', c.ring_at))::bigint + $6::bigint, 86400) / 60 >= $4
                     AND mod(floor(date_part('epoch', c.ring_at))::bigint + $6::bigint, 86400) / 60 < $5
                    ELSE mod(floor(date_part('epoch', c.ring_at))::bigint + $6::bigint, 86400) / 60 >= $4
                     OR mod(floor(date_part('epoch', c.ring_at))::bigint + $6::bigint, 86400) / 60 < $5 END))"
    };
}
pub(crate) use scope_sql;

/// The scope's `$4`–`$6`: shift start and end, the zone's offset in seconds.
pub(crate) fn scope_params(scope: &Scope<'_>) -> (Option<i32>, Option<i32>, i64) {
    (
        scope.shift.map(|s| s.0 as i32),
        scope.shift.map(|s| s.1 as i32),
        i64::from(scope.offset_min) * 60,
    )
}

/// Each call's newest QA review joins in as a hash join: reviews are few
/// beside calls.
/// Each call's newest QA review from any seat joins in as a hash join:
/// reviews are few beside calls.
const CALLS: &str = concat!(
    "SELECT c.taker_id, c.answer_ms, c.rings_before_answer, c.elements_done, c.greeted,
            c.state = 'closed', c.missed, c.disposition,
            floor((date_part('epoch', c.ring_at) + $6::bigint) / 86400)::bigint,
            q.call_id IS NOT NULL, q.score, coalesce(q.critical, false)
     FROM calls c
     LEFT JOIN (SELECT DISTINCT ON (seat, call_id) seat, call_id, score, critical FROM reviews
                ORDER BY seat, call_id, at DESC) q ON q.seat = c.seat AND q.call_id = c.id
     WHERE ",
    scope_sql!()
);

/// Follow-ups due in the range, closed by their seat or by the first
/// closing reply another seat recorded.
const DUE: &str = "SELECT f.due_at, coalesce(f.closed_at,
            (SELECT min(r.at) FROM followup_replies r
              WHERE r.seat = f.seat AND r.followup_id = f.id AND (r.doc->>'closes')::boolean))
     FROM followups f JOIN calls c ON c.seat = f.seat AND c.id = f.call_id
     WHERE f.due_at >= $1 AND f.due_at < $2 AND ($3::text IS NULL OR c.taker_id = $3)";

impl Station {
    /// Figures for every seat's calls in `scope`, judged at `now`, with
    /// each call's newest QA review from any seat.
    ///
    /// # Errors
    /// Database errors.
    pub fn report(
        &mut self,
        scope: &Scope<'_>,
        now: DateTime<Utc>,
    ) -> Result<Report, StationError> {
        let (start, end, offset) = scope_params(scope);
        let calls = self
            .client()
            .query(
                CALLS,
                &[&scope.from, &scope.to, &scope.taker, &start, &end, &offset],
            )?
            .iter()
            .map(|r| ReportRow {
                taker_id: r.get(0),
                answer_ms: r.get(1),
                rings: r.get::<_, Option<i32>>(2).map(i64::from),
                elements_done: i64::from(r.get::<_, i32>(3)),
                greeted: r.get(4),
                closed: r.get(5),
                missed: r.get(6),
                disposition: r.get(7),
                qa: r.get::<_, bool>(9).then(|| (r.get(10), r.get(11))),
                day: r.get(8),
            })
            .collect();
        let due: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)> = self
            .client()
            .query(DUE, &[&scope.from, &scope.to, &scope.taker])?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        Ok(build_report(scope, calls, &due, now))
    }
}
