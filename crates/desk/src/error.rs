use jiejing_core::{CallId, CoreError, ErrorCode};
use jiejing_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    #[error(transparent)]
    Core(#[from] CoreError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("no call is in progress; press F2 when the phone rings")]
    NoActiveCall,
    #[error("call {0} is still open; close it before taking another")]
    CallActive(CallId),
    #[error("record {0} not found")]
    NotFound(CallId),
    #[error(transparent)]
    Calendar(#[from] jiejing_calendar::CalendarError),
    #[error("cannot write {0}")]
    Io(String),
    #[error("sign in first")]
    SignInRequired,
    #[error("the desk is locked; enter your PIN")]
    Locked,
    #[error("wrong account or PIN")]
    BadCredentials,
    #[error("too many wrong PINs for this account; try again in {0} s")]
    TooManyAttempts(i64),
    #[error("only a shift lead may do this")]
    Forbidden,
    #[error("call {0} is another call-taker's")]
    NotYours(CallId),
    #[error("call {0} has no recording to play: {1}")]
    NoRecording(CallId, String),
    #[error("the station cannot be reached ({0}); this needs it")]
    StationOffline(String),
    /// The form could not be printed: no Chinese font (where it was looked
    /// for, what to install), or the PDF failed.
    #[error("{0}")]
    Print(String),
}

impl DeskError {
    pub fn code(&self) -> ErrorCode {
        match self {
            DeskError::Core(e) => e.code(),
            DeskError::Store(_) => ErrorCode::Storage,
            DeskError::NoActiveCall => ErrorCode::NoActiveCall,
            DeskError::CallActive(_) => ErrorCode::CallActive,
            DeskError::NotFound(_) | DeskError::NoRecording(..) => ErrorCode::NotFound,
            DeskError::Calendar(_) | DeskError::Print(_) => ErrorCode::BadFile,
            DeskError::Io(_) => ErrorCode::Storage,
            DeskError::SignInRequired => ErrorCode::SignInRequired,
            DeskError::Locked => ErrorCode::Locked,
            DeskError::BadCredentials => ErrorCode::BadCredentials,
            DeskError::TooManyAttempts(_) => ErrorCode::TooManyAttempts,
            DeskError::Forbidden | DeskError::NotYours(_) => ErrorCode::Forbidden,
            DeskError::StationOffline(_) => ErrorCode::StationOffline,
        }
    }
}
