//! Scoring transcripts against what was said: the character error rate
//! counts letters and digits only (punctuation and spacing are not errors).

use crate::normalize::normalize;

/// Letters and digits of `text`, in written form if `normalized`.
pub fn letters(text: &str, normalized: bool) -> Vec<char> {
    let t = if normalized {
        normalize(text)
    } else {
        text.to_string()
    };
    t.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Levenshtein distance: substitutions, insertions, deletions.
pub fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, x) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, y) in b.iter().enumerate() {
            let next = (diag + usize::from(x != y))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        let d = |a: &str, b: &str| edit_distance(&letters(a, true), &letters(b, true));
        assert_eq!(d("你好，常州110", "你好常州幺幺零"), 0);
        assert_eq!(d("龙警路", "龙锦路"), 1);
        assert_eq!(d("", "abc"), 3);
        assert_eq!(d("abc", "ab"), 1);
    }
}
