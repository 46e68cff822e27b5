//! Full-text search over a call's written text (element values, notes,
//! complaint). SQLite's tokenizers do not split Chinese into words, so every
//! letter or digit is indexed as its own token and a query becomes a phrase
//! of its characters: "盗窃" matches wherever 盗 is followed by 窃, and so
//! does "88367" inside "苏D88367".

use jiejing_core::Call;
use rusqlite::{params, Transaction};

use crate::StoreError;

/// Text with one token per letter or digit; everything else separates.
fn spaced(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push(c);
        }
    }
    out
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
    // A separator between fields keeps a phrase from matching across two.
    parts
        .iter()
        .map(|p| spaced(p))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The FTS5 query for what a user typed: each space-separated word is a
/// phrase of its characters, all must match. `None` if nothing searchable.
pub(crate) fn query(typed: &str) -> Option<String> {
    let phrases: Vec<String> = typed
        .split_whitespace()
        .map(spaced)
        .filter(|p| !p.is_empty())
        .map(|p| format!("\"{p}\""))
        .collect();
    (!phrases.is_empty()).then(|| phrases.join(" AND "))
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
    fn one_token_per_character() {
        assert_eq!(spaced("苏D 88367，人民路"), "苏 d 8 8 3 6 7 人 民 路");
        assert_eq!(
            query("  盗窃 苏d8 "),
            Some("\"盗 窃\" AND \"苏 d 8\"".into())
        );
        assert_eq!(query("“”, ;"), None);
        // Quotes cannot break out of the phrase.
        assert_eq!(query("a\"b"), Some("\"a b\"".into()));
    }
}
