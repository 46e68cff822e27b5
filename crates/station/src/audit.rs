//! The station's copy of a seat's audit chain, checked against the seat's
//! own (`jiejing audit verify` on a joined desk). The station keeps every
//! entry a seat pushed and the seat's chain head, so entries removed or
//! rewritten at the seat afterwards show here, which the seat's own chain
//! cannot tell (its newest entries can be cut off cleanly).

use std::collections::BTreeMap;

use crate::{Station, StationError};

impl Station {
    /// `seat`'s audit entries about its call `id`, oldest first (the
    /// timeline of another seat's call in the lead's review).
    ///
    /// # Errors
    /// Database errors.
    pub fn audit_of_call(
        &mut self,
        seat: &str,
        id: jiejing_core::CallId,
    ) -> Result<Vec<jiejing_store::AuditEntry>, StationError> {
        Ok(self
            .client()
            .query(
                "SELECT id, at, actor, action, call_id, detail FROM audit
                 WHERE seat = $1 AND call_id = $2 ORDER BY id",
                &[&seat, &id],
            )?
            .iter()
            .map(|r| jiejing_store::AuditEntry {
                id: r.get(0),
                at: r.get(1),
                actor: r.get(2),
                action: r.get(3),
                call_id: r.get(4),
                detail: r.get(5),
            })
            .collect())
    }

    /// Compares `seat`'s chain at the station with the seat's own entries
    /// (`local`: id and hash, in order). Returns how many station entries
    /// were compared and the problems found, as `(entry id, what)`.
    ///
    /// # Errors
    /// Database errors.
    pub fn check_audit(
        &mut self,
        seat: &str,
        local: &[(i64, String)],
    ) -> Result<(u64, Vec<(i64, String)>), StationError> {
        let rows = self.client().query(
            "SELECT id, prev_hash, hash FROM audit WHERE seat = $1 ORDER BY id",
            &[&seat],
        )?;
        let head = self.client().query_opt(
            "SELECT audit_head_id, audit_head_hash FROM seats WHERE seat = $1",
            &[&seat],
        )?;
        let here: BTreeMap<i64, &str> = local.iter().map(|(id, h)| (*id, h.as_str())).collect();
        let mut problems = Vec::new();
        let mut prev: Option<(i64, String)> = None;
        for r in &rows {
            let (id, prev_hash, hash): (i64, String, String) = (r.get(0), r.get(1), r.get(2));
            if let Some((p, ph)) = &prev {
                if id == p + 1 && prev_hash != *ph {
                    problems.push((
                        id,
                        "the station's copy does not follow its entry before".into(),
                    ));
                }
            }
            match here.get(&id) {
                None => problems.push((id, "is at the station but gone from this desk".into())),
                Some(h) if *h != hash => {
                    problems.push((
                        id,
                        "differs from the station's copy (changed at this desk)".into(),
                    ));
                }
                Some(_) => {}
            }
            prev = Some((id, hash));
        }
        if let Some(h) = head {
            let (id, hash): (i64, String) = (h.get(0), h.get(1));
            let last = local.last().map_or(0, |l| l.0);
            if id > last {
                problems.push((
                    id,
                    format!("the station's chain head is entry {id}; this desk's chain ends at {last}: entries were removed"),
                ));
            } else if id > 0 && here.get(&id).is_some_and(|h| *h != hash) {
                problems.push((
                    id,
                    "is the station's chain head, and this desk holds another entry there".into(),
                ));
            }
        }
        problems.sort_by_key(|p| p.0);
        problems.dedup();
        Ok((rows.len() as u64, problems))
    }
}
