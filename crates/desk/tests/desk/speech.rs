//! Speech at the desk: kept with the call, the greeting marked when spoken,
//! suggestions offered and accepted only by the call-taker.

use chrono::{DateTime, Duration, Utc};
use jiejing_core::{AnswerSource, Clock, ElementKey, SituationKind};
use jiejing_speech::Segment;

use super::setup;

fn said(text: &str) -> Vec<Segment> {
    vec![Segment {
        start_s: 0.0,
        end_s: 1.0,
        text: text.into(),
        doubt: Vec::new(),
    }]
}

fn s(t: DateTime<Utc>, secs: f64) -> DateTime<Utc> {
    t + Duration::milliseconds((secs * 1000.0) as i64)
}

#[test]
fn speech_is_kept_the_greeting_marked_and_suggestions_accepted() {
    let (_dir, clock, mut desk) = setup();
    let t0 = clock.now();
    // Before any call: heard, not kept.
    assert!(!desk.wants_speech().unwrap());
    assert_eq!(
        desk.speech_heard(t0, s(t0, 1.0), &said("随便聊聊"))
            .unwrap(),
        None
    );

    let id = desk.ring(AnswerSource::Manual).unwrap().call.id;
    assert!(
        desk.wants_speech().unwrap(),
        "ringing: the answer's words are coming"
    );
    clock.advance(Duration::seconds(5));
    let answered = clock.now();
    desk.answer(AnswerSource::Manual).unwrap();
    // The greeting, cut at its comma into two utterances, as Whisper writes it.
    assert_eq!(
        desk.speech_heard(s(answered, 0.2), s(answered, 0.9), &said("你好,"))
            .unwrap(),
        Some(id)
    );
    let v = desk.call(id).unwrap();
    assert!(v.call.greeting_at.is_none(), "not yet the whole greeting");
    desk.speech_heard(
        s(answered, 1.3),
        s(answered, 2.6),
        &said("常州幺幺零，请讲。"),
    )
    .unwrap();
    let v = desk.call(id).unwrap();
    assert_eq!(
        v.call.greeting_at,
        Some(s(answered, 0.2)),
        "from its first words"
    );
    assert_eq!(v.speech.len(), 2);
    assert_eq!(v.speech[1].text, "常州110，请讲。");
    assert!(v.speech[1].greeting && !v.speech[0].greeting);

    // The caller: a number, a plate, urging.
    desk.speech_heard(
        s(answered, 4.0),
        s(answered, 9.0),
        &said("我电话是幺三八幺二三四五六七八，车牌苏蒂88367，我已经打了三次电话了"),
    )
    .unwrap();
    let v = desk.call(id).unwrap();
    let offered: Vec<(Option<ElementKey>, Option<SituationKind>, &str)> = v
        .offers
        .iter()
        .map(|o| (o.element, o.situation, o.value.as_str()))
        .collect();
    assert_eq!(
        offered,
        [
            (Some(ElementKey::Contact), None, "13812345678"),
            (Some(ElementKey::Object), None, "苏D88367"),
            (None, Some(SituationKind::RepeatUrging), "repeat_urging"),
        ]
    );
    // Offered, never applied.
    assert_eq!(v.call.element(ElementKey::Contact).value, "");
    assert!(v.call.situations.is_empty());

    // Accepting keeps what was typed and drops the offer.
    desk.set_element(ElementKey::Contact, "王先生").unwrap();
    let v = desk
        .accept_offer(ElementKey::Contact, "13812345678")
        .unwrap();
    assert_eq!(
        v.call.element(ElementKey::Contact).value,
        "王先生，13812345678"
    );
    assert!(v
        .offers
        .iter()
        .all(|o| o.element != Some(ElementKey::Contact)));
    let v = desk.add_situation(SituationKind::RepeatUrging).unwrap();
    assert!(v.offers.iter().all(|o| o.situation.is_none()));
    assert_eq!(v.offers.len(), 1, "the plate is still offered");

    // Speech from before the answer (the ringing room) is not the call's.
    let n = desk.call(id).unwrap().speech.len();
    desk.speech_heard(s(t0, -10.0), s(t0, -8.0), &said("早上好"))
        .unwrap();
    assert_eq!(desk.call(id).unwrap().speech.len(), n);
}

#[test]
fn a_call_taker_who_greets_by_hand_keeps_that_time_and_no_greeting_later() {
    let (_dir, clock, mut desk) = setup();
    desk.ring(AnswerSource::Manual).unwrap();
    clock.advance(Duration::seconds(3));
    desk.answer(AnswerSource::Manual).unwrap();
    let id = desk.mark_greeting().unwrap().call.id;
    let marked = desk.call(id).unwrap().call.greeting_at;
    clock.advance(Duration::seconds(1));
    let t = clock.now();
    desk.speech_heard(t, s(t, 2.0), &said("你好，常州110"))
        .unwrap();
    let v = desk.call(id).unwrap();
    assert_eq!(v.call.greeting_at, marked);
    assert!(!v.speech[0].greeting);
    // Something else entirely is not a greeting, even first.
    let (_dir2, clock2, mut desk2) = setup();
    desk2.ring(AnswerSource::Manual).unwrap();
    desk2.answer(AnswerSource::Manual).unwrap();
    let t = clock2.now();
    desk2
        .speech_heard(t, s(t, 2.0), &said("喂，你说什么？"))
        .unwrap();
    assert!(desk2
        .state()
        .unwrap()
        .active
        .unwrap()
        .call
        .greeting_at
        .is_none());
}
