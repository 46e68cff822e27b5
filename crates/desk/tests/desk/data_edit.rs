//! The station's data files edited in Settings, and the phrases a call is
//! answered in (issue #17). A wrong referral number is put right in the
//! app; a broken edit is refused with the line it breaks and nothing is
//! written; every save and reset is in the audit trail with its text; the
//! built-in file stays as it is. A call answered in English, or in the
//! dialect once the station has filled in its pack, is recorded so.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use jiejing_core::{FixedClock, Language, PhraseLanguage, Role};
use jiejing_desk::{DataFileName, Desk, DeskError};

use super::audit_of;

const LEAD_PIN: &str = "999999";
const TAKER_PIN: &str = "111111";

#[test]
fn a_lead_fixes_a_referral_number_in_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap(),
    ));
    let mut desk = Desk::open(dir.path(), clock).unwrap();
    desk.add_user("L1", "李强", Role::Lead, LEAD_PIN).unwrap();
    desk.sign_in("L1", LEAD_PIN).unwrap();
    desk.add_user("T1", "王芳", Role::Taker, TAKER_PIN).unwrap();
    let name = DataFileName::ReferralsZh;
    let f = desk.data_file(name).unwrap();
    assert!(f.builtin && f.text.contains("phone = \"12345\""));
    let station_file = dir.path().join("referrals/zh-CN.toml");

    // A quote left out: refused, with the line, and nothing written.
    let line = f
        .text
        .lines()
        .position(|l| l.contains("phone = \"12345\""))
        .unwrap()
        + 1;
    let broken = f.text.replacen("phone = \"12345\"", "phone = \"12345", 1);
    let e = desk.save_data_file(name, &broken).unwrap_err();
    assert!(
        e.to_string()
            .contains(&format!("referrals/zh-CN.toml:{line}")),
        "{e}"
    );
    assert!(!station_file.exists());
    // A number that is not one: refused, naming the department's field.
    let wrong = f
        .text
        .replacen("phone = \"12345\"", "phone = \"打内线\"", 1);
    let e = desk.save_data_file(name, &wrong).unwrap_err();
    assert!(e.to_string().contains("department[1].phone"), "{e}");

    // Put right: saved into the data folder and in use at once.
    let fixed = f
        .text
        .replacen("phone = \"12345\"", "phone = \"0519-88001234\"", 1);
    let state = desk.save_data_file(name, &fixed).unwrap();
    assert_eq!(std::fs::read_to_string(&station_file).unwrap(), fixed);
    let note = state
        .data_files
        .iter()
        .find(|n| n.name == name.as_str())
        .unwrap();
    assert!(
        note.source.ends_with("referrals/zh-CN.toml") && note.warning.is_none(),
        "{note:?}"
    );
    let found = desk.search_referrals("噪音", Language::ZhCn);
    assert_eq!(found[0].phone, "0519-88001234");
    assert!(!desk.data_file(name).unwrap().builtin);

    // Back to the built-in file.
    desk.reset_data_file(name).unwrap();
    assert!(!station_file.exists());
    assert_eq!(
        desk.search_referrals("噪音", Language::ZhCn)[0].phone,
        "12345"
    );

    // Both changes are audited, with the text; a call-taker may not edit.
    let check = desk.verify_audit(&[]).unwrap();
    assert!(check.problems.is_empty(), "{check:?}");
    let saved = audit_of(dir.path(), "data_file_saved");
    assert_eq!(saved.len(), 1, "{saved:?}");
    assert!(
        saved[0].0 == "L1" && saved[0].1.contains("0519-88001234"),
        "{saved:?}"
    );
    assert_eq!(audit_of(dir.path(), "data_file_reset").len(), 1);
    desk.sign_out().unwrap();
    desk.sign_in("T1", TAKER_PIN).unwrap();
    assert!(matches!(
        desk.save_data_file(name, &fixed),
        Err(DeskError::Forbidden)
    ));
}

#[test]
fn a_call_is_answered_in_english_or_the_stations_dialect_and_it_is_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap(),
    ));
    let mut desk = Desk::open(dir.path(), clock).unwrap();
    desk.act_as_admin("test");
    desk.ring(jiejing_core::AnswerSource::Manual).unwrap();
    desk.answer(jiejing_core::AnswerSource::Manual).unwrap();
    assert_eq!(
        desk.state().unwrap().active.unwrap().call.phrase_language,
        PhraseLanguage::Mandarin
    );
    let v = desk.set_phrase_language(PhraseLanguage::English).unwrap();
    assert_eq!(v.call.phrase_language, PhraseLanguage::English);
    // No dialect pack yet: the dialect is refused, in words.
    let e = desk
        .set_phrase_language(PhraseLanguage::Dialect)
        .unwrap_err();
    assert!(e.to_string().contains("phrases/dialect.toml"), "{e}");
    let state = desk.state().unwrap();
    assert!(state.phrases.dialect.is_none() && state.greeting_dialect.is_none());
    let note = state
        .data_files
        .iter()
        .find(|n| n.name == "phrases/dialect.toml")
        .unwrap();
    assert_eq!(note.source, "none");

    // The template, unfilled, is refused; filled in, the dialect is there.
    let name = DataFileName::PhrasesDialect;
    let template = desk.data_file(name).unwrap();
    assert!(template.builtin && template.text.contains("language = \"dialect\""));
    assert!(desk.save_data_file(name, &template.text).is_err());
    let filled = template
        .text
        .replace("name = \"\"", "name = \"常州话\"")
        .replace("text = \"\"", "text = \"侬好，{city}110\"")
        .replace("operator = \"\"", "operator = \"，{n}号\"")
        .replace("\"\"", "\"（方言）\"");
    let state = desk.save_data_file(name, &filled).unwrap();
    assert_eq!(state.greeting_dialect.as_deref(), Some("侬好，常州110"));
    desk.set_phrase_language(PhraseLanguage::Dialect).unwrap();
    let id = desk
        .close(jiejing_core::Disposition::Other, true)
        .unwrap()
        .call
        .id;
    let kept = jiejing_desk::paths::open_store(dir.path())
        .unwrap()
        .load_call(id)
        .unwrap()
        .unwrap();
    assert_eq!(
        kept.phrase_language,
        PhraseLanguage::Dialect,
        "recorded on the call"
    );
    // A closed call's language is history.
    assert!(desk.set_phrase_language(PhraseLanguage::English).is_err());
}
