//! The recogniser as the app runs it: one [`Live`] worker, restarted when
//! Settings choose another model or turn speech off. The ring listener
//! (`listen.rs`) feeds it utterances and hands what it heard to the desk.

use std::path::Path;
use std::sync::Mutex;

use jiejing_core::Settings;
use jiejing_desk::paths;
use jiejing_speech::live::{Heard, Job, Live, LiveStatus, Loader};
use jiejing_speech::{prompt_for, Transcriber, Whisper};

use crate::listen::locked;

pub struct Speech {
    live: Mutex<Live>,
}

/// The worker for these settings.
fn live_for(data_dir: &Path, s: &Settings) -> Live {
    if !s.speech {
        return Live::off("speech is off in Settings");
    }
    let prompt = prompt_for(&s.city);
    let load: Loader =
        Box::new(move |p| Ok(Box::new(Whisper::load(p, &prompt)?) as Box<dyn Transcriber>));
    Live::start(paths::speech_model(data_dir, &s.speech_model), load)
}

impl Speech {
    pub fn new(data_dir: &Path, s: &Settings) -> Self {
        Speech {
            live: Mutex::new(live_for(data_dir, s)),
        }
    }

    /// Settings changed what speech uses: load again (off the UI thread).
    pub fn restart(&self, data_dir: &Path, s: &Settings) {
        *locked(&self.live) = live_for(data_dir, s);
    }

    pub fn status(&self) -> LiveStatus {
        locked(&self.live).status()
    }

    pub fn send(&self, job: Job) -> bool {
        locked(&self.live).send(job)
    }

    pub fn heard(&self) -> Vec<Heard> {
        locked(&self.live).heard()
    }
}
