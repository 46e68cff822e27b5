//! Text while the speaker talks (issue #14): a long utterance played into
//! a real desk's pipeline gives partials every 1.5 s of it, and when the
//! speaker stops, the partial cut in the pause is the final line, not
//! transcribed a second time. The recogniser here writes how many samples
//! it was given, so which audio became which line shows in the text.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{TimeZone, Utc};
use jiejing_audio::{RingProfile, SAMPLE_RATE};
use jiejing_core::{AnswerSource, FixedClock};
use jiejing_desk::Desk;
use jiejing_live::{Ears, Pipeline};
use jiejing_speech::live::{Heard, Job};
use jiejing_speech::Segment;

/// Live ears (they want partials) that answer at once.
#[derive(Default)]
struct Counting {
    done: Vec<Heard>,
    sent: Vec<(usize, bool)>,
}

impl Ears for Counting {
    fn send(&mut self, job: Job) -> bool {
        self.sent.push((job.pcm.len(), job.partial.is_some()));
        assert!(
            job.same_as.is_none(),
            "answered at once: the final never waits"
        );
        self.done.push(Heard {
            start: job.start,
            end: job.end,
            segments: vec![Segment {
                start_s: 0.0,
                end_s: 1.0,
                text: format!("样本{}", job.pcm.len()),
                doubt: Vec::new(),
            }],
            speaker: job.speaker,
            partial: job.partial,
        });
        true
    }
    fn heard(&mut self) -> Vec<Heard> {
        std::mem::take(&mut self.done)
    }
    fn wants_partials(&self) -> bool {
        true
    }
}

fn clip(id: &str) -> Vec<f32> {
    let path = format!(
        "{}/../../tests/fixtures/speech-dev/{id}.wav",
        env!("CARGO_MANIFEST_DIR")
    );
    jiejing_audio::read_wav(std::path::Path::new(&path)).unwrap()
}

#[test]
fn partials_while_speaking_and_the_pause_partial_is_the_final() {
    let dir = tempfile::tempdir().unwrap();
    let t0 = Utc.with_ymd_and_hms(2026, 12, 2, 9, 0, 0).unwrap();
    let clock = Arc::new(FixedClock::new(t0));
    let mut d = Desk::open(dir.path(), clock.clone()).unwrap();
    d.act_as_admin("test");
    d.ring(AnswerSource::Manual).unwrap();
    d.answer(AnswerSource::Manual).unwrap();
    let desk = Mutex::new(d);
    let mut p = Pipeline::new(RingProfile::builtins());
    let mut ears = Counting::default();
    // A second of quiet, the caller's longest clip (about 7 s), quiet.
    let speech = clip("u17");
    let mut audio = vec![0.0f32; SAMPLE_RATE as usize];
    audio.extend(speech.iter().map(|s| s * 2.0));
    let spoke_until = audio.len() as f64 / f64::from(SAMPLE_RATE);
    audio.extend(vec![0.0f32; 3 * SAMPLE_RATE as usize]);
    let (mut shown, mut first_shown, mut kept_at) = (Vec::new(), None, None);
    for (k, block) in audio.chunks(320).enumerate() {
        let t = (k + 1) as f64 * 0.02;
        clock.set(t0 + chrono::Duration::milliseconds((t * 1000.0) as i64));
        p.feed(block, None);
        p.deliver(&desk, &mut ears, Duration::ZERO).unwrap();
        if let Some(s) = p.partial() {
            if shown.last() != Some(&s.text) {
                shown.push(s.text.clone());
                if t > spoke_until {
                    first_shown.get_or_insert(t - spoke_until);
                }
            }
        }
        let mut d = desk.lock().unwrap();
        if kept_at.is_none() && !d.state().unwrap().active.unwrap().speech.is_empty() {
            kept_at = Some(t - spoke_until);
        }
    }
    let partials = ears.sent.iter().filter(|s| s.1).count();
    let finals = ears.sent.iter().filter(|s| !s.1).count();
    // Partials every 1.5 s of talk: the screen had words while it went on.
    assert!(partials >= 4, "{:?}", ears.sent);
    assert!(shown.len() >= 4, "{shown:?}");
    // The speaker stopped: no second transcription, and the line kept is
    // the last partial's text.
    assert_eq!(finals, 0, "{:?}", ears.sent);
    let mut d = desk.lock().unwrap();
    let lines = d.state().unwrap().active.unwrap().speech;
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(&lines[0].text, shown.last().unwrap());
    assert!(p.partial().is_none(), "the final ended what was shown");
    // The text showed a pause after the speech ended; kept once the
    // detector was sure the speaker had stopped.
    let first_shown = first_shown.expect("shown after the speech ended");
    assert!(
        first_shown < 0.5,
        "shown {first_shown:.2} s after the speech"
    );
    let kept_at = kept_at.expect("kept");
    assert!(kept_at < 1.5, "kept {kept_at:.2} s after the speech");
}
