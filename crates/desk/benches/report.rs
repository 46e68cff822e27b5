//! The shift lead's screens at scale: a year of calls for a busy station
//! (1,000,000 by default, `JIEJING_BENCH_CALLS` to change), generated once
//! into `target/bench-review-N/` and reused. Prints, each over 20 weeks
//! (p50/p95/max): the dashboard for a week, the filtered log's first page
//! (plain, failed calls, one shift, full-text search, caller digits), and
//! beside them floors and peers measured in the same run: one raw indexed
//! page query, and the search done the naive way (`LIKE` over the items).
//! Target: the week's dashboard and the log's first page ≤ 200 ms.
//! `cargo bench -p jiejing-desk --bench report`

use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Duration, TimeZone, Utc};
use jiejing_core::SystemClock;
use jiejing_desk::{demo, Desk, ExportFormat, ExportKind, ReviewScope};
use jiejing_store::LogFilter;

fn ms(f: impl FnOnce()) -> f64 {
    let t = Instant::now();
    f();
    t.elapsed().as_secs_f64() * 1000.0
}

/// p50 / p95 / max of 20 timings.
fn line(what: &str, mut v: Vec<f64>) {
    v.sort_by(f64::total_cmp);
    println!(
        "{what:<44} p50 {:>7.1} ms  p95 {:>7.1} ms  max {:>7.1} ms",
        v[v.len() / 2],
        v[v.len() * 19 / 20 - 1],
        v[v.len() - 1]
    );
}

fn week(start: DateTime<Utc>, w: i64) -> ReviewScope {
    let from = start + Duration::weeks(w * 2 + 1);
    ReviewScope {
        from,
        to: from + Duration::weeks(1),
        taker: None,
        shift: None,
        this_seat_only: false,
    }
}

fn main() {
    let n: u64 = std::env::var("JIEJING_BENCH_CALLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join(format!("bench-review-{n}"));
    let start = Utc.with_ymd_and_hms(2024, 12, 31, 16, 0, 0).unwrap(); // 2025-01-01 China time
    if !dir.join("done").exists() {
        let _ = std::fs::remove_dir_all(&dir);
        let mut desk = Desk::open(&dir, Arc::new(SystemClock)).unwrap();
        let t = Instant::now();
        demo::generate(n, start, 1, 20_000, |b| desk.insert_demo(b).unwrap());
        println!(
            "generated {n} calls (with their search index) in {:.1} s",
            t.elapsed().as_secs_f64()
        );
        std::fs::write(dir.join("done"), "").unwrap();
    }
    let db = dir.join("jiejing.sqlite3");
    let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
    let mut desk = Desk::open(&dir, Arc::new(SystemClock)).unwrap();
    desk.act_as_admin("bench");
    println!("database: {n} calls, {:.0} MB", size as f64 / 1e6);

    let mut calls = 0;
    line(
        "dashboard, one week",
        (0..20)
            .map(|w| ms(|| calls = desk.report(&week(start, w)).unwrap().figures.calls))
            .collect(),
    );
    println!("  (~{calls} calls a week)");
    let taker = |w| ReviewScope {
        taker: Some("T05".into()),
        ..week(start, w)
    };
    line(
        "dashboard, one week, one call-taker",
        (0..20)
            .map(|w| ms(|| drop(desk.report(&taker(w)).unwrap())))
            .collect(),
    );
    let shift = |w| ReviewScope {
        shift: Some("夜班".into()),
        ..week(start, w)
    };
    line(
        "dashboard, one week, one shift",
        (0..20)
            .map(|w| ms(|| drop(desk.report(&shift(w)).unwrap())))
            .collect(),
    );
    let year = ReviewScope {
        from: start,
        to: start + Duration::days(365),
        taker: None,
        shift: None,
        this_seat_only: false,
    };
    println!(
        "dashboard, whole year: {:.0} ms",
        ms(|| drop(desk.report(&year).unwrap()))
    );

    let page = |desk: &mut Desk, scope: &ReviewScope, f: &LogFilter| {
        desk.log(scope, f, None, 50).unwrap().rows.len()
    };
    let plain = LogFilter::default();
    line(
        "log page 1, a week",
        (0..20)
            .map(|w| {
                ms(|| {
                    std::hint::black_box(page(&mut desk, &week(start, w), &plain));
                })
            })
            .collect(),
    );
    let failed = LogFilter {
        failed: true,
        ..LogFilter::default()
    };
    line(
        "log page 1, a week, failed calls",
        (0..20)
            .map(|w| {
                ms(|| {
                    std::hint::black_box(page(&mut desk, &week(start, w), &failed));
                })
            })
            .collect(),
    );
    line(
        "log page 1, a week, failed, one shift",
        (0..20)
            .map(|w| {
                ms(|| {
                    std::hint::black_box(page(&mut desk, &shift(w), &failed));
                })
            })
            .collect(),
    );
    line(
        "log page 1, a year, failed",
        (0..20)
            .map(|_| {
                ms(|| {
                    std::hint::black_box(page(&mut desk, &year, &failed));
                })
            })
            .collect(),
    );
    let mut found = 0;
    let words = [
        "太湖路",
        "老人走失",
        "钟楼区延陵路",
        "落水",
        "打架",
        "天宁区",
        "噪音",
        "青洋路",
        "花园街",
        "可疑",
        "钱包",
        "溧阳",
        "龙城大道",
        "家庭纠纷",
        "刮",
        "通江路",
        "劳动路",
        "长江路",
        "人民路",
        "和平路",
    ];
    line(
        "log page 1, a year, full-text word",
        words
            .iter()
            .map(|q| {
                ms(|| {
                    found += page(
                        &mut desk,
                        &year,
                        &LogFilter {
                            text: Some((*q).into()),
                            ..LogFilter::default()
                        },
                    )
                })
            })
            .collect(),
    );
    let plates: Vec<String> = (0..20)
        .map(|i| format!("D{:05}", 1234 + i * 4999))
        .collect();
    let mut plate_hits = 0;
    line(
        "log, a year, full-text plate (rare)",
        plates
            .iter()
            .map(|q| {
                ms(|| {
                    plate_hits += page(
                        &mut desk,
                        &year,
                        &LogFilter {
                            text: Some(q.clone()),
                            ..LogFilter::default()
                        },
                    )
                })
            })
            .collect(),
    );
    println!("  ({plate_hits} calls matched the 20 plates)");
    let mut deep = Vec::new();
    for w in 0..20 {
        let sc = week(start, w);
        let mut after = None;
        deep.push(
            ms(|| {
                for _ in 0..10 {
                    let rows = desk.log(&sc, &plain, after.as_ref(), 50).unwrap().rows;
                    let last = rows.last().unwrap();
                    after = Some(jiejing_store::LogCursor {
                        ring_at: last.ring_at,
                        seat: String::new(),
                        id: last.id,
                    });
                }
            }) / 10.0,
        );
    }
    line("log, a week, each of pages 1–10", deep);

    // Floors and peers, same database, same run.
    let conn = jiejing_desk::paths::connect(&dir).unwrap();
    let raw = |from: DateTime<Utc>, to: DateTime<Utc>| {
        let (f, t) = (
            from.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            to.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        );
        conn.prepare_cached("SELECT id, ring_at, taker_id FROM calls WHERE ring_at >= ?1 AND ring_at < ?2 ORDER BY ring_at DESC, id DESC LIMIT 50")
            .unwrap()
            .query_map([f, t], |r| r.get::<_, i64>(0))
            .unwrap()
            .count()
    };
    line(
        "floor: raw indexed page, a week",
        (0..20)
            .map(|w| {
                let s = week(start, w);
                ms(|| {
                    std::hint::black_box(raw(s.from, s.to));
                })
            })
            .collect(),
    );
    let like = |q: &str| {
        conn.prepare_cached("SELECT DISTINCT c.id, c.ring_at FROM calls c JOIN call_elements e ON e.call_id = c.id WHERE e.value LIKE '%' || ?1 || '%' ORDER BY c.ring_at DESC, c.id DESC LIMIT 50")
            .unwrap()
            .query_map([q], |r| r.get::<_, i64>(0))
            .unwrap()
            .count()
    };
    line(
        "peer: LIKE scan of the items, a year, plate",
        plates[..5]
            .iter()
            .map(|q| {
                ms(|| {
                    std::hint::black_box(like(q));
                })
            })
            .collect(),
    );

    let out = target.join("bench-export");
    let wk = week(start, 5);
    for fmt in [ExportFormat::Csv, ExportFormat::Xlsx] {
        let path = out.join(format!("week.{}", fmt.as_str()));
        let mut rows = 0;
        let t = ms(|| {
            rows = desk
                .export(ExportKind::Log, fmt, &wk, &plain, &path)
                .unwrap()
        });
        println!(
            "export a week's log as {}: {rows} rows in {t:.0} ms ({:.1} MB)",
            fmt.as_str(),
            std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0) as f64 / 1e6
        );
    }
}
