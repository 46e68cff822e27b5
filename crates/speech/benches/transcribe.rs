//! Transcription speed on the development clips: the model loaded once,
//! each clip transcribed as the live desk would after the caller stops
//! speaking. Prints per-utterance latency (p50/p95), the real-time factor
//! and the character error rate, for `audio_ctx` 500 (10 s, what the app
//! uses), the encoder context fitted to each utterance, and the full 30 s
//! context, in the same run.
//! `cargo bench -p jiejing-speech --bench transcribe` (needs `make model`).

use std::path::Path;
use std::time::Instant;

#[path = "../tests/clips/mod.rs"]
mod clips;

use jiejing_core::Gazetteer;
use jiejing_speech::score::{edit_distance, letters};
use jiejing_speech::{prompt_for, Context, Transcriber, Whisper};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dev = root.join("tests/fixtures/speech-dev");
    let truth = std::fs::read_to_string(dev.join("truth.tsv"))
        .expect("tests/fixtures/speech-dev/truth.tsv");
    let clips: Vec<(Vec<f32>, String)> = truth
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (
                jiejing_audio::read_wav(&dev.join(format!("{}.wav", f[0]))).unwrap(),
                f[2].to_string(),
            )
        })
        .collect();
    live(&root, &clips);
    doubt();
    peer(&root, &truth);
    let audio_s: f64 = clips.iter().map(|c| c.0.len() as f64 / 16_000.0).sum();
    for context in [Context::Ten, Context::Fit, Context::Full] {
        let t = Instant::now();
        let mut w = Whisper::load(
            &root.join("models/ggml-base-q8_0.bin"),
            &prompt_for("常州", &Gazetteer::builtin()),
        )
        .expect("make model");
        w.context = context;
        let load = t.elapsed().as_secs_f64();
        let (mut lat, mut err, mut raw, mut total) = (Vec::new(), 0, 0, 0);
        for (pcm, text) in &clips {
            let t = Instant::now();
            let segs = w.transcribe(pcm).unwrap();
            lat.push(t.elapsed().as_secs_f64());
            let heard: String = segs.iter().map(|s| s.text.as_str()).collect();
            err += edit_distance(&letters(&heard, true), &letters(text, true));
            raw += edit_distance(&letters(&heard, false), &letters(text, false));
            total += letters(text, true).len();
        }
        let sum: f64 = lat.iter().sum();
        lat.sort_by(f64::total_cmp);
        println!(
            "whisper.cpp base, {:<16} load {load:.2} s; per utterance p50 {:.2} s, p95 {:.2} s, max {:.2} s; real-time factor {:.2}; CER {:.1} % ({err}/{total}) normalised, {:.1} % as written",
            match context {
                Context::Fit => "context fitted",
                Context::Ten => "audio_ctx 500",
                Context::Full => "full 30 s context",
            },
            lat[lat.len() / 2],
            lat[lat.len() * 95 / 100],
            lat[lat.len() - 1],
            sum / audio_s,
            100.0 * err as f64 / total as f64,
            100.0 * raw as f64 / total as f64
        );
    }
}

/// As the desk hears it: each clip played into the ring listener's voice
/// detector (after a second of quiet, with quiet after it), cut into
/// partials and utterances as the app cuts them, each transcribed on one
/// worker as the app's is (a partial with newer work waiting is dropped).
/// Times run from the end of the clip's audio: until the words show (the
/// partial cut in the pause, when the final turns out to be it, else the
/// final) and until the line is kept with its offers (the detector sure
/// the speaker stopped). Beside it, in the same run, the path without
/// partials: every final transcribed when cut.
fn live(root: &Path, clips: &[(Vec<f32>, String)]) {
    let mut w = Whisper::load(
        &root.join("models/ggml-base-q8_0.bin"),
        &prompt_for("常州", &Gazetteer::builtin()),
    )
    .expect("make model");
    let (mut shown, mut kept, mut before) = (Vec::new(), Vec::new(), Vec::new());
    let (mut partials, mut reused, mut finals, mut updates) = (0, 0, 0, Vec::new());
    for (pcm, _) in clips {
        let mut l = jiejing_audio::Listener::new(jiejing_audio::RingProfile::builtins())
            .cut_speech()
            .with_partials();
        let mut stream = vec![0.0f32; 16_000];
        stream.extend_from_slice(pcm);
        let end_s = stream.len() as f64 / 16_000.0;
        stream.extend(vec![0.0f32; 3 * 16_000]);
        let mut events = Vec::new();
        // The worker: free from this stream second on; partials done, by
        // number, with when.
        let mut free = 0.0f64;
        let mut done: std::collections::HashMap<u64, f64> = Default::default();
        let mut cuts = Vec::new();
        for (i, block) in stream.chunks(160).enumerate() {
            l.feed(block, &mut events);
            let at = (i + 1) as f64 * 160.0 / 16_000.0;
            cuts.extend(l.utterances().map(|u| (at, u)));
        }
        for (k, (at, u)) in cuts.iter().enumerate() {
            let newer_waiting = cuts[k + 1..].iter().any(|(t, _)| *t <= free.max(*at));
            if u.partial.is_some() && newer_waiting {
                continue;
            }
            let reuse = u.same_as.and_then(|id| done.get(&id).copied());
            let (start, took) = match reuse {
                Some(_) => (*at, 0.0),
                None => {
                    let t = Instant::now();
                    w.transcribe(&u.pcm).unwrap();
                    (free.max(*at), t.elapsed().as_secs_f64())
                }
            };
            let ready = start + took;
            if let Some(id) = u.partial {
                partials += 1;
                done.insert(id, ready);
                free = ready;
                if *at < end_s {
                    updates.push(ready);
                }
                continue;
            }
            finals += 1;
            free = free.max(ready);
            // The same final transcribed at its cut, the old path.
            let t = Instant::now();
            w.transcribe(&u.pcm).unwrap();
            let alone = *at + t.elapsed().as_secs_f64();
            if u.end_s >= end_s - 0.5 {
                reused += usize::from(reuse.is_some());
                shown.push(reuse.map_or(ready, |r| r.min(ready)) - end_s);
                kept.push(ready - end_s);
                before.push(alone - end_s);
            }
        }
    }
    for v in [&mut shown, &mut kept, &mut before] {
        v.sort_by(f64::total_cmp);
    }
    let p = |v: &[f64], q: usize| v[(v.len() * q / 100).min(v.len() - 1)];
    println!(
        "live, audio_ctx 500, {} clips: {partials} partials ({} shown while the speaker still talked), {finals} finals ({reused} of the clips' last the partial itself); end of speech → words shown p50 {:.2} s, p95 {:.2} s; → line kept p50 {:.2} s, p95 {:.2} s; without partials (each final transcribed when cut) p50 {:.2} s, p95 {:.2} s",
        clips.len(),
        updates.len(),
        p(&shown, 50),
        p(&shown, 95),
        p(&kept, 50),
        p(&kept, 95),
        p(&before, 50),
        p(&before, 95)
    );
}

/// faster-whisper's transcripts of the same clips (written by
/// `tests/bench/peer.sh`, which `make bench` runs first), scored here with
/// the same normaliser and scorer as whisper.cpp's, so the CERs compare.
fn peer(root: &Path, truth: &str) {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or(root.join("target"), Into::into);
    for compute in ["float32", "int8"] {
        let file = target.join(format!("bench-peer/faster-whisper-{compute}.tsv"));
        let Ok(heard) = std::fs::read_to_string(&file) else {
            println!(
                "faster-whisper {compute}: no transcripts at {} (run tests/bench/peer.sh)",
                file.display()
            );
            continue;
        };
        let heard: std::collections::HashMap<&str, &str> =
            heard.lines().filter_map(|l| l.split_once('\t')).collect();
        let (mut err, mut raw, mut total) = (0, 0, 0);
        for l in truth.lines().skip(1).filter(|l| !l.trim().is_empty()) {
            let f: Vec<&str> = l.split('\t').collect();
            let h = heard.get(f[0]).copied().unwrap_or("");
            err += edit_distance(&letters(h, true), &letters(f[2], true));
            raw += edit_distance(&letters(h, false), &letters(f[2], false));
            total += letters(f[2], true).len();
        }
        println!(
            "faster-whisper base {compute:<8} (peer.sh), same scorer: CER {:.1} % ({err}/{total}) normalised, {:.1} % as written",
            100.0 * err as f64 / total as f64,
            100.0 * raw as f64 / total as f64
        );
    }
}

/// The doubt cut-off (`whisper::DOUBT_P`) tried over the spoken caller
/// utterances made here: chosen on their dev part, checked on the held-out
/// part. A place holding a character in doubt that no gazetteer entry
/// vouches for is not offered; 0 turns that off.
fn doubt() {
    for p in [0.0f32, 0.3, 0.45, 0.6] {
        let line = |part: &str| {
            let s = clips::score_with(&clips::fixtures(&format!("speech-tts/{part}")), false, p);
            let (tp, pred, exp) = s.fields[3];
            format!(
                "{part} places {tp}/{pred} offered right ({:.0} %), {tp}/{exp} found ({:.0} %)",
                s.precision(3),
                s.recall(3)
            )
        };
        println!("doubt under {p:.2}: {}; {}", line("dev"), line("heldout"));
    }
}
