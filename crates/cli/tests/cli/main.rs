//! The `jiejing` binary against a database written by the desk.

use std::process::Command;
use std::sync::Arc;

use jiejing_core::{AnswerSource, Disposition, ElementKey, SystemClock};
use jiejing_desk::Desk;

fn jiejing(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    jiejing_env(dir, args, &[])
}

/// A data folder as the desk makes it: its user's alone. (A temporary
/// folder's mode follows the test process's umask, which a desk opened in
/// this process narrows: tests that read the exact error use this, so
/// the warning about a wider folder never comes first by chance.)
fn private_dir() -> tempfile::TempDir {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    dir
}

/// The PIN of the accounts `demo-data` makes (lead L01).
const DEMO_PIN: &str = "123456";

/// `jiejing --as L01 …` on a folder `demo-data` filled.
fn demo_lead(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let args: Vec<&str> = ["--as", "L01"].iter().chain(args).copied().collect();
    jiejing_env(dir, &args, &[("JIEJING_PIN", DEMO_PIN)])
}

/// As [`jiejing`], with environment variables set (`JIEJING_PIN`).
fn jiejing_env(
    dir: &std::path::Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_jiejing"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .envs(env.iter().copied())
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
    desk.act_as_admin("test");
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
    use std::os::unix::fs::PermissionsExt;
    // Others can reach a wider folder, and the command says so first.
    let dir = private_dir();
    let (code, _, err) = jiejing(dir.path(), &["calls", "show", "42"]);
    assert_eq!((code, err.trim()), (2, "jiejing: call 42 not found"));
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let (code, _, err) = jiejing(dir.path(), &["calls", "show", "42"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with(&format!(
            "jiejing: warning: {}: others can reach it (mode 755); chmod 700 it\n",
            dir.path().display()
        )),
        "{err}"
    );
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

#[test]
fn due_prints_the_issue_example() {
    let dir = private_dir();
    let (code, out, _) = jiejing(
        dir.path(),
        &["due", "--received", "2026-09-30 15:00", "--json"],
    );
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["due_date"], "2026-10-10");
    assert_eq!(v["due_at"], "2026-10-10T23:59:59+08:00");
    assert_eq!(v["provisional"], false);
    assert_eq!(
        v["counted_days"],
        serde_json::json!(["2026-10-08", "2026-10-09", "2026-10-10"])
    );
    assert_eq!(v["missing_years"], serde_json::json!([]));

    let (_, out, _) = jiejing(
        dir.path(),
        &[
            "due",
            "--received",
            "2026-12-30 10:00",
            "--working-days",
            "1",
            "--json",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (v["due_date"].as_str(), v["provisional"].as_bool()),
        (Some("2026-12-31"), Some(false))
    );

    for bad in [
        &["due", "--received", "2026-02-30 10:00"][..],
        &[
            "due",
            "--received",
            "2026-09-30 15:00",
            "--working-days",
            "0",
        ],
    ] {
        let (code, _, err) = jiejing(dir.path(), bad);
        assert_eq!(code, 2, "{bad:?}");
        assert!(err.starts_with("jiejing: --"), "{err}");
    }
}

#[test]
fn calendar_import_show_and_followups_from_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, _) = jiejing(dir.path(), &["calendar", "show", "2026", "--json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["workdays"].as_array().unwrap().len(), 6);
    let (code, _, err) = jiejing(dir.path(), &["calendar", "show", "2027"]);
    assert_eq!(code, 2);
    assert!(err.contains("calendar import"), "{err}");

    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "year = 2027\nnotice = \"x\"\n[[holiday]]\nname = \"元旦\"\ndates = [\"2027-02-30\"]\n",
    )
    .unwrap();
    let (code, _, err) = jiejing(dir.path(), &["calendar", "import", bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("bad.toml:5"), "{err}");

    // A complaint taken today gets a follow-up; reply to it from the CLI.
    let mut desk = Desk::open(dir.path(), Arc::new(SystemClock)).unwrap();
    desk.act_as_admin("test");
    desk.ring(AnswerSource::Manual).unwrap();
    desk.answer(AnswerSource::Manual).unwrap();
    desk.add_situation(jiejing_core::SituationKind::Complaint)
        .unwrap();
    drop(desk);
    let (_, out, _) = jiejing(dir.path(), &["followups", "list", "--json"]);
    let list: serde_json::Value = serde_json::from_str(&out).unwrap();
    let id = list[0]["followup"]["id"].as_i64().unwrap();
    let (_, out, _) = jiejing(dir.path(), &["followups", "list", "--overdue", "--json"]);
    assert_eq!(out.trim(), "[]", "due in three working days, not overdue");

    let id_s = id.to_string();
    let base = [
        "followups",
        "reply",
        &id_s,
        "--by",
        "李明",
        "--content",
        "已回电",
        "--outcome",
        "满意",
    ];
    let (code, _, err) = jiejing(
        dir.path(),
        &[&base[..], &["--method", "pigeon", "--close"]].concat(),
    );
    assert_eq!(code, 2);
    assert!(err.contains("phone, sms"), "{err}");
    let (code, out, _) = jiejing(
        dir.path(),
        &[&base[..], &["--method", "phone", "--close"]].concat(),
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("closed"));
    let (_, out, _) = jiejing(dir.path(), &["followups", "list", "--json"]);
    assert_eq!(out.trim(), "[]");
    let (_, out, _) = jiejing(dir.path(), &["followups", "list", "--all"]);
    assert!(out.contains("closed"), "{out}");
}
mod encryption;
mod form;
mod listen;
mod report;
mod review;
mod rings;
mod seats;
mod settings;
mod speech;
mod station;
mod station_accounts;
mod station_followups;
mod station_leads;
mod station_recordings;
mod station_report;
mod station_retention;
mod station_review;
mod station_roles;
mod station_tls;

/// A data folder the command line makes is as private as the app's: the
/// station commands open the database without a desk, and a new seat's
/// folder (`station status`, as before `station join`) is left 0700 and
/// what it wrote 0600, whatever the shell's umask.
#[test]
fn a_data_folder_the_command_line_makes_is_its_users_alone() {
    use std::os::unix::fs::PermissionsExt;
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("seat");
    let (code, _, err) = jiejing(&dir, &["station", "status"]);
    assert!(err.contains("not joined"), "{code}: {err}");
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700);
    let files: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().collect();
    assert!(!files.is_empty());
    for f in files {
        let want = if f.path().is_dir() { 0o700 } else { 0o600 };
        assert_eq!(mode(&f.path()), want, "{}", f.path().display());
    }
}

/// A training desk's exercise calls never reach a station.
#[test]
fn a_training_desk_does_not_join_a_station() {
    let dir = private_dir();
    let mut desk = Desk::open(dir.path(), Arc::new(SystemClock)).unwrap();
    desk.start_training().unwrap();
    drop(desk);
    let (code, _, err) = jiejing(
        dir.path(),
        &["station", "join", "postgres://127.0.0.1:1/x", "--seat", "A"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("training desk"), "{err}");
}
