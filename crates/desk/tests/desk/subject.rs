//! A lawful request about one phone number: everything held about it, from
//! the calls it made and the complaints that gave it, and nothing else.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use jiejing_core::{
    AnswerSource, ComplaintField, Disposition, ErrorCode, FixedClock, Role, SituationKind,
};
use jiejing_desk::Desk;

#[test]
fn everything_about_one_number_and_nothing_else_on_the_record() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(2026, 12, 2, 1, 0, 0).unwrap(),
    ));
    let mut desk = crate::open(dir.path(), clock.clone());
    let call = |desk: &mut Desk, number: &str, complainant: Option<&str>| {
        let id = desk.ring(AnswerSource::Manual).unwrap().call.id;
        desk.answer(AnswerSource::Manual).unwrap();
        desk.set_caller_number(number).unwrap();
        if let Some(phone) = complainant {
            desk.add_situation(SituationKind::Complaint).unwrap();
            desk.set_complaint_field(ComplaintField::Phone, phone)
                .unwrap();
        }
        desk.close(Disposition::Consultation, true).unwrap();
        clock.advance(chrono::Duration::minutes(5));
        id
    };
    let a1 = call(&mut desk, "138 1234 5678", None);
    let other = call(&mut desk, "139 0000 1111", None);
    // A complaint made from a landline, giving the same mobile number.
    let a2 = call(&mut desk, "0519-8888 7777", Some("13812345678"));
    let out = dir.path().join("subject.json");
    let n = desk
        .subject_export("13812345678", "常公函〔2026〕12号", &out)
        .unwrap();
    assert_eq!(n, 2);
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let ids: Vec<i64> = v["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["call"]["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [a1, a2]);
    assert!(!ids.contains(&other));
    assert!(v["calls"][1]["followup"].is_object(), "{v}");
    assert_eq!(v["request"], "常公函〔2026〕12号");
    // Written once: the same file is not overwritten.
    assert!(desk.subject_export("13812345678", "x", &out).is_err());
    // Audited, with the request's reference.
    let audit = crate::audit_of(dir.path(), "subject_export");
    assert_eq!(audit.len(), 1);
    assert!(
        audit[0].1.contains("常公函〔2026〕12号") && audit[0].1.contains("\"calls\":2"),
        "{audit:?}"
    );
    // No request named, or no number: refused in words.
    let e = desk
        .subject_export("13812345678", " ", &dir.path().join("b.json"))
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidValue);
    assert!(desk
        .subject_export("12", "r", &dir.path().join("c.json"))
        .is_err());
    // A call-taker may not.
    desk.add_user("L1", "李强", Role::Lead, "246813").unwrap();
    desk.add_user("T1", "王芳", Role::Taker, "135792").unwrap();
    desk.sign_in("T1", "135792").unwrap();
    let e = desk
        .subject_export("13812345678", "r", &dir.path().join("d.json"))
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Forbidden);
}
