//! `jiejing listen --wav`: whole calls (rings, the greeting after a varied
//! gap, a caller giving a number, a little noise) through the pipeline the
//! app runs, with the real model; a missed call; bad input.

use std::path::{Path, PathBuf};

use crate::jiejing;

const RATE: f64 = 16_000.0;

fn fixture(id: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../tests/fixtures/speech-dev/{id}.wav"))
}

fn model() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../models/ggml-base-q8_0.bin")
        .canonicalize()
        .expect("the speech model: run `make model`")
}

fn clip(id: &str) -> Vec<f32> {
    let mut r = hound::WavReader::open(fixture(id)).unwrap();
    assert_eq!(r.spec().sample_rate, 16_000);
    r.samples::<i16>()
        .map(|s| f32::from(s.unwrap()) / 32768.0)
        .collect()
}

fn silence(s: f64) -> Vec<f32> {
    vec![0.0; (s * RATE) as usize]
}

/// `rings` Chinese rings (450 Hz, 1 s on, 4 s off), `gap` seconds after the
/// last one the greeting (u01), then the caller's number (u17); `voice`
/// false: nobody answers. Low noise over all of it.
pub(super) fn call(path: &Path, rings: usize, gap: f64, voice: bool) {
    call_said(path, rings, gap, voice, 1.0, 0.01);
}

/// As [`call`], the voices said `speed` times as fast (at the same pitch)
/// and hiss of `hiss` peak to peak (0.01: about -46 dBFS; 0.1: -26 dBFS,
/// some 14 dB under the voices).
fn call_said(path: &Path, rings: usize, gap: f64, voice: bool, speed: f64, hiss: f32) {
    let mut pcm = silence(0.5);
    for i in 0..rings {
        pcm.extend(
            (0..RATE as usize)
                .map(|n| 0.3 * (2.0 * std::f64::consts::PI * 450.0 * n as f64 / RATE).sin() as f32),
        );
        if i + 1 < rings {
            pcm.extend(silence(4.0));
        }
    }
    if voice {
        pcm.extend(silence(gap));
        let said = |id: &str| jiejing_audio::stretch(&clip(id), speed);
        pcm.extend(said("u01").iter().map(|s| s * 2.0));
        pcm.extend(silence(1.0));
        pcm.extend(said("u17").iter().map(|s| s * 2.0));
    }
    pcm.extend(silence(2.0));
    // A fixed pseudo-random hiss at about -46 dBFS.
    let mut x: u32 = 12345;
    for s in &mut pcm {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        *s += ((x >> 16) as f32 / 65536.0 - 0.5) * hiss;
    }
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for s in pcm {
        w.write_sample((s.clamp(-1.0, 1.0) * 32767.0) as i16)
            .unwrap();
    }
    w.finalize().unwrap();
}

fn t(v: &serde_json::Value) -> chrono::DateTime<chrono::Utc> {
    v.as_str().unwrap().parse().unwrap()
}

#[test]
fn a_whole_call_is_heard_answered_greeted_and_transcribed() {
    // Rings, the gap before the greeting, how fast it is said, the hiss.
    for (rings, gap, speed, hiss) in [
        (1, 0.3, 1.0, 0.01),
        (2, 1.5, 1.0, 0.01),
        (3, 3.0, 1.0, 0.01),
        (2, 0.8, 0.85, 0.1),
        (1, 2.2, 1.2, 0.1),
        (3, 0.5, 1.0, 0.1),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let wav = dir.path().join("call.wav");
        call_said(&wav, rings, gap, true, speed, hiss);
        let data = dir.path().join("desk");
        // The model where a desk looks first: its data folder's models/.
        std::fs::create_dir_all(data.join("models")).unwrap();
        std::os::unix::fs::symlink(model(), data.join("models/ggml-base-q8_0.bin")).unwrap();
        let (code, out, err) =
            jiejing(&data, &["listen", "--wav", wav.to_str().unwrap(), "--json"]);
        let case =
            format!("{rings} ring(s), greeting {gap} s later at {speed}x, hiss {hiss}: {err}");
        assert_eq!(code, 0, "{case}");
        let calls: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
        assert_eq!(calls.len(), 1, "{case}\n{out}");
        let v = &calls[0];
        let c = &v["call"];
        // Left for the call-taker to finish, and said so.
        assert_eq!(c["state"], "in_progress", "{case}");
        assert!(err.contains("still in progress"), "{case}");
        assert_eq!(c["answerSource"], "audio", "{case}");
        assert_eq!(c["rings"].as_array().unwrap().len(), rings, "{case}");
        // Under the default call-taker id of Settings.
        assert_eq!(c["takerId"], "0001", "{case}");
        // Time from the file: the answer is the greeting's voice.
        let (ring, answered) = (t(&c["ringAt"]), t(&c["answeredAt"]));
        let expect = 0.5 + 5.0 * (rings - 1) as f64 + 1.0 + gap;
        let took = (answered - ring).num_milliseconds() as f64 / 1000.0;
        assert!(
            (took - (expect - 0.5)).abs() < 0.6,
            "{case}: answered after {took} s"
        );
        // The greeting marked within a second of the answer, never before it.
        let greeted = t(&c["greetingAt"]);
        let after = (greeted - answered).num_milliseconds();
        assert!(
            (0..1000).contains(&after),
            "{case}: greeting {after} ms after the answer"
        );
        let speech = v["speech"].as_array().unwrap();
        assert!(
            speech[0]["greeting"].as_bool().unwrap(),
            "{case}: {speech:?}"
        );
        let phones: Vec<&serde_json::Value> = speech
            .iter()
            .flat_map(|s| s["suggestions"]["phone"].as_array().unwrap())
            .collect();
        if hiss < 0.05 {
            assert_eq!(phones, ["15961234567"], "{case}: {speech:?}");
        } else {
            // Under loud hiss Whisper base may mishear a digit it is sure
            // of (15961231567 at 0.85x), and the extractor cannot know: a
            // known gap (README), printed rather than asserted.
            println!("{case}: phones offered {phones:?}");
        }
        let id = c["id"].as_i64().unwrap().to_string();
        recorded_whole(&data, &id, &wav, &case);
        // The same object as `calls show ID --json`.
        let (_, shown, _) = jiejing(&data, &["calls", "show", &id, "--json"]);
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&shown).unwrap(),
            *v,
            "{case}"
        );
    }
}

/// Call `id`'s recording, written out, is the input from its first ring to
/// the end of the file (the call is still open when the file ends), sample
/// for sample.
fn recorded_whole(data: &Path, id: &str, input: &Path, case: &str) {
    let out = data.join(format!("call-{id}.wav"));
    let (code, said, err) = jiejing(
        data,
        &["calls", "audio", id, "--out", out.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{case}: {err}");
    assert!(said.contains(&format!("call {id}:")), "{case}: {said}");
    let read = |p: &Path| -> Vec<i16> {
        hound::WavReader::open(p)
            .unwrap()
            .samples::<i16>()
            .map(Result::unwrap)
            .collect()
    };
    let (got, sent) = (read(&out), read(input));
    // The source adds its resampler's 64 samples of look-ahead at the end.
    let got = &got[..got.len() - 64];
    let short = (sent.len() as f64 - got.len() as f64) / RATE;
    // From half a second before the first ring, which began 0.5 s in.
    assert!(
        (0.0..0.3).contains(&short),
        "{case}: {short} s shorter than the input"
    );
    let tail = 3 * RATE as usize;
    let worst = got[got.len() - tail..]
        .iter()
        .zip(&sent[sent.len() - tail..])
        .map(|(a, b)| (i32::from(*a) - i32::from(*b)).abs())
        .max()
        .unwrap();
    assert!(worst <= 1, "{case}: differs by {worst}");
    // At rest it is sealed: nothing in the file a FLAC reader would take.
    let month = std::fs::read_dir(data.join("recordings"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let kept = std::fs::read(month.join(format!("{id}.jrec"))).unwrap();
    assert!(kept.starts_with(b"JJREC"), "{case}");
    assert!(!kept.windows(4).any(|w| w == b"fLaC"), "{case}");
    // Never overwritten; a call without a recording says so.
    let (code, _, err) = jiejing(
        data,
        &["calls", "audio", id, "--out", out.to_str().unwrap()],
    );
    assert!(code == 2 && err.contains("exists"), "{case}: {err}");
}

#[test]
fn ringing_nobody_answers_is_a_missed_call_and_closed() {
    let dir = tempfile::tempdir().unwrap();
    let wav = dir.path().join("missed.wav");
    call(&wav, 4, 0.0, false);
    let data = dir.path().join("desk");
    let (code, out, err) = jiejing(&data, &["listen", "--wav", wav.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("1 call(s)") && out.contains("[closed]"),
        "{out}"
    );
    assert!(out.contains("missed     nobody answered"), "{out}");
    assert!(out.contains("rings      4 before the answer"), "{out}");
    assert!(!err.contains("still in progress"), "{err}");
    // Without a model the desk hears the rings and says why there is no speech.
    assert!(
        err.contains("no speech") && err.contains("make model"),
        "{err}"
    );
    // Recorded until the desk closed it as missed, not to the file's end.
    let out = data.join("missed-call.wav");
    let (code, said, err) = jiejing(
        &data,
        &["calls", "audio", "1", "--out", out.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{err}");
    let seconds = hound::WavReader::open(&out).unwrap().duration() as f64 / RATE;
    assert!((16.0..25.0).contains(&seconds), "{seconds} s: {said}");
    let none = data.join("none.wav");
    let (code, _, why) = jiejing(
        &data,
        &["calls", "audio", "2", "--out", none.to_str().unwrap()],
    );
    assert!(code == 2 && why.contains("no recording"), "{why}");
}

#[test]
fn a_bad_recording_or_device_exits_2_and_keeps_the_desk() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("desk");
    let bad = dir.path().join("bad.wav");
    std::fs::write(&bad, b"RIFF....WAVEnot really").unwrap();
    for (args, says) in [
        (vec!["listen", "--wav", "/no/such.wav"], "/no/such.wav"),
        (vec!["listen", "--wav", bad.to_str().unwrap()], "bad.wav"),
        (
            vec!["listen", "--device", "no such mic", "--for", "1"],
            "no input device \"no such mic\"",
        ),
        (
            vec!["listen", "--wav", bad.to_str().unwrap(), "--for", "0"],
            "--for",
        ),
    ] {
        let (code, _, err) = jiejing(&data, &args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
}

/// A stereo line-in: the desk microphone on the left (the rings, the
/// greeting, later the call-taker reading a number back), the caller's
/// line on the right (the caller giving another number).
fn line_in_call(path: &Path) -> (Vec<f32>, Vec<f32>) {
    let mut mic = silence(0.5);
    for i in 0..2 {
        mic.extend(
            (0..RATE as usize)
                .map(|n| 0.3 * (2.0 * std::f64::consts::PI * 450.0 * n as f64 / RATE).sin() as f32),
        );
        mic.extend(silence(if i == 0 { 4.0 } else { 1.0 }));
    }
    mic.extend(clip("u01").iter().map(|s| s * 2.0));
    mic.extend(silence(1.0));
    let mut line = silence(mic.len() as f64 / RATE);
    line.extend(clip("u17").iter().map(|s| s * 2.0));
    line.extend(silence(1.0));
    mic.extend(silence(line.len() as f64 / RATE - mic.len() as f64 / RATE));
    mic.extend(clip("u06").iter().map(|s| s * 2.0));
    mic.extend(silence(2.0));
    line.extend(silence(mic.len() as f64 / RATE - line.len() as f64 / RATE));
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for (m, l) in mic.iter().zip(&line) {
        w.write_sample((m.clamp(-1.0, 1.0) * 32767.0) as i16)
            .unwrap();
        w.write_sample((l.clamp(-1.0, 1.0) * 32767.0) as i16)
            .unwrap();
    }
    w.finalize().unwrap();
    (mic, line)
}

#[test]
fn with_the_callers_line_the_transcript_says_who_spoke() {
    let dir = tempfile::tempdir().unwrap();
    let wav = dir.path().join("line-in.wav");
    line_in_call(&wav);
    let data = dir.path().join("desk");
    std::fs::create_dir_all(data.join("models")).unwrap();
    std::os::unix::fs::symlink(model(), data.join("models/ggml-base-q8_0.bin")).unwrap();
    let (code, out, err) = jiejing(
        &data,
        &[
            "listen",
            "--wav",
            wav.to_str().unwrap(),
            "--caller-line",
            "right",
            "--json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let calls: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(calls.len(), 1, "{out}");
    let c = &calls[0]["call"];
    assert_eq!(c["rings"].as_array().unwrap().len(), 2, "{c}");
    assert!(
        c["greetingAt"].is_string(),
        "the greeting, on the microphone: {c}"
    );
    let speech = calls[0]["speech"].as_array().unwrap();
    assert_eq!(speech[0]["speaker"], "taker", "{speech:?}");
    assert!(speech[0]["greeting"].as_bool().unwrap(), "{speech:?}");
    // The caller's number is offered; the one the call-taker read back is not.
    let caller = speech
        .iter()
        .find(|s| s["speaker"] == "caller")
        .expect("the caller's words");
    assert_eq!(
        caller["suggestions"]["phone"][0], "15961234567",
        "{speech:?}"
    );
    for s in speech.iter().filter(|s| s["speaker"] == "taker") {
        assert!(
            s["suggestions"]["phone"]
                .as_array()
                .is_none_or(|p| p.is_empty()),
            "offered from the call-taker's words: {s}"
        );
    }
    assert!(
        speech
            .iter()
            .any(|s| s["speaker"] == "taker" && s["text"].as_str().unwrap().contains("138")),
        "the call-taker's read-back is in the transcript: {speech:?}"
    );

    // Recorded in stereo: the microphone left, the line right.
    let out = data.join("call.wav");
    let (code, _, err) = jiejing(
        &data,
        &["calls", "audio", "1", "--out", out.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{err}");
    let r = hound::WavReader::open(&out).unwrap();
    assert_eq!(r.spec().channels, 2);
}
