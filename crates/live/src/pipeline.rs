//! One step of the live path, the same for the app and `jiejing listen`:
//! blocks of audio go to the ring listener; what it decides goes to the
//! desk (ringing heard, rings and answer recorded); the utterances it cuts
//! while a call is open go to the [`Ears`]; what they heard goes to the
//! desk, held back while a call is still ringing, because the answer (the
//! voice that ends the ringing) is only confirmed a few seconds after it
//! was spoken. Each call's audio is recorded from its first ring to its
//! close ([`crate::recording`]). With the caller's line as an input of its
//! own, its words are the caller's and the microphone's the call-taker's.

use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use jiejing_audio::{CallEvent, Listener, RingProfile, Utterance};
use jiejing_core::{CallId, RingMark, Speaker};
use jiejing_desk::Desk;
use jiejing_speech::live::{Heard, Job};

use crate::partials::{PartialText, Partials};
use crate::recording::CallRecorder;
use crate::{Ears, LiveError};

pub struct Pipeline {
    listener: Listener,
    events: Vec<CallEvent>,
    /// The call the ringing now heard belongs to.
    call_id: Option<CallId>,
    /// Transcripts waiting for the ringing to be settled.
    held: Vec<Heard>,
    ringing: u32,
    opened: Vec<CallId>,
    recorder: CallRecorder,
    /// The caller's line, when it is an input of its own: cut into
    /// utterances by a listener of its own (no rings on a phone line).
    caller: Option<Listener>,
    /// Utterances the end of the stream cut, for the next delivery.
    last: Vec<(Utterance, Option<Speaker>)>,
    partials: Partials,
}

/// The rings a desk listens for.
pub struct Rings {
    /// The built-in rings, or the learned one alone (it is this phone's).
    pub profiles: Vec<RingProfile>,
    /// The learned ring in words, if one is in use.
    pub learned: Option<String>,
    /// Why a broken learned file was set aside for the built-ins.
    pub note: Option<String>,
}

/// The rings of the desk whose data folder is `data_dir` and whose files
/// are sealed with `key` ([`Desk::files_key`]).
pub fn rings(data_dir: &Path, key: &jiejing_audio::SealKey) -> Rings {
    match jiejing_audio::load_learned(data_dir, key) {
        Ok(Some(p)) => Rings {
            learned: Some(jiejing_audio::describe(&p)),
            profiles: vec![p],
            note: None,
        },
        Ok(None) => Rings {
            profiles: RingProfile::builtins(),
            learned: None,
            note: None,
        },
        Err(e) => Rings {
            profiles: RingProfile::builtins(),
            learned: None,
            note: Some(format!("{e}; using the built-in rings")),
        },
    }
}

impl Pipeline {
    pub fn new(profiles: Vec<RingProfile>) -> Self {
        Pipeline {
            listener: Listener::new(profiles).cut_speech().with_partials(),
            events: Vec::new(),
            call_id: None,
            held: Vec::new(),
            ringing: 0,
            opened: Vec::new(),
            recorder: CallRecorder::new(1),
            caller: None,
            last: Vec::new(),
            partials: Partials::default(),
        }
    }

    /// Also hears the caller's line ([`Pipeline::feed`]): its words
    /// are the caller's, the microphone's the call-taker's, and calls are
    /// recorded in stereo (left the microphone, right the line).
    pub fn with_caller_line(mut self) -> Self {
        self.caller = Some(Listener::new(Vec::new()).cut_speech().with_partials());
        self.recorder = CallRecorder::new(2);
        self
    }

    /// Rings counted in the call now ringing (0: none).
    pub fn ringing(&self) -> u32 {
        self.ringing
    }

    /// The calls this pipeline opened, in order.
    pub fn opened(&self) -> &[CallId] {
        &self.opened
    }

    /// Seconds of audio heard.
    pub fn now(&self) -> f64 {
        self.listener.now()
    }

    /// The words of the utterance being spoken, as far as heard.
    pub fn partial(&self) -> Option<&PartialText> {
        self.partials.shown()
    }

    /// Hears one block of the desk microphone and, with the caller's line
    /// (see [`Pipeline::with_caller_line`]), the same stretch of that
    /// line. Call [`Pipeline::deliver`] after it (after setting the clock,
    /// when time comes from a file).
    pub fn feed(&mut self, mic: &[f32], line: Option<&[f32]>) {
        self.listener.feed(mic, &mut self.events);
        if let (Some(c), Some(l)) = (self.caller.as_mut(), line) {
            c.feed(l, &mut Vec::new());
        }
        self.recorder.hear(mic, line);
    }

    /// Who the microphone's words are from: the call-taker when the caller
    /// has a line of their own; nobody can tell with one microphone.
    fn mic(&self) -> Option<Speaker> {
        self.caller.as_ref().map(|_| Speaker::Taker)
    }

    /// The stream ended: what still rings is settled (voice after the last
    /// ring answered it; none: missed) and the last utterances are cut.
    /// Deliver twice after it: once for the calls and the utterances, once
    /// for what the ears then heard.
    pub fn finish(&mut self) {
        self.listener.settle(&mut self.events);
        self.recorder.end();
        let mic = self.mic();
        self.last
            .extend(self.listener.finish_speech().map(|u| (u, mic)));
        let line = self.caller.as_mut().and_then(Listener::finish_speech);
        self.last.extend(line.map(|u| (u, Some(Speaker::Caller))));
    }

    /// Tells the desk what was heard since the last delivery; true when a
    /// call changed (the screen reloads it). `behind`: how long ago the
    /// last block fed was heard in the room ([`crate::Input::behind`]), so what
    /// it holds is timed when it was heard, not when it was read.
    ///
    /// # Errors
    /// [`LiveError::DeskGone`] when the desk's lock was poisoned.
    pub fn deliver(
        &mut self,
        desk: &Mutex<Desk>,
        ears: &mut dyn Ears,
        behind: Duration,
    ) -> Result<bool, LiveError> {
        let mic = self.mic();
        let mut utterances: Vec<(Utterance, Option<Speaker>)> =
            self.listener.utterances().map(|u| (u, mic)).collect();
        if let Some(c) = self.caller.as_mut() {
            utterances.extend(c.utterances().map(|u| (u, Some(Speaker::Caller))));
        }
        utterances.append(&mut self.last);
        // In the order spoken, whichever side spoke.
        utterances.sort_by(|a, b| a.0.start_s.total_cmp(&b.0.start_s));
        for h in ears.heard() {
            self.held.extend(self.partials.heard(h));
        }
        let settled = self.call_id.is_none() && !self.held.is_empty();
        let recording = self.recorder.due(self.listener.now());
        if self.events.is_empty() && utterances.is_empty() && !settled && !recording {
            return Ok(false);
        }
        let mut desk = desk.lock().map_err(|_| LiveError::DeskGone)?;
        let mut changed = false;
        // Stream seconds to the desk's clock: the last second heard is
        // `behind` old, and `t` happened (heard - t) before it.
        let behind = chrono::Duration::from_std(behind).unwrap_or_default();
        let (now, at) = (desk.now() - behind, self.listener.now());
        let wall = |t: f64| -> DateTime<Utc> {
            now - chrono::Duration::milliseconds(((at - t) * 1000.0) as i64)
        };
        for e in self.events.drain(..) {
            match e {
                CallEvent::Started { first_onset } => {
                    // A call already past ringing is open: a second line rang.
                    self.call_id = match desk.ring_heard(wall(first_onset)) {
                        Ok(id) => Some(id),
                        Err(e) => {
                            eprintln!("jiejing: ringing heard, no call opened: {e}");
                            None
                        }
                    };
                    if let Some(id) = self.call_id.filter(|id| !self.opened.contains(id)) {
                        self.opened.push(id);
                    }
                    if let Some(id) = self.call_id {
                        self.recorder.begin(&mut desk, id, first_onset, at, &wall);
                    }
                }
                CallEvent::Ringing { count } => self.ringing = count,
                CallEvent::Ended(c) => {
                    self.ringing = 0;
                    if let Some(id) = self.call_id.take() {
                        let rings = c
                            .rings
                            .iter()
                            .map(|r| RingMark {
                                onset: wall(r.onset),
                                offset: wall(r.offset),
                            })
                            .collect();
                        if let Err(e) = desk.record_rings(id, rings, c.answered_at.map(wall)) {
                            eprintln!("jiejing: rings of call {id} not recorded: {e}");
                        }
                    }
                }
            }
            changed = true;
        }
        self.recorder.deliver(&mut desk, at, &wall);
        // Words spoken with no call open are not transcribed at all, nor
        // shown. The desk is asked only when there are words to place.
        let words = !utterances.is_empty() || self.partials.shown().is_some();
        if !(words && desk.wants_speech().unwrap_or(false)) {
            self.partials.clear_shown();
        } else {
            for (u, speaker) in utterances {
                // Each side's cutter numbers its own partials.
                let side = |id: u64| 2 * id + u64::from(speaker == Some(Speaker::Caller));
                let (start, end) = (wall(u.start_s), wall(u.end_s));
                let job = |partial, same_as| Job {
                    start,
                    end,
                    pcm: u.pcm,
                    speaker,
                    partial,
                    same_as,
                };
                match (u.partial, u.same_as) {
                    (Some(id), _) if ears.wants_partials() => {
                        ears.send(job(Some(side(id)), None));
                    }
                    (Some(_), _) => {}
                    (None, Some(id)) => match self.partials.final_is(side(id), start, end) {
                        Some(h) => self.held.push(h),
                        None => {
                            ears.send(job(None, Some(side(id))));
                        }
                    },
                    (None, None) => {
                        ears.send(job(None, None));
                    }
                }
            }
        }
        if self.call_id.is_none() {
            for h in self.held.drain(..) {
                match desk.speech_heard_from(h.start, h.end, &h.segments, h.speaker) {
                    Ok(Some(_)) => changed = true,
                    Ok(None) => {}
                    Err(e) => eprintln!("jiejing: speech not kept: {e}"),
                }
            }
        }
        Ok(changed)
    }
}
