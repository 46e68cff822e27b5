//! What the generated-sentence tests share: a seeded generator, so the
//! same sentences come out on every machine, and a city-sized gazetteer.
//! Each user (numbers.rs, places.rs, the places bench) takes a part.
#![allow(dead_code)]

/// xorshift64*.
pub struct Rng(pub u64);

impl Rng {
    /// A generator for one seed (seeds near each other start far apart).
    pub fn seeded(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    pub fn chance(&mut self, pct: usize) -> bool {
        self.below(100) < pct
    }
    pub fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
}

/// The built-in gazetteer and `roads` made-up road names (two characters,
/// a direction or none, 路), as a city's whole list would add: the more
/// names, the more a sentence may sound like one by chance.
pub fn with_roads(roads: usize, avoid: &[&str]) -> jiejing_core::Gazetteer {
    let chars: Vec<char> =
        "安宝长朝大德东丰福光广海和红华怀建江金锦康兰乐丽利龙美明南宁平青庆荣瑞山胜盛顺泰天通文武西祥新兴阳永裕中"
            .chars()
            .collect();
    let builtin = jiejing_core::Gazetteer::builtin();
    let mut names: Vec<String> = Vec::new();
    'all: for a in &chars {
        for b in &chars {
            for dir in ["", "东", "西", "南", "北"] {
                let name = format!("{a}{b}{dir}路");
                // A city does not give two roads one sound (standard
                // Mandarin, tones aside).
                let sound = |n: &str| -> Vec<String> {
                    n.chars()
                        .map(|c| {
                            pinyin::ToPinyin::to_pinyin(&c)
                                .map_or(String::new(), |p| p.plain().to_string())
                        })
                        .collect()
                };
                // Said without its direction too (建康东路 is 建康路).
                let base = format!("{a}{b}路");
                if builtin
                    .places
                    .iter()
                    .map(|p| p.name.as_str())
                    .chain(avoid.iter().copied())
                    .any(|n| sound(n) == sound(&name) || sound(n) == sound(&base))
                {
                    continue;
                }
                names.push(format!("\"{name}\""));
                if names.len() == roads {
                    break 'all;
                }
            }
        }
    }
    let file = include_str!("../../../../assets/gazetteer/zh-CN.toml");
    let toml = file.replace("roads = [", &format!("roads = [{},", names.join(", ")));
    jiejing_core::Gazetteer::parse("big.toml", &toml).expect("a valid gazetteer")
}
