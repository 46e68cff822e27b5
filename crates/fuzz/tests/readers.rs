//! Every reader of outside input, fuzzed: damaged or crafted files give a
//! value or a clear error, never a panic or a hang (see `jiejing_fuzz`).
//! `JIEJING_FUZZ_CASES=20000 cargo test -p jiejing-fuzz --release -- --nocapture`
//! (`make fuzz`) prints the numbers.

use std::path::{Path, PathBuf};

use jiejing_audio::{RingProfile, SealKey};
use jiejing_fuzz::{fuzz, Ran};

fn assets(dir: &str) -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../assets")
        .join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn say(name: &str, r: &Ran) {
    println!(
        "fuzz {name:<16} {:>7} cases  {:>6} refused  {:>8.0} cases/s  slowest {:>7.2} ms",
        r.cases,
        r.errors,
        r.cases as f64 / r.took.as_secs_f64(),
        r.slowest.as_secs_f64() * 1000.0
    );
}

/// `input` written to `name` in a fresh folder, for readers of files.
fn as_file(dir: &Path, name: &str, input: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, input).unwrap();
    p
}

fn tone(seconds: f64) -> Vec<f32> {
    (0..(seconds * 16_000.0) as usize)
        .map(|i| 0.4 * (i as f32 * 0.19).sin())
        .collect()
}

#[test]
fn wav_recordings() {
    let dir = tempfile::tempdir().unwrap();
    let (mono, stereo) = (dir.path().join("m.wav"), dir.path().join("s.wav"));
    jiejing_audio::write_wav(&mono, &tone(0.3)).unwrap();
    jiejing_audio::write_wav_channels(&stereo, &tone(0.4), 2).unwrap();
    let seeds = vec![
        std::fs::read(&mono).unwrap(),
        std::fs::read(&stereo).unwrap(),
    ];
    let r = fuzz("wav", &seeds, |b| {
        let p = as_file(dir.path(), "x.wav", b);
        let one = jiejing_audio::read_wav(&p).is_err();
        let two = jiejing_audio::read_wav_sides(&p).is_err();
        one || two
    });
    say("wav", &r);
}

#[test]
fn sealed_and_plain_call_recordings() {
    let dir = tempfile::tempdir().unwrap();
    let key = SealKey::new([1; 32]);
    let mut seeds = Vec::new();
    for (ch, secs) in [(1u8, 0.6), (2, 0.3)] {
        let p = dir.path().join(format!("r{ch}.jrec"));
        let mut rec = jiejing_audio::Recorder::create(&p, ch, &key).unwrap();
        rec.write(&tone(secs)).unwrap();
        rec.finish().unwrap();
        seeds.push(std::fs::read(&p).unwrap());
        seeds.push(jiejing_audio::flac_bytes(&p, &key).unwrap());
    }
    let r = fuzz("recording", &seeds, |b| {
        let p = as_file(dir.path(), "x.jrec", b);
        let sealed = jiejing_audio::read_recording(&p, &key).is_err();
        let plain = jiejing_audio::read_recording_bytes(b, Path::new("x.flac")).is_err();
        sealed && plain
    });
    say("recording", &r);
}

#[test]
fn official_calendars() {
    let r = fuzz("calendar", &assets("calendar"), |b| {
        jiejing_calendar::YearCalendar::parse("2026.toml", &text(b)).is_err()
    });
    say("calendar", &r);
}

#[test]
fn phrase_packs() {
    let r = fuzz("phrases", &assets("phrases"), |b| {
        let t = text(b);
        // The seeds are the built-in packs and the dialect template.
        jiejing_core::PhraseLanguage::ALL
            .iter()
            .all(|l| jiejing_core::PhrasePack::parse("p.toml", &t, *l).is_err())
    });
    say("phrases", &r);
}

#[test]
fn referral_directories() {
    let r = fuzz("referrals", &assets("referrals"), |b| {
        jiejing_core::Directory::parse("zh-CN.toml", &text(b)).is_err()
    });
    say("referrals", &r);
}

/// What parses is used: a sentence naming its places is snapped to it.
#[test]
fn gazetteers() {
    let r = fuzz(
        "gazetteer",
        &assets("gazetteer"),
        |b| match jiejing_core::Gazetteer::parse("gazetteer.toml", &text(b)) {
            Ok(g) => {
                let said: String = g
                    .places
                    .iter()
                    .map(|p| format!("在{}88号，", p.name))
                    .collect();
                let places = jiejing_speech::Places::of(&g);
                let _ = jiejing_speech::suggest(&said, None, &places, &["8".into()]);
                false
            }
            Err(_) => true,
        },
    );
    say("gazetteer", &r);
}

#[test]
fn learned_rings() {
    let dir = tempfile::tempdir().unwrap();
    let key = SealKey::new([2; 32]);
    let mut seeds: Vec<Vec<u8>> = RingProfile::builtins()
        .iter()
        .map(|p| serde_json::to_vec_pretty(p).unwrap())
        .collect();
    let saved = jiejing_audio::save_learned(dir.path(), &RingProfile::builtins()[0], &key).unwrap();
    seeds.push(std::fs::read(&saved).unwrap());
    let r = fuzz("learned ring", &seeds, |b| {
        let json = serde_json::from_slice::<RingProfile>(b)
            .map_err(|e| e.to_string())
            .and_then(|p| p.validate().map_err(|e| e.to_string()));
        std::fs::write(&saved, b).unwrap();
        let sealed = jiejing_audio::load_learned(dir.path(), &key);
        // Whatever loads is a profile the detector can run on.
        if let Ok(Some(p)) = &sealed {
            jiejing_audio::analyze(&tone(0.5), vec![p.clone()]);
        }
        json.is_err() && sealed.is_err()
    });
    say("learned ring", &r);
}

/// A station's font for the 接警登记表 (`form-font.otf` in the data
/// folder): read, and a form printed with whatever it accepts.
#[test]
fn form_fonts() {
    let dir = tempfile::tempdir().unwrap();
    let seed =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/seeds/form-font.otf"))
            .unwrap();
    let form = jiejing_form::Form {
        station: "常州110报警服务台".into(),
        title: "接警登记表".into(),
        number: "一二三".into(),
        sections: vec![jiejing_form::Section {
            heading: "一".into(),
            rows: vec![jiejing_form::Row::new("二", "三 110 ABC")],
        }],
        footer: String::new(),
    };
    let face = jiejing_form::Typeface::load(&as_file(dir.path(), "form-font.otf", &seed)).unwrap();
    assert!(jiejing_form::render(std::slice::from_ref(&form), &face).is_ok());
    let r = fuzz(
        "form font",
        &[seed],
        |b| match jiejing_form::Typeface::load(&as_file(dir.path(), "form-font.otf", b)) {
            Ok(face) => jiejing_form::render(std::slice::from_ref(&form), &face).is_err(),
            Err(_) => true,
        },
    );
    say("form font", &r);
}

/// A ggml Whisper file: header, a 1 × 1 filterbank, a one-word vocabulary,
/// one f32 tensor of shape 2 × 3.
fn ggml() -> Vec<u8> {
    let mut b = Vec::new();
    let mut put = |v: i32| b.extend_from_slice(&v.to_le_bytes());
    put(0x6767_6d6c);
    for v in [
        51865, 1500, 512, 8, 6, 448, 512, 8, 6, 80, 1, 1, 1, 0, 1, 0, 2, 1, 0, 2, 3,
    ] {
        put(v);
    }
    b.push(b'w');
    b.extend(std::iter::repeat_n(0u8, 24));
    b
}

#[test]
fn whisper_model_files() {
    let dir = tempfile::tempdir().unwrap();
    let seed = ggml();
    assert!(jiejing_speech::model::check(&as_file(dir.path(), "m.bin", &seed)).is_ok());
    let r = fuzz("ggml model", &[seed], |b| {
        jiejing_speech::model::check(&as_file(dir.path(), "m.bin", b)).is_err()
    });
    say("ggml model", &r);
}

/// A CTranslate2 Whisper spec with one small f16 variable.
fn ct2() -> Vec<u8> {
    let mut b = 6u32.to_le_bytes().to_vec();
    b.extend(12u16.to_le_bytes());
    b.extend(b"WhisperSpec\0");
    b.extend(3u32.to_le_bytes()); // revision
    b.extend(1u32.to_le_bytes()); // one variable
    b.extend(5u16.to_le_bytes());
    b.extend(b"conv\0");
    b.extend([1, 4, 0, 0, 0, 4, 8, 0, 0, 0]); // rank 1, dim 4, f16, 8 bytes
    b.extend([0u8; 8]);
    b
}

#[test]
fn faster_whisper_imports() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.bin");
    let r = fuzz("ct2 import", &[ct2()], |b| {
        as_file(dir.path(), "model.bin", b);
        let failed =
            jiejing_speech::ct2::import(dir.path(), &out, jiejing_speech::ct2::Weights::Q8_0)
                .is_err();
        let _ = std::fs::remove_file(&out);
        failed
    });
    say("ct2 import", &r);
}

/// Inputs the fuzzer once found a panic with, kept: each is refused in words.
#[test]
fn inputs_that_once_crashed_a_reader_are_refused() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/crashes");
    let key = SealKey::new([1; 32]);
    for f in std::fs::read_dir(dir).unwrap() {
        let path = f.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let e = jiejing_audio::read_recording_bytes(&bytes, &path).unwrap_err();
        assert!(
            e.to_string().contains("broken frame"),
            "{}: {e}",
            path.display()
        );
        assert!(jiejing_audio::read_recording(&path, &key).is_err());
    }
}
