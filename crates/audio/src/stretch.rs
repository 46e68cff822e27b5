//! Faster playback at the same pitch, for a lead listening at 1.5× or 2×:
//! speeding a recording up by resampling raises every voice by a fifth or
//! an octave, which makes a caller hard to judge. WSOLA instead takes
//! 40 ms pieces of the input `speed` times further apart than it lays them
//! down, and shifts each piece by up to 10 ms to where its waveform best
//! continues the last one, so pitch and timbre stay.

use crate::SAMPLE_RATE;

/// Piece length (40 ms) and the spacing of pieces in the output (half).
const FRAME: usize = (SAMPLE_RATE / 25) as usize;
const HOP: usize = FRAME / 2;
/// How far a piece may move to fit (10 ms either way).
const SEEK: usize = (SAMPLE_RATE / 100) as usize;
/// Every 4th sample is enough to find the best fit.
const STRIDE: usize = 4;

/// `samples` (16 kHz mono) played `speed` times as fast, same pitch.
/// A speed of 1 (or below 1) gives the samples back unchanged.
pub fn stretch(samples: &[f32], speed: f64) -> Vec<f32> {
    if speed <= 1.0 || samples.len() < FRAME + 2 * SEEK {
        return samples.to_vec();
    }
    let window: Vec<f32> = (0..FRAME)
        .map(|i| {
            let x = std::f32::consts::PI * i as f32 / FRAME as f32;
            x.sin() * x.sin()
        })
        .collect();
    let out_len = (samples.len() as f64 / speed) as usize;
    let mut out = vec![0.0f32; out_len + FRAME];
    let last = samples.len() - FRAME;
    // Where the previous piece would have gone on: what the next should match.
    let mut follow = HOP;
    let mut k = 0;
    while k * HOP < out_len {
        let nominal = ((k * HOP) as f64 * speed) as usize;
        let start = if k == 0 {
            0
        } else {
            best_fit(samples, follow, nominal.min(last))
        };
        let start = start.min(last);
        for (i, w) in window.iter().enumerate() {
            out[k * HOP + i] += samples[start + i] * w;
        }
        follow = start + HOP;
        k += 1;
    }
    out.truncate(out_len);
    out
}

/// The start near `nominal` whose first half-piece best matches the
/// half-piece at `follow` (normalised cross-correlation).
fn best_fit(samples: &[f32], follow: usize, nominal: usize) -> usize {
    let from = nominal.saturating_sub(SEEK);
    let to = (nominal + SEEK).min(samples.len() - FRAME);
    if follow + HOP > samples.len() {
        return nominal;
    }
    let target = &samples[follow..follow + HOP];
    let (mut best, mut best_score) = (nominal, f32::MIN);
    for s in from..=to {
        let cand = &samples[s..s + HOP];
        let (mut dot, mut energy) = (0.0f32, 1e-9f32);
        for i in (0..HOP).step_by(STRIDE) {
            dot += cand[i] * target[i];
            energy += cand[i] * cand[i];
        }
        let score = dot / energy.sqrt();
        if score > best_score {
            (best, best_score) = (s, score);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(hz: f32, seconds: f32) -> Vec<f32> {
        (0..(seconds * 16_000.0) as usize)
            .map(|i| 0.5 * (2.0 * std::f32::consts::PI * hz * i as f32 / 16_000.0).sin())
            .collect()
    }

    /// The pitch, by zero crossings, in the middle of a signal.
    fn pitch(s: &[f32]) -> f32 {
        let mid = &s[s.len() / 4..s.len() * 3 / 4];
        let crossings = mid
            .windows(2)
            .filter(|w| (w[0] < 0.0) != (w[1] < 0.0))
            .count();
        crossings as f32 / 2.0 / (mid.len() as f32 / 16_000.0)
    }

    #[test]
    fn faster_keeps_the_pitch_and_shortens_the_time() {
        for hz in [180.0, 440.0, 1000.0] {
            let s = tone(hz, 4.0);
            for speed in [1.5, 2.0] {
                let fast = stretch(&s, speed);
                let want = s.len() as f64 / speed;
                assert!(
                    (fast.len() as f64 - want).abs() < 2.0,
                    "{hz} Hz at {speed}×"
                );
                let p = pitch(&fast);
                assert!(
                    (p - hz).abs() / hz < 0.02,
                    "{hz} Hz at {speed}× sounds {p} Hz"
                );
                // Smooth: no clicks where pieces join.
                let level = fast[fast.len() / 4..fast.len() * 3 / 4]
                    .iter()
                    .fold(0.0f32, |m, x| m.max(x.abs()));
                assert!(
                    (0.4..0.6).contains(&level),
                    "{hz} Hz at {speed}×: peak {level}"
                );
            }
        }
    }

    #[test]
    fn one_times_is_the_recording_itself() {
        let s = tone(300.0, 1.0);
        assert_eq!(stretch(&s, 1.0), s);
        assert_eq!(stretch(&s[..100], 2.0), s[..100].to_vec());
    }
}
