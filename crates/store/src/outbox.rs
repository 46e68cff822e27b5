//! The station outbox (issue #12): while this desk is joined to a station,
//! every saved call, follow-up, audit entry, cross-seat urge, reply to
//! another seat's follow-up, account, correction, review, transcript and
//! recording is queued in the same transaction that writes it, and
//! [`Store::outbox_batch`] hands the worker the records as they are now,
//! oldest change first. The worker acks what the station committed; a
//! record changed since it was read keeps its (new) place in the queue and
//! goes again.

use chrono::{DateTime, Utc};
use jiejing_core::{Call, CallId, FollowUp};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;

use crate::codec::{parse_opt_time, parse_time, time};
use crate::{AuditRow, Store, StoreError};

/// This desk's link to its station, while joined.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StationLink {
    pub url: String,
    pub seat: String,
    pub desk_id: String,
    pub joined_at: DateTime<Utc>,
    pub last_sync_at: Option<DateTime<Utc>>,
    /// When pushes began to fail; `None` while the station answers.
    pub offline_since: Option<DateTime<Utc>>,
    pub last_error: String,
}

/// One queued record, read as it is now.
#[derive(Debug, Clone)]
pub enum Outgoing {
    Call {
        call: Box<Call>,
        rev: i64,
        hash: String,
    },
    Audit(AuditRow),
    /// This desk's call repeats `earlier_id` taken at `seat`.
    Urge {
        call_id: CallId,
        seat: String,
        earlier_id: CallId,
        at: DateTime<Utc>,
    },
    /// This desk's follow-up, with the replies it holds.
    FollowUp {
        followup: Box<FollowUp>,
        rev: i64,
    },
    /// A reply this desk recorded to another seat's follow-up.
    Reply(crate::SentReply),
    /// An account added or changed at this desk by lead `by` ('' for the
    /// command line's administrator), with that lead's PIN hash as held
    /// here: the station's proof that a lead made the change.
    Account {
        account: crate::Account,
        by: String,
        proof: String,
    },
    /// A correction this desk's lead made to another seat's call.
    Correction(crate::Correction),
    /// A finished QA review, of this desk's call or another seat's.
    Review(crate::SeatReview),
    /// This desk's call's transcript, whole.
    Speech {
        call_id: CallId,
        segments: Vec<jiejing_core::SpeechSegment>,
    },
    /// This desk's call's finished recording; `file` is where it is
    /// (read when it is sent, one at a time), or gone when `purged_at`.
    Recording {
        row: crate::RecordingRow,
        file: std::path::PathBuf,
    },
}

/// Records to push and the queue positions that ack them.
#[derive(Debug, Default)]
pub struct Batch {
    pub seqs: Vec<i64>,
    pub items: Vec<Outgoing>,
}

/// Queues a record if this desk is joined (inside the writer's transaction,
/// so the change and its place in the queue commit together).
pub(crate) fn enqueue(tx: &Transaction<'_>, kind: &str, id: i64) -> Result<(), StoreError> {
    let joined = tx
        .prepare_cached("SELECT 1 FROM station_link")?
        .exists([])?;
    if joined {
        tx.prepare_cached("INSERT OR REPLACE INTO station_outbox (kind, ref) VALUES (?1, ?2)")?
            .execute(params![kind, id])?;
    }
    Ok(())
}

fn read_link(conn: &Connection) -> Result<Option<StationLink>, StoreError> {
    let row = conn
        .prepare_cached(
            "SELECT url, seat, desk_id, joined_at, last_sync_at, offline_since, last_error FROM station_link",
        )?
        .query_row([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, String>(6)?,
            ))
        })
        .optional()?;
    row.map(|(url, seat, desk_id, joined, last, offline, last_error)| {
        Ok(StationLink {
            url,
            seat,
            desk_id,
            joined_at: parse_time(&joined)?,
            last_sync_at: parse_opt_time(last)?,
            offline_since: parse_opt_time(offline)?,
            last_error,
        })
    })
    .transpose()
}

impl Store {
    /// # Errors
    /// SQLite errors.
    pub fn station_link(&self) -> Result<Option<StationLink>, StoreError> {
        read_link(&self.conn)
    }

    /// Joins a station (`link`'s sync fields are not read): records the
    /// link and queues every call, audit entry, urge, follow-up and reply
    /// already here, so the station gets this desk's history too.
    /// Returns how many records were queued.
    ///
    /// # Errors
    /// SQLite errors; nothing is written then.
    pub fn join_station(&mut self, link: &StationLink) -> Result<u64, StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT OR REPLACE INTO station_link (one, url, seat, desk_id, joined_at) VALUES (1, ?1, ?2, ?3, ?4)",
            params![link.url, link.seat, link.desk_id, time(link.joined_at)],
        )?;
        // Audit first: each call's history is then in place when it lands.
        let mut n = tx.execute(
            "INSERT OR IGNORE INTO station_outbox (kind, ref) SELECT 'audit', id FROM audit_log ORDER BY id",
            [],
        )?;
        n += tx.execute(
            "INSERT OR IGNORE INTO station_outbox (kind, ref) SELECT 'call', id FROM calls ORDER BY ring_at, id",
            [],
        )?;
        n += tx.execute(
            "INSERT OR IGNORE INTO station_outbox (kind, ref) SELECT 'urge', call_id FROM station_repeats",
            [],
        )?;
        n += tx.execute(
            "INSERT OR IGNORE INTO station_outbox (kind, ref) SELECT 'followup', id FROM followups ORDER BY id",
            [],
        )?;
        n += tx.execute(
            "INSERT OR IGNORE INTO station_outbox (kind, ref) SELECT 'reply', id FROM station_replies ORDER BY id",
            [],
        )?;
        n += tx.execute(
            "INSERT OR IGNORE INTO station_outbox (kind, ref) SELECT 'correction', id FROM station_corrections ORDER BY id",
            [],
        )?;
        n += tx.execute(
            "INSERT OR IGNORE INTO station_outbox (kind, ref) SELECT 'review', call_id FROM reviews WHERE status = 'reviewed' ORDER BY call_id",
            [],
        )?;
        n += tx.execute(
            "INSERT OR IGNORE INTO station_outbox (kind, ref) SELECT 'seat_review', id FROM seat_reviews ORDER BY id",
            [],
        )?;
        n += tx.execute(
            "INSERT OR IGNORE INTO station_outbox (kind, ref) SELECT DISTINCT 'speech', call_id FROM call_speech ORDER BY call_id",
            [],
        )?;
        n += tx.execute(
            "INSERT OR IGNORE INTO station_outbox (kind, ref) SELECT 'recording', call_id FROM call_recordings WHERE seconds IS NOT NULL ORDER BY call_id",
            [],
        )?;
        // This desk's accounts become the station's too.
        tx.execute(
            "INSERT OR IGNORE INTO account_changes (user_id) SELECT id FROM users ORDER BY id",
            [],
        )?;
        n += tx.execute(
            "INSERT OR IGNORE INTO station_outbox (kind, ref) SELECT 'account', n FROM account_changes ORDER BY n",
            [],
        )?;
        tx.commit()?;
        Ok(n as u64)
    }

    /// Leaves the station: the link and whatever was still queued go.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn leave_station(&mut self) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM station_outbox", [])?;
        tx.execute("DELETE FROM station_link", [])?;
        tx.commit()?;
        Ok(())
    }

    /// Records not yet at the station.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn outbox_len(&self) -> Result<u64, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT count(*) FROM station_outbox")?
            .query_row([], |r| r.get::<_, i64>(0))? as u64)
    }

    /// Whether a record is queued (the station has not got its latest).
    ///
    /// # Errors
    /// SQLite errors.
    pub fn outbox_holds(&self, kind: &str, id: i64) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM station_outbox WHERE kind = ?1 AND ref = ?2")?
            .exists(params![kind, id])?)
    }

    /// Up to `limit` queued records, oldest change first, each read as it
    /// is now, all in one read transaction (a consistent snapshot).
    ///
    /// # Errors
    /// SQLite errors, [`StoreError::Corrupt`].
    pub fn outbox_batch(&mut self, limit: usize) -> Result<Batch, StoreError> {
        let data_dir = self
            .path()
            .parent()
            .unwrap_or(std::path::Path::new("."))
            .to_owned();
        let tx = self.conn.transaction()?;
        let queued: Vec<(i64, String, i64)> = tx
            .prepare_cached("SELECT seq, kind, ref FROM station_outbox ORDER BY seq LIMIT ?1")?
            .query_map([limit as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        let mut batch = Batch::default();
        for (seq, kind, id) in queued {
            batch.seqs.push(seq);
            let item = match kind.as_str() {
                "call" => read_call(&tx, id)?,
                "audit" => crate::audit::row(&tx, id)?.map(Outgoing::Audit),
                "urge" => read_urge(&tx, id)?,
                "followup" => crate::station_replies::read_followup(&tx, id)?,
                "reply" => crate::station_replies::read_reply(&tx, id)?,
                "account" => crate::accounts::read_account(&tx, id)?,
                "correction" => crate::station_corrections::read_correction(&tx, id)?,
                "review" => crate::station_reviews::read_own_review(&tx, id)?,
                "seat_review" => crate::station_reviews::read_seat_review(&tx, id)?,
                "speech" => Some(Outgoing::Speech {
                    call_id: id,
                    segments: crate::speech::read_speech(&tx, id)?,
                }),
                "recording" => crate::recordings::read_finished(&tx, id)?.map(|row| {
                    let file = data_dir.join(&row.file);
                    Outgoing::Recording { row, file }
                }),
                other => return Err(StoreError::Corrupt(format!("outbox kind {other:?}"))),
            };
            // A record gone from the desk has nothing to send; its ack
            // clears the entry.
            batch.items.extend(item);
        }
        tx.commit()?;
        Ok(batch)
    }

    /// The station committed these: drop them from the queue (entries
    /// re-queued since, with a new seq, stay) and note the time.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn outbox_ack(&mut self, seqs: &[i64], now: DateTime<Utc>) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        {
            let mut del = tx.prepare_cached("DELETE FROM station_outbox WHERE seq = ?1")?;
            for s in seqs {
                del.execute([s])?;
            }
        }
        tx.execute(
            "UPDATE station_link SET last_sync_at = ?1, offline_since = NULL, last_error = ''",
            [time(now)],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The station could not be reached: keep the first time it failed.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn station_failed(&mut self, error: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE station_link SET offline_since = coalesce(offline_since, ?1), last_error = ?2",
            params![time(now), error],
        )?;
        Ok(())
    }

    /// Links a call to an earlier call taken at another seat (found at the
    /// station) and queues the urge, in one transaction with the call.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn save_station_repeat(
        &mut self,
        call: &Call,
        seat: &str,
        earlier: &Call,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let doc = serde_json::to_string(earlier).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let tx = self.conn.transaction()?;
        crate::store::write_call(&tx, call)?;
        tx.execute(
            "INSERT OR REPLACE INTO station_repeats (call_id, seat, earlier_id, earlier, at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![call.id, seat, earlier.id, doc, time(at)],
        )?;
        enqueue(&tx, "urge", call.id)?;
        tx.commit()?;
        Ok(())
    }

    /// The earlier call at another seat that `call_id` repeats, as the
    /// station had it: `(seat, call)`.
    ///
    /// # Errors
    /// SQLite errors, [`StoreError::Corrupt`].
    pub fn station_repeat(&self, call_id: CallId) -> Result<Option<(String, Call)>, StoreError> {
        let row: Option<(String, String)> = self
            .conn
            .prepare_cached("SELECT seat, earlier FROM station_repeats WHERE call_id = ?1")?
            .query_row([call_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        row.map(|(seat, doc)| {
            let call = serde_json::from_str(&doc).map_err(|e| {
                StoreError::Corrupt(format!("station repeat of call {call_id}: {e}"))
            })?;
            Ok((seat, call))
        })
        .transpose()
    }
}

fn read_call(tx: &Transaction<'_>, id: CallId) -> Result<Option<Outgoing>, StoreError> {
    let Some(call) = crate::store::load_call(tx, id)? else {
        return Ok(None);
    };
    let rev: i64 = tx
        .prepare_cached("SELECT rev FROM calls WHERE id = ?1")?
        .query_row([id], |r| r.get(0))?;
    let hash = crate::audit::call_hash(&call)?;
    Ok(Some(Outgoing::Call {
        call: Box::new(call),
        rev,
        hash,
    }))
}

fn read_urge(tx: &Transaction<'_>, call_id: CallId) -> Result<Option<Outgoing>, StoreError> {
    let row: Option<(String, i64, String)> = tx
        .prepare_cached("SELECT seat, earlier_id, at FROM station_repeats WHERE call_id = ?1")?
        .query_row([call_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    row.map(|(seat, earlier_id, at)| {
        Ok(Outgoing::Urge {
            call_id,
            seat,
            earlier_id,
            at: parse_time(&at)?,
        })
    })
    .transpose()
}
