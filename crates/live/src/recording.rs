//! The pipeline's recorder: every call's audio from just before its first
//! ring to its close. The ring listener names a call only a ring or two
//! after it began, so the last seconds heard are kept in memory and the
//! recording starts from them. Nothing is kept between calls: a room's
//! talk when no call is open is not recorded.
//!
//! A desk restarted in the middle of a call (a crash, a power cut) goes on
//! with that call's file: the time it was down is written as silence, so
//! the recording keeps the call's time line (the player's marks, the
//! transcript's seek points) and a lead hears where audio is missing.

use std::collections::VecDeque;
use std::time::Instant;

use jiejing_audio::{Recorder, SAMPLE_RATE};
use jiejing_core::CallId;
use jiejing_desk::{Desk, LeftRecording};

/// Audio kept in memory while no call is recorded: more than the listener
/// takes to recognise ringing.
const PREROLL_S: f64 = 15.0;
/// How much before the first ring's onset the recording starts.
const LEAD_IN_S: f64 = 0.5;
/// How often the desk is asked whether the call closed, in seconds of audio
/// or of the clock, whichever comes first (a file runs faster than the
/// clock; a device may deliver nothing while its sound server idles):
/// often enough that a desk shut down just after a call still finishes
/// that call's recording.
const CHECK_EVERY_S: f64 = 0.25;
/// A call left open all night is not recorded past this.
const MAX_S: f64 = 4.0 * 3600.0;
/// A call's last words may still wait in the capture queue when it closes,
/// so its recording goes on until the audio heard reaches the close; a
/// device that stopped delivering is waited for this long (seconds of the
/// clock), more than a stalled device takes to be reopened.
const CATCH_UP_S: f64 = 8.0;

struct Active {
    call: CallId,
    rec: Recorder,
    checked_at: f64,
    checked_wall: Instant,
    /// When the desk was first seen to have closed the call.
    closing: Option<Instant>,
}

impl Active {
    /// Call `id` recorded by `rec`, last checked at stream second `now`.
    fn new(call: CallId, rec: Recorder, now: f64) -> Active {
        Active {
            call,
            rec,
            checked_at: now,
            checked_wall: Instant::now(),
            closing: None,
        }
    }
}

pub(crate) struct CallRecorder {
    preroll: VecDeque<f32>,
    active: Option<Active>,
    /// The stream ended: finish at the next delivery.
    ending: bool,
    /// When the desk was last asked for an open call nobody records (stream
    /// second, clock).
    looked: (f64, Instant),
    /// 1: the desk microphone; 2: it (left) and the caller's line (right).
    channels: u8,
    /// A call whose left recording could not be gone on with (said once).
    given_up: Option<CallId>,
    frame: Vec<f32>,
}

impl CallRecorder {
    /// A recorder of `channels` channels (2 with the caller's line).
    pub(crate) fn new(channels: u8) -> Self {
        CallRecorder {
            preroll: VecDeque::new(),
            active: None,
            ending: false,
            looked: (0.0, Instant::now()),
            channels,
            given_up: None,
            frame: Vec::new(),
        }
    }

    /// Hears one block (16 kHz) of the desk microphone and, with the
    /// caller's line, the same stretch of that line.
    pub(crate) fn hear(&mut self, taker: &[f32], caller: Option<&[f32]>) {
        self.frame.clear();
        match caller.filter(|_| self.channels == 2) {
            Some(c) => self
                .frame
                .extend(taker.iter().zip(c).flat_map(|(t, c)| [*t, *c])),
            None => self.frame.extend_from_slice(taker),
        }
        if let Some(a) = self.active.as_mut() {
            if let Err(e) = a.rec.write(&self.frame) {
                eprintln!("jiejing: recording of call {} stopped: {e}", a.call);
                self.active = None; // its row stays unfinished; the next start measures it
            }
            return;
        }
        self.preroll.extend(&self.frame);
        let keep = (PREROLL_S * f64::from(SAMPLE_RATE)) as usize * usize::from(self.channels);
        let extra = self.preroll.len().saturating_sub(keep);
        self.preroll.drain(..extra);
    }

    /// The stream ended (a file, `--for N`): finish the recording at the
    /// next [`CallRecorder::deliver`].
    pub(crate) fn end(&mut self) {
        self.ending = true;
    }

    /// Call `id` began ringing at stream second `first_onset`; `now` is
    /// the stream second heard last, `wall` turns stream seconds into the
    /// desk's time.
    pub(crate) fn begin(
        &mut self,
        desk: &mut Desk,
        id: CallId,
        first_onset: f64,
        now: f64,
        wall: &dyn Fn(f64) -> chrono::DateTime<chrono::Utc>,
    ) {
        // A call opened with F2 may be ahead of the audio heard (the
        // listener runs behind the room): it starts once the audio reaches it.
        let start_s = first_onset - LEAD_IN_S;
        let begun = self.active.as_ref().is_some_and(|a| a.call == id);
        if begun || start_s > now || !desk.wants_recording() {
            return;
        }
        self.finish(desk);
        let start = start_s.max(self.held_from(now));
        let started_at = wall(start);
        let (rel, path) = desk.recording_file(id, started_at);
        let mut rec = match Recorder::create(&path, self.channels, &desk.files_key()) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("jiejing: call {id} not recorded: {e}");
                return;
            }
        };
        let held = self.take_held(start, now);
        if let Err(e) = rec.write(&held) {
            eprintln!("jiejing: call {id} not recorded: {e}");
            return;
        }
        if let Err(e) = desk.recording_begun(id, &rel, started_at, self.channels) {
            eprintln!("jiejing: call {id}'s recording not noted ({e}); {rel} is on disk");
        }
        self.active = Some(Active::new(id, rec, now));
    }

    /// Goes on with call `id`'s recording that a stopped desk left: the
    /// time the desk was down as silence, then what is held since.
    fn resume(
        &mut self,
        desk: &mut Desk,
        id: CallId,
        left: &LeftRecording,
        now: f64,
        wall: &dyn Fn(f64) -> chrono::DateTime<chrono::Utc>,
    ) {
        if !desk.wants_recording() {
            return;
        }
        let mut rec = match Recorder::resume(&left.path, self.channels, &desk.files_key()) {
            Ok(r) => r,
            // Another process of this desk records it: look again later.
            Err(jiejing_audio::AudioError::InUse { .. }) => return,
            Err(e) => {
                eprintln!("jiejing: the rest of call {id} is not recorded: {e}");
                self.given_up = Some(id);
                return;
            }
        };
        let held_from = self.held_from(now);
        let file_end =
            left.started_at + chrono::Duration::microseconds((rec.seconds() * 1e6) as i64);
        let down_s = (wall(held_from) - file_end)
            .num_microseconds()
            .unwrap_or(i64::MAX) as f64
            / 1e6;
        if rec.seconds() + down_s > MAX_S {
            eprintln!(
                "jiejing: the rest of call {id} is not recorded: the desk was down {down_s:.0} s"
            );
            self.given_up = Some(id);
            return;
        }
        let silence = vec![0.0f32; SAMPLE_RATE as usize * usize::from(self.channels)];
        let mut gap =
            (down_s.max(0.0) * f64::from(SAMPLE_RATE)) as usize * usize::from(self.channels);
        let mut written = Ok(());
        while gap > 0 && written.is_ok() {
            let n = gap.min(silence.len());
            written = rec.write(&silence[..n]);
            gap -= n;
        }
        // Audio held from before the file's end (a desk down for less than
        // its hold) is already in the file.
        let held = self.take_held(held_from - down_s.min(0.0), now);
        if let Err(e) = written.and_then(|()| rec.write(&held)) {
            eprintln!("jiejing: the rest of call {id} is not recorded: {e}");
            self.given_up = Some(id);
            return;
        }
        if let Err(e) = desk.recording_resumed(id, down_s.max(0.0)) {
            eprintln!("jiejing: call {id}'s recording went on after a restart, not noted: {e}");
        }
        self.active = Some(Active::new(id, rec, now));
    }

    /// The stream second the held audio starts at; `now` is the last heard.
    fn held_from(&self, now: f64) -> f64 {
        let ch = usize::from(self.channels);
        now - (self.preroll.len() / ch) as f64 / f64::from(SAMPLE_RATE)
    }

    /// The held audio from stream second `from` on, emptying the hold.
    fn take_held(&mut self, from: f64, now: f64) -> Vec<f32> {
        let (rate, ch) = (f64::from(SAMPLE_RATE), usize::from(self.channels));
        let skip =
            (((from - self.held_from(now)).max(0.0) * rate) as usize * ch).min(self.preroll.len());
        let held = self.preroll.iter().skip(skip).copied().collect();
        self.preroll.clear();
        held
    }

    /// Whether [`CallRecorder::deliver`] has anything to do at stream
    /// second `now` (so the desk is locked only then).
    pub(crate) fn due(&self, now: f64) -> bool {
        if self.active.is_none() {
            let (at, wall) = self.looked;
            return !self.ending
                && (now - at >= CHECK_EVERY_S || wall.elapsed().as_secs_f64() >= CHECK_EVERY_S);
        }
        self.active.as_ref().is_some_and(|a| {
            self.ending
                || now - a.checked_at >= CHECK_EVERY_S
                || a.checked_wall.elapsed().as_secs_f64() >= CHECK_EVERY_S
        })
    }

    /// Finishes the recording once the audio heard reaches its call's
    /// close (or [`CATCH_UP_S`] after it, whatever was heard), the stream ended or
    /// it has run too long; starts one for an open call the ring listener
    /// did not announce (F2), from when it rang as far as audio is held.
    pub(crate) fn deliver(
        &mut self,
        desk: &mut Desk,
        now: f64,
        wall: &dyn Fn(f64) -> chrono::DateTime<chrono::Utc>,
    ) {
        if !self.due(now) {
            return;
        }
        let Some(a) = self.active.as_mut() else {
            self.looked = (now, Instant::now());
            // Nothing heard yet (a device just opened delivers nothing for a
            // moment): audio not yet heard cannot be placed in time, and a
            // recording begun now would lose that moment.
            if self.preroll.is_empty() {
                return;
            }
            match desk.unrecorded_call() {
                Ok(Some(u)) if self.given_up == Some(u.call) => {}
                Ok(Some(u)) => match &u.left {
                    Some(left) => self.resume(desk, u.call, left, now, wall),
                    None => {
                        // Stream second of the ring: `now` minus how long ago it was.
                        let ago = (wall(now) - u.rang_at).num_milliseconds() as f64 / 1000.0;
                        self.begin(desk, u.call, now - ago, now, wall);
                    }
                },
                Ok(None) | Err(_) => {}
            }
            return;
        };
        (a.checked_at, a.checked_wall) = (now, Instant::now());
        // A storage error reads as open: the recording goes on.
        let closed = match desk.call_closed_at(a.call) {
            Ok(Some(at)) => {
                let seen = a.closing.get_or_insert_with(Instant::now);
                wall(now) >= at || seen.elapsed().as_secs_f64() > CATCH_UP_S
            }
            Ok(None) | Err(_) => false,
        };
        if closed || self.ending || a.rec.seconds() > MAX_S {
            self.finish(desk);
        }
    }

    fn finish(&mut self, desk: &mut Desk) {
        let Some(a) = self.active.take() else {
            return;
        };
        let path = a.rec.path().to_owned();
        match a.rec.finish() {
            Ok(size) => {
                if let Err(e) = desk.recording_ended(a.call, size) {
                    eprintln!("jiejing: recording of call {}: {e}", a.call);
                }
            }
            Err(e) => eprintln!("jiejing: {} not finished: {e}", path.display()),
        }
    }
}
