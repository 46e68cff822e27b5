//! `jiejing report` (the shift lead's figures) and `jiejing demo-data`.

use anyhow::Result;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use jiejing_desk::{demo, Desk};
use jiejing_store::Figures;

use crate::{china, Usage};

/// Midnight China time starting `s` (YYYY-MM-DD).
fn day_start(flag: &str, s: &str) -> Result<DateTime<Utc>, Usage> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .and_then(|t| t.and_local_timezone(china()).single())
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| Usage(format!("{flag} {s:?}: expected a date YYYY-MM-DD")))
}

fn opt(v: Option<f64>, unit: &str) -> String {
    v.map_or_else(|| "-".into(), |x| format!("{x:.1}{unit}"))
}

fn row(name: &str, f: &Figures) -> String {
    format!(
        "{name:<8} {:>7} {:>6} {:>7} {:>8} {:>7} {:>7} {:>7} {:>7} {:>7}",
        f.calls,
        f.missed,
        opt(f.three_ring_pct, "%"),
        opt(f.answer_p50_s, "s"),
        opt(f.answer_p90_s, "s"),
        opt(f.answer_p95_s, "s"),
        opt(f.within_10s_pct, "%"),
        opt(f.within_20s_pct, "%"),
        opt(f.complete_pct, "%"),
    )
}

/// `--from` and `--to` are whole days in China time, both included.
pub fn report(desk: &Desk, from: &str, to: &str, taker: Option<&str>, json: bool) -> Result<()> {
    let start = day_start("--from", from)?;
    let end = day_start("--to", to)? + Duration::days(1);
    if end <= start {
        return Err(Usage(format!("--to {to} is before --from {from}")).into());
    }
    let r = desk.report(start, end, taker)?;
    if json {
        out!("{}", serde_json::to_string_pretty(&r)?);
        return Ok(());
    }
    out!(
        "calls from {from} to {to} (China time){}",
        taker.map_or(String::new(), |t| format!(", call-taker {t}"))
    );
    out!(
        "{:<8} {:>7} {:>6} {:>7} {:>8} {:>7} {:>7} {:>7} {:>7} {:>7}",
        "",
        "calls",
        "missed",
        "≤3 ring",
        "ans p50",
        "p90",
        "p95",
        "≤10 s",
        "≤20 s",
        "7+1 ok"
    );
    out!("{}", row("all", &r.figures));
    for t in &r.by_taker {
        out!("{}", row(&t.taker_id, &t.figures));
    }
    let d: Vec<String> = r
        .dispositions
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    out!("dispositions: {}", d.join(", "));
    let f = &r.followups;
    out!(
        "follow-ups due: {} (on time {}, late {}, open and overdue {}; on time {})",
        f.due,
        f.closed_on_time,
        f.closed_late,
        f.open_overdue,
        opt(f.on_time_pct, "%")
    );
    Ok(())
}

pub fn demo_data(desk: &mut Desk, calls: u64, from: &str, seed: u64) -> Result<()> {
    if !desk.list_calls(None, 1)?.is_empty() {
        return Err(Usage(
            "this database already holds calls; demo data goes into its own data folder (--data-dir DIR)".into(),
        )
        .into());
    }
    let start = day_start("--from", from)?;
    let t0 = std::time::Instant::now();
    let mut err = None;
    demo::generate(calls, start, seed, 20_000, |batch| {
        if err.is_none() {
            err = desk.insert_demo(batch).err();
        }
    });
    if let Some(e) = err {
        return Err(e.into());
    }
    out!(
        "{calls} demo calls over 365 days from {from} written in {:.1} s",
        t0.elapsed().as_secs_f64()
    );
    Ok(())
}
