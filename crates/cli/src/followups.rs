//! `jiejing due`, `jiejing calendar …` and `jiejing followups …`.

use std::path::PathBuf;

use anyhow::Result;
use chrono::{NaiveDateTime, TimeZone, Utc};
use clap::Subcommand;
use jiejing_core::{Reply, ReplyMethod};
use jiejing_desk::{Desk, DeskError, FollowUpStatus};
use serde_json::json;

use crate::{local, Usage};

#[derive(Subcommand)]
pub enum CalendarCmd {
    /// Validate a year's file and add it (kept in the data folder); open
    /// follow-ups are recomputed and every moved due date is logged
    Import { file: PathBuf },
    /// Show a year's holidays and make-up workdays
    Show {
        year: i32,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum FollowupsCmd {
    /// The queue, earliest due first (open ones; --all for closed too)
    List {
        /// Only overdue follow-ups
        #[arg(long)]
        overdue: bool,
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Record a reply to the complainant; --close when it keeps the promise
    Reply {
        id: i64,
        /// The seat that took the complaint, on a desk joined to a station
        /// (default: this seat)
        #[arg(long, default_value = "")]
        seat: String,
        #[arg(long)]
        by: String,
        /// phone, sms, in_person or letter
        #[arg(long)]
        method: String,
        #[arg(long)]
        content: String,
        #[arg(long)]
        outcome: String,
        #[arg(long)]
        close: bool,
    },
}

fn usage(e: DeskError) -> anyhow::Error {
    match e {
        DeskError::Core(_)
        | DeskError::Calendar(_)
        | DeskError::NotFound(_)
        | DeskError::StationOffline(_) => Usage(e.to_string()).into(),
        e => e.into(),
    }
}

pub fn due(desk: &Desk, received: &str, working_days: Option<i64>, json: bool) -> Result<()> {
    let n = match working_days {
        Some(n) if !(1..=365).contains(&n) => {
            return Err(Usage(format!("--working-days {n}: must be between 1 and 365")).into());
        }
        n => n.map(|n| n as u32),
    };
    let tz = desk.due_rule(None).tz;
    let naive = NaiveDateTime::parse_from_str(received.trim(), "%Y-%m-%d %H:%M").map_err(|_| {
        Usage(format!(
            "--received {received:?}: expected \"YYYY-MM-DD HH:MM\""
        ))
    })?;
    let at = tz
        .from_local_datetime(&naive)
        .earliest()
        .ok_or_else(|| Usage(format!("--received {received:?}: no such time in {tz}")))?
        .with_timezone(&Utc);
    let d = desk.due_for(at, n);
    if json {
        let v = json!({
            "due_date": d.due_date.to_string(),
            "due_at": d.due_at.to_rfc3339(),
            "provisional": d.provisional,
            "counted_days": d.counted_days.iter().map(|x| x.to_string()).collect::<Vec<_>>(),
            "missing_years": d.missing_years,
        });
        out!("{v}");
    } else {
        out!("due {} ({})", d.due_at.format("%Y-%m-%d %H:%M:%S %Z"), tz);
        let days: Vec<String> = d
            .counted_days
            .iter()
            .map(|x| x.format("%m-%d %a").to_string())
            .collect();
        out!("working days counted: {}", days.join(", "));
        if d.provisional {
            out!(
                "PROVISIONAL: no official calendar for {:?}; weekends only",
                d.missing_years
            );
        }
    }
    Ok(())
}

pub fn calendar(desk: &mut Desk, cmd: CalendarCmd) -> Result<()> {
    match cmd {
        CalendarCmd::Import { file } => {
            let (year, moved) = desk.import_calendar(&file).map_err(usage)?;
            out!(
                "imported the {year} calendar; {} open follow-up(s) recomputed: {moved:?}",
                moved.len()
            );
        }
        CalendarCmd::Show { year, json } => {
            let y = desk.calendar_year(year).ok_or_else(|| {
                Usage(format!("no calendar for {year}: import the State Council's schedule with `jiejing calendar import FILE`"))
            })?;
            if json {
                let v = json!({
                    "year": y.year,
                    "notice": y.notice,
                    "holidays": y.holidays.iter().map(|(d, n)| json!({"date": d.to_string(), "name": n})).collect::<Vec<_>>(),
                    "workdays": y.workdays.iter().map(|(d, n)| json!({"date": d.to_string(), "name": n})).collect::<Vec<_>>(),
                });
                out!("{v}");
            } else {
                out!("{} — {}", y.year, y.notice);
                for (d, n) in &y.holidays {
                    out!("  {}  {}  holiday  {n}", d, d.format("%a"));
                }
                for (d, n) in &y.workdays {
                    out!("  {}  {}  workday  {n}", d, d.format("%a"));
                }
            }
        }
    }
    Ok(())
}

pub fn run(desk: &mut Desk, cmd: FollowupsCmd) -> Result<()> {
    match cmd {
        FollowupsCmd::List { overdue, all, json } => {
            let queue = desk.followups(!all)?;
            if queue.this_seat_only {
                eprintln!("jiejing: the station cannot be reached; showing this seat only");
            }
            let mut q = queue.items;
            if overdue {
                q.retain(|v| v.status == FollowUpStatus::Overdue);
            }
            if json {
                out!("{}", serde_json::to_string_pretty(&q)?);
                return Ok(());
            }
            out!(
                "{:<8}  {:>4}  {:>5}  {:<9}  {:<19}  {:>5}  {:<10}  complainant / about",
                "seat",
                "id",
                "call",
                "status",
                "due (UTC+8)",
                "days",
                "phone"
            );
            for v in q {
                let f = &v.followup;
                out!(
                    "{:<8}  {:>4}  {:>5}  {:<9}  {:<19}  {:>5}  {:<10}  {} / {}{}{}",
                    if v.seat.is_empty() { "-" } else { &v.seat },
                    f.id,
                    f.call_id,
                    format!("{:?}", v.status).to_lowercase(),
                    local(f.due_at),
                    v.working_days_left,
                    f.complaint.phone,
                    f.complaint.name,
                    f.complaint.subject,
                    if f.provisional { "  [provisional]" } else { "" },
                    if f.complaint.misconduct_now {
                        "  [督察: misconduct now]"
                    } else {
                        ""
                    },
                );
            }
        }
        FollowupsCmd::Reply {
            id,
            seat,
            by,
            method,
            content,
            outcome,
            close,
        } => {
            let method = ReplyMethod::parse(&method).ok_or_else(|| {
                Usage(format!(
                    "--method {method:?}: one of phone, sms, in_person, letter"
                ))
            })?;
            let reply = Reply {
                at: desk.now(),
                by,
                method,
                content,
                outcome,
                closes: close,
                origin: None,
            };
            let v = desk.add_reply(&seat, id, None, &reply).map_err(usage)?;
            out!(
                "follow-up {id}: {}",
                if v.followup.closed_at.is_some() {
                    "reply recorded, closed"
                } else {
                    "reply recorded, still open"
                }
            );
        }
    }
    Ok(())
}
