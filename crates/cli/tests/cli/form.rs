//! The 接警登记表 as PDF (issue #17), read as a person and a machine read
//! it: `pdftotext` finds every field the form must carry, `pdftoppm`
//! renders each page, and a range of calls is one PDF with a form each.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use chrono::{FixedOffset, Utc};
use jiejing_core::{
    AnswerSource, ComplaintField, Disposition, ElementKey, Reply, ReplyMethod, SituationKind,
    SystemClock,
};
use jiejing_desk::Desk;

use super::{jiejing, private_dir};

/// A complaint call with what a form shows: the caller, two elements, the
/// complainant, a reply that closes the follow-up, and a review.
fn complaint_call(d: &mut Desk) -> i64 {
    d.ring(AnswerSource::Manual).unwrap();
    d.answer(AnswerSource::Manual).unwrap();
    d.set_caller_number("139 1234 5678").unwrap();
    d.set_element(ElementKey::Where, "钟楼区南大街88号")
        .unwrap();
    d.set_element(ElementKey::What, "对出警民警的态度不满")
        .unwrap();
    let id = d.add_situation(SituationKind::Complaint).unwrap().call.id;
    d.set_complaint_field(ComplaintField::Name, "张伟").unwrap();
    d.set_complaint_field(ComplaintField::Phone, "13912345678")
        .unwrap();
    d.set_complaint_field(ComplaintField::WhatHappened, "民警到场后态度生硬")
        .unwrap();
    d.close(Disposition::Complaint, true).unwrap();
    let followup = d
        .followups(false)
        .unwrap()
        .items
        .into_iter()
        .find(|v| v.followup.call_id == id)
        .unwrap()
        .followup
        .id;
    let reply = Reply {
        at: Utc::now(),
        by: "王芳".into(),
        method: ReplyMethod::Phone,
        content: "已回电说明处理情况".into(),
        outcome: "投诉人表示理解".into(),
        closes: true,
        origin: None,
    };
    d.add_reply("", followup, None, &reply).unwrap();
    let marks = d.call_detail("", id).unwrap().suggested;
    d.save_review("", id, &marks, "问候规范，要素齐全").unwrap();
    id
}

/// `calls form` of today (China time) into `out`.
pub(crate) fn todays_forms(out: &Path) -> Vec<String> {
    let today = Utc::now()
        .with_timezone(&FixedOffset::east_opt(8 * 3600).unwrap())
        .format("%Y-%m-%d")
        .to_string();
    let out = out.to_str().unwrap().to_string();
    [
        "calls", "form", "--from", &today, "--to", &today, "--out", &out,
    ]
    .map(String::from)
    .to_vec()
}

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name}: {e} (make setup-test installs poppler-utils)"));
    assert!(
        out.status.success(),
        "{name} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

pub(crate) fn text_of(pdf: &Path) -> String {
    tool("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"])
}

#[test]
fn a_calls_form_carries_every_field_and_a_day_prints_as_one_pdf() {
    let dir = private_dir();
    let mut d = Desk::open(dir.path(), Arc::new(SystemClock)).unwrap();
    d.act_as_admin("test");
    let id = complaint_call(&mut d);
    d.ring(AnswerSource::Manual).unwrap();
    d.answer(AnswerSource::Manual).unwrap();
    d.set_element(ElementKey::Where, "新北区太湖中路").unwrap();
    let other = d.close(Disposition::PoliceIncident, true).unwrap().call.id;
    drop(d);

    let pdf = dir.path().join("form.pdf");
    let (code, out, err) = jiejing(
        dir.path(),
        &[
            "calls",
            "form",
            &id.to_string(),
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("1 form(s)"), "{out}");
    assert!(err.contains("not encrypted"), "{err}");
    let text = text_of(&pdf);
    for field in [
        "常州110报警服务台",
        "接警登记表",
        &format!("-{id:04}"),
        "来电时间",
        "接警员工号",
        "13912345678",
        "何地",
        "钟楼区南大街88号",
        "对出警民警的态度不满",
        "处置结果",
        "投诉",
        "张伟",
        "民警到场后态度生硬",
        "答复期限",
        "已回电说明处理情况",
        "投诉人反馈：投诉人表示理解",
        "办结",
        "质量审核",
        "问候规范，要素齐全",
        "第1页",
        "共2页",
        "接警登记表（续）",
    ] {
        assert!(text.contains(field), "{field:?} not in the form:\n{text}");
    }
    // Every page renders, at print resolution's worth of ink.
    let png = dir.path().join("page");
    tool(
        "pdftoppm",
        &[
            "-r",
            "50",
            "-png",
            pdf.to_str().unwrap(),
            png.to_str().unwrap(),
        ],
    );
    let page = std::fs::read(dir.path().join("page-1.png")).unwrap();
    assert!(page.len() > 5_000, "a blank page? {} bytes", page.len());

    // The day's calls: one PDF, one form each, in the order they rang.
    let day = dir.path().join("day.pdf");
    let args = todays_forms(&day);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, out, err) = jiejing(dir.path(), &args);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("2 form(s)"), "{out}");
    let text = text_of(&day);
    assert_eq!(
        text.matches("常州110报警服务台").count(),
        2,
        "a form per call:\n{text}"
    );
    let (first, second) = (
        text.find(&format!("-{id:04}")),
        text.find(&format!("-{other:04}")),
    );
    assert!(
        first.is_some() && second.is_some() && first < second,
        "{text}"
    );
    assert!(text.contains("新北区太湖中路"));

    // Asked for nothing, or for a call that is not there: exit 2, in words.
    let (code, _, err) = jiejing(
        dir.path(),
        &["calls", "form", "--out", day.to_str().unwrap()],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--from and --to"), "{err}");
    let (code, _, err) = jiejing(
        dir.path(),
        &["calls", "form", "999", "--out", day.to_str().unwrap()],
    );
    assert_ne!(code, 0, "{err}");
    assert!(err.contains("999"), "{err}");
}
