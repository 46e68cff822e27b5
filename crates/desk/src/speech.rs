//! What the desk does with speech: keeps each transcribed utterance with the
//! open call, marks the greeting when the call-taker spoke it, and offers
//! what the transcript holds for the checklist. Nothing is filled in
//! without the call-taker accepting it ([`Desk::accept_offer`]).

use chrono::{DateTime, Duration, Utc};
use jiejing_core::{CallId, CallState, ElementKey, Speaker, SpeechSegment};
use jiejing_speech::{utterance, Segment};

use crate::{CallView, Desk, DeskError};

/// Speech that ended this long before the answer was not on the call.
const BEFORE_ANSWER_S: i64 = 1;

impl Desk {
    /// Whether speech now would belong to a call: one is open (ringing
    /// too: the answer's words come before the detector confirms it).
    ///
    /// # Errors
    /// Database errors.
    pub fn wants_speech(&self) -> Result<bool, DeskError> {
        Ok(self.active()?.is_some())
    }

    /// The recogniser heard `segments` in an utterance spoken from `start`
    /// to `end`, through the one microphone. Kept with the open, answered
    /// call; returns its id, or None when no call was on (the words are
    /// dropped, not stored).
    ///
    /// # Errors
    /// Database errors.
    pub fn speech_heard(
        &mut self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        segments: &[Segment],
    ) -> Result<Option<CallId>, DeskError> {
        self.speech_heard_from(start, end, segments, None)
    }

    /// As [`Desk::speech_heard`], said by `speaker` when the caller's line
    /// is an input of its own: the greeting is looked for only in what the
    /// call-taker said, and offers and situation hints come only from the
    /// caller.
    ///
    /// # Errors
    /// Database errors.
    pub fn speech_heard_from(
        &mut self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        segments: &[Segment],
        speaker: Option<Speaker>,
    ) -> Result<Option<CallId>, DeskError> {
        let Some(mut call) = self.active()? else {
            return Ok(None);
        };
        let Some(answered) = call.answered_at else {
            return Ok(None);
        };
        if call.state == CallState::Ringing || end < answered - Duration::seconds(BEFORE_ANSWER_S) {
            return Ok(None);
        }
        let Some(taken) = utterance::take(segments, self.places()) else {
            return Ok(None);
        };
        // What the call-taker said before, on this side of the line.
        let before: Vec<SpeechSegment> = self
            .store
            .speech(call.id)?
            .into_iter()
            .filter(|s| s.speaker != Some(Speaker::Caller))
            .collect();
        let within = Duration::milliseconds((utterance::GREETING_WITHIN_S * 1000.0) as i64);
        let greeted = call.greeting_at.is_none()
            && speaker != Some(Speaker::Caller)
            && start <= answered + within
            && {
                let said: Vec<&str> = before.iter().map(|s| s.text.as_str()).collect();
                utterance::greets(&said, &taken.text, &call.greeting_text)
            };
        let offered = match speaker {
            Some(Speaker::Taker) => Default::default(),
            _ => taken.offered,
        };
        let said = SpeechSegment {
            n: 0,
            start_at: start,
            end_at: end,
            text: taken.text,
            greeting: greeted,
            suggestions: offered,
            speaker,
        };
        self.store.add_speech(call.id, &said)?;
        if greeted {
            // Spoken when its first words were: the greeting may span two
            // utterances.
            let at = before.first().map_or(start, |s| s.start_at).max(answered);
            call.mark_greeting(at)?;
            self.persist(&[&call], "speech", "greeting", serde_json::json!({}))?;
        }
        Ok(Some(call.id))
    }

    /// Accepts a suggestion into item `key` of the open call: the value in
    /// an empty field, appended to what was typed otherwise.
    ///
    /// # Errors
    /// As [`Desk::set_element`].
    pub fn accept_offer(&mut self, key: ElementKey, value: &str) -> Result<CallView, DeskError> {
        self.update(|c, now| {
            let merged = jiejing_core::speech::accepted(&c.element(key).value, value);
            c.set_element(key, &merged, now)
        })
    }
}
