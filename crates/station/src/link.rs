//! [`DeskLink`]: the desk's reads across seats, over PostgreSQL. The desk
//! asks during a call, so this never makes it wait long: the connection
//! lives on a thread of its own (the blocking client must not run on the
//! app's async runtime, and a hung server must not hold the desk), an
//! answer later than [`LOOKUP_TIMEOUT`] is not waited for, and a lost
//! station is retried at most every [`RETRY`]. Meanwhile the desk answers
//! from its own calls.

use std::sync::mpsc::{self, Sender};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use jiejing_core::{Call, CallId};
use jiejing_store::StationLink;

use crate::Station;

/// A lookup slower than this counts as the station being unavailable.
pub const LOOKUP_TIMEOUT: Duration = Duration::from_millis(1000);
/// How often a desk tries to reach a station it lost.
pub const RETRY: Duration = Duration::from_secs(10);

type Answer = Result<Option<(String, Call)>, String>;

struct Lookup {
    number: String,
    since: DateTime<Utc>,
    id: CallId,
    reply: Sender<Answer>,
}

pub struct DeskLink {
    seat: String,
    requests: Sender<Lookup>,
}

impl DeskLink {
    pub fn new(link: &StationLink) -> DeskLink {
        let (requests, rx) = mpsc::channel::<Lookup>();
        let (url, seat) = (link.url.clone(), link.seat.clone());
        std::thread::Builder::new()
            .name("jiejing-station-reads".into())
            .spawn(move || serve(&url, &seat, &rx))
            .expect("spawn the station reader");
        DeskLink {
            seat: link.seat.clone(),
            requests,
        }
    }
}

/// Answers lookups in order on one connection, reconnecting when lost.
fn serve(url: &str, seat: &str, rx: &mpsc::Receiver<Lookup>) {
    let connect = || {
        Station::connect(url)
            .and_then(|mut s| {
                let ms = LOOKUP_TIMEOUT.as_millis();
                s.client().batch_execute(&format!("SET statement_timeout = {ms}"))?;
                Ok(s)
            })
            .map_err(|e| eprintln!("jiejing: station reads: {e}"))
            .ok()
    };
    // Connected before the first caller's number is typed.
    let mut last_try = Some(Instant::now());
    let mut station = connect();
    for q in rx {
        if station.is_none() && last_try.is_none_or(|t| t.elapsed() >= RETRY) {
            last_try = Some(Instant::now());
            station = connect();
        }
        let answer = match station.as_mut() {
            None => Err("station offline (retrying)".to_string()),
            Some(s) => match s.latest_from_number(&q.number, q.since, seat, q.id) {
                Ok(c) => Ok(c.map(|c| (c.seat, c.call))),
                Err(e) => {
                    // Whatever broke, the next lookup starts from a new connection.
                    station = None;
                    last_try = None;
                    Err(e.to_string())
                }
            },
        };
        // The desk may have stopped waiting: nothing to do then.
        let _ = q.reply.send(answer);
    }
}

impl jiejing_desk::StationLink for DeskLink {
    fn seat(&self) -> &str {
        &self.seat
    }

    fn latest_from_number(&mut self, number: &str, since: DateTime<Utc>, id: CallId) -> Answer {
        let (reply, answer) = mpsc::channel();
        let q = Lookup {
            number: number.into(),
            since,
            id,
            reply,
        };
        self.requests.send(q).map_err(|_| "the station reader stopped".to_string())?;
        // Connecting may take up to the connect timeout once; the lookup
        // itself is cut off by the server after LOOKUP_TIMEOUT.
        answer
            .recv_timeout(LOOKUP_TIMEOUT * 2)
            .map_err(|_| "the station did not answer in time".to_string())?
    }
}
