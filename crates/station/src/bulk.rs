//! Loading many calls at once with COPY, for the scale benchmark (a year
//! of a 50-seat hall in minutes rather than the outbox's hours). The rows
//! are the ones a push writes ([`CallRow`]); the seats must exist.

use std::io::Write;

use jiejing_core::Call;

use crate::push::CallRow;
use crate::{Station, StationError};

/// One CSV field, quoted (JSON is full of quotes and commas).
fn field(out: &mut Vec<u8>, v: &str) {
    out.push(b'"');
    for b in v.bytes() {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

fn opt<T: ToString>(out: &mut Vec<u8>, v: Option<T>) {
    if let Some(v) = v {
        field(out, &v.to_string());
    }
}

impl Station {
    /// Writes `calls` of `seat` (revision 1, no content hash) in one COPY.
    ///
    /// # Errors
    /// Database errors (an existing (seat, id) among them).
    pub fn bulk_load(&mut self, seat: &str, calls: &[Call]) -> Result<u64, StationError> {
        let mut buf = Vec::with_capacity(calls.len() * 2048);
        for c in calls {
            let r = CallRow::of(c)?;
            let t = |d: chrono::DateTime<chrono::Utc>| d.to_rfc3339();
            field(&mut buf, seat);
            let situations = format!("{{{}}}", r.situations.join(","));
            let _ = write!(buf, ",{},1,\"\",", c.id);
            field(&mut buf, &r.doc.to_string());
            buf.push(b',');
            field(&mut buf, c.state.as_str());
            buf.push(b',');
            field(&mut buf, &t(c.ring_at));
            buf.push(b',');
            opt(&mut buf, c.answered_at.map(t));
            buf.push(b',');
            opt(&mut buf, c.closed_at.map(t));
            buf.push(b',');
            field(&mut buf, &c.caller_number);
            buf.push(b',');
            field(&mut buf, &r.digits);
            buf.push(b',');
            field(&mut buf, &c.taker_id);
            buf.push(b',');
            opt(&mut buf, c.disposition.map(|d| d.as_str()));
            let _ = write!(buf, ",{},{},", c.missed, c.greeting_at.is_some());
            opt(&mut buf, r.rings);
            buf.push(b',');
            opt(&mut buf, r.answer_ms);
            let _ = write!(buf, ",{},", r.done);
            field(&mut buf, &situations);
            buf.push(b'\n');
        }
        let mut w = self.client().copy_in(
            "COPY calls (seat, id, rev, hash, doc, state, ring_at, answered_at, closed_at, caller_number,
                         caller_digits, taker_id, disposition, missed, greeted, rings_before_answer,
                         answer_ms, elements_done, situations) FROM STDIN (FORMAT csv)",
        )?;
        w.write_all(&buf)
            .map_err(|e| StationError::Db(e.to_string()))?;
        Ok(w.finish()?)
    }
}
