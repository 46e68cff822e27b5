//! From tone and voice events to calls: cadence, rings before answer,
//! answer time, missed calls. Pure logic over event times, so every rule
//! is testable without audio.

use serde::Serialize;

use crate::profile::RingProfile;
use crate::ring::RingEvent;

/// A ring cut short by the pick-up counts if it lasted at least this long
/// (busy-tone beeps are 0.35 s) and voice followed within `CUT_VOICE_S`.
const CUT_MIN_S: f64 = 0.55;
const CUT_VOICE_S: f64 = 1.2;
/// Once ringing is established, a later ring cut this short still counts
/// (the caller heard it start); shorter blips are speech or echo.
const CUT_LATER_MIN_S: f64 = 0.3;
/// After the rings stop, voice must start within the profile's longest
/// pause plus this, or the call was missed.
const ANSWER_GRACE_S: f64 = 3.0;
/// Voice this soon after a lone ring of a two-ring profile confirms it.
const VOUCH_S: f64 = 3.0;
/// …if it rang this long: a held note on the radio is rarely that steady.
const VOUCH_MIN_RING_S: f64 = 0.8;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Span {
    pub onset: f64,
    pub offset: f64,
}

/// One call as heard: which profile rang, each ring, the answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RingCall {
    pub profile: String,
    pub rings: Vec<Span>,
    /// Voice onset that answered it; None for a missed call.
    pub answered_at: Option<f64>,
}

impl RingCall {
    pub fn first_onset(&self) -> f64 {
        self.rings.first().map_or(0.0, |r| r.onset)
    }
    /// Rings that began before the answer (a ring cut short counts).
    pub fn rings_before_answer(&self) -> u32 {
        let until = self.answered_at.unwrap_or(f64::INFINITY);
        self.rings.iter().filter(|r| r.onset < until).count() as u32
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum CallEvent {
    /// Ringing confirmed; the call began at `first_onset`.
    Started { first_onset: f64 },
    /// Rings heard so far, for the live counter: rises at each ring's onset,
    /// and falls back if that "ring" turns out to be a blip.
    Ringing { count: u32 },
    /// The call ended ringing: answered (`answered_at` set) or missed.
    Ended(RingCall),
}

struct Seq {
    profile: usize,
    rings: Vec<Span>,
}

enum State {
    /// Collecting rings per profile until one has enough in cadence.
    Idle {
        candidates: Vec<Vec<Span>>,
        cut: Option<(usize, Span)>,
    },
    Ringing {
        seq: Seq,
        /// Onset of the ring now sounding, if any.
        ring_on: Option<f64>,
        /// A short last ring that an answer may have cut.
        cut: Option<Span>,
        /// First voice onset after the last ring stopped.
        voice: Option<f64>,
    },
}

impl State {
    fn idle(profiles: usize) -> State {
        State::Idle {
            candidates: vec![Vec::new(); profiles],
            cut: None,
        }
    }
}

pub struct CallTracker {
    profiles: Vec<RingProfile>,
    state: State,
}

impl CallTracker {
    pub fn new(profiles: Vec<RingProfile>) -> Self {
        let n = profiles.len();
        CallTracker {
            profiles,
            state: State::idle(n),
        }
    }

    pub fn event(&mut self, ev: &RingEvent, out: &mut Vec<CallEvent>) {
        self.tick(ev.t(), out);
        match *ev {
            RingEvent::VoiceOn { t } => self.voice(t, out),
            RingEvent::VoiceOff { .. } => {}
            RingEvent::ToneOn { profile, t } => self.tone_on(profile, t, out),
            RingEvent::ToneOff {
                profile,
                onset,
                offset,
                steady,
            } => self.tone_off(profile, Span { onset, offset }, steady, out),
        }
    }

    /// Time passes with nothing new (call regularly, e.g. every block):
    /// ends ringing that has stopped.
    pub fn tick(&mut self, t: f64, out: &mut Vec<CallEvent>) {
        // A "ring" that never ends (a TV tone starting in a pause) is not
        // one: take it back so the ringing can end.
        if let State::Ringing { seq, ring_on, .. } = &mut self.state {
            let on_max = self.profiles[seq.profile].cadence.on_max_s;
            if ring_on.is_some_and(|on| t - on > on_max + 1.0) {
                *ring_on = None;
                out.push(CallEvent::Ringing {
                    count: seq.rings.len() as u32,
                });
            }
        }
        let State::Ringing {
            seq,
            ring_on: None,
            voice,
            cut,
        } = &self.state
        else {
            return;
        };
        // A ring cut short waits for the voice that would say it was the
        // pick-up, however long the pause before it was.
        if cut.is_some_and(|c| t - c.offset <= CUT_VOICE_S) {
            return;
        }
        let c = &self.profiles[seq.profile].cadence;
        let last_off = seq.rings.last().map_or(0.0, |r| r.offset);
        let quiet_for = t - last_off;
        let answered = voice.filter(|_| quiet_for > c.off_max_s);
        if answered.is_some() || quiet_for > c.off_max_s + ANSWER_GRACE_S {
            self.finish(answered, out);
        }
    }

    fn finish(&mut self, answered_at: Option<f64>, out: &mut Vec<CallEvent>) {
        let old = std::mem::replace(&mut self.state, State::idle(self.profiles.len()));
        if let State::Ringing { seq, .. } = old {
            out.push(CallEvent::Ended(RingCall {
                profile: self.profiles[seq.profile].id.clone(),
                rings: seq.rings,
                answered_at,
            }));
        }
    }

    fn voice(&mut self, t: f64, out: &mut Vec<CallEvent>) {
        match &mut self.state {
            State::Idle { cut, candidates } => {
                // Picked up during the very first ring: ringing with that
                // ring and this voice, answered once no ring follows (a
                // colleague talking over a ring that speech masked must not
                // end the call).
                let picked_up = cut
                    .take()
                    .filter(|(_, span)| t >= span.offset - 0.1 && t - span.offset <= CUT_VOICE_S);
                // Answered after one ring of a profile that wanted two: the
                // voice at the desk right after it vouches for it. It still
                // has to stop ringing (no second ring) to count as answered.
                let vouched = || {
                    candidates.iter().enumerate().find_map(|(p, list)| {
                        let r = *list.last()?;
                        let long = r.offset - r.onset >= VOUCH_MIN_RING_S;
                        (list.len() == 1 && long && t >= r.offset - 0.1 && t - r.offset <= VOUCH_S)
                            .then_some((p, r))
                    })
                };
                if let Some((profile, ring)) = picked_up.or_else(vouched) {
                    out.push(CallEvent::Started {
                        first_onset: ring.onset,
                    });
                    out.push(CallEvent::Ringing { count: 1 });
                    self.state = State::Ringing {
                        seq: Seq {
                            profile,
                            rings: vec![ring],
                        },
                        ring_on: None,
                        cut: None,
                        voice: Some(t),
                    };
                }
            }
            State::Ringing {
                seq, cut, voice, ..
            } => {
                // A ring cut short as a voice starts is the pick-up
                // (confirmed, like any answer, once no ring follows), even
                // if someone spoke in the pause before it: it rang on after
                // them. Only a piece long enough to be a ring overrides
                // voice heard before it.
                if let Some(span) = cut.take() {
                    let long = span.offset - span.onset >= CUT_MIN_S;
                    if t >= span.onset
                        && t - span.offset <= CUT_VOICE_S
                        && (voice.is_none() || long)
                    {
                        seq.rings.push(span);
                        *voice = Some(t);
                        return;
                    }
                }
                if voice.is_some() {
                    return;
                }
                let last_off = seq.rings.last().map_or(0.0, |r| r.offset);
                if t >= last_off - 0.1 {
                    let c = &self.profiles[seq.profile].cadence;
                    if t - last_off > c.off_max_s {
                        self.finish(Some(t), out); // the next ring is overdue: it stopped
                    } else {
                        // Voice in a pause answers only if no ring follows;
                        // a tone now sounding is judged when it ends.
                        *voice = Some(t);
                    }
                }
            }
        }
    }

    fn tone_on(&mut self, profile: usize, t: f64, out: &mut Vec<CallEvent>) {
        if let State::Ringing { seq, ring_on, .. } = &mut self.state {
            let c = &self.profiles[profile].cadence;
            let last_off = seq.rings.last().map_or(0.0, |r| r.offset);
            // Only where the next ring is due; a blip mid-pause is noise.
            if seq.profile == profile && t - last_off >= c.off_min_s * 0.7 {
                *ring_on = Some(t);
                out.push(CallEvent::Ringing {
                    count: seq.rings.len() as u32 + 1,
                });
            }
        }
    }

    fn tone_off(&mut self, profile: usize, span: Span, steady: bool, out: &mut Vec<CallEvent>) {
        let cadence = self.profiles[profile].cadence.clone();
        let dur = span.offset - span.onset;
        if !steady {
            // A fading note, not a ring (and not one cut by a pick-up).
            if let State::Ringing { seq, ring_on, .. } = &mut self.state {
                if seq.profile == profile && ring_on.take().is_some() {
                    out.push(CallEvent::Ringing {
                        count: seq.rings.len() as u32,
                    });
                }
            }
            return;
        }
        let is_ring = dur >= cadence.on_min_s && dur <= cadence.on_max_s;
        match &mut self.state {
            State::Ringing {
                seq,
                ring_on,
                cut,
                voice,
            } => {
                // Not the ring sounding: another profile's, or one the
                // detector found on looking back (it comes before it).
                if seq.profile != profile || ring_on.is_none_or(|on| span.onset < on) {
                    return;
                }
                *ring_on = None;
                if is_ring {
                    // A short ring counts only as the pick-up's cut, the
                    // last one: the phone rang on, so it was not a ring.
                    let on_min = cadence.on_min_s;
                    if seq.rings.len() > 1
                        && seq
                            .rings
                            .last()
                            .is_some_and(|r| r.offset - r.onset < on_min)
                    {
                        seq.rings.pop();
                    }
                    seq.rings.push(span);
                    // Whoever spoke in the pause or over the ring did not
                    // answer; voice starting as the ring ends may have.
                    if voice.is_some_and(|v| v < span.offset - 0.3) {
                        *voice = None;
                    }
                    return;
                }
                out.push(CallEvent::Ringing {
                    count: seq.rings.len() as u32,
                });
                if dur < cadence.on_min_s && dur >= CUT_LATER_MIN_S {
                    // Short: the pick-up may have cut it; voice decides.
                    match *voice {
                        Some(v) if v >= span.onset => seq.rings.push(span),
                        _ => *cut = Some(span),
                    }
                }
            }
            State::Idle { candidates, cut } => {
                let may_be_cut =
                    dur >= CUT_MIN_S.max(cadence.on_min_s * 0.5) && dur < cadence.on_min_s;
                if may_be_cut && cadence.confirm_rings == 1 {
                    *cut = Some((profile, span));
                }
                if !is_ring {
                    return;
                }
                let list = &mut candidates[profile];
                let in_cadence = list.last().is_some_and(|prev| {
                    let gap = span.onset - prev.offset;
                    gap >= cadence.off_min_s && gap <= cadence.off_max_s
                });
                if !in_cadence {
                    list.clear();
                }
                list.push(span);
                if list.len() as u32 >= cadence.confirm_rings {
                    let rings = std::mem::take(list);
                    out.push(CallEvent::Started {
                        first_onset: rings[0].onset,
                    });
                    out.push(CallEvent::Ringing {
                        count: rings.len() as u32,
                    });
                    self.state = State::Ringing {
                        seq: Seq { profile, rings },
                        ring_on: None,
                        cut: None,
                        voice: None,
                    };
                }
            }
        }
    }

    /// End of a recording: settle a call still ringing as if time ran on
    /// (voice after the last ring answered it).
    pub fn flush(&mut self, out: &mut Vec<CallEvent>) {
        if let State::Ringing { voice, .. } = self.state {
            self.finish(voice, out);
        }
    }
}
