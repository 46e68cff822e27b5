//! Reads across seats: the repeat lookup and the call list.

use chrono::{DateTime, Utc};
use jiejing_core::{text, Call, CallId, CallState, Disposition, SituationKind};
use jiejing_store::CallSummary;
use postgres::Row;
use serde::Serialize;

use crate::{Station, StationError};

/// A call as the station holds it, with the urges other seats recorded on it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StationCall {
    pub seat: String,
    pub call: Call,
    /// The hash the seat computed when it pushed this revision.
    pub hash: String,
    /// Later calls at other seats that urged this one: (seat, call id, when).
    pub urged_by: Vec<(String, CallId, DateTime<Utc>)>,
}

/// One row of the station's call list: the row of a desk's list, with its
/// seat (`repeatOf` is a call of the same seat).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SeatCall {
    pub seat: String,
    #[serde(flatten)]
    pub call: CallSummary,
    /// Times another seat's call urged this one.
    pub urges: u32,
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> StationError {
    StationError::Db(format!(
        "the station holds a {what} this desk cannot read: {e}"
    ))
}

impl Station {
    /// The newest call from the same number that rang at or after `since`,
    /// at any seat, other than (`seat`, `id`).
    ///
    /// # Errors
    /// Database errors.
    pub fn latest_from_number(
        &mut self,
        number: &str,
        since: DateTime<Utc>,
        seat: &str,
        id: CallId,
    ) -> Result<Option<StationCall>, StationError> {
        let digits = text::phone_digits(number);
        if digits.is_empty() {
            return Ok(None);
        }
        // Through the server's function: a call-taker's login reads no
        // other seat's calls, but the repeat lookup is every seat's work.
        let row = self.client().query_opt(
            "SELECT seat, doc, hash, urged_by FROM jiejing_repeat_call($1, $2, $3, $4)",
            &[&digits, &since, &seat, &id],
        )?;
        let Some(r) = row else {
            return Ok(None);
        };
        let call: Call = serde_json::from_value(r.get(1)).map_err(|e| corrupt("call", e))?;
        let urged_by: Vec<(String, CallId, DateTime<Utc>)> =
            serde_json::from_value(r.get(3)).map_err(|e| corrupt("urge", e))?;
        Ok(Some(StationCall {
            seat: r.get(0),
            call,
            hash: r.get(2),
            urged_by,
        }))
    }

    /// One call by seat and id.
    ///
    /// # Errors
    /// Database errors; a record this desk cannot read.
    pub fn call(&mut self, seat: &str, id: CallId) -> Result<Option<StationCall>, StationError> {
        let Some(row) = self.client().query_opt(
            "SELECT doc, hash FROM calls WHERE seat = $1 AND id = $2",
            &[&seat, &id],
        )?
        else {
            return Ok(None);
        };
        let doc: serde_json::Value = row.get(0);
        let call: Call = serde_json::from_value(doc).map_err(|e| corrupt("call", e))?;
        let urged_by = self
            .client()
            .query(
                "SELECT by_seat, by_call_id, at FROM urges WHERE seat = $1 AND call_id = $2 ORDER BY at",
                &[&seat, &id],
            )?
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect();
        Ok(Some(StationCall {
            seat: seat.into(),
            call,
            hash: row.get(1),
            urged_by,
        }))
    }

    /// `seat`'s call `id`'s transcript, in the order heard.
    ///
    /// # Errors
    /// Database errors; an utterance this desk cannot read.
    pub fn speech(
        &mut self,
        seat: &str,
        id: CallId,
    ) -> Result<Vec<jiejing_core::SpeechSegment>, StationError> {
        self.client()
            .query(
                "SELECT doc FROM speech WHERE seat = $1 AND call_id = $2 ORDER BY n",
                &[&seat, &id],
            )?
            .iter()
            .map(|r| serde_json::from_value(r.get(0)).map_err(|e| corrupt("utterance", e)))
            .collect()
    }

    /// Calls of every seat that rang at or after `since`, newest first.
    ///
    /// # Errors
    /// Database errors.
    pub fn list_calls(
        &mut self,
        since: Option<DateTime<Utc>>,
        limit: usize,
    ) -> Result<Vec<SeatCall>, StationError> {
        // PostgreSQL has no timestamp as early as chrono's minimum.
        let since = since.unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
        let rows = self.client().query(
            "SELECT c.seat, c.id, c.state, c.ring_at, c.answered_at, c.closed_at, c.caller_number, c.taker_id,
                    c.disposition, c.elements_done, c.situations,
                    (SELECT count(*) FROM urges u WHERE u.seat = c.seat AND u.call_id = c.id),
                    (c.doc->>'repeatOf')::bigint
             FROM calls c WHERE c.ring_at >= $1 ORDER BY c.ring_at DESC, c.seat, c.id DESC LIMIT $2",
            &[&since, &(limit as i64)],
        )?;
        rows.iter().map(seat_call).collect()
    }

    /// Calls per seat and the content hash of each, for checks: (seat, id, hash).
    ///
    /// # Errors
    /// Database errors.
    pub fn hashes(&mut self) -> Result<Vec<(String, CallId, String)>, StationError> {
        Ok(self
            .client()
            .query("SELECT seat, id, hash FROM calls ORDER BY seat, id", &[])?
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect())
    }
}

fn seat_call(r: &Row) -> Result<SeatCall, StationError> {
    let state: &str = r.get(2);
    let disposition: Option<&str> = r.get(8);
    let situations: Vec<String> = r.get(10);
    Ok(SeatCall {
        seat: r.get(0),
        call: CallSummary {
            id: r.get(1),
            state: CallState::parse(state).ok_or_else(|| corrupt("call state", state))?,
            ring_at: r.get(3),
            answered_at: r.get(4),
            closed_at: r.get(5),
            caller_number: r.get(6),
            taker_id: r.get(7),
            disposition: disposition
                .map(|d| Disposition::parse(d).ok_or_else(|| corrupt("disposition", d)))
                .transpose()?,
            elements_done: r.get::<_, i32>(9) as u32,
            situations: situations
                .iter()
                .map(|s| SituationKind::parse(s).ok_or_else(|| corrupt("situation", s)))
                .collect::<Result<_, _>>()?,
            repeat_of: r.get(12),
        },
        urges: r.get::<_, i64>(11) as u32,
    })
}
