//! The desk's seam to its station (issue #12). A one-seat desk has none;
//! a joined desk is given one (`jiejing_station::DeskLink`, over
//! PostgreSQL) by the app or the CLI. Writes never go through here: they
//! are committed locally and queued (the store's outbox). This is only for
//! reads across seats, and every read has a local answer to fall back on
//! when the station cannot be asked, said as "this seat only". The server
//! answers another seat's calls only to a lead's session (sign-in goes
//! through it); the follow-ups and the repeat lookup to every seat.

use chrono::{DateTime, Utc};
use jiejing_core::{Call, CallId, FollowUp, FollowUpId, SpeechSegment, User};
use jiejing_store::{AuditEntry, LogCursor, LogFilter, LogRow, Report, Review, Scope};

/// Reads across every seat of the station.
pub trait StationLink: Send {
    /// This desk's seat name at the station.
    fn seat(&self) -> &str;

    /// The newest call from `number` that rang at or after `since`, at any
    /// seat, other than this seat's call `id`: `(seat, call)`.
    ///
    /// # Errors
    /// Why the station cannot answer now (offline, refused); the desk then
    /// looks at its own calls.
    fn latest_from_number(
        &mut self,
        number: &str,
        since: DateTime<Utc>,
        id: CallId,
    ) -> Result<Option<(String, Call)>, String>;

    /// Every seat's complaint follow-ups, earliest due first, with the
    /// replies any seat recorded: `(seat, follow-up)`.
    ///
    /// # Errors
    /// Why the station cannot answer now; the desk then shows its own.
    fn followups(&mut self, open_only: bool) -> Result<Vec<(String, FollowUp)>, String>;

    /// `seat`'s call `id` as the station holds it, with the corrections
    /// other seats made that its seat has not yet taken in.
    ///
    /// # Errors
    /// Why the station cannot answer now.
    fn call(&mut self, seat: &str, id: CallId) -> Result<Option<Call>, String>;

    /// One follow-up of `seat`, as every seat sees it.
    ///
    /// # Errors
    /// Why the station cannot answer now.
    fn followup(&mut self, seat: &str, id: FollowUpId) -> Result<Option<FollowUp>, String>;

    /// The lead's figures over every seat's calls in `scope`.
    ///
    /// # Errors
    /// Why the station cannot answer now; the desk then reports its own.
    fn report(&mut self, scope: &Scope<'_>, now: DateTime<Utc>) -> Result<Report, String>;

    /// One page of every seat's log, newest first, after `after`.
    ///
    /// # Errors
    /// Why the station cannot answer now; the desk then pages its own.
    fn log(
        &mut self,
        scope: &Scope<'_>,
        filter: &LogFilter,
        after: Option<&LogCursor>,
        limit: u32,
        now: DateTime<Utc>,
    ) -> Result<Vec<LogRow>, String>;

    /// `seat`'s audit entries about its call `id`, oldest first.
    ///
    /// # Errors
    /// Why the station cannot answer now.
    fn audit_of_call(&mut self, seat: &str, id: CallId) -> Result<Vec<AuditEntry>, String>;

    /// `seat`'s call `id`'s transcript, as its seat heard it.
    ///
    /// # Errors
    /// Why the station cannot answer now.
    fn speech(&mut self, seat: &str, id: CallId) -> Result<Vec<SpeechSegment>, String>;

    /// `seat`'s call `id`'s recording, as its seat shipped it.
    ///
    /// # Errors
    /// Why the station cannot answer now.
    fn recording(&mut self, seat: &str, id: CallId) -> Result<Option<SeatRecording>, String>;

    /// The newest QA review of `seat`'s call `id`, from any seat.
    ///
    /// # Errors
    /// Why the station cannot answer now.
    fn review(&mut self, seat: &str, id: CallId) -> Result<Option<Review>, String>;

    /// Draws `pct` % of every seat's closed, answered calls in `scope` that
    /// are neither reviewed nor drawn into the station's sample, as this
    /// seat's lead `actor`: (drawn, eligible).
    ///
    /// # Errors
    /// Why the station cannot answer now; the desk then draws its own.
    fn draw_sample(
        &mut self,
        scope: &Scope<'_>,
        pct: f64,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<(u64, u64), String>;

    /// Conflicts recorded at the station, newest first.
    ///
    /// # Errors
    /// Why the station cannot answer now.
    fn conflicts(&mut self) -> Result<Vec<Conflict>, String>;

    /// Signs `id` in with `pin` at the station, which checks the PIN
    /// itself and lets this seat read across seats while an active lead is
    /// signed in here (until [`StationLink::sign_out`] or another sign-in).
    /// `None`: the station does not know the account.
    ///
    /// # Errors
    /// Why the station cannot answer now; the desk then uses its copy.
    fn sign_in(&mut self, id: &str, pin: &str) -> Result<Option<StationSignIn>, String>;

    /// Ends the lead's session at the station (nothing to do otherwise).
    fn sign_out(&mut self);

    /// Every account of the station.
    ///
    /// # Errors
    /// Why the station cannot answer now.
    fn accounts(&mut self) -> Result<Vec<User>, String>;
}

/// Another seat's recording as the station holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct SeatRecording {
    pub started_at: DateTime<Utc>,
    pub seconds: f64,
    /// The FLAC file; `None` once retention deleted it at its seat (or its
    /// file was gone when it was shipped).
    pub flac: Option<Vec<u8>>,
    pub purged_at: Option<DateTime<Utc>>,
}

/// An account as the station answered a sign-in.
#[derive(Debug, Clone, PartialEq)]
pub struct StationSignIn {
    pub user: User,
    pub changed_at: DateTime<Utc>,
    /// The PIN's hash, which the station matched; `None`: a wrong PIN.
    pub pin_hash: Option<String>,
}

/// Two seats' edits of one record that crossed (neither saw the other's),
/// both kept at the station and told to the lead.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Conflict {
    /// The record's seat.
    pub seat: String,
    /// `reply_crossed`, `closed_twice` (a follow-up), `correction_crossed`,
    /// `reviewed_twice` (a call), `account_crossed`, `account_refused` (an
    /// account change a seat's login made without a lead's PIN proof).
    pub kind: String,
    /// The record's id at its seat (0 for an account).
    pub id: i64,
    /// The seat whose edit landed second.
    pub from_seat: String,
    pub detail: String,
    pub at: DateTime<Utc>,
}

/// The station link as the header shows it.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct StationStatus {
    /// False on a one-seat desk: the header shows nothing.
    pub joined: bool,
    pub seat: String,
    /// Without its password.
    pub url: String,
    pub online: bool,
    /// Changes not yet at the station.
    pub backlog: u64,
    pub last_sync_at: Option<DateTime<Utc>>,
    pub offline_since: Option<DateTime<Utc>>,
    /// Why it is offline.
    pub error: String,
}
