//! Was this utterance the station's greeting? Recognisers drop or change a
//! character or two ("常州" is a weak word for Whisper base), so the test
//! is how much of the greeting appears, in order, in the utterance's start.

use crate::normalize::normalize;

fn letters(text: &str) -> Vec<char> {
    normalize(text)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Length of the longest common subsequence.
fn lcs(a: &[char], b: &[char]) -> usize {
    let mut row = vec![0usize; b.len() + 1];
    for x in a {
        let mut diag = 0;
        for (j, y) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = if x == y { diag + 1 } else { up.max(row[j]) };
            diag = up;
        }
    }
    row[b.len()]
}

/// True when at least 75 % of the greeting's characters appear, in order,
/// within the utterance's first characters (what follows, such as 请讲,
/// does not count against it).
pub fn matches(utterance: &str, greeting: &str) -> bool {
    let g = letters(greeting);
    if g.is_empty() {
        return false;
    }
    let u = letters(utterance);
    let head = &u[..u.len().min(g.len() + 4)];
    lcs(head, &g) * 4 >= g.len() * 3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_greeting_with_recogniser_slips() {
        let g = "你好，常州110";
        assert!(matches("你好，常州110，请讲。", g));
        assert!(matches("你好常州幺幺零", g));
        assert!(matches("你好，长州110。", g), "one character misheard");
        assert!(matches("您好，常州110", g));
        assert!(matches(
            "你好，常州110，27号接警员",
            "你好，常州110，27号接警员"
        ));
        assert!(!matches("喂，110吗？我要报警", g));
        assert!(!matches("请别紧张，慢慢讲清楚。", g));
        assert!(!matches("", g));
    }
}
