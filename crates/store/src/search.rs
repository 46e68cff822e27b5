//! Full-text search over a call's written text (element values, notes,
//! complaint). SQLite's tokenizers do not split Chinese into words, so each
//! field is indexed as overlapping pairs of letters/digits ("苏D8836" →
//! 苏d d8 88 83 36 6) and a query becomes the phrase of its pairs: "盗窃"
//! matches wherever 盗 is followed by 窃, "88367" inside "苏D88367". Pairs,
//! not single characters, because digits are in every phone number and
//! address: a phrase of single digits intersects huge lists (measured: a
//! plate search over a year of calls went from ~450 ms to a few ms).

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

/// One field's tokens: every adjacent pair, then the last character alone
/// (so a one-character query, a prefix search, finds it too).
fn pairs(text: &str) -> String {
    let c = chars(text);
    let mut out: Vec<String> = c.windows(2).map(|w| w.iter().collect()).collect();
    out.extend(c.last().map(char::to_string));
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
        .map(|p| pairs(p))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The FTS5 query for what a user typed: each space-separated word is the
/// phrase of its pairs (one character: a prefix search), all must match.
/// `None` if nothing searchable.
pub(crate) fn query(typed: &str) -> Option<String> {
    let words: Vec<String> = typed
        .split_whitespace()
        .map(chars)
        .filter(|c| !c.is_empty())
        .map(|c| match c.len() {
            1 => format!("{}*", c[0]),
            _ => {
                let p: Vec<String> = c.windows(2).map(|w| w.iter().collect()).collect();
                format!("\"{}\"", p.join(" "))
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
    fn pairs_of_characters() {
        assert_eq!(
            pairs("苏D 8836，人民路"),
            "苏d d8 88 83 36 6人 人民 民路 路"
        );
        assert_eq!(pairs("x"), "x");
        assert_eq!(
            query("  盗窃 苏d8 "),
            Some("\"盗窃\" AND \"苏d d8\"".into())
        );
        assert_eq!(query("路"), Some("路*".into()));
        assert_eq!(query("“”, ;"), None);
        // Quotes cannot break out of the phrase.
        assert_eq!(query("a\"b"), Some("\"ab\"".into()));
    }
}
