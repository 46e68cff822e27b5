//! The shift lead's call log: filters, full-text search, "failed" calls and
//! keyset paging (newest first), so any page of a year of calls is one walk
//! down the `ring_at` index.

use chrono::{DateTime, Utc};
use jiejing_core::qa::{Failure, ReviewFilter, ReviewStatus};
use jiejing_core::{CallId, CallState, Disposition, SituationKind};
use serde::{Deserialize, Serialize};

use crate::codec::{key, key_list, parse_time, time, SITUATIONS_SQL};
use crate::{Store, StoreError};

/// Which calls a log, report or export covers: rang in `[from, to)`,
/// optionally one call-taker's, optionally one shift (minutes of the local
/// day, `end` < `start` when it runs past midnight).
#[derive(Debug, Clone, PartialEq)]
pub struct Scope<'a> {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub taker: Option<&'a str>,
    pub shift: Option<(u32, u32)>,
    /// The station zone's offset from UTC, for shifts and days.
    pub offset_min: i32,
}

/// `WHERE` terms for a [`Scope`] on `calls c`, numbered from `?1`:
/// from, to, taker, shift start, shift end, offset seconds.
pub(crate) const SCOPE_SQL: &str = "c.ring_at >= ?1 AND c.ring_at < ?2 AND (?3 IS NULL OR c.taker_id = ?3)
    AND (?4 IS NULL OR (CASE WHEN ?4 < ?5
         THEN ((unixepoch(c.ring_at) + ?6) % 86400) / 60 >= ?4 AND ((unixepoch(c.ring_at) + ?6) % 86400) / 60 < ?5
         ELSE ((unixepoch(c.ring_at) + ?6) % 86400) / 60 >= ?4 OR ((unixepoch(c.ring_at) + ?6) % 86400) / 60 < ?5 END))";

impl Scope<'_> {
    pub(crate) fn params(&self) -> [rusqlite::types::Value; 6] {
        use rusqlite::types::Value;
        let opt = |v: Option<u32>| v.map_or(Value::Null, |v| Value::Integer(i64::from(v)));
        [
            Value::Text(time(self.from)),
            Value::Text(time(self.to)),
            self.taker.map_or(Value::Null, |t| Value::Text(t.into())),
            opt(self.shift.map(|s| s.0)),
            opt(self.shift.map(|s| s.1)),
            Value::Integer(i64::from(self.offset_min) * 60),
        ]
    }
}

/// Where the next page starts: the last row shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct LogCursor {
    pub ring_at: DateTime<Utc>,
    /// The row's seat on a station's log ("" on a desk's own).
    #[serde(default)]
    pub seat: String,
    pub id: CallId,
}

/// The log's filters beyond the [`Scope`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct LogFilter {
    pub disposition: Option<Disposition>,
    pub situation: Option<SituationKind>,
    /// Digits anywhere in the caller's number.
    pub caller: Option<String>,
    /// Only calls that broke the norm (see [`Failure`]).
    pub failed: bool,
    /// Words searched in element values, notes and the complaint.
    pub text: Option<String>,
    pub review: Option<ReviewFilter>,
}

/// One row of the log.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct LogRow {
    /// The call's seat on a station's log; "" for this desk's own.
    pub seat: String,
    pub id: CallId,
    pub ring_at: DateTime<Utc>,
    pub taker_id: String,
    pub caller_number: String,
    pub state: CallState,
    pub disposition: Option<Disposition>,
    pub rings_before_answer: Option<u32>,
    pub answer_s: Option<f64>,
    /// Of 8.
    pub elements_done: u32,
    pub situations: Vec<SituationKind>,
    pub failures: Vec<Failure>,
    pub review: Option<ReviewStatus>,
    pub score: Option<f64>,
}

const LOG_SQL: &str = "SELECT c.id, c.ring_at, c.taker_id, c.caller_number, c.state, c.disposition,
        c.rings_before_answer, c.answer_ms, c.elements_done, c.missed,
        c.state = 'closed' AND c.answered_at IS NOT NULL AND c.greeting_at IS NULL,
        {SITUATIONS},
        EXISTS (SELECT 1 FROM followups f WHERE f.call_id = c.id
                AND (f.closed_at > f.due_at OR (f.closed_at IS NULL AND f.due_at < ?7))),
        r.status, r.score
    FROM {FROM} LEFT JOIN reviews r ON r.call_id = c.id
    WHERE {SCOPE}
      AND (?8 IS NULL OR c.disposition = ?8)
      AND (?9 IS NULL OR EXISTS (SELECT 1 FROM call_situations s WHERE s.call_id = c.id AND s.kind = ?9))
      AND (?10 IS NULL OR c.caller_digits LIKE '%' || ?10 || '%')
      AND (?11 IS NULL OR {TEXT})
      AND (?12 IS NULL OR r.status = ?12 OR (?12 = 'not_reviewed' AND (r.status IS NULL OR r.status = 'sampled')))
      AND (?13 = 0 OR c.missed = 1 OR c.rings_before_answer > 3
           OR (c.state = 'closed' AND c.answered_at IS NOT NULL AND (c.elements_done < 8 OR c.greeting_at IS NULL))
           OR EXISTS (SELECT 1 FROM followups f WHERE f.call_id = c.id
                      AND (f.closed_at > f.due_at OR (f.closed_at IS NULL AND f.due_at < ?7))))
      AND (?14 IS NULL OR c.ring_at < ?14 OR (c.ring_at = ?14 AND c.id < ?15))
    ORDER BY c.ring_at DESC, c.id DESC LIMIT ?16";

impl Store {
    /// One page of the log, newest first, starting after `after`.
    ///
    /// # Errors
    /// SQLite errors, [`StoreError::Corrupt`].
    pub fn log(
        &self,
        scope: &Scope<'_>,
        filter: &LogFilter,
        after: Option<&LogCursor>,
        limit: u32,
        now: DateTime<Utc>,
    ) -> Result<Vec<LogRow>, StoreError> {
        use rusqlite::types::Value;
        let text_query = filter.text.as_deref().and_then(crate::search::query);
        // A search that hits few calls is answered from the index, then
        // sorted; one that hits many walks the calls newest first and stops
        // at a page (forcing either way costs a full walk of the range when
        // matches are rare, or a sort of every hit when they are common).
        let from = match &text_query {
            Some(q) if self.few_hits(q)? => "(SELECT rowid AS hit FROM call_text WHERE call_text MATCH ?11) h CROSS JOIN calls c ON c.id = h.hit",
            _ => "calls c",
        };
        let sql = LOG_SQL
            .replace("{SCOPE}", SCOPE_SQL)
            .replace("{SITUATIONS}", SITUATIONS_SQL)
            .replace("{FROM}", from)
            .replace(
                "{TEXT}",
                if from == "calls c" {
                    "c.id IN (SELECT rowid FROM call_text WHERE call_text MATCH ?11)"
                } else {
                    "1"
                },
            );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let text = |v: Option<String>| v.map_or(Value::Null, Value::Text);
        let caller = filter
            .caller
            .as_deref()
            .map(jiejing_core::text::phone_digits)
            .filter(|d| !d.is_empty());
        let mut p: Vec<Value> = scope.params().into();
        p.extend([
            Value::Text(time(now)),
            text(filter.disposition.map(|d| d.as_str().into())),
            text(filter.situation.map(|s| s.as_str().into())),
            text(caller),
            text(text_query),
            text(filter.review.map(|r| r.as_str().into())),
            Value::Integer(i64::from(filter.failed)),
            text(after.map(|a| time(a.ring_at))),
            after.map_or(Value::Null, |a| Value::Integer(a.id)),
            Value::Integer(i64::from(limit.clamp(1, 1000))),
        ]);
        let mut rows = stmt.query(rusqlite::params_from_iter(p))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(log_row(r)?);
        }
        Ok(out)
    }
}

/// Up to this many hits, a search starts from the index.
const FEW_HITS: i64 = 5000;

impl Store {
    fn few_hits(&self, query: &str) -> Result<bool, StoreError> {
        let n: i64 = self
            .conn
            .prepare_cached(
                "SELECT count(*) FROM (SELECT 1 FROM call_text WHERE call_text MATCH ?1 LIMIT ?2)",
            )?
            .query_row(rusqlite::params![query, FEW_HITS], |r| r.get(0))?;
        Ok(n < FEW_HITS)
    }
}

/// Why a call broke the norm, from what its row holds: the one rule of the
/// log's "failed" reasons, on a desk and at a station.
pub fn failures(
    missed: bool,
    rings: Option<u32>,
    no_greeting: bool,
    elements_missing: bool,
    overdue: bool,
) -> Vec<Failure> {
    [
        (missed, Failure::Missed),
        (
            rings.is_some_and(|n| n > jiejing_core::MAX_RINGS),
            Failure::OverThreeRings,
        ),
        (no_greeting, Failure::NoGreeting),
        (elements_missing, Failure::ElementsMissing),
        (overdue, Failure::ComplaintOverdue),
    ]
    .into_iter()
    .filter_map(|(on, f)| on.then_some(f))
    .collect()
}

fn log_row(r: &rusqlite::Row<'_>) -> Result<LogRow, StoreError> {
    let state = key("call state", &r.get::<_, String>(4)?, CallState::parse)?;
    let disposition: Option<String> = r.get(5)?;
    let rings: Option<u32> = r.get(6)?;
    let answer_ms: Option<i64> = r.get(7)?;
    let done: u32 = r.get(8)?;
    let (missed, no_greeting, overdue): (bool, bool, bool) = (r.get(9)?, r.get(10)?, r.get(12)?);
    let sits: Option<String> = r.get(11)?;
    let closed_answered = state == CallState::Closed && answer_ms.is_some();
    let failures = failures(
        missed,
        rings,
        no_greeting,
        closed_answered && done < 8,
        overdue,
    );
    let review: Option<String> = r.get(13)?;
    Ok(LogRow {
        seat: String::new(),
        id: r.get(0)?,
        ring_at: parse_time(&r.get::<_, String>(1)?)?,
        taker_id: r.get(2)?,
        caller_number: r.get(3)?,
        state,
        disposition: disposition
            .map(|d| key("disposition", &d, Disposition::parse))
            .transpose()?,
        rings_before_answer: rings,
        answer_s: answer_ms.map(|ms| ms as f64 / 1000.0),
        elements_done: done,
        situations: key_list("situation", &sits.unwrap_or_default(), SituationKind::parse)?,
        failures,
        review: review
            .map(|s| key("review", &s, ReviewStatus::parse))
            .transpose()?,
        score: r.get(14)?,
    })
}
