//! The one error type that crosses to the frontend, as `{code, message, ...}`.

use jiejing_core::{CoreError, ElementKey, ErrorCode};
use jiejing_desk::DeskError;
use jiejing_live::LiveError;
use serde::Serialize;

/// The UI shows a localized text chosen by `code` (with `field`, `limit`
/// and `missing` filled in) and falls back to the English `message`.
#[derive(Debug, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
    pub field: Option<String>,
    pub limit: Option<u32>,
    pub missing: Vec<ElementKey>,
}

impl From<DeskError> for AppError {
    fn from(e: DeskError) -> Self {
        let core = match &e {
            DeskError::Core(c) => Some(c),
            _ => None,
        };
        AppError {
            code: e.code(),
            message: e.to_string(),
            field: core.and_then(CoreError::field).map(str::to_string),
            limit: match &e {
                // The seconds to wait, for the sign-in screen's sentence.
                DeskError::TooManyAttempts(s) => u32::try_from(*s).ok(),
                _ => core.and_then(CoreError::limit).map(|l| l as u32),
            },
            missing: match core {
                Some(CoreError::MissingElements(m)) => m.clone(),
                _ => Vec::new(),
            },
        }
    }
}

impl From<LiveError> for AppError {
    fn from(e: LiveError) -> Self {
        match e {
            LiveError::Desk(d) => d.into(),
            LiveError::Audio(m) => AppError::new(ErrorCode::Audio, m),
            LiveError::DeskGone => AppError::new(ErrorCode::Internal, e.to_string()),
        }
    }
}

impl AppError {
    fn new(code: ErrorCode, message: String) -> Self {
        AppError {
            code,
            message,
            field: None,
            limit: None,
            missing: Vec::new(),
        }
    }

    /// A poisoned lock means a command panicked mid-way; the database still
    /// holds every committed change, so report it and carry on.
    pub fn internal(what: &str) -> Self {
        AppError::new(ErrorCode::Internal, what.to_string())
    }
}
