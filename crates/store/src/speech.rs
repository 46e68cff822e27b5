//! The transcript kept with a call (`call_speech`).

use chrono::{DateTime, Utc};
use jiejing_core::{CallId, SpeechSegment, Suggestions};
use rusqlite::params;

use crate::codec::{parse_time, time};
use crate::{Store, StoreError};

impl Store {
    /// Appends an utterance to call `id`'s transcript; returns its number.
    ///
    /// # Errors
    /// Database errors (an unknown call is a foreign-key error).
    pub fn add_speech(
        &mut self,
        id: CallId,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        text: &str,
        greeting: bool,
        suggestions: &Suggestions,
    ) -> Result<u32, StoreError> {
        let json = serde_json::to_string(suggestions)
            .map_err(|e| StoreError::Corrupt(format!("suggestions: {e}")))?;
        let tx = self.conn.transaction()?;
        let n: u32 = tx.query_row(
            "SELECT COALESCE(MAX(n), 0) + 1 FROM call_speech WHERE call_id = ?1",
            [id],
            |r| r.get(0),
        )?;
        tx.execute(
            "INSERT INTO call_speech (call_id, n, start_at, end_at, text, greeting, suggestions)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![id, n, time(start), time(end), text, greeting, json],
        )?;
        crate::outbox::enqueue(&tx, "speech", id)?;
        tx.commit()?;
        Ok(n)
    }

    /// Call `id`'s transcript in the order heard.
    ///
    /// # Errors
    /// Database errors; a row this version cannot read.
    pub fn speech(&self, id: CallId) -> Result<Vec<SpeechSegment>, StoreError> {
        read_speech(&self.conn, id)
    }
}

/// Call `id`'s transcript (for the store and the outbox's snapshot).
pub(crate) fn read_speech(
    conn: &rusqlite::Connection,
    id: CallId,
) -> Result<Vec<SpeechSegment>, StoreError> {
    let mut st = conn.prepare_cached(
        "SELECT n, start_at, end_at, text, greeting, suggestions
             FROM call_speech WHERE call_id = ?1 ORDER BY n",
    )?;
    let rows = st.query_map([id], |r| {
        Ok((
            r.get::<_, u32>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, bool>(4)?,
            r.get::<_, String>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (n, start, end, text, greeting, json) = row?;
        let suggestions = serde_json::from_str(&json).map_err(|e| {
            StoreError::Corrupt(format!("call {id} utterance {n} suggestions: {e}"))
        })?;
        out.push(SpeechSegment {
            n,
            start_at: parse_time(&start)?,
            end_at: parse_time(&end)?,
            text,
            greeting,
            suggestions,
        });
    }
    Ok(out)
}
