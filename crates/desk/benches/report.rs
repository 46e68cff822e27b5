//! The shift lead's report at scale: a year of calls for a busy station
//! (1,000,000 by default, `JIEJING_BENCH_CALLS` to change), generated once
//! into `target/bench-report-N/` and reused. Prints the weekly report's
//! latency over 20 weeks (p50/p95/max), a day's and the year's for scale,
//! and the first page of the call log. Target: a week ≤ 200 ms.
//! `cargo bench -p jiejing-desk --bench report`

use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Duration, TimeZone, Utc};
use jiejing_core::SystemClock;
use jiejing_desk::{demo, Desk};

fn ms(f: impl FnOnce()) -> f64 {
    let t = Instant::now();
    f();
    t.elapsed().as_secs_f64() * 1000.0
}

fn main() {
    let n: u64 = std::env::var("JIEJING_BENCH_CALLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join(format!("bench-report-{n}"));
    let start = Utc.with_ymd_and_hms(2024, 12, 31, 16, 0, 0).unwrap(); // 2025-01-01 China time
    if !dir.join("done").exists() {
        let _ = std::fs::remove_dir_all(&dir);
        let mut desk = Desk::open(&dir, Arc::new(SystemClock)).unwrap();
        let t = Instant::now();
        demo::generate(n, start, 1, 20_000, |b| desk.insert_demo(b).unwrap());
        println!("generated {n} calls in {:.1} s", t.elapsed().as_secs_f64());
        std::fs::write(dir.join("done"), "").unwrap();
    }
    let size = std::fs::metadata(dir.join("jiejing.sqlite3"))
        .map(|m| m.len())
        .unwrap_or(0);
    let desk = Desk::open(&dir, Arc::new(SystemClock)).unwrap();
    println!("database: {n} calls, {:.0} MB", size as f64 / 1e6);

    let mut week = Vec::new();
    let mut calls = 0;
    for w in 0..20 {
        let from: DateTime<Utc> = start + Duration::weeks(w * 2 + 1);
        week.push(ms(|| {
            calls = desk
                .report(from, from + Duration::weeks(1), None)
                .unwrap()
                .figures
                .calls
        }));
    }
    week.sort_by(f64::total_cmp);
    println!(
        "report, one week (~{calls} calls): p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms (target ≤ 200 ms)",
        week[10], week[19], week[19]
    );
    let one_taker = ms(|| {
        desk.report(
            start + Duration::weeks(9),
            start + Duration::weeks(10),
            Some("T05"),
        )
        .unwrap();
    });
    let day = ms(|| {
        desk.report(
            start + Duration::days(100),
            start + Duration::days(101),
            None,
        )
        .unwrap();
    });
    let year = ms(|| {
        desk.report(start, start + Duration::days(365), None)
            .unwrap();
    });
    println!("report, one week one call-taker: {one_taker:.1} ms; one day: {day:.1} ms; whole year: {year:.0} ms");
    let mut page = Vec::new();
    for w in 0..20 {
        let since = start + Duration::weeks(w * 2 + 1);
        page.push(ms(|| {
            desk.list_calls(Some(since), 50).unwrap();
        }));
    }
    page.sort_by(f64::total_cmp);
    println!(
        "call log, first page of 50 since a date: p50 {:.1} ms, max {:.1} ms",
        page[10], page[19]
    );
}
