//! Offline transcription with whisper.cpp through whisper-rs, behind the
//! [`Transcriber`] seam (the app and the CLI hold a `Box<dyn Transcriber>`).
//!
//! Settings measured on this project's 2-core machine with Whisper base on
//! clips like the dev set: greedy decoding, a warmer decode only where the
//! first loops or is doubted ([`FALLBACK_INC`]), `audio_ctx` 500 (10 s of
//! audio, a third of the encoder's work, same accuracy on utterances that
//! short), Mandarin, and an initial prompt that fixes the city, 110 and
//! the districts ([`crate::prompt_for`]). What Whisper writes is made
//! simplified before anything reads it.

use std::path::Path;

use serde::Serialize;
use whisper_rs::{
    FullParams, SamplingStrategy, WhisperContext, WhisperContextParameters, WhisperState,
};

use crate::simplify::to_simplified;

/// One piece of transcript, times from the start of the audio given.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Segment {
    pub start_s: f64,
    pub end_s: f64,
    pub text: String,
    /// Characters of `text` the recogniser was unsure of (see [`DOUBT_P`]),
    /// each with the character before it, to find them again.
    #[serde(skip)]
    pub doubt: Vec<String>,
}

/// A character whose token Whisper gave less than this probability is in
/// doubt. On the dev set the wrong characters of places (龙警路 for 龙锦路:
/// 0.38; 南大加 for 南大街: 0.26) fall under it, the right ones of places
/// (0.52 and up) above; plate letters heard as syllables fall under it too,
/// but those are normalised, not trusted as heard.
pub const DOUBT_P: f32 = 0.45;

/// The doubtful characters of a decoded segment, from its tokens' bytes
/// (a Chinese character may be split over two tokens: the lower
/// probability counts).
fn doubtful(tokens: &[(Vec<u8>, f32)], doubt_p: f32) -> Vec<String> {
    let (mut bytes, mut probs) = (Vec::new(), Vec::new());
    for (b, p) in tokens {
        // Special tokens ([_BEG_], [_EOT_], [_TT_360]) are not text.
        if b.starts_with(b"[_") && b.ends_with(b"]") {
            continue;
        }
        bytes.extend_from_slice(b);
        probs.extend(std::iter::repeat_n(*p, b.len()));
    }
    let text = String::from_utf8_lossy(&bytes);
    if text.len() != bytes.len() {
        return Vec::new(); // not valid UTF-8 as a whole: no positions to trust
    }
    let mut out = Vec::new();
    let mut prev: Option<char> = None;
    for (i, c) in text.char_indices() {
        let p = probs[i..i + c.len_utf8()]
            .iter()
            .copied()
            .fold(1.0f32, f32::min);
        if !c.is_ascii() && c.is_alphanumeric() && p < doubt_p {
            out.push(
                prev.filter(|x| x.is_alphanumeric())
                    .into_iter()
                    .chain([c])
                    .collect(),
            );
        }
        prev = Some(c);
    }
    out
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
/// Encoder context beyond the audio with [`Context::Fit`], in seconds.
/// Measured on the dev set (q8_0): margins of 1, 2, 3 s gave CER 23 %,
/// 27 %, 20 %; 4 s gave 8.7 % at 0.95 s per utterance, against 7.9 % at
/// 1.28 s for [`Context::Ten`].
const FIT_MARGIN_S: f64 = 4.0;
/// A decode that loops or that the decoder itself doubts (Whisper's
/// entropy and log-probability checks) is decoded again at temperature
/// 0.2, 0.4 …, as Whisper does by default. At 0 a phone number read in
/// groups looped (159,2194,66296,626,626,…) and the whole utterance was
/// dropped as a loop: 3 of 60 spoken numbers. The 24 dev clips never fall
/// back: their latency and CER are the same either way (`cargo bench -p
/// jiejing-speech --bench transcribe`).
const FALLBACK_INC: f32 = 0.2;

/// The encoder's context for audio of up to 10 s (longer audio always
/// gets the whole 30 s window).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Just the audio's length plus a margin: the encoder's work shrinks
    /// with the utterance, but Whisper base hears worse (see
    /// [`FIT_MARGIN_S`]).
    Fit,
    /// 10 s (`audio_ctx` 500), whatever the length: the desk's choice,
    /// as accurate as the full window here at a quarter of its time.
    Ten,
    /// The whole 30 s window Whisper was trained on.
    Full,
}

pub struct Whisper {
    /// Holds its own reference to the loaded model (whisper-rs 0.16).
    state: WhisperState,
    prompt: String,
    threads: i32,
    /// How much of the encoder's 30 s window to run (the benchmark
    /// compares them).
    pub context: Context,
    /// The token probability under which a character is in doubt
    /// ([`DOUBT_P`]; the benchmark tries others).
    pub doubt_p: f32,
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
            context: Context::Ten,
            doubt_p: DOUBT_P,
        })
    }
}

impl Transcriber for Whisper {
    fn transcribe(&mut self, pcm: &[f32]) -> Result<Vec<Segment>, SpeechError> {
        let mut p = FullParams::new(SamplingStrategy::Greedy { best_of: 1 });
        p.set_language(Some("zh"));
        p.set_initial_prompt(&self.prompt);
        p.set_temperature(0.0);
        p.set_temperature_inc(FALLBACK_INC);
        p.set_no_context(true);
        p.set_n_threads(self.threads);
        p.set_print_progress(false);
        p.set_print_realtime(false);
        p.set_print_special(false);
        p.set_print_timestamps(false);
        let secs = pcm.len() as f64 / crate::SAMPLE_RATE;
        if self.context != Context::Full && secs <= SHORT_S {
            p.set_audio_ctx(match self.context {
                // 50 encoder frames a second, plus a margin of silence.
                Context::Fit => (((secs + FIT_MARGIN_S) * 50.0).ceil() as i32).min(500),
                _ => 500,
            });
            // One utterance, one segment; and a token budget well above
            // fast speech (~6 characters a second), so a decoder caught in
            // a loop ("请教训练试，请教训练试，…") stops early.
            p.set_single_segment(true);
            p.set_max_tokens((16.0 + 12.0 * secs) as i32);
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
            // Simplified before the filters, which know their words and
            // the prompt in simplified characters.
            let text = to_simplified(&without_annotations(&text));
            if text.is_empty()
                || is_hallucination(&text)
                || looped(&text)
                || echoes(&self.prompt, &text)
            {
                continue;
            }
            let tokens: Vec<(Vec<u8>, f32)> = (0..seg.n_tokens())
                .filter_map(|i| seg.get_token(i))
                .map(|t| (t.to_bytes().unwrap_or(&[]).to_vec(), t.token_probability()))
                .collect();
            // Whisper pads to 30 s and may end the last segment there.
            let duration = pcm.len() as f64 / crate::SAMPLE_RATE;
            out.push(Segment {
                start_s: (seg.start_timestamp() as f64 / 100.0).min(duration),
                end_s: (seg.end_timestamp() as f64 / 100.0).min(duration),
                text,
                doubt: doubtful(&tokens, self.doubt_p),
            });
        }
        Ok(out)
    }
}

/// Whisper sometimes writes back its own prompt for a short or unclear
/// utterance ("你好，常州110报警电话录音。" was heard here for a greeting).
/// The prompt is read piece by piece (between its punctuation), so a
/// caller naming two places the prompt happens to list side by side is not
/// taken for it. A text that shares six or more characters in a row with
/// one piece, and is mostly that, is the prompt; a greeting shares only
/// "常州110", a caller's "我打了报警电话" only a small part of what they
/// said. So is a text that is mostly three or more of the prompt's place
/// names: nobody reports an incident by reciting the district list.
fn echoes(prompt: &str, text: &str) -> bool {
    let keep = |s: &str| -> Vec<char> {
        to_simplified(s)
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect()
    };
    let t = keep(text);
    let pieces: Vec<Vec<char>> = prompt
        .split(|c: char| !c.is_alphanumeric())
        .map(keep)
        .filter(|p| p.len() >= 2)
        .collect();
    let longest_shared = |p: &[char]| {
        let mut best = 0;
        let mut prev = vec![0usize; t.len() + 1];
        for a in p {
            let mut row = vec![0usize; t.len() + 1];
            for (j, b) in t.iter().enumerate() {
                if a == b {
                    row[j + 1] = prev[j] + 1;
                    best = best.max(row[j + 1]);
                }
            }
            prev = row;
        }
        best
    };
    let best = pieces.iter().map(|p| longest_shared(p)).max().unwrap_or(0);
    let listed: Vec<&Vec<char>> = pieces
        .iter()
        .filter(|p| p.len() <= 8 && t.windows(p.len()).any(|w| w == p.as_slice()))
        .collect();
    let listed_chars: usize = listed.iter().map(|p| p.len()).sum();
    (best >= 6 && 2 * best >= t.len()) || (listed.len() >= 3 && 2 * listed_chars >= t.len())
}

/// A decoder loop: a piece of two or more characters repeated four times
/// running. Nobody says "请教训练试" four times in a row; the words around
/// such a loop are not trustworthy either, so the segment is dropped.
fn looped(text: &str) -> bool {
    let c: Vec<char> = text
        .chars()
        .filter(|c| !c.is_ascii_punctuation() && !"，。？！、 ".contains(*c))
        .collect();
    (2..=12).any(|n| {
        (0..c.len().saturating_sub(4 * n - 1))
            .any(|i| (1..4).all(|k| c[i..i + n] == c[i + k * n..i + (k + 1) * n]))
    })
}

/// Whisper's notes on sounds rather than words, by their shape: a short
/// bracketed word ("(车)", "（笑声）", "[音乐]", "【掌声】") or music signs.
/// A segment of nothing else was no speech; one such before the greeting
/// was taken as the call-taker's first words.
fn without_annotations(text: &str) -> String {
    static NOTE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let note = NOTE.get_or_init(|| {
        regex::Regex::new(r"[(（\[【*][^()（）\[\]【】*]{0,8}[)）\]】*]|[♪♫]")
            .expect("a valid pattern")
    });
    note.replace_all(text, "").trim().to_string()
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

#[cfg(test)]
mod tests {
    use super::{doubtful, echoes, looped, without_annotations};

    #[test]
    fn notes_on_sounds_are_not_speech() {
        assert_eq!(without_annotations("(车)"), "");
        assert_eq!(
            without_annotations("（笑声）你好，常州110"),
            "你好，常州110"
        );
        assert_eq!(without_annotations("[音乐] ♪"), "");
        assert_eq!(without_annotations("电话(手机)是138"), "电话是138");
        assert_eq!(without_annotations("你好，常州110"), "你好，常州110");
    }

    #[test]
    fn doubtful_characters_come_with_the_one_before() {
        // As decoded for dev clip u03: 锦 heard as 警 with probability 0.38,
        // 湖 split over two tokens.
        let t = |s: &[u8], p| (s.to_vec(), p);
        let hu = "湖".as_bytes();
        let tokens = [
            t(b"[_BEG_]", 0.1),
            t("龙".as_bytes(), 0.55),
            t(&hu[..1], 0.52),
            t(&hu[1..], 1.0),
            t("警".as_bytes(), 0.38),
            t("路".as_bytes(), 0.91),
            t(b"88", 0.2),
            t(b"[_EOT_]", 0.3),
        ];
        assert_eq!(doubtful(&tokens, super::DOUBT_P), ["湖警"]);
    }

    #[test]
    fn the_prompt_written_back_is_not_speech() {
        let p = crate::prompt_for("常州", &jiejing_core::Gazetteer::builtin());
        assert!(p.ends_with("以下是常州110报警电话的普通话录音。"), "{p}");
        assert!(
            p.starts_with("地名：天宁区、钟楼区、新北区、武进区、金坛区、溧阳市。"),
            "{p}"
        );
        // Written back in either script.
        assert!(echoes(&p, "你好，常州110报警电话录音。"));
        assert!(echoes(&p, "以下是常州110报警电话的普通话录音。"));
        assert!(echoes(&p, "以下是常州110報警電話的普通話錄音。"));
        assert!(echoes(&p, "天宁区、钟楼区、新北区。"));
        assert!(!echoes(&p, "你好，常州110，请讲。"));
        assert!(!echoes(&p, "我打了报警电话，你们怎么还不来？"));
        // Places the prompt lists side by side, said by a caller.
        assert!(!echoes(&p, "钟楼区新北区交界的地方"));
        assert!(!echoes(&p, "在钟楼区南大街23号"));
    }

    #[test]
    fn loops_are_found_and_speech_is_not_a_loop() {
        assert!(looped(
            "请教训练试，请教训练试，请教训练试，请教训练试，请教"
        ));
        assert!(looped("快来快来快来快来"));
        assert!(!looped("快来快来快来！"), "three times is how people urge");
        assert!(!looped("你好，常州110，请讲。"));
        assert!(!looped("电话是13812345678，13812345678"));
        assert!(
            !looped("哈哈哈哈哈哈"),
            "one character repeated is not a loop"
        );
    }
}
