//! Digits a recogniser wrote as homophones (酒 for 九, 要 for 幺, 是 for
//! 四, 林 for 零), read back by sound, but only inside a run that is
//! plainly a number: a phone number read digit by digit. Sound, not a list
//! of the cases seen: any character read like a digit counts, with the
//! mergers of Jiangsu Mandarin (zh/ch/sh said as z/c/s, -ng as -n), and a
//! final nasal added or dropped (清 for 七, 因 for 一, 里 for 零): a digit
//! said last, or quickly, trails into the next sound or loses its own.

use pinyin::{ToPinyin, ToPinyinMulti};

use crate::normalize::digit_of;

/// The digit `c` sounds like, if any (a digit word is its own digit).
pub(crate) fn sounds_like_digit(c: char) -> Option<char> {
    if let Some(d) = digit_of(c) {
        return Some(d);
    }
    let p = syllable(c)?;
    digit_syllable(&p).or_else(|| match p.strip_suffix('n') {
        Some(without) => digit_syllable(without),
        None => digit_syllable(&format!("{p}n")),
    })
}

/// How `c` sounds to a Jiangsu ear: its toneless pinyin (the commonest
/// reading) with zh/ch/sh said as z/c/s, -ng as -n (警 and 锦 are both
/// "jin") and huang as wang (黄 and 王). None for what is not a Chinese
/// character.
pub(crate) fn syllable(c: char) -> Option<String> {
    Some(merged(c.to_pinyin()?.plain()))
}

/// Every reading of `c`, the commonest first, merged as [`syllable`] (长:
/// zan, can). The dictionary keeps rare readings too (怀 fu, 红 gong), so
/// a match through one of them is only a near match (see `places.rs`).
pub(crate) fn syllables(c: char) -> Vec<String> {
    c.to_pinyin_multi()
        .map(|m| m.into_iter().map(|p| merged(p.plain())).collect())
        .unwrap_or_default()
}

/// The commonest reading as a standard speaker says it (no mergers): 江
/// jiang and 建 jian, alike to a Jiangsu ear, differ here.
pub(crate) fn standard(c: char) -> Option<&'static str> {
    c.to_pinyin().map(|p| p.plain())
}

/// Every reading of `c` as a standard speaker says it (行: xing, hang).
pub(crate) fn standards(c: char) -> Vec<&'static str> {
    c.to_pinyin_multi()
        .map(|m| m.into_iter().map(|p| p.plain()).collect())
        .unwrap_or_default()
}

fn merged(p: &str) -> String {
    let p = if p == "huang" { "wang" } else { p };
    let p = ["zh", "ch", "sh"]
        .iter()
        .find_map(|i| p.strip_prefix(i).map(|rest| format!("{}{rest}", &i[..1])))
        .unwrap_or_else(|| p.to_string());
    p.strip_suffix("ng").map_or(p.clone(), |q| format!("{q}n"))
}

/// A syllable's initial consonant ("" for none): 街 jie and 加 jia share
/// theirs, and a recogniser that mishears a place keeps it more often than
/// not.
pub(crate) fn initial(syllable: &str) -> &str {
    let end = syllable
        .find(|c: char| "aeiouvü".contains(c))
        .unwrap_or(syllable.len());
    &syllable[..end]
}

/// A letter whose name sounds like a way of saying 1: E is called yi (一),
/// U you (幺 yao), so a recogniser may write a first 一 or 幺 as a letter
/// (E3842849933, U5259748042). Only as a number's first digit, where it
/// completes a phone number.
fn named_like_digit(c: char) -> Option<char> {
    matches!(c, 'E' | 'e' | 'U' | 'u').then_some('1')
}

/// The digit a syllable (after the mergers) is.
fn digit_syllable(p: &str) -> Option<char> {
    Some(match p {
        "lin" | "don" => '0',
        "yi" | "yao" => '1',
        "er" | "lian" => '2',
        "san" => '3',
        "si" => '4',
        "wu" => '5',
        "liu" => '6',
        "qi" => '7',
        "ba" => '8',
        "jiu" => '9',
        _ => return None,
    })
}

/// What people and recognisers put between groups of digits.
fn separator(c: char) -> bool {
    matches!(c, ' ' | ',' | '，' | '-' | '—' | '、' | '.' | '·')
}

/// Whether a homophone (`last`, followed by `next`) may be the last digit
/// of a number or plate: only where the caller's words end with it. Run on
/// into a word (…567就行, …0387已经跑了, …385是白色的) it is that word's
/// first sound as often as a digit, and a recogniser that lost a digit
/// would have it complete a wrong number; and 吧, the particle that ends
/// so many sentences (电话是…吧), is not 八 there either.
pub(crate) fn ends_a_number(last: char, next: Option<char>) -> bool {
    last != '吧' && !next.is_some_and(char::is_alphanumeric)
}

/// How many digits a phone number starting so has: a mobile 11; Beijing,
/// Shanghai, Tianjin, Chongqing and the 02x cities 11; other cities 12.
pub(crate) fn phone_length(digits: &str) -> usize {
    match digits.as_bytes() {
        [b'1', ..] => 11,
        [b'0', b'1' | b'2', ..] => 11,
        [b'0', ..] => 12,
        _ => 0,
    }
}

/// Runs of at least five digit words or digits with at most two homophones
/// among them become digits. A homophone before the first real digit is a
/// word (电话是…) unless it completes a phone number the run alone is one
/// digit short of (要3070741302: 要 is 幺); after the last, it is kept only
/// as far as it completes a phone number (…5678就行 keeps 就 out), and
/// only where nothing but punctuation follows (…567就行 is not …5679).
pub(crate) fn digits_by_sound(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if digit_of(chars[i]).is_none() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // The run: digit-like characters, separators only between them.
        let mut end = i;
        let mut j = i;
        while j < chars.len() {
            if sounds_like_digit(chars[j]).is_some() {
                end = j + 1;
            } else if !separator(chars[j]) {
                break;
            }
            j += 1;
        }
        let run = &chars[i..end];
        let last_real = run
            .iter()
            .rposition(|c| digit_of(*c).is_some())
            .unwrap_or(0);
        let core = &run[..=last_real];
        let digits: String = core.iter().filter_map(|c| sounds_like_digit(*c)).collect();
        let real = core.iter().filter(|c| digit_of(**c).is_some()).count();
        let homophones = digits.len() - real;
        // One digit short of a phone number, with the character before the
        // run sounding like the missing first digit.
        let lead = out
            .chars()
            .last()
            .filter(|c| digit_of(*c).is_none())
            .and_then(|c| sounds_like_digit(c).or_else(|| named_like_digit(c)))
            .filter(|d| {
                real >= 5
                    && homophones <= 2
                    && phone_length(&format!("{d}{digits}")) == digits.len() + 1
            });
        if let Some(d) = lead {
            out.pop();
            out.push(d);
            out.push_str(&digits);
            i += core.len();
            continue;
        }
        if real < 5 || homophones > 2 || homophones == 0 && last_real + 1 == run.len() {
            // Not a number, or nothing to read by sound: as written.
            out.extend(core);
            i += core.len();
            continue;
        }
        let want = phone_length(&digits).saturating_sub(digits.len());
        let tail: Vec<char> = run[last_real + 1..]
            .iter()
            .filter(|c| !separator(**c))
            .take(want)
            .copied()
            .collect();
        let mut digits = digits;
        let mut used = core.len();
        if !tail.is_empty() && tail.len() == want {
            // Only a tail that completes the number, separators included,
            // and may end it.
            let mut k = last_real + 1;
            for t in &tail {
                while run[k] != *t {
                    k += 1;
                }
                k += 1;
            }
            if ends_a_number(run[k - 1], chars.get(i + k).copied()) {
                digits.extend(tail.iter().filter_map(|t| sounds_like_digit(*t)));
                used = k;
            }
        }
        out.push_str(&digits);
        i += used;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_by_their_sound() {
        for (c, d) in [
            ('酒', '9'),
            ('要', '1'),
            ('是', '4'),
            ('林', '0'),
            ('山', '3'),
            ('溜', '6'),
            ('清', '7'),
            ('因', '1'),
            ('班', '8'),
            ('里', '0'),
        ] {
            assert_eq!(sounds_like_digit(c), Some(d), "{c}");
        }
        for c in ['车', '新', '见', '王', '天'] {
            assert_eq!(sounds_like_digit(c), None, "{c}");
        }
    }

    #[test]
    fn homophones_inside_a_number_only() {
        assert_eq!(
            digits_by_sound("电话是幺三八酒四五六七八九零"),
            "电话是13894567890"
        );
        assert_eq!(
            digits_by_sound("你打一三八一二三四五六七八就行"),
            "你打13812345678就行"
        );
        assert_eq!(
            digits_by_sound("0519 8068 659期，我姓王"),
            "051980686597，我姓王"
        );
        // The first digit heard as a word that sounds like it.
        assert_eq!(
            digits_by_sound("联系电话是要3070741302"),
            "联系电话是13070741302"
        );
        assert_eq!(digits_by_sound("电话是3070741302"), "电话是3070741302");
        // The last digit trailing into a nasal, as heard on a caller's line.
        assert_eq!(
            digits_by_sound("电话是1596123456清。"),
            "电话是15961234567。"
        );
        // Words stay words: too few digits, or too many guesses.
        assert_eq!(digits_by_sound("我一直是一个人"), "我一直是一个人");
        assert_eq!(digits_by_sound("二十三号"), "二十三号");
        assert_eq!(digits_by_sound("一三酒期吧八五"), "一三酒期吧八五");
    }
}
