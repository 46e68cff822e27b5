//! The extractors over the development set's transcripts
//! (`tests/fixtures/speech-dev/truth.tsv`): once over the written text (a
//! perfect recogniser) and once over what the voice was given to say
//! (幺幺零, digits one by one, 苏滴 — the forms a recogniser hears). Prints
//! precision and recall per field; the floors are today's figures, so a
//! regression fails.

use jiejing_core::Gazetteer;
use jiejing_speech::normalize::normalize;
use jiejing_speech::{suggest, Places};

struct Row {
    id: String,
    speaker: String,
    text: String,
    spoken: String,
    expect: [String; 5], // when, where, plate, phone, situation
}

fn rows() -> Vec<Row> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/speech-dev/truth.tsv"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let get = |i: usize| f.get(i).copied().unwrap_or("").trim().to_string();
            Row {
                id: get(0),
                speaker: get(1),
                text: get(2),
                spoken: get(3),
                expect: [get(4), get(5), get(6), get(7), get(8)],
            }
        })
        .collect()
}

const FIELDS: [&str; 5] = ["when", "where", "plate", "phone", "situation"];

/// (true positives, predicted, expected) per field.
fn score(spoken: bool) -> [(u32, u32, u32); 5] {
    let mut s = [(0, 0, 0); 5];
    for r in rows() {
        let input = if spoken { &r.spoken } else { &r.text };
        let greeting = (r.speaker == "taker").then_some("你好，常州110");
        let got = suggest(input, greeting, &Places::of(&Gazetteer::builtin()), &[]);
        let lists = [
            &got.when,
            &got.place,
            &got.plate,
            &got.phone,
            &got.situation,
        ];
        for (i, list) in lists.iter().enumerate() {
            // Compared in written form on both sides (十点 = 10点).
            let want = normalize(&r.expect[i]);
            let got: Vec<String> = list.iter().map(|x| normalize(x)).collect();
            let tp = u32::from(!want.is_empty() && got.contains(&want));
            s[i].0 += tp;
            s[i].1 += got.len() as u32;
            s[i].2 += u32::from(!want.is_empty());
            if (tp == 0 && !want.is_empty()) || got.len() as u32 > tp {
                println!(
                    "{} {:<9} {:<8} want {want:?} got {got:?}",
                    r.id,
                    FIELDS[i],
                    if spoken { "spoken" } else { "text" }
                );
            }
        }
    }
    s
}

fn report(what: &str, s: &[(u32, u32, u32); 5]) -> Vec<(f64, f64)> {
    FIELDS
        .iter()
        .zip(s)
        .map(|(f, (tp, pred, exp))| {
            let p = if *pred == 0 { 1.0 } else { f64::from(*tp) / f64::from(*pred) };
            let r = if *exp == 0 { 1.0 } else { f64::from(*tp) / f64::from(*exp) };
            println!("{what:<7} {f:<10} precision {:>5.1} %  recall {:>5.1} %  ({tp}/{pred} predicted, {tp}/{exp} expected)", p * 100.0, r * 100.0);
            (p, r)
        })
        .collect()
}

#[test]
fn extraction_over_the_development_set() {
    let text = report("text", &score(false));
    let spoken = report("spoken", &score(true));
    // Every field exact on written text, and on what the voice said.
    for (what, figures) in [("text", text), ("spoken", spoken)] {
        for (f, (p, r)) in FIELDS.iter().zip(figures) {
            assert!(
                p >= 1.0 && r >= 1.0,
                "{what} {f}: precision {p}, recall {r}"
            );
        }
    }
}
