//! Who is at the desk: local accounts and their roles.

use serde::{Deserialize, Serialize};

use crate::keyed_enum;
use crate::text::{self, MAX_SHORT_CHARS};
use crate::CoreError;

keyed_enum!(
    /// A call-taker takes calls and sees their own; a shift lead also
    /// reviews, scores, corrects closed calls, manages accounts and exports.
    Role { Taker = "taker", Lead = "lead" }
);

/// An account as the screen sees it (never the PIN hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// The call-taker's number (工号), written on every call they take.
    pub id: String,
    pub name: String,
    pub role: Role,
    pub active: bool,
}

/// Checks a new account's id and name.
///
/// # Errors
/// The field that is wrong.
pub fn validate_user(id: &str, name: &str) -> Result<(String, String), CoreError> {
    let id = text::clean("id", id, MAX_SHORT_CHARS, false)?;
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(CoreError::InvalidValue {
            field: "id".into(),
            reason: "use letters, digits and '-' (the 工号, e.g. 0001)".into(),
        });
    }
    let name = text::clean("name", name, MAX_SHORT_CHARS, false)?;
    if name.is_empty() {
        return Err(CoreError::Required {
            field: "name".into(),
        });
    }
    Ok((id, name))
}

/// A new PIN (or password) against the station's policy: at least
/// `min_len` characters (Settings → pinMinLength, 6 unless the station
/// chose otherwise); anything longer is allowed.
///
/// # Errors
/// [`CoreError::InvalidValue`] for a PIN that is too short.
pub fn validate_pin(pin: &str, min_len: u32) -> Result<(), CoreError> {
    if pin.chars().count() < min_len as usize {
        return Err(CoreError::InvalidValue {
            field: "pin".into(),
            reason: format!("at least {min_len} characters"),
        });
    }
    Ok(())
}
