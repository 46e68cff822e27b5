//! Calls' recordings: where the live path writes them, what a lead hears,
//! and retention. The listening thread writes the file
//! (`jiejing_audio::Recorder`) and tells the desk when it begins and ends;
//! the desk keeps the row, deletes what is older than the station keeps
//! (`Settings::recording_days`), and audits every listening, export and
//! deletion: a police call's audio is heard only on the record.

use std::path::PathBuf;

use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use jiejing_audio::{read_recording, Recorded, RecordingSize};
use jiejing_core::{CallId, CallState};
use jiejing_store::RecordingRow;
use serde::Serialize;

use crate::session::Need;
use crate::{Desk, DeskError};

type Result<T> = std::result::Result<T, DeskError>;

/// Points in the waveform the screen draws.
const PEAKS: usize = 800;

/// A call's recording as the lead's player takes it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct RecordingView {
    pub call_id: CallId,
    /// When its first sample was heard: a timeline event at `t` plays from
    /// `t - startedAt`.
    pub started_at: DateTime<Utc>,
    pub seconds: f64,
    pub channels: u8,
    /// False when the desk stopped while recording: the audio ends a
    /// moment before the call did.
    pub complete: bool,
    /// The loudest sample of each of 800 equal stretches, 0–1.
    pub peaks: Vec<f32>,
    /// The audio as a 16-bit WAV file, base64: what the player plays.
    pub wav_base64: String,
}

/// What retention deleted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Purged {
    pub calls: Vec<CallId>,
    pub bytes: u64,
}

impl Desk {
    /// Whether the listening thread should record calls.
    pub fn wants_recording(&self) -> bool {
        self.settings.record
    }

    /// Whether call `id` is still being taken (ringing or in progress):
    /// its recording goes on until it is closed.
    ///
    /// # Errors
    /// Storage errors.
    pub fn call_open(&self, id: CallId) -> Result<bool> {
        Ok(self
            .store
            .load_call(id)?
            .is_some_and(|c| c.state != CallState::Closed))
    }

    /// Where call `id`'s recording goes: relative to the data folder (for
    /// the database) and in full.
    pub fn recording_file(&self, id: CallId, started_at: DateTime<Utc>) -> (String, PathBuf) {
        let rel = format!("recordings/{}/{id}.flac", started_at.format("%Y-%m"));
        let full = self.data_dir.join(&rel);
        (rel, full)
    }

    /// The listening thread began call `id`'s recording at `file`.
    ///
    /// # Errors
    /// The call already has one; storage errors.
    pub fn recording_begun(
        &mut self,
        id: CallId,
        file: &str,
        started_at: DateTime<Utc>,
        channels: u8,
    ) -> Result<()> {
        Ok(self.store.begin_recording(id, file, started_at, channels)?)
    }

    /// The listening thread finished call `id`'s recording; recordings
    /// past retention go now, so a desk that runs for weeks keeps no more
    /// than the station's rule.
    ///
    /// # Errors
    /// Storage errors.
    pub fn recording_ended(&mut self, id: CallId, size: RecordingSize) -> Result<Purged> {
        self.store.end_recording(id, size.seconds, size.bytes)?;
        self.purge_recordings()
    }

    /// Measures recordings a stopped desk left unfinished (their length is
    /// what the file holds up to its last whole frame), so they play.
    /// Returns a note per recording whose file is gone or unreadable.
    ///
    /// # Errors
    /// Storage errors.
    pub fn recover_recordings(&mut self) -> Result<Vec<String>> {
        let mut notes = Vec::new();
        for r in self.store.recordings_kept(true, self.now())? {
            let path = self.data_dir.join(&r.file);
            let (seconds, bytes) = match read_recording(&path) {
                Ok(a) => (a.seconds(), std::fs::metadata(&path).map_or(0, |m| m.len())),
                Err(e) => {
                    notes.push(format!("call {}: {e}", r.call_id));
                    (0.0, 0)
                }
            };
            self.store.end_recording(r.call_id, seconds, bytes)?;
        }
        Ok(notes)
    }

    /// Deletes recordings older than `Settings::recording_days`, each with
    /// an audit entry (file, length, the rule applied).
    ///
    /// # Errors
    /// Storage errors; a file that exists and cannot be deleted (it stays,
    /// and so does its row, to be tried again).
    pub fn purge_recordings(&mut self) -> Result<Purged> {
        let days = self.settings.recording_days;
        let now = self.now();
        let cutoff = now - Duration::days(i64::from(days));
        let mut purged = Purged::default();
        for r in self.store.recordings_kept(false, cutoff)? {
            // A recording still being written is not old enough to go.
            let Some(seconds) = r.seconds else { continue };
            let path = self.data_dir.join(&r.file);
            let found = match std::fs::remove_file(&path) {
                Ok(()) => true,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
                Err(e) => return Err(DeskError::Io(format!("{}: {e}", path.display()))),
            };
            let detail = serde_json::json!({
                "file": r.file, "seconds": seconds, "bytes": r.bytes,
                "retentionDays": days, "fileFound": found,
            });
            self.store
                .purge_recording(r.call_id, now, "retention", &detail)?;
            purged.calls.push(r.call_id);
            purged.bytes += r.bytes.unwrap_or(0);
        }
        Ok(purged)
    }

    /// Call `id`'s recording as it is on record (a lead's read: no audio).
    ///
    /// # Errors
    /// [`DeskError::Forbidden`]; storage errors.
    pub fn recording_row(&mut self, id: CallId) -> Result<Option<RecordingRow>> {
        self.authorize(Need::Lead)?;
        Ok(self.store.recording(id)?)
    }

    /// Call `id`'s audio for a lead, audited as `purpose` ("heard" in the
    /// review screen, "exported" to a file, with `to` its path).
    ///
    /// # Errors
    /// [`DeskError::Forbidden`]; [`DeskError::NoRecording`] saying why
    /// (never recorded, deleted by retention, file gone or unreadable).
    pub fn recording_audio(
        &mut self,
        id: CallId,
        purpose: &str,
        to: &str,
    ) -> Result<(RecordingRow, Recorded)> {
        let who = self.authorize(Need::Lead)?;
        let no = |why: String| DeskError::NoRecording(id, why);
        let r = self
            .store
            .recording(id)?
            .ok_or_else(|| no("the call was not recorded".into()))?;
        if let Some(at) = r.purged_at {
            return Err(no(format!(
                "deleted by retention on {}",
                at.format("%Y-%m-%d")
            )));
        }
        let audio = read_recording(&self.data_dir.join(&r.file)).map_err(|e| no(e.to_string()))?;
        let detail = serde_json::json!({ "file": r.file, "to": to });
        self.audit_entry(&who, &format!("recording_{purpose}"), Some(id), detail)?;
        Ok((r, audio))
    }

    /// Call `id`'s recording for the lead's player.
    ///
    /// # Errors
    /// As [`Desk::recording_audio`]; another seat's call
    /// ([`DeskError::NoRecording`]: recordings stay at their desk).
    pub fn recording_view(&mut self, seat: &str, id: CallId) -> Result<RecordingView> {
        if self.other_seat(seat) {
            self.authorize(Need::Lead)?;
            return Err(DeskError::NoRecording(
                id,
                format!("recordings stay at their desk; ask seat {seat}"),
            ));
        }
        let (r, audio) = self.recording_audio(id, "heard", "")?;
        let mono = audio.channel(0);
        Ok(RecordingView {
            call_id: id,
            started_at: r.started_at,
            seconds: audio.seconds(),
            channels: audio.channels,
            complete: audio.complete,
            peaks: jiejing_audio::peaks(&mono, PEAKS),
            wav_base64: base64_wav(&audio),
        })
    }
}

/// `audio` as a 16-bit PCM WAV file, base64-encoded.
fn base64_wav(audio: &Recorded) -> String {
    let data = u32::try_from(audio.samples.len() * 2).unwrap_or(u32::MAX);
    let ch = u16::from(audio.channels);
    let mut w = Vec::with_capacity(44 + audio.samples.len() * 2);
    w.extend_from_slice(b"RIFF");
    w.extend_from_slice(&(36 + data).to_le_bytes());
    w.extend_from_slice(b"WAVEfmt ");
    w.extend_from_slice(&16u32.to_le_bytes());
    w.extend_from_slice(&1u16.to_le_bytes());
    w.extend_from_slice(&ch.to_le_bytes());
    w.extend_from_slice(&audio.sample_rate.to_le_bytes());
    w.extend_from_slice(&(audio.sample_rate * u32::from(ch) * 2).to_le_bytes());
    w.extend_from_slice(&(ch * 2).to_le_bytes());
    w.extend_from_slice(&16u16.to_le_bytes());
    w.extend_from_slice(b"data");
    w.extend_from_slice(&data.to_le_bytes());
    for s in &audio.samples {
        w.extend_from_slice(&((s.clamp(-1.0, 1.0) * 32767.0) as i16).to_le_bytes());
    }
    base64::engine::general_purpose::STANDARD.encode(&w)
}
