//! Personal-data retention (PIPL art. 19 and 47): a closed call older than
//! the station's period loses what identifies its caller (the number, the
//! items' words, notes, the complainant, the transcript, its search
//! words, and what the follow-up's replies said) and keeps what the
//! figures need: times, rings, the answer, which items were answered,
//! situations, referrals, the disposition, the follow-up's dates and its
//! replies' times, methods and who made them, the review. Each call's change is an
//! audit entry carrying its new hash (so `audit verify` still checks it),
//! and a joined desk sends the station the call and its empty transcript.

use chrono::{DateTime, Utc};
use jiejing_core::CallId;
use rusqlite::params;

use crate::codec::time;
use crate::{Store, StoreError};

/// What an item's words become: the item stays answered for the figures.
pub const REMOVED: &str = "＊";

impl Store {
    /// De-identifies up to `limit` closed calls that rang before `before`,
    /// in one transaction, audited as `call_deidentified` by `actor`;
    /// returns them (fewer than `limit`: none are left).
    ///
    /// # Errors
    /// SQLite errors.
    pub fn deidentify_calls(
        &mut self,
        before: DateTime<Utc>,
        limit: usize,
        at: DateTime<Utc>,
        actor: &str,
        detail: &serde_json::Value,
    ) -> Result<Vec<CallId>, StoreError> {
        let tx = self.conn.transaction()?;
        let ids: Vec<CallId> = tx
            .prepare(
                "SELECT id FROM calls WHERE deidentified_at IS NULL AND state = 'closed'
                 AND ring_at < ?1 ORDER BY ring_at LIMIT ?2",
            )?
            .query_map(params![time(before), limit as i64], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for &id in &ids {
            tx.execute(
                "UPDATE calls SET caller_number = '', caller_digits = '', notes = '',
                   deidentified_at = ?2, rev = rev + 1 WHERE id = ?1",
                params![id, time(at)],
            )?;
            tx.execute(
                "UPDATE call_elements SET value = ?2 WHERE call_id = ?1 AND value <> ''",
                params![id, REMOVED],
            )?;
            tx.execute(
                "UPDATE complaints SET name = '', address = '', work_unit = '', phone = '',
                   what_happened = '', subject = '' WHERE call_id = ?1",
                [id],
            )?;
            // What the complainant was told and how they took it.
            let replies = tx.execute(
                "UPDATE followup_replies SET content = ?2, outcome = CASE WHEN outcome = '' THEN '' ELSE ?2 END
                 WHERE followup_id IN (SELECT id FROM followups WHERE call_id = ?1) AND content <> ?2",
                params![id, REMOVED],
            )?;
            if replies > 0 {
                let followups: Vec<i64> = tx
                    .prepare("SELECT id FROM followups WHERE call_id = ?1")?
                    .query_map([id], |r| r.get(0))?
                    .collect::<Result<_, _>>()?;
                for f in followups {
                    crate::outbox::enqueue(&tx, "followup", f)?;
                }
            }
            tx.execute("DELETE FROM call_speech WHERE call_id = ?1", [id])?;
            tx.execute("DELETE FROM call_text WHERE rowid = ?1", [id])?;
            let call = crate::store::load_call(&tx, id)?
                .ok_or_else(|| StoreError::Corrupt(format!("call {id} vanished")))?;
            let mut d = detail.clone();
            d["callHash"] = crate::audit::call_hash(&call)?.into();
            crate::audit::append(
                &tx,
                &self.audit_key,
                at,
                actor,
                "call_deidentified",
                Some(id),
                &d,
            )?;
            crate::outbox::enqueue(&tx, "call", id)?;
            crate::outbox::enqueue(&tx, "speech", id)?;
        }
        tx.commit()?;
        Ok(ids)
    }
}
