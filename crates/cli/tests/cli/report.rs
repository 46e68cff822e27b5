//! `jiejing demo-data` then `jiejing report` over it.

use crate::{demo_lead, jiejing};

#[test]
fn demo_data_then_a_weekly_report() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = jiejing(
        dir.path(),
        &["demo-data", "--calls", "3000", "--from", "2025-01-01"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("3000 demo calls"), "{out}");
    // Demo data never goes into a database that has calls.
    let (code, _, err) = demo_lead(dir.path(), &["demo-data", "--calls", "10"]);
    assert_eq!(code, 2);
    assert!(err.contains("already holds calls"), "{err}");

    let (code, out, err) = demo_lead(
        dir.path(),
        &[
            "report",
            "--from",
            "2025-03-03",
            "--to",
            "2025-03-09",
            "--json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let r: serde_json::Value = serde_json::from_str(&out).unwrap();
    // A week is about 7/365 of the year's calls.
    let calls = r["calls"].as_u64().unwrap();
    assert!((40..=80).contains(&calls), "{calls}");
    let takers: u64 = r["byTaker"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["calls"].as_u64().unwrap())
        .sum();
    assert_eq!(takers, calls);
    let pct = r["threeRingPct"].as_f64().unwrap();
    assert!((70.0..=100.0).contains(&pct), "{pct}");
    assert!(r["answerP50S"].as_f64().unwrap() <= r["answerP90S"].as_f64().unwrap());
    let (code, out, _) = demo_lead(
        dir.path(),
        &[
            "report",
            "--from",
            "2025-03-03",
            "--to",
            "2025-03-09",
            "--taker",
            "T01",
        ],
    );
    assert_eq!(code, 0);
    assert!(
        out.contains("call-taker T01") && out.contains("T01 "),
        "{out}"
    );

    let (code, _, err) = demo_lead(
        dir.path(),
        &["report", "--from", "2025-03-09", "--to", "2025-03-03"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("before --from"), "{err}");
    let (code, _, err) = demo_lead(
        dir.path(),
        &["report", "--from", "March", "--to", "2025-03-03"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("YYYY-MM-DD"), "{err}");
}
