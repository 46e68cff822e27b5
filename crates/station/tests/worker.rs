//! The app's station worker at exit (issue #16): what the desk queued just
//! before the app closed reaches the station, the thread ends, and a
//! station that is gone does not hold the exit.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use jiejing_core::{AnswerSource, Disposition, SystemClock};
use jiejing_desk::paths::open_store;
use jiejing_desk::Desk;
use jiejing_pgtest::TempPg;
use jiejing_station::{Station, Worker};

fn close_a_call(desk: &mut Desk) -> jiejing_core::CallId {
    desk.ring(AnswerSource::Manual).unwrap();
    desk.answer(AnswerSource::Manual).unwrap();
    desk.close(Disposition::Other, true).unwrap().call.id
}

#[test]
fn the_queue_is_shipped_at_exit_and_the_thread_ends() {
    let pg = TempPg::start();
    let url = pg.url();
    Station::init(&url).unwrap();
    let dir = tempfile::tempdir().unwrap();
    jiejing_station::join(&mut open_store(dir.path()).unwrap(), &url, "A", Utc::now()).unwrap();
    let seat = dir.path().to_path_buf();
    let worker = Worker::spawn(Box::new(move || open_store(&seat)), Arc::new(SystemClock));
    let mut desk = Desk::open(dir.path(), Arc::new(SystemClock)).unwrap();
    desk.act_as_admin("test");
    let t = Instant::now();
    while !worker.status().online {
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "{:?}",
            worker.status()
        );
        std::thread::sleep(Duration::from_millis(20));
    }

    let id = close_a_call(&mut desk);
    assert!(worker.stop(Duration::from_secs(10)), "the thread ended");
    let mut station = Station::connect(&url).unwrap();
    let shipped = station.call("A", id).unwrap();
    assert!(
        shipped.is_some_and(|c| c.call.closed_at.is_some()),
        "closed before exit, at the station"
    );

    // Stopped means stopped: a later call stays queued for the next start.
    let later = close_a_call(&mut desk);
    std::thread::sleep(Duration::from_secs(1));
    assert!(station.call("A", later).unwrap().is_none());
    assert!(
        worker.stop(Duration::from_secs(1)),
        "a second stop is a no-op"
    );

    // With the station gone, the exit is not held up by it.
    pg.stop();
    let seat = dir.path().to_path_buf();
    let worker = Worker::spawn(Box::new(move || open_store(&seat)), Arc::new(SystemClock));
    std::thread::sleep(Duration::from_millis(600));
    assert!(!worker.status().online);
    assert!(worker.stop(Duration::from_secs(3)), "ended within 3 s");
    let queued = open_store(dir.path()).unwrap().outbox_len().unwrap();
    assert!(queued > 0, "kept for the next start");
}
