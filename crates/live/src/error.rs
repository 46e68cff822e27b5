use jiejing_desk::DeskError;

#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    #[error(transparent)]
    Desk(#[from] DeskError),
    /// The microphone, a ring recording or an audio file.
    #[error("{0}")]
    Audio(String),
    /// The desk's lock was poisoned by an earlier panic.
    #[error("the desk was interrupted by an earlier error; restart")]
    DeskGone,
}
