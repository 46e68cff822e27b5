use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    #[error("{path}: cannot read the file: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not a WAV file this app can read ({reason})")]
    NotWav { path: PathBuf, reason: String },
    #[error("{path}: not a recording this app can read ({reason})")]
    NotRecording { path: PathBuf, reason: String },
    #[error("{path}: another process of this desk is writing it")]
    InUse { path: PathBuf },
    #[error("{path}: the recording is empty")]
    Empty { path: PathBuf },
    #[error("ring sample: {0}")]
    Learn(String),
    #[error("ring profile {name:?}: {reason}")]
    Profile { name: String, reason: String },
    #[error("audio device: {0}")]
    Device(String),
}
