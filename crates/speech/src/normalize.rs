//! From what a recogniser writes to what a call-taker would type.
//!
//! - Traditional characters that Whisper sometimes writes for Mandarin are
//!   written simplified (`simplify`, OpenCC's tables).
//! - Spoken numbers: "幺幺零" → 110; digits read one by one ("一三八…",
//!   "幺", "洞") → digits; numerals before a unit ("二十三号", "十点",
//!   "四十分钟") → digits; separators inside digit runs ("159,6123,4567",
//!   "138-1234-5678") dropped.

use std::sync::OnceLock;

use regex::Regex;

use crate::simplify::to_simplified;

pub(crate) fn digit_of(c: char) -> Option<char> {
    Some(match c {
        '零' | '〇' | '洞' => '0',
        '一' | '幺' | '腰' => '1',
        '二' | '两' => '2',
        '三' => '3',
        '四' => '4',
        '五' => '5',
        '六' => '6',
        '七' => '7',
        '八' => '8',
        '九' => '9',
        c if c.is_ascii_digit() => c,
        _ => return None,
    })
}

/// A pattern compiled once.
pub(crate) fn regex(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("a valid pattern"))
}

/// The value of a Chinese numeral up to 9999 ("二十三" → 23, "十" → 10).
fn numeral(s: &str) -> Option<u32> {
    let (mut total, mut digit) = (0u32, None::<u32>);
    for c in s.chars() {
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            c => {
                digit = Some(digit_of(c)?.to_digit(10)?);
                continue;
            }
        };
        total += digit.take().unwrap_or(1) * unit;
    }
    Some(total + digit.unwrap_or(0))
}

/// Digits read one by one: runs of three or more digit words (or digits),
/// with the separators people and recognisers put between groups.
fn digit_runs(text: &str) -> String {
    static RUN: OnceLock<Regex> = OnceLock::new();
    let run = regex(
        &RUN,
        r"[零〇洞一幺腰二两三四五六七八九0-9](?:[\s,，\-—、.·]?[零〇洞一幺腰二两三四五六七八九0-9]){2,}",
    );
    run.replace_all(text, |m: &regex::Captures<'_>| {
        let s = &m[0];
        // Three or more digits: 一个, 一下, 两个 never reach three.
        s.chars().filter_map(digit_of).collect::<String>()
    })
    .into_owned()
}

/// Numerals before a unit: 二十三号 → 23号, 十点 → 10点, 四十分钟 → 40分钟;
/// a last digit Whisper wrote as a digit too (十3号 → 13号).
pub(crate) fn numerals_before_units(text: &str) -> String {
    static UNIT: OnceLock<Regex> = OnceLock::new();
    let re = regex(
        &UNIT,
        r"(^|[^快慢好早晚多少大小有近远轻重差])([零一二两三四五六七八九十百千]*十[1-9]|[零一二两三四五六七八九十百千]+)(号|点|分钟|分|岁|个小时|小时|楼|层|栋|幢|单元|室|次|元|块|辆|名|个人|天)",
    );
    // Twice: a match takes the character before it, so the second of two
    // in a row (八十七号五幢) is found on the second pass.
    let mut t = text.to_string();
    for _ in 0..2 {
        t = re
            .replace_all(&t, |c: &regex::Captures<'_>| match numeral(&c[2]) {
                Some(n) => format!("{}{n}{}", &c[1], &c[3]),
                None => c[0].to_string(),
            })
            .into_owned();
    }
    t
}

/// Letters and digits Whisper writes full-width (Ｅ3842849933, 苏Ｄ８８３６７)
/// as ASCII, the way a call-taker types them; and the punctuation it
/// writes when it writes traditional characters (138‧4284‧9933, 民警﹑):
/// small forms as their usual ones, the dots between groups of a number
/// as ·, a separator there like the others.
fn half_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            '﹐' => '，',
            '﹑' => '、',
            '﹒' => '.',
            '﹔' => '；',
            '﹕' => '：',
            '﹖' => '？',
            '﹗' => '！',
            '‧' | '・' => '·',
            '「' | '『' => '“',
            '」' | '』' => '”',
            c => c,
        })
        .collect()
}

/// Chinese punctuation where Whisper writes ASCII (",", "?") after Chinese.
fn full_width(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut prev_cjk = false;
    for c in text.chars() {
        let mapped = match c {
            ',' if prev_cjk => '，',
            '?' if prev_cjk => '？',
            '!' if prev_cjk => '！',
            ';' if prev_cjk => '；',
            ':' if prev_cjk => '：',
            c => c,
        };
        prev_cjk = c > '\u{2e80}' || (prev_cjk && c.is_ascii_digit());
        out.push(mapped);
    }
    out
}

/// The written form of a transcript.
pub fn normalize(text: &str) -> String {
    let t = to_simplified(text);
    static EMERGENCY: OnceLock<Regex> = OnceLock::new();
    // 幺幺零 as Whisper hears it: any two characters read yāo/yáo/yào
    // (腰腰零, 遥遥灵, 要要领 …) before one read líng/lǐng/lìng or 洞. By
    // sound, not by the cases seen: a homophone of the greeting's 110 lost
    // the greeting itself.
    let t = regex(
        &EMERGENCY,
        r"[幺腰要妖遥摇邀药耀咬窑谣尧瑶一][幺腰要妖遥摇邀药耀咬窑谣尧瑶一][零〇洞灵铃玲令领岭龄陵凌菱羚伶聆]",
    )
    .replace_all(&t, "110")
    .into_owned();
    let t = full_width(&half_width(&t));
    let t = crate::sounds::digits_by_sound(&t);
    let t = digit_runs(&t);
    numerals_before_units(&t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spoken_numbers_become_digits() {
        assert_eq!(normalize("你好，常州幺幺零，请讲"), "你好，常州110，请讲");
        assert_eq!(
            normalize("你好，常州要要领寺，请将"),
            "你好，常州110寺，请将"
        );
        assert_eq!(normalize("药耀岭"), "110");
        assert_eq!(normalize("喂，腰腰零吗"), "喂，110吗");
        assert_eq!(normalize("为\"遥遥灵芒\"我要报警"), "为\"110芒\"我要报警");
        assert_eq!(normalize("你好,常州110,请讲。"), "你好，常州110，请讲。");
        assert_eq!(normalize("Hello, world"), "Hello, world");
        assert_eq!(
            normalize("电话是一三八一二三四五六七八"),
            "电话是13812345678"
        );
        assert_eq!(normalize("电话159,6123,4567"), "电话15961234567");
        assert_eq!(normalize("138-1234-5678。"), "13812345678。");
        // As Whisper writes it in traditional characters.
        assert_eq!(
            normalize("你就依下我的後碼﹑138‧4284‧9933‧"),
            "你就依下我的后码、13842849933·"
        );
        // Full-width, and the first 一 (yi) written as the letter E (yi).
        assert_eq!(normalize("苏Ｄ８８３６７"), "苏D88367");
        assert_eq!(normalize("我的号码Ｅ3842849933。"), "我的号码13842849933。");
        assert_eq!(
            normalize("你记一下我的号码U5259748042"),
            "你记一下我的号码15259748042"
        );
        assert_eq!(normalize("E3842849"), "E3842849");
        assert_eq!(normalize("苏滴八八三六七"), "苏滴88367");
        assert_eq!(normalize("南大街二十三号"), "南大街23号");
        assert_eq!(normalize("太湖西路十3号"), "太湖西路13号");
        assert_eq!(normalize("二十5岁"), "25岁");
        assert_eq!(
            normalize("延陵东路八十七号五幢三零二室"),
            "延陵东路87号5幢302室"
        );
        assert_eq!(normalize("昨天晚上十点左右"), "昨天晚上10点左右");
        assert_eq!(normalize("下午三点半"), "下午3点半");
        assert_eq!(normalize("等了四十分钟了"), "等了40分钟了");
        assert_eq!(normalize("打了三次电话"), "打了3次电话");
        assert_eq!(normalize("三十岁左右"), "30岁左右");
    }

    #[test]
    fn words_that_only_look_like_numbers_stay() {
        assert_eq!(normalize("一个穿黑衣服"), "一个穿黑衣服");
        assert_eq!(normalize("快一点来"), "快一点来");
        assert_eq!(normalize("两个男的"), "两个男的");
        assert_eq!(normalize("我想问一下"), "我想问一下");
    }

    #[test]
    fn traditional_becomes_simplified() {
        assert_eq!(normalize("電話號碼是幺三九"), "电话号码是139");
    }

    #[test]
    fn numerals() {
        assert_eq!(numeral("二十三"), Some(23));
        assert_eq!(numeral("十"), Some(10));
        assert_eq!(numeral("十五"), Some(15));
        assert_eq!(numeral("两千"), Some(2000));
        assert_eq!(numeral("一百零五"), Some(105));
    }
}
