//! The recogniser seam of the live path. Live audio cannot wait for
//! Whisper, so the app's [`Speech`] transcribes on a worker thread and
//! skips utterances when it falls behind; a recording can wait, so
//! [`Inline`] transcribes each utterance as it is sent and nothing is
//! skipped. The [`crate::Pipeline`] treats both the same.

use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;

use jiejing_core::Settings;
use jiejing_desk::{paths, DataFiles};
use jiejing_speech::live::{Heard, Job, Live, LiveStatus, Loader};
use jiejing_speech::{prompt_for, SpeechError, Transcriber, Whisper};

use crate::listening::locked;

pub trait Ears {
    /// Transcribe this utterance; false if it was skipped.
    fn send(&mut self, job: Job) -> bool;
    /// What was transcribed since the last call, in the order sent.
    fn heard(&mut self) -> Vec<Heard>;
    /// Utterances sent and not yet heard (a stream that ended waits for
    /// them).
    fn pending(&self) -> u32 {
        0
    }
    /// Whether partials are worth sending: text for a screen while the
    /// speaker talks. A recording read as fast as it goes has no screen.
    fn wants_partials(&self) -> bool {
        false
    }
}

/// The app's recogniser: one background worker, restarted when Settings
/// choose another model or turn speech off.
pub struct Speech {
    live: Mutex<Live>,
    /// Utterances queued and not yet returned by `heard`.
    pending: AtomicU32,
}

/// The worker for these settings.
pub fn speech_for(data_dir: &Path, s: &Settings) -> Live {
    if !s.speech {
        return Live::off("speech is off in Settings");
    }
    let prompt = prompt_for(&s.city, &DataFiles::load(data_dir).gazetteer);
    let load: Loader =
        Box::new(move |p| Ok(Box::new(Whisper::load(p, &prompt)?) as Box<dyn Transcriber>));
    Live::start(paths::speech_model(data_dir, &s.speech_model), load)
}

impl Speech {
    pub fn new(data_dir: &Path, s: &Settings) -> Self {
        Speech {
            live: Mutex::new(speech_for(data_dir, s)),
            pending: AtomicU32::new(0),
        }
    }

    /// Settings changed what speech uses: load again (off the UI thread).
    pub fn restart(&self, data_dir: &Path, s: &Settings) {
        *locked(&self.live) = speech_for(data_dir, s);
        self.pending.store(0, Ordering::Relaxed);
    }

    pub fn status(&self) -> LiveStatus {
        locked(&self.live).status()
    }
}

impl Ears for &Speech {
    fn send(&mut self, job: Job) -> bool {
        // A partial may be dropped for newer work and never come back: only
        // finals are waited for.
        let partial = job.partial.is_some();
        let sent = locked(&self.live).send(job);
        if sent && !partial {
            self.pending.fetch_add(1, Ordering::Relaxed);
        }
        sent
    }
    fn heard(&mut self) -> Vec<Heard> {
        let h = locked(&self.live).heard();
        let finals = h.iter().filter(|x| x.partial.is_none()).count();
        let n = u32::try_from(finals).unwrap_or(u32::MAX);
        // A failed utterance never comes back: pending only bounds a wait.
        let _ = self
            .pending
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |p| {
                Some(p.saturating_sub(n))
            });
        h
    }
    fn pending(&self) -> u32 {
        self.pending.load(Ordering::Relaxed)
    }
    fn wants_partials(&self) -> bool {
        true
    }
}

/// Transcribes as it is told, on the caller's thread (a recording played
/// through the pipeline as fast as the CPU allows). Without a transcriber
/// it hears nothing: a desk with speech off.
pub struct Inline {
    t: Option<Box<dyn Transcriber>>,
    done: Vec<Heard>,
    /// Utterances the transcriber failed on, with why.
    pub failures: Vec<String>,
}

impl Inline {
    pub fn new(t: Option<Box<dyn Transcriber>>) -> Self {
        Inline {
            t,
            done: Vec::new(),
            failures: Vec::new(),
        }
    }

    /// The desk's model as Settings choose it; `Ok(None)` with speech off.
    ///
    /// # Errors
    /// The model file is missing or not a Whisper model.
    pub fn for_desk(data_dir: &Path, s: &Settings) -> Result<Self, SpeechError> {
        if !s.speech {
            return Ok(Inline::new(None));
        }
        let model = paths::speech_model(data_dir, &s.speech_model);
        let places = DataFiles::load(data_dir).gazetteer;
        let w = Whisper::load(&model, &prompt_for(&s.city, &places))?;
        Ok(Inline::new(Some(Box::new(w))))
    }
}

impl Ears for Inline {
    fn send(&mut self, job: Job) -> bool {
        let Some(t) = self.t.as_mut() else {
            return false;
        };
        match t.transcribe(&job.pcm) {
            Ok(segments) => {
                self.done.push(Heard {
                    start: job.start,
                    end: job.end,
                    segments,
                    speaker: job.speaker,
                    partial: job.partial,
                });
                true
            }
            Err(e) => {
                self.failures.push(e.to_string());
                false
            }
        }
    }
    fn heard(&mut self) -> Vec<Heard> {
        std::mem::take(&mut self.done)
    }
}
