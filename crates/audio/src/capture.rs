//! Live capture from a cpal input device.
//!
//! One worker thread owns the stream (cpal streams are not `Send` on every
//! platform). The audio callback only converts the buffer it is given and
//! hands it on with `try_send`: it never blocks, and a full queue drops the
//! buffer rather than stall the sound system. The worker reopens the device
//! when it fails, disappears or goes silent, so capture resumes by itself
//! when a device is plugged back in; [`Capture::status`] says what is going
//! on, for the screen.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use serde::Serialize;

use crate::pcm::{pick, Pick, Resampler};
use crate::source::{AudioSource, Block};
use crate::timeline::Timeline;
use crate::AudioError;

/// The window over which a device must deliver sound before it is reopened.
const STALL: Duration = Duration::from_secs(3);
/// The share of its own rate a device must deliver in that window. Samples
/// are counted, not callbacks, so a device that keeps calling back with
/// next to nothing is reopened too.
const STALL_SHARE: f64 = 0.25;
/// Pause between attempts to open a missing device.
const RETRY: Duration = Duration::from_secs(2);

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum CaptureStatus {
    Starting,
    Listening {
        device: String,
        rate: u32,
        channels: u16,
    },
    /// No input device (none plugged in, or the chosen one is missing).
    NoDevice {
        wanted: Option<String>,
    },
    /// The device exists but would not open or failed; retrying.
    Failed {
        device: String,
        error: String,
    },
    Stopped,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeviceInfo {
    pub id: String,
    pub name: String,
    pub is_default: bool,
}

/// Input devices of the default host, for the settings screen.
pub fn list_devices() -> Vec<DeviceInfo> {
    let host = cpal::default_host();
    let default = host
        .default_input_device()
        .and_then(|d| d.id().ok())
        .map(|i| i.to_string());
    let Ok(devices) = host.input_devices() else {
        return Vec::new();
    };
    devices
        .filter_map(|d| {
            let id = d.id().ok()?.to_string();
            let name = d
                .description()
                .map(|x| x.to_string())
                .unwrap_or_else(|_| id.clone());
            Some(DeviceInfo {
                is_default: default.as_deref() == Some(&id),
                id,
                name,
            })
        })
        .collect()
}

enum Msg {
    Format {
        rate: u32,
        channels: u16,
    },
    /// A buffer, and when the callback handed it on.
    Data(Vec<f32>, Instant),
}

/// A running capture: an [`AudioSource`] of 16 kHz mono blocks.
pub struct Capture {
    rx: Receiver<Msg>,
    status: Arc<Mutex<CaptureStatus>>,
    stop: Arc<std::sync::atomic::AtomicBool>,
    channels: u16,
    rate: u32,
    pick: Pick,
    resampler: Option<Resampler>,
    mono: Vec<f32>,
    /// The right channel, for a [`LineTap`] (see [`Capture::split`]).
    tap: Option<Tap>,
    /// Fills what the device failed to deliver with silence.
    timeline: Timeline,
}

struct Tap {
    tx: mpsc::Sender<Block>,
    resampler: Option<Resampler>,
    mono: Vec<f32>,
}

/// The right channel of a [`Capture::split`] stream, block for block with
/// the left: an [`AudioSource`] fed as the capture's own blocks are read.
pub struct LineTap {
    rx: Receiver<Block>,
    ended: bool,
}

impl AudioSource for LineTap {
    fn next_block(&mut self, timeout: Duration) -> Result<Option<Block>, AudioError> {
        match self.rx.recv_timeout(timeout) {
            Ok(b) => Ok(Some(b)),
            Err(RecvTimeoutError::Timeout) => Ok(None),
            Err(RecvTimeoutError::Disconnected) => {
                self.ended = true;
                Ok(None)
            }
        }
    }

    fn finished(&self) -> bool {
        self.ended
    }
}

impl Capture {
    /// Starts capturing from `device` (an id from [`list_devices`]) or the
    /// default input, all its channels mixed. Never fails: problems show in
    /// [`Capture::status`].
    pub fn start(device: Option<String>) -> Capture {
        Capture::start_picking(device, Pick::Mix)
    }

    /// As [`Capture::start`], hearing one channel of the input.
    fn start_picking(device: Option<String>, which: Pick) -> Capture {
        let (tx, rx) = mpsc::sync_channel(64);
        let status = Arc::new(Mutex::new(CaptureStatus::Starting));
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (s, st) = (status.clone(), stop.clone());
        std::thread::Builder::new()
            .name("jiejing-capture".into())
            .spawn(move || worker(device, tx, s, st))
            .expect("spawn the capture thread");
        Capture {
            rx,
            status,
            stop,
            channels: 1,
            rate: 0,
            pick: which,
            resampler: None,
            mono: Vec::new(),
            tap: None,
            timeline: Timeline::default(),
        }
    }

    /// One stream of a stereo input heard as two: the capture gives its
    /// left channel (the microphone), the tap its right (the caller's line).
    /// Two streams of one device would each drop and lag on their own, and
    /// silence padded in to pair them could cut a caller's phone number in
    /// two; one stream keeps the channels sample for sample.
    pub fn split(device: Option<String>) -> (Capture, LineTap) {
        let mut c = Capture::start_picking(device, Pick::Left);
        let (tx, rx) = mpsc::channel();
        c.tap = Some(Tap {
            tx,
            resampler: None,
            mono: Vec::new(),
        });
        (c, LineTap { rx, ended: false })
    }

    pub fn status(&self) -> CaptureStatus {
        self.status
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// A handle the UI side can read while the listener owns the capture.
    pub fn status_handle(&self) -> Arc<Mutex<CaptureStatus>> {
        self.status.clone()
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

impl AudioSource for Capture {
    fn next_block(&mut self, timeout: Duration) -> Result<Option<Block>, AudioError> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(Msg::Format { rate, channels }) => {
                    (self.channels, self.rate) = (channels, rate);
                    self.resampler = Some(Resampler::new(rate));
                    if let Some(t) = self.tap.as_mut() {
                        t.resampler = Some(Resampler::new(rate));
                    }
                }
                Ok(Msg::Data(buf, at)) => {
                    let Some(r) = self.resampler.as_mut() else {
                        continue;
                    };
                    let ch = usize::from(self.channels);
                    let secs = (buf.len() / ch) as f64 / f64::from(self.rate);
                    let gap = self.timeline.arrive(at, secs);
                    let silence = (gap * f64::from(crate::SAMPLE_RATE)).round() as usize;
                    self.mono.clear();
                    pick(&buf, ch, self.pick, &mut self.mono);
                    let mut out = vec![0.0; silence];
                    r.process(&self.mono, &mut out);
                    if let Some(t) = self.tap.as_mut() {
                        t.mono.clear();
                        pick(&buf, ch, Pick::Right, &mut t.mono);
                        let mut line = vec![0.0; silence];
                        if let Some(tr) = t.resampler.as_mut() {
                            tr.process(&t.mono, &mut line);
                        }
                        // The tap gone is the listener's business, not ours.
                        let _ = t.tx.send(line);
                    }
                    return Ok(Some(out));
                }
                Err(RecvTimeoutError::Timeout) => return Ok(None),
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(AudioError::Device("the capture thread stopped".into()))
                }
            }
        }
    }

    fn behind(&self) -> Duration {
        self.timeline.behind()
    }
}

fn set(status: &Mutex<CaptureStatus>, s: CaptureStatus) {
    *status.lock().unwrap_or_else(|e| e.into_inner()) = s;
}

fn worker(
    wanted: Option<String>,
    tx: SyncSender<Msg>,
    status: Arc<Mutex<CaptureStatus>>,
    stop: Arc<std::sync::atomic::AtomicBool>,
) {
    use std::sync::atomic::{AtomicU64, Ordering};
    let stopped = || stop.load(Ordering::Relaxed);
    while !stopped() {
        let host = cpal::default_host();
        let device = match &wanted {
            Some(id) => host.input_devices().ok().and_then(|mut ds| {
                ds.find(|d| d.id().map(|i| i.to_string()).as_deref() == Ok(id.as_str()))
            }),
            None => host.default_input_device(),
        };
        let Some(device) = device else {
            set(
                &status,
                CaptureStatus::NoDevice {
                    wanted: wanted.clone(),
                },
            );
            std::thread::sleep(RETRY);
            continue;
        };
        let name = device
            .description()
            .map(|d| d.to_string())
            .or_else(|_| device.id().map(|i| i.to_string()))
            .unwrap_or_default();
        let failed = |e: String| CaptureStatus::Failed {
            device: name.clone(),
            error: e,
        };
        let config = match device.default_input_config() {
            Ok(c) => c,
            Err(e) => {
                set(&status, failed(e.to_string()));
                std::thread::sleep(RETRY);
                continue;
            }
        };
        let (rate, channels) = (config.sample_rate(), config.channels());
        // Stream errors (device unplugged) and the callback's heartbeat.
        let (err_tx, err_rx) = mpsc::channel::<String>();
        let samples = Arc::new(AtomicU64::new(0));
        let stream = build(&device, config, tx.clone(), err_tx, samples.clone());
        let stream = match stream.and_then(|s| s.play().map(|_| s).map_err(|e| e.to_string())) {
            Ok(s) => s,
            Err(e) => {
                set(&status, failed(e));
                std::thread::sleep(RETRY);
                continue;
            }
        };
        if tx.send(Msg::Format { rate, channels }).is_err() {
            return; // the consumer is gone
        }
        // Watch the stream until it fails or stalls. It is "listening" once
        // sound arrives, not when the stream opens: a call taken before
        // then is not heard, and the screen should not say it is.
        let per_second = f64::from(rate) * f64::from(channels);
        let (mut since, mut counted, mut heard) = (Instant::now(), 0u64, false);
        let error = loop {
            if stopped() {
                set(&status, CaptureStatus::Stopped);
                let_go(stream);
                return;
            }
            match err_rx.recv_timeout(Duration::from_millis(50)) {
                Ok(e) => break e,
                Err(mpsc::RecvTimeoutError::Disconnected) => break "the stream closed".into(),
                Err(mpsc::RecvTimeoutError::Timeout) => {}
            }
            if !heard && samples.load(Ordering::Relaxed) > 0 {
                heard = true;
                set(
                    &status,
                    CaptureStatus::Listening {
                        device: name.clone(),
                        rate,
                        channels,
                    },
                );
            }
            let window = since.elapsed();
            if window >= STALL {
                let now = samples.load(Ordering::Relaxed);
                let share = (now - counted) as f64 / (per_second * window.as_secs_f64());
                if share < STALL_SHARE {
                    break format!(
                        "the device delivered {:.0} % of its sound for {} s",
                        share * 100.0,
                        STALL.as_secs()
                    );
                }
                (since, counted) = (Instant::now(), now);
            }
        };
        set(&status, failed(error));
        let_go(stream);
        std::thread::sleep(RETRY);
    }
    set(&status, CaptureStatus::Stopped);
}

/// Closes a stream without waiting for it. Dropping a cpal ALSA stream joins
/// its thread, and when the PulseAudio server behind it has died that thread
/// can stay blocked in the pulse plugin for good: dropped here, the capture
/// worker hung with the screen still saying "listening". A thread that never
/// returns is the lesser loss.
fn let_go(stream: cpal::Stream) {
    let _ = std::thread::Builder::new()
        .name("capture-close".into())
        .spawn(move || drop(stream));
}

fn build(
    device: &cpal::Device,
    config: cpal::SupportedStreamConfig,
    tx: SyncSender<Msg>,
    err_tx: mpsc::Sender<String>,
    samples: Arc<std::sync::atomic::AtomicU64>,
) -> Result<cpal::Stream, String> {
    use cpal::SampleFormat as F;
    let format = config.sample_format();
    let cfg: cpal::StreamConfig = config.into();
    let on_err = move |e: cpal::Error| {
        let _ = err_tx.send(e.to_string());
    };
    macro_rules! stream {
        ($t:ty, $conv:expr) => {{
            let conv = $conv;
            device.build_input_stream(
                cfg,
                move |data: &[$t], _: &cpal::InputCallbackInfo| {
                    samples.fetch_add(data.len() as u64, std::sync::atomic::Ordering::Relaxed);
                    // One buffer per callback; a full queue drops it.
                    let buf: Vec<f32> = data.iter().map(|&s| conv(s)).collect();
                    let msg = Msg::Data(buf, Instant::now());
                    if let Err(TrySendError::Disconnected(_)) = tx.try_send(msg) {
                        // The listener stopped; the worker will notice.
                    }
                },
                on_err,
                None,
            )
        }};
    }
    let s = match format {
        F::F32 => stream!(f32, |s: f32| s),
        F::I16 => stream!(i16, |s: i16| f32::from(s) / 32768.0),
        F::I32 => stream!(i32, |s: i32| s as f32 / 2_147_483_648.0),
        F::U16 => stream!(u16, |s: u16| (f32::from(s) - 32768.0) / 32768.0),
        F::U8 => stream!(u8, |s: u8| (f32::from(s) - 128.0) / 128.0),
        f => return Err(format!("sample format {f} is not supported")),
    };
    s.map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A split capture at 48 kHz stereo with no device: the test feeds the
    /// queue as the worker would.
    fn split_at_48k() -> (SyncSender<Msg>, Capture, LineTap) {
        let (tx, rx) = mpsc::sync_channel(64);
        let (tap_tx, tap_rx) = mpsc::channel();
        let c = Capture {
            rx,
            status: Arc::new(Mutex::new(CaptureStatus::Starting)),
            stop: Arc::new(std::sync::atomic::AtomicBool::new(false)),
            channels: 1,
            rate: 0,
            pick: Pick::Left,
            resampler: None,
            mono: Vec::new(),
            tap: Some(Tap {
                tx: tap_tx,
                resampler: None,
                mono: Vec::new(),
            }),
            timeline: Timeline::default(),
        };
        let line = LineTap {
            rx: tap_rx,
            ended: false,
        };
        tx.send(Msg::Format {
            rate: 48_000,
            channels: 2,
        })
        .unwrap();
        (tx, c, line)
    }

    #[test]
    fn a_split_stream_gives_left_and_right_block_for_block() {
        // Left a steady level, right silent then loud.
        let (tx, mut c, mut line) = split_at_48k();
        let t0 = Instant::now();
        for k in 0..20 {
            let right = if k < 10 { 0.0 } else { 0.5 };
            let at = t0 + Duration::from_millis(100 * k);
            tx.send(Msg::Data([0.25, right].repeat(4_800), at)).unwrap();
        }
        let (mut left, mut right) = (Vec::new(), Vec::new());
        for _ in 0..20 {
            let l = c.next_block(Duration::from_millis(10)).unwrap().unwrap();
            let r = line.next_block(Duration::ZERO).unwrap().unwrap();
            assert_eq!(l.len(), r.len(), "the channels stay in step");
            left.extend(l);
            right.extend(r);
        }
        assert!((31_900..=32_100).contains(&left.len()), "{}", left.len());
        // Away from the resampler's edges: left steady, right steps at 1 s.
        assert!((left[8_000] - 0.25).abs() < 0.01);
        assert!(right[15_000].abs() < 0.01 && (right[17_000] - 0.5).abs() < 0.01);
        drop(c);
        assert!(line.next_block(Duration::ZERO).unwrap().is_none() && line.finished());
    }

    #[test]
    fn what_the_device_failed_to_deliver_is_heard_as_silence_on_both_sides() {
        // 1 s of sound, 4 s with nothing (a stalled device reopened), 1 s
        // more: the stream is 6 s long and the second second starts at 5 s.
        let (tx, mut c, mut line) = split_at_48k();
        let t0 = Instant::now();
        for k in 1..=20u64 {
            let at = t0 + Duration::from_millis(100 * k + if k > 10 { 4_000 } else { 0 });
            tx.send(Msg::Data([0.25, -0.5].repeat(4_800), at)).unwrap();
        }
        let (mut left, mut right) = (Vec::new(), Vec::new());
        for _ in 0..20 {
            left.extend(c.next_block(Duration::from_millis(10)).unwrap().unwrap());
            right.extend(line.next_block(Duration::ZERO).unwrap().unwrap());
        }
        assert_eq!(left.len(), right.len());
        assert!((95_800..=96_100).contains(&left.len()), "{}", left.len());
        for (i, want) in [(8_000, 0.25), (30_000, 0.0), (70_000, 0.0), (88_000, 0.25)] {
            assert!((left[i] - want).abs() < 0.01, "left[{i}] = {}", left[i]);
            assert!(
                (right[i] + 2.0 * want).abs() < 0.02,
                "right[{i}] = {}",
                right[i]
            );
        }
    }
}
