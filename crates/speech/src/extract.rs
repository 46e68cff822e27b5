//! Suggestions from one utterance: phone numbers, vehicle plates, time
//! expressions, places, and hints at the caller's situation. Each works on
//! the normalised text ([`crate::normalize`]), so "幺三八…" and "138-…" and
//! "苏蒂88367" all come out in the form a call-taker would type.

use std::sync::OnceLock;

use regex::Regex;

use crate::normalize::{normalize, regex};
use crate::places::{Places, CLAUSE_ENDS};

pub use jiejing_core::Suggestions;

/// Mobile numbers (1[3-9] + 9 digits) and landlines (0 + area code +
/// number, 10–12 digits); a 7–8 digit local number only right after a
/// word that announces a number.
fn phones(t: &str) -> Vec<String> {
    static RUN: OnceLock<Regex> = OnceLock::new();
    let run = regex(&RUN, r"\d+");
    let mut out = Vec::new();
    for m in run.find_iter(t) {
        let d = m.as_str();
        let before: String = t[..m.start()]
            .chars()
            .rev()
            .take(6)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let announced = ["电话", "手机", "号码", "联系"]
            .iter()
            .any(|w| before.contains(w));
        let mobile = d.len() == 11 && d.starts_with('1') && matches!(d.as_bytes()[1], b'3'..=b'9');
        // With its area code: 11 digits for 010 and the 02x cities, 12 for
        // the others (0519 and eight). A landline a digit short or long
        // is a digit misheard, not one to offer.
        let landline = d.starts_with('0') && d.len() == crate::sounds::phone_length(d);
        let local = (7..=8).contains(&d.len()) && announced && !d.starts_with('0');
        if (mobile || landline || local) && !out.iter().any(|x: &String| x == d) {
            out.push(d.to_string());
        }
    }
    out
}

/// Province abbreviations, and what a recogniser writes for 苏 (this is a
/// Jiangsu desk) and a few others.
const PROVINCES: &[(&str, &str)] = &[
    ("苏", "苏|塑|速|素|诉|宿|酥|肃"),
    ("浙", "浙|这"),
    ("沪", "沪|户|护"),
    ("皖", "皖|晚|碗"),
    ("鲁", "鲁"),
    ("京", "京|精|经"),
    ("津", "津"),
    ("渝", "渝"),
    ("冀", "冀"),
    ("豫", "豫"),
    ("云", "云"),
    ("辽", "辽"),
    ("黑", "黑"),
    ("湘", "湘"),
    ("新", "新"),
    ("赣", "赣"),
    ("鄂", "鄂"),
    ("桂", "桂"),
    ("甘", "甘"),
    ("晋", "晋"),
    ("蒙", "蒙"),
    ("陕", "陕"),
    ("吉", "吉"),
    ("闽", "闽"),
    ("贵", "贵"),
    ("粤", "粤"),
    ("青", "青"),
    ("藏", "藏"),
    ("川", "川"),
    ("宁", "宁"),
    ("琼", "琼"),
];

/// Letter names as Mandarin speakers say them, as a recogniser writes them.
const LETTERS: &[(char, &str)] = &[
    ('A', "诶|欸|哎"),
    ('B', "比|必|逼|币"),
    ('C', "西|希|细"),
    ('D', "滴|低|蒂|地|迪|第|弟|帝|的"),
    ('E', "伊|衣"),
    ('F', "艾夫|爱夫"),
    ('G', "鸡|基|机"),
    ('H', "艾尺|爱取"),
    ('J', "杰|街|节"),
    ('K', "开|卡|凯"),
    ('L', "艾勒|爱偶"),
    ('M', "艾姆|爱姆"),
    ('N', "恩|嗯"),
    ('P', "批|皮|屁"),
    ('Q', "丘|秋|求"),
    ('R', "阿尔"),
    ('S', "艾斯|爱死"),
    ('T', "踢|替|提"),
    ('U', "优|悠"),
    ('V', "微|维"),
    ('W', "达不溜"),
    ('X', "艾克斯"),
    ('Y', "歪|外"),
    ('Z', "贼|资"),
];

/// The province a character is, as written or as a recogniser writes it:
/// the table above, or any character a standard speaker says the same (着
/// for 浙, 路 for 鲁). Not by the Jiangsu mergers: 京 and 津 would meet.
fn province_of(c: &str) -> Option<&'static str> {
    PROVINCES
        .iter()
        .find(|p| p.1.split('|').any(|h| h == c))
        .or_else(|| {
            let said = c.chars().next().and_then(crate::sounds::standard)?;
            PROVINCES
                .iter()
                .find(|p| p.0.chars().next().and_then(crate::sounds::standard) == Some(said))
        })
        .map(|p| p.0)
}

/// A province (or what sounds like it), a letter (or its name), then five
/// or six letters and digits (six: new-energy plates).
fn plates(t: &str) -> Vec<String> {
    static PLATE: OnceLock<Regex> = OnceLock::new();
    let re = PLATE.get_or_init(|| {
        let letters: Vec<&str> = LETTERS.iter().map(|l| l.1).collect();
        Regex::new(&format!(
            r"(\p{{Han}})\s*([A-Za-z]|{})\s*([A-Za-z0-9\p{{Han}}]{{5,6}})",
            letters.join("|")
        ))
        .expect("a valid pattern")
    });
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(c) = re.captures_at(t, from) {
        let whole = c.get(0).expect("the whole match");
        // Not a province: look again from the next character.
        let Some(prov) = province_of(&c[1]) else {
            from = whole.start() + c[1].len();
            continue;
        };
        from = whole.end();
        let letter = c[2]
            .chars()
            .next()
            .filter(char::is_ascii_alphabetic)
            .map(|l| l.to_ascii_uppercase())
            .or_else(|| {
                LETTERS
                    .iter()
                    .find(|l| l.1.split('|').any(|h| h == &c[2]))
                    .map(|l| l.0)
            });
        let Some(rest) = plate_rest(&t[c.get(3).map_or(0, |m| m.start())..]) else {
            continue;
        };
        if t[c.get(3).map_or(0, |m| m.start())..]
            .chars()
            .nth(rest.chars().count())
            .is_some_and(|ch| ch.is_ascii_alphanumeric())
        {
            continue; // more letters or digits than a plate has
        }
        // Real plates carry digits; five letters after a letter are a word.
        let issued = |l: &char| !matches!(l, 'I' | 'O');
        if let Some(letter) = letter
            .filter(issued)
            .filter(|_| rest.chars().any(|ch| ch.is_ascii_digit()))
        {
            let plate = format!("{prov}{letter}{rest}");
            if !out.contains(&plate) {
                out.push(plate);
            }
        }
    }
    out
}

/// The characters after a plate's letter (`said`: the text from there):
/// five, or six for a new-energy plate (D or F first). Digits a recogniser
/// wrote as words or homophones are read by sound (at most two
/// homophones); anything else ends it.
fn plate_rest(said: &str) -> Option<String> {
    let mut rest = String::new();
    // Whether each character was a homophone (武 for 五), not a digit.
    let mut homophone = Vec::new();
    for c in said.chars().take(6) {
        let ch = if c.is_ascii_alphanumeric() {
            c.to_ascii_uppercase()
        } else if let Some(d) = crate::sounds::sounds_like_digit(c) {
            d
        } else {
            break;
        };
        homophone.push(!c.is_ascii_alphanumeric() && crate::normalize::digit_of(c).is_none());
        rest.push(ch);
    }
    if rest.len() == 6 && !rest.starts_with(['D', 'F']) {
        rest.pop(); // a sixth character belongs to what follows (…武器已经)
        homophone.pop();
    }
    if homophone.iter().filter(|h| **h).count() > 2 || rest.len() < 5 {
        return None;
    }
    // A homophone last (京K0387已经跑了: 京K03287 with a digit lost, not
    // 京K03871).
    let n = rest.chars().count();
    let mut heard = said.chars().skip(n - 1);
    if homophone.last() == Some(&true)
        && !crate::sounds::ends_a_number(heard.next().unwrap_or(' '), heard.next())
    {
        return None;
    }
    // Plates never carry I or O (they read as 1 and 0), and a serial has
    // at most two letters (GA 36): anything else was misheard, and a wrong
    // plate costs more than one not offered.
    let serial = rest
        .strip_prefix(['D', 'F'])
        .filter(|s| s.len() == 5)
        .unwrap_or(&rest);
    let letters = serial.chars().filter(char::is_ascii_alphabetic).count();
    (letters <= 2 && !rest.contains(['I', 'O'])).then_some(rest)
}

/// Times: a day word, a part of the day and/or a clock time, with 左右;
/// or "N 分钟/小时 前".
fn times(t: &str) -> Vec<String> {
    static WHEN: OnceLock<Regex> = OnceLock::new();
    let re = regex(
        &WHEN,
        // "… ago" first: the other alternative, all optional, would match
        // the empty string at the same place and win.
        r"(?:(?:\d+|半|几|一)个?多?(?:小时|分钟|天)(?:以前|之前|前))|(?:(今天|昨天|前天|明天|刚才|刚刚|天天|每天|今晚|昨晚)?(早上|上午|中午|下午|傍晚|晚上|夜里|半夜|凌晨)?(\d{1,2}点(?:\d{1,2}分|半|一刻|多)?)?(左右)?)",
    );
    re.find_iter(t)
        .map(|m| m.as_str())
        .filter(|s| !s.is_empty() && *s != "左右")
        .map(str::to_string)
        .collect()
}

/// Clauses that name an injury (for 何果) or a weapon (for 何物), as said:
/// "有一个人受伤了", "好像有人拿着刀". The call-taker trims them if wanted.
fn clauses(t: &str, re: &Regex) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for clause in t.split(CLAUSE_ENDS) {
        let clause = clause.trim().trim_start_matches(['喂', '嗯', '啊']);
        if re.is_match(clause) && !out.iter().any(|c| c == clause) {
            out.push(clause.to_string());
        }
    }
    out
}

fn injuries(t: &str) -> Vec<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = regex(
        &RE,
        r"受伤|受了?伤|流血|出血|骨折|昏迷|晕倒|晕过去|不省人事|打破了|打伤|砍伤|捅伤|刺伤|撞伤|烧伤|烫伤|死了|死亡|没气了|没有呼吸|喝了农药|服毒",
    );
    clauses(t, re)
}

fn weapons(t: &str) -> Vec<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = regex(
        &RE,
        r"刀|枪|匕首|棍|棒球棒|斧|锤子|砖头|钢管|铁管|酒瓶|啤酒瓶|硫酸",
    );
    clauses(t, re)
}

/// Everything one utterance offers. `greeting`: the station's greeting,
/// when the utterance is the call-taker's (see [`crate::greeting`]);
/// `places`: the station's gazetteer ([`Places::of`]) heard places are
/// snapped to; `doubt`:
/// pieces the recogniser was unsure of ([`crate::Segment::doubt`]). A
/// wrong street typed into 何地 costs more than one not offered, so a place
/// with a doubtful character no gazetteer entry vouches for is left out;
/// phone numbers and plates are normalised from what was heard (a plate
/// letter is often a doubtful syllable), so doubt does not touch them.
pub fn suggest(
    text: &str,
    greeting: Option<&str>,
    places: &Places,
    doubt: &[String],
) -> Suggestions {
    let t = normalize(text);
    let greeted = greeting.is_some_and(|g| crate::greeting::matches(text, g));
    Suggestions {
        phone: phones(&t),
        plate: plates(&t),
        when: times(&t),
        place: crate::places::places(&t, places, doubt),
        injury: injuries(&t),
        weapon: weapons(&t),
        situation: if greeted {
            Some("greeting")
        } else {
            crate::situation::hint(&t)
        }
        .into_iter()
        .map(str::to_string)
        .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Suggestions {
        suggest(
            text,
            None,
            &Places::of(&jiejing_core::Gazetteer::builtin()),
            &[],
        )
    }

    #[test]
    fn phone_numbers_in_every_spelling() {
        assert_eq!(s("我叫王建国，电话是13812345678。").phone, ["13812345678"]);
        assert_eq!(s("电话是幺三八幺二三四五六七八").phone, ["13812345678"]);
        assert_eq!(s("手机159,6123,4567").phone, ["15961234567"]);
        assert_eq!(s("打138-1234-5678找我").phone, ["13812345678"]);
        assert_eq!(s("座机0519-86681234").phone, ["051986681234"]);
        assert_eq!(s("电话是8668 1234").phone, ["86681234"]);
        // Not phone numbers: a plate's digits, money, a house number, 110.
        assert!(s("损失大概两千元，门牌88367号，打了110").phone.is_empty());
        assert!(
            s("12345678").phone.is_empty(),
            "eight digits nobody announced"
        );
        assert!(s("12812345678").phone.is_empty(), "no mobile starts 12");
        assert_eq!(s("座机010-12345678").phone, ["01012345678"]);
        assert!(
            s("电话是05196030730").phone.is_empty(),
            "0519 and seven digits: one was lost"
        );
    }

    #[test]
    fn plates_with_homophones_and_letter_names() {
        assert_eq!(s("车牌号是苏D88367，白色的宝马").plate, ["苏D88367"]);
        for heard in [
            "苏蒂88367",
            "塑低88367",
            "塑地八八三六七",
            "苏滴 8 8 3 6 7",
            "苏d88367",
        ] {
            assert_eq!(s(heard).plate, ["苏D88367"], "{heard}");
        }
        assert_eq!(s("浙A12345和沪B9K888").plate, ["浙A12345", "沪B9K888"]);
        assert_eq!(s("新能源苏DF12345").plate, ["苏DF12345"]);
        assert!(s("苏州很好玩").plate.is_empty());
        assert!(
            s("速度ABCDE").plate.is_empty(),
            "letters only is not a plate"
        );
        // Never issued: I or O anywhere, three letters in the serial.
        for misheard in ["苏O88367", "苏D8O367", "苏DI8367", "苏DAB3C7"] {
            assert!(s(misheard).plate.is_empty(), "{misheard}");
        }
        assert_eq!(s("苏DAB367").plate, ["苏DAB367"]);
        // Two homophones in the plate, ending the caller's words.
        assert_eq!(s("撞我的车是着G885武器。已经跑了").plate, ["浙G88557"]);
        // A homophone last, run on into a word, may be that word's: a
        // plate a digit short is not completed with it.
        for short in [
            "撞我的车试着G885武器已经跑了",
            "京K0387已经跑了",
            "苏D8836是白色的",
        ] {
            assert!(s(short).plate.is_empty(), "{short}");
        }
    }

    #[test]
    fn times_of_day_and_ago() {
        assert_eq!(
            s("大概是昨天晚上十点左右发现不见的").when,
            ["昨天晚上10点左右"]
        );
        assert_eq!(
            s("事情发生在今天下午三点半左右").when,
            ["今天下午3点半左右"]
        );
        assert_eq!(s("天天早上七点就开始").when, ["天天早上7点"]);
        assert_eq!(s("半个小时前他走了").when, ["半个小时前"]);
        assert_eq!(s("二十分钟前").when, ["20分钟前"]);
        assert_eq!(s("刚才有人敲门").when, ["刚才"]);
        assert_eq!(s("凌晨两点多").when, ["凌晨2点多"]);
        assert!(s("三十岁左右，等了四十分钟了").when.is_empty());
    }

    #[test]
    fn injuries_and_weapons_as_said() {
        let r = s("前面高架上两辆车追尾了，有一个人受伤了。");
        assert_eq!(r.injury, ["有一个人受伤了"]);
        assert_eq!(
            s("我头上被打破了，在流血。").injury,
            ["我头上被打破了", "在流血"]
        );
        assert_eq!(s("我老婆喝了农药，快来救救她！").injury, ["我老婆喝了农药"]);
        assert_eq!(
            s("有人在楼下打架，好像有人拿着刀。").weapon,
            ["好像有人拿着刀"]
        );
        assert_eq!(
            s("他手里有根铁棍，还有酒瓶").weapon,
            ["他手里有根铁棍", "还有酒瓶"]
        );
        // Not injuries or weapons: words that only look like them.
        let calm = s("对方把我的手机抢走了，没有人受到影响，刀削面很好吃吗");
        assert!(calm.injury.is_empty(), "{calm:?}");
        assert_eq!(
            calm.weapon,
            ["刀削面很好吃吗"],
            "a known false hit: 刀 in a dish"
        );
    }

    #[test]
    fn situations() {
        let sit = |t: &str| s(t).situation;
        assert_eq!(sit("有人在楼下打架，好像有人拿着刀。"), ["emergency"]);
        assert_eq!(sit("我已经等了四十分钟了，怎么还没有人来？"), ["urging"]);
        assert_eq!(sit("你们到底来不来？我已经打了三次电话了！"), ["urging"]);
        assert_eq!(sit("我想问一下，身份证丢了去哪里补办？"), ["consultation"]);
        assert_eq!(sit("我要投诉你们派出所的民警"), ["complaint"]);
        assert_eq!(sit("你们警察是干什么吃的"), ["rude"]);
        assert_eq!(sit("我好害怕，不知道怎么办"), ["panicked"]);
        // The call-taker's own lines answer a situation; they never raise one.
        assert!(sit("请注意语言文明。").is_empty());
        assert!(sit("请别紧张，慢慢讲清楚。").is_empty());
        assert!(sit("你好，常州110，请问有什么可以帮您").is_empty());
        assert_eq!(sit("喂，110吗？我要报警"), ["report"]);
        assert!(sit("是一辆蓝色的雅迪电动车。").is_empty());
        assert_eq!(
            suggest(
                "你好，常州幺幺零，请讲",
                Some("你好，常州110"),
                &Places::of(&jiejing_core::Gazetteer::builtin()),
                &[]
            )
            .situation,
            ["greeting"]
        );
    }
}
