//! Traditional characters as the simplified ones a call-taker types.
//!
//! Whisper writes Mandarin in traditional characters now and then: without
//! a prompt, in 71 of the 104 clips here. Its prompt in simplified
//! characters steers it away, as far as a prompt can. Every character is
//! covered, not just a call's words: OpenCC's own tables
//! (`assets/speech/opencc/`, Apache-2.0), its phrases first by longest
//! match (乾隆 keeps its 乾, 頭髮 is 头发), then single characters to their
//! first listed form, as OpenCC's `t2s` does. Text already simplified
//! passes through unchanged (tested on every simplified sentence the
//! repository holds).

use std::collections::HashMap;
use std::sync::OnceLock;

const CHARACTERS: &str = include_str!("../../../assets/speech/opencc/TSCharacters.txt");
const PHRASES: &str = include_str!("../../../assets/speech/opencc/TSPhrases.txt");

struct Tables {
    chars: HashMap<char, char>,
    /// By first character: (phrase, simplified), longest phrase first.
    phrases: HashMap<char, Vec<(Vec<char>, String)>>,
}

/// Each line of an OpenCC dictionary: the key and its first candidate.
fn entries(text: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .filter_map(|(k, v)| Some((k, v.split(' ').next()?)))
}

/// A table of single characters to their first candidate.
fn chars(text: &'static str) -> HashMap<char, char> {
    let mut out = HashMap::new();
    for (k, v) in entries(text) {
        let (mut k, mut v) = (k.chars(), v.chars());
        if let (Some(from), None, Some(to), None) = (k.next(), k.next(), v.next(), v.next()) {
            out.insert(from, to);
        }
    }
    out
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut phrases: HashMap<char, Vec<(Vec<char>, String)>> = HashMap::new();
        for (k, v) in entries(PHRASES) {
            let k: Vec<char> = k.chars().collect();
            if let Some(&first) = k.first() {
                phrases.entry(first).or_default().push((k, v.to_string()));
            }
        }
        for list in phrases.values_mut() {
            list.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
        }
        Tables {
            chars: chars(CHARACTERS),
            phrases,
        }
    })
}

/// `text` in simplified characters.
pub(crate) fn to_simplified(text: &str) -> String {
    let t = tables();
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let phrase = t
            .phrases
            .get(&chars[i])
            .and_then(|list| list.iter().find(|(k, _)| chars[i..].starts_with(k)));
        if let Some((k, s)) = phrase {
            out.push_str(s);
            i += k.len();
        } else {
            out.push(*t.chars.get(&chars[i]).unwrap_or(&chars[i]));
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_and_phrases() {
        assert_eq!(to_simplified("還沒有人來"), "还没有人来");
        assert_eq!(
            to_simplified("我的車牌號是蘇D88367"),
            "我的车牌号是苏D88367"
        );
        // A phrase outranks its characters: 乾 alone is 干.
        assert_eq!(to_simplified("乾隆"), "乾隆");
        assert_eq!(to_simplified("乾淨"), "干净");
        assert_eq!(to_simplified("頭髮"), "头发");
        assert_eq!(to_simplified(""), "");
    }

    /// OpenCC's tables are written for traditional input, and a few keys
    /// are also simplified characters in their own right (於 as a surname,
    /// 乾 of 乾隆): every simplified line the product ships must pass
    /// unchanged.
    #[test]
    fn simplified_text_passes_unchanged() {
        let texts = [
            include_str!("../../../assets/speech/situations-dev.tsv"),
            include_str!("../../../assets/gazetteer/zh-CN.toml"),
            include_str!("../../../assets/phrases/zh-CN.toml"),
            include_str!("../../../assets/referrals/zh-CN.toml"),
        ];
        let mut lines = 0;
        for line in texts.iter().flat_map(|t| t.lines()) {
            assert_eq!(to_simplified(line), line);
            lines += 1;
        }
        assert!(lines > 1000, "{lines} lines");
    }
}
