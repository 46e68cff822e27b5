//! Scores a folder of clips with a `truth.tsv` (see
//! `tests/fixtures/speech-dev/README.md`) through Whisper base as the desk
//! takes each utterance: the character error rate, each field's offers
//! against the truth, the greeting, and every wrong offer.
#![allow(dead_code)] // each user takes a part

use std::path::{Path, PathBuf};

use jiejing_core::Gazetteer;
use jiejing_speech::normalize::normalize;
use jiejing_speech::score::{edit_distance, letters};
use jiejing_speech::{greeting, prompt_for, suggest, Places, Transcriber, Whisper};

pub fn model_path() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/ggml-base-q8_0.bin");
    assert!(p.exists(), "{} is missing: run `make model`", p.display());
    p
}

pub fn fixtures(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(dir)
}

pub const FIELDS: [&str; 5] = ["phone", "plate", "when", "where", "situation"];

pub struct Scored {
    pub cer: f64,
    /// Per field of [`FIELDS`]: (right, offered, expected).
    pub fields: [(u32, u32, u32); 5],
    /// Clips where the greeting was heard.
    pub greeted: Vec<String>,
    /// Offers that were not the truth, as "id field: offered (want)".
    pub wrong: Vec<String>,
}

impl Scored {
    pub fn precision(&self, k: usize) -> f64 {
        let (tp, pred, _) = self.fields[k];
        if pred == 0 {
            100.0
        } else {
            100.0 * f64::from(tp) / f64::from(pred)
        }
    }
    pub fn recall(&self, k: usize) -> f64 {
        let (tp, _, exp) = self.fields[k];
        if exp == 0 {
            100.0
        } else {
            100.0 * f64::from(tp) / f64::from(exp)
        }
    }
}

/// `show`: print each clip's transcript and every wrong offer (never for a
/// held-out part, which rules are not written from).
pub fn score(dir: &Path, show: bool) -> Scored {
    score_with(dir, show, jiejing_speech::whisper::DOUBT_P)
}

/// As [`score`], a character in doubt under token probability `doubt_p`.
pub fn score_with(dir: &Path, show: bool, doubt_p: f32) -> Scored {
    score_prompted(
        dir,
        show,
        doubt_p,
        &prompt_for("常州", &Gazetteer::builtin()),
    )
}

/// As [`score_with`], Whisper given `prompt`.
pub fn score_prompted(dir: &Path, show: bool, doubt_p: f32, prompt: &str) -> Scored {
    let mut whisper = Whisper::load(&model_path(), prompt).unwrap();
    whisper.doubt_p = doubt_p;
    let places = Places::of(&Gazetteer::builtin());
    let truth = std::fs::read_to_string(dir.join("truth.tsv")).unwrap();
    let (mut errors, mut total) = (0usize, 0usize);
    let mut s = Scored {
        cer: 0.0,
        fields: [(0, 0, 0); 5],
        greeted: Vec::new(),
        wrong: Vec::new(),
    };
    for line in truth.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        let (id, text) = (f[0], f[2]);
        let pcm = jiejing_audio::read_wav(&dir.join(format!("{id}.wav"))).unwrap();
        let segs = whisper.transcribe(&pcm).unwrap();
        let heard: String = segs.iter().map(|s| s.text.as_str()).collect();
        let d = edit_distance(&letters(&heard, true), &letters(text, true));
        errors += d;
        total += letters(text, true).len();
        if show {
            println!(
                "{id} {:>2}/{:<2} {}",
                d,
                letters(text, true).len(),
                normalize(&heard)
            );
        }
        if segs
            .iter()
            .any(|s| greeting::matches(&s.text, "你好，常州110"))
        {
            s.greeted.push(id.to_string());
        }
        // As the desk offers them: places in doubt only where the
        // gazetteer does not vouch for them.
        let doubt: Vec<String> = segs.iter().flat_map(|s| s.doubt.clone()).collect();
        let got = suggest(&heard, None, &places, &doubt);
        let want = [f[7], f[6], f[4], f[5], f[8]].map(|w| normalize(w.trim()));
        let lists = [
            &got.phone,
            &got.plate,
            &got.when,
            &got.place,
            &got.situation,
        ];
        for (k, list) in lists.iter().enumerate() {
            let got: Vec<String> = list.iter().map(|x| normalize(x)).collect();
            if k == 4 && matches!(want[4].as_str(), "greeting" | "") {
                // The greeting is judged on its own; a hint where the
                // truth has none counts against precision.
                s.fields[k].1 += got.len() as u32;
                continue;
            }
            let tp = u32::from(!want[k].is_empty() && got.contains(&want[k]));
            s.fields[k].0 += tp;
            s.fields[k].1 += got.len() as u32;
            s.fields[k].2 += u32::from(!want[k].is_empty());
            for g in got.iter().filter(|g| **g != want[k]) {
                s.wrong
                    .push(format!("{id} {}: {g} (want {:?})", FIELDS[k], want[k]));
            }
        }
    }
    s.cer = errors as f64 / total as f64 * 100.0;
    println!("{}:", dir.display());
    println!("character error rate {:.1} % ({errors}/{total})", s.cer);
    for (k, n) in FIELDS.iter().enumerate() {
        let (tp, pred, exp) = s.fields[k];
        println!(
            "{n:<10} precision {:>5.1} %  recall {:>5.1} %  ({tp}/{pred}, {tp}/{exp})",
            s.precision(k),
            s.recall(k)
        );
    }
    for w in s.wrong.iter().filter(|_| show) {
        println!("wrong offer: {w}");
    }
    s
}
