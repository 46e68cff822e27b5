//! Personal-data retention reaches the station: a seat's call de-identified
//! at the seat is de-identified there too, its transcript gone, and so are
//! the words of replies other seats recorded to its follow-ups.

use std::sync::Arc;

use chrono::{Duration, Utc};
use jiejing_core::{
    AnswerSource, ComplaintField, Disposition, ElementKey, FixedClock, SituationKind, SpeechSegment,
};
use jiejing_desk::Desk;
use jiejing_station::Station;

use super::seats::{hall, ok};

#[test]
fn a_call_de_identified_at_its_seat_is_de_identified_at_the_station() {
    let h = hall();
    // Taken at seat A two months ago, with a transcript.
    let then = Utc::now() - Duration::days(60);
    let mut d = Desk::open(h.a.path(), Arc::new(FixedClock::new(then))).unwrap();
    d.act_as_admin("test");
    let id = d.ring(AnswerSource::Manual).unwrap().call.id;
    d.answer(AnswerSource::Manual).unwrap();
    d.set_caller_number("138 1234 5678").unwrap();
    d.set_element(ElementKey::Where, "红梅新村5栋").unwrap();
    d.close(Disposition::PoliceIncident, true).unwrap();
    drop(d);
    let said = SpeechSegment {
        n: 0,
        start_at: then,
        end_at: then,
        text: "我在红梅新村5栋".into(),
        greeting: false,
        suggestions: Default::default(),
        speaker: None,
    };
    let mut store = jiejing_desk::paths::open_store(h.a.path()).unwrap();
    store.add_speech(id, &said).unwrap();
    drop(store);
    ok(h.a.path(), &["station", "sync"]);
    let mut s = Station::connect(&h.url).unwrap();
    assert_eq!(s.speech("A", id).unwrap().len(), 1);

    // The station's period is 30 days: the next start de-identifies it.
    ok(h.a.path(), &["settings", "set", "personalDataDays", "30"]);
    ok(h.a.path(), &["calls", "list", "--local"]);
    ok(h.a.path(), &["station", "sync"]);
    let at = s.call("A", id).unwrap().unwrap().call;
    assert_eq!(at.caller_number, "");
    let place = at
        .elements
        .iter()
        .find(|e| e.key == ElementKey::Where)
        .unwrap();
    assert_eq!(place.value, jiejing_store::REMOVED);
    assert!(
        s.speech("A", id).unwrap().is_empty(),
        "the transcript stays at the station"
    );
}

#[test]
fn a_reply_recorded_at_another_seat_loses_its_words_at_the_station_too() {
    let h = hall();
    // A complaint taken at seat A two months ago ...
    let then = Utc::now() - Duration::days(60);
    let mut d = Desk::open(h.a.path(), Arc::new(FixedClock::new(then))).unwrap();
    d.act_as_admin("test");
    d.ring(AnswerSource::Manual).unwrap();
    d.answer(AnswerSource::Manual).unwrap();
    let call = d.add_situation(SituationKind::Complaint).unwrap().call.id;
    d.set_complaint_field(ComplaintField::Name, "张伟").unwrap();
    let followup = d.followups(false).unwrap().items;
    let id = followup
        .iter()
        .find(|v| v.followup.call_id == call)
        .unwrap()
        .followup
        .id;
    d.close(Disposition::Other, true).unwrap();
    drop(d);
    ok(h.a.path(), &["station", "sync"]);
    // ... answered from seat B, and pulled back by A.
    let (code, out, err) = super::station_followups::reply(h.b.path(), "A", id, "王芳", true);
    assert_eq!(code, 0, "{out}{err}");
    ok(h.b.path(), &["station", "sync"]);
    ok(h.a.path(), &["station", "sync"]);
    let said = "SELECT doc->>'content', doc->>'outcome' FROM followup_replies WHERE origin = 'B#1'";
    assert_eq!(h.pg.psql(said).trim(), "已回电说明处理情况|投诉人表示理解");

    // A's period is 30 days: A de-identifies the call and its follow-up,
    // and the station removes the words from B's reply as well.
    ok(h.a.path(), &["settings", "set", "personalDataDays", "30"]);
    ok(h.a.path(), &["calls", "list", "--local"]);
    ok(h.a.path(), &["station", "sync"]);
    assert_eq!(h.pg.psql(said).trim(), "＊|＊");
    let kept = "SELECT doc->>'by', doc->>'method' FROM followup_replies WHERE origin = 'B#1'";
    assert_eq!(h.pg.psql(kept).trim(), "王芳|phone", "who and how are kept");
    let mut s = Station::connect(&h.url).unwrap();
    let at = s.followup("A", id).unwrap().unwrap().followup;
    assert_eq!(at.complaint.name, "");
    assert!(
        at.replies
            .iter()
            .all(|r| r.content == jiejing_store::REMOVED),
        "{at:?}"
    );
}
