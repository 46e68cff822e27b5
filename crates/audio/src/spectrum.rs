//! Short-time power spectra: the one front end every detector shares.

use std::sync::Arc;

use realfft::{RealFftPlanner, RealToComplex};

use crate::SAMPLE_RATE;

/// 64 ms window: 15.6 Hz bins, enough to tell 440 from 480 Hz and a steady
/// ring tone from a gliding voice harmonic.
pub const FRAME_LEN: usize = 1024;
/// 20 ms hop: onsets land within a frame or two of the event.
pub const FRAME_HOP: usize = 320;
pub const BIN_HZ: f32 = SAMPLE_RATE as f32 / FRAME_LEN as f32;

/// One analysed frame. `t` is the time (s from stream start) of the
/// window's centre, which is where a tone that fills half the window sits.
pub struct Frame<'a> {
    pub t: f64,
    pub power: &'a [f32],
    /// Mean power per sample over the window (for levels).
    pub level: f32,
}

pub fn bin(hz: f32) -> usize {
    (hz / BIN_HZ).round() as usize
}

pub fn hz(bin: usize) -> f32 {
    bin as f32 * BIN_HZ
}

/// Streaming STFT: push any block size, get a callback per frame.
pub struct Stft {
    fft: Arc<dyn RealToComplex<f32>>,
    window: Vec<f32>,
    buf: Vec<f32>,
    consumed: u64, // samples dropped from the front of `buf` so far
    input: Vec<f32>,
    output: Vec<realfft::num_complex::Complex<f32>>,
    scratch: Vec<realfft::num_complex::Complex<f32>>,
    power: Vec<f32>,
}

impl Default for Stft {
    fn default() -> Self {
        Self::new()
    }
}

impl Stft {
    pub fn new() -> Self {
        let fft = RealFftPlanner::<f32>::new().plan_fft_forward(FRAME_LEN);
        let window = (0..FRAME_LEN)
            .map(|i| 0.5 - 0.5 * (2.0 * std::f32::consts::PI * i as f32 / FRAME_LEN as f32).cos())
            .collect();
        Stft {
            input: fft.make_input_vec(),
            output: fft.make_output_vec(),
            scratch: fft.make_scratch_vec(),
            power: vec![0.0; FRAME_LEN / 2 + 1],
            fft,
            window,
            buf: Vec::with_capacity(FRAME_LEN * 4),
            consumed: 0,
        }
    }

    pub fn push(&mut self, samples: &[f32], mut on_frame: impl FnMut(&Frame)) {
        self.buf.extend_from_slice(samples);
        let mut start = 0;
        while start + FRAME_LEN <= self.buf.len() {
            let w = &self.buf[start..start + FRAME_LEN];
            let mut energy = 0.0;
            for ((d, &x), &h) in self.input.iter_mut().zip(w).zip(&self.window) {
                *d = x * h;
                energy += x * x;
            }
            self.fft
                .process_with_scratch(&mut self.input, &mut self.output, &mut self.scratch)
                .expect("buffer sizes come from the plan");
            // Scaled so a full-scale sine's bin is comparable across sizes.
            let norm = 4.0 / (FRAME_LEN as f32 * FRAME_LEN as f32);
            for (p, c) in self.power.iter_mut().zip(&self.output) {
                *p = c.norm_sqr() * norm;
            }
            let t = (self.consumed + start as u64 + FRAME_LEN as u64 / 2) as f64
                / f64::from(SAMPLE_RATE);
            on_frame(&Frame {
                t,
                power: &self.power,
                level: energy / FRAME_LEN as f32,
            });
            start += FRAME_HOP;
        }
        if start > 0 {
            self.buf.drain(..start);
            self.consumed += start as u64;
        }
    }
}
