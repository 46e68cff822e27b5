//! Complaint follow-ups through the desk, on the official calendar.

use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use jiejing_core::{
    AnswerSource, Clock, Disposition, ErrorCode, FixedClock, Reply, ReplyMethod, Settings,
    SituationKind,
};
use jiejing_desk::{Desk, FollowUpStatus};

fn beijing(s: &str) -> DateTime<Utc> {
    chrono_tz::Asia::Shanghai
        .from_local_datetime(&chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

fn complaint_at(when: &str) -> (tempfile::TempDir, Arc<FixedClock>, Desk) {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(beijing(when)));
    let mut desk = crate::open(dir.path(), clock.clone());
    desk.ring(AnswerSource::Manual).unwrap();
    desk.answer(AnswerSource::Manual).unwrap();
    desk.add_situation(SituationKind::Complaint).unwrap();
    (dir, clock, desk)
}

fn reply(closes: bool, at: DateTime<Utc>) -> Reply {
    Reply {
        at,
        by: "李明".into(),
        method: ReplyMethod::Phone,
        content: "已回电说明处理情况".into(),
        outcome: "投诉人表示理解".into(),
        closes,
        origin: None,
    }
}

#[test]
fn a_complaint_creates_a_followup_due_by_the_official_calendar() {
    let (_dir, clock, mut desk) = complaint_at("2026-09-30 15:00");
    // Created with the complaint, before the call is closed.
    let q = desk.followups(true).unwrap().items;
    assert_eq!(q.len(), 1);
    let f = &q[0].followup;
    assert_eq!(f.due_date, NaiveDate::from_ymd_opt(2026, 10, 10).unwrap());
    assert_eq!(
        f.due_at,
        beijing("2026-10-10 23:59") + Duration::seconds(59)
    );
    assert!(!f.provisional);
    assert_eq!(q[0].status, FollowUpStatus::Open);
    assert_eq!(q[0].working_days_left, 3);
    desk.close(Disposition::Complaint, true).unwrap();
    assert_eq!(
        desk.followups(true).unwrap().items.len(),
        1,
        "closing the call does not add a second"
    );

    clock.set(beijing("2026-10-10 09:00"));
    let v = &desk.followups(true).unwrap().items[0];
    assert_eq!(
        (v.status, v.working_days_left),
        (FollowUpStatus::DueToday, 0)
    );
    assert_eq!(desk.queue_summary().unwrap().due_today, 1);

    clock.set(beijing("2026-10-11 08:00"));
    let v = desk.followups(true).unwrap().items.remove(0);
    assert_eq!(v.status, FollowUpStatus::Overdue);
    assert!(v.hours_left < 0);
    assert_eq!(desk.queue_summary().unwrap().overdue, 1);

    let id = v.followup.id;
    let v = desk
        .add_reply("", id, None, &reply(false, clock.now()))
        .unwrap();
    assert_eq!(
        v.status,
        FollowUpStatus::Overdue,
        "a reply that does not close keeps it open"
    );
    let v = desk
        .add_reply("", id, None, &reply(true, clock.now()))
        .unwrap();
    assert_eq!(v.status, FollowUpStatus::Closed);
    assert_eq!(v.followup.replies.len(), 2);
    assert!(desk.followups(true).unwrap().items.is_empty());
    assert_eq!(desk.followups(false).unwrap().items.len(), 1);
    assert_eq!(
        desk.add_reply("", id, None, &reply(true, clock.now()))
            .unwrap_err()
            .code(),
        ErrorCode::InvalidValue
    );
}

#[test]
fn a_missing_year_is_provisional_until_its_calendar_is_imported() {
    let (dir, _clock, mut desk) = complaint_at("2026-12-30 10:00");
    let f = desk.followups(true).unwrap().items.remove(0).followup;
    // Weekends only: Thu 31 Dec, Fri 1 Jan, Mon 4 Jan.
    assert_eq!(f.due_date, NaiveDate::from_ymd_opt(2027, 1, 4).unwrap());
    assert!(f.provisional);
    assert_eq!(f.missing_years, vec![2027]);
    assert_eq!(desk.queue_summary().unwrap().missing_years, vec![2027]);

    let file = dir.path().join("2027-upload.toml");
    std::fs::write(
        &file,
        "year = 2027\nnotice = \"国务院办公厅关于2027年部分节假日安排的通知（测试）\"\n\n[[holiday]]\nname = \"元旦\"\ndates = [\"2027-01-01\"]\n",
    )
    .unwrap();
    let (year, moved) = desk.import_calendar(&file).unwrap();
    assert_eq!((year, moved), (2027, vec![f.id]));
    let f = desk.followups(true).unwrap().items.remove(0).followup;
    assert_eq!(
        f.due_date,
        NaiveDate::from_ymd_opt(2027, 1, 5).unwrap(),
        "1 Jan is a holiday after all"
    );
    assert!(!f.provisional);
    assert!(
        f.log[0]
            .what
            .contains("2027-01-04 (provisional) -> 2027-01-05"),
        "{:?}",
        f.log
    );
    assert!(
        dir.path().join("calendar/2027.toml").exists(),
        "kept for the next start"
    );
}

#[test]
fn a_bad_calendar_file_is_refused_with_its_line() {
    let (dir, _clock, mut desk) = complaint_at("2026-11-27 10:00");
    let file = dir.path().join("2027.toml");
    std::fs::write(&file, "year = 2027\nnotice = \"x\"\n[[holiday]]\nname = \"元旦\"\ndates = [\"2027-01-01\"]\nworkdays = [\"2027-01-04\"]\n").unwrap();
    let err = desk.import_calendar(&file).unwrap_err();
    assert_eq!(err.code(), ErrorCode::BadFile);
    assert!(
        err.to_string().contains("2027.toml:6") && err.to_string().contains("weekday"),
        "{err}"
    );
    assert!(!dir.path().join("calendar/2027.toml").exists());
}

#[test]
fn the_due_rule_follows_settings() {
    let (_dir, _clock, mut desk) = complaint_at("2026-11-27 10:00");
    let bad = Settings {
        time_zone: "Mars/Olympus".into(),
        ..Settings::default()
    };
    assert_eq!(
        desk.save_settings(&bad).unwrap_err().code(),
        ErrorCode::InvalidValue
    );
    desk.save_settings(&Settings {
        followup_working_days: 5,
        followup_end_of_day: "18:00".into(),
        ..Settings::default()
    })
    .unwrap();
    let d = desk.due_for(beijing("2026-11-27 10:00"), None);
    assert_eq!(d.due_at.to_rfc3339(), "2026-12-04T18:00:00+08:00");
}
