//! Recording numbers (issue #15): disk per hour of calls and the CPU the
//! recorder adds while capturing. Audio: the natural Mandarin clips of
//! tests/fixtures/speech-dev and the ring corpus, one after the other
//! with their pauses, played as a call. Peers in the same run: 16-bit WAV
//! of the same audio (size), and the ring detector the capture path
//! already runs on it (CPU). Recordings are sealed as the desk writes
//! them (XChaCha20-Poly1305 per frame).
//! `cargo bench -p jiejing-audio --bench record`

#[path = "../tests/corpus/mod.rs"]
mod corpus;

use std::path::Path;
use std::time::Instant;

use jiejing_audio::{
    read_recording, read_wav, stretch, Recorder, RingDetector, RingProfile, SealKey, SAMPLE_RATE,
};

fn best(f: &mut dyn FnMut()) -> f64 {
    (0..3)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let speech_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/speech-dev");
    let mut speech: Vec<f32> = Vec::new();
    for i in 1..=24 {
        if let Ok(s) = read_wav(&speech_dir.join(format!("u{i:02}.wav"))) {
            speech.extend(s);
            speech.extend(std::iter::repeat_n(0.0, SAMPLE_RATE as usize / 2));
        }
    }
    let rings: Vec<f32> = corpus::Corpus::load()
        .ring_clips()
        .iter()
        .flat_map(|c| c.samples.iter().copied())
        .collect();
    let dir = tempfile::tempdir().unwrap();
    // Sealed as the desk seals them: the cost of sealing is in "encode".
    let key = SealKey::new([9; 32]);
    println!("kind      audio s  FLAC MB/h  WAV MB/h  ratio  encode ×RT  plain ×RT  detector ×RT  decode ×RT  2× stretch ×RT");
    for (name, audio) in [("speech", &speech), ("rings", &rings)] {
        let secs = audio.len() as f64 / f64::from(SAMPLE_RATE);
        let mut n = 0;
        let mut bytes = 0u64;
        let enc = best(&mut || {
            n += 1;
            let path = dir.path().join(format!("{name}{n}.flac"));
            let mut r = Recorder::create(&path, 1, &key).unwrap();
            // As captured: 100 ms blocks.
            for b in audio.chunks(1600) {
                r.write(b).unwrap();
            }
            bytes = r.finish().unwrap().bytes;
        });
        // The peer: the same frames as a plain FLAC file, unsealed (how
        // the desk recorded before sealing), to a file as well.
        let plain = best(&mut || {
            let path = dir.path().join(format!("{name}-plain.flac"));
            let _ = std::fs::remove_file(&path);
            let file = std::fs::File::create(&path).unwrap();
            let options = flac_codec::encode::Options::default().no_seektable();
            let mut w =
                flac_codec::encode::FlacSampleWriter::new(file, options, SAMPLE_RATE, 16, 1, None)
                    .unwrap();
            for b in audio.chunks(1600) {
                let ints: Vec<i32> = b
                    .iter()
                    .map(|s| (s * 32768.0).round().clamp(-32768.0, 32767.0) as i32)
                    .collect();
                w.write(&ints).unwrap();
            }
            w.finalize().unwrap();
        });
        let det = best(&mut || {
            let mut d = RingDetector::new(RingProfile::builtins());
            let mut ev = Vec::new();
            for b in audio.chunks(1600) {
                d.push(b, &mut ev);
                ev.clear();
            }
        });
        let path = dir.path().join(format!("{name}1.flac"));
        let dec = best(&mut || {
            std::hint::black_box(read_recording(&path, &key).unwrap());
        });
        let st = best(&mut || {
            std::hint::black_box(stretch(audio, 2.0));
        });
        let per_hour = |b: f64| b / secs * 3600.0 / 1e6;
        let wav = (audio.len() * 2 + 44) as f64;
        println!(
            "{name:<8} {secs:>8.0} {:>10.1} {:>9.1} {:>6.2} {:>11.0} {:>10.0} {:>13.0} {:>11.0} {:>15.0}",
            per_hour(bytes as f64),
            per_hour(wav),
            bytes as f64 / wav,
            secs / enc,
            secs / plain,
            secs / det,
            secs / dec,
            secs / st
        );
    }
    println!("(×RT: seconds of audio per second of one core; the recorder's share of a core while capturing is 1/encode×RT)");
}
