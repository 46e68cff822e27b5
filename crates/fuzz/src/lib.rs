//! A small mutation fuzzer for the readers of outside input: every file a
//! station or a user hands the desk (recordings, calendars, phrase packs,
//! the referral directory, the learned ring, model files) may be damaged
//! or crafted. Each reader gets valid seeds, mutated many ways (bits
//! flipped, bytes set to edge values, spans cut, doubled or spliced from
//! another seed, the file cut short), and must answer each in time with a
//! value or an error: a panic or a hang fails the run, and the input that
//! caused it is kept for replay.
//!
//! Deterministic: case `i` of a run is the same input every time, so a
//! failure in CI is replayed here with its case number. `JIEJING_FUZZ_CASES`
//! sets the cases per reader (a short pass in `make test`, a long one in
//! `make fuzz`).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Cases per reader unless `JIEJING_FUZZ_CASES` says otherwise.
pub const DEFAULT_CASES: usize = 300;
/// One input taking longer than this is a hang.
const HANG: Duration = Duration::from_secs(10);

/// xorshift64*: small, fast, and the same everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// 0..n (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

/// Case `case` of `seeds`: one seed, changed one to four ways.
pub fn mutant(seeds: &[Vec<u8>], case: usize) -> Vec<u8> {
    let mut rng = Rng::new(case as u64 + 1);
    let mut b = seeds[rng.below(seeds.len())].clone();
    for _ in 0..1 + rng.below(4) {
        let len = b.len();
        match rng.below(8) {
            // A bit flipped.
            0 if len > 0 => {
                let i = rng.below(len);
                b[i] ^= 1 << rng.below(8);
            }
            // A byte set to an edge value.
            1 if len > 0 => {
                let i = rng.below(len);
                b[i] = [0, 0x7f, 0x80, 0xff, b'"', b'\n', b'='][rng.below(7)];
            }
            // A 32-bit field set to an edge value (lengths, counts, shapes).
            2 if len >= 4 => {
                let i = rng.below(len - 3);
                let v: u32 = [0, 1, 0x7fff_ffff, 0x8000_0000, u32::MAX, 65_536][rng.below(6)];
                b[i..i + 4].copy_from_slice(&v.to_le_bytes());
            }
            // Cut short.
            3 => b.truncate(rng.below(len + 1)),
            // A span taken out.
            4 if len > 0 => {
                let at = rng.below(len);
                let n = rng.below(len - at + 1).min(64);
                b.drain(at..at + n);
            }
            // A span doubled.
            5 if len > 0 => {
                let at = rng.below(len);
                let n = rng.below(len - at + 1).min(256);
                let span = b[at..at + n].to_vec();
                b.splice(at..at, span);
            }
            // Spliced with another seed.
            6 => {
                let other = &seeds[rng.below(seeds.len())];
                let cut = rng.below(len + 1);
                let from = rng.below(other.len() + 1);
                b.truncate(cut);
                b.extend_from_slice(&other[from..]);
            }
            // Random bytes inserted.
            _ => {
                let at = rng.below(len + 1);
                let junk: Vec<u8> = (0..1 + rng.below(16))
                    .map(|_| rng.next_u64() as u8)
                    .collect();
                b.splice(at..at, junk);
            }
        }
    }
    b
}

/// Cases per reader for this run.
pub fn cases() -> usize {
    std::env::var("JIEJING_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CASES)
}

/// What a run did, for the numbers in `make fuzz`.
#[derive(Debug)]
pub struct Ran {
    pub cases: usize,
    pub errors: usize,
    pub slowest: Duration,
    pub took: Duration,
}

/// Feeds `cases()` mutants of `seeds` (each seed once first, unchanged) to
/// `read`, which returns whether the input was refused with an error.
/// Panics, naming the reader, the case and where its input was kept, when
/// `read` panics or takes longer than [`HANG`].
pub fn fuzz(name: &str, seeds: &[Vec<u8>], read: impl Fn(&[u8]) -> bool + Sync) -> Ran {
    assert!(!seeds.is_empty(), "{name}: no seeds");
    let n = cases();
    let began = Instant::now();
    let (mut errors, mut slowest) = (0, Duration::ZERO);
    let (tick, watch) = mpsc::channel::<Option<usize>>();
    std::thread::scope(|s| {
        // The watchdog: a case that does not finish in time is a hang,
        // which no panic would ever report.
        s.spawn(move || {
            let mut current = None;
            loop {
                match watch.recv_timeout(HANG) {
                    Ok(Some(c)) => current = Some(c),
                    Ok(None) | Err(mpsc::RecvTimeoutError::Disconnected) => return,
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        if let Some(c) = current {
                            eprintln!("fuzz {name}: case {c} hangs (over {HANG:?})");
                            std::process::abort();
                        }
                    }
                }
            }
        });
        for case in 0..seeds.len() + n {
            let input = match seeds.get(case) {
                Some(s) => s.clone(),
                None => mutant(seeds, case),
            };
            let _ = tick.send(Some(case));
            let t = Instant::now();
            let result = catch_unwind(AssertUnwindSafe(|| read(&input)));
            slowest = slowest.max(t.elapsed());
            match result {
                Ok(true) => errors += 1,
                Ok(false) => {}
                Err(_) => {
                    let kept = keep(name, case, &input);
                    let _ = tick.send(None);
                    panic!(
                        "fuzz {name}: case {case} panicked; its input is {}",
                        kept.display()
                    );
                }
            }
        }
        let _ = tick.send(None);
    });
    Ran {
        cases: seeds.len() + n,
        errors,
        slowest,
        took: began.elapsed(),
    }
}

/// Keeps a failing input for replay.
fn keep(name: &str, case: usize, input: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join("jiejing-fuzz-failures");
    let path = dir.join(format!("{name}-{case}.bin"));
    let _ = std::fs::create_dir_all(&dir);
    let _ = std::fs::write(&path, input);
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mutants_are_the_same_every_run_and_differ_from_the_seed() {
        let seeds = vec![b"[year]\nholidays = []\n".to_vec()];
        assert_eq!(mutant(&seeds, 7), mutant(&seeds, 7));
        let changed = (0..100).filter(|&c| mutant(&seeds, c) != seeds[0]).count();
        assert!(changed > 90, "{changed}");
    }

    #[test]
    fn a_reader_that_panics_is_named_with_its_case() {
        let seeds = vec![b"abc".to_vec()];
        let r = catch_unwind(|| fuzz("demo", &seeds, |b| b.len() > 3 && panic!("boom")));
        let msg = r.unwrap_err();
        let msg = msg.downcast_ref::<String>().unwrap();
        assert!(
            msg.contains("fuzz demo: case") && msg.contains("jiejing-fuzz-failures"),
            "{msg}"
        );
    }
}
