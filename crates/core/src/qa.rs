//! QA review of one call: a scored checklist in the manner of the AQUA
//! model used by emergency call centres. Each item is judged pass,
//! deviation or not applicable; a deviation costs its weight (minor 1,
//! moderate 3, major 5, critical 10). The score is the share of applicable
//! weight passed, 0–100; any critical deviation fails the call whatever
//! the score.

use serde::{Deserialize, Serialize};

use crate::keyed_enum;
use crate::{Call, CoreError, ElementKey, ElementState};

keyed_enum!(
    /// What a reviewer checks, in the order of a call.
    QaItem {
        Greeting = "greeting", ThreeRings = "three_rings",
        When = "when", Where = "where", What = "what", Who = "who",
        Why = "why", Object = "object", Result = "result", Contact = "contact",
        Situation = "situation", Manner = "manner",
    }
);

keyed_enum!(Severity { Minor = "minor", Moderate = "moderate", Major = "major", Critical = "critical" });

keyed_enum!(
    /// Why a call broke the norm.
    Failure {
        Missed = "missed", OverThreeRings = "over_three_rings", NoGreeting = "no_greeting",
        ElementsMissing = "elements_missing", ComplaintOverdue = "complaint_overdue",
    }
);

keyed_enum!(ReviewStatus { Sampled = "sampled", Reviewed = "reviewed" });

keyed_enum!(
    /// The review filter of the log; `not_reviewed` includes sampled calls.
    ReviewFilter { Sampled = "sampled", Reviewed = "reviewed", NotReviewed = "not_reviewed" }
);

keyed_enum!(Verdict { Pass = "pass", Deviation = "deviation", NotApplicable = "na" });

impl Severity {
    pub fn weight(self) -> u32 {
        match self {
            Severity::Minor => 1,
            Severity::Moderate => 3,
            Severity::Major => 5,
            Severity::Critical => 10,
        }
    }
}

impl QaItem {
    /// Without a place nothing can be dispatched, so a missing 何地 is
    /// critical; late answer, the incident itself and a way to call back
    /// are major.
    pub fn severity(self) -> Severity {
        match self {
            QaItem::Where => Severity::Critical,
            QaItem::ThreeRings | QaItem::What | QaItem::Contact | QaItem::Situation => {
                Severity::Major
            }
            QaItem::Greeting | QaItem::When | QaItem::Who | QaItem::Result | QaItem::Manner => {
                Severity::Moderate
            }
            QaItem::Why | QaItem::Object => Severity::Minor,
        }
    }

    fn element(self) -> Option<ElementKey> {
        ElementKey::parse(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct QaMark {
    pub item: QaItem,
    pub verdict: Verdict,
}

/// The checklist as the record suggests it; the reviewer confirms or
/// overrides each line (situation handling and manner need a human ear).
pub fn prefill(call: &Call) -> Vec<QaMark> {
    QaItem::ALL
        .iter()
        .map(|&item| {
            let verdict = match item {
                QaItem::Greeting if call.answered_at.is_none() => Verdict::NotApplicable,
                QaItem::Greeting if call.greeting_at.is_some() => Verdict::Pass,
                QaItem::Greeting => Verdict::Deviation,
                QaItem::ThreeRings => match call.ring_timing() {
                    None => Verdict::NotApplicable,
                    Some(t) if t.compliant && !call.missed => Verdict::Pass,
                    Some(_) => Verdict::Deviation,
                },
                QaItem::Situation | QaItem::Manner if call.answered_at.is_none() => {
                    Verdict::NotApplicable
                }
                QaItem::Situation | QaItem::Manner => Verdict::Pass,
                _ => {
                    let key = item.element().expect("the other items are elements");
                    match call.elements[key as usize].state {
                        _ if call.answered_at.is_none() => Verdict::NotApplicable,
                        ElementState::Answered => Verdict::Pass,
                        ElementState::NotApplicable => Verdict::NotApplicable,
                        ElementState::NotAsked | ElementState::Asked => Verdict::Deviation,
                    }
                }
            };
            QaMark { item, verdict }
        })
        .collect()
}

/// A review's score and whether a critical item failed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct QaScore {
    /// 0–100, one decimal; `None` when nothing applied.
    pub score: Option<f64>,
    pub critical: bool,
    /// Deviations by severity: minor, moderate, major, critical.
    pub deviations: [u32; 4],
}

/// Scores a checklist that names every item exactly once.
///
/// # Errors
/// [`CoreError::InvalidValue`] for a missing or repeated item.
pub fn score(marks: &[QaMark]) -> Result<QaScore, CoreError> {
    for item in QaItem::ALL {
        let n = marks.iter().filter(|m| m.item == *item).count();
        if n != 1 {
            return Err(CoreError::InvalidValue {
                field: "review".into(),
                reason: format!("item {item} appears {n} times; every item must be judged once"),
            });
        }
    }
    let (mut passed, mut applicable) = (0u32, 0u32);
    let mut deviations = [0u32; 4];
    for m in marks {
        let sev = m.item.severity();
        match m.verdict {
            Verdict::Pass => {
                passed += sev.weight();
                applicable += sev.weight();
            }
            Verdict::Deviation => {
                applicable += sev.weight();
                deviations[sev as usize] += 1;
            }
            Verdict::NotApplicable => {}
        }
    }
    Ok(QaScore {
        score: (applicable > 0)
            .then(|| (1000.0 * f64::from(passed) / f64::from(applicable)).round() / 10.0),
        critical: deviations[Severity::Critical as usize] > 0,
        deviations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AnswerSource;
    use chrono::{TimeZone, Utc};

    fn marks(dev: &[QaItem], na: &[QaItem]) -> Vec<QaMark> {
        QaItem::ALL
            .iter()
            .map(|&item| QaMark {
                item,
                verdict: if dev.contains(&item) {
                    Verdict::Deviation
                } else if na.contains(&item) {
                    Verdict::NotApplicable
                } else {
                    Verdict::Pass
                },
            })
            .collect()
    }

    #[test]
    fn weights_add_up_by_hand() {
        // All weights: 3+5+3+10+5+3+1+1+3+5+5+3 = 47.
        assert_eq!(score(&marks(&[], &[])).unwrap().score, Some(100.0));
        // Greeting missed (3) → 44/47 = 93.6 %.
        let s = score(&marks(&[QaItem::Greeting], &[])).unwrap();
        assert_eq!(
            (s.score, s.critical, s.deviations),
            (Some(93.6), false, [0, 1, 0, 0])
        );
        // Where missed: 37/47 = 78.7 %, and a critical fail.
        let s = score(&marks(&[QaItem::Where], &[])).unwrap();
        assert_eq!((s.score, s.critical), (Some(78.7), true));
        // No rings heard (5 n/a) and object missed (1): 41/42 = 97.6 %.
        let s = score(&marks(&[QaItem::Object], &[QaItem::ThreeRings])).unwrap();
        assert_eq!(s.score, Some(97.6));
    }

    #[test]
    fn every_item_judged_once() {
        let mut m = marks(&[], &[]);
        m.pop();
        assert!(score(&m)
            .unwrap_err()
            .to_string()
            .contains("manner appears 0 times"));
        let mut m = marks(&[], &[]);
        m.push(m[0]);
        assert!(score(&m).is_err());
    }

    #[test]
    fn prefill_reads_the_record() {
        let t0 = Utc.with_ymd_and_hms(2026, 11, 2, 1, 0, 0).unwrap();
        let mut c = Call::ring(t0, AnswerSource::Manual, "0001", "110", "你好");
        let missed = prefill(&c);
        assert!(missed.iter().all(|m| m.verdict == Verdict::NotApplicable));
        c.answer(t0 + chrono::Duration::seconds(5), AnswerSource::Manual)
            .unwrap();
        c.set_element(ElementKey::Where, "人民路1号", t0).unwrap();
        let p = prefill(&c);
        let v = |i: QaItem| p.iter().find(|m| m.item == i).unwrap().verdict;
        assert_eq!(v(QaItem::Greeting), Verdict::Deviation);
        assert_eq!(v(QaItem::ThreeRings), Verdict::NotApplicable);
        assert_eq!(v(QaItem::Where), Verdict::Pass);
        assert_eq!(v(QaItem::When), Verdict::Deviation);
        assert_eq!(v(QaItem::Manner), Verdict::Pass);
    }
}
