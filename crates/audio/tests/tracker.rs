//! The tracker's answer rules over event times alone (no audio): a ring
//! cut short by the pick-up.

use jiejing_audio::{CallEvent, CallTracker, RingCall, RingEvent, RingProfile};

/// The Chinese ring (profile 0): 1 s on, 4 s off.
fn hear(events: &[RingEvent], until: f64) -> Vec<RingCall> {
    let mut tracker = CallTracker::new(RingProfile::builtins());
    let mut out = Vec::new();
    for e in events {
        tracker.event(e, &mut out);
    }
    tracker.tick(until, &mut out);
    out.into_iter()
        .filter_map(|e| match e {
            CallEvent::Ended(c) => Some(c),
            _ => None,
        })
        .collect()
}

fn ring(onset: f64, offset: f64) -> [RingEvent; 2] {
    [
        RingEvent::ToneOn {
            profile: 0,
            t: onset,
        },
        RingEvent::ToneOff {
            profile: 0,
            onset,
            offset,
            steady: true,
        },
    ]
}

fn voice(t: f64) -> [RingEvent; 2] {
    [RingEvent::VoiceOn { t }, RingEvent::VoiceOff { t: t + 0.4 }]
}

#[test]
fn a_ring_cut_by_the_pick_up_counts_though_someone_spoke_in_the_pause() {
    // Ring, a word in the pause, the next ring cut at 0.7 s as the
    // call-taker speaks; it ends past the longest pause after the first.
    let events: Vec<RingEvent> = [ring(1.0, 2.0), voice(3.0), ring(6.3, 7.0), voice(7.05)].concat();
    let calls = hear(&events, 20.0);
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(calls[0].rings.len(), 2, "{calls:?}");
    assert_eq!(calls[0].answered_at, Some(7.05));
}

#[test]
fn a_blip_after_someone_spoke_is_not_a_ring_cut_by_the_pick_up() {
    // Too short to be a ring cut by a pick-up once a voice was heard: the
    // voice in the pause answered.
    let events: Vec<RingEvent> = [ring(1.0, 2.0), voice(3.0), ring(4.0, 4.4), voice(4.45)].concat();
    let calls = hear(&events, 20.0);
    assert_eq!(calls[0].rings.len(), 1, "{calls:?}");
    assert_eq!(calls[0].answered_at, Some(3.0));
}

#[test]
fn a_short_ring_the_phone_rang_on_after_is_not_counted() {
    // A tone of 0.5 s with a voice over it looks like a ring cut by the
    // pick-up, until the phone rings on: then it was not a ring.
    let events: Vec<RingEvent> = [
        &ring(1.0, 2.0)[..],
        &ring(6.0, 7.0),
        &ring(9.0, 9.5)[..1],
        &voice(9.1)[..1],
        &ring(9.0, 9.5)[1..],
        &ring(11.5, 12.5),
        &voice(13.0),
    ]
    .concat();
    let calls = hear(&events, 30.0);
    let onsets: Vec<f64> = calls[0].rings.iter().map(|r| r.onset).collect();
    assert_eq!(onsets, [1.0, 6.0, 11.5], "{calls:?}");
    assert_eq!(calls[0].answered_at, Some(13.0));
}
