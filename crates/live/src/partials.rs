//! Partials: what was said so far of an utterance still being spoken,
//! transcribed while the speaker talks ([`jiejing_audio::Cutter::partial`]).
//! The screen shows the newest one; when the speaker stopped where a
//! partial was cut, that partial's transcript is the final one, and the
//! utterance is not transcribed again (the text is ready a pause after the
//! speaker stops, not after the detector's hangover and a second
//! transcription).

use std::collections::VecDeque;

use chrono::{DateTime, Utc};
use jiejing_core::Speaker;
use jiejing_speech::live::Heard;
use serde::Serialize;

/// Partial transcripts kept in case a final turns out to be one of them.
const KEEP: usize = 8;

/// The words of the newest partial, for the screen.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct PartialText {
    pub text: String,
    pub speaker: Option<Speaker>,
}

#[derive(Default)]
pub(crate) struct Partials {
    /// Partials heard, newest last.
    heard: VecDeque<Heard>,
    shown: Option<PartialText>,
}

impl Partials {
    /// A final from `start` to `end` whose audio is partial `id`'s: that
    /// partial's transcript as the final, if it has come back. Otherwise
    /// the final is sent to the ears, which give the partial's transcript
    /// if they made it and transcribe the final if they dropped it.
    pub fn final_is(&mut self, id: u64, start: DateTime<Utc>, end: DateTime<Utc>) -> Option<Heard> {
        let i = self.heard.iter().position(|h| h.partial == Some(id))?;
        let h = self.heard.remove(i).expect("found");
        self.shown = None;
        Some(as_final(h, start, end))
    }

    /// What the ears heard: a final to keep, or None for a partial (now
    /// shown, and kept for the final it may turn out to be).
    pub fn heard(&mut self, h: Heard) -> Option<Heard> {
        if h.partial.is_none() {
            self.shown = None;
            return Some(h);
        }
        let text: String = h
            .segments
            .iter()
            .map(|s| jiejing_speech::normalize::normalize(&s.text))
            .collect();
        self.shown = (!text.trim().is_empty()).then_some(PartialText {
            text,
            speaker: h.speaker,
        });
        self.heard.push_back(h);
        if self.heard.len() > KEEP {
            self.heard.pop_front();
        }
        None
    }

    /// No call is open: nothing to show.
    pub fn clear_shown(&mut self) {
        self.shown = None;
    }

    pub fn shown(&self) -> Option<&PartialText> {
        self.shown.as_ref()
    }
}

fn as_final(h: Heard, start: DateTime<Utc>, end: DateTime<Utc>) -> Heard {
    Heard {
        start,
        end,
        partial: None,
        ..h
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiejing_speech::Segment;

    fn heard(text: &str, partial: Option<u64>) -> Heard {
        Heard {
            start: DateTime::UNIX_EPOCH,
            end: DateTime::UNIX_EPOCH,
            segments: vec![Segment {
                start_s: 0.0,
                end_s: 1.0,
                text: text.into(),
                doubt: Vec::new(),
            }],
            speaker: None,
            partial,
        }
    }

    fn at(s: i64) -> DateTime<Utc> {
        DateTime::UNIX_EPOCH + chrono::Duration::seconds(s)
    }

    #[test]
    fn a_partial_heard_before_its_final_is_the_final() {
        let mut p = Partials::default();
        assert!(p.heard(heard("我在延陵", Some(1))).is_none());
        assert_eq!(p.shown().unwrap().text, "我在延陵");
        let f = p.final_is(1, at(1), at(3)).expect("the partial was heard");
        assert_eq!((f.start, f.end, f.partial), (at(1), at(3), None));
        assert!(p.shown().is_none());
        // Not heard (yet, or dropped): the final goes to the ears.
        assert!(p.final_is(2, at(3), at(4)).is_none());
    }

    #[test]
    fn a_final_of_its_own_ends_what_is_shown() {
        let mut p = Partials::default();
        p.heard(heard("有人", Some(3)));
        assert!(p.shown().is_some());
        assert!(p.heard(heard("有人打架", None)).is_some());
        assert!(p.shown().is_none());
    }
}
