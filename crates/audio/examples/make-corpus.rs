//! Writes the labelled ring corpus the tests use as WAV files plus
//! `labels.tsv` (file, phone, ring onsets, answered, answer time), so a
//! person can listen to it or run `jiejing rings analyze` over it.
//! `cargo run -p jiejing-audio --example make-corpus -- OUT_DIR`

#[path = "../tests/corpus/mod.rs"]
mod corpus;

use std::io::Write;

fn main() {
    let out =
        std::path::PathBuf::from(std::env::args().nth(1).expect("usage: make-corpus OUT_DIR"));
    std::fs::create_dir_all(&out).expect("create OUT_DIR");
    let c = corpus::Corpus::load();
    let mut tsv = std::fs::File::create(out.join("labels.tsv")).expect("labels.tsv");
    writeln!(tsv, "file\tphone\trings\tonsets_s\tanswered\tanswer_s").unwrap();
    for clip in c.ring_clips().into_iter().chain(c.negatives()) {
        let l = &clip.label;
        let file = format!("{}.wav", l.name);
        jiejing_audio::write_wav(&out.join(&file), &clip.samples).expect("write wav");
        let onsets: Vec<String> = l.onsets.iter().map(|o| format!("{o:.3}")).collect();
        writeln!(
            tsv,
            "{file}\t{}\t{}\t{}\t{}\t{}",
            l.phone.map_or("-", |p| p.name()),
            l.onsets.len(),
            onsets.join(","),
            l.answered,
            l.answer_s.map_or("-".into(), |a| format!("{a:.3}"))
        )
        .unwrap();
    }
    println!("corpus written to {}", out.display());
}
