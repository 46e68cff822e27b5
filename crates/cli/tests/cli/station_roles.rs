//! Each seat logs in as its own PostgreSQL role (issue #12): `station
//! add-seat` makes it, and row-level security lets it write only its own
//! seat's rows, while the seats still work as one station.

use jiejing_pgtest::TempPg;
use tempfile::TempDir;

use super::jiejing;
use super::seats::ok;

/// A station with seats A and B, each made by `station add-seat` (from
/// desk `a`): the desks' folders and the seats' login URLs.
fn two_seats(admin: &str) -> (TempDir, TempDir, String, String) {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    ok(a.path(), &["station", "init", admin]);
    let url_a = ok(a.path(), &["station", "add-seat", admin, "A"])
        .trim()
        .to_string();
    let url_b = ok(a.path(), &["station", "add-seat", admin, "B"])
        .trim()
        .to_string();
    (a, b, url_a, url_b)
}

#[test]
fn a_seat_login_writes_its_own_rows_and_no_others() {
    let pg = TempPg::start();
    let admin = pg.url();
    let (a, b, url_a, url_b) = two_seats(&admin);
    let c = tempfile::tempdir().unwrap();
    assert!(
        url_a.starts_with("postgres://jiejing_seat_a:")
            && !url_a.contains(jiejing_pgtest::SUPER_PASSWORD),
        "{url_a}"
    );
    // A name that would share seat A's login is refused.
    let (code, _, err) = jiejing(a.path(), &["station", "add-seat", &admin, "a"]);
    assert_eq!(code, 2, "{err}");

    // The seats work as one station under their own logins.
    ok(a.path(), &["station", "join", &url_a, "--seat", "A"]);
    ok(b.path(), &["station", "join", &url_b, "--seat", "B"]);
    let id = super::station_followups::complaint(a.path());
    ok(a.path(), &["station", "sync"]);
    super::station_report::calls(b.path(), "T02", 1, 0);
    let (code, out, err) = super::station_followups::reply(b.path(), "A", id, "王芳", true);
    assert_eq!(code, 0, "{out}{err}");
    ok(b.path(), &["station", "sync"]);
    ok(a.path(), &["station", "sync"]);
    let all: serde_json::Value =
        serde_json::from_str(&ok(a.path(), &["followups", "list", "--all", "--json"])).unwrap();
    assert_eq!(all[0]["status"], "closed", "{all}");

    // Seat A's login cannot pose as seat B ...
    let (code, _, err) = jiejing(c.path(), &["station", "join", &url_a, "--seat", "B"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("refused"), "{err}");
    // ... nor write, change or delete B's rows.
    let mut db = postgres::Client::connect(&url_a, postgres::NoTls).unwrap();
    let forged = db.execute(
        "INSERT INTO calls (seat, id, rev, hash, doc, state, ring_at, caller_number, caller_digits, taker_id,
                            missed, greeted, elements_done, situations)
         VALUES ('B', 999, 1, 'x', '{}', 'closed', now(), '', '', 'x', false, false, 0, '{}')",
        &[],
    );
    assert!(forged.is_err(), "seat A wrote a call of seat B");
    let changed = db
        .execute("UPDATE calls SET taker_id = 'forged' WHERE seat = 'B'", &[])
        .unwrap();
    assert_eq!(changed, 0, "seat A changed seat B's calls");
    let forged: i64 = postgres::Client::connect(&admin, postgres::NoTls)
        .unwrap()
        .query_one("SELECT count(*) FROM calls WHERE taker_id = 'forged'", &[])
        .unwrap()
        .get(0);
    assert_eq!(forged, 0);
    assert!(
        db.execute("DELETE FROM audit WHERE seat = 'B'", &[])
            .is_err(),
        "seat A deleted B's audit"
    );
    // B's call is there (the admin sees it), and seat A's login cannot
    // even read it: only a lead's session reads across seats
    // (station_leads.rs).
    let mut adm = postgres::Client::connect(&admin, postgres::NoTls).unwrap();
    let b_calls: i64 = adm
        .query_one(
            "SELECT count(*) FROM calls WHERE seat = 'B' AND taker_id <> 'forged'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(b_calls, 1);
    let seen: i64 = db
        .query_one("SELECT count(*) FROM calls WHERE seat = 'A'", &[])
        .unwrap()
        .get(0);
    assert!(seen >= 1);
}

/// A complainant's details are not sent to another seat's login (issue
/// #16): it reads the follow-up with them blanked, and cannot read the
/// documents themselves; the follow-up's own seat reads them whole.
#[test]
fn another_seats_login_gets_follow_ups_without_the_complainant() {
    use jiejing_core::{AnswerSource, ComplaintField, SituationKind};
    let pg = TempPg::start();
    let admin = pg.url();
    let (a, b, url_a, url_b) = two_seats(&admin);
    ok(a.path(), &["station", "join", &url_a, "--seat", "A"]);
    ok(b.path(), &["station", "join", &url_b, "--seat", "B"]);
    {
        let mut d = super::seats::desk(a.path());
        d.ring(AnswerSource::Manual).unwrap();
        d.answer(AnswerSource::Manual).unwrap();
        d.add_situation(SituationKind::Complaint).unwrap();
        d.set_complaint_field(ComplaintField::Name, "王大明")
            .unwrap();
        d.set_complaint_field(ComplaintField::Phone, "13912345678")
            .unwrap();
    }
    ok(a.path(), &["station", "sync"]);
    let id: i64 = postgres::Client::connect(&admin, postgres::NoTls)
        .unwrap()
        .query_one("SELECT id FROM followups WHERE seat = 'A'", &[])
        .unwrap()
        .get(0);
    let (code, out, err) = super::station_followups::reply(b.path(), "A", id, "王芳", false);
    assert_eq!(code, 0, "{out}{err}");
    ok(b.path(), &["station", "sync"]);
    ok(a.path(), &["station", "sync"]);

    let doc = |url: &str| -> serde_json::Value {
        postgres::Client::connect(url, postgres::NoTls)
            .unwrap()
            .query_one("SELECT doc FROM followups_shown WHERE seat = 'A'", &[])
            .unwrap()
            .get(0)
    };
    let own = doc(&url_a);
    assert_eq!(own["complaint"]["name"], "王大明", "{own}");
    assert_eq!(own["complaint"]["phone"], "13912345678", "{own}");
    let other = doc(&url_b);
    assert_eq!(other["complaint"]["name"], "", "{other}");
    assert_eq!(other["complaint"]["phone"], "", "{other}");
    // What is due is still every seat's to see.
    assert_eq!(other["dueAt"], own["dueAt"]);
    let mut b_db = postgres::Client::connect(&url_b, postgres::NoTls).unwrap();
    let e = b_db
        .query_one("SELECT doc FROM followups WHERE seat = 'A'", &[])
        .unwrap_err();
    let why = e
        .as_db_error()
        .map(|d| d.message().to_string())
        .unwrap_or_default();
    assert!(why.contains("permission denied"), "{e:?}");
    // The reply B itself recorded it reads whole; A reads it whole too.
    let said: Vec<String> = b_db
        .query("SELECT doc->>'content' FROM followup_replies_shown", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(said, ["已回电说明处理情况"]);
}
