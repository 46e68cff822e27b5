//! What the station tests share: the CLI that must succeed, a desk in this
//! process opened as the app opens it, and a hall of two seats joined to a
//! throwaway station.

use std::path::Path;
use std::sync::Arc;

use jiejing_core::SystemClock;
use jiejing_desk::Desk;
use jiejing_pgtest::TempPg;
use jiejing_station::DeskLink;

use super::jiejing_env;

/// `jiejing` with `env`, which must exit 0; its standard output.
pub fn ok_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let (code, out, err) = jiejing_env(dir, args, env);
    assert_eq!(code, 0, "jiejing {args:?}: {out}{err}");
    out
}

/// `jiejing`, which must exit 0; its standard output.
pub fn ok(dir: &Path, args: &[&str]) -> String {
    ok_env(dir, args, &[])
}

/// `jiejing … --json`, which must exit 0; what it printed.
pub fn json(dir: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(dir, args)).unwrap()
}

/// A desk in this process as the app opens it (nobody signed in), reading
/// across seats when it is joined.
pub fn seat(dir: &Path) -> Desk {
    let mut d = Desk::open(dir, Arc::new(SystemClock)).unwrap();
    if let Some(link) = d.station_link().unwrap() {
        d.set_station(Box::new(DeskLink::new(&link)));
    }
    d
}

/// As [`seat`], with the administrator's rights (as the CLI has them).
pub fn desk(dir: &Path) -> Desk {
    let mut d = seat(dir);
    d.act_as_admin("test");
    d
}

/// A throwaway station and two data folders joined to it as seats A and B.
pub struct Hall {
    pub pg: TempPg,
    pub url: String,
    pub a: tempfile::TempDir,
    pub b: tempfile::TempDir,
}

pub fn hall() -> Hall {
    let pg = TempPg::start();
    let url = pg.url();
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    ok(a.path(), &["station", "init", &url]);
    ok(a.path(), &["station", "join", &url, "--seat", "A"]);
    ok(b.path(), &["station", "join", &url, "--seat", "B"]);
    Hall { pg, url, a, b }
}

/// The station's lead in [`hall_of_logins`], and the PIN.
pub const LEAD: &str = "L01";
pub const LEAD_PIN: &str = "8642-lead";

/// As [`hall`], the way a station is meant to run: each seat joined with
/// its own login (`station add-seat`), which reads other seats' calls only
/// while a lead is signed in at it; the station has lead [`LEAD`].
pub fn hall_of_logins() -> Hall {
    let pg = TempPg::start();
    let url = pg.url();
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    ok(a.path(), &["station", "init", &url]);
    for (dir, seat) in [(a.path(), "A"), (b.path(), "B")] {
        let own = ok(a.path(), &["station", "add-seat", &url, seat]);
        ok(dir, &["station", "join", own.trim(), "--seat", seat]);
    }
    ok_env(
        a.path(),
        &["users", "add", LEAD, "--name", "值班长", "--role", "lead"],
        &[("JIEJING_NEW_PIN", LEAD_PIN)],
    );
    ok(a.path(), &["station", "sync"]);
    Hall { pg, url, a, b }
}

/// `jiejing --as L01 …` (see [`hall_of_logins`]): exit code and output.
pub fn as_lead(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let args: Vec<&str> = ["--as", LEAD].iter().chain(args).copied().collect();
    jiejing_env(dir, &args, &[("JIEJING_PIN", LEAD_PIN)])
}

/// [`as_lead`], which must exit 0; its standard output.
pub fn lead_ok(dir: &Path, args: &[&str]) -> String {
    let (code, out, err) = as_lead(dir, args);
    assert_eq!(code, 0, "jiejing --as {LEAD} {args:?}: {out}{err}");
    out
}

/// [`lead_ok`] for `… --json`: what it printed.
pub fn lead_json(dir: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&lead_ok(dir, args)).unwrap()
}

/// A desk in this process with [`LEAD`] signed in.
pub fn lead_desk(dir: &Path) -> Desk {
    let mut d = seat(dir);
    d.sign_in(LEAD, LEAD_PIN).unwrap();
    d
}
