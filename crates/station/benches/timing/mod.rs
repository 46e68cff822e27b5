//! Percentiles of measured durations, printed one line per measurement,
//! for both station benchmarks.

use std::time::Duration;

/// The `p` quantile (0..=1) in milliseconds.
fn pct(v: &[Duration], p: f64) -> f64 {
    let mut v = v.to_vec();
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1e3
}

pub fn line(name: &str, v: &[Duration]) {
    println!(
        "{name:<52} n={:<5} p50={:>8.3} ms  p95={:>8.3} ms  p99={:>8.3} ms  max={:>8.3} ms",
        v.len(),
        pct(v, 0.5),
        pct(v, 0.95),
        pct(v, 0.99),
        pct(v, 1.0)
    );
}
