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
