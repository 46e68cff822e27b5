//! Accuracy over the labelled corpus: ring counts, onsets, answers, and no
//! rings at all in busy tone, TV tone, radio, speech or noise.

mod corpus;

use corpus::{Clip, Corpus, Phone};
use jiejing_audio::{analyze, RingProfile};

struct Score {
    files: usize,
    /// Ring count right.
    counted: usize,
    /// Ring count, answered/missed and answer time (±0.5 s) all right.
    exact: usize,
    onset_err: Vec<f64>,
    failures: Vec<String>,
}

fn score(clips: &[Clip], profiles: impl Fn(&Clip) -> Vec<RingProfile>) -> Score {
    let mut s = Score {
        files: 0,
        counted: 0,
        exact: 0,
        onset_err: vec![],
        failures: vec![],
    };
    for c in clips {
        let (a, _) = analyze(&c.samples, profiles(c));
        let l = &c.label;
        s.files += 1;
        let count_ok =
            a.rings_before_answer as usize == l.onsets.len() && a.rings.len() == l.onsets.len();
        let answer_ok = a.answered == l.answered
            && match (a.answer_onset_s, l.answer_s) {
                (Some(x), Some(y)) => (x - y).abs() <= 0.5,
                (None, None) => true,
                _ => false,
            };
        s.counted += usize::from(count_ok);
        if count_ok && answer_ok {
            s.exact += 1;
        } else {
            if let Some(dir) = std::env::var_os("JIEJING_DUMP_FAILED") {
                let path = std::path::Path::new(&dir).join(format!("{}.wav", l.name));
                jiejing_audio::write_wav(&path, &c.samples).unwrap();
            }
            s.failures.push(format!(
                "{}: want {} rings answered={} at {:?}, got {} rings answered={} at {:?}",
                l.name,
                l.onsets.len(),
                l.answered,
                l.answer_s.map(|x| (x * 100.0).round() / 100.0),
                a.rings.len(),
                a.answered,
                a.answer_onset_s
            ));
        }
        // Onset error where the rings line up one to one.
        if a.rings.len() == l.onsets.len() {
            for (got, want) in a.rings.iter().zip(&l.onsets) {
                s.onset_err.push((got.onset_s - want).abs());
            }
        }
    }
    s.onset_err.sort_by(f64::total_cmp);
    s
}

fn pct(v: &[f64], p: f64) -> f64 {
    v.get(((v.len() as f64 - 1.0) * p).round() as usize)
        .copied()
        .unwrap_or(f64::NAN)
}

fn report(name: &str, s: &Score) {
    eprintln!(
        "{name}: ring count exact {}/{} ({:.1} %), whole call right {}/{} ({:.1} %), onset error median {:.0} ms p95 {:.0} ms",
        s.counted,
        s.files,
        100.0 * s.counted as f64 / s.files as f64,
        s.exact,
        s.files,
        100.0 * s.exact as f64 / s.files as f64,
        pct(&s.onset_err, 0.5) * 1000.0,
        pct(&s.onset_err, 0.95) * 1000.0
    );
    for f in &s.failures {
        eprintln!("  {f}");
    }
}

/// Floors at what the detector reaches today (see the closing note of the
/// three-rings issue for the gap to the 95 % target), so a regression fails.
fn check(name: &str, s: &Score, counted_min: f64, exact_min: f64) {
    report(name, s);
    assert!(
        s.counted as f64 >= counted_min * s.files as f64,
        "{name}: ring count exact under {counted_min}"
    );
    assert!(
        s.exact as f64 >= exact_min * s.files as f64,
        "{name}: whole call right under {exact_min}"
    );
    assert!(
        pct(&s.onset_err, 0.5) <= 0.150,
        "{name}: median onset error over 150 ms"
    );
}

/// `clips` heard with the ring their phone learned from its clean sample.
fn score_learned(corpus: &Corpus, clips: &[Clip]) -> Score {
    let learned: Vec<(Phone, RingProfile)> = Phone::ALL
        .iter()
        .map(|&p| (p, p.learned(corpus.sources())))
        .collect();
    score(clips, |c| {
        let p = c.label.phone.unwrap();
        vec![learned.iter().find(|(q, _)| *q == p).unwrap().1.clone()]
    })
}

/// The main corpus: the rules were written from the first part; the
/// second, from other seeds, is measured only.
fn main_parts(corpus: &Corpus) -> [(&'static str, Vec<Clip>); 2] {
    [
        ("tuned on", corpus.ring_clips()),
        ("held out", corpus.ring_clips_held_out()),
    ]
}

#[test]
fn builtin_profiles_count_rings_over_the_corpus() {
    let corpus = Corpus::load();
    for (part, clips) in main_parts(&corpus) {
        let s = score(&clips, |_| RingProfile::builtins());
        // The band profiles (trill, bell) need two rings in cadence, or one
        // long ring vouched for by a voice right after it; a lone ring that
        // nobody answers is not heard with them. Floors: the 96 % target
        // on both parts; whole calls at today's level.
        check(&format!("built-in profiles ({part})"), &s, 0.96, 0.85);
    }
}

#[test]
fn learned_profiles_count_rings_over_the_corpus() {
    let corpus = Corpus::load();
    for (part, clips) in main_parts(&corpus) {
        let s = score_learned(&corpus, &clips);
        let exact = if part == "tuned on" { 0.93 } else { 0.85 };
        check(&format!("learned profiles ({part})"), &s, 0.96, exact);
    }
}

/// Colleagues talking over the ringing at 0, 5 and 10 dB below it (issue
/// #15, part 4), with the built-in rings and with each phone's learned
/// ring (learned from its own clean sample, scored on these calls). The
/// target is 96 % of calls with the ring count right. The rules were tuned
/// on the first part and are measured on the second (fresh seeds). Both
/// meet the target on both parts, so it is their floor.
#[test]
fn colleagues_talking_over_the_ringing() {
    let corpus = Corpus::load();
    for (part, clips) in [
        ("tuned on", corpus.colleague_clips()),
        ("held out", corpus.colleague_clips_held_out()),
    ] {
        let builtin = score(&clips, |_| RingProfile::builtins());
        let by_learned = score_learned(&corpus, &clips);
        check(
            &format!("colleagues ({part}), built-in profiles"),
            &builtin,
            FLOOR_BUILTIN,
            0.0,
        );
        check(
            &format!("colleagues ({part}), learned profiles"),
            &by_learned,
            FLOOR_LEARNED,
            0.0,
        );
    }
}

/// A melodic ringtone, learned from a clean sample of it and heard on
/// other calls (issue #15, part 4): its notes take turns, so the learner
/// must take every note, and must not take one note for another's
/// harmonic. The built-in rings are printed beside it (a melody is not
/// theirs to hear). The floor is the target.
#[test]
fn a_melodic_ringtone_learned_and_then_heard() {
    let corpus = Corpus::load();
    let clips = corpus.melody_clips();
    let melody = Phone::Melody.learned(corpus.sources());
    eprintln!("learned: {}", jiejing_audio::describe(&melody));
    report(
        "melody, built-in profiles",
        &score(&clips, |_| RingProfile::builtins()),
    );
    let s = score(&clips, |_| vec![melody.clone()]);
    check("melody, learned profile", &s, FLOOR_MELODY, 0.0);
}

/// The target for learned rings.
const FLOOR_MELODY: f64 = 0.96;

/// Colleague calls counted right (see the test above): the target.
const FLOOR_BUILTIN: f64 = 0.96;
const FLOOR_LEARNED: f64 = 0.96;

#[test]
fn no_rings_in_busy_tone_tv_radio_speech_or_noise() {
    let corpus = Corpus::load();
    let neg = corpus.negatives();
    let mut sets = vec![("built-in".to_string(), RingProfile::builtins())];
    for p in Phone::ALL.into_iter().chain([Phone::Melody]) {
        sets.push((
            format!("learned {}", p.name()),
            vec![p.learned(corpus.sources())],
        ));
    }
    let mut false_rings = Vec::new();
    for c in &neg {
        for (name, profiles) in &sets {
            let (a, calls) = analyze(&c.samples, profiles.clone());
            let n: usize = calls.iter().map(|c| c.rings.len()).sum();
            if n > 0 {
                false_rings.push(format!(
                    "{} with {name}: {n} rings {:?}",
                    c.label.name, a.rings
                ));
            }
        }
    }
    assert!(
        false_rings.is_empty(),
        "false rings:\n{}",
        false_rings.join("\n")
    );
}

#[test]
fn a_learned_ring_is_kept_sealed_and_an_older_plain_one_still_read() {
    use jiejing_audio::{forget_learned, load_learned, save_learned, SealKey};
    let corpus = Corpus::load();
    let ring = Phone::ALL[0].learned(corpus.sources());
    let dir = tempfile::tempdir().unwrap();
    let key = SealKey::new([5; 32]);
    let path = save_learned(dir.path(), &ring, &key).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert!(!bytes.windows(7).any(|w| w == b"cadence"), "in the clear");
    let back = load_learned(dir.path(), &key).unwrap().unwrap();
    assert_eq!(
        serde_json::to_value(&back).unwrap(),
        serde_json::to_value(&ring).unwrap()
    );
    // Another desk's key: refused, naming the file (the desk falls back).
    let e = load_learned(dir.path(), &SealKey::new([6; 32])).unwrap_err();
    assert!(e.to_string().contains("learned.jrec"), "{e}");
    // A desk before sealing kept it as plain JSON: read, and sealed when
    // saved again.
    assert!(forget_learned(dir.path()).unwrap());
    let plain = dir.path().join("rings/learned.json");
    std::fs::write(&plain, serde_json::to_vec(&ring).unwrap()).unwrap();
    assert!(load_learned(dir.path(), &key).unwrap().is_some());
    save_learned(dir.path(), &ring, &key).unwrap();
    assert!(!plain.exists());
    assert!(forget_learned(dir.path()).unwrap());
    assert!(load_learned(dir.path(), &key).unwrap().is_none());
}
