//! From what a recogniser writes to what a call-taker would type.
//!
//! - Traditional characters that Whisper sometimes writes for Mandarin are
//!   mapped to simplified (a table of the characters of police calls, not a
//!   general converter).
//! - Spoken numbers: "幺幺零" → 110; digits read one by one ("一三八…",
//!   "幺", "洞") → digits; numerals before a unit ("二十三号", "十点",
//!   "四十分钟") → digits; separators inside digit runs ("159,6123,4567",
//!   "138-1234-5678") dropped.

use std::sync::OnceLock;

use regex::Regex;

/// Traditional → simplified for the words of a 110 call.
const TRADITIONAL: &[(char, char)] = &[
    ('電', '电'),
    ('話', '话'),
    ('號', '号'),
    ('車', '车'),
    ('門', '门'),
    ('區', '区'),
    ('們', '们'),
    ('來', '来'),
    ('這', '这'),
    ('個', '个'),
    ('說', '说'),
    ('時', '时'),
    ('間', '间'),
    ('點', '点'),
    ('報', '报'),
    ('裡', '里'),
    ('麼', '么'),
    ('還', '还'),
    ('沒', '没'),
    ('後', '后'),
    ('對', '对'),
    ('為', '为'),
    ('會', '会'),
    ('應', '应'),
    ('該', '该'),
    ('東', '东'),
    ('長', '长'),
    ('開', '开'),
    ('關', '关'),
    ('嗎', '吗'),
    ('發', '发'),
    ('現', '现'),
    ('見', '见'),
    ('們', '们'),
    ('給', '给'),
    ('讓', '让'),
    ('過', '过'),
    ('邊', '边'),
    ('錢', '钱'),
    ('帶', '带'),
    ('幫', '帮'),
    ('請', '请'),
    ('問', '问'),
    ('處', '处'),
    ('員', '员'),
    ('樓', '楼'),
    ('層', '层'),
    ('廣', '广'),
    ('場', '场'),
    ('園', '园'),
    ('學', '学'),
    ('醫', '医'),
    ('院', '院'),
    ('傷', '伤'),
    ('血', '血'),
    ('搶', '抢'),
    ('偷', '偷'),
    ('盜', '盗'),
    ('殺', '杀'),
    ('刀', '刀'),
    ('槍', '枪'),
    ('撞', '撞'),
    ('輛', '辆'),
    ('機', '机'),
    ('手', '手'),
    ('鐘', '钟'),
    ('鍾', '钟'),
    ('華', '华'),
    ('國', '国'),
    ('陽', '阳'),
    ('龍', '龙'),
    ('橋', '桥'),
    ('灣', '湾'),
    ('鎮', '镇'),
    ('縣', '县'),
    ('鄉', '乡'),
    ('村', '村'),
    ('廳', '厅'),
    ('館', '馆'),
    ('藥', '药'),
    ('農', '农'),
    ('救', '救'),
    ('訴', '诉'),
    ('訊', '讯'),
    ('補', '补'),
    ('辦', '办'),
    ('證', '证'),
    ('丟', '丢'),
    ('戶', '户'),
    ('雙', '双'),
    ('兩', '两'),
    ('幾', '几'),
    ('萬', '万'),
    ('塊', '块'),
    ('歲', '岁'),
    ('親', '亲'),
    ('媽', '妈'),
    ('爺', '爷'),
    ('孫', '孙'),
    ('鬧', '闹'),
    ('嚇', '吓'),
    ('聽', '听'),
    ('別', '别'),
    ('緊', '紧'),
    ('張', '张'),
    ('慢', '慢'),
    ('講', '讲'),
    ('語', '语'),
    ('趕', '赶'),
    ('氣', '气'),
    ('燒', '烧'),
    ('煙', '烟'),
    ('經', '经'),
    ('無', '无'),
    ('與', '与'),
    ('從', '从'),
    ('當', '当'),
    ('實', '实'),
    ('設', '设'),
    ('裝', '装'),
    ('修', '修'),
    ('吵', '吵'),
    ('鬥', '斗'),
    ('動', '动'),
    ('約', '约'),
    ('紅', '红'),
    ('綠', '绿'),
    ('藍', '蓝'),
    ('黃', '黄'),
    ('黑', '黑'),
    ('白', '白'),
    ('衣', '衣'),
    ('褲', '裤'),
    ('頭', '头'),
    ('髮', '发'),
    ('臉', '脸'),
    ('蘇', '苏'),
    ('滬', '沪'),
    ('魯', '鲁'),
    ('皖', '皖'),
    ('贛', '赣'),
    ('閩', '闽'),
    ('粵', '粤'),
    ('貴', '贵'),
    ('碼', '码'),
    ('襯', '衬'),
    ('遼', '辽'),
    ('陝', '陕'),
    ('甘', '甘'),
    ('寧', '宁'),
    ('瓊', '琼'),
    ('渝', '渝'),
    ('冀', '冀'),
];

pub fn to_simplified(text: &str) -> String {
    text.chars()
        .map(|c| {
            TRADITIONAL
                .iter()
                .find(|(t, _)| *t == c)
                .map_or(c, |(_, s)| *s)
        })
        .collect()
}

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
        r"[零〇洞一幺腰二两三四五六七八九0-9](?:[\s,，\-—、.]?[零〇洞一幺腰二两三四五六七八九0-9]){2,}",
    );
    run.replace_all(text, |m: &regex::Captures<'_>| {
        let s = &m[0];
        // Three or more digits: 一个, 一下, 两个 never reach three.
        s.chars().filter_map(digit_of).collect::<String>()
    })
    .into_owned()
}

/// Numerals before a unit: 二十三号 → 23号, 十点 → 10点, 四十分钟 → 40分钟.
pub(crate) fn numerals_before_units(text: &str) -> String {
    static UNIT: OnceLock<Regex> = OnceLock::new();
    let re = regex(
        &UNIT,
        r"(^|[^快慢好早晚多少大小有近远轻重差])([零一二两三四五六七八九十百千]+)(号|点|分钟|分|岁|个小时|小时|楼|层|栋|幢|单元|室|次|元|块|辆|名|个人|天)",
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
/// as ASCII, the way a call-taker types them.
fn half_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
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
        assert_eq!(normalize("電話號碼"), "电话号码");
        assert_eq!(to_simplified("還沒有人來"), "还没有人来");
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
