//! What the desk keeps of what it heard during a call: transcript segments
//! and the suggestions drawn from each. The recogniser and the extractors
//! live in `jiejing-speech`; these are the plain records they produce, so the
//! store and the screen need neither.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{ElementKey, SituationKind};

/// What one utterance offers, each list in order of appearance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Suggestions {
    pub phone: Vec<String>,
    pub plate: Vec<String>,
    pub when: Vec<String>,
    #[serde(rename = "where")]
    pub place: Vec<String>,
    /// Clauses naming an injury (for 何果).
    #[serde(default)]
    pub injury: Vec<String>,
    /// Clauses naming a weapon (for 何物).
    #[serde(default)]
    pub weapon: Vec<String>,
    /// greeting, report, emergency, panicked, urging, consultation,
    /// complaint, rude — at most one, the most pressing.
    pub situation: Vec<String>,
}

/// Who spoke an utterance, when the desk hears the caller's line as an
/// input of its own (issue #15); with one microphone nobody is told apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Speaker {
    /// 接警员: the desk microphone.
    Taker,
    /// 报警人: the caller's line.
    Caller,
}

impl Speaker {
    pub fn as_str(self) -> &'static str {
        match self {
            Speaker::Taker => "taker",
            Speaker::Caller => "caller",
        }
    }

    pub fn parse(s: &str) -> Option<Speaker> {
        match s {
            "taker" => Some(Speaker::Taker),
            "caller" => Some(Speaker::Caller),
            _ => None,
        }
    }
}

/// One utterance heard during a call, as transcribed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SpeechSegment {
    /// 1, 2, … in the order heard.
    pub n: u32,
    pub start_at: DateTime<Utc>,
    pub end_at: DateTime<Utc>,
    /// Normalised text (simplified, numbers as digits).
    pub text: String,
    /// This utterance was the station's greeting.
    pub greeting: bool,
    pub suggestions: Suggestions,
    /// Who spoke it; `None` with one microphone (and in transcripts kept
    /// before the caller's line could be told apart).
    #[serde(default)]
    pub speaker: Option<Speaker>,
}

/// A suggestion the call-taker may accept: a value for a checklist item,
/// or a caller situation to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Offer {
    pub element: Option<ElementKey>,
    pub situation: Option<SituationKind>,
    pub value: String,
    /// The segment it came from.
    pub n: u32,
}

/// The situation a hint names, if it is one the norm records.
fn situation_of(hint: &str) -> Option<SituationKind> {
    Some(match hint {
        "emergency" => SituationKind::EmergencyHelp,
        "urging" => SituationKind::RepeatUrging,
        "complaint" => SituationKind::Complaint,
        "consultation" => SituationKind::Consultation,
        "rude" => SituationKind::Rude,
        "panicked" => SituationKind::Panicked,
        _ => return None,
    })
}

/// What is still worth offering from `segments` for a call whose items hold
/// `value_of(key)` and whose recorded situations are `recorded`: newest
/// first, each value once, nothing the call already holds (so an accepted
/// suggestion disappears).
pub fn offers(
    segments: &[SpeechSegment],
    value_of: impl Fn(ElementKey) -> String,
    recorded: &[SituationKind],
) -> Vec<Offer> {
    let mut out: Vec<Offer> = Vec::new();
    for seg in segments.iter().rev() {
        let s = &seg.suggestions;
        let items = [
            (ElementKey::Contact, &s.phone),
            (ElementKey::Object, &s.plate),
            (ElementKey::When, &s.when),
            (ElementKey::Where, &s.place),
            (ElementKey::Result, &s.injury),
            (ElementKey::Object, &s.weapon),
        ];
        for (key, values) in items {
            let have = value_of(key);
            for v in values {
                let seen = out.iter().any(|o| o.element == Some(key) && &o.value == v);
                if !seen && !have.contains(v.as_str()) {
                    out.push(Offer {
                        element: Some(key),
                        situation: None,
                        value: v.clone(),
                        n: seg.n,
                    });
                }
            }
        }
        for kind in s.situation.iter().filter_map(|h| situation_of(h)) {
            if !recorded.contains(&kind) && !out.iter().any(|o| o.situation == Some(kind)) {
                out.push(Offer {
                    element: None,
                    situation: Some(kind),
                    value: kind.as_str().to_string(),
                    n: seg.n,
                });
            }
        }
    }
    out
}

/// The field's text after accepting `value`: the value alone in an empty
/// field, else appended, so nothing the call-taker typed is lost.
pub fn accepted(current: &str, value: &str) -> String {
    let current = current.trim_end();
    if current.is_empty() {
        value.to_string()
    } else if current.contains(value) {
        current.to_string()
    } else {
        format!("{current}，{value}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(n: u32, s: Suggestions) -> SpeechSegment {
        SpeechSegment {
            n,
            start_at: DateTime::UNIX_EPOCH,
            end_at: DateTime::UNIX_EPOCH,
            text: String::new(),
            greeting: false,
            suggestions: s,
            speaker: None,
        }
    }

    #[test]
    fn offers_newest_first_once_and_not_what_the_call_holds() {
        let a = seg(
            1,
            Suggestions {
                phone: vec!["13812345678".into()],
                situation: vec!["urging".into()],
                ..Suggestions::default()
            },
        );
        let b = seg(
            2,
            Suggestions {
                phone: vec!["13812345678".into(), "051986681234".into()],
                plate: vec!["苏D88367".into()],
                injury: vec!["有一个人受伤了".into()],
                situation: vec!["greeting".into()],
                ..Suggestions::default()
            },
        );
        let all = offers(&[a.clone(), b.clone()], |_| String::new(), &[]);
        let values: Vec<(&str, u32)> = all.iter().map(|o| (o.value.as_str(), o.n)).collect();
        assert_eq!(
            values,
            [
                ("13812345678", 2),
                ("051986681234", 2),
                ("苏D88367", 2),
                ("有一个人受伤了", 2),
                ("repeat_urging", 1)
            ]
        );
        // Accepted (the field holds it) and recorded situations drop out.
        let held = |k| {
            if k == ElementKey::Contact {
                "王先生 13812345678".to_string()
            } else {
                String::new()
            }
        };
        let left = offers(&[a, b], held, &[SituationKind::RepeatUrging]);
        let values: Vec<&str> = left.iter().map(|o| o.value.as_str()).collect();
        assert_eq!(values, ["051986681234", "苏D88367", "有一个人受伤了"]);
        assert_eq!(
            left[2].element,
            Some(ElementKey::Result),
            "an injury is a result"
        );
    }

    #[test]
    fn accepting_keeps_what_was_typed() {
        assert_eq!(accepted("", "13812345678"), "13812345678");
        assert_eq!(accepted("王先生 ", "13812345678"), "王先生，13812345678");
        assert_eq!(accepted("13812345678", "13812345678"), "13812345678");
    }
}
