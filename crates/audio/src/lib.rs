//! Hears the phone ring and the call-taker answer.
//!
//! Everything works on 16 kHz mono `f32` samples. An [`AudioSource`] (a cpal
//! device, a WAV file, a synthetic signal) delivers them; [`RingDetector`]
//! turns them into ring onsets/offsets for the configured [`RingProfile`]s;
//! [`Vad`] finds voice; [`CallTracker`] combines both into calls: first
//! ring, rings before answer, answer time, missed. [`analyze`] runs that
//! same chain over a recording, which is what `jiejing rings analyze` prints.

mod analyze;
pub mod capture;
mod error;
mod listen;
mod lookback;
mod pcm;
mod profile;
mod record;
mod ring;
mod sealed;
mod source;
mod spectrum;
mod stretch;
mod timeline;
mod tracker;
mod utterance;
mod vad;
mod wav;

pub use analyze::{analyze, Analysis, RingSpan};
pub use error::AudioError;
pub use listen::{listen_to_end, utterances_of, Listener};
pub use pcm::{Resampler, SAMPLE_RATE};
pub use profile::{
    describe, forget_learned, learn, learned_file, load_learned, save_learned, Cadence,
    RingProfile, Tones,
};
pub use record::{
    flac_bytes, peaks, read_recording, read_recording_bytes, recording_in_use, Recorded, Recorder,
    RecordingSize,
};
pub use ring::{RingDetector, RingEvent};
pub use sealed::SealKey;
pub use source::{AudioSource, Block, Duplex, Pair, SyntheticSource, WavSource};
pub use spectrum::{Frame, Stft, FRAME_HOP, FRAME_LEN};
pub use stretch::stretch;
pub use tracker::{CallEvent, CallTracker, RingCall, Span};
pub use utterance::{Cutter, Utterance, MAX_S};
pub use vad::Vad;
pub use wav::{read_wav, read_wav_sides, write_wav, write_wav_channels};
