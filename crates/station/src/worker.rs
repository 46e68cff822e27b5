//! The background worker that ships a desk's outbox: its own SQLite
//! connection (the desk never waits on the network), a check of the queue
//! four times a second so a closed call is at the station well within a
//! second, and a retry every few seconds while the station is away. The app
//! starts it, shows [`Worker::status`], and at exit [`Worker::stop`]s it:
//! what was queued by then is shipped if the station is there, and the
//! thread's last transaction ends before the process does.

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
    thread: Mutex<Option<std::thread::JoinHandle<()>>>,
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
        let thread = std::thread::Builder::new()
            .name("jiejing-station".into())
            .spawn(move || run(&open, clock.as_ref(), &st, &sp))
            .expect("spawn the station thread");
        Worker {
            status,
            stop,
            thread: Mutex::new(Some(thread)),
        }
    }

    pub fn status(&self) -> StationStatus {
        locked(&self.status).clone()
    }

    /// Asks the worker to ship what is queued, if the station is there,
    /// and end; waits for it up to `within` (a station that hangs does not
    /// hold the app open: what was not shipped stays queued for the next
    /// start). True when it ended in time.
    pub fn stop(&self, within: Duration) -> bool {
        self.stop.store(true, Ordering::Relaxed);
        let Some(thread) = locked(&self.thread).take() else {
            return true;
        };
        let deadline = Instant::now() + within;
        while !thread.is_finished() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        thread.is_finished() && thread.join().is_ok()
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
    let mut link = Link::default();
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(TICK);
        link.round(open, clock, status);
    }
    // Asked to stop: one last round ships what the desk queued just before
    // it closed, to a station already connected (a new connection could
    // hang the exit).
    if link.station.is_some() {
        link.round(open, clock, status);
    }
}

/// What the worker holds between rounds.
#[derive(Default)]
struct Link {
    store: Option<Store>,
    station: Option<Station>,
    last_contact: Option<Instant>,
}

impl Link {
    /// One look at the queue: ships it when there is one, proves an idle
    /// link, and retries a lost station, each as due.
    fn round(&mut self, open: &Opener, clock: &dyn Clock, status: &Mutex<StationStatus>) {
        if self.store.is_none() {
            match open() {
                Ok(s) => self.store = Some(s),
                Err(e) => {
                    locked(status).error = format!("cannot open the desk database: {e}");
                    std::thread::sleep(PROBE);
                    return;
                }
            }
        }
        let Some(st) = self.store.as_mut() else {
            return;
        };
        let (link, backlog) = match (st.station_link(), st.outbox_len()) {
            (Ok(l), Ok(b)) => (l, b),
            (Err(e), _) | (_, Err(e)) => {
                locked(status).error = e.to_string();
                return;
            }
        };
        let Some(link) = link else {
            *locked(status) = StationStatus::default();
            self.station = None;
            return;
        };
        let due = self.last_contact.is_none_or(|t| t.elapsed() >= PROBE);
        if backlog == 0 && !due {
            locked(status).backlog = 0;
            return;
        }
        if self.station.is_none() && due {
            self.last_contact = Some(Instant::now());
            match Station::connect(&link.url) {
                Ok(s) => self.station = Some(s),
                Err(e) => {
                    let _ = st.station_failed(&e.to_string(), clock.now());
                }
            }
        }
        if let Some(s) = self.station.as_mut() {
            self.last_contact = Some(Instant::now());
            if sync(st, s, clock).is_err() {
                self.station = None;
            }
        }
        let link = st.station_link().ok().flatten().unwrap_or(link);
        *locked(status) = StationStatus {
            joined: true,
            seat: link.seat.clone(),
            url: redact(&link.url),
            online: self.station.is_some(),
            backlog: st.outbox_len().unwrap_or(backlog),
            last_sync_at: link.last_sync_at,
            offline_since: link.offline_since,
            error: link.last_error.clone(),
        };
    }
}
