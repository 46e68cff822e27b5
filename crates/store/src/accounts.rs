//! Local accounts. The store keeps the PIN hash; hashing and checking are
//! the desk's (argon2), so no secret passes through here in the clear.

use chrono::{DateTime, Utc};
use jiejing_core::{Role, User};
use rusqlite::{params, OptionalExtension};

use crate::codec::{key, time};
use crate::{Store, StoreError};

impl Store {
    /// # Errors
    /// SQLite errors; a duplicate id is a constraint error.
    pub fn insert_user(
        &mut self,
        user: &User,
        pin_hash: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO users (id, name, role, pin_hash, active, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![user.id, user.name, user.role.as_str(), pin_hash, user.active, time(at)],
        )?;
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

    /// Changes an account's PIN hash, role or active flag.
    ///
    /// # Errors
    /// SQLite errors; `Ok(false)` for an unknown id.
    pub fn update_user(&mut self, user: &User, pin_hash: Option<&str>) -> Result<bool, StoreError> {
        let n = self.conn.execute(
            "UPDATE users SET name = ?2, role = ?3, active = ?4, pin_hash = coalesce(?5, pin_hash) WHERE id = ?1",
            params![user.id, user.name, user.role.as_str(), user.active, pin_hash],
        )?;
        Ok(n == 1)
    }
}
