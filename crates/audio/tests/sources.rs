//! The layers above the audio source run the same on any source.

use jiejing_audio::{listen_to_end, write_wav, RingProfile, SyntheticSource, WavSource};

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
