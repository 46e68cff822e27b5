//! China's official working-day calendar and the due rule for complaint
//! replies ("我们一定会在三个工作日内给你一个答复", norm clause 7).
//!
//! - [`YearCalendar`] is one year's State Council schedule, parsed and
//!   validated from a TOML file (`assets/calendar/YYYY.toml`), with errors
//!   that name the file and line ([`CalendarError`]).
//! - [`WorkCalendar`] is the seam: [`OfficialCalendar`] holds the loaded
//!   years; a year without data falls back to weekends only.
//! - [`due`] applies the rule: counting starts the day after receipt (PRC
//!   Civil Code art. 201) and the reply is due at the end of the N-th
//!   working day, in the station's time zone.

mod due;
mod year;

pub use due::{due, working_days_between, Due, DueRule};
pub use year::{read_year, CalendarError, OfficialCalendar, YearCalendar};

use chrono::{Datelike, NaiveDate, Weekday};

/// What kind of day a date is, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayKind {
    /// Monday to Friday, no holiday.
    Workday,
    /// Saturday or Sunday, no make-up work.
    Weekend,
    /// An official public holiday (named, e.g. 国庆节).
    Holiday(String),
    /// A weekend day worked to make up for a holiday (调休).
    MakeUpWorkday(String),
}

impl DayKind {
    pub fn is_working(&self) -> bool {
        matches!(self, DayKind::Workday | DayKind::MakeUpWorkday(_))
    }
}

/// The calendar seam: tests and the CLI use the same trait as the app.
pub trait WorkCalendar {
    /// Whether the official schedule for `year` is loaded.
    fn has_year(&self, year: i32) -> bool;
    /// The kind of a day; for a year with no data, by weekday alone.
    fn day_kind(&self, date: NaiveDate) -> DayKind;
}

pub(crate) fn weekday_kind(date: NaiveDate) -> DayKind {
    match date.weekday() {
        Weekday::Sat | Weekday::Sun => DayKind::Weekend,
        _ => DayKind::Workday,
    }
}
