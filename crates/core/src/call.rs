//! One 110 call and the transitions the norm allows.
//!
//! Every method takes `now` from the caller so the rules stay pure and
//! testable; the desk passes its [`crate::Clock`].

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::text::{self, MAX_FIELD_CHARS, MAX_SHORT_CHARS};
use crate::CoreError;

pub type CallId = i64;

/// Generates a string-keyed enum with `as_str`/`parse` so the database, the
/// CLI's JSON and the IPC bindings all spell a value the same way.
/// Exported for the other crates' keyed enums (each needs `serde` and, for
/// the IPC types, a `specta` feature of its own).
#[macro_export]
macro_rules! keyed_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $key:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        pub enum $name { $(#[serde(rename = $key)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s { $($key => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

keyed_enum!(
    /// ringing → answered → in progress → closed.
    CallState { Ringing = "ringing", Answered = "answered", InProgress = "in_progress", Closed = "closed" }
);

keyed_enum!(
    /// What started or answered the call: the call-taker's hotkey, or (from
    /// the ring-timing work) the audio detector. Both drive the same
    /// transitions.
    AnswerSource { Manual = "manual", Audio = "audio" }
);

keyed_enum!(
    /// The seven elements of the norm, then the reporter's contact.
    ElementKey {
        When = "when", Where = "where", What = "what", Who = "who",
        Why = "why", Object = "object", Result = "result", Contact = "contact",
    }
);

keyed_enum!(
    ElementState { NotAsked = "not_asked", Asked = "asked", Answered = "answered", NotApplicable = "not_applicable" }
);

keyed_enum!(
    /// Caller situations of the norm, clauses 2–7.
    SituationKind {
        Panicked = "panicked", RepeatUrging = "repeat_urging", EmergencyHelp = "emergency_help",
        Consultation = "consultation", Rude = "rude", Harassment = "harassment", Complaint = "complaint",
    }
);

keyed_enum!(
    /// How the call ended, chosen on close.
    Disposition {
        PoliceIncident = "police_incident", EmergencyHelp = "emergency_help",
        Consultation = "consultation", Complaint = "complaint", Harassment = "harassment",
        RepeatUrging = "repeat_urging", Other = "other",
    }
);

keyed_enum!(
    /// The language of the phrases shown for a call (Alt+L): the desk's own
    /// language stays as it is. The values are a phrase pack's `language`.
    PhraseLanguage { Mandarin = "zh-CN", English = "en", Dialect = "dialect" }
);

// keyed_enum! writes the enum, so the default cannot be derived on it.
#[allow(clippy::derivable_impls)]
impl Default for PhraseLanguage {
    fn default() -> Self {
        PhraseLanguage::Mandarin
    }
}

impl From<crate::Language> for PhraseLanguage {
    fn from(l: crate::Language) -> Self {
        match l {
            crate::Language::ZhCn => PhraseLanguage::Mandarin,
            crate::Language::En => PhraseLanguage::English,
        }
    }
}

keyed_enum!(
    ComplaintField {
        Name = "name", Address = "address", WorkUnit = "work_unit", Phone = "phone",
        WhatHappened = "what_happened", Subject = "subject",
    }
);

/// One checklist item of a call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Element {
    pub key: ElementKey,
    pub value: String,
    pub state: ElementState,
    /// When a value was first entered; kept even if the value is later edited.
    pub first_answered_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SituationEntry {
    pub kind: SituationKind,
    pub at: DateTime<Utc>,
}

/// A later call from the same number that urged this one (norm clause 3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Urge {
    pub by_call_id: CallId,
    pub at: DateTime<Utc>,
}

/// A department the caller was referred to (norm clause 5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Referral {
    pub department: String,
    pub phone: String,
    pub at: DateTime<Utc>,
}

/// The complaint form of norm clause 7.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Complaint {
    pub received_at: Option<DateTime<Utc>>,
    pub name: String,
    pub address: String,
    pub work_unit: String,
    pub phone: String,
    pub what_happened: String,
    /// Who the complaint is about.
    pub subject: String,
    /// Misconduct happening now: refer to 督察 at once (110接处警工作规则).
    pub misconduct_now: bool,
}

impl Complaint {
    pub fn get(&self, f: ComplaintField) -> &str {
        match f {
            ComplaintField::Name => &self.name,
            ComplaintField::Address => &self.address,
            ComplaintField::WorkUnit => &self.work_unit,
            ComplaintField::Phone => &self.phone,
            ComplaintField::WhatHappened => &self.what_happened,
            ComplaintField::Subject => &self.subject,
        }
    }

    fn slot(&mut self, f: ComplaintField) -> &mut String {
        match f {
            ComplaintField::Name => &mut self.name,
            ComplaintField::Address => &mut self.address,
            ComplaintField::WorkUnit => &mut self.work_unit,
            ComplaintField::Phone => &mut self.phone,
            ComplaintField::WhatHappened => &mut self.what_happened,
            ComplaintField::Subject => &mut self.subject,
        }
    }
}

/// One call, from the first ring to close.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Call {
    /// 0 until the store has inserted the call.
    pub id: CallId,
    pub state: CallState,
    pub ring_at: DateTime<Utc>,
    pub ring_source: AnswerSource,
    pub answered_at: Option<DateTime<Utc>>,
    pub answer_source: Option<AnswerSource>,
    pub in_progress_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub caller_number: String,
    pub taker_id: String,
    pub station_id: String,
    /// The greeting as configured when the call rang, so a later settings
    /// change does not rewrite history.
    pub greeting_text: String,
    pub greeting_at: Option<DateTime<Utc>>,
    pub elements: Vec<Element>,
    pub situations: Vec<SituationEntry>,
    /// The earlier call this one repeats or urges.
    pub repeat_of: Option<CallId>,
    /// Later calls that urged this one.
    pub urges: Vec<Urge>,
    pub referrals: Vec<Referral>,
    pub complaint: Option<Complaint>,
    pub notes: String,
    pub disposition: Option<Disposition>,
    /// Items neither answered nor marked not-applicable when the call-taker
    /// confirmed closing anyway.
    pub missing_at_close: Vec<ElementKey>,
    /// Rings heard by the ring detector, in order (empty when nobody was
    /// listening: a call started by hotkey with audio off).
    pub rings: Vec<RingMark>,
    /// The phone stopped ringing and nobody answered.
    pub missed: bool,
    /// The phrases the call-taker answered in (Alt+L); recorded calls
    /// before it was kept read as Mandarin.
    #[serde(default)]
    pub phrase_language: PhraseLanguage,
}

/// One ring heard by the detector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct RingMark {
    pub onset: DateTime<Utc>,
    pub offset: DateTime<Utc>,
}

/// The norm's first rule as measured on one call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct RingTiming {
    /// Rings that began before the answer (one cut short by it counts).
    pub rings_before_answer: u32,
    /// From the first ring's onset to the answer.
    pub seconds_to_answer: Option<f64>,
    /// At most three rings before the answer.
    pub compliant: bool,
}

/// Rings allowed before the answer (norm clause 1).
pub const MAX_RINGS: u32 = 3;

impl Call {
    /// Ring timing, when rings were heard.
    pub fn ring_timing(&self) -> Option<RingTiming> {
        let first = self.rings.first()?;
        let n = match self.answered_at {
            Some(a) => self.rings.iter().filter(|r| r.onset < a).count(),
            None => self.rings.len(),
        } as u32;
        Some(RingTiming {
            rings_before_answer: n,
            seconds_to_answer: self
                .answered_at
                .map(|a| (a - first.onset).num_milliseconds() as f64 / 1000.0),
            compliant: n <= MAX_RINGS,
        })
    }

    /// The detector's account of the ringing: records the rings, backdates
    /// the call's start to the first ring, and if the call is still ringing
    /// answers it at `answered_at` (by voice) or closes it as missed. Works
    /// on a call already answered or closed by hand: rings are facts.
    pub fn record_rings(
        &mut self,
        rings: Vec<RingMark>,
        answered_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) {
        if let Some(first) = rings.first() {
            if first.onset < self.ring_at {
                self.ring_at = first.onset;
            }
        }
        self.rings = rings;
        if self.state != CallState::Ringing {
            return;
        }
        match answered_at {
            Some(at) => {
                self.state = CallState::Answered;
                self.answered_at = Some(at);
                self.answer_source = Some(AnswerSource::Audio);
            }
            None => {
                self.state = CallState::Closed;
                self.closed_at = Some(now);
                self.missed = true;
            }
        }
    }

    /// A new ringing call.
    pub fn ring(
        now: DateTime<Utc>,
        source: AnswerSource,
        taker_id: &str,
        station_id: &str,
        greeting_text: &str,
    ) -> Self {
        Call {
            id: 0,
            state: CallState::Ringing,
            ring_at: now,
            ring_source: source,
            answered_at: None,
            answer_source: None,
            in_progress_at: None,
            closed_at: None,
            caller_number: String::new(),
            taker_id: taker_id.to_string(),
            station_id: station_id.to_string(),
            greeting_text: greeting_text.to_string(),
            greeting_at: None,
            elements: ElementKey::ALL
                .iter()
                .map(|&key| Element {
                    key,
                    value: String::new(),
                    state: ElementState::NotAsked,
                    first_answered_at: None,
                })
                .collect(),
            situations: Vec::new(),
            repeat_of: None,
            urges: Vec::new(),
            referrals: Vec::new(),
            complaint: None,
            notes: String::new(),
            disposition: None,
            missing_at_close: Vec::new(),
            rings: Vec::new(),
            missed: false,
            phrase_language: PhraseLanguage::Mandarin,
        }
    }

    /// The phrases to answer in (Alt+L), while the call is open.
    ///
    /// # Errors
    /// [`CoreError::CallClosed`].
    pub fn set_phrase_language(&mut self, language: PhraseLanguage) -> Result<(), CoreError> {
        self.ensure_open()?;
        self.phrase_language = language;
        Ok(())
    }

    fn ensure_open(&self) -> Result<(), CoreError> {
        if self.state == CallState::Closed {
            Err(CoreError::CallClosed)
        } else {
            Ok(())
        }
    }

    /// Any work on the call after the answer moves it to in progress.
    fn touch(&mut self, now: DateTime<Utc>) {
        if self.state == CallState::Answered {
            self.state = CallState::InProgress;
            self.in_progress_at = Some(now);
        }
    }

    /// # Errors
    /// [`CoreError::WrongState`] unless the call is ringing.
    pub fn answer(&mut self, now: DateTime<Utc>, source: AnswerSource) -> Result<(), CoreError> {
        self.ensure_open()?;
        if self.state != CallState::Ringing {
            return Err(CoreError::WrongState {
                state: self.state.as_str(),
                action: "answer",
            });
        }
        self.state = CallState::Answered;
        self.answered_at = Some(now);
        self.answer_source = Some(source);
        Ok(())
    }

    /// Marks the greeting as spoken; the first mark counts.
    ///
    /// # Errors
    /// [`CoreError::WrongState`] before the answer, [`CoreError::CallClosed`].
    pub fn mark_greeting(&mut self, now: DateTime<Utc>) -> Result<(), CoreError> {
        self.require_answered("mark the greeting")?;
        if self.greeting_at.is_none() {
            self.greeting_at = Some(now);
        }
        self.touch(now);
        Ok(())
    }

    fn require_answered(&self, action: &'static str) -> Result<(), CoreError> {
        self.ensure_open()?;
        if self.state == CallState::Ringing {
            return Err(CoreError::WrongState {
                state: self.state.as_str(),
                action,
            });
        }
        Ok(())
    }

    /// # Errors
    /// [`CoreError::InvalidNumber`], [`CoreError::CallClosed`].
    pub fn set_caller_number(&mut self, raw: &str) -> Result<(), CoreError> {
        self.ensure_open()?;
        self.caller_number = text::phone("caller_number", raw)?;
        Ok(())
    }

    /// A shift lead's correction of a closed call's item (`None`: the
    /// notes). Returns the old value; the desk writes both to the audit
    /// trail. The record of what was missing at close stays as it was.
    ///
    /// # Errors
    /// [`CoreError::WrongState`] for a call not closed or never answered,
    /// or the value's own errors.
    pub fn amend(
        &mut self,
        key: Option<ElementKey>,
        raw: &str,
        now: DateTime<Utc>,
    ) -> Result<String, CoreError> {
        if self.state != CallState::Closed || self.answered_at.is_none() {
            return Err(CoreError::WrongState {
                state: self.state.as_str(),
                action: "correct it (only closed, answered calls are corrected)",
            });
        }
        let old = match key {
            Some(k) => self.element(k).value.clone(),
            None => self.notes.clone(),
        };
        // Reuse the open-call rules for the value itself.
        self.state = CallState::InProgress;
        let result = match key {
            Some(k) => self.set_element(k, raw, now),
            None => self.set_notes(raw, now),
        };
        self.state = CallState::Closed;
        result.map(|()| old)
    }

    pub fn element(&self, key: ElementKey) -> &Element {
        // Calls are always built with all eight items, in order.
        &self.elements[key as usize]
    }

    fn element_mut(&mut self, key: ElementKey) -> &mut Element {
        &mut self.elements[key as usize]
    }

    /// Stores the value of a checklist item. A non-empty value makes the
    /// item answered (recording the first answer's time); clearing it makes
    /// it asked again.
    ///
    /// # Errors
    /// [`CoreError::TooLong`], [`CoreError::WrongState`] while ringing,
    /// [`CoreError::CallClosed`].
    pub fn set_element(
        &mut self,
        key: ElementKey,
        raw: &str,
        now: DateTime<Utc>,
    ) -> Result<(), CoreError> {
        self.require_answered("fill the checklist")?;
        let value = text::clean(key.as_str(), raw, MAX_FIELD_CHARS, true)?;
        let el = self.element_mut(key);
        if value.is_empty() {
            if el.state == ElementState::Answered {
                el.state = ElementState::Asked;
            }
        } else {
            el.state = ElementState::Answered;
            el.first_answered_at.get_or_insert(now);
        }
        el.value = value;
        self.touch(now);
        Ok(())
    }

    /// Sets an item's state directly: asked (the prompt was used) or not
    /// applicable. Answered comes only from a value.
    ///
    /// # Errors
    /// [`CoreError::InvalidValue`] for `Answered` without a value.
    pub fn set_element_state(
        &mut self,
        key: ElementKey,
        state: ElementState,
        now: DateTime<Utc>,
    ) -> Result<(), CoreError> {
        self.require_answered("fill the checklist")?;
        let el = self.element_mut(key);
        if state == ElementState::Answered && el.value.is_empty() {
            return Err(CoreError::InvalidValue {
                field: key.as_str().to_string(),
                reason: "an item is answered by typing its value".into(),
            });
        }
        el.state = state;
        self.touch(now);
        Ok(())
    }

    /// Items neither answered nor not-applicable.
    pub fn missing(&self) -> Vec<ElementKey> {
        self.elements
            .iter()
            .filter(|e| matches!(e.state, ElementState::NotAsked | ElementState::Asked))
            .map(|e| e.key)
            .collect()
    }

    /// (items done, items in all) for the completeness meter.
    pub fn completeness(&self) -> (usize, usize) {
        (
            self.elements.len() - self.missing().len(),
            self.elements.len(),
        )
    }

    pub fn has_situation(&self, kind: SituationKind) -> bool {
        self.situations.iter().any(|s| s.kind == kind)
    }

    /// Records a situation; a situation already recorded keeps its first
    /// time. A complaint opens the complaint form.
    ///
    /// # Errors
    /// [`CoreError::WrongState`] while ringing, [`CoreError::CallClosed`].
    pub fn add_situation(
        &mut self,
        kind: SituationKind,
        now: DateTime<Utc>,
    ) -> Result<bool, CoreError> {
        self.require_answered("record a situation")?;
        self.touch(now);
        if self.has_situation(kind) {
            return Ok(false);
        }
        self.situations.push(SituationEntry { kind, at: now });
        if kind == SituationKind::Complaint && self.complaint.is_none() {
            self.complaint = Some(Complaint {
                received_at: Some(now),
                ..Complaint::default()
            });
        }
        Ok(true)
    }

    /// Links this call to an earlier one from the same number. Allowed while
    /// ringing: the number may be known before the answer.
    pub fn mark_repeat_of(&mut self, earlier: CallId, now: DateTime<Utc>) {
        self.repeat_of = Some(earlier);
        self.flag_repeat(now);
    }

    /// Records the repeat/urging situation (once). [`Call::mark_repeat_of`]
    /// does it for an earlier call at this desk; a desk joined to a station
    /// calls it alone when the earlier call was taken at another seat.
    pub fn flag_repeat(&mut self, now: DateTime<Utc>) {
        if !self.has_situation(SituationKind::RepeatUrging) {
            self.situations.push(SituationEntry {
                kind: SituationKind::RepeatUrging,
                at: now,
            });
        }
    }

    /// Logs on this (earlier) call that a later call urged it. Allowed on
    /// closed calls: the urge is part of the earlier call's history.
    pub fn log_urge(&mut self, by_call_id: CallId, now: DateTime<Utc>) {
        if !self.urges.iter().any(|u| u.by_call_id == by_call_id) {
            self.urges.push(Urge {
                by_call_id,
                at: now,
            });
        }
    }

    /// # Errors
    /// [`CoreError::InvalidValue`] if there is no complaint on the call,
    /// [`CoreError::TooLong`], [`CoreError::InvalidNumber`] for the phone.
    pub fn set_complaint_field(
        &mut self,
        field: ComplaintField,
        raw: &str,
        now: DateTime<Utc>,
    ) -> Result<(), CoreError> {
        self.require_answered("fill the complaint")?;
        let name = field.as_str();
        let value = match field {
            ComplaintField::Phone => text::phone(name, raw)?,
            ComplaintField::WhatHappened | ComplaintField::Address => {
                text::clean(name, raw, MAX_FIELD_CHARS, true)?
            }
            _ => text::clean(name, raw, MAX_SHORT_CHARS * 2, false)?,
        };
        let complaint = self
            .complaint
            .as_mut()
            .ok_or_else(|| CoreError::InvalidValue {
                field: name.to_string(),
                reason: "record the complaint situation first".into(),
            })?;
        *complaint.slot(field) = value;
        self.touch(now);
        Ok(())
    }

    /// Flags misconduct happening now, for immediate referral to 督察.
    ///
    /// # Errors
    /// [`CoreError::InvalidValue`] if there is no complaint on the call.
    pub fn set_misconduct_now(&mut self, on: bool, now: DateTime<Utc>) -> Result<(), CoreError> {
        self.require_answered("fill the complaint")?;
        let complaint = self
            .complaint
            .as_mut()
            .ok_or_else(|| CoreError::InvalidValue {
                field: "misconduct_now".into(),
                reason: "record the complaint situation first".into(),
            })?;
        complaint.misconduct_now = on;
        self.touch(now);
        Ok(())
    }

    /// Records that the caller was given a department's address and phone.
    ///
    /// # Errors
    /// [`CoreError::WrongState`] while ringing, [`CoreError::CallClosed`].
    pub fn add_referral(
        &mut self,
        department: &str,
        phone: &str,
        now: DateTime<Utc>,
    ) -> Result<(), CoreError> {
        self.require_answered("record a referral")?;
        let department = text::clean("department", department, MAX_SHORT_CHARS * 2, false)?;
        if department.is_empty() {
            return Err(CoreError::Required {
                field: "department".into(),
            });
        }
        if !self.referrals.iter().any(|r| r.department == department) {
            let phone = text::clean("phone", phone, MAX_SHORT_CHARS, false)?;
            self.referrals.push(Referral {
                department,
                phone,
                at: now,
            });
        }
        if !self.has_situation(SituationKind::Consultation) {
            self.situations.push(SituationEntry {
                kind: SituationKind::Consultation,
                at: now,
            });
        }
        self.touch(now);
        Ok(())
    }

    /// # Errors
    /// [`CoreError::TooLong`], [`CoreError::CallClosed`].
    pub fn set_notes(&mut self, raw: &str, now: DateTime<Utc>) -> Result<(), CoreError> {
        self.ensure_open()?;
        self.notes = text::clean("notes", raw, MAX_FIELD_CHARS * 4, true)?;
        self.touch(now);
        Ok(())
    }

    /// The disposition the close dialog offers first, from what happened.
    pub fn suggested_disposition(&self) -> Disposition {
        use SituationKind as S;
        // Most specific first: a harassment call that was also rude is
        // harassment; a repeat caller who complains is a complaint.
        for (s, d) in [
            (S::Harassment, Disposition::Harassment),
            (S::Complaint, Disposition::Complaint),
            (S::Consultation, Disposition::Consultation),
            (S::EmergencyHelp, Disposition::EmergencyHelp),
            (S::RepeatUrging, Disposition::RepeatUrging),
        ] {
            if self.has_situation(s) {
                return d;
            }
        }
        Disposition::PoliceIncident
    }

    /// Closes the call. With items missing, the first attempt fails with
    /// [`CoreError::MissingElements`] so the UI can ask once; the second,
    /// with `confirm_missing`, closes and records what was missing.
    /// Harassment calls close without the checklist: the norm lets the
    /// call-taker hang up.
    ///
    /// # Errors
    /// [`CoreError::MissingElements`], [`CoreError::CallClosed`].
    pub fn close(
        &mut self,
        disposition: Disposition,
        confirm_missing: bool,
        now: DateTime<Utc>,
    ) -> Result<(), CoreError> {
        self.ensure_open()?;
        let missing = if self.state == CallState::Ringing {
            Vec::new()
        } else {
            self.missing()
        };
        let exempt = disposition == Disposition::Harassment || self.state == CallState::Ringing;
        if !missing.is_empty() && !confirm_missing && !exempt {
            return Err(CoreError::MissingElements(missing));
        }
        self.missing_at_close = missing;
        self.disposition = Some(disposition);
        self.state = CallState::Closed;
        self.closed_at = Some(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn t(s: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 27, 8, 0, 0).unwrap() + Duration::seconds(s)
    }

    fn answered() -> Call {
        let mut c = Call::ring(
            t(0),
            AnswerSource::Manual,
            "0123",
            "cz-110",
            "你好，常州110",
        );
        c.answer(t(5), AnswerSource::Manual).unwrap();
        c
    }

    #[test]
    fn lifecycle_records_each_step() {
        let mut c = Call::ring(t(0), AnswerSource::Manual, "0123", "cz", "你好，常州110");
        assert_eq!(c.state, CallState::Ringing);
        assert!(matches!(
            c.mark_greeting(t(1)),
            Err(CoreError::WrongState { .. })
        ));
        c.answer(t(6), AnswerSource::Audio).unwrap();
        assert_eq!(
            (c.state, c.answered_at, c.answer_source),
            (CallState::Answered, Some(t(6)), Some(AnswerSource::Audio))
        );
        assert!(
            c.answer(t(7), AnswerSource::Manual).is_err(),
            "answering twice is refused"
        );
        c.mark_greeting(t(7)).unwrap();
        c.mark_greeting(t(9)).unwrap();
        assert_eq!(
            (c.state, c.greeting_at, c.in_progress_at),
            (CallState::InProgress, Some(t(7)), Some(t(7)))
        );
        c.close(Disposition::Other, true, t(60)).unwrap();
        assert_eq!((c.state, c.closed_at), (CallState::Closed, Some(t(60))));
        assert_eq!(
            c.set_element(ElementKey::What, "x", t(61)),
            Err(CoreError::CallClosed)
        );
        assert_eq!(
            c.close(Disposition::Other, true, t(62)),
            Err(CoreError::CallClosed)
        );
    }

    #[test]
    fn element_answer_keeps_first_time_and_clearing_reverts() {
        let mut c = answered();
        c.set_element(ElementKey::Where, "  红梅新村 ", t(10))
            .unwrap();
        c.set_element(ElementKey::Where, "红梅新村12幢", t(20))
            .unwrap();
        let e = c.element(ElementKey::Where);
        assert_eq!(
            (e.value.as_str(), e.state, e.first_answered_at),
            ("红梅新村12幢", ElementState::Answered, Some(t(10)))
        );
        c.set_element(ElementKey::Where, "", t(30)).unwrap();
        assert_eq!(c.element(ElementKey::Where).state, ElementState::Asked);
        assert_eq!(c.element(ElementKey::Where).first_answered_at, Some(t(10)));
    }

    #[test]
    fn element_state_rules() {
        let mut c = answered();
        c.set_element_state(ElementKey::Object, ElementState::NotApplicable, t(9))
            .unwrap();
        c.set_element_state(ElementKey::Why, ElementState::Asked, t(9))
            .unwrap();
        assert!(matches!(
            c.set_element_state(ElementKey::Who, ElementState::Answered, t(9)),
            Err(CoreError::InvalidValue { .. })
        ));
        assert_eq!(c.completeness(), (1, 8));
        assert!(c.missing().contains(&ElementKey::Why));
        let long = "长".repeat(MAX_FIELD_CHARS + 1);
        assert!(matches!(
            c.set_element(ElementKey::What, &long, t(9)),
            Err(CoreError::TooLong { max: 500, .. })
        ));
    }

    #[test]
    fn close_asks_once_when_items_missing() {
        let mut c = answered();
        for k in ElementKey::ALL.iter().take(6) {
            c.set_element(*k, "x", t(10)).unwrap();
        }
        let err = c
            .close(Disposition::PoliceIncident, false, t(20))
            .unwrap_err();
        assert_eq!(
            err,
            CoreError::MissingElements(vec![ElementKey::Result, ElementKey::Contact])
        );
        assert_eq!(c.state, CallState::InProgress);
        c.close(Disposition::PoliceIncident, true, t(21)).unwrap();
        assert_eq!(
            c.missing_at_close,
            vec![ElementKey::Result, ElementKey::Contact]
        );
    }

    #[test]
    fn complete_call_closes_without_confirmation() {
        let mut c = answered();
        for k in ElementKey::ALL {
            c.set_element(*k, "x", t(10)).unwrap();
        }
        c.close(Disposition::PoliceIncident, false, t(20)).unwrap();
        assert!(c.missing_at_close.is_empty());
    }

    #[test]
    fn harassment_and_unanswered_calls_close_without_checklist() {
        let mut c = answered();
        c.add_situation(SituationKind::Harassment, t(8)).unwrap();
        assert_eq!(c.suggested_disposition(), Disposition::Harassment);
        c.close(Disposition::Harassment, false, t(9)).unwrap();
        assert_eq!(
            c.missing_at_close.len(),
            8,
            "what was missing is still recorded"
        );

        let mut missed = Call::ring(t(0), AnswerSource::Manual, "1", "s", "g");
        missed.close(Disposition::Other, false, t(30)).unwrap();
        assert!(missed.answered_at.is_none() && missed.missing_at_close.is_empty());
    }

    #[test]
    fn situations_are_recorded_once_with_first_time() {
        let mut c = answered();
        assert!(c.add_situation(SituationKind::Panicked, t(10)).unwrap());
        assert!(!c.add_situation(SituationKind::Panicked, t(20)).unwrap());
        c.add_situation(SituationKind::Complaint, t(30)).unwrap();
        assert_eq!(c.situations.len(), 2);
        assert_eq!(c.situations[0].at, t(10));
        assert_eq!(c.complaint.as_ref().unwrap().received_at, Some(t(30)));
        assert_eq!(c.suggested_disposition(), Disposition::Complaint);
    }

    #[test]
    fn complaint_fields_need_the_situation_and_validate() {
        let mut c = answered();
        assert!(c
            .set_complaint_field(ComplaintField::Name, "张三", t(9))
            .is_err());
        c.add_situation(SituationKind::Complaint, t(10)).unwrap();
        c.set_complaint_field(ComplaintField::Name, "张三", t(11))
            .unwrap();
        c.set_complaint_field(ComplaintField::Phone, "138 1234 5678", t(11))
            .unwrap();
        assert!(matches!(
            c.set_complaint_field(ComplaintField::Phone, "call me", t(11)),
            Err(CoreError::InvalidNumber { .. })
        ));
        let cp = c.complaint.as_ref().unwrap();
        assert_eq!(
            (cp.get(ComplaintField::Name), cp.phone.as_str()),
            ("张三", "138 1234 5678")
        );
    }

    #[test]
    fn repeat_links_and_urges_are_idempotent() {
        let mut earlier = answered();
        earlier.id = 7;
        earlier
            .close(Disposition::PoliceIncident, true, t(50))
            .unwrap();
        let mut later = Call::ring(t(100), AnswerSource::Manual, "1", "s", "g");
        later.id = 8;
        later.mark_repeat_of(7, t(101));
        later.mark_repeat_of(7, t(102));
        earlier.log_urge(8, t(101));
        earlier.log_urge(8, t(102));
        assert_eq!(later.repeat_of, Some(7));
        assert_eq!(later.situations.len(), 1);
        assert_eq!(
            earlier.urges,
            vec![Urge {
                by_call_id: 8,
                at: t(101)
            }]
        );
    }

    #[test]
    fn referral_marks_consultation() {
        let mut c = answered();
        c.add_referral("12345政务服务热线", "12345", t(9)).unwrap();
        c.add_referral("12345政务服务热线", "12345", t(10)).unwrap();
        assert_eq!(c.referrals.len(), 1);
        assert!(c.has_situation(SituationKind::Consultation));
        assert_eq!(c.suggested_disposition(), Disposition::Consultation);
    }

    #[test]
    fn keys_round_trip() {
        for k in ElementKey::ALL {
            assert_eq!(ElementKey::parse(k.as_str()), Some(*k));
            assert_eq!(
                serde_json::to_string(k).unwrap(),
                format!("\"{}\"", k.as_str())
            );
        }
        assert_eq!(ElementKey::ALL.len(), 8);
        assert_eq!(SituationKind::ALL.len(), 7);
        assert_eq!(Disposition::ALL.len(), 7);
    }
}
