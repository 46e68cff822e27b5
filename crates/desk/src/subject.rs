//! Everything this desk holds about one phone number, for a lawful request
//! (PIPL art. 45: a person may ask what is held about them, and the
//! station answers through its own channel): the calls from that number,
//! the complaints whose complainant gave it, their follow-ups and replies,
//! the transcripts, and what is on record of each recording. A lead's act,
//! audited with the request's reference; the file is written once, the
//! lead's alone, and said to be unencrypted like any export.

use std::io::Write;
use std::path::Path;

use chrono::{DateTime, Utc};
use jiejing_core::{Call, CoreError, FollowUp, SpeechSegment};
use jiejing_store::RecordingRow;
use serde::Serialize;

use crate::session::Need;
use crate::{Desk, DeskError};

type Result<T> = std::result::Result<T, DeskError>;

/// What `jiejing calls subject` writes.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubjectRecord {
    pub number: String,
    /// The lawful request's reference (公函编号).
    pub request: String,
    pub written_at: DateTime<Utc>,
    pub written_by: String,
    pub calls: Vec<SubjectCall>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubjectCall {
    pub call: Call,
    pub followup: Option<FollowUp>,
    pub transcript: Vec<SpeechSegment>,
    /// The recording's row (the audio itself is exported with `calls
    /// audio`, each file audited).
    pub recording: Option<RecordingRow>,
}

impl Desk {
    /// Writes everything held about `number` to `path` (never over a file)
    /// as JSON; the number of calls written.
    ///
    /// # Errors
    /// [`DeskError::Forbidden`]; a number of fewer than 5 digits or no
    /// request reference; the file exists or cannot be written.
    pub fn subject_export(&mut self, number: &str, request: &str, path: &Path) -> Result<usize> {
        let actor = self.authorize(Need::Lead)?;
        let bad = |field: &str, reason: &str| -> DeskError {
            CoreError::InvalidValue {
                field: field.into(),
                reason: reason.into(),
            }
            .into()
        };
        let digits = jiejing_core::text::phone_digits(number);
        if digits.len() < 5 {
            return Err(bad("number", "a phone number has at least 5 digits"));
        }
        if request.trim().is_empty() {
            return Err(bad("request", "name the lawful request (its reference)"));
        }
        let mut calls = Vec::new();
        for id in self.store.calls_about_number(&digits)? {
            let Some(call) = self.store.load_call(id)? else {
                continue;
            };
            let followup = match self.store.followup_id_for_call(id)? {
                Some(f) => self.store.load_followup(f)?,
                None => None,
            };
            calls.push(SubjectCall {
                call,
                followup,
                transcript: self.store.speech(id)?,
                recording: self.store.recording(id)?,
            });
        }
        let record = SubjectRecord {
            number: number.trim().to_string(),
            request: request.trim().to_string(),
            written_at: self.now(),
            written_by: actor.clone(),
            calls,
        };
        let io = |e: std::io::Error| DeskError::Io(format!("{}: {e}", path.display()));
        let json = serde_json::to_vec_pretty(&record).map_err(|e| DeskError::Io(e.to_string()))?;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .map_err(io)?;
        f.write_all(&json).and_then(|()| f.sync_all()).map_err(io)?;
        let n = record.calls.len();
        let detail = serde_json::json!({
            "number": record.number, "request": record.request, "calls": n,
            "file": path.display().to_string(),
        });
        self.audit_entry(&actor, "subject_export", None, detail)?;
        Ok(n)
    }
}
