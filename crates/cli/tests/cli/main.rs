//! The `jiejing` binary against a database written by the desk.

use std::process::Command;
use std::sync::Arc;

use jiejing_core::{AnswerSource, Disposition, ElementKey, SystemClock};
use jiejing_desk::Desk;

fn jiejing(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_jiejing"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn list_and_show_calls() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = Desk::open(dir.path(), Arc::new(SystemClock)).unwrap();
    let id = desk.ring(AnswerSource::Manual).unwrap().call.id;
    desk.answer(AnswerSource::Manual).unwrap();
    desk.set_caller_number("138 1234 5678").unwrap();
    desk.set_element(ElementKey::Where, "红梅新村").unwrap();
    desk.close(Disposition::PoliceIncident, true).unwrap();
    drop(desk);

    let (code, out, _) = jiejing(dir.path(), &["calls", "list", "--json"]);
    assert_eq!(code, 0);
    let list: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(list[0]["id"], id);
    assert_eq!(list[0]["disposition"], "police_incident");
    assert_eq!(list[0]["elementsDone"], 1);

    let (code, out, _) = jiejing(dir.path(), &["calls", "show", &id.to_string(), "--json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["call"]["callerNumber"], "138 1234 5678");
    assert_eq!(v["call"]["elements"][1]["value"], "红梅新村");
    assert_eq!(v["call"]["missingAtClose"].as_array().unwrap().len(), 7);

    let (code, out, _) = jiejing(dir.path(), &["calls", "show", &id.to_string()]);
    assert_eq!(code, 0);
    assert!(
        out.contains("红梅新村") && out.contains("police_incident"),
        "{out}"
    );

    let (code, out, _) = jiejing(dir.path(), &["calls", "list", "--since", "2999-01-01"]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 1, "header only: {out}");
}

#[test]
fn bad_input_exits_2_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = jiejing(dir.path(), &["calls", "show", "42"]);
    assert_eq!((code, err.trim()), (2, "jiejing: call 42 not found"));
    let (code, _, err) = jiejing(dir.path(), &["calls", "list", "--since", "yesterday"]);
    assert_eq!(code, 2);
    assert!(err.contains("YYYY-MM-DD"), "{err}");
    let (code, _, _) = jiejing(dir.path(), &["calls", "show", "abc"]);
    assert_eq!(code, 2);
}

#[test]
fn an_unusable_database_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("jiejing.sqlite3"), vec![b'x'; 4096]).unwrap();
    let (code, _, err) = jiejing(dir.path(), &["calls", "list"]);
    assert_eq!(code, 1);
    assert!(err.contains("cannot open the database"), "{err}");
}
