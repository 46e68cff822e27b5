//! The database at rest: SQLCipher under the desk's key, an older desk's
//! plaintext file encrypted in place without loss, a wrong key refused in
//! words.

use jiejing_store::{is_plaintext, DbKey, Store, StoreError};

use crate::{key, new_call};

/// Whether any file beside `path` (the database, its WAL) holds `needle`.
fn anywhere(dir: &std::path::Path, needle: &[u8]) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| {
            let b = std::fs::read(e.path()).unwrap_or_default();
            b.windows(needle.len()).any(|w| w == needle)
        })
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn the_database_and_its_journal_are_ciphertext() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jiejing.sqlite3");
    let mut store = Store::open(&path, &key()).unwrap();
    for i in 0..20 {
        new_call(&mut store, i * 60, "13812345678");
    }
    // While open, the last commits sit in the WAL: it is checked too.
    assert!(dir.path().join("jiejing.sqlite3-wal").exists());
    for needle in ["常州".as_bytes(), b"13812345678", b"SQLite format 3"] {
        assert_eq!(
            anywhere(dir.path(), needle),
            Vec::<String>::new(),
            "{needle:?}"
        );
    }
    // SQLite without the key (as any sqlite3 tool would) reads nothing.
    let bare = rusqlite::Connection::open(&path).unwrap();
    let e = bare.query_row("SELECT count(*) FROM calls", [], |r| r.get::<_, i64>(0));
    assert!(e.is_err(), "read without the key: {e:?}");
    drop(store);
    assert_eq!(
        Store::open(&path, &key())
            .unwrap()
            .list_calls(None, 100)
            .unwrap()
            .len(),
        20
    );
}

#[test]
fn another_key_is_refused_naming_the_file_and_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jiejing.sqlite3");
    new_call(&mut Store::open(&path, &key()).unwrap(), 0, "13812345678");
    let before = std::fs::read(&path).unwrap();
    let other = DbKey::generate().unwrap();
    match Store::open(&path, &other) {
        Err(e @ StoreError::WrongKey { .. }) => {
            let m = e.to_string();
            assert!(
                m.contains("jiejing.sqlite3") && m.contains("a new key"),
                "{m}"
            );
        }
        Err(e) => panic!("want WrongKey, got {e}"),
        Ok(_) => panic!("opened with another key"),
    }
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "a refused open changes nothing"
    );
}

/// An older desk's database: the same schema and calls, in plaintext.
fn plaintext_copy(from: &std::path::Path, to: &std::path::Path) {
    let conn = Store::connect(from, &key()).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    conn.execute("ATTACH DATABASE ?1 AS plain KEY ''", [to.to_string_lossy()])
        .unwrap();
    conn.query_row("SELECT sqlcipher_export('plain')", [], |_| Ok(()))
        .unwrap();
    conn.execute_batch(&format!(
        "PRAGMA plain.user_version = {version}; DETACH DATABASE plain"
    ))
    .unwrap();
}

#[test]
fn a_plaintext_database_is_encrypted_in_place_without_loss() {
    let dir = tempfile::tempdir().unwrap();
    let made = dir.path().join("made.sqlite3");
    let mut store = Store::open(&made, &key()).unwrap();
    let calls: Vec<_> = (0..50)
        .map(|i| new_call(&mut store, i * 60, &format!("1381234{i:04}")))
        .collect();
    drop(store);
    let path = dir.path().join("jiejing.sqlite3");
    plaintext_copy(&made, &path);
    assert!(is_plaintext(&path));
    // A crash in an earlier attempt left half a copy: it is not used.
    std::fs::write(dir.path().join("jiejing.sqlite3.encrypting"), b"half").unwrap();

    let store = Store::open(&path, &key()).unwrap();
    assert!(store.encrypted_now().is_some());
    assert!(!is_plaintext(&path));
    for c in &calls {
        assert_eq!(store.load_call(c.id).unwrap().as_ref(), Some(c));
    }
    drop(store);
    assert_eq!(anywhere(dir.path(), b"13812340049"), Vec::<String>::new());
    assert!(!dir.path().join("jiejing.sqlite3.encrypting").exists());
    // Opened again: already encrypted, nothing done.
    assert!(Store::open(&path, &key())
        .unwrap()
        .encrypted_now()
        .is_none());
}
