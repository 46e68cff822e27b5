//! `jiejing settings`: set through the screen's validation, refused in
//! words, and audited.

use super::{jiejing, private_dir};

#[test]
fn a_setting_is_set_validated_and_audited() {
    let dir = private_dir();
    let d = dir.path();
    let (code, out, err) = jiejing(d, &["settings", "set", "idleLockMinutes", "10"]);
    assert_eq!(
        (code, out.trim(), err.as_str()),
        (0, "idleLockMinutes = 10", "")
    );
    let (code, out, _) = jiejing(d, &["settings", "set", "city", "南京"]);
    assert_eq!((code, out.trim()), (0, "city = \"南京\""));
    let (code, _, err) = jiejing(d, &["settings", "set", "idleLockMinutes", "0"]);
    assert_eq!(
        (code, err.trim()),
        (2, "jiejing: idleLockMinutes: between 1 and 480 minutes")
    );
    let (code, _, err) = jiejing(d, &["settings", "set", "colour", "red"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no setting \"colour\"") && err.contains("idleLockMinutes"),
        "{err}"
    );
    let (_, shown, _) = jiejing(d, &["settings", "show"]);
    let s: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(
        (s["idleLockMinutes"].as_u64(), s["city"].as_str()),
        (Some(10), Some("南京"))
    );
    let conn = jiejing_desk::paths::connect(d).unwrap();
    let n: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'settings_changed'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 2, "two changes audited, the refused one not");
}
