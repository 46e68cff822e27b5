//! The labelled ring corpus, mixed in memory from real recordings (Debian's
//! sound packages), the dev-set voices and synthetic tones and noise, with
//! exact labels. Shared by the corpus test, the benchmark and the
//! `make-corpus` example that writes it out as WAV + labels.tsv.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use jiejing_audio::{read_wav, SAMPLE_RATE};

const SR: f64 = SAMPLE_RATE as f64;

/// Where prepared sources live: built once per target dir by the script.
pub fn sources() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let dir = target.join("ring-sources");
    static READY: std::sync::Mutex<bool> = std::sync::Mutex::new(false);
    let mut ready = READY.lock().unwrap_or_else(|e| e.into_inner());
    if !*ready && !dir.join("done").exists() {
        let script = root.join("tests/fixtures/ring-sources.sh");
        let ok = std::process::Command::new(&script)
            .arg(&dir)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(
            ok,
            "{} failed: run scripts/setup.sh test for sox, espeak-ng and the sound packages",
            script.display()
        );
    }
    *ready = true;
    dir
}

pub fn speech_dev() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/speech-dev")
}

/// Small deterministic PRNG (xorshift), so the corpus is the same every run.
pub struct Rng(u64);
impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn f(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.f()
    }
    pub fn gauss(&mut self) -> f32 {
        let (a, b) = (self.f().max(1e-12), self.f());
        ((-2.0 * a.ln()).sqrt() * (2.0 * std::f64::consts::PI * b).cos()) as f32
    }
}

pub fn rms(x: &[f32]) -> f32 {
    (x.iter().map(|v| v * v).sum::<f32>() / x.len().max(1) as f32).sqrt()
}

fn scale_to(x: &mut [f32], target_rms: f32) {
    let r = rms(x).max(1e-9);
    x.iter_mut().for_each(|v| *v *= target_rms / r);
}

/// RMS of the loud part (a ring or a voice, not its pauses).
fn active_rms(x: &[f32]) -> f32 {
    let blocks: Vec<f32> = x.chunks(800).map(rms).collect();
    let peak = blocks.iter().copied().fold(0.0, f32::max);
    let loud: Vec<f32> = blocks.into_iter().filter(|&b| b > peak / 10.0).collect();
    (loud.iter().map(|b| b * b).sum::<f32>() / loud.len().max(1) as f32).sqrt()
}

fn add(dst: &mut [f32], src: &[f32], at: f64, gain: f32) {
    let start = (at * SR) as usize;
    for (d, s) in dst.iter_mut().skip(start).zip(src) {
        *d += s * gain;
    }
}

/// First sample of a clip louder than 5 % of its peak: where voice starts.
fn voice_start(x: &[f32]) -> f64 {
    let peak = x.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    x.chunks(160)
        .position(|c| rms(c) > peak * 0.05)
        .unwrap_or(0) as f64
        * 160.0
        / SR
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Phone {
    /// Synthetic 450 Hz, the Chinese cadence.
    Cn,
    /// baresip's recorded 440+480 Hz ring, 2 s / 4 s.
    Na,
    /// sound-theme-freedesktop's electronic trill.
    Trill,
    /// linphone's electromechanical bell.
    Bell,
    /// A synthetic desk-phone trill: 700/900 Hz alternating at 16 Hz.
    Warble,
    /// A melodic ringtone: C–E–G–C, each note 0.2 s, twice, then a pause.
    /// Not among [`Phone::ALL`] (the main corpus predates it): see
    /// [`Corpus::melody_clips`].
    Melody,
}

impl Phone {
    pub const ALL: [Phone; 5] = [
        Phone::Cn,
        Phone::Na,
        Phone::Trill,
        Phone::Bell,
        Phone::Warble,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Phone::Cn => "cn",
            Phone::Na => "na",
            Phone::Trill => "trill",
            Phone::Bell => "bell",
            Phone::Warble => "warble",
            Phone::Melody => "melody",
        }
    }
    /// One ring and the pause after it.
    fn unit(self, src: &Path, rng: &mut Rng) -> (Vec<f32>, f64) {
        let tone = |secs: f64, f: &dyn Fn(f64) -> f64| -> Vec<f32> {
            (0..(secs * SR) as usize)
                .map(|i| {
                    let t = i as f64 / SR;
                    let ramp = (t / 0.005).min((secs - t) / 0.005).min(1.0);
                    (f(t) * ramp) as f32
                })
                .collect()
        };
        let pi2 = 2.0 * std::f64::consts::PI;
        match self {
            Phone::Cn => {
                // ±10 % as the cadence allows.
                let on = rng.range(0.9, 1.1);
                (tone(on, &|t| (pi2 * 450.0 * t).sin()), rng.range(3.6, 4.4))
            }
            Phone::Warble => {
                let on = rng.range(0.9, 1.1);
                let w = tone(on, &|t| {
                    let f = if (t * 16.0).fract() < 0.5 {
                        700.0
                    } else {
                        900.0
                    };
                    (pi2 * f * t).sin()
                });
                (w, rng.range(3.6, 4.4))
            }
            Phone::Melody => {
                let notes = [523.25, 659.25, 783.99, 1046.5];
                let m = tone(1.6, &|t| {
                    let f = notes[((t / 0.2) as usize) % notes.len()];
                    (pi2 * f * t).sin()
                });
                (m, rng.range(2.8, 3.2))
            }
            Phone::Na => (read_wav(&src.join("na.wav")).unwrap(), rng.range(3.8, 4.2)),
            Phone::Trill => (
                read_wav(&src.join("trill.wav")).unwrap(),
                rng.range(3.4, 4.2),
            ),
            Phone::Bell => (
                read_wav(&src.join("bell.wav")).unwrap(),
                rng.range(3.0, 3.8),
            ),
        }
    }
    /// This phone's ring as the app learns it from [`Phone::sample`].
    pub fn learned(self, src: &Path) -> jiejing_audio::RingProfile {
        jiejing_audio::learn(&self.sample(src), self.name(), self.name()).expect("learn")
    }

    /// A clean 8 s recording of this phone, as the call-taker would make to
    /// teach the app.
    pub fn sample(self, src: &Path) -> Vec<f32> {
        let mut rng = Rng::new(99);
        let mut out = vec![0.0f32; (8.0 * SR) as usize];
        let mut at = 0.4;
        while at < 8.0 {
            let (mut u, off) = self.unit(src, &mut rng);
            scale_to(&mut u, 0.1);
            let len = u.len() as f64 / SR;
            add(&mut out, &u, at, 1.0);
            at += len + off;
        }
        let mut noise = Rng::new(7);
        out.iter_mut().for_each(|v| *v += 0.001 * noise.gauss());
        out
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Noise {
    Pink,
    Brown,
    Babble,
}

fn noise(kind: Noise, n: usize, rng: &mut Rng, babble: &[Vec<f32>]) -> Vec<f32> {
    match kind {
        Noise::Pink => {
            // Paul Kellet's economy pink filter over white noise.
            let (mut b0, mut b1, mut b2) = (0.0f32, 0.0f32, 0.0f32);
            (0..n)
                .map(|_| {
                    let w = rng.gauss();
                    b0 = 0.99765 * b0 + w * 0.0990460;
                    b1 = 0.96300 * b1 + w * 0.2965164;
                    b2 = 0.57000 * b2 + w * 1.0526913;
                    b0 + b1 + b2 + w * 0.1848
                })
                .collect()
        }
        Noise::Brown => {
            let mut y = 0.0f32;
            (0..n)
                .map(|_| {
                    y = 0.995 * y + 0.1 * rng.gauss();
                    y
                })
                .collect()
        }
        Noise::Babble => {
            // Four voices talking over each other, each looped from a random point.
            let mut out = vec![0.0f32; n];
            for v in babble.iter().take(4) {
                let off = (rng.f() * v.len() as f64) as usize;
                for (i, o) in out.iter_mut().enumerate() {
                    *o += v[(i + off) % v.len()];
                }
            }
            out
        }
    }
}

/// A desk microphone hears the room: a decaying diffuse tail (RT60 0.4 s).
fn room(x: &[f32], rng: &mut Rng) -> Vec<f32> {
    let len = (0.4 * SR) as usize;
    let ir: Vec<f32> = (0..len)
        .map(|i| rng.gauss() * (-6.9 * i as f32 / len as f32).exp() * 0.02)
        .collect();
    let mut out = x.to_vec();
    // Sparse convolution (every 8th tap, scaled) keeps generation quick.
    for (k, &h) in ir.iter().enumerate().step_by(8) {
        if k == 0 {
            continue;
        }
        for i in (k..x.len()).rev() {
            out[i] += x[i - k] * h * 8.0;
        }
    }
    out
}

/// Colleagues talking over the ringing, this many dB below the ring.
#[derive(Clone, Copy, Debug)]
pub enum Colleague {
    /// One sentence from just after the first ring's onset.
    Once(f64),
    /// One after another from the first ring until the last one starts.
    Throughout(f64),
}

#[derive(Clone, Debug)]
pub struct Label {
    pub name: String,
    pub phone: Option<Phone>,
    pub onsets: Vec<f64>,
    pub answered: bool,
    pub answer_s: Option<f64>,
}

pub struct Clip {
    pub label: Label,
    pub samples: Vec<f32>,
}

pub struct Corpus {
    src: PathBuf,
    takers: Vec<Vec<f32>>,
    callers: Vec<Vec<f32>>,
    colleagues: Vec<Vec<f32>>,
}

fn speaker_clips(who: &str) -> Vec<Vec<f32>> {
    let dir = speech_dev();
    let tsv = std::fs::read_to_string(dir.join("truth.tsv"))
        .expect("tests/fixtures/speech-dev/truth.tsv");
    tsv.lines()
        .skip(1)
        .filter(|l| l.split('\t').nth(1) == Some(who))
        .map(|l| read_wav(&dir.join(format!("{}.wav", l.split('\t').next().unwrap()))).unwrap())
        .collect()
}

impl Corpus {
    pub fn load() -> Corpus {
        let src = sources();
        let colleagues = ["colleague1.wav", "colleague2.wav"]
            .iter()
            .map(|f| read_wav(&src.join(f)).unwrap())
            .collect();
        Corpus {
            takers: speaker_clips("taker"),
            callers: speaker_clips("caller"),
            colleagues,
            src,
        }
    }

    pub fn sources(&self) -> &Path {
        &self.src
    }

    /// `rings` rings of `phone`, noise at `snr` dB below the ring, answered
    /// after the last ring unless `answered` is false (`cut`: during it);
    /// `colleague`: colleagues talking over the ringing (see [`Colleague`]).
    #[allow(clippy::too_many_arguments)]
    pub fn call(
        &self,
        seed: u64,
        phone: Phone,
        rings: usize,
        answered: bool,
        cut: bool,
        kind: Noise,
        snr: f64,
        colleague: Option<Colleague>,
    ) -> Clip {
        let mut rng = Rng::new(seed);
        let lead = rng.range(1.5, 3.0);
        let mut ring_track = vec![0.0f32; (60.0 * SR) as usize];
        let mut onsets = Vec::new();
        let mut at = lead;
        let mut last_end = at;
        for i in 0..rings {
            let (mut u, off) = phone.unit(&self.src, &mut rng);
            scale_to(&mut u, 1.0);
            let g = 0.1 / active_rms(&u);
            if cut && i + 1 == rings {
                u.truncate((0.7 * SR) as usize);
            }
            add(&mut ring_track, &u, at, g);
            onsets.push(at);
            last_end = at + u.len() as f64 / SR;
            at = last_end + off;
        }
        let reverb = seed.is_multiple_of(2);
        if reverb {
            ring_track = room(&ring_track, &mut rng);
        }
        let mut answer_s = None;
        let end = if answered {
            let voice = &self.takers[(seed as usize) % self.takers.len()];
            let t = if cut {
                last_end
            } else {
                last_end + rng.range(0.4, 2.5)
            };
            // The call-taker is nearer the microphone than the phone: +6 dB.
            let g = 0.2 / active_rms(voice);
            add(&mut ring_track, voice, t, g);
            answer_s = Some(t + voice_start(voice));
            t + voice.len() as f64 / SR + 1.0
        } else {
            last_end + 9.0
        };
        // Colleagues talk from just after the first ring's onset. Talk
        // that runs on through the last ring's end cannot be told from the
        // answer's, so talk throughout stops before the last ring starts.
        let gain = |db: f64| 0.1 / 10f32.powf(db as f32 / 20.0);
        let said = |k: usize| &self.colleagues[k % self.colleagues.len()];
        match colleague {
            None => {}
            Some(Colleague::Once(db)) => {
                let c = said(seed as usize);
                add(
                    &mut ring_track,
                    c,
                    onsets[0] + 0.3,
                    gain(db) / active_rms(c),
                );
            }
            Some(Colleague::Throughout(db)) => {
                let stop = *onsets.last().unwrap_or(&at);
                let (mut t, mut k) = (onsets[0] + 0.3, seed as usize);
                while t < stop - 1.0 {
                    let c = said(k);
                    let part = &c[..c.len().min(((stop - t) * SR) as usize)];
                    add(&mut ring_track, part, t, gain(db) / active_rms(c));
                    t += part.len() as f64 / SR + 0.4;
                    k += 1;
                }
            }
        }
        ring_track.truncate((end * SR) as usize);
        let mut n = noise(kind, ring_track.len(), &mut rng, &self.callers);
        scale_to(&mut n, 0.1 / 10f32.powf(snr as f32 / 20.0));
        for (s, v) in ring_track.iter_mut().zip(n) {
            *s += v;
        }
        let name = format!(
            "{}-{}r-{}-{:?}-{}db{}{}",
            phone.name(),
            rings,
            if !answered {
                "missed"
            } else if cut {
                "cut"
            } else {
                "answered"
            },
            kind,
            snr,
            if reverb { "-room" } else { "" },
            match colleague {
                None => String::new(),
                Some(Colleague::Once(_)) => "-colleague".into(),
                Some(Colleague::Throughout(db)) => format!("-colleagues{db}db"),
            }
        )
        .to_lowercase();
        Clip {
            label: Label {
                name,
                phone: Some(phone),
                onsets,
                answered,
                answer_s,
            },
            samples: ring_track,
        }
    }

    /// Calls with colleagues talking over the ringing (issue #15): every
    /// phone, 2–5 rings, the colleagues 0, 5 and 10 dB below the ring,
    /// answered, a little pink noise. The rules were tuned on these.
    pub fn colleague_clips(&self) -> Vec<Clip> {
        self.colleague_clips_from(500)
    }

    /// The same kind of calls from seeds the rules were not tuned on
    /// (other ring counts, talk, noise and timing; the same phones and
    /// voices): measured only.
    pub fn colleague_clips_held_out(&self) -> Vec<Clip> {
        self.colleague_clips_from(1300)
    }

    fn colleague_clips_from(&self, first_seed: u64) -> Vec<Clip> {
        let mut out = Vec::new();
        let mut seed = first_seed;
        for phone in Phone::ALL {
            for db in [0.0, 5.0, 10.0] {
                for _ in 0..2 {
                    let rings = (seed % 4) as usize + 2;
                    out.push(self.call(
                        seed,
                        phone,
                        rings,
                        true,
                        false,
                        Noise::Pink,
                        20.0,
                        Some(Colleague::Throughout(db)),
                    ));
                    seed += 1;
                }
            }
        }
        out
    }

    /// A melodic ringtone (issue #15): 2–5 rings, answered, pink noise 20
    /// and 10 dB below the ring.
    pub fn melody_clips(&self) -> Vec<Clip> {
        let mut out = Vec::new();
        for seed in 700u64..708 {
            let rings = (seed % 4) as usize + 2;
            let snr = if seed % 2 == 0 { 20.0 } else { 10.0 };
            out.push(self.call(
                seed,
                Phone::Melody,
                rings,
                true,
                false,
                Noise::Pink,
                snr,
                None,
            ));
        }
        out
    }

    /// Audio with no ring in it: every one must give zero rings.
    pub fn negatives(&self) -> Vec<Clip> {
        let secs = 30.0;
        let n = (secs * SR) as usize;
        let pi2 = 2.0 * std::f64::consts::PI;
        let mut out = Vec::new();
        let mut push = |name: &str, s: Vec<f32>| {
            out.push(Clip {
                label: Label {
                    name: name.into(),
                    phone: None,
                    onsets: vec![],
                    answered: false,
                    answer_s: None,
                },
                samples: s,
            })
        };
        let mut rng = Rng::new(5);
        let floor = |rng: &mut Rng| -> Vec<f32> { (0..n).map(|_| 0.003 * rng.gauss()).collect() };
        for hz in [450.0, 1000.0] {
            // TV test tone: continuous.
            let mut s = floor(&mut rng);
            for (i, v) in s.iter_mut().enumerate() {
                *v += 0.1 * (pi2 * hz * i as f64 / SR).sin() as f32;
            }
            push(&format!("tv-tone-{hz}hz"), s);
        }
        // Busy tone: 450 Hz, 0.35 s on / 0.35 s off, then someone talks.
        let mut s = floor(&mut rng);
        for (i, v) in s.iter_mut().enumerate().take((20.0 * SR) as usize) {
            let t = i as f64 / SR;
            if ((t / 0.35) as u64).is_multiple_of(2) {
                *v += 0.1 * (pi2 * 450.0 * t).sin() as f32;
            }
        }
        add(
            &mut s,
            &self.takers[0],
            21.0,
            0.2 / active_rms(&self.takers[0]),
        );
        push("busy-tone", s);
        // Radio: music with talk over it.
        let music = read_wav(&self.src.join("music.wav")).unwrap();
        let talk = read_wav(&self.src.join("radio-talk.wav")).unwrap();
        let mut s = floor(&mut rng);
        for k in 0..3 {
            add(&mut s, &music, k as f64 * 9.2, 0.1 / active_rms(&music));
        }
        add(&mut s, &talk, 4.0, 0.08 / active_rms(&talk));
        add(&mut s, &talk, 18.0, 0.08 / active_rms(&talk));
        push("radio", s);
        // Speech only: call-takers and callers talking in turn, babble behind.
        let mut s = noise(Noise::Babble, n, &mut rng, &self.callers);
        scale_to(&mut s, 0.02);
        let mut t = 0.5;
        for (i, v) in self.takers.iter().chain(&self.callers).enumerate() {
            if t > secs - 4.0 {
                break;
            }
            add(&mut s, v, t, 0.1 / active_rms(v));
            t += v.len() as f64 / SR + if i % 2 == 0 { 0.3 } else { 1.5 };
        }
        push("speech", s);
        // Colleagues chatting.
        let mut s = floor(&mut rng);
        add(
            &mut s,
            &self.colleagues[0],
            1.0,
            0.1 / active_rms(&self.colleagues[0]),
        );
        add(
            &mut s,
            &self.colleagues[1],
            8.0,
            0.1 / active_rms(&self.colleagues[1]),
        );
        add(
            &mut s,
            &self.colleagues[0],
            15.0,
            0.1 / active_rms(&self.colleagues[0]),
        );
        push("colleagues", s);
        // Noise only.
        for kind in [Noise::Pink, Noise::Brown, Noise::Babble] {
            let mut s = noise(kind, n, &mut rng, &self.callers);
            scale_to(&mut s, 0.05);
            push(&format!("noise-{kind:?}").to_lowercase(), s);
        }
        out
    }

    /// The ring corpus: every phone × noise × SNR, ring counts 1–6 cycling,
    /// a missed call, a pick-up mid-ring and a talking colleague among them.
    pub fn ring_clips(&self) -> Vec<Clip> {
        self.ring_clips_from(1)
    }

    /// The same kind of calls from seeds no rule was written from:
    /// measured only.
    pub fn ring_clips_held_out(&self) -> Vec<Clip> {
        self.ring_clips_from(7001)
    }

    pub fn ring_clips_from(&self, first: u64) -> Vec<Clip> {
        let mut out = Vec::new();
        let mut seed = first;
        for phone in Phone::ALL {
            for kind in [Noise::Pink, Noise::Brown, Noise::Babble] {
                for snr in [20.0, 10.0, 5.0] {
                    let rings = (seed % 6) as usize + 1;
                    let answered = seed % 7 != 3;
                    let cut = answered && seed % 5 == 2 && phone == Phone::Cn;
                    // About 3 dB below the ring.
                    let colleague = (seed % 4 == 1 && rings >= 3).then_some(Colleague::Once(3.0));
                    out.push(self.call(seed, phone, rings, answered, cut, kind, snr, colleague));
                    seed += 1;
                }
            }
        }
        out
    }
}
