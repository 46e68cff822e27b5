//! `jiejing listen`: the desk's live path without a window. A recording
//! (`--wav`) or a device goes through exactly the pipeline the app runs
//! (jiejing_live): ringing heard -> call opened -> answer -> transcript ->
//! greeting marked -> suggestions offered.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use chrono::Utc;
use jiejing_audio::capture::CaptureStatus;
use jiejing_core::{CallState, Clock, FixedClock, SystemClock};
use jiejing_desk::{CallView, Desk};
use jiejing_live::{listen_to_end, rings, Ears, Inline, Input, Speech, Time};

use crate::Usage;

#[derive(clap::Args)]
pub struct ListenArgs {
    /// Listen to this input device (default: the one in Settings, else the
    /// system's default)
    #[arg(long, conflicts_with = "wav")]
    device: Option<String>,
    /// Play this recording through the pipeline as fast as the CPU allows;
    /// the desk's clock follows the file, which is taken to end now
    #[arg(long)]
    wav: Option<PathBuf>,
    /// The caller's line as an input of its own, as in Settings: "right"
    /// (the right channel of the device or recording, the microphone on the
    /// left) or a second device's id
    #[arg(long, value_name = "LINE", default_value = "")]
    caller_line: String,
    /// Stop after this many seconds of audio (a device is heard until then;
    /// without it, until the process is stopped)
    #[arg(long = "for", value_name = "SECONDS")]
    seconds: Option<f64>,
    /// The calls opened, as an array of `calls show ID --json` objects
    #[arg(long)]
    json: bool,
}

pub fn run(a: ListenArgs, data_dir: &Path) -> Result<()> {
    let usage = |m: String| anyhow::Error::new(Usage(m));
    if a.seconds.is_some_and(|s| s.is_nan() || s <= 0.0) {
        return Err(usage("--for: a number of seconds above 0".into()));
    }
    // A file's time is its own: the desk's clock is set from it as it plays.
    let (mut source, fixed): (Input, Option<Arc<FixedClock>>) = match &a.wav {
        Some(f) => {
            let (w, seconds) = Input::wav(f, &a.caller_line).map_err(|e| usage(e.to_string()))?;
            let start = Utc::now() - chrono::Duration::milliseconds((seconds * 1000.0) as i64);
            (w, Some(Arc::new(FixedClock::new(start))))
        }
        None => (
            open_device(a.device.clone(), &a.caller_line).map_err(usage)?,
            None,
        ),
    };
    let clock: Arc<dyn Clock> = match &fixed {
        Some(f) => f.clone(),
        None => Arc::new(SystemClock),
    };
    let mut desk = Desk::open(data_dir, clock)
        .with_context(|| format!("cannot open the database in {}", data_dir.display()))?;
    desk.act_as_admin("cli:listen");
    let settings = desk.settings().clone();
    let rings = rings(data_dir, &desk.files_key());
    if let Some(n) = &rings.note {
        eprintln!("jiejing: {n}");
    }
    let speech;
    let mut inline;
    let ears: &mut dyn Ears = match fixed {
        // A recording can wait for every utterance to be transcribed.
        Some(_) => {
            inline = Inline::for_desk(data_dir, &settings).unwrap_or_else(|e| {
                eprintln!("jiejing: no speech: {e}; get the model with `make model`");
                Inline::new(None)
            });
            &mut inline
        }
        // Live audio cannot: the app's background recogniser.
        None => {
            speech = Speech::new(data_dir, &settings);
            &mut &speech
        }
    };
    let time = match &fixed {
        Some(clock) => Time::File {
            clock,
            start: clock.now(),
        },
        None => Time::Desk,
    };
    let desk = Mutex::new(desk);
    let heard = listen_to_end(&mut source, rings.profiles, &desk, ears, &time, a.seconds)
        .map_err(|e| usage(format!("{}: {e}", what(&a))))?;
    let mut desk = desk.into_inner().unwrap_or_else(|e| e.into_inner());
    let views = heard
        .calls
        .iter()
        .map(|id| desk.call(*id))
        .collect::<Result<Vec<CallView>, _>>()?;
    if a.json {
        out!("{}", serde_json::to_string_pretty(&views)?);
    } else {
        out!(
            "{}: {:.1} s heard, {} call(s)",
            what(&a),
            heard.seconds,
            views.len()
        );
        for v in &views {
            crate::print_call(v);
        }
    }
    for v in views.iter().filter(|v| v.call.state != CallState::Closed) {
        eprintln!(
            "jiejing: call {} was answered and is still in progress: close it in the app",
            v.call.id
        );
    }
    Ok(())
}

fn what(a: &ListenArgs) -> String {
    match (&a.wav, &a.device) {
        (Some(f), _) => f.display().to_string(),
        (None, Some(d)) => format!("device {d:?}"),
        (None, None) => "the default input device".into(),
    }
}

/// The device (and the caller's line), once the device is heard; why not,
/// if it cannot be opened (the app would keep retrying, a command should
/// say so and stop).
fn open_device(device: Option<String>, caller_line: &str) -> Result<Input, String> {
    let (input, status) = Input::capture(device, caller_line);
    let began = std::time::Instant::now();
    loop {
        let now = status
            .lock()
            .map_err(|_| "the capture stopped".to_string())?
            .clone();
        match now {
            CaptureStatus::Listening { .. } => return Ok(input),
            CaptureStatus::NoDevice { wanted: Some(w) } => {
                return Err(format!("no input device {w:?}"))
            }
            CaptureStatus::NoDevice { wanted: None } => return Err("no input device".into()),
            CaptureStatus::Failed { device, error } => return Err(format!("{device}: {error}")),
            _ if began.elapsed() > std::time::Duration::from_secs(10) => {
                return Err("the input device did not start within 10 s".into())
            }
            _ => std::thread::sleep(std::time::Duration::from_millis(50)),
        }
    }
}
