//! The station on this machine, against a throwaway PostgreSQL:
//! - backlog drain: a desk's queue of N generated calls pushed to the
//!   station (calls/s), beside the same calls written to a second SQLite
//!   desk in the same run (the local floor);
//! - repeat lookup: the newest call from a number at the station, beside
//!   the same lookup on the desk's own SQLite;
//! - visibility: a call closed at the desk until the station holds it, with
//!   the app's worker running;
//! - the desk's own save latency with the worker shipping meanwhile, and
//!   with the server stopped.
//!
//! Run: `cargo bench -p jiejing-station --bench station` (N=20000 by
//! default; JIEJING_BENCH_CALLS to change).

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use jiejing_core::{AnswerSource, Disposition, ElementKey, SystemClock};
use jiejing_desk::{demo, Desk};
use jiejing_pgtest::TempPg;
use jiejing_station::{sync, Station, Worker};
use jiejing_store::Scope;

mod timing;
use timing::line;

fn main() {
    let n: u64 = std::env::var("JIEJING_BENCH_CALLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let pg = TempPg::start();
    let url = pg.url();
    Station::init(&url).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let floor_dir = tempfile::tempdir().unwrap();
    let mut store = jiejing_desk::paths::open_store(dir.path()).unwrap();
    jiejing_station::join(&mut store, &url, "A", Utc::now()).unwrap();
    let mut floor = jiejing_desk::paths::open_store(floor_dir.path()).unwrap();

    let start = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let mut numbers = Vec::new();
    let t = Instant::now();
    let mut k = 0u64;
    demo::generate(n, start, 7, 5_000, |batch| {
        // Demo calls carry no caller number: give each one, every number
        // calling about four times over the run, as repeat callers do.
        for c in batch.iter_mut() {
            c.caller_number = format!("139{:08}", k % (n / 4).max(1));
            k += 1;
        }
        numbers.extend(batch.iter().step_by(500).map(|c| c.caller_number.clone()));
        let mut copy = batch.clone();
        store.insert_calls(batch).unwrap();
        floor.insert_calls(&mut copy).unwrap();
    });
    println!(
        "generated {n} calls into two desks in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    let mut station = Station::connect(&url).unwrap();
    let t = Instant::now();
    let p = sync(&mut store, &mut station, &SystemClock).unwrap();
    let s = t.elapsed().as_secs_f64();
    println!(
        "backlog drain: {} records in {s:.2} s = {:.0} records/s (target >= 2000 calls/s)",
        p.pushed,
        p.pushed as f64 / s
    );
    // The local floor: the same calls read from the outbox side and
    // written again into another SQLite desk, in one transaction.
    let all: Vec<_> = floor.list_calls(None, n as usize).unwrap();
    let calls: Vec<_> = all
        .iter()
        .filter_map(|c| floor.load_call(c.id).unwrap())
        .collect();
    let refs: Vec<&jiejing_core::Call> = calls.iter().collect();
    let t = Instant::now();
    floor.save_calls(&refs).unwrap();
    let s2 = t.elapsed().as_secs_f64();
    println!(
        "  peer, same calls saved to a local SQLite desk: {:.0} calls/s",
        calls.len() as f64 / s2
    );

    let since = start;
    let mut at_station = Vec::new();
    let mut local = Vec::new();
    for num in numbers.iter().cycle().take(500) {
        let t = Instant::now();
        station.latest_from_number(num, since, "Z", 0).unwrap();
        at_station.push(t.elapsed());
        let t = Instant::now();
        store.latest_from_number(num, since, 0).unwrap();
        local.push(t.elapsed());
    }
    line(
        &format!("repeat lookup at the station ({n} calls)"),
        &at_station,
    );
    line("repeat lookup on the desk's SQLite (peer)", &local);

    // The lead's weekly dashboard: the same report over the station and
    // over one desk holding the same calls.
    let (mut at_station, mut local) = (Vec::new(), Vec::new());
    for w in 0..20 {
        let from = start + chrono::Duration::weeks(w);
        let scope = Scope {
            from,
            to: from + chrono::Duration::weeks(1),
            taker: None,
            shift: None,
            offset_min: 480,
        };
        let t = Instant::now();
        let a = station.report(&scope, Utc::now()).unwrap();
        at_station.push(t.elapsed());
        let t = Instant::now();
        let b = store.report(&scope, Utc::now()).unwrap();
        local.push(t.elapsed());
        assert_eq!(a.figures.calls, b.figures.calls, "week {w}");
    }
    line(
        &format!("weekly dashboard at the station ({n} calls)"),
        &at_station,
    );
    line("weekly dashboard on the desk's SQLite (peer)", &local);
    drop(store);

    // The baseline: the same saves on a desk of the same calls that was
    // never joined.
    drop(floor);
    let mut d0 = Desk::open(floor_dir.path(), Arc::new(SystemClock)).unwrap();
    d0.act_as_admin("bench");
    let mut base = Vec::new();
    for i in 0..40 {
        d0.ring(AnswerSource::Manual).unwrap();
        d0.answer(AnswerSource::Manual).unwrap();
        for k in [ElementKey::Where, ElementKey::What, ElementKey::Who] {
            let t = Instant::now();
            d0.set_element(k, &format!("bench {i}")).unwrap();
            base.push(t.elapsed());
        }
        d0.close(Disposition::Other, true).unwrap();
    }
    line("desk save, one-seat desk, same calls (baseline)", &base);

    // Visibility and save latency with the app's worker running.
    let seat = dir.path().to_path_buf();
    let worker = Worker::spawn(
        Box::new(move || jiejing_desk::paths::open_store(&seat)),
        Arc::new(SystemClock),
    );
    let mut desk = Desk::open(dir.path(), Arc::new(SystemClock)).unwrap();
    desk.act_as_admin("bench");
    let (mut visible, mut saves) = (Vec::new(), Vec::new());
    for i in 0..40 {
        desk.ring(AnswerSource::Manual).unwrap();
        desk.answer(AnswerSource::Manual).unwrap();
        for k in [ElementKey::Where, ElementKey::What, ElementKey::Who] {
            let t = Instant::now();
            desk.set_element(k, &format!("bench {i}")).unwrap();
            saves.push(t.elapsed());
        }
        let id = desk.close(Disposition::Other, true).unwrap().call.id;
        let t = Instant::now();
        loop {
            let got = station.call("A", id).unwrap();
            if got.is_some_and(|c| c.call.closed_at.is_some()) {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        visible.push(t.elapsed());
    }
    line("closed call visible at the station", &visible);
    line("desk save, server up, worker shipping", &saves);
    pg.stop();
    let mut down = Vec::new();
    for i in 0..40 {
        desk.ring(AnswerSource::Manual).unwrap();
        desk.answer(AnswerSource::Manual).unwrap();
        let t = Instant::now();
        desk.set_element(ElementKey::Where, &format!("down {i}"))
            .unwrap();
        down.push(t.elapsed());
        desk.close(Disposition::Other, true).unwrap();
    }
    line("desk save, server down", &down);
    println!(
        "worker status with the server down: {:?}",
        worker.status().online
    );
}
