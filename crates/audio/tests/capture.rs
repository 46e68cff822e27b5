//! Real capture through cpal, no sound card: PulseAudio with a null sink
//! (tests/fixtures/pulse-null.sh); `paplay` plays a corpus call into it and
//! the listener must count its rings and hear the answer.

mod corpus;

use std::process::Command;
use std::time::{Duration, Instant};

use jiejing_audio::capture::{Capture, CaptureStatus};
use jiejing_audio::{AudioSource, CallEvent, Listener, RingProfile};

/// One sound server for the whole binary: tests that stop it must not run
/// beside tests that use it.
static SERVER: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERVER.lock().unwrap_or_else(|e| e.into_inner())
}

fn pulse() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let dir = format!("/tmp/jiejing-pulse-{}", uid());
    let ok = Command::new(format!("{root}/tests/fixtures/pulse-null.sh"))
        .arg("start")
        .env("XDG_RUNTIME_DIR", &dir)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    assert!(ok, "tests/fixtures/pulse-null.sh start failed (apt-get install pulseaudio pulseaudio-utils libasound2-plugins)");
    // cpal's ALSA "default" goes to PulseAudio when it can find the server.
    std::env::set_var("XDG_RUNTIME_DIR", &dir);
}

fn uid() -> String {
    String::from_utf8(Command::new("id").arg("-u").output().unwrap().stdout)
        .unwrap()
        .trim()
        .to_string()
}

#[test]
fn counts_rings_played_through_a_null_sink() {
    let _one = serial();
    pulse();
    let corpus = corpus::Corpus::load();
    let clip = corpus.call(
        3,
        corpus::Phone::Cn,
        3,
        true,
        false,
        corpus::Noise::Pink,
        20.0,
        None,
    );
    let wav = tempfile::Builder::new().suffix(".wav").tempfile().unwrap();
    jiejing_audio::write_wav(wav.path(), &clip.samples).unwrap();

    let mut cap = Capture::start(None);
    let mut listener = Listener::new(RingProfile::builtins());
    let mut events = Vec::new();
    // Wait for the first block before playing, so no ring is lost to start-up.
    let start = Instant::now();
    loop {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "no audio from the capture: {:?}",
            cap.status()
        );
        if let Some(b) = cap.next_block(Duration::from_millis(200)).unwrap() {
            listener.feed(&b, &mut events);
            break;
        }
    }
    // The worker says "listening" once it sees sound (it looks every 50 ms).
    let seen = Instant::now();
    while !matches!(cap.status(), CaptureStatus::Listening { .. })
        && seen.elapsed() < Duration::from_secs(2)
    {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(
        matches!(cap.status(), CaptureStatus::Listening { .. }),
        "{:?}",
        cap.status()
    );
    let mut player = Command::new("paplay")
        .arg(wav.path())
        .spawn()
        .expect("paplay");
    let secs = clip.samples.len() as f64 / 16000.0 + 9.0;
    let until = Instant::now() + Duration::from_secs_f64(secs);
    let mut ended = None;
    while Instant::now() < until && ended.is_none() {
        if let Some(b) = cap.next_block(Duration::from_millis(200)).unwrap() {
            listener.feed(&b, &mut events);
        }
        for e in events.drain(..) {
            if let CallEvent::Ended(c) = e {
                ended = Some(c);
            }
        }
    }
    let _ = player.wait();
    let call = ended.expect("the played call was never heard to end");
    assert_eq!(call.rings.len(), 3, "{call:?}");
    assert!(call.answered_at.is_some(), "{call:?}");
    assert_eq!(call.rings_before_answer(), 3);
    // Ring gaps as played: 1 s on / 4 s off, within the tolerance.
    let gap = call.rings[1].onset - call.rings[0].onset;
    let want = clip.label.onsets[1] - clip.label.onsets[0];
    assert!((gap - want).abs() < 0.15, "gap {gap} want {want}");
}

#[test]
fn a_missing_device_is_reported_and_does_not_panic() {
    let _one = serial();
    pulse();
    let mut cap = Capture::start(Some("no-such-device-xyz".into()));
    let start = Instant::now();
    while cap.status() == CaptureStatus::Starting && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        cap.status(),
        CaptureStatus::NoDevice {
            wanted: Some("no-such-device-xyz".into())
        }
    );
    assert!(cap
        .next_block(Duration::from_millis(100))
        .unwrap()
        .is_none());
}

#[test]
fn capture_resumes_when_the_sound_server_comes_back() {
    let _one = serial();
    pulse();
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/pulse-null.sh"
    );
    let mut cap = Capture::start(None);
    let wait_for = |cap: &mut Capture, want: &dyn Fn(&CaptureStatus) -> bool, what: &str| {
        let start = Instant::now();
        while !want(&cap.status()) {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "never {what}: {:?}",
                cap.status()
            );
            let _ = cap.next_block(Duration::from_millis(100));
        }
    };
    wait_for(
        &mut cap,
        &|s| matches!(s, CaptureStatus::Listening { .. }),
        "listening",
    );
    // Unplug: the sound server goes away.
    assert!(Command::new(script).arg("stop").status().unwrap().success());
    wait_for(
        &mut cap,
        &|s| {
            matches!(
                s,
                CaptureStatus::Failed { .. } | CaptureStatus::NoDevice { .. }
            )
        },
        "noticed the loss",
    );
    // Plug back in: capture resumes by itself and audio flows again.
    pulse();
    wait_for(
        &mut cap,
        &|s| matches!(s, CaptureStatus::Listening { .. }),
        "resumed",
    );
    let start = Instant::now();
    let mut got = 0;
    while got < 16_000 {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "no audio after resuming"
        );
        if let Some(b) = cap.next_block(Duration::from_millis(200)).unwrap() {
            got += b.len();
        }
    }
}
