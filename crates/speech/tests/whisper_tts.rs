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
