//! Tauri commands: each is a line or two over [`jiejing_desk::Desk`].
//!
//! Commands are `async` so SQLite's fsync runs on a worker thread, not the
//! thread that paints the window.

use std::sync::{Mutex, MutexGuard};

use jiejing_core::{
    AnswerSource, ComplaintField, Department, Disposition, ElementKey, ElementState, Language,
    Settings, SituationKind,
};
use jiejing_core::{FollowUpId, Reply};
use jiejing_desk::{CallView, Desk, DeskState, FollowUpView, QueueSummary};
use tauri::State;

use crate::error::AppError;
use crate::listen::{Audio, AudioDevice, AudioStatus};

type Result<T> = std::result::Result<T, AppError>;
type DeskState_<'a> = State<'a, Mutex<Desk>>;
type AudioState<'a> = State<'a, Audio>;

fn lock<'a>(desk: &'a DeskState_<'_>) -> Result<MutexGuard<'a, Desk>> {
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
    let mut desk = lock(&desk)?;
    let before = (desk.settings().listen, desk.settings().audio_device.clone());
    let saved = desk.save_settings(&settings)?;
    if before != (saved.listen, saved.audio_device.clone()) {
        audio.restart(saved.listen, &saved.audio_device);
    }
    Ok(desk.state()?)
}

#[tauri::command]
#[specta::specta]
pub async fn set_misconduct_now(desk: DeskState_<'_>, on: bool) -> Result<CallView> {
    Ok(lock(&desk)?.set_misconduct_now(on)?)
}

/// The complaint follow-up queue, earliest due first.
#[tauri::command]
#[specta::specta]
pub async fn list_followups(desk: DeskState_<'_>, open_only: bool) -> Result<Vec<FollowUpView>> {
    Ok(lock(&desk)?.followups(open_only)?)
}

/// The queue's counts, for the banner's once-a-minute refresh.
#[tauri::command]
#[specta::specta]
pub async fn queue_summary(desk: DeskState_<'_>) -> Result<QueueSummary> {
    Ok(lock(&desk)?.queue_summary()?)
}

#[tauri::command]
#[specta::specta]
pub async fn add_reply(desk: DeskState_<'_>, id: FollowUpId, reply: Reply) -> Result<FollowUpView> {
    Ok(lock(&desk)?.add_reply(id, &reply)?)
}

/// Imports next year's official calendar from a file path typed in Settings.
#[tauri::command]
#[specta::specta]
pub async fn import_calendar(desk: DeskState_<'_>, path: String) -> Result<DeskState> {
    let mut desk = lock(&desk)?;
    desk.import_calendar(std::path::Path::new(&path))?;
    Ok(desk.state()?)
}

/// Listening state and the live ring counter (polled by the screen).
#[tauri::command]
#[specta::specta]
pub async fn audio_status(audio: AudioState<'_>) -> Result<AudioStatus> {
    Ok(audio.status())
}

/// Input devices for the settings screen.
#[tauri::command]
#[specta::specta]
pub async fn list_audio_devices() -> Result<Vec<AudioDevice>> {
    Ok(Audio::devices())
}

/// Settings → "learn this phone's ring": start recording.
#[tauri::command]
#[specta::specta]
pub async fn learn_ring_start(audio: AudioState<'_>) -> Result<()> {
    audio.record_start()
}

/// …and learn from what was recorded; returns the ring in words.
#[tauri::command]
#[specta::specta]
pub async fn learn_ring_finish(audio: AudioState<'_>) -> Result<String> {
    audio.record_finish()
}

#[tauri::command]
#[specta::specta]
pub async fn forget_ring(audio: AudioState<'_>) -> Result<()> {
    audio.forget()
}

/// One call by id (the last call, after the ring listener closed it as missed).
#[tauri::command]
#[specta::specta]
pub async fn get_call(desk: DeskState_<'_>, id: i64) -> Result<CallView> {
    Ok(lock(&desk)?.call(id)?)
}
