//! The station: many desks joined into one record on PostgreSQL (issue #12).
//!
//! Every change is committed to the desk's SQLite first and queued there
//! (`jiejing_store`'s outbox) in the same transaction. [`sync`] ships the
//! queue in order, in batches, each batch one PostgreSQL transaction of
//! idempotent upserts keyed by (seat, the desk's own id): delivery is at
//! least once, the effect exactly once. [`Station`] is also what a joined
//! desk reads across seats: repeat callers, the call list.
//!
//! No server protocol of our own: the desk speaks PostgreSQL's.

mod accounts;
mod audit;
mod bulk;
mod corrections;
mod error;
mod followups;
mod link;
mod log;
mod push;
mod query;
mod recordings;
mod report;
mod reviews;
mod sample;
mod schema;
mod seats;
mod worker;

use std::time::Duration;

use chrono::{DateTime, Utc};
use jiejing_store::{StationLink, Store};
use postgres::config::SslMode;
use postgres::{Client, Config, NoTls};

pub use error::StationError;
pub use followups::{Conflict, SeatFollowUp};
pub use link::{DeskLink, LeadSession, LEAD_ONLY};
pub use push::{sync, Pushed};
pub use query::{SeatCall, StationCall};
pub use worker::Worker;

/// How long a desk waits for the station before it counts as offline: the
/// desk keeps working either way, this only bounds how stale the header is.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// A connection to the station's database.
pub struct Station {
    client: Client,
    url: String,
}

/// The URL with any password replaced, for screens and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let userinfo = &url[s + 3..at];
            match userinfo.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &userinfo[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

impl Station {
    /// Connects without looking at the schema (`init` makes it).
    ///
    /// # Errors
    /// [`StationError::BadUrl`], [`StationError::Unreachable`].
    pub fn connect_raw(url: &str) -> Result<Station, StationError> {
        let mut config: Config =
            url.parse()
                .map_err(|e: postgres::Error| StationError::BadUrl {
                    url: redact(url),
                    why: e.to_string(),
                })?;
        config.connect_timeout(CONNECT_TIMEOUT);
        if config.get_application_name().is_none() {
            config.application_name("jiejing");
        }
        let unreachable = |e: &dyn std::fmt::Display| StationError::Unreachable {
            url: redact(url),
            why: e.to_string(),
        };
        // `sslmode=require` in the URL: TLS, the server's certificate checked
        // against the system's trusted ones (a station's own CA goes in
        // /usr/local/share/ca-certificates). The default, `prefer`, uses TLS
        // when the server offers it, as PostgreSQL's own tools do.
        let client = match config.get_ssl_mode() {
            SslMode::Disable => config.connect(NoTls),
            _ => {
                let tls = native_tls::TlsConnector::new().map_err(|e| unreachable(&e))?;
                config.connect(postgres_native_tls::MakeTlsConnector::new(tls))
            }
        }
        .map_err(|e| unreachable(&tls_why(&e)))?;
        Ok(Station {
            client,
            url: url.to_string(),
        })
    }

    /// Connects and checks that the schema is the one this desk knows.
    ///
    /// # Errors
    /// As [`Station::connect_raw`]; the schema errors.
    pub fn connect(url: &str) -> Result<Station, StationError> {
        let mut s = Station::connect_raw(url)?;
        schema::check(&mut s.client, &redact(url))?;
        Ok(s)
    }

    /// `jiejing station init`: creates or migrates the schema. Returns the
    /// version before and after.
    ///
    /// # Errors
    /// Connection and database errors; [`StationError::SchemaNewer`].
    pub fn init(url: &str) -> Result<(i32, i32), StationError> {
        let mut s = Station::connect_raw(url)?;
        schema::migrate(&mut s.client)
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// Whether the connection still answers.
    pub fn is_alive(&mut self) -> bool {
        self.client.is_valid(CONNECT_TIMEOUT).is_ok()
    }

    pub(crate) fn client(&mut self) -> &mut Client {
        &mut self.client
    }
}

/// The driver's error with its cause: "error performing TLS handshake"
/// alone does not say that the certificate was not trusted.
fn tls_why(e: &postgres::Error) -> String {
    let mut why = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        why = format!("{why}: {s}");
        source = s.source();
    }
    why
}

/// A new random desk id (128 bits, hex).
fn new_desk_id() -> Result<String, StationError> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(|e| StationError::Db(format!("no randomness: {e}")))?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

/// `jiejing station leave`: the desk is on its own again. Refused while
/// changes are still queued, unless `force` (they never reach the station
/// then). Returns the link it had.
///
/// # Errors
/// [`StationError::NotJoined`], [`StationError::Backlog`], storage errors.
pub fn leave(store: &mut Store, force: bool) -> Result<StationLink, StationError> {
    let link = store.station_link()?.ok_or(StationError::NotJoined)?;
    let n = store.outbox_len()?;
    if n > 0 && !force {
        return Err(StationError::Backlog { n });
    }
    store.leave_station()?;
    Ok(link)
}

/// `jiejing station join`: claims `seat` at the station for this desk
/// (refused if another desk holds it) and queues this desk's existing calls
/// and audit trail. Returns how many records were queued.
///
/// # Errors
/// Connection, schema and seat errors; the desk is not joined then.
pub fn join(
    store: &mut Store,
    url: &str,
    seat: &str,
    now: DateTime<Utc>,
) -> Result<u64, StationError> {
    let seat = seat.trim();
    if seat.is_empty() || seat.len() > 64 {
        return Err(StationError::BadSeat { seat: seat.into() });
    }
    // Exercises on a set clock never reach the station's real records.
    if store.training()? {
        return Err(StationError::Training);
    }
    let desk_id = match store.station_link()? {
        Some(l) if l.seat == seat => l.desk_id,
        _ => new_desk_id()?,
    };
    let mut st = Station::connect(url)?;
    let holder: Option<String> = st
        .client
        .query_opt(push::CLAIM_SEAT, &[&seat, &desk_id])?
        .map(|r| r.get(0));
    if holder.as_deref() != Some(desk_id.as_str()) {
        return Err(StationError::SeatTaken { seat: seat.into() });
    }
    let link = StationLink {
        url: url.into(),
        seat: seat.into(),
        desk_id,
        joined_at: now,
        last_sync_at: None,
        offline_since: None,
        last_error: String::new(),
    };
    Ok(store.join_station(&link)?)
}
