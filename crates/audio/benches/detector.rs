//! Ring detector numbers: throughput (× real time, one core), latency from
//! a ring's onset/offset to its report, and accuracy over the corpus
//! (ring count exact, onset error, false rings). Peer in the same run: the
//! raw STFT front end alone, the floor any FFT-based detector pays.
//! `cargo bench -p jiejing-audio --bench detector`

#[path = "../tests/corpus/mod.rs"]
mod corpus;

use std::time::Instant;

use corpus::{Corpus, Phone};
use jiejing_audio::{analyze, RingDetector, RingEvent, RingProfile, Stft, SAMPLE_RATE};

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(((v.len() as f64 - 1.0) * p).round() as usize)
        .copied()
        .unwrap_or(f64::NAN)
}

fn main() {
    let corpus = Corpus::load();
    let clips = corpus.ring_clips();
    let audio: Vec<f32> = clips
        .iter()
        .flat_map(|c| c.samples.iter().copied())
        .collect();
    let secs = audio.len() as f64 / f64::from(SAMPLE_RATE);

    // Throughput, best of 3.
    let best = |f: &dyn Fn()| {
        (0..3)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min)
    };
    let stft_s = best(&|| {
        let mut s = Stft::new();
        let mut n = 0usize;
        for b in audio.chunks(1600) {
            s.push(b, |f| n += f.power.len());
        }
        std::hint::black_box(n);
    });
    let det_s = best(&|| {
        let mut d = RingDetector::new(RingProfile::builtins());
        let mut ev = Vec::new();
        for b in audio.chunks(1600) {
            d.push(b, &mut ev);
            ev.clear();
        }
    });
    println!("audio: {} files, {:.0} s", clips.len(), secs);
    println!("throughput: detector (4 built-in profiles + VAD) {:.0}× real time; STFT alone {:.0}× real time", secs / det_s, secs / stft_s);

    // Latency: a clean ring at a known time, fed in 10 ms blocks as live.
    let mut on_lat = Vec::new();
    let mut off_lat = Vec::new();
    for k in 0..20 {
        let onset = 1.0 + k as f64 * 0.0137;
        let offset = onset + 1.0;
        let n = (4.0 * f64::from(SAMPLE_RATE)) as usize;
        let s: Vec<f32> = (0..n)
            .map(|i| {
                let t = i as f64 / f64::from(SAMPLE_RATE);
                if t >= onset && t < offset {
                    (0.1 * (2.0 * std::f64::consts::PI * 450.0 * t).sin()) as f32
                } else {
                    0.0
                }
            })
            .collect();
        let mut d = RingDetector::new(RingProfile::builtins());
        let mut ev = Vec::new();
        let (mut got_on, mut got_off) = (false, false);
        for (i, b) in s.chunks(160).enumerate() {
            d.push(b, &mut ev);
            let heard = ((i + 1) * 160) as f64 / f64::from(SAMPLE_RATE);
            for e in ev.drain(..) {
                match e {
                    RingEvent::ToneOn { profile: 0, .. } if !got_on => {
                        got_on = true;
                        on_lat.push(heard - onset)
                    }
                    RingEvent::ToneOff { profile: 0, .. } if !got_off => {
                        got_off = true;
                        off_lat.push(heard - offset)
                    }
                    _ => {}
                }
            }
        }
    }
    println!(
        "latency to report: onset median {:.0} ms (max {:.0}); offset median {:.0} ms (max {:.0})",
        pct(&mut on_lat.clone(), 0.5) * 1e3,
        pct(&mut on_lat, 1.0) * 1e3,
        pct(&mut off_lat.clone(), 0.5) * 1e3,
        pct(&mut off_lat, 1.0) * 1e3
    );

    // Accuracy.
    let learned: Vec<(Phone, RingProfile)> = Phone::ALL
        .iter()
        .map(|&p| (p, p.learned(corpus.sources())))
        .collect();
    for (name, use_learned) in [("built-in", false), ("learned", true)] {
        let (mut exact, mut errs, mut by_snr) = (
            0,
            Vec::new(),
            std::collections::BTreeMap::<String, (u32, u32)>::new(),
        );
        for c in &clips {
            let profiles = if use_learned {
                vec![learned
                    .iter()
                    .find(|(p, _)| Some(*p) == c.label.phone)
                    .unwrap()
                    .1
                    .clone()]
            } else {
                RingProfile::builtins()
            };
            let (a, _) = analyze(&c.samples, profiles);
            let ok = a.rings.len() == c.label.onsets.len();
            exact += u32::from(ok);
            let snr = c
                .label
                .name
                .split('-')
                .find(|p| p.ends_with("db"))
                .unwrap_or("?")
                .to_string();
            let e = by_snr.entry(snr).or_default();
            e.0 += u32::from(ok);
            e.1 += 1;
            // Onset error where the rings line up one to one.
            errs.extend(
                a.rings
                    .iter()
                    .zip(&c.label.onsets)
                    .filter(|_| ok)
                    .map(|(g, w)| (g.onset_s - w).abs()),
            );
        }
        let snr: Vec<String> = by_snr
            .iter()
            .map(|(k, (a, b))| format!("{k} {a}/{b}"))
            .collect();
        println!(
            "accuracy ({name}): ring count exact {}/{} ({:.1} %) [{}]; onset error median {:.0} ms, p95 {:.0} ms",
            exact, clips.len(), 100.0 * f64::from(exact) / clips.len() as f64, snr.join(", "),
            pct(&mut errs.clone(), 0.5) * 1e3, pct(&mut errs, 0.95) * 1e3
        );
    }
    let negs = corpus.negatives();
    let false_rings: usize = negs
        .iter()
        .map(|c| {
            analyze(&c.samples, RingProfile::builtins())
                .1
                .iter()
                .map(|k| k.rings.len())
                .sum::<usize>()
        })
        .sum();
    println!("false rings on {} ring-free files (busy tone, TV tones, radio, speech, noise): {false_rings}", negs.len());
}
