//! Speech for the call desk, with no tauri and no desk dependency.
//!
//! What a recogniser writes is not what a call-taker types: numbers come as
//! words or digits ("幺幺零", "十点", "159,6123,4567"), plate letters as
//! syllables ("苏蒂" for 苏D). [`normalize`] turns a transcript into the
//! written form; [`extract`] finds what can fill the checklist (phone
//! numbers, plates, times, places) and hints at the caller's situation;
//! [`greeting`] tells whether an utterance was the station's greeting.
//! Suggestions are offered, never applied: the call-taker decides.

pub mod ct2;
pub mod extract;
pub mod greeting;
pub mod live;
pub mod model;
pub mod normalize;
pub mod score;
mod situation;
mod sounds;
pub mod utterance;
pub mod whisper;

pub use extract::{drop_doubtful, suggest, Suggestions};
pub use whisper::{Context, Segment, SpeechError, Transcriber, Whisper};

/// Whisper's input rate.
pub const SAMPLE_RATE: f64 = 16_000.0;

/// Steers Whisper to simplified Chinese, and to the city and 110.
pub fn prompt_for(city: &str) -> String {
    format!("以下是{city}110报警电话的普通话录音。")
}
