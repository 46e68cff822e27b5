//! The desk through a real database file and a fixed clock.

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use jiejing_core::{
    AnswerSource, CallState, Disposition, ElementKey, ErrorCode, FixedClock, Settings,
    SituationKind,
};
use jiejing_desk::{Desk, DeskError};

fn setup() -> (tempfile::TempDir, Arc<FixedClock>, Desk) {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(2026, 11, 27, 8, 0, 0).unwrap(),
    ));
    let desk = open(dir.path(), clock.clone());
    (dir, clock, desk)
}

/// The desk as the station administrator: these tests are about the call
/// rules, `review.rs` about who may do what.
fn open(dir: &std::path::Path, clock: Arc<dyn jiejing_core::Clock>) -> Desk {
    let mut desk = Desk::open(dir, clock).unwrap();
    desk.act_as_admin("test");
    desk
}

/// The audit trail's `action` entries in a data folder, as (actor,
/// detail), oldest first, read from the database itself.
pub fn audit_of(dir: &std::path::Path, action: &str) -> Vec<(String, String)> {
    let conn = jiejing_desk::paths::connect(dir).unwrap();
    let mut st = conn
        .prepare("SELECT actor, detail FROM audit_log WHERE action = ?1 ORDER BY id")
        .unwrap();
    st.query_map([action], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn take_call(desk: &mut Desk, clock: &FixedClock, number: &str) -> i64 {
    let id = desk.ring(AnswerSource::Manual).unwrap().call.id;
    clock.advance(Duration::seconds(6));
    desk.answer(AnswerSource::Manual).unwrap();
    desk.mark_greeting().unwrap();
    desk.set_caller_number(number).unwrap();
    id
}

#[test]
fn a_call_end_to_end() {
    let (_dir, clock, mut desk) = setup();
    let v = desk.ring(AnswerSource::Manual).unwrap();
    assert_eq!(v.call.greeting_text, "你好，常州110");
    assert_eq!(v.call.state, CallState::Ringing);
    clock.advance(Duration::seconds(7));
    desk.answer(AnswerSource::Manual).unwrap();
    clock.advance(Duration::seconds(1));
    desk.mark_greeting().unwrap();
    for (i, k) in ElementKey::ALL.iter().enumerate() {
        clock.advance(Duration::seconds(5));
        let v = desk.set_element(*k, &format!("值{i}")).unwrap();
        assert_eq!(v.elements_done as usize, i + 1);
    }
    desk.add_situation(SituationKind::Panicked).unwrap();
    let v = desk.close(Disposition::PoliceIncident, false).unwrap();
    assert_eq!(v.call.state, CallState::Closed);
    assert_eq!(
        (v.call.answered_at.unwrap() - v.call.ring_at).num_seconds(),
        7
    );
    assert!(desk.state().unwrap().active.is_none());
    assert!(matches!(
        desk.answer(AnswerSource::Manual),
        Err(DeskError::NoActiveCall)
    ));
}

#[test]
fn one_open_call_at_a_time() {
    let (_dir, _clock, mut desk) = setup();
    let id = desk.ring(AnswerSource::Manual).unwrap().call.id;
    let err = desk.ring(AnswerSource::Manual).unwrap_err();
    assert!(matches!(err, DeskError::CallActive(x) if x == id));
    assert_eq!(err.code(), ErrorCode::CallActive);
}

#[test]
fn repeat_caller_within_window_links_and_urges() {
    let (_dir, clock, mut desk) = setup();
    let first = take_call(&mut desk, &clock, "138 1234 5678");
    desk.set_element(ElementKey::Where, "红梅新村").unwrap();
    desk.close(Disposition::PoliceIncident, true).unwrap();

    clock.advance(Duration::minutes(30));
    let second = take_call(&mut desk, &clock, "13812345678");
    let v = desk.call(second).unwrap();
    assert_eq!(v.call.repeat_of, Some(first));
    assert!(v.call.has_situation(SituationKind::RepeatUrging));
    assert_eq!(
        v.earlier.as_ref().unwrap().element(ElementKey::Where).value,
        "红梅新村"
    );
    assert_eq!(v.suggested_disposition, Disposition::RepeatUrging);
    let earlier = desk.call(first).unwrap().call;
    assert_eq!(earlier.urges.len(), 1);
    assert_eq!(earlier.urges[0].by_call_id, second);
    desk.close(Disposition::RepeatUrging, true).unwrap();

    // Outside the (shortened) window: not a repeat.
    desk.save_settings(&Settings {
        repeat_window_minutes: 10,
        ..Settings::default()
    })
    .unwrap();
    clock.advance(Duration::minutes(20));
    let third = take_call(&mut desk, &clock, "13812345678");
    assert_eq!(desk.call(third).unwrap().call.repeat_of, None);
}

#[test]
fn the_open_call_survives_reopening() {
    let (dir, clock, mut desk) = setup();
    let id = take_call(&mut desk, &clock, "110");
    desk.set_element(ElementKey::What, "打架").unwrap();
    drop(desk);
    let mut desk = open(dir.path(), clock.clone());
    let active = desk.state().unwrap().active.unwrap();
    assert_eq!(active.call.id, id);
    assert_eq!(active.call.element(ElementKey::What).value, "打架");
}

#[test]
fn settings_shape_the_greeting_and_are_validated() {
    let (dir, clock, mut desk) = setup();
    let bad = Settings {
        city: String::new(),
        ..Settings::default()
    };
    let err = desk.save_settings(&bad).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Required);
    desk.save_settings(&Settings {
        city: "南京".into(),
        city_en: "Nanjing".into(),
        operator_number: "27".into(),
        ..Settings::default()
    })
    .unwrap();
    drop(desk);
    // Each change is audited with the old and the new value; the refused
    // one is not.
    let changes = audit_of(dir.path(), "settings_changed");
    assert_eq!(changes.len(), 1, "{changes:?}");
    let d: serde_json::Value = serde_json::from_str(&changes[0].1).unwrap();
    assert_eq!(d["city"], serde_json::json!(["常州", "南京"]), "{d}");
    assert_eq!(d["operatorNumber"], serde_json::json!(["", "27"]), "{d}");
    assert!(
        d.get("timeZone").is_none(),
        "unchanged fields are not listed: {d}"
    );
    let mut desk = open(dir.path(), clock);
    let st = desk.state().unwrap();
    assert_eq!(st.greeting, "你好，南京110，27号接警员");
    assert_eq!(st.greeting_en, "Hello, Nanjing 110, call-taker number 27");
    assert_eq!(
        desk.ring(AnswerSource::Manual).unwrap().call.greeting_text,
        st.greeting
    );
}

#[test]
fn referrals_come_from_the_directory() {
    let (_dir, clock, mut desk) = setup();
    take_call(&mut desk, &clock, "");
    let hits = desk.search_referrals("停电", jiejing_core::Language::ZhCn);
    let v = desk.add_referral(&hits[0].name).unwrap();
    assert_eq!(v.call.referrals[0].phone, "95598");
    assert_eq!(
        desk.add_referral("不存在的部门").unwrap_err().code(),
        ErrorCode::InvalidValue
    );
}

#[test]
fn a_corrupt_settings_record_falls_back_with_a_note() {
    let (dir, clock, desk) = setup();
    drop(desk);
    let conn = jiejing_desk::paths::connect(dir.path()).unwrap();
    conn.execute(
        "INSERT OR REPLACE INTO settings (key, value) VALUES ('desk', '{\"city\": 42')",
        [],
    )
    .unwrap();
    drop(conn);
    let mut desk = open(dir.path(), clock);
    let st = desk.state().unwrap();
    assert_eq!(st.settings, Settings::default());
    let note = st.data_files.iter().find(|n| n.name == "settings").unwrap();
    assert!(
        note.warning.as_deref().unwrap().contains("settings"),
        "{note:?}"
    );
}

mod anchors;
mod data_edit;
mod followups;
mod recordings;
mod retention;
mod review;
mod rings;
mod speech;
mod subject;

/// The data folder and what the desk writes in it are the user's alone;
/// a folder others can reach is named at start, with how to fix it.
#[cfg(unix)]
#[test]
fn the_data_folder_is_private_and_a_wider_one_is_named() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("new");
    let clock = Arc::new(FixedClock::new(Utc::now()));
    let mut desk = open(&data, clock.clone());
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&data.join("jiejing.sqlite3")), 0o600);
    assert!(desk
        .state()
        .unwrap()
        .data_files
        .iter()
        .all(|n| n.name != "permissions"));
    drop(desk);

    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    let db = data.join("jiejing.sqlite3");
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let notes: Vec<String> = open(&data, clock)
        .state()
        .unwrap()
        .data_files
        .into_iter()
        .filter(|n| n.name == "permissions")
        .filter_map(|n| n.warning)
        .collect();
    assert!(
        notes.iter().any(|w| w.contains(&format!(
            "{}: others can reach it (mode 755); chmod 700",
            data.display()
        ))),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|w| w.contains("jiejing.sqlite3: others can reach it (mode 644); chmod 600")),
        "{notes:?}"
    );
}

#[test]
fn only_a_new_data_folder_becomes_a_training_desk() {
    let (dir, clock, mut desk) = setup();
    assert!(!desk.training().unwrap());
    desk.start_training().unwrap();
    assert!(desk.training().unwrap() && desk.state().unwrap().training);
    desk.start_training().unwrap(); // again: nothing more
    assert_eq!(audit_of(dir.path(), "training_mode").len(), 1);
    drop(desk);
    assert!(open(dir.path(), clock).training().unwrap(), "for good");

    let (dir, clock, mut desk) = setup();
    take_call(&mut desk, &clock, "13812345678");
    let e = desk.start_training().unwrap_err().to_string();
    assert!(e.contains("already holds calls"), "{e}");
    assert!(!desk.training().unwrap());
    assert!(audit_of(dir.path(), "training_mode").is_empty());
}
