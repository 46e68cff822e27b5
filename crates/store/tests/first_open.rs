//! The first opens in a process, from many threads at once: SQLCipher's
//! set-up runs after SQLite calls itself initialised, and an open in that
//! window failed its `PRAGMA key` (seen in CI). Alone in its own test
//! binary, so these really are the process's first opens.

use std::sync::{Arc, Barrier};

#[test]
fn threads_opening_desks_at_once_all_get_in() {
    const THREADS: usize = 16;
    let dir = tempfile::tempdir().unwrap();
    let start = Arc::new(Barrier::new(THREADS));
    let opened: Vec<_> = (0..THREADS)
        .map(|n| {
            let (start, path) = (start.clone(), dir.path().join(format!("desk-{n}.db")));
            std::thread::spawn(move || {
                let key = jiejing_store::DbKey::generate().unwrap();
                start.wait();
                jiejing_store::Store::open(&path, &key).map(drop)
            })
        })
        .collect();
    for (n, t) in opened.into_iter().enumerate() {
        if let Err(e) = t.join().unwrap() {
            panic!("desk {n} did not open: {e}");
        }
    }
}
