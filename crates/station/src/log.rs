//! The lead's filtered log over every seat's calls: the desk's log (same
//! filters, same "failed" reasons, keyset paging newest first) read from
//! the station, each row with its seat and its newest review, or
//! "sampled" when a lead drew it into the station's sample.

use chrono::{DateTime, Utc};
use jiejing_core::qa::ReviewStatus;
use jiejing_core::{CallState, Disposition, SituationKind};
use jiejing_store::{failures, LogCursor, LogFilter, LogRow, Scope};
use postgres::types::ToSql;
use postgres::Row;

use crate::report::scope_sql;
use crate::{Station, StationError};

/// The scope's terms are report.rs's ($1–$6); then now, the filters and
/// the cursor. Text is searched in the items, the notes and the complaint,
/// as the desk's index holds them.
const LOG: &str = concat!("SELECT c.seat, c.id, c.ring_at, c.taker_id, c.caller_number, c.state, c.disposition,
        c.rings_before_answer, c.answer_ms, c.elements_done, c.missed,
        c.state = 'closed' AND c.answered_at IS NOT NULL AND NOT c.greeted,
        c.situations,
        EXISTS (SELECT 1 FROM followups f WHERE f.seat = c.seat AND f.call_id = c.id
                AND (f.closed_at > f.due_at OR (f.closed_at IS NULL AND f.due_at < $7))),
        r.status, r.score
    FROM calls c
    LEFT JOIN LATERAL (SELECT 'reviewed'::text AS status, v.score, v.at FROM reviews v
                       WHERE v.seat = c.seat AND v.call_id = c.id
                       UNION ALL
                       SELECT 'sampled', NULL, p.at FROM samples p WHERE p.seat = c.seat AND p.call_id = c.id
                       ORDER BY 1 DESC, 3 DESC LIMIT 1) r ON true
    WHERE ", scope_sql!(), "
      AND ($8::text IS NULL OR c.disposition = $8)
      AND ($9::text IS NULL OR $9 = ANY (c.situations))
      AND ($10::text IS NULL OR strpos(c.caller_digits, $10) > 0)
      AND ($11::text IS NULL OR strpos(
            coalesce((SELECT string_agg(e->>'value', ' ') FROM jsonb_array_elements(c.doc->'elements') e), '')
            || ' ' || coalesce(c.doc->>'notes', '')
            || ' ' || coalesce((SELECT string_agg(v, ' ') FROM jsonb_each_text(
                   CASE jsonb_typeof(c.doc->'complaint') WHEN 'object' THEN c.doc->'complaint' ELSE '{}'::jsonb END) AS x(k, v)), ''),
            $11) > 0)
      AND ($12::text IS NULL OR r.status = $12 OR ($12 = 'not_reviewed' AND (r.status IS NULL OR r.status = 'sampled')))
      AND (NOT $13 OR c.missed OR c.rings_before_answer > 3
           OR (c.state = 'closed' AND c.answered_at IS NOT NULL AND (c.elements_done < 8 OR NOT c.greeted))
           OR EXISTS (SELECT 1 FROM followups f WHERE f.seat = c.seat AND f.call_id = c.id
                      AND (f.closed_at > f.due_at OR (f.closed_at IS NULL AND f.due_at < $7))))
      AND ($14::timestamptz IS NULL OR (c.ring_at, c.seat, c.id) < ($14, $15, $16))
    ORDER BY c.ring_at DESC, c.seat DESC, c.id DESC LIMIT $17");

impl Station {
    /// One page of every seat's log, newest first, after `after`.
    ///
    /// # Errors
    /// Database errors; a record this desk cannot read.
    pub fn log(
        &mut self,
        scope: &Scope<'_>,
        filter: &LogFilter,
        after: Option<&LogCursor>,
        limit: u32,
        now: DateTime<Utc>,
    ) -> Result<Vec<LogRow>, StationError> {
        let (start, end, offset) = crate::report::scope_params(scope);
        let disposition = filter.disposition.map(|d| d.as_str());
        let situation = filter.situation.map(|s| s.as_str());
        let caller = filter
            .caller
            .as_deref()
            .map(jiejing_core::text::phone_digits)
            .filter(|d| !d.is_empty());
        let text = filter
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty());
        let review = filter.review.map(|r| r.as_str());
        let (at, seat, id) = (
            after.map(|a| a.ring_at),
            after.map(|a| a.seat.clone()),
            after.map(|a| a.id),
        );
        let limit = i64::from(limit.clamp(1, 1000));
        let p: [&(dyn ToSql + Sync); 17] = [
            &scope.from,
            &scope.to,
            &scope.taker,
            &start,
            &end,
            &offset,
            &now,
            &disposition,
            &situation,
            &caller,
            &text,
            &review,
            &filter.failed,
            &at,
            &seat,
            &id,
            &limit,
        ];
        self.client().query(LOG, &p)?.iter().map(log_row).collect()
    }
}

fn bad(what: &str, v: &str) -> StationError {
    StationError::Db(format!(
        "the station holds a {what} this desk cannot read: {v:?}"
    ))
}

fn log_row(r: &Row) -> Result<LogRow, StationError> {
    let state: &str = r.get(5);
    let state = CallState::parse(state).ok_or_else(|| bad("call state", state))?;
    let disposition: Option<&str> = r.get(6);
    let rings: Option<i32> = r.get(7);
    let answer_ms: Option<i64> = r.get(8);
    let done: i32 = r.get(9);
    let (missed, no_greeting, overdue): (bool, bool, bool) = (r.get(10), r.get(11), r.get(13));
    let closed_answered = state == CallState::Closed && answer_ms.is_some();
    let failures = failures(
        missed,
        rings.map(|n| n as u32),
        no_greeting,
        closed_answered && done < 8,
        overdue,
    );
    let situations: Vec<String> = r.get(12);
    let review: Option<&str> = r.get(14);
    Ok(LogRow {
        seat: r.get(0),
        id: r.get(1),
        ring_at: r.get(2),
        taker_id: r.get(3),
        caller_number: r.get(4),
        state,
        disposition: disposition
            .map(|d| Disposition::parse(d).ok_or_else(|| bad("disposition", d)))
            .transpose()?,
        rings_before_answer: rings.map(|n| n as u32),
        answer_s: answer_ms.map(|ms| ms as f64 / 1000.0),
        elements_done: done as u32,
        situations: situations
            .iter()
            .map(|s| SituationKind::parse(s).ok_or_else(|| bad("situation", s)))
            .collect::<Result<_, _>>()?,
        failures,
        review: review
            .map(|s| ReviewStatus::parse(s).ok_or_else(|| bad("review", s)))
            .transpose()?,
        score: r.get(15),
    })
}
