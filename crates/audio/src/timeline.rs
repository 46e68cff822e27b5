//! Keeps a live device's stream on the wall clock.
//!
//! The rest of the desk counts time in samples heard: a ring's onset, an
//! utterance, a recording's length. A device does not always deliver every
//! sample: the capture queue drops a buffer when the listener falls behind,
//! the sound system overruns, a stalled device is reopened seconds later.
//! Each such gap would pull everything after it earlier than it happened,
//! and a call's recording would come out shorter than the call. So the
//! capture notes when each buffer arrived, and where the samples fall short
//! of the time that passed, the gap is heard as silence.
//!
//! A buffer's arrival is the callback's time, which jitters with the
//! scheduler: gaps under [`GAP_S`] are left alone (the stream catches up by
//! itself); and a gap over [`MAX_FILL_S`] (a device missing for minutes)
//! is not filled: the time line starts again from that buffer.

use std::time::{Duration, Instant};

/// The shortfall, in seconds, heard as a gap: well above a callback's
/// jitter, well under a reopened device's pause (3 s stall and 2 s retry).
const GAP_S: f64 = 1.0;
/// The longest gap filled with silence.
const MAX_FILL_S: f64 = 60.0;

#[derive(Debug, Default)]
pub(crate) struct Timeline {
    /// When the stream's first sample was heard.
    origin: Option<Instant>,
    /// Seconds delivered since then, silence filled in included.
    heard: f64,
    /// When the last block handed on arrived.
    last: Option<Instant>,
}

impl Timeline {
    /// A block of `secs` seconds arrived at `at`: the seconds of silence
    /// to hear before it.
    pub(crate) fn arrive(&mut self, at: Instant, secs: f64) -> f64 {
        self.last = Some(at);
        let due = self
            .origin
            .map(|o| at.saturating_duration_since(o).as_secs_f64());
        let missing = due.map_or(f64::INFINITY, |d| d - self.heard - secs);
        if missing > MAX_FILL_S {
            self.origin = at.checked_sub(Duration::from_secs_f64(secs)).or(Some(at));
            self.heard = secs;
            return 0.0;
        }
        let fill = if missing > GAP_S { missing } else { 0.0 };
        self.heard += fill + secs;
        fill
    }

    /// How long ago the last block handed on was heard: how far the
    /// listener is behind the room.
    pub(crate) fn behind(&self) -> Duration {
        self.last.map_or(Duration::ZERO, |t| t.elapsed())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: f64) -> Duration {
        Duration::from_secs_f64(s)
    }

    #[test]
    fn a_steady_stream_with_jitter_is_left_alone() {
        let (mut t, t0) = (Timeline::default(), Instant::now());
        let mut filled = 0.0;
        for k in 1..=600 {
            // 50 ms buffers, each arriving up to 0.4 s late or early.
            let jitter = [0.0, 0.4, -0.03, 0.2][k % 4];
            filled += t.arrive(t0 + secs(k as f64 * 0.05 + 0.5 + jitter), 0.05);
        }
        assert!(filled == 0.0, "{filled}");
    }

    #[test]
    fn a_gap_is_heard_as_silence_of_its_length() {
        let (mut t, t0) = (Timeline::default(), Instant::now());
        for k in 1..=20 {
            assert!(t.arrive(t0 + secs(k as f64 * 0.05), 0.05) == 0.0);
        }
        // The device went quiet for 5 s (stalled, reopened).
        let fill = t.arrive(t0 + secs(1.0 + 5.0 + 0.05), 0.05);
        assert!((fill - 5.0).abs() < 1e-6, "{fill}");
        // And the stream is back on time: the next buffer needs nothing.
        assert!(t.arrive(t0 + secs(6.1), 0.05) == 0.0);
    }

    #[test]
    fn a_long_absence_starts_the_time_line_again() {
        let (mut t, t0) = (Timeline::default(), Instant::now());
        t.arrive(t0 + secs(0.05), 0.05);
        assert!(t.arrive(t0 + secs(3600.0), 0.05) == 0.0);
        assert!(t.arrive(t0 + secs(3600.05), 0.05) == 0.0);
        assert!((t.arrive(t0 + secs(3602.05), 0.05) - 1.95).abs() < 1e-6);
    }
}
