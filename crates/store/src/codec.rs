//! Text encodings of times and keyed enums in the database.

use chrono::{DateTime, SecondsFormat, Utc};

use crate::StoreError;

pub fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub fn opt_time(t: Option<DateTime<Utc>>) -> Option<String> {
    t.map(time)
}

pub fn parse_time(s: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Corrupt(format!("time {s:?}: {e}")))
}

pub fn parse_opt_time(s: Option<String>) -> Result<Option<DateTime<Utc>>, StoreError> {
    s.as_deref().map(parse_time).transpose()
}

/// Parses a comma-separated list of keys (`group_concat`, missing items).
pub fn key_list<T>(
    what: &str,
    s: &str,
    parse: fn(&str) -> Option<T>,
) -> Result<Vec<T>, StoreError> {
    s.split(',')
        .filter(|k| !k.is_empty())
        .map(|k| key(what, k, parse))
        .collect()
}

/// A call's situation keys in the order they were recorded, as one text
/// column of a query over `calls c` (read with [`key_list`]).
pub const SITUATIONS_SQL: &str =
    "(SELECT group_concat(kind) FROM (SELECT kind FROM call_situations s WHERE s.call_id = c.id ORDER BY at))";

/// Parses a keyed enum, naming the column on failure.
pub fn key<T>(what: &str, s: &str, parse: fn(&str) -> Option<T>) -> Result<T, StoreError> {
    parse(s).ok_or_else(|| StoreError::Corrupt(format!("{what} {s:?}")))
}
