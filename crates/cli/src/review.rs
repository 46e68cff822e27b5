//! `jiejing calls export|form`, `jiejing audit verify` and `jiejing users`: the
//! shift lead's work from the command line, as the lead signed in with
//! `--as ID` (or, before the first account, as the station's administrator
//! named `cli:<login>` in the audit trail).

use std::io::BufRead;
use std::path::PathBuf;

use anyhow::{Context, Result};
use chrono::Duration;
use clap::{Subcommand, ValueEnum};
use jiejing_core::Role;
use jiejing_desk::{Desk, ExportFormat, ExportKind, ReviewScope};
use jiejing_store::LogFilter;

use crate::report::day_start;
use crate::Usage;

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Csv,
    Xlsx,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Taker,
    Lead,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Taker => Role::Taker,
            RoleArg::Lead => Role::Lead,
        }
    }
}

/// The scope flags shared by `report` and `calls export`.
#[derive(clap::Args)]
pub struct ScopeArgs {
    /// First day, YYYY-MM-DD (China time)
    #[arg(long)]
    pub from: String,
    /// Last day, included
    #[arg(long)]
    pub to: String,
    /// Only this call-taker
    #[arg(long)]
    pub taker: Option<String>,
    /// Only this shift (a name from the settings, e.g. 夜班)
    #[arg(long)]
    pub shift: Option<String>,
}

impl ScopeArgs {
    /// `--from` and `--to` are whole days in China time, both included.
    pub fn scope(&self) -> Result<ReviewScope, Usage> {
        let from = day_start("--from", &self.from)?;
        let to = day_start("--to", &self.to)? + Duration::days(1);
        if to <= from {
            return Err(Usage(format!(
                "--to {} is before --from {}",
                self.to, self.from
            )));
        }
        Ok(ReviewScope {
            from,
            to,
            taker: self.taker.clone(),
            shift: self.shift.clone(),
            this_seat_only: false,
        })
    }
}

#[derive(clap::Args)]
pub struct ExportArgs {
    #[command(flatten)]
    scope: ScopeArgs,
    #[arg(long, value_enum)]
    format: Format,
    #[arg(long)]
    out: PathBuf,
    /// Only calls that broke the norm
    #[arg(long)]
    failed: bool,
    /// The dashboard's figures instead of the calls
    #[arg(long)]
    dashboard: bool,
}

pub fn export(desk: &mut Desk, a: ExportArgs) -> Result<()> {
    let scope = a.scope.scope()?;
    let filter = LogFilter {
        failed: a.failed,
        ..LogFilter::default()
    };
    let format = match a.format {
        Format::Csv => ExportFormat::Csv,
        Format::Xlsx => ExportFormat::Xlsx,
    };
    let kind = if a.dashboard {
        ExportKind::Dashboard
    } else {
        ExportKind::Log
    };
    let n = desk.export(kind, format, &scope, &filter, &a.out)?;
    out!("{n} rows written to {}", a.out.display());
    // The database is encrypted; what leaves it is not (the export is
    // audited, and its file is this user's alone).
    eprintln!(
        "jiejing: warning: {} is not encrypted and holds callers' personal data: keep it on an encrypted medium and delete it after use",
        a.out.display()
    );
    Ok(())
}

/// Verifies the audit chain; exit 1 and each problem when it is broken.
pub fn verify(desk: &mut Desk, json: bool, anchors: &[String]) -> Result<()> {
    let anchors = anchors
        .iter()
        .map(|a| jiejing_store::parse_anchor(a).map_err(|e| Usage(format!("--anchor {e}"))))
        .collect::<Result<Vec<_>, _>>()?;
    let mut check = desk.verify_audit(&anchors)?;
    crate::station::check_audit(desk.data_dir(), &mut check)?;
    if json {
        out!("{}", serde_json::to_string_pretty(&check)?);
    } else {
        out!(
            "{} entries, {} closed calls compared with their last entry",
            check.entries,
            check.calls_checked
        );
        if let Some(n) = check.station_entries {
            out!("{n} entries of this seat compared with the station's copy");
        }
        for (id, what) in &check.problems {
            out!("entry {id}: {what}");
        }
        if let Some((n, hash)) = &check.head {
            out!(
                "head {n}:{} (write it in the shift log; check it later with --anchor)",
                &hash[..16]
            );
        }
    }
    if check.problems.is_empty() {
        if !json {
            out!("the audit trail is intact");
        }
        Ok(())
    } else {
        Err(anyhow::anyhow!(
            "the audit trail is broken: {} problem(s), first at entry {}",
            check.problems.len(),
            check.problems[0].0
        ))
    }
}

#[derive(clap::Args)]
pub struct FormArgs {
    /// One call; without it, every call from --from to --to
    id: Option<i64>,
    /// With ID, on a desk joined to a station: a call of this seat
    #[arg(long)]
    seat: Option<String>,
    /// First day, YYYY-MM-DD (China time)
    #[arg(long, conflicts_with = "id", requires = "to")]
    from: Option<String>,
    /// Last day, included
    #[arg(long, requires = "from")]
    to: Option<String>,
    /// Only this call-taker
    #[arg(long, requires = "from")]
    taker: Option<String>,
    /// Only this shift (a name from the settings, e.g. 夜班)
    #[arg(long, requires = "from")]
    shift: Option<String>,
    /// On a desk joined to a station: this seat's calls only
    #[arg(long, requires = "from")]
    local: bool,
    #[arg(long)]
    out: PathBuf,
}

/// `calls form`: the 接警登记表 of one call, or of every call of a range,
/// as one PDF.
pub fn form(desk: &mut Desk, a: FormArgs) -> Result<()> {
    let calls = match (a.id, &a.from, &a.to) {
        (Some(id), _, _) => vec![(a.seat.clone().unwrap_or_default(), id)],
        (None, Some(from), Some(to)) => {
            let scope = ScopeArgs {
                from: from.clone(),
                to: to.clone(),
                taker: a.taker.clone(),
                shift: a.shift.clone(),
            }
            .scope()?;
            desk.calls_to_print(&ReviewScope {
                this_seat_only: a.local,
                ..scope
            })?
        }
        _ => return Err(Usage("give a call's ID, or --from and --to for a range".into()).into()),
    };
    if calls.is_empty() {
        return Err(Usage("no calls in that range".into()).into());
    }
    let written = desk.write_forms(&calls, &a.out)?;
    out!("{} form(s) written to {}", written.rows, written.path);
    eprintln!(
        "jiejing: warning: {} is not encrypted and holds callers' personal data: print it, file it, and delete it",
        a.out.display()
    );
    Ok(())
}

#[derive(Subcommand)]
pub enum UsersCmd {
    /// Add an account; its PIN is read from $JIEJING_NEW_PIN or a line of standard input
    Add {
        id: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        role: RoleArg,
    },
    /// List the accounts
    List,
    /// Change an account's role or state; --new-pin reads a PIN as `add` does
    Update {
        id: String,
        #[arg(long, value_enum)]
        role: Option<RoleArg>,
        #[arg(long, conflicts_with = "enable")]
        disable: bool,
        #[arg(long)]
        enable: bool,
        #[arg(long)]
        new_pin: bool,
    },
}

/// `--as ID`: the CLI acts as that lead, signed in as at a seat (the
/// station checks the PIN and lets this seat's login read across seats).
pub fn sign_in_lead(desk: &mut Desk, id: &str) -> Result<()> {
    let pin = read_pin("JIEJING_PIN")?;
    let session = desk
        .sign_in(id, &pin)
        .map_err(|e| Usage(format!("--as {id}: {e}")))?;
    if session.user.is_none_or(|u| u.role != Role::Lead) {
        desk.sign_out()?;
        return Err(Usage(format!("--as {id}: not a shift lead's account")).into());
    }
    Ok(())
}

/// A PIN from `var`, else the next line of standard input: with both
/// from standard input, the acting lead's PIN is the first line and a new
/// account's the second. Two variables, so the PIN of who acts is never
/// taken for the PIN being set.
fn read_pin(var: &str) -> Result<String> {
    if let Ok(p) = std::env::var(var) {
        return Ok(p);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the PIN from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

pub fn users(desk: &mut Desk, c: UsersCmd) -> Result<()> {
    match c {
        UsersCmd::Add { id, name, role } => {
            let u = desk.add_user(&id, &name, role.into(), &read_pin("JIEJING_NEW_PIN")?)?;
            out!("account {} ({}, {}) added", u.id, u.name, u.role);
        }
        UsersCmd::List => {
            for u in desk.users()? {
                out!(
                    "{:<8} {:<6} {:<8} {}",
                    u.id,
                    u.role.as_str(),
                    if u.active { "active" } else { "disabled" },
                    u.name
                );
            }
        }
        UsersCmd::Update {
            id,
            role,
            disable,
            enable,
            new_pin,
        } => {
            let current = desk_user(desk, &id)?;
            let pin = if new_pin {
                Some(read_pin("JIEJING_NEW_PIN")?)
            } else {
                None
            };
            let active = if disable {
                false
            } else {
                enable || current.active
            };
            let u = desk.update_user(
                &id,
                role.map_or(current.role, Role::from),
                active,
                pin.as_deref(),
            )?;
            out!(
                "account {} is now {} and {}",
                u.id,
                u.role,
                if u.active { "active" } else { "disabled" }
            );
        }
    }
    Ok(())
}

fn desk_user(desk: &mut Desk, id: &str) -> Result<jiejing_core::User> {
    desk.users()?
        .into_iter()
        .find(|u| u.id == id)
        .ok_or_else(|| Usage(format!("no account {id}")).into())
}
