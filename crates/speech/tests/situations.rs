//! Situation hints on caller sentences the dev clips never had (issue #14):
//! `assets/speech/situations-dev.tsv` is the part the rules
//! were written from, `situations-heldout.tsv` a part written before the
//! rules were changed and not read while changing them (its misses are not
//! printed). The dev part's second half was the first held-out part; it
//! joined the dev part once its misses had been seen. Both figures are
//! printed; the floors, on the held-out part, are the targets. The
//! call-taker's own scripted lines (the norm's phrase pack) never hint.

use std::sync::OnceLock;

use jiejing_core::Gazetteer;
use jiejing_speech::{suggest, Places};

/// The four kinds the targets name; other hints (an emergency, a report,
/// a panicked caller) are neither right nor wrong for these sentences.
const KINDS: [&str; 4] = ["urging", "rude", "complaint", "consultation"];

/// The hint the desk would show for `text`: its first situation.
fn first_hint(text: &str) -> Option<String> {
    static PLACES: OnceLock<Places> = OnceLock::new();
    let places = PLACES.get_or_init(|| Places::of(&Gazetteer::builtin()));
    suggest(text, None, places, &[])
        .situation
        .into_iter()
        .next()
}

fn rows(name: &str) -> Vec<(String, String)> {
    let path = format!("{}/../../{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .skip(1)
        .filter_map(|l| l.split_once('\t'))
        .map(|(k, s)| (k.to_string(), s.to_string()))
        .collect()
}

struct Score {
    /// Per kind: (hinted right, sentences).
    hit: Vec<(usize, usize)>,
    /// Sentences of no kind (or another kind) given one of the four.
    wrong: usize,
    others: usize,
    misses: Vec<String>,
}

/// `show`: print the misses (never for the held-out part, which rules are
/// not written from).
fn score(name: &str, show: bool) -> Score {
    let mut s = Score {
        hit: vec![(0, 0); KINDS.len()],
        wrong: 0,
        others: 0,
        misses: vec![],
    };
    for (kind, text) in rows(name) {
        let hint = first_hint(&text);
        let got = hint.as_deref().unwrap_or("none");
        match KINDS.iter().position(|k| *k == kind) {
            Some(i) => {
                s.hit[i].1 += 1;
                if got == kind {
                    s.hit[i].0 += 1;
                } else {
                    s.misses.push(format!("{kind} → {got}: {text}"));
                }
            }
            None => {
                s.others += 1;
                if KINDS.contains(&got) {
                    s.wrong += 1;
                    s.misses.push(format!("{kind} → {got}: {text}"));
                }
            }
        }
    }
    println!("{name}:");
    for (k, (h, n)) in KINDS.iter().zip(&s.hit) {
        println!(
            "  {k:<13} {h}/{n} hinted ({:.0} %)",
            100.0 * *h as f64 / *n as f64
        );
    }
    println!("  wrongly hinted: {}/{}", s.wrong, s.others);
    for m in s.misses.iter().filter(|_| show) {
        println!("  miss: {m}");
    }
    s
}

/// The target is 80 % of each kind hinted on calls no rule was
/// written from, and a caller of no kind not given one; it is each kind's
/// floor. The dev part's sentences of no kind, look-alikes among them
/// (有人把垃圾丢你们派出所门口了, 这群土匪把我的车砸了), stay unhinted.
#[test]
fn situations_on_sentences_no_rule_was_written_from() {
    let dev = score("assets/speech/situations-dev.tsv", true);
    assert!(
        dev.wrong * 100 <= dev.others,
        "{} of {} dev sentences of no kind hinted (at most 1 %)",
        dev.wrong,
        dev.others
    );
    let held = score("tests/fixtures/speech-eval/situations-heldout.tsv", false);
    for (kind, (hit, n)) in KINDS.iter().zip(&held.hit) {
        assert!(
            *hit * 10 >= *n * 8,
            "{kind}: {hit} of {n} held-out callers hinted (floor 80 %)"
        );
    }
    assert!(
        held.wrong * 10 <= held.others,
        "{} of {} sentences of no kind hinted (at most 10 %)",
        held.wrong,
        held.others
    );
}

#[test]
fn the_call_takers_scripted_lines_never_raise_a_hint() {
    let pack = jiejing_core::PhrasePack::builtin(jiejing_core::Language::ZhCn);
    let mut lines: Vec<String> = pack.spoken_lines().into_iter().map(String::from).collect();
    assert!(lines.len() > 20, "{} lines", lines.len());
    // What call-takers say around the norm's lines (the question after the
    // greeting raised the consultation hint on every call).
    lines.extend(
        [
            "你好，常州110，请问有什么可以帮您",
            "请讲",
            "请问您贵姓",
            "请问你的联系电话是多少",
            "请问你现在在什么位置",
            "好的，我们马上派民警过去，请保持电话畅通",
        ]
        .map(String::from),
    );
    let hinted: Vec<String> = lines
        .iter()
        .map(|l| l.replace("{city}", "常州").replace("{n}", "3"))
        .filter_map(|l| first_hint(&l).map(|s| format!("{s}: {l}")))
        .collect();
    assert!(hinted.is_empty(), "{hinted:#?}");
}

/// What callers and call-takers say around the seven elements is none of
/// the four kinds. These lines were written as a check on the learned
/// hints and are never learned from: a short time answer (大概十分钟前)
/// shares runs with many urging examples, and 请问您贵姓 with
/// consultations.
#[test]
fn ordinary_answers_raise_none_of_the_four() {
    let lines = [
        "好的",
        "嗯",
        "喂",
        "你好",
        "对对对",
        "是的，在红梅新村",
        "我姓王",
        "电话是13812345678",
        "没有人受伤",
        "在中山路上",
        "他有一米七左右",
        "穿着黑衣服",
        "请问你现在在什么位置",
        "好的，我们马上派民警过去，请保持电话畅通",
        "请讲",
        "请问您贵姓",
        "我们会尽快处理",
        "谢谢",
        "大概十分钟前",
        "一辆白色的车",
        "我不知道",
        "就在门口",
        "你记一下我的号码，13842849933。",
        "十分钟以前吧",
        "等一下，我看看门牌号",
        "我刚才在超市买东西",
        "民警同志你好",
        "派出所旁边那个小区",
        "我要报警",
        "我老公打我",
        "我现在很害怕",
        "有两个人在吵架",
        "快来人啊",
        "他拿着刀",
        "我的车被撞了",
        "他跑了大概有半个小时了",
        "我在这里等了一会儿了",
        "你们派出所在哪",
        "我就在警察局门口",
    ];
    let hinted: Vec<String> = lines
        .iter()
        .filter_map(|l| {
            let got = first_hint(l)?;
            KINDS.contains(&got.as_str()).then(|| format!("{got}: {l}"))
        })
        .collect();
    assert!(hinted.is_empty(), "{hinted:#?}");
}
