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
/// A pause this long in running voice cuts a partial at once: if the
/// speaker has stopped, its transcript is the final one, ready well before
/// the detector is sure (its 0.6 s hangover and [`JOIN_S`]). Shorter than
/// [`POST_S`], so the partial holds all the voice the final would.
pub const PAUSE_S: f64 = 0.25;
/// While voice runs on, a partial of everything said so far this often.
pub const PARTIAL_EVERY_S: f64 = 1.5;
/// A final that ends at most this much after a partial is the same audio
/// (the rest is silence): the partial's transcript is the final's.
const SAME_S: f64 = 0.1;
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
    /// A partial ([`Cutter::partial`]): what was said so far of an
    /// utterance still open, with its number.
    pub partial: Option<u64>,
    /// A final whose audio is that of this partial (the speaker stopped
    /// where it was cut): its transcript need not be made again.
    pub same_as: Option<u64>,
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
    /// The open utterance's last partial: its number and end (sample).
    partial: Option<(u64, u64)>,
    /// The next partial's number.
    next_partial: u64,
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
                let u = self.take_final(start, end.min(self.end()));
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
                let u = self.take_final(start, split);
                // What follows the split is a new utterance; a partial cut
                // past the split would cover both.
                self.partial = None;
                return Some(u);
            }
            Some(_) => {}
        }
        None
    }

    /// Voice started at `t` (seconds of stream).
    pub fn voice_on(&mut self, t: f64) {
        if self.open.is_none() {
            self.open = Some(at(t - PRE_S).clamp(self.first, self.end()));
            self.partial = None;
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

    /// After each block, while voice runs (`voiced_until`: the detector's
    /// last voiced frame, [`crate::RingDetector::voiced_until`]): what was
    /// said so far of the open utterance, when the voice has paused for
    /// [`PAUSE_S`] or [`PARTIAL_EVERY_S`] passed since the last partial.
    /// The screen shows it while the speaker talks; if the speaker stopped
    /// at the pause, the final comes as [`Utterance::same_as`] it.
    pub fn partial(&mut self, voiced_until: Option<f64>) -> Option<Utterance> {
        let start = self.open?;
        let voiced = voiced_until?;
        if self.closing.is_some() {
            return None; // the detector has called the end: the final comes
        }
        let now = self.end();
        let since = self.partial.map_or(start, |p| p.1);
        let pause = at(voiced + PAUSE_S);
        let paused = now >= pause && since < pause;
        if !paused && now < since + at(PARTIAL_EVERY_S) {
            return None;
        }
        let id = self.next_partial;
        self.next_partial += 1;
        self.partial = Some((id, now));
        Some(Utterance {
            partial: Some(id),
            ..self.take(start, now)
        })
    }

    /// The stream ended (a recording's last sample): the open utterance, if
    /// any, as it stands.
    pub fn finish(&mut self) -> Option<Utterance> {
        let start = self.open.take()?;
        let end = self.closing.take().unwrap_or(self.end()).min(self.end());
        let u = self.take_final(start, end);
        self.trim_to(end);
        (!u.pcm.is_empty()).then_some(u)
    }

    fn take(&self, start: u64, end: u64) -> Utterance {
        let (a, b) = ((start - self.first) as usize, (end - self.first) as usize);
        Utterance {
            start_s: secs(start),
            end_s: secs(end),
            pcm: self.buf.range(a..b).copied().collect(),
            partial: None,
            same_as: None,
        }
    }

    /// The utterance `start..end` as final, the same as its last partial
    /// when that partial held all of it but trailing silence.
    fn take_final(&mut self, start: u64, end: u64) -> Utterance {
        let same_as = self
            .partial
            .take()
            .filter(|p| p.1 <= end && p.1 + at(SAME_S) >= end)
            .map(|p| p.0);
        Utterance {
            same_as,
            ..self.take(start, end)
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

    /// Pushes `pcm` in 20 ms blocks with voice running until `voiced`
    /// (None: voice not running); what the cutter gave.
    fn feed(c: &mut Cutter, pcm: &[f32], voiced: Option<f64>) -> Vec<Utterance> {
        let mut out = Vec::new();
        for b in pcm.chunks(320) {
            out.extend(c.push(b));
            out.extend(c.partial(voiced));
        }
        out
    }

    #[test]
    fn a_pause_cuts_a_partial_that_the_final_then_is() {
        let mut c = Cutter::new();
        c.voice_on(0.0);
        assert!(feed(&mut c, &tone(1.0, 0.5), Some(1.0)).is_empty());
        // The speaker stops at 1.0 s: a partial 0.25 s into the pause.
        let got = feed(&mut c, &vec![0.0; at(0.3) as usize], Some(1.0));
        assert_eq!(got.len(), 1, "one partial per pause");
        let p = &got[0];
        assert!(p.partial.is_some() && p.same_as.is_none());
        assert!((p.end_s - 1.26).abs() < 0.03, "{}", p.end_s);
        // The detector calls the end later; the final is that partial.
        feed(&mut c, &vec![0.0; at(0.3) as usize], Some(1.0));
        c.voice_off(1.0);
        let f = feed(&mut c, &vec![0.0; at(0.5) as usize], None);
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].partial, f[0].same_as), (None, p.partial));
        assert!((f[0].end_s - 1.3).abs() < 1e-3, "{}", f[0].end_s);
    }

    #[test]
    fn talk_that_goes_on_gives_partials_and_a_final_of_its_own() {
        let mut c = Cutter::new();
        c.voice_on(0.0);
        // 4 s of talk: partials every 1.5 s of it.
        let parts = feed(&mut c, &tone(4.0, 0.5), Some(3.9));
        let ends: Vec<f64> = parts.iter().map(|p| p.end_s).collect();
        assert_eq!(ends.len(), 2, "{ends:?}");
        assert!(
            (ends[0] - 1.5).abs() < 0.03 && (ends[1] - 3.0).abs() < 0.03,
            "{ends:?}"
        );
        assert!(
            parts.iter().all(|p| p.start_s == 0.0),
            "each from the start"
        );
        // A pause, then talk again: its partial is not the final.
        let paused = feed(&mut c, &vec![0.0; at(0.3) as usize], Some(4.0));
        assert_eq!(paused.len(), 1);
        feed(&mut c, &tone(0.5, 0.5), Some(4.8));
        c.voice_off(4.8);
        let f = feed(&mut c, &vec![0.0; at(0.8) as usize], None);
        let f: Vec<&Utterance> = f.iter().filter(|u| u.partial.is_none()).collect();
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].same_as, None, "the speaker went on after the pause");
        assert!((f[0].end_s - 5.1).abs() < 1e-3, "{}", f[0].end_s);
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
