//! The audit chain's heads, kept outside the database (beside its key).
//!
//! The chain has no secret: whoever holds the database key could write a
//! whole new chain that checks out. So at every start and every sign-out
//! the desk appends the chain's head (`N HASH TIME`) to a file beside the
//! key, outside the data folder; `audit verify` then requires every head
//! written there to still be in the chain with that hash. Rewriting the
//! past now means finding and rewriting that file too (and, on a joined
//! desk, the station's copy of the chain). A lead may also write a head in
//! the shift log and check it with `audit verify --anchor`.

use std::io::Write;
use std::path::Path;

use chrono::{DateTime, SecondsFormat, Utc};

/// Appends `head` to the file at `path` (made 0600) unless it is already
/// the last line.
pub(crate) fn record(path: &Path, head: &(i64, String), at: DateTime<Utc>) -> std::io::Result<()> {
    let (heads, _) = read(path);
    if heads
        .last()
        .is_some_and(|(n, h)| *n == head.0 && *h == head.1)
    {
        return Ok(());
    }
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    let line = format!(
        "{} {} {}\n",
        head.0,
        head.1,
        at.to_rfc3339_opts(SecondsFormat::Secs, true)
    );
    f.write_all(line.as_bytes())?;
    f.sync_all()
}

/// The heads written at `path` (none if there is no file), and a note per
/// line that is not a head.
pub(crate) fn read(path: &Path) -> (Vec<(i64, String)>, Vec<String>) {
    let Ok(text) = std::fs::read_to_string(path) else {
        return (Vec::new(), Vec::new());
    };
    let (mut heads, mut bad) = (Vec::new(), Vec::new());
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let mut parts = line.split_whitespace();
        let head = parts
            .next()
            .zip(parts.next())
            .and_then(|(n, h)| jiejing_store::parse_anchor(&format!("{n}:{h}")).ok());
        match head {
            Some(h) => heads.push(h),
            None => bad.push(format!("{} line {}: not a head", path.display(), i + 1)),
        }
    }
    (heads, bad)
}
