//! Speech for the call desk, with no tauri and no desk dependency.
//!
//! What a recogniser writes is not what a call-taker types: numbers come as
//! words or digits ("幺幺零", "十点", "159,6123,4567"), plate letters as
//! syllables ("苏蒂" for 苏D). [`normalize`] turns a transcript into the
//! written form; [`extract`] finds what can fill the checklist (phone
//! numbers, plates, times, places) and hints at the caller's situation;
//! [`greeting`] tells whether an utterance was the station's greeting.
//! Suggestions are offered, never applied: the call-taker decides.

pub mod extract;
pub mod greeting;
pub mod normalize;

pub use extract::{suggest, Suggestions};
