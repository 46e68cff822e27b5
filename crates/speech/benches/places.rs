//! What snapping places to the gazetteer costs per utterance: the dev
//! clips' sentences through `suggest`, with no places listed (the baseline:
//! everything but the snapping), the built-in sample (104 names), and the
//! sample with 5,000 more roads (generated, as a whole city's list), in one
//! run.
//! `cargo bench -p jiejing-speech --bench places`.

use std::path::Path;
use std::time::Instant;

use jiejing_core::Gazetteer;
use jiejing_speech::{suggest, Places};

#[path = "../tests/gen/mod.rs"]
mod gen;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let truth = std::fs::read_to_string(root.join("tests/fixtures/speech-dev/truth.tsv"))
        .expect("tests/fixtures/speech-dev/truth.tsv");
    let said: Vec<String> = truth
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').nth(3).map(str::to_string))
        .collect();
    let none =
        Gazetteer::parse("none.toml", "city = \"常州\"\ndistricts = [\"天宁区\"]\n").unwrap();
    for (what, g) in [
        ("one district (baseline)", none),
        ("built-in sample", Gazetteer::builtin()),
        ("sample + 5,000 roads", gen::with_roads(5_000, &[])),
    ] {
        let names = g.places.len();
        let g = Places::of(&g);
        let mut times = Vec::new();
        let mut offered = 0;
        for _ in 0..5 {
            for s in &said {
                let t = Instant::now();
                offered += suggest(s, None, &g, &[]).place.len();
                times.push(t.elapsed().as_secs_f64() * 1000.0);
            }
        }
        times.sort_by(f64::total_cmp);
        let p = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
        println!(
            "suggest with {what:<24} ({:>5} names): p50 {:>7.3} ms  p95 {:>7.3} ms  max {:>7.3} ms  ({offered} places offered)",
            names,
            p(0.5),
            p(0.95),
            p(1.0)
        );
    }
}
