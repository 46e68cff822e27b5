//! `jiejing station init|add-seat|join|sync|status|conflicts|leave` and the station's view of
//! `calls list`. Every failure to reach or use the station exits 2 with
//! what is wrong; the desk's own data is never touched by a failure.

use std::path::Path;

use anyhow::Result;
use chrono::{DateTime, Utc};
use clap::Subcommand;
use jiejing_core::{Clock, SystemClock};
use jiejing_desk::paths;
use jiejing_station::{redact, Station, StationError};
use jiejing_store::Store;

use crate::{call_line, local, Usage, CALL_HEADER};

#[derive(Subcommand)]
pub enum StationCmd {
    /// Create or migrate the station's schema in PostgreSQL
    Init { url: String },
    /// Make (or renew) seat NAME's own login, with the admin's URL; prints the URL the seat joins with
    AddSeat { url: String, seat: String },
    /// Join this desk to a station as seat NAME; its existing calls are queued too
    Join {
        url: String,
        #[arg(long)]
        seat: String,
    },
    /// Push what the station has not got yet, now
    Sync {
        #[arg(long)]
        json: bool,
    },
    /// The link: station, seat, online, backlog, last sync
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Edits that crossed at the station (replies from two seats), newest first
    Conflicts {
        #[arg(long)]
        json: bool,
    },
    /// Leave the station (refused while changes are still queued, unless --force)
    Leave {
        /// Leave even though queued changes will never reach the station
        #[arg(long)]
        force: bool,
    },
}

impl StationCmd {
    /// Joining or leaving moves where this desk's calls go, and the
    /// conflicts show complaint replies: a shift lead's acts. Setting up
    /// the station itself needs its administrator's URL, not a desk.
    pub fn reads_or_moves_data(&self) -> bool {
        matches!(
            self,
            StationCmd::Join { .. } | StationCmd::Leave { .. } | StationCmd::Conflicts { .. }
        )
    }
}

/// Station errors are the user's to fix (URL, server, seat): exit 2.
fn usage(e: StationError) -> anyhow::Error {
    match e {
        StationError::Store(e) => e.into(),
        e => Usage(e.to_string()).into(),
    }
}

fn store(data_dir: &Path) -> Result<Store> {
    Ok(paths::open_store(data_dir)?)
}

pub fn run(cmd: StationCmd, data_dir: &Path) -> Result<()> {
    match cmd {
        StationCmd::Init { url } => {
            let (before, after) = Station::init(&url).map_err(usage)?;
            if before == after {
                out!(
                    "station schema at {} is up to date (version {after})",
                    redact(&url)
                );
            } else {
                out!(
                    "station schema at {}: version {before} -> {after}",
                    redact(&url)
                );
            }
        }
        StationCmd::AddSeat { url, seat } => {
            let seat_url = Station::connect(&url)
                .and_then(|mut s| s.add_seat(&seat))
                .map_err(usage)?;
            eprintln!("seat {seat}: give this URL to that seat only; it writes that seat's rows and no others");
            out!("{seat_url}");
        }
        StationCmd::Join { url, seat } => {
            let mut st = store(data_dir)?;
            let queued =
                jiejing_station::join(&mut st, &url, &seat, SystemClock.now()).map_err(usage)?;
            out!(
                "joined {} as seat {seat}; {queued} records queued",
                redact(&url)
            );
            // Ship the history now if the station takes it; the app's
            // worker would otherwise do it within seconds.
            match sync(&mut st) {
                Ok(p) => out!("pushed {}, backlog {}", p.pushed, p.backlog),
                Err(e) => eprintln!("jiejing: joined, but the first push failed: {e}"),
            }
        }
        StationCmd::Sync { json } => {
            let mut st = store(data_dir)?;
            let p = sync(&mut st).map_err(usage)?;
            if json {
                out!(
                    "{}",
                    serde_json::json!({ "pushed": p.pushed, "backlog": p.backlog })
                );
            } else {
                out!("pushed {}, backlog {}", p.pushed, p.backlog);
            }
        }
        StationCmd::Status { json } => {
            let st = store(data_dir)?;
            let link = st
                .station_link()?
                .ok_or_else(|| usage(StationError::NotJoined))?;
            let online = Station::connect(&link.url).is_ok();
            let backlog = st.outbox_len()?;
            if json {
                out!(
                    "{}",
                    serde_json::json!({
                        "url": redact(&link.url), "seat": link.seat, "online": online,
                        "backlog": backlog, "lastSyncAt": link.last_sync_at,
                    })
                );
            } else {
                out!("station  {}", redact(&link.url));
                out!("seat     {}", link.seat);
                match (online, link.offline_since) {
                    (true, _) => out!("link     online"),
                    (false, Some(t)) => {
                        out!("link     offline since {} ({})", local(t), link.last_error)
                    }
                    (false, None) => out!("link     offline"),
                }
                out!("backlog  {backlog} changes");
                out!(
                    "synced   {}",
                    link.last_sync_at.map_or("never".into(), local)
                );
            }
        }
        StationCmd::Conflicts { json } => {
            let link = store(data_dir)?
                .station_link()?
                .ok_or_else(|| usage(StationError::NotJoined))?;
            let list = Station::connect(&link.url)
                .and_then(|mut s| s.conflicts())
                .map_err(usage)?;
            if json {
                out!("{}", serde_json::to_string_pretty(&list)?);
            } else if list.is_empty() {
                out!("no conflicts at the station");
            } else {
                for c in list {
                    out!(
                        "{}  {:<13}  follow-up {}/{}  {}",
                        local(c.at),
                        c.kind,
                        c.seat,
                        c.id,
                        c.detail
                    );
                }
            }
        }
        StationCmd::Leave { force } => {
            let link = jiejing_station::leave(&mut store(data_dir)?, force).map_err(usage)?;
            out!(
                "left {} (seat {}); this desk is on its own",
                redact(&link.url),
                link.seat
            );
        }
    }
    Ok(())
}

/// `audit verify` on a joined desk: the station's copy of this seat's
/// chain is checked too; a station that cannot be asked is said, not fatal.
pub fn check_audit(data_dir: &Path, check: &mut jiejing_store::AuditCheck) -> Result<()> {
    let st = store(data_dir)?;
    let Some(link) = st.station_link()? else {
        return Ok(());
    };
    let local = st.audit_hashes()?;
    match Station::connect(&link.url).and_then(|mut s| s.check_audit(&link.seat, &local)) {
        Ok((n, problems)) => {
            check.station_entries = Some(n);
            check.problems.extend(
                problems
                    .into_iter()
                    .map(|(id, what)| (id, format!("station: {what}"))),
            );
            check.problems.sort_by_key(|p| p.0);
        }
        Err(e) => eprintln!("jiejing: {e}; the station's copy was not checked"),
    }
    Ok(())
}

fn sync(st: &mut Store) -> Result<jiejing_station::Pushed, StationError> {
    let link = st.station_link()?.ok_or(StationError::NotJoined)?;
    let mut station = match Station::connect(&link.url) {
        Ok(s) => s,
        Err(e) => {
            st.station_failed(&e.to_string(), SystemClock.now())?;
            return Err(e);
        }
    };
    jiejing_station::sync(st, &mut station, &SystemClock)
}

/// `calls list` on a joined desk: every seat's calls from the station, or
/// `false` (with a note) when the station cannot be read, or only this
/// seat's part of it (a seat's own login without `lead`'s session).
pub fn list_calls(
    data_dir: &Path,
    lead: Option<String>,
    since: Option<DateTime<Utc>>,
    limit: usize,
    json: bool,
) -> Result<bool> {
    let Some(link) = store(data_dir)?.station_link()? else {
        return Ok(false);
    };
    let read = Station::connect(&link.url).and_then(|mut s| {
        if let Some(t) = &lead {
            s.carry_lead(t)?;
        }
        match s.reads_all()? {
            true => s.list_calls(since, limit).map(Some),
            false => Ok(None),
        }
    });
    let calls = match read {
        Ok(Some(c)) => c,
        Ok(None) => {
            eprintln!(
                "jiejing: {} (--as ID); showing this seat only",
                jiejing_station::LEAD_ONLY
            );
            return Ok(false);
        }
        Err(e) => {
            eprintln!("jiejing: {e}; showing this seat only");
            return Ok(false);
        }
    };
    if json {
        out!("{}", serde_json::to_string_pretty(&calls)?);
        return Ok(true);
    }
    out!("{:<8}  {CALL_HEADER}", "seat");
    for c in calls {
        let urged = if c.urges > 0 {
            format!("  urged ×{}", c.urges)
        } else {
            String::new()
        };
        out!("{:<8}  {}{urged}", c.seat, call_line(&c.call));
    }
    Ok(true)
}
