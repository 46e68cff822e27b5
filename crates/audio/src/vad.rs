//! Voice activity: speech-band power well above the room's usual level,
//! with ring tones taken out so a ringing phone is never "voice".

use crate::ring::RingEvent;
use crate::spectrum::{bin, Frame};

/// Voice must stand this far (dB) above the room's running level.
const MARGIN_DB: f32 = 10.0;
/// Voice this far below the last ring's level is the room, not the desk.
const BELOW_RING_DB: f32 = 15.0;
/// Of the last `WINDOW` frames, `NEED` must be voiced to start voice
/// (0.24 s of voice within 0.4 s: words, not a cough, a door or a burst of
/// babble from across the room).
const WINDOW: usize = 20;
const NEED: usize = 12;
/// Unvoiced frames that end voice: pauses between words stay inside.
const HANGOVER: u32 = 30;

pub struct Vad {
    lo: usize,
    hi: usize,
    /// Running level of the room, log-domain: rises and falls slowly toward
    /// each frame, so it settles near the median, not the peaks.
    floor_db: Option<f32>,
    recent: [bool; WINDOW],
    idx: usize,
    first_t: [f64; WINDOW],
    active: bool,
    quiet: u32,
    last_voiced: f64,
}

impl Default for Vad {
    fn default() -> Self {
        Self::new()
    }
}

impl Vad {
    pub fn new() -> Self {
        Vad {
            lo: bin(200.0),
            hi: bin(3400.0),
            floor_db: None,
            recent: [false; WINDOW],
            idx: 0,
            first_t: [0.0; WINDOW],
            active: false,
            quiet: 0,
            last_voiced: 0.0,
        }
    }

    /// While voice runs, when its last voiced frame was (a pause may have
    /// begun there); None when no voice runs.
    pub fn voiced_until(&self) -> Option<f64> {
        self.active.then_some(self.last_voiced)
    }

    /// A ring is sounding: whatever voice ran before it has ended, so
    /// voice after the ring shows as a new onset.
    pub fn interrupt(&mut self, t: f64) -> Option<RingEvent> {
        self.recent = [false; WINDOW];
        if !self.active {
            return None;
        }
        self.active = false;
        Some(RingEvent::VoiceOff { t })
    }

    /// `masked` are ring-tone bins (±2 around each) left out of the power.
    /// `ring_db`: the level of the last ring heard, if any. The call-taker
    /// speaks at the desk, about as loud as the phone on it; voices far
    /// below that are the room (colleagues, a radio), not an answer.
    pub fn frame(
        &mut self,
        f: &Frame,
        masked: &[usize],
        ring_db: Option<f32>,
    ) -> Option<RingEvent> {
        // Power outside the ring's bins, scaled back to the whole band so
        // the level means the same with or without a ring sounding.
        let (mut p, mut n) = (0.0f32, 0usize);
        for k in self.lo..=self.hi {
            if !masked.iter().any(|&b| b.abs_diff(k) <= 2) {
                p += f.power[k];
                n += 1;
            }
        }
        p *= (self.hi - self.lo + 1) as f32 / n.max(1) as f32;
        let db = 10.0 * p.max(1e-12).log10();
        let floor = *self.floor_db.get_or_insert(db);
        let voiced =
            db > -75.0 && db > floor + MARGIN_DB && ring_db.is_none_or(|r| db > r - BELOW_RING_DB);
        // Follow the room: quickly down (the room went quiet), slowly up,
        // and barely while voice runs, so a long answer or a loud colleague
        // does not become the new normal.
        let step = (db - floor).clamp(-6.0, 3.0);
        let rate = if db < floor {
            0.3
        } else if voiced {
            0.01
        } else {
            0.08
        };
        self.floor_db = Some(floor + step * rate);

        self.recent[self.idx] = voiced;
        self.first_t[self.idx] = f.t;
        self.idx = (self.idx + 1) % WINDOW;
        if voiced {
            self.last_voiced = f.t;
            self.quiet = 0;
        } else {
            self.quiet += 1;
        }
        if !self.active && self.recent.iter().filter(|&&v| v).count() >= NEED {
            self.active = true;
            // Onset: the earliest voiced frame in the window.
            let t = (0..WINDOW)
                .map(|k| (self.idx + k) % WINDOW)
                .find(|&k| self.recent[k])
                .map_or(f.t, |k| self.first_t[k]);
            return Some(RingEvent::VoiceOn { t });
        }
        if self.active && self.quiet > HANGOVER {
            self.active = false;
            self.recent = [false; WINDOW];
            return Some(RingEvent::VoiceOff {
                t: self.last_voiced,
            });
        }
        None
    }
}
