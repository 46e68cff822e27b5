//! Complaint follow-ups: the promise of norm clause 7, kept until a reply
//! closes it. Due dates are computed by `jiejing-calendar`; this is the
//! record and its rules.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::call::{CallId, Complaint};
use crate::text::{self, MAX_FIELD_CHARS, MAX_SHORT_CHARS};
use crate::CoreError;

pub type FollowUpId = i64;

crate::keyed_enum!(
    /// How the complainant was answered.
    ReplyMethod { Phone = "phone", Sms = "sms", InPerson = "in_person", Letter = "letter" }
);

/// A reply to the complainant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Reply {
    /// When the complainant was answered.
    pub at: DateTime<Utc>,
    /// Who answered (name or id).
    pub by: String,
    pub method: ReplyMethod,
    /// What was said.
    pub content: String,
    pub outcome: String,
    /// This reply keeps the promise and closes the follow-up.
    pub closes: bool,
    /// Set on a reply recorded at another seat of the station: its global
    /// id there ("<seat>#<n>"), by which the station and the follow-up's
    /// own seat recognise it when it comes round again. The desk sets it;
    /// what a form sends is ignored.
    #[serde(default)]
    pub origin: Option<String>,
}

impl Reply {
    /// Cleans and checks a reply as typed.
    ///
    /// # Errors
    /// [`CoreError::Required`] or [`CoreError::TooLong`] naming the field;
    /// [`CoreError::InvalidValue`] for a reply dated after `now`. A time up
    /// to a minute ahead (the form's clock against the desk's) is recorded
    /// as `now`, so no reply is ever stored in the future.
    pub fn validated(&self, now: DateTime<Utc>) -> Result<Reply, CoreError> {
        let req = |field: &str, v: String| {
            if v.is_empty() {
                Err(CoreError::Required {
                    field: field.into(),
                })
            } else {
                Ok(v)
            }
        };
        if self.at > now + chrono::Duration::minutes(1) {
            return Err(CoreError::InvalidValue {
                field: "at".into(),
                reason: "a reply cannot be recorded in the future".into(),
            });
        }
        Ok(Reply {
            at: self.at.min(now),
            by: req("by", text::clean("by", &self.by, MAX_SHORT_CHARS, false)?)?,
            method: self.method,
            content: req(
                "content",
                text::clean("content", &self.content, MAX_FIELD_CHARS, true)?,
            )?,
            outcome: req(
                "outcome",
                text::clean("outcome", &self.outcome, MAX_FIELD_CHARS, true)?,
            )?,
            closes: self.closes,
            origin: None,
        })
    }
}

/// A line in a follow-up's history that is not a reply (due date
/// recomputed when a calendar arrived, and the like).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct FollowUpLog {
    pub at: DateTime<Utc>,
    pub what: String,
}

/// One complaint's promise to reply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct FollowUp {
    pub id: FollowUpId,
    pub call_id: CallId,
    pub received_at: DateTime<Utc>,
    /// The due day in the station's time zone.
    pub due_date: NaiveDate,
    pub due_at: DateTime<Utc>,
    /// Computed without the official schedule of some year.
    pub provisional: bool,
    pub missing_years: Vec<i32>,
    pub working_days: u32,
    pub closed_at: Option<DateTime<Utc>>,
    /// Who took the complaint's call: with the leads, the only one shown
    /// the complainant. Empty where not known (a record shipped by an older
    /// seat): then leads only.
    #[serde(default)]
    pub taker_id: String,
    /// The complaint as recorded on the call.
    pub complaint: Complaint,
    pub replies: Vec<Reply>,
    pub log: Vec<FollowUpLog>,
}

impl FollowUp {
    /// Records a reply; a closing reply closes the follow-up.
    ///
    /// # Errors
    /// [`CoreError::CallClosed`]-style refusal if already closed, a reply
    /// dated before the complaint, or the reply's own validation errors.
    pub fn add_reply(&mut self, reply: &Reply, now: DateTime<Utc>) -> Result<(), CoreError> {
        if self.closed_at.is_some() {
            return Err(CoreError::InvalidValue {
                field: "followup".into(),
                reason: "this follow-up is already closed".into(),
            });
        }
        let reply = reply.validated(now)?;
        if reply.at < self.received_at {
            return Err(CoreError::InvalidValue {
                field: "at".into(),
                reason: format!(
                    "a reply cannot be dated before the complaint was received ({})",
                    self.received_at.format("%Y-%m-%d %H:%M UTC")
                ),
            });
        }
        if reply.closes {
            self.closed_at = Some(now);
        }
        self.replies.push(reply);
        Ok(())
    }

    /// Adds replies recorded at other seats that this record does not hold
    /// yet (known by their origin), each with when it was recorded; the
    /// first closing one closes the follow-up then. They go after the
    /// replies held, in the order given (the store appends in that order).
    pub fn merge_replies(&mut self, replies: impl IntoIterator<Item = (Reply, DateTime<Utc>)>) {
        for (r, at) in replies {
            let held = r.origin.is_some() && self.replies.iter().any(|x| x.origin == r.origin);
            if held {
                continue;
            }
            if r.closes && self.closed_at.is_none() {
                self.closed_at = Some(at);
            }
            self.replies.push(r);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 10, 9, 2, 0, 0).unwrap()
    }

    fn reply(closes: bool) -> Reply {
        Reply {
            at: now(),
            by: "李警官".into(),
            method: ReplyMethod::Phone,
            content: "已核实并答复".into(),
            outcome: "投诉人满意".into(),
            closes,
            origin: None,
        }
    }

    fn followup() -> FollowUp {
        FollowUp {
            id: 1,
            call_id: 1,
            received_at: now(),
            due_date: NaiveDate::from_ymd_opt(2026, 10, 10).unwrap(),
            due_at: now(),
            provisional: false,
            missing_years: vec![],
            working_days: 3,
            closed_at: None,
            taker_id: "T1".into(),
            complaint: Complaint::default(),
            replies: vec![],
            log: vec![],
        }
    }

    #[test]
    fn only_a_closing_reply_closes() {
        let mut f = followup();
        f.add_reply(&reply(false), now()).unwrap();
        assert!(f.closed_at.is_none());
        f.add_reply(&reply(true), now()).unwrap();
        assert_eq!(f.closed_at, Some(now()));
        assert!(
            f.add_reply(&reply(true), now()).is_err(),
            "closed stays closed"
        );
        assert_eq!(f.replies.len(), 2);
    }

    #[test]
    fn replies_are_validated() {
        let mut f = followup();
        let mut r = reply(true);
        r.content = "  ".into();
        assert_eq!(
            f.add_reply(&r, now()),
            Err(CoreError::Required {
                field: "content".into()
            })
        );
        let mut r = reply(true);
        r.at = now() + chrono::Duration::hours(2);
        assert!(matches!(
            f.add_reply(&r, now()),
            Err(CoreError::InvalidValue { .. })
        ));
        assert!(f.closed_at.is_none());
    }

    #[test]
    fn a_reply_is_dated_between_the_complaint_and_now() {
        let mut f = followup();
        let mut r = reply(false);
        r.at = f.received_at - chrono::Duration::minutes(1);
        let err = f.add_reply(&r, now()).unwrap_err().to_string();
        assert!(err.contains("before the complaint"), "{err}");
        // Seconds ahead (the form's clock) are recorded as now, never later.
        r.at = now() + chrono::Duration::seconds(20);
        f.add_reply(&r, now()).unwrap();
        assert_eq!(f.replies[0].at, now());
        r.at = now() + chrono::Duration::minutes(2);
        assert!(f.add_reply(&r, now()).is_err());
        assert_eq!(f.replies.len(), 1);
    }
}
