//! Personal-data retention: a closed call past the station's period loses
//! what identifies its caller and keeps its figures; a newer call, or any
//! call while the period is unset, is untouched; the chain still checks.

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use jiejing_core::{
    AnswerSource, ComplaintField, Disposition, ElementKey, FixedClock, Reply, ReplyMethod,
    SituationKind,
};
use jiejing_desk::{Desk, LogFilter, ReviewScope};

fn take(desk: &mut Desk, number: &str, place: &str) -> i64 {
    let id = desk.ring(AnswerSource::Manual).unwrap().call.id;
    desk.answer(AnswerSource::Manual).unwrap();
    desk.set_caller_number(number).unwrap();
    desk.set_element(ElementKey::Where, place).unwrap();
    desk.add_situation(SituationKind::Complaint).unwrap();
    desk.set_complaint_field(ComplaintField::Name, "张伟")
        .unwrap();
    desk.close(Disposition::Complaint, true).unwrap();
    // The complainant is called back.
    let f = desk.followups(false).unwrap().items;
    let f = f.iter().find(|v| v.followup.call_id == id).unwrap();
    let reply = Reply {
        at: desk.now(),
        by: "admin".into(),
        method: ReplyMethod::Phone,
        content: "已回电告知张伟处理结果".into(),
        outcome: "表示满意".into(),
        closes: true,
        origin: None,
    };
    desk.add_reply(&f.seat, f.followup.id, None, &reply)
        .unwrap();
    id
}

#[test]
fn old_calls_lose_their_callers_data_and_keep_their_figures() {
    let dir = tempfile::tempdir().unwrap();
    let t0 = Utc.with_ymd_and_hms(2026, 1, 5, 2, 0, 0).unwrap();
    let clock = Arc::new(FixedClock::new(t0));
    let mut desk = crate::open(dir.path(), clock.clone());
    let old = take(&mut desk, "138 1234 5678", "红梅新村5栋");
    clock.advance(Duration::days(40));
    let recent = take(&mut desk, "139 0000 1111", "天宁区人民路");
    let all = ReviewScope {
        from: t0 - Duration::days(1),
        to: t0 + Duration::days(60),
        taker: None,
        shift: None,
        this_seat_only: true,
    };
    let before = serde_json::to_value(desk.report(&all).unwrap()).unwrap();

    // No period set: nothing goes.
    assert_eq!(
        desk.purge_personal_data(500, std::time::Duration::from_secs(5))
            .unwrap(),
        0
    );
    let mut s = desk.settings().clone();
    s.personal_data_days = 10;
    assert!(desk.save_settings(&s).is_err(), "under a month is refused");
    s.personal_data_days = 30;
    desk.save_settings(&s).unwrap();
    drop(desk);
    // The next start applies it.
    let mut desk = crate::open(dir.path(), clock.clone());
    let gone = desk.call(old).unwrap().call;
    assert_eq!(gone.caller_number, "");
    let place = gone
        .elements
        .iter()
        .find(|e| e.key == ElementKey::Where)
        .unwrap();
    assert_eq!(place.value, jiejing_store::REMOVED);
    assert_eq!(gone.complaint.as_ref().unwrap().name, "");
    // What the complainant was told goes too; that and when they were
    // answered stay.
    let replies = |desk: &mut Desk, call: i64| {
        let all = desk.followups(false).unwrap().items;
        all.into_iter()
            .find(|v| v.followup.call_id == call)
            .unwrap()
            .followup
            .replies
    };
    let told = replies(&mut desk, old);
    assert_eq!(told.len(), 1);
    assert_eq!(
        (told[0].content.as_str(), told[0].outcome.as_str()),
        (jiejing_store::REMOVED, jiejing_store::REMOVED)
    );
    assert!(told[0].closes);
    assert_eq!(
        replies(&mut desk, recent)[0].content,
        "已回电告知张伟处理结果"
    );
    let kept = desk.call(recent).unwrap().call;
    assert_eq!(kept.caller_number, "139 0000 1111");
    // The figures are the same; the words are not searchable any more.
    let after = serde_json::to_value(desk.report(&all).unwrap()).unwrap();
    assert_eq!(before, after);
    let search = |desk: &mut Desk, words: &str| {
        let f = LogFilter {
            text: Some(words.into()),
            ..LogFilter::default()
        };
        desk.log(&all, &f, None, 50).unwrap().rows.len()
    };
    assert_eq!(search(&mut desk, "红梅新村"), 0);
    assert_eq!(search(&mut desk, "人民路"), 1);
    // On the record, and the chain still checks every call.
    let audit = crate::audit_of(dir.path(), "call_deidentified");
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].0, "retention");
    assert!(desk.verify_audit(&[]).unwrap().problems.is_empty());
    // Once.
    assert_eq!(
        desk.purge_personal_data(500, std::time::Duration::from_secs(5))
            .unwrap(),
        0
    );
}
