//! Who is at the desk. Sign-in with an account's PIN (argon2id), the idle
//! lock, and the one check every command passes: [`Desk::authorize`]. The
//! check lives here, below the app's commands and the CLI alike, so a role
//! cannot be skipped by calling a command the screen hides.

use argon2::Argon2;
use password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use chrono::{DateTime, Duration, Utc};
use jiejing_core::{validate_pin, validate_user, Role, User};
use serde::Serialize;

use jiejing_store::Account;

use crate::{Desk, DeskError};

/// Who is acting.
pub(crate) enum Actor {
    Nobody,
    User {
        user: User,
        last_active: DateTime<Utc>,
        locked: bool,
    },
    /// The command line: the station administrator who holds the database
    /// file; a shift lead's rights, named in the audit trail.
    Admin(String),
}

/// What a command needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Anyone signed in: taking calls, the follow-up queue.
    Desk,
    /// Review, scores, corrections, exports, accounts, settings.
    Lead,
}

/// The session as the screen sees it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SessionView {
    pub user: Option<User>,
    pub locked: bool,
    pub idle_lock_minutes: u32,
    /// No account exists yet: the screen offers to create the first lead.
    pub first_run: bool,
}

pub(crate) fn hash_pin(pin: &str) -> std::result::Result<String, DeskError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| DeskError::Io(format!("PIN hash: {e}")))
}

/// A hash no PIN matches, checked for an account that does not exist, so
/// an unknown id costs what a known one does and the time of the answer
/// does not say which ids exist.
fn no_account_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_pin("no such account").unwrap_or_default())
}

fn pin_matches(pin: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(pin.as_bytes(), &h)
            .is_ok()
    })
}

type Result<T> = std::result::Result<T, DeskError>;

impl Desk {
    /// Whether the signed-in user may change the ring this desk listens
    /// for (learn this phone's ring, forget it): a shift lead. A wrong ring
    /// profile makes the desk miss or invent calls for every call-taker.
    ///
    /// # Errors
    /// As [`Desk::authorize`].
    pub fn may_change_ring(&mut self) -> Result<()> {
        self.authorize(Need::Lead).map(|_| ())
    }

    /// Passes when the actor may do what `need` names, and counts as
    /// activity for the idle lock. Returns the actor's id for the records.
    ///
    /// # Errors
    /// [`DeskError::SignInRequired`], [`DeskError::Locked`] (also when the
    /// idle time has just run out), [`DeskError::Forbidden`].
    pub fn authorize(&mut self, need: Need) -> Result<String> {
        self.recheck()?;
        let now = self.now();
        match &mut self.actor {
            Actor::Nobody => Err(DeskError::SignInRequired),
            Actor::Admin(name) => Ok(name.clone()),
            Actor::User {
                user,
                last_active,
                locked,
            } => {
                if *locked {
                    return Err(DeskError::Locked);
                }
                if need == Need::Lead && user.role != Role::Lead {
                    return Err(DeskError::Forbidden);
                }
                *last_active = now;
                Ok(user.id.clone())
            }
        }
    }

    /// What every command and read does first: the signed-in account is
    /// read again (a lead may have disabled it or changed its role from
    /// another desk or the command line since sign-in), then the idle lock
    /// is applied. Asking is not activity.
    pub(crate) fn recheck(&mut self) -> Result<()> {
        self.recheck_account()?;
        self.lock_if_idle()
    }

    /// A disabled or removed account is signed out at once (audited); a
    /// changed role or name takes effect at once.
    fn recheck_account(&mut self) -> Result<()> {
        let Actor::User { user, .. } = &self.actor else {
            return Ok(());
        };
        let id = user.id.clone();
        match self.store.load_user(&id)? {
            Some((now, _)) if now.active => {
                if let Actor::User { user, .. } = &mut self.actor {
                    *user = now;
                }
                Ok(())
            }
            _ => {
                let detail = serde_json::json!({ "reason": "account disabled" });
                self.audit_entry(&id, "sign_out", None, detail)?;
                if let Some(link) = self.station.as_mut() {
                    link.sign_out();
                }
                self.actor = Actor::Nobody;
                Ok(())
            }
        }
    }

    /// Locks a signed-in desk whose idle time has run out, on whatever is
    /// asked of it: the screen's poll of the open call must meet the lock
    /// as surely as a change does.
    fn lock_if_idle(&mut self) -> Result<()> {
        let now = self.now();
        let idle = Duration::minutes(i64::from(self.settings.idle_lock_minutes));
        if let Actor::User {
            user,
            last_active,
            locked: locked @ false,
        } = &mut self.actor
        {
            if now - *last_active > idle {
                *locked = true;
                let id = user.id.clone();
                self.audit_entry(&id, "lock", None, serde_json::json!({ "reason": "idle" }))?;
            }
        }
        Ok(())
    }

    /// The signed-in user, if any (locked or not).
    pub fn user(&self) -> Option<&User> {
        match &self.actor {
            Actor::User { user, .. } => Some(user),
            _ => None,
        }
    }

    /// Acts as the station administrator (the CLI), named `name` in the
    /// audit trail.
    pub fn act_as_admin(&mut self, name: &str) {
        self.actor = Actor::Admin(name.to_string());
    }

    /// # Errors
    /// Storage errors.
    pub fn session(&mut self) -> Result<SessionView> {
        self.recheck()?;
        let (user, locked) = match &self.actor {
            Actor::User { user, locked, .. } => (Some(user.clone()), *locked),
            _ => (None, false),
        };
        Ok(SessionView {
            user,
            locked,
            idle_lock_minutes: self.settings.idle_lock_minutes,
            first_run: self.first_run()?,
        })
    }

    /// Whether any account is kept here. The command line acts as the
    /// station administrator only until one is: then as a signed-in lead.
    ///
    /// # Errors
    /// Storage errors.
    pub fn has_accounts(&self) -> Result<bool> {
        Ok(!self.store.list_users()?.is_empty())
    }

    /// No account exists yet: the first one is made without signing in.
    /// A seat of a station is never in that state: its accounts are the
    /// station's, and a seat with no copy yet signs people in there (else
    /// anyone at a new seat could make themselves a lead of the station).
    fn first_run(&self) -> Result<bool> {
        Ok(!self.has_accounts()? && self.store.station_link()?.is_none())
    }

    /// Signs in (at start, on shift change, or to unlock). A failed attempt
    /// is recorded, and says only that the account or PIN is wrong.
    ///
    /// # Errors
    /// [`DeskError::BadCredentials`], storage errors.
    pub fn sign_in(&mut self, id: &str, pin: &str) -> Result<SessionView> {
        // What was typed, as the audit trail names a failed attempt.
        let id: String = id.trim().chars().take(64).collect();
        let id = id.as_str();
        let now = self.now();
        if let Some(wait) = self.sign_in_wait(id, now)? {
            return Err(DeskError::TooManyAttempts(wait));
        }
        let Some(user) = self.check_pin(id, pin)? else {
            // An id that names no account is not written down: it may be a
            // PIN typed into the wrong field.
            let known = self.store.load_user(id)?.is_some();
            let named = if known { id } else { "(unknown id)" };
            let in_a_row = self.store.add_sign_in_failure(id, now)?;
            let detail = serde_json::json!({ "inARow": in_a_row });
            self.audit_entry(named, "sign_in_failed", None, detail)?;
            return Err(DeskError::BadCredentials);
        };
        self.store.clear_sign_in_failures(id)?;
        let action = match &self.actor {
            Actor::User {
                user: u,
                locked: true,
                ..
            } if u.id == user.id => "unlock",
            _ => "sign_in",
        };
        self.audit_entry(
            &user.id,
            action,
            None,
            serde_json::json!({ "role": user.role }),
        )?;
        self.actor = Actor::User {
            user,
            last_active: self.now(),
            locked: false,
        };
        self.session()
    }

    /// # Errors
    /// Storage errors.
    pub fn sign_out(&mut self) -> Result<SessionView> {
        if let Some(u) = self.user().map(|u| u.id.clone()) {
            self.audit_entry(&u, "sign_out", None, serde_json::json!({}))?;
            // A shift handed over: the chain so far is anchored.
            if let Err(e) = self.anchor_audit() {
                eprintln!("jiejing: the audit chain's head was not kept: {e}");
            }
        }
        if let Some(link) = self.station.as_mut() {
            link.sign_out();
        }
        self.actor = Actor::Nobody;
        self.session()
    }

    /// Locks the desk now (the screen's idle timer, or the call-taker
    /// stepping away); the same PIN unlocks it.
    ///
    /// # Errors
    /// Storage errors.
    pub fn lock(&mut self) -> Result<SessionView> {
        if let Actor::User {
            user,
            locked: locked @ false,
            ..
        } = &mut self.actor
        {
            *locked = true;
            let id = user.id.clone();
            self.audit_entry(&id, "lock", None, serde_json::json!({}))?;
        }
        self.session()
    }

    /// Adds an account. The first account needs no sign-in and must be a
    /// shift lead (someone has to be able to review); after that, a lead.
    ///
    /// # Errors
    /// [`DeskError::Forbidden`], invalid id/name/PIN, a taken id.
    pub fn add_user(&mut self, id: &str, name: &str, role: Role, pin: &str) -> Result<User> {
        let first = self.first_run()?;
        let actor = if first {
            if role != Role::Lead {
                return Err(jiejing_core::CoreError::InvalidValue {
                    field: "role".into(),
                    reason: "the first account must be a shift lead".into(),
                }
                .into());
            }
            "setup".to_string()
        } else {
            self.authorize(Need::Lead)?
        };
        let (id, name) = validate_user(id, name)?;
        validate_pin(pin, self.settings.pin_min_length)?;
        if self.store.load_user(&id)?.is_some() {
            return Err(jiejing_core::CoreError::InvalidValue {
                field: "id".into(),
                reason: format!("{id} already has an account"),
            }
            .into());
        }
        let user = User {
            id,
            name,
            role,
            active: true,
        };
        let by = self.user().map(|u| u.id.clone()).unwrap_or_default();
        self.store
            .insert_user(&user, &hash_pin(pin)?, self.now(), &by)?;
        self.audit_entry(
            &actor,
            "add_user",
            None,
            serde_json::json!({ "id": user.id, "role": role }),
        )?;
        Ok(user)
    }

    /// A lead changes an account: role, active, and (if given) a new PIN.
    ///
    /// # Errors
    /// [`DeskError::Forbidden`], an unknown id, a short PIN.
    pub fn update_user(
        &mut self,
        id: &str,
        role: Role,
        active: bool,
        pin: Option<&str>,
    ) -> Result<User> {
        let actor = self.authorize(Need::Lead)?;
        let (mut user, _) =
            self.store
                .load_user(id)?
                .ok_or_else(|| jiejing_core::CoreError::InvalidValue {
                    field: "id".into(),
                    reason: format!("no account {id}"),
                })?;
        let hash = match pin {
            Some(p) => {
                validate_pin(p, self.settings.pin_min_length)?;
                Some(hash_pin(p)?)
            }
            None => None,
        };
        let leads_left = self
            .store
            .list_users()?
            .iter()
            .filter(|u| u.id != user.id && u.active && u.role == Role::Lead)
            .count();
        if leads_left == 0 && !(active && role == Role::Lead) {
            return Err(jiejing_core::CoreError::InvalidValue {
                field: "role".into(),
                reason: "this is the last active shift lead; make another lead first".into(),
            }
            .into());
        }
        user.role = role;
        user.active = active;
        let by = self.user().map(|u| u.id.clone()).unwrap_or_default();
        self.store
            .update_user(&user, hash.as_deref(), self.now(), &by)?;
        let detail = serde_json::json!({ "id": id, "role": role, "active": active, "pinChanged": pin.is_some() });
        self.audit_entry(&actor, "update_user", None, detail)?;
        Ok(user)
    }

    /// The accounts: the station's on a joined desk (this desk's own when
    /// the station cannot be asked).
    ///
    /// # Errors
    /// [`DeskError::Forbidden`], storage errors.
    pub fn users(&mut self) -> Result<Vec<User>> {
        self.authorize(Need::Lead)?;
        if let Some(link) = self.station.as_mut() {
            match link.accounts() {
                Ok(list) => return Ok(list),
                Err(e) => eprintln!("jiejing: accounts at the station: {e}; this seat's copy"),
            }
        }
        Ok(self.store.list_users()?)
    }

    /// Seconds `id` must still wait before its next try, when it has had
    /// the allowed wrong PINs in a row: the setting's wait, doubled with
    /// each further one, at most an hour. The count is kept in the
    /// database, so restarting the app or the command line does not reset
    /// it.
    fn sign_in_wait(&self, id: &str, now: DateTime<Utc>) -> Result<Option<i64>> {
        let Some((n, last)) = self.store.sign_in_failures(id)? else {
            return Ok(None);
        };
        let allowed = self.settings.sign_in_attempts;
        if n < allowed {
            return Ok(None);
        }
        let doubled = 2i64.saturating_pow((n - allowed).min(20));
        let wait = (i64::from(self.settings.sign_in_wait_seconds) * doubled).min(3600);
        let left = wait - (now - last).num_seconds();
        Ok((left > 0).then_some(left))
    }

    /// The active account `id` whose PIN is `pin`. A joined desk asks the
    /// station, which checks the PIN itself (so a call-taker signs in at
    /// any seat, a role change or a disabled account reaches every seat,
    /// and a lead's session may read across seats), and keeps a copy, so
    /// that who signed in here before still can while the station is away.
    /// A change made here and not yet shipped is newer than the station's.
    fn check_pin(&mut self, id: &str, pin: &str) -> Result<Option<User>> {
        let local = self.store.load_user(id)?;
        let here = |local: Option<(User, String)>| {
            // One PIN check whether or not the account exists.
            let hash = local
                .as_ref()
                .map_or(no_account_hash(), |(_, h)| h.as_str());
            let matches = pin_matches(pin, hash);
            local.map(|(u, _)| u).filter(|u| u.active && matches)
        };
        let Some(link) = self.station.as_mut() else {
            return Ok(here(local));
        };
        let remote = match link.sign_in(id, pin) {
            Ok(a) => a,
            Err(e) => {
                eprintln!(
                    "jiejing: sign-in at the station: {e}; accounts as last seen at this seat"
                );
                return Ok(here(local));
            }
        };
        let Some(a) = remote else {
            return Ok(here(local)); // made here, not at the station yet
        };
        if self
            .store
            .user_changed_at(id)?
            .is_some_and(|here| here > a.changed_at)
        {
            link.sign_out(); // the station's role is not this seat's newer one
            return Ok(here(local));
        }
        let Some(pin_hash) = a.pin_hash else {
            return Ok(None); // wrong PIN: the copy here is left as it was
        };
        self.store.cache_station_user(&Account {
            user: a.user.clone(),
            pin_hash,
            changed_at: a.changed_at,
        })?;
        Ok(a.user.active.then_some(a.user))
    }

    /// Appends the audit chain's head to the file beside the key
    /// (`anchors.rs`).
    pub(crate) fn anchor_audit(&self) -> std::result::Result<(), String> {
        let Some(head) = self.store.audit_head().map_err(|e| e.to_string())? else {
            return Ok(());
        };
        let file = crate::paths::anchor_file(&self.data_dir)?;
        crate::anchors::record(&file, &head, self.now())
            .map_err(|e| format!("{}: {e}", file.display()))
    }

    pub(crate) fn audit_entry(
        &mut self,
        actor: &str,
        action: &str,
        call: Option<jiejing_core::CallId>,
        detail: serde_json::Value,
    ) -> Result<()> {
        let now = self.now();
        self.store.audit(now, actor, action, call, &detail)?;
        Ok(())
    }
}
