//! Desks joined into one station (issue #12): two data folders and a real
//! PostgreSQL server started by the test, the `jiejing station` commands as
//! processes, desks driven through the real migrations.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use jiejing_core::{AnswerSource, Disposition, ElementKey, SituationKind};
use jiejing_desk::Desk;
use jiejing_pgtest::TempPg;
use jiejing_station::Station;

use super::jiejing;
use super::seats::{desk, hall, json, ok};

/// One whole call from `number`; returns its id.
fn take_call(d: &mut Desk, number: &str, place: &str) -> i64 {
    let id = d.ring(AnswerSource::Manual).unwrap().call.id;
    d.answer(AnswerSource::Manual).unwrap();
    d.set_caller_number(number).unwrap();
    d.set_element(ElementKey::Where, place).unwrap();
    d.close(Disposition::PoliceIncident, true).unwrap();
    id
}

/// Every call of a data folder with its content hash, as the station keys them.
fn local_hashes(dir: &Path, seat: &str) -> Vec<(String, i64, String)> {
    let st = jiejing_desk::paths::open_store(dir).unwrap();
    let mut out: Vec<_> = st
        .list_calls(None, 100_000)
        .unwrap()
        .into_iter()
        .map(|c| (seat.to_string(), c.id, st.call_hash(c.id).unwrap().unwrap()))
        .collect();
    out.sort();
    out
}

/// The station's calls with the hash the seat sent, each checked against
/// the hash of the record as the station holds it (its JSON read back).
fn station_hashes(url: &str, seat: &str) -> Vec<(String, i64, String)> {
    let mut s = Station::connect(url).unwrap();
    let mut out = Vec::new();
    for (st, id, hash) in s.hashes().unwrap().into_iter().filter(|h| h.0 == seat) {
        let held = s.call(&st, id).unwrap().unwrap();
        let json = serde_json::to_vec(&held.call).unwrap();
        let again: String = sha256_hex(&json);
        assert_eq!(
            again, hash,
            "station copy of {st}/{id} differs from what was sent"
        );
        out.push((st, id, hash));
    }
    out
}

fn sha256_hex(b: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(b)
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

#[test]
fn two_seats_share_repeat_callers_and_the_call_list() {
    let pg = TempPg::start();
    let url = pg.url();
    let (a, b, c) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );

    // Before init: a clear refusal, nothing joined.
    let (code, _, err) = jiejing(a.path(), &["station", "join", &url, "--seat", "A"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("no Jiejing schema") && err.contains("station init"),
        "{err}"
    );
    assert!(
        !err.contains(jiejing_pgtest::SUPER_PASSWORD),
        "password shown: {err}"
    );
    // A wrong URL and an unreachable server exit 2 and say why.
    let (code, _, err) = jiejing(a.path(), &["station", "init", "not a url"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not valid"), "{err}");
    let (code, _, err) = jiejing(
        a.path(),
        &["station", "init", "postgres://u:p@127.0.0.1:1/station"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cannot reach"), "{err}");

    assert!(ok(a.path(), &["station", "init", &url]).contains("version 0 -> "));
    assert!(ok(a.path(), &["station", "init", &url]).contains("up to date"));

    // A call taken before joining reaches the station with the join.
    let mut da = desk(a.path());
    let first = take_call(&mut da, "138 1234 5678", "红梅新村5栋");
    drop(da);
    ok(a.path(), &["station", "join", &url, "--seat", "A"]);
    ok(b.path(), &["station", "join", &url, "--seat", "B"]);
    let (code, _, err) = jiejing(c.path(), &["station", "join", &url, "--seat", "A"]);
    assert_eq!(code, 2);
    assert!(err.contains("held by another desk"), "{err}");

    let st = json(a.path(), &["station", "status", "--json"]);
    assert_eq!(st["seat"], "A");
    assert_eq!(st["online"], true);
    assert_eq!(st["backlog"], 0);
    assert!(st["lastSyncAt"].is_string());
    assert!(!st["url"]
        .as_str()
        .unwrap()
        .contains(jiejing_pgtest::SUPER_PASSWORD));

    // The same caller rings seat B within the window: flagged, linked, the
    // earlier call's elements shown.
    let mut db = desk(b.path());
    db.ring(AnswerSource::Manual).unwrap();
    db.answer(AnswerSource::Manual).unwrap();
    let v = db.set_caller_number("13812345678").unwrap();
    assert_eq!(v.earlier_seat.as_deref(), Some("A"));
    assert!(!v.this_seat_only);
    let earlier = v.earlier.as_ref().expect("earlier call shown");
    assert_eq!(earlier.id, first);
    assert_eq!(earlier.element(ElementKey::Where).value, "红梅新村5栋");
    assert!(v.call.has_situation(SituationKind::RepeatUrging));
    let later = v.call.id;
    db.close(Disposition::PoliceIncident, true).unwrap();
    drop(db);
    let pushed = json(b.path(), &["station", "sync", "--json"]);
    assert_eq!(pushed["backlog"], 0);

    // A's call holds the urge at the station.
    let mut s = Station::connect(&url).unwrap();
    let held = s.call("A", first).unwrap().unwrap();
    assert_eq!(held.urged_by.len(), 1);
    assert_eq!(
        (held.urged_by[0].0.as_str(), held.urged_by[0].1),
        ("B", later)
    );

    // The call list on a joined desk is the station's; --local is this seat.
    let (code, out, err) = jiejing(b.path(), &["calls", "list", "--json"]);
    assert_eq!(code, 0, "{err}");
    let all: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}"));
    assert!(
        all.as_array()
            .unwrap()
            .iter()
            .all(|c| c["seat"].is_string()),
        "{out} {err}"
    );
    let seats: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["seat"].as_str().unwrap())
        .collect();
    assert_eq!(seats, ["B", "A"]);
    assert_eq!(all[1]["urges"], 1);
    let here = json(b.path(), &["calls", "list", "--local", "--json"]);
    assert_eq!(here.as_array().unwrap().len(), 1);

    // Same content on both sides, call for call.
    assert_eq!(station_hashes(&url, "A"), local_hashes(a.path(), "A"));
    assert_eq!(station_hashes(&url, "B"), local_hashes(b.path(), "B"));

    // Leaving: refused while changes are queued, then done.
    let mut da = desk(a.path());
    take_call(&mut da, "0519-8888 1234", "青果巷");
    drop(da);
    let (code, _, err) = jiejing(a.path(), &["station", "leave"]);
    assert_eq!(code, 2);
    assert!(err.contains("station sync"), "{err}");
    ok(a.path(), &["station", "sync"]);
    ok(a.path(), &["station", "leave"]);
    let (code, _, err) = jiejing(a.path(), &["station", "status"]);
    assert_eq!(code, 2);
    assert!(err.contains("not joined"), "{err}");
}

#[test]
fn a_desk_older_than_the_station_schema_is_told_so() {
    let pg = TempPg::start();
    let url = pg.url();
    let a = tempfile::tempdir().unwrap();
    ok(a.path(), &["station", "init", &url]);
    pg.psql("INSERT INTO jiejing_schema (version) VALUES (99)");
    let (code, _, err) = jiejing(a.path(), &["station", "join", &url, "--seat", "A"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("version 99, newer than this desk knows"),
        "{err}"
    );
    let (code, _, err) = jiejing(a.path(), &["station", "init", &url]);
    assert_eq!(code, 2, "init must not downgrade: {err}");
}

#[test]
fn the_server_stops_mid_shift_and_the_backlog_drains() {
    let super::seats::Hall { pg, url, a, b } = hall();

    pg.stop();
    // Both desks keep taking calls; the repeat lookup says it saw this seat only.
    let (mut da, mut db) = (desk(a.path()), desk(b.path()));
    for i in 0..5 {
        take_call(&mut da, &format!("1390000000{i}"), "北大街");
        take_call(&mut db, &format!("1370000000{i}"), "南大街");
    }
    db.ring(AnswerSource::Manual).unwrap();
    db.answer(AnswerSource::Manual).unwrap();
    let v = db.set_caller_number("13900000001").unwrap();
    assert!(
        v.this_seat_only,
        "an offline lookup must say it saw this seat only"
    );
    assert!(v.earlier.is_none());
    db.close(Disposition::Consultation, true).unwrap();
    // The fallback belongs to that call: the next call does not inherit it.
    let next = db.ring(AnswerSource::Manual).unwrap();
    assert!(!next.this_seat_only);
    db.answer(AnswerSource::Manual).unwrap();
    db.close(Disposition::Other, true).unwrap();
    drop((da, db));

    let (code, _, err) = jiejing(a.path(), &["station", "sync"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot reach"), "{err}");
    let st = json(a.path(), &["station", "status", "--json"]);
    assert_eq!(st["online"], false);
    assert!(st["backlog"].as_u64().unwrap() >= 5, "{st}");
    let text = ok(a.path(), &["station", "status"]);
    assert!(text.contains("offline since"), "{text}");

    pg.start_again();
    for dir in [a.path(), b.path()] {
        let p = json(dir, &["station", "sync", "--json"]);
        assert_eq!(p["backlog"], 0, "{p}");
        assert!(p["pushed"].as_u64().unwrap() >= 5);
    }
    assert_eq!(pg.psql("SELECT count(*) FROM calls"), "12");
    assert_eq!(station_hashes(&url, "A"), local_hashes(a.path(), "A"));
    assert_eq!(station_hashes(&url, "B"), local_hashes(b.path(), "B"));
    // Each seat's audit chain reached the station, head included.
    for (seat, dir) in [("A", a.path()), ("B", b.path())] {
        let local: i64 = jiejing_desk::paths::connect(dir)
            .unwrap()
            .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
            .unwrap();
        let at_station = pg.psql(&format!(
            "SELECT count(*), max(id) FROM audit WHERE seat = '{seat}'"
        ));
        assert_eq!(at_station, format!("{local}|{local}"));
        assert_eq!(
            pg.psql(&format!(
                "SELECT audit_head_id FROM seats WHERE seat = '{seat}'"
            )),
            local.to_string()
        );
    }
}

#[test]
fn a_desk_killed_between_the_push_and_its_ack_makes_no_duplicate() {
    let pg = TempPg::start();
    let url = pg.url();
    let a = tempfile::tempdir().unwrap();
    ok(a.path(), &["station", "init", &url]);
    ok(a.path(), &["station", "join", &url, "--seat", "A"]);
    let mut da = desk(a.path());
    for i in 0..3 {
        take_call(&mut da, &format!("1350000000{i}"), "兰陵路");
    }
    drop(da);

    let mut child = Command::new(env!("CARGO_BIN_EXE_jiejing"))
        .arg("--data-dir")
        .arg(a.path())
        .args(["station", "sync"])
        .env("JIEJING_TEST_STALL_AFTER_PUSH", "1")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.contains("committed, not yet acked"), "{line}");
    // SIGKILL, as `kill -9`.
    child.kill().unwrap();
    child.wait().unwrap();

    assert_eq!(pg.psql("SELECT count(*) FROM calls"), "3");
    let st = json(a.path(), &["station", "status", "--json"]);
    assert!(
        st["backlog"].as_u64().unwrap() > 0,
        "the ack was lost with the process: {st}"
    );
    let revs = pg.psql("SELECT string_agg(id || ':' || rev, ',' ORDER BY id) FROM calls");
    let p = json(a.path(), &["station", "sync", "--json"]);
    assert_eq!(p["backlog"], 0);
    assert_eq!(pg.psql("SELECT count(*) FROM calls"), "3");
    assert_eq!(
        pg.psql("SELECT string_agg(id || ':' || rev, ',' ORDER BY id) FROM calls"),
        revs
    );
    let audit_local: i64 = jiejing_desk::paths::connect(a.path())
        .unwrap()
        .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        pg.psql("SELECT count(*) FROM audit"),
        audit_local.to_string()
    );
    assert_eq!(station_hashes(&url, "A"), local_hashes(a.path(), "A"));
}

/// A loopback TCP relay to the server that cuts every connection once the
/// desk has sent `budget` more bytes (a link lost in the middle of a batch).
struct Cutter {
    port: u16,
    budget: Arc<AtomicI64>,
}

impl Cutter {
    fn start(server_port: u16) -> Cutter {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let budget = Arc::new(AtomicI64::new(i64::MAX));
        let b = budget.clone();
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let Ok(server) = TcpStream::connect(("127.0.0.1", server_port)) else {
                    continue;
                };
                let (c2, s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
                let b = b.clone();
                std::thread::spawn(move || relay(client, server, Some(b)));
                std::thread::spawn(move || relay(s2, c2, None));
            }
        });
        Cutter { port, budget }
    }
}

fn relay(mut from: TcpStream, mut to: TcpStream, budget: Option<Arc<AtomicI64>>) {
    let mut buf = [0u8; 8192];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if let Some(b) = &budget {
            if b.fetch_sub(n as i64, Ordering::SeqCst) < n as i64 {
                break;
            }
        }
        if to.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = from.shutdown(Shutdown::Both);
    let _ = to.shutdown(Shutdown::Both);
}

#[test]
fn a_link_cut_in_the_middle_of_a_batch_loses_and_doubles_nothing() {
    let pg = TempPg::start();
    let cut = Cutter::start(pg.port);
    let via = pg
        .url()
        .replace(&format!(":{}/", pg.port), &format!(":{}/", cut.port));
    let a = tempfile::tempdir().unwrap();
    ok(a.path(), &["station", "init", &pg.url()]);
    ok(a.path(), &["station", "join", &via, "--seat", "A"]);
    // 1,500 calls: three batches of 500, queued as generated.
    ok(
        a.path(),
        &[
            "demo-data",
            "--calls",
            "1500",
            "--from",
            "2026-11-01",
            "--seat",
            "A",
        ],
    );
    let backlog = json(a.path(), &["station", "status", "--json"])["backlog"]
        .as_u64()
        .unwrap();
    assert!(backlog >= 1500, "{backlog}");

    // About one and a half batches get through, then the link drops.
    cut.budget.store(1_200_000, Ordering::SeqCst);
    let (code, _, err) = jiejing(a.path(), &["station", "sync"]);
    assert_eq!(code, 2, "the cut must fail the sync: {err}");
    let landed: u64 = pg.psql("SELECT count(*) FROM calls").parse().unwrap();
    let left = json(a.path(), &["station", "status", "--json"])["backlog"]
        .as_u64()
        .unwrap();
    assert!(landed > 0 && landed < 1500, "part landed: {landed}");
    assert_eq!(landed % 500, 0, "a batch is all or nothing: {landed}");
    assert!(left < backlog && left > 0, "{left} of {backlog}");

    cut.budget.store(i64::MAX, Ordering::SeqCst);
    let p = json(a.path(), &["station", "sync", "--json"]);
    assert_eq!(p["backlog"], 0);
    assert_eq!(pg.psql("SELECT count(*) FROM calls"), "1500");
    assert_eq!(station_hashes(&pg.url(), "A"), local_hashes(a.path(), "A"));
}
