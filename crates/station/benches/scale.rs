//! The station at a hall's scale (issue #12): 50 seats × one year, about 5
//! million calls (`JIEJING_SCALE_CALLS`), loaded with COPY into a
//! throwaway PostgreSQL, then the reads a lead and a call-taker wait on,
//! each beside the same read on one seat's own SQLite desk (that seat's
//! share of the calls) in the same run. Targets from the issue: weekly
//! dashboard ≤ 200 ms, repeat lookup ≤ 20 ms, the call list's first page
//! ≤ 200 ms.

use std::time::Instant;

use chrono::{TimeZone, Utc};
use jiejing_desk::demo;
use jiejing_pgtest::TempPg;
use jiejing_station::Station;
use jiejing_store::Scope;

const SEATS: u64 = 50;

mod timing;
use timing::line;

fn main() {
    let n: u64 = std::env::var("JIEJING_SCALE_CALLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_000_000);
    let pg = TempPg::start();
    let url = pg.url();
    Station::init(&url).unwrap();
    pg.psql(&format!(
        "INSERT INTO seats (seat, desk_id) SELECT 'S' || lpad(i::text, 2, '0'), 'bench' || i FROM generate_series(1, {SEATS}) i"
    ));
    let mut station = Station::connect(&url).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut desk = jiejing_desk::paths::open_store(dir.path()).unwrap();

    let start = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
    let t = Instant::now();
    let mut k = 0u64;
    let mut numbers = Vec::new();
    demo::generate(n, start, 7, 50_000, |batch| {
        let mut by_seat: Vec<Vec<jiejing_core::Call>> = vec![Vec::new(); SEATS as usize];
        for c in batch.drain(..) {
            let mut c = c;
            // Each number rings about four times over the year, at any seat.
            c.caller_number = format!("139{:08}", k % (n / 4).max(1));
            c.id = (k / SEATS + 1) as i64;
            if k % 997 == 1 {
                numbers.push(c.caller_number.clone());
            }
            by_seat[(k % SEATS) as usize].push(c);
            k += 1;
        }
        for (i, calls) in by_seat.iter().enumerate() {
            station.bulk_load(&format!("S{:02}", i + 1), calls).unwrap();
        }
        // Seat S01's share is also one desk's own SQLite: the peer.
        let mut mine = by_seat.swap_remove(0);
        desk.insert_calls(&mut mine).unwrap();
    });
    // What autovacuum does to an insert-only table in time: the visibility
    // map that lets the report read its index alone.
    pg.psql("VACUUM ANALYZE");
    let s = t.elapsed().as_secs_f64();
    println!(
        "loaded {n} calls over {SEATS} seats in {s:.0} s ({:.0} calls/s); seat S01's {} also on its desk's SQLite",
        n as f64 / s,
        n / SEATS
    );
    println!(
        "station database: {}",
        pg.psql("SELECT pg_size_pretty(pg_database_size('station'))")
            .trim()
    );

    if std::env::var_os("JIEJING_SCALE_EXPLAIN").is_some() {
        let from = start + chrono::Duration::weeks(9);
        let scope = Scope {
            from,
            to: from + chrono::Duration::weeks(1),
            taker: None,
            shift: None,
            offset_min: 480,
        };
        println!("{}", station.explain_report(&scope).unwrap());
    }
    let (mut at_station, mut at_desk) = (Vec::new(), Vec::new());
    for w in (0..52).step_by(5) {
        let from = start + chrono::Duration::weeks(w);
        let scope = Scope {
            from,
            to: from + chrono::Duration::weeks(1),
            taker: None,
            shift: None,
            offset_min: 480,
        };
        let t = Instant::now();
        let r = station.report(&scope, Utc::now()).unwrap();
        at_station.push(t.elapsed());
        assert!(r.figures.calls > 0);
        let t = Instant::now();
        desk.report(&scope, Utc::now()).unwrap();
        at_desk.push(t.elapsed());
    }
    line(
        &format!("weekly dashboard, station ({n} calls; target 200 ms)"),
        &at_station,
    );
    line("weekly dashboard, one seat's SQLite desk (peer)", &at_desk);

    let (mut at_station, mut at_desk) = (Vec::new(), Vec::new());
    for num in numbers.iter().take(300) {
        let t = Instant::now();
        station.latest_from_number(num, start, "none", 0).unwrap();
        at_station.push(t.elapsed());
        let t = Instant::now();
        desk.latest_from_number(num, start, 0).unwrap();
        at_desk.push(t.elapsed());
    }
    line("repeat lookup, station (target 20 ms)", &at_station);
    line("repeat lookup, one seat's SQLite desk (peer)", &at_desk);

    let (mut at_station, mut at_desk) = (Vec::new(), Vec::new());
    for w in (0..52).step_by(5) {
        let since = Some(start + chrono::Duration::weeks(w));
        let t = Instant::now();
        assert_eq!(station.list_calls(since, 50).unwrap().len(), 50);
        at_station.push(t.elapsed());
        let t = Instant::now();
        desk.list_calls(since, 50).unwrap();
        at_desk.push(t.elapsed());
    }
    line(
        "call list first page (50), station (target 200 ms)",
        &at_station,
    );
    line(
        "call list first page (50), one seat's SQLite desk (peer)",
        &at_desk,
    );
}
