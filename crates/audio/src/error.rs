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
    #[error("{path}: the recording is empty")]
    Empty { path: PathBuf },
    #[error("ring sample: {0}")]
    Learn(String),
    #[error("ring profile {name:?}: {reason}")]
    Profile { name: String, reason: String },
    #[error("audio device: {0}")]
    Device(String),
}

impl AudioError {
    /// Stable code for the frontend and the CLI's exit status.
    pub fn code(&self) -> &'static str {
        match self {
            AudioError::Io { .. } => "audio_io",
            AudioError::NotWav { .. } | AudioError::Empty { .. } => "audio_format",
            AudioError::Learn(_) => "ring_learn",
            AudioError::Profile { .. } => "ring_profile",
            AudioError::Device(_) => "audio_device",
        }
    }
}
