//! The situation hint of one utterance: an emergency before urging before a
//! complaint, and so on. Only the caller's words count: the speaker of an
//! utterance is not known, so the call-taker's scripted lines (请问…,
//! 请别紧张, 请注意语言文明, 我们再催一下) must never raise a hint
//! (tests/situations.rs checks the whole phrase pack).
//!
//! A first version matched the dev sentences' own phrases and hinted 20–53 %
//! of sentences written afterwards. So a kind is now recognised by what its
//! callers talk about together rather than by set phrases: urging is a
//! caller who waited or called before *and* sees nobody; a complaint names
//! the police *and* what they did; a consultation asks how, where or
//! whether *about* a procedure; rudeness is an insult aimed at the
//! listener. Written from `tests/fixtures/speech-eval/situations-dev.tsv`,
//! measured on `situations-heldout.tsv`.

use std::sync::OnceLock;

use regex::Regex;

/// One kind: any `alone` phrase, or a phrase of every group of a `together`.
struct Kind {
    name: &'static str,
    alone: &'static str,
    together: &'static [&'static [&'static str]],
}

/// Who a complaint is about, as callers name the police.
const POLICE: &str = "民警|警察|辅警|交警|派出所|所长|接警员|接电话的|出警的";

const KINDS: &[Kind] = &[
    Kind {
        name: "emergency",
        alone: r"救命|救救|快来|着火|失火|拿着刀|持刀|有刀|杀人|农药|跳楼|喘不上气|没有呼吸|昏迷",
        together: &[],
    },
    Kind {
        name: "urging",
        alone: r"催一下|来不来|人呢|还没人|还没有?人?(?:来|到|过来)|等了.{0,6}(?:分钟|小时|好久|半天)|到哪了|怎么这么慢|(?:打|报)了?第?\d+(?:次|遍)|第\d+(?:次|遍)打|又打来|打了好几",
        together: &[
            // waited, or called before ...
            &[
                r"刚才|刚刚|之前|上次|半个?小时|\d+分钟|小时|好久|到现在|报过|打过|报的|说好|说马上",
                // ... and nobody came
                r"没来|没到|没人|没看到|还没|派人了?没|到哪|什么时候.{0,4}(?:来|到)|怎么.{0,4}慢",
            ],
        ],
    },
    Kind {
        name: "complaint",
        alone: r"投诉|不满意|有意见|不作为|推诿|推来推去",
        together: &[&[
            POLICE,
            r"举报|反映|告|态度|骂|收.{0,2}钱|好处|拖|不管|乱|违规",
        ]],
    },
    Kind {
        name: "rude",
        alone: r"他妈|妈的|操你|傻逼|狗屁|滚蛋|滚你|滚开|老子|废话|闭嘴|闭上你的嘴|算什么东西|算老几|脑子有病|有病吧|聋了|干什么吃的|吃干饭|吃白饭|不干活|白痴|神经病",
        together: &[&[r"你|你们|一群|一帮|这帮|这群|这些", r"猪|废物|饭桶|混蛋"]],
    },
    Kind {
        name: "consultation",
        alone: r"想问|问一下|问问|咨询|打听|想了解|了解一下",
        together: &[&[
            r"怎么|哪里|哪个|在哪|去哪|能不能|能.{0,10}吗|几点|什么|哪些|交给谁|交到哪",
            // Not a bare 办: 怎么办 is what a frightened caller says.
            r"办理|补办|去办|哪办|哪里办|要办|办个|补|换|开|查|证|户口|护照|驾照|年检|手续|材料|证明|违章|上班|交到|交给|挂失|迁移|落户",
        ]],
    },
    Kind {
        name: "panicked",
        alone: r"吓死了|好害怕|我害怕|我好怕|怎么办啊|不知道怎么办",
        together: &[],
    },
    Kind {
        name: "report",
        alone: r"报警|被偷|被盗|追尾|撞车|车祸",
        together: &[],
    },
];

/// The call-taker's commitments and closing lines, dropped before matching.
const SCRIPT: &str = r"我们(?:再催|马上|一定会|已经通知|会尽快)[^，。？！；]*|(?:您|你)反映的问题[^，。？！；]*|请向[^，。？！；]*咨询|谢谢你对公安工作的监督";

type Compiled = (&'static str, Regex, Vec<Vec<Regex>>);

/// The most pressing hint of `t` (normalised text), if any.
pub(crate) fn hint(t: &str) -> Option<&'static str> {
    static COMPILED: OnceLock<(Regex, Vec<Compiled>)> = OnceLock::new();
    let re = |p: &str| Regex::new(p).expect("a valid pattern");
    let (script, kinds) = COMPILED.get_or_init(|| {
        let kinds = KINDS
            .iter()
            .map(|k| {
                let together = k
                    .together
                    .iter()
                    .map(|groups| groups.iter().map(|g| re(g)).collect())
                    .collect();
                (k.name, re(k.alone), together)
            })
            .collect();
        (re(SCRIPT), kinds)
    });
    let t = script.replace_all(t, "");
    kinds
        .iter()
        .find(|(_, alone, together)| {
            alone.is_match(&t) || together.iter().any(|g| g.iter().all(|r| r.is_match(&t)))
        })
        .map(|(name, ..)| *name)
}
