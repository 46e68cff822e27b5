//! A call's recording is the call as the room heard it, even when the
//! listener reads the audio late (a loaded machine: blocks wait in the
//! capture queue). The desk is real (its migrations, its files); the
//! audio is fed block by block as the listening thread feeds it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{TimeZone, Utc};
use jiejing_audio::{read_recording, RingProfile, SAMPLE_RATE};
use jiejing_core::{AnswerSource, Disposition, FixedClock};
use jiejing_desk::Desk;
use jiejing_live::{Inline, Pipeline};

/// The room's second `t`: a tone from 12.5 s to 12.9 s, silence elsewhere.
fn room(t: f64) -> f32 {
    if (12.5..12.9).contains(&t) {
        (0.3 * (t * 440.0 * std::f64::consts::TAU).sin()) as f32
    } else {
        0.0
    }
}

fn level(samples: &[f32], from_s: f64, to_s: f64) -> f32 {
    let rate = f64::from(SAMPLE_RATE);
    let (a, b) = ((from_s * rate) as usize, (to_s * rate) as usize);
    let part = &samples[a.min(samples.len())..b.min(samples.len())];
    part.iter().map(|s| s.abs()).sum::<f32>() / part.len().max(1) as f32
}

#[test]
fn a_call_closed_while_its_last_audio_waits_in_the_queue_is_recorded_to_its_close() {
    let dir = tempfile::tempdir().unwrap();
    let t0 = Utc.with_ymd_and_hms(2026, 12, 2, 9, 0, 0).unwrap();
    let clock = Arc::new(FixedClock::new(t0));
    let mut d = Desk::open(dir.path(), clock.clone()).unwrap();
    d.act_as_admin("test");
    let desk = Mutex::new(d);
    let mut p = Pipeline::new(RingProfile::builtins());
    let mut ears = Inline::new(None);
    // The listener reads each block 1.5 s after the room heard it.
    let lag = 1.5;
    let ms = |s: f64| chrono::Duration::milliseconds((s * 1000.0).round() as i64);
    let mut id = None;
    for k in 1..=200 {
        let heard_to = f64::from(k) * 0.1;
        let now = heard_to + lag;
        clock.set(t0 + ms(now));
        {
            let mut d = desk.lock().unwrap();
            // F2 at 10 s (no ring heard), answered at 11 s, closed at 13 s.
            match (now * 10.0).round() as i64 {
                100 => id = Some(d.ring(AnswerSource::Manual).unwrap().call.id),
                110 => drop(d.answer(AnswerSource::Manual).unwrap()),
                130 => drop(d.close(Disposition::Consultation, true).unwrap()),
                _ => {}
            }
        }
        let from = heard_to - 0.1;
        let block: Vec<f32> = (0..1600)
            .map(|i| room(from + f64::from(i) / f64::from(SAMPLE_RATE)))
            .collect();
        p.feed(&block, None);
        p.deliver(&desk, &mut ears, Duration::from_secs_f64(lag))
            .unwrap();
    }
    let mut d = desk.lock().unwrap();
    let row = d
        .recording_row(id.unwrap())
        .unwrap()
        .expect("the call was recorded");
    let seconds = row.seconds.expect("the recording was finished");
    // From half a second before F2 to the close, as the room heard it.
    let start = (row.started_at - t0).num_milliseconds() as f64 / 1000.0;
    assert!((start - 9.5).abs() < 0.15, "started at {start} s");
    assert!((3.4..=4.0).contains(&seconds), "{seconds} s");
    let audio = read_recording(&dir.path().join(&row.file), &d.files_key()).unwrap();
    // The tone the room heard just before the close is in it, where it was.
    assert!(
        level(&audio.samples, 3.05, 3.35) > 0.1,
        "the call's last words are missing"
    );
    assert!(level(&audio.samples, 2.0, 2.9) < 0.01);
}

/// Feeds the room's seconds `from..to` to `p` in 0.1 s blocks, the clock
/// following, and `at(d, second)` acting on the desk first.
fn run(
    p: &mut Pipeline,
    desk: &Mutex<Desk>,
    clock: &FixedClock,
    t0: chrono::DateTime<Utc>,
    (from, to): (u32, u32),
    sound: impl Fn(f64) -> f32,
    mut at: impl FnMut(&mut Desk, u32),
) {
    let mut ears = Inline::new(None);
    for k in from..to {
        let heard_to = f64::from(k + 1) * 0.1;
        clock.set(t0 + chrono::Duration::milliseconds(i64::from(k + 1) * 100));
        at(&mut desk.lock().unwrap(), k + 1);
        let start = heard_to - 0.1;
        let block: Vec<f32> = (0..1600)
            .map(|i| sound(start + f64::from(i) / f64::from(SAMPLE_RATE)))
            .collect();
        p.feed(&block, None);
        p.deliver(desk, &mut ears, Duration::ZERO).unwrap();
    }
}

#[test]
fn a_desk_restarted_mid_call_goes_on_recording_it_with_the_time_it_was_down_as_silence() {
    let dir = tempfile::tempdir().unwrap();
    let t0 = Utc.with_ymd_and_hms(2026, 12, 2, 9, 0, 0).unwrap();
    let clock = Arc::new(FixedClock::new(t0));
    // Tones at 12.5 s (before the crash) and 24 s (after the restart).
    let sound = |t: f64| {
        let on = (12.5..12.9).contains(&t) || (24.0..24.4).contains(&t);
        if on {
            (0.3 * (t * 440.0 * std::f64::consts::TAU).sin()) as f32
        } else {
            0.0
        }
    };
    let mut id = None;
    {
        let mut d = Desk::open(dir.path(), clock.clone()).unwrap();
        d.act_as_admin("test");
        let desk = Mutex::new(d);
        let mut p = Pipeline::new(RingProfile::builtins());
        // F2 at 10 s, answered at 11 s; the desk dies at 15 s.
        run(&mut p, &desk, &clock, t0, (0, 150), sound, |d, k| match k {
            100 => id = Some(d.ring(AnswerSource::Manual).unwrap().call.id),
            110 => drop(d.answer(AnswerSource::Manual).unwrap()),
            _ => {}
        });
        // No finish, no goodbye: the process is gone.
    }
    // The desk comes back at 20 s, listens again; the call closes at 26 s.
    let mut d = Desk::open(dir.path(), clock.clone()).unwrap();
    d.act_as_admin("test");
    let desk = Mutex::new(d);
    let mut p = Pipeline::new(RingProfile::builtins());
    run(&mut p, &desk, &clock, t0, (200, 280), sound, |d, k| {
        if k == 260 {
            drop(d.close(Disposition::Consultation, true).unwrap());
        }
    });
    let mut d = desk.lock().unwrap();
    let row = d.recording_row(id.unwrap()).unwrap().unwrap();
    let seconds = row
        .seconds
        .expect("the recording was finished at the close");
    let start = (row.started_at - t0).num_milliseconds() as f64 / 1000.0;
    assert!((start - 9.5).abs() < 0.15, "started at {start} s");
    assert!((16.3..=17.0).contains(&seconds), "{seconds} s");
    let audio = read_recording(&dir.path().join(&row.file), &d.files_key()).unwrap();
    assert!(audio.complete);
    // Both tones where the room heard them; silence where the desk was down.
    let at = |s: f64| s - start;
    assert!(
        level(&audio.samples, at(12.55), at(12.85)) > 0.1,
        "before the crash"
    );
    assert!(
        level(&audio.samples, at(24.05), at(24.35)) > 0.1,
        "after the restart"
    );
    assert!(
        level(&audio.samples, at(15.5), at(19.9)) < 1e-4,
        "down: silence"
    );
    assert!(level(&audio.samples, at(20.5), at(23.9)) < 0.01);
    // The lead is told why it is silent there.
    let detail = d.call_detail("", id.unwrap()).unwrap();
    let resumed = detail
        .timeline
        .iter()
        .find(|e| e.kind == "recording_resumed")
        .expect("the restart is on the call's timeline");
    let down: f64 = resumed.text.trim_end_matches(" s").parse().unwrap();
    assert!((4.9..=5.5).contains(&down), "{}", resumed.text);
}
