//! Recordings at the station (issue #15): seat A records a call, ships the
//! file when it syncs, and a lead at seat B hears the same audio while A
//! is nowhere near; a seat without a lead signed in reads none of it, and
//! retention at A takes the station's copy too.

use std::path::Path;

use super::jiejing;
use super::listen::call;
use super::seats::{as_lead, hall_of_logins, lead_ok, ok, seat, Hall};

fn samples(p: &Path) -> Vec<i16> {
    hound::WavReader::open(p)
        .unwrap()
        .samples::<i16>()
        .map(Result::unwrap)
        .collect()
}

/// `calls audio ID --seat A --out FILE`: seat A's call, from the station.
fn from_a<'a>(id: &'a str, out: &'a Path) -> [&'a str; 7] {
    let out = out.to_str().unwrap();
    ["calls", "audio", id, "--seat", "A", "--out", out]
}

#[test]
fn a_lead_at_another_seat_hears_a_call_as_its_seat_recorded_it() {
    let Hall { pg: _pg, a, b, .. } = hall_of_logins();
    // Nobody answers at A: the desk closes the call as missed and finishes
    // its recording.
    let wav = a.path().join("missed.wav");
    call(&wav, 3, 0.0, false);
    ok(a.path(), &["listen", "--wav", wav.to_str().unwrap()]);
    let at_a = a.path().join("a.wav");
    lead_ok(
        a.path(),
        &["calls", "audio", "1", "--out", at_a.to_str().unwrap()],
    );
    ok(a.path(), &["station", "sync"]);

    // B's lead hears it from the station: the same samples.
    let at_b = b.path().join("b.wav");
    let said = lead_ok(b.path(), &from_a("1", &at_b));
    assert!(said.contains("call 1:"), "{said}");
    assert_eq!(samples(&at_a), samples(&at_b));

    // Without a lead signed in, B's login reads no recording of A's, at the
    // desk or straight from the server.
    let none = b.path().join("none.wav");
    let (code, _, err) = jiejing(b.path(), &from_a("1", &none));
    assert!(code != 0 && !none.exists(), "{err}");
    let url_b = seat(b.path()).station_link().unwrap().unwrap().url;
    let mut db = postgres::Client::connect(&url_b, postgres::NoTls).unwrap();
    let seen: i64 = db
        .query_one("SELECT count(*) FROM recordings", &[])
        .unwrap()
        .get(0);
    assert_eq!(seen, 0, "seat B's login reads seat A's recordings");

    // A call A never recorded says so.
    let (code, _, err) = as_lead(b.path(), &from_a("9", &none));
    assert!(
        code == 2 && err.contains("the station has none from seat A"),
        "{err}"
    );

    // Retention at A deletes the file there and the copy at the station.
    let db_a = jiejing_desk::paths::connect(a.path()).unwrap();
    db_a.execute(
        "UPDATE call_recordings SET started_at = '2020-01-01T00:00:00.000Z'",
        [],
    )
    .unwrap();
    drop(db_a);
    lead_ok(a.path(), &["calls", "list"]); // opening the desk applies retention
    ok(a.path(), &["station", "sync"]);
    let (code, _, err) = as_lead(b.path(), &from_a("1", &none));
    assert!(code == 2 && err.contains("deleted by retention"), "{err}");
}
