//! Personal-data retention reaches the station: a seat's call de-identified
//! at the seat is de-identified there too, its transcript gone.

use std::sync::Arc;

use chrono::{Duration, Utc};
use jiejing_core::{AnswerSource, Disposition, ElementKey, FixedClock, SpeechSegment};
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
