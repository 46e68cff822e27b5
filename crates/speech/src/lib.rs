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
mod odds;
mod places;
pub mod score;
mod simplify;
mod situation;
mod sounds;
mod units;
pub mod utterance;
pub mod whisper;

pub use extract::{suggest, Suggestions};
pub use places::Places;
pub use whisper::{Context, Segment, SpeechError, Transcriber, Whisper};

/// Whisper's input rate.
pub const SAMPLE_RATE: f64 = 16_000.0;

/// Characters of district names the prompt carries at most: whisper.cpp
/// keeps the prompt's last 224 tokens, and a longer prompt costs every
/// utterance decoding time.
const PROMPT_PLACES_MAX: usize = 40;

/// Steers Whisper to simplified Chinese, to the city and 110, and to the
/// station's districts and county-level cities. Only those: on the 24 dev
/// clips the character error rate was 7.9 % with no names, 8.4 % with the
/// districts (two characters more of 379, both places heard right), and
/// 9.2–9.5 % with roads listed too, which also biased Whisper towards a
/// listed road that was not said (龙锦路 heard as 溧阳路). Misheard roads are
/// snapped to the gazetteer afterwards instead. The sentence comes last,
/// nearest the audio, where whisper.cpp never cuts.
///
/// The same prompt in traditional characters (Whisper's Chinese was
/// learned largely from traditional text) made fewer character errors on
/// every part tried, but offered one more wrong place of the 12 on the
/// spoken held-out part, under the 90 % target; the README gives the
/// figures. It is not used.
pub fn prompt_for(city: &str, places: &jiejing_core::Gazetteer) -> String {
    let mut names = String::new();
    let districts = places
        .places
        .iter()
        .filter(|p| p.kind == jiejing_core::PlaceKind::District);
    for p in districts {
        if names.chars().count() + p.name.chars().count() > PROMPT_PLACES_MAX {
            break;
        }
        if !names.is_empty() {
            names.push('、');
        }
        names.push_str(&p.name);
    }
    let sentence = format!("以下是{city}110报警电话的普通话录音。");
    if names.is_empty() {
        sentence
    } else {
        format!("地名：{names}。{sentence}")
    }
}
