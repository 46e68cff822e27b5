//! Detector and tracker joined for a live stream: feed blocks, get call
//! events with times in seconds of stream; [`Listener::now`] maps them to
//! the wall clock (an event at `t` happened `now() - t` seconds ago).

use crate::ring::{RingDetector, RingEvent};
use crate::tracker::{CallEvent, CallTracker};
use crate::utterance::{Cutter, Utterance};
use crate::RingProfile;

pub struct Listener {
    detector: RingDetector,
    tracker: CallTracker,
    samples: u64,
    events: Vec<RingEvent>,
    /// Cuts speech for the recogniser, when asked to ([`Listener::cut_speech`]).
    cutter: Option<Cutter>,
    /// Cuts partials too ([`Listener::with_partials`]).
    partials: bool,
    utterances: Vec<Utterance>,
}

impl Listener {
    pub fn new(profiles: Vec<RingProfile>) -> Self {
        Listener {
            detector: RingDetector::new(profiles.clone()),
            tracker: CallTracker::new(profiles),
            samples: 0,
            events: Vec::new(),
            cutter: None,
            partials: false,
            utterances: Vec::new(),
        }
    }

    /// Also cut the voice heard into utterances ([`Listener::utterances`]).
    pub fn cut_speech(mut self) -> Self {
        self.cutter = Some(Cutter::new());
        self
    }

    /// Also cut partials of an utterance still being spoken
    /// ([`Cutter::partial`]), among [`Listener::utterances`]: for a screen
    /// that shows text while the speaker talks. A recording has no use
    /// for them.
    pub fn with_partials(mut self) -> Self {
        self.partials = true;
        self
    }

    /// The stream ended: the utterance still open, if any.
    pub fn finish_speech(&mut self) -> Option<Utterance> {
        self.cutter.as_mut()?.finish()
    }

    /// Utterances completed since the last call.
    pub fn utterances(&mut self) -> std::vec::Drain<'_, Utterance> {
        self.utterances.drain(..)
    }

    /// Seconds of audio heard so far.
    pub fn now(&self) -> f64 {
        self.samples as f64 / f64::from(crate::SAMPLE_RATE)
    }

    pub fn feed(&mut self, block: &[f32], out: &mut Vec<CallEvent>) {
        self.samples += block.len() as u64;
        self.events.clear();
        self.detector.push(block, &mut self.events);
        if let Some(c) = self.cutter.as_mut() {
            self.utterances.extend(c.push(block));
            for e in &self.events {
                match *e {
                    RingEvent::VoiceOn { t } => c.voice_on(t),
                    RingEvent::VoiceOff { t } => c.voice_off(t),
                    _ => {}
                }
            }
            if self.partials {
                self.utterances
                    .extend(c.partial(self.detector.voiced_until()));
            }
        }
        for e in &self.events {
            self.tracker.event(e, out);
        }
        self.tracker.tick(self.now(), out);
    }

    /// End of a recording: settle what is still ringing as if time ran
    /// on past the longest pause (voice after the last ring answered it).
    pub fn settle(&mut self, out: &mut Vec<CallEvent>) {
        self.tracker.tick(self.now() + 30.0, out);
        self.tracker.flush(out);
    }
}

/// Every call that ended among `events`.
pub(crate) fn ended(events: impl IntoIterator<Item = CallEvent>) -> Vec<crate::RingCall> {
    events
        .into_iter()
        .filter_map(|e| match e {
            CallEvent::Ended(c) => Some(c),
            _ => None,
        })
        .collect()
}

/// Listens to a whole source until it ends (a file, a synthetic signal):
/// every call heard. The live app drives [`Listener::feed`] itself, block by
/// block, because it also serves the screen between blocks.
pub fn listen_to_end(
    source: &mut dyn crate::AudioSource,
    profiles: Vec<RingProfile>,
) -> Result<Vec<crate::RingCall>, crate::AudioError> {
    let mut l = Listener::new(profiles);
    let mut out = Vec::new();
    while !source.finished() {
        if let Some(b) = source.next_block(std::time::Duration::from_millis(100))? {
            l.feed(&b, &mut out);
        }
    }
    l.settle(&mut out);
    Ok(ended(out))
}

/// Every utterance in a recording, cut as the live app cuts them; the end
/// of the recording ends the last one.
pub fn utterances_of(pcm: &[f32]) -> Vec<Utterance> {
    let mut l = Listener::new(RingProfile::builtins()).cut_speech();
    let (mut events, mut out) = (Vec::new(), Vec::new());
    for block in pcm.chunks(crate::FRAME_HOP) {
        l.feed(block, &mut events);
        out.extend(l.utterances());
    }
    out.extend(l.finish_speech());
    out
}
