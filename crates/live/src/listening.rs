//! The app's listening thread: it owns the capture, drives the
//! [`Pipeline`] and keeps [`AudioStatus`] for the screen (a few bytes,
//! polled four times a second: the live ring counter, and a change counter
//! that tells the screen to reload the call). The shell starts it and
//! forwards its status; Settings reach it through [`Listening`]'s methods:
//! a new device, a ring recording to learn from, new profiles, a new model.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiejing_audio::capture::{self, CaptureStatus};
use jiejing_audio::RingProfile;
use jiejing_core::Settings;
use jiejing_desk::{Desk, DeskState};
use jiejing_speech::live::LiveStatus;
use serde::Serialize;

use crate::{rings, Input, LiveError, PartialText, Pipeline, Speech};

/// What the screen shows about listening.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
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
    /// The words of the utterance being spoken, as far as heard (shown
    /// after the transcript until its final line comes).
    pub partial: Option<PartialText>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AudioDevice {
    pub id: String,
    pub name: String,
    pub is_default: bool,
}

/// Requests to the listening thread.
#[derive(Default)]
struct Control {
    /// Reopen capture: (listen, device id or "", the caller's line).
    restart: Option<(bool, String, String)>,
    /// Samples kept for learning, while recording.
    recording: Option<Vec<f32>>,
    /// Listen for these from now on.
    profiles: Option<Vec<RingProfile>>,
}

/// The longest ring recording kept for learning.
const MAX_RECORD_S: usize = 12;

struct Shared {
    capture: Mutex<Option<Arc<Mutex<CaptureStatus>>>>,
    note: Mutex<String>,
    learned: Mutex<Option<String>>,
    control: Mutex<Control>,
    ringing: AtomicU32,
    changes: AtomicU32,
    speech: Speech,
    partial: Mutex<Option<PartialText>>,
}

/// The desk's ears while the app runs.
pub struct Listening {
    data_dir: PathBuf,
    desk: Arc<Mutex<Desk>>,
    shared: Arc<Shared>,
}

pub(crate) fn locked<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Listening {
    /// Starts listening as the desk's settings say (device, speech model).
    ///
    /// # Errors
    /// The desk's lock was poisoned.
    pub fn start(desk: Arc<Mutex<Desk>>) -> Result<Self, LiveError> {
        let (data_dir, settings, key) = {
            let d = desk.lock().map_err(|_| LiveError::DeskGone)?;
            (d.data_dir().to_owned(), d.settings().clone(), d.files_key())
        };
        let rings = rings(&data_dir, &key);
        let shared = Arc::new(Shared {
            capture: Mutex::new(None),
            note: Mutex::new(rings.note.unwrap_or_default()),
            learned: Mutex::new(rings.learned),
            control: Mutex::new(Control {
                restart: Some((
                    settings.listen,
                    settings.audio_device.clone(),
                    settings.caller_line.clone(),
                )),
                ..Control::default()
            }),
            ringing: AtomicU32::new(0),
            changes: AtomicU32::new(0),
            speech: Speech::new(&data_dir, &settings),
            partial: Mutex::new(None),
        });
        let (sh, d) = (shared.clone(), desk.clone());
        std::thread::Builder::new()
            .name("jiejing-listen".into())
            .spawn(move || run(&sh, &d, rings.profiles))
            .map_err(|e| LiveError::Audio(format!("the listening thread did not start: {e}")))?;
        Ok(Listening {
            data_dir,
            desk,
            shared,
        })
    }

    pub fn status(&self) -> AudioStatus {
        let sh = &self.shared;
        let cap = locked(&sh.capture).as_ref().map(|s| locked(s).clone());
        let note = locked(&sh.note).clone();
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
            ringing: sh.ringing.load(Ordering::Relaxed),
            changes: sh.changes.load(Ordering::Relaxed),
            learned: locked(&sh.learned).clone(),
            recorded_s: locked(&sh.control)
                .recording
                .as_ref()
                .map(|r| r.len() as f32 / jiejing_audio::SAMPLE_RATE as f32),
            speech: sh.speech.status(),
            partial: locked(&sh.partial).clone(),
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

    /// Saves the desk's settings and restarts what they changed (see
    /// [`Listening::settings_saved`]); the desk as it now is.
    ///
    /// # Errors
    /// The desk's refusal (a bad value), storage.
    pub fn save_settings(&self, desk: &mut Desk, s: &Settings) -> Result<DeskState, LiveError> {
        let before = desk.settings().clone();
        let saved = desk.save_settings(s)?;
        self.settings_saved(&before, &saved);
        Ok(desk.state()?)
    }

    /// Settings were saved: reopen capture if the device or listening
    /// changed, reload speech if the model, the city (its prompt) or
    /// speech itself changed. Nothing restarts for other settings: a
    /// reopened capture would drop the ringing being counted.
    pub fn settings_saved(&self, before: &Settings, after: &Settings) {
        let input = |s: &Settings| (s.listen, s.audio_device.clone(), s.caller_line.clone());
        if input(before) != input(after) {
            locked(&self.shared.control).restart = Some(input(after));
        }
        let speech_of = |s: &Settings| (s.speech, s.speech_model.clone(), s.city.clone());
        if speech_of(before) != speech_of(after) {
            self.shared.speech.restart(&self.data_dir, after);
        }
    }

    /// The signed-in lead may change which ring the desk listens for.
    fn may_learn(&self) -> Result<(), LiveError> {
        let mut desk = self.desk.lock().map_err(|_| LiveError::DeskGone)?;
        Ok(desk.may_change_ring()?)
    }

    /// Start keeping what the microphone hears, to learn the ring from.
    ///
    /// # Errors
    /// Not a lead; not listening to a device.
    pub fn record_start(&self) -> Result<(), LiveError> {
        self.may_learn()?;
        let listening = locked(&self.shared.capture)
            .as_ref()
            .is_some_and(|s| matches!(*locked(s), CaptureStatus::Listening { .. }));
        if !listening {
            return Err(LiveError::Audio(
                "not listening to a device: choose one that works, then record".into(),
            ));
        }
        locked(&self.shared.control).recording = Some(Vec::new());
        Ok(())
    }

    /// Learn the ring from the recording, keep it and listen for it alone;
    /// returns it in words.
    ///
    /// # Errors
    /// Not a lead; no recording; no ring in it; the file not written.
    pub fn record_finish(&self) -> Result<String, LiveError> {
        self.may_learn()?;
        let samples = locked(&self.shared.control)
            .recording
            .take()
            .ok_or_else(|| LiveError::Audio("no recording in progress".into()))?;
        let audio = |e: jiejing_audio::AudioError| LiveError::Audio(e.to_string());
        let p = jiejing_audio::learn(&samples, "learned", "learned in settings").map_err(audio)?;
        let key = self
            .desk
            .lock()
            .map_err(|_| LiveError::DeskGone)?
            .files_key();
        jiejing_audio::save_learned(&self.data_dir, &p, &key).map_err(audio)?;
        let words = jiejing_audio::describe(&p);
        *locked(&self.shared.learned) = Some(words.clone());
        locked(&self.shared.control).profiles = Some(vec![p]);
        Ok(words)
    }

    /// Forget the learned ring: back to the built-in rings.
    ///
    /// # Errors
    /// Not a lead; the file not removed.
    pub fn forget(&self) -> Result<(), LiveError> {
        self.may_learn()?;
        jiejing_audio::forget_learned(&self.data_dir)
            .map_err(|e| LiveError::Audio(e.to_string()))?;
        *locked(&self.shared.learned) = None;
        locked(&self.shared.control).profiles = Some(RingProfile::builtins());
        Ok(())
    }
}

/// A fresh pipeline for what is heard: with or without the caller's line
/// it differs (see [`Input::pipeline`]).
fn pipeline_for(input: Option<&Input>, profiles: &[RingProfile]) -> Pipeline {
    match input {
        Some(i) => i.pipeline(profiles.to_vec()),
        None => Pipeline::new(profiles.to_vec()),
    }
}

fn run(sh: &Shared, desk: &Mutex<Desk>, profiles: Vec<RingProfile>) {
    let mut input: Option<Input> = None;
    let mut profiles = profiles;
    let mut p = Pipeline::new(profiles.clone());
    let mut ears = &sh.speech;
    loop {
        {
            let mut c = locked(&sh.control);
            if let Some((listen, device, line)) = c.restart.take() {
                let device = (!device.is_empty()).then_some(device);
                let (i, status) = match listen {
                    true => {
                        let (i, status) = Input::capture(device, &line);
                        (Some(i), Some(status))
                    }
                    false => (None, None),
                };
                (input, *locked(&sh.capture)) = (i, status);
                p = pipeline_for(input.as_ref(), &profiles);
                c.recording = None;
                sh.ringing.store(0, Ordering::Relaxed);
            }
            if let Some(new) = c.profiles.take() {
                profiles = new;
                p = pipeline_for(input.as_ref(), &profiles);
                sh.ringing.store(0, Ordering::Relaxed);
            }
        }
        let Some(inp) = input.as_mut() else {
            std::thread::sleep(Duration::from_millis(200));
            continue;
        };
        match inp.next(Duration::from_millis(200)) {
            Ok(Some((mic, line))) => {
                // While the lead records the ring to learn it, that ringing
                // is not a call.
                if let Some(r) = locked(&sh.control).recording.as_mut() {
                    if r.len() < MAX_RECORD_S * jiejing_audio::SAMPLE_RATE as usize {
                        r.extend_from_slice(&mic);
                    }
                    continue;
                }
                p.feed(&mic, line.as_deref());
            }
            Ok(None) => {}
            Err(_) => input = None, // the capture thread is gone; status says why
        }
        let behind = input.as_ref().map_or(Duration::ZERO, Input::behind);
        match p.deliver(desk, &mut ears, behind) {
            Ok(changed) => {
                sh.ringing.store(p.ringing(), Ordering::Relaxed);
                *locked(&sh.partial) = p.partial().cloned();
                if changed {
                    sh.changes.fetch_add(1, Ordering::Relaxed);
                }
            }
            Err(_) => return,
        }
    }
}
