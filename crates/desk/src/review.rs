//! The shift lead's side of the desk: the call log, one call's timeline and
//! QA review, the random sample, corrections to closed calls, the
//! dashboard's scope and exports. Every method here needs a lead.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use jiejing_core::qa::{self, QaMark};
use jiejing_core::{CallId, CoreError, ElementKey};
use jiejing_store::{AuditEntry, LogCursor, LogFilter, LogRow, Review, ReviewInput, Scope};
use serde::{Deserialize, Serialize};

use crate::session::Need;
use crate::{CallView, Desk, DeskError};

type Result<T> = std::result::Result<T, DeskError>;

/// Which calls: rang in `[from, to)`, optionally one call-taker's and one
/// shift (by name, from the settings).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ReviewScope {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub taker: Option<String>,
    pub shift: Option<String>,
    /// On a joined desk: this seat's calls only (`--local`), not every
    /// seat's at the station.
    #[serde(default)]
    pub this_seat_only: bool,
}

/// One moment of a call, for the detail view.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TimelineEvent {
    pub at: DateTime<Utc>,
    /// ring, rang, answer, greeting, element, situation, referral, urged,
    /// close, or an audit action (review, amend, rings, …).
    pub kind: String,
    /// The element or situation key, the value, who: what the kind needs.
    pub subject: String,
    pub text: String,
}

/// A call as a reviewer sees it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct CallDetail {
    /// The call's seat; "" for this desk's own.
    pub seat: String,
    pub view: CallView,
    pub timeline: Vec<TimelineEvent>,
    pub review: Option<Review>,
    /// The checklist as the record suggests it, for a new review.
    pub suggested: Vec<QaMark>,
    /// Each item's severity, in checklist order (the screen shows weights
    /// from here, so there is one table of them).
    pub severities: Vec<(qa::QaItem, qa::Severity)>,
}

/// One page of the log, and whether it covers this seat only (a joined
/// desk whose station could not be asked, or a scope that asked for it).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct LogPage {
    pub rows: Vec<LogRow>,
    pub this_seat_only: bool,
}

/// Where an export went.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Exported {
    pub path: String,
    pub rows: u32,
}

jiejing_core::keyed_enum!(ExportKind { Log = "log", Dashboard = "dashboard" });
jiejing_core::keyed_enum!(ExportFormat { Csv = "csv", Xlsx = "xlsx" });

/// Rows an export may hold (an XLSX sheet's limit, less the header).
pub const MAX_EXPORT_ROWS: usize = 1_048_575;

impl Desk {
    /// The station zone's offset at `at`, in minutes.
    pub(crate) fn offset_min(&self, at: DateTime<Utc>) -> i32 {
        let tz: Tz = self
            .settings
            .time_zone
            .parse()
            .unwrap_or(chrono_tz::Asia::Shanghai);
        tz.offset_from_utc_datetime(&at.naive_utc())
            .fix()
            .local_minus_utc()
            / 60
    }

    pub(crate) fn scope<'a>(&self, s: &'a ReviewScope) -> Result<Scope<'a>> {
        if s.to <= s.from {
            return Err(CoreError::InvalidValue {
                field: "to".into(),
                reason: "the end must be after the start".into(),
            }
            .into());
        }
        let shift = match s.shift.as_deref().filter(|n| !n.is_empty()) {
            None => None,
            Some(name) => {
                let sh = self
                    .settings
                    .shift_list()
                    .into_iter()
                    .find(|x| x.name == name)
                    .ok_or_else(|| CoreError::InvalidValue {
                        field: "shift".into(),
                        reason: format!("no shift named {name:?} in the settings"),
                    })?;
                Some((sh.start_min, sh.end_min))
            }
        };
        Ok(Scope {
            from: s.from,
            to: s.to,
            taker: s.taker.as_deref().filter(|t| !t.is_empty()),
            shift,
            offset_min: self.offset_min(s.from),
        })
    }

    /// One page of the log, newest first, after `after`.
    ///
    /// # Errors
    /// [`DeskError::Forbidden`] for a call-taker, a bad scope, storage.
    pub fn log(
        &mut self,
        scope: &ReviewScope,
        filter: &LogFilter,
        after: Option<&LogCursor>,
        limit: u32,
    ) -> Result<LogPage> {
        self.authorize(Need::Lead)?;
        let sc = self.scope(scope)?;
        let now = self.now();
        self.log_page(&sc, scope.this_seat_only, filter, after, limit, now)
    }

    /// Every seat's page from the station when joined (and not asked for
    /// this seat only), else this desk's.
    fn log_page(
        &mut self,
        sc: &Scope<'_>,
        here_only: bool,
        filter: &LogFilter,
        after: Option<&LogCursor>,
        limit: u32,
        now: DateTime<Utc>,
    ) -> Result<LogPage> {
        if let (false, Some(link)) = (here_only, self.station.as_mut()) {
            if let Ok(rows) = link.log(sc, filter, after, limit, now) {
                return Ok(LogPage {
                    rows,
                    this_seat_only: false,
                });
            }
        }
        Ok(LogPage {
            rows: self.store.log(sc, filter, after, limit, now)?,
            this_seat_only: self.station.is_some(),
        })
    }

    /// Call `id` of `seat` ("" or this desk's seat: this desk's own) as a
    /// reviewer sees it; another seat's as the station holds it.
    ///
    /// # Errors
    /// [`DeskError::Forbidden`], [`DeskError::NotFound`],
    /// [`DeskError::StationOffline`] for another seat's call.
    pub fn call_detail(&mut self, seat: &str, id: CallId) -> Result<CallDetail> {
        self.authorize(Need::Lead)?;
        if self.other_seat(seat) {
            return self.seat_detail(seat, id);
        }
        self.detail(id)
    }

    fn detail(&mut self, id: CallId) -> Result<CallDetail> {
        let call = self.store.load_call(id)?.ok_or(DeskError::NotFound(id))?;
        let audit = self.store.audit_of_call(id)?;
        // A lead at another seat may have reviewed this seat's call.
        let review = match (self.store.load_review(id)?, self.station.as_mut()) {
            (None, Some(link)) => {
                let seat = link.seat().to_string();
                link.review(&seat, id).ok().flatten()
            }
            (review, _) => review,
        };
        Ok(CallDetail {
            seat: String::new(),
            timeline: timeline(&call, &audit),
            review,
            suggested: qa::prefill(&call),
            severities: severities(),
            view: self.view(call)?,
        })
    }

    /// Draws `pct` % of the scope's unreviewed, answered, closed calls into
    /// the review queue at random: every seat's at the station when joined
    /// (this seat's when it cannot be asked). Returns how many were drawn.
    ///
    /// # Errors
    /// [`DeskError::Forbidden`], a percentage outside 0.1–100.
    pub fn draw_sample(&mut self, scope: &ReviewScope, pct: f64) -> Result<u64> {
        let actor = self.authorize(Need::Lead)?;
        if !(0.1..=100.0).contains(&pct) {
            return Err(CoreError::InvalidValue {
                field: "pct".into(),
                reason: "between 0.1 and 100 %".into(),
            }
            .into());
        }
        let sc = self.scope(scope)?;
        let now = self.now();
        // A joined desk draws from every seat's calls at the station.
        if let (false, Some(link)) = (scope.this_seat_only, self.station.as_mut()) {
            if let Ok((drawn, eligible)) = link.draw_sample(&sc, pct, &actor, now) {
                let detail = serde_json::json!({
                    "pct": pct, "drawn": drawn, "eligible": eligible, "station": true,
                    "from": scope.from, "to": scope.to, "taker": scope.taker,
                });
                self.audit_entry(&actor, "sample", None, detail)?;
                return Ok(drawn);
            }
        }
        Ok(self.store.draw_sample(&sc, pct, &actor, now)?)
    }

    /// Scores call `id` of `seat` ("" for this desk's own) with the
    /// reviewer's marks and notes.
    ///
    /// # Errors
    /// [`DeskError::Forbidden`], an incomplete checklist, notes too long, a
    /// call not closed.
    pub fn save_review(
        &mut self,
        seat: &str,
        id: CallId,
        marks: &[QaMark],
        notes: &str,
    ) -> Result<CallDetail> {
        let actor = self.authorize(Need::Lead)?;
        let other = self.other_seat(seat);
        let call = match other {
            true => self.seat_call(seat, id)?,
            false => self.store.load_call(id)?.ok_or(DeskError::NotFound(id))?,
        };
        if call.state != jiejing_core::CallState::Closed {
            return Err(CoreError::WrongState {
                state: call.state.as_str(),
                action: "review it (close it first)",
            }
            .into());
        }
        let score = qa::score(marks)?;
        let notes = jiejing_core::text::clean("reviewNotes", notes, 2000, true)?;
        let input = ReviewInput {
            call_id: id,
            reviewer: &actor,
            at: self.now(),
            marks,
            score: score.score,
            critical: score.critical,
            notes: &notes,
        };
        if other {
            // Kept here and queued: the station's copy is the one every
            // seat's lead sees.
            self.store.save_seat_review(seat, &input)?;
            return self.seat_detail(seat, id);
        }
        self.store.save_review(&input)?;
        self.detail(id)
    }

    /// Corrects an item (or, with `None`, the notes) of a closed call; the
    /// old and new value go into the audit trail with the call's new hash.
    ///
    /// # Errors
    /// [`DeskError::Forbidden`], a call not closed, an invalid value.
    pub fn amend_call(
        &mut self,
        id: CallId,
        key: Option<ElementKey>,
        value: &str,
    ) -> Result<CallDetail> {
        let actor = self.authorize(Need::Lead)?;
        let mut call = self.store.load_call(id)?.ok_or(DeskError::NotFound(id))?;
        let old = call.amend(key, value, self.now())?;
        let new = key.map_or(&call.notes, |k| &call.element(k).value).clone();
        let field = key.map_or("notes", |k| k.as_str());
        let detail = serde_json::json!({ "field": field, "old": old, "new": new });
        self.persist(&[&call], &actor, "amend", detail)?;
        self.detail(id)
    }

    /// Writes the filtered log or the dashboard to `path` (CSV in UTF-8
    /// with a BOM so Excel reads the Chinese, or XLSX); returns the rows
    /// written. Headers follow the desk's language (Chinese by default).
    ///
    /// # Errors
    /// [`DeskError::Forbidden`], more rows than a sheet holds, I/O.
    pub fn export(
        &mut self,
        kind: ExportKind,
        format: ExportFormat,
        scope: &ReviewScope,
        filter: &LogFilter,
        path: &Path,
    ) -> Result<usize> {
        let actor = self.authorize(Need::Lead)?;
        let sc = self.scope(scope)?;
        let now = self.now();
        let lang = self.settings.language;
        let table = match kind {
            ExportKind::Log => {
                let mut rows = Vec::new();
                let mut after: Option<LogCursor> = None;
                // One source for the whole file: every seat's if the
                // station answers the first page, else this seat's.
                let mut here_only = scope.this_seat_only;
                loop {
                    let page = self.log_page(&sc, here_only, filter, after.as_ref(), 1000, now)?;
                    here_only |= page.this_seat_only;
                    let page = page.rows;
                    let Some(last) = page.last() else { break };
                    after = Some(LogCursor {
                        ring_at: last.ring_at,
                        seat: last.seat.clone(),
                        id: last.id,
                    });
                    rows.extend(page);
                    if rows.len() > MAX_EXPORT_ROWS {
                        return Err(CoreError::InvalidValue {
                            field: "to".into(),
                            reason: format!(
                                "more than {MAX_EXPORT_ROWS} calls: export a shorter range"
                            ),
                        }
                        .into());
                    }
                }
                crate::export::log_table(&rows, lang, self.offset_min(scope.from))
            }
            ExportKind::Dashboard => crate::export::report_table(&self.report(scope)?, lang),
        };
        let n = table.rows.len();
        crate::export::write(&table, format, path)
            .map_err(|e| DeskError::Io(format!("{}: {e}", path.display())))?;
        let detail = serde_json::json!({
            "kind": kind, "format": format, "rows": n, "file": path.display().to_string(),
            "from": scope.from, "to": scope.to, "taker": scope.taker, "shift": scope.shift, "filter": filter,
        });
        self.audit_entry(&actor, "export", None, detail)?;
        Ok(n)
    }

    /// Where the app writes exports: `<data folder>/exports/`.
    pub fn exports_dir(&self) -> PathBuf {
        self.data_dir.join("exports")
    }

    /// [`Desk::export`] into [`Desk::exports_dir`], named by kind and the
    /// desk's time ("通话记录-20261201-093000.xlsx"): the app's export buttons.
    ///
    /// # Errors
    /// As [`Desk::export`].
    pub fn export_to_folder(
        &mut self,
        kind: ExportKind,
        format: ExportFormat,
        scope: &ReviewScope,
        filter: &LogFilter,
    ) -> Result<Exported> {
        let name = match kind {
            ExportKind::Log => "通话记录",
            ExportKind::Dashboard => "统计",
        };
        let stamp = self.now().format("%Y%m%d-%H%M%S");
        let path = self
            .exports_dir()
            .join(format!("{name}-{stamp}.{}", format.as_str()));
        let rows = self.export(kind, format, scope, filter, &path)?;
        Ok(Exported {
            path: path.display().to_string(),
            rows: rows as u32,
        })
    }

    /// Checks the audit trail (the CLI's `audit verify`).
    ///
    /// # Errors
    /// [`DeskError::Forbidden`], storage errors.
    pub fn verify_audit(&mut self, anchors: &[(i64, String)]) -> Result<jiejing_store::AuditCheck> {
        self.authorize(Need::Lead)?;
        // The heads this desk wrote beside its key, and those `anchors`
        // the lead wrote down.
        let (mut heads, bad) = match crate::paths::anchor_file(&self.data_dir) {
            Ok(f) => crate::anchors::read(&f),
            Err(e) => (Vec::new(), vec![e]),
        };
        heads.extend_from_slice(anchors);
        let mut check = self.store.verify_audit(&heads)?;
        check.problems.extend(bad.into_iter().map(|b| (0, b)));
        Ok(check)
    }
}

/// An audit entry's detail in words (the JSON stays in the trail).
fn audit_text(action: &str, detail: &str) -> String {
    let d: serde_json::Value = serde_json::from_str(detail).unwrap_or_default();
    let s = |k: &str| match &d[k] {
        serde_json::Value::String(v) => v.clone(),
        serde_json::Value::Null => String::new(),
        v => v.to_string(),
    };
    match action {
        "amend" => format!("{}: {} → {}", s("field"), s("old"), s("new")),
        "review" => format!(
            "{}{}",
            s("score"),
            if d["critical"] == true {
                " (critical)"
            } else {
                ""
            }
        ),
        "urged" => format!("#{}", s("byCall")),
        "rings" => s("rings"),
        "recording_resumed" => format!("{} s", s("downS")),
        "followup_reply" => format!(
            "{} · {}{}",
            s("by"),
            s("method"),
            if d["closes"] == true { " ✓" } else { "" }
        ),
        _ => String::new(),
    }
}

/// Each QA item's severity, in checklist order.
pub(crate) fn severities() -> Vec<(qa::QaItem, qa::Severity)> {
    qa::QaItem::ALL.iter().map(|i| (*i, i.severity())).collect()
}

pub(crate) fn timeline(call: &jiejing_core::Call, audit: &[AuditEntry]) -> Vec<TimelineEvent> {
    let ev = |at, kind: &str, subject: &str, text: String| TimelineEvent {
        at,
        kind: kind.into(),
        subject: subject.into(),
        text,
    };
    let mut t = Vec::new();
    if call.rings.is_empty() {
        t.push(ev(call.ring_at, "rang", "", String::new()));
    }
    for (i, r) in call.rings.iter().enumerate() {
        let secs = (r.offset - r.onset).num_milliseconds() as f64 / 1000.0;
        t.push(ev(
            r.onset,
            "ring",
            &(i + 1).to_string(),
            format!("{secs:.1} s"),
        ));
    }
    if let Some(a) = call.answered_at {
        t.push(ev(
            a,
            "answer",
            call.answer_source.map_or("", |s| s.as_str()),
            String::new(),
        ));
    }
    if let Some(g) = call.greeting_at {
        t.push(ev(g, "greeting", "", call.greeting_text.clone()));
    }
    for e in &call.elements {
        if let Some(at) = e.first_answered_at {
            t.push(ev(at, "element", e.key.as_str(), e.value.clone()));
        }
    }
    for s in &call.situations {
        t.push(ev(s.at, "situation", s.kind.as_str(), String::new()));
    }
    for r in &call.referrals {
        t.push(ev(r.at, "referral", &r.department, r.phone.clone()));
    }
    for u in &call.urges {
        t.push(ev(u.at, "urged", &u.by_call_id.to_string(), String::new()));
    }
    if let Some(c) = call.closed_at {
        t.push(ev(
            c,
            "close",
            call.disposition.map_or("", |d| d.as_str()),
            String::new(),
        ));
    }
    for a in audit.iter().filter(|a| a.action != "close") {
        t.push(ev(
            a.at,
            &a.action,
            &a.actor,
            audit_text(&a.action, &a.detail),
        ));
    }
    t.sort_by_key(|e| e.at);
    t
}
