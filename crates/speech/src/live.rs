//! The live recogniser: one worker thread that owns the model and
//! transcribes utterances in the order heard, one at a time, off the
//! screen's thread. Loading happens on that thread too, so a slow or broken
//! model never holds up the desk; its state is in [`LiveStatus`] for the
//! screen, and without a model the desk simply takes calls without speech.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::{DateTime, Utc};
use jiejing_core::Speaker;
use serde::Serialize;

use crate::{Segment, SpeechError, Transcriber};

/// An utterance to transcribe, with when it was spoken and, with the
/// caller's line as an input of its own, by whom.
pub struct Job {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub pcm: Vec<f32>,
    pub speaker: Option<Speaker>,
    /// A partial (its number, as `jiejing_audio::Utterance::partial`):
    /// what was said so far of an utterance still being spoken. Dropped,
    /// and not counted as skipped, when newer work waits behind it.
    pub partial: Option<u64>,
    /// A final whose audio is that partial's: the worker gives the
    /// partial's transcript if it has made it, else transcribes this.
    pub same_as: Option<u64>,
}

/// What the worker heard in one [`Job`].
#[derive(Debug, Clone)]
pub struct Heard {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub segments: Vec<Segment>,
    pub speaker: Option<Speaker>,
    /// The job's [`Job::partial`].
    pub partial: Option<u64>,
}

/// The recogniser as the screen shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct LiveStatus {
    /// "off", "loading", "ready", "missing", "bad".
    pub state: String,
    /// The model file in use or wanted.
    pub model: String,
    /// Why there is no speech, or the last failure.
    pub detail: String,
    /// Utterances transcribed since the model loaded.
    pub done: u32,
    /// How long the last one took (ms, model loaded).
    pub last_ms: Option<u32>,
    /// Utterances skipped because the worker was behind or not ready.
    pub skipped: u32,
}

/// Opens the model at a path (the real one is [`crate::Whisper::load`]; a
/// test gives its own).
pub type Loader = Box<dyn FnOnce(&Path) -> Result<Box<dyn Transcriber>, SpeechError> + Send>;

/// Utterances waiting while one is transcribed; more are skipped (and
/// counted) rather than let the transcript fall ever further behind.
const QUEUE: usize = 4;

/// Partials' transcripts the worker keeps for a final that turns out to
/// be one of them.
const KEEP_PARTIALS: usize = 8;

pub struct Live {
    jobs: Option<SyncSender<Job>>,
    heard: Receiver<Heard>,
    status: Arc<Mutex<LiveStatus>>,
}

fn locked<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Live {
    /// No speech: the desk works without it.
    pub fn off(detail: &str) -> Live {
        let (_, heard) = mpsc::channel();
        Live {
            jobs: None,
            heard,
            status: Arc::new(Mutex::new(LiveStatus {
                state: "off".into(),
                model: String::new(),
                detail: detail.into(),
                done: 0,
                last_ms: None,
                skipped: 0,
            })),
        }
    }

    /// Starts the worker on `model`. A missing or broken file shows in the
    /// status as "missing" / "bad" with what is wrong.
    pub fn start(model: PathBuf, load: Loader) -> Live {
        let status = Arc::new(Mutex::new(LiveStatus {
            state: "loading".into(),
            model: model.display().to_string(),
            detail: String::new(),
            done: 0,
            last_ms: None,
            skipped: 0,
        }));
        let (jobs, rx) = mpsc::sync_channel::<Job>(QUEUE);
        let (tx, heard) = mpsc::channel();
        let st = status.clone();
        std::thread::Builder::new()
            .name("jiejing-speech".into())
            .spawn(move || work(&model, load, &rx, &tx, &st))
            .expect("spawn the speech thread");
        Live {
            jobs: Some(jobs),
            heard,
            status,
        }
    }

    pub fn status(&self) -> LiveStatus {
        locked(&self.status).clone()
    }

    /// Queues an utterance; false (and counted as skipped) if the model is
    /// not ready or the worker is behind.
    pub fn send(&self, job: Job) -> bool {
        let ready = locked(&self.status).state == "ready";
        let partial = job.partial.is_some();
        let sent = ready && self.jobs.as_ref().is_some_and(|j| j.try_send(job).is_ok());
        if !sent && ready && !partial {
            locked(&self.status).skipped += 1;
        }
        sent
    }

    /// What was transcribed since the last call, in order.
    pub fn heard(&self) -> Vec<Heard> {
        self.heard.try_iter().collect()
    }
}

fn work(
    model: &Path,
    load: Loader,
    jobs: &Receiver<Job>,
    heard: &mpsc::Sender<Heard>,
    status: &Mutex<LiveStatus>,
) {
    let set = |state: &str, detail: String| {
        let mut s = locked(status);
        s.state = state.into();
        s.detail = detail;
    };
    if !model.is_file() {
        return set(
            "missing",
            format!(
                "no model file at {}: run `make model`, or choose a ggml Whisper file in Settings",
                model.display()
            ),
        );
    }
    let mut t = match load(model) {
        Ok(t) => t,
        Err(e) => return set("bad", e.to_string()),
    };
    set("ready", String::new());
    // Ends when the desk drops its sender (a new model was chosen, or exit).
    let mut waiting = std::collections::VecDeque::new();
    let mut partials: std::collections::VecDeque<(u64, Vec<Segment>)> = Default::default();
    while let Some(job) = waiting.pop_front().or_else(|| jobs.recv().ok()) {
        waiting.extend(jobs.try_iter());
        // A partial with newer work behind it is out of date: the screen
        // wants the newest words, and a final must not wait on it (a final
        // that is its audio is transcribed whole instead).
        if job.partial.is_some() && !waiting.is_empty() {
            continue;
        }
        let made = job
            .same_as
            .and_then(|id| partials.iter().find(|p| p.0 == id))
            .map(|p| p.1.clone());
        if let Some(segments) = made {
            let h = Heard {
                start: job.start,
                end: job.end,
                segments,
                speaker: job.speaker,
                partial: None,
            };
            if heard.send(h).is_err() {
                return;
            }
            continue;
        }
        let began = Instant::now();
        match t.transcribe(&job.pcm) {
            Ok(segments) => {
                let ms = began.elapsed().as_millis().min(u128::from(u32::MAX)) as u32;
                {
                    let mut s = locked(status);
                    s.done += 1;
                    s.last_ms = Some(ms);
                }
                if let Some(id) = job.partial {
                    partials.push_back((id, segments.clone()));
                    if partials.len() > KEEP_PARTIALS {
                        partials.pop_front();
                    }
                }
                let h = Heard {
                    start: job.start,
                    end: job.end,
                    segments,
                    speaker: job.speaker,
                    partial: job.partial,
                };
                if heard.send(h).is_err() {
                    return;
                }
            }
            Err(e) => locked(status).detail = format!("last utterance not transcribed: {e}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// Says how many samples it got.
    struct Count;
    impl Transcriber for Count {
        fn transcribe(&mut self, pcm: &[f32]) -> Result<Vec<Segment>, SpeechError> {
            Ok(vec![Segment {
                start_s: 0.0,
                end_s: 0.1,
                text: pcm.len().to_string(),
                doubt: Vec::new(),
            }])
        }
    }

    fn wait(live: &Live, state: &str) {
        for _ in 0..200 {
            if live.status().state == state {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!("never {state}: {:?}", live.status());
    }

    /// A worker on `t`, its model loaded.
    fn ready(name: &str, t: fn() -> Box<dyn Transcriber>) -> Live {
        let dir = std::env::temp_dir().join(format!("jiejing-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("m.bin");
        std::fs::write(&file, b"x").unwrap();
        let live = Live::start(file, Box::new(move |_| Ok(t())));
        wait(&live, "ready");
        live
    }

    /// The next `n` transcripts heard (text, partial), within 2 s.
    fn next(live: &Live, n: usize) -> Vec<(String, Option<u64>)> {
        let mut got = Vec::new();
        for _ in 0..200 {
            got.extend(
                live.heard()
                    .into_iter()
                    .map(|h| (h.segments[0].text.clone(), h.partial)),
            );
            if got.len() >= n {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        got
    }

    fn job(n: usize) -> Job {
        Job {
            start: DateTime::UNIX_EPOCH,
            end: DateTime::UNIX_EPOCH,
            pcm: vec![0.0; n],
            speaker: None,
            partial: None,
            same_as: None,
        }
    }

    #[test]
    fn transcribes_in_order_heard() {
        let live = ready("live", || Box::new(Count));
        for n in [3, 1, 2] {
            assert!(live.send(job(n)));
            std::thread::sleep(Duration::from_millis(20));
        }
        let got: Vec<String> = next(&live, 3).into_iter().map(|h| h.0).collect();
        assert_eq!(got, ["3", "1", "2"]);
        assert_eq!(live.status().done, 3);
    }

    /// Takes its time, so work queues behind it.
    struct Slow;
    impl Transcriber for Slow {
        fn transcribe(&mut self, pcm: &[f32]) -> Result<Vec<Segment>, SpeechError> {
            std::thread::sleep(Duration::from_millis(100));
            Count.transcribe(pcm)
        }
    }

    #[test]
    fn a_partial_with_work_behind_it_is_dropped_unskipped() {
        let live = ready("live-p", || Box::new(Slow));
        let partial = |n, id| Job {
            partial: Some(id),
            ..job(n)
        };
        // The first is taken at once; the next two wait behind it.
        assert!(live.send(partial(1, 1)));
        std::thread::sleep(Duration::from_millis(20));
        assert!(live.send(partial(2, 2)));
        assert!(live.send(job(3)));
        let got = next(&live, 2);
        assert_eq!(got, [("1".to_string(), Some(1)), ("3".to_string(), None)]);
        assert_eq!(live.status().skipped, 0);
        // A final whose audio is partial 1's gets its transcript without a
        // second transcription; one whose partial was dropped (2) is
        // transcribed.
        let done = live.status().done;
        assert!(live.send(Job {
            same_as: Some(1),
            ..job(9)
        }));
        assert!(live.send(Job {
            same_as: Some(2),
            ..job(7)
        }));
        let got = next(&live, 2);
        assert_eq!(got, [("1".to_string(), None), ("7".to_string(), None)]);
        assert_eq!(live.status().done, done + 1);
    }

    #[test]
    fn a_missing_or_bad_model_says_so_and_takes_nothing() {
        let live = Live::start(
            PathBuf::from("/no/such/model.bin"),
            Box::new(|_| unreachable!("not loaded")),
        );
        wait(&live, "missing");
        assert!(live.status().detail.contains("/no/such/model.bin"));
        assert!(!live.send(job(1)));

        let bad = std::env::temp_dir().join(format!("jiejing-bad-{}.bin", std::process::id()));
        std::fs::write(&bad, b"not a model").unwrap();
        let live = Live::start(
            bad.clone(),
            Box::new(|p| Ok(Box::new(crate::Whisper::load(p, "")?) as Box<dyn Transcriber>)),
        );
        wait(&live, "bad");
        assert!(
            live.status().detail.contains("wrong magic"),
            "{:?}",
            live.status()
        );
        std::fs::remove_file(bad).ok();
    }
}
