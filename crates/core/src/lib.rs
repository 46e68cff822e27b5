//! The 110 call record and the rules of the norm, with no I/O.
//!
//! - [`Call`] is one call from ringing to close: lifecycle timestamps, the
//!   greeting, the eight checklist [`ElementKey`]s, caller [`SituationKind`]s,
//!   the complaint form and the [`Disposition`].
//! - [`PhrasePack`] and [`Directory`] are the station-editable data files
//!   (phrases of the norm, referral directory), validated with file/line/key
//!   errors.
//! - [`Settings`] are the station's settings; [`Clock`] is the time seam.
//! - [`User`] and [`Role`] are who is at the desk; [`qa`] scores a
//!   reviewed call.
//! - [`CoreError`] and [`ErrorCode`] are what every failure turns into.

mod account;
mod call;
mod clock;
mod error;
mod followup;
mod gazetteer;
mod phrases;
pub mod qa;
mod referrals;
mod settings;
pub mod speech;
pub mod text;

pub use account::{validate_pin, validate_user, Role, User};
pub use call::{
    AnswerSource, Call, CallId, CallState, Complaint, ComplaintField, Disposition, Element,
    ElementKey, ElementState, PhraseLanguage, Referral, RingMark, RingTiming, SituationEntry,
    SituationKind, Urge, MAX_RINGS,
};
pub use clock::{Clock, FixedClock, OffsetClock, SystemClock};
pub use error::{CoreError, ErrorCode};
pub use followup::{FollowUp, FollowUpId, FollowUpLog, Reply, ReplyMethod};
pub use gazetteer::{Gazetteer, Place, PlaceKind};
pub use phrases::{ElementPhrases, Greeting, PhrasePack, SituationPhrases};
pub use referrals::{Department, Directory};
pub use settings::{Language, Settings, Shift};
pub use speech::{Offer, Speaker, SpeechSegment, Suggestions};

/// Where a data file came from, so the UI can say whether the station's own
/// file is in use or the built-in one replaced a broken station file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SourceNote {
    /// The data file, as named in `assets/` (`phrases/zh-CN.toml`).
    pub name: String,
    /// `builtin` or the station file's path.
    pub source: String,
    /// Set when a station file exists but could not be used.
    pub warning: Option<String>,
}
