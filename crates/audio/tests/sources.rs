//! The layers above the audio source run the same on any source.

use jiejing_audio::{
    listen_to_end, write_wav, CallEvent, Listener, RingProfile, SyntheticSource, WavSource,
};

/// Three Chinese rings (1 s on / 4 s off) from 1 s, then a buzzy voice-like
/// sound 1.5 s after the last ring.
fn call(t: f64) -> f32 {
    let k = ((t - 1.0) / 5.0).floor();
    let ring = t >= 1.0 && k < 3.0 && (t - 1.0) - k * 5.0 < 1.0;
    let tone = if ring {
        0.2 * (2.0 * std::f64::consts::PI * 450.0 * t).sin()
    } else {
        0.0
    };
    let voice = if (13.5..16.0).contains(&t) {
        let f0 = 170.0 + 25.0 * (t * 4.0).sin();
        (1..14)
            .map(|h| (2.0 * std::f64::consts::PI * f0 * h as f64 * t).sin() / h as f64)
            .sum::<f64>()
            * 0.25
            * (1.0 + (t * 20.0).sin()).abs()
    } else {
        0.0
    };
    (tone + voice) as f32
}

#[test]
fn synthetic_and_wav_sources_give_the_same_call() {
    let mut synth = SyntheticSource::new(20.0, call);
    let a = listen_to_end(&mut synth, RingProfile::builtins()).unwrap();
    assert_eq!(a.len(), 1, "{a:?}");
    assert_eq!(a[0].rings_before_answer(), 3);
    assert!((a[0].answered_at.unwrap() - 13.5).abs() < 0.2, "{a:?}");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("call.wav");
    let samples: Vec<f32> = (0..20 * 16_000)
        .map(|i| call(i as f64 / 16_000.0))
        .collect();
    write_wav(&path, &samples).unwrap();
    let b = listen_to_end(
        &mut WavSource::open(&path).unwrap(),
        RingProfile::builtins(),
    )
    .unwrap();
    assert_eq!(b.len(), 1);
    assert_eq!(b[0].rings.len(), a[0].rings.len());
    for (x, y) in a[0].rings.iter().zip(&b[0].rings) {
        assert!((x.onset - y.onset).abs() < 0.03 && (x.offset - y.offset).abs() < 0.03);
    }
}

#[test]
fn a_tone_that_starts_in_a_pause_and_never_stops_does_not_hold_the_call() {
    // Two Chinese rings, then a 450 Hz TV tone from 9 s on: the call must
    // end as missed with two rings while the tone still sounds, not wait
    // on a "ring" that never ends.
    let f = |t: f64| {
        let k = ((t - 1.0) / 5.0).floor();
        let ring = t >= 1.0 && k < 2.0 && (t - 1.0) - k * 5.0 < 1.0;
        if ring || t >= 9.0 {
            (0.2 * (2.0 * std::f64::consts::PI * 450.0 * t).sin()) as f32
        } else {
            0.0
        }
    };
    let mut l = Listener::new(RingProfile::builtins());
    let mut events = Vec::new();
    let mut ended = None;
    for i in 0..400 {
        let block: Vec<f32> = (0..1600)
            .map(|k| f((i * 1600 + k) as f64 / 16_000.0))
            .collect();
        l.feed(&block, &mut events);
        for e in events.drain(..) {
            if let CallEvent::Ended(c) = e {
                ended.get_or_insert((l.now(), c));
            }
        }
    }
    let (at, call) = ended.expect("the call never ended");
    assert!(at < 25.0, "ended only at {at} s");
    assert_eq!(call.rings.len(), 2);
    assert!(call.answered_at.is_none());
}
