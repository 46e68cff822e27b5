//! `jiejing transcribe` and `jiejing models` with the real model.

use std::path::{Path, PathBuf};

use crate::jiejing;

fn model() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/ggml-base-q8_0.bin")
}

fn clip(id: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../../../shared/audio/speech-dev/{id}.wav"))
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
