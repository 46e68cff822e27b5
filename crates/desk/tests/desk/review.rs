//! Accounts, roles, the idle lock, the audit chain and the lead's review
//! tools, through the real database and the real migrations.

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use jiejing_core::qa::{QaItem, ReviewFilter, Verdict};
use jiejing_core::{
    AnswerSource, Clock, Disposition, ElementKey, ErrorCode, FixedClock, Role, Settings,
};
use jiejing_desk::{Desk, DeskError, ExportFormat, ExportKind, ReviewScope};
use jiejing_store::LogFilter;

const LEAD_PIN: &str = "999999";
const TAKER_PIN: &str = "111111";

/// A desk with a lead (L1) and two call-takers (T1, T2); nobody signed in.
fn station() -> (tempfile::TempDir, Arc<FixedClock>, Desk) {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(2026, 11, 27, 1, 0, 0).unwrap(),
    ));
    let mut desk = Desk::open(dir.path(), clock.clone()).unwrap();
    // The first account must be a lead, and needs nobody signed in.
    let e = desk
        .add_user("T1", "王芳", Role::Taker, TAKER_PIN)
        .unwrap_err();
    assert!(
        e.to_string().contains("first account must be a shift lead"),
        "{e}"
    );
    desk.add_user("L1", "李强", Role::Lead, LEAD_PIN).unwrap();
    // After that, only a signed-in lead adds accounts.
    assert!(matches!(
        desk.add_user("T1", "王芳", Role::Taker, TAKER_PIN),
        Err(DeskError::SignInRequired)
    ));
    desk.sign_in("L1", LEAD_PIN).unwrap();
    desk.add_user("T1", "王芳", Role::Taker, TAKER_PIN).unwrap();
    desk.add_user("T2", "赵敏", Role::Taker, TAKER_PIN).unwrap();
    desk.sign_out().unwrap();
    (dir, clock, desk)
}

fn week(clock: &FixedClock) -> ReviewScope {
    let now = jiejing_core::Clock::now(clock);
    ReviewScope {
        from: now - Duration::days(7),
        to: now + Duration::days(1),
        taker: None,
        shift: None,
        this_seat_only: false,
    }
}

/// A call taken by whoever is signed in: answered after `wait` s, the
/// first `items` checklist items filled (the first with `where_`).
fn call(
    desk: &mut Desk,
    clock: &FixedClock,
    wait: i64,
    items: usize,
    where_: &str,
    number: &str,
) -> i64 {
    let id = desk.ring(AnswerSource::Manual).unwrap().call.id;
    clock.advance(Duration::seconds(wait));
    desk.answer(AnswerSource::Manual).unwrap();
    desk.mark_greeting().unwrap();
    desk.set_caller_number(number).unwrap();
    for (i, k) in [
        ElementKey::Where,
        ElementKey::When,
        ElementKey::What,
        ElementKey::Who,
        ElementKey::Why,
        ElementKey::Object,
        ElementKey::Result,
        ElementKey::Contact,
    ]
    .iter()
    .take(items)
    .enumerate()
    {
        desk.set_element(*k, if i == 0 { where_ } else { "值" })
            .unwrap();
    }
    clock.advance(Duration::seconds(30));
    desk.close(Disposition::PoliceIncident, true).unwrap();
    clock.advance(Duration::minutes(5));
    id
}

#[test]
fn a_call_taker_is_refused_what_only_a_lead_may_do() {
    let (_dir, clock, mut desk) = station();
    // Nobody signed in: no call can be taken.
    assert_eq!(
        desk.ring(AnswerSource::Manual).unwrap_err().code(),
        ErrorCode::SignInRequired
    );
    assert_eq!(
        desk.sign_in("T1", "0000").unwrap_err().code(),
        ErrorCode::BadCredentials
    );
    assert_eq!(
        desk.sign_in("nobody", "0000").unwrap_err().code(),
        ErrorCode::BadCredentials
    );
    desk.sign_in("T1", TAKER_PIN).unwrap();
    let id = call(&mut desk, &clock, 3, 8, "人民路1号", "13812345678");
    assert_eq!(
        desk.call(id).unwrap().call.taker_id,
        "T1",
        "the signed-in call-taker is on the call"
    );

    let scope = week(&clock);
    let forbidden = |r: Result<(), DeskError>| {
        let e = r.unwrap_err();
        assert_eq!(
            (e.code(), e.to_string().as_str()),
            (ErrorCode::Forbidden, "only a shift lead may do this")
        );
    };
    forbidden(
        desk.log(&scope, &LogFilter::default(), None, 50)
            .map(|_| ()),
    );
    forbidden(desk.report(&scope).map(|_| ()));
    forbidden(desk.call_detail("", id).map(|_| ()));
    forbidden(desk.draw_sample(&scope, 5.0).map(|_| ()));
    forbidden(desk.save_review("", id, &[], "").map(|_| ()));
    forbidden(
        desk.amend_call(id, Some(ElementKey::Where), "改")
            .map(|_| ()),
    );
    let out = tempfile::tempdir().unwrap();
    forbidden(
        desk.export(
            ExportKind::Log,
            ExportFormat::Xlsx,
            &scope,
            &LogFilter::default(),
            &out.path().join("x.xlsx"),
        )
        .map(|_| ()),
    );
    assert!(!out.path().join("x.xlsx").exists());
    forbidden(desk.save_settings(&Settings::default()).map(|_| ()));
    forbidden(
        desk.add_user("T3", "新人", Role::Taker, "333333")
            .map(|_| ()),
    );
    forbidden(desk.verify_audit(&[]).map(|_| ()));

    // Another call-taker's call is not theirs to see.
    desk.sign_in("T2", TAKER_PIN).unwrap();
    let e = desk.call(id).unwrap_err();
    assert_eq!(
        (e.code(), e.to_string()),
        (
            ErrorCode::Forbidden,
            format!("call {id} is another call-taker's")
        )
    );
    // A lead may do all of it, but not remove the last lead.
    desk.sign_in("L1", LEAD_PIN).unwrap();
    let e = desk.update_user("L1", Role::Taker, true, None).unwrap_err();
    assert!(e.to_string().contains("last active shift lead"), "{e}");
    desk.update_user("T2", Role::Taker, false, None).unwrap();
    assert_eq!(
        desk.sign_in("T2", TAKER_PIN).unwrap_err().code(),
        ErrorCode::BadCredentials,
        "a disabled account cannot sign in"
    );
    desk.sign_in("L1", LEAD_PIN).unwrap();
    assert_eq!(
        desk.log(&scope, &LogFilter::default(), None, 50)
            .unwrap()
            .rows
            .len(),
        1
    );
    assert_eq!(desk.call(id).unwrap().call.id, id);
}

#[test]
fn pins_are_stored_as_argon2id_hashes() {
    let (dir, _clock, desk) = station();
    drop(desk);
    let db = jiejing_desk::paths::connect(dir.path()).unwrap();
    let hashes: Vec<String> = db
        .prepare("SELECT pin_hash FROM users WHERE id IN ('T1', 'T2')")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(
        hashes
            .iter()
            .all(|h| h.starts_with("$argon2id$") && !h.contains(TAKER_PIN)),
        "{hashes:?}"
    );
    assert_ne!(hashes[0], hashes[1], "the same PIN gets its own salt");
}

#[test]
fn the_desk_locks_after_the_idle_time_and_the_pin_unlocks_it() {
    let (_dir, clock, mut desk) = station();
    desk.sign_in("T1", TAKER_PIN).unwrap();
    desk.ring(AnswerSource::Manual).unwrap();
    desk.answer(AnswerSource::Manual).unwrap();
    clock.advance(Duration::minutes(14));
    desk.set_element(ElementKey::Where, "人民路1号").unwrap(); // activity resets the timer
    clock.advance(Duration::minutes(15) + Duration::seconds(1));
    assert_eq!(
        desk.set_element(ElementKey::What, "盗窃")
            .unwrap_err()
            .code(),
        ErrorCode::Locked
    );
    assert!(desk.session().unwrap().locked);
    assert!(
        desk.state().unwrap().active.is_none(),
        "the call is hidden behind the lock"
    );
    assert_eq!(
        desk.sign_in("T1", "1112").unwrap_err().code(),
        ErrorCode::BadCredentials
    );
    desk.sign_in("T1", TAKER_PIN).unwrap();
    let v = desk.set_element(ElementKey::What, "盗窃").unwrap();
    assert_eq!(
        v.call.element(ElementKey::Where).value,
        "人民路1号",
        "nothing typed before the lock was lost"
    );
    // Locking by hand (stepping away) works the same.
    desk.lock().unwrap();
    assert_eq!(desk.set_notes("x").unwrap_err().code(), ErrorCode::Locked);
}

#[test]
fn the_idle_lock_meets_a_read_as_well_as_a_change() {
    let (dir, clock, mut desk) = station();
    desk.sign_in("T1", TAKER_PIN).unwrap();
    desk.ring(AnswerSource::Manual).unwrap();
    desk.answer(AnswerSource::Manual).unwrap();
    assert!(desk.state().unwrap().active.is_some());
    clock.advance(Duration::minutes(15) + Duration::seconds(1));
    // Nothing but the screen's poll: the open call is already hidden.
    assert!(
        desk.state().unwrap().active.is_none(),
        "idle, the call is hidden"
    );
    assert!(desk.session().unwrap().locked);
    let locks = crate::audit_of(dir.path(), "lock");
    assert_eq!(
        locks.len(),
        1,
        "locked once, however often asked: {locks:?}"
    );
    assert_eq!(locks[0].0, "T1");
}

#[test]
fn an_account_changed_elsewhere_takes_effect_at_the_next_command() {
    let (dir, clock, mut desk) = station();
    desk.sign_in("T1", TAKER_PIN).unwrap();
    assert!(matches!(
        desk.report(&week(&clock)),
        Err(DeskError::Forbidden)
    ));
    // The lead, at the command line on the same folder.
    let mut other = Desk::open(dir.path(), clock.clone()).unwrap();
    other.act_as_admin("李强");
    other.update_user("T1", Role::Lead, true, None).unwrap();
    assert!(
        desk.report(&week(&clock)).is_ok(),
        "the new role, without signing in again"
    );
    other.update_user("T1", Role::Taker, false, None).unwrap();
    // Nothing but the screen's poll: the disabled account is signed out.
    assert!(desk.session().unwrap().user.is_none());
    assert!(matches!(
        desk.ring(AnswerSource::Manual),
        Err(DeskError::SignInRequired)
    ));
    let outs = crate::audit_of(dir.path(), "sign_out");
    assert!(
        outs.iter()
            .any(|(who, d)| who == "T1" && d.contains("account disabled")),
        "{outs:?}"
    );
}

#[test]
fn only_leads_and_the_calls_own_taker_see_who_complained() {
    let (_dir, _clock, mut desk) = station();
    desk.sign_in("T1", TAKER_PIN).unwrap();
    desk.ring(AnswerSource::Manual).unwrap();
    desk.answer(AnswerSource::Manual).unwrap();
    desk.set_caller_number("13912345678").unwrap();
    desk.add_situation(jiejing_core::SituationKind::Complaint)
        .unwrap();
    for (f, v) in [
        (jiejing_core::ComplaintField::Name, "王芳"),
        (jiejing_core::ComplaintField::Phone, "13912345678"),
        (jiejing_core::ComplaintField::Address, "人民路1号"),
    ] {
        desk.set_complaint_field(f, v).unwrap();
    }
    desk.close(Disposition::Complaint, true).unwrap();
    let seen = |desk: &mut Desk| {
        let v = desk.followups(true).unwrap().items.remove(0);
        (
            v.redacted,
            v.followup.complaint.name.clone(),
            v.followup.complaint.phone.clone(),
        )
    };
    assert_eq!(
        seen(&mut desk),
        (false, "王芳".into(), "13912345678".into())
    );
    desk.sign_out().unwrap();
    desk.sign_in("T2", TAKER_PIN).unwrap();
    // Another call-taker sees that a reply is due, not who is owed it.
    assert_eq!(seen(&mut desk), (true, String::new(), String::new()));
    assert_eq!(desk.queue_summary().unwrap().open, 1);
    let f = desk.followups(true).unwrap().items.remove(0).followup;
    assert!(f.complaint.address.is_empty());
    let reply = jiejing_core::Reply {
        at: desk.now(),
        by: String::new(),
        method: jiejing_core::ReplyMethod::Phone,
        content: "已回电".into(),
        outcome: "满意".into(),
        closes: true,
        origin: None,
    };
    assert_eq!(
        desk.add_reply("", f.id, None, &reply).unwrap_err().code(),
        ErrorCode::Forbidden,
        "nor answers them"
    );
    // The complainant calls again: T2 sees the earlier call, not who
    // complained in it.
    desk.ring(AnswerSource::Manual).unwrap();
    desk.answer(AnswerSource::Manual).unwrap();
    let v = desk.set_caller_number("13912345678").unwrap();
    let earlier = v.earlier.expect("a repeat within the window");
    let c = earlier.complaint.expect("the earlier call was a complaint");
    assert!(
        c.name.is_empty() && c.phone.is_empty() && c.address.is_empty(),
        "{c:?}"
    );
    desk.close(Disposition::Complaint, true).unwrap();
    desk.sign_out().unwrap();
    desk.sign_in("L1", LEAD_PIN).unwrap();
    assert_eq!(
        seen(&mut desk),
        (false, "王芳".into(), "13912345678".into())
    );
    desk.add_reply("", f.id, None, &reply).unwrap();
}

#[test]
fn a_reply_is_signed_by_whoever_is_signed_in_dated_after_the_complaint_and_audited() {
    let (dir, clock, mut desk) = station();
    desk.sign_in("T1", TAKER_PIN).unwrap();
    desk.ring(AnswerSource::Manual).unwrap();
    desk.answer(AnswerSource::Manual).unwrap();
    desk.add_situation(jiejing_core::SituationKind::Complaint)
        .unwrap();
    let f = desk.followups(true).unwrap().items.remove(0).followup;
    let mut reply = jiejing_core::Reply {
        at: f.received_at - Duration::hours(1),
        by: "值班长李强".into(), // typed as someone else
        method: jiejing_core::ReplyMethod::Phone,
        content: "已回电说明处理情况".into(),
        outcome: "投诉人表示理解".into(),
        closes: true,
        origin: None,
    };
    let e = desk.add_reply("", f.id, None, &reply).unwrap_err();
    assert!(e.to_string().contains("before the complaint"), "{e}");
    clock.advance(Duration::minutes(10));
    reply.at = clock.now();
    let v = desk.add_reply("", f.id, None, &reply).unwrap();
    assert_eq!(
        v.followup.replies[0].by, "王芳 (T1)",
        "the signed-in user, not the form"
    );
    let audit = crate::audit_of(dir.path(), "followup_reply");
    assert_eq!(audit.len(), 1, "{audit:?}");
    assert_eq!(audit[0].0, "T1");
    assert!(
        audit[0].1.contains("王芳 (T1)") && audit[0].1.contains("\"closes\":true"),
        "{}",
        audit[0].1
    );
    assert!(
        !audit[0].1.contains("已回电"),
        "what was said stays out of the trail"
    );
    desk.close(Disposition::Complaint, true).unwrap();
    // The lead sees the reply in the call's own timeline.
    desk.sign_out().unwrap();
    desk.sign_in("L1", LEAD_PIN).unwrap();
    let det = desk.call_detail("", v.followup.call_id).unwrap();
    assert!(
        det.timeline.iter().any(|e| e.kind == "followup_reply"),
        "{:?}",
        det.timeline
    );
}

#[test]
fn the_audit_chain_verifies_and_names_a_tampered_entry() {
    let (dir, clock, mut desk) = station();
    desk.sign_in("T1", TAKER_PIN).unwrap();
    let id = call(&mut desk, &clock, 3, 8, "人民路1号", "13812345678");
    desk.sign_in("L1", LEAD_PIN).unwrap();
    let d = desk
        .amend_call(id, Some(ElementKey::Where), "人民路11号")
        .unwrap();
    assert_eq!(d.view.call.element(ElementKey::Where).value, "人民路11号");
    let amend = d
        .timeline
        .iter()
        .find(|e| e.kind == "amend")
        .expect("the correction is on the timeline");
    assert!(
        amend.text.contains("人民路1号")
            && amend.text.contains("人民路11号")
            && amend.subject == "L1"
    );
    let check = desk.verify_audit(&[]).unwrap();
    assert!(check.problems.is_empty(), "{check:?}");
    assert_eq!(check.calls_checked, 1);
    // sign-in L1, T1, T2 accounts, sign-outs, sign-ins, close, amend…
    assert!(check.entries >= 8, "{check:?}");

    // Someone edits a closed call in the database behind the app's back.
    let db = jiejing_desk::paths::connect(dir.path()).unwrap();
    db.execute(
        "UPDATE call_elements SET value = '别处' WHERE call_id = ?1 AND element = 'where'",
        [id],
    )
    .unwrap();
    let check = desk.verify_audit(&[]).unwrap();
    assert_eq!(check.problems.len(), 1, "{check:?}");
    assert!(
        check.problems[0]
            .1
            .contains(&format!("call {id} was changed after this entry")),
        "{check:?}"
    );
    db.execute(
        "UPDATE call_elements SET value = '人民路11号' WHERE call_id = ?1 AND element = 'where'",
        [id],
    )
    .unwrap();
    assert!(desk.verify_audit(&[]).unwrap().problems.is_empty());

    // The trail itself refuses edits; dropping the guard and editing an
    // entry is caught, by entry id.
    assert!(db
        .execute("UPDATE audit_log SET actor = 'X' WHERE id = 2", [])
        .is_err());
    db.execute_batch("DROP TRIGGER audit_no_update; UPDATE audit_log SET actor = 'X' WHERE id = 2")
        .unwrap();
    let check = desk.verify_audit(&[]).unwrap();
    assert_eq!(check.problems[0].0, 2, "{check:?}");
    assert!(check.problems[0].1.contains("was altered"), "{check:?}");
    // A deleted entry is caught too.
    db.execute_batch("UPDATE audit_log SET actor = 'L1' WHERE id = 2; DROP TRIGGER audit_no_delete; DELETE FROM audit_log WHERE id = 4").unwrap();
    let check = desk.verify_audit(&[]).unwrap();
    assert!(
        check
            .problems
            .iter()
            .any(|(e, w)| *e == 5 && w.contains("entries 4–4 are missing")),
        "{check:?}"
    );
}

#[test]
fn the_log_finds_failed_calls_by_text_number_and_shift_and_pages() {
    let (_dir, clock, mut desk) = station();
    desk.sign_in("T1", TAKER_PIN).unwrap();
    let good = call(&mut desk, &clock, 3, 8, "人民路1号 盗窃现场", "13812345678");
    let incomplete = call(&mut desk, &clock, 3, 5, "和平路2号", "13900001111");
    desk.sign_in("T2", TAKER_PIN).unwrap();
    // No greeting on this one.
    let no_greeting = desk.ring(AnswerSource::Manual).unwrap().call.id;
    desk.answer(AnswerSource::Manual).unwrap();
    desk.set_notes("车牌苏D88367").unwrap();
    desk.close(Disposition::Other, true).unwrap();
    // Seen by the detector: 4 rings before the answer.
    clock.advance(Duration::minutes(1));
    let t0 = jiejing_core::Clock::now(&*clock);
    let late = desk.ring_heard(t0).unwrap();
    let rings: Vec<_> = (0..4)
        .map(|i| jiejing_core::RingMark {
            onset: t0 + Duration::seconds(4 * i),
            offset: t0 + Duration::seconds(4 * i + 1),
        })
        .collect();
    clock.advance(Duration::seconds(14));
    desk.record_rings(late, rings, Some(t0 + Duration::seconds(13)))
        .unwrap();
    desk.mark_greeting().unwrap();
    for k in ElementKey::ALL {
        desk.set_element(*k, "值").unwrap();
    }
    desk.close(Disposition::PoliceIncident, false).unwrap();

    desk.sign_in("L1", LEAD_PIN).unwrap();
    let scope = week(&clock);
    let ids = |desk: &mut Desk, f: LogFilter| -> Vec<i64> {
        desk.log(&scope, &f, None, 50)
            .unwrap()
            .rows
            .iter()
            .map(|r| r.id)
            .collect()
    };
    assert_eq!(
        ids(&mut desk, LogFilter::default()),
        [late, no_greeting, incomplete, good],
        "newest first"
    );
    let failed = desk
        .log(
            &scope,
            &LogFilter {
                failed: true,
                ..Default::default()
            },
            None,
            50,
        )
        .unwrap()
        .rows;
    let why: Vec<(i64, Vec<&str>)> = failed
        .iter()
        .map(|r| (r.id, r.failures.iter().map(|f| f.as_str()).collect()))
        .collect();
    assert_eq!(
        why,
        [
            (late, vec!["over_three_rings"]),
            (no_greeting, vec!["no_greeting", "elements_missing"]),
            (incomplete, vec!["elements_missing"])
        ]
    );
    // One character, two-character words, part of a plate, any order of words.
    let one = LogFilter {
        text: Some("窃".into()),
        ..Default::default()
    };
    assert_eq!(ids(&mut desk, one), [good]);
    assert_eq!(
        ids(
            &mut desk,
            LogFilter {
                text: Some("盗窃".into()),
                ..Default::default()
            }
        ),
        [good]
    );
    assert_eq!(
        ids(
            &mut desk,
            LogFilter {
                text: Some("d883".into()),
                ..Default::default()
            }
        ),
        [no_greeting]
    );
    assert_eq!(
        ids(
            &mut desk,
            LogFilter {
                text: Some("现场 人民".into()),
                ..Default::default()
            }
        ),
        [good]
    );
    assert!(ids(
        &mut desk,
        LogFilter {
            text: Some("路人".into()),
            ..Default::default()
        }
    )
    .is_empty());
    assert_eq!(
        ids(
            &mut desk,
            LogFilter {
                caller: Some("0000 1111".into()),
                ..Default::default()
            }
        ),
        [incomplete]
    );
    let t2 = ReviewScope {
        taker: Some("T2".into()),
        ..scope.clone()
    };
    assert_eq!(
        desk.log(&t2, &LogFilter::default(), None, 50)
            .unwrap()
            .rows
            .len(),
        2
    );
    // Paging: two at a time, no row twice, none lost.
    let p1 = desk
        .log(&scope, &LogFilter::default(), None, 2)
        .unwrap()
        .rows;
    let last = p1.last().unwrap();
    let cursor = jiejing_store::LogCursor {
        ring_at: last.ring_at,
        seat: String::new(),
        id: last.id,
    };
    let p2 = desk
        .log(&scope, &LogFilter::default(), Some(&cursor), 2)
        .unwrap()
        .rows;
    let paged: Vec<i64> = p1.iter().chain(&p2).map(|r| r.id).collect();
    assert_eq!(paged, [late, no_greeting, incomplete, good]);
    // Shifts: the calls rang at 09:00 China time, in 白班 (08:00–16:00).
    let shift = |name: &str| ReviewScope {
        shift: Some(name.into()),
        ..scope.clone()
    };
    assert_eq!(
        desk.log(&shift("白班"), &LogFilter::default(), None, 50)
            .unwrap()
            .rows
            .len(),
        4
    );
    assert!(desk
        .log(&shift("夜班"), &LogFilter::default(), None, 50)
        .unwrap()
        .rows
        .is_empty());
    assert!(desk
        .log(&shift("早班"), &LogFilter::default(), None, 50)
        .unwrap_err()
        .to_string()
        .contains("no shift named"));
}

#[test]
fn a_lead_samples_scores_and_exports() {
    let (dir, clock, mut desk) = station();
    desk.sign_in("T1", TAKER_PIN).unwrap();
    let ids: Vec<i64> = (0..10)
        .map(|i| {
            call(
                &mut desk,
                &clock,
                3,
                8,
                &format!("人民路{i}号"),
                "13812345678",
            )
        })
        .collect();
    desk.sign_in("L1", LEAD_PIN).unwrap();
    let scope = week(&clock);
    assert!(desk.draw_sample(&scope, 0.0).is_err());
    assert_eq!(desk.draw_sample(&scope, 20.0).unwrap(), 2);
    assert_eq!(
        desk.draw_sample(&scope, 20.0).unwrap(),
        2,
        "a second draw takes other calls"
    );
    let sampled = desk
        .log(
            &scope,
            &LogFilter {
                review: Some(ReviewFilter::Sampled),
                ..Default::default()
            },
            None,
            50,
        )
        .unwrap()
        .rows;
    assert_eq!(sampled.len(), 4);

    // Score one: the record's checklist, with the manner marked down.
    let id = sampled[0].id;
    let mut marks = desk.call_detail("", id).unwrap().suggested;
    marks
        .iter_mut()
        .find(|m| m.item == QaItem::Manner)
        .unwrap()
        .verdict = Verdict::Deviation;
    assert!(
        desk.save_review("", id, &marks[1..], "").is_err(),
        "every item must be judged"
    );
    let d = desk.save_review("", id, &marks, "语气生硬").unwrap();
    let r = d.review.unwrap();
    // 47 points, rings not heard (5 n/a) → 42; manner (3) off → 39/42.
    assert_eq!(
        (r.score, r.critical, r.reviewer.as_deref()),
        (Some(92.9), false, Some("L1"))
    );
    assert!(d.timeline.iter().any(|e| e.kind == "review"));
    let report = desk.report(&scope).unwrap();
    assert_eq!(
        (report.figures.reviewed, report.figures.qa_mean),
        (1, Some(92.9))
    );
    assert_eq!(
        desk.log(
            &scope,
            &LogFilter {
                review: Some(ReviewFilter::NotReviewed),
                ..Default::default()
            },
            None,
            50
        )
        .unwrap()
        .rows
        .len(),
        9
    );

    // Exports: CSV with a BOM and Chinese headers; XLSX is a zip.
    let csv = dir.path().join("out/calls.csv");
    assert_eq!(
        desk.export(
            ExportKind::Log,
            ExportFormat::Csv,
            &scope,
            &LogFilter::default(),
            &csv
        )
        .unwrap(),
        10
    );
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(
        text.starts_with("\u{feff}编号,来电时间,接警员,来电号码,状态,处置"),
        "{}",
        &text[..80]
    );
    assert_eq!(text.lines().count(), 11);
    assert!(
        text.contains(&format!("{},2026-11-27 09:", ids[0])),
        "China time: {text}"
    );
    let xlsx = dir.path().join("out/dash.xlsx");
    assert_eq!(
        desk.export(
            ExportKind::Dashboard,
            ExportFormat::Xlsx,
            &scope,
            &LogFilter::default(),
            &xlsx
        )
        .unwrap(),
        2
    );
    assert_eq!(&std::fs::read(&xlsx).unwrap()[..2], b"PK");
    let exports = desk.verify_audit(&[]).unwrap();
    assert!(exports.problems.is_empty());
}

/// Both ways a search runs (from the index when it hits few calls, down
/// the calls newest first when it hits many) give the page a scan gives.
#[test]
fn search_pages_match_a_plain_scan_for_rare_and_common_words() {
    let dir = tempfile::tempdir().unwrap();
    let start = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
    let mut desk = Desk::open(
        dir.path(),
        Arc::new(FixedClock::new(start + Duration::days(400))),
    )
    .unwrap();
    desk.act_as_admin("test");
    jiejing_desk::demo::generate(8000, start, 7, 2000, |b| desk.insert_demo(b).unwrap());
    let year = ReviewScope {
        from: start,
        to: start + Duration::days(365),
        taker: None,
        shift: None,
        this_seat_only: false,
    };
    let all = desk
        .log(&year, &LogFilter::default(), None, 1000)
        .unwrap()
        .rows;
    let plate_of = |id: i64, desk: &mut Desk| {
        desk.call(id)
            .unwrap()
            .call
            .element(ElementKey::Object)
            .value
            .clone()
    };
    let rare = (0..)
        .map(|i| plate_of(all[i].id, &mut desk))
        .find(|p| !p.is_empty())
        .unwrap();
    for (word, contains) in [
        (rare.clone(), rare.clone()),
        ("号".to_string(), "号".to_string()),
    ] {
        let got: Vec<i64> = desk
            .log(
                &year,
                &LogFilter {
                    text: Some(word.clone()),
                    ..LogFilter::default()
                },
                None,
                50,
            )
            .unwrap()
            .rows
            .iter()
            .map(|r| r.id)
            .collect();
        // The scan: every call of the year, newest first, whose text has it.
        let mut want = Vec::new();
        let mut after = None;
        while want.len() < 50 {
            let page = desk
                .log(&year, &LogFilter::default(), after.as_ref(), 500)
                .unwrap()
                .rows;
            let Some(last) = page.last() else { break };
            after = Some(jiejing_store::LogCursor {
                ring_at: last.ring_at,
                seat: String::new(),
                id: last.id,
            });
            for r in page {
                let c = desk.call(r.id).unwrap().call;
                if c.elements
                    .iter()
                    .any(|e| e.value.to_lowercase().contains(&contains.to_lowercase()))
                    && want.len() < 50
                {
                    want.push(r.id);
                }
            }
        }
        assert!(!got.is_empty(), "{word}");
        assert_eq!(got, want, "search for {word}");
    }
}

#[test]
fn wrong_pins_in_a_row_make_the_account_wait_and_no_typed_pin_is_written_down() {
    let (dir, clock, mut desk) = station();
    // Four wrong PINs: the fifth try is still heard.
    for _ in 0..4 {
        assert_eq!(
            desk.sign_in("T1", "0000").unwrap_err().code(),
            ErrorCode::BadCredentials
        );
    }
    assert_eq!(
        desk.sign_in("T1", "0001").unwrap_err().code(),
        ErrorCode::BadCredentials
    );
    // Five in a row (the default): even the right PIN waits 30 s.
    let e = desk.sign_in("T1", TAKER_PIN).unwrap_err();
    assert_eq!(e.code(), ErrorCode::TooManyAttempts);
    assert!(e.to_string().contains("30 s"), "{e}");
    // Restarting the app (or another run of the command line) does not
    // start the count again.
    drop(desk);
    let mut desk = Desk::open(dir.path(), clock.clone()).unwrap();
    let e = desk.sign_in("T1", TAKER_PIN).unwrap_err();
    assert_eq!(e.code(), ErrorCode::TooManyAttempts, "{e}");
    // Another account is not held up by T1's.
    desk.sign_in("T2", TAKER_PIN).unwrap();
    desk.sign_out().unwrap();
    clock.advance(Duration::seconds(31));
    // One more wrong PIN doubles the wait.
    assert_eq!(
        desk.sign_in("T1", "0000").unwrap_err().code(),
        ErrorCode::BadCredentials
    );
    let e = desk.sign_in("T1", TAKER_PIN).unwrap_err();
    assert!(e.to_string().contains("60 s"), "{e}");
    clock.advance(Duration::seconds(61));
    desk.sign_in("T1", TAKER_PIN).unwrap();
    desk.sign_out().unwrap();
    // After a success the count starts again.
    assert_eq!(
        desk.sign_in("T1", "0000").unwrap_err().code(),
        ErrorCode::BadCredentials
    );
    desk.sign_in("T1", TAKER_PIN).unwrap();
    desk.sign_out().unwrap();

    // A PIN typed into the id field is not an account: not written down.
    assert_eq!(
        desk.sign_in("84736251", "").unwrap_err().code(),
        ErrorCode::BadCredentials
    );
    drop(desk);
    let trail = crate::audit_of(dir.path(), "sign_in_failed");
    assert!(
        trail
            .iter()
            .all(|(a, d)| !a.contains("84736251") && !d.contains("84736251")),
        "{trail:?}"
    );
    assert!(trail.iter().any(|(a, _)| a == "(unknown id)"), "{trail:?}");
    assert!(
        trail.iter().filter(|(a, _)| a == "T1").count() >= 7,
        "{trail:?}"
    );
}

#[test]
fn the_sign_in_back_off_is_a_setting() {
    let (_dir, clock, mut desk) = station();
    desk.sign_in("L1", LEAD_PIN).unwrap();
    let s = Settings {
        sign_in_attempts: 2,
        sign_in_wait_seconds: 5,
        ..desk.settings().clone()
    };
    desk.save_settings(&s).unwrap();
    for bad in [0, 21] {
        let e = desk
            .save_settings(&Settings {
                sign_in_attempts: bad,
                ..s.clone()
            })
            .unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidValue, "{bad}");
    }
    desk.sign_out().unwrap();
    desk.sign_in("T1", "0000").unwrap_err();
    desk.sign_in("T1", "0000").unwrap_err();
    let e = desk.sign_in("T1", TAKER_PIN).unwrap_err();
    assert!(e.to_string().contains("5 s"), "{e}");
    clock.advance(Duration::seconds(6));
    desk.sign_in("T1", TAKER_PIN).unwrap();
}

#[test]
fn the_shortest_pin_is_a_setting_and_applies_to_new_pins() {
    let (_dir, _clock, mut desk) = station();
    desk.sign_in("L1", LEAD_PIN).unwrap();
    let e = desk
        .add_user("T3", "新人", Role::Taker, "12345")
        .unwrap_err();
    assert!(e.to_string().contains("at least 6 characters"), "{e}");
    let s = Settings {
        pin_min_length: 8,
        ..desk.settings().clone()
    };
    desk.save_settings(&s).unwrap();
    for bad in [3, 33] {
        let e = desk
            .save_settings(&Settings {
                pin_min_length: bad,
                ..s.clone()
            })
            .unwrap_err();
        assert!(e.to_string().contains("between 4 and 32"), "{bad}: {e}");
    }
    let e = desk
        .add_user("T3", "新人", Role::Taker, "1234567")
        .unwrap_err();
    assert!(e.to_string().contains("at least 8 characters"), "{e}");
    desk.add_user("T3", "新人", Role::Taker, "12345678")
        .unwrap();
    let e = desk
        .update_user("T1", Role::Taker, true, Some("654321"))
        .unwrap_err();
    assert!(e.to_string().contains("at least 8 characters"), "{e}");
    // PINs set under the old rule still sign in until they are changed.
    desk.sign_out().unwrap();
    desk.sign_in("T1", TAKER_PIN).unwrap();
}
