//! The lead's report over a station (issue #12): every seat's calls, equal
//! to the seats' own reports taken together; `--local` keeps to one seat.

use std::path::Path;
use std::sync::Arc;

use jiejing_core::{AnswerSource, Disposition, ElementKey, RingMark, SystemClock};
use jiejing_desk::Desk;
use jiejing_pgtest::TempPg;

use super::seats::{hall, ok, Hall};
use super::{demo_lead, jiejing};

/// `answered` answered calls and `missed` calls that rang out, by `taker`.
pub(crate) fn calls(dir: &Path, taker: &str, answered: usize, missed: usize) {
    let mut d = Desk::open(dir, Arc::new(SystemClock)).unwrap();
    d.act_as_admin("test");
    let mut s = d.state().unwrap().settings;
    s.taker_id = taker.into();
    d.save_settings(&s).unwrap();
    for i in 0..answered {
        d.ring(AnswerSource::Manual).unwrap();
        d.answer(AnswerSource::Manual).unwrap();
        d.set_caller_number(&format!("139 0000 {i:04}")).unwrap();
        d.set_element(ElementKey::Where, "红梅新村5栋").unwrap();
        let how = if i % 2 == 0 {
            Disposition::PoliceIncident
        } else {
            Disposition::Consultation
        };
        d.close(how, true).unwrap();
    }
    // Calls the detector heard ring out: `n` rings 5 s apart, never answered.
    for n in 0..missed {
        let start = chrono::Utc::now() - chrono::Duration::seconds(30);
        let id = d.ring_heard(start).unwrap();
        let rings = (0..=n as i64 + 3)
            .map(|i| RingMark {
                onset: start + chrono::Duration::seconds(5 * i),
                offset: start + chrono::Duration::seconds(5 * i + 1),
            })
            .collect();
        d.record_rings(id, rings, None).unwrap();
    }
}

fn report(dir: &Path, local: bool) -> serde_json::Value {
    let china = chrono::FixedOffset::east_opt(8 * 3600).unwrap();
    let today = chrono::Utc::now()
        .with_timezone(&china)
        .format("%Y-%m-%d")
        .to_string();
    let mut args = vec!["report", "--from", &today, "--to", &today, "--json"];
    if local {
        args.push("--local");
    }
    serde_json::from_str(&ok(dir, &args)).unwrap()
}

#[test]
fn the_station_report_is_the_sum_of_the_seats() {
    let Hall { pg, url: _, a, b } = hall();
    calls(a.path(), "T01", 3, 1);
    calls(b.path(), "T02", 2, 2);
    ok(a.path(), &["station", "sync"]);
    ok(b.path(), &["station", "sync"]);

    let (ra, rb) = (report(a.path(), true), report(b.path(), true));
    assert_eq!(ra["thisSeatOnly"], true);
    assert_eq!(
        (ra["calls"].as_u64(), rb["calls"].as_u64()),
        (Some(4), Some(4))
    );
    for dir in [a.path(), b.path()] {
        let all = report(dir, false);
        assert_eq!(all["thisSeatOnly"], false, "{all}");
        for k in [
            "calls",
            "answered",
            "missed",
            "ringsHeard",
            "withinThreeRings",
        ] {
            let sum = ra[k].as_u64().unwrap() + rb[k].as_u64().unwrap();
            assert_eq!(all[k].as_u64(), Some(sum), "{k}: {all}");
        }
        for (k, v) in all["dispositions"].as_object().unwrap() {
            let sum = ra["dispositions"][k].as_u64().unwrap_or(0)
                + rb["dispositions"][k].as_u64().unwrap_or(0);
            assert_eq!(v.as_u64(), Some(sum), "disposition {k}: {all}");
        }
        let takers: Vec<&str> = all["byTaker"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["takerId"].as_str().unwrap())
            .collect();
        assert_eq!(takers, ["T01", "T02"]);
        assert_eq!(
            all["completePct"], ra["completePct"],
            "every answered call is complete at both seats"
        );
    }
    let text = ok(
        a.path(),
        &[
            "report",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--local",
        ],
    );
    assert!(text.contains("this seat only"), "{text}");

    // With the station gone, the report is this seat's and says so.
    pg.stop();
    let all = report(a.path(), false);
    assert_eq!(all["thisSeatOnly"], true);
    assert_eq!(all["calls"].as_u64(), Some(4));
}

#[test]
fn audit_verify_checks_the_station_copy_and_sees_entries_cut_off_at_the_seat() {
    let pg = TempPg::start();
    let url = pg.url();
    let a = tempfile::tempdir().unwrap();
    ok(a.path(), &["station", "init", &url]);
    ok(a.path(), &["station", "join", &url, "--seat", "A"]);
    calls(a.path(), "T01", 2, 0);
    ok(a.path(), &["station", "sync"]);
    let out = ok(a.path(), &["audit", "verify"]);
    assert!(
        out.contains("compared with the station's copy") && out.contains("intact"),
        "{out}"
    );

    // Someone with the file drops the guards and cuts off the newest
    // entries: the seat's own chain is still whole, only the station can tell.
    let db = jiejing_desk::paths::connect(a.path()).unwrap();
    let last: i64 = db
        .query_row("SELECT max(id) FROM audit_log", [], |r| r.get(0))
        .unwrap();
    db.execute_batch("DROP TRIGGER audit_no_delete; DROP TRIGGER audit_no_update")
        .unwrap();
    assert!(last >= 2, "{last}");
    db.execute("DELETE FROM audit_log WHERE id = ?1", [last])
        .unwrap();
    drop(db);
    let (code, out, err) = jiejing(a.path(), &["audit", "verify"]);
    assert_ne!(code, 0, "{out}{err}");
    assert!(
        out.contains("entries were removed") && out.contains("gone from this desk"),
        "{out}"
    );
    // ... and a rewritten entry differs from the station's copy.
    let db = jiejing_desk::paths::connect(a.path()).unwrap();
    db.execute("UPDATE audit_log SET hash = 'x' WHERE id = 1", [])
        .unwrap();
    drop(db);
    let (_, out, _) = jiejing(a.path(), &["audit", "verify"]);
    assert!(out.contains("entry 1: station: differs"), "{out}");
}

#[test]
fn demo_data_goes_to_the_station_only_when_the_seat_is_named() {
    let pg = TempPg::start();
    let url = pg.url();
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    ok(a.path(), &["station", "init", &url]);
    ok(a.path(), &["station", "join", &url, "--seat", "A"]);
    let (code, _, err) = jiejing(a.path(), &["demo-data", "--calls", "300"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("--seat A") && !err.contains(jiejing_pgtest::SUPER_PASSWORD),
        "{err}"
    );
    let (code, _, err) = jiejing(b.path(), &["demo-data", "--calls", "300", "--seat", "B"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not joined"), "{err}");

    ok(
        a.path(),
        &[
            "demo-data",
            "--calls",
            "300",
            "--seat",
            "A",
            "--from",
            "2026-01-01",
        ],
    );
    let s: serde_json::Value =
        serde_json::from_str(&ok(a.path(), &["station", "sync", "--json"])).unwrap();
    assert_eq!(s["backlog"], 0, "{s}");
    // Demo data made the demo's accounts: from now on, as its lead.
    let lead = |args: &[&str]| {
        let (code, out, err) = demo_lead(a.path(), args);
        assert_eq!(code, 0, "{args:?}: {err}");
        out
    };
    let listed: Vec<serde_json::Value> =
        serde_json::from_str(&lead(&["calls", "list", "--limit", "1000", "--json"])).unwrap();
    assert_eq!(listed.iter().filter(|c| c["seat"] == "A").count(), 300);

    // One seat's calls: the station sums them up in SQL, the desk in Rust,
    // and every figure (percentiles, per call-taker, per day) is the same.
    let args = [
        "report",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--json",
    ];
    let mut here: serde_json::Value =
        serde_json::from_str(&lead(&[&args[..], &["--local"]].concat())).unwrap();
    let station: serde_json::Value = serde_json::from_str(&lead(&args)).unwrap();
    assert_eq!(here["thisSeatOnly"], true);
    assert_eq!(here["calls"].as_u64(), Some(300), "{here}");
    here["thisSeatOnly"] = false.into();
    assert_eq!(here, station);
}
