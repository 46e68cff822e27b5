//! The built-in calendar against the State Council schedules (the
//! reference copy in tests/fixtures/calendar), due dates across the long holidays, and every
//! validation error.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use jiejing_calendar::{
    due, CalendarError, DayKind, DueRule, OfficialCalendar, WorkCalendar, YearCalendar,
};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn beijing(s: &str) -> DateTime<Utc> {
    chrono_tz::Asia::Shanghai
        .from_local_datetime(&chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

#[test]
fn builtin_years_match_the_official_schedules() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/calendar/cn-holidays.json"
    );
    let reference: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cal = OfficialCalendar::builtin();
    for year in [2024, 2025, 2026] {
        let y = cal.year(year).unwrap();
        assert!(
            y.notice.contains("国办发明电") && y.notice.contains(&year.to_string()),
            "{}",
            y.notice
        );
        let want = |k: &str| -> Vec<NaiveDate> {
            reference[year.to_string()][k]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| d(v.as_str().unwrap()))
                .collect()
        };
        assert_eq!(
            y.holidays.keys().copied().collect::<Vec<_>>(),
            want("holidays"),
            "{year} holidays"
        );
        assert_eq!(
            y.workdays.keys().copied().collect::<Vec<_>>(),
            want("workdays"),
            "{year} workdays"
        );
    }
    assert_eq!(
        cal.day_kind(d("2026-10-10")),
        DayKind::MakeUpWorkday("国庆节调休".into())
    );
    assert_eq!(
        cal.day_kind(d("2026-10-01")),
        DayKind::Holiday("国庆节".into())
    );
    assert_eq!(cal.day_kind(d("2026-11-28")), DayKind::Weekend);
    assert_eq!(cal.day_kind(d("2026-11-27")), DayKind::Workday);
}

fn due_date(received: &str) -> (NaiveDate, bool) {
    let r = due(
        &OfficialCalendar::builtin(),
        beijing(received),
        &DueRule::default(),
    );
    (r.due_date, r.provisional)
}

#[test]
fn due_dates_across_the_long_holidays() {
    // Spring Festival 2026: Sat 14 Feb is a make-up workday, 15-23 Feb off.
    assert_eq!(due_date("2026-02-13 09:00"), (d("2026-02-25"), false));
    // Spring Festival 2025: 28 Jan - 4 Feb off; 5, 6, 7 Feb count.
    assert_eq!(due_date("2025-01-27 18:00"), (d("2025-02-07"), false));
    // National Day 2025 (with Mid-Autumn): 1-8 Oct off, Sat 11 Oct worked.
    assert_eq!(due_date("2025-09-30 12:00"), (d("2025-10-11"), false));
    // National Day 2024: Sat 12 Oct is worked and counted.
    assert_eq!(due_date("2024-10-09 12:00"), (d("2024-10-12"), false));
    // New year 2026: 1-3 Jan off, Sun 4 Jan worked.
    assert_eq!(due_date("2025-12-31 20:00"), (d("2026-01-06"), false));
    // New year into a year with no schedule: weekends only, provisional.
    let r = due(
        &OfficialCalendar::builtin(),
        beijing("2026-12-30 10:00"),
        &DueRule::default(),
    );
    assert_eq!(
        (r.due_date, r.provisional, r.missing_years),
        (d("2027-01-04"), true, vec![2027])
    );
    assert_eq!(
        r.counted_days,
        vec![d("2026-12-31"), d("2027-01-01"), d("2027-01-04")]
    );
}

fn invalid(text: &str) -> (usize, String) {
    match YearCalendar::parse("y.toml", text).unwrap_err() {
        CalendarError::Invalid { line, reason, .. } => (line, reason),
        e => panic!("{e:?}"),
    }
}

const HEAD: &str =
    "year = 2027\nnotice = \"国办发明电〔2026〕x号\"\n[[holiday]]\nname = \"元旦\"\n";

#[test]
fn every_validation_error_names_its_line() {
    let ok = format!("{HEAD}dates = [\"2027-01-01\"]\nworkdays = [\"2027-01-02\"]\n");
    assert!(YearCalendar::parse("y.toml", &ok).is_ok());

    let cases: &[(&str, usize, &str)] = &[
        ("dates = [\"2027-13-01\"]\n", 5, "not a date"),
        ("dates = [\"2027-1-1x\"]\n", 5, "not a date"),
        ("dates = [\"2026-12-31\"]\n", 5, "not in 2027"),
        (
            "dates = [\"2027-01-01\", \"2027-01-01\"]\n",
            5,
            "listed twice",
        ),
        (
            "dates = [\"2027-01-02\"]\nworkdays = [\"2027-01-02\"]\n",
            6,
            "both a holiday and a workday",
        ),
        (
            "dates = [\"2027-01-01\"]\nworkdays = [\"2027-01-04\"]\n",
            6,
            "weekday",
        ),
        (
            "dates = [\"2027-01-01\"]\nworkdays = [\"2027-01-02\", \"2027-01-02\"]\n",
            6,
            "listed twice",
        ),
        ("dates = []\n", 4, "no dates"),
        ("dates = [20270101]\n", 5, "string"),
        ("dates = [\"2027-01-01\"]\nextra = 1\n", 6, "extra"),
    ];
    for (tail, line, reason) in cases {
        let (l, r) = invalid(&format!("{HEAD}{tail}"));
        assert_eq!(l, *line, "{tail}: {r}");
        assert!(r.contains(reason), "{tail}: {r}");
    }
    assert!(invalid("year = 1999\nnotice = \"x\"\n")
        .1
        .contains("out of range"));
    assert!(invalid(
        "year = 2027\nnotice = \" \"\n[[holiday]]\nname=\"a\"\ndates=[\"2027-01-01\"]\n"
    )
    .1
    .contains("notice"));
    assert!(invalid("year = 2027\nnotice = \"x\"\n")
        .1
        .contains("no [[holiday]]"));
    assert!(invalid("notice = \"x\"\n").1.contains("year"));
}

#[test]
fn station_files_replace_or_add_years_and_bad_ones_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("2027.toml"),
        format!("{HEAD}dates = [\"2027-01-01\"]\n"),
    )
    .unwrap();
    std::fs::write(dir.path().join("2028.toml"), "year = 2028\n").unwrap();
    std::fs::write(dir.path().join("notes.txt"), "ignored").unwrap();
    let (cal, errors) = OfficialCalendar::load(dir.path());
    assert!(cal.has_year(2027) && cal.has_year(2026) && !cal.has_year(2028));
    assert_eq!(errors.len(), 1);
    assert!(errors[0].to_string().contains("2028.toml"), "{}", errors[0]);
}
