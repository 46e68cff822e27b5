//! Complaint follow-ups: the row, its replies and its history. Replies and
//! log lines only ever grow, so saving appends what is new.

use chrono::NaiveDate;
use jiejing_core::{CallId, Complaint, FollowUp, FollowUpId, FollowUpLog, Reply, ReplyMethod};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::codec::{key, opt_time, parse_opt_time, parse_time, time};
use crate::store::read_complaint;
use crate::{Store, StoreError};

const COLUMNS: &str = "f.id, f.call_id, f.received_at, f.due_date, f.due_at, f.provisional, f.missing_years, f.working_days, f.closed_at";

impl Store {
    /// Saves the due fields and closure, and appends new replies and log lines.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn save_followup(&mut self, f: &FollowUp) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        save_followup(&tx, f)?;
        tx.commit()?;
        Ok(())
    }

    /// # Errors
    /// SQLite errors.
    pub fn followup_id_for_call(&self, call_id: CallId) -> Result<Option<FollowUpId>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM followups WHERE call_id = ?1",
                [call_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// # Errors
    /// SQLite errors, [`StoreError::Corrupt`].
    pub fn load_followup(&self, id: FollowUpId) -> Result<Option<FollowUp>, StoreError> {
        load(&self.conn, id)
    }

    /// Follow-ups by due time, earliest first; open ones only if `open_only`.
    ///
    /// # Errors
    /// SQLite errors, [`StoreError::Corrupt`].
    pub fn followups(&self, open_only: bool) -> Result<Vec<FollowUp>, StoreError> {
        query_followups(
            &self.conn,
            if open_only {
                "WHERE f.closed_at IS NULL"
            } else {
                ""
            },
            &[],
        )
    }
}

/// One follow-up with its replies and history.
pub(crate) fn load(conn: &Connection, id: FollowUpId) -> Result<Option<FollowUp>, StoreError> {
    Ok(query_followups(conn, "WHERE f.id = ?1", &[&id])?.pop())
}

/// `filter` is a fixed WHERE clause from this file; values go in `args`.
fn query_followups(
    conn: &Connection,
    filter: &str,
    args: &[&dyn rusqlite::ToSql],
) -> Result<Vec<FollowUp>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS}, c.received_at, c.name, c.address, c.work_unit, c.phone, c.what_happened, c.subject, c.misconduct_now, ca.taker_id
         FROM followups f LEFT JOIN complaints c ON c.call_id = f.call_id
         LEFT JOIN calls ca ON ca.id = f.call_id {filter} ORDER BY f.due_at, f.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(args, |r| {
        let raw: (
            i64,
            i64,
            String,
            String,
            String,
            bool,
            String,
            u32,
            Option<String>,
        ) = (
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
            r.get(7)?,
            r.get(8)?,
        );
        // A follow-up always has its complaint; LEFT JOIN keeps a
        // damaged database readable rather than hiding the promise.
        let complaint = if r.get::<_, Option<String>>(10)?.is_some() {
            Some(read_complaint(r, 9)?)
        } else {
            None
        };
        let taker: Option<String> = r.get(17)?;
        Ok((raw, complaint, taker.unwrap_or_default()))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (
            (id, call_id, received, due_date, due_at, provisional, missing, wd, closed),
            complaint,
            taker_id,
        ) = row?;
        let complaint = match complaint {
            Some((at, c)) => Complaint {
                received_at: parse_opt_time(at)?,
                ..c
            },
            None => Complaint::default(),
        };
        out.push(FollowUp {
            id,
            call_id,
            received_at: parse_time(&received)?,
            due_date: NaiveDate::parse_from_str(&due_date, "%Y-%m-%d")
                .map_err(|_| StoreError::Corrupt(format!("due date {due_date:?}")))?,
            due_at: parse_time(&due_at)?,
            provisional,
            missing_years: missing
                .split(',')
                .filter(|s| !s.is_empty())
                .map(|y| {
                    y.parse()
                        .map_err(|_| StoreError::Corrupt(format!("year {y:?}")))
                })
                .collect::<Result<_, _>>()?,
            working_days: wd,
            closed_at: parse_opt_time(closed)?,
            taker_id,
            complaint,
            replies: Vec::new(),
            log: Vec::new(),
        });
    }
    for f in &mut out {
        load_followup_children(conn, f)?;
    }
    Ok(out)
}

fn load_followup_children(conn: &Connection, f: &mut FollowUp) -> Result<(), StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT at, by, method, content, outcome, closes, origin FROM followup_replies WHERE followup_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([f.id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get(1)?,
            r.get::<_, String>(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
        ))
    })?;
    for row in rows {
        let (at, by, method, content, outcome, closes, origin) = row?;
        f.replies.push(Reply {
            at: parse_time(&at)?,
            by,
            method: key("reply method", &method, ReplyMethod::parse)?,
            content,
            outcome,
            closes,
            origin,
        });
    }
    let mut stmt = conn
        .prepare_cached("SELECT at, what FROM followup_log WHERE followup_id = ?1 ORDER BY id")?;
    let rows = stmt.query_map([f.id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    for row in rows {
        let (at, what) = row?;
        f.log.push(FollowUpLog {
            at: parse_time(&at)?,
            what,
        });
    }
    Ok(())
}

/// Saves the due fields and closure, appends new replies and log lines,
/// bumps the revision and queues the follow-up for the station.
pub(crate) fn save_followup(
    tx: &rusqlite::Transaction<'_>,
    f: &FollowUp,
) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE followups SET due_date = ?2, due_at = ?3, provisional = ?4, missing_years = ?5, working_days = ?6,
           closed_at = ?7, rev = rev + 1
         WHERE id = ?1",
        params![f.id, f.due_date.to_string(), time(f.due_at), f.provisional, years(&f.missing_years), f.working_days, opt_time(f.closed_at)],
    )?;
    let count = |table: &str| -> Result<usize, StoreError> {
        let n: i64 = tx.query_row(
            &format!("SELECT count(*) FROM {table} WHERE followup_id = ?1"),
            [f.id],
            |r| r.get(0),
        )?;
        Ok(n as usize)
    };
    append_children(tx, f, count("followup_replies")?, count("followup_log")?)?;
    crate::outbox::enqueue(tx, "followup", f.id)
}

fn years(ys: &[i32]) -> String {
    ys.iter().map(i32::to_string).collect::<Vec<_>>().join(",")
}

fn append_children(
    tx: &rusqlite::Transaction<'_>,
    f: &FollowUp,
    replies: usize,
    logs: usize,
) -> Result<(), StoreError> {
    let mut st = tx.prepare_cached(
        "INSERT INTO followup_replies (followup_id, at, by, method, content, outcome, closes, origin) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for r in f.replies.iter().skip(replies) {
        st.execute(params![
            f.id,
            time(r.at),
            r.by,
            r.method.as_str(),
            r.content,
            r.outcome,
            r.closes,
            r.origin
        ])?;
    }
    let mut st =
        tx.prepare_cached("INSERT INTO followup_log (followup_id, at, what) VALUES (?1, ?2, ?3)")?;
    for l in f.log.iter().skip(logs) {
        st.execute(params![f.id, time(l.at), l.what])?;
    }
    Ok(())
}

/// Inserts follow-up `f` (its replies and log too) inside the caller's
/// transaction and sets its id.
pub(crate) fn insert_followup(tx: &Transaction<'_>, f: &mut FollowUp) -> Result<(), StoreError> {
    tx.execute(
            "INSERT INTO followups (call_id, received_at, due_date, due_at, provisional, missing_years, working_days, closed_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                f.call_id,
                time(f.received_at),
                f.due_date.to_string(),
                time(f.due_at),
                f.provisional,
                years(&f.missing_years),
                f.working_days,
                opt_time(f.closed_at)
            ],
        )?;
    f.id = tx.last_insert_rowid();
    append_children(tx, f, 0, 0)?;
    crate::outbox::enqueue(tx, "followup", f.id)?;
    Ok(())
}
