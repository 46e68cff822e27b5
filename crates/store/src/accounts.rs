//! Local accounts. The store keeps the PIN hash; hashing and checking are
//! the desk's (argon2), so no secret passes through here in the clear. On
//! a joined desk every change is queued for the station, and the station's
//! accounts are copied here as people sign in.

use chrono::{DateTime, Utc};
use jiejing_core::{Role, User};
use rusqlite::{params, OptionalExtension, Transaction};

use crate::codec::{key, parse_opt_time, time};
use crate::{Outgoing, Store, StoreError};

impl Store {
    /// Adds an account; `by`: the lead who did (the station asks for that
    /// lead's PIN proof), '' for the command line's administrator.
    ///
    /// # Errors
    /// SQLite errors; a duplicate id is a constraint error.
    pub fn insert_user(
        &mut self,
        user: &User,
        pin_hash: &str,
        at: DateTime<Utc>,
        by: &str,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO users (id, name, role, pin_hash, active, created_at, changed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            params![user.id, user.name, user.role.as_str(), pin_hash, user.active, time(at)],
        )?;
        queue(&tx, &user.id, by)?;
        tx.commit()?;
        Ok(())
    }

    /// The account and its PIN hash.
    ///
    /// # Errors
    /// SQLite errors, [`StoreError::Corrupt`].
    pub fn load_user(&self, id: &str) -> Result<Option<(User, String)>, StoreError> {
        let row = self
            .conn
            .prepare_cached("SELECT id, name, role, active, pin_hash FROM users WHERE id = ?1")?
            .query_row([id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, bool>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })
            .optional()?;
        row.map(|(id, name, role, active, hash)| {
            Ok((
                User {
                    id,
                    name,
                    role: key("role", &role, Role::parse)?,
                    active,
                },
                hash,
            ))
        })
        .transpose()
    }

    /// # Errors
    /// SQLite errors, [`StoreError::Corrupt`].
    pub fn list_users(&self) -> Result<Vec<User>, StoreError> {
        let ids: Vec<String> = self
            .conn
            .prepare_cached("SELECT id FROM users ORDER BY id")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        ids.iter()
            .filter_map(|id| self.load_user(id).transpose())
            .map(|r| r.map(|(u, _)| u))
            .collect()
    }

    /// Changes an account's PIN hash, role or active flag; `by` as for
    /// [`Store::insert_user`].
    ///
    /// # Errors
    /// SQLite errors; `Ok(false)` for an unknown id.
    pub fn update_user(
        &mut self,
        user: &User,
        pin_hash: Option<&str>,
        at: DateTime<Utc>,
        by: &str,
    ) -> Result<bool, StoreError> {
        let tx = self.conn.transaction()?;
        let n = tx.execute(
            "UPDATE users SET name = ?2, role = ?3, active = ?4, pin_hash = coalesce(?5, pin_hash), changed_at = ?6 WHERE id = ?1",
            params![user.id, user.name, user.role.as_str(), user.active, pin_hash, time(at)],
        )?;
        if n == 1 {
            queue(&tx, &user.id, by)?;
        }
        tx.commit()?;
        Ok(n == 1)
    }

    /// When an account last changed here.
    ///
    /// # Errors
    /// SQLite errors, [`StoreError::Corrupt`].
    pub fn user_changed_at(&self, id: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
        let at: Option<Option<String>> = self
            .conn
            .query_row("SELECT changed_at FROM users WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?;
        parse_opt_time(at.flatten())
    }

    /// Keeps the station's copy of an account here (not queued back): the
    /// seat then knows it while offline.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn cache_station_user(&mut self, a: &Account) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO users (id, name, role, pin_hash, active, created_at, changed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role, pin_hash = excluded.pin_hash,
               active = excluded.active, changed_at = excluded.changed_at",
            params![a.user.id, a.user.name, a.user.role.as_str(), a.pin_hash, a.user.active, time(a.changed_at)],
        )?;
        Ok(())
    }
}

impl Store {
    /// The station's word on accounts this seat keeps a copy of: name,
    /// role and whether active, where the station's change is newer than
    /// the copy (a lead disabled it at another seat). The PIN hash stays
    /// as it was: the station hands one out only at a sign-in that knew
    /// the PIN. Accounts this seat has no copy of are not made here.
    /// Returns the ids changed.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn refresh_station_users(
        &mut self,
        states: &[(User, DateTime<Utc>)],
    ) -> Result<Vec<String>, StoreError> {
        let tx = self.conn.transaction()?;
        let mut changed = Vec::new();
        for (u, at) in states {
            let n = tx.execute(
                "UPDATE users SET name = ?2, role = ?3, active = ?4, changed_at = ?5
                 WHERE id = ?1 AND (changed_at IS NULL OR changed_at < ?5)
                   AND (name, role, active) IS NOT (?2, ?3, ?4)",
                params![u.id, u.name, u.role.as_str(), u.active, time(*at)],
            )?;
            if n > 0 {
                changed.push(u.id.clone());
            }
        }
        tx.commit()?;
        Ok(changed)
    }
}

/// An account as the station holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    pub user: User,
    pub pin_hash: String,
    pub changed_at: DateTime<Utc>,
}

/// Queues an account change made by lead `by` (a joined desk only).
fn queue(tx: &Transaction<'_>, id: &str, by: &str) -> Result<(), StoreError> {
    let joined = tx
        .prepare_cached("SELECT 1 FROM station_link")?
        .exists([])?;
    if joined {
        tx.execute(
            "INSERT OR REPLACE INTO account_changes (user_id, by_lead) VALUES (?1, ?2)",
            [id, by],
        )?;
        crate::outbox::enqueue(tx, "account", tx.last_insert_rowid())?;
    }
    Ok(())
}

/// The outbox's reading of a queued account change: the account as it is
/// now, and who changed it with the PIN hash this desk holds for them (the
/// proof the station asks for).
pub(crate) fn read_account(tx: &Transaction<'_>, n: i64) -> Result<Option<Outgoing>, StoreError> {
    type Read = (
        String,
        String,
        String,
        bool,
        String,
        Option<String>,
        String,
        Option<String>,
    );
    let row: Option<Read> = tx
        .prepare_cached(
            "SELECT u.id, u.name, u.role, u.active, u.pin_hash, u.changed_at, a.by_lead, b.pin_hash
             FROM account_changes a JOIN users u ON u.id = a.user_id
             LEFT JOIN users b ON b.id = a.by_lead WHERE a.n = ?1",
        )?
        .query_row([n], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
            ))
        })
        .optional()?;
    row.map(|(id, name, role, active, pin_hash, at, by, proof)| {
        Ok(Outgoing::Account {
            account: Account {
                user: User {
                    id,
                    name,
                    role: key("role", &role, Role::parse)?,
                    active,
                },
                pin_hash,
                changed_at: parse_opt_time(at)?.unwrap_or(DateTime::<Utc>::UNIX_EPOCH),
            },
            by,
            proof: proof.unwrap_or_default(),
        })
    })
    .transpose()
}

/// How a typed id is kept: its SHA-256, never what was typed.
fn typed_key(typed: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(typed.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Store {
    /// Wrong PINs in a row for what was typed as the id, and when the last
    /// was.
    ///
    /// # Errors
    /// SQLite errors, [`StoreError::Corrupt`].
    pub fn sign_in_failures(
        &self,
        typed: &str,
    ) -> Result<Option<(u32, DateTime<Utc>)>, StoreError> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT in_a_row, last_at FROM sign_in_failures WHERE typed_sha256 = ?1",
            )?
            .query_row([typed_key(typed)], |r| {
                Ok((r.get::<_, u32>(0)?, r.get::<_, String>(1)?))
            })
            .optional()?;
        row.map(|(n, at)| Ok((n, crate::codec::parse_time(&at)?)))
            .transpose()
    }

    /// One more wrong PIN for what was typed as the id; how many in a row.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn add_sign_in_failure(
        &mut self,
        typed: &str,
        at: DateTime<Utc>,
    ) -> Result<u32, StoreError> {
        Ok(self.conn.query_row(
            "INSERT INTO sign_in_failures (typed_sha256, in_a_row, last_at) VALUES (?1, 1, ?2)
             ON CONFLICT (typed_sha256) DO UPDATE SET in_a_row = in_a_row + 1, last_at = ?2
             RETURNING in_a_row",
            params![typed_key(typed), time(at)],
            |r| r.get(0),
        )?)
    }

    /// A right PIN: the count starts again.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn clear_sign_in_failures(&mut self, typed: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "DELETE FROM sign_in_failures WHERE typed_sha256 = ?1",
            [typed_key(typed)],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn wrong_pins_are_counted_under_a_hash_of_what_was_typed() {
        let dir = tempfile::tempdir().unwrap();
        let key = crate::DbKey::generate().unwrap();
        let mut store = Store::open(&dir.path().join("db"), &key).unwrap();
        let at = Utc.with_ymd_and_hms(2026, 12, 2, 8, 0, 0).unwrap();
        // A PIN typed into the id field, twice.
        assert_eq!(store.add_sign_in_failure("84736251", at).unwrap(), 1);
        assert_eq!(store.add_sign_in_failure("84736251", at).unwrap(), 2);
        assert_eq!(store.sign_in_failures("84736251").unwrap(), Some((2, at)));
        let kept: Vec<String> = store
            .conn
            .prepare("SELECT typed_sha256 FROM sign_in_failures")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(kept.len(), 1);
        assert!(
            kept[0].len() == 64 && !kept[0].contains("84736251"),
            "{kept:?}"
        );
        store.clear_sign_in_failures("84736251").unwrap();
        assert_eq!(store.sign_in_failures("84736251").unwrap(), None);
    }
}
