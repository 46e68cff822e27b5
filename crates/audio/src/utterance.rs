//! Cuts the live stream into utterances for the recogniser, using the same
//! voice detector that answers calls (one stream, one notion of "voice").
//!
//! An utterance runs from just before a voice onset to just after its
//! offset, and never longer than [`MAX_S`]: Whisper is run with a 10 s
//! encoder window (a third of the work of its full 30 s), so a longer
//! stretch of talk is split at its quietest moment near the limit — a pause
//! between words, not the middle of one.

use std::collections::VecDeque;

use crate::SAMPLE_RATE;

/// The longest utterance handed to the recogniser, in seconds.
pub const MAX_S: f64 = 10.0;
/// Audio kept before the detected onset: the detector needs a few frames
/// of voice before it is sure, and the first syllable's consonant is quiet.
const PRE_S: f64 = 0.3;
/// Audio kept after the last voiced frame (a trailing syllable's decay).
const POST_S: f64 = 0.3;
/// Voice that resumes this soon after the detector called it ended (its
/// own hangover is 0.6 s) continues the utterance: a greeting said with a
/// pause at its comma ("你好，… 常州110") is recognised far better whole
/// than as two fragments. Costs this much latency at the end of speech.
const JOIN_S: f64 = 0.4;
/// A long utterance is split at the quietest 100 ms within this many
/// seconds before the limit.
const SPLIT_SEARCH_S: f64 = 4.0;
const SPLIT_WIN: usize = SAMPLE_RATE as usize / 10;

/// A stretch of speech: 16 kHz mono, times in seconds of stream.
#[derive(Debug, Clone, PartialEq)]
pub struct Utterance {
    pub start_s: f64,
    pub end_s: f64,
    pub pcm: Vec<f32>,
}

#[derive(Default)]
pub struct Cutter {
    /// Recent audio; `buf[0]` is stream sample `first`.
    buf: VecDeque<f32>,
    first: u64,
    /// Sample where the open utterance starts.
    open: Option<u64>,
    /// Where it ends if voice does not resume within [`JOIN_S`].
    closing: Option<u64>,
}

fn at(t: f64) -> u64 {
    (t.max(0.0) * f64::from(SAMPLE_RATE)).round() as u64
}

fn secs(n: u64) -> f64 {
    n as f64 / f64::from(SAMPLE_RATE)
}

impl Cutter {
    pub fn new() -> Self {
        Self::default()
    }

    fn end(&self) -> u64 {
        self.first + self.buf.len() as u64
    }

    /// Appends the next block of the stream. Returns an utterance when the
    /// open one ended (no voice for [`JOIN_S`] after its offset), or
    /// reached [`MAX_S`] and was split.
    pub fn push(&mut self, block: &[f32]) -> Option<Utterance> {
        self.buf.extend(block.iter().copied());
        if let (Some(start), Some(end)) = (self.open, self.closing) {
            if self.end() >= end + at(JOIN_S) {
                (self.open, self.closing) = (None, None);
                let u = self.take(start, end.min(self.end()));
                self.trim_to(end);
                return (!u.pcm.is_empty()).then_some(u);
            }
        }
        match self.open {
            // Idle: keep only what a coming onset may reach back to.
            None => self.trim_to(self.end().saturating_sub(at(PRE_S + 1.0))),
            Some(start) if secs(self.end() - start) > MAX_S => {
                let split = self.quietest(start + at(MAX_S - SPLIT_SEARCH_S), start + at(MAX_S));
                self.open = Some(split);
                self.closing = self.closing.map(|c| c.max(split));
                return Some(self.take(start, split));
            }
            Some(_) => {}
        }
        None
    }

    /// Voice started at `t` (seconds of stream).
    pub fn voice_on(&mut self, t: f64) {
        if self.open.is_none() {
            self.open = Some(at(t - PRE_S).clamp(self.first, self.end()));
        }
        self.closing = None; // resumed: the same utterance goes on
    }

    /// Voice ended at `t` (its last voiced frame); the utterance comes
    /// from [`Cutter::push`] unless voice resumes within [`JOIN_S`].
    pub fn voice_off(&mut self, t: f64) {
        if let Some(start) = self.open {
            self.closing = Some(at(t + POST_S).max(start));
        }
    }

    /// The stream ended (a recording's last sample): the open utterance, if
    /// any, as it stands.
    pub fn finish(&mut self) -> Option<Utterance> {
        let start = self.open.take()?;
        let end = self.closing.take().unwrap_or(self.end()).min(self.end());
        let u = self.take(start, end);
        self.trim_to(end);
        (!u.pcm.is_empty()).then_some(u)
    }

    fn take(&self, start: u64, end: u64) -> Utterance {
        let (a, b) = ((start - self.first) as usize, (end - self.first) as usize);
        Utterance {
            start_s: secs(start),
            end_s: secs(end),
            pcm: self.buf.range(a..b).copied().collect(),
        }
    }

    fn trim_to(&mut self, sample: u64) {
        let drop = sample.saturating_sub(self.first).min(self.buf.len() as u64);
        self.buf.drain(..drop as usize);
        self.first += drop;
    }

    /// The start of the quietest 100 ms window in `[from, to)`, by energy.
    fn quietest(&self, from: u64, to: u64) -> u64 {
        let (a, b) = ((from - self.first) as usize, (to - self.first) as usize);
        let mut best = (f32::INFINITY, to);
        let mut k = a;
        while k + SPLIT_WIN <= b {
            let e: f32 = self.buf.range(k..k + SPLIT_WIN).map(|x| x * x).sum();
            if e < best.0 {
                best = (e, self.first + (k + SPLIT_WIN / 2) as u64);
            }
            k += SPLIT_WIN / 2;
        }
        best.1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(s: f64, amp: f32) -> Vec<f32> {
        (0..at(s)).map(|i| amp * (i as f32 * 0.07).sin()).collect()
    }

    #[test]
    fn an_utterance_spans_onset_to_offset_with_margins() {
        let mut c = Cutter::new();
        assert!(c.push(&vec![0.0; at(3.0) as usize]).is_none());
        // The detector reports an onset a few frames after it happened.
        c.push(&tone(0.5, 0.5));
        c.voice_on(3.05);
        c.push(&tone(1.5, 0.5));
        c.push(&vec![0.0; at(0.6) as usize]);
        c.voice_off(5.0);
        assert!(c.push(&vec![0.0; 320]).is_none(), "voice may resume yet");
        let u = c.push(&vec![0.0; at(0.4) as usize]).expect("an utterance");
        assert!((u.start_s - 2.75).abs() < 1e-3, "{}", u.start_s);
        assert!(u.pcm.len() > 1000);
        assert!((u.end_s - 5.3).abs() < 1e-3, "{}", u.end_s);
        assert_eq!(u.pcm.len() as u64, at(5.3) - at(2.75));
        c.voice_off(6.0);
        assert!(c.push(&vec![0.0; 16_000]).is_none(), "nothing open");
    }

    #[test]
    fn a_short_pause_does_not_split_an_utterance() {
        let mut c = Cutter::new();
        c.push(&tone(0.5, 0.5));
        c.voice_on(0.1);
        c.push(&tone(0.5, 0.5));
        c.voice_off(0.9); // closes at 1.2 s unless voice is back by 1.6 s
        assert!(c.push(&vec![0.0; at(0.5) as usize]).is_none());
        c.voice_on(1.45);
        c.push(&tone(1.0, 0.5));
        c.voice_off(2.1);
        let u = c.push(&vec![0.0; at(1.0) as usize]).expect("one utterance");
        let span = (u.start_s, u.end_s);
        assert!(span.0 < 0.1 && (span.1 - 2.4).abs() < 1e-3, "{span:?}");
    }

    #[test]
    fn long_talk_is_split_at_a_pause_before_ten_seconds() {
        let mut c = Cutter::new();
        c.voice_on(0.0);
        // 8 s of talk, a 0.3 s pause, then talk on.
        let mut talk = tone(8.0, 0.5);
        talk.extend(vec![0.0; at(0.3) as usize]);
        talk.extend(tone(9.0, 0.5));
        let mut cut = Vec::new();
        for block in talk.chunks(320) {
            cut.extend(c.push(block));
        }
        assert_eq!(cut.len(), 1, "one split so far");
        let u = &cut[0];
        assert!(secs(u.pcm.len() as u64) <= MAX_S);
        assert!(
            u.end_s > 8.0 && u.end_s < 8.3,
            "split in the pause: {}",
            u.end_s
        );
        // The rest continues from the split.
        c.voice_off(17.0);
        let rest = c.push(&vec![0.0; at(0.5) as usize]).expect("the rest");
        assert!((rest.start_s - u.end_s).abs() < 1e-9);
        assert!(secs(rest.pcm.len() as u64) <= MAX_S);
    }

    #[test]
    fn the_end_of_the_stream_ends_an_open_utterance() {
        let mut c = Cutter::new();
        c.voice_on(0.0);
        c.push(&tone(1.0, 0.5));
        let u = c.finish().expect("the open utterance");
        assert!((u.end_s - 1.0).abs() < 1e-3, "{}", u.end_s);
        assert!(c.finish().is_none());
        // Voice already off, not yet past the join wait: ends where it ended.
        c.voice_on(1.0);
        c.push(&tone(1.0, 0.5));
        c.voice_off(1.5);
        assert!(
            c.push(&vec![0.0; 1600]).is_none(),
            "still within the join wait"
        );
        let u = c.finish().expect("the closing utterance");
        assert!((u.end_s - 1.8).abs() < 1e-3, "{}", u.end_s);
    }

    #[test]
    fn idle_audio_is_not_kept() {
        let mut c = Cutter::new();
        for _ in 0..100 {
            c.push(&vec![0.0; 16_000]);
        }
        assert!(c.buf.len() <= at(PRE_S + 1.0) as usize + 16_000);
    }
}
