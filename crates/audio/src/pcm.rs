//! Sample-rate conversion to the 16 kHz mono the detectors (and Whisper)
//! work on. Devices deliver 44.1/48 kHz stereo, WAV files anything.

/// The one rate everything above capture works at.
pub const SAMPLE_RATE: u32 = 16_000;

/// Phases of the interpolation table: enough that the table's own
/// quantisation stays far below the filter's stop-band.
const PHASES: usize = 256;
/// Zero crossings of the windowed sinc on each side, at the output rate.
const ZEROS: usize = 8;

/// Streaming band-limited resampler (windowed sinc, polyphase table), mono in,
/// mono out. Feed any block size; output keeps exact timing across blocks.
pub struct Resampler {
    step: f64,       // input samples per output sample
    half: usize,     // taps on each side, in input samples
    table: Vec<f32>, // PHASES+1 rows × 2*half taps
    history: Vec<f32>,
    pos: f64, // position of the next output sample, relative to history[0]
    passthrough: bool,
}

impl Resampler {
    pub fn new(in_rate: u32) -> Self {
        let step = f64::from(in_rate) / f64::from(SAMPLE_RATE);
        // Downsampling widens the filter to cut at the output's Nyquist.
        let scale = step.max(1.0);
        let half = (ZEROS as f64 * scale).ceil() as usize;
        let cutoff = 0.92 / scale; // of the input Nyquist, leaves a transition band
        let mut table = Vec::with_capacity((PHASES + 1) * 2 * half);
        for p in 0..=PHASES {
            let frac = p as f64 / PHASES as f64;
            for t in 0..2 * half {
                // distance from tap t to the output position (between taps half-1 and half)
                let x = t as f64 - (half as f64 - 1.0) - frac;
                let w = {
                    let r = x / (half as f64 + 1.0);
                    if r.abs() >= 1.0 {
                        0.0
                    } else {
                        0.5 + 0.5 * (std::f64::consts::PI * r).cos()
                    }
                };
                let s = if x == 0.0 {
                    1.0
                } else {
                    let a = std::f64::consts::PI * x * cutoff;
                    a.sin() / a
                };
                table.push((s * w * cutoff) as f32);
            }
        }
        Resampler {
            step,
            half,
            table,
            history: vec![0.0; 2 * half],
            pos: (half - 1) as f64,
            passthrough: in_rate == SAMPLE_RATE,
        }
    }

    /// Appends the resampled `input` to `out`.
    pub fn process(&mut self, input: &[f32], out: &mut Vec<f32>) {
        if self.passthrough {
            out.extend_from_slice(input);
            return;
        }
        self.history.extend_from_slice(input);
        let taps = 2 * self.half;
        loop {
            let base = self.pos.floor() as usize; // tap `half-1` sits here
            let start = base + 1 - self.half;
            if start + taps > self.history.len() {
                break;
            }
            let frac = self.pos - base as f64;
            let p = (frac * PHASES as f64) as usize;
            let mix = (frac * PHASES as f64 - p as f64) as f32;
            let a = &self.table[p * taps..(p + 1) * taps];
            let b = &self.table[(p + 1) * taps..(p + 2) * taps];
            let x = &self.history[start..start + taps];
            let mut acc = 0.0f32;
            for i in 0..taps {
                acc += x[i] * (a[i] + mix * (b[i] - a[i]));
            }
            out.push(acc);
            self.pos += self.step;
        }
        // Keep only what the next output still needs.
        let keep_from = (self.pos.floor() as usize + 1).saturating_sub(self.half);
        if keep_from > 0 {
            self.history.drain(..keep_from);
            self.pos -= keep_from as f64;
        }
    }
}

/// Which channel of a multi-channel input to hear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pick {
    /// All channels averaged: one microphone, whatever its layout.
    #[default]
    Mix,
    /// The first channel (a stereo line-in's left: the desk microphone).
    Left,
    /// The second channel (a stereo line-in's right: the caller's line);
    /// a mono input has none, and gives silence.
    Right,
}

/// The picked channel of `interleaved` appended to `out`.
pub fn pick(interleaved: &[f32], channels: usize, which: Pick, out: &mut Vec<f32>) {
    let c = channels.max(1);
    match which {
        Pick::Mix => downmix(interleaved, c, out),
        Pick::Left => out.extend(interleaved.iter().step_by(c)),
        Pick::Right if c >= 2 => out.extend(interleaved.iter().skip(1).step_by(c)),
        Pick::Right => out.extend(std::iter::repeat_n(0.0, interleaved.len() / c)),
    }
}

/// Averages interleaved channels into mono.
pub fn downmix(interleaved: &[f32], channels: usize, out: &mut Vec<f32>) {
    if channels <= 1 {
        out.extend_from_slice(interleaved);
        return;
    }
    let k = 1.0 / channels as f32;
    out.extend(
        interleaved
            .chunks_exact(channels)
            .map(|f| f.iter().sum::<f32>() * k),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(rate: u32, hz: f32, secs: f32) -> Vec<f32> {
        let n = (rate as f32 * secs) as usize;
        (0..n)
            .map(|i| (2.0 * std::f32::consts::PI * hz * i as f32 / rate as f32).sin())
            .collect()
    }

    fn rms(x: &[f32]) -> f32 {
        (x.iter().map(|v| v * v).sum::<f32>() / x.len() as f32).sqrt()
    }

    #[test]
    fn keeps_the_band_and_the_length_in_odd_blocks() {
        for rate in [8_000, 22_050, 44_100, 48_000] {
            let input = tone(rate, 450.0, 2.0);
            let mut r = Resampler::new(rate);
            let mut out = Vec::new();
            for chunk in input.chunks(333) {
                r.process(chunk, &mut out);
            }
            let expect = 2.0 * SAMPLE_RATE as f32;
            assert!(
                (out.len() as f32 - expect).abs() < 40.0,
                "{rate}: {} samples",
                out.len()
            );
            let mid = &out[4000..out.len() - 4000];
            assert!((rms(mid) - 0.707).abs() < 0.02, "{rate}: rms {}", rms(mid));
            // Phase continuity across blocks: the output is one clean
            // 450 Hz sine; what a best-fit sine leaves is noise-level.
            let w = |i: usize| 2.0 * std::f32::consts::PI * 450.0 * i as f32 / SAMPLE_RATE as f32;
            let n = mid.len() as f32;
            let a: f32 = mid
                .iter()
                .enumerate()
                .map(|(i, x)| x * w(i).cos())
                .sum::<f32>()
                * 2.0
                / n;
            let b: f32 = mid
                .iter()
                .enumerate()
                .map(|(i, x)| x * w(i).sin())
                .sum::<f32>()
                * 2.0
                / n;
            let resid: Vec<f32> = mid
                .iter()
                .enumerate()
                .map(|(i, x)| x - a * w(i).cos() - b * w(i).sin())
                .collect();
            assert!(rms(&resid) < 0.01, "{rate}: residual {}", rms(&resid));
        }
    }

    #[test]
    fn removes_what_16k_cannot_hold() {
        let input = tone(48_000, 11_000.0, 1.0);
        let mut r = Resampler::new(48_000);
        let mut out = Vec::new();
        r.process(&input, &mut out);
        assert!(rms(&out[1000..]) < 0.01, "alias rms {}", rms(&out[1000..]));
    }
}
