use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use jiejing_core::{
    AnswerSource, Call, CallId, Clock, ComplaintField, Department, Disposition, ElementKey,
    ElementState, Language, Offer, RingMark, RingTiming, Settings, SituationKind, SourceNote,
    SpeechSegment,
};
use jiejing_store::{CallSummary, Store};
use serde::Serialize;

use crate::session::{Actor, Need};
use crate::{paths, DataFiles, DeskError, PhrasePacks, QueueSummary};
use jiejing_calendar::OfficialCalendar;

/// A call with what the screen derives from it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct CallView {
    pub call: Call,
    pub elements_done: u32,
    pub elements_total: u32,
    pub missing: Vec<ElementKey>,
    pub suggested_disposition: Disposition,
    /// The earlier call this one repeats, with its elements, so the
    /// call-taker can answer "we have already notified officers".
    pub earlier: Option<Call>,
    /// The seat that took the earlier call, when it was another seat of
    /// the station (found there); `None` for this desk's own calls.
    pub earlier_seat: Option<String>,
    /// The repeat lookup could not reach the station: it looked at this
    /// seat's calls only.
    pub this_seat_only: bool,
    /// Rings before the answer and seconds to answer, when rings were heard.
    pub ring_timing: Option<RingTiming>,
    /// What the desk heard during the call, in order.
    pub speech: Vec<SpeechSegment>,
    /// Suggestions from the speech still worth offering (open calls only).
    pub offers: Vec<Offer>,
    /// The call's recording at this desk (`None`: not recorded here).
    pub recording: Option<RecordingNote>,
}

/// A call's recording as the desk holds it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct RecordingNote {
    /// Its length once finished; `None` while it is being written.
    pub seconds: Option<f64>,
    /// When retention deleted it.
    pub purged_at: Option<DateTime<Utc>>,
}

/// Everything the screen needs at start-up.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DeskState {
    pub settings: Settings,
    /// The greeting for the current settings.
    pub greeting: String,
    pub greeting_en: String,
    /// In the station's dialect pack, when it has one (Alt+L).
    pub greeting_dialect: Option<String>,
    /// The open call, resumed after a restart or crash.
    pub active: Option<CallView>,
    pub phrases: PhrasePacks,
    pub data_dir: String,
    pub data_files: Vec<SourceNote>,
    pub queue: QueueSummary,
    /// The desk clock's time, so the screen's timers agree with the
    /// records even when the desk runs on a set clock (`--now`).
    pub now: DateTime<Utc>,
    /// Years whose official holiday schedule is loaded.
    pub calendar_years: Vec<i32>,
    /// A training desk (`--training`): the screen says so on every view.
    pub training: bool,
}

pub struct Desk {
    pub(crate) store: Store,
    clock: Arc<dyn Clock>,
    pub(crate) settings: Settings,
    pub(crate) files: DataFiles,
    /// The gazetteer made ready for speech, on the first utterance.
    pub(crate) places: std::cell::OnceCell<jiejing_speech::Places>,
    pub(crate) calendar: OfficialCalendar,
    calendar_notes: Vec<SourceNote>,
    pub(crate) data_dir: PathBuf,
    /// Problems with the settings record, reported with the data files.
    settings_note: Option<SourceNote>,
    pub(crate) actor: Actor,
    /// Reads across seats when this desk is joined to a station.
    pub(crate) station: Option<Box<dyn crate::StationLink>>,
    /// The open call whose repeat lookup could not reach the station and
    /// fell back to this seat's calls.
    station_missed: Option<CallId>,
    /// The station's queue counts as last asked: the desk's state (read on
    /// every call event) shows these rather than wait on the station.
    pub(crate) station_queue: Option<crate::QueueSummary>,
}

/// Where the earlier call of a repeat was found.
enum Earlier {
    Here(Call),
    Seat(String, Call),
}

type Result<T> = std::result::Result<T, DeskError>;

impl Desk {
    /// Opens the desk on a data folder: the database, the settings and the
    /// station's data files.
    ///
    /// # Errors
    /// Only if the database cannot be opened; bad settings or data files
    /// fall back to defaults with a note.
    pub fn open(data_dir: &Path, clock: Arc<dyn Clock>) -> Result<Desk> {
        paths::keep_private();
        let store = paths::open_store(data_dir)?;
        let (settings, settings_note) = match store.load_settings() {
            Ok(Some(s)) => match s.validated() {
                Ok(s) => (s, None),
                Err(e) => (
                    Settings::default(),
                    Some(format!("saved settings are invalid ({e}); using defaults")),
                ),
            },
            Ok(None) => (Settings::default(), None),
            Err(e) => (
                Settings::default(),
                Some(format!("{e}; using default settings")),
            ),
        };
        let settings_note = settings_note.map(|w| SourceNote {
            name: "settings".into(),
            source: "database".into(),
            warning: Some(w),
        });
        let (calendar, errors) = OfficialCalendar::load(&data_dir.join("calendar"));
        let calendar_notes = errors
            .into_iter()
            .map(|e| SourceNote {
                name: "calendar".into(),
                source: "builtin".into(),
                warning: Some(format!("{e}; file not used")),
            })
            .collect();
        let mut desk = Desk {
            store,
            clock,
            settings,
            files: DataFiles::load(data_dir),
            places: std::cell::OnceCell::new(),
            calendar,
            calendar_notes,
            data_dir: data_dir.to_path_buf(),
            settings_note,
            actor: Actor::Nobody,
            station: None,
            station_missed: None,
            station_queue: None,
        };
        if let Some(took) = desk.store.encrypted_now() {
            // Said once, and kept: the upgrade that encrypted the records.
            let detail = serde_json::json!({ "ms": took.as_millis() as u64 });
            desk.audit_entry("upgrade", "database_encrypted", None, detail)?;
            desk.files.notes.push(SourceNote {
                name: "database".into(),
                source: "data folder".into(),
                warning: Some(format!(
                    "the plaintext database of an older version was encrypted in {} ms; its old copy's blocks may remain on this disk until overwritten",
                    took.as_millis()
                )),
            });
        }
        // A calendar file may have been added or corrected since the last
        // run: bring open due dates up to date (every move is logged).
        desk.recompute_open("calendar data changed")?;
        // A desk stopped while recording left that recording unmeasured;
        // retention runs at every start as well as after every call.
        let mut notes = desk.recover_recordings()?;
        if let Err(e) = desk.purge_recordings() {
            notes.push(format!("retention: {e}"));
        }
        // Callers' personal data past the station's period goes too.
        if let Err(e) = desk.purge_personal_data(500, std::time::Duration::from_secs(5)) {
            notes.push(format!("personal-data retention: {e}"));
        }
        // An older desk's recordings were plain files: sealed now, like
        // its database above.
        let began = std::time::Instant::now();
        let (sealed, left, sealing) =
            desk.seal_plain_recordings(std::time::Duration::from_secs(5))?;
        notes.extend(sealing);
        if sealed > 0 {
            notes.push(format!(
                "{sealed} plain recording(s) of an older version were sealed in {} ms ({left} left, sealed at the next starts and after each call); their old blocks may remain on this disk until overwritten",
                began.elapsed().as_millis()
            ));
        }
        desk.files
            .notes
            .extend(notes.into_iter().map(|w| SourceNote {
                name: "recordings".into(),
                source: "data folder".into(),
                warning: Some(w),
            }));
        // What the chain holds at start is anchored outside the database.
        if let Err(e) = desk.anchor_audit() {
            desk.files.notes.push(SourceNote {
                name: "audit".into(),
                source: "key folder".into(),
                warning: Some(format!("the audit chain's head was not kept: {e}")),
            });
        }
        let wide = paths::wider_than_private(data_dir);
        desk.files
            .notes
            .extend(wide.into_iter().map(|w| SourceNote {
                name: "permissions".into(),
                source: "data folder".into(),
                warning: Some(w),
            }));
        Ok(desk)
    }

    /// What the screen shows; the account is read again and the idle lock
    /// applied first.
    ///
    /// # Errors
    /// Database errors.
    pub fn state(&mut self) -> Result<DeskState> {
        self.recheck()?;
        let mut data_files = self.files.notes.clone();
        data_files.extend(self.settings_note.clone());
        data_files.extend(self.calendar_notes.iter().cloned());
        Ok(DeskState {
            settings: self.settings.clone(),
            greeting: self.greeting(Language::ZhCn),
            greeting_en: self.greeting(Language::En),
            greeting_dialect: self.greeting_dialect(),
            // Behind the sign-in or lock screen the call stays hidden.
            active: match self.may_see_active() {
                true => self.active()?.map(|c| self.view(c)).transpose()?,
                false => None,
            },
            phrases: self.files.phrases.clone(),
            data_dir: self.data_dir.display().to_string(),
            data_files,
            queue: self.known_queue_summary()?,
            now: self.now(),
            calendar_years: self.calendar.years().collect(),
            training: self.store.training()?,
        })
    }

    /// Makes this data folder a training desk's, for good (audited): its
    /// clock may then be set (`--now`). Refused on a folder that holds
    /// real calls.
    ///
    /// # Errors
    /// [`DeskError::Core`] naming the folder when it holds calls; database
    /// errors.
    pub fn start_training(&mut self) -> Result<()> {
        if self.store.training()? {
            return Ok(());
        }
        if !self.store.mark_training()? {
            return Err(jiejing_core::CoreError::InvalidValue {
                field: "training".into(),
                reason: format!(
                    "{} already holds calls; train on a new data folder",
                    self.data_dir.display()
                ),
            }
            .into());
        }
        let who = self
            .user()
            .map_or_else(|| "desk".to_string(), |u| u.id.clone());
        self.audit_entry(&who, "training_mode", None, serde_json::json!({}))
    }

    /// Whether this is a training desk (see [`Desk::start_training`]).
    ///
    /// # Errors
    /// Database errors.
    pub fn training(&self) -> Result<bool> {
        Ok(self.store.training()?)
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The station's places (its gazetteer.toml, else the built-in sample),
    /// ready for speech.
    pub(crate) fn places(&self) -> &jiejing_speech::Places {
        self.places
            .get_or_init(|| jiejing_speech::Places::of(&self.files.gazetteer))
    }

    fn greeting(&self, lang: Language) -> String {
        let (pack, city) = match lang {
            Language::ZhCn => (&self.files.phrases.zh, &self.settings.city),
            Language::En if self.settings.city_en.is_empty() => {
                (&self.files.phrases.en, &self.settings.city)
            }
            Language::En => (&self.files.phrases.en, &self.settings.city_en),
        };
        pack.greeting_for(city, &self.settings.operator_number)
    }

    /// The greeting in the station's dialect pack, if it has one.
    fn greeting_dialect(&self) -> Option<String> {
        let pack = self.files.phrases.dialect.as_ref()?;
        Some(pack.greeting_for(&self.settings.city, &self.settings.operator_number))
    }

    /// Saves the settings (a lead's act) and audits what changed, each
    /// field with its old and new value.
    ///
    /// # Errors
    /// Not a lead; the first invalid field (nothing is saved then).
    pub fn save_settings(&mut self, s: &Settings) -> Result<Settings> {
        let who = self.authorize(Need::Lead)?;
        let s = s.validated()?;
        crate::followups::check_zone(&s)?;
        let changed = changed_fields(&self.settings, &s);
        self.store.save_settings(&s)?;
        self.settings = s.clone();
        self.settings_note = None;
        if !changed.is_empty() {
            self.audit_entry(
                &who,
                "settings_changed",
                None,
                serde_json::Value::Object(changed),
            )?;
        }
        Ok(s)
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Joins the desk's reads to its station (repeat callers across seats).
    pub fn set_station(&mut self, link: Box<dyn crate::StationLink>) {
        self.station = Some(link);
        self.station_queue = None;
    }

    /// The desk left its station: reads are this desk's own again.
    pub fn clear_station(&mut self) {
        self.station = None;
        self.station_queue = None;
    }

    /// This desk's station link as recorded (`None`: a one-seat desk).
    ///
    /// # Errors
    /// Database errors.
    pub fn station_link(&self) -> Result<Option<jiejing_store::StationLink>> {
        Ok(self.store.station_link()?)
    }

    /// The open call, if any (the newest, should a crash have left several).
    pub(crate) fn active(&self) -> Result<Option<Call>> {
        Ok(self.store.open_calls()?.pop())
    }

    fn require_active(&self) -> Result<Call> {
        self.active()?.ok_or(DeskError::NoActiveCall)
    }

    fn may_see_active(&self) -> bool {
        match &self.actor {
            Actor::Nobody => false,
            Actor::Admin(_) => true,
            Actor::User { locked, .. } => !locked,
        }
    }

    /// Authorizes desk work on `call`: a call-taker works on their own
    /// calls only; a lead on any. Returns the actor's id.
    pub(crate) fn authorize_call(&mut self, call: &Call) -> Result<String> {
        let actor = self.authorize(Need::Desk)?;
        match self.user() {
            Some(u) if u.role == jiejing_core::Role::Taker && u.id != call.taker_id => {
                Err(DeskError::NotYours(call.id))
            }
            _ => Ok(actor),
        }
    }

    /// The id written on a new call: whoever is signed in (even behind the
    /// lock: the phone rings at their desk), else the settings' default.
    fn taker_for_new_call(&self) -> String {
        self.user()
            .map_or_else(|| self.settings.taker_id.clone(), |u| u.id.clone())
    }

    /// Saves calls; a closed call's save also goes into the audit trail.
    pub(crate) fn persist(
        &mut self,
        calls: &[&Call],
        actor: &str,
        action: &str,
        detail: serde_json::Value,
    ) -> Result<()> {
        let note = jiejing_store::AuditNote {
            at: self.now(),
            actor,
            action,
            detail,
        };
        Ok(self.store.save_calls_audited(calls, &note)?)
    }

    pub(crate) fn view(&self, call: Call) -> Result<CallView> {
        let (earlier, earlier_seat) = match call.repeat_of {
            Some(id) => (self.store.load_call(id)?, None),
            None => match self.store.station_repeat(call.id)? {
                Some((seat, c)) => (Some(c), Some(seat)),
                None => (None, None),
            },
        };
        // The repeat view is for what happened before (the elements); an
        // earlier complaint's complainant stays with those who may see it.
        let earlier = earlier.map(|mut c| {
            if !self.may_see_complainant(&c.taker_id) {
                if let Some(complaint) = c.complaint.as_mut() {
                    crate::followups::blank_complainant(complaint);
                }
            }
            c
        });
        let (done, total) = call.completeness();
        let speech = self.store.speech(call.id)?;
        let offers = if call.state == jiejing_core::CallState::Closed {
            Vec::new()
        } else {
            let recorded: Vec<SituationKind> = call.situations.iter().map(|s| s.kind).collect();
            jiejing_core::speech::offers(&speech, |k| call.element(k).value.clone(), &recorded)
        };
        let recording = self.store.recording(call.id)?.map(|r| RecordingNote {
            seconds: r.seconds,
            purged_at: r.purged_at,
        });
        Ok(CallView {
            speech,
            offers,
            recording,
            ring_timing: call.ring_timing(),
            elements_done: done as u32,
            elements_total: total as u32,
            missing: call.missing(),
            suggested_disposition: call.suggested_disposition(),
            earlier,
            earlier_seat,
            this_seat_only: self.station_missed == Some(call.id)
                && call.state != jiejing_core::CallState::Closed,
            call,
        })
    }

    /// Applies `f` to the open call and saves it before returning.
    pub(crate) fn update(
        &mut self,
        f: impl FnOnce(&mut Call, DateTime<Utc>) -> std::result::Result<(), jiejing_core::CoreError>,
    ) -> Result<CallView> {
        let mut call = self.require_active()?;
        let actor = self.authorize_call(&call)?;
        f(&mut call, self.now())?;
        // Only the close leaves a call closed here (closed calls refuse
        // every other change), so that is what the audit entry names.
        let detail = serde_json::json!({ "disposition": call.disposition });
        // A complaint promises a reply: its follow-up is written in the
        // same transaction as the call, so a crash cannot keep one
        // without the other.
        let mut followup = self.followup_due(&call)?;
        let note = jiejing_store::AuditNote {
            at: self.now(),
            actor: &actor,
            action: "close",
            detail,
        };
        self.store
            .save_calls_with_followup(&[&call], &note, followup.as_mut())?;
        self.view(call)
    }

    /// The ring detector confirmed ringing that began at `first_onset`: the
    /// open ringing call if the call-taker already pressed F2, else a new
    /// call. Returns its id, which [`Desk::record_rings`] takes later.
    ///
    /// # Errors
    /// [`DeskError::CallActive`] while a call past ringing is open (the
    /// call-taker is still on a call: this ringing is a second line).
    pub fn ring_heard(&mut self, first_onset: DateTime<Utc>) -> Result<CallId> {
        if let Some(open) = self.active()? {
            if open.state == jiejing_core::CallState::Ringing {
                return Ok(open.id);
            }
            return Err(DeskError::CallActive(open.id));
        }
        Ok(self.insert_ringing(first_onset, AnswerSource::Audio)?.id)
    }

    /// A new ringing call by this desk's call-taker, written at once.
    fn insert_ringing(&mut self, at: DateTime<Utc>, source: AnswerSource) -> Result<Call> {
        let mut call = Call::ring(
            at,
            source,
            &self.taker_for_new_call(),
            &self.settings.station_id,
            &self.greeting(Language::ZhCn),
        );
        self.store.insert_call(&mut call)?;
        Ok(call)
    }

    /// The detector's account of call `id`'s ringing: its rings, and the
    /// voice that answered it (None: it rang out, a missed call).
    ///
    /// # Errors
    /// [`DeskError::NotFound`].
    pub fn record_rings(
        &mut self,
        id: CallId,
        rings: Vec<RingMark>,
        answered_at: Option<DateTime<Utc>>,
    ) -> Result<CallView> {
        let mut call = self.store.load_call(id)?.ok_or(DeskError::NotFound(id))?;
        call.record_rings(rings, answered_at, self.now());
        // The detector may confirm the answer after a quick close.
        let detail = serde_json::json!({ "rings": call.rings.len() });
        self.persist(&[&call], "detector", "rings", detail)?;
        self.view(call)
    }

    /// The shift lead's figures for calls that rang in `[from, to)`.
    ///
    /// # Errors
    /// Storage errors.
    pub fn report(&mut self, scope: &crate::ReviewScope) -> Result<jiejing_store::Report> {
        self.authorize(Need::Lead)?;
        let (here, now) = (scope.this_seat_only, self.now());
        let scope = self.scope(scope)?;
        if let Some(link) = self.station.as_mut().filter(|_| !here) {
            match link.report(&scope, now) {
                Ok(r) => return Ok(r),
                Err(e) => eprintln!("jiejing: report at the station: {e}; this seat only"),
            }
        }
        let mut r = self.store.report(&scope, now)?;
        r.this_seat_only = self.station.is_some();
        Ok(r)
    }

    /// Adds generated calls (`jiejing demo-data`, which refuses a database
    /// that already holds calls, so demo data never mixes with records).
    ///
    /// # Errors
    /// Storage errors.
    pub fn insert_demo(&mut self, calls: &mut [Call]) -> Result<()> {
        Ok(self.store.insert_calls(calls)?)
    }

    /// The phone rings: a new call, by the F2 hotkey.
    ///
    /// # Errors
    /// [`DeskError::CallActive`] while another call is open.
    pub fn ring(&mut self, source: AnswerSource) -> Result<CallView> {
        self.authorize(Need::Desk)?;
        if let Some(open) = self.active()? {
            return Err(DeskError::CallActive(open.id));
        }
        let call = self.insert_ringing(self.now(), source)?;
        self.view(call)
    }

    /// # Errors
    /// [`DeskError::NoActiveCall`], or the call is not ringing.
    pub fn answer(&mut self, source: AnswerSource) -> Result<CallView> {
        self.update(|c, now| c.answer(now, source))
    }

    /// # Errors
    /// [`DeskError::NoActiveCall`], or the call is still ringing.
    pub fn mark_greeting(&mut self) -> Result<CallView> {
        self.update(|c, now| c.mark_greeting(now))
    }

    /// Sets the caller's number; a number that called within the repeat
    /// window links this call to the earlier one, records the
    /// repeat/urging situation, and logs the urge on the earlier call.
    ///
    /// # Errors
    /// [`DeskError::NoActiveCall`], an invalid number.
    pub fn set_caller_number(&mut self, raw: &str) -> Result<CallView> {
        let mut call = self.require_active()?;
        let actor = self.authorize_call(&call)?;
        call.set_caller_number(raw)?;
        let now = self.now();
        let since =
            call.ring_at - Duration::minutes(i64::from(self.settings.repeat_window_minutes));
        let linked = call.repeat_of.is_some() || self.store.station_repeat(call.id)?.is_some();
        let earlier = if linked {
            None
        } else {
            self.find_earlier(&call, since)?
        };
        match earlier {
            Some(Earlier::Here(mut earlier)) => {
                call.mark_repeat_of(earlier.id, now);
                earlier.log_urge(call.id, now);
                let detail = serde_json::json!({ "byCall": call.id });
                self.persist(&[&call, &earlier], &actor, "urged", detail)?;
            }
            Some(Earlier::Seat(seat, earlier)) => {
                // The earlier call is its seat's to write: the urge goes to
                // the station beside it, through this desk's outbox.
                call.flag_repeat(now);
                self.store
                    .save_station_repeat(&call, &seat, &earlier, now)?;
            }
            None => self.store.save_calls(&[&call])?,
        }
        self.view(call)
    }

    /// The earlier call from the same number: at the station when joined
    /// (any seat), else, or when the station cannot answer, at this desk.
    fn find_earlier(&mut self, call: &Call, since: DateTime<Utc>) -> Result<Option<Earlier>> {
        self.station_missed = None;
        if let Some(link) = self.station.as_mut() {
            match link.latest_from_number(&call.caller_number, since, call.id) {
                Ok(Some((seat, c))) if seat != link.seat() => {
                    return Ok(Some(Earlier::Seat(seat, c)))
                }
                // This seat's own call: the local copy is the freshest.
                Ok(Some((_, c))) => return Ok(self.store.load_call(c.id)?.map(Earlier::Here)),
                Ok(None) => return Ok(None),
                Err(e) => {
                    eprintln!("jiejing: repeat lookup at the station failed ({e}); this seat only");
                    self.station_missed = Some(call.id);
                }
            }
        }
        Ok(self
            .store
            .latest_from_number(&call.caller_number, since, call.id)?
            .map(Earlier::Here))
    }

    /// # Errors
    /// [`DeskError::NoActiveCall`], too long, still ringing.
    pub fn set_element(&mut self, key: ElementKey, value: &str) -> Result<CallView> {
        self.update(|c, now| c.set_element(key, value, now))
    }

    /// # Errors
    /// [`DeskError::NoActiveCall`], `Answered` without a value.
    pub fn set_element_state(&mut self, key: ElementKey, state: ElementState) -> Result<CallView> {
        self.update(|c, now| c.set_element_state(key, state, now))
    }

    /// # Errors
    /// [`DeskError::NoActiveCall`], still ringing.
    pub fn add_situation(&mut self, kind: SituationKind) -> Result<CallView> {
        self.update(|c, now| c.add_situation(kind, now).map(|_| ()))
    }

    /// # Errors
    /// [`DeskError::NoActiveCall`], no complaint recorded.
    pub fn set_misconduct_now(&mut self, on: bool) -> Result<CallView> {
        self.update(|c, now| c.set_misconduct_now(on, now))
    }

    /// # Errors
    /// [`DeskError::NoActiveCall`], no complaint recorded, invalid value.
    pub fn set_complaint_field(&mut self, field: ComplaintField, value: &str) -> Result<CallView> {
        self.update(|c, now| c.set_complaint_field(field, value, now))
    }

    /// Records a referral to a department of the directory (either
    /// language), with the phone the directory gives.
    ///
    /// # Errors
    /// [`DeskError::NotFound`]-style value error for an unknown department.
    pub fn add_referral(&mut self, department: &str) -> Result<CallView> {
        let dept = [Language::ZhCn, Language::En]
            .iter()
            .flat_map(|l| self.files.directory(*l).departments.iter())
            .find(|d| d.name == department)
            .cloned()
            .ok_or_else(|| jiejing_core::CoreError::InvalidValue {
                field: "department".into(),
                reason: format!("{department:?} is not in the referral directory"),
            })?;
        self.update(|c, now| c.add_referral(&dept.name, &dept.phone, now))
    }

    /// The phrases the open call is answered in (Alt+L); the desk's own
    /// language stays as it is.
    ///
    /// # Errors
    /// [`DeskError::NoActiveCall`]; the dialect when the station has no
    /// dialect pack.
    pub fn set_phrase_language(
        &mut self,
        language: jiejing_core::PhraseLanguage,
    ) -> Result<CallView> {
        if self.files.phrases.get(language).is_none() {
            return Err(jiejing_core::CoreError::InvalidValue {
                field: "phraseLanguage".into(),
                reason: "the station has no dialect phrases: a lead fills in phrases/dialect.toml in Settings".into(),
            }
            .into());
        }
        self.update(|c, _| c.set_phrase_language(language))
    }

    /// # Errors
    /// [`DeskError::NoActiveCall`], too long.
    pub fn set_notes(&mut self, notes: &str) -> Result<CallView> {
        self.update(|c, now| c.set_notes(notes, now))
    }

    /// Closes the open call. See [`Call::close`] for the one-time
    /// confirmation when items are missing.
    ///
    /// # Errors
    /// [`DeskError::NoActiveCall`], missing items without confirmation.
    pub fn close(&mut self, disposition: Disposition, confirm_missing: bool) -> Result<CallView> {
        let view = self.update(|c, now| c.close(disposition, confirm_missing, now))?;
        // A desk that runs for days keeps to the period between starts.
        if let Err(e) = self.purge_personal_data(100, std::time::Duration::from_millis(200)) {
            eprintln!("jiejing: personal-data retention: {e}");
        }
        Ok(view)
    }

    pub fn search_referrals(&self, query: &str, language: Language) -> Vec<Department> {
        self.files
            .directory(language)
            .search(query)
            .into_iter()
            .cloned()
            .collect()
    }

    /// # Errors
    /// [`DeskError::NotFound`].
    pub fn call(&mut self, id: CallId) -> Result<CallView> {
        let call = self.store.load_call(id)?.ok_or(DeskError::NotFound(id))?;
        self.authorize_call(&call)?;
        self.view(call)
    }

    /// The CLI's list (the review screen pages with [`Desk::log`]).
    ///
    /// # Errors
    /// [`DeskError::Forbidden`], database errors.
    pub fn list_calls(
        &mut self,
        since: Option<DateTime<Utc>>,
        limit: usize,
    ) -> Result<Vec<CallSummary>> {
        self.authorize(Need::Lead)?;
        Ok(self.store.list_calls(since, limit)?)
    }
}

/// Each field that differs: `{field: [old, new]}`.
fn changed_fields(old: &Settings, new: &Settings) -> serde_json::Map<String, serde_json::Value> {
    let (serde_json::Value::Object(a), serde_json::Value::Object(b)) =
        (serde_json::json!(old), serde_json::json!(new))
    else {
        return serde_json::Map::new();
    };
    b.into_iter()
        .filter(|(k, v)| a.get(k) != Some(v))
        .map(|(k, v)| {
            let was = a.get(&k).cloned().unwrap_or(serde_json::Value::Null);
            (k, serde_json::json!([was, v]))
        })
        .collect()
}
