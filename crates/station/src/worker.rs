//! The background worker that ships a desk's outbox: its own SQLite
//! connection (the desk never waits on the network), a check of the queue
//! four times a second so a closed call is at the station well within a
//! second, and a retry every few seconds while the station is away. The app
//! starts it and shows [`Worker::status`]; nothing else.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jiejing_core::Clock;
use jiejing_desk::StationStatus;
use jiejing_store::Store;

use crate::{redact, sync, Station};

/// How often the queue is looked at.
const TICK: Duration = Duration::from_millis(250);
/// How often an idle link is proved, and a lost station retried.
const PROBE: Duration = Duration::from_secs(5);

pub struct Worker {
    status: Arc<Mutex<StationStatus>>,
    stop: Arc<AtomicBool>,
}

fn locked<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Worker {
    /// Starts the worker on the desk's database, opened by `open` (which
    /// knows where its key is); tried again while it fails.
    pub fn spawn(open: Opener, clock: Arc<dyn Clock>) -> Worker {
        let status = Arc::new(Mutex::new(StationStatus::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let (st, sp) = (status.clone(), stop.clone());
        std::thread::Builder::new()
            .name("jiejing-station".into())
            .spawn(move || run(&open, clock.as_ref(), &st, &sp))
            .expect("spawn the station thread");
        Worker { status, stop }
    }

    pub fn status(&self) -> StationStatus {
        locked(&self.status).clone()
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Opens the desk's database for the worker.
pub type Opener = Box<dyn Fn() -> Result<Store, jiejing_store::StoreError> + Send>;

fn run(open: &Opener, clock: &dyn Clock, status: &Mutex<StationStatus>, stop: &AtomicBool) {
    let mut store: Option<Store> = None;
    let mut station: Option<Station> = None;
    let mut last_contact: Option<Instant> = None;
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(TICK);
        if store.is_none() {
            match open() {
                Ok(s) => store = Some(s),
                Err(e) => {
                    locked(status).error = format!("cannot open the desk database: {e}");
                    std::thread::sleep(PROBE);
                    continue;
                }
            }
        }
        let Some(st) = store.as_mut() else { continue };
        let (link, backlog) = match (st.station_link(), st.outbox_len()) {
            (Ok(l), Ok(b)) => (l, b),
            (Err(e), _) | (_, Err(e)) => {
                locked(status).error = e.to_string();
                continue;
            }
        };
        let Some(link) = link else {
            *locked(status) = StationStatus::default();
            station = None;
            continue;
        };
        let due = last_contact.is_none_or(|t| t.elapsed() >= PROBE);
        if backlog == 0 && !due {
            locked(status).backlog = 0;
            continue;
        }
        if station.is_none() && due {
            last_contact = Some(Instant::now());
            match Station::connect(&link.url) {
                Ok(s) => station = Some(s),
                Err(e) => {
                    let _ = st.station_failed(&e.to_string(), clock.now());
                }
            }
        }
        if let Some(s) = station.as_mut() {
            last_contact = Some(Instant::now());
            if sync(st, s, clock).is_err() {
                station = None;
            }
        }
        let link = st.station_link().ok().flatten().unwrap_or(link);
        *locked(status) = StationStatus {
            joined: true,
            seat: link.seat.clone(),
            url: redact(&link.url),
            online: station.is_some(),
            backlog: st.outbox_len().unwrap_or(backlog),
            last_sync_at: link.last_sync_at,
            offline_since: link.offline_since,
            error: link.last_error.clone(),
        };
    }
}
