//! Full-text search over a call's written text (element values, notes,
//! complaint). SQLite's tokenizers do not split Chinese into words, so each
//! field is indexed as overlapping runs of three letters/digits, plus its
//! last two and last one ("苏D883" → 苏d8 d88 883 83 3), and a query is the
//! phrase of its runs of three ("88367" inside "苏D88367"), or a prefix
//! search when it is shorter ("盗窃" → 盗窃*). Not single characters:
//! digits are in every phone number and address, and a phrase of single
//! digits intersects huge lists (a plate over a year of calls took ~450 ms
//! that way; `make bench` prints today's figure).

use jiejing_core::Call;
use rusqlite::{params, Transaction};

use crate::StoreError;

/// Letters and digits, lower-cased; everything else is dropped.
fn chars(text: &str) -> Vec<char> {
    text.chars()
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

const N: usize = 3;

/// One field's tokens: every run of three, then the shorter tails, so a
/// one- or two-character prefix search finds the field's end too.
fn grams(text: &str) -> String {
    let c = chars(text);
    let mut out: Vec<String> = c.windows(N).map(|w| w.iter().collect()).collect();
    for tail in (1..N.min(c.len() + 1)).rev() {
        out.push(c[c.len() - tail..].iter().collect());
    }
    out.join(" ")
}

/// What is indexed for a call.
pub(crate) fn body(call: &Call) -> String {
    let mut parts: Vec<&str> = call.elements.iter().map(|e| e.value.as_str()).collect();
    parts.push(&call.notes);
    if let Some(c) = &call.complaint {
        parts.extend([
            c.name.as_str(),
            &c.address,
            &c.work_unit,
            &c.phone,
            &c.what_happened,
            &c.subject,
        ]);
    }
    parts
        .iter()
        .map(|p| grams(p))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The FTS5 query for what a user typed: each space-separated word is the
/// phrase of its runs of three (shorter: a prefix search), all must match.
/// `None` if nothing searchable.
pub(crate) fn query(typed: &str) -> Option<String> {
    let words: Vec<String> = typed
        .split_whitespace()
        .map(chars)
        .filter(|c| !c.is_empty())
        .map(|c| {
            if c.len() < N {
                format!("{}*", c.iter().collect::<String>())
            } else {
                let g: Vec<String> = c.windows(N).map(|w| w.iter().collect()).collect();
                format!("\"{}\"", g.join(" "))
            }
        })
        .collect();
    (!words.is_empty()).then(|| words.join(" AND "))
}

pub(crate) fn index(tx: &Transaction<'_>, call: &Call) -> Result<(), StoreError> {
    tx.prepare_cached("INSERT OR REPLACE INTO call_text (rowid, body) VALUES (?1, ?2)")?
        .execute(params![call.id, body(call)])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_of_three_characters() {
        assert_eq!(grams("苏D 883，人民"), "苏d8 d88 883 83人 3人民 人民 民");
        assert_eq!(grams("x"), "x");
        assert_eq!(grams("xy"), "xy y");
        assert_eq!(
            query("  盗窃案 苏d88 "),
            Some("\"盗窃案\" AND \"苏d8 d88\"".into())
        );
        assert_eq!(query("盗窃"), Some("盗窃*".into()));
        assert_eq!(query("路"), Some("路*".into()));
        assert_eq!(query("“”, ;"), None);
        // Quotes cannot break out of the phrase.
        assert_eq!(query("a\"bc"), Some("\"abc\"".into()));
    }
}
