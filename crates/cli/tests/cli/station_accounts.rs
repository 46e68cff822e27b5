//! Accounts belong to the station (issue #12): an account made at one seat
//! signs in at another; a disabled account is refused everywhere; whoever
//! signed in at a seat before can sign in there while the station is away.

use jiejing_desk::DeskError;
use jiejing_pgtest::TempPg;
use std::path::Path;

use super::jiejing;
use super::seats::{ok_env, seat};

const PIN: &str = "246810";

/// `jiejing` with the accounts' PIN at hand (a new account's too), which
/// must exit 0.
fn ok(dir: &Path, args: &[&str]) -> String {
    ok_env(dir, args, &[("JIEJING_PIN", PIN), ("JIEJING_NEW_PIN", PIN)])
}

/// [`ok`] as lead L01, once the folder has accounts.
fn lead(dir: &Path, args: &[&str]) -> String {
    let args: Vec<&str> = ["--as", "L01"].iter().chain(args).copied().collect();
    ok(dir, &args)
}

#[test]
fn a_call_taker_signs_in_at_any_seat() {
    let pg = TempPg::start();
    let url = pg.url();
    let (a, b, c) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    ok(a.path(), &["station", "init", &url]);
    ok(
        a.path(),
        &[
            "users",
            "add",
            "L01",
            "--name",
            "值班长甲",
            "--role",
            "lead",
        ],
    );
    lead(a.path(), &["station", "join", &url, "--seat", "A"]);
    lead(
        a.path(),
        &[
            "users",
            "add",
            "T01",
            "--name",
            "接警员甲",
            "--role",
            "taker",
        ],
    );
    ok(b.path(), &["station", "join", &url, "--seat", "B"]);
    ok(c.path(), &["station", "join", &url, "--seat", "C"]);
    ok(a.path(), &["station", "sync"]);

    // A new seat with no accounts of its own is not a new desk: nobody may
    // make themselves the station's first lead there.
    let mut at_c = seat(c.path());
    assert!(!at_c.session().unwrap().first_run);
    assert!(at_c
        .add_user("X01", "某人", jiejing_core::Role::Lead, PIN)
        .is_err());
    drop(at_c);

    // Made at A (before and after joining): both sign in at B.
    let mut at_b = seat(b.path());
    assert_eq!(at_b.sign_in("T01", PIN).unwrap().user.unwrap().id, "T01");
    assert!(matches!(
        at_b.sign_in("T01", "000000"),
        Err(DeskError::BadCredentials)
    ));
    at_b.sign_in("L01", PIN).unwrap();
    let ids: Vec<String> = at_b.users().unwrap().into_iter().map(|u| u.id).collect();
    assert_eq!(ids, ["L01", "T01"]);
    drop(at_b);
    assert!(lead(b.path(), &["users", "list"]).contains("T01"));

    // T01 is signed in at B when a lead disables the account at A: B's
    // next sync takes the change in, and T01's next command signs T01 out.
    let mut at_b = seat(b.path());
    at_b.sign_in("T01", PIN).unwrap();
    lead(a.path(), &["users", "update", "T01", "--disable"]);
    ok(a.path(), &["station", "sync"]);
    assert!(at_b.session().unwrap().user.is_some(), "not before B syncs");
    ok(b.path(), &["station", "sync"]);
    assert!(
        at_b.session().unwrap().user.is_none(),
        "a disabled account stays signed in at B"
    );
    drop(at_b);
    // And refused at B from now on, though B has a copy.
    let mut at_b = seat(b.path());
    assert!(matches!(
        at_b.sign_in("T01", PIN),
        Err(DeskError::BadCredentials)
    ));
    drop(at_b);

    // The station goes away: L01, who signed in at B before, still can;
    // at C, where L01 never signed in, nobody is known.
    pg.stop();
    let mut at_b = seat(b.path());
    at_b.sign_in("L01", PIN).unwrap();
    let mut at_c = seat(c.path());
    assert!(matches!(
        at_c.sign_in("L01", PIN),
        Err(DeskError::BadCredentials)
    ));
    let (code, _, _) = jiejing(c.path(), &["station", "status"]);
    assert_eq!(code, 0);
}
