//! `jiejing rings analyze`: the app's ring detector over a recording.

use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::Subcommand;
use jiejing_audio::{
    analyze, describe, forget_learned, learn, read_wav, save_learned, AudioError, RingProfile,
    SealKey,
};

use crate::Usage;

#[derive(Subcommand)]
pub enum RingsCmd {
    /// Count the rings and find the answer in a WAV recording
    Analyze {
        file: PathBuf,
        /// Learn the ring from this recording of the phone first (as the
        /// settings screen does) and listen for that ring only
        #[arg(long)]
        ring_sample: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Learn this phone's ring from 5–10 s of it ringing; the app listens
    /// for that ring alone from its next start
    Learn { sample: PathBuf },
    /// Forget the learned ring (back to the built-in rings)
    Forget,
}

impl RingsCmd {
    /// Learning or forgetting the ring changes what every call-taker's
    /// desk hears: a shift lead's act, as in Settings.
    pub fn changes_the_desk(&self) -> bool {
        matches!(self, RingsCmd::Learn { .. } | RingsCmd::Forget)
    }
}

/// Files the user named that cannot be read are bad input: exit 2.
fn wav(path: &Path) -> Result<Vec<f32>> {
    read_wav(path).map_err(|e| anyhow::Error::new(Usage(e.to_string())))
}

/// `key`: the desk's, which the learned ring is sealed with (`learn`).
pub fn run(cmd: RingsCmd, data_dir: &Path, key: Option<&SealKey>) -> Result<()> {
    let (file, ring_sample, json) = match cmd {
        RingsCmd::Analyze {
            file,
            ring_sample,
            json,
        } => (file, ring_sample, json),
        RingsCmd::Learn { sample } => {
            let p = learn(
                &wav(&sample)?,
                "learned",
                &format!("learned from {}", sample.display()),
            )
            .map_err(|e| anyhow::Error::new(Usage(format!("{}: {e}", sample.display()))))?;
            let key =
                key.ok_or_else(|| anyhow::anyhow!("the desk's key is needed to keep a ring"))?;
            let path = save_learned(data_dir, &p, key)?;
            out!("learned: {}", describe(&p));
            out!(
                "saved to {}; the app uses it from its next start",
                path.display()
            );
            return Ok(());
        }
        RingsCmd::Forget => {
            if forget_learned(data_dir)? {
                out!("forgot the learned ring; the built-in rings apply from the app's next start");
            } else {
                out!("no learned ring");
            }
            return Ok(());
        }
    };
    let samples = wav(&file)?;
    let profiles = match ring_sample {
        Some(s) => {
            let p = learn(&wav(&s)?, "learned", "learned").map_err(|e| match e {
                AudioError::Learn(m) => {
                    anyhow::Error::new(Usage(format!("{}: ring sample: {m}", s.display())))
                }
                e => e.into(),
            })?;
            vec![p]
        }
        None => RingProfile::builtins(),
    };
    let (a, calls) = analyze(&samples, profiles);
    if json {
        out!("{}", serde_json::to_string(&a)?);
        return Ok(());
    }
    if a.rings.is_empty() {
        out!("no ringing heard in {}", file.display());
        return Ok(());
    }
    for (i, r) in a.rings.iter().enumerate() {
        out!(
            "ring {}  {:>7.2} s – {:>7.2} s",
            i + 1,
            r.onset_s,
            r.offset_s
        );
    }
    match a.answer_onset_s {
        Some(t) => out!(
            "answered at {t:.2} s, {:.1} s after the first ring, after {} ring(s): {}",
            t - a.rings[0].onset_s,
            a.rings_before_answer,
            if a.compliant {
                "within three rings"
            } else {
                "MORE THAN THREE RINGS"
            }
        ),
        None => out!("not answered (missed call) after {} ring(s)", a.rings.len()),
    }
    if calls.len() > 1 {
        out!("({} more call(s) later in the recording)", calls.len() - 1);
    }
    Ok(())
}
