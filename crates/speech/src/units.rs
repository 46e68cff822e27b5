//! A building's or house's number and unit heard as words that sound like
//! them: 清潭新村时三床 is 清潭新村13幢 (时 for 十, 床 for 幢), 北大街64红 is
//! 北大街64号. Read only right after a compound's or a road's kind, where
//! a number and its unit are what a caller says next.
//!
//! Written from the dev part of the spoken utterances and two batches of
//! spoken places (`tests/fixtures/speech-tts/make.py places`); measured on
//! held-out parts (the README gives the figures).

use crate::normalize::numerals_before_units;
use crate::sounds::{standard, standards};

/// What a number follows: a compound's kind (its buildings: 幢, 栋, 号) or
/// a road's (its houses: 号).
const COMPOUNDS: [&str; 7] = ["小区", "家园", "新城", "公寓", "村", "苑", "园"];
const ROADS: [&str; 6] = ["大道", "路", "街", "道", "巷", "弄"];

/// Characters of a number: numerals and digits.
fn literal(c: char) -> bool {
    c.is_ascii_digit() || "零一二两三四五六七八九十百".contains(c)
}

/// The numeral `c` is, or sounds like to a standard ear (时 for 十). Not
/// with the Jiangsu mergers, under which 十 would be 四.
fn numeral(c: char) -> Option<char> {
    if literal(c) {
        return Some(c);
    }
    Some(match standard(c)? {
        "ling" => '零',
        "yi" => '一',
        "er" => '二',
        "san" => '三',
        "si" => '四',
        "wu" => '五',
        "liu" => '六',
        "qi" => '七',
        "ba" => '八',
        "jiu" => '九',
        "shi" => '十',
        "bai" => '百',
        _ => return None,
    })
}

/// How sure a heard character is a unit: its own sound (床 chuang for 幢)
/// or only a nearby one (场 chang, 城 cheng). A nearby one counts only after
/// a number with a numeral written as such, and not as a measure word
/// after a lone 一 or 两 (一场, 两张, 一串).
#[derive(Clone, Copy, PartialEq)]
enum Sure {
    Sound,
    Near,
}

/// The unit `c` is heard as after a compound (`building`) or a road.
fn unit(c: char, building: bool) -> Option<(char, Sure)> {
    if "幢栋号".contains(c) {
        return Some((c, Sure::Sound));
    }
    let s = standard(c)?;
    // 号 hao heard as 后, 红, 横, 行 (hang): its initial kept, the rest lost.
    let house = match s {
        "hao" => Some(Sure::Sound),
        // A conjunction after a number joins it to another (3和5号).
        _ if "和或还".contains(c) => None,
        _ if standards(c).iter().any(|r| r.starts_with('h')) => Some(Sure::Near),
        _ => None,
    };
    if !building {
        return house.map(|sure| ('号', sure));
    }
    match s {
        "zhuang" | "chuang" => Some(('幢', Sure::Sound)),
        "chang" | "cheng" | "zhang" | "chuan" => Some(('幢', Sure::Near)),
        "dong" => Some(('栋', Sure::Sound)),
        _ => house.map(|sure| ('号', sure)),
    }
}

/// `clause` with each number-and-unit heard after a compound or a road
/// written as one (numerals as digits).
pub(crate) fn units_by_sound(clause: &str) -> String {
    let mut chars: Vec<char> = clause.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let head = &chars[..=i];
        let building = COMPOUNDS.iter().any(|k| ends_with(head, k));
        if building || ROADS.iter().any(|k| ends_with(head, k)) {
            rewrite(&mut chars, i + 1, building);
        }
        i += 1;
    }
    numerals_before_units(&chars.into_iter().collect::<String>())
}

fn ends_with(head: &[char], kind: &str) -> bool {
    let n = kind.chars().count();
    head.len() >= n && head[head.len() - n..].iter().copied().eq(kind.chars())
}

/// The number starting at `from`, if a unit follows it, written.
fn rewrite(chars: &mut [char], from: usize, building: bool) {
    let end = (from..chars.len().min(from + 4))
        .find(|&k| numeral(chars[k]).is_none())
        .unwrap_or(chars.len().min(from + 4));
    if end == from {
        return;
    }
    let Some(&heard) = chars.get(end) else {
        return;
    };
    let Some((u, sure)) = unit(heard, building) else {
        return;
    };
    let number = &chars[from..end];
    let written = number.iter().any(|c| literal(*c));
    let measure = matches!(number, ['一' | '两']) && "场张串".contains(heard);
    // 后面, 后边: behind the number, not its unit.
    let behind = heard == '后' && chars.get(end + 1).is_some_and(|c| "面边头".contains(*c));
    if behind || (sure == Sure::Near && (!written || measure)) {
        return;
    }
    for c in &mut chars[from..end] {
        *c = numeral(*c).expect("a numeral");
    }
    chars[end] = u;
}

#[cfg(test)]
mod tests {
    use super::units_by_sound as u;

    #[test]
    fn a_number_and_unit_heard_as_words_alike() {
        assert_eq!(u("丽华新村时一场"), "丽华新村11幢");
        assert_eq!(u("丽华新村市闯来"), "丽华新村10幢来");
        assert_eq!(u("勤业新村三十城"), "勤业新村30幢");
        assert_eq!(u("红梅新村23床"), "红梅新村23幢");
        assert_eq!(u("北大街64红"), "北大街64号");
        assert_eq!(u("延陵东路81后，这边"), "延陵东路81号，这边");
        assert_eq!(u("人民西路106横"), "人民西路106号");
        assert_eq!(u("勤业新村一城"), "勤业新村1幢");
    }

    #[test]
    fn words_that_are_not_a_unit_stay() {
        for t in [
            "红梅新村市场",
            "红梅新村一场大火",
            "人民路88后面",
            "红梅新村是吧",
            "走到路口",
        ] {
            assert_eq!(u(t), t);
        }
    }
}
