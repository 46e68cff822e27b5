//! Only a shift lead's session reads across seats, and the server holds
//! that line itself (issue #12, schema 0009): a seat's own login reads its
//! own calls; a lead signed in at that seat, with a PIN the server checked,
//! reads every seat's. The repeat lookup stays open to every seat.

use jiejing_station::Station;

use super::jiejing_env;
use super::seats::{desk, hall_of_logins, ok, seat, Hall, LEAD_PIN};
use super::station_report::calls;

const TAKER_PIN: &str = "1357-taker";

fn count_calls(db: &mut postgres::Client) -> i64 {
    db.query_one("SELECT count(*) FROM calls", &[])
        .unwrap()
        .get(0)
}

fn report(dir: &std::path::Path, lead: Option<(&str, &str)>) -> (i32, serde_json::Value) {
    let mut args = vec![
        "report",
        "--from",
        "2000-01-01",
        "--to",
        "2099-12-31",
        "--json",
    ];
    let mut env = vec![];
    if let Some((id, pin)) = lead {
        args.extend(["--as", id]);
        env.push(("JIEJING_PIN", pin));
    }
    let (code, out, err) = jiejing_env(dir, &args, &env);
    (
        code,
        serde_json::from_str(&out).unwrap_or(serde_json::Value::String(err)),
    )
}

#[test]
fn only_a_lead_signed_in_at_a_seat_reads_across_seats() {
    let Hall {
        pg: _pg,
        url: admin_url,
        a,
        b,
    } = hall_of_logins();
    // The seats' own logins, as they joined.
    let login = |dir| seat(dir).station_link().unwrap().unwrap().url;
    let (url_a, url_b) = (login(a.path()), login(b.path()));
    let (code, out, err) = jiejing_env(
        a.path(),
        &[
            "--as",
            "L01",
            "users",
            "add",
            "T01",
            "--name",
            "接警员",
            "--role",
            "taker",
        ],
        &[("JIEJING_PIN", LEAD_PIN), ("JIEJING_NEW_PIN", TAKER_PIN)],
    );
    assert_eq!(code, 0, "{out}{err}");
    calls(a.path(), "T01", 2, 0);
    calls(b.path(), "T02", 3, 0);
    ok(a.path(), &["station", "sync"]);
    ok(b.path(), &["station", "sync"]);

    // The command line without a lead does not read at all.
    let (code, r) = report(a.path(), None);
    assert_eq!(code, 2, "{r}");
    assert!(r.to_string().contains("--as ID"), "{r}");
    // As the lead, signed in at the station: every seat's.
    let (code, r) = report(a.path(), Some(("L01", LEAD_PIN)));
    assert_eq!(code, 0, "{r}");
    assert_eq!(
        (r["calls"].as_u64(), &r["thisSeatOnly"]),
        (Some(5), &false.into())
    );
    // A wrong PIN, or a call-taker's account, is refused.
    assert_eq!(report(a.path(), Some(("L01", "0000-0000"))).0, 2);
    let (code, r) = report(b.path(), Some(("T01", TAKER_PIN)));
    assert_eq!(code, 2, "{r}");
    assert!(r.as_str().unwrap().contains("not a shift lead"), "{r}");

    // The server holds the line whatever a client with A's login asks.
    let mut db = postgres::Client::connect(&url_a, postgres::NoTls).unwrap();
    assert_eq!(count_calls(&mut db), 2);
    db.batch_execute("SET jiejing.lead = 'forged'").unwrap();
    assert_eq!(
        count_calls(&mut db),
        2,
        "a made-up token reads nothing more"
    );
    assert!(
        db.query("SELECT pin_hash FROM accounts", &[]).is_err(),
        "a seat's login reads PIN hashes"
    );
    for table in [
        "audit",
        "urges",
        "reviews",
        "corrections",
        "samples",
        "conflicts",
    ] {
        let other: i64 = db
            .query_one(
                &format!("SELECT count(*) FROM {table} WHERE seat = 'B'"),
                &[],
            )
            .unwrap()
            .get(0);
        assert_eq!(other, 0, "seat A's login reads seat B's {table}");
    }

    let mut st = Station::connect(&url_a).unwrap();
    let (taker, token) = st.sign_in("T01", TAKER_PIN).unwrap().unwrap();
    assert!(
        taker.pin_hash.is_some() && token.is_none(),
        "a call-taker gets no lead session"
    );
    assert!(!st.reads_all().unwrap());
    let (wrong, token) = st.sign_in("L01", "9999-9999").unwrap().unwrap();
    assert!(wrong.pin_hash.is_none() && token.is_none());
    assert!(st.sign_in("nobody", LEAD_PIN).unwrap().is_none());
    let (_, token) = st.sign_in("L01", LEAD_PIN).unwrap().unwrap();
    let token = token.expect("a lead's session");
    assert!(st.reads_all().unwrap());

    // The token is good for seat A's login only.
    let mut db_b = postgres::Client::connect(&url_b, postgres::NoTls).unwrap();
    db_b.execute("SELECT set_config('jiejing.lead', $1, false)", &[&token])
        .unwrap();
    assert_eq!(
        count_calls(&mut db_b),
        3,
        "seat B read with seat A's lead token"
    );
    db.execute("SELECT set_config('jiejing.lead', $1, false)", &[&token])
        .unwrap();
    assert_eq!(count_calls(&mut db), 5);

    // Signing out ends the session at the server.
    st.sign_out().unwrap();
    assert!(!st.reads_all().unwrap());
    assert_eq!(count_calls(&mut db), 2, "the token outlived its sign-out");

    // Accounts: a seat's login writes one only with a lead's PIN proof. A
    // desk that skips the command line's check (the administrator's, in
    // this process) ships T09 with none: the station refuses it.
    desk(b.path())
        .add_user("T09", "某人", jiejing_core::Role::Lead, "5555-9999")
        .unwrap();
    let (code, out, err) = jiejing_env(
        b.path(),
        &[
            "--as", "L01", "users", "add", "T10", "--name", "某人", "--role", "taker",
        ],
        &[("JIEJING_PIN", LEAD_PIN), ("JIEJING_NEW_PIN", "5555-9999")],
    );
    assert_eq!(code, 0, "{out}{err}");
    ok(b.path(), &["station", "sync"]);
    let mut adm = postgres::Client::connect(&admin_url, postgres::NoTls).unwrap();
    let ids: Vec<String> = adm
        .query("SELECT id FROM accounts ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        ids,
        ["L01", "T01", "T10"],
        "the administrator's T09 from seat B was taken"
    );
    let refused: i64 = adm
        .query_one(
            "SELECT count(*) FROM conflicts WHERE kind = 'account_refused' AND seat = 'B'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(refused, 1, "the refusal is recorded for the lead");
    let mut db_b = postgres::Client::connect(&url_b, postgres::NoTls).unwrap();
    assert!(db_b
        .execute("UPDATE accounts SET role = 'lead' WHERE id = 'T01'", &[])
        .is_err());
    let said: String = db_b
        .query_one(
            "SELECT jiejing_put_account('T01', 'x', 'lead', true, 'x', now(), 'B', 'L01', 'forged')",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(said, "refused");

    // The repeat lookup is every seat's work: A, with no lead, finds B's
    // call from a number only B took, and what other seats urged on it.
    let mut no_lead = Station::connect(&url_a).unwrap();
    let since = chrono::Utc::now() - chrono::Duration::hours(1);
    let found = no_lead
        .latest_from_number("139 0000 0002", since, "A", 0)
        .unwrap()
        .expect("B's call");
    assert_eq!(
        (found.seat.as_str(), found.call.caller_number.as_str()),
        ("B", "139 0000 0002")
    );
}
