//! `jiejing transcribe` and `jiejing models`: offline speech from the
//! command line, with the same model and settings as the app.

use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::Subcommand;
use jiejing_core::Gazetteer;
use jiejing_speech::{
    ct2, model, prompt_for, utterance, Places, Segment, Suggestions, Transcriber, Whisper,
};
use serde::Serialize;

use crate::Usage;

/// Where `make model` puts the converted base model (8-bit weights: see
/// `ct2::Weights`).
const DEFAULT_MODEL: &str = "models/ggml-base-q8_0.bin";

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum WeightsArg {
    F16,
    #[value(name = "q8_0")]
    Q8_0,
}

#[derive(Subcommand)]
pub enum ModelsCmd {
    /// Convert a faster-whisper (CTranslate2) model folder to a ggml file
    ImportCt2 {
        dir: PathBuf,
        #[arg(long)]
        out: PathBuf,
        /// f16 as shipped, or q8_0 (smaller, faster here, CER +0.5 point)
        #[arg(long = "type", value_enum, default_value = "f16")]
        weights: WeightsArg,
    },
    /// Check a ggml model file (complete, a Whisper model)
    Check {
        #[arg(default_value = DEFAULT_MODEL)]
        file: PathBuf,
    },
}

pub fn models(c: ModelsCmd) -> Result<()> {
    match c {
        ModelsCmd::ImportCt2 { dir, out, weights } => {
            let t = std::time::Instant::now();
            let weights = match weights {
                WeightsArg::F16 => ct2::Weights::F16,
                WeightsArg::Q8_0 => ct2::Weights::Q8_0,
            };
            let n = ct2::import(&dir, &out, weights).map_err(|e| Usage(e.to_string()))?;
            let info = model::check(&out).map_err(|e| Usage(e.to_string()))?;
            out!(
                "{} written: {n} tensors, {:.0} MB, {:.1} s",
                out.display(),
                info.bytes as f64 / 1e6,
                t.elapsed().as_secs_f64()
            );
        }
        ModelsCmd::Check { file } => {
            let info = model::check(&file).map_err(|e| Usage(e.to_string()))?;
            out!(
                "{}: Whisper model, vocabulary {}, {}+{} layers, {} tensors, {:.0} MB",
                file.display(),
                info.n_vocab,
                info.n_audio_layer,
                info.n_text_layer,
                info.tensors,
                info.bytes as f64 / 1e6
            );
        }
    }
    Ok(())
}

/// The JSON of `transcribe --json`, with exactly the keys in its
/// order (injuries and weapons are in the text output only).
#[derive(Serialize)]
struct Transcript<'a> {
    segments: Vec<Segment>,
    suggestions: JsonSuggestions<'a>,
    greeting_s: Option<f64>,
}

#[derive(Serialize)]
struct JsonSuggestions<'a> {
    phone: &'a [String],
    plate: &'a [String],
    when: &'a [String],
    #[serde(rename = "where")]
    place: &'a [String],
    situation: &'a [String],
}

/// Merges per-utterance suggestions, keeping the first of each value.
fn merge(into: &mut Suggestions, s: Suggestions) {
    for (to, from) in [
        (&mut into.phone, s.phone),
        (&mut into.plate, s.plate),
        (&mut into.when, s.when),
        (&mut into.place, s.place),
        (&mut into.injury, s.injury),
        (&mut into.weapon, s.weapon),
        (&mut into.situation, s.situation),
    ] {
        for v in from {
            if !to.contains(&v) {
                to.push(v);
            }
        }
    }
}

/// The recording cut as the app cuts live audio (the ring listener's voice
/// detector, at most 10 s each), with each part's start in seconds; the
/// whole recording if no voice was found in it (a clip too short or quiet
/// for the detector).
fn utterances(pcm: &[f32]) -> Vec<(f64, Vec<f32>)> {
    let parts: Vec<(f64, Vec<f32>)> = jiejing_audio::utterances_of(pcm)
        .into_iter()
        .map(|u| (u.start_s, u.pcm))
        .collect();
    if parts.is_empty() {
        vec![(0.0, pcm.to_vec())]
    } else {
        parts
    }
}

pub fn transcribe(
    file: &Path,
    model_path: &Path,
    city: &str,
    greeting: &str,
    places: &Gazetteer,
    json: bool,
) -> Result<()> {
    let usage = |e: String| anyhow::Error::new(Usage(e));
    let pcm = jiejing_audio::read_wav(file).map_err(|e| usage(e.to_string()))?;
    let mut whisper = Whisper::load(model_path, &prompt_for(city, places)).map_err(|e| {
        usage(format!(
            "{e}; get the model with `make model`, or pass --model"
        ))
    })?;
    // Each utterance goes through what the desk does with it
    // (jiejing_speech::utterance); the greeting is matched over what was
    // said since the first utterance, as the desk does since the answer.
    let places_heard = Places::of(places);
    let (mut segments, mut said) = (Vec::new(), Vec::<(f64, String)>::new());
    let (mut greeting_s, mut sug) = (None, Suggestions::default());
    for (offset, part) in utterances(&pcm) {
        let segs: Vec<Segment> = whisper
            .transcribe(&part)?
            .into_iter()
            .map(|seg| Segment {
                start_s: seg.start_s + offset,
                end_s: seg.end_s + offset,
                ..seg
            })
            .collect();
        let Some(taken) = utterance::take(&segs, &places_heard) else {
            continue;
        };
        let first = said.first().map_or(offset, |(t, _)| *t);
        if greeting_s.is_none() && offset <= first + utterance::GREETING_WITHIN_S {
            let before: Vec<&str> = said.iter().map(|(_, t)| t.as_str()).collect();
            if utterance::greets(&before, &taken.text, greeting) {
                greeting_s = Some(first);
            }
        }
        merge(&mut sug, taken.offered);
        said.push((offset, taken.text));
        segments.extend(segs.into_iter().map(|s| Segment {
            text: jiejing_speech::normalize::normalize(&s.text),
            ..s
        }));
    }
    if greeting_s.is_some() {
        sug.situation.insert(0, "greeting".into());
    }
    if json {
        out!(
            "{}",
            serde_json::to_string(&Transcript {
                segments,
                suggestions: JsonSuggestions {
                    phone: &sug.phone,
                    plate: &sug.plate,
                    when: &sug.when,
                    place: &sug.place,
                    situation: &sug.situation,
                },
                greeting_s
            })?
        );
        return Ok(());
    }
    for s in &segments {
        out!("[{:>6.2} – {:>6.2}] {}", s.start_s, s.end_s, s.text);
    }
    let list = |v: &[String]| {
        if v.is_empty() {
            "-".to_string()
        } else {
            v.join(", ")
        }
    };
    out!(
        "phone {} · plate {} · when {} · where {} · injury {} · weapon {} · situation {}",
        list(&sug.phone),
        list(&sug.plate),
        list(&sug.when),
        list(&sug.place),
        list(&sug.injury),
        list(&sug.weapon),
        list(&sug.situation)
    );
    if let Some(g) = greeting_s {
        out!("greeting at {g:.2} s");
    }
    Ok(())
}
