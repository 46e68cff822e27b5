//! One utterance as the desk takes it, written once for the live desk and
//! `jiejing transcribe`: the text normalised, what it offers for the
//! checklist (places with a doubtful character dropped), and whether the
//! greeting has now been said. The greeting is matched over everything said
//! since the call was answered, not one utterance at a time, because the
//! cutter may split it at its comma ("你好，" | "常州110").

use crate::normalize::normalize;
use crate::{greeting, suggest, Places, Segment, Suggestions};

/// The greeting is looked for in what was said within this many seconds
/// after the answer.
pub const GREETING_WITHIN_S: f64 = 8.0;

/// What one utterance gives the desk.
#[derive(Debug, Clone, PartialEq)]
pub struct Taken {
    /// The transcript, normalised (digits, simplified characters).
    pub text: String,
    pub offered: Suggestions,
}

/// The utterance's text and offers, places snapped to `places`; None when
/// nothing was said.
pub fn take(segments: &[Segment], places: &Places) -> Option<Taken> {
    let text: String = segments.iter().map(|s| normalize(&s.text)).collect();
    if text.trim().is_empty() {
        return None;
    }
    let doubt: Vec<String> = segments.iter().flat_map(|s| s.doubt.clone()).collect();
    let offered = suggest(&text, None, places, &doubt);
    Some(Taken { text, offered })
}

/// Whether `expected` (the station's greeting) has been said by the end of
/// `text`, given the call's earlier utterances `before` (oldest first).
pub fn greets(before: &[&str], text: &str, expected: &str) -> bool {
    let so_far: String = before.iter().copied().chain([text]).collect();
    greeting::matches(&so_far, expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(text: &str, doubt: &[&str]) -> Segment {
        Segment {
            start_s: 0.0,
            end_s: 1.0,
            text: text.into(),
            doubt: doubt.iter().map(|d| (*d).to_string()).collect(),
        }
    }

    #[test]
    fn a_greeting_cut_in_two_is_still_the_greeting() {
        assert!(!greets(&[], "你好，", "你好，常州110"));
        assert!(greets(&["你好，"], "常州幺幺零", "你好，常州110"));
        assert!(!greets(&[], "请问有什么可以帮您", "你好，常州110"));
    }

    #[test]
    fn silence_is_nothing_and_numbers_are_written() {
        let g = Places::of(&jiejing_core::Gazetteer::builtin());
        assert_eq!(take(&[seg(" ", &[])], &g), None);
        let t = take(
            &[seg("我的电话是幺三九", &[]), seg("一二三四五六七八", &[])],
            &g,
        )
        .unwrap();
        assert!(t.text.contains("13912345678"), "{}", t.text);
        assert_eq!(t.offered.phone, ["13912345678"]);
    }
}
