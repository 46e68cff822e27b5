//! The lead's review across the seats of a station (issue #12): a lead at
//! seat B corrects seat A's call and A applies it when it syncs; two leads
//! who correct the same item, or score the same call, without seeing each
//! other's work are both kept and the station records the conflict; the
//! random sample is drawn from every seat's calls, once. Each seat has its
//! own station login, so all of this also shows that a lead's session
//! reads across seats and the server's checks run for seats that cannot.

use jiejing_core::{AnswerSource, Disposition, ElementKey};

use super::seats::{as_lead, desk, hall_of_logins, lead_desk, lead_json, lead_ok, ok, Hall};

fn where_of(call: &serde_json::Value) -> String {
    call["elements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["key"] == "where")
        .unwrap()["value"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The last week, every seat.
fn week() -> jiejing_desk::ReviewScope {
    jiejing_desk::ReviewScope {
        from: chrono::Utc::now() - chrono::Duration::days(7),
        to: chrono::Utc::now() + chrono::Duration::days(1),
        taker: None,
        shift: None,
        this_seat_only: false,
    }
}

/// A closed call at seat A with 何地 "红梅新村"; returns its id.
fn closed_call(dir: &std::path::Path) -> i64 {
    let mut d = desk(dir);
    let id = d.ring(AnswerSource::Manual).unwrap().call.id;
    d.answer(AnswerSource::Manual).unwrap();
    d.set_element(ElementKey::Where, "红梅新村").unwrap();
    d.close(Disposition::PoliceIncident, true).unwrap();
    id
}

#[test]
fn a_lead_at_another_seat_corrects_a_call_and_its_seat_takes_it_in() {
    let Hall {
        pg: _pg,
        url: _,
        a,
        b,
    } = hall_of_logins();
    let id = closed_call(a.path());
    // What A heard in the call goes to the station with it.
    let at = chrono::Utc::now();
    let said = jiejing_core::SpeechSegment {
        n: 0,
        start_at: at,
        end_at: at,
        text: "我在红梅新村".into(),
        greeting: false,
        suggestions: Default::default(),
        speaker: None,
    };
    jiejing_desk::paths::open_store(a.path())
        .unwrap()
        .add_speech(id, &said)
        .unwrap();
    let id = id.to_string();
    ok(a.path(), &["station", "sync"]);
    let detail = lead_desk(b.path())
        .call_detail("A", id.parse().unwrap())
        .unwrap();
    let heard: Vec<&str> = detail.view.speech.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(heard, ["我在红梅新村"], "B's lead reads A's transcript");

    // B's lead reads A's call from the station and corrects it.
    let seen = lead_json(b.path(), &["calls", "show", &id, "--seat", "A", "--json"]);
    assert_eq!(where_of(&seen), "红梅新村");
    let said = lead_ok(
        b.path(),
        &[
            "calls",
            "amend",
            &id,
            "--seat",
            "A",
            "--field",
            "where",
            "--value",
            "红梅新村12幢",
        ],
    );
    assert!(said.contains("queued for seat A"), "{said}");
    // B shows its own correction at once, before it reached anyone.
    let at_b = lead_json(b.path(), &["calls", "show", &id, "--seat", "A", "--json"]);
    assert_eq!(where_of(&at_b), "红梅新村12幢");

    ok(b.path(), &["station", "sync"]);
    ok(a.path(), &["station", "sync"]);
    // A's own record took it in, with an audit entry naming B's lead.
    let mine = lead_json(a.path(), &["calls", "show", &id, "--json"]);
    assert_eq!(where_of(&mine["call"]), "红梅新村12幢");
    let (code, out, err) = as_lead(a.path(), &["audit", "verify"]);
    assert_eq!(code, 0, "{out}{err}");
    // No conflict: B saw what the station held.
    assert!(lead_ok(a.path(), &["station", "conflicts"]).contains("no conflicts"));
    // Applied once: syncing again changes nothing.
    ok(a.path(), &["station", "sync"]);
    let again = lead_json(a.path(), &["calls", "show", &id, "--json"]);
    assert_eq!(again["call"], mine["call"]);

    // Bad input: an open or unknown call, an unknown field.
    for (args, says) in [
        (
            vec![
                "calls", "amend", "999", "--seat", "A", "--field", "where", "--value", "x",
            ],
            "call 999 of seat A not found",
        ),
        (
            vec![
                "calls", "amend", &id, "--seat", "A", "--field", "colour", "--value", "x",
            ],
            "--field \"colour\"",
        ),
    ] {
        let (code, _, err) = as_lead(b.path(), &args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
}

#[test]
fn two_leads_correct_the_same_closed_call_and_nothing_is_lost() {
    let Hall {
        pg: _pg,
        url: _,
        a,
        b,
    } = hall_of_logins();
    let id = closed_call(a.path()).to_string();
    ok(a.path(), &["station", "sync"]);

    // Both leads see 红梅新村. A's lead corrects it at A; before that
    // reaches the station, B's lead corrects the same item from B.
    lead_ok(
        a.path(),
        &[
            "calls",
            "amend",
            &id,
            "--field",
            "where",
            "--value",
            "红梅新村5幢",
        ],
    );
    lead_ok(
        b.path(),
        &[
            "calls",
            "amend",
            &id,
            "--seat",
            "A",
            "--field",
            "where",
            "--value",
            "红梅新村12幢",
        ],
    );
    ok(a.path(), &["station", "sync"]);
    ok(b.path(), &["station", "sync"]);

    // The station recorded that B's lead corrected a value that had moved.
    let conflicts = lead_json(a.path(), &["station", "conflicts", "--json"]);
    let list = conflicts.as_array().unwrap();
    assert_eq!(list.len(), 1, "{conflicts}");
    let c = &list[0];
    assert_eq!(c["kind"], "correction_crossed");
    assert_eq!(c["seat"], "A");
    assert_eq!(c["fromSeat"], "B");
    let detail = c["detail"].as_str().unwrap();
    assert!(
        detail.contains("红梅新村5幢") && detail.contains("红梅新村12幢"),
        "{detail}"
    );

    // A takes B's in (it landed last); A's own value stays in A's trail.
    ok(a.path(), &["station", "sync"]);
    let mine = lead_json(a.path(), &["calls", "show", &id, "--json"]);
    assert_eq!(where_of(&mine["call"]), "红梅新村12幢");
    let st = jiejing_desk::paths::open_store(a.path()).unwrap();
    let trail: Vec<String> = st
        .audit_of_call(id.parse().unwrap())
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "amend")
        .map(|e| e.detail)
        .collect();
    assert_eq!(trail.len(), 2, "{trail:?}");
    assert!(
        trail[0].contains("红梅新村5幢") && trail[1].contains("红梅新村12幢"),
        "{trail:?}"
    );
    assert!(trail[1].contains("\"origin\":\"B#"), "{trail:?}");
    // And the station, after A's next push, holds what A holds.
    ok(a.path(), &["station", "sync"]);
    let held = lead_json(b.path(), &["calls", "show", &id, "--seat", "A", "--json"]);
    assert_eq!(where_of(&held), "红梅新村12幢");
}

#[test]
fn two_seats_review_the_same_call_both_are_kept_and_the_lead_is_told() {
    let Hall { pg: _pg, url, a, b } = hall_of_logins();
    let id = closed_call(a.path());
    ok(a.path(), &["station", "sync"]);

    // A's lead scores A's call; B's lead, later, scores it from B.
    let mut at_a = lead_desk(a.path());
    let marks = at_a.call_detail("", id).unwrap().suggested;
    let own = at_a.save_review("", id, &marks, "A 的审核").unwrap();
    drop(at_a);
    let mut at_b = lead_desk(b.path());
    let mut harsher = marks.clone();
    let manner = harsher
        .iter_mut()
        .find(|m| m.item == jiejing_core::qa::QaItem::Manner)
        .unwrap();
    assert_eq!(manner.verdict, jiejing_core::qa::Verdict::Pass);
    manner.verdict = jiejing_core::qa::Verdict::Deviation;
    let theirs = at_b.save_review("A", id, &harsher, "B 的审核").unwrap();
    assert_eq!(theirs.seat, "A");
    assert_eq!(
        theirs.review.as_ref().unwrap().notes,
        "B 的审核",
        "B sees its own at once"
    );
    drop(at_b);
    ok(a.path(), &["station", "sync"]);
    ok(b.path(), &["station", "sync"]);

    // Both are at the station; the newer shows, and the second seat to
    // review is recorded for the lead.
    let mut s = jiejing_station::Station::connect(&url).unwrap();
    let shown = s.review_of("A", id).unwrap().unwrap();
    assert_eq!(shown.notes, "B 的审核");
    assert!(shown.score < own.review.unwrap().score, "{shown:?}");
    let conflicts = s.conflicts().unwrap();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0].kind, "reviewed_twice");
    assert_eq!(conflicts[0].from_seat, "B");
    // The station's log, at either seat, carries the newest score.
    let mut at_a = lead_desk(a.path());
    let week = week();
    let page = at_a
        .log(&week, &jiejing_store::LogFilter::default(), None, 50)
        .unwrap();
    assert!(!page.this_seat_only);
    assert_eq!(page.rows.len(), 1);
    assert_eq!(page.rows[0].seat, "A");
    assert_eq!(page.rows[0].score, shown.score);
    // So do the station's QA figures: one call reviewed, at its newest score.
    let report = at_a.report(&week).unwrap();
    assert!(!report.this_seat_only);
    assert_eq!(report.figures.reviewed, 1, "{report:?}");
    assert_eq!(report.figures.qa_mean, shown.score, "{report:?}");
}

#[test]
fn the_sample_is_drawn_from_every_seat_once() {
    let Hall {
        pg: _pg,
        url: _,
        a,
        b,
    } = hall_of_logins();
    for _ in 0..2 {
        closed_call(a.path());
    }
    closed_call(b.path());
    ok(a.path(), &["station", "sync"]);
    ok(b.path(), &["station", "sync"]);
    let week = week();
    let mut at_b = lead_desk(b.path());
    assert_eq!(at_b.draw_sample(&week, 100.0).unwrap(), 3);
    // Drawn once: a second lead drawing finds nothing left.
    let mut at_a = lead_desk(a.path());
    assert_eq!(at_a.draw_sample(&week, 100.0).unwrap(), 0);
    let sampled = jiejing_store::LogFilter {
        review: Some(jiejing_core::qa::ReviewFilter::Sampled),
        ..jiejing_store::LogFilter::default()
    };
    let page = at_a.log(&week, &sampled, None, 50).unwrap();
    let mut seats: Vec<&str> = page.rows.iter().map(|r| r.seat.as_str()).collect();
    seats.sort_unstable();
    assert_eq!(seats, ["A", "A", "B"]);
    assert!(page
        .rows
        .iter()
        .all(|r| r.review == Some(jiejing_core::qa::ReviewStatus::Sampled)));
    // "Not reviewed" still lists them, as on a desk.
    let not_reviewed = jiejing_store::LogFilter {
        review: Some(jiejing_core::qa::ReviewFilter::NotReviewed),
        ..jiejing_store::LogFilter::default()
    };
    assert_eq!(
        at_a.log(&week, &not_reviewed, None, 50).unwrap().rows.len(),
        3
    );
}

/// A lead at seat B prints seat A's call (`calls form ID --seat A`) and
/// the day's forms of every seat: the form is the station's copy, numbered
/// with A's seat.
#[test]
fn a_lead_at_another_seat_prints_its_calls_form() {
    let Hall {
        pg: _pg,
        url: _,
        a,
        b,
    } = hall_of_logins();
    let id = closed_call(a.path()).to_string();
    ok(a.path(), &["station", "sync"]);
    let pdf = b.path().join("a.pdf");
    lead_ok(
        b.path(),
        &[
            "calls",
            "form",
            &id,
            "--seat",
            "A",
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    let text = super::form::text_of(&pdf);
    assert!(
        text.contains("红梅新村") && text.contains(&format!("-A-{:0>4}", id)),
        "{text}"
    );
    let day = b.path().join("day.pdf");
    let args = super::form::todays_forms(&day);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    assert!(lead_ok(b.path(), &args).contains("1 form(s)"));
    assert!(
        super::form::text_of(&day).contains("红梅新村"),
        "every seat's calls of the day"
    );
}
