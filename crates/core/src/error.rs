use crate::ElementKey;

/// Every error code the product reports. The UI translates by code, so a
/// code never changes meaning once shipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    TooLong,
    Required,
    InvalidNumber,
    InvalidValue,
    WrongState,
    CallClosed,
    CallActive,
    NoActiveCall,
    NotFound,
    MissingElements,
    BadFile,
    Storage,
    /// Listening: no device, a failed ring recording, a bad ring file.
    Audio,
    /// Nobody is signed in at the desk.
    SignInRequired,
    /// The desk locked itself after the idle time; the PIN unlocks it.
    Locked,
    /// Wrong account or PIN (which of the two is not said).
    BadCredentials,
    /// Too many wrong PINs for the account: wait before the next try.
    TooManyAttempts,
    /// The signed-in role may not do this (a call-taker reviewing, say).
    Forbidden,
    /// A read or write that needs the station, which cannot be reached.
    StationOffline,
    Internal,
}

/// Errors from the call rules and from validating input and data files.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CoreError {
    #[error("{field}: too long, at most {max} characters")]
    TooLong { field: String, max: usize },
    #[error("{field}: required")]
    Required { field: String },
    #[error("{field}: not a valid phone number (digits, +, - and spaces; 3 to 20 digits)")]
    InvalidNumber { field: String },
    #[error("{field}: {reason}")]
    InvalidValue { field: String, reason: String },
    #[error("call is {state}; cannot {action}")]
    WrongState {
        state: &'static str,
        action: &'static str,
    },
    #[error("call is closed; closed calls cannot be changed here")]
    CallClosed,
    #[error("items not established: {}", keys_list(.0))]
    MissingElements(Vec<ElementKey>),
    #[error("{file}:{line}: {key}: {reason}")]
    BadFile {
        file: String,
        line: usize,
        key: String,
        reason: String,
    },
}

fn keys_list(keys: &[ElementKey]) -> String {
    keys.iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

impl CoreError {
    pub fn code(&self) -> ErrorCode {
        match self {
            CoreError::TooLong { .. } => ErrorCode::TooLong,
            CoreError::Required { .. } => ErrorCode::Required,
            CoreError::InvalidNumber { .. } => ErrorCode::InvalidNumber,
            CoreError::InvalidValue { .. } => ErrorCode::InvalidValue,
            CoreError::WrongState { .. } => ErrorCode::WrongState,
            CoreError::CallClosed => ErrorCode::CallClosed,
            CoreError::MissingElements(_) => ErrorCode::MissingElements,
            CoreError::BadFile { .. } => ErrorCode::BadFile,
        }
    }

    /// The field the error is about, for the UI to highlight.
    pub fn field(&self) -> Option<&str> {
        match self {
            CoreError::TooLong { field, .. }
            | CoreError::Required { field }
            | CoreError::InvalidNumber { field }
            | CoreError::InvalidValue { field, .. } => Some(field),
            _ => None,
        }
    }

    /// The limit that was broken, for messages like "at most 500 characters".
    pub fn limit(&self) -> Option<usize> {
        match self {
            CoreError::TooLong { max, .. } => Some(*max),
            _ => None,
        }
    }
}
