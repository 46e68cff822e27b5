//! Offline transcription with whisper.cpp through whisper-rs, behind the
//! [`Transcriber`] seam (the app and the CLI hold a `Box<dyn Transcriber>`).
//!
//! Settings measured on this project's 2-core machine with Whisper base on
//! clips like the dev set: greedy decoding, no temperature fallback (it
//! re-decodes and can take 20× longer on noise), `audio_ctx` 500 (10 s of
//! audio, a third of the encoder's work, same accuracy on utterances that
//! short), Mandarin, and an initial prompt that steers to simplified
//! Chinese and fixes the city and 110.

use std::path::Path;

use serde::Serialize;
use whisper_rs::{
    FullParams, SamplingStrategy, WhisperContext, WhisperContextParameters, WhisperState,
};

/// One piece of transcript, times from the start of the audio given.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Segment {
    pub start_s: f64,
    pub end_s: f64,
    pub text: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SpeechError {
    #[error(transparent)]
    Model(#[from] crate::model::ModelError),
    #[error("whisper: {0}")]
    Whisper(String),
}

/// Speech to text for 16 kHz mono audio.
pub trait Transcriber: Send {
    /// # Errors
    /// The recogniser failed on this audio.
    fn transcribe(&mut self, pcm: &[f32]) -> Result<Vec<Segment>, SpeechError>;
}

/// Audio longer than this gets the full encoder context.
const SHORT_S: f64 = 10.0;

pub struct Whisper {
    /// Holds its own reference to the loaded model (whisper-rs 0.16).
    state: WhisperState,
    prompt: String,
    threads: i32,
    /// Use the encoder's full 30 s context even for short audio (slower;
    /// for comparison in the benchmark).
    pub full_context: bool,
}

impl Whisper {
    /// Loads a ggml model after checking the file ([`crate::model::check`]).
    ///
    /// # Errors
    /// A missing, truncated or foreign file; whisper.cpp refusing it.
    pub fn load(path: &Path, prompt: &str) -> Result<Whisper, SpeechError> {
        crate::model::check(path)?;
        whisper_rs::install_logging_hooks(); // whisper.cpp's chatter off stderr
        let ctx = WhisperContext::new_with_params(path, WhisperContextParameters::default())
            .map_err(|e| SpeechError::Whisper(format!("{}: {e}", path.display())))?;
        let state = ctx
            .create_state()
            .map_err(|e| SpeechError::Whisper(e.to_string()))?;
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get().min(4)) as i32;
        Ok(Whisper {
            state,
            prompt: prompt.to_string(),
            threads,
            full_context: false,
        })
    }
}

impl Transcriber for Whisper {
    fn transcribe(&mut self, pcm: &[f32]) -> Result<Vec<Segment>, SpeechError> {
        let mut p = FullParams::new(SamplingStrategy::Greedy { best_of: 1 });
        p.set_language(Some("zh"));
        p.set_initial_prompt(&self.prompt);
        p.set_temperature(0.0);
        p.set_temperature_inc(0.0);
        p.set_no_context(true);
        p.set_n_threads(self.threads);
        p.set_print_progress(false);
        p.set_print_realtime(false);
        p.set_print_special(false);
        p.set_print_timestamps(false);
        if !self.full_context && (pcm.len() as f64 / crate::SAMPLE_RATE) <= SHORT_S {
            p.set_audio_ctx(500);
        }
        self.state
            .full(p, pcm)
            .map_err(|e| SpeechError::Whisper(e.to_string()))?;
        let mut out = Vec::new();
        for seg in self.state.as_iter() {
            let text = seg
                .to_str_lossy()
                .map_err(|e| SpeechError::Whisper(e.to_string()))?
                .trim()
                .to_string();
            if text.is_empty() || is_hallucination(&text) {
                continue;
            }
            // Whisper pads to 30 s and may end the last segment there.
            let duration = pcm.len() as f64 / crate::SAMPLE_RATE;
            out.push(Segment {
                start_s: (seg.start_timestamp() as f64 / 100.0).min(duration),
                end_s: (seg.end_timestamp() as f64 / 100.0).min(duration),
                text,
            });
        }
        Ok(out)
    }
}

/// What Whisper writes for silence and noise (seen here without voice
/// gating): credits of subtitle groups, blank markers.
fn is_hallucination(text: &str) -> bool {
    const SEEN: [&str; 6] = [
        "字幕由",
        "Amara.org",
        "[BLANK_AUDIO]",
        "请不吝点赞",
        "订阅",
        "谢谢观看",
    ];
    SEEN.iter().any(|s| text.contains(s))
}
