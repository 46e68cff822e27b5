//! `audit verify` on a long chain (issue #16: a million entries). Prints
//! the time to walk and re-hash the whole chain, with ten anchors, beside
//! its peer in the same run: reading the same rows without hashing (the
//! floor any verify pays). The chain is built in tmpfs (/dev/shm) so that
//! a million committed appends take seconds, not an hour of fsyncs.
//! `JIEJING_AUDIT_ENTRIES` (default 1,000,000).
//! `cargo bench -p jiejing-store --bench audit`

use std::time::Instant;

use chrono::{Duration, TimeZone, Utc};
use jiejing_store::{DbKey, Store};

fn main() {
    let n: i64 = std::env::var("JIEJING_AUDIT_ENTRIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let shm = std::path::Path::new("/dev/shm");
    let dir = match shm.is_dir() {
        true => tempfile::tempdir_in(shm).unwrap(),
        false => tempfile::tempdir().unwrap(),
    };
    let mut store = Store::open(&dir.path().join("db"), &DbKey::generate().unwrap()).unwrap();
    let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let built = Instant::now();
    for i in 0..n {
        let detail = serde_json::json!({ "file": format!("exports/{i}.xlsx"), "rows": i % 500 });
        store
            .audit(t0 + Duration::seconds(i), "L01", "export", None, &detail)
            .unwrap();
    }
    let build_s = built.elapsed().as_secs_f64();
    let anchors: Vec<(i64, String)> = store
        .audit_hashes()
        .unwrap()
        .into_iter()
        .filter(|(id, _)| id % (n / 10).max(1) == 0)
        .collect();
    let t = Instant::now();
    let rows = store.audit_hashes().unwrap().len();
    let read_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let check = store.verify_audit(&anchors).unwrap();
    let verify_s = t.elapsed().as_secs_f64();
    assert!(check.problems.is_empty() && rows as i64 == n);
    println!("entries     built s  read rows s  verify s  verify entries/s  verify ÷ read");
    println!(
        "{n:>9} {build_s:>9.1} {read_s:>12.2} {verify_s:>9.2} {:>17.0} {:>14.1}",
        n as f64 / verify_s,
        verify_s / read_s
    );
}
