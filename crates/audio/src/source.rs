//! The audio source seam: a cpal device (see [`crate::capture`]), a WAV file
//! or a synthetic signal, all delivering 16 kHz mono blocks.

use std::path::Path;
use std::time::Duration;

use crate::AudioError;

/// One block of 16 kHz mono samples.
pub type Block = Vec<f32>;

pub trait AudioSource: Send {
    /// Waits up to `timeout` for the next block. `Ok(None)`: nothing yet
    /// (live) or the end (files: check [`AudioSource::finished`]).
    fn next_block(&mut self, timeout: Duration) -> Result<Option<Block>, AudioError>;
    fn finished(&self) -> bool {
        false
    }
    /// How long ago the end of the last block was heard in the room: a
    /// device's blocks wait in a queue when the listener falls behind. A
    /// file is its own clock: never behind.
    fn behind(&self) -> Duration {
        Duration::ZERO
    }
}

/// A recording, delivered in 100 ms blocks as fast as they are asked for.
pub struct WavSource {
    samples: Vec<f32>,
    pos: usize,
}

impl WavSource {
    pub fn open(path: &Path) -> Result<Self, AudioError> {
        Ok(WavSource::of(crate::read_wav(path)?))
    }

    /// A stereo recording heard as two: its left channel and its right,
    /// from one reading of the file (see [`crate::read_wav_sides`]).
    pub fn split(path: &Path) -> Result<(Self, Self), AudioError> {
        let (left, right) = crate::read_wav_sides(path)?;
        Ok((WavSource::of(left), WavSource::of(right)))
    }

    fn of(samples: Vec<f32>) -> Self {
        WavSource { samples, pos: 0 }
    }

    /// The recording's length in seconds.
    pub fn seconds(&self) -> f64 {
        self.samples.len() as f64 / f64::from(crate::SAMPLE_RATE)
    }
}

impl AudioSource for WavSource {
    fn next_block(&mut self, _timeout: Duration) -> Result<Option<Block>, AudioError> {
        if self.pos >= self.samples.len() {
            return Ok(None);
        }
        let end = (self.pos + crate::SAMPLE_RATE as usize / 10).min(self.samples.len());
        let b = self.samples[self.pos..end].to_vec();
        self.pos = end;
        Ok(Some(b))
    }
    fn finished(&self) -> bool {
        self.pos >= self.samples.len()
    }
}

/// A generated signal: `f(t)` sampled for `secs` seconds.
pub struct SyntheticSource {
    f: Box<dyn FnMut(f64) -> f32 + Send>,
    n: usize,
    total: usize,
}

impl SyntheticSource {
    pub fn new(secs: f64, f: impl FnMut(f64) -> f32 + Send + 'static) -> Self {
        SyntheticSource {
            f: Box::new(f),
            n: 0,
            total: (secs * f64::from(crate::SAMPLE_RATE)) as usize,
        }
    }
}

impl AudioSource for SyntheticSource {
    fn next_block(&mut self, _timeout: Duration) -> Result<Option<Block>, AudioError> {
        if self.n >= self.total {
            return Ok(None);
        }
        let end = (self.n + crate::SAMPLE_RATE as usize / 10).min(self.total);
        let rate = f64::from(crate::SAMPLE_RATE);
        let b = (self.n..end).map(|i| (self.f)(i as f64 / rate)).collect();
        self.n = end;
        Ok(Some(b))
    }
    fn finished(&self) -> bool {
        self.n >= self.total
    }
}

/// Two inputs heard together: the call-taker's microphone and the caller's
/// line, each its own [`AudioSource`] (two devices, or two channels of one
/// line-in). Blocks come out in pairs of equal length, so both sides stay
/// on one time line; a side more than half a second behind (a line
/// unplugged, a device on a slower clock) is filled with silence.
pub struct Duplex {
    taker: Box<dyn AudioSource>,
    caller: Box<dyn AudioSource>,
    held: [std::collections::VecDeque<f32>; 2],
}

/// A pair of blocks from a [`Duplex`]: (call-taker, caller).
pub type Pair = (Block, Block);

impl Duplex {
    pub fn new(taker: Box<dyn AudioSource>, caller: Box<dyn AudioSource>) -> Self {
        Duplex {
            taker,
            caller,
            held: Default::default(),
        }
    }

    /// Waits up to `timeout` for both sides; `Ok(None)`: nothing paired yet
    /// (or the end).
    ///
    /// # Errors
    /// Either source failed.
    pub fn next_pair(&mut self, timeout: Duration) -> Result<Option<Pair>, AudioError> {
        let half = timeout / 2;
        if let Some(b) = self.taker.next_block(half)? {
            self.held[0].extend(b);
        }
        if let Some(b) = self.caller.next_block(half)? {
            self.held[1].extend(b);
        }
        let (a, b) = (self.held[0].len(), self.held[1].len());
        let (n, longest) = (a.min(b), a.max(b));
        // A side more than half a second ahead goes on alone, the other
        // padded with silence: a line that is unplugged (or a device on a
        // slower clock) never holds up the microphone and its rings.
        let slack = crate::SAMPLE_RATE as usize / 2;
        let mut n = match longest > n + slack {
            true => longest - slack,
            false => n,
        };
        // A side that ended gives silence, so the other is heard to its end.
        if n == 0 && (self.taker.finished() || self.caller.finished()) {
            n = longest;
        }
        if n == 0 {
            return Ok(None);
        }
        let take = |h: &mut std::collections::VecDeque<f32>| -> Block {
            let k = n.min(h.len());
            let mut b: Block = h.drain(..k).collect();
            b.resize(n, 0.0);
            b
        };
        let t = take(&mut self.held[0]);
        let c = take(&mut self.held[1]);
        Ok(Some((t, c)))
    }

    /// How long ago the end of the last pair was heard: the microphone's
    /// lag, and what of it is still held back for pairing.
    pub fn behind(&self) -> Duration {
        let held = self.held[0].len() as f64 / f64::from(crate::SAMPLE_RATE);
        self.taker.behind() + Duration::from_secs_f64(held)
    }

    pub fn finished(&self) -> bool {
        self.taker.finished()
            && self.caller.finished()
            && self.held.iter().all(std::collections::VecDeque::is_empty)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_duplex_pairs_two_inputs_on_one_time_line() {
        // The taker's side counts up, the caller's counts down; the caller
        // ends a second earlier.
        let taker = SyntheticSource::new(3.0, |t| t as f32);
        let caller = SyntheticSource::new(2.0, |t| -(t as f32));
        let mut d = Duplex::new(Box::new(taker), Box::new(caller));
        let (mut a, mut b) = (Vec::new(), Vec::new());
        while !d.finished() {
            if let Some((t, c)) = d.next_pair(Duration::from_millis(10)).unwrap() {
                assert_eq!(t.len(), c.len());
                a.extend(t);
                b.extend(c);
            }
        }
        assert_eq!(a.len(), 48_000);
        for i in [0, 17_000, 31_999] {
            assert!((a[i] + b[i]).abs() < 1e-6, "sample {i} out of step");
        }
        assert!(b[40_000] == 0.0, "the ended side is silent");
    }

    /// A source that never delivers: an unplugged line.
    struct Dead;
    impl AudioSource for Dead {
        fn next_block(&mut self, _: Duration) -> Result<Option<Block>, AudioError> {
            Ok(None)
        }
    }

    #[test]
    fn a_dead_line_never_holds_up_the_microphone() {
        let mic = SyntheticSource::new(5.0, |t| t as f32);
        let mut d = Duplex::new(Box::new(mic), Box::new(Dead));
        let mut heard = 0;
        for _ in 0..50 {
            if let Some((m, l)) = d.next_pair(Duration::from_millis(10)).unwrap() {
                heard += m.len();
                assert!(l.iter().all(|&x| x == 0.0));
            }
        }
        // All of it, but for the last half second still held back.
        assert!(heard >= 4 * 16_000 + 8_000 - 1_600, "{heard}");
    }
}
