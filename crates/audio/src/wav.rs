//! WAV in any layout hound reads (8/16/24/32-bit integer, 32-bit float, any
//! rate and channel count), converted to 16 kHz mono.

use std::path::Path;

use crate::pcm::{pick, Pick, Resampler, SAMPLE_RATE};
use crate::AudioError;

pub fn read_wav(path: &Path) -> Result<Vec<f32>, AudioError> {
    let [mono] = read_picking(path, [Pick::Mix])?;
    Ok(mono)
}

/// As [`read_wav`], its left and right channels apart (a mono file's right
/// is silent), from one reading of the file.
pub fn read_wav_sides(path: &Path) -> Result<(Vec<f32>, Vec<f32>), AudioError> {
    let [left, right] = read_picking(path, [Pick::Left, Pick::Right])?;
    Ok((left, right))
}

/// The file decoded once, each of `picks` taken from it at 16 kHz.
fn read_picking<const N: usize>(
    path: &Path,
    picks: [Pick; N],
) -> Result<[Vec<f32>; N], AudioError> {
    let file = std::fs::File::open(path).map_err(|source| AudioError::Io {
        path: path.to_owned(),
        source,
    })?;
    let bad = |reason: String| AudioError::NotWav {
        path: path.to_owned(),
        reason,
    };
    let reader = hound::WavReader::new(std::io::BufReader::new(file)).map_err(|e| match e {
        hound::Error::IoError(source) => AudioError::Io {
            path: path.to_owned(),
            source,
        },
        e => bad(e.to_string()),
    })?;
    let spec = reader.spec();
    if spec.channels == 0 || spec.sample_rate < 4_000 || spec.sample_rate > 384_000 {
        return Err(bad(format!(
            "{} channels at {} Hz",
            spec.channels, spec.sample_rate
        )));
    }
    let interleaved: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Float => reader
            .into_samples::<f32>()
            .collect::<Result<_, _>>()
            .map_err(|e| bad(e.to_string()))?,
        hound::SampleFormat::Int => {
            let scale = 1.0 / (1u64 << (spec.bits_per_sample - 1)) as f32;
            reader
                .into_samples::<i32>()
                .map(|s| s.map(|v| v as f32 * scale))
                .collect::<Result<_, _>>()
                .map_err(|e| bad(e.to_string()))?
        }
    };
    if interleaved.is_empty() {
        return Err(AudioError::Empty {
            path: path.to_owned(),
        });
    }
    Ok(picks.map(|which| {
        let mut mono = Vec::with_capacity(interleaved.len() / spec.channels as usize);
        pick(&interleaved, spec.channels as usize, which, &mut mono);
        let mut out =
            Vec::with_capacity(mono.len() * SAMPLE_RATE as usize / spec.sample_rate as usize + 1);
        let mut r = Resampler::new(spec.sample_rate);
        r.process(&mono, &mut out);
        // Flush the filter's look-ahead so the last samples are not lost.
        r.process(&vec![0.0; 64], &mut out);
        out
    }))
}

/// Writes 16 kHz mono 16-bit PCM (fixtures, learned ring samples).
pub fn write_wav(path: &Path, samples: &[f32]) -> Result<(), AudioError> {
    write_wav_channels(path, samples, 1)
}

/// Writes 16 kHz 16-bit PCM of `channels` interleaved channels.
pub fn write_wav_channels(path: &Path, samples: &[f32], channels: u16) -> Result<(), AudioError> {
    let spec = hound::WavSpec {
        channels,
        sample_rate: SAMPLE_RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let io = |e: hound::Error| AudioError::Io {
        path: path.to_owned(),
        source: match e {
            hound::Error::IoError(e) => e,
            e => std::io::Error::other(e.to_string()),
        },
    };
    let mut w = hound::WavWriter::create(path, spec).map_err(io)?;
    for &s in samples {
        w.write_sample((s.clamp(-1.0, 1.0) * 32767.0) as i16)
            .map_err(io)?;
    }
    w.finalize().map_err(io)
}
