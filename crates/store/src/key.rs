//! The database key and the file it lives in.
//!
//! The database is SQLCipher (AES-256, a fresh IV and an HMAC per page,
//! WAL included) under a random 256-bit key. The key is handed to SQLCipher
//! raw (`x'…'`), so opening costs no key derivation. Where the key file is
//! kept, and so who can unlock, is the desk's choice (`jiejing_desk::paths`):
//! never inside the data folder, so a copied folder or database file is
//! only ciphertext.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::StoreError;

/// A 256-bit database key and where it came from (for messages). Its
/// `Debug` never prints the key.
#[derive(Clone)]
pub struct DbKey {
    bytes: [u8; 32],
    from: String,
}

impl PartialEq for DbKey {
    fn eq(&self, other: &DbKey) -> bool {
        self.bytes == other.bytes
    }
}

impl std::fmt::Debug for DbKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DbKey(… from {})", self.from)
    }
}

impl Drop for DbKey {
    fn drop(&mut self) {
        // A key freed is not left for the next allocation to find.
        zeroize::Zeroize::zeroize(&mut self.bytes);
    }
}

impl DbKey {
    /// A new random key from the operating system.
    ///
    /// # Errors
    /// The system has no randomness to give (never on Linux).
    pub fn generate() -> Result<DbKey, StoreError> {
        let mut k = [0u8; 32];
        getrandom::fill(&mut k).map_err(|e| StoreError::Key(format!("no randomness: {e}")))?;
        Ok(DbKey {
            bytes: k,
            from: "a new key".into(),
        })
    }

    /// Where the key came from: its file, or "a new key".
    pub fn source(&self) -> &str {
        &self.from
    }

    /// The key in 64 hex digits, as the key file holds it.
    ///
    /// # Errors
    /// Anything else.
    pub fn from_hex(text: &str) -> Result<DbKey, String> {
        let t = text.trim();
        if t.len() != 64 || !t.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!(
                "a key is 64 hex digits; this has {} characters",
                t.chars().count()
            ));
        }
        let mut k = [0u8; 32];
        for (i, byte) in k.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&t[2 * i..2 * i + 2], 16).map_err(|e| e.to_string())?;
        }
        Ok(DbKey {
            bytes: k,
            from: "hex".into(),
        })
    }

    /// A key of its own for `purpose` (the recordings' files), derived
    /// from this one: whoever holds the database key holds it, and it
    /// never opens the database.
    pub fn derive(&self, purpose: &str) -> zeroize::Zeroizing<[u8; 32]> {
        use sha2::Digest;
        let mut h = sha2::Sha256::new();
        h.update(b"jiejing key derivation v1\0");
        h.update(purpose.as_bytes());
        h.update(b"\0");
        h.update(self.bytes);
        zeroize::Zeroizing::new(h.finalize().into())
    }

    pub(crate) fn hex(&self) -> String {
        self.bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The value of `PRAGMA key` for a raw key.
    pub(crate) fn pragma(&self) -> String {
        format!("x'{}'", self.hex())
    }

    /// The key in `path`, made (0600, with its folder 0700) if there is
    /// none yet. Two processes making it at once agree on one key.
    ///
    /// # Errors
    /// [`StoreError::Key`] naming the file: unreadable, not a key, or
    /// cannot be written.
    pub fn load_or_create(path: &Path) -> Result<DbKey, StoreError> {
        let bad = |what: String| StoreError::Key(format!("{}: {what}", path.display()));
        match std::fs::read_to_string(path) {
            Ok(text) => return DbKey::from_hex(&text).map(|k| k.kept_in(path)).map_err(bad),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(bad(e.to_string())),
        }
        if let Some(dir) = path.parent() {
            private_dir(dir).map_err(|e| bad(format!("cannot make its folder: {e}")))?;
        }
        let key = DbKey::generate()?.kept_in(path);
        let mut open = std::fs::OpenOptions::new();
        open.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
        match open.open(path) {
            Ok(mut f) => {
                f.write_all(format!("{}\n", key.hex()).as_bytes())
                    .and_then(|()| f.sync_all())
                    .map_err(|e| bad(e.to_string()))?;
                Ok(key)
            }
            // Another process made it first: theirs is the key.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                wait_for_key(path).map(|k| k.kept_in(path)).map_err(bad)
            }
            Err(e) => Err(bad(e.to_string())),
        }
    }

    /// The key in `path`, which must exist.
    ///
    /// # Errors
    /// [`StoreError::Key`] naming the file.
    pub fn load(path: &Path) -> Result<DbKey, StoreError> {
        std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|t| DbKey::from_hex(&t))
            .map(|k| k.kept_in(path))
            .map_err(|e| StoreError::Key(format!("{}: {e}", path.display())))
    }

    fn kept_in(mut self, path: &Path) -> DbKey {
        self.from = path.display().to_string();
        self
    }
}

/// A key file another process is still writing: read it once it is whole.
fn wait_for_key(path: &Path) -> Result<DbKey, String> {
    let mut last = String::new();
    for _ in 0..50 {
        match std::fs::read_to_string(path).map(|t| DbKey::from_hex(&t)) {
            Ok(Ok(k)) => return Ok(k),
            Ok(Err(e)) => last = e,
            Err(e) => last = e.to_string(),
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    Err(last)
}

fn private_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir)
}

/// Runs SQLCipher's one-time set-up before any connection is opened.
///
/// SQLite marks itself initialised *before* it runs SQLCipher's extra
/// init, outside its lock (`sqlite3_initialize`, SQLCipher 4.14). A second
/// thread opening a database in that window sees "initialised", and its
/// `PRAGMA key` fails ("PRAGMA key requires a key of one or more
/// characters"). Two desks' threads opening at once hit it in CI. Doing
/// the whole initialisation once, behind a `Once`, closes the window.
pub(crate) fn sqlcipher_ready() {
    static READY: std::sync::Once = std::sync::Once::new();
    // Keying a connection succeeds only once the set-up is done. Another
    // thread may have started it (any open does), so wait for it rather
    // than only start it; a set-up that truly fails shows again, in
    // words, at the open that follows.
    READY.call_once(|| {
        for _ in 0..1000 {
            let keyed = rusqlite::Connection::open_in_memory()
                .and_then(|c| c.pragma_update(None, "key", "ready"));
            if keyed.is_ok() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    });
}

/// The first 16 bytes of every plaintext SQLite database.
const PLAIN_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// Whether `path` is a plaintext SQLite database (an older desk's).
pub fn is_plaintext(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|()| &head == PLAIN_HEADER)
}

/// Encrypts a plaintext database in place under `key`: a whole encrypted
/// copy is made beside it, made durable, then renamed over it, so a crash
/// at any point leaves either the old file or the new one, never half.
/// Returns how long it took.
pub(crate) fn encrypt_in_place(
    path: &Path,
    key: &DbKey,
) -> Result<std::time::Duration, StoreError> {
    let started = std::time::Instant::now();
    let tmp = sibling(path, ".encrypting");
    let _ = std::fs::remove_file(&tmp); // a crashed earlier attempt
    {
        let plain = rusqlite::Connection::open(path)?;
        // Fold the WAL into the file first: a copy of the main file alone
        // would miss the last commits.
        plain.pragma_update(None, "wal_checkpoint", "TRUNCATE")?;
        let version: i64 = plain.pragma_query_value(None, "user_version", |r| r.get(0))?;
        plain.execute(
            "ATTACH DATABASE ?1 AS encrypted KEY ?2",
            rusqlite::params![tmp.to_string_lossy(), format!("x'{}'", key.hex())],
        )?;
        plain.query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))?;
        // The migrations count from user_version, which the export leaves.
        plain.execute_batch(&format!("PRAGMA encrypted.user_version = {version}"))?;
        plain.execute_batch("DETACH DATABASE encrypted")?;
    }
    std::fs::File::open(&tmp)
        .and_then(|f| f.sync_all())
        .map_err(|e| StoreError::Key(format!("{}: {e}", tmp.display())))?;
    for ext in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(sibling(path, ext));
    }
    std::fs::rename(&tmp, path).map_err(|e| StoreError::Key(format!("{}: {e}", path.display())))?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
    Ok(started.elapsed())
}

fn sibling(path: &Path, ext: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(ext);
    PathBuf::from(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_reads_back_from_its_hex_and_never_prints() {
        let k = DbKey::generate().unwrap();
        assert_eq!(DbKey::from_hex(&format!("{}\n", k.hex())).unwrap(), k);
        assert_eq!(format!("{k:?}"), "DbKey(… from a new key)");
        assert!(DbKey::from_hex("abc")
            .unwrap_err()
            .contains("64 hex digits"));
        assert!(DbKey::from_hex(&"g".repeat(64)).is_err());
    }

    #[test]
    fn the_key_file_is_made_once_and_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys/a.key");
        let k1 = DbKey::load_or_create(&path).unwrap();
        let k2 = DbKey::load_or_create(&path).unwrap();
        assert_eq!(k1, k2);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&path), 0o600);
            assert_eq!(mode(&dir.path().join("keys")), 0o700);
        }
        std::fs::write(&path, "not a key").unwrap();
        let e = DbKey::load_or_create(&path).unwrap_err().to_string();
        assert!(e.contains("a.key") && e.contains("64 hex digits"), "{e}");
    }
}
