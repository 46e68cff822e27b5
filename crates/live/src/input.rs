//! What the desk listens to: the desk microphone alone, or with the
//! caller's line as an input of its own — a second device, or the right
//! channel of a stereo line-in whose left is the microphone. Settings name
//! it in one field, `caller_line`: "" (none), "right", or a device id.

use std::path::Path;
use std::time::Duration;

use jiejing_audio::capture::{Capture, CaptureStatus};
use jiejing_audio::{AudioError, AudioSource, Block, Duplex, RingProfile, WavSource};

use crate::Pipeline;

/// The caller's line as the right channel of the microphone's device.
pub const RIGHT_CHANNEL: &str = "right";

pub enum Input {
    One(Box<dyn AudioSource>),
    Two(Duplex),
}

impl Input {
    /// The microphone `device` ("" or `None`: the default input) and the
    /// caller's line as `caller_line` says.
    pub fn capture(
        device: Option<String>,
        caller_line: &str,
    ) -> (Input, std::sync::Arc<std::sync::Mutex<CaptureStatus>>) {
        match caller_line {
            "" => {
                let c = Capture::start(device);
                let status = c.status_handle();
                (Input::One(Box::new(c)), status)
            }
            RIGHT_CHANNEL => {
                let (mic, line) = Capture::split(device);
                let status = mic.status_handle();
                (
                    Input::Two(Duplex::new(Box::new(mic), Box::new(line))),
                    status,
                )
            }
            line => {
                let mic = Capture::start(device);
                let status = mic.status_handle();
                let line = Capture::start(Some(line.to_string()));
                (
                    Input::Two(Duplex::new(Box::new(mic), Box::new(line))),
                    status,
                )
            }
        }
    }

    /// A recording: mono as one microphone, or with `caller_line` "right"
    /// its left channel the microphone and its right the caller's line.
    ///
    /// # Errors
    /// The file cannot be read; another `caller_line` (files have no
    /// devices).
    pub fn wav(path: &Path, caller_line: &str) -> Result<(Input, f64), AudioError> {
        match caller_line {
            "" => {
                let w = WavSource::open(path)?;
                let s = w.seconds();
                Ok((Input::One(Box::new(w)), s))
            }
            RIGHT_CHANNEL => {
                let (mic, line) = WavSource::split(path)?;
                let s = mic.seconds();
                Ok((Input::Two(Duplex::new(Box::new(mic), Box::new(line))), s))
            }
            other => Err(AudioError::Device(format!(
                "a recording's caller line is its right channel ({RIGHT_CHANNEL:?}), not {other:?}"
            ))),
        }
    }

    /// The pipeline for this input.
    pub fn pipeline(&self, profiles: Vec<RingProfile>) -> Pipeline {
        match self {
            Input::One(_) => Pipeline::new(profiles),
            Input::Two(_) => Pipeline::new(profiles).with_caller_line(),
        }
    }

    /// Waits up to `timeout` for the next block: the microphone's and,
    /// with the caller's line, the same stretch of the line.
    ///
    /// # Errors
    /// A source failed.
    pub fn next(
        &mut self,
        timeout: Duration,
    ) -> Result<Option<(Block, Option<Block>)>, AudioError> {
        Ok(match self {
            Input::One(s) => s.next_block(timeout)?.map(|b| (b, None)),
            Input::Two(d) => d.next_pair(timeout)?.map(|(m, l)| (m, Some(l))),
        })
    }

    /// How long ago the end of the last block was heard in the room.
    pub fn behind(&self) -> Duration {
        match self {
            Input::One(s) => s.behind(),
            Input::Two(d) => d.behind(),
        }
    }

    pub fn finished(&self) -> bool {
        match self {
            Input::One(s) => s.finished(),
            Input::Two(d) => d.finished(),
        }
    }
}
