//! Places in what a caller said, snapped to the station's gazetteer.
//!
//! A recogniser writes a street it does not know as whatever sounds alike
//! (龙警路 for 龙锦路, 中楼去南大加 for 钟楼区南大街). So a clause is read by
//! sound: a run of characters that sounds like an entry (every reading of
//! a character, with the Jiangsu mergers of [`crate::sounds::syllable`];
//! or a near miss, see [`Match::Near`]) is that entry, written as the
//! gazetteer writes it. A clause offers a place when it names an entry, or
//! when it holds a house number together with a road or compound the
//! gazetteer does not list; a clause that merely ends in 路 (走错路了, 路上)
//! offers nothing. A character the recogniser was unsure of spoils the
//! place only where no entry vouches for it.
//!
//! Written from the dev seeds of `tests/places.rs` (with the sample and
//! with 5,000 more roads), the 24 dev clips and the dev part of the spoken
//! utterances (`tests/whisper_tts.rs`); measured on the held-out parts.

use std::collections::HashMap;
use std::sync::OnceLock;

use jiejing_core::{Gazetteer, PlaceKind};
use regex::Regex;

use crate::normalize::{normalize, regex};
use crate::sounds::{initial, standard, syllables};
use crate::units::units_by_sound;

/// Syllables of an entry that may be alike only through a rarer reading
/// or only by their initial ([`Match::Near`]).
const NEAR_MAX: usize = 1;

/// Characters between two parts of one place (太湖路**和**龙锦路,
/// 路口**的超市**门口); a longer stretch is the rest of the sentence.
const GAP_MAX: usize = 4;

/// What joins two roads at a junction (太湖路和龙锦路路口, 太湖路、龙锦路路口).
const JOINS: &str = "和与跟同及、";

/// What ends a clause, full-width or ASCII.
pub(crate) const CLAUSE_ENDS: [char; 10] = ['，', '。', '！', '？', '；', ',', '.', '!', '?', ';'];

/// The station's gazetteer made ready to listen for: every name's
/// readings worked out once, not per utterance (a city's 5,000 roads take
/// milliseconds).
pub struct Places {
    names: Vec<Name>,
    /// Which names begin with a syllable of each initial (any reading):
    /// only those can match where a character of that initial was heard.
    by_initial: HashMap<String, Vec<usize>>,
    /// Names whose first character has no reading (a digit): by their
    /// characters only, wherever heard.
    unread: Vec<usize>,
}

impl Places {
    pub fn of(g: &Gazetteer) -> Places {
        let names = names(g);
        let mut by_initial: HashMap<String, Vec<usize>> = HashMap::new();
        let mut unread = Vec::new();
        for (k, n) in names.iter().enumerate() {
            let first = &n.sounds[0];
            if first.is_empty() {
                unread.push(k);
            }
            let mut initials: Vec<&str> = first.iter().map(|s| initial(s)).collect();
            initials.dedup();
            for i in initials {
                let bucket = by_initial.entry(i.to_string()).or_default();
                if bucket.last() != Some(&k) {
                    bucket.push(k);
                }
            }
        }
        Places {
            names,
            by_initial,
            unread,
        }
    }

    /// The names that may match from a character heard as `readings`
    /// (ascending, so longest first).
    fn starting(&self, readings: &[String]) -> Vec<usize> {
        let mut out = self.unread.clone();
        for r in readings {
            out.extend(self.by_initial.get(initial(r)).into_iter().flatten());
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// One name to listen for, as characters and as syllables.
struct Name {
    chars: Vec<char>,
    /// Each character's readings.
    sounds: Vec<Vec<String>>,
    /// What it vouches for: the city itself is a place only with a
    /// district, road … after it; a district or town is an area, which a
    /// recogniser's comma may part from the street that follows
    /// (新北区，太湖中路88号).
    vouch: Vouch,
}

/// What vouches for a character of a clause.
#[derive(Clone, Copy, PartialEq)]
enum Vouch {
    No,
    City,
    Area,
    Entry,
}

/// The gazetteer's names, the city's (常州, 常州市), and each road also
/// without its direction (太湖中路 is said 太湖路), longest first so 太湖中路
/// wins over 太湖路.
fn names(g: &Gazetteer) -> Vec<Name> {
    let mut written: Vec<(String, Vouch)> = vec![
        (g.city.clone(), Vouch::City),
        (format!("{}市", g.city), Vouch::City),
    ];
    for p in &g.places {
        let area = matches!(p.kind, PlaceKind::District | PlaceKind::Town);
        written.push((
            p.name.clone(),
            if area { Vouch::Area } else { Vouch::Entry },
        ));
        let stem = p.name.strip_suffix('路').unwrap_or_default();
        if p.kind == PlaceKind::Road && stem.chars().count() >= 3 {
            if let Some(base) = stem.strip_suffix(['东', '西', '南', '北', '中']) {
                written.push((format!("{base}路"), Vouch::Entry));
            }
        }
    }
    let mut out: Vec<Name> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (w, vouch) in written {
        if !seen.insert(w.clone()) {
            continue;
        }
        let chars: Vec<char> = w.chars().collect();
        let sounds = chars.iter().map(|c| syllables(*c)).collect::<Vec<_>>();
        out.push(Name {
            chars,
            sounds,
            vouch,
        });
    }
    out.sort_by_key(|n| std::cmp::Reverse(n.chars.len()));
    out
}

/// How closely heard characters match an entry, best first.
#[derive(Clone, Copy, PartialEq, PartialOrd)]
enum Match {
    /// The entry's own characters.
    Written,
    /// Every syllable alike: the commonest readings, after the mergers.
    Sounds,
    /// At most [`NEAR_MAX`] syllables alike only through a rarer reading
    /// (常 for 长 in 长江) or only by their initial (街 jie, 加 jia), in an
    /// entry of four or more or the last of three; and a character other
    /// than the last (路, 区 …) written right.
    Near,
}

fn matches(heard: &[Vec<String>], chars: &[char], name: &Name) -> Option<Match> {
    if chars == name.chars.as_slice() {
        return Some(Match::Written);
    }
    let (mut near, mut near_at) = (0, 0);
    for (i, (h, s)) in heard.iter().zip(&name.sounds).enumerate() {
        let (Some(h0), Some(s0)) = (h.first(), s.first()) else {
            return None; // not a Chinese character
        };
        if h0 == s0 {
            continue;
        }
        let pairs = || h.iter().flat_map(|a| s.iter().map(move |b| (a, b)));
        if pairs().any(|(a, b)| a == b || (initial(a) == initial(b) && !initial(a).is_empty())) {
            near += 1;
            near_at = i;
        } else {
            return None;
        }
    }
    let n = chars.len();
    let right_char = chars[..n - 1].iter().zip(&name.chars).any(|(a, b)| a == b);
    // A three-character entry has two syllables of name: with one of them
    // only near, too little is left to go on (建设路 is a road of its own,
    // not 建山路 misheard), so only its kind (街, 区 …) may be.
    let where_ok = n >= 4 || near_at == n - 1;
    match near {
        0 => Some(Match::Sounds),
        k if k <= NEAR_MAX && where_ok && right_char => Some(Match::Near),
        _ => None,
    }
}

/// A character's readings; a digit's are its numeral's: a recogniser
/// writes 五 as 5 even where it is 武 (5进区 is 武进区).
fn readings(c: char) -> Vec<String> {
    let numerals = match c {
        '0' => "零洞",
        '1' => "一幺",
        '2' => "二两",
        '3' => "三",
        '4' => "四",
        '5' => "五",
        '6' => "六",
        '7' => "七",
        '8' => "八",
        '9' => "九",
        _ => return syllables(c),
    };
    numerals.chars().flat_map(syllables).collect()
}

/// Of entries that match one stretch equally well, the likelier: more
/// syllables as a standard speaker says them (长姜南陆 is 长江南路, not
/// 长建南路), then more characters as heard. Whisper writes standard
/// Mandarin's homophones; the Jiangsu mergers are the weaker evidence.
fn likeness(heard: &[char], name: &Name) -> (usize, usize) {
    let same = heard
        .iter()
        .zip(&name.chars)
        .filter(|(a, b)| a == b)
        .count();
    let standard_alike = heard
        .iter()
        .zip(&name.chars)
        .filter(|(a, b)| standard(**a).is_some() && standard(**a) == standard(**b))
        .count();
    (standard_alike, same)
}

/// The clause with every entry heard in it written as the gazetteer writes
/// it, and what vouches for each character. Longer entries are taken first
/// (常州火车占 is 常州火车站, not the city 常州); of one length, the closer
/// kind of match first (龙警路 is 龙锦路 by sound before it is 晋陵路 by a
/// near miss), then the likelier entry ([`likeness`]).
fn snap(clause: &[char], places: &Places) -> (Vec<char>, Vec<Vouch>, Vec<(usize, usize)>) {
    let names = &places.names;
    let heard: Vec<Vec<String>> = clause.iter().map(|c| readings(*c)).collect();
    let starting: Vec<Vec<usize>> = heard.iter().map(|h| places.starting(h)).collect();
    let mut fixed = clause.to_vec();
    let mut vouched = vec![Vouch::No; clause.len()];
    let mut placed = Vec::new();
    let mut lengths: Vec<usize> = names.iter().map(|n| n.chars.len()).collect();
    lengths.dedup(); // names are longest first
    for len in lengths.into_iter().filter(|l| *l <= clause.len()) {
        for pass in [Match::Written, Match::Sounds, Match::Near] {
            // (likeness, where, which), the likeliest first.
            let mut found: Vec<((usize, usize), usize, &Name)> = Vec::new();
            for (i, from) in starting.iter().enumerate().take(clause.len() + 1 - len) {
                let at = &clause[i..i + len];
                for name in from
                    .iter()
                    .map(|k| &names[*k])
                    .filter(|n| n.chars.len() == len)
                {
                    if matches(&heard[i..i + len], at, name) == Some(pass) {
                        found.push((likeness(at, name), i, name));
                    }
                }
            }
            found.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            for (_, i, name) in found {
                if vouched[i..i + len].iter().all(|v| *v == Vouch::No) {
                    fixed[i..i + len].copy_from_slice(&name.chars);
                    vouched[i..i + len].fill(name.vouch);
                    placed.push((i, i + len));
                }
            }
        }
    }
    placed.sort_unstable();
    (fixed, vouched, placed)
}

/// Two listed roads before 路口 with nothing or one stray character
/// between them: the 和 of "A和B路口" swallowed or misheard (延陵中路河海西路
/// is 延陵中路和河海西路 …; 怀德南路科延陵中路 is 怀德南路和延陵中路). Only a
/// conjunction stands between two roads at a junction, so it is written.
/// The second road's 路 and 路口's run together (和人民中路口) are parted.
fn junctions(fixed: &mut Vec<char>, vouched: &mut Vec<Vouch>, placed: &[(usize, usize)]) {
    let road = |(_, b): (usize, usize)| matches!(fixed[b - 1], '路' | '街' | '道' | '巷');
    // (where, what) to insert or, for a stray character, write.
    let mut edits: Vec<(usize, char, bool)> = Vec::new();
    for w in placed.windows(2) {
        let (a, b) = (w[0], w[1]);
        let after: String = fixed[b.1..].iter().take(3).collect();
        let gap = b.0.saturating_sub(a.1);
        if b.0 < a.1 || gap > 1 || !road(a) || !road(b) {
            continue;
        }
        let run_together = fixed[b.1 - 1] == '路' && after.starts_with('口');
        // 路口 heard as 露口, 录口: written.
        let alike = after.chars().nth(1) == Some('口')
            && after.chars().next().and_then(standard) == Some("lu");
        if !(after.starts_with("路口") || after.starts_with("交叉口") || run_together || alike)
        {
            continue;
        }
        if run_together {
            edits.push((b.1, '路', true));
        } else if alike {
            edits.push((b.1, '路', false));
        }
        match gap {
            0 => edits.push((a.1, '和', true)),
            _ if !JOINS.contains(fixed[a.1]) => edits.push((a.1, '和', false)),
            _ => {}
        }
    }
    // From the end, so earlier places stay where they are.
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    for (at, c, insert) in edits {
        if insert {
            fixed.insert(at, c);
            vouched.insert(at, Vouch::Entry);
        } else {
            fixed[at] = c;
            vouched[at] = Vouch::Entry;
        }
    }
}

/// Parts of a place the gazetteer need not list: a house number, a
/// building or room; a road, compound or district named by its kind; where
/// at a road.
fn marks(t: &str) -> Vec<(usize, usize, bool)> {
    static MARK: OnceLock<Regex> = OnceLock::new();
    let mark = regex(
        &MARK,
        r"(\d+(?:号|幢|栋|单元|室|楼))|\p{Han}{1,4}?(?:区|县|镇|乡)|[\p{Han}\d]{1,8}?(?:大道|路|街|巷|弄)|\p{Han}{1,6}?(?:小区|新村|村)|路口|门口|广场|大厦|公园|桥(?:下|上)?",
    );
    let chars_before = |b: usize| t[..b].chars().count();
    mark.captures_iter(t)
        .map(|c| {
            let m = c.get(0).expect("the whole match");
            (
                chars_before(m.start()),
                chars_before(m.end()),
                c.get(1).is_some(),
            )
        })
        .collect()
}

/// Where the name of a road or compound the gazetteer does not list
/// begins, given its mark (chars `start..end`): two characters before its
/// kind (建设路, 阳光小区), three with a direction (中山北路). The mark
/// itself starts wherever its pattern first fits (你们快点来建设路).
fn unlisted_start(text: &str, start: usize, end: usize) -> usize {
    let chars: Vec<char> = text.chars().collect();
    let kinds = [
        "大道", "小区", "新村", "路", "街", "巷", "弄", "村", "区", "县", "镇", "乡",
    ];
    let mark: String = chars[start..end].iter().collect();
    let Some(kind) = kinds.iter().find(|k| mark.ends_with(*k)) else {
        return start;
    };
    let before = end - kind.chars().count();
    let direction = before > 0 && "东西南北中".contains(chars[before - 1]);
    before.saturating_sub(2 + usize::from(direction)).max(start)
}

/// Words a caller puts before a place.
fn filler_len(clause: &str) -> usize {
    static FILLER: OnceLock<Regex> = OnceLock::new();
    let filler = regex(
        &FILLER,
        r"^(?:喂|嗯|那个|我们|我家|我|现在|大概|就是|就|地址|位置|事发地点|事情)*(?:是在|是|在|住在|位于|到)?",
    );
    filler
        .find(clause)
        .map_or(0, |m| clause[..m.end()].chars().count())
}

/// Places in `t` (normalised text). `doubt`: pieces the recogniser was
/// unsure of (see [`crate::Segment::doubt`]).
pub(crate) fn places(t: &str, places: &Places, doubt: &[String]) -> Vec<String> {
    let doubt: Vec<Vec<char>> = doubt
        .iter()
        .map(|d| normalize(d).chars().collect())
        .filter(|d: &Vec<char>| !d.is_empty())
        .collect();
    let mut out: Vec<String> = Vec::new();
    // The last clause ended on an area alone: the next may go on from it.
    let mut area_before = false;
    for clause in t.split(CLAUSE_ENDS) {
        let (fixed, vouched) = read(clause.trim(), places);
        let text: String = fixed.iter().collect();
        let went_on = std::mem::take(&mut area_before);
        let Some((start, end)) = span(&text, &vouched) else {
            continue;
        };
        // Half a junction sends a car along the whole road, so it is not
        // offered: the second road of one whose first was not recognised
        // (不爱路和泰山路路口, 不爱录和…, 内疆路合晋陵中路口: 和 heard as any
        // character read he), or the first of one whose second was not
        // (龙城大道河闷江路路口).
        if start >= 2
            && (JOINS.contains(fixed[start - 1]) || standard(fixed[start - 1]) == Some("he"))
            && road_kind(fixed[start - 2])
            && vouched[start - 2] == Vouch::No
        {
            continue;
        }
        let place: String = fixed[start..end].iter().collect();
        if let Some(at) = place.find("路口").or_else(|| place.find("交叉口")) {
            let before = start + place[..at].chars().count();
            if before > start && vouched[before - 1] == Vouch::No {
                continue;
            }
        }
        // An area, and a house number after it whose street was not
        // understood (溧阳市进林中多2号): the area alone is not the place.
        let area_only = vouched[start..end]
            .iter()
            .all(|v| matches!(v, Vouch::Area | Vouch::City));
        if area_only && marks(&text).iter().any(|m| m.2 && m.0 >= end) {
            continue;
        }
        // Where the recogniser was unsure and no entry vouches for it.
        let open: Vec<char> = (start..end)
            .map(|i| {
                if vouched[i] == Vouch::No {
                    fixed[i] // as heard: only vouched characters were fixed
                } else {
                    '\0'
                }
            })
            .collect();
        if doubt
            .iter()
            .any(|d| open.windows(d.len()).any(|w| w == d.as_slice()))
        {
            continue;
        }
        // An area, a pause, then the street (天宁区、衡山路14号): one place.
        let mut place: String = (start..end)
            .filter(|&i| {
                !(fixed[i] == '、'
                    && i > start
                    && matches!(vouched[i - 1], Vouch::Area | Vouch::City))
            })
            .map(|i| fixed[i])
            .collect();
        if went_on && start == 0 {
            place = out.pop().unwrap_or_default() + &place;
        }
        area_before = end == fixed.len()
            && vouched[start..end]
                .iter()
                .all(|v| matches!(v, Vouch::Area | Vouch::City));
        if !out.contains(&place) {
            out.push(place);
        }
    }
    out
}

/// A clause with its entries snapped and its junctions joined, and what
/// vouches for each character. A building's number is read again once its
/// compound is known (红梅星车23床: 红梅新村, so 23幢).
fn read(clause: &str, places: &Places) -> (Vec<char>, Vec<Vouch>) {
    let snapped = |text: &str| {
        let chars: Vec<char> = text.chars().collect();
        let (mut fixed, mut vouched, placed) = snap(&chars, places);
        junctions(&mut fixed, &mut vouched, &placed);
        (fixed, vouched)
    };
    let (fixed, vouched) = snapped(&units_by_sound(clause));
    let text: String = fixed.iter().collect();
    let again = units_by_sound(&text);
    if again == text {
        (fixed, vouched)
    } else {
        snapped(&again)
    }
}

/// A character that is, or sounds like, a road's kind (录 for 路).
fn road_kind(c: char) -> bool {
    "路街道".contains(c) || matches!(standard(c), Some("lu" | "jie" | "dao"))
}

/// Where in a clause (chars) its place is, if it has one.
fn span(text: &str, vouched: &[Vouch]) -> Option<(usize, usize)> {
    // Parts: entries heard (runs of one kind of vouching) and marks.
    let mut parts: Vec<(usize, usize, Vouch)> = Vec::new();
    let mut i = 0;
    while i < vouched.len() {
        let (s, v) = (i, vouched[i]);
        while i < vouched.len() && vouched[i] == v {
            i += 1;
        }
        if v != Vouch::No {
            parts.push((s, i, v));
        }
    }
    let marks = marks(text);
    let numbered = marks.iter().any(|m| m.2);
    let street = marks.iter().any(|m| !m.2);
    let first = parts
        .iter()
        .position(|p| matches!(p.2, Vouch::Entry | Vouch::Area));
    let start = match first {
        // The city said right before it belongs to it (常州市新北区…).
        Some(k) if k > 0 && parts[k - 1].1 == parts[k].0 => parts[k - 1].0,
        Some(k) => parts[k].0,
        None if numbered && street => {
            let first = marks.iter().find(|m| !m.2).expect("a street mark");
            filler_len(text).max(unlisted_start(text, first.0, first.1))
        }
        None => return None,
    };
    let mut spans: Vec<(usize, usize)> = parts.iter().map(|p| (p.0, p.1)).collect();
    spans.extend(marks.iter().map(|m| (m.0.max(start), m.1)));
    spans.retain(|p| p.1 > start);
    spans.sort_unstable();
    // From the start, as far as the parts run on with short gaps.
    let mut end = start;
    for (s, e) in spans {
        if s > end + GAP_MAX {
            break;
        }
        end = end.max(e);
    }
    let rest: String = text.chars().skip(end).collect();
    for near in ["附近", "旁边", "对面", "那边", "里面"] {
        if rest.starts_with(near) {
            end += 2;
            break;
        }
    }
    (end > start).then_some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(t: &str) -> Vec<String> {
        places(&normalize(t), &Places::of(&Gazetteer::builtin()), &[])
    }

    #[test]
    fn entries_heard_by_sound_are_written_as_listed() {
        assert_eq!(
            p("就在新北区太湖路和龙警路路口的超市门口。"),
            ["新北区太湖路和龙锦路路口的超市门口"]
        );
        assert_eq!(p("地址是中楼去南大加二十三号。"), ["钟楼区南大街23号"]);
        assert_eq!(p("我住在红梅新村5幢"), ["红梅新村5幢"]);
        // The junction's 和 swallowed or misheard; a building's unit heard
        // as a word that sounds like it.
        for heard in [
            "太湖路龙锦路路口",
            "太湖路科龙锦路路口",
            "太湖路和龙锦路路口",
            "太湖路和龙锦路口",
        ] {
            assert_eq!(p(heard), ["太湖路和龙锦路路口"], "{heard}");
        }
        assert_eq!(p("在红梅新村八窗"), ["红梅新村8幢"]);
        assert!(p("我在不爱路和龙锦路路口").is_empty(), "half a junction");
        assert!(p("我在不爱录和龙锦路路口").is_empty(), "路 heard as 录");
        assert!(p("我在不爱路合龙锦路口").is_empty(), "和 heard as 合");
        // A pause after the district, written.
        assert_eq!(p("地址是天宁区、南大街23号"), ["天宁区南大街23号"]);
        assert!(
            p("在龙锦路河闷江路路口").is_empty(),
            "its second road unknown"
        );
        assert_eq!(p("太湖路和龙锦路露口"), ["太湖路和龙锦路路口"]);
        // A digit written for a name's numeral; a building heard as words
        // once its compound is snapped.
        assert_eq!(p("地址是5进区太湖路34号"), ["武进区太湖路34号"]);
        assert_eq!(p("我在红梅星车23床"), ["红梅新村23幢"]);
        assert!(
            p("在新北区进林中多少个2号").is_empty(),
            "the street not understood"
        );
        assert_eq!(p("红梅新村十二洞"), ["红梅新村12栋"]);
        assert_eq!(p("他一撞就倒了"), Vec::<String>::new());
        assert_eq!(p("在恐龙园门口有人打架"), ["恐龙园门口"]);
    }

    #[test]
    fn a_road_not_listed_needs_a_house_number() {
        assert_eq!(p("在人民路88号附近有人打架"), ["人民路88号附近"]);
        assert!(p("我走错路了").is_empty());
        assert!(p("有人在楼下打架").is_empty());
        assert!(p("门牌88367号").is_empty());
        assert!(p("我在常州第一人民医院工作").is_empty(), "the city alone");
        assert_eq!(p("常州市新北区汉江路"), ["常州市新北区汉江路"]);
    }

    #[test]
    fn doubt_spoils_only_what_no_entry_vouches_for() {
        let g = Places::of(&Gazetteer::builtin());
        let t = normalize("就在龙警路88号");
        assert_eq!(places(&t, &g, &["龙警".into()]), ["龙锦路88号"]);
        assert!(places(&t, &g, &["88".into()]).is_empty());
    }
}
