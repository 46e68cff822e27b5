//! Report figures on a small data set worked out by hand.

use jiejing_core::{AnswerSource, Call, Disposition, ElementKey, RingMark};
use jiejing_store::{Scope, Store};

use crate::{key, t};

fn rings(at: i64, n: i64) -> Vec<RingMark> {
    (0..n)
        .map(|i| RingMark {
            onset: t(at + 5 * i),
            offset: t(at + 5 * i + 1),
        })
        .collect()
}

/// The week of the hand-counted calls (times are UTC in these tests).
fn week(taker: Option<&str>) -> Scope<'_> {
    Scope {
        from: t(-3600),
        to: t(7 * 86_400),
        taker,
        shift: None,
        offset_min: 0,
    }
}

fn call(taker: &str, at: i64) -> Call {
    Call::ring(t(at), AnswerSource::Audio, taker, "cz-110", "你好，常州110")
}

fn fill(c: &mut Call, n: usize, now: i64) {
    for k in &ElementKey::ALL[..n] {
        c.set_element(*k, "值", t(now)).unwrap();
    }
}

#[test]
fn figures_match_a_hand_count() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("r.sqlite3"), &key()).unwrap();
    // 1. A: two rings, answered 8 s after the first, greeted, complete.
    let mut c1 = call("A", 0);
    c1.record_rings(rings(0, 2), Some(t(8)), t(8));
    c1.mark_greeting(t(9)).unwrap();
    fill(&mut c1, 8, 20);
    c1.close(Disposition::PoliceIncident, false, t(60)).unwrap();
    // 2. A: four rings, answered at 17 s, five items, no greeting.
    let mut c2 = call("A", 100);
    c2.record_rings(rings(100, 4), Some(t(117)), t(117));
    fill(&mut c2, 5, 130);
    c2.close(Disposition::Consultation, true, t(160)).unwrap();
    // 3. B: nobody listening (F2), answered by F3 after 12 s, greeted, complete.
    let mut c3 = Call::ring(t(200), AnswerSource::Manual, "B", "cz-110", "你好，常州110");
    c3.answer(t(212), AnswerSource::Manual).unwrap();
    c3.mark_greeting(t(213)).unwrap();
    fill(&mut c3, 8, 220);
    c3.close(Disposition::Other, false, t(260)).unwrap();
    // 4. B: three rings, nobody answered.
    let mut c4 = call("B", 300);
    c4.record_rings(rings(300, 3), None, t(320));
    // 5. A: the next week, outside the range.
    let mut c5 = call("A", 8 * 86_400);
    c5.record_rings(
        rings(8 * 86_400, 1),
        Some(t(8 * 86_400 + 3)),
        t(8 * 86_400 + 3),
    );
    let mut all = vec![c1, c2, c3, c4, c5];
    store.insert_calls(&mut all).unwrap();

    let r = store.report(&week(None), t(400)).unwrap();
    let f = &r.figures;
    assert_eq!(
        (
            f.calls,
            f.answered,
            f.missed,
            f.rings_heard,
            f.within_three_rings
        ),
        (4, 3, 1, 3, 2)
    );
    assert_eq!(f.three_ring_pct, Some(66.7));
    // Answers 8, 12, 17 s: nearest rank p50 = 12, p90 = p95 = 17.
    assert_eq!(
        (f.answer_p50_s, f.answer_p90_s, f.answer_p95_s),
        (Some(12.0), Some(17.0), Some(17.0))
    );
    assert_eq!(
        (f.within_10s_pct, f.within_15s_pct, f.within_20s_pct),
        (Some(33.3), Some(66.7), Some(100.0))
    );
    assert_eq!(f.complete_pct, Some(66.7)); // calls 1 and 3 of the three closed answered
    assert_eq!(f.greeting_pct, Some(66.7));
    let d: Vec<(&str, u64)> = r
        .dispositions
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    assert_eq!(
        d,
        [
            ("consultation", 1),
            ("missed", 1),
            ("other", 1),
            ("police_incident", 1)
        ]
    );
    let takers: Vec<(&str, u64, Option<f64>)> = r
        .by_taker
        .iter()
        .map(|x| {
            (
                x.taker_id.as_str(),
                x.figures.calls,
                x.figures.three_ring_pct,
            )
        })
        .collect();
    assert_eq!(takers, [("A", 2, Some(50.0)), ("B", 2, Some(100.0))]);

    // One call-taker only.
    let b = store.report(&week(Some("B")), t(400)).unwrap();
    assert_eq!((b.figures.calls, b.figures.answer_p50_s), (2, Some(12.0)));
    // The figures survive a reopen: they are stored with each call.
    drop(store);
    let store = Store::open(&dir.path().join("r.sqlite3"), &key()).unwrap();
    assert_eq!(store.report(&week(None), t(400)).unwrap().figures, *f);
}
