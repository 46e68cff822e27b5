//! SQLite persistence for Jiejing.
//!
//! [`Store`] opens one SQLCipher-encrypted database file (see [`DbKey`])
//! through append-only migrations
//! (`src/migrations/NNNN_*.sql`, never edited once shipped), sets WAL,
//! `foreign_keys` and `synchronous = FULL` on every connection, and saves a
//! whole [`jiejing_core::Call`] in one transaction, so what the call-taker
//! typed is on disk before the UI shows it as saved. [`CallSummary`] is the
//! row of a call list.

mod accounts;
mod audit;
mod codec;
mod error;
mod followups;
mod key;
mod log;
mod outbox;
mod recordings;
mod report;
mod report_build;
mod retention;
mod reviews;
mod search;
mod speech;
mod station_corrections;
mod station_replies;
mod station_reviews;
mod store;

pub use accounts::Account;
pub use audit::{parse_anchor, AuditCheck, AuditEntry, AuditRow};
pub use error::StoreError;
pub use key::{is_plaintext, DbKey};
pub use log::{failures, LogCursor, LogFilter, LogRow, Scope};
pub use outbox::{Batch, Outgoing, StationLink};
pub use recordings::RecordingRow;
pub use report::{DayFigures, Figures, FollowUpFigures, Report, ReportRow, TakerFigures};
pub use report_build::{build as build_report, ReportGroup};
pub use retention::REMOVED;
pub use reviews::{Review, ReviewInput};
/// A raw connection, as [`Store::connect`] gives it.
pub use rusqlite::Connection;
pub use station_corrections::{field_key, seat_of, Correction};
pub use station_replies::{PulledReply, SentReply};
pub use station_reviews::SeatReview;
pub use store::{migrations, AuditNote, CallSummary, Store};
