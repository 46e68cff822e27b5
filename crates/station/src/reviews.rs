//! QA reviews at the station: each seat's reviews of any seat's calls. A
//! call reviewed at two seats keeps both; the newer is the one shown, and
//! the second seat to review it is recorded as a `reviewed_twice` conflict
//! so the lead knows two scores exist.

use jiejing_core::qa::ReviewStatus;
use jiejing_core::CallId;
use jiejing_store::{Review, SeatReview};
use postgres::Transaction;

use crate::{Station, StationError};

/// Upserts `by_seat`'s review (a newer one replaces its older one).
pub(crate) fn upsert(
    tx: &mut Transaction<'_>,
    by_seat: &str,
    r: &SeatReview,
) -> Result<(), StationError> {
    let seat = if r.seat.is_empty() { by_seat } else { &r.seat };
    let v = &r.review;
    let Some(at) = v.reviewed_at else {
        return Ok(()); // drawn into the sample, not yet reviewed
    };
    let doc = serde_json::json!({ "marks": v.marks, "notes": v.notes });
    let reviewer = v.reviewer.clone().unwrap_or_default();
    let n = tx.execute(
        "INSERT INTO reviews (seat, call_id, by_seat, reviewer, at, score, critical, doc)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (seat, call_id, by_seat) DO UPDATE SET reviewer = excluded.reviewer,
            at = excluded.at, score = excluded.score, critical = excluded.critical, doc = excluded.doc
         WHERE reviews.at < excluded.at",
        &[&seat, &v.call_id, &by_seat, &reviewer, &at, &v.score, &v.critical, &doc],
    )?;
    if n == 0 {
        return Ok(());
    }
    // Through the server's function: this seat may not read the other
    // seats' reviews, only learn that they exist.
    let others: Vec<String> = tx
        .query_one("SELECT jiejing_reviewed_by($1, $2)", &[&seat, &v.call_id])?
        .get::<_, Vec<String>>(0)
        .into_iter()
        .filter(|s| s != by_seat)
        .collect();
    let known = tx
        .query_opt(
            "SELECT 1 FROM conflicts WHERE seat = $1 AND ref = $2 AND kind = 'reviewed_twice' AND from_seat = $3",
            &[&seat, &v.call_id, &by_seat],
        )?
        .is_some();
    if !others.is_empty() && !known {
        let detail = format!(
            "call {} of seat {seat} reviewed at seat {by_seat} ({reviewer}, score {}) and at seat {}",
            v.call_id,
            v.score.map_or("-".into(), |s| s.to_string()),
            others.join(", ")
        );
        crate::followups::record(tx, seat, "reviewed_twice", v.call_id, by_seat, &detail)?;
    }
    Ok(())
}

impl Station {
    /// The newest review of `seat`'s call `id`, from any seat.
    ///
    /// # Errors
    /// Database errors; a review this desk cannot read.
    pub fn review_of(&mut self, seat: &str, id: CallId) -> Result<Option<Review>, StationError> {
        let Some(r) = self.client().query_opt(
            "SELECT reviewer, at, score, critical, doc FROM reviews WHERE seat = $1 AND call_id = $2
             ORDER BY at DESC LIMIT 1",
            &[&seat, &id],
        )?
        else {
            return Ok(None);
        };
        let doc: serde_json::Value = r.get(4);
        let bad =
            |e: serde_json::Error| StationError::Db(format!("a review this desk cannot read: {e}"));
        Ok(Some(Review {
            call_id: id,
            status: ReviewStatus::Reviewed,
            sampled_at: None,
            reviewer: Some(r.get(0)),
            reviewed_at: Some(r.get(1)),
            score: r.get(2),
            critical: r.get(3),
            marks: serde_json::from_value(doc["marks"].clone()).map_err(bad)?,
            notes: doc["notes"].as_str().unwrap_or_default().to_string(),
        }))
    }
}
