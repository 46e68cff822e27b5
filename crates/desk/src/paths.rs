//! Where the desk keeps its data.

use std::path::PathBuf;

/// Environment variable that overrides the data folder (tests use their own).
pub const DATA_DIR_ENV: &str = "JIEJING_DATA_DIR";

/// The data folder: `--data-dir` if given, else `$JIEJING_DATA_DIR`, else
/// the platform's per-user data folder (`~/.local/share/jiejing` on Linux,
/// `%APPDATA%\Jiejing\jiejing\data` on Windows).
pub fn data_dir(flag: Option<PathBuf>) -> PathBuf {
    flag.or_else(|| {
        std::env::var_os(DATA_DIR_ENV)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    })
    .or_else(|| {
        directories::ProjectDirs::from("cn", "Jiejing", "jiejing")
            .map(|d| d.data_dir().to_path_buf())
    })
    .unwrap_or_else(|| PathBuf::from("jiejing-data"))
}

/// From now on, what this process creates is its user's alone (folders
/// 0700, files 0600): the database, its journal, recordings, exports and
/// learned rings hold callers' data (PIPL art. 51), and a data folder
/// outside the home folder would otherwise be readable by every account on
/// the machine.
pub fn keep_private() {
    #[cfg(unix)]
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
}

/// What in the data folder others can reach: the folder, the files in it
/// and its sub-folders (not their contents), each with its mode, and how
/// to fix it. Empty on systems without Unix modes.
pub fn wider_than_private(data_dir: &std::path::Path) -> Vec<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mut wide = Vec::new();
        let mut check = |p: &std::path::Path| {
            if let Ok(m) = std::fs::symlink_metadata(p) {
                let mode = m.permissions().mode() & 0o777;
                if mode & 0o077 != 0 && !m.file_type().is_symlink() {
                    let want = if m.is_dir() { "700" } else { "600" };
                    wide.push(format!(
                        "{}: others can reach it (mode {mode:o}); chmod {want} it",
                        p.display()
                    ));
                }
            }
        };
        check(data_dir);
        for e in std::fs::read_dir(data_dir).into_iter().flatten().flatten() {
            check(&e.path());
        }
        wide
    }
    #[cfg(not(unix))]
    {
        let _ = data_dir;
        Vec::new()
    }
}

/// A key file chosen by the station (kept on a medium of its own).
pub const KEY_FILE_ENV: &str = "JIEJING_KEY_FILE";
/// The folder of per-data-folder key files, when not the default.
pub const KEY_DIR_ENV: &str = "JIEJING_KEY_DIR";

/// Where a data folder's database key lives: `$JIEJING_KEY_FILE` if set,
/// else `<keys>/<folder id>.key`, where `<keys>` is `$JIEJING_KEY_DIR` or
/// the user's config folder (`~/.config/jiejing/keys` on Linux) and the
/// folder id is a random name kept in the data folder's `desk-id` (made
/// here the first time). Never inside the data folder: a copied folder or
/// database holds only ciphertext. Whoever can read the key file as this
/// user can unlock, so a station that fears a stolen disk puts the key on
/// a medium of its own (README, "Caller data at rest").
///
/// # Errors
/// The folder id cannot be read or made, no config folder is known, or
/// the key file named is inside the data folder.
pub fn key_file(data_dir: &std::path::Path) -> Result<PathBuf, String> {
    let inside = |p: &std::path::Path| {
        let abs = |q: &std::path::Path| std::path::absolute(q).unwrap_or_else(|_| q.to_path_buf());
        abs(p).starts_with(abs(data_dir))
    };
    if let Some(f) = std::env::var_os(KEY_FILE_ENV).filter(|v| !v.is_empty()) {
        let f = PathBuf::from(f);
        if inside(&f) {
            return Err(format!(
                "{KEY_FILE_ENV}={}: the key must be kept outside the data folder it unlocks",
                f.display()
            ));
        }
        return Ok(f);
    }
    let dir = std::env::var_os(KEY_DIR_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            directories::ProjectDirs::from("cn", "Jiejing", "jiejing")
                .map(|d| d.config_dir().join("keys"))
        })
        .ok_or("no config folder to keep the database key in; set JIEJING_KEY_FILE")?;
    Ok(dir.join(format!("{}.key", folder_id(data_dir)?)))
}

/// Where the audit chain's heads are kept: beside the key, outside the
/// data folder (see `anchors.rs`).
///
/// # Errors
/// As [`key_file`].
pub fn anchor_file(data_dir: &std::path::Path) -> Result<PathBuf, String> {
    Ok(key_file(data_dir)?.with_extension("anchors"))
}

/// The data folder's random id (`desk-id`), made the first time.
fn folder_id(data_dir: &std::path::Path) -> Result<String, String> {
    use std::io::Write;
    let path = data_dir.join("desk-id");
    let valid = |t: &str| t.len() == 32 && t.bytes().all(|b| b.is_ascii_hexdigit());
    let read = || std::fs::read_to_string(&path).map(|t| t.trim().to_string());
    if let Ok(t) = read() {
        return match valid(&t) {
            true => Ok(t),
            false => Err(format!("{}: not a desk id (32 hex digits)", path.display())),
        };
    }
    std::fs::create_dir_all(data_dir).map_err(|e| format!("{}: {e}", data_dir.display()))?;
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(|e| format!("no randomness: {e}"))?;
    let id: String = b.iter().map(|x| format!("{x:02x}")).collect();
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(mut f) => {
            f.write_all(format!("{id}\n").as_bytes())
                .and_then(|()| f.sync_all())
                .map_err(|e| format!("{}: {e}", path.display()))?;
            Ok(id)
        }
        // Another process made it first: theirs is the id.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            for _ in 0..50 {
                if let Ok(t) = read().map(|t| t.to_string()) {
                    if valid(&t) {
                        return Ok(t);
                    }
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(format!("{}: not a desk id (32 hex digits)", path.display()))
        }
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// Opens the data folder's database with its key ([`key_file`]). A new
/// folder, or a plaintext database from before encryption, gets a new key;
/// an encrypted database whose key is gone is refused, naming the file.
///
/// # Errors
/// The key is missing or wrong, or the database cannot be opened.
pub fn open_store(
    data_dir: &std::path::Path,
) -> Result<jiejing_store::Store, jiejing_store::StoreError> {
    use jiejing_store::{DbKey, Store, StoreError};
    let db = database(data_dir);
    let key_file = key_file(data_dir).map_err(StoreError::Key)?;
    let encrypted =
        std::fs::metadata(&db).is_ok_and(|m| m.len() > 0) && !jiejing_store::is_plaintext(&db);
    let key = match encrypted && !key_file.exists() {
        true => {
            return Err(StoreError::Key(format!(
                "{} is encrypted and its key file {} is missing: restore the key from the station's key backup",
                db.display(),
                key_file.display()
            )))
        }
        false => DbKey::load_or_create(&key_file)?,
    };
    Store::open(&db, &key)
}

/// A bare connection to the data folder's database, unlocked with its key:
/// for tools and tests that read it raw.
///
/// # Errors
/// The key is missing or wrong.
pub fn connect(
    data_dir: &std::path::Path,
) -> Result<jiejing_store::Connection, jiejing_store::StoreError> {
    let key =
        jiejing_store::DbKey::load(&key_file(data_dir).map_err(jiejing_store::StoreError::Key)?)?;
    jiejing_store::Store::connect(&database(data_dir), &key)
}

/// The database file inside a data folder.
pub fn database(data_dir: &std::path::Path) -> PathBuf {
    data_dir.join("jiejing.sqlite3")
}

/// The speech model's file name when none is chosen (`make model` writes it).
pub const DEFAULT_MODEL: &str = "ggml-base-q8_0.bin";

/// The speech model to load: the file chosen in Settings (relative to the
/// data folder), else [`DEFAULT_MODEL`] in the data folder's `models/`, else
/// where the package installs it (`../share/jiejing/models/` beside the
/// program: `/usr/share/jiejing/models/` for `/usr/bin/jiejing-app`), else
/// in `models/` of the folder the app was started from (`make run`).
pub fn speech_model(data_dir: &std::path::Path, chosen: &str) -> PathBuf {
    if !chosen.is_empty() {
        return data_dir.join(chosen);
    }
    let own = data_dir.join("models").join(DEFAULT_MODEL);
    if own.is_file() {
        return own;
    }
    let installed = std::env::current_exe().ok().and_then(|exe| {
        let share = exe.parent()?.parent()?.join("share/jiejing/models");
        Some(share.join(DEFAULT_MODEL)).filter(|m| m.is_file())
    });
    if let Some(m) = installed {
        return m;
    }
    std::env::current_dir()
        .map(|d| d.join("models").join(DEFAULT_MODEL))
        .unwrap_or(own)
}

/// Writes `path` whole or not at all: `fill` writes a file beside it, which
/// is made durable and renamed over it, so a failed or interrupted write
/// never leaves half a file where the last good one was (exports, printed
/// forms, the station's data files).
pub(crate) fn replace_file(
    path: &std::path::Path,
    fill: impl FnOnce(&std::path::Path) -> Result<(), String>,
) -> Result<(), String> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    }
    let tmp = path.with_extension("part");
    fill(&tmp)
        .and_then(|()| {
            std::fs::File::open(&tmp)
                .and_then(|f| f.sync_all())
                .and_then(|()| std::fs::rename(&tmp, path))
                .map_err(|e| e.to_string())
        })
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
}
