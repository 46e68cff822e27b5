//! The ring listener: one thread that owns the capture, runs the detector
//! and tells the desk when ringing starts and how it ended. The screen polls
//! [`AudioStatus`] (a few bytes, four times a second) for the live ring
//! counter and reloads the call when `changes` moves.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use jiejing_audio::capture::{Capture, CaptureStatus};
use jiejing_audio::{AudioSource, CallEvent, Listener, RingProfile};
use jiejing_core::RingMark;
use jiejing_desk::Desk;
use serde::Serialize;
use tauri::{AppHandle, Manager};

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
}

#[derive(Default)]
pub struct Audio {
    status: Mutex<Option<Arc<Mutex<CaptureStatus>>>>,
    note: Mutex<String>,
    ringing: AtomicU32,
    changes: AtomicU32,
}

impl Audio {
    pub fn status(&self) -> AudioStatus {
        let cap = self.status.lock().ok().and_then(|s| s.as_ref().map(|s| s.lock().map(|c| c.clone()).ok())).flatten();
        let note = self.note.lock().map(|n| n.clone()).unwrap_or_default();
        let (state, device, detail) = match cap {
            None => ("off", String::new(), note),
            Some(CaptureStatus::Starting) => ("starting", String::new(), note),
            Some(CaptureStatus::Listening { device, .. }) => ("listening", device, note),
            Some(CaptureStatus::NoDevice { wanted }) => ("no_device", wanted.unwrap_or_default(), note),
            Some(CaptureStatus::Failed { device, error }) => ("failed", device, error),
            Some(CaptureStatus::Stopped) => ("off", String::new(), note),
        };
        AudioStatus {
            state: state.into(),
            device,
            detail,
            ringing: self.ringing.load(Ordering::Relaxed),
            changes: self.changes.load(Ordering::Relaxed),
        }
    }
}

/// Where a learned ring is kept (written by `jiejing rings learn`; the CLI
/// names the same file).
pub fn learned_path(data_dir: &Path) -> PathBuf {
    data_dir.join("rings").join("learned.json")
}

/// Built-in profiles plus the station's learned ring. A broken learned file
/// is reported and skipped: the built-ins still listen.
fn profiles(data_dir: &Path) -> (Vec<RingProfile>, String) {
    let mut all = RingProfile::builtins();
    let path = learned_path(data_dir);
    let note = match std::fs::read_to_string(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => format!("{}: {e}", path.display()),
        Ok(text) => match serde_json::from_str::<RingProfile>(&text).map_err(|e| e.to_string()).and_then(|p| {
            p.validate().map_err(|e| e.to_string())?;
            Ok(p)
        }) {
            Ok(p) => {
                // A learned ring is this phone's: listen for it alone.
                all = vec![p];
                String::new()
            }
            Err(e) => format!("{}: {e}; using the built-in rings", path.display()),
        },
    };
    (all, note)
}

pub fn start(app: &AppHandle, listen: bool, device: String, data_dir: &Path) {
    let audio = app.state::<Audio>();
    if !listen {
        return;
    }
    let (profiles, note) = profiles(data_dir);
    if let Ok(mut n) = audio.note.lock() {
        *n = note;
    }
    let capture = Capture::start((!device.is_empty()).then_some(device));
    if let Ok(mut s) = audio.status.lock() {
        *s = Some(capture.status_handle());
    }
    let app = app.clone();
    std::thread::Builder::new()
        .name("jiejing-listen".into())
        .spawn(move || run(app, capture, profiles))
        .expect("spawn the listener thread");
}

fn run(app: AppHandle, mut capture: Capture, profiles: Vec<RingProfile>) {
    let audio = app.state::<Audio>();
    let desk = app.state::<Mutex<Desk>>();
    let mut listener = Listener::new(profiles);
    let mut events = Vec::new();
    let mut call_id = None;
    loop {
        match capture.next_block(Duration::from_millis(200)) {
            Ok(Some(b)) => listener.feed(&b, &mut events),
            Ok(None) => {}
            Err(_) => return, // the capture thread is gone; status says why
        }
        if events.is_empty() {
            continue;
        }
        let Ok(mut desk) = desk.lock() else { return };
        // Stream seconds to the desk's clock: `t` happened now - (heard - t).
        let (now, heard) = (desk.now(), listener.now());
        let wall = |t: f64| -> DateTime<Utc> { now - chrono::Duration::milliseconds(((heard - t) * 1000.0) as i64) };
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
                        let rings = c.rings.iter().map(|r| RingMark { onset: wall(r.onset), offset: wall(r.offset) }).collect();
                        if let Err(e) = desk.record_rings(id, rings, c.answered_at.map(wall)) {
                            eprintln!("jiejing: rings of call {id} not recorded: {e}");
                        }
                    }
                }
            }
            audio.changes.fetch_add(1, Ordering::Relaxed);
        }
    }
}
