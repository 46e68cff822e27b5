//! The audit chain's heads kept beside the key: entries cut off the end of
//! a chain (which still checks out on its own) are caught by the head the
//! desk wrote at its last start or sign-out.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use jiejing_core::{FixedClock, Role};
use jiejing_desk::Desk;

const PIN: &str = "246813";

#[test]
fn entries_cut_off_the_end_are_caught_by_the_head_kept_beside_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(2026, 12, 2, 8, 0, 0).unwrap(),
    ));
    let mut desk = Desk::open(dir.path(), clock.clone()).unwrap();
    desk.add_user("L1", "李强", Role::Lead, PIN).unwrap();
    desk.sign_in("L1", PIN).unwrap();
    for i in 0..3 {
        desk.add_user(&format!("T{i}"), "王芳", Role::Taker, PIN)
            .unwrap();
    }
    // The shift is handed over: the head is written beside the key.
    desk.sign_out().unwrap();
    let file = jiejing_desk::paths::anchor_file(dir.path()).unwrap();
    let kept = std::fs::read_to_string(&file).unwrap();
    assert!(!file.starts_with(dir.path()), "outside the data folder");
    let last: i64 = kept
        .lines()
        .last()
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(last >= 5, "{kept}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    drop(desk);

    // Someone with the key cuts the last entries off: what is left is a
    // whole chain, but not the one whose head was kept.
    let conn = jiejing_desk::paths::connect(dir.path()).unwrap();
    conn.execute_batch(&format!(
        "DROP TRIGGER audit_no_delete; DELETE FROM audit_log WHERE id >= {}",
        last - 1
    ))
    .unwrap();
    drop(conn);
    let mut desk = Desk::open(dir.path(), clock).unwrap();
    desk.sign_in("L1", PIN).unwrap();
    let check = desk.verify_audit(&[]).unwrap();
    assert!(
        check
            .problems
            .iter()
            .any(|(n, what)| *n == last && what.contains("gone from the chain")),
        "{:?}",
        check.problems
    );
}
