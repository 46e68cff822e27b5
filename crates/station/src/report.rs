//! The lead's figures over every seat: the calls a desk reads from its
//! SQLite, summed up at the station per call-taker and day by the same
//! rules (`jiejing_store::ReportGroup`) and put through the same
//! computation (`jiejing_store::build_report`), so a station's report is
//! the seats' reports taken together (tests/cli/station_report.rs checks).

use chrono::{DateTime, Utc};
use jiejing_store::{build_report, Report, ReportGroup, Scope};

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

/// The calls summed up per call-taker and local day by the rules of
/// `ReportGroup::add`, so a week of every seat's calls comes back as a few
/// hundred rows, read from the covering index alone. `$7`: the most rings
/// an answer may take.
const GROUPS: &str = concat!(
    "SELECT c.taker_id, floor((date_part('epoch', c.ring_at) + $6::bigint) / 86400)::bigint,
            count(*),
            array_agg(c.answer_ms) FILTER (WHERE c.answer_ms IS NOT NULL),
            count(c.rings_before_answer),
            count(*) FILTER (WHERE c.rings_before_answer <= $7),
            count(*) FILTER (WHERE c.missed),
            count(*) FILTER (WHERE c.state = 'closed' AND c.answer_ms IS NOT NULL),
            count(*) FILTER (WHERE c.state = 'closed' AND c.answer_ms IS NOT NULL AND c.elements_done >= 8),
            count(*) FILTER (WHERE c.answer_ms IS NOT NULL AND c.greeted)
     FROM calls c WHERE ",
    scope_sql!(),
    " GROUP BY 1, 2"
);

/// Each reviewed call's newest QA review from any seat, summed up into the
/// same groups: reviews are few beside calls, so they are read apart
/// rather than joined onto every call of the range.
const REVIEWED: &str = concat!(
    "SELECT c.taker_id, floor((date_part('epoch', c.ring_at) + $6::bigint) / 86400)::bigint,
            count(*), array_agg(q.score) FILTER (WHERE q.score IS NOT NULL),
            count(*) FILTER (WHERE q.critical)
     FROM (SELECT DISTINCT ON (seat, call_id) seat, call_id, score, critical FROM reviews
           ORDER BY seat, call_id, at DESC) q
     JOIN calls c ON c.seat = q.seat AND c.id = q.call_id
     WHERE ",
    scope_sql!(),
    " GROUP BY 1, 2"
);

/// Closed calls by disposition ("missed" for those that rang out).
const DISPOSITIONS: &str = concat!(
    "SELECT CASE WHEN c.missed THEN 'missed' ELSE coalesce(c.disposition, 'none') END, count(*)
     FROM calls c WHERE c.state = 'closed' AND ",
    scope_sql!(),
    " GROUP BY 1"
);

/// Follow-ups due in the range, closed by their seat or by the first
/// closing reply another seat recorded.
const DUE: &str = "SELECT f.due_at, coalesce(f.closed_at,
            (SELECT min(r.at) FROM followup_replies_shown r
              WHERE r.seat = f.seat AND r.followup_id = f.id AND (r.doc->>'closes')::boolean))
     FROM followups f JOIN calls c ON c.seat = f.seat AND c.id = f.call_id
     WHERE f.due_at >= $1 AND f.due_at < $2 AND ($3::text IS NULL OR c.taker_id = $3)";

/// Runs `sql` (the `GROUPS` read, or its plan) in `tx` with its
/// parameters and the plan it needs: the planner takes every call for a
/// group of its own (the day is computed) and sorts the week by
/// call-taker; 96,000 rows sorted by a text key were half the time. The
/// groups are a few hundred, so hashing them is the right plan.
fn read_groups(
    tx: &mut postgres::Transaction<'_>,
    sql: &str,
    scope: &Scope<'_>,
) -> Result<Vec<postgres::Row>, StationError> {
    let (start, end, offset) = scope_params(scope);
    let max_rings = jiejing_core::MAX_RINGS as i32;
    tx.batch_execute("SET LOCAL enable_sort = off")?;
    Ok(tx.query(
        sql,
        &[
            &scope.from,
            &scope.to,
            &scope.taker,
            &start,
            &end,
            &offset,
            &max_rings,
        ],
    )?)
}

impl Station {
    /// The plan of the report's read of calls, as run (the scale
    /// benchmark's `JIEJING_SCALE_EXPLAIN`).
    ///
    /// # Errors
    /// Database errors.
    pub fn explain_report(&mut self, scope: &Scope<'_>) -> Result<String, StationError> {
        let mut tx = self.client().transaction()?;
        let plan = read_groups(
            &mut tx,
            &format!("EXPLAIN (ANALYZE, BUFFERS) {GROUPS}"),
            scope,
        )?;
        Ok(plan
            .iter()
            .map(|r| r.get::<_, String>(0))
            .collect::<Vec<_>>()
            .join("\n"))
    }

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
        let count = |r: &postgres::Row, i: usize| r.get::<_, i64>(i) as u64;
        let mut tx = self.client().transaction()?;
        let mut groups: std::collections::BTreeMap<(String, i64), ReportGroup> =
            read_groups(&mut tx, GROUPS, scope)?
                .iter()
                .map(|r| {
                    let g = ReportGroup {
                        taker_id: r.get(0),
                        day: r.get(1),
                        calls: count(r, 2),
                        answer_ms: r.get::<_, Option<Vec<i64>>>(3).unwrap_or_default(),
                        rings_heard: count(r, 4),
                        within_three_rings: count(r, 5),
                        missed: count(r, 6),
                        closed_answered: count(r, 7),
                        complete: count(r, 8),
                        greeted: count(r, 9),
                        ..ReportGroup::default()
                    };
                    ((g.taker_id.clone(), g.day), g)
                })
                .collect();
        for r in tx.query(
            REVIEWED,
            &[&scope.from, &scope.to, &scope.taker, &start, &end, &offset],
        )? {
            if let Some(g) = groups.get_mut(&(r.get(0), r.get(1))) {
                g.reviewed = count(&r, 2);
                g.scores = r.get::<_, Option<Vec<f64>>>(3).unwrap_or_default();
                g.critical = count(&r, 4);
            }
        }
        tx.commit()?;
        let groups: Vec<ReportGroup> = groups.into_values().collect();
        let dispositions = self
            .client()
            .query(
                DISPOSITIONS,
                &[&scope.from, &scope.to, &scope.taker, &start, &end, &offset],
            )?
            .iter()
            .map(|r| (r.get(0), count(r, 1)))
            .collect();
        let due: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)> = self
            .client()
            .query(DUE, &[&scope.from, &scope.to, &scope.taker])?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        Ok(build_report(scope, &groups, dispositions, &due, now))
    }
}
