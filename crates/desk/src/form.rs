//! The 接警登记表 (issue #17): every call registered on the unified form
//! and filed for inspection (110接处警工作规则 art. 7). What the form says
//! is decided here, from the call as recorded (its detail, follow-up and
//! review); `jiejing_form` lays it out on A4 and writes the PDF. The form
//! is in Chinese whatever the desk's language: it is the station's paper.

use std::path::Path;

use chrono::{DateTime, FixedOffset, Utc};
use jiejing_core::{CallId, ElementState, FollowUp, PhrasePack};
use jiejing_form::{Form, Row, Section, Typeface};

use crate::export::label;
use crate::review::CallDetail;
use crate::session::Need;
use crate::{Desk, DeskError, Exported, LogCursor, LogFilter, ReviewScope};

type Result<T> = std::result::Result<T, DeskError>;

/// Forms one PDF may hold (a shift's calls, a busy day's).
pub const MAX_FORMS: usize = 5000;

impl Desk {
    /// The forms of `calls` ((seat, id): "" for this desk's own), one after
    /// another in one PDF at `path`; audited as an export of forms.
    ///
    /// # Errors
    /// [`DeskError::Forbidden`] (a lead's), [`DeskError::NotFound`], no
    /// Chinese font, an unwritable `path`, more than [`MAX_FORMS`].
    pub fn write_forms(&mut self, calls: &[(String, CallId)], path: &Path) -> Result<Exported> {
        let actor = self.authorize(Need::Lead)?;
        if calls.is_empty() {
            return Err(invalid("no calls to print".into()));
        }
        if calls.len() > MAX_FORMS {
            return Err(invalid(format!(
                "{} calls: at most {MAX_FORMS} forms in one file, print a shorter range",
                calls.len()
            )));
        }
        let face = Typeface::find(&self.data_dir).map_err(|e| DeskError::Print(e.to_string()))?;
        let printed = format!("打印：{actor}  {}", self.local(self.now()));
        let mut queue: Option<Vec<crate::FollowUpView>> = None;
        let mut forms = Vec::with_capacity(calls.len());
        for (seat, id) in calls {
            let detail = self.call_detail(seat, *id)?;
            let followup = self.followup_for(&detail, &mut queue)?;
            forms.push(self.form(&detail, followup.as_ref(), &printed));
        }
        let pdf =
            jiejing_form::render(&forms, &face).map_err(|e| DeskError::Print(e.to_string()))?;
        crate::paths::replace_file(path, |tmp| {
            std::fs::write(tmp, &pdf).map_err(|e| e.to_string())
        })
        .map_err(|e| DeskError::Io(format!("{}: {e}", path.display())))?;
        let detail = serde_json::json!({
            "kind": "form", "format": "pdf", "rows": calls.len(), "file": path.display().to_string(),
            "calls": calls.iter().map(|(s, id)| format!("{s}/{id}")).collect::<Vec<_>>(),
        });
        self.audit_entry(&actor, "export", None, detail)?;
        Ok(Exported {
            path: path.display().to_string(),
            rows: calls.len() as u32,
        })
    }

    /// [`Desk::write_forms`] into the exports folder, named by the desk's
    /// time ("接警登记表-20261201-093000.pdf"): the app's print buttons.
    ///
    /// # Errors
    /// As [`Desk::write_forms`].
    pub fn forms_to_folder(&mut self, calls: &[(String, CallId)]) -> Result<Exported> {
        let stamp = self.now().format("%Y%m%d-%H%M%S");
        let path = self.exports_dir().join(format!("接警登记表-{stamp}.pdf"));
        self.write_forms(calls, &path)
    }

    /// The calls of `scope` (a shift, a day) to print, oldest first: every
    /// seat's at the station when joined, else this seat's.
    ///
    /// # Errors
    /// As [`Desk::log_page`].
    pub fn calls_to_print(&mut self, scope: &ReviewScope) -> Result<Vec<(String, CallId)>> {
        let mut out = Vec::new();
        let mut after: Option<LogCursor> = None;
        loop {
            let page = self
                .log(scope, &LogFilter::default(), after.as_ref(), 1000)?
                .rows;
            let Some(last) = page.last() else { break };
            after = Some(LogCursor {
                ring_at: last.ring_at,
                seat: last.seat.clone(),
                id: last.id,
            });
            out.extend(page.iter().map(|r| (r.seat.clone(), r.id)));
            if out.len() > MAX_FORMS {
                break;
            }
        }
        out.reverse();
        Ok(out)
    }

    /// 普通话, English, or the dialect pack's name (方言 once it is gone).
    fn phrase_language_name(&self, l: jiejing_core::PhraseLanguage) -> String {
        match self.files.phrases.get(l) {
            Some(p) => p.name.clone(),
            None => "方言".into(),
        }
    }

    fn local(&self, at: DateTime<Utc>) -> String {
        let zone = FixedOffset::east_opt(self.offset_min(at) * 60)
            .unwrap_or(FixedOffset::east_opt(8 * 3600).expect("+8"));
        at.with_timezone(&zone)
            .format("%Y-%m-%d %H:%M:%S")
            .to_string()
    }

    /// The call's follow-up: this desk's own from its store, another
    /// seat's from the station's queue (asked once per batch).
    fn followup_for(
        &mut self,
        d: &CallDetail,
        queue: &mut Option<Vec<crate::FollowUpView>>,
    ) -> Result<Option<FollowUp>> {
        let id = d.view.call.id;
        if d.view.call.complaint.is_none() {
            return Ok(None);
        }
        if d.seat.is_empty() {
            return Ok(match self.store.followup_id_for_call(id)? {
                Some(f) => self.store.load_followup(f)?,
                None => None,
            });
        }
        if queue.is_none() {
            *queue = Some(self.followups(false)?.items);
        }
        Ok(queue
            .iter()
            .flatten()
            .find(|v| v.seat == d.seat && v.followup.call_id == id)
            .map(|v| v.followup.clone()))
    }

    fn form(&self, d: &CallDetail, followup: Option<&FollowUp>, printed: &str) -> Form {
        let c = &d.view.call;
        let zh: &PhrasePack = &self.files.phrases.zh;
        let when = |t: Option<DateTime<Utc>>| t.map_or_else(String::new, |t| self.local(t));
        let seat = match (d.seat.as_str(), self.station.as_ref()) {
            ("", Some(link)) => link.seat().to_string(),
            (s, _) => s.to_string(),
        };
        let number = match seat.as_str() {
            "" => format!(
                "接警编号 {}-{:04}",
                self.local(c.ring_at)[..10].replace('-', ""),
                c.id
            ),
            s => format!(
                "接警编号 {}-{s}-{:04}",
                self.local(c.ring_at)[..10].replace('-', ""),
                c.id
            ),
        };
        let answered = match (c.answered_at, &d.view.ring_timing) {
            (None, _) if c.missed => "未接听（漏接）".to_string(),
            (None, _) => String::new(),
            (Some(t), Some(r)) => format!(
                "{}（响铃 {} 声{}）",
                self.local(t),
                r.rings_before_answer,
                r.seconds_to_answer
                    .map_or_else(String::new, |s| format!("，{s:.0} 秒"))
            ),
            (Some(t), None) => self.local(t),
        };
        let greeting = match c.greeting_at {
            Some(t) => format!("{}（{} 说出）", c.greeting_text, &self.local(t)[11..]),
            None => format!("{}（未标记）", c.greeting_text),
        };
        let element = |k: jiejing_core::ElementKey| c.elements.iter().find(|e| e.key == k);
        let shown = |e: Option<&jiejing_core::Element>| match e {
            Some(e) if e.state == ElementState::NotApplicable => "（不适用）".to_string(),
            Some(e) => e.value.clone(),
            None => String::new(),
        };
        let contact = shown(element(jiejing_core::ElementKey::Contact));
        let complaint = c.complaint.as_ref();
        let reception = vec![
            Row::new("来电时间", self.local(c.ring_at)),
            Row::new("接听时间", answered),
            Row::new("接警员工号", c.taker_id.clone()),
            Row::new("问候语", greeting),
            Row::new("接警用语", self.phrase_language_name(c.phrase_language)),
            Row::new("来电号码", c.caller_number.clone()),
            Row::new(
                "报警人姓名",
                complaint.map_or_else(String::new, |x| x.name.clone()),
            ),
            Row::new("联系方式", contact),
        ];
        let elements = zh
            .elements
            .iter()
            .filter(|p| p.key != jiejing_core::ElementKey::Contact)
            .map(|p| Row::new(p.label.clone(), shown(element(p.key))))
            .collect();
        let situation = |k: jiejing_core::SituationKind| {
            zh.situations
                .iter()
                .find(|s| s.kind == k)
                .map_or_else(|| k.as_str().to_string(), |s| s.label.clone())
        };
        let mut handling = vec![
            Row::new(
                "情形",
                c.situations
                    .iter()
                    .map(|s| situation(s.kind))
                    .collect::<Vec<_>>()
                    .join("、"),
            ),
            Row::new(
                "转介",
                c.referrals
                    .iter()
                    .map(|r| format!("{}（{}）", r.department, r.phone))
                    .collect::<Vec<_>>()
                    .join("；"),
            ),
            Row::new(
                "处置结果",
                c.disposition
                    .map_or("", |x| label(x.as_str(), true))
                    .to_string(),
            ),
            Row::new("结束时间", when(c.closed_at)),
        ];
        if let Some(id) = c.repeat_of {
            handling.push(Row::new("重复来电", format!("前次来电 {id}")));
        }
        if !c.missing_at_close.is_empty() {
            let missing: Vec<String> = c
                .missing_at_close
                .iter()
                .map(|k| {
                    zh.elements
                        .iter()
                        .find(|p| p.key == *k)
                        .map_or_else(String::new, |p| p.label.clone())
                })
                .collect();
            handling.push(Row::new("结束时未问清", missing.join("、")));
        }
        handling.push(Row::new("备注", c.notes.clone()));
        let mut sections = vec![
            Section {
                heading: "一、接警".into(),
                rows: reception,
            },
            Section {
                heading: "二、报警内容（七要素）".into(),
                rows: elements,
            },
            Section {
                heading: "三、处置".into(),
                rows: handling,
            },
        ];
        if let Some(x) = complaint {
            let mut rows = vec![
                Row::new("投诉人", x.name.clone()),
                Row::new("住址", x.address.clone()),
                Row::new("工作单位", x.work_unit.clone()),
                Row::new("联系电话", x.phone.clone()),
                Row::new("投诉对象", x.subject.clone()),
                Row::new("事情经过", x.what_happened.clone()),
            ];
            if let Some(f) = followup {
                rows.push(Row::new("答复期限", self.local(f.due_at)[..16].to_string()));
                for (i, r) in f.replies.iter().enumerate() {
                    let outcome = match r.outcome.as_str() {
                        "" => String::new(),
                        o => format!("。投诉人反馈：{o}"),
                    };
                    rows.push(Row::new(
                        format!("答复 {}", i + 1),
                        format!(
                            "{} {} {}：{}{outcome}",
                            &self.local(r.at)[..16],
                            reply_method(r.method),
                            r.by,
                            r.content
                        ),
                    ));
                }
                rows.push(Row::new("办结", when(f.closed_at)));
            }
            sections.push(Section {
                heading: "四、投诉及答复".into(),
                rows,
            });
        }
        if let Some(r) = d.review.as_ref().filter(|r| r.reviewed_at.is_some()) {
            let deviations: Vec<&str> = r
                .marks
                .iter()
                .filter(|m| m.verdict == jiejing_core::qa::Verdict::Deviation)
                .map(|m| qa_label(m.item))
                .collect();
            let score = r.score.map_or_else(String::new, |s| format!("{s:.1} 分"));
            sections.push(Section {
                heading: "五、质量审核".into(),
                rows: vec![
                    Row::new("审核人", r.reviewer.clone().unwrap_or_default()),
                    Row::new("审核时间", when(r.reviewed_at)),
                    Row::new(
                        "得分",
                        if r.critical {
                            format!("{score}（严重不合格）")
                        } else {
                            score
                        },
                    ),
                    Row::new("不合格项", deviations.join("、")),
                    Row::new("审核意见", r.notes.clone()),
                ],
            });
        }
        Form {
            station: format!("{}110报警服务台", self.settings.city),
            title: "接警登记表".into(),
            number,
            sections,
            footer: printed.to_string(),
        }
    }
}

fn invalid(reason: String) -> DeskError {
    jiejing_core::CoreError::InvalidValue {
        field: "calls".into(),
        reason,
    }
    .into()
}

fn reply_method(m: jiejing_core::ReplyMethod) -> &'static str {
    use jiejing_core::ReplyMethod as M;
    match m {
        M::Phone => "电话",
        M::Sms => "短信",
        M::InPerson => "当面",
        M::Letter => "书面",
    }
}

fn qa_label(i: jiejing_core::qa::QaItem) -> &'static str {
    use jiejing_core::qa::QaItem as Q;
    match i {
        Q::Greeting => "问候语",
        Q::ThreeRings => "三声内接听",
        Q::When => "何时",
        Q::Where => "何地",
        Q::What => "何事",
        Q::Who => "何人",
        Q::Why => "何因",
        Q::Object => "何物",
        Q::Result => "何果",
        Q::Contact => "联系方式",
        Q::Situation => "情形处置",
        Q::Manner => "态度用语",
    }
}
