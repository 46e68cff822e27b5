//! `jiejing transcribe` and `jiejing models` with the real model.

use std::path::{Path, PathBuf};

use crate::jiejing;

fn model() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/ggml-base-q8_0.bin")
}

fn clip(id: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../../tests/fixtures/speech-dev/{id}.wav"))
        .display()
        .to_string()
}

#[test]
fn transcribe_prints_the_json_of_the_issue() {
    let dir = tempfile::tempdir().unwrap();
    let m = model().display().to_string();
    let (code, out, err) = jiejing(
        dir.path(),
        &["transcribe", &clip("u19"), "--model", &m, "--json"],
    );
    assert_eq!(code, 0, "{err}");
    // Key order as the issue gives it.
    assert!(out.starts_with("{\"segments\":[{\"start_s\":"), "{out}");
    let keys = [
        "\"segments\"",
        "\"suggestions\"",
        "\"phone\"",
        "\"plate\"",
        "\"when\"",
        "\"where\"",
        "\"situation\"",
        "\"greeting_s\"",
    ];
    let at: Vec<usize> = keys
        .iter()
        .map(|k| out.find(k).unwrap_or_else(|| panic!("{k} in {out}")))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["suggestions"]["plate"][0], "苏D88367", "{out}");
    assert!(v["greeting_s"].is_null());
    let (code, out, _) = jiejing(
        dir.path(),
        &["transcribe", &clip("u01"), "--model", &m, "--json"],
    );
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["greeting_s"], 0.0, "{out}");
}

#[test]
fn a_missing_model_or_a_bad_wav_exits_2_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let none = dir.path().join("none.bin");
    let (code, _, err) = jiejing(
        dir.path(),
        &[
            "transcribe",
            &clip("u01"),
            "--model",
            none.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("none.bin") && err.contains("make model"),
        "{err}"
    );
    let not_wav = dir.path().join("x.wav");
    std::fs::write(&not_wav, "not audio").unwrap();
    let (code, _, err) = jiejing(
        dir.path(),
        &[
            "transcribe",
            not_wav.to_str().unwrap(),
            "--model",
            model().to_str().unwrap(),
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("x.wav"), "{err}");
    let (code, _, err) = jiejing(dir.path(), &["models", "check", not_wav.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("x.wav"), "{err}");
    let (code, _, err) = jiejing(
        dir.path(),
        &[
            "models",
            "import-ct2",
            dir.path().to_str().unwrap(),
            "--out",
            dir.path().join("o.bin").to_str().unwrap(),
        ],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("model.bin") && err.contains("not found"),
        "{err}"
    );
    assert!(!dir.path().join("o.bin").exists());
}

/// A whole call's audio (greeting, a pause, the caller) is cut into
/// utterances as the app cuts live audio: each comes with its time in the
/// recording, the greeting's time is when it began, the caller's number is
/// suggested.
#[test]
fn a_recording_is_cut_into_utterances_with_their_times() {
    let dir = tempfile::tempdir().unwrap();
    let read = |id: &str| -> Vec<i16> {
        hound::WavReader::open(clip(id))
            .unwrap()
            .samples::<i16>()
            .map(Result::unwrap)
            .collect()
    };
    let (greeting, caller) = (read("u01"), read("u17"));
    let mut pcm = vec![0i16; 16_000]; // 1 s of quiet, then the greeting
    pcm.extend(&greeting);
    pcm.extend(vec![0i16; 32_000]); // 2 s pause, then the caller
    let caller_at = pcm.len() as f64 / 16_000.0;
    pcm.extend(&caller);
    pcm.extend(vec![0i16; 16_000]);
    let wav = dir.path().join("call.wav");
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(&wav, spec).unwrap();
    for s in pcm {
        w.write_sample(s).unwrap();
    }
    w.finalize().unwrap();

    let m = model().display().to_string();
    let (code, out, err) = jiejing(
        dir.path(),
        &[
            "transcribe",
            &wav.display().to_string(),
            "--model",
            &m,
            "--json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let segs = v["segments"].as_array().unwrap();
    assert!(segs.len() >= 2, "{out}");
    let start = |i: usize| segs[i]["start_s"].as_f64().unwrap();
    assert!((0.6..=1.2).contains(&start(0)), "greeting at 1 s: {out}");
    let g = v["greeting_s"].as_f64().expect("greeting heard");
    assert!((g - start(0)).abs() < 1e-9, "{out}");
    assert!(
        segs.iter()
            .any(|s| (s["start_s"].as_f64().unwrap() - caller_at).abs() < 0.5),
        "an utterance starts with the caller at {caller_at} s: {out}"
    );
    assert_eq!(v["suggestions"]["phone"][0], "15961234567", "{out}");
}
