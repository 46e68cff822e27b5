//! Accounts of the whole station: a lead adds or changes one at any seat
//! (shipped through that seat's outbox), and every seat reads them at
//! sign-in. Of two changes to one account the newer stands; the older one
//! is kept in `conflicts` so a lead sees which change did not take.

use jiejing_core::{Role, User};
use jiejing_store::Account;
use postgres::Transaction;

use crate::{Station, StationError};

/// An account change, as part of a push.
pub(crate) fn upsert(
    tx: &mut Transaction<'_>,
    seat: &str,
    a: &Account,
) -> Result<(), StationError> {
    let u = &a.user;
    let n = tx.execute(
        "INSERT INTO accounts (id, name, role, active, pin_hash, changed_at, changed_by_seat)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role, active = excluded.active,
            pin_hash = excluded.pin_hash, changed_at = excluded.changed_at, changed_by_seat = excluded.changed_by_seat
         WHERE accounts.changed_at < excluded.changed_at",
        &[&u.id, &u.name, &u.role.as_str(), &u.active, &a.pin_hash, &a.changed_at, &seat],
    )?;
    if n == 0 {
        // Not taken: a newer change stands, or this very one came again.
        let newer = tx.query_opt(
            "SELECT changed_by_seat, changed_at FROM accounts WHERE id = $1 AND changed_at > $2",
            &[&u.id, &a.changed_at],
        )?;
        if let Some(r) = newer {
            let (by, at): (String, chrono::DateTime<chrono::Utc>) = (r.get(0), r.get(1));
            let detail = format!(
                "account {}: the change from seat {seat} ({}, {}) was older than seat {by}'s of {at}, which stands",
                u.id,
                u.role.as_str(),
                if u.active { "active" } else { "disabled" },
            );
            tx.execute(
                "INSERT INTO conflicts (seat, kind, ref, from_seat, detail) VALUES ($1, 'account_crossed', 0, $2, $3)",
                &[&by, &seat, &detail],
            )?;
        }
    }
    Ok(())
}

fn corrupt(e: impl std::fmt::Display) -> StationError {
    StationError::Db(format!(
        "the station holds an account this desk cannot read: {e}"
    ))
}

impl Station {
    /// One account with its PIN hash.
    ///
    /// # Errors
    /// Database errors.
    pub fn account(&mut self, id: &str) -> Result<Option<Account>, StationError> {
        let row = self.client().query_opt(
            "SELECT id, name, role, active, pin_hash, changed_at FROM accounts WHERE id = $1",
            &[&id],
        )?;
        row.map(|r| {
            let role: &str = r.get(2);
            Ok(Account {
                user: User {
                    id: r.get(0),
                    name: r.get(1),
                    role: Role::parse(role).ok_or_else(|| corrupt(role))?,
                    active: r.get(3),
                },
                pin_hash: r.get(4),
                changed_at: r.get(5),
            })
        })
        .transpose()
    }

    /// Every account, by id.
    ///
    /// # Errors
    /// Database errors.
    pub fn accounts(&mut self) -> Result<Vec<User>, StationError> {
        self.client()
            .query(
                "SELECT id, name, role, active FROM accounts ORDER BY id",
                &[],
            )?
            .iter()
            .map(|r| {
                let role: &str = r.get(2);
                Ok(User {
                    id: r.get(0),
                    name: r.get(1),
                    role: Role::parse(role).ok_or_else(|| corrupt(role))?,
                    active: r.get(3),
                })
            })
            .collect()
    }
}
