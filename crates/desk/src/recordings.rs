//! Calls' recordings: where the live path writes them, what a lead hears,
//! and retention. The listening thread writes the file
//! (`jiejing_audio::Recorder`) and tells the desk when it begins and ends;
//! the desk keeps the row, deletes what is older than the station keeps
//! (`Settings::recording_days`), and audits every listening, export and
//! deletion: a police call's audio is heard only on the record.

use std::path::PathBuf;

use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use jiejing_audio::{read_recording, recording_in_use, Recorded, RecordingSize, SealKey};
use jiejing_core::{CallId, CallState, CoreError};
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
    /// How much faster than spoken `pcm_base64` plays (1, 1.5 or 2), at
    /// the same pitch: its second `t` is second `t × speed` of the call.
    pub speed: f64,
    /// The channels mixed, as 16-bit little-endian samples at `sample_rate`,
    /// base64: what the player plays (through Web Audio, not `<audio>`,
    /// which WebKitGTK refuses for in-memory sources).
    pub pcm_base64: String,
    pub sample_rate: u32,
}

/// An open call nobody is recording ([`Desk::unrecorded_call`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Unrecorded {
    pub call: CallId,
    pub rang_at: DateTime<Utc>,
    /// The recording a stopped desk left unfinished, to go on with.
    pub left: Option<LeftRecording>,
}

/// A recording left unfinished while its call is still open.
#[derive(Debug, Clone, PartialEq)]
pub struct LeftRecording {
    pub path: PathBuf,
    /// When its first sample was heard.
    pub started_at: DateTime<Utc>,
    pub channels: u8,
}

/// What retention deleted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Purged {
    pub calls: Vec<CallId>,
    pub bytes: u64,
}

/// Why a recording retention deleted cannot be heard, here or at the station.
fn purged(at: DateTime<Utc>) -> String {
    format!("deleted by retention on {}", at.format("%Y-%m-%d"))
}

impl Desk {
    /// Whether the listening thread should record calls.
    pub fn wants_recording(&self) -> bool {
        self.settings.record
    }

    /// When call `id` was closed; `None` while it is still being taken
    /// (ringing or in progress): its recording goes on until the audio
    /// heard reaches that time. A call no longer kept reads as closed now.
    ///
    /// # Errors
    /// Storage errors.
    pub fn call_closed_at(&self, id: CallId) -> Result<Option<DateTime<Utc>>> {
        Ok(match self.store.load_call(id)? {
            Some(c) if c.state != CallState::Closed => None,
            Some(c) => Some(c.closed_at.unwrap_or_else(|| self.now())),
            None => Some(self.now()),
        })
    }

    /// The open call nobody is recording, with when it rang: one taken
    /// with F2 when the ring was not heard, or opened while recording was
    /// off (the listening thread records it from the ring, as far as it
    /// holds audio), or one whose recording a stopped desk left unfinished
    /// (it goes on with that file).
    ///
    /// # Errors
    /// Storage errors.
    pub fn unrecorded_call(&self) -> Result<Option<Unrecorded>> {
        let Some(call) = self.active()? else {
            return Ok(None);
        };
        let left = match self.store.recording(call.id)? {
            None => None,
            Some(r) if r.seconds.is_none() && r.purged_at.is_none() => Some(LeftRecording {
                path: self.data_dir.join(&r.file),
                started_at: r.started_at,
                channels: r.channels,
            }),
            Some(_) => return Ok(None),
        };
        Ok(Some(Unrecorded {
            call: call.id,
            rang_at: call.ring_at,
            left,
        }))
    }

    /// Where call `id`'s recording goes: relative to the data folder (for
    /// the database) and in full. Sealed FLAC frames (`.jrec`, see
    /// [`Desk::files_key`]); a desk before sealing wrote `.flac`.
    pub fn recording_file(&self, id: CallId, started_at: DateTime<Utc>) -> (String, PathBuf) {
        let rel = format!("recordings/{}/{id}.jrec", started_at.format("%Y-%m"));
        let full = self.data_dir.join(&rel);
        (rel, full)
    }

    /// The key this desk's files (recordings, the learned ring) are sealed
    /// with: its own, derived from its database key, so a copied recording
    /// plays nowhere else.
    pub fn files_key(&self) -> SealKey {
        SealKey::new(self.store.files_key())
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

    /// The listening thread went on with call `id`'s recording after the
    /// desk was down for `down_s` seconds (kept as silence): on the call's
    /// timeline, so a lead knows that silence is not the room's.
    ///
    /// # Errors
    /// Storage errors.
    pub fn recording_resumed(&mut self, id: CallId, down_s: f64) -> Result<()> {
        let detail = serde_json::json!({ "downS": (down_s * 10.0).round() / 10.0 });
        self.audit_entry("recorder", "recording_resumed", Some(id), detail)
    }

    /// The listening thread finished call `id`'s recording; recordings
    /// past retention go now, so a desk that runs for weeks keeps no more
    /// than the station's rule.
    ///
    /// # Errors
    /// Storage errors.
    pub fn recording_ended(&mut self, id: CallId, size: RecordingSize) -> Result<Purged> {
        self.store.end_recording(id, size.seconds, size.bytes)?;
        // An older desk's plain recordings are sealed a second at a time.
        match self.seal_plain_recordings(std::time::Duration::from_secs(1)) {
            Ok((_, _, notes)) => notes.iter().for_each(|n| eprintln!("jiejing: {n}")),
            Err(e) => eprintln!("jiejing: sealing older recordings: {e}"),
        }
        self.purge_recordings()
    }

    /// Measures recordings a stopped desk left unfinished (their length is
    /// what the file holds up to its last whole frame), so they ship and
    /// are purged like the rest. Returns a note per recording whose file
    /// is gone or unreadable.
    ///
    /// Another process may be writing one right now (the app, while the
    /// command line opens the same data folder): a recording is taken as
    /// left behind only once its call is closed and no recorder holds its
    /// file (`jiejing_audio::recording_in_use`). One whose call is still
    /// open is left for the listening thread to go on with.
    ///
    /// # Errors
    /// Storage errors.
    pub fn recover_recordings(&mut self) -> Result<Vec<String>> {
        let mut notes = Vec::new();
        for r in self.store.recordings_kept(true, self.now())? {
            let path = self.data_dir.join(&r.file);
            if recording_in_use(&path) || self.call_closed_at(r.call_id)?.is_none() {
                continue;
            }
            let (seconds, bytes) = match read_recording(&path, &self.files_key()) {
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

    /// Seals the plain FLAC recordings an older desk left (every finished,
    /// kept recording whose file is not sealed yet), for at most `budget`
    /// (about 5 s per hour of audio: months of recordings take hours, so a
    /// start does a few seconds' worth and each call's end a little more).
    /// Each is written again sealed beside it, its row points there
    /// (audited), then the plain file goes. A file that will not read stays
    /// as it is, with a note. Returns how many were sealed, how many are
    /// left, and the notes.
    ///
    /// # Errors
    /// Storage errors.
    pub fn seal_plain_recordings(
        &mut self,
        budget: std::time::Duration,
    ) -> Result<(usize, usize, Vec<String>)> {
        let began = std::time::Instant::now();
        let (mut sealed, mut notes) = (0, Vec::new());
        let key = self.files_key();
        let plain = self.store.plain_recordings()?;
        let total = plain.len();
        for (done, r) in plain.into_iter().enumerate() {
            if began.elapsed() >= budget {
                return Ok((sealed, total - done, notes));
            }
            let old = self.data_dir.join(&r.file);
            let rel = format!("{}.jrec", r.file.trim_end_matches(".flac"));
            let new = self.data_dir.join(&rel);
            let bytes = match reseal(&old, &new, &key) {
                Ok(b) => b,
                Err(e) => {
                    notes.push(format!("call {}: not sealed: {e}", r.call_id));
                    continue;
                }
            };
            let detail = serde_json::json!({ "from": r.file, "to": rel, "bytes": bytes });
            self.store
                .reseal_recording(r.call_id, &rel, bytes, self.now(), &detail)?;
            if let Err(e) = std::fs::remove_file(&old) {
                notes.push(format!(
                    "{}: sealed, but the plain file stays: {e}",
                    old.display()
                ));
            }
            sealed += 1;
        }
        Ok((sealed, 0, notes))
    }

    /// De-identifies closed calls older than `Settings::personal_data_days`
    /// (0: none), a batch of `batch` at a time until none are left or
    /// `budget` is spent; how many (see `jiejing_store::retention`).
    ///
    /// # Errors
    /// Storage errors.
    pub fn purge_personal_data(
        &mut self,
        batch: usize,
        budget: std::time::Duration,
    ) -> Result<usize> {
        let days = self.settings.personal_data_days;
        if days == 0 {
            return Ok(0);
        }
        let began = std::time::Instant::now();
        let cutoff = self.now() - Duration::days(i64::from(days));
        let detail = serde_json::json!({ "retentionDays": days });
        let mut done = 0;
        loop {
            let now = self.now();
            let n = self
                .store
                .deidentify_calls(cutoff, batch, now, "retention", &detail)?
                .len();
            done += n;
            if n < batch || began.elapsed() >= budget {
                return Ok(done);
            }
        }
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

    /// Call `id` of `seat` ("" or this desk's: this desk's own; another
    /// seat's as it shipped it to the station) for a lead: when its first
    /// sample was heard, and the audio. Audited as `purpose` ("heard" in
    /// the review screen, at `to` speed; "exported" to a file, `to` its
    /// path).
    ///
    /// # Errors
    /// [`DeskError::Forbidden`]; [`DeskError::StationOffline`];
    /// [`DeskError::NoRecording`] saying why (never recorded, deleted by
    /// retention, file gone or unreadable, not at the station).
    pub fn recording_audio(
        &mut self,
        seat: &str,
        id: CallId,
        purpose: &str,
        to: &str,
    ) -> Result<(DateTime<Utc>, Recorded)> {
        if self.other_seat(seat) {
            return self.seat_recording(seat, id, purpose, to);
        }
        let who = self.authorize(Need::Lead)?;
        let no = |why: String| DeskError::NoRecording(id, why);
        let r = self
            .store
            .recording(id)?
            .ok_or_else(|| no("the call was not recorded".into()))?;
        if let Some(at) = r.purged_at {
            return Err(no(purged(at)));
        }
        let audio = read_recording(&self.data_dir.join(&r.file), &self.files_key())
            .map_err(|e| no(e.to_string()))?;
        let detail = serde_json::json!({ "file": r.file, "to": to });
        self.audit_entry(&who, &format!("recording_{purpose}"), Some(id), detail)?;
        Ok((r.started_at, audio))
    }

    /// Another seat's call `id`'s recording as its seat shipped it to the
    /// station, audited here.
    fn seat_recording(
        &mut self,
        seat: &str,
        id: CallId,
        purpose: &str,
        to: &str,
    ) -> Result<(DateTime<Utc>, Recorded)> {
        let who = self.authorize(Need::Lead)?;
        let no = |why: String| DeskError::NoRecording(id, why);
        let link = self.station.as_mut().ok_or_else(|| {
            no(format!(
                "this desk is not joined to a station, so it has no seat {seat:?}"
            ))
        })?;
        let r = link
            .recording(seat, id)
            .map_err(DeskError::StationOffline)?
            .ok_or_else(|| {
                no(format!(
                    "the station has none from seat {seat} (not recorded, or not sent yet)"
                ))
            })?;
        let flac = match (r.flac, r.purged_at) {
            (Some(f), _) => f,
            (None, Some(at)) => return Err(no(purged(at))),
            (None, None) => return Err(no(format!("seat {seat} could not send its file"))),
        };
        let name = PathBuf::from(format!("station:{seat}/{id}.flac"));
        let audio =
            jiejing_audio::read_recording_bytes(&flac, &name).map_err(|e| no(e.to_string()))?;
        // Not this desk's call: the entry names it in its detail.
        let detail = serde_json::json!({ "seat": seat, "callId": id, "to": to });
        self.audit_entry(&who, &format!("recording_{purpose}"), None, detail)?;
        Ok((r.started_at, audio))
    }

    /// Call `id`'s recording for the lead's player, `speed` (1, 1.5 or 2)
    /// times as fast at the same pitch.
    ///
    /// # Errors
    /// As [`Desk::recording_audio`]; another speed.
    pub fn recording_view(&mut self, seat: &str, id: CallId, speed: f64) -> Result<RecordingView> {
        if ![1.0, 1.5, 2.0].contains(&speed) {
            return Err(CoreError::InvalidValue {
                field: "speed".into(),
                reason: "1, 1.5 or 2".into(),
            }
            .into());
        }
        let (started_at, audio) = self.recording_audio(seat, id, "heard", &format!("{speed}×"))?;
        let mono = audio.mixed();
        let played = jiejing_audio::stretch(&mono, speed);
        let pcm: Vec<u8> = played
            .iter()
            .flat_map(|s| {
                (((s * 32768.0).round() as i32).clamp(-32768, 32767) as i16).to_le_bytes()
            })
            .collect();
        Ok(RecordingView {
            call_id: id,
            started_at,
            seconds: audio.seconds(),
            channels: audio.channels,
            complete: audio.complete,
            peaks: jiejing_audio::peaks(&mono, PEAKS),
            speed,
            pcm_base64: base64::engine::general_purpose::STANDARD.encode(&pcm),
            sample_rate: audio.sample_rate,
        })
    }
}

/// `old` (plain FLAC) written again sealed at `new`; its size. A sealed
/// file left by an attempt that stopped half-way is written again.
fn reseal(
    old: &std::path::Path,
    new: &std::path::Path,
    key: &SealKey,
) -> std::result::Result<u64, String> {
    let audio = read_recording(old, key).map_err(|e| e.to_string())?;
    match std::fs::remove_file(new) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(format!("{}: {e}", new.display())),
    }
    let mut rec =
        jiejing_audio::Recorder::create(new, audio.channels, key).map_err(|e| e.to_string())?;
    rec.write(&audio.samples).map_err(|e| e.to_string())?;
    Ok(rec.finish().map_err(|e| e.to_string())?.bytes)
}
