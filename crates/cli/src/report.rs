//! `jiejing report` (the shift lead's figures) and `jiejing demo-data`.

use anyhow::Result;
use chrono::{DateTime, NaiveDate, Utc};
use jiejing_core::Role;
use jiejing_desk::{demo, Desk, ReviewScope};
use jiejing_store::Figures;

use crate::review::ScopeArgs;
use crate::{china, Usage};

/// Midnight China time starting `s` (YYYY-MM-DD).
pub(crate) fn day_start(flag: &str, s: &str) -> Result<DateTime<Utc>, Usage> {
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

pub fn report(desk: &mut Desk, a: &ScopeArgs, local: bool, json: bool) -> Result<()> {
    let r = desk.report(&ReviewScope {
        this_seat_only: local,
        ..a.scope()?
    })?;
    let (from, to, taker) = (&a.from, &a.to, a.taker.as_deref());
    if json {
        out!("{}", serde_json::to_string_pretty(&r)?);
        return Ok(());
    }
    out!(
        "calls from {from} to {to} (China time){}{}{}",
        if r.this_seat_only {
            ", this seat only"
        } else {
            ""
        },
        taker.map_or(String::new(), |t| format!(", call-taker {t}")),
        a.shift
            .as_deref()
            .map_or(String::new(), |s| format!(", shift {s}"))
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
    if r.figures.reviewed > 0 {
        out!(
            "QA: {} reviewed, mean score {}, {} with a critical deviation",
            r.figures.reviewed,
            opt(r.figures.qa_mean, ""),
            r.figures.qa_critical
        );
    }
    Ok(())
}

/// Demo accounts only: a demo folder is for showing the app.
const DEMO_PIN: &str = "123456";

pub fn demo_data(
    desk: &mut Desk,
    calls: u64,
    from: &str,
    seed: u64,
    seat: Option<&str>,
) -> Result<()> {
    // Demo calls on a joined desk go to its station: only when asked by name.
    match (desk.station_link()?, seat) {
        (Some(l), Some(s)) if l.seat == s => {}
        (Some(l), _) => {
            return Err(Usage(format!(
                "this desk is seat {} of {}: its demo calls would go to that station; say --seat {} to mean it",
                l.seat,
                jiejing_station::redact(&l.url),
                l.seat
            ))
            .into())
        }
        (None, Some(s)) => {
            return Err(Usage(format!("--seat {s}: this desk is not joined to a station")).into())
        }
        (None, None) => {}
    }
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
        if let Some(s) = seat {
            for c in batch.iter_mut() {
                c.station_id = s.to_string();
            }
        }
        if err.is_none() {
            err = desk.insert_demo(batch).err();
        }
    });
    if let Some(e) = err {
        return Err(e.into());
    }
    // Accounts to sign in with, unless the folder already has some.
    if desk.users()?.is_empty() {
        desk.add_user("L01", "值班长（演示）", Role::Lead, DEMO_PIN)?;
        for i in 1..=12 {
            desk.add_user(
                &format!("T{i:02}"),
                &format!("接警员{i:02}（演示）"),
                Role::Taker,
                DEMO_PIN,
            )?;
        }
    }
    out!(
        "{calls} demo calls over 365 days from {from} written in {:.1} s; sign in as L01 (shift lead) or T01–T12 with PIN {DEMO_PIN}",
        t0.elapsed().as_secs_f64()
    );
    Ok(())
}
