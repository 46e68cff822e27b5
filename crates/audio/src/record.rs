//! A call's recording: FLAC frames, sealed with the desk's key
//! ([`crate::sealed`]). FLAC is lossless (a lead, and anyone the recording
//! is later shown to, hears exactly what the desk heard; the ring detector
//! can run on it again), about half the size of WAV at 16 kHz/16-bit, and
//! made of self-contained frames. Each frame (4096 samples, 0.26 s) is
//! sealed and written as soon as it is full, so a crash loses at most the
//! frame being filled; [`read_recording`] reads such a file up to its last
//! whole frame. [`Recorder::finish`] writes the end record. Recordings a
//! desk made before sealing (plain FLAC files) are still read.
//!
//! A recorder holds an exclusive lock on its file while it writes (the
//! lock goes with the process, so a crash frees it): a file nobody holds
//! is one a stopped desk left, which [`Recorder::resume`] goes on with.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use flac_codec::decode::{FlacSampleReader, FlacStreamReader};
use flac_codec::encode::{FlacSampleWriter, FlacStreamWriter, Options};

use crate::sealed::{self, SealKey, SealedWriter};
use crate::{AudioError, SAMPLE_RATE};

const BITS: u32 = 16;
/// Full scale as WAV readers take it (i16 / 32768), so 16-bit audio goes
/// through a recording unchanged.
const SCALE: f32 = 32768.0;
/// Samples per channel in a frame, as FLAC encoders make them.
const BLOCK: usize = 4096;

/// Where the encoder puts a frame, for the recorder to seal.
#[derive(Clone, Default)]
struct FrameBytes(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for FrameBytes {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.take_lock().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl FrameBytes {
    fn take_lock(&self) -> std::sync::MutexGuard<'_, Vec<u8>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.take_lock())
    }
}

/// A recording being written.
pub struct Recorder {
    path: PathBuf,
    channels: u8,
    encoder: FlacStreamWriter<FrameBytes>,
    frame: FrameBytes,
    out: SealedWriter<File>,
    /// Samples (interleaved) not yet a whole frame.
    pending: Vec<i32>,
    frames: u64,
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
        e => not_recording(path, e.to_string()),
    }
}

fn not_recording(path: &Path, reason: String) -> AudioError {
    AudioError::NotRecording {
        path: path.to_owned(),
        reason,
    }
}

impl Recorder {
    /// Starts a 16 kHz recording of `channels` interleaved channels at
    /// `path` (its folder is made), sealed with `key`. An existing file is
    /// never overwritten.
    ///
    /// # Errors
    /// The folder or file cannot be made; the file exists.
    pub fn create(path: &Path, channels: u8, key: &SealKey) -> Result<Self, AudioError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io(path))?;
        }
        let file = File::options()
            .write(true)
            .create_new(true)
            .open(path)
            .map_err(io(path))?;
        lock(&file, path)?;
        let out = SealedWriter::new(file, key).map_err(io(path))?;
        Ok(Recorder::writing(path, channels, out, 0))
    }

    /// A recorder writing frames to `out`, `frames` samples already in it.
    fn writing(path: &Path, channels: u8, out: SealedWriter<File>, frames: u64) -> Recorder {
        let frame = FrameBytes::default();
        Recorder {
            path: path.to_owned(),
            channels,
            encoder: FlacStreamWriter::new(frame.clone(), Options::default()),
            frame,
            out,
            pending: Vec::new(),
            frames,
        }
    }

    /// Goes on with the recording at `path` that a stopped desk left
    /// (sealed with `key`, of `channels` channels): whatever followed its
    /// last whole frame (a torn frame, an end record) is cut off and the
    /// next [`Recorder::write`] follows that frame.
    ///
    /// # Errors
    /// [`AudioError::InUse`] while another process writes it; the file is
    /// missing, plain FLAC (made before sealing), not this key's, or of
    /// other channels.
    pub fn resume(path: &Path, channels: u8, key: &SealKey) -> Result<Self, AudioError> {
        let mut file = File::options()
            .read(true)
            .write(true)
            .open(path)
            .map_err(io(path))?;
        lock(&file, path)?;
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut file, &mut bytes).map_err(io(path))?;
        if !bytes.starts_with(sealed::MAGIC) {
            return Err(not_recording(
                path,
                "a plain FLAC file from before sealing cannot be continued".into(),
            ));
        }
        let opened = sealed::open(&bytes, key).map_err(|e| not_recording(path, e))?;
        let frames = guarded(path, || Ok(decode_frames(&opened.records)))?;
        if frames.whole > 0 && frames.channels != channels {
            return Err(not_recording(
                path,
                format!("it has {} channel(s), not {channels}", frames.channels),
            ));
        }
        let keep = match frames.whole {
            0 => sealed::MAGIC.len(),
            n => opened.ends[n - 1],
        };
        file.set_len(keep as u64).map_err(io(path))?;
        std::io::Seek::seek(&mut file, std::io::SeekFrom::End(0)).map_err(io(path))?;
        let out = SealedWriter::continuing(file, key, frames.whole as u64);
        let written = (frames.samples.len() / usize::from(channels)) as u64;
        Ok(Recorder::writing(path, channels, out, written))
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
            return Err(not_recording(
                &self.path,
                format!(
                    "{} samples are not whole {ch}-channel frames",
                    interleaved.len()
                ),
            ));
        }
        self.pending.extend(
            interleaved
                .iter()
                .map(|s| ((s * SCALE).round() as i32).clamp(-32768, 32767)),
        );
        self.frames += (interleaved.len() / ch) as u64;
        while self.pending.len() >= BLOCK * ch {
            let rest = self.pending.split_off(BLOCK * ch);
            let whole = std::mem::replace(&mut self.pending, rest);
            self.seal(&whole)?;
        }
        Ok(())
    }

    /// One FLAC frame of `samples`, sealed into the file.
    fn seal(&mut self, samples: &[i32]) -> Result<(), AudioError> {
        self.encoder
            .write(SAMPLE_RATE, self.channels, BITS, samples)
            .map_err(flac(&self.path))?;
        let bytes = self.frame.take();
        self.out.data(&bytes).map_err(io(&self.path))
    }

    /// Writes the last frame and the end record.
    ///
    /// # Errors
    /// The disk is full or gone.
    pub fn finish(mut self) -> Result<RecordingSize, AudioError> {
        let seconds = self.seconds();
        if !self.pending.is_empty() {
            let last = std::mem::take(&mut self.pending);
            self.seal(&last)?;
        }
        self.out.end().map_err(io(&self.path))?;
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

/// Reads a recording made by [`Recorder`] with `key`, including one a
/// crash left without its last frame or its end; or a plain FLAC file a
/// desk made before recordings were sealed.
///
/// # Errors
/// The file is missing or unreadable; it is neither; the key does not open
/// it, or a frame was altered; its first frame is already broken.
pub fn read_recording(path: &Path, key: &SealKey) -> Result<Recorded, AudioError> {
    let bytes = std::fs::read(path).map_err(io(path))?;
    guarded(path, || read_sealed_or_plain(&bytes, path, key))
}

/// The FLAC decoder panics on some crafted frames (a residual partition
/// order larger than its block; found by `crates/fuzz`): such a file is
/// refused like any other broken one, not allowed to take the desk down.
fn guarded<T>(path: &Path, read: impl FnOnce() -> Result<T, AudioError>) -> Result<T, AudioError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).unwrap_or_else(|_| {
        Err(not_recording(
            path,
            "the FLAC decoder failed on a broken frame".into(),
        ))
    })
}

/// Takes an exclusive lock on a recording's file, or says who holds it.
fn lock(file: &File, path: &Path) -> Result<(), AudioError> {
    file.try_lock().map_err(|e| match e {
        std::fs::TryLockError::WouldBlock => AudioError::InUse {
            path: path.to_owned(),
        },
        std::fs::TryLockError::Error(source) => io(path)(source),
    })
}

/// Whether a process is writing the recording at `path` now (a
/// [`Recorder`] holds it). A missing or unreadable file is not.
pub fn recording_in_use(path: &Path) -> bool {
    File::open(path)
        .is_ok_and(|f| matches!(f.try_lock_shared(), Err(std::fs::TryLockError::WouldBlock)))
}

/// A sealed recording's frames decoded in order, up to the first that
/// will not decode.
struct Frames {
    samples: Vec<f32>,
    channels: u8,
    /// How many frames decoded.
    whole: usize,
    /// The first broken frame's error, if any.
    broken: Option<flac_codec::Error>,
}

fn decode_frames(records: &[Vec<u8>]) -> Frames {
    let mut out = Frames {
        samples: Vec::new(),
        channels: 1,
        whole: 0,
        broken: None,
    };
    for frame in records {
        let mut r = FlacStreamReader::new(std::io::Cursor::new(frame.as_slice()));
        match r.read() {
            Ok(f) => {
                out.channels = f.channels;
                let scale = 1.0 / (1u64 << (f.bits_per_sample - 1)) as f32;
                out.samples
                    .extend(f.samples.iter().map(|&v| v as f32 * scale));
                out.whole += 1;
            }
            Err(e) => {
                out.broken = Some(e);
                break;
            }
        }
    }
    out
}

fn read_sealed_or_plain(bytes: &[u8], path: &Path, key: &SealKey) -> Result<Recorded, AudioError> {
    if !bytes.starts_with(sealed::MAGIC) {
        return read_flac(std::io::Cursor::new(bytes), path);
    }
    let opened = sealed::open(bytes, key).map_err(|e| not_recording(path, e))?;
    let frames = decode_frames(&opened.records);
    match frames.broken {
        Some(e) if frames.whole == 0 => Err(flac(path)(e)),
        broken => Ok(Recorded {
            samples: frames.samples,
            channels: frames.channels,
            sample_rate: SAMPLE_RATE,
            complete: opened.complete && broken.is_none(),
        }),
    }
}

/// A plain FLAC file's bytes (a recording another seat shipped to the
/// station, or one made before sealing); `name` says which in errors.
///
/// # Errors
/// Not FLAC; its first frame is already broken.
pub fn read_recording_bytes(bytes: &[u8], name: &Path) -> Result<Recorded, AudioError> {
    guarded(name, || read_flac(std::io::Cursor::new(bytes), name))
}

/// A recording as a plain FLAC file's bytes, for the station (which keeps
/// recordings in its own database, behind its own access control) and for
/// any player.
///
/// # Errors
/// As [`read_recording`].
pub fn flac_bytes(path: &Path, key: &SealKey) -> Result<Vec<u8>, AudioError> {
    let rec = read_recording(path, key)?;
    let mut out = std::io::Cursor::new(Vec::new());
    let options = Options::default().no_seektable();
    let mut w = FlacSampleWriter::new(&mut out, options, rec.sample_rate, BITS, rec.channels, None)
        .map_err(flac(path))?;
    let ints: Vec<i32> = rec
        .samples
        .iter()
        .map(|s| ((s * SCALE).round() as i32).clamp(-32768, 32767))
        .collect();
    w.write(&ints).map_err(flac(path))?;
    w.finalize().map_err(flac(path))?;
    Ok(out.into_inner())
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

    fn key() -> SealKey {
        SealKey::new([3; 32])
    }

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
        let mut r = Recorder::create(&path, 1, &key()).unwrap();
        for block in pcm.chunks(1600) {
            r.write(block).unwrap();
        }
        let size = r.finish().unwrap();
        assert!((size.seconds - 3.3).abs() < 1e-3, "{size:?}");
        assert!(
            size.bytes < (pcm.len() * 2) as u64,
            "FLAC is smaller than WAV"
        );
        let back = read_recording(&path, &key()).unwrap();
        assert!(back.complete);
        assert_eq!(back.samples.len(), pcm.len());
        let worst = pcm
            .iter()
            .zip(&back.samples)
            .fold(0.0f32, |m, (a, b)| m.max((a - b).abs()));
        assert!(worst <= 0.5 / 32768.0, "worst error {worst}");
        // Sealed: no FLAC in the clear, and another desk's key opens nothing.
        let bytes = std::fs::read(&path).unwrap();
        assert!(!bytes.starts_with(b"fLaC") && !bytes.windows(4).any(|w| w == b"fLaC"));
        let e = read_recording(&path, &SealKey::new([4; 32])).unwrap_err();
        assert!(e.to_string().contains("does not open"), "{e}");
        // As plain FLAC for the station and players, and such a file (a
        // recording from before sealing) reads back the same.
        let plain = dir.path().join("plain.flac");
        std::fs::write(&plain, flac_bytes(&path, &key()).unwrap()).unwrap();
        assert!(std::fs::read(&plain).unwrap().starts_with(b"fLaC"));
        let old = read_recording(&plain, &SealKey::new([4; 32])).unwrap();
        assert!(old.complete);
        assert_eq!(old.samples, back.samples);
    }

    #[test]
    fn an_existing_recording_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("1.flac");
        std::fs::write(&path, b"kept").unwrap();
        assert!(Recorder::create(&path, 1, &key()).is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"kept");
    }

    #[test]
    fn a_crash_keeps_everything_but_the_frame_being_filled() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("1.flac");
        let pcm = tone(10.0);
        let mut r = Recorder::create(&path, 1, &key()).unwrap();
        for block in pcm.chunks(1600) {
            r.write(block).unwrap();
        }
        // The process dies: no finish, no destructor.
        std::mem::forget(r);
        let back = read_recording(&path, &key()).unwrap();
        assert!(!back.complete);
        let lost = (pcm.len() - back.samples.len()) as f64 / 16_000.0;
        assert!(lost < 1.0, "lost {lost} s");

        // And a frame torn in the middle of being written.
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 700]).unwrap();
        let torn = read_recording(&path, &key()).unwrap();
        assert!(!torn.complete);
        let lost = (pcm.len() - torn.samples.len()) as f64 / 16_000.0;
        assert!(lost < 1.0, "lost {lost} s");
        assert_eq!(torn.samples[..], back.samples[..torn.samples.len()]);
    }

    #[test]
    fn a_recording_a_stopped_desk_left_goes_on_after_its_last_whole_frame() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("1.jrec");
        let mut r = Recorder::create(&path, 1, &key()).unwrap();
        r.write(&tone(5.0)).unwrap();
        assert!(recording_in_use(&path), "the writer holds it");
        assert!(matches!(
            Recorder::resume(&path, 1, &key()),
            Err(AudioError::InUse { .. })
        ));
        drop(r); // the process dies: no finish
        assert!(!recording_in_use(&path));
        // Its last frame torn in the middle of being written.
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 700]).unwrap();
        let before = read_recording(&path, &key()).unwrap();

        assert!(
            Recorder::resume(&path, 2, &key()).is_err(),
            "other channels"
        );
        assert!(Recorder::resume(&path, 1, &SealKey::new([4; 32])).is_err());
        let mut r = Recorder::resume(&path, 1, &key()).unwrap();
        assert!((r.seconds() - before.seconds()).abs() < 1e-9);
        let rest = vec![0.25f32; 3 * 16_000];
        r.write(&rest).unwrap();
        let size = r.finish().unwrap();
        assert!((size.seconds - before.seconds() - 3.0).abs() < 1e-6);
        let after = read_recording(&path, &key()).unwrap();
        assert!(after.complete);
        assert_eq!(after.samples[..before.samples.len()], before.samples[..]);
        assert_eq!(after.samples[before.samples.len()..], rest[..]);

        // A finished one whose row was never told goes on too.
        let mut r = Recorder::resume(&path, 1, &key()).unwrap();
        r.write(&rest).unwrap();
        r.finish().unwrap();
        let again = read_recording(&path, &key()).unwrap();
        assert!(again.complete);
        assert_eq!(again.samples.len(), after.samples.len() + rest.len());
    }

    #[test]
    fn not_a_recording_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.flac");
        std::fs::write(&path, b"RIFF....WAVE").unwrap();
        let e = read_recording(&path, &key()).unwrap_err().to_string();
        assert!(e.contains("x.flac") && e.contains("not a recording"), "{e}");
        let e = read_recording(&dir.path().join("gone.flac"), &key()).unwrap_err();
        assert!(e.to_string().contains("gone.flac"), "{e}");
    }

    #[test]
    fn stereo_keeps_both_channels_apart() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("2.flac");
        let left = tone(1.0);
        let inter: Vec<f32> = left.iter().flat_map(|&s| [s, -s * 0.5]).collect();
        let mut r = Recorder::create(&path, 2, &key()).unwrap();
        r.write(&inter).unwrap();
        assert!(r.write(&inter[..3]).is_err());
        r.finish().unwrap();
        let back = read_recording(&path, &key()).unwrap();
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
