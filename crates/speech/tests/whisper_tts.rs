//! Whisper base over spoken caller utterances made here
//! (`tests/fixtures/speech-tts`, by its `make.py`: phone numbers, plates,
//! places of the gazetteer and situations, 40 per part), taken as the desk
//! takes each utterance. The `dev` part's transcripts and misses are
//! printed and rules may be written from them; the `heldout` part's
//! figures only.
//!
//! Asserted on the held-out part, at the targets where the
//! recogniser lets the rules reach them: situations hinted (80 %), places'
//! precision (90 %) and recall (60 %), no greeting in a caller's words.
//! CER and plates fall short of their targets here (see the README's
//! known gaps); they are printed.

mod clips;

use clips::{fixtures, score};

#[test]
fn spoken_caller_utterances_through_whisper() {
    score(&fixtures("speech-tts/dev"), true);
    let s = score(&fixtures("speech-tts/heldout"), false);
    assert!(s.greeted.is_empty(), "a greeting heard in a caller's words");
    assert!(
        s.recall(4) >= 80.0,
        "held-out situations hinted {:.0} %",
        s.recall(4)
    );
    let (precision, recall) = (s.precision(3), s.recall(3));
    assert!(
        recall >= 60.0 && precision >= 90.0,
        "held-out places: precision {precision:.1} %, recall {recall:.1} %"
    );
}

/// A phone number said in groups (幺五九，二一九四，六二九六; made by
/// `make.py phones 33001`) sent the decoder into a loop at temperature 0
/// (159,2194,66296,626,626,…), and the loop filter dropped the whole
/// utterance. Decoded again warmer, it is heard, and the number offered.
#[test]
fn a_number_that_looped_the_decoder_is_heard_again() {
    use jiejing_core::Gazetteer;
    use jiejing_speech::{prompt_for, suggest, Places, Transcriber, Whisper};
    let mut whisper = Whisper::load(
        &clips::model_path(),
        &prompt_for("常州", &Gazetteer::builtin()),
    )
    .unwrap();
    let pcm = jiejing_audio::read_wav(&fixtures("speech-tts/loop/phone-in-groups.wav")).unwrap();
    let segs = whisper.transcribe(&pcm).unwrap();
    let heard: String = segs.iter().map(|s| s.text.as_str()).collect();
    assert!(!heard.is_empty(), "the utterance was dropped");
    let got = suggest(&heard, None, &Places::of(&Gazetteer::builtin()), &[]);
    assert_eq!(got.phone, ["15921946296"], "heard {heard:?}");
}
