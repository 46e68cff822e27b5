//! The station's schema: append-only migrations, like the desk's. The
//! version is a row in `jiejing_schema`; `jiejing station init` applies what
//! is missing, and a desk refuses a schema it does not know.

use postgres::Client;

use crate::StationError;

/// Append-only: add a file at the end, never edit a shipped one.
const MIGRATIONS: &[&str] = &[
    include_str!("schema/0001_station.sql"),
    include_str!("schema/0002_followups.sql"),
    include_str!("schema/0003_seat_roles.sql"),
    include_str!("schema/0004_accounts.sql"),
    include_str!("schema/0005_report_index.sql"),
    include_str!("schema/0006_corrections.sql"),
    include_str!("schema/0007_reviews.sql"),
    include_str!("schema/0008_samples.sql"),
    include_str!("schema/0009_lead_reads.sql"),
    include_str!("schema/0010_speech.sql"),
    include_str!("schema/0011_report_index_seat.sql"),
    include_str!("schema/0012_account_writes.sql"),
    include_str!("schema/0013_recordings.sql"),
    include_str!("schema/0014_speech_delete.sql"),
    include_str!("schema/0015_complainants.sql"),
    include_str!("schema/0016_reply_retention.sql"),
];

/// The schema version this build writes and reads.
pub const VERSION: i32 = MIGRATIONS.len() as i32;

/// An arbitrary constant: the advisory lock that serialises two `init`s.
const INIT_LOCK: i64 = 0x006a_6965_6a69_6e67;

/// The schema version at the station, `None` before the first `init`.
pub(crate) fn version(client: &mut Client) -> Result<Option<i32>, StationError> {
    let exists: bool = client
        .query_one("SELECT to_regclass('jiejing_schema') IS NOT NULL", &[])?
        .get(0);
    if !exists {
        return Ok(None);
    }
    let v: Option<i32> = client
        .query_one("SELECT max(version) FROM jiejing_schema", &[])?
        .get(0);
    Ok(v)
}

/// Creates or migrates the schema; returns (before, after).
pub(crate) fn migrate(client: &mut Client) -> Result<(i32, i32), StationError> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&INIT_LOCK])?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS jiejing_schema (
             version    INTEGER PRIMARY KEY,
             applied_at timestamptz NOT NULL DEFAULT now())",
    )?;
    let before: i32 = tx
        .query_one("SELECT coalesce(max(version), 0) FROM jiejing_schema", &[])?
        .get(0);
    if before > VERSION {
        return Err(StationError::SchemaNewer {
            found: before,
            known: VERSION,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(before as usize) {
        tx.batch_execute(sql)?;
        tx.execute(
            "INSERT INTO jiejing_schema (version) VALUES ($1)",
            &[&(i as i32 + 1)],
        )?;
    }
    tx.commit()?;
    Ok((before, VERSION))
}

/// A desk talks only to the schema it was built for.
pub(crate) fn check(client: &mut Client, url: &str) -> Result<(), StationError> {
    match version(client)? {
        None | Some(0) => Err(StationError::NoSchema { url: url.into() }),
        Some(v) if v > VERSION => Err(StationError::SchemaNewer {
            found: v,
            known: VERSION,
        }),
        Some(v) if v < VERSION => Err(StationError::SchemaOlder {
            found: v,
            known: VERSION,
        }),
        Some(_) => Ok(()),
    }
}
