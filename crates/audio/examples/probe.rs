//! Prints what the detector hears in a WAV: tone and voice events, the calls.
//! `cargo run -p jiejing-audio --example probe -- FILE.wav [SAMPLE.wav]`
use jiejing_audio::*;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let samples = read_wav(args[0].as_ref()).expect("wav");
    let profiles = match args.get(1) {
        Some(s) => {
            let p =
                learn(&read_wav(s.as_ref()).expect("sample"), "learned", "learned").expect("learn");
            println!("learned {p:?}");
            vec![p]
        }
        None => RingProfile::builtins(),
    };
    let mut det = RingDetector::new(profiles.clone());
    let mut evs = Vec::new();
    det.push(&samples, &mut evs);
    for e in &evs {
        match e {
            RingEvent::ToneOff {
                profile,
                onset,
                offset,
                steady,
            } if offset - onset > 0.2 => {
                println!(
                    "{:>8.3} tone {} {:.3}..{:.3} ({:.2} s) steady={steady}",
                    offset,
                    profiles[*profile].id,
                    onset,
                    offset,
                    offset - onset
                )
            }
            RingEvent::VoiceOn { t } => println!("{t:>8.3} voice on"),
            RingEvent::VoiceOff { t } => println!("{t:>8.3} voice off"),
            _ => {}
        }
    }
    let (a, calls) = analyze(&samples, profiles);
    println!("{}", serde_json::to_string(&a).unwrap());
    println!("{} calls: {calls:?}", calls.len());
}
