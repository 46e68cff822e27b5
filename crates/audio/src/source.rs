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
}

/// A recording, delivered in 100 ms blocks as fast as they are asked for.
pub struct WavSource {
    samples: Vec<f32>,
    pos: usize,
}

impl WavSource {
    pub fn open(path: &Path) -> Result<Self, AudioError> {
        Ok(WavSource {
            samples: crate::read_wav(path)?,
            pos: 0,
        })
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
