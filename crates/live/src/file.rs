//! The pipeline over a source that ends (a recording, synthetic audio) or
//! over a device for a set time: `jiejing listen` and the tests.

use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use jiejing_audio::RingProfile;
use jiejing_core::{CallId, FixedClock};
use jiejing_desk::Desk;

use crate::{Ears, Input, LiveError, Pipeline};

/// The longest wait at the end for utterances still being transcribed (a
/// failed one never comes back).
const DRAIN: Duration = Duration::from_secs(30);

/// What a run heard.
#[derive(Debug, Clone, PartialEq)]
pub struct Listened {
    /// The calls opened, in order.
    pub calls: Vec<CallId>,
    /// Seconds of audio heard.
    pub seconds: f64,
}

/// Where the desk's time comes from during a run.
pub enum Time<'a> {
    /// The desk's own clock (live audio).
    Desk,
    /// The source's position: `clock` (the desk's) is set to `start` plus
    /// the seconds heard before each delivery, so a file runs as fast as the
    /// CPU allows and its calls carry the times they had in the file.
    File {
        clock: &'a FixedClock,
        start: DateTime<Utc>,
    },
}

/// Runs `source` through the pipeline until it ends, or for `limit_s`
/// seconds of audio, then settles what is still ringing as the app would
/// when ringing stops: answered if a voice followed the last ring, else
/// missed. An answered call stays in progress for the call-taker.
///
/// # Errors
/// The source failed (the device went away); the desk's lock was poisoned.
pub fn listen_to_end(
    source: &mut Input,
    profiles: Vec<RingProfile>,
    desk: &Mutex<Desk>,
    ears: &mut dyn Ears,
    time: &Time<'_>,
    limit_s: Option<f64>,
) -> Result<Listened, LiveError> {
    let mut p = source.pipeline(profiles);
    let tick = |p: &Pipeline| {
        if let Time::File { clock, start } = time {
            clock.set(*start + chrono::Duration::milliseconds((p.now() * 1000.0) as i64));
        }
    };
    while !source.finished() && limit_s.is_none_or(|l| p.now() < l) {
        let heard = source
            .next(Duration::from_millis(200))
            .map_err(|e| LiveError::Audio(e.to_string()))?;
        if let Some((mic, line)) = heard {
            p.feed(&mic, line.as_deref());
        }
        tick(&p);
        p.deliver(desk, ears, source.behind())?;
    }
    p.finish();
    tick(&p);
    p.deliver(desk, ears, source.behind())?;
    // A background recogniser may still be on the last utterances.
    let began = std::time::Instant::now();
    while ears.pending() > 0 && began.elapsed() < DRAIN {
        std::thread::sleep(Duration::from_millis(50));
        p.deliver(desk, ears, source.behind())?;
    }
    p.deliver(desk, ears, source.behind())?;
    Ok(Listened {
        calls: p.opened().to_vec(),
        seconds: p.now(),
    })
}
