//! Calls' recordings at the desk: a recording a stopped desk left behind
//! is measured and plays; only a lead hears one, on the record; retention
//! deletes old ones with an audit entry and says so when asked.

use std::path::Path;
use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use jiejing_audio::Recorder;
use jiejing_core::{AnswerSource, Disposition, ErrorCode, FixedClock, Role};
use jiejing_desk::{Desk, DeskError};

const LEAD_PIN: &str = "246813";
const TAKER_PIN: &str = "135792";

fn tone(seconds: f64) -> Vec<f32> {
    (0..(seconds * 16_000.0) as usize)
        .map(|i| 0.3 * (i as f32 * 0.17).sin())
        .collect()
}

#[test]
fn a_recording_survives_a_stop_plays_for_a_lead_and_goes_after_retention() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(2026, 11, 27, 1, 0, 0).unwrap(),
    ));
    let mut desk = Desk::open(dir.path(), clock.clone()).unwrap();
    desk.add_user("L1", "李强", Role::Lead, LEAD_PIN).unwrap();
    desk.sign_in("L1", LEAD_PIN).unwrap();
    desk.add_user("T1", "王芳", Role::Taker, TAKER_PIN).unwrap();
    desk.sign_out().unwrap();
    desk.sign_in("T1", TAKER_PIN).unwrap();

    // The listening thread's part: a call rings, its audio is written...
    let id = desk.ring(AnswerSource::Audio).unwrap().call.id;
    let started = jiejing_core::Clock::now(&*clock);
    let (rel, path) = desk.recording_file(id, started);
    assert_eq!(rel, format!("recordings/2026-11/{id}.jrec"));
    let mut rec = Recorder::create(&path, 1, &desk.files_key()).unwrap();
    rec.write(&tone(6.0)).unwrap();
    desk.recording_begun(id, &rel, started, 1).unwrap();
    assert_eq!(desk.call_closed_at(id).unwrap(), None);
    desk.answer(AnswerSource::Manual).unwrap();
    desk.close(Disposition::Consultation, true).unwrap();
    let closed = desk.call(id).unwrap().call.closed_at;
    assert_eq!(desk.call_closed_at(id).unwrap(), closed);
    assert!(closed.is_some());
    // ...and the desk stops before the recording is finished.
    drop(desk);
    // While a recorder still holds the file (another process of this desk,
    // recording), the file is left alone.
    let desk = Desk::open(dir.path(), clock.clone()).unwrap();
    drop(desk);
    let row = |d: &Path| {
        let store = jiejing_desk::paths::open_store(d).unwrap();
        store.recording(id).unwrap().unwrap()
    };
    assert_eq!(row(dir.path()).seconds, None);
    // The recorder's process dies (no finish): the file is left behind,
    // and measured at the next start.
    drop(rec);

    let mut desk = Desk::open(dir.path(), clock.clone()).unwrap();
    desk.sign_in("T1", TAKER_PIN).unwrap();
    let e = desk.recording_view("", id, 1.0).unwrap_err();
    assert_eq!(
        e.code(),
        ErrorCode::Forbidden,
        "a call-taker does not listen: {e}"
    );
    desk.sign_in("L1", LEAD_PIN).unwrap();
    let row = desk.recording_row(id).unwrap().unwrap();
    let measured = row.seconds.unwrap();
    assert!((5.0..=6.0).contains(&measured), "{measured} s of 6 kept");
    let v = desk.recording_view("", id, 1.0).unwrap();
    assert!(!v.complete, "the player says the end is missing");
    assert!((v.seconds - measured).abs() < 1e-6);
    assert!(v.peaks.len() <= 800 && v.peaks.iter().all(|p| (0.25..0.31).contains(p)));
    assert_eq!(
        v.pcm_base64.len(),
        (v.seconds * 16_000.0 * 2.0 / 3.0).ceil() as usize * 4
    );
    let fast = desk.recording_view("", id, 2.0).unwrap();
    let ratio = v.pcm_base64.len() as f64 / fast.pcm_base64.len() as f64;
    assert!((ratio - 2.0).abs() < 0.01, "2× is half as long: {ratio}");
    assert!(desk.recording_view("", id, 3.0).is_err());
    assert_eq!(v.started_at, started);
    // Listening is on the record, in the call's own timeline.
    let detail = desk.call_detail("", id).unwrap();
    assert!(
        detail
            .timeline
            .iter()
            .any(|e| e.kind == "recording_heard" && e.subject == "L1"),
        "{:?}",
        detail.timeline
    );

    // Kept 30 days, then deleted at the next start, on the record.
    let mut s = desk.settings().clone();
    s.recording_days = 30;
    desk.save_settings(&s).unwrap();
    clock.advance(Duration::days(29));
    assert!(desk.purge_recordings().unwrap().calls.is_empty());
    assert!(path.exists());
    clock.advance(Duration::days(2));
    drop(desk);
    let mut desk = Desk::open(dir.path(), clock.clone()).unwrap();
    assert!(!path.exists(), "deleted at start");
    desk.sign_in("L1", LEAD_PIN).unwrap();
    let e = desk.recording_view("", id, 1.0).unwrap_err();
    assert!(
        matches!(&e, DeskError::NoRecording(_, why) if why.contains("deleted by retention on 2026-12-28")),
        "{e}"
    );
    let detail = desk.call_detail("", id).unwrap();
    let purge = detail
        .timeline
        .iter()
        .find(|e| e.kind == "recording_purged")
        .expect("the purge is in the call's timeline");
    assert_eq!(purge.subject, "retention");
    assert!(desk.verify_audit(&[]).unwrap().problems.is_empty());
    assert!(desk.purge_recordings().unwrap().calls.is_empty(), "once");
}

#[test]
fn an_older_desks_plain_recordings_are_sealed_at_start_with_nothing_lost() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(2026, 11, 27, 1, 0, 0).unwrap(),
    ));
    let mut desk = Desk::open(dir.path(), clock.clone()).unwrap();
    desk.act_as_admin("test");
    let id = desk.ring(AnswerSource::Manual).unwrap().call.id;
    desk.answer(AnswerSource::Manual).unwrap();
    desk.close(Disposition::Consultation, true).unwrap();
    // A recording as the desk before sealing left it: plain FLAC, `.flac`.
    let started = jiejing_core::Clock::now(&*clock);
    let (sealed_rel, sealed_path) = desk.recording_file(id, started);
    let mut rec = Recorder::create(&sealed_path, 1, &desk.files_key()).unwrap();
    rec.write(&tone(4.0)).unwrap();
    rec.finish().unwrap();
    let plain_rel = sealed_rel.replace(".jrec", ".flac");
    let plain = jiejing_audio::flac_bytes(&sealed_path, &desk.files_key()).unwrap();
    std::fs::remove_file(&sealed_path).unwrap();
    std::fs::write(dir.path().join(&plain_rel), &plain).unwrap();
    drop(desk);
    // Its row as the older desk wrote it (the store's own calls: the desk
    // of today would seal it as soon as it ended).
    let mut store = jiejing_desk::paths::open_store(dir.path()).unwrap();
    store.begin_recording(id, &plain_rel, started, 1).unwrap();
    store.end_recording(id, 4.0, plain.len() as u64).unwrap();
    drop(store);

    let mut desk = Desk::open(dir.path(), clock.clone()).unwrap();
    desk.act_as_admin("test");
    let notes = desk.state().unwrap().data_files;
    assert!(
        notes.iter().any(|n| n.warning.as_deref().is_some_and(|w| w
            .contains("1 plain recording(s) of an older version were sealed")
            && w.contains("0 left"))),
        "{notes:?}"
    );
    let row = desk.recording_row(id).unwrap().unwrap();
    assert_eq!(row.file, sealed_rel);
    assert!(
        !dir.path().join(&plain_rel).exists(),
        "the plain file is gone"
    );
    let kept = std::fs::read(dir.path().join(&sealed_rel)).unwrap();
    assert!(kept.starts_with(b"JJREC") && !kept.windows(4).any(|w| w == b"fLaC"));
    let back =
        jiejing_audio::read_recording(&dir.path().join(&sealed_rel), &desk.files_key()).unwrap();
    let was = jiejing_audio::read_recording_bytes(&plain, Path::new("plain")).unwrap();
    assert!(back.complete);
    assert_eq!(back.samples, was.samples, "every sample kept");
    let detail = desk.call_detail("", id).unwrap();
    assert!(detail.timeline.iter().any(|e| e.kind == "recording_sealed"));
    assert!(desk.verify_audit(&[]).unwrap().problems.is_empty());
    // Once: the next start has nothing to seal.
    drop(desk);
    let mut desk = Desk::open(dir.path(), clock).unwrap();
    assert_eq!(
        desk.seal_plain_recordings(std::time::Duration::from_secs(5))
            .unwrap()
            .0,
        0
    );
}
