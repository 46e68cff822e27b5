//! `calls audio`: a call's recording written out as WAV, for a lead to
//! hand on or play elsewhere (audited as an export); with the caller's
//! line, in stereo as recorded (left the microphone, right the line).

use std::path::Path;

use anyhow::{Context, Result};
use jiejing_desk::{Desk, DeskError};

use crate::Usage;

pub(crate) fn audio(desk: &mut Desk, seat: &str, id: i64, out: &Path) -> Result<()> {
    if out.exists() {
        return Err(Usage(format!("{}: exists; choose a new file", out.display())).into());
    }
    let to = out.display().to_string();
    let (started, audio) =
        desk.recording_audio(seat, id, "exported", &to)
            .map_err(|e| match e {
                e @ DeskError::NoRecording(..) => anyhow::Error::new(Usage(e.to_string())),
                e => e.into(),
            })?;
    jiejing_audio::write_wav_channels(out, &audio.samples, u16::from(audio.channels))
        .with_context(|| format!("call {id}'s recording not written"))?;
    let local = crate::local(started);
    let whole = if audio.complete {
        ""
    } else {
        " (the desk stopped while recording: it ends early)"
    };
    out!(
        "call {id}: {:.1} s from {local} (UTC+8) written to {to}{whole}",
        audio.seconds()
    );
    Ok(())
}
