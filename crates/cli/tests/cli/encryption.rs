//! Caller data at rest, checked from outside as a station's auditor would:
//! a data folder filled with demo calls holds no readable caller data, no
//! SQLite header, and nothing a plain SQLite reader opens; its key is kept
//! elsewhere; an older desk's plaintext folder is encrypted on first use
//! with every call kept; a folder whose key is gone is refused in words.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use super::{jiejing_env, private_dir};

/// Every file under `dir`, recursively.
fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// `jiejing` with its keys in `keys`, which must succeed: as the demo's
/// lead L01 (see [`fill`]).
fn run(dir: &Path, keys: &Path, args: &[&str]) -> String {
    let args: Vec<&str> = ["--as", "L01"].iter().chain(args).copied().collect();
    let env = [
        ("JIEJING_KEY_DIR", keys.to_str().unwrap()),
        ("JIEJING_PIN", super::DEMO_PIN),
    ];
    let (code, out, err) = jiejing_env(dir, &args, &env);
    assert_eq!(code, 0, "jiejing {args:?}: {out}{err}");
    out
}

/// A new data folder filled with `calls` demo calls (and the demo's accounts).
fn fill(dir: &Path, keys: &Path, calls: u32) {
    let n = calls.to_string();
    let args = ["demo-data", "--calls", n.as_str()];
    let (code, out, err) = jiejing_env(dir, &args, &[("JIEJING_KEY_DIR", keys.to_str().unwrap())]);
    assert_eq!(code, 0, "jiejing {args:?}: {out}{err}");
}

#[test]
fn a_data_folder_full_of_calls_reveals_nothing_about_callers() {
    let home = private_dir();
    let (d, keys) = (home.path().join("d"), home.path().join("keys"));
    fill(&d, &keys, 300);
    let listed = run(&d, &keys, &["calls", "list", "--json"]);
    assert!(
        listed.contains("\"callerNumber\""),
        "the desk reads its own calls"
    );
    let all = files(&d);
    assert!(
        all.iter().any(|f| f.ends_with("jiejing.sqlite3")),
        "{all:?}"
    );
    for f in &all {
        let bytes = std::fs::read(f).unwrap();
        for needle in ["常州".as_bytes(), b"SQLite format 3"] {
            assert!(
                !contains(&bytes, needle),
                "{} holds {:?}",
                f.display(),
                String::from_utf8_lossy(needle)
            );
        }
        let mode = std::fs::metadata(f).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", f.display());
    }
    assert_eq!(
        std::fs::metadata(&d).unwrap().permissions().mode() & 0o777,
        0o700
    );
    // What any SQLite reader (Python's sqlite3, the sqlite3 shell) sees.
    let bare = rusqlite::Connection::open(d.join("jiejing.sqlite3")).unwrap();
    let read = bare.query_row("SELECT count(*) FROM calls", [], |r| r.get::<_, i64>(0));
    assert!(read.is_err(), "calls read without the key: {read:?}");
    // The key is outside the folder, private, one per folder (beside it,
    // the audit chain's heads).
    let key_files: Vec<_> = files(&keys)
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "key"))
        .collect();
    assert_eq!(key_files.len(), 1, "{key_files:?}");
    let mode = std::fs::metadata(&key_files[0])
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);
}

#[test]
fn a_folder_whose_key_is_gone_is_refused_naming_the_key_file() {
    let home = private_dir();
    let (d, keys) = (home.path().join("d"), home.path().join("keys"));
    fill(&d, &keys, 5);
    let before = std::fs::read(d.join("jiejing.sqlite3")).unwrap();
    // The folder copied to another machine, its key left behind.
    let elsewhere = home.path().join("other-keys");
    let (code, _, err) = jiejing_env(
        &d,
        &["calls", "list"],
        &[("JIEJING_KEY_DIR", elsewhere.to_str().unwrap())],
    );
    assert_ne!(code, 0);
    assert!(
        err.contains("is encrypted and its key file") && err.contains("other-keys"),
        "{err}"
    );
    assert!(
        !elsewhere.exists(),
        "no new key is made for an encrypted database"
    );
    assert_eq!(std::fs::read(d.join("jiejing.sqlite3")).unwrap(), before);
    // The key file named inside the folder is refused.
    let inside = d.join("k.key");
    let (code, _, err) = jiejing_env(
        &d,
        &["calls", "list"],
        &[("JIEJING_KEY_FILE", inside.to_str().unwrap())],
    );
    assert_ne!(code, 0);
    assert!(err.contains("outside the data folder"), "{err}");
}

/// Makes a plaintext database's audit chain as a desk from before
/// encryption wrote it: unkeyed (plain SHA-256 over the entry's fields,
/// each ended by a NUL, the format of `audit.rs`), every entry before the
/// point migration 0019 records as where keying starts.
fn as_before_the_chain_was_keyed(db: &Path) {
    use sha2::{Digest, Sha256};
    let c = rusqlite::Connection::open(db).unwrap();
    c.execute_batch(
        "DROP TRIGGER audit_keyed_no_update; DROP TRIGGER audit_no_update;
         UPDATE audit_keyed SET from_id = (SELECT COALESCE(MAX(id), 0) + 1 FROM audit_log);
         CREATE TRIGGER audit_keyed_no_update BEFORE UPDATE ON audit_keyed
         BEGIN SELECT RAISE(ABORT, 'where the audit chain is keyed from is fixed'); END;",
    )
    .unwrap();
    type Row = (i64, String, String, String, Option<i64>, String);
    let rows: Vec<Row> = c
        .prepare("SELECT id, at, actor, action, call_id, detail FROM audit_log ORDER BY id")
        .unwrap()
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut prev = String::new();
    for (id, at, actor, action, call, detail) in rows {
        let call = call.map_or_else(String::new, |c| c.to_string());
        let mut h = Sha256::new();
        for field in [&prev, &id.to_string(), &at, &actor, &action, &call, &detail] {
            h.update(field.as_bytes());
            h.update([0u8]);
        }
        let hash: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        c.execute(
            "UPDATE audit_log SET prev_hash = ?2, hash = ?3 WHERE id = ?1",
            rusqlite::params![id, prev, hash],
        )
        .unwrap();
        prev = hash;
    }
    c.execute_batch(
        "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log \
         BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;",
    )
    .unwrap();
}

#[test]
fn an_older_desks_plaintext_folder_is_encrypted_on_first_use_with_every_call_kept() {
    let home = private_dir();
    let (d, keys) = (home.path().join("d"), home.path().join("keys"));
    fill(&d, &keys, 200);
    let want = run(&d, &keys, &["calls", "list", "--limit", "1000", "--json"]);
    // The same folder as a desk before encryption left it: plaintext.
    let key_file = files(&keys)
        .into_iter()
        .find(|f| f.extension().is_some_and(|e| e == "key"))
        .unwrap();
    let key = jiejing_store::DbKey::load(&key_file).unwrap();
    let db = d.join("jiejing.sqlite3");
    let plain = home.path().join("plain.sqlite3");
    {
        let c = jiejing_store::Store::connect(&db, &key).unwrap();
        let v: i64 = c
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        c.execute(
            "ATTACH DATABASE ?1 AS plain KEY ''",
            [plain.to_str().unwrap()],
        )
        .unwrap();
        c.query_row("SELECT sqlcipher_export('plain')", [], |_| Ok(()))
            .unwrap();
        c.execute_batch(&format!("PRAGMA plain.user_version = {v}"))
            .unwrap();
    }
    as_before_the_chain_was_keyed(&plain);
    std::fs::rename(&plain, &db).unwrap();
    std::fs::remove_dir_all(&keys).unwrap();
    std::fs::remove_file(d.join("desk-id")).unwrap();
    assert!(std::fs::read(&db).unwrap().starts_with(b"SQLite format 3"));

    let got = run(&d, &keys, &["calls", "list", "--limit", "1000", "--json"]);
    assert_eq!(got, want, "every call kept");
    // The audit chain came across whole, and says the upgrade happened.
    let verified = run(&d, &keys, &["audit", "verify"]);
    assert!(verified.contains("intact"), "{verified}");
    assert!(!contains(&std::fs::read(&db).unwrap(), b"SQLite format 3"));
    let keys_now = files(&keys);
    assert_eq!(
        keys_now
            .iter()
            .filter(|f| f.extension().is_some_and(|e| e == "key"))
            .count(),
        1,
        "a new key for the folder"
    );
}
