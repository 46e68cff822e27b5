//! QA reviews: a random sample drawn into the review queue, then a scored
//! checklist per call. Every draw and every score goes into the audit trail
//! in the same transaction.

use chrono::{DateTime, Utc};
use jiejing_core::qa::{QaMark, ReviewStatus};
use jiejing_core::CallId;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use crate::codec::{key, parse_opt_time, time};
use crate::log::{Scope, SCOPE_SQL};
use crate::{Store, StoreError};

/// A call's review as saved.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Review {
    pub call_id: CallId,
    pub status: ReviewStatus,
    pub sampled_at: Option<DateTime<Utc>>,
    pub reviewer: Option<String>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub score: Option<f64>,
    pub critical: bool,
    pub marks: Vec<QaMark>,
    pub notes: String,
}

/// A finished review to save.
pub struct ReviewInput<'a> {
    pub call_id: CallId,
    pub reviewer: &'a str,
    pub at: DateTime<Utc>,
    pub marks: &'a [QaMark],
    pub score: Option<f64>,
    pub critical: bool,
    pub notes: &'a str,
}

impl Store {
    /// Draws `pct` % (rounded up) of the closed, answered calls in `scope`
    /// that have no review yet into the queue, at random. Returns how many.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn draw_sample(
        &mut self,
        scope: &Scope<'_>,
        pct: f64,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let tx = self.conn.transaction()?;
        let eligible = format!(
            "FROM calls c WHERE {SCOPE_SQL} AND c.state = 'closed' AND c.answered_at IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.call_id = c.id)"
        );
        let total: i64 = tx
            .prepare(&format!("SELECT count(*) {eligible}"))?
            .query_row(rusqlite::params_from_iter(scope.params()), |r| r.get(0))?;
        let n = (total as f64 * pct / 100.0).ceil() as i64;
        let mut p: Vec<rusqlite::types::Value> = scope.params().into();
        p.extend([time(now).into(), n.into()]);
        let drawn = tx.execute(
            &format!("INSERT INTO reviews (call_id, status, sampled_at) SELECT c.id, 'sampled', ?7 {eligible} ORDER BY random() LIMIT ?8"),
            rusqlite::params_from_iter(p),
        )? as u64;
        let detail = serde_json::json!({
            "pct": pct, "drawn": drawn, "eligible": total,
            "from": time(scope.from), "to": time(scope.to), "taker": scope.taker,
        });
        crate::audit::append(&tx, &self.audit_key, now, actor, "sample", None, &detail)?;
        tx.commit()?;
        Ok(drawn)
    }

    /// Saves a scored review (a new one, or over a sampled or earlier one).
    ///
    /// # Errors
    /// SQLite errors.
    pub fn save_review(&mut self, r: &ReviewInput<'_>) -> Result<(), StoreError> {
        let marks =
            serde_json::to_string(r.marks).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO reviews (call_id, status, reviewer, reviewed_at, score, critical, marks, notes)
             VALUES (?1, 'reviewed', ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (call_id) DO UPDATE SET status = 'reviewed', reviewer = ?2, reviewed_at = ?3,
                 score = ?4, critical = ?5, marks = ?6, notes = ?7",
            params![r.call_id, r.reviewer, time(r.at), r.score, r.critical, marks, r.notes],
        )?;
        let detail = serde_json::json!({ "score": r.score, "critical": r.critical, "marks": r.marks, "notes": r.notes });
        crate::audit::append(
            &tx,
            &self.audit_key,
            r.at,
            r.reviewer,
            "review",
            Some(r.call_id),
            &detail,
        )?;
        crate::outbox::enqueue(&tx, "review", r.call_id)?;
        tx.commit()?;
        Ok(())
    }

    /// # Errors
    /// SQLite errors, [`StoreError::Corrupt`].
    pub fn load_review(&self, call_id: CallId) -> Result<Option<Review>, StoreError> {
        load(&self.conn, call_id)
    }
}

/// Call `call_id`'s review, on any connection (the outbox reads it in its
/// own transaction).
pub(crate) fn load(
    conn: &rusqlite::Connection,
    call_id: CallId,
) -> Result<Option<Review>, StoreError> {
    {
        let row = conn
            .prepare_cached(
                "SELECT status, sampled_at, reviewer, reviewed_at, score, critical, marks, notes FROM reviews WHERE call_id = ?1",
            )?
            .query_row([call_id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<f64>>(4)?,
                    r.get::<_, bool>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, String>(7)?,
                ))
            })
            .optional()?;
        row.map(
            |(status, sampled, reviewer, reviewed, score, critical, marks, notes)| {
                Ok(Review {
                    call_id,
                    status: key("review status", &status, ReviewStatus::parse)?,
                    sampled_at: parse_opt_time(sampled)?,
                    reviewer,
                    reviewed_at: parse_opt_time(reviewed)?,
                    score,
                    critical,
                    marks: serde_json::from_str(&marks)
                        .map_err(|e| StoreError::Corrupt(format!("review marks: {e}")))?,
                    notes,
                })
            },
        )
        .transpose()
    }
}
