use std::collections::BTreeMap;
use std::path::Path;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Deserialize;
use toml::Spanned;

use crate::{weekday_kind, DayKind, WorkCalendar};

const BUILTIN: &[(&str, &str)] = &[
    (
        "assets/calendar/2024.toml",
        include_str!("../../../assets/calendar/2024.toml"),
    ),
    (
        "assets/calendar/2025.toml",
        include_str!("../../../assets/calendar/2025.toml"),
    ),
    (
        "assets/calendar/2026.toml",
        include_str!("../../../assets/calendar/2026.toml"),
    ),
];

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CalendarError {
    #[error("{file}:{line}: {reason}")]
    Invalid {
        file: String,
        line: usize,
        reason: String,
    },
    #[error("{file}: cannot read: {reason}")]
    Unreadable { file: String, reason: String },
}

/// One year's official schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct YearCalendar {
    pub year: i32,
    /// The State Council notice the schedule comes from.
    pub notice: String,
    pub holidays: BTreeMap<NaiveDate, String>,
    pub workdays: BTreeMap<NaiveDate, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawYear {
    year: Spanned<i32>,
    notice: Spanned<String>,
    #[serde(default)]
    holiday: Vec<RawHoliday>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHoliday {
    name: Spanned<String>,
    dates: Vec<Spanned<String>>,
    #[serde(default)]
    workdays: Vec<Spanned<String>>,
}

impl YearCalendar {
    /// Parses and validates one year's file: every date well-formed and in
    /// the file's year, no date twice, none both holiday and workday,
    /// make-up workdays on weekends, a notice named.
    ///
    /// # Errors
    /// [`CalendarError::Invalid`] with the file and line.
    pub fn parse(file: &str, text: &str) -> Result<YearCalendar, CalendarError> {
        let line = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
        let err = |offset: usize, reason: String| CalendarError::Invalid {
            file: file.into(),
            line: line(offset),
            reason,
        };
        let raw: RawYear = toml::from_str(text)
            .map_err(|e| err(e.span().map_or(0, |s| s.start), e.message().trim().into()))?;
        let year = *raw.year.get_ref();
        if !(2000..=2100).contains(&year) {
            return Err(err(
                raw.year.span().start,
                format!("year {year} is out of range"),
            ));
        }
        if raw.notice.get_ref().trim().is_empty() {
            return Err(err(
                raw.notice.span().start,
                "notice: name the State Council notice".into(),
            ));
        }
        if raw.holiday.is_empty() {
            return Err(err(0, "no [[holiday]] entries".into()));
        }
        let mut cal = YearCalendar {
            year,
            notice: raw.notice.get_ref().trim().into(),
            holidays: BTreeMap::new(),
            workdays: BTreeMap::new(),
        };
        for h in &raw.holiday {
            let name = h.name.get_ref().trim().to_string();
            if name.is_empty() {
                return Err(err(
                    h.name.span().start,
                    "holiday name must not be empty".into(),
                ));
            }
            if h.dates.is_empty() {
                return Err(err(h.name.span().start, format!("{name}: no dates")));
            }
            let parse = |d: &Spanned<String>| -> Result<NaiveDate, CalendarError> {
                let date = NaiveDate::parse_from_str(d.get_ref(), "%Y-%m-%d").map_err(|_| {
                    err(
                        d.span().start,
                        format!("{:?} is not a date (YYYY-MM-DD)", d.get_ref()),
                    )
                })?;
                if date.year() != year {
                    return Err(err(d.span().start, format!("{date} is not in {year}")));
                }
                Ok(date)
            };
            for d in &h.dates {
                let date = parse(d)?;
                if cal.holidays.contains_key(&date) || cal.workdays.contains_key(&date) {
                    return Err(err(d.span().start, format!("{date} is listed twice")));
                }
                cal.holidays.insert(date, name.clone());
            }
            for d in &h.workdays {
                let date = parse(d)?;
                if cal.holidays.contains_key(&date) {
                    return Err(err(
                        d.span().start,
                        format!("{date} is both a holiday and a workday"),
                    ));
                }
                if cal.workdays.contains_key(&date) {
                    return Err(err(d.span().start, format!("{date} is listed twice")));
                }
                if !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
                    return Err(err(
                        d.span().start,
                        format!("{date} is a weekday: make-up workdays fall on weekends"),
                    ));
                }
                cal.workdays.insert(date, format!("{name}调休"));
            }
        }
        Ok(cal)
    }
}

/// The loaded years; the years shipped with the app, plus the station's.
#[derive(Debug, Clone, Default)]
pub struct OfficialCalendar {
    years: BTreeMap<i32, YearCalendar>,
}

impl OfficialCalendar {
    pub fn builtin() -> OfficialCalendar {
        let mut cal = OfficialCalendar::default();
        for (file, text) in BUILTIN {
            // A test parses every built-in file.
            cal.insert(YearCalendar::parse(file, text).expect("built-in calendar is valid"));
        }
        cal
    }

    /// The built-in years plus every `YYYY.toml` in `dir` (a station's
    /// file replaces the built-in year). Files that fail validation are
    /// skipped and returned as errors so the app can say which and why.
    pub fn load(dir: &Path) -> (OfficialCalendar, Vec<CalendarError>) {
        let mut cal = OfficialCalendar::builtin();
        let mut errors = Vec::new();
        let Ok(entries) = std::fs::read_dir(dir) else {
            return (cal, errors);
        };
        let mut paths: Vec<_> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        for path in paths {
            match read_year(&path) {
                Ok(y) => cal.insert(y),
                Err(e) => errors.push(e),
            }
        }
        (cal, errors)
    }

    pub fn insert(&mut self, year: YearCalendar) {
        self.years.insert(year.year, year);
    }

    pub fn year(&self, year: i32) -> Option<&YearCalendar> {
        self.years.get(&year)
    }

    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.keys().copied()
    }
}

/// Reads and validates one year's file from disk.
///
/// # Errors
/// [`CalendarError::Unreadable`] or [`CalendarError::Invalid`].
pub fn read_year(path: &Path) -> Result<YearCalendar, CalendarError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| CalendarError::Unreadable {
        file: file.clone(),
        reason: e.to_string(),
    })?;
    let text = String::from_utf8(bytes).map_err(|_| CalendarError::Unreadable {
        file: file.clone(),
        reason: "not UTF-8 text".into(),
    })?;
    YearCalendar::parse(&file, &text)
}

impl WorkCalendar for OfficialCalendar {
    fn has_year(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    fn day_kind(&self, date: NaiveDate) -> DayKind {
        let Some(y) = self.years.get(&date.year()) else {
            return weekday_kind(date);
        };
        if let Some(name) = y.holidays.get(&date) {
            return DayKind::Holiday(name.clone());
        }
        if let Some(name) = y.workdays.get(&date) {
            return DayKind::MakeUpWorkday(name.clone());
        }
        weekday_kind(date)
    }
}
