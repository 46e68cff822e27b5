//! The live path of a desk, with no tauri: what the microphone (or a
//! recording) hears becomes calls. Capture -> ring listener -> utterance
//! cutter -> speech worker -> desk, in one [`Pipeline`] that the app's
//! listening thread ([`Listening`]) and the headless `jiejing listen`
//! ([`listen_to_end`]) both drive, so a test of one is a test of the other.
//!
//! The seams: an [`jiejing_audio::AudioSource`] (capture, a WAV file,
//! synthetic audio) and [`Ears`] (the speech worker that transcribes
//! utterances: in the background for live audio, inline for a file).

mod ears;
mod error;
mod file;
mod input;
mod listening;
mod partials;
mod pipeline;
mod recording;

pub use ears::{speech_for, Ears, Inline, Speech};
pub use error::LiveError;
pub use file::{listen_to_end, Listened, Time};
pub use input::{Input, RIGHT_CHANNEL};
pub use listening::{AudioDevice, AudioStatus, Listening};
pub use partials::PartialText;
pub use pipeline::{rings, Pipeline, Rings};
