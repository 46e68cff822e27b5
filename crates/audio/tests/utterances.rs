//! Utterances cut from a stream of real Mandarin speech (the dev-set clips)
//! with pauses and room noise between them, as the live app cuts them for
//! the recogniser.

use std::path::PathBuf;

use jiejing_audio::{read_wav, Listener, RingProfile, SAMPLE_RATE};

fn clip(id: &str) -> Vec<f32> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/speech-dev")
        .join(format!("{id}.wav"));
    read_wav(&p).unwrap_or_else(|e| panic!("{e}"))
}

/// Low, steady room noise (deterministic).
fn noise(s: f64, seed: &mut u32) -> Vec<f32> {
    (0..(s * f64::from(SAMPLE_RATE)) as usize)
        .map(|_| {
            *seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (f64::from(*seed >> 8) / f64::from(1u32 << 24) - 0.5) as f32 * 0.002
        })
        .collect()
}

#[test]
fn sentences_become_utterances_that_hold_all_their_speech() {
    let mut seed = 7;
    let mut stream = noise(2.0, &mut seed);
    let mut spans = Vec::new();
    for id in ["u02", "u03", "u04"] {
        let start = stream.len() as f64 / f64::from(SAMPLE_RATE);
        let c = clip(id);
        let len = c.len() as f64 / f64::from(SAMPLE_RATE);
        stream.extend(c.iter().zip(noise(len, &mut seed)).map(|(a, b)| a + b));
        spans.push((start, start + len));
        stream.extend(noise(1.5, &mut seed));
    }
    let mut l = Listener::new(RingProfile::builtins()).cut_speech();
    let (mut events, mut cut) = (Vec::new(), Vec::new());
    for block in stream.chunks(480) {
        l.feed(block, &mut events);
        cut.extend(l.utterances());
    }
    let got: Vec<(f64, f64)> = cut.iter().map(|u| (u.start_s, u.end_s)).collect();
    // A sentence may come as two utterances when the speaker pauses at a
    // comma (u02: "喂，110吗？ … 我要报警"); none runs into the next one.
    for (a, b) in &spans {
        let mine: Vec<_> = cut
            .iter()
            .filter(|u| u.end_s > *a && u.start_s < *b)
            .collect();
        assert!(!mine.is_empty(), "nothing for {a}-{b}: {got:?}");
        // The clips carry ~0.1–0.3 s of their own silence at each end.
        assert!(
            mine[0].start_s <= a + 0.4,
            "starts late: {got:?} vs {spans:?}"
        );
        assert!(mine[mine.len() - 1].end_s >= b - 0.4, "ends early: {got:?}");
        for u in &mine {
            assert!(
                u.start_s >= a - 0.6 && u.end_s <= b + 0.6,
                "spills: {got:?}"
            );
        }
    }
    assert!(cut.len() <= 4, "{got:?}");
    for u in &cut {
        assert!(u.end_s - u.start_s <= jiejing_audio::MAX_S);
        assert_eq!(
            u.pcm.len(),
            ((u.end_s - u.start_s) * f64::from(SAMPLE_RATE)).round() as usize
        );
    }
    assert!(events.is_empty(), "speech is not a call: {events:?}");
}

/// A recording that ends while someone is still speaking (or within the
/// detector's wait after them) keeps its last utterance.
#[test]
fn a_recording_that_ends_on_speech_keeps_its_last_utterance() {
    let mut seed = 11;
    // The room's noise runs under the speech too (a microphone never hears
    // digital silence).
    let with_noise = |c: Vec<f32>, seed: &mut u32| -> Vec<f32> {
        let n = noise(c.len() as f64 / f64::from(SAMPLE_RATE), seed);
        c.iter().zip(n).map(|(a, b)| a + b).collect()
    };
    let mut stream = noise(1.0, &mut seed);
    stream.extend(with_noise(clip("u02"), &mut seed));
    stream.extend(noise(1.5, &mut seed));
    let last_at = stream.len() as f64 / f64::from(SAMPLE_RATE);
    stream.extend(with_noise(clip("u04"), &mut seed));
    let end = stream.len() as f64 / f64::from(SAMPLE_RATE);
    let cut = jiejing_audio::utterances_of(&stream);
    let spans: Vec<(f64, f64)> = cut.iter().map(|u| (u.start_s, u.end_s)).collect();
    let last = cut.last().expect("utterances");
    assert!((last.start_s - last_at).abs() < 0.5, "{spans:?}");
    assert!(
        last.end_s >= end - 0.4,
        "the last one runs to the end: {spans:?}"
    );
}
