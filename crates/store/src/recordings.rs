//! Calls' recordings (`call_recordings`): where each file is, when its
//! first sample was heard, how long it is, and whether retention deleted it.

use chrono::{DateTime, Utc};
use jiejing_core::CallId;
use rusqlite::{params, OptionalExtension};

use crate::codec::{parse_opt_time, parse_time, time};
use crate::{Store, StoreError};

/// One call's recording as the database knows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordingRow {
    pub call_id: CallId,
    /// Relative to the data folder.
    pub file: String,
    pub started_at: DateTime<Utc>,
    pub channels: u8,
    /// `None` while it is being written (or the desk stopped meanwhile).
    pub seconds: Option<f64>,
    pub bytes: Option<u64>,
    pub purged_at: Option<DateTime<Utc>>,
}

/// Call `id`'s finished recording (for the outbox's snapshot).
pub(crate) fn read_finished(
    conn: &rusqlite::Connection,
    id: CallId,
) -> Result<Option<RecordingRow>, StoreError> {
    let sql =
        format!("SELECT {COLUMNS} FROM call_recordings WHERE call_id = ?1 AND seconds IS NOT NULL");
    conn.query_row(&sql, [id], read)
        .optional()?
        .map(row)
        .transpose()
}

const COLUMNS: &str = "call_id, file, started_at, channels, seconds, bytes, purged_at";

/// A row as SQLite holds it, before its times are parsed.
type Raw = (
    CallId,
    String,
    String,
    u8,
    Option<f64>,
    Option<i64>,
    Option<String>,
);

fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<Raw> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
    ))
}

fn row(
    (call_id, file, started, channels, seconds, bytes, purged): Raw,
) -> Result<RecordingRow, StoreError> {
    Ok(RecordingRow {
        call_id,
        file,
        started_at: parse_time(&started)?,
        channels,
        seconds,
        bytes: bytes.map(|b| b.max(0) as u64),
        purged_at: parse_opt_time(purged)?,
    })
}

impl Store {
    /// Notes that call `id`'s recording is being written to `file`.
    ///
    /// # Errors
    /// The call already has a recording; an unknown call; database errors.
    pub fn begin_recording(
        &mut self,
        id: CallId,
        file: &str,
        started_at: DateTime<Utc>,
        channels: u8,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO call_recordings (call_id, file, started_at, channels) VALUES (?1, ?2, ?3, ?4)",
            params![id, file, time(started_at), channels],
        )?;
        Ok(())
    }

    /// Notes how long call `id`'s finished recording is.
    ///
    /// # Errors
    /// Database errors.
    pub fn end_recording(
        &mut self,
        id: CallId,
        seconds: f64,
        bytes: u64,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE call_recordings SET seconds = ?2, bytes = ?3 WHERE call_id = ?1",
            params![id, seconds, i64::try_from(bytes).unwrap_or(i64::MAX)],
        )?;
        crate::outbox::enqueue(&tx, "recording", id)?;
        tx.commit()?;
        Ok(())
    }

    /// Call `id`'s recording, if it had one.
    ///
    /// # Errors
    /// Database errors; a row this version cannot read.
    pub fn recording(&self, id: CallId) -> Result<Option<RecordingRow>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM call_recordings WHERE call_id = ?1");
        self.conn
            .query_row(&sql, [id], read)
            .optional()?
            .map(row)
            .transpose()
    }

    /// Recordings still on disk: those whose length is not known yet
    /// (`unfinished`), or those started before `before`.
    ///
    /// # Errors
    /// Database errors; a row this version cannot read.
    pub fn recordings_kept(
        &self,
        unfinished: bool,
        before: DateTime<Utc>,
    ) -> Result<Vec<RecordingRow>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM call_recordings WHERE purged_at IS NULL
             AND (CASE WHEN ?1 THEN seconds IS NULL ELSE started_at < ?2 END) ORDER BY call_id"
        );
        let mut st = self.conn.prepare(&sql)?;
        let rows = st.query_map(params![unfinished, time(before)], read)?;
        rows.map(|r| row(r?)).collect()
    }

    /// Finished, kept recordings an older desk wrote as plain FLAC
    /// (`.flac`): the ones still to be sealed. Asked after every call, so
    /// the sealed ones are not read at all.
    ///
    /// # Errors
    /// Database errors; a row this version cannot read.
    pub fn plain_recordings(&self) -> Result<Vec<RecordingRow>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM call_recordings WHERE purged_at IS NULL
             AND seconds IS NOT NULL AND file LIKE '%.flac' ORDER BY call_id"
        );
        let mut st = self.conn.prepare(&sql)?;
        let rows = st.query_map([], read)?;
        rows.map(|r| row(r?)).collect()
    }

    /// Notes that retention deleted call `id`'s recording, with its audit
    /// entry, in one transaction.
    ///
    /// # Errors
    /// Database errors.
    pub fn purge_recording(
        &mut self,
        id: CallId,
        at: DateTime<Utc>,
        actor: &str,
        detail: &serde_json::Value,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE call_recordings SET purged_at = ?2 WHERE call_id = ?1",
            params![id, time(at)],
        )?;
        crate::audit::append(
            &tx,
            &self.audit_key,
            at,
            actor,
            "recording_purged",
            Some(id),
            detail,
        )?;
        crate::outbox::enqueue(&tx, "recording", id)?;
        tx.commit()?;
        Ok(())
    }

    /// Call `id`'s recording now lives in `file` (`bytes` long): an older
    /// desk's plain recording sealed, audited as `recording_sealed`.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn reseal_recording(
        &mut self,
        id: CallId,
        file: &str,
        bytes: u64,
        at: DateTime<Utc>,
        detail: &serde_json::Value,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE call_recordings SET file = ?2, bytes = ?3 WHERE call_id = ?1",
            params![id, file, i64::try_from(bytes).unwrap_or(i64::MAX)],
        )?;
        crate::audit::append(
            &tx,
            &self.audit_key,
            at,
            "encryption",
            "recording_sealed",
            Some(id),
            detail,
        )?;
        tx.commit()?;
        Ok(())
    }
}
