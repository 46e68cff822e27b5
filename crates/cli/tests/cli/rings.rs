//! `jiejing rings analyze|learn` on recordings made with hound: the JSON
//! shape, the learned ring, and clear errors with exit code 2.

use crate::jiejing;

fn write(path: &std::path::Path, rate: u32, channels: u16, f: impl Fn(f64) -> f32, secs: f64) {
    let spec = hound::WavSpec {
        channels,
        sample_rate: rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for i in 0..(secs * f64::from(rate)) as usize {
        let v = (f(i as f64 / f64::from(rate)) * 32767.0) as i16;
        for _ in 0..channels {
            w.write_sample(v).unwrap();
        }
    }
    w.finalize().unwrap();
}

/// Chinese ring 1 s on / 4 s off from 0.5 s, `n` rings, then a voice-like
/// warble (harmonics of a gliding 180 Hz) 1.5 s after the last ring.
fn call(t: f64, n: usize) -> f32 {
    let k = ((t - 0.5) / 5.0).floor();
    let ring = t >= 0.5 && k < n as f64 && (t - 0.5) - k * 5.0 < 1.0;
    let tone = if ring {
        0.3 * (2.0 * std::f64::consts::PI * 450.0 * t).sin()
    } else {
        0.0
    };
    let v0 = 0.5 + (n - 1) as f64 * 5.0 + 1.0 + 1.5;
    let voice = if t >= v0 && t < v0 + 2.0 {
        let f0 = 180.0 + 30.0 * (t * 3.0).sin();
        (1..12)
            .map(|h| (2.0 * std::f64::consts::PI * f0 * h as f64 * t).sin() / h as f64)
            .sum::<f64>()
            * 0.2
            * (1.0 + (t * 25.0).sin()).abs()
    } else {
        0.0
    };
    (tone + voice) as f32
}

#[test]
fn analyze_prints_the_json_of_the_issue() {
    let dir = tempfile::tempdir().unwrap();
    let wav = dir.path().join("call.wav");
    // 44.1 kHz stereo: any layout is resampled.
    write(&wav, 44_100, 2, |t| call(t, 2), 16.0);
    let (code, out, err) = jiejing(
        dir.path(),
        &["rings", "analyze", wav.to_str().unwrap(), "--json"],
    );
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    // The issue's key order, as printed.
    let pos: Vec<usize> = [
        "\"rings\"",
        "\"answered\"",
        "\"answer_onset_s\"",
        "\"rings_before_answer\"",
        "\"compliant\"",
    ]
    .iter()
    .map(|k| out.find(k).unwrap_or_else(|| panic!("{k} missing: {out}")))
    .collect();
    assert!(pos.windows(2).all(|w| w[0] < w[1]), "{out}");
    assert_eq!(v.as_object().unwrap().len(), 5);
    let rings = v["rings"].as_array().unwrap();
    assert_eq!(rings.len(), 2, "{out}");
    assert!(
        (rings[0]["onset_s"].as_f64().unwrap() - 0.5).abs() < 0.1,
        "{out}"
    );
    assert!(
        (rings[1]["offset_s"].as_f64().unwrap() - 6.5).abs() < 0.15,
        "{out}"
    );
    assert_eq!(v["answered"], true, "{out}");
    assert!(
        (v["answer_onset_s"].as_f64().unwrap() - 8.0).abs() < 0.3,
        "{out}"
    );
    assert_eq!(v["rings_before_answer"], 2);
    assert_eq!(v["compliant"], true);
}

#[test]
fn learn_then_analyze_with_the_sample() {
    let dir = tempfile::tempdir().unwrap();
    let sample = dir.path().join("sample.wav");
    write(&sample, 16_000, 1, |t| call(t, 2) * f32::from(t < 7.0), 8.0);
    let (code, out, err) = jiejing(dir.path(), &["rings", "learn", sample.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    // Kept sealed with the desk's key: read back through it.
    let key = jiejing_desk::Desk::open(dir.path(), std::sync::Arc::new(jiejing_core::SystemClock))
        .unwrap()
        .files_key();
    let ring = jiejing_audio::load_learned(dir.path(), &key)
        .unwrap()
        .unwrap();
    let learned = serde_json::to_value(&ring).unwrap();
    let hz = learned["tones"]["hz"][0].as_f64().unwrap();
    assert!((hz - 450.0).abs() < 16.0, "{out}");
    let wav = dir.path().join("call.wav");
    write(&wav, 16_000, 1, |t| call(t, 4), 25.0);
    let (code, out, _) = jiejing(
        dir.path(),
        &[
            "rings",
            "analyze",
            wav.to_str().unwrap(),
            "--ring-sample",
            sample.to_str().unwrap(),
            "--json",
        ],
    );
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (v["rings_before_answer"].as_u64(), v["compliant"].as_bool()),
        (Some(4), Some(false)),
        "{out}"
    );
}

#[test]
fn bad_recordings_exit_2_and_say_why() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.wav");
    std::fs::write(&text, "not audio").unwrap();
    let silent = dir.path().join("silent.wav");
    write(&silent, 8_000, 1, |_| 0.0, 6.0);
    for (args, says) in [
        (
            vec!["rings", "analyze", "/no/such.wav"],
            "cannot read the file",
        ),
        (
            vec!["rings", "analyze", text.to_str().unwrap()],
            "not a WAV file",
        ),
        (
            vec![
                "rings",
                "analyze",
                silent.to_str().unwrap(),
                "--ring-sample",
                silent.to_str().unwrap(),
            ],
            "no ringing found",
        ),
        (
            vec!["rings", "learn", text.to_str().unwrap()],
            "not a WAV file",
        ),
    ] {
        let (code, _, err) = jiejing(dir.path(), &args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
}
