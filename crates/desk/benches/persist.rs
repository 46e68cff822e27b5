//! How long one field change takes to reach the disk, as the app does it.
//!
//! Rows in one run, so the numbers explain each other:
//! - `desk.set_element`: the app's path (find the open call, apply the
//!   rule, save the whole call in one transaction, build the view).
//! - `store.save_calls`: the whole-call save alone, encrypted (SQLCipher,
//!   as the desk runs) and beside it the plaintext store (the peer).
//! - `raw UPDATE` (floor): one parameterised UPDATE of one row, same
//!   pragmas: the cost of a durable commit on this disk, both ways.
//! - the in-place encryption of an older desk's plaintext database.
//!
//! Run: `cargo bench -p jiejing-desk --bench persist`. Prints p50/p90/p99/max.

use std::sync::Arc;
use std::time::{Duration, Instant};

use jiejing_core::{AnswerSource, Call, ElementKey, SystemClock};
use jiejing_desk::Desk;
use jiejing_store::{DbKey, Store};

const N: usize = 2000;

fn report(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let q =
        |p: f64| samples[((samples.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1e3;
    println!(
        "{name:<28} n={:<5} p50={:>7.3} ms  p90={:>7.3} ms  p99={:>7.3} ms  max={:>7.3} ms",
        samples.len(),
        q(0.5),
        q(0.9),
        q(0.99),
        q(1.0)
    );
}

/// A call rung and answered now, not yet saved.
fn answered_call() -> Call {
    let mut c = Call::ring(
        chrono::Utc::now(),
        AnswerSource::Manual,
        "0001",
        "110",
        "你好，常州110",
    );
    c.answer(chrono::Utc::now(), AnswerSource::Manual).unwrap();
    c
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
    // The app's path: a signed-in call-taker, whose account every command
    // reads again (and whose idle lock it checks).
    desk.add_user("L1", "值班长", jiejing_core::Role::Lead, "246813")
        .unwrap();
    desk.sign_in("L1", "246813").unwrap();
    desk.add_user("T1", "接警员", jiejing_core::Role::Taker, "135792")
        .unwrap();
    desk.sign_in("T1", "135792").unwrap();
    desk.ring(AnswerSource::Manual).unwrap();
    desk.answer(AnswerSource::Manual).unwrap();
    report(
        "desk.set_element",
        time(|i| {
            desk.set_element(ElementKey::ALL[i % 8], &format!("红梅新村{i}幢，两人打架"))
                .unwrap();
        }),
    );

    let key = DbKey::generate().unwrap();
    for encrypted in [true, false] {
        let (path, label) = match encrypted {
            true => (dir.path().join("encrypted.sqlite3"), "encrypted"),
            false => (dir.path().join("plain.sqlite3"), "plaintext"),
        };
        let mut store = match encrypted {
            true => Store::open(&path, &key).unwrap(),
            false => Store::open_plaintext(&path).unwrap(),
        };
        let mut call = answered_call();
        store.insert_call(&mut call).unwrap();
        report(
            &format!("store.save_calls {label}"),
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

        // Same pragmas as the store, on the same schema.
        let conn = match encrypted {
            true => Store::connect(&path, &key).unwrap(),
            false => rusqlite::Connection::open(&path).unwrap(),
        };
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        conn.pragma_update(None, "synchronous", "FULL").unwrap();
        report(
            &format!("raw UPDATE {label}"),
            time(|i| {
                conn.execute(
                    "UPDATE call_elements SET value = ?1 WHERE call_id = ?2 AND element = 'what'",
                    rusqlite::params![format!("v{i}"), call.id],
                )
                .unwrap();
            }),
        );
    }

    // An older desk's database of a busy year, encrypted in place at the
    // first start after the upgrade.
    for n in [1_000usize, 20_000] {
        let path = dir.path().join(format!("older-{n}.sqlite3"));
        let mut store = Store::open_plaintext(&path).unwrap();
        let mut calls: Vec<Call> = (0..n)
            .map(|i| {
                let mut c = answered_call();
                c.set_element(
                    ElementKey::ALL[i % 8],
                    "红梅新村5幢，两人打架",
                    chrono::Utc::now(),
                )
                .unwrap();
                c
            })
            .collect();
        store.insert_calls(&mut calls).unwrap();
        drop(store);
        let mb = std::fs::metadata(&path).unwrap().len() as f64 / 1e6;
        let t = Instant::now();
        let store = Store::open(&path, &key).unwrap();
        let took = t.elapsed();
        assert_eq!(
            store.list_calls(None, n + 1).unwrap().len(),
            n,
            "calls lost"
        );
        println!(
            "encrypting in place: {n:>6} calls, {mb:>5.1} MB plaintext: {:>7.1} ms ({:.0} MB/s)",
            took.as_secs_f64() * 1e3,
            mb / took.as_secs_f64()
        );
    }
}
