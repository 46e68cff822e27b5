//! The shift lead's figures over a time range: the three-ring rule, answer
//! times (NENA-style percentiles and % within 10/15/20 s), completeness,
//! dispositions, follow-ups; per call-taker too. One indexed range scan of
//! `calls` (the figures are kept on each call row) plus the follow-ups due
//! in the range.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rusqlite::params;
use serde::Serialize;

use crate::codec::{parse_opt_time, parse_time, time};
use crate::log::{Scope, SCOPE_SQL};
use crate::{Store, StoreError};

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Figures {
    pub calls: u64,
    pub answered: u64,
    pub missed: u64,
    /// Calls whose rings were heard (the three-ring rule can be judged).
    pub rings_heard: u64,
    pub within_three_rings: u64,
    pub three_ring_pct: Option<f64>,
    /// Seconds from the first ring (or F2) to the answer.
    pub answer_p50_s: Option<f64>,
    pub answer_p90_s: Option<f64>,
    pub answer_p95_s: Option<f64>,
    pub within_10s_pct: Option<f64>,
    pub within_15s_pct: Option<f64>,
    pub within_20s_pct: Option<f64>,
    /// Closed, answered calls with all eight items answered or not applicable.
    pub complete_pct: Option<f64>,
    /// Answered calls whose greeting was marked.
    pub greeting_pct: Option<f64>,
    /// QA: calls scored, their mean score, and those with a critical deviation.
    pub reviewed: u64,
    pub qa_mean: Option<f64>,
    pub qa_critical: u64,
}

/// One local day of the range, for the dashboard's charts.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DayFigures {
    /// YYYY-MM-DD in the station's zone.
    pub day: String,
    pub calls: u64,
    pub three_ring_pct: Option<f64>,
    pub answer_p90_s: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TakerFigures {
    pub taker_id: String,
    #[serde(flatten)]
    pub figures: Figures,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct FollowUpFigures {
    /// Follow-ups whose due time falls in the range.
    pub due: u64,
    pub closed_on_time: u64,
    pub closed_late: u64,
    /// Of those due in the range: still open and past due now.
    pub open_overdue: u64,
    pub on_time_pct: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub taker_id: Option<String>,
    #[serde(flatten)]
    pub figures: Figures,
    /// Closed calls by disposition ("missed" for calls that rang out).
    pub dispositions: BTreeMap<String, u64>,
    pub followups: FollowUpFigures,
    pub by_taker: Vec<TakerFigures>,
    pub by_day: Vec<DayFigures>,
    /// A joined desk's figures over this seat's calls only (asked for, or
    /// the station could not be reached).
    pub this_seat_only: bool,
}

/// One call's figures as read from its row, at a desk or at the station.
#[derive(Debug, Clone)]
pub struct ReportRow {
    pub taker_id: String,
    pub answer_ms: Option<i64>,
    pub rings: Option<i64>,
    pub elements_done: i64,
    pub greeted: bool,
    pub closed: bool,
    pub missed: bool,
    pub disposition: Option<String>,
    /// QA score and critical flag, when reviewed.
    pub qa: Option<(Option<f64>, bool)>,
    /// Days since 1970-01-01 in the station's zone.
    pub day: i64,
}

type Row = ReportRow;

impl Store {
    /// Figures for the calls in `scope`; follow-ups due in its range (of
    /// its call-taker), judged at `now`.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn report(&self, scope: &Scope<'_>, now: DateTime<Utc>) -> Result<Report, StoreError> {
        let sql = format!(
            "SELECT c.taker_id, c.answer_ms, c.rings_before_answer, c.elements_done, c.greeting_at IS NOT NULL,
                    c.state = 'closed', c.missed, c.disposition, r.status = 'reviewed', r.score, r.critical,
                    (unixepoch(c.ring_at) + ?6) / 86400
             FROM calls c LEFT JOIN reviews r ON r.call_id = c.id WHERE {SCOPE_SQL}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut calls = Vec::new();
        let mut rows = stmt.query(rusqlite::params_from_iter(scope.params()))?;
        while let Some(r) = rows.next()? {
            let reviewed: Option<bool> = r.get(8)?;
            calls.push(Row {
                taker_id: r.get(0)?,
                answer_ms: r.get(1)?,
                rings: r.get(2)?,
                elements_done: r.get(3)?,
                greeted: r.get(4)?,
                closed: r.get(5)?,
                missed: r.get(6)?,
                disposition: r.get(7)?,
                qa: reviewed
                    .unwrap_or(false)
                    .then(|| Ok::<_, rusqlite::Error>((r.get(9)?, r.get(10)?)))
                    .transpose()?,
                day: r.get(11)?,
            });
        }
        let mut due = Vec::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT f.due_at, f.closed_at FROM followups f JOIN calls c ON c.id = f.call_id
             WHERE f.due_at >= ?1 AND f.due_at < ?2 AND (?3 IS NULL OR c.taker_id = ?3)",
        )?;
        let mut rows = stmt.query(params![time(scope.from), time(scope.to), scope.taker])?;
        while let Some(r) = rows.next()? {
            let (at, closed): (String, Option<String>) = (r.get(0)?, r.get(1)?);
            due.push((parse_time(&at)?, parse_opt_time(closed)?));
        }
        let (groups, dispositions) = crate::report_build::group_rows(&calls);
        Ok(crate::report_build::build(
            scope,
            &groups,
            dispositions,
            &due,
            now,
        ))
    }
}
