//! A call's recording as FLAC: lossless (a lead, and anyone the recording
//! is later shown to, hears exactly what the desk heard; the ring detector
//! can run on it again), about half the size of WAV at 16 kHz/16-bit, and
//! made of self-contained frames. Each frame (4096 samples, 0.26 s) goes
//! to the file as soon as it is full, so a crash loses at most the frame
//! being filled; [`read_recording`] reads such a file up to its last whole
//! frame. [`Recorder::finish`] writes the length and checksum into the
//! header.

use std::fs::File;
use std::path::{Path, PathBuf};

use flac_codec::decode::FlacSampleReader;
use flac_codec::encode::{FlacSampleWriter, Options};

use crate::{AudioError, SAMPLE_RATE};

const BITS: u32 = 16;
/// Full scale as WAV readers take it (i16 / 32768), so 16-bit audio goes
/// through a recording unchanged.
const SCALE: f32 = 32768.0;

/// A recording being written.
pub struct Recorder {
    path: PathBuf,
    channels: u8,
    writer: FlacSampleWriter<File>,
    frames: u64,
    buf: Vec<i32>,
}

/// What a finished recording holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RecordingSize {
    pub seconds: f64,
    pub bytes: u64,
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> AudioError + '_ {
    move |source| AudioError::Io {
        path: path.to_owned(),
        source,
    }
}

fn flac(path: &Path) -> impl Fn(flac_codec::Error) -> AudioError + '_ {
    move |e| match e {
        flac_codec::Error::Io(source) => AudioError::Io {
            path: path.to_owned(),
            source,
        },
        e => AudioError::NotRecording {
            path: path.to_owned(),
            reason: e.to_string(),
        },
    }
}

impl Recorder {
    /// Starts a 16 kHz recording of `channels` interleaved channels at
    /// `path` (its folder is made). An existing file is never overwritten.
    ///
    /// # Errors
    /// The folder or file cannot be made; the file exists.
    pub fn create(path: &Path, channels: u8) -> Result<Self, AudioError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io(path))?;
        }
        let file = File::options()
            .write(true)
            .create_new(true)
            .open(path)
            .map_err(io(path))?;
        // No seek table: the length is not known until the call ends, and
        // a call's recording is read whole.
        let options = Options::default().no_seektable();
        let writer = FlacSampleWriter::new(file, options, SAMPLE_RATE, BITS, channels, None)
            .map_err(flac(path))?;
        Ok(Recorder {
            path: path.to_owned(),
            channels,
            writer,
            frames: 0,
            buf: Vec::new(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Seconds written so far.
    pub fn seconds(&self) -> f64 {
        self.frames as f64 / f64::from(SAMPLE_RATE)
    }

    /// Appends interleaved samples in -1..1 (louder ones are clipped).
    ///
    /// # Errors
    /// The disk is full or gone; the block is not whole frames.
    pub fn write(&mut self, interleaved: &[f32]) -> Result<(), AudioError> {
        let ch = usize::from(self.channels);
        if !interleaved.len().is_multiple_of(ch) {
            return Err(AudioError::NotRecording {
                path: self.path.clone(),
                reason: format!(
                    "{} samples are not whole {ch}-channel frames",
                    interleaved.len()
                ),
            });
        }
        self.buf.clear();
        self.buf.extend(
            interleaved
                .iter()
                .map(|s| ((s * SCALE).round() as i32).clamp(-32768, 32767)),
        );
        self.writer.write(&self.buf).map_err(flac(&self.path))?;
        self.frames += (interleaved.len() / ch) as u64;
        Ok(())
    }

    /// Writes the last frame and the header's length and checksum.
    ///
    /// # Errors
    /// The disk is full or gone.
    pub fn finish(self) -> Result<RecordingSize, AudioError> {
        let seconds = self.seconds();
        self.writer.finalize().map_err(flac(&self.path))?;
        let bytes = std::fs::metadata(&self.path).map_err(io(&self.path))?.len();
        Ok(RecordingSize { seconds, bytes })
    }
}

/// A recording as read back.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    /// Interleaved samples in -1..1.
    pub samples: Vec<f32>,
    pub channels: u8,
    pub sample_rate: u32,
    /// False when the desk stopped while recording (the header has no
    /// length, or the file ends inside a frame): everything before the
    /// last whole frame is here.
    pub complete: bool,
}

impl Recorded {
    pub fn seconds(&self) -> f64 {
        self.samples.len() as f64 / f64::from(self.channels) / f64::from(self.sample_rate)
    }

    /// Every channel averaged: what a lead hears of a call recorded with
    /// the caller's line (the microphone left, the line right) at once.
    pub fn mixed(&self) -> Vec<f32> {
        let mut out = Vec::with_capacity(self.samples.len() / usize::from(self.channels));
        crate::pcm::downmix(&self.samples, usize::from(self.channels), &mut out);
        out
    }

    /// One channel (0: the first).
    pub fn channel(&self, c: u8) -> Vec<f32> {
        let ch = usize::from(self.channels);
        self.samples
            .iter()
            .skip(usize::from(c))
            .step_by(ch)
            .copied()
            .collect()
    }
}

/// Reads a recording made by [`Recorder`], including one a crash left
/// without its last frame or its header's length.
///
/// # Errors
/// The file is missing or unreadable; it is not FLAC; its first frame is
/// already broken.
pub fn read_recording(path: &Path) -> Result<Recorded, AudioError> {
    let file = File::open(path).map_err(io(path))?;
    read_flac(std::io::BufReader::new(file), path)
}

/// As [`read_recording`], from the file's bytes (a recording another seat
/// shipped to the station); `name` says which in errors.
///
/// # Errors
/// As [`read_recording`].
pub fn read_recording_bytes(bytes: &[u8], name: &Path) -> Result<Recorded, AudioError> {
    read_flac(std::io::Cursor::new(bytes), name)
}

fn read_flac(reader: impl std::io::Read, path: &Path) -> Result<Recorded, AudioError> {
    let mut r = FlacSampleReader::new(reader).map_err(flac(path))?;
    let info = r.metadata().streaminfo();
    // Only a finished recording has its length in the header.
    let finished = info.total_samples.is_some();
    let (channels, sample_rate, bits) = (
        info.channels.get(),
        info.sample_rate,
        u32::from(info.bits_per_sample),
    );
    let scale = 1.0 / (1u64 << (bits - 1)) as f32;
    let mut samples = Vec::new();
    let mut chunk = vec![0i32; 16_384];
    let complete = loop {
        match r.read(&mut chunk) {
            Ok(0) => break finished,
            Ok(n) => samples.extend(chunk[..n].iter().map(|&v| v as f32 * scale)),
            Err(e) if samples.is_empty() => return Err(flac(path)(e)),
            Err(_) => break false,
        }
    };
    // A frame cut in the middle of a multi-channel sample is not a sample.
    samples.truncate(samples.len() - samples.len() % usize::from(channels));
    Ok(Recorded {
        samples,
        channels,
        sample_rate,
        complete,
    })
}

/// The loudest absolute sample in each of `buckets` equal stretches of
/// `samples`, for drawing a waveform.
pub fn peaks(samples: &[f32], buckets: usize) -> Vec<f32> {
    if samples.is_empty() || buckets == 0 {
        return Vec::new();
    }
    let per = samples.len().div_ceil(buckets);
    samples
        .chunks(per)
        .map(|c| c.iter().fold(0.0f32, |m, s| m.max(s.abs())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(seconds: f64) -> Vec<f32> {
        let n = (seconds * f64::from(SAMPLE_RATE)) as usize;
        (0..n)
            .map(|i| 0.5 * (i as f32 * 2.0 * std::f32::consts::PI * 440.0 / 16_000.0).sin())
            .collect()
    }

    #[test]
    fn round_trip_is_lossless_at_16_bits() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b/1.flac");
        let pcm = tone(3.3);
        let mut r = Recorder::create(&path, 1).unwrap();
        for block in pcm.chunks(1600) {
            r.write(block).unwrap();
        }
        let size = r.finish().unwrap();
        assert!((size.seconds - 3.3).abs() < 1e-3, "{size:?}");
        assert!(
            size.bytes < (pcm.len() * 2) as u64,
            "FLAC is smaller than WAV"
        );
        let back = read_recording(&path).unwrap();
        assert!(back.complete);
        assert_eq!(back.samples.len(), pcm.len());
        let worst = pcm
            .iter()
            .zip(&back.samples)
            .fold(0.0f32, |m, (a, b)| m.max((a - b).abs()));
        assert!(worst <= 0.5 / 32768.0, "worst error {worst}");
    }

    #[test]
    fn an_existing_recording_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("1.flac");
        std::fs::write(&path, b"kept").unwrap();
        assert!(Recorder::create(&path, 1).is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"kept");
    }

    #[test]
    fn a_crash_keeps_everything_but_the_frame_being_filled() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("1.flac");
        let pcm = tone(10.0);
        let mut r = Recorder::create(&path, 1).unwrap();
        for block in pcm.chunks(1600) {
            r.write(block).unwrap();
        }
        // The process dies: no finish, no destructor.
        std::mem::forget(r);
        let back = read_recording(&path).unwrap();
        assert!(!back.complete);
        let lost = (pcm.len() - back.samples.len()) as f64 / 16_000.0;
        assert!(lost < 1.0, "lost {lost} s");

        // And a frame torn in the middle of being written.
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 700]).unwrap();
        let torn = read_recording(&path).unwrap();
        assert!(!torn.complete);
        let lost = (pcm.len() - torn.samples.len()) as f64 / 16_000.0;
        assert!(lost < 1.0, "lost {lost} s");
        assert_eq!(torn.samples[..], back.samples[..torn.samples.len()]);
    }

    #[test]
    fn not_a_recording_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.flac");
        std::fs::write(&path, b"RIFF....WAVE").unwrap();
        let e = read_recording(&path).unwrap_err().to_string();
        assert!(e.contains("x.flac") && e.contains("not a recording"), "{e}");
        let e = read_recording(&dir.path().join("gone.flac")).unwrap_err();
        assert!(e.to_string().contains("gone.flac"), "{e}");
    }

    #[test]
    fn stereo_keeps_both_channels_apart() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("2.flac");
        let left = tone(1.0);
        let inter: Vec<f32> = left.iter().flat_map(|&s| [s, -s * 0.5]).collect();
        let mut r = Recorder::create(&path, 2).unwrap();
        r.write(&inter).unwrap();
        assert!(r.write(&inter[..3]).is_err());
        r.finish().unwrap();
        let back = read_recording(&path).unwrap();
        assert_eq!(back.channels, 2);
        let right = back.channel(1);
        assert!((right[100] + left[100] * 0.5).abs() < 1e-3);
    }

    #[test]
    fn peaks_follow_the_loud_parts() {
        let mut s = vec![0.01f32; 1000];
        s[950] = 0.9;
        let p = peaks(&s, 10);
        assert_eq!(p.len(), 10);
        assert!(p[9] > 0.8 && p[0] < 0.02);
        assert!(peaks(&[], 10).is_empty());
    }
}
