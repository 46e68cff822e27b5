//! `jiejing users`, `calls export` and `audit verify` over demo data.

use crate::jiejing_env;

/// `users add` before any account exists: the new account's PIN.
fn with_pin(dir: &std::path::Path, pin: &str, args: &[&str]) -> (i32, String, String) {
    jiejing_env(dir, args, &[("JIEJING_NEW_PIN", pin)])
}

/// The command line as lead 9001, signed in with its PIN.
fn lead(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let args: Vec<&str> = ["--as", "9001"].iter().chain(args).copied().collect();
    jiejing_env(dir, &args, &[("JIEJING_PIN", "999999")])
}

#[test]
fn accounts_exports_and_the_audit_chain_from_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = with_pin(
        dir.path(),
        "111111",
        &["users", "add", "0001", "--name", "王芳", "--role", "taker"],
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("first account must be a shift lead"), "{err}");
    let (code, _, err) = with_pin(
        dir.path(),
        "12",
        &["users", "add", "9001", "--name", "李强", "--role", "lead"],
    );
    assert!(code != 0 && err.contains("at least 6 characters"), "{err}");
    let (code, out, err) = with_pin(
        dir.path(),
        "999999",
        &["users", "add", "9001", "--name", "李强", "--role", "lead"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("account 9001 (李强, lead) added"), "{out}");

    // From now on the command line acts only as a lead, with the PIN.
    let (code, _, err) = jiejing_env(dir.path(), &["users", "list"], &[]);
    assert_eq!(code, 2);
    assert!(err.contains("this data folder has accounts"), "{err}");
    let (code, _, err) = jiejing_env(
        dir.path(),
        &["--as", "9001", "users", "list"],
        &[("JIEJING_PIN", "111111")],
    );
    assert_eq!(code, 2);
    assert!(err.contains("--as 9001"), "{err}");
    // A due date reads nothing of callers: anyone may ask.
    let (code, out, err) = jiejing_env(dir.path(), &["due", "--received", "2026-12-01 09:00"], &[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("2026-12-04"), "{out}");

    // Both PINs from standard input: the acting lead's first, the new one next.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_jiejing"))
        .arg("--data-dir")
        .arg(dir.path())
        .args([
            "--as", "9001", "users", "add", "0002", "--name", "赵六", "--role", "taker",
        ])
        .env_remove("JIEJING_PIN")
        .env_remove("JIEJING_NEW_PIN")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"999999\n246802\n")
        .unwrap();
    let added = child.wait_with_output().unwrap();
    assert!(added.status.success(), "{added:?}");
    let (code, out, err) = jiejing_env(
        dir.path(),
        &["--as", "0002", "users", "list"],
        &[("JIEJING_PIN", "246802")],
    );
    assert_eq!(code, 2, "a call-taker's PIN, taken: {out}");
    assert!(err.contains("not a shift lead's account"), "{err}");

    // Demo data keeps the accounts that are there.
    let (code, _, err) = lead(
        dir.path(),
        &["demo-data", "--calls", "2000", "--from", "2025-01-01"],
    );
    assert_eq!(code, 0, "{err}");
    let (_, out, _) = lead(dir.path(), &["users", "list"]);
    assert_eq!(out.lines().count(), 2, "{out}");

    let csv = dir.path().join("week.csv");
    let (code, out, err) = lead(
        dir.path(),
        &[
            "calls",
            "export",
            "--from",
            "2025-03-03",
            "--to",
            "2025-03-09",
            "--format",
            "csv",
            "--out",
            csv.to_str().unwrap(),
            "--failed",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&csv).unwrap();
    let rows = text.lines().count() - 1;
    assert!(out.starts_with(&format!("{rows} rows written")), "{out}");
    assert!(
        err.contains("is not encrypted and holds callers' personal data"),
        "{err}"
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&csv).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "an export is its user's alone");
    assert!(
        rows > 0 && text.starts_with("\u{feff}编号,来电时间"),
        "{}",
        &text[..60]
    );
    assert!(text.lines().skip(1).all(|l| l.contains("超过三声")
        || l.contains("未接")
        || l.contains("要素缺失")
        || l.contains("未标记问候语")));
    let xlsx = dir.path().join("dash.xlsx");
    let (code, _, err) = lead(
        dir.path(),
        &[
            "calls",
            "export",
            "--from",
            "2025-03-03",
            "--to",
            "2025-03-09",
            "--format",
            "xlsx",
            "--out",
            xlsx.to_str().unwrap(),
            "--dashboard",
            "--shift",
            "夜班",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(&std::fs::read(&xlsx).unwrap()[..2], b"PK");
    let (code, _, err) = lead(
        dir.path(),
        &[
            "report",
            "--from",
            "2025-03-03",
            "--to",
            "2025-03-09",
            "--shift",
            "早班",
        ],
    );
    assert_eq!(code, 1);
    assert!(err.contains("no shift named \"早班\""), "{err}");

    let (code, out, err) = lead(dir.path(), &["audit", "verify", "--json"]);
    assert_eq!(code, 0, "{err}");
    let check: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(check["problems"].as_array().unwrap().is_empty(), "{out}");
    // The head to write in the shift log, and checked against later.
    let (code, out, err) = lead(dir.path(), &["audit", "verify"]);
    assert_eq!(code, 0, "{err}");
    let head = out
        .lines()
        .find_map(|l| l.strip_prefix("head "))
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or_else(|| panic!("no head: {out}"))
        .to_string();
    let (code, _, err) = lead(dir.path(), &["audit", "verify", "--anchor", &head]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = lead(dir.path(), &["audit", "verify", "--anchor", "1:zz"]);
    assert!(code == 2 && err.contains("--anchor"), "{err}");
    // The audit trail names the lead who acted, not the system login.
    let conn = jiejing_desk::paths::connect(dir.path()).unwrap();
    let exports: Vec<(i64, String)> = conn
        .prepare("SELECT id, actor FROM audit_log WHERE action = 'export' ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(exports.len(), 2, "{exports:?}");
    assert!(exports.iter().all(|(_, by)| by == "9001"), "{exports:?}");
    let first = exports[0].0;
    conn.execute_batch(&format!(
        "DROP TRIGGER audit_no_update; UPDATE audit_log SET detail = '{{}}' WHERE id = {first}"
    ))
    .unwrap();
    let (code, out, err) = lead(dir.path(), &["audit", "verify"]);
    assert_eq!(code, 1);
    assert!(
        out.contains(&format!(
            "entry {first}: was altered after it was written (export by 9001"
        )),
        "{out}"
    );
    assert!(err.contains(&format!("first at entry {first}")), "{err}");
}
