//! Store tests on a real SQLite file through the real migrations.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use chrono::{DateTime, Duration, TimeZone, Utc};
use jiejing_core::{
    AnswerSource, Call, CallState, ComplaintField, Disposition, ElementKey, ElementState, Settings,
    SituationKind,
};
use jiejing_store::{DbKey, Store};

mod encryption;

/// The tests' database key: fixed, so a test can reopen what it wrote.
pub fn key() -> DbKey {
    DbKey::from_hex(&"5a".repeat(32)).unwrap()
}

fn t(s: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 8, 0, 0).unwrap() + Duration::seconds(s)
}

fn new_call(store: &mut Store, at: i64, number: &str) -> Call {
    let mut c = Call::ring(
        t(at),
        AnswerSource::Manual,
        "0123",
        "cz-110",
        "你好，常州110",
    );
    store.insert_call(&mut c).unwrap();
    c.answer(t(at + 4), AnswerSource::Manual).unwrap();
    c.set_caller_number(number).unwrap();
    store.save_calls(&[&c]).unwrap();
    c
}

#[test]
fn a_full_call_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/jiejing.sqlite3");
    let mut store = Store::open(&path, &key()).unwrap();
    let mut c = new_call(&mut store, 0, "138 1234 5678");
    c.mark_greeting(t(5)).unwrap();
    c.set_element(ElementKey::Where, "红梅新村12幢", t(10))
        .unwrap();
    c.set_element_state(ElementKey::Object, ElementState::NotApplicable, t(11))
        .unwrap();
    c.add_situation(SituationKind::Panicked, t(12)).unwrap();
    c.add_situation(SituationKind::Complaint, t(13)).unwrap();
    c.set_complaint_field(ComplaintField::Subject, "某派出所民警", t(14))
        .unwrap();
    c.add_referral("12345政务服务热线", "12345", t(15)).unwrap();
    c.set_notes("多行\n备注", t(16)).unwrap();
    store.save_calls(&[&c]).unwrap();
    c.close(Disposition::Complaint, true, t(30)).unwrap();
    store.save_calls(&[&c]).unwrap();
    drop(store);

    let store = Store::open(&path, &key()).unwrap();
    let back = store.load_call(c.id).unwrap().unwrap();
    assert_eq!(back, c);
    assert_eq!(back.missing_at_close.len(), 6);
    assert!(store.open_calls().unwrap().is_empty());
    assert!(store.load_call(999).unwrap().is_none());
}

#[test]
fn open_calls_and_list() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("db"), &key()).unwrap();
    let mut a = new_call(&mut store, 0, "110");
    a.close(Disposition::Other, true, t(20)).unwrap();
    store.save_calls(&[&a]).unwrap();
    let b = new_call(&mut store, 100, "");
    assert_eq!(store.open_calls().unwrap(), vec![b.clone()]);

    let all = store.list_calls(None, 10).unwrap();
    assert_eq!(
        all.iter().map(|s| s.id).collect::<Vec<_>>(),
        vec![b.id, a.id],
        "newest first"
    );
    assert_eq!(all[1].disposition, Some(Disposition::Other));
    assert_eq!(store.list_calls(Some(t(50)), 10).unwrap().len(), 1);
    assert_eq!(store.list_calls(None, 1).unwrap().len(), 1);
}

#[test]
fn repeat_lookup_matches_digits_within_window() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("db"), &key()).unwrap();
    let first = new_call(&mut store, 0, "138-1234-5678");
    let second = new_call(&mut store, 600, "13812345678");
    let found = store
        .latest_from_number("138 1234 5678", t(-3600), second.id)
        .unwrap()
        .unwrap();
    assert_eq!(found.id, first.id);
    assert!(
        store
            .latest_from_number("13812345678", t(60), second.id)
            .unwrap()
            .is_none(),
        "outside the window"
    );
    assert!(
        store.latest_from_number("", t(-3600), 0).unwrap().is_none(),
        "withheld numbers never match"
    );
    let newest = store
        .latest_from_number("13812345678", t(-3600), 0)
        .unwrap()
        .unwrap();
    assert_eq!(newest.id, second.id);
}

#[test]
fn settings_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("db"), &key()).unwrap();
    assert_eq!(store.load_settings().unwrap(), None);
    let s = Settings {
        city: "南京".into(),
        operator_number: "27".into(),
        ..Settings::default()
    };
    store.save_settings(&s).unwrap();
    assert_eq!(store.load_settings().unwrap(), Some(s));
}

#[test]
fn older_settings_records_take_defaults_for_new_fields() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    drop(Store::open(&path, &key()).unwrap());
    let conn = Store::connect(&path, &key()).unwrap();
    conn.execute(
        "INSERT INTO settings (key, value) VALUES ('desk', '{\"city\":\"南京\"}')",
        [],
    )
    .unwrap();
    drop(conn);
    let s = Store::open(&path, &key())
        .unwrap()
        .load_settings()
        .unwrap()
        .unwrap();
    assert_eq!((s.city.as_str(), s.repeat_window_minutes), ("南京", 120));
}

#[test]
fn a_file_that_is_not_a_database_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    std::fs::write(
        &path,
        b"this is not sqlite, just text that is long enough to have a header....",
    )
    .unwrap();
    let err = Store::open(&path, &key()).err().expect("must fail");
    assert!(err.to_string().contains("database"), "{err}");
    assert!(
        std::fs::read(&path)
            .unwrap()
            .starts_with(b"this is not sqlite"),
        "the file is left untouched"
    );
}

/// The child half of the crash test: writes element changes forever,
/// printing each committed value. Does nothing unless run by the parent.
#[test]
fn crash_child() {
    let Ok(path) = std::env::var("JIEJING_CRASH_CHILD_DB") else {
        return;
    };
    let mut store = Store::open(std::path::Path::new(&path), &key()).unwrap();
    let mut c = new_call(&mut store, 0, "13800000000");
    println!("CRASH-CALL {}", c.id);
    for i in 1.. {
        c.set_element(ElementKey::What, &format!("value {i}"), t(10))
            .unwrap();
        store.save_calls(&[&c]).unwrap();
        println!("committed {i}");
    }
}

#[test]
fn killed_mid_write_keeps_every_committed_change() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crash.sqlite3");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "crash_child", "--nocapture", "--test-threads=1"])
        .env("JIEJING_CRASH_CHILD_DB", &path)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut call_id = None;
    let mut last = 0;
    for line in lines.by_ref() {
        let line = line.unwrap();
        // libtest may print "test crash_child ... " before the first line.
        if let Some(id) = line.split("CRASH-CALL ").nth(1) {
            call_id = Some(id.parse::<i64>().unwrap());
        } else if let Some(n) = line.strip_prefix("committed ") {
            last = n.parse::<u64>().unwrap();
            if last >= 40 {
                break;
            }
        }
    }
    child.kill().unwrap(); // SIGKILL on Unix: no destructors, no checkpoint.
    child.wait().unwrap();

    let store = Store::open(&path, &key()).unwrap();
    let call = store.load_call(call_id.unwrap()).unwrap().unwrap();
    let v: u64 = call
        .element(ElementKey::What)
        .value
        .strip_prefix("value ")
        .unwrap()
        .parse()
        .unwrap();
    // The child may have committed more after its last line was read.
    assert!(v >= last, "committed {last}, found {v}");
    assert_eq!(call.state, CallState::InProgress);
    assert_eq!(
        store.open_calls().unwrap().len(),
        1,
        "the killed call is resumable"
    );
}
mod report;

/// A complaint and the follow-up that promises its reply are written
/// together or not at all.
#[test]
fn a_complaint_and_its_followup_commit_together() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("db.sqlite3"), &key()).unwrap();
    let mut c = new_call(&mut store, 0, "13812345678");
    c.add_situation(SituationKind::Complaint, t(10)).unwrap();
    let note = jiejing_store::AuditNote {
        at: t(10),
        actor: "T1",
        action: "close",
        detail: serde_json::json!({}),
    };
    let followup = |call_id| jiejing_core::FollowUp {
        id: 0,
        call_id,
        received_at: t(10),
        due_date: t(10).date_naive(),
        due_at: t(10),
        provisional: false,
        missing_years: Vec::new(),
        working_days: 3,
        closed_at: None,
        taker_id: String::new(),
        complaint: c.complaint.clone().unwrap(),
        replies: Vec::new(),
        log: Vec::new(),
    };
    // The follow-up cannot be written (a call that does not exist): the
    // complaint is not kept either.
    let mut bad = followup(999);
    assert!(store
        .save_calls_with_followup(&[&c], &note, Some(&mut bad))
        .is_err());
    let kept = store.load_call(c.id).unwrap().unwrap();
    assert!(
        kept.complaint.is_none(),
        "the complaint went without its follow-up"
    );
    let mut good = followup(c.id);
    store
        .save_calls_with_followup(&[&c], &note, Some(&mut good))
        .unwrap();
    assert!(good.id > 0);
    assert!(store.load_call(c.id).unwrap().unwrap().complaint.is_some());
    assert_eq!(store.followup_id_for_call(c.id).unwrap(), Some(good.id));
    let loaded = store.load_followup(good.id).unwrap().unwrap();
    assert_eq!(
        loaded.taker_id, c.taker_id,
        "read from the call, who took it"
    );
}
