use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use jiejing_core::{
    text, AnswerSource, Call, CallId, CallState, Complaint, Disposition, Element, ElementKey,
    ElementState, Referral, RingMark, Settings, SituationEntry, SituationKind, Urge,
};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use rusqlite_migration::{Migrations, M};
use serde::Serialize;

use crate::codec::{key, key_list, opt_time, parse_opt_time, parse_time, time, SITUATIONS_SQL};
use crate::StoreError;

/// Append-only: add a new file at the end, never edit a shipped one.
pub fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("migrations/0001_calls.sql")),
        M::up(include_str!("migrations/0002_followups.sql")),
        M::up(include_str!("migrations/0003_rings.sql")),
        M::up(include_str!("migrations/0004_report.sql")),
        // The search index is built in Rust (see `search`), for the calls
        // already recorded too.
        M::up_with_hook(
            include_str!("migrations/0005_review.sql"),
            |tx: &Transaction| {
                let ids: Vec<CallId> = tx
                    .prepare("SELECT id FROM calls")?
                    .query_map([], |r| r.get(0))?
                    .collect::<Result<_, _>>()?;
                for id in ids {
                    let call = load_call(tx, id)
                        .map_err(|e| rusqlite_migration::HookError::Hook(e.to_string()))?
                        .ok_or_else(|| {
                            rusqlite_migration::HookError::Hook(format!("call {id} vanished"))
                        })?;
                    crate::search::index(tx, &call)
                        .map_err(|e| rusqlite_migration::HookError::Hook(e.to_string()))?;
                }
                Ok(())
            },
        ),
        M::up(include_str!("migrations/0006_speech.sql")),
        M::up(include_str!("migrations/0007_station.sql")),
        M::up(include_str!("migrations/0008_station_followups.sql")),
        M::up(include_str!("migrations/0009_station_accounts.sql")),
        M::up(include_str!("migrations/0010_station_corrections.sql")),
        M::up(include_str!("migrations/0011_station_reviews.sql")),
        M::up(include_str!("migrations/0012_station_speech.sql")),
        M::up(include_str!("migrations/0013_account_by.sql")),
        M::up(include_str!("migrations/0014_recordings.sql")),
        M::up(include_str!("migrations/0015_station_recordings.sql")),
        M::up(include_str!("migrations/0016_speakers.sql")),
        M::up(include_str!("migrations/0017_deidentified.sql")),
        M::up(include_str!("migrations/0018_sign_in_failures.sql")),
        M::up(include_str!("migrations/0019_audit_keyed.sql")),
        M::up(include_str!("migrations/0020_phrase_language.sql")),
    ])
}

/// One row of a call list.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallSummary {
    pub id: CallId,
    pub state: CallState,
    pub ring_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub caller_number: String,
    pub taker_id: String,
    pub disposition: Option<Disposition>,
    /// Checklist items answered or not applicable, of 8.
    pub elements_done: u32,
    pub situations: Vec<SituationKind>,
    pub repeat_of: Option<CallId>,
}

/// Why a closed call is being saved, for its audit entry.
pub struct AuditNote<'a> {
    pub at: DateTime<Utc>,
    pub actor: &'a str,
    pub action: &'a str,
    /// A JSON object; the call's hash is added to it.
    pub detail: serde_json::Value,
}

/// The database of one station desk.
pub struct Store {
    pub(crate) conn: Connection,
    path: PathBuf,
    /// How long encrypting an older desk's plaintext database took, when
    /// this open did it.
    encrypted_now: Option<std::time::Duration>,
    /// The key the desk's files (recordings) are sealed with.
    files_key: zeroize::Zeroizing<[u8; 32]>,
    /// The key the audit chain's entries are MACed with (`audit.rs`).
    pub(crate) audit_key: zeroize::Zeroizing<[u8; 32]>,
}

const CALL_COLUMNS: &str = "id, state, ring_at, ring_source, answered_at, answer_source, in_progress_at, closed_at, \
     caller_number, taker_id, station_id, greeting_text, greeting_at, repeat_of, notes, disposition, missing_at_close, missed, \
     phrase_language";

impl Store {
    /// Opens (creating if needed) the database at `path` under `key` and
    /// brings its schema up to date. A plaintext database (a desk from
    /// before encryption) is first encrypted in place.
    ///
    /// # Errors
    /// [`StoreError::Folder`] if the folder cannot be made,
    /// [`StoreError::WrongKey`] for a file this key does not open (or not a
    /// database at all), otherwise SQLite or migration errors.
    pub fn open(path: &Path, key: &crate::DbKey) -> Result<Store, StoreError> {
        crate::key::sqlcipher_ready();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Folder {
                path: dir.display().to_string(),
                source,
            })?;
        }
        let encrypted_now = match crate::key::is_plaintext(path) {
            true => Some(crate::key::encrypt_in_place(path, key)?),
            false => None,
        };
        let keys = [key.derive("files"), key.derive("audit chain")];
        Store::setup(Store::connect(path, key)?, path, encrypted_now, keys)
    }

    /// A store without encryption, as desks were before it: the peer the
    /// persist benchmark measures encryption against. In no product build.
    ///
    /// # Errors
    /// As [`Store::open`].
    #[cfg(feature = "plaintext-peer")]
    pub fn open_plaintext(path: &Path) -> Result<Store, StoreError> {
        let keys = [
            zeroize::Zeroizing::new([0; 32]),
            zeroize::Zeroizing::new([0; 32]),
        ];
        Store::setup(Connection::open(path)?, path, None, keys)
    }

    fn setup(
        mut conn: Connection,
        path: &Path,
        encrypted_now: Option<std::time::Duration>,
        [files_key, audit_key]: [zeroize::Zeroizing<[u8; 32]>; 2],
    ) -> Result<Store, StoreError> {
        // WAL lets the CLI read while the app writes; FULL makes each commit
        // durable across power loss, not just a crash of the app: a call
        // record is evidence, and one fsync per keystroke burst is cheap.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrations().to_latest(&mut conn)?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            encrypted_now,
            files_key,
            audit_key,
        })
    }

    /// The key this desk's recordings are sealed with (derived from the
    /// database key, see [`crate::DbKey::derive`]).
    pub fn files_key(&self) -> [u8; 32] {
        *self.files_key
    }

    /// A bare connection to the database at `path`, unlocked with `key`
    /// (no pragmas, no migrations): for tools and tests that read it raw.
    ///
    /// # Errors
    /// [`StoreError::WrongKey`] when the key does not open it.
    pub fn connect(path: &Path, key: &crate::DbKey) -> Result<Connection, StoreError> {
        crate::key::sqlcipher_ready();
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "key", key.pragma())?;
        // SQLCipher reads nothing until the first query: ask now, so a
        // wrong key is said here, in words, not as "file is not a database"
        // from whatever runs next.
        match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        }) {
            Ok(_) => Ok(conn),
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::NotADatabase =>
            {
                Err(StoreError::WrongKey {
                    path: path.display().to_string(),
                    key: key.source().to_string(),
                })
            }
            Err(e) => Err(e.into()),
        }
    }

    /// How long encrypting a plaintext database took, if this open did it.
    pub fn encrypted_now(&self) -> Option<std::time::Duration> {
        self.encrypted_now
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Inserts a new call and sets its id.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn insert_call(&mut self, call: &mut Call) -> Result<(), StoreError> {
        self.insert_calls(std::slice::from_mut(call))
    }

    /// Inserts new calls in one transaction (demo data, imports); sets
    /// their ids.
    ///
    /// # Errors
    /// SQLite errors; nothing is written then.
    pub fn insert_calls(&mut self, calls: &mut [Call]) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        for call in calls {
            tx.prepare_cached(
                "INSERT INTO calls (state, ring_at, ring_source, taker_id, station_id, greeting_text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![call.state.as_str(), time(call.ring_at), call.ring_source.as_str(), call.taker_id, call.station_id, call.greeting_text])?;
            call.id = tx.last_insert_rowid();
            write_call(&tx, call)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Saves calls (already inserted) in one transaction: all or none.
    ///
    /// # Errors
    /// SQLite errors; [`StoreError::Corrupt`] for a call never inserted.
    pub fn save_calls(&mut self, calls: &[&Call]) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        for call in calls {
            write_call(&tx, call)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Saves calls like [`Store::save_calls`] and, for each closed one,
    /// appends an audit entry holding `note` and the hash of the call as
    /// written, in the same transaction.
    ///
    /// # Errors
    /// SQLite errors; nothing is written then.
    pub fn save_calls_audited(
        &mut self,
        calls: &[&Call],
        note: &AuditNote<'_>,
    ) -> Result<(), StoreError> {
        self.save_calls_with_followup(calls, note, None)
    }

    /// As [`Store::save_calls_audited`], and inserts `followup` (its id
    /// set) in the same transaction: a complaint is never on disk without
    /// the follow-up that promises its reply.
    ///
    /// # Errors
    /// SQLite errors; nothing is written then.
    pub fn save_calls_with_followup(
        &mut self,
        calls: &[&Call],
        note: &AuditNote<'_>,
        followup: Option<&mut jiejing_core::FollowUp>,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        if let Some(f) = followup {
            crate::followups::insert_followup(&tx, f)?;
        }
        for call in calls {
            write_call(&tx, call)?;
            if call.state == CallState::Closed {
                let saved = load_call(&tx, call.id)?
                    .ok_or_else(|| StoreError::Corrupt(format!("call {} vanished", call.id)))?;
                let mut detail = note.detail.clone();
                if let serde_json::Value::Object(d) = &mut detail {
                    d.insert("callHash".into(), crate::audit::call_hash(&saved)?.into());
                }
                crate::audit::append(
                    &tx,
                    &self.audit_key,
                    note.at,
                    note.actor,
                    note.action,
                    Some(call.id),
                    &detail,
                )?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// # Errors
    /// SQLite errors, [`StoreError::Corrupt`] for unreadable values.
    pub fn load_call(&self, id: CallId) -> Result<Option<Call>, StoreError> {
        load_call(&self.conn, id)
    }

    /// The calls from caller number `digits`, and those whose complainant
    /// gave it, oldest first (a subject-access request).
    ///
    /// # Errors
    /// SQLite errors.
    pub fn calls_about_number(&self, digits: &str) -> Result<Vec<CallId>, StoreError> {
        let mut ids: Vec<CallId> = self
            .conn
            .prepare("SELECT id FROM calls WHERE caller_digits = ?1")?
            .query_map([digits], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut st = self
            .conn
            .prepare("SELECT call_id, phone FROM complaints WHERE phone <> ''")?;
        let complaints =
            st.query_map([], |r| Ok((r.get::<_, CallId>(0)?, r.get::<_, String>(1)?)))?;
        for c in complaints {
            let (id, phone) = c?;
            if jiejing_core::text::phone_digits(&phone) == digits {
                ids.push(id);
            }
        }
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }

    /// Calls not yet closed, oldest first: after a crash the desk resumes them.
    ///
    /// # Errors
    /// As [`Store::load_call`].
    pub fn open_calls(&self) -> Result<Vec<Call>, StoreError> {
        let ids: Vec<CallId> = self
            .conn
            .prepare_cached("SELECT id FROM calls WHERE state <> 'closed' ORDER BY ring_at, id")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        ids.into_iter()
            .filter_map(|id| self.load_call(id).transpose())
            .collect()
    }

    /// The most recent call from the same number (by digits) that rang at
    /// or after `since`, other than `exclude`.
    ///
    /// # Errors
    /// As [`Store::load_call`].
    pub fn latest_from_number(
        &self,
        number: &str,
        since: DateTime<Utc>,
        exclude: CallId,
    ) -> Result<Option<Call>, StoreError> {
        let digits = text::phone_digits(number);
        if digits.is_empty() {
            return Ok(None);
        }
        // `caller_digits <> ''` repeated so SQLite may use the partial
        // index calls_by_caller: it cannot see that a bound ?1 is not
        // empty, and without it scanned every call (71 ms p50 on a desk of
        // 100,000 calls, growing with the desk).
        let id: Option<CallId> = self
            .conn
            .prepare_cached(
                "SELECT id FROM calls WHERE caller_digits = ?1 AND caller_digits <> '' AND ring_at >= ?2 AND id <> ?3
                 ORDER BY ring_at DESC, id DESC LIMIT 1",
            )?
            .query_row(params![digits, time(since), exclude], |r| r.get(0))
            .optional()?;
        id.map_or(Ok(None), |id| self.load_call(id))
    }

    /// Calls that rang at or after `since` (all if `None`), newest first.
    ///
    /// # Errors
    /// SQLite errors, [`StoreError::Corrupt`].
    pub fn list_calls(
        &self,
        since: Option<DateTime<Utc>>,
        limit: usize,
    ) -> Result<Vec<CallSummary>, StoreError> {
        let since = since.map_or_else(String::new, time);
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT c.id, c.state, c.ring_at, c.answered_at, c.closed_at, c.caller_number, c.taker_id, c.disposition, c.repeat_of,
                    (SELECT count(*) FROM call_elements e WHERE e.call_id = c.id AND e.state IN ('answered', 'not_applicable')),
                    {SITUATIONS_SQL}
             FROM calls c WHERE c.ring_at >= ?1 ORDER BY c.ring_at DESC, c.id DESC LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![since, limit as i64], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, Option<String>>(7)?,
                r.get::<_, Option<i64>>(8)?,
                r.get::<_, u32>(9)?,
                r.get::<_, Option<String>>(10)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (
                id,
                state,
                ring_at,
                answered_at,
                closed_at,
                caller_number,
                taker_id,
                disposition,
                repeat_of,
                done,
                sits,
            ) = row?;
            out.push(CallSummary {
                id,
                state: key("call state", &state, CallState::parse)?,
                ring_at: parse_time(&ring_at)?,
                answered_at: parse_opt_time(answered_at)?,
                closed_at: parse_opt_time(closed_at)?,
                caller_number,
                taker_id,
                disposition: disposition
                    .map(|d| key("disposition", &d, Disposition::parse))
                    .transpose()?,
                elements_done: done,
                situations: key_list("situation", &sits.unwrap_or_default(), SituationKind::parse)?,
                repeat_of,
            });
        }
        Ok(out)
    }

    /// The saved settings, or `None` on a new database.
    ///
    /// # Errors
    /// SQLite errors; [`StoreError::Corrupt`] if the record is not JSON of
    /// the right shape.
    pub fn load_settings(&self) -> Result<Option<Settings>, StoreError> {
        let json: Option<String> = self
            .conn
            .query_row("SELECT value FROM settings WHERE key = 'desk'", [], |r| {
                r.get(0)
            })
            .optional()?;
        let Some(json) = json else { return Ok(None) };
        let corrupt = |e: serde_json::Error| StoreError::Corrupt(format!("settings: {e}"));
        // Fields added since the record was written take their defaults.
        let mut merged = serde_json::to_value(Settings::default()).map_err(corrupt)?;
        let saved: serde_json::Value = serde_json::from_str(&json).map_err(corrupt)?;
        match (merged.as_object_mut(), saved) {
            (Some(m), serde_json::Value::Object(saved)) => m.extend(saved),
            _ => return Err(StoreError::Corrupt("settings: not a JSON object".into())),
        }
        serde_json::from_value(merged).map(Some).map_err(corrupt)
    }

    /// Whether this is a training desk's database (`jiejing-app
    /// --training`): its clock may be set and its calls are exercises.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn training(&self) -> Result<bool, StoreError> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM settings WHERE key = 'training')",
            [],
            |r| r.get(0),
        )?)
    }

    /// Marks the database a training desk's, for good; false (and nothing
    /// marked) once it holds a call: real calls are never mixed with
    /// exercises on a set clock.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn mark_training(&mut self) -> Result<bool, StoreError> {
        let tx = self.conn.transaction()?;
        let has_calls: bool =
            tx.query_row("SELECT EXISTS (SELECT 1 FROM calls)", [], |r| r.get(0))?;
        if !has_calls {
            tx.execute(
                "INSERT OR IGNORE INTO settings (key, value) VALUES ('training', 'true')",
                [],
            )?;
        }
        tx.commit()?;
        Ok(!has_calls)
    }

    /// # Errors
    /// SQLite errors.
    pub fn save_settings(&mut self, s: &Settings) -> Result<(), StoreError> {
        let json = serde_json::to_string(s).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.conn.execute(
            "INSERT OR REPLACE INTO settings (key, value) VALUES ('desk', ?1)",
            [json],
        )?;
        Ok(())
    }
}

/// Loads a call on any connection (a transaction too: the audit hashes a
/// call as written, before its entry commits).
pub(crate) fn load_call(conn: &Connection, id: CallId) -> Result<Option<Call>, StoreError> {
    let sql = format!("SELECT {CALL_COLUMNS} FROM calls WHERE id = ?1");
    let Some(mut call) = conn
        .prepare_cached(&sql)?
        .query_row([id], read_call_row)
        .optional()?
    else {
        return Ok(None);
    };
    call.0 = finish_call(call.0, &call.1)?;
    load_children(conn, &mut call.0)?;
    Ok(Some(call.0))
}

fn load_children(conn: &Connection, call: &mut Call) -> Result<(), StoreError> {
    let id = call.id;
    let mut stmt = conn.prepare_cached(
        "SELECT element, value, state, first_answered_at FROM call_elements WHERE call_id = ?1",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get(1)?,
            r.get::<_, String>(2)?,
            r.get(3)?,
        ))
    })?;
    for row in rows {
        let (k, value, state, first): (String, String, String, Option<String>) = row?;
        let key = key("element", &k, ElementKey::parse)?;
        call.elements[key as usize] = Element {
            key,
            value,
            state: crate::codec::key("element state", &state, ElementState::parse)?,
            first_answered_at: parse_opt_time(first)?,
        };
    }

    let mut stmt = conn.prepare_cached(
        "SELECT kind, at FROM call_situations WHERE call_id = ?1 ORDER BY at, kind",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    for row in rows {
        let (k, at) = row?;
        call.situations.push(SituationEntry {
            kind: key("situation", &k, SituationKind::parse)?,
            at: parse_time(&at)?,
        });
    }

    let mut stmt = conn
        .prepare_cached("SELECT by_call_id, at FROM call_urges WHERE call_id = ?1 ORDER BY at")?;
    let rows = stmt.query_map([id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (by, at) = row?;
        call.urges.push(Urge {
            by_call_id: by,
            at: parse_time(&at)?,
        });
    }

    let mut stmt = conn.prepare_cached(
        "SELECT department, phone, at FROM call_referrals WHERE call_id = ?1 ORDER BY at",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (department, phone, at) = row?;
        call.referrals.push(Referral {
            department,
            phone,
            at: parse_time(&at)?,
        });
    }

    let mut stmt = conn.prepare_cached(
        "SELECT onset_at, offset_at FROM call_rings WHERE call_id = ?1 ORDER BY n",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    for row in rows {
        let (on, off) = row?;
        call.rings.push(RingMark {
            onset: parse_time(&on)?,
            offset: parse_time(&off)?,
        });
    }

    call.complaint = conn
        .prepare_cached(
            "SELECT received_at, name, address, work_unit, phone, what_happened, subject, misconduct_now FROM complaints WHERE call_id = ?1",
        )?
        .query_row([id], |r| read_complaint(r, 0))
        .optional()?
        .map(|(at, c)| Ok::<_, StoreError>(Complaint { received_at: parse_opt_time(at)?, ..c }))
        .transpose()?;
    Ok(())
}

/// Reads `received_at, name, address, work_unit, phone, what_happened,
/// subject, misconduct_now` starting at column `at`; the time is parsed by
/// the caller.
pub(crate) fn read_complaint(
    r: &Row<'_>,
    at: usize,
) -> rusqlite::Result<(Option<String>, Complaint)> {
    Ok((
        r.get(at)?,
        Complaint {
            received_at: None,
            name: r.get(at + 1)?,
            address: r.get(at + 2)?,
            work_unit: r.get(at + 3)?,
            phone: r.get(at + 4)?,
            what_happened: r.get(at + 5)?,
            subject: r.get(at + 6)?,
            misconduct_now: r.get(at + 7)?,
        },
    ))
}

/// Raw text columns that need parsing after the row is read.
struct RawCallText {
    phrase_language: String,
    state: String,
    ring_at: String,
    ring_source: String,
    answered_at: Option<String>,
    answer_source: Option<String>,
    in_progress_at: Option<String>,
    closed_at: Option<String>,
    greeting_at: Option<String>,
    disposition: Option<String>,
    missing: String,
}

fn read_call_row(r: &Row<'_>) -> rusqlite::Result<(Call, RawCallText)> {
    let raw = RawCallText {
        state: r.get(1)?,
        ring_at: r.get(2)?,
        ring_source: r.get(3)?,
        answered_at: r.get(4)?,
        answer_source: r.get(5)?,
        in_progress_at: r.get(6)?,
        closed_at: r.get(7)?,
        greeting_at: r.get(12)?,
        disposition: r.get(15)?,
        missing: r.get(16)?,
        phrase_language: r.get(18)?,
    };
    let mut call = Call::ring(
        DateTime::<Utc>::UNIX_EPOCH,
        AnswerSource::Manual,
        "",
        "",
        "",
    );
    call.id = r.get(0)?;
    call.caller_number = r.get(8)?;
    call.taker_id = r.get(9)?;
    call.station_id = r.get(10)?;
    call.greeting_text = r.get(11)?;
    call.repeat_of = r.get(13)?;
    call.notes = r.get(14)?;
    call.missed = r.get(17)?;
    Ok((call, raw))
}

fn finish_call(mut call: Call, raw: &RawCallText) -> Result<Call, StoreError> {
    call.state = key("call state", &raw.state, CallState::parse)?;
    call.ring_at = parse_time(&raw.ring_at)?;
    call.ring_source = key("ring source", &raw.ring_source, AnswerSource::parse)?;
    call.answered_at = parse_opt_time(raw.answered_at.clone())?;
    call.answer_source = raw
        .answer_source
        .as_deref()
        .map(|s| key("answer source", s, AnswerSource::parse))
        .transpose()?;
    call.in_progress_at = parse_opt_time(raw.in_progress_at.clone())?;
    call.closed_at = parse_opt_time(raw.closed_at.clone())?;
    call.greeting_at = parse_opt_time(raw.greeting_at.clone())?;
    call.disposition = raw
        .disposition
        .as_deref()
        .map(|s| key("disposition", s, Disposition::parse))
        .transpose()?;
    call.missing_at_close = key_list("element", &raw.missing, ElementKey::parse)?;
    call.phrase_language = key(
        "phrase language",
        &raw.phrase_language,
        jiejing_core::PhraseLanguage::parse,
    )?;
    Ok(call)
}

pub(crate) fn write_call(tx: &Transaction<'_>, c: &Call) -> Result<(), StoreError> {
    let missing: Vec<&str> = c.missing_at_close.iter().map(|k| k.as_str()).collect();
    let n = tx.prepare_cached(
        "UPDATE calls SET state = ?2, ring_at = ?3, ring_source = ?4, answered_at = ?5, answer_source = ?6,
            in_progress_at = ?7, closed_at = ?8, caller_number = ?9, caller_digits = ?10, taker_id = ?11,
            station_id = ?12, greeting_text = ?13, greeting_at = ?14, repeat_of = ?15, notes = ?16,
            disposition = ?17, missing_at_close = ?18, missed = ?19,
            rings_before_answer = ?20, answer_ms = ?21, elements_done = ?22, phrase_language = ?23, rev = rev + 1
         WHERE id = ?1",
    )?
    .execute(params![
        c.id,
        c.state.as_str(),
        time(c.ring_at),
        c.ring_source.as_str(),
        opt_time(c.answered_at),
        c.answer_source.map(|s| s.as_str()),
        opt_time(c.in_progress_at),
        opt_time(c.closed_at),
        c.caller_number,
        text::phone_digits(&c.caller_number),
        c.taker_id,
        c.station_id,
        c.greeting_text,
        opt_time(c.greeting_at),
        c.repeat_of,
        c.notes,
        c.disposition.map(|d| d.as_str()),
        missing.join(","),
        c.missed,
        c.ring_timing().map(|t| t.rings_before_answer),
        c.answered_at.map(|a| (a - c.ring_at).num_milliseconds()),
        c.completeness().0 as i64,
        c.phrase_language.as_str(),
    ])?;
    if n != 1 {
        return Err(StoreError::Corrupt(format!(
            "call {} is not in the database",
            c.id
        )));
    }
    let mut el = tx.prepare_cached(
        "INSERT OR REPLACE INTO call_elements (call_id, element, value, state, first_answered_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for e in &c.elements {
        el.execute(params![
            c.id,
            e.key.as_str(),
            e.value,
            e.state.as_str(),
            opt_time(e.first_answered_at)
        ])?;
    }
    // Situations, urges and referrals only ever grow, so insert-or-ignore
    // keeps the first time of each.
    let mut st = tx.prepare_cached(
        "INSERT OR IGNORE INTO call_situations (call_id, kind, at) VALUES (?1, ?2, ?3)",
    )?;
    for s in &c.situations {
        st.execute(params![c.id, s.kind.as_str(), time(s.at)])?;
    }
    let mut st = tx.prepare_cached(
        "INSERT OR IGNORE INTO call_urges (call_id, by_call_id, at) VALUES (?1, ?2, ?3)",
    )?;
    for u in &c.urges {
        st.execute(params![c.id, u.by_call_id, time(u.at)])?;
    }
    let mut st =
        tx.prepare_cached("INSERT OR IGNORE INTO call_referrals (call_id, department, phone, at) VALUES (?1, ?2, ?3, ?4)")?;
    for r in &c.referrals {
        st.execute(params![c.id, r.department, r.phone, time(r.at)])?;
    }
    // Every save of a call passes here (each keystroke), but its rings
    // change once, when the detector reports them: write only rows that
    // differ, and drop any beyond the current list.
    let mut st = tx.prepare_cached(
        "INSERT INTO call_rings (call_id, n, onset_at, offset_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (call_id, n) DO UPDATE SET onset_at = excluded.onset_at, offset_at = excluded.offset_at
         WHERE onset_at <> excluded.onset_at OR offset_at <> excluded.offset_at",
    )?;
    for (i, r) in c.rings.iter().enumerate() {
        st.execute(params![c.id, i as i64 + 1, time(r.onset), time(r.offset)])?;
    }
    tx.prepare_cached("DELETE FROM call_rings WHERE call_id = ?1 AND n > ?2")?
        .execute(params![c.id, c.rings.len() as i64])?;
    crate::search::index(tx, c)?;
    if let Some(cp) = &c.complaint {
        tx.prepare_cached(
            "INSERT OR REPLACE INTO complaints (call_id, received_at, name, address, work_unit, phone, what_happened, subject, misconduct_now)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![c.id, opt_time(cp.received_at), cp.name, cp.address, cp.work_unit, cp.phone, cp.what_happened, cp.subject, cp.misconduct_now])?;
        // The follow-up carries its complaint as the station sees it: a
        // name typed after the follow-up was made is a new revision of it.
        let id: Option<i64> = tx
            .prepare_cached("UPDATE followups SET rev = rev + 1 WHERE call_id = ?1 RETURNING id")?
            .query_row([c.id], |r| r.get(0))
            .optional()?;
        if let Some(id) = id {
            crate::outbox::enqueue(tx, "followup", id)?;
        }
    }
    crate::outbox::enqueue(tx, "call", c.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_validate() {
        migrations().validate().unwrap();
    }
}
