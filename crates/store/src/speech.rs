//! The transcript kept with a call (`call_speech`).

use jiejing_core::{CallId, Speaker, SpeechSegment};
use rusqlite::params;

use crate::codec::{parse_time, time};
use crate::{Store, StoreError};

impl Store {
    /// Appends utterance `s` to call `id`'s transcript (its `n` is
    /// ignored: the next number is given); returns its number.
    ///
    /// # Errors
    /// Database errors (an unknown call is a foreign-key error).
    pub fn add_speech(&mut self, id: CallId, s: &SpeechSegment) -> Result<u32, StoreError> {
        let json = serde_json::to_string(&s.suggestions)
            .map_err(|e| StoreError::Corrupt(format!("suggestions: {e}")))?;
        let tx = self.conn.transaction()?;
        let n: u32 = tx.query_row(
            "SELECT COALESCE(MAX(n), 0) + 1 FROM call_speech WHERE call_id = ?1",
            [id],
            |r| r.get(0),
        )?;
        tx.execute(
            "INSERT INTO call_speech (call_id, n, start_at, end_at, text, greeting, suggestions, speaker)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                id,
                n,
                time(s.start_at),
                time(s.end_at),
                s.text,
                s.greeting,
                json,
                s.speaker.map(Speaker::as_str)
            ],
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
        "SELECT n, start_at, end_at, text, greeting, suggestions, speaker
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
            r.get::<_, Option<String>>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (n, start, end, text, greeting, json, speaker) = row?;
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
            speaker: speaker.as_deref().and_then(Speaker::parse),
        });
    }
    Ok(out)
}
