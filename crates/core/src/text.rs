//! Cleaning and validating what a user types.

use crate::CoreError;

/// Longest free-text value of a checklist item or complaint field, in
/// characters. A call-taker notes facts, not transcripts; the limit keeps a
/// stuck key or a paste accident from filling the database.
pub const MAX_FIELD_CHARS: usize = 500;
/// Longest short value (names, ids, city).
pub const MAX_SHORT_CHARS: usize = 64;

/// Strips control characters (keeping newlines and tabs when `multiline`),
/// trims the ends, and refuses text longer than `max` characters.
///
/// # Errors
/// [`CoreError::TooLong`] naming `field` and the limit.
pub fn clean(field: &str, raw: &str, max: usize, multiline: bool) -> Result<String, CoreError> {
    let cleaned: String = raw
        .chars()
        .filter(|c| !c.is_control() || (multiline && (*c == '\n' || *c == '\t')))
        .collect();
    let cleaned = cleaned.trim().to_string();
    if cleaned.chars().count() > max {
        return Err(CoreError::TooLong {
            field: field.to_string(),
            max,
        });
    }
    Ok(cleaned)
}

/// Validates a phone number as typed: digits, `+` (leading only), `-` and
/// spaces, 3 to 20 digits (3 covers 110/119-style short numbers, 20 covers
/// international numbers with extensions). Returns it with runs of spaces
/// collapsed. An empty number is allowed: many callers withhold theirs.
///
/// # Errors
/// [`CoreError::InvalidNumber`] naming `field`.
pub fn phone(field: &str, raw: &str) -> Result<String, CoreError> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(String::new());
    }
    let bad = || CoreError::InvalidNumber {
        field: field.to_string(),
    };
    let mut digits = 0;
    for (i, c) in s.chars().enumerate() {
        match c {
            '0'..='9' => digits += 1,
            '+' if i == 0 => {}
            '-' | ' ' => {}
            _ => return Err(bad()),
        }
    }
    if !(3..=20).contains(&digits) {
        return Err(bad());
    }
    Ok(s.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The digits of a phone number, used to match repeat callers whatever
/// spacing or dashes were typed.
pub fn phone_digits(number: &str) -> String {
    number.chars().filter(char::is_ascii_digit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_strips_controls_and_trims() {
        assert_eq!(
            clean("f", " a\u{7}b\u{1b}[0m ", 10, false).unwrap(),
            "ab[0m"
        );
        assert_eq!(clean("f", "a\nb\tc", 10, true).unwrap(), "a\nb\tc");
        assert_eq!(clean("f", "a\nb", 10, false).unwrap(), "ab");
    }

    #[test]
    fn clean_counts_characters_not_bytes() {
        let five = "何时何地何";
        assert_eq!(clean("f", five, 5, false).unwrap(), five);
        let err = clean("何时", "何时何地何事", 5, false).unwrap_err();
        assert_eq!(
            err,
            CoreError::TooLong {
                field: "何时".into(),
                max: 5
            }
        );
        assert_eq!(err.limit(), Some(5));
    }

    #[test]
    fn phone_accepts_usual_forms() {
        assert_eq!(phone("n", "13812345678").unwrap(), "13812345678");
        assert_eq!(
            phone("n", " +86 138  1234 5678 ").unwrap(),
            "+86 138 1234 5678"
        );
        assert_eq!(phone("n", "0519-86601234").unwrap(), "0519-86601234");
        assert_eq!(phone("n", "").unwrap(), "");
        assert_eq!(phone("n", "120").unwrap(), "120");
    }

    #[test]
    fn phone_rejects_junk() {
        for bad in [
            "12",
            "abc",
            "138-1234-567a",
            "1+38",
            "123456789012345678901",
            "++86",
        ] {
            assert!(
                matches!(phone("n", bad), Err(CoreError::InvalidNumber { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn digits_ignore_formatting() {
        assert_eq!(phone_digits("+86 138-1234"), "861381234");
    }
}
