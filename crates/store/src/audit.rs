//! The append-only audit trail: sign-ins, reviews, exports and every change
//! to a closed call, with who and when. Each entry's hash covers its own
//! fields and the previous entry's hash, so editing, inserting or deleting
//! a row in the middle breaks the chain from there on. Entries about a
//! closed call also carry a hash of the call as saved, so a call edited in
//! the database behind the app's back no longer matches its last entry.
//!
//! The hash is keyed: an HMAC-SHA-256 under a key derived from the database
//! key (migration 0019; the entries written before it keep a plain
//! SHA-256). The station holds a copy of every seat's chain without that
//! key, so whoever runs the station's server cannot write a seat's entries
//! that the seat's own `audit verify` accepts. Whoever holds the database
//! key can write a whole new chain; the heads written down outside the
//! database (`anchors`, the station's copy, the shift log) catch that.
use chrono::{DateTime, Utc};
use hmac::{Hmac, KeyInit, Mac};
use jiejing_core::{Call, CallId};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::codec::{parse_time, time};
use crate::{Store, StoreError};

/// One entry as the review screen shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub call_id: Option<CallId>,
    /// JSON.
    pub detail: String,
}

/// An entry with its place in the chain (the hash before it and its own),
/// as the station keeps every seat's chain.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRow {
    pub entry: AuditEntry,
    pub prev_hash: String,
    pub hash: String,
}

/// The columns [`read_entry`] reads, in its order.
const ENTRY_COLUMNS: &str = "id, at, actor, action, call_id, detail";

fn read_entry(r: &rusqlite::Row<'_>) -> Result<AuditEntry, StoreError> {
    Ok(AuditEntry {
        id: r.get(0)?,
        at: parse_time(&r.get::<_, String>(1)?)?,
        actor: r.get(2)?,
        action: r.get(3)?,
        call_id: r.get(4)?,
        detail: r.get(5)?,
    })
}

/// Entry `id` with its hashes (for the station outbox).
pub(crate) fn row(conn: &rusqlite::Connection, id: i64) -> Result<Option<AuditRow>, StoreError> {
    let sql = format!("SELECT {ENTRY_COLUMNS}, prev_hash, hash FROM audit_log WHERE id = ?1");
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query([id])?;
    let Some(r) = rows.next()? else {
        return Ok(None);
    };
    Ok(Some(AuditRow {
        entry: read_entry(r)?,
        prev_hash: r.get(6)?,
        hash: r.get(7)?,
    }))
}

/// What `jiejing audit verify` found.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditCheck {
    pub entries: u64,
    /// On a joined desk: the station's entries of this seat compared with
    /// these (`None` on a one-seat desk or when the station was not asked).
    pub station_entries: Option<u64>,
    /// Closed calls whose saved record was compared with its last entry.
    pub calls_checked: u64,
    /// `(entry id, what is wrong)`, in chain order; empty when intact.
    pub problems: Vec<(i64, String)>,
    /// The last entry and its hash: written down outside the desk (the
    /// shift log, at handover), it anchors the chain so far: whoever holds
    /// the database key (and so the chain's) could write a whole new chain,
    /// but not one that keeps an anchored entry's hash.
    pub head: Option<(i64, String)>,
}

/// An entry's hash as written down: `N:HASH`, the hash or at least its
/// first 16 hex digits.
pub fn parse_anchor(text: &str) -> Result<(i64, String), String> {
    let (n, hash) = text
        .split_once(':')
        .ok_or_else(|| format!("{text:?}: expected ENTRY:HASH"))?;
    let n: i64 = n
        .trim()
        .parse()
        .map_err(|_| format!("{text:?}: {n:?} is not an entry number"))?;
    let hash = hash.trim().to_ascii_lowercase();
    if hash.len() < 16 || hash.len() > 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!(
            "{text:?}: the hash is 16 to 64 hex digits, as `audit verify` prints it"
        ));
    }
    Ok((n, hash))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// An entry's hash: HMAC-SHA-256 under `key` for a keyed entry, plain
/// SHA-256 (`None`) for one written before the chain was keyed.
#[allow(clippy::too_many_arguments)]
fn entry_hash(
    key: Option<&[u8; 32]>,
    prev: &str,
    id: i64,
    at: &str,
    actor: &str,
    action: &str,
    call: Option<CallId>,
    detail: &str,
) -> String {
    let call = call.map_or_else(String::new, |c| c.to_string());
    let fields = [prev, &id.to_string(), at, actor, action, &call, detail];
    match key {
        Some(key) => {
            let mut h = <Hmac<Sha256> as KeyInit>::new_from_slice(key)
                .expect("HMAC takes a key of any length");
            for field in fields {
                h.update(field.as_bytes());
                h.update(&[0u8]);
            }
            hex(&h.finalize().into_bytes())
        }
        None => {
            let mut h = Sha256::new();
            for field in fields {
                h.update(field.as_bytes());
                h.update([0u8]);
            }
            hex(&h.finalize())
        }
    }
}

/// The first entry whose hash is keyed (see the module comment).
fn keyed_from(conn: &rusqlite::Connection) -> Result<i64, StoreError> {
    Ok(conn
        .prepare_cached("SELECT from_id FROM audit_keyed")?
        .query_row([], |r| r.get(0))?)
}

pub(crate) fn call_hash(call: &Call) -> Result<String, StoreError> {
    let json = serde_json::to_vec(call).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    Ok(hex(&Sha256::digest(json)))
}

/// Appends an entry inside the caller's transaction, so the change and its
/// entry commit together or not at all.
pub(crate) fn append(
    tx: &Transaction<'_>,
    key: &[u8; 32],
    at: DateTime<Utc>,
    actor: &str,
    action: &str,
    call_id: Option<CallId>,
    detail: &serde_json::Value,
) -> Result<i64, StoreError> {
    let (last_id, prev): (i64, String) = tx
        .prepare_cached("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .unwrap_or((0, String::new()));
    let id = last_id + 1;
    let (at, detail) = (time(at), detail.to_string());
    let hash = entry_hash(Some(key), &prev, id, &at, actor, action, call_id, &detail);
    tx.prepare_cached(
        "INSERT INTO audit_log (id, at, actor, action, call_id, detail, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![id, at, actor, action, call_id, detail, prev, hash])?;
    crate::outbox::enqueue(tx, "audit", id)?;
    Ok(id)
}

impl Store {
    /// Appends one entry on its own.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn audit(
        &mut self,
        at: DateTime<Utc>,
        actor: &str,
        action: &str,
        call_id: Option<CallId>,
        detail: &serde_json::Value,
    ) -> Result<i64, StoreError> {
        let tx = self.conn.transaction()?;
        let id = append(&tx, &self.audit_key, at, actor, action, call_id, detail)?;
        tx.commit()?;
        Ok(id)
    }

    /// A hash of call `id` as saved: its row, items, situations, urges,
    /// referrals, rings and complaint.
    ///
    /// # Errors
    /// As [`Store::load_call`]; `None` for an unknown call.
    pub fn call_hash(&self, id: CallId) -> Result<Option<String>, StoreError> {
        self.load_call(id)?.map(|c| call_hash(&c)).transpose()
    }

    /// Entries about one call, oldest first.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn audit_of_call(&self, id: CallId) -> Result<Vec<AuditEntry>, StoreError> {
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM audit_log WHERE call_id = ?1 ORDER BY id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([id])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(read_entry(r)?);
        }
        Ok(out)
    }

    /// Every entry's id and hash, in chain order.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn audit_hashes(&self) -> Result<Vec<(i64, String)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, hash FROM audit_log ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The last entry and its hash (`None` before the first).
    ///
    /// # Errors
    /// SQLite errors.
    pub fn audit_head(&self) -> Result<Option<(i64, String)>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// Walks the whole chain, then compares every audited closed call with
    /// the hash its last entry recorded.
    ///
    /// # Errors
    /// SQLite errors (a problem in the data is a finding, not an error).
    pub fn verify_audit(&self, anchors: &[(i64, String)]) -> Result<AuditCheck, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, at, actor, action, call_id, detail, prev_hash, hash FROM audit_log ORDER BY id",
        )?;
        let mut rows = stmt.query([])?;
        let mut check = AuditCheck {
            entries: 0,
            station_entries: None,
            calls_checked: 0,
            problems: Vec::new(),
            head: None,
        };
        // Years of starts and sign-outs leave thousands of heads: looked up, not scanned.
        let mut by_id: std::collections::HashMap<i64, Vec<&str>> = Default::default();
        for (n, h) in anchors {
            by_id.entry(*n).or_default().push(h.as_str());
        }
        let keyed_from = keyed_from(&self.conn)?;
        let (mut prev_id, mut prev_hash) = (0i64, String::new());
        let mut last_call_hash: std::collections::BTreeMap<CallId, (i64, String)> =
            Default::default();
        while let Some(r) = rows.next()? {
            let (id, at, actor, action): (i64, String, String, String) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
            let (call_id, detail, prev, hash): (Option<CallId>, String, String, String) =
                (r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?);
            check.entries += 1;
            if id != prev_id + 1 {
                check.problems.push((
                    id,
                    format!("entries {}–{} are missing", prev_id + 1, id - 1),
                ));
            }
            if prev != prev_hash {
                check.problems.push((
                    id,
                    "does not follow the entry before it (previous hash differs)".into(),
                ));
            }
            let key = (id >= keyed_from).then_some(&*self.audit_key);
            if entry_hash(key, &prev, id, &at, &actor, &action, call_id, &detail) != hash {
                check.problems.push((
                    id,
                    format!("was altered after it was written ({action} by {actor} at {at})"),
                ));
            }
            if let (Some(c), Ok(serde_json::Value::Object(d))) =
                (call_id, serde_json::from_str(&detail))
            {
                if let Some(serde_json::Value::String(h)) = d.get("callHash") {
                    last_call_hash.insert(c, (id, h.clone()));
                }
            }
            for noted in by_id.get(&id).into_iter().flatten() {
                if !hash.starts_with(noted) {
                    check.problems.push((
                        id,
                        format!("its hash is not the one written down ({noted}…): the chain was rewritten"),
                    ));
                }
            }
            (prev_id, prev_hash) = (id, hash);
        }
        for (n, _) in anchors.iter().filter(|(n, _)| *n > prev_id || *n < 1) {
            check
                .problems
                .push((*n, "was written down, and is gone from the chain".into()));
        }
        check.head = (prev_id > 0).then(|| (prev_id, prev_hash.clone()));
        for (call, (entry, recorded)) in last_call_hash {
            check.calls_checked += 1;
            match self.call_hash(call)? {
                Some(h) if h == recorded => {}
                Some(_) => check.problems.push((
                    entry,
                    format!("call {call} was changed after this entry, outside the app"),
                )),
                None => check
                    .problems
                    .push((entry, format!("call {call} is gone from the database"))),
            }
        }
        check.problems.sort_by_key(|p| p.0);
        Ok(check)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_chain_rewritten_whole_passes_alone_and_fails_its_anchor() {
        let dir = tempfile::tempdir().unwrap();
        let key = crate::DbKey::generate().unwrap();
        let mut store = Store::open(&dir.path().join("db"), &key).unwrap();
        let at = Utc.with_ymd_and_hms(2026, 12, 2, 8, 0, 0).unwrap();
        for n in 0..5 {
            let detail = serde_json::json!({ "n": n });
            store.audit(at, "L01", "export", None, &detail).unwrap();
        }
        let head = store.verify_audit(&[]).unwrap().head.unwrap();
        assert_eq!(head.0, 5);
        let noted = parse_anchor(&format!("{}:{}", head.0, &head.1[..16])).unwrap();
        assert!(store
            .verify_audit(std::slice::from_ref(&noted))
            .unwrap()
            .problems
            .is_empty());

        // Someone rewrites entry 2 and every hash after it: without the
        // chain's key, then with it.
        store
            .conn
            .execute_batch("DROP TRIGGER audit_no_update; UPDATE audit_log SET detail = '{\"n\":9}' WHERE id = 2")
            .unwrap();
        let other_key = [7u8; 32];
        rehash(&store, Some(&other_key));
        let check = store.verify_audit(&[]).unwrap();
        assert_eq!(
            check.problems.iter().map(|p| p.0).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5],
            "without the key every entry is caught: {:?}",
            check.problems
        );
        rehash(&store, None);
        assert_eq!(
            store.verify_audit(&[]).unwrap().problems.len(),
            5,
            "plain SHA-256 neither"
        );
        let key = *store.audit_key;
        rehash(&store, Some(&key));
        assert!(
            store.verify_audit(&[]).unwrap().problems.is_empty(),
            "a whole new chain made with the key is consistent"
        );
        let check = store.verify_audit(&[noted]).unwrap();
        assert_eq!(check.problems.len(), 1, "{:?}", check.problems);
        assert!(check.problems[0].1.contains("not the one written down"));
        // An anchor past the end: entries were cut off.
        let gone = store.verify_audit(&[(9, "0".repeat(16))]).unwrap();
        assert!(gone.problems[0].1.contains("gone from the chain"));
        assert!(parse_anchor("5:abc").is_err() && parse_anchor("x:0123456789abcdef").is_err());
    }

    /// Rewrites every entry's hashes, as a forger would, under `key`.
    fn rehash(store: &Store, key: Option<&[u8; 32]>) {
        let rows: Vec<(i64, String, String, String, Option<CallId>, String)> = store
            .conn
            .prepare("SELECT id, at, actor, action, call_id, detail FROM audit_log ORDER BY id")
            .unwrap()
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let mut prev = String::new();
        for (id, at, actor, action, call, detail) in rows {
            let h = entry_hash(key, &prev, id, &at, &actor, &action, call, &detail);
            store
                .conn
                .execute(
                    "UPDATE audit_log SET prev_hash = ?2, hash = ?3 WHERE id = ?1",
                    rusqlite::params![id, prev, h],
                )
                .unwrap();
            prev = h;
        }
    }

    #[test]
    fn entries_from_before_the_key_keep_their_plain_hashes() {
        let dir = tempfile::tempdir().unwrap();
        let key = crate::DbKey::generate().unwrap();
        let path = dir.path().join("db");
        // A desk at migration 18 wrote three entries, unkeyed.
        let mut conn = Store::connect(&path, &key).unwrap();
        crate::store::migrations()
            .to_version(&mut conn, 18)
            .unwrap();
        let mut prev = String::new();
        for id in 1..=3 {
            let h = entry_hash(
                None,
                &prev,
                id,
                "2026-12-01T08:00:00.000Z",
                "L01",
                "export",
                None,
                "{}",
            );
            conn.execute(
                "INSERT INTO audit_log (id, at, actor, action, call_id, detail, prev_hash, hash) VALUES (?1, '2026-12-01T08:00:00.000Z', 'L01', 'export', NULL, '{}', ?2, ?3)",
                rusqlite::params![id, prev, h],
            )
            .unwrap();
            prev = h;
        }
        drop(conn);
        let mut store = Store::open(&path, &key).unwrap();
        let at = Utc.with_ymd_and_hms(2026, 12, 2, 8, 0, 0).unwrap();
        store
            .audit(at, "L01", "export", None, &serde_json::json!({}))
            .unwrap();
        let check = store.verify_audit(&[]).unwrap();
        assert!(check.problems.is_empty() && check.entries == 4, "{check:?}");
        // The new entry is keyed: its plain hash is not what was written.
        let (_, h4) = store.audit_head().unwrap().unwrap();
        let plain = entry_hash(None, &prev, 4, &time(at), "L01", "export", None, "{}");
        assert_ne!(h4, plain);
        // Where the keying starts cannot be moved to pass a forged entry off
        // as an old one.
        assert!(store
            .conn
            .execute("UPDATE audit_keyed SET from_id = 99", [])
            .is_err());
        assert!(store
            .conn
            .execute("INSERT INTO audit_keyed VALUES (99)", [])
            .is_err());
    }
}
