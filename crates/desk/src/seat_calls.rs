//! A lead's work on another seat's closed call, on a desk joined to a
//! station (issue #12): read it as the station holds it, and correct it.
//! The call's seat stays its one writer: the correction is kept here,
//! shipped through the queue and applied by that seat when it pulls it
//! back. The value the lead saw goes with it, and the station records a
//! conflict when it held something else by then (see
//! `jiejing_station::corrections`): two leads correcting the same item are
//! both kept, and the lead is told.

use jiejing_core::{Call, CallId, CoreError, ElementKey};
use jiejing_store::Correction;

use crate::{CallDetail, CallView, Desk, DeskError, Need};

type Result<T> = std::result::Result<T, DeskError>;

impl Desk {
    /// Whether `seat` names another seat than this desk's ("" is this one).
    pub(crate) fn other_seat(&self, seat: &str) -> bool {
        !seat.is_empty() && self.station.as_ref().is_none_or(|l| l.seat() != seat)
    }

    /// `seat`'s call `id` as this desk's lead sees it: as the station holds
    /// it, with this desk's corrections still queued put in. This seat's own
    /// calls come from this desk.
    ///
    /// # Errors
    /// [`DeskError::Forbidden`], [`DeskError::StationOffline`],
    /// [`DeskError::NotFound`].
    pub fn seat_call(&mut self, seat: &str, id: CallId) -> Result<Call> {
        self.authorize(Need::Lead)?;
        if !self.other_seat(seat) {
            return self.store.load_call(id)?.ok_or(DeskError::NotFound(id));
        }
        self.held(seat, id)
    }

    fn held(&mut self, seat: &str, id: CallId) -> Result<Call> {
        let link = self
            .station
            .as_mut()
            .ok_or_else(|| CoreError::InvalidValue {
                field: "seat".into(),
                reason: format!("this desk is not joined to a station, so it has no seat {seat:?}"),
            })?;
        let mut call = link
            .call(seat, id)
            .map_err(DeskError::StationOffline)?
            .ok_or(DeskError::NotFound(id))?;
        for c in self.store.sent_corrections(seat, id)? {
            if self.store.outbox_holds("correction", local_id(&c))? {
                c.apply_to(&mut call)?;
            }
        }
        Ok(call)
    }

    /// A lead's correction of item `key` (`None`: the notes) of `seat`'s
    /// closed call `id`, having seen `seen` there (`None`: what this desk
    /// shows now). This seat's own calls are corrected here at once
    /// ([`Desk::amend_call`]); another seat's correction is queued for it.
    /// Returns the call as this desk's reviewer now sees it.
    ///
    /// # Errors
    /// [`DeskError::Forbidden`], [`DeskError::StationOffline`] (another
    /// seat's call cannot be read), a call not closed, an invalid value.
    pub fn amend_at_seat(
        &mut self,
        seat: &str,
        id: CallId,
        key: Option<ElementKey>,
        value: &str,
        seen: Option<&str>,
    ) -> Result<CallDetail> {
        if !self.other_seat(seat) {
            return self.amend_call(id, key, value);
        }
        let actor = self.authorize(Need::Lead)?;
        let mut call = self.held(seat, id)?;
        let now = self.now();
        // The rules of a correction, on the station's copy: closed and
        // answered, the item's own checks; `shown` is what it held.
        let shown = call.amend(key, value, now)?;
        let new = key.map_or(&call.notes, |k| &call.element(k).value).clone();
        self.store.queue_station_correction(&Correction {
            origin: String::new(),
            seat: seat.into(),
            call_id: id,
            field: key.map_or("notes", |k| k.as_str()).into(),
            old: seen.unwrap_or(&shown).into(),
            new,
            actor,
            at: now,
        })?;
        self.seat_detail(seat, id)
    }
}

impl Desk {
    /// Another seat's call as a reviewer sees it: the station's copy with
    /// this desk's queued corrections, the seat's audit entries about it as
    /// the timeline, its transcript, and its newest QA review (this desk's
    /// while still queued).
    pub(crate) fn seat_detail(&mut self, seat: &str, id: CallId) -> Result<CallDetail> {
        let call = self.held(seat, id)?;
        let link = self.station.as_mut().ok_or(DeskError::NotFound(id))?;
        let audit = link
            .audit_of_call(seat, id)
            .map_err(DeskError::StationOffline)?;
        let speech = link.speech(seat, id).map_err(DeskError::StationOffline)?;
        let queued = self.store.queued_seat_review(seat, id)?;
        let review = match (queued, self.station.as_mut()) {
            (Some(r), _) => Some(r),
            (None, Some(link)) => link.review(seat, id).map_err(DeskError::StationOffline)?,
            (None, None) => None,
        };
        let (done, total) = call.completeness();
        Ok(CallDetail {
            seat: seat.into(),
            timeline: crate::review::timeline(&call, &audit),
            review,
            suggested: jiejing_core::qa::prefill(&call),
            severities: crate::review::severities(),
            view: CallView {
                ring_timing: call.ring_timing(),
                elements_done: done as u32,
                elements_total: total as u32,
                missing: call.missing(),
                suggested_disposition: call.suggested_disposition(),
                earlier: None,
                earlier_seat: None,
                this_seat_only: false,
                speech,
                offers: Vec::new(),
                // Played from the station's copy, not held here.
                recording: None,
                call,
            },
        })
    }
}

impl Desk {
    /// What the station recorded as crossed edits, newest first, for the
    /// lead. A one-seat desk has none.
    ///
    /// # Errors
    /// [`DeskError::Forbidden`], [`DeskError::StationOffline`].
    pub fn conflicts(&mut self) -> Result<Vec<crate::Conflict>> {
        self.authorize(Need::Lead)?;
        match self.station.as_mut() {
            None => Ok(Vec::new()),
            Some(link) => link.conflicts().map_err(DeskError::StationOffline),
        }
    }
}

/// This desk's number of one of its own corrections ("B#7" -> 7).
fn local_id(c: &Correction) -> i64 {
    c.origin
        .rsplit_once('#')
        .and_then(|(_, n)| n.parse().ok())
        .unwrap_or(0)
}
