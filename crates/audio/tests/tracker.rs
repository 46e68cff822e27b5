//! The tracker's answer rules over event times alone (no audio): a ring
//! cut short by the pick-up; rings the detector found on looking back.

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
    ring_of(0, onset, offset)
}

/// Profile 2 is the built-in trill, a band profile that wants two rings.
fn ring_of(profile: usize, onset: f64, offset: f64) -> [RingEvent; 2] {
    [
        RingEvent::ToneOn { profile, t: onset },
        RingEvent::ToneOff {
            profile,
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

/// As the detector tells a band ring's first rings found on looking back:
/// the ring now sounding started, then the rings behind it came and went,
/// then it starts again and ends.
fn found_behind(before: &[(f64, f64)], onset: f64, offset: f64) -> Vec<RingEvent> {
    let now = ring_of(2, onset, offset);
    let mut out = vec![now[0]];
    for &(on, off) in before {
        out.extend(ring_of(2, on, off));
    }
    out.extend(now);
    out
}

#[test]
fn rings_found_on_looking_back_start_the_call_in_order() {
    let events = [
        found_behind(&[(2.0, 3.0), (7.0, 8.0)], 12.0, 13.0),
        voice(14.0).to_vec(),
    ]
    .concat();
    let calls = hear(&events, 30.0);
    let onsets: Vec<f64> = calls[0].rings.iter().map(|r| r.onset).collect();
    assert_eq!(onsets, [2.0, 7.0, 12.0], "{calls:?}");
    assert_eq!(calls[0].answered_at, Some(14.0));
}

#[test]
fn a_ring_found_behind_the_one_sounding_is_not_its_end() {
    // Already ringing: a tone that came and went before the ring now
    // sounding is not that ring ending.
    let events = [
        ring_of(2, 2.0, 3.0).to_vec(),
        ring_of(2, 7.0, 8.0).to_vec(),
        found_behind(&[(4.0, 5.0)], 12.0, 13.0),
        voice(14.0).to_vec(),
    ]
    .concat();
    let calls = hear(&events, 30.0);
    let onsets: Vec<f64> = calls[0].rings.iter().map(|r| r.onset).collect();
    assert_eq!(onsets, [2.0, 7.0, 12.0], "{calls:?}");
}
