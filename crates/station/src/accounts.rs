//! Accounts of the whole station: a lead adds or changes one at any seat
//! (shipped through that seat's outbox), and every seat reads them at
//! sign-in. Of two changes to one account the newer stands; the older one
//! is kept in `conflicts` so a lead sees which change did not take.

use chrono::{DateTime, Utc};
use jiejing_core::{Role, User};
use jiejing_desk::StationSignIn;
use jiejing_store::Account;
use postgres::Transaction;

use crate::{Station, StationError};

/// An account change by lead `by` (`proof`: the PIN hash the seat holds
/// for them), as part of a push. The server decides (schema 0012); a
/// refused change is recorded for the lead rather than dropped unseen.
pub(crate) fn upsert(
    tx: &mut Transaction<'_>,
    seat: &str,
    a: &Account,
    by: &str,
    proof: &str,
) -> Result<(), StationError> {
    let u = &a.user;
    let outcome: String = tx
        .query_one(
            "SELECT jiejing_put_account($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            &[
                &u.id,
                &u.name,
                &u.role.as_str(),
                &u.active,
                &a.pin_hash,
                &a.changed_at,
                &seat,
                &by,
                &proof,
            ],
        )?
        .get(0);
    // What the conflict says of the change, whichever way it went.
    let change = format!(
        "account {}: the change from seat {seat} ({}, {})",
        u.id,
        u.role.as_str(),
        if u.active { "active" } else { "disabled" },
    );
    if outcome == "refused" {
        let who = if by.is_empty() {
            "the command line's administrator (no --as)".to_string()
        } else {
            format!("{by}, whose PIN the station does not take as a lead's")
        };
        let detail = format!("{change} was made by {who}; not taken");
        return crate::followups::record(tx, seat, "account_refused", 0, seat, &detail);
    }
    if outcome == "older" {
        // Not taken: a newer change stands, or this very one came again.
        let newer = tx.query_opt(
            "SELECT changed_by_seat, changed_at FROM accounts WHERE id = $1 AND changed_at > $2",
            &[&u.id, &a.changed_at],
        )?;
        if let Some(r) = newer {
            let (by, at): (String, chrono::DateTime<chrono::Utc>) = (r.get(0), r.get(1));
            let detail = format!("{change} was older than seat {by}'s of {at}, which stands");
            crate::followups::record(tx, &by, "account_crossed", 0, seat, &detail)?;
        }
    }
    Ok(())
}

/// The PIN's proof: its argon2 hash, in PHC form, with the parameters and
/// salt of `salt` (a PHC string without its hash).
fn proof(pin: &str, salt: &str) -> Result<String, StationError> {
    use argon2::password_hash::{PasswordHash, PasswordHasher};
    let bad = |e: argon2::password_hash::Error| corrupt(format!("PIN salt: {e}"));
    let phc = PasswordHash::new(salt).map_err(bad)?;
    let params = argon2::Params::try_from(&phc).map_err(bad)?;
    let salt = phc.salt.ok_or_else(|| corrupt("PIN salt: none"))?;
    let hash = argon2::Argon2::default()
        .hash_password_customized(
            pin.as_bytes(),
            Some(phc.algorithm),
            phc.version,
            params,
            salt,
        )
        .map_err(bad)?;
    Ok(hash.to_string())
}

fn corrupt(e: impl std::fmt::Display) -> StationError {
    StationError::Db(format!(
        "the station holds an account this desk cannot read: {e}"
    ))
}

impl Station {
    /// Signs `id` in at the station, which compares the PIN's proof (its
    /// argon2 hash with the account's salt) itself. The account as the
    /// station holds it, with the proof when it matched, and for an active
    /// lead a session token that this connection now carries: with it,
    /// this seat's login reads across seats. `None`: the station does not
    /// know the account. Any earlier token of this connection is dropped.
    ///
    /// # Errors
    /// Database errors; an account this desk cannot read.
    pub fn sign_in(
        &mut self,
        id: &str,
        pin: &str,
    ) -> Result<Option<(StationSignIn, Option<String>)>, StationError> {
        self.sign_out()?;
        let salt: Option<String> = self
            .client()
            .query_one("SELECT jiejing_pin_salt($1)", &[&id])?
            .get(0);
        let Some(salt) = salt else {
            return Ok(None);
        };
        let proof = proof(pin, &salt)?;
        let Some(r) = self.client().query_opt(
            "SELECT name, role, active, changed_at, matched, token FROM jiejing_sign_in($1, $2)",
            &[&id, &proof],
        )?
        else {
            return Ok(None);
        };
        let role: &str = r.get(1);
        let token: Option<String> = r.get(5);
        if let Some(t) = &token {
            self.carry_lead(t)?;
        }
        let signed = StationSignIn {
            user: User {
                id: id.to_string(),
                name: r.get(0),
                role: Role::parse(role).ok_or_else(|| corrupt(role))?,
                active: r.get(2),
            },
            changed_at: r.get(3),
            pin_hash: r.get::<_, bool>(4).then_some(proof),
        };
        Ok(Some((signed, token)))
    }

    /// Makes this connection a lead's session (after a reconnect).
    ///
    /// # Errors
    /// Database errors.
    pub fn carry_lead(&mut self, token: &str) -> Result<(), StationError> {
        self.client()
            .execute("SELECT set_config('jiejing.lead', $1, false)", &[&token])?;
        Ok(())
    }

    /// Ends this connection's lead session, at the server too.
    ///
    /// # Errors
    /// Database errors.
    pub fn sign_out(&mut self) -> Result<(), StationError> {
        self.client().batch_execute(
            "SELECT jiejing_sign_out(current_setting('jiejing.lead', true));
             SELECT set_config('jiejing.lead', '', false)",
        )?;
        Ok(())
    }

    /// Whether this connection reads every seat's calls: the admin's
    /// login, or a seat's with a lead signed in.
    ///
    /// # Errors
    /// Database errors.
    pub fn reads_all(&mut self) -> Result<bool, StationError> {
        Ok(self
            .client()
            .query_one("SELECT jiejing_reads_all()", &[])?
            .get(0))
    }

    /// Every account with when it last changed, for the seats' copies
    /// ([`crate::sync`] takes them in).
    ///
    /// # Errors
    /// Database errors.
    pub fn account_states(&mut self) -> Result<Vec<(User, DateTime<Utc>)>, StationError> {
        self.client()
            .query(
                "SELECT id, name, role, active, changed_at FROM accounts ORDER BY id",
                &[],
            )?
            .iter()
            .map(|r| {
                let role: &str = r.get(2);
                let user = User {
                    id: r.get(0),
                    name: r.get(1),
                    role: Role::parse(role).ok_or_else(|| corrupt(role))?,
                    active: r.get(3),
                };
                Ok((user, r.get(4)))
            })
            .collect()
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
