//! `jiejing`: the command-line tool over the same crates as the app.
//!
//! `calls list|show|export|form|audio`, `audit verify`, `users`, `due`, `calendar import|show`, `followups
//! list|reply`, `rings analyze|learn|forget`, `report`, `station init|add-seat|join|sync|status|conflicts|leave`, `demo-data`, `transcribe`, `models import-ct2|check`. Exit codes: 0 ok, 2 bad input or not found, 1 anything else.

/// `println!` that ends quietly when the reader has gone
/// (`jiejing calls list | head`) instead of panicking on a broken pipe.
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout(), $($t)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
            panic!("cannot write to standard output: {e}");
        }
    }};
}

mod amend;
mod followups;
mod listen;
mod recordings;
mod report;
mod review;
mod rings;
mod settings;
mod speech;
mod station;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use clap::{Parser, Subcommand};
use jiejing_core::{CallState, SystemClock};
use jiejing_desk::{paths, CallView, Desk, DeskError};
use jiejing_store::CallSummary;

#[derive(Parser)]
#[command(
    name = "jiejing",
    version,
    about = "Jiejing 110 call desk: records from the command line"
)]
struct Cli {
    /// Data folder (default: $JIEJING_DATA_DIR, else the per-user data folder)
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// Act as shift lead ID, signed in with the PIN from $JIEJING_PIN or the first line of
    /// standard input. Required once the data folder has accounts; the audit trail names that
    /// lead. At a seat with its own station login it also reads the other seats' calls.
    #[arg(long = "as", global = true, value_name = "ID")]
    acting_as: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Call records
    #[command(subcommand)]
    Calls(Calls),
    /// When a complaint reply is due (working days by the official calendar)
    Due {
        /// When the complaint was received, "YYYY-MM-DD HH:MM" in the station's zone
        #[arg(long)]
        received: String,
        /// Working days to reply (default: the setting, 3)
        #[arg(long)]
        working_days: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// The official holiday calendar
    #[command(subcommand)]
    Calendar(followups::CalendarCmd),
    /// The complaint follow-up queue
    #[command(subcommand)]
    Followups(followups::FollowupsCmd),
    /// Ring timing from recordings (the same detector as the app)
    #[command(subcommand)]
    Rings(rings::RingsCmd),
    /// The shift lead's figures: three rings, answer times, completeness, QA
    Report {
        #[command(flatten)]
        scope: review::ScopeArgs,
        /// On a desk joined to a station: this seat's calls only
        #[arg(long)]
        local: bool,
        #[arg(long)]
        json: bool,
    },
    /// The audit trail
    #[command(subcommand)]
    Audit(AuditCmd),
    /// Transcribe a recording offline (Whisper) and show what it suggests
    Transcribe {
        file: PathBuf,
        /// A ggml Whisper model [default: the desk's, as in Settings, else
        /// models/ggml-base-q8_0.bin]
        #[arg(long)]
        model: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Speech models: import a faster-whisper model, check a model file
    #[command(subcommand)]
    Models(speech::ModelsCmd),
    /// Accounts (call-takers and shift leads)
    #[command(subcommand)]
    Users(review::UsersCmd),
    /// Listen as the app does, without a window: a recording (--wav) or a
    /// device through ring detection, the answer, speech and suggestions
    Listen(listen::ListenArgs),
    /// Join desks into one station on PostgreSQL
    #[command(subcommand)]
    Station(station::StationCmd),
    /// The desk's settings: show them, or set one (audited)
    #[command(subcommand)]
    Settings(settings::SettingsCmd),
    /// Fill an empty data folder with a year of generated calls
    DemoData {
        #[arg(long, default_value_t = 1_000_000)]
        calls: u64,
        /// First day, YYYY-MM-DD
        #[arg(long, default_value = "2025-01-01")]
        from: String,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// On a desk joined to a station: this desk's seat, to confirm that
        /// the demo calls go to that station (they are queued like any
        /// others); the calls carry it as their desk id
        #[arg(long)]
        seat: Option<String>,
    },
}

#[derive(Subcommand)]
enum Calls {
    /// List calls, newest first
    List {
        /// Only calls that rang on or after this date (YYYY-MM-DD, China time) or RFC 3339 time
        #[arg(long)]
        since: Option<String>,
        /// At most this many calls
        #[arg(long, default_value_t = 100)]
        limit: usize,
        /// On a desk joined to a station: this seat's calls only
        #[arg(long)]
        local: bool,
        #[arg(long)]
        json: bool,
    },
    /// Show one call with every field
    Show {
        id: i64,
        /// On a desk joined to a station: a call of this seat, as the
        /// station holds it
        #[arg(long)]
        seat: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// A shift lead's correction of a closed call's item, at any seat
    Amend(amend::AmendArgs),
    /// Write the calls (or with --dashboard the figures) to CSV or XLSX, Chinese headers
    Export(review::ExportArgs),
    /// Write the 接警登记表 of one call, or of every call of a range (a shift, a day), as one
    /// A4 PDF to print and file (audited)
    Form(review::FormArgs),
    /// Everything held about one phone number (calls, complaints, follow-ups, transcripts), as
    /// JSON, for a lawful request (audited with its reference)
    Subject {
        number: String,
        /// The request's reference (公函编号)
        #[arg(long)]
        request: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// Write a call's recording to a WAV file (audited)
    Audio {
        id: i64,
        /// On a desk joined to a station: a call of this seat, as it
        /// shipped its recording to the station
        #[arg(long)]
        seat: Option<String>,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum AuditCmd {
    /// Check the hash chain and every audited closed call; exit 1 if broken. Prints the head
    /// (ENTRY:HASH) to write in the shift log
    Verify {
        #[arg(long)]
        json: bool,
        /// An entry's hash written down earlier (ENTRY:HASH, at least 16 hex digits): the
        /// chain must still hold it. Repeatable
        #[arg(long, value_name = "ENTRY:HASH")]
        anchor: Vec<String>,
    },
}

/// Bad input from the user: exit code 2.
#[derive(Debug)]
pub(crate) struct Usage(pub(crate) String);
impl std::fmt::Display for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for Usage {}

/// Times are shown and dates read in China Standard Time, the zone of the
/// norm, whatever zone the machine is set to.
pub(crate) fn china() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("valid offset")
}

fn parse_since(s: &str) -> Result<DateTime<Utc>, Usage> {
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        let local = d
            .and_hms_opt(0, 0, 0)
            .and_then(|t| t.and_local_timezone(china()).single());
        return local
            .map(|t| t.with_timezone(&Utc))
            .ok_or_else(|| Usage(format!("--since {s:?}: no such time")));
    }
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            Usage(format!(
                "--since {s:?}: expected a date YYYY-MM-DD or an RFC 3339 time"
            ))
        })
}

/// The header of `calls list`, over [`call_line`]'s columns.
pub(crate) const CALL_HEADER: &str =
    "    id  rang (UTC+8)         state        caller            taker     items  disposition";

/// One call of `calls list`.
pub(crate) fn call_line(c: &CallSummary) -> String {
    format!(
        "{:>6}  {:<19}  {:<11}  {:<16}  {:<8}  {:>3}/8  {}",
        c.id,
        local(c.ring_at),
        c.state.as_str(),
        c.caller_number,
        c.taker_id,
        c.elements_done,
        c.disposition.map_or("-", |d| d.as_str())
    )
}

pub(crate) fn local(t: DateTime<Utc>) -> String {
    t.with_timezone(&china())
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// Who the command line acts as. Once the data folder has accounts, only a
/// shift lead signed in with `--as ID` and that lead's PIN: the audit trail
/// names a person, not whoever holds a shell. Before the first account
/// (setting up a desk) it acts as the station administrator, named by the
/// system login; `open_to_all` commands read nothing of callers.
fn act(desk: &mut Desk, acting_as: Option<&str>, open_to_all: bool) -> Result<()> {
    let has_accounts = desk.has_accounts()?;
    match acting_as {
        // A joined seat with no copy of the accounts yet signs in at the station.
        Some(id) => review::sign_in_lead(desk, id),
        None if has_accounts && !open_to_all => Err(Usage(
            "this data folder has accounts: act as a shift lead with --as ID \
             (the PIN from $JIEJING_PIN or standard input)"
                .into(),
        )
        .into()),
        None => {
            let login = std::env::var("USER").or_else(|_| std::env::var("LOGNAME"));
            desk.act_as_admin(&format!("cli:{}", login.as_deref().unwrap_or("unknown")));
            Ok(())
        }
    }
}

/// [`act`] for a command that works on the data folder without a desk
/// (joining or leaving a station): a folder with accounts needs a lead's
/// PIN first. A folder with no database has none.
fn vouch(data_dir: &std::path::Path, acting_as: Option<&str>) -> Result<()> {
    if !paths::database(data_dir).exists() {
        return Ok(());
    }
    act(&mut open_desk(data_dir)?, acting_as, false)
}

fn open_desk(data_dir: &std::path::Path) -> Result<Desk> {
    Desk::open(data_dir, Arc::new(SystemClock))
        .with_context(|| format!("cannot open the database in {}", data_dir.display()))
}

fn run(cli: Cli) -> Result<()> {
    // Before anything is written: what the command line makes without a
    // desk (station join, learned rings) is as private as what
    // `Desk::open` makes.
    paths::keep_private();
    let data_dir = paths::data_dir(cli.data_dir);
    let acting_as = cli.acting_as;
    // Recordings need no database.
    let command = match cli.command {
        Command::Rings(c) => {
            // Learning or forgetting the ring is a lead's act, and the
            // learned ring is sealed with the desk's key.
            let key = match c.changes_the_desk() {
                true => {
                    let mut desk = open_desk(&data_dir)?;
                    act(&mut desk, acting_as.as_deref(), false)?;
                    Some(desk.files_key())
                }
                false => None,
            };
            return rings::run(c, &data_dir, key.as_ref());
        }
        Command::Models(c) => return speech::models(c),
        Command::Station(c) => {
            if c.reads_or_moves_data() {
                vouch(&data_dir, acting_as.as_deref())?;
            }
            return station::run(c, &data_dir);
        }
        // Its desk runs on the recording's clock.
        Command::Listen(a) => return listen::run(a, &data_dir),
        c => c,
    };
    // Transcribing needs no database either; a desk's settings, if there
    // is one, give the city of the prompt and the greeting.
    if let Command::Transcribe { file, model, json } = &command {
        let (city, greeting, chosen) = match paths::database(&data_dir).exists() {
            true => {
                let mut desk = Desk::open(&data_dir, Arc::new(SystemClock))?;
                desk.act_as_admin("cli");
                let st = desk.state()?;
                (st.settings.city, st.greeting, st.settings.speech_model)
            }
            false => (
                "常州".to_string(),
                "你好，常州110".to_string(),
                String::new(),
            ),
        };
        let model = model
            .clone()
            .unwrap_or_else(|| paths::speech_model(&data_dir, &chosen));
        let places = jiejing_desk::DataFiles::load(&data_dir).gazetteer;
        return speech::transcribe(file, &model, &city, &greeting, &places, *json);
    }
    let mut desk = Desk::open(&data_dir, Arc::new(SystemClock))
        .with_context(|| format!("cannot open the database in {}", data_dir.display()))?;
    // Callers' data others on this machine can read: said on every run.
    for w in paths::wider_than_private(&data_dir) {
        eprintln!("jiejing: warning: {w}");
    }
    // A joined desk reads across seats (follow-ups, repeat callers).
    let mut session = None;
    if let Some(link) = desk.station_link()? {
        let link = jiejing_station::DeskLink::new(&link);
        session = Some(link.session());
        desk.set_station(Box::new(link));
    }
    // A due date is arithmetic on the calendar: anyone may ask.
    let open_to_all = matches!(command, Command::Due { .. });
    act(&mut desk, acting_as.as_deref(), open_to_all)?;
    match command {
        Command::Rings(_)
        | Command::Models(_)
        | Command::Station(_)
        | Command::Listen(_)
        | Command::Transcribe { .. } => {
            unreachable!("handled above")
        }
        Command::Report { scope, local, json } => report::report(&mut desk, &scope, local, json)?,
        Command::Audit(AuditCmd::Verify { json, anchor }) => {
            review::verify(&mut desk, json, &anchor)?
        }
        Command::Users(c) => review::users(&mut desk, c)?,
        Command::Calls(Calls::Export(a)) => review::export(&mut desk, a)?,
        Command::Calls(Calls::Form(a)) => review::form(&mut desk, a)?,
        Command::Calls(Calls::Subject {
            number,
            request,
            out,
        }) => {
            let n = desk.subject_export(&number, &request, &out)?;
            out!("{n} call(s) about {number} written to {}", out.display());
            eprintln!(
                "jiejing: warning: {} is not encrypted and holds one person's data: hand it over as the request says and delete this copy",
                out.display()
            );
        }
        Command::DemoData {
            calls,
            from,
            seed,
            seat,
        } => report::demo_data(&mut desk, calls, &from, seed, seat.as_deref())?,
        Command::Due {
            received,
            working_days,
            json,
        } => followups::due(&desk, &received, working_days, json)?,
        Command::Calendar(c) => followups::calendar(&mut desk, c)?,
        Command::Followups(c) => followups::run(&mut desk, c)?,
        Command::Settings(c) => settings::run(&mut desk, c)?,
        Command::Calls(Calls::List {
            since,
            limit,
            local: only_here,
            json,
        }) => {
            let since = since.as_deref().map(parse_since).transpose()?;
            let token = session.and_then(|s| s.token());
            if !only_here && station::list_calls(&data_dir, token, since, limit, json)? {
                return Ok(());
            }
            let calls = desk.list_calls(since, limit)?;
            if json {
                out!("{}", serde_json::to_string_pretty(&calls)?);
                return Ok(());
            }
            out!("{CALL_HEADER}");
            for c in calls {
                out!("{}", call_line(&c));
            }
        }
        Command::Calls(Calls::Amend(a)) => amend::amend(&mut desk, a)?,
        Command::Calls(Calls::Audio { id, seat, out }) => {
            recordings::audio(&mut desk, seat.as_deref().unwrap_or(""), id, &out)?
        }
        Command::Calls(Calls::Show {
            id,
            seat: Some(seat),
            json,
        }) => amend::show(&mut desk, &seat, id, json)?,
        Command::Calls(Calls::Show {
            id,
            seat: None,
            json,
        }) => {
            let view = desk.call(id).map_err(|e| match e {
                DeskError::NotFound(id) => {
                    anyhow::Error::new(Usage(format!("call {id} not found")))
                }
                e => e.into(),
            })?;
            if json {
                out!("{}", serde_json::to_string_pretty(&view)?);
            } else {
                print_call(&view);
            }
        }
    }
    Ok(())
}

pub(crate) fn print_call(v: &CallView) {
    let c = &v.call;
    let opt = |t: Option<DateTime<Utc>>| t.map_or_else(|| "-".to_string(), local);
    out!(
        "call {}  [{}]  station {}  taker {}",
        c.id,
        c.state.as_str(),
        c.station_id,
        c.taker_id
    );
    out!(
        "  caller     {}",
        if c.caller_number.is_empty() {
            "-"
        } else {
            &c.caller_number
        }
    );
    out!("  rang       {}", local(c.ring_at));
    out!("  answered   {}", opt(c.answered_at));
    if let Some(a) = c.answered_at {
        out!(
            "  to answer  {:.1} s",
            (a - c.ring_at).num_milliseconds() as f64 / 1000.0
        );
    }
    if let Some(t) = c.ring_timing() {
        let onsets: Vec<String> = c
            .rings
            .iter()
            .map(|r| local(r.onset)[11..].to_string())
            .collect();
        out!(
            "  rings      {} before the answer{} [{}]",
            t.rings_before_answer,
            if t.compliant {
                ", within three"
            } else {
                ", MORE THAN THREE"
            },
            onsets.join(" ")
        );
    }
    if c.missed {
        out!("  missed     nobody answered");
    }
    out!("  greeting   {} ({})", opt(c.greeting_at), c.greeting_text);
    out!(
        "  closed     {}  disposition {}",
        opt(c.closed_at),
        c.disposition.map_or("-", |d| d.as_str())
    );
    out!("  checklist  {}/{}", v.elements_done, v.elements_total);
    for e in &c.elements {
        out!(
            "    {:<8} {:<15} {}",
            e.key.as_str(),
            e.state.as_str(),
            e.value.replace('\n', " / ")
        );
    }
    for s in &c.situations {
        out!("  situation  {} at {}", s.kind.as_str(), local(s.at));
    }
    if let Some(r) = c.repeat_of {
        out!("  repeats    call {r}");
    }
    for u in &c.urges {
        out!("  urged by   call {} at {}", u.by_call_id, local(u.at));
    }
    for r in &c.referrals {
        out!("  referred   {} {}", r.department, r.phone);
    }
    if let Some(cp) = &c.complaint {
        out!(
            "  complaint  {} / {} / {} / {} / about: {} / {}",
            cp.name,
            cp.phone,
            cp.address,
            cp.work_unit,
            cp.subject,
            cp.what_happened
        );
    }
    if !c.missing_at_close.is_empty() {
        let m: Vec<&str> = c.missing_at_close.iter().map(|k| k.as_str()).collect();
        out!("  missing    {}", m.join(", "));
    }
    if !c.notes.is_empty() {
        out!("  notes      {}", c.notes.replace('\n', " / "));
    }
    for s in &v.speech {
        let g = &s.suggestions;
        let offers: Vec<String> = [
            ("phone", &g.phone),
            ("plate", &g.plate),
            ("when", &g.when),
            ("where", &g.place),
            ("injury", &g.injury),
            ("weapon", &g.weapon),
            ("situation", &g.situation),
        ]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k} {}", v.join(", ")))
        .collect();
        out!(
            "  heard      {}  {}{}{}",
            &local(s.start_at)[11..],
            s.text,
            if s.greeting { "  [greeting]" } else { "" },
            if offers.is_empty() {
                String::new()
            } else {
                format!("  -> {}", offers.join(" · "))
            }
        );
    }
    if c.state != CallState::Closed {
        out!("  (call is still open)");
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("jiejing: {e:#}");
            if e.downcast_ref::<Usage>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}
