//! What the desk does with speech: keeps each transcribed utterance with the
//! open call, marks the greeting when the call-taker spoke it, and offers
//! what the transcript holds for the checklist. Nothing is filled in
//! without the call-taker accepting it ([`Desk::accept_offer`]).

use chrono::{DateTime, Duration, Utc};
use jiejing_core::{CallId, CallState, ElementKey};
use jiejing_speech::{drop_doubtful, greeting, normalize::normalize, suggest, Segment};

use crate::{CallView, Desk, DeskError};

/// Speech that ended this long before the answer was not on the call.
const BEFORE_ANSWER_S: i64 = 1;
/// The greeting is looked for in what was said within this long after the
/// answer (it may be cut into two utterances at its comma).
const GREETING_WITHIN_S: i64 = 8;

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
    /// to `end`. Kept with the open, answered call; returns its id, or None
    /// when no call was on (the words are dropped, not stored).
    ///
    /// # Errors
    /// Database errors.
    pub fn speech_heard(
        &mut self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        segments: &[Segment],
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
        let text: String = segments.iter().map(|s| normalize(&s.text)).collect();
        if text.trim().is_empty() {
            return Ok(None);
        }
        let before = self.store.speech(call.id)?;
        let greeted = call.greeting_at.is_none()
            && start <= answered + Duration::seconds(GREETING_WITHIN_S)
            && {
                let so_far: String = before
                    .iter()
                    .map(|s| s.text.as_str())
                    .chain([text.as_str()])
                    .collect();
                greeting::matches(&so_far, &call.greeting_text)
            };
        let mut offered = suggest(&text, None);
        let doubt: Vec<String> = segments.iter().flat_map(|s| s.doubt.clone()).collect();
        drop_doubtful(&mut offered, &doubt);
        self.store
            .add_speech(call.id, start, end, &text, greeted, &offered)?;
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
