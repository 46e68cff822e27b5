//! [`DeskLink`]: the desk's reads across seats, over PostgreSQL. The desk
//! asks during a call, so this never makes it wait long: the connection
//! lives on a thread of its own (the blocking client must not run on the
//! app's async runtime, and a hung server must not hold the desk), an
//! answer later than [`LOOKUP_TIMEOUT`] is not waited for, and a lost
//! station is retried at most every [`RETRY`]. Meanwhile the desk answers
//! from its own calls.

use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use jiejing_core::{Call, CallId, FollowUp, FollowUpId, SpeechSegment, User};
use jiejing_desk::{SeatRecording, StationSignIn};
use jiejing_store::{AuditEntry, LogCursor, LogFilter, LogRow, Report, Review, Scope, StationLink};

use crate::{Station, StationError};

/// A lookup slower than this counts as the station being unavailable.
pub const LOOKUP_TIMEOUT: Duration = Duration::from_millis(1000);
/// How often a desk tries to reach a station it lost.
pub const RETRY: Duration = Duration::from_secs(10);

/// One read, run on the reader thread with its connection (`None` while
/// the station is offline). It sends its own answer and returns whether
/// the read failed, after which the connection is not trusted.
type Job = Box<dyn FnOnce(Option<&mut Station>) -> bool + Send>;

pub struct DeskLink {
    seat: String,
    jobs: Sender<Job>,
    /// The signed-in lead's session token, carried again after a reconnect.
    lead: Arc<Mutex<Option<String>>>,
    /// Set when the link is dropped; the reader ends at its next job.
    stop: Arc<std::sync::atomic::AtomicBool>,
    /// Told when the reader thread has ended (see `Drop`).
    ended: mpsc::Receiver<()>,
}

/// How long a dropped link waits for its reader to finish what it is doing.
const WIND_DOWN: Duration = Duration::from_secs(3);

/// A dropped link stops its reader and waits for it: a process that exits
/// while the reader is setting up TLS tears OpenSSL down under it (its exit
/// handlers, which SQLCipher registers), and the CLI crashed on the way out
/// of a command that had already done its work.
impl Drop for DeskLink {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        // Wakes the reader, which sees `stop` before running it.
        let _ = self.jobs.send(Box::new(|_| false));
        let _ = self.ended.recv_timeout(WIND_DOWN);
    }
}

/// What a seat's login without a lead signed in is told by this link
/// rather than be shown its own rows as if they were every seat's.
pub const LEAD_ONLY: &str = "only a shift lead signed in at this seat reads other seats' calls";

/// A handle on a [`DeskLink`]'s lead session, for a read of the station
/// made on a connection of its own (the CLI's `calls list`).
#[derive(Clone)]
pub struct LeadSession(Arc<Mutex<Option<String>>>);

impl LeadSession {
    /// The session's token while a lead is signed in.
    pub fn token(&self) -> Option<String> {
        self.0.lock().ok().and_then(|t| t.clone())
    }
}

impl DeskLink {
    pub fn new(link: &StationLink) -> DeskLink {
        let (jobs, rx) = mpsc::channel::<Job>();
        let url = link.url.clone();
        let lead = Arc::new(Mutex::new(None));
        let carried = Arc::clone(&lead);
        let (end, ended) = mpsc::channel();
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        std::thread::Builder::new()
            .name("jiejing-station-reads".into())
            .spawn(move || {
                serve(&url, &rx, &carried, &stopped);
                let _ = end.send(());
            })
            .expect("spawn the station reader");
        DeskLink {
            seat: link.seat.clone(),
            jobs,
            lead,
            stop,
            ended,
        }
    }

    /// The lead session this link carries (none until a lead signs in).
    pub fn session(&self) -> LeadSession {
        LeadSession(Arc::clone(&self.lead))
    }

    /// As [`DeskLink::ask`], for a read of other seats' calls: refused
    /// unless this connection reads every seat (the server would answer
    /// with this seat's rows only).
    fn ask_across<T: Send + 'static>(
        &self,
        read: impl FnOnce(&mut Station) -> Result<T, StationError> + Send + 'static,
    ) -> Result<T, String> {
        self.ask(move |s| match s.reads_all()? {
            true => read(s).map(Ok),
            false => Ok(Err(LEAD_ONLY.to_string())),
        })?
    }

    /// Runs `read` on the reader thread and waits for its answer, at most
    /// twice [`LOOKUP_TIMEOUT`] (connecting may take up to the connect
    /// timeout once; the read itself is cut off by the server).
    fn ask<T: Send + 'static>(
        &self,
        read: impl FnOnce(&mut Station) -> Result<T, StationError> + Send + 'static,
    ) -> Result<T, String> {
        let (reply, answer) = mpsc::channel();
        let job: Job = Box::new(move |station| {
            let result = match station {
                None => Err(None),
                Some(s) => read(s).map_err(Some),
            };
            let failed = matches!(result, Err(Some(_)));
            let answer = result.map_err(|e| {
                e.map_or_else(
                    || "station offline (retrying)".to_string(),
                    |e| e.to_string(),
                )
            });
            // The desk may have stopped waiting: nothing to do then.
            let _ = reply.send(answer);
            failed
        });
        self.jobs
            .send(job)
            .map_err(|_| "the station reader stopped".to_string())?;
        answer
            .recv_timeout(LOOKUP_TIMEOUT * 2)
            .map_err(|_| "the station did not answer in time".to_string())?
    }
}

/// Runs reads in order on one connection, reconnecting when lost.
fn serve(
    url: &str,
    rx: &mpsc::Receiver<Job>,
    lead: &Mutex<Option<String>>,
    stop: &std::sync::atomic::AtomicBool,
) {
    let connect = || {
        Station::connect(url)
            .and_then(|mut s| {
                let ms = LOOKUP_TIMEOUT.as_millis();
                s.client()
                    .batch_execute(&format!("SET statement_timeout = {ms}"))?;
                let token = lead.lock().map(|t| t.clone()).unwrap_or_default();
                if let Some(t) = token {
                    s.carry_lead(&t)?;
                }
                Ok(s)
            })
            .map_err(|e| eprintln!("jiejing: station reads: {e}"))
            .ok()
    };
    // Connected before the first caller's number is typed.
    let mut last_try = Some(Instant::now());
    let mut station = connect();
    for job in rx {
        if stop.load(std::sync::atomic::Ordering::Relaxed) {
            break;
        }
        if station.is_none() && last_try.is_none_or(|t| t.elapsed() >= RETRY) {
            last_try = Some(Instant::now());
            station = connect();
        }
        if job(station.as_mut()) {
            // Whatever broke, the next read starts from a new connection.
            station = None;
            last_try = None;
        }
    }
}

/// A scope the reader thread can own (a [`Scope`] borrows its taker).
struct OwnedScope {
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    taker: Option<String>,
    shift: Option<(u32, u32)>,
    offset_min: i32,
}

impl OwnedScope {
    fn of(s: &Scope<'_>) -> Self {
        OwnedScope {
            from: s.from,
            to: s.to,
            taker: s.taker.map(str::to_string),
            shift: s.shift,
            offset_min: s.offset_min,
        }
    }

    fn scope(&self) -> Scope<'_> {
        Scope {
            from: self.from,
            to: self.to,
            taker: self.taker.as_deref(),
            shift: self.shift,
            offset_min: self.offset_min,
        }
    }
}

impl jiejing_desk::StationLink for DeskLink {
    fn seat(&self) -> &str {
        &self.seat
    }

    fn latest_from_number(
        &mut self,
        number: &str,
        since: DateTime<Utc>,
        id: CallId,
    ) -> Result<Option<(String, Call)>, String> {
        let (number, seat) = (number.to_string(), self.seat.clone());
        self.ask(move |s| {
            Ok(s.latest_from_number(&number, since, &seat, id)?
                .map(|c| (c.seat, c.call)))
        })
    }

    fn followups(&mut self, open_only: bool) -> Result<Vec<(String, FollowUp)>, String> {
        self.ask(move |s| {
            Ok(s.followups(open_only)?
                .into_iter()
                .map(|f| (f.seat, f.followup))
                .collect())
        })
    }

    fn report(&mut self, scope: &Scope<'_>, now: DateTime<Utc>) -> Result<Report, String> {
        let scope = OwnedScope::of(scope);
        self.ask_across(move |s| {
            let scope = scope.scope();
            s.report(&scope, now)
        })
    }

    fn log(
        &mut self,
        scope: &Scope<'_>,
        filter: &LogFilter,
        after: Option<&LogCursor>,
        limit: u32,
        now: DateTime<Utc>,
    ) -> Result<Vec<LogRow>, String> {
        let scope = OwnedScope::of(scope);
        let (filter, after) = (filter.clone(), after.cloned());
        self.ask_across(move |s| {
            let scope = scope.scope();
            s.log(&scope, &filter, after.as_ref(), limit, now)
        })
    }

    fn audit_of_call(&mut self, seat: &str, id: CallId) -> Result<Vec<AuditEntry>, String> {
        let seat = seat.to_string();
        self.ask_across(move |s| s.audit_of_call(&seat, id))
    }

    fn speech(&mut self, seat: &str, id: CallId) -> Result<Vec<SpeechSegment>, String> {
        let seat = seat.to_string();
        self.ask_across(move |s| s.speech(&seat, id))
    }

    fn recording(&mut self, seat: &str, id: CallId) -> Result<Option<SeatRecording>, String> {
        let seat = seat.to_string();
        self.ask_across(move |s| s.recording(&seat, id))
    }

    fn review(&mut self, seat: &str, id: CallId) -> Result<Option<Review>, String> {
        let seat = seat.to_string();
        self.ask_across(move |s| s.review_of(&seat, id))
    }

    fn draw_sample(
        &mut self,
        scope: &Scope<'_>,
        pct: f64,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<(u64, u64), String> {
        let scope = OwnedScope::of(scope);
        let (seat, actor) = (self.seat.clone(), actor.to_string());
        self.ask_across(move |s| {
            let scope = scope.scope();
            s.draw_sample(&scope, pct, &seat, &actor, now)
        })
    }

    fn conflicts(&mut self) -> Result<Vec<jiejing_desk::Conflict>, String> {
        self.ask_across(|s| s.conflicts())
    }

    fn sign_in(&mut self, id: &str, pin: &str) -> Result<Option<StationSignIn>, String> {
        let (id, pin) = (id.to_string(), pin.to_string());
        let lead = Arc::clone(&self.lead);
        self.ask(move |s| {
            let answer = s.sign_in(&id, &pin)?;
            let token = answer.as_ref().and_then(|(_, t)| t.clone());
            if let Ok(mut held) = lead.lock() {
                *held = token;
            }
            Ok(answer.map(|(a, _)| a))
        })
    }

    fn sign_out(&mut self) {
        let lead = Arc::clone(&self.lead);
        // Dropped here at once; the server's copy ends with the read.
        if let Ok(mut held) = lead.lock() {
            *held = None;
        }
        if let Err(e) = self.ask(|s| s.sign_out()) {
            eprintln!("jiejing: signing out at the station: {e} (the session ends by itself)");
        }
    }

    fn accounts(&mut self) -> Result<Vec<User>, String> {
        self.ask(|s| s.accounts())
    }

    fn call(&mut self, seat: &str, id: CallId) -> Result<Option<Call>, String> {
        let seat = seat.to_string();
        self.ask_across(move |s| s.call_as_held(&seat, id))
    }

    fn followup(&mut self, seat: &str, id: FollowUpId) -> Result<Option<FollowUp>, String> {
        let seat = seat.to_string();
        self.ask(move |s| Ok(s.followup(&seat, id)?.map(|f| f.followup)))
    }
}
