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
//! listener. Written from `assets/speech/situations-dev.tsv`, measured on
//! `tests/fixtures/speech-eval/situations-heldout.tsv`. Urging, complaints
//! and rudeness are also learned from those examples (`odds.rs`): the
//! rules alone hinted about half of the sentences written after them.

use std::sync::OnceLock;

use regex::Regex;

/// One kind: any `alone` phrase, or a phrase of every group of a
/// `together`, in the text with its `strip` parts taken out.
struct Kind {
    name: &'static str,
    alone: &'static str,
    together: &'static [&'static [&'static str]],
    /// What only looks like this kind: a caller telling what someone else
    /// did (他骂我是傻逼), or waiting for someone other than the police.
    strip: &'static str,
}

/// Names that call the listener worthless rather than a criminal. Said
/// of a group with nobody named (一群饭桶, 真是一帮废物) they are aimed at
/// the police; 一群流氓 and 一伙骗子 are what a victim reports.
const WORTHLESS: &str = "废物|饭桶|草包|蠢货|蠢猪|笨蛋|蠢蛋|败类|人渣|混蛋|酒囊饭袋|窝囊废|蛀虫|寄生虫|吸血鬼|米虫|白痴|摆设|废柴|饭渣";

/// Someone other than the listener named between "you" and what is said
/// of them (你知道吗我爸是聋子, 你们那边的垃圾…): it is said of them, not the
/// listener. Put inside a character class of the rude patterns.
const OTHERS: &str = "我他她它家那";

/// Who a complaint is about, as callers name the police.
const POLICE: &str =
    "民警|警察|女警|男警|警官|辅警|交警|派出所|所长|所里|你们所|公安局|分局|接警员|接电话的|接警的|出警的|110";

/// Names for a person that insult whoever they are aimed at. Said of the
/// listener (你们就是一群寄生虫, 你这个二货) or as the first word, like a
/// name (草包，…), they are rudeness; of someone else (一伙强盗抢了我的店,
/// 那个骗子) they are a report, so they count only in those two places.
/// A class of words, not the sentences it was written from: a caller's
/// insult is an open vocabulary.
const EPITHETS: &str = "废物|饭桶|混蛋|浑蛋|混球|垃圾|蛀虫|寄生虫|吸血鬼|米虫|草包|怂包|孬种|软蛋|脓包|窝囊废|走狗|狗腿子?|奴才|汉奸|狗官|贪官|官老爷|土鳖|乡巴佬|土包子|缩头乌龟|乌龟王八|王八|白眼狼|骗子|强盗|土匪|流氓|无赖|混混|瘪三|小人|禽兽|畜生|人渣|败类|黑社会|傻子|傻瓜|傻帽|傻叉|二货|二逼|二百五|呆子|呆瓜|憨货|蠢猪|笨猪|蠢蛋|笨蛋|傻蛋|猪头|猪|弱智|智障|脑残|白痴|疯子|瞎子|聋子|老东西|老不死的|死胖子|饭桶|摆设|废柴|没用的东西|(?:无能|没用|窝囊|混账|不要脸|没脑子|没良心|不长眼)的东西|混日子的|混饭吃的|吃干饭的|吃闲饭的|白拿工资的|拿钱不办事的|蛇鼠|混子|傻缺|沙雕|傻雕|脑瘫|憨批|哈批|瓜皮|瓜娃子|衣冠禽兽|鳖孙|龟孙|龟儿子|蠢材|蠢驴|笨驴|吃软饭的|杂种|王八羔子|王八犊子|贱骨头|下三滥|熊包|二愣子|戆大|赤佬|扑街|废人|饭渣|猪狗不如的东西";

/// How a caller aims a name at the listener: 你, 你们, 你们这些人, 你这个,
/// 你们警察就是一群 …
const AT_YOU: &str = "你们?(?:这些|这帮|这群|这伙|这种|这个|这么个|这样的|一个个|个)?(?:人|警察|当官的|当警察的|穿警服的|穿制服的|吃公家饭的)?(?:就|都|全|真|简直|根本|纯粹|也|还)?(?:是|算|像)?(?:一群|一帮|一伙|一堆|一窝|一个|个|些)?(?:无能的|没用的)?";

const KINDS: &[Kind] = &[
    Kind {
        name: "emergency",
        alone: r"救命|救救|快来|着火|失火|拿着刀|持刀|有刀|杀人|农药|跳楼|喘不上气|没有呼吸|昏迷",
        together: &[],
        strip: "",
    },
    Kind {
        name: "urging",
        alone: concat!(
            r"催一下|催一催|催催|再催|帮我催|来不来|还不来|再不来|人呢|(?:^|[^当是做])(?:警察|民警)呢|还没人|还没有?人?(?:来|到|过来)|怎么还没|一个(?:人)?都没来|(?:等|站|守)了.{0,6}(?:分钟|小时|钟头|好久|半天|这么久)|等半天|等不下去|等多久|还要多久|到哪了|(?:开|走)到哪|这么慢|太慢|是不是.{0,6}忘了|(?:打|报)了?第?[\d一二两三四五六七八九几]+(?:次|遍|回)|第[\d一二两三四五六七八九几]+(?:次|遍|回)|好几(?:次|遍|回)|又打来|打了好几|多久(?:才|能|可以)?(?:到|来)|都多久了|说好的?.{0,6}(?:到|来)|说马上到|有没有派|派人了没|派车了没|出发了没",
            // Whether they set out, where they are, a promised time passed,
            // the officers sent asked to hurry (a first call's 快点 is an
            // emergency's: 你们能不能快点，我这边有人流血).
            r"|出没出发|派没派|到没到|有没有(?:安排|派)|安排(?:人|车)?了(?:没|吗)|给个(?:回复|准话|答复|回音)",
            r"|还在路上|(?:出警|民警|警察|警车|你们的人|同志)[^，。！？]{0,8}(?:到|在)(?:了)?(?:什么|哪个)(?:位置|地方)|都几点了",
            r"|(?:分钟|小时|钟头|半天)[^，。！？]{0,3}(?:都|已经)?过去了|过去(?:了)?(?:快|差不多)?[\d一二两三四五六七八九十半几]+多?个?(?:分钟|小时|钟头)",
            r"|(?:让|叫|催)(?:他们|出警的|民警|警察|你们的人)[^，。！？]{0,4}(?:快|赶紧|抓紧)(?:一)?点|傻等|干等|白等|还(?:看不到|看不见|没看到|没看见|见不到)(?:人|警察|警车|民警)",
        ),
        together: &[
            // waited, or called before ...
            &[
                r"刚才|刚刚|之前|上次|早就|半个?小时|\d+分钟|小时|钟头|好久|半天|到现在|拖到|报过|打过|报的|报了|又是我|再打|说好|说马上",
                // ... and nobody came, or when will they
                r"没来|没到|没人|没有人|没见|没看到|没动静|人影|影子|一个人都|还没(?:有)?(?:来|到|人|见|看到|派|动静|出发|消息|联系|回复|回音|处理|管)|傻等|干等|还在路上|找到了?没|派人了?没|到哪|在哪里|在哪|什么时候.{0,4}(?:来|到)|还要等|多久|怎么.{0,4}慢|有没有人|还管不管|有没有在管|快点|快一点|赶紧",
            ],
        ],
        strip: r"等了?(?:他|她|朋友|我朋友|孩子|老公|老婆)[^，。！？]*",
    },
    Kind {
        name: "complaint",
        alone: r"投诉|不满意|有意见|不作为|推诿|推来推去|踢皮球|不服|不负责",
        together: &[&[
            POLICE,
            r"举报|反映|告|态度|骂|收[^，。！？]{0,5}钱|好处|红包|拖|不管|乱|违规|难听|偏袒|偏向|包庇|(?:弄|搞|打|砸)坏|不赔|(?:没|不)(?:做|录)笔录|连[^，。！？]{0,6}都没|不公|不合理",
        ]],
        // A threat to the listener (投诉死你) is rudeness.
        strip: r"(?:投诉|告)死你",
    },
    Kind {
        name: "rude",
        alone: concat!(
            r"他妈|他娘|妈的|操你|我操|卧槽|日你|狗日|你丫|你大爷|傻逼|煞笔|狗屁|放屁|算个屁|屁用|滚蛋|滚你|滚开|给我滚|老子|废话|废什么话|闭嘴|闭上(?:你的)?嘴|混账|王八蛋|贱人|死三八|臭三八|蠢货|笨蛋|这么笨|智障|窝囊废|酒囊饭袋|狗东西|狗腿子|没用的东西|不是好东西|什么玩意|吃屎|吃闲饭|我呸|装模作样|耍我|弄死你|听不懂(?:人|中国)话|(?:是|装|全是|这帮|这群)孙子|(?:养|要)你们(?:有什么用|何用|干嘛)|你们有什么用|纳税人的钱|算什么东西|算老几|脑子有病|脑子进水|有病吧|聋了|干什么吃的|吃干饭|吃白饭|不干活|白痴|神经病|狗娘养|尼玛|你妈的|去你妈|去你的|草泥马|(?i:tmd)|我靠|你(?:是|这)?个?(?:脑残|弱智)|滚犊子|你(?:们)?(?:是|在)?(?:找死|欠揍)|黑警|(?:狗|臭|破|烂|垃圾|死|黑心)警察|混吃等死|屁都不懂|啥也不是|丢人现眼|狗眼|(?:你个|你这个)老东西|兔崽子|龟孙|哪根葱|狗仗人势|废柴|(?:都是|就是|是个|全是)摆设|你(?:有没有|没长|长没长|没有)(?:脑子|耳朵|眼睛)|你脑子呢|你(?:是不是|是|真)?(?:瞎|聋|傻)(?:了|啊|吗|呀|子)|你是不是傻|(?:就你|你也|你们也)配(?:吗|当|做|跟)",
            r"|{AT_YOU}(?:{EPITHETS})|你们[^，。！？]{0,10}(?:一群|一帮|一伙|一堆|一窝)(?:{EPITHETS})|^(?:{EPITHETS})[，！,!]|(?:税|纳税人)[^，。！？]{0,8}(?:一群|一帮|一伙|一堆|这些|这帮)(?:{EPITHETS})",
            r"|不得好死|死全家|断子绝孙|天打雷劈|遭报应|去死吧|你们?(?:都|全)?(?:去死|死去)",
            r"|麻痹的|妈逼|马勒戈壁|你妹的|特么|特妈的|他奶奶|你奶奶的|扯淡|扯蛋|扯犊子|瞎扯|胡扯|鬼扯|少跟我扯|扯什么",
            r"|懂个屁|懂个锤子|关你屁事|关你什么事|要你管|管得着吗|烦不烦|啰里啰嗦|啰嗦什么|磨叽什么|打官腔|官腔",
            r"|会不会说话|会不会办事|有毛病|你神经|猪脑|你(?:的|这)?脑子(?:被|让|进|有|是不是|坏)",
            r"|(?:还是|是不是)人(?:吗|啊|呀)|良心[^，。！？]{0,3}(?:被|让)狗|你.{0,6}(?:也配|不配)|没用到家|一点用(?:都|也)没有",
            r"|没文化的|文盲|有你好看|扒了你|让你(?:滚蛋|下岗|丢饭碗)|砸了你的饭碗|给我等着",
            r"|死人(?:吗|啊|呀)|眼瞎|你的?(?:眼睛?|耳朵)(?:瞎|聋|塞|是|被|长在|有毛病|有问题|不好使)",
            r"|^什么(?:东西|玩意)[，！,!]|一路货色|一丘之貉|蛇鼠一窝|你这(?:水平|素质|德性|德行|熊样)|没素质",
            r"|臭嘴|木头(?:似的|一样)|榆木|没(?:有)?一个好东西|装(?:什么)?(?:大尾巴狼|大爷|蒜|孙子|犊子)",
            r"|(?:鸟|屁|熊)(?:警察|人)|欠(?:收拾|抽|骂|扁|教训)|滚(?:一边|远点|出去|回去)|吃(?:皇粮|公粮)的",
            r"|你.{0,4}脑子(?:有|被|进|坏|是不是|呢|抽)|山沟里",
            // Dialect curses and names (Shanghai, Cantonese, Sichuan …).
            r"|册那|侬.{0,4}(?:瓦特|戆)|丢你(?:老母|个|妈|老豆)|顶你个肺|妈卖批|日你仙人|你个锤子|锤子哦|娘希匹|小赤佬|格老子",
            // Denying the listener's standing to ask or to speak.
            r"|你(?:有|算)?(?:什么|啥)(?:资格|身份)|轮得到你|轮不到你|你算(?:哪门子|哪根|个什么)|跟你(?:这种人)?(?:说不着|说不清|讲不通|没法说)|什么都不懂(?:还|就)|你.{0,2}新来的吧|不会就别干",
            // Threats to the listener's job or person; sarcasm at them.
            r"|(?:脱|扒)了?(?:你|你的|你这身|这身)(?:警服|皮|衣服)|(?:投诉|告)死你|^呵呵|你们?(?:警察|这些人)?(?:可|真|可真)(?:了不起|厉害|威风|能耐)",
            // The listener and a name said of them in one clause, the
            // listener first (你们这帮人跟猪一样). A group word alone (这群土匪
            // 把我的车砸了) is someone else; 猪 after 你们 in another clause
            // (我家的猪跑了，你们…) is not said of them.
            r"|你们?[^，。！？{OTHERS}]{0,10}(?:猪|废物|饭桶|混蛋|垃圾|蛀虫|傻子|瞎子|聋子|流氓|土匪|就知道收钱|人渣|败类|畜生|废柴|摆设)",
            // The police named and called a name (警察都是些废物, 穿警服的土匪);
            // a worthless group exclaimed, nobody else named (真是一群饭桶;
            // 一群流氓 is a report); an animal worth more than them.
            r"|(?:{POLICE}|警服|制服)(?:的|[^，。！？]{0,6}(?:都是|全是|就是|简直是))(?:些|一群|一帮|一伙|一堆)?(?:{EPITHETS})",
            r"|^(?:真是|简直是|简直就是|纯粹是)?(?:一群|一帮|一伙|一堆|这帮|这群)老?(?:{WORTHLESS})(?:$|[，。！？,!?])",
            r"|[，,](?:一群|一帮|一伙|一堆)老?(?:{WORTHLESS})(?:$|[，。！？,!?])|(?:狗|猪|驴)[^，。！？]{0,4}比你们?(?:强|有用|聪明|管用|能干)",
            // Wishing them fired; mocking them as police; what their heads
            // hold; idioms of contempt: each said of the listener, with
            // nobody else (我, 他, 家, 那边 …) named between (你知道吗我爸是聋子 is
            // not said of them).
            r"|(?:你|你们|警察)[^，。！？]{0,8}(?:就该|早该|应该)(?:全部|都|统统|被)?(?:开除|撤职|滚蛋|下岗|辞退)",
            r"|(?:还当|算)(?:什么|哪门子)警察|你这样(?:的)?(?:还|也)(?:当|配)|(?:你们?|警察)[^，。！？]{0,8}留着(?:干什么|干嘛|有什么用)",
            r"|你们?(?:还|真|都)?不如回家|你们?(?:就|只)会欺负|(?:你们|警察)[^，。！？{OTHERS}]{0,6}一个比一个(?:蠢|笨|傻|懒|差)",
            r"|你们?(?:这些人|这帮人|这种人)?的?脑子里?(?:装的)?(?:都是|全是)?(?:浆糊|糨糊|屎|稻草)|你们?[^，。！？{OTHERS}]{0,6}(?:对牛弹琴|混饭吃)|你们?(?:都|全)?是?瞎了(?:眼|狗眼)",
            // Contempt for what they can do or understand, a threat to
            // them, tiredness of them: each said to the listener.
            r"|除了[^，。！？]{0,8}还(?:会|能)(?:干|做)(?:什么|啥|嘛|点啥)|你?(?:是不是|怎么|咋)(?:就|还)?听不(?:懂|明白)",
            r"|你[^，。！？{OTHERS}]{0,6}没(?:长)?脑子|你[^，。！？{OTHERS}]{0,6}智商|跟你(?:说话|讲话|说|讲)[^，。！？]{0,3}(?:费劲|累|费事)",
            r"|烦死(?:了)?你|你(?:真|好|太)?烦(?:死了|人)|就知道问|你再[^，。！？]{0,6}试试|你[^，。！？{OTHERS}]{0,4}(?:啰嗦|罗嗦|唠叨|磨叽)",
            r"|趁早(?:别干|辞职|滚|回家|改行)|还(?:当|接|做|穿)(?:什么|个屁|啥)(?:警|警察|警服)",
            r"|你们?[^，。！？{OTHERS}]{0,8}(?:笨|蠢)|你们?(?:真|太|好|这么|那么|怎么这么|咋这么|是不是)(?:傻|懒|无能|没用|差劲|窝囊|废)",
            r"|母猪(?:都|也)?(?:能|会)上树|(?:税|钱)[^，。！？]{0,6}喂(?:了)?狗",
            r"|(?:脑袋|脑子|头)[^，。！？]{0,4}(?:门|驴)(?:挤|夹|踢)|你[^。！？{OTHERS}]{0,10}(?:笨|蠢|傻)得(?:要死|要命|出奇|可以)|白吃饭",
            r"|你们?[^，。！？{OTHERS}]{0,8}(?:丢(?:脸|人)|让人恶心|就知道(?:喝茶|坐|睡|玩|收钱|罚款))|你们?(?:真|太)恶心|(?:就|只)会(?:对|欺负)老百姓",
        ),
        together: &[],
        // Insults the caller was given, told to the police; names for
        // someone else (那个王八蛋撞了我的车): an angry victim, not rudeness
        // to the listener. And the things some of those words also name
        // (垃圾桶, 扔垃圾, 猪肉, 养猪).
        strip: r"(?:骂|说|叫|喊)(?:我|他|她|我们|人|成|作|做)[^，。！？]*|(?:^|[^所警察官])那(?:个|几个|帮|群|伙|些)[^，。！？]*|垃圾(?:桶|箱|站|车|堆|场|袋|分类|房)|(?:扔|丢|倒|烧|捡|收|运|清理|堆放?|把)垃圾|猪(?:肉|圈|场|崽|仔|饲料)|(?:养|杀|卖|偷|野|家|小)猪",
    },
    Kind {
        name: "consultation",
        alone: r"想问|问一下|问问|问下|咨询|打听|请教|想了解|了解一下",
        together: &[&[
            r"怎么|哪里|哪个|在哪|去哪|能不能|能.{0,10}吗|吗|几点|什么|哪些|多少钱|多长时间|多久|交给谁|交到哪|要不要|可不可以|需不需要|上不上",
            // Not a bare 办: 怎么办 is what a frightened caller says.
            r"办理|补办|去办|哪办|哪里办|要办|办个|补|换|开|查|证|户口|户籍|护照|驾照|年检|手续|材料|证明|违章|上班|交到|交给|挂失|迁移|落户|出入境|签注|通行证|登记|罚款|罚单|预约|代办|异地|照片|上牌|捡到",
        ]],
        strip: "",
    },
    Kind {
        name: "panicked",
        alone: r"吓死了|好害怕|我害怕|我好怕|怎么办啊|不知道怎么办",
        together: &[],
        strip: "",
    },
    Kind {
        name: "report",
        alone: r"报警|被偷|被盗|追尾|撞车|车祸",
        together: &[],
        strip: "",
    },
];

/// The call-taker's commitments and closing lines, dropped before matching.
const SCRIPT: &str = r"我们(?:再催|马上|一定会|已经通知|会尽快)[^，。？！；]*|(?:您|你)反映的问题[^，。？！；]*|请向[^，。？！；]*咨询|谢谢你对公安工作的监督";

struct Compiled {
    name: &'static str,
    alone: Regex,
    together: Vec<Vec<Regex>>,
    strip: Option<Regex>,
}

/// Kinds a caller's own words settle, whatever else they say: 我要投诉
/// after "waited an hour" is a complaint, an insult with "I said it three
/// times" is rudeness, not urging.
const DECISIVE: [&str; 3] = ["emergency", "complaint", "rude"];

/// Kinds whose words any caller says (报警, 吓死了): the learned kinds
/// outrank them.
const WEAK: [&str; 2] = ["panicked", "report"];

/// The most pressing hint of `t` (normalised text), if any: a decisive
/// kind's own phrases first ([`DECISIVE`], and rudeness learned from
/// examples), then each kind in order by its phrases or by what its
/// callers say together, then the kind learned from examples that `t`
/// scores furthest over its cut-off (`odds.rs`), then the [`WEAK`] kinds.
pub(crate) fn hint(t: &str) -> Option<&'static str> {
    static COMPILED: OnceLock<(Regex, Vec<Compiled>)> = OnceLock::new();
    let re = |p: &str| Regex::new(p).expect("a valid pattern");
    let (script, kinds) = COMPILED.get_or_init(|| {
        let kinds = KINDS
            .iter()
            .map(|k| Compiled {
                name: k.name,
                alone: re(&k
                    .alone
                    .replace("{AT_YOU}", AT_YOU)
                    .replace("{POLICE}", POLICE)
                    .replace("{WORTHLESS}", WORTHLESS)
                    .replace("{OTHERS}", OTHERS)
                    .replace("{EPITHETS}", EPITHETS)),
                together: k
                    .together
                    .iter()
                    .map(|groups| groups.iter().map(|g| re(g)).collect())
                    .collect(),
                strip: (!k.strip.is_empty()).then(|| re(k.strip)),
            })
            .collect();
        (re(SCRIPT), kinds)
    });
    let t = script.replace_all(t, "");
    let text = |k: &Compiled| match &k.strip {
        Some(s) => s.replace_all(&t, "").into_owned(),
        None => t.to_string(),
    };
    let rules = |k: &&Compiled| {
        let t = text(k);
        k.alone.is_match(&t) || k.together.iter().any(|g| g.iter().all(|r| r.is_match(&t)))
    };
    let weak = |k: &&Compiled| WEAK.contains(&k.name);
    // What the rules do not list, learned from examples: each learned
    // kind's margin over its cut-off.
    let learned = crate::odds::margins(&t);
    let learned_rude = learned.iter().any(|(k, m)| *k == "rude" && *m > 0.0);
    kinds
        .iter()
        .find(|k| {
            DECISIVE.contains(&k.name)
                && (k.alone.is_match(&text(k)) || (k.name == "rude" && learned_rude))
        })
        .or_else(|| kinds.iter().filter(|k| !weak(k)).find(rules))
        .map(|k| k.name)
        .or_else(|| {
            let over = learned.iter().filter(|(_, m)| *m > 0.0);
            over.max_by(|a, b| a.1.total_cmp(&b.1)).map(|(k, _)| *k)
        })
        .or_else(|| kinds.iter().filter(weak).find(rules).map(|k| k.name))
}
