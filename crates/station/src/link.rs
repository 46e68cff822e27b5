//! [`DeskLink`]: the desk's reads across seats, over PostgreSQL. The desk
//! asks during a call, so this never makes it wait long: a lost station is
//! retried at most every [`RETRY`], a lookup is cut off after
//! [`LOOKUP_TIMEOUT`], and in between the desk answers from its own calls.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use jiejing_core::{Call, CallId};
use jiejing_store::StationLink;

use crate::Station;

/// A lookup slower than this counts as the station being unavailable.
pub const LOOKUP_TIMEOUT: Duration = Duration::from_millis(1000);
/// How often a desk tries to reach a station it lost.
pub const RETRY: Duration = Duration::from_secs(10);

pub struct DeskLink {
    url: String,
    seat: String,
    station: Option<Station>,
    last_try: Option<Instant>,
}

impl DeskLink {
    pub fn new(link: &StationLink) -> DeskLink {
        DeskLink {
            url: link.url.clone(),
            seat: link.seat.clone(),
            station: None,
            last_try: None,
        }
    }

    fn station(&mut self) -> Result<&mut Station, String> {
        if self.station.is_none() {
            if self.last_try.is_some_and(|t| t.elapsed() < RETRY) {
                return Err("station offline (retrying)".into());
            }
            self.last_try = Some(Instant::now());
            let mut s = Station::connect(&self.url).map_err(|e| e.to_string())?;
            let ms = LOOKUP_TIMEOUT.as_millis();
            s.client()
                .batch_execute(&format!("SET statement_timeout = {ms}"))
                .map_err(|e| e.to_string())?;
            self.station = Some(s);
        }
        self.station.as_mut().ok_or_else(|| "no station".to_string())
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
        let seat = self.seat.clone();
        let found = self.station()?.latest_from_number(number, since, &seat, id);
        match found {
            Ok(c) => Ok(c.map(|c| (c.seat, c.call))),
            Err(e) => {
                // Whatever broke, the next lookup starts from a new connection.
                self.station = None;
                Err(e.to_string())
            }
        }
    }
}
