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
