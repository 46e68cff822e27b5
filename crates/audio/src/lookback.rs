//! Looking back for a band ring's first rings. A trill or bell with babble
//! or a room's echo over it may ring twice before one ring stands clearly
//! enough to lock on: its first rings break into fragments, or are judged
//! unsteady because the voice's peaks joined their lock. Once a ring is
//! heard clearly, its lock (the ring's own partials, weighted) tells what
//! to listen for, so the last seconds of spectrum are heard again on it:
//! where a ring was due before it, at its level, by the same weak rule
//! that holds a due ring going forward (`ring.rs`).

use std::collections::VecDeque;

use crate::profile::Cadence;
use crate::ring::{locked_standing, near, steady, BRIDGE_FRAMES, CONTINUE_GRACE_S};
use crate::spectrum::Frame;

/// Seconds of spectrum kept: two rings back at the longest band cadence
/// (3 s on, 6 s off, plus the grace).
const KEEP_S: f64 = 20.0;

/// A frame heard earlier: when, and its power spectrum.
struct Past {
    t: f64,
    power: Vec<f32>,
}

/// The last KEEP_S of spectrum (about 2 MB), kept only when a band profile
/// listens.
pub(crate) struct History {
    keep: bool,
    frames: VecDeque<Past>,
}

/// What a clear ring tells of the ring before it.
pub(crate) struct Lock<'a> {
    pub bins: &'a [usize],
    pub weights: &'a [f32],
    /// The clear ring's median tone power.
    pub level: f32,
}

impl History {
    pub fn new(keep: bool) -> Self {
        History {
            keep,
            frames: VecDeque::new(),
        }
    }

    pub fn push(&mut self, f: &Frame) {
        if !self.keep {
            return;
        }
        // Reuse the oldest frame's buffer once it has aged out.
        let mut power = match self.frames.front() {
            Some(old) if f.t - old.t > KEEP_S => self.frames.pop_front().unwrap().power,
            _ => Vec::with_capacity(f.power.len()),
        };
        power.clear();
        power.extend_from_slice(f.power);
        self.frames.push_back(Past { t: f.t, power });
    }

    /// Rings before the clear ring starting at `onset`, heard on its lock in
    /// the profile's cadence, each in turn the next one's predecessor: as
    /// (onset, offset), oldest first.
    pub fn rings_before(&self, onset: f64, lock: &Lock, cadence: &Cadence) -> Vec<(f64, f64)> {
        let mut found = Vec::new();
        let mut before = onset;
        while let Some(ring) = self.ring_before(before, lock, cadence) {
            found.push(ring);
            before = ring.0;
        }
        found.reverse();
        found
    }

    /// The latest ring ending where the one at `before` was due after it.
    fn ring_before(&self, before: f64, lock: &Lock, c: &Cadence) -> Option<(f64, f64)> {
        let from = before - c.off_max_s - CONTINUE_GRACE_S - c.on_max_s;
        let to = before - c.off_min_s;
        let half_hop = crate::FRAME_HOP as f64 / 2.0 / f64::from(crate::SAMPLE_RATE);
        let mut best = None;
        // The ring now being gathered: onset, last frame heard, frames
        // missed since, its frames' levels.
        let mut open: Option<(f64, f64, u32, Vec<f32>)> = None;
        let mut close = |(on, last, _, levels): (f64, f64, u32, Vec<f32>)| {
            let off = last + half_hop;
            let (dur, gap) = (off - on, before - off);
            if dur >= c.on_min_s
                && dur <= c.on_max_s
                && gap >= c.off_min_s
                && gap <= c.off_max_s + CONTINUE_GRACE_S
                && steady(&levels)
            {
                best = Some((on, off));
            }
        };
        for f in self.frames.iter().filter(|f| f.t >= from && f.t <= to) {
            let hit = locked_standing(&f.power, lock.bins, lock.weights)
                .filter(|&weak| near(lock.level, weak));
            match (hit, open.as_mut()) {
                (Some(level), Some(ring)) => {
                    ring.1 = f.t;
                    ring.2 = 0;
                    ring.3.push(level);
                }
                (Some(level), None) => open = Some((f.t, f.t, 0, vec![level])),
                (None, Some(ring)) => {
                    ring.2 += 1;
                    if ring.2 > BRIDGE_FRAMES {
                        close(open.take().unwrap());
                    }
                }
                (None, None) => {}
            }
        }
        if let Some(ring) = open {
            close(ring);
        }
        best
    }
}
