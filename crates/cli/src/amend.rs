//! `jiejing calls amend` and `calls show --seat`: a shift lead's correction
//! of a closed call at any seat of the station. This seat's calls are
//! corrected at once; another seat's correction is queued for that seat,
//! which applies it when it next syncs (see jiejing_desk's seat_calls).

use anyhow::Result;
use jiejing_core::{Call, CallState, ElementKey};
use jiejing_desk::{Desk, DeskError};

use crate::Usage;

#[derive(clap::Args)]
pub struct AmendArgs {
    /// The call's id at its seat
    id: i64,
    /// The call's seat (default: this desk)
    #[arg(long, default_value = "")]
    seat: String,
    /// The item: when, where, what, who, why, object, result, contact, or notes
    #[arg(long)]
    field: String,
    /// The corrected value
    #[arg(long)]
    value: String,
    /// The value you saw before correcting it (default: what the station
    /// holds now); a different one at the station is recorded as a conflict
    #[arg(long)]
    seen: Option<String>,
}

fn key(field: &str) -> Result<Option<ElementKey>, Usage> {
    if field == "notes" {
        return Ok(None);
    }
    ElementKey::parse(field).map(Some).ok_or_else(|| {
        Usage(format!(
            "--field {field:?}: one of when, where, what, who, why, object, result, contact, notes"
        ))
    })
}

fn not_found(seat: &str, e: DeskError) -> anyhow::Error {
    match e {
        DeskError::NotFound(id) if seat.is_empty() => Usage(format!("call {id} not found")).into(),
        DeskError::NotFound(id) => Usage(format!("call {id} of seat {seat} not found")).into(),
        e => e.into(),
    }
}

pub fn amend(desk: &mut Desk, a: AmendArgs) -> Result<()> {
    let key = key(&a.field)?;
    let call = desk
        .amend_at_seat(&a.seat, a.id, key, &a.value, a.seen.as_deref())
        .map_err(|e| not_found(&a.seat, e))?
        .view
        .call;
    let now = key.map_or(&call.notes, |k| &call.element(k).value);
    let seat = desk.station_link()?.map(|l| l.seat).unwrap_or_default();
    if a.seat.is_empty() || a.seat == seat {
        out!("call {}: {} corrected to {now:?}", a.id, a.field);
    } else {
        out!(
            "call {} of seat {}: {} corrected to {now:?}; queued for seat {} (`station sync` sends it)",
            a.id,
            a.seat,
            a.field,
            a.seat
        );
    }
    Ok(())
}

/// `calls show ID --seat S`: another seat's call as this desk's lead sees it.
pub fn show(desk: &mut Desk, seat: &str, id: i64, json: bool) -> Result<()> {
    let c = desk.seat_call(seat, id).map_err(|e| not_found(seat, e))?;
    if json {
        out!("{}", serde_json::to_string_pretty(&c)?);
    } else {
        print(seat, &c);
    }
    Ok(())
}

fn print(seat: &str, c: &Call) {
    out!(
        "call {} of seat {seat}  [{}]  taker {}  caller {}",
        c.id,
        c.state.as_str(),
        c.taker_id,
        if c.caller_number.is_empty() {
            "-"
        } else {
            &c.caller_number
        }
    );
    out!("  rang       {}", crate::local(c.ring_at));
    for e in &c.elements {
        out!(
            "    {:<8} {:<15} {}",
            e.key.as_str(),
            e.state.as_str(),
            e.value.replace('\n', " / ")
        );
    }
    if !c.notes.is_empty() {
        out!("  notes      {}", c.notes.replace('\n', " / "));
    }
    if c.state != CallState::Closed {
        out!("  (call is still open)");
    }
}
