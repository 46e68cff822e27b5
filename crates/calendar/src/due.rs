use std::collections::BTreeSet;
use std::num::NonZeroU32;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::WorkCalendar;

/// The station's due rule: N working days (default 3), the end of the due
/// day (default 23:59:59), and the time zone whose calendar day counts
/// (default Asia/Shanghai, whatever zone the PC is set to).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DueRule {
    pub working_days: NonZeroU32,
    pub end_of_day: NaiveTime,
    pub tz: Tz,
}

impl Default for DueRule {
    fn default() -> Self {
        DueRule {
            working_days: NonZeroU32::new(3).expect("3 is not zero"),
            end_of_day: NaiveTime::from_hms_opt(23, 59, 59).expect("valid time"),
            tz: chrono_tz::Asia::Shanghai,
        }
    }
}

/// When a reply is due, and how that was worked out.
#[derive(Debug, Clone, PartialEq)]
pub struct Due {
    pub due_date: NaiveDate,
    pub due_at: DateTime<Tz>,
    /// Some day counted fell in a year whose official schedule is not
    /// loaded: the date assumes weekends only and may move.
    pub provisional: bool,
    /// The working days counted, in order; the last is the due date.
    pub counted_days: Vec<NaiveDate>,
    pub missing_years: Vec<i32>,
}

/// Applies the rule to a complaint received at `received`.
pub fn due(cal: &dyn WorkCalendar, received: DateTime<Utc>, rule: &DueRule) -> Due {
    let mut day = received.with_timezone(&rule.tz).date_naive();
    let mut counted = Vec::new();
    let mut missing = BTreeSet::new();
    // The day of receipt is not counted (Civil Code art. 201).
    while counted.len() < rule.working_days.get() as usize {
        day = day.succ_opt().expect("dates before year 262143");
        if !cal.has_year(day.year()) {
            missing.insert(day.year());
        }
        if cal.day_kind(day).is_working() {
            counted.push(day);
        }
    }
    let local = day.and_time(rule.end_of_day);
    // A zone with daylight saving may skip or repeat that minute; take the
    // earlier instant (China has no DST, so this never applies there).
    let due_at = rule
        .tz
        .from_local_datetime(&local)
        .earliest()
        .unwrap_or_else(|| rule.tz.from_utc_datetime(&local));
    Due {
        due_date: day,
        due_at,
        provisional: !missing.is_empty(),
        counted_days: counted,
        missing_years: missing.into_iter().collect(),
    }
}

/// Working days after `from` up to and including `to` (0 if `to <= from`):
/// "working days left" from today to the due date.
pub fn working_days_between(cal: &dyn WorkCalendar, from: NaiveDate, to: NaiveDate) -> u32 {
    from.iter_days()
        .skip(1)
        .take_while(|d| *d <= to)
        .filter(|d| cal.day_kind(*d).is_working())
        .count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::OfficialCalendar;

    fn at(s: &str) -> DateTime<Utc> {
        chrono_tz::Asia::Shanghai
            .from_local_datetime(
                &chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap(),
            )
            .unwrap()
            .with_timezone(&Utc)
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_issue_example_national_day_with_make_up_saturday() {
        let cal = OfficialCalendar::builtin();
        let r = due(&cal, at("2026-09-30 15:00"), &DueRule::default());
        assert_eq!(
            r.counted_days,
            vec![d("2026-10-08"), d("2026-10-09"), d("2026-10-10")]
        );
        assert_eq!(r.due_date, d("2026-10-10"));
        assert_eq!(r.due_at.to_rfc3339(), "2026-10-10T23:59:59+08:00");
        assert!(!r.provisional);
    }

    #[test]
    fn receipt_day_is_not_counted_and_local_date_decides() {
        let cal = OfficialCalendar::builtin();
        // Monday 23:30 in Beijing is still Monday 15:30 UTC: counting starts Tuesday.
        let r = due(&cal, at("2026-11-23 23:30"), &DueRule::default());
        assert_eq!(r.due_date, d("2026-11-26"));
        // 00:10 Tuesday Beijing is Monday UTC, but Tuesday is the day of receipt.
        let r = due(&cal, at("2026-11-24 00:10"), &DueRule::default());
        assert_eq!(r.due_date, d("2026-11-27"));
    }

    #[test]
    fn working_days_left() {
        let cal = OfficialCalendar::builtin();
        assert_eq!(
            working_days_between(&cal, d("2026-09-30"), d("2026-10-10")),
            3
        );
        assert_eq!(
            working_days_between(&cal, d("2026-10-10"), d("2026-10-10")),
            0
        );
        assert_eq!(
            working_days_between(&cal, d("2026-10-11"), d("2026-10-10")),
            0
        );
    }
}
