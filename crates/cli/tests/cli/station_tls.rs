//! A station on another machine, over TLS (issue #12): the server takes
//! TLS logins only; a desk with `sslmode=require` in its URL connects when
//! it trusts the server's certificate, and is refused, with the reason,
//! when it does not or when it tries without TLS.

use std::path::Path;

use jiejing_pgtest::TempPg;

use super::jiejing_env;

#[test]
fn a_desk_reaches_a_tls_station_it_trusts_and_only_that_way() {
    let pg = TempPg::start_tls();
    let url = format!("{}?sslmode=require", pg.url());
    let ca = pg.ca_file();
    let trusting = [("SSL_CERT_FILE", ca.to_str().unwrap())];
    let a = tempfile::tempdir().unwrap();
    let run = |dir: &Path, args: &[&str], env: &[(&str, &str)]| jiejing_env(dir, args, env);

    // Not trusting the station's CA: refused, and the reason names it.
    let (code, _, err) = run(
        a.path(),
        &["station", "init", &url],
        &[("SSL_CERT_FILE", "/nonexistent")],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("certificate"), "{err}");
    // Without TLS: the server turns the login away.
    let plain = format!("{}?sslmode=disable", pg.url());
    let (code, _, err) = run(a.path(), &["station", "init", &plain], &trusting);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cannot reach"), "{err}");

    // Trusting it: the whole round trip works.
    let (code, out, err) = run(a.path(), &["station", "init", &url], &trusting);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = run(
        a.path(),
        &["station", "join", &url, "--seat", "A"],
        &trusting,
    );
    assert_eq!(code, 0, "{out}{err}");
    super::station_report::calls(a.path(), "T01", 2, 0);
    let (code, out, err) = run(a.path(), &["station", "sync", "--json"], &trusting);
    assert_eq!(code, 0, "{out}{err}");
    let synced: serde_json::Value = serde_json::from_str(&out).unwrap();
    // The server takes no plain logins (hostnossl … reject), so all of
    // this went over TLS.
    assert_eq!(synced["backlog"], 0, "{synced}");
    assert_eq!(
        pg.psql("SELECT count(*) FROM calls WHERE seat = 'A'")
            .trim(),
        "2"
    );
}
