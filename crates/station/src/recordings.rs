//! Calls' recordings at the station (issue #15): shipped whole by the seat
//! that took the call once finished; read by a lead at any seat.

use std::path::Path;

use jiejing_core::CallId;
use jiejing_desk::SeatRecording;
use jiejing_store::RecordingRow;
use postgres::Transaction;

use crate::{Station, StationError};

/// Puts `seat`'s recording at the station: as plain FLAC (the seat's file
/// is sealed with the seat's own key, which no other seat has; the station
/// keeps it behind its own logins), or none once retention deleted it (or
/// the file went missing or would not open: the row still says the call
/// was recorded, and the queue is not held up by a file that will not
/// come back).
pub(crate) fn upsert(
    tx: &mut Transaction<'_>,
    seat: &str,
    row: &RecordingRow,
    file: &Path,
    key: &jiejing_audio::SealKey,
) -> Result<(), StationError> {
    let flac = match row.purged_at {
        Some(_) => None,
        None => match jiejing_audio::flac_bytes(file, key) {
            Ok(b) => Some(b),
            Err(e) => {
                eprintln!("jiejing: {}: not sent to the station: {e}", file.display());
                None
            }
        },
    };
    tx.execute(
        "INSERT INTO recordings (seat, call_id, started_at, seconds, channels, flac, purged_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (seat, call_id) DO UPDATE SET started_at = excluded.started_at,
             seconds = excluded.seconds, channels = excluded.channels, flac = excluded.flac,
             purged_at = excluded.purged_at",
        &[
            &seat,
            &row.call_id,
            &row.started_at,
            &row.seconds.unwrap_or(0.0),
            &i16::from(row.channels),
            &flac,
            &row.purged_at,
        ],
    )?;
    Ok(())
}

impl Station {
    /// `seat`'s call `id`'s recording, if the station has one.
    ///
    /// # Errors
    /// Database errors.
    pub fn recording(
        &mut self,
        seat: &str,
        id: CallId,
    ) -> Result<Option<SeatRecording>, StationError> {
        let row = self.client().query_opt(
            "SELECT started_at, seconds, flac, purged_at FROM recordings WHERE seat = $1 AND call_id = $2",
            &[&seat, &id],
        )?;
        Ok(row.map(|r| SeatRecording {
            started_at: r.get(0),
            seconds: r.get(1),
            flac: r.get(2),
            purged_at: r.get(3),
        }))
    }
}
