//! A lead's corrections of another seat's closed call (issue #12). The
//! call's seat stays its one writer: the correction is kept here and
//! shipped through the queue like a reply; the call's seat pulls it back
//! and applies it, in the order the station received it, with an audit
//! entry naming the seat and lead that made it.

use chrono::{DateTime, Utc};
use jiejing_core::{CallId, CallState, ElementKey};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;

use crate::codec::{parse_time, time};
use crate::outbox::{enqueue, Outgoing};
use crate::{Store, StoreError};

/// One correction of a closed call's item (`field`: an element key, or
/// "notes").
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Correction {
    /// "B#7": the seat that made it and its number there.
    pub origin: String,
    /// The call's seat and its id there.
    pub seat: String,
    pub call_id: CallId,
    pub field: String,
    /// What the lead saw before correcting it.
    pub old: String,
    pub new: String,
    /// The lead, as the seat that made it names them.
    pub actor: String,
    pub at: DateTime<Utc>,
}

/// The item a correction's `field` names; `None`: the notes.
///
/// # Errors
/// [`StoreError::Corrupt`] for a field that is neither.
pub fn field_key(field: &str) -> Result<Option<ElementKey>, StoreError> {
    if field == "notes" {
        return Ok(None);
    }
    ElementKey::parse(field)
        .map(Some)
        .ok_or_else(|| StoreError::Corrupt(format!("correction of unknown field {field:?}")))
}

impl Correction {
    /// Puts this correction's value into `call` by the rules of a lead's
    /// correction (closed, answered calls only; the item's own checks).
    /// Returns the value it replaced.
    ///
    /// # Errors
    /// [`StoreError::Corrupt`] for an unknown field; the rules' refusal as
    /// [`StoreError::Corrupt`] with its words.
    pub fn apply_to(&self, call: &mut jiejing_core::Call) -> Result<String, StoreError> {
        let key = field_key(&self.field)?;
        call.amend(key, &self.new, self.at)
            .map_err(|e| StoreError::Corrupt(format!("{}: {e}", self.origin)))
    }
}

impl Store {
    /// Keeps a correction of `seat`'s call and queues it for the station,
    /// with this desk's audit entry, in one transaction. `origin` of the
    /// argument is ignored; the returned one has it set.
    ///
    /// # Errors
    /// [`StoreError::Corrupt`] when this desk is not joined; SQLite errors.
    pub fn queue_station_correction(&mut self, c: &Correction) -> Result<Correction, StoreError> {
        let tx = self.conn.transaction()?;
        let mine: String = tx
            .query_row("SELECT seat FROM station_link", [], |r| r.get(0))
            .optional()?
            .ok_or_else(|| {
                StoreError::Corrupt(
                    "a correction of another seat's call needs a joined desk".into(),
                )
            })?;
        tx.execute(
            "INSERT INTO station_corrections (seat, call_id, field, old, new, actor, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![c.seat, c.call_id, c.field, c.old, c.new, c.actor, time(c.at)],
        )?;
        let id = tx.last_insert_rowid();
        let out = Correction {
            origin: format!("{mine}#{id}"),
            ..c.clone()
        };
        enqueue(&tx, "correction", id)?;
        let detail = serde_json::json!({
            "seat": c.seat, "callId": c.call_id, "field": c.field,
            "old": c.old, "new": c.new, "origin": out.origin,
        });
        crate::audit::append(
            &tx,
            &self.audit_key,
            c.at,
            &c.actor,
            "amend_seat",
            None,
            &detail,
        )?;
        tx.commit()?;
        Ok(out)
    }

    /// This desk's corrections of `seat`'s call `id`, oldest first (the
    /// station may not hold the newest yet).
    ///
    /// # Errors
    /// SQLite errors, [`StoreError::Corrupt`].
    pub fn sent_corrections(&self, seat: &str, id: CallId) -> Result<Vec<Correction>, StoreError> {
        let mine = self.station_link()?.map(|l| l.seat).unwrap_or_default();
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, seat, call_id, field, old, new, actor, at FROM station_corrections
             WHERE seat = ?1 AND call_id = ?2 ORDER BY id",
        )?;
        let rows = stmt.query_map(params![seat, id], |r| row(r, &mine))?;
        rows.map(|r| r?).collect()
    }

    /// Where the pull of corrections to this seat's calls stands.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn corrections_pulled_to(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT corrections_pulled_to FROM station_link", [], |r| {
                r.get(0)
            })
            .optional()?
            .unwrap_or(0))
    }

    /// Applies corrections other seats made to this seat's calls, in the
    /// station's order `(n, correction)`, each with an audit entry (old and
    /// new value, who, from which seat, the call's new hash), in one
    /// transaction with the new pull position. A correction this desk
    /// cannot apply (a call it does not hold, a value the rules refuse) is
    /// skipped and stays at the station, named in the return.
    ///
    /// # Errors
    /// SQLite errors, [`StoreError::Corrupt`].
    pub fn apply_station_corrections(
        &mut self,
        pulled: &[(i64, Correction)],
    ) -> Result<Vec<String>, StoreError> {
        let Some(last) = pulled.iter().map(|p| p.0).max() else {
            return Ok(Vec::new());
        };
        let tx = self.conn.transaction()?;
        let mut skipped = Vec::new();
        for (_, c) in pulled {
            let Some(mut call) = crate::store::load_call(&tx, c.call_id)? else {
                skipped.push(format!(
                    "{}: call {} is not at this desk",
                    c.origin, c.call_id
                ));
                continue;
            };
            let before = match c.apply_to(&mut call) {
                Ok(before) => before,
                Err(e) => {
                    skipped.push(e.to_string());
                    continue;
                }
            };
            crate::store::write_call(&tx, &call)?;
            let hash = crate::audit::call_hash(
                &crate::store::load_call(&tx, call.id)?
                    .ok_or_else(|| StoreError::Corrupt(format!("call {} vanished", call.id)))?,
            )?;
            let detail = serde_json::json!({
                "field": c.field, "old": before, "new": c.new, "seen": c.old,
                "origin": c.origin, "callHash": hash,
            });
            let actor = format!("{}:{}", seat_of(&c.origin), c.actor);
            debug_assert_eq!(call.state, CallState::Closed);
            crate::audit::append(
                &tx,
                &self.audit_key,
                c.at,
                &actor,
                "amend",
                Some(call.id),
                &detail,
            )?;
        }
        tx.execute(
            "UPDATE station_link SET corrections_pulled_to = max(corrections_pulled_to, ?1)",
            [last],
        )?;
        tx.commit()?;
        Ok(skipped)
    }
}

/// The seat in an origin "B#7".
pub fn seat_of(origin: &str) -> &str {
    origin.rsplit_once('#').map_or(origin, |(s, _)| s)
}

fn row(r: &rusqlite::Row<'_>, mine: &str) -> rusqlite::Result<Result<Correction, StoreError>> {
    let id: i64 = r.get(0)?;
    let at: String = r.get(7)?;
    Ok(parse_time(&at).map(|at| Correction {
        origin: format!("{mine}#{id}"),
        seat: r.get(1).unwrap_or_default(),
        call_id: r.get(2).unwrap_or_default(),
        field: r.get(3).unwrap_or_default(),
        old: r.get(4).unwrap_or_default(),
        new: r.get(5).unwrap_or_default(),
        actor: r.get(6).unwrap_or_default(),
        at,
    }))
}

/// The outbox's reading of a queued correction.
pub(crate) fn read_correction(
    tx: &Transaction<'_>,
    id: i64,
) -> Result<Option<Outgoing>, StoreError> {
    let mine: String = tx
        .query_row("SELECT seat FROM station_link", [], |r| r.get(0))
        .optional()?
        .unwrap_or_default();
    let c = tx
        .prepare_cached(
            "SELECT id, seat, call_id, field, old, new, actor, at FROM station_corrections WHERE id = ?1",
        )?
        .query_row([id], |r| row(r, &mine))
        .optional()?
        .transpose()?;
    Ok(c.map(Outgoing::Correction))
}
