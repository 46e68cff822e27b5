//! Rings heard by the detector, through the real database.

use chrono::{Duration, Utc};
use jiejing_core::{AnswerSource, CallState, RingMark};

use crate::setup;

fn rings(start: chrono::DateTime<Utc>, n: i64) -> Vec<RingMark> {
    (0..n)
        .map(|i| RingMark {
            onset: start + Duration::seconds(5 * i),
            offset: start + Duration::seconds(5 * i + 1),
        })
        .collect()
}

#[test]
fn heard_rings_start_answer_and_time_the_call() {
    let (dir, clock, mut desk) = setup();
    let t0 = jiejing_core::Clock::now(&*clock);
    clock.advance(Duration::seconds(1)); // confirmed after the first ring ended
    let id = desk.ring_heard(t0).unwrap();
    clock.advance(Duration::seconds(14));
    let answered = t0 + Duration::milliseconds(13_400);
    let v = desk.record_rings(id, rings(t0, 3), Some(answered)).unwrap();
    assert_eq!(v.call.state, CallState::Answered);
    assert_eq!(v.call.answer_source, Some(AnswerSource::Audio));
    assert_eq!(v.call.ring_at, t0);
    let t = v.ring_timing.unwrap();
    assert_eq!((t.rings_before_answer, t.compliant), (3, true));
    assert_eq!(t.seconds_to_answer, Some(13.4));
    drop(desk);
    // Everything survives a reopen through the migrations.
    let mut desk = crate::open(dir.path(), clock.clone());
    let c = desk.call(id).unwrap().call;
    assert_eq!(c.rings, rings(t0, 3));
    assert_eq!(c.answered_at, Some(answered));
}

#[test]
fn ringing_out_is_a_missed_call_and_four_rings_break_the_rule() {
    let (_dir, clock, mut desk) = setup();
    let t0 = jiejing_core::Clock::now(&*clock);
    let id = desk.ring_heard(t0).unwrap();
    let v = desk.record_rings(id, rings(t0, 4), None).unwrap();
    assert_eq!(v.call.state, CallState::Closed);
    assert!(v.call.missed);
    let t = v.ring_timing.unwrap();
    assert_eq!(
        (t.rings_before_answer, t.compliant, t.seconds_to_answer),
        (4, false, None)
    );
    // The desk is free for the next call.
    desk.ring(AnswerSource::Manual).unwrap();
}

#[test]
fn a_hotkey_answer_keeps_its_time_and_the_rings_are_added() {
    let (_dir, clock, mut desk) = setup();
    let t0 = jiejing_core::Clock::now(&*clock);
    desk.ring(AnswerSource::Manual).unwrap();
    let id = desk.ring_heard(t0).unwrap(); // the same ringing call
    clock.advance(Duration::seconds(7));
    desk.answer(AnswerSource::Manual).unwrap();
    let v = desk
        .record_rings(id, rings(t0, 3), Some(t0 + Duration::seconds(12)))
        .unwrap();
    assert_eq!(v.call.answer_source, Some(AnswerSource::Manual));
    assert_eq!(
        v.ring_timing.unwrap().rings_before_answer,
        2,
        "rings at 0 s and 5 s began before the F3 at 7 s"
    );
}

#[test]
fn ringing_during_a_call_is_refused() {
    let (_dir, clock, mut desk) = setup();
    crate::take_call(&mut desk, &clock, "13800000000");
    assert!(desk.ring_heard(jiejing_core::Clock::now(&*clock)).is_err());
}
