//! Tauri commands: each is a line or two over [`jiejing_desk::Desk`].
//!
//! Commands are `async` so SQLite's fsync runs on a worker thread, not the
//! thread that paints the window.

use std::sync::{Arc, Mutex, MutexGuard};

use jiejing_core::qa::QaMark;
use jiejing_core::{
    AnswerSource, ComplaintField, Department, Disposition, ElementKey, ElementState, Language,
    PhraseLanguage, Settings, SituationKind,
};
use jiejing_core::{FollowUpId, Reply};
use jiejing_core::{Role, User};
use jiejing_desk::{
    CallDetail, CallView, Conflict, Desk, DeskState, ExportFormat, ExportKind, Exported,
    FollowUpQueue, FollowUpView, LogCursor, LogFilter, LogPage, QueueSummary, RecordingView,
    Report, ReviewScope, SessionView, StationStatus,
};
use jiejing_station::Worker;
use tauri::State;

use crate::error::AppError;
use jiejing_live::{AudioDevice, AudioStatus, Listening};

pub(crate) type Result<T> = std::result::Result<T, AppError>;
pub(crate) type DeskState_<'a> = State<'a, Arc<Mutex<Desk>>>;
type AudioState<'a> = State<'a, Listening>;

pub(crate) fn lock<'a>(desk: &'a DeskState_<'_>) -> Result<MutexGuard<'a, Desk>> {
    desk.lock().map_err(|_| {
        AppError::internal("the desk was interrupted by an earlier error; restart the app")
    })
}

#[tauri::command]
#[specta::specta]
pub async fn get_state(desk: DeskState_<'_>) -> Result<DeskState> {
    Ok(lock(&desk)?.state()?)
}

/// F2: the phone is ringing, by hand (the ring listener opens calls
/// through `Desk::ring_heard`).
#[tauri::command]
#[specta::specta]
pub async fn ring_call(desk: DeskState_<'_>) -> Result<CallView> {
    Ok(lock(&desk)?.ring(AnswerSource::Manual)?)
}

#[tauri::command]
#[specta::specta]
pub async fn answer_call(desk: DeskState_<'_>) -> Result<CallView> {
    Ok(lock(&desk)?.answer(AnswerSource::Manual)?)
}

#[tauri::command]
#[specta::specta]
pub async fn mark_greeting(desk: DeskState_<'_>) -> Result<CallView> {
    Ok(lock(&desk)?.mark_greeting()?)
}

#[tauri::command]
#[specta::specta]
pub async fn set_caller_number(desk: DeskState_<'_>, number: String) -> Result<CallView> {
    Ok(lock(&desk)?.set_caller_number(&number)?)
}

#[tauri::command]
#[specta::specta]
pub async fn set_element(desk: DeskState_<'_>, key: ElementKey, value: String) -> Result<CallView> {
    Ok(lock(&desk)?.set_element(key, &value)?)
}

/// Accepts a value suggested from speech into an item (appended to what
/// was typed).
#[tauri::command]
#[specta::specta]
pub async fn accept_offer(
    desk: DeskState_<'_>,
    key: ElementKey,
    value: String,
) -> Result<CallView> {
    Ok(lock(&desk)?.accept_offer(key, &value)?)
}

#[tauri::command]
#[specta::specta]
pub async fn set_element_state(
    desk: DeskState_<'_>,
    key: ElementKey,
    state: ElementState,
) -> Result<CallView> {
    Ok(lock(&desk)?.set_element_state(key, state)?)
}

#[tauri::command]
#[specta::specta]
pub async fn add_situation(desk: DeskState_<'_>, kind: SituationKind) -> Result<CallView> {
    Ok(lock(&desk)?.add_situation(kind)?)
}

#[tauri::command]
#[specta::specta]
pub async fn set_complaint_field(
    desk: DeskState_<'_>,
    field: ComplaintField,
    value: String,
) -> Result<CallView> {
    Ok(lock(&desk)?.set_complaint_field(field, &value)?)
}

#[tauri::command]
#[specta::specta]
pub async fn search_referrals(
    desk: DeskState_<'_>,
    query: String,
    language: Language,
) -> Result<Vec<Department>> {
    Ok(lock(&desk)?.search_referrals(&query, language))
}

#[tauri::command]
#[specta::specta]
pub async fn add_referral(desk: DeskState_<'_>, department: String) -> Result<CallView> {
    Ok(lock(&desk)?.add_referral(&department)?)
}

/// Alt+L: the open call's phrase language.
#[tauri::command]
#[specta::specta]
pub async fn set_phrase_language(
    desk: DeskState_<'_>,
    language: PhraseLanguage,
) -> Result<CallView> {
    Ok(lock(&desk)?.set_phrase_language(language)?)
}

#[tauri::command]
#[specta::specta]
pub async fn set_notes(desk: DeskState_<'_>, notes: String) -> Result<CallView> {
    Ok(lock(&desk)?.set_notes(&notes)?)
}

#[tauri::command]
#[specta::specta]
pub async fn close_call(
    desk: DeskState_<'_>,
    disposition: Disposition,
    confirm_missing: bool,
) -> Result<CallView> {
    Ok(lock(&desk)?.close(disposition, confirm_missing)?)
}

#[tauri::command]
#[specta::specta]
pub async fn save_settings(
    desk: DeskState_<'_>,
    audio: AudioState<'_>,
    settings: Settings,
) -> Result<DeskState> {
    Ok(audio.save_settings(&mut *lock(&desk)?, &settings)?)
}

#[tauri::command]
#[specta::specta]
pub async fn set_misconduct_now(desk: DeskState_<'_>, on: bool) -> Result<CallView> {
    Ok(lock(&desk)?.set_misconduct_now(on)?)
}

/// The complaint follow-up queue, earliest due first.
#[tauri::command]
#[specta::specta]
pub async fn list_followups(desk: DeskState_<'_>, open_only: bool) -> Result<FollowUpQueue> {
    Ok(lock(&desk)?.followups(open_only)?)
}

/// The queue's counts, for the banner's once-a-minute refresh.
#[tauri::command]
#[specta::specta]
pub async fn queue_summary(desk: DeskState_<'_>) -> Result<QueueSummary> {
    Ok(lock(&desk)?.queue_summary()?)
}

/// A reply to `seat`'s follow-up `id` ("" for this desk's own), written
/// having seen `seen` replies.
#[tauri::command]
#[specta::specta]
pub async fn add_reply(
    desk: DeskState_<'_>,
    seat: String,
    id: FollowUpId,
    seen: u32,
    reply: Reply,
) -> Result<FollowUpView> {
    Ok(lock(&desk)?.add_reply(&seat, id, Some(seen), &reply)?)
}

/// Imports next year's official calendar from a file path typed in Settings.
#[tauri::command]
#[specta::specta]
pub async fn import_calendar(desk: DeskState_<'_>, path: String) -> Result<DeskState> {
    Ok(lock(&desk)?.import_calendar_file(&path)?)
}

/// Listening state and the live ring counter (polled by the screen).
#[tauri::command]
#[specta::specta]
pub async fn audio_status(audio: AudioState<'_>) -> Result<AudioStatus> {
    Ok(audio.status())
}

/// The station link for the header (a one-seat desk: `joined` false).
#[tauri::command]
#[specta::specta]
pub async fn station_status(worker: State<'_, Worker>) -> Result<StationStatus> {
    Ok(worker.status())
}

/// Input devices for the settings screen.
#[tauri::command]
#[specta::specta]
pub async fn list_audio_devices() -> Result<Vec<AudioDevice>> {
    Ok(Listening::devices())
}

/// Settings → "learn this phone's ring": start recording.
#[tauri::command]
#[specta::specta]
pub async fn learn_ring_start(audio: AudioState<'_>) -> Result<()> {
    Ok(audio.record_start()?)
}

/// …and learn from what was recorded; returns the ring in words.
#[tauri::command]
#[specta::specta]
pub async fn learn_ring_finish(audio: AudioState<'_>) -> Result<String> {
    Ok(audio.record_finish()?)
}

#[tauri::command]
#[specta::specta]
pub async fn forget_ring(audio: AudioState<'_>) -> Result<()> {
    Ok(audio.forget()?)
}

/// One call by id (the last call, after the ring listener closed it as missed).
#[tauri::command]
#[specta::specta]
pub async fn get_call(desk: DeskState_<'_>, id: i64) -> Result<CallView> {
    Ok(lock(&desk)?.call(id)?)
}

// ---------------------------------------------------------------- accounts

#[tauri::command]
#[specta::specta]
pub async fn session(desk: DeskState_<'_>) -> Result<SessionView> {
    Ok(lock(&desk)?.session()?)
}

/// Sign in at the start of a shift, to unlock, or to change user.
#[tauri::command]
#[specta::specta]
pub async fn sign_in(desk: DeskState_<'_>, id: String, pin: String) -> Result<SessionView> {
    Ok(lock(&desk)?.sign_in(&id, &pin)?)
}

#[tauri::command]
#[specta::specta]
pub async fn sign_out(desk: DeskState_<'_>) -> Result<SessionView> {
    Ok(lock(&desk)?.sign_out()?)
}

/// The screen's idle timer ran out, or the call-taker stepped away.
#[tauri::command]
#[specta::specta]
pub async fn lock_desk(desk: DeskState_<'_>) -> Result<SessionView> {
    Ok(lock(&desk)?.lock()?)
}

/// Adds an account (the first one, a lead, from the welcome screen).
#[tauri::command]
#[specta::specta]
pub async fn add_user(
    desk: DeskState_<'_>,
    id: String,
    name: String,
    role: Role,
    pin: String,
) -> Result<User> {
    Ok(lock(&desk)?.add_user(&id, &name, role, &pin)?)
}

/// A lead changes an account; `pin` set resets its PIN.
#[tauri::command]
#[specta::specta]
pub async fn update_user(
    desk: DeskState_<'_>,
    id: String,
    role: Role,
    active: bool,
    pin: Option<String>,
) -> Result<User> {
    Ok(lock(&desk)?.update_user(&id, role, active, pin.as_deref())?)
}

#[tauri::command]
#[specta::specta]
pub async fn list_users(desk: DeskState_<'_>) -> Result<Vec<User>> {
    Ok(lock(&desk)?.users()?)
}

// ------------------------------------------------------------------ review

/// One page of the call log, newest first.
#[tauri::command]
#[specta::specta]
pub async fn review_log(
    desk: DeskState_<'_>,
    scope: ReviewScope,
    filter: LogFilter,
    after: Option<LogCursor>,
    limit: u32,
) -> Result<LogPage> {
    Ok(lock(&desk)?.log(&scope, &filter, after.as_ref(), limit)?)
}

#[tauri::command]
#[specta::specta]
/// Call `id` of `seat` ("" for this desk's own).
pub async fn call_detail(desk: DeskState_<'_>, seat: String, id: i64) -> Result<CallDetail> {
    Ok(lock(&desk)?.call_detail(&seat, id)?)
}

/// Call `id`'s recording for the lead's player at `speed` (1, 1.5, 2),
/// audited as heard. The desk's lock is held while the file is read: a
/// few tens of ms for a call of minutes, which the listening thread can
/// wait.
#[tauri::command]
#[specta::specta]
pub async fn call_recording(
    desk: DeskState_<'_>,
    seat: String,
    id: i64,
    speed: f64,
) -> Result<RecordingView> {
    Ok(lock(&desk)?.recording_view(&seat, id, speed)?)
}

/// Draws `pct` % of the scope's unreviewed calls into the review queue.
#[tauri::command]
#[specta::specta]
pub async fn draw_sample(desk: DeskState_<'_>, scope: ReviewScope, pct: f64) -> Result<u32> {
    Ok(lock(&desk)?.draw_sample(&scope, pct)? as u32)
}

#[tauri::command]
#[specta::specta]
/// Scores call `id` of `seat` ("" for this desk's own).
pub async fn save_review(
    desk: DeskState_<'_>,
    seat: String,
    id: i64,
    marks: Vec<QaMark>,
    notes: String,
) -> Result<CallDetail> {
    Ok(lock(&desk)?.save_review(&seat, id, &marks, &notes)?)
}

/// A lead corrects an item (`key` null: the notes) of a closed call of
/// `seat` ("" for this desk's own), having seen `seen` in it.
#[tauri::command]
#[specta::specta]
pub async fn amend_call(
    desk: DeskState_<'_>,
    seat: String,
    id: i64,
    key: Option<ElementKey>,
    value: String,
    seen: String,
) -> Result<CallDetail> {
    Ok(lock(&desk)?.amend_at_seat(&seat, id, key, &value, Some(&seen))?)
}

#[tauri::command]
#[specta::specta]
pub async fn dashboard(desk: DeskState_<'_>, scope: ReviewScope) -> Result<Report> {
    Ok(lock(&desk)?.report(&scope)?)
}

/// Crossed edits the station recorded, newest first (the lead's list).
#[tauri::command]
#[specta::specta]
pub async fn station_conflicts(desk: DeskState_<'_>) -> Result<Vec<Conflict>> {
    Ok(lock(&desk)?.conflicts()?)
}

/// Writes the filtered log or the dashboard into `<data>/exports/`.
#[tauri::command]
#[specta::specta]
pub async fn export_records(
    desk: DeskState_<'_>,
    kind: ExportKind,
    format: ExportFormat,
    scope: ReviewScope,
    filter: LogFilter,
) -> Result<Exported> {
    Ok(lock(&desk)?.export_to_folder(kind, format, &scope, &filter)?)
}
