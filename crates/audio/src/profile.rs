//! What a ring sounds like: its tones and its cadence. Built-in profiles for
//! common rings, and [`learn`] to derive one from a recording of this
//! station's own phone.

use serde::{Deserialize, Serialize};

use crate::spectrum::{bin, hz, Stft};
use crate::AudioError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RingProfile {
    /// Stable key: "cn", "na", "trill", "bell", or "learned:…".
    pub id: String,
    pub name: String,
    pub tones: Tones,
    pub cadence: Cadence,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Tones {
    /// Known frequencies. A frame rings when they hold at least `min_share`
    /// of the 300–4000 Hz power, each of them at least `each_min` of that.
    Fixed {
        hz: Vec<f32>,
        min_share: f32,
        each_min: f32,
        /// Pure tones only: the second harmonic of each tone may hold at
        /// most this fraction of its power (a ring generator's sine has
        /// none; a sung or played 440 Hz note has plenty). 0: no check.
        #[serde(default)]
        max_harmonic: f32,
        /// Pure tones only: nothing strong two bins beside each tone (450 Hz
        /// alone, not 440+480 Hz). For the built-in generator tones.
        #[serde(default)]
        pure_sides: bool,
    },
    /// Unknown frequencies inside a band (any trill, any bell): the
    /// strongest `peaks` spectral peaks, locked at the ring's onset, must
    /// hold `min_share` of the power for the whole ring.
    Band {
        lo_hz: f32,
        hi_hz: f32,
        peaks: usize,
        min_share: f32,
    },
}

/// Seconds. Ranges are wide on purpose: a desk microphone hears the room's
/// echo, which stretches every ring by a few tenths of a second.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cadence {
    pub on_min_s: f64,
    pub on_max_s: f64,
    pub off_min_s: f64,
    pub off_max_s: f64,
    /// Rings in cadence before a sequence counts as ringing. 1 for a known
    /// tone; 2 for the band profiles, which music can imitate once but
    /// rarely twice at a steady rhythm.
    pub confirm_rings: u32,
}

impl RingProfile {
    pub fn builtins() -> Vec<RingProfile> {
        vec![
            RingProfile {
                id: "cn".into(),
                name: "中国振铃 450 Hz 1 s/4 s".into(),
                tones: Tones::Fixed {
                    hz: vec![450.0],
                    min_share: 0.45,
                    each_min: 0.0,
                    max_harmonic: 0.1,
                    pure_sides: true,
                },
                // Nominal 1 s on / 4 s off, ±10 %, plus room echo.
                cadence: Cadence {
                    on_min_s: 0.75,
                    on_max_s: 1.7,
                    off_min_s: 2.6,
                    off_max_s: 4.9,
                    confirm_rings: 1,
                },
            },
            RingProfile {
                id: "na".into(),
                name: "North American 440+480 Hz 2 s/4 s".into(),
                tones: Tones::Fixed {
                    hz: vec![440.0, 480.0],
                    min_share: 0.45,
                    each_min: 0.2,
                    max_harmonic: 0.1,
                    pure_sides: true,
                },
                cadence: Cadence {
                    on_min_s: 1.6,
                    on_max_s: 2.8,
                    off_min_s: 2.6,
                    off_max_s: 4.9,
                    confirm_rings: 1,
                },
            },
            RingProfile {
                id: "trill".into(),
                name: "电子话机 trill 500–2500 Hz".into(),
                // Desk-phone trills sit around 500–1100 Hz; the common
                // freedesktop one is at 1.3–1.6 kHz, so the band is wider.
                tones: Tones::Band {
                    lo_hz: 500.0,
                    hi_hz: 2500.0,
                    peaks: 3,
                    min_share: 0.4,
                },
                cadence: Cadence {
                    on_min_s: 0.5,
                    on_max_s: 3.0,
                    off_min_s: 1.0,
                    off_max_s: 6.0,
                    confirm_rings: 2,
                },
            },
            RingProfile {
                id: "bell".into(),
                name: "机械铃 bell".into(),
                tones: Tones::Band {
                    lo_hz: 400.0,
                    hi_hz: 4000.0,
                    peaks: 4,
                    min_share: 0.45,
                },
                cadence: Cadence {
                    on_min_s: 0.5,
                    on_max_s: 3.0,
                    off_min_s: 1.0,
                    off_max_s: 6.0,
                    confirm_rings: 2,
                },
            },
        ]
    }

    /// Checks a profile read from settings or a file.
    pub fn validate(&self) -> Result<(), AudioError> {
        let bad = |reason: String| AudioError::Profile {
            name: self.id.clone(),
            reason,
        };
        let c = &self.cadence;
        let ok = |v: f64| (0.0..=30.0).contains(&v);
        if ![c.on_min_s, c.on_max_s, c.off_min_s, c.off_max_s]
            .into_iter()
            .all(ok)
            || c.on_min_s > c.on_max_s
            || c.off_min_s > c.off_max_s
        {
            return Err(bad(format!(
                "cadence ranges out of order or outside 0–30 s: {c:?}"
            )));
        }
        if c.confirm_rings == 0 || c.confirm_rings > 3 {
            return Err(bad("confirm_rings must be 1, 2 or 3".into()));
        }
        let share_ok = |s: f32| (0.05..=1.0).contains(&s);
        match &self.tones {
            Tones::Fixed {
                hz,
                min_share,
                each_min,
                ..
            } => {
                if hz.is_empty() || hz.len() > 8 || hz.iter().any(|f| !(100.0..=4000.0).contains(f))
                {
                    return Err(bad("1–8 tones between 100 and 4000 Hz".into()));
                }
                if !share_ok(*min_share) || !(0.0..=1.0).contains(each_min) {
                    return Err(bad("shares must be fractions".into()));
                }
            }
            Tones::Band {
                lo_hz,
                hi_hz,
                peaks,
                min_share,
            } => {
                if !(100.0..=4000.0).contains(lo_hz)
                    || !(100.0..=4000.0).contains(hi_hz)
                    || lo_hz >= hi_hz
                {
                    return Err(bad("band must lie within 100–4000 Hz".into()));
                }
                if *peaks == 0 || *peaks > 8 || !share_ok(*min_share) {
                    return Err(bad("1–8 peaks and a share between 0.05 and 1".into()));
                }
            }
        }
        Ok(())
    }
}

/// Where a station's learned ring is kept, under its data folder. The app
/// and `jiejing rings learn` share it.
pub fn learned_file(data_dir: &std::path::Path) -> std::path::PathBuf {
    data_dir.join("rings").join("learned.jrec")
}

/// Where a desk before sealing kept it, in the clear: still read, and
/// removed once the ring is saved sealed.
fn plain_learned_file(data_dir: &std::path::Path) -> std::path::PathBuf {
    data_dir.join("rings").join("learned.json")
}

/// The learned ring, if there is one. A file that cannot be read, is not
/// opened by `key` or is not a valid profile is an error naming the file:
/// the caller reports it and falls back to the built-in rings.
pub fn load_learned(
    data_dir: &std::path::Path,
    key: &crate::SealKey,
) -> Result<Option<RingProfile>, AudioError> {
    let read = |path: &std::path::Path| match std::fs::read(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(AudioError::Io {
            path: path.to_owned(),
            source,
        }),
        Ok(b) => Ok(Some(b)),
    };
    let bad = |path: &std::path::Path, reason: String| AudioError::Profile {
        name: path.display().to_string(),
        reason,
    };
    let (path, plain) = match read(&learned_file(data_dir))? {
        Some(sealed) => {
            let path = learned_file(data_dir);
            let plain = crate::sealed::open_bytes(&sealed, key).map_err(|e| bad(&path, e))?;
            (path, plain)
        }
        None => {
            let path = plain_learned_file(data_dir);
            match read(&path)? {
                Some(plain) => (path, plain),
                None => return Ok(None),
            }
        }
    };
    let p: RingProfile = serde_json::from_slice(&plain)
        .map_err(|e| bad(&path, format!("line {}: {e}", e.line())))?;
    p.validate()?;
    Ok(Some(p))
}

/// Keeps `p` as this desk's learned ring, sealed with `key`.
///
/// # Errors
/// The file cannot be written.
pub fn save_learned(
    data_dir: &std::path::Path,
    p: &RingProfile,
    key: &crate::SealKey,
) -> Result<std::path::PathBuf, AudioError> {
    let path = learned_file(data_dir);
    let io = |source| AudioError::Io {
        path: path.clone(),
        source,
    };
    std::fs::create_dir_all(path.parent().expect("has a parent")).map_err(io)?;
    let json = serde_json::to_vec_pretty(p).expect("profiles serialize");
    let sealed = crate::sealed::seal_bytes(&json, key).map_err(io)?;
    // Write then rename, so a crash never leaves half a profile.
    let tmp = path.with_extension("jrec.tmp");
    std::fs::write(&tmp, sealed).map_err(io)?;
    std::fs::rename(&tmp, &path).map_err(io)?;
    forget(&plain_learned_file(data_dir))?;
    Ok(path)
}

/// Removes the learned ring; true if there was one.
pub fn forget_learned(data_dir: &std::path::Path) -> Result<bool, AudioError> {
    let sealed = forget(&learned_file(data_dir))?;
    Ok(forget(&plain_learned_file(data_dir))? || sealed)
}

fn forget(path: &std::path::Path) -> Result<bool, AudioError> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(source) => Err(AudioError::Io {
            path: path.to_owned(),
            source,
        }),
    }
}

/// One line for people: "453 Hz; rings 0.6–1.8 s, pauses 2.4–5.7 s".
pub fn describe(p: &RingProfile) -> String {
    let tones = match &p.tones {
        Tones::Fixed { hz, .. } => {
            hz.iter()
                .map(|f| format!("{f:.0}"))
                .collect::<Vec<_>>()
                .join(", ")
                + " Hz"
        }
        Tones::Band { lo_hz, hi_hz, .. } => format!("{lo_hz:.0}–{hi_hz:.0} Hz"),
    };
    let c = &p.cadence;
    format!(
        "{tones}; rings {:.1}–{:.1} s, pauses {:.1}–{:.1} s",
        c.on_min_s, c.on_max_s, c.off_min_s, c.off_max_s
    )
}

/// Derives a profile from 5–10 s of this phone ringing (the learn button in
/// settings, `--ring-sample` on the command line): the frequencies that hold
/// the power while it rings, and how long it rings and pauses.
pub fn learn(samples: &[f32], id: &str, name: &str) -> Result<RingProfile, AudioError> {
    let secs = samples.len() as f64 / f64::from(crate::SAMPLE_RATE);
    if secs < 1.5 {
        return Err(AudioError::Learn(format!(
            "{secs:.1} s is too short: record at least 5 s of the phone ringing"
        )));
    }
    // 1. Frame levels and spectra.
    let mut levels = Vec::new();
    let mut spectra: Vec<Vec<f32>> = Vec::new();
    let (lo, hi) = (bin(300.0), bin(4000.0));
    Stft::new().push(samples, |f| {
        levels.push(f.power[lo..=hi].iter().sum::<f32>());
        spectra.push(f.power[lo..=hi].to_vec());
    });
    let mut sorted = levels.clone();
    sorted.sort_by(f32::total_cmp);
    let quiet = sorted[sorted.len() / 10].max(1e-10);
    let loud = sorted[sorted.len() * 9 / 10];
    if loud < 1e-7 || loud < quiet * 10.0 {
        return Err(AudioError::Learn(
            "no ringing found: the sample is silent or steady noise; hold the microphone near the phone while it rings".into(),
        ));
    }
    // 2. Ringing frames: within 12 dB of the loudest tenth.
    let ringing: Vec<bool> = levels.iter().map(|&l| l > loud / 16.0).collect();
    let n_ring = ringing.iter().filter(|&&r| r).count();
    // 3. Average spectrum while ringing; its strongest peaks are the ring.
    let mut avg = vec![0.0f32; hi - lo + 1];
    for (s, _) in spectra.iter().zip(&ringing).filter(|(_, &r)| r) {
        for (a, v) in avg.iter_mut().zip(s) {
            *a += v / n_ring as f32;
        }
    }
    let total: f32 = avg.iter().sum();
    let mut peaks: Vec<(usize, f32)> = (2..avg.len() - 2)
        .filter(|&k| avg[k] > avg[k - 1] && avg[k] >= avg[k + 1])
        .map(|k| (k, avg[k - 1] + avg[k] + avg[k + 1]))
        .collect();
    peaks.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut chosen = Vec::new();
    let mut share = 0.0;
    let mut weakest = f32::INFINITY;
    for (k, e) in peaks {
        // Enough tones hold the sound, unless the next is as strong as
        // those taken: a melodic ringtone's notes take turns, and a note
        // left out would break each ring where it plays.
        if chosen.len() == 6 || (share >= 0.7 && e < 0.5 * weakest) {
            break;
        }
        if chosen.iter().any(|&c: &usize| c.abs_diff(k) < 3) {
            continue;
        }
        chosen.push(k);
        share += e / total;
        weakest = weakest.min(e);
    }
    if share < 0.3 {
        return Err(AudioError::Learn(format!(
            "the sample has no steady tones (the strongest hold {:.0} % of the sound): is it the phone ringing?",
            share * 100.0
        )));
    }
    // 4. Cadence from the runs of ringing frames (gaps under 100 ms bridged).
    let hop = crate::FRAME_HOP as f64 / f64::from(crate::SAMPLE_RATE);
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for (i, &r) in ringing.iter().enumerate() {
        if !r {
            continue;
        }
        match runs.last_mut() {
            Some(last) if i - last.1 <= 5 => last.1 = i,
            _ => runs.push((i, i)),
        }
    }
    // Runs that touch the ends of the sample are cut; use them only if
    // nothing else is there.
    let whole: Vec<_> = runs
        .iter()
        .filter(|r| r.0 > 0 && r.1 + 1 < ringing.len())
        .copied()
        .collect();
    let runs_used = if whole.is_empty() { &runs } else { &whole };
    let ons: Vec<f64> = runs_used
        .iter()
        .map(|r| (r.1 - r.0 + 1) as f64 * hop)
        .collect();
    let offs: Vec<f64> = runs
        .windows(2)
        .map(|w| (w[1].0 - w[0].1) as f64 * hop)
        .collect();
    let on_min = ons.iter().copied().fold(f64::INFINITY, f64::min);
    let on_max = ons.iter().copied().fold(0.0, f64::max);
    if on_max < 0.2 {
        return Err(AudioError::Learn(
            "the rings in the sample are shorter than 0.2 s".into(),
        ));
    }
    let (off_min_s, off_max_s) = if offs.is_empty() {
        (1.0, 6.0) // one ring in the sample: any usual pause
    } else {
        let lo = offs.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = offs.iter().copied().fold(0.0, f64::max);
        (lo * 0.6, hi * 1.3 + 0.5)
    };
    // A pure tone (a ring generator's sine) has no second harmonic; then
    // demand that of the desk too, which keeps musical notes out.
    let pure = chosen.iter().all(|&k| {
        let h = 2 * (k + lo); // absolute bin of the harmonic
        h >= hi || avg.get(h - lo).is_none_or(|&p| p < 0.02 * avg[k])
    });
    let p = RingProfile {
        id: id.into(),
        name: name.into(),
        tones: Tones::Fixed {
            hz: chosen.iter().map(|&k| hz(k + lo)).collect(),
            // Noise and echo at the desk take some of the share the clean
            // sample showed; half of it still rules out speech and music.
            min_share: (share * 0.55).max(0.25),
            each_min: 0.0,
            max_harmonic: if pure { 0.1 } else { 0.0 },
            pure_sides: false,
        },
        cadence: Cadence {
            on_min_s: (on_min * 0.6).max(0.2),
            on_max_s: on_max * 1.4 + 0.3,
            off_min_s,
            off_max_s,
            confirm_rings: 1,
        },
    };
    p.validate()?;
    Ok(p)
}
