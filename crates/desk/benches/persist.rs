//! How long one field change takes to reach the disk, as the app does it.
//!
//! Three rows in one run, so the numbers explain each other:
//! - `desk.set_element`: the app's path (find the open call, apply the
//!   rule, save the whole call in one transaction, build the view).
//! - `store.save_calls`: the whole-call save alone.
//! - `raw UPDATE` (floor): one parameterised UPDATE of one row, same
//!   pragmas: the cost of a durable SQLite commit on this disk.
//!
//! Run: `cargo bench -p jiejing-desk --bench persist`. Prints p50/p90/p99/max.

use std::sync::Arc;
use std::time::{Duration, Instant};

use jiejing_core::{AnswerSource, Call, ElementKey, SystemClock};
use jiejing_desk::Desk;
use jiejing_store::Store;

const N: usize = 2000;

fn report(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let q =
        |p: f64| samples[((samples.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1e3;
    println!(
        "{name:<22} n={:<5} p50={:>7.3} ms  p90={:>7.3} ms  p99={:>7.3} ms  max={:>7.3} ms",
        samples.len(),
        q(0.5),
        q(0.9),
        q(0.99),
        q(1.0)
    );
}

fn time(mut f: impl FnMut(usize)) -> Vec<Duration> {
    for i in 0..50 {
        f(i); // warm up caches and the WAL
    }
    (0..N)
        .map(|i| {
            let t = Instant::now();
            f(i);
            t.elapsed()
        })
        .collect()
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    println!(
        "persisting one field change, synchronous=FULL, WAL, on {}",
        dir.path().display()
    );

    let mut desk = Desk::open(&dir.path().join("desk"), Arc::new(SystemClock)).unwrap();
    desk.act_as_admin("bench");
    desk.ring(AnswerSource::Manual).unwrap();
    desk.answer(AnswerSource::Manual).unwrap();
    report(
        "desk.set_element",
        time(|i| {
            desk.set_element(ElementKey::ALL[i % 8], &format!("红梅新村{i}幢，两人打架"))
                .unwrap();
        }),
    );

    let mut store = Store::open(&dir.path().join("store.sqlite3")).unwrap();
    let mut call = Call::ring(
        chrono::Utc::now(),
        AnswerSource::Manual,
        "0001",
        "110",
        "你好，常州110",
    );
    store.insert_call(&mut call).unwrap();
    call.answer(chrono::Utc::now(), AnswerSource::Manual)
        .unwrap();
    report(
        "store.save_calls",
        time(|i| {
            call.set_element(
                ElementKey::ALL[i % 8],
                &format!("红梅新村{i}幢，两人打架"),
                chrono::Utc::now(),
            )
            .unwrap();
            store.save_calls(&[&call]).unwrap();
        }),
    );
    drop(store);

    // Same pragmas as Store::open, on the same schema.
    let conn = rusqlite::Connection::open(dir.path().join("store.sqlite3")).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "synchronous", "FULL").unwrap();
    report(
        "raw UPDATE (floor)",
        time(|i| {
            conn.execute(
                "UPDATE call_elements SET value = ?1 WHERE call_id = ?2 AND element = 'what'",
                rusqlite::params![format!("v{i}"), call.id],
            )
            .unwrap();
        }),
    );
}
