//! Complaint follow-ups across the seats of a station (issue #12): a
//! complaint taken at seat A is seen and answered at seat B, A learns of the
//! reply, and two replies that crossed are both kept and shown as a conflict.

use std::path::Path;

use jiejing_core::{AnswerSource, ComplaintField, SituationKind};
use jiejing_station::Station;

use super::jiejing;
use super::seats::{desk, hall, json, ok, Hall};

fn list(dir: &Path, all: bool) -> Vec<serde_json::Value> {
    let mut args = vec!["followups", "list", "--json"];
    if all {
        args.push("--all");
    }
    serde_json::from_value(json(dir, &args)).unwrap()
}

/// A complaint call left open at a desk (the follow-up exists from the
/// moment the complaint is marked); returns the follow-up's id.
pub(crate) fn complaint(dir: &Path) -> i64 {
    let mut d = desk(dir);
    d.ring(AnswerSource::Manual).unwrap();
    d.answer(AnswerSource::Manual).unwrap();
    let call = d.add_situation(SituationKind::Complaint).unwrap().call.id;
    let own = d.followups(false).unwrap().items;
    own.iter()
        .find(|v| v.followup.call_id == call)
        .unwrap()
        .followup
        .id
}

pub(crate) fn reply(
    dir: &Path,
    seat: &str,
    id: i64,
    by: &str,
    close: bool,
) -> (i32, String, String) {
    let id = id.to_string();
    let mut args = vec![
        "followups",
        "reply",
        &id,
        "--seat",
        seat,
        "--by",
        by,
        "--method",
        "phone",
        "--content",
        "已回电说明处理情况",
        "--outcome",
        "投诉人表示理解",
    ];
    if close {
        args.push("--close");
    }
    jiejing(dir, &args)
}

#[test]
fn a_complaint_taken_at_one_seat_is_answered_at_another() {
    let Hall { pg, url, a, b } = hall();

    let id = complaint(a.path());
    ok(a.path(), &["station", "sync"]);
    // The complainant's name is typed after the follow-up reached the
    // station: the station's copy follows.
    let mut d = desk(a.path());
    d.set_complaint_field(ComplaintField::Name, "张伟").unwrap();
    drop(d);
    ok(a.path(), &["station", "sync"]);

    // B sees A's promise, due, with A's seat on it; B has none of its own.
    let at_b = list(b.path(), false);
    assert_eq!(at_b.len(), 1, "{at_b:?}");
    assert_eq!(at_b[0]["seat"], "A");
    assert_eq!(at_b[0]["followup"]["id"], id);
    assert_eq!(at_b[0]["status"], "open");
    assert_eq!(at_b[0]["followup"]["complaint"]["name"], "张伟");

    // B answers the complainant and closes it; B's queue shows it closed at
    // once, before the reply has even reached the station.
    let (code, out, err) = reply(b.path(), "A", id, "王芳", true);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("closed"), "{out}");
    assert!(list(b.path(), false).is_empty());
    // A reply to a follow-up that does not exist is refused, exit 2.
    let (code, _, err) = reply(b.path(), "A", id + 99, "王芳", true);
    assert_eq!(code, 2, "{err}");
    let sent: serde_json::Value =
        serde_json::from_str(&ok(b.path(), &["station", "sync", "--json"])).unwrap();
    assert_eq!(sent["backlog"], 0, "{sent}");

    // Every seat now sees it closed, with B's reply.
    for dir in [a.path(), b.path()] {
        let all = list(dir, true);
        assert_eq!(all.len(), 1, "{all:?}");
        assert_eq!(all[0]["status"], "closed", "{all:?}");
        assert_eq!(all[0]["followup"]["replies"][0]["by"], "王芳");
        assert_eq!(all[0]["followup"]["replies"][0]["origin"], "B#1");
    }
    // A pulls the reply back into its own record: it holds the whole
    // story even with the station gone, and ships it once more, unchanged.
    ok(a.path(), &["station", "sync"]);
    let held = jiejing_desk::paths::open_store(a.path())
        .unwrap()
        .load_followup(id)
        .unwrap()
        .unwrap();
    assert!(held.closed_at.is_some(), "{held:?}");
    assert_eq!(held.replies.len(), 1, "{held:?}");
    assert!(
        held.log.iter().any(|l| l.what.contains("seat B")),
        "{:?}",
        held.log
    );
    ok(a.path(), &["station", "sync"]);
    let mut s = Station::connect(&url).unwrap();
    let at_station = s.followup("A", id).unwrap().unwrap().followup;
    assert_eq!(
        at_station.replies.len(),
        1,
        "pulled back and pushed again, not doubled: {at_station:?}"
    );
    assert!(s.conflicts().unwrap().is_empty());
    assert!(ok(a.path(), &["station", "conflicts"]).contains("no conflicts"));

    // While the station is down, B shows its own (none) and says so.
    pg.stop();
    let (code, out, err) = jiejing(b.path(), &["followups", "list", "--json"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), "[]");
    assert!(err.contains("this seat only"), "{err}");
}

#[test]
fn two_replies_that_crossed_are_both_kept_and_shown_to_the_lead() {
    let Hall { pg: _pg, url, a, b } = hall();
    let id = complaint(a.path());
    ok(a.path(), &["station", "sync"]);

    // B answers (kept at B, not yet at the station) ...
    let (code, _, err) = reply(b.path(), "A", id, "王芳", true);
    assert_eq!(code, 0, "{err}");
    // ... while A, not knowing, answers too and its reply lands first.
    let (code, _, err) = reply(a.path(), "", id, "李明", true);
    assert_eq!(code, 0, "{err}");
    ok(a.path(), &["station", "sync"]);
    ok(b.path(), &["station", "sync"]);

    // Both replies are kept; the lead is told how they crossed.
    let mut s = Station::connect(&url).unwrap();
    let f = s.followup("A", id).unwrap().unwrap().followup;
    let by: Vec<&str> = f.replies.iter().map(|r| r.by.as_str()).collect();
    assert_eq!(by.len(), 2, "{by:?}");
    assert!(by.contains(&"王芳") && by.contains(&"李明"), "{by:?}");
    let conflicts = s.conflicts().unwrap();
    let kinds: Vec<&str> = conflicts.iter().map(|c| c.kind.as_str()).collect();
    assert!(kinds.contains(&"reply_crossed"), "{conflicts:?}");
    assert!(kinds.contains(&"closed_twice"), "{conflicts:?}");
    let shown = ok(b.path(), &["station", "conflicts"]);
    assert!(
        shown.contains("reply_crossed") && shown.contains(&format!("A/{id}")),
        "{shown}"
    );

    // Pushing everything again changes nothing: no third reply, no new conflict.
    ok(a.path(), &["station", "sync"]);
    ok(a.path(), &["station", "sync"]);
    assert_eq!(
        s.followup("A", id).unwrap().unwrap().followup.replies.len(),
        2
    );
    assert_eq!(s.conflicts().unwrap().len(), conflicts.len());
    // A's own record holds both too, once each.
    let held = jiejing_desk::paths::open_store(a.path())
        .unwrap()
        .load_followup(id)
        .unwrap()
        .unwrap();
    assert_eq!(held.replies.len(), 2, "{held:?}");
}
