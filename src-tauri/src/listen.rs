//! The ring listener: one thread that owns the capture, runs the detector
//! and tells the desk when ringing starts and how it ended. The screen polls
//! [`AudioStatus`] (a few bytes, four times a second) for the live ring
//! counter and reloads the call when `changes` moves. Settings reach the
//! thread through [`Control`]: a new device, a ring recording to learn from,
//! new profiles.
//!
//! The same stream feeds speech: the listener cuts what its voice detector
//! hears into utterances; while a call is open they go to the recogniser
//! ([`crate::speech::Speech`]), and what it heard goes to the desk — held
//! back while a call is still ringing, because the answer (the voice that
//! ends the ringing) is only confirmed a few seconds after it was spoken.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use jiejing_audio::capture::{self, Capture, CaptureStatus};
use jiejing_audio::{AudioSource, CallEvent, Listener, RingProfile};
use jiejing_core::{ErrorCode, RingMark};
use jiejing_desk::Desk;
use jiejing_speech::live::{Heard, Job, LiveStatus};
use serde::Serialize;
use tauri::{AppHandle, Manager};

use crate::error::AppError;
use crate::speech::Speech;

/// What the screen shows about listening.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AudioStatus {
    /// "off", "starting", "listening", "no_device", "failed".
    pub state: String,
    pub device: String,
    /// Why it is not listening, or a note on the ring profiles.
    pub detail: String,
    /// Rings counted in the call now ringing (0: none).
    pub ringing: u32,
    /// Bumped whenever the listener changed a call: reload it.
    pub changes: u32,
    /// The learned ring in words, if one is in use.
    pub learned: Option<String>,
    /// Seconds recorded so far while learning a ring.
    pub recorded_s: Option<f32>,
    /// The recogniser, which hears through this same capture.
    pub speech: LiveStatus,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AudioDevice {
    pub id: String,
    pub name: String,
    pub is_default: bool,
}

/// Requests from commands to the listener thread.
#[derive(Default)]
struct Control {
    /// Reopen capture: (listen, device id or "").
    restart: Option<(bool, String)>,
    /// Samples kept for learning, while recording.
    recording: Option<Vec<f32>>,
    /// Listen for these from now on.
    profiles: Option<Vec<RingProfile>>,
}

/// The longest ring recording kept for learning.
const MAX_RECORD_S: usize = 12;

pub struct Audio {
    data_dir: PathBuf,
    capture: Mutex<Option<Arc<Mutex<CaptureStatus>>>>,
    note: Mutex<String>,
    learned: Mutex<Option<String>>,
    control: Mutex<Control>,
    ringing: AtomicU32,
    changes: AtomicU32,
}

fn audio_error(message: impl Into<String>) -> AppError {
    AppError {
        code: ErrorCode::Audio,
        message: message.into(),
        field: None,
        limit: None,
        missing: Vec::new(),
    }
}

pub(crate) fn locked<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Audio {
    pub fn new(data_dir: &Path) -> Self {
        Audio {
            data_dir: data_dir.to_owned(),
            capture: Mutex::new(None),
            note: Mutex::new(String::new()),
            learned: Mutex::new(None),
            control: Mutex::new(Control::default()),
            ringing: AtomicU32::new(0),
            changes: AtomicU32::new(0),
        }
    }

    pub fn status(&self, speech: &Speech) -> AudioStatus {
        let cap = locked(&self.capture).as_ref().map(|s| locked(s).clone());
        let note = locked(&self.note).clone();
        let (state, device, detail) = match cap {
            None | Some(CaptureStatus::Stopped) => ("off", String::new(), note),
            Some(CaptureStatus::Starting) => ("starting", String::new(), note),
            Some(CaptureStatus::Listening { device, .. }) => ("listening", device, note),
            Some(CaptureStatus::NoDevice { wanted }) => {
                ("no_device", wanted.unwrap_or_default(), note)
            }
            Some(CaptureStatus::Failed { device, error }) => ("failed", device, error),
        };
        AudioStatus {
            state: state.into(),
            device,
            detail,
            ringing: self.ringing.load(Ordering::Relaxed),
            changes: self.changes.load(Ordering::Relaxed),
            learned: locked(&self.learned).clone(),
            recorded_s: locked(&self.control)
                .recording
                .as_ref()
                .map(|r| r.len() as f32 / jiejing_audio::SAMPLE_RATE as f32),
            speech: speech.status(),
        }
    }

    pub fn devices() -> Vec<AudioDevice> {
        capture::list_devices()
            .into_iter()
            .map(|d| AudioDevice {
                id: d.id,
                name: d.name,
                is_default: d.is_default,
            })
            .collect()
    }

    /// Settings changed: reopen capture on the (maybe new) device.
    pub fn restart(&self, listen: bool, device: &str) {
        locked(&self.control).restart = Some((listen, device.to_string()));
    }

    /// Start keeping what the microphone hears, to learn the ring from.
    pub fn record_start(&self) -> Result<(), AppError> {
        let listening = locked(&self.capture)
            .as_ref()
            .is_some_and(|s| matches!(*locked(s), CaptureStatus::Listening { .. }));
        if !listening {
            return Err(audio_error(
                "not listening to a device: choose one that works, then record",
            ));
        }
        locked(&self.control).recording = Some(Vec::new());
        Ok(())
    }

    /// Learn the ring from the recording, keep it and listen for it alone.
    pub fn record_finish(&self) -> Result<String, AppError> {
        let samples = locked(&self.control)
            .recording
            .take()
            .ok_or_else(|| audio_error("no recording in progress"))?;
        let p = jiejing_audio::learn(&samples, "learned", "learned in settings")
            .map_err(|e| audio_error(e.to_string()))?;
        jiejing_audio::save_learned(&self.data_dir, &p).map_err(|e| audio_error(e.to_string()))?;
        let words = jiejing_audio::describe(&p);
        *locked(&self.learned) = Some(words.clone());
        locked(&self.control).profiles = Some(vec![p]);
        Ok(words)
    }

    /// Forget the learned ring: back to the built-in rings.
    pub fn forget(&self) -> Result<(), AppError> {
        jiejing_audio::forget_learned(&self.data_dir).map_err(|e| audio_error(e.to_string()))?;
        *locked(&self.learned) = None;
        locked(&self.control).profiles = Some(RingProfile::builtins());
        Ok(())
    }

    /// The built-in rings, or the learned one alone (it is this phone's).
    /// A broken learned file is reported and the built-ins listen.
    fn profiles(&self) -> Vec<RingProfile> {
        match jiejing_audio::load_learned(&self.data_dir) {
            Ok(Some(p)) => {
                *locked(&self.learned) = Some(jiejing_audio::describe(&p));
                vec![p]
            }
            Ok(None) => RingProfile::builtins(),
            Err(e) => {
                *locked(&self.note) = format!("{e}; using the built-in rings");
                RingProfile::builtins()
            }
        }
    }
}

pub fn start(app: &AppHandle, listen: bool, device: String) {
    let audio = app.state::<Audio>();
    audio.restart(listen, &device);
    let profiles = audio.profiles();
    let app = app.clone();
    std::thread::Builder::new()
        .name("jiejing-listen".into())
        .spawn(move || run(app, profiles))
        .expect("spawn the listener thread");
}

fn run(app: AppHandle, profiles: Vec<RingProfile>) {
    let audio = app.state::<Audio>();
    let speech = app.state::<Speech>();
    let desk = app.state::<Mutex<Desk>>();
    let mut capture: Option<Capture> = None;
    let mut listener = Listener::new(profiles).cut_speech();
    let mut events = Vec::new();
    let mut call_id = None;
    // Transcripts waiting for the ringing to be settled.
    let mut heard: Vec<Heard> = Vec::new();
    loop {
        {
            let mut c = locked(&audio.control);
            if let Some((listen, device)) = c.restart.take() {
                capture = listen.then(|| Capture::start((!device.is_empty()).then_some(device)));
                *locked(&audio.capture) = capture.as_ref().map(Capture::status_handle);
                c.recording = None;
            }
            if let Some(p) = c.profiles.take() {
                listener = Listener::new(p).cut_speech();
                audio.ringing.store(0, Ordering::Relaxed);
                call_id = None;
            }
        }
        let Some(cap) = capture.as_mut() else {
            std::thread::sleep(Duration::from_millis(200));
            continue;
        };
        match cap.next_block(Duration::from_millis(200)) {
            Ok(Some(b)) => {
                // While the call-taker records the ring to learn it, that
                // ringing is not a call.
                if let Some(r) = locked(&audio.control).recording.as_mut() {
                    if r.len() < MAX_RECORD_S * jiejing_audio::SAMPLE_RATE as usize {
                        r.extend_from_slice(&b);
                    }
                    continue;
                }
                listener.feed(&b, &mut events);
            }
            Ok(None) => {}
            Err(_) => capture = None, // the capture thread is gone; status says why
        }
        let utterances: Vec<_> = listener.utterances().collect();
        heard.extend(speech.heard());
        let deliver = call_id.is_none() && !heard.is_empty();
        if events.is_empty() && utterances.is_empty() && !deliver {
            continue;
        }
        let Ok(mut desk) = desk.lock() else { return };
        // Stream seconds to the desk's clock: `t` happened now - (heard - t).
        let (now, at) = (desk.now(), listener.now());
        let wall = |t: f64| -> DateTime<Utc> {
            now - chrono::Duration::milliseconds(((at - t) * 1000.0) as i64)
        };
        for e in events.drain(..) {
            match e {
                CallEvent::Started { first_onset } => {
                    // A call already past ringing is open: a second line rang.
                    call_id = desk.ring_heard(wall(first_onset)).ok();
                }
                CallEvent::Ringing { count } => audio.ringing.store(count, Ordering::Relaxed),
                CallEvent::Ended(c) => {
                    audio.ringing.store(0, Ordering::Relaxed);
                    if let Some(id) = call_id.take() {
                        let rings = c
                            .rings
                            .iter()
                            .map(|r| RingMark {
                                onset: wall(r.onset),
                                offset: wall(r.offset),
                            })
                            .collect();
                        if let Err(e) = desk.record_rings(id, rings, c.answered_at.map(wall)) {
                            eprintln!("jiejing: rings of call {id} not recorded: {e}");
                        }
                    }
                }
            }
            audio.changes.fetch_add(1, Ordering::Relaxed);
        }
        // Words spoken with no call open are not transcribed at all.
        if !utterances.is_empty() && desk.wants_speech().unwrap_or(false) {
            for u in utterances {
                speech.send(Job {
                    start: wall(u.start_s),
                    end: wall(u.end_s),
                    pcm: u.pcm,
                });
            }
        }
        if call_id.is_none() {
            for h in heard.drain(..) {
                match desk.speech_heard(h.start, h.end, &h.segments) {
                    Ok(Some(_)) => {
                        audio.changes.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(None) => {}
                    Err(e) => eprintln!("jiejing: speech not kept: {e}"),
                }
            }
        }
    }
}
