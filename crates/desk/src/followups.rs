//! The complaint follow-up queue on the desk: created with the complaint,
//! due by the official calendar, closed only by a reply.

use std::num::NonZeroU32;
use std::path::Path;

use chrono::{DateTime, NaiveTime, Utc};
use chrono_tz::Tz;
use jiejing_calendar::{due, read_year, working_days_between, Due, DueRule, WorkCalendar};
use jiejing_core::{Call, CoreError, FollowUp, FollowUpId, FollowUpLog, Reply, Role, Settings};
use serde::Serialize;

use crate::session::Actor;
use crate::{Desk, DeskError, Need};

type Result<T> = std::result::Result<T, DeskError>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum FollowUpStatus {
    Open,
    /// Today (in the station's zone) is the due day.
    DueToday,
    Overdue,
    Closed,
}

/// A follow-up with what the queue shows about it now.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct FollowUpView {
    /// The seat that took the complaint; "" on a one-seat desk.
    pub seat: String,
    pub followup: FollowUp,
    pub status: FollowUpStatus,
    /// Working days after today up to the due day.
    pub working_days_left: u32,
    /// Whole hours until due; negative when overdue.
    pub hours_left: i32,
    /// Who complained is hidden (name, number, address, what happened,
    /// what the replies said): only leads and the call's own call-taker
    /// see it. The follow-up and its due date still show.
    pub redacted: bool,
}

/// The queue as this desk sees it.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct FollowUpQueue {
    pub items: Vec<FollowUpView>,
    /// A joined desk that could not ask its station shows its own only.
    pub this_seat_only: bool,
}

/// Counts for the banner at start-up and on the queue.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct QueueSummary {
    /// Counted over this seat's follow-ups only (station unreachable).
    pub this_seat_only: bool,
    pub open: u32,
    pub due_today: u32,
    pub overdue: u32,
    pub misconduct_now: u32,
    /// Years some open follow-up was computed without (provisional).
    pub missing_years: Vec<i32>,
}

/// The due rule from the settings; settings are validated on save, so a
/// bad zone can only come from an old record and falls back to Shanghai.
pub(crate) fn rule_for(s: &Settings, working_days: u32) -> DueRule {
    let d = DueRule::default();
    DueRule {
        working_days: NonZeroU32::new(working_days).unwrap_or(d.working_days),
        end_of_day: NaiveTime::parse_from_str(&s.followup_end_of_day, "%H:%M:%S")
            .unwrap_or(d.end_of_day),
        tz: s.time_zone.parse::<Tz>().unwrap_or(d.tz),
    }
}

/// Checks what `Settings::validated` cannot (it has no zone database).
pub(crate) fn check_zone(s: &Settings) -> std::result::Result<(), CoreError> {
    s.time_zone
        .parse::<Tz>()
        .map(|_| ())
        .map_err(|_| CoreError::InvalidValue {
            field: "timeZone".into(),
            reason: format!(
                "{:?} is not an IANA time zone such as Asia/Shanghai",
                s.time_zone
            ),
        })
}

impl Desk {
    pub fn due_rule(&self, working_days: Option<u32>) -> DueRule {
        rule_for(
            &self.settings,
            working_days.unwrap_or(self.settings.followup_working_days),
        )
    }

    pub fn calendar(&self) -> &dyn WorkCalendar {
        &self.calendar
    }

    pub fn calendar_year(&self, year: i32) -> Option<&jiejing_calendar::YearCalendar> {
        self.calendar.year(year)
    }

    /// The due date for a complaint received at `received`.
    pub fn due_for(&self, received: DateTime<Utc>, working_days: Option<u32>) -> Due {
        due(&self.calendar, received, &self.due_rule(working_days))
    }

    /// The follow-up a complaint call needs and does not have yet, to be
    /// written with the call.
    pub(crate) fn followup_due(&self, call: &Call) -> Result<Option<FollowUp>> {
        let Some(complaint) = &call.complaint else {
            return Ok(None);
        };
        if self.store.followup_id_for_call(call.id)?.is_some() {
            return Ok(None);
        }
        let received = complaint.received_at.unwrap_or(call.ring_at);
        let n = self.settings.followup_working_days;
        let d = self.due_for(received, Some(n));
        Ok(Some(FollowUp {
            id: 0,
            call_id: call.id,
            received_at: received,
            due_date: d.due_date,
            due_at: d.due_at.with_timezone(&Utc),
            provisional: d.provisional,
            missing_years: d.missing_years,
            working_days: n,
            closed_at: None,
            taker_id: call.taker_id.clone(),
            complaint: complaint.clone(),
            replies: Vec::new(),
            log: Vec::new(),
        }))
    }

    /// Whether the one asking may see who complained on a call `taker_id`
    /// took: a lead, the station administrator (the command line), or
    /// that call-taker.
    pub(crate) fn may_see_complainant(&self, taker_id: &str) -> bool {
        match &self.actor {
            Actor::Admin(_) => true,
            Actor::Nobody => false,
            Actor::User { user, .. } => {
                user.role == Role::Lead || (!taker_id.is_empty() && user.id == taker_id)
            }
        }
    }

    fn followup_view(&self, seat: String, mut f: FollowUp) -> FollowUpView {
        let redacted = !self.may_see_complainant(&f.taker_id);
        if redacted {
            blank_complainant(&mut f.complaint);
            for r in &mut f.replies {
                r.content.clear();
                r.outcome.clear();
            }
        }
        let now = self.now();
        let tz = self.due_rule(None).tz;
        let today = now.with_timezone(&tz).date_naive();
        let status = if f.closed_at.is_some() {
            FollowUpStatus::Closed
        } else if now > f.due_at {
            FollowUpStatus::Overdue
        } else if today == f.due_date {
            FollowUpStatus::DueToday
        } else {
            FollowUpStatus::Open
        };
        FollowUpView {
            seat,
            working_days_left: working_days_between(&self.calendar, today, f.due_date),
            hours_left: (f.due_at - now).num_hours() as i32,
            status,
            followup: f,
            redacted,
        }
    }

    /// The queue, earliest due first; open ones only if `open_only`. A
    /// joined desk shows every seat's, or its own when the station cannot
    /// be asked (and says so).
    ///
    /// # Errors
    /// [`DeskError::SignInRequired`], [`DeskError::Locked`] (complainants'
    /// names and numbers are in it), database errors.
    pub fn followups(&mut self, open_only: bool) -> Result<FollowUpQueue> {
        self.authorize(Need::Desk)?;
        self.queue(open_only)
    }

    /// The queue without a user's check: the banner's counts come from it
    /// on a timer, which must not count as the call-taker's activity.
    fn queue(&mut self, open_only: bool) -> Result<FollowUpQueue> {
        let own = self
            .station
            .as_ref()
            .map(|l| l.seat().to_string())
            .unwrap_or_default();
        let local = self.store.followups(open_only)?;
        let Some(link) = self.station.as_mut() else {
            let items = local
                .into_iter()
                .map(|f| self.followup_view(String::new(), f))
                .collect();
            return Ok(FollowUpQueue {
                items,
                this_seat_only: false,
            });
        };
        let listed = match link.followups(open_only) {
            Ok(l) => l,
            Err(e) => {
                eprintln!("jiejing: follow-ups at the station: {e}; this seat only");
                let items = local
                    .into_iter()
                    .map(|f| self.followup_view(own.clone(), f))
                    .collect();
                return Ok(FollowUpQueue {
                    items,
                    this_seat_only: true,
                });
            }
        };
        let sent = self.store.sent_station_replies()?;
        let mut all = Vec::with_capacity(listed.len() + local.len());
        for (seat, mut f) in listed {
            if seat == own {
                // This seat's own record is newer here than at the station
                // (its last change may still be queued); the station adds
                // what other seats replied.
                let Some(mine) = local.iter().find(|l| l.id == f.id) else {
                    continue; // no longer open here, or not ours after all
                };
                let remote = f
                    .replies
                    .into_iter()
                    .filter(|r| r.origin.is_some())
                    .map(|r| {
                        let at = r.at;
                        (r, at)
                    });
                let mut mine = mine.clone();
                mine.merge_replies(remote);
                f = mine;
            } else {
                with_sent(&sent, &seat, &mut f);
            }
            all.push((seat, f));
        }
        // This seat's follow-ups the station has not got yet.
        for f in local {
            let listed = all.iter().any(|(s, x)| *s == own && x.id == f.id);
            if !listed && self.store.outbox_holds("followup", f.id)? {
                all.push((own.clone(), f));
            }
        }
        all.retain(|(_, f)| !open_only || f.closed_at.is_none());
        all.sort_by_key(|(_, f)| f.due_at);
        let items = all
            .into_iter()
            .map(|(seat, f)| self.followup_view(seat, f))
            .collect();
        Ok(FollowUpQueue {
            items,
            this_seat_only: false,
        })
    }

    /// The counts for the banner, asked of the station when joined.
    ///
    /// # Errors
    /// Database errors.
    pub fn queue_summary(&mut self) -> Result<QueueSummary> {
        let queue = self.queue(true)?;
        let s = summarize(queue.items, queue.this_seat_only);
        if self.station.is_some() {
            self.station_queue = Some(s.clone());
        }
        Ok(s)
    }

    /// The counts without asking the station: as last asked, or this
    /// seat's own until then.
    pub(crate) fn known_queue_summary(&self) -> Result<QueueSummary> {
        if let (Some(_), Some(q)) = (&self.station, &self.station_queue) {
            return Ok(q.clone());
        }
        let own = self
            .station
            .as_ref()
            .map(|l| l.seat().to_string())
            .unwrap_or_default();
        let items = self
            .store
            .followups(true)?
            .into_iter()
            .map(|f| self.followup_view(own.clone(), f));
        Ok(summarize(items.collect(), self.station.is_some()))
    }
}

/// Leaves of a complaint only that it was made (and whether misconduct is
/// happening now): who complained, how to reach them and what they said
/// are for leads and the call's own call-taker.
pub(crate) fn blank_complainant(c: &mut jiejing_core::Complaint) {
    for field in [
        &mut c.name,
        &mut c.address,
        &mut c.work_unit,
        &mut c.phone,
        &mut c.what_happened,
        &mut c.subject,
    ] {
        field.clear();
    }
}

/// Adds the replies this desk made to another seat's follow-up that the
/// station may not show yet (still queued here).
fn with_sent(sent: &[jiejing_store::SentReply], seat: &str, f: &mut FollowUp) {
    let id = f.id;
    let mine = sent
        .iter()
        .filter(|s| s.seat == seat && s.followup_id == id);
    f.merge_replies(mine.map(|s| (s.reply.clone(), s.reply.at)));
}

fn summarize(items: Vec<FollowUpView>, this_seat_only: bool) -> QueueSummary {
    let mut s = QueueSummary {
        this_seat_only,
        ..QueueSummary::default()
    };
    for v in items {
        s.open += 1;
        match v.status {
            FollowUpStatus::DueToday => s.due_today += 1,
            FollowUpStatus::Overdue => s.overdue += 1,
            _ => {}
        }
        s.misconduct_now += u32::from(v.followup.complaint.misconduct_now);
        for y in v.followup.missing_years {
            if !s.missing_years.contains(&y) {
                s.missing_years.push(y);
            }
        }
    }
    s.missing_years.sort_unstable();
    s
}

impl Desk {
    /// Records a reply; a closing reply closes the follow-up. `seat` names
    /// another seat's follow-up (a joined desk): the reply is kept here and
    /// shipped, and `seen`, the number of replies the call-taker saw, lets
    /// the station tell the lead when two replies crossed.
    ///
    /// The reply's author is whoever is signed in, whatever the form says;
    /// only the station administrator (the command line) names one. The
    /// reply goes into the audit trail without what was said.
    ///
    /// # Errors
    /// [`DeskError::NotFound`], a closed follow-up, an invalid reply;
    /// [`DeskError::StationOffline`] for another seat's follow-up when the
    /// station cannot be asked.
    pub fn add_reply(
        &mut self,
        seat: &str,
        id: FollowUpId,
        seen: Option<u32>,
        reply: &Reply,
    ) -> Result<FollowUpView> {
        let actor = self.authorize(crate::Need::Desk)?;
        let mut reply = reply.clone();
        if let Some(u) = self.user() {
            reply.by = format!("{} ({})", u.name, u.id);
        }
        let (v, ours) = self.record_reply(seat, id, seen, &reply)?;
        let last = v.followup.replies.last().expect("a reply was recorded");
        let detail = serde_json::json!({
            "followup": id,
            "seat": seat,
            "call": v.followup.call_id,
            "at": last.at,
            "by": last.by,
            "method": last.method,
            "closes": last.closes,
        });
        // In the call's own timeline when the call is this desk's.
        let call = ours.then_some(v.followup.call_id);
        self.audit_entry(&actor, "followup_reply", call, detail)?;
        Ok(v)
    }

    /// Only those who may see the complainant answer them.
    fn may_reply(&self, f: &FollowUp) -> Result<()> {
        match self.may_see_complainant(&f.taker_id) {
            true => Ok(()),
            false => Err(DeskError::NotYours(f.call_id)),
        }
    }

    /// The reply kept: in this desk's follow-up (true), or queued for
    /// another seat's (false).
    fn record_reply(
        &mut self,
        seat: &str,
        id: FollowUpId,
        seen: Option<u32>,
        reply: &Reply,
    ) -> Result<(FollowUpView, bool)> {
        let own = self.station.as_ref().map(|l| l.seat().to_string());
        let now = self.now();
        let other = match (&mut self.station, own.as_deref()) {
            (Some(link), Some(own)) if !seat.is_empty() && seat != own => Some(link),
            _ => None,
        };
        let Some(link) = other else {
            let mut f = self
                .store
                .load_followup(id)?
                .ok_or(DeskError::NotFound(id))?;
            self.may_reply(&f)?;
            f.add_reply(reply, now)?;
            self.store.save_followup(&f)?;
            return Ok((self.followup_view(own.unwrap_or_default(), f), true));
        };
        let mut f = link
            .followup(seat, id)
            .map_err(DeskError::StationOffline)?
            .ok_or(DeskError::NotFound(id))?;
        self.may_reply(&f)?;
        with_sent(&self.store.sent_station_replies()?, seat, &mut f);
        let held = f.replies.len() as u32;
        f.add_reply(reply, now)?;
        let checked = f.replies.pop().expect("add_reply pushed it");
        let queued =
            self.store
                .queue_station_reply(seat, id, seen.unwrap_or(held), &checked, now)?;
        f.replies.push(queued.reply);
        Ok((self.followup_view(seat.to_string(), f), false))
    }

    /// Validates a year's calendar file, keeps a copy in the data folder
    /// (so it survives restarts without a rebuild), and recomputes open
    /// follow-ups, logging every due date that moves.
    ///
    /// # Errors
    /// [`DeskError::Calendar`] naming the file and line; I/O errors.
    pub fn import_calendar(&mut self, path: &Path) -> Result<(i32, Vec<FollowUpId>)> {
        self.authorize(crate::Need::Lead)?;
        let year = read_year(path)?;
        let dir = self.data_dir.join("calendar");
        let dest = dir.join(format!("{}.toml", year.year));
        std::fs::create_dir_all(&dir)
            .and_then(|_| std::fs::copy(path, &dest))
            .map_err(|e| DeskError::Io(format!("{}: {e}", dest.display())))?;
        let y = year.year;
        self.calendar.insert(year);
        let moved = self.recompute_open(&format!("{y} calendar imported"))?;
        Ok((y, moved))
    }

    /// [`Desk::import_calendar`] from Settings: the desk as it now is.
    ///
    /// # Errors
    /// As [`Desk::import_calendar`].
    pub fn import_calendar_file(&mut self, path: &str) -> Result<crate::DeskState> {
        self.import_calendar(Path::new(path))?;
        self.state()
    }

    /// Recomputes the due date of every open follow-up with the calendar as
    /// loaded now; returns the ids whose due date or provisional flag moved.
    pub(crate) fn recompute_open(&mut self, reason: &str) -> Result<Vec<FollowUpId>> {
        let now = self.now();
        let mut moved = Vec::new();
        for mut f in self.store.followups(true)? {
            let d = due(
                &self.calendar,
                f.received_at,
                &self.due_rule(Some(f.working_days)),
            );
            let due_at = d.due_at.with_timezone(&Utc);
            if due_at == f.due_at && d.provisional == f.provisional {
                continue;
            }
            f.log.push(FollowUpLog {
                at: now,
                what: format!(
                    "due {}{} -> {}{} ({reason})",
                    f.due_date,
                    if f.provisional { " (provisional)" } else { "" },
                    d.due_date,
                    if d.provisional { " (provisional)" } else { "" }
                ),
            });
            f.due_date = d.due_date;
            f.due_at = due_at;
            f.provisional = d.provisional;
            f.missing_years = d.missing_years;
            self.store.save_followup(&f)?;
            moved.push(f.id);
        }
        Ok(moved)
    }
}
