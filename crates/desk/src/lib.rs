//! The call desk: one station desk's calls, settings and data files.
//!
//! [`Desk`] is what the app's commands and the CLI call. Each operation loads
//! nothing it does not need, applies a rule from `jiejing-core` with the
//! [`jiejing_core::Clock`]'s time, and writes the whole call before it
//! returns, so a crash never loses an acknowledged change. [`CallView`] is a
//! call with what the screen derives from it; [`DeskError`] carries an
//! [`jiejing_core::ErrorCode`] for the UI.

mod anchors;
mod data_edit;
mod data_files;
pub mod demo;
mod desk;
mod error;
mod export;
mod followups;
mod form;
pub mod paths;
mod recordings;
mod review;
mod seat_calls;
mod session;
mod speech;
mod station;
mod subject;

pub use data_edit::DataFileText;
pub use data_files::{DataFileName, DataFiles, PhrasePacks};
pub use desk::{CallView, Desk, DeskState, RecordingNote};
pub use error::DeskError;
pub use followups::{FollowUpQueue, FollowUpStatus, FollowUpView, QueueSummary};
pub use form::MAX_FORMS;
pub use recordings::{LeftRecording, Purged, RecordingView, Unrecorded};
pub use review::{
    CallDetail, ExportFormat, ExportKind, Exported, LogPage, ReviewScope, TimelineEvent,
};
// The store's view types, so callers of the desk need no store of their own.
pub use jiejing_store::{AuditCheck, CallSummary, LogCursor, LogFilter, LogRow, Report, Review};
pub use session::{Need, SessionView};
pub use station::{Conflict, SeatRecording, StationLink, StationSignIn, StationStatus};
pub use subject::{SubjectCall, SubjectRecord};
