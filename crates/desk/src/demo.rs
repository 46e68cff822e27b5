//! `jiejing demo-data`: a year of plausible calls for one busy station, to
//! show the app and to measure reports at scale. Deterministic per seed.

use chrono::{DateTime, Duration, Utc};
use jiejing_core::{AnswerSource, Call, Disposition, ElementKey, ElementState, RingMark};

/// Small PRNG (xorshift64*): no dependency, same data for the same seed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn f(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Calls per hour of day, relative: quiet before dawn, busy in the evening.
const HOURLY: [f64; 24] = [
    0.6, 0.45, 0.35, 0.3, 0.3, 0.35, 0.5, 0.8, 1.0, 1.0, 1.0, 1.05, 1.0, 0.95, 1.0, 1.05, 1.1, 1.2,
    1.35, 1.45, 1.45, 1.3, 1.05, 0.8,
];
const WHEN_DAY: [&str; 4] = ["今天晚上", "今天下午", "昨天夜里", "今天早上"];
const DISTRICTS: [&str; 6] = ["新北区", "天宁区", "钟楼区", "武进区", "金坛区", "溧阳市"];
const ROADS: [&str; 10] = [
    "太湖路",
    "人民路",
    "延陵路",
    "和平路",
    "青洋路",
    "龙城大道",
    "通江路",
    "劳动路",
    "长江路",
    "花园街",
];
const WHAT: [&str; 10] = [
    "电动车被盗",
    "两人打架",
    "交通事故",
    "钱包被抢",
    "噪音扰民",
    "家庭纠纷",
    "有人落水",
    "发现可疑人员",
    "车辆被刮",
    "老人走失",
];
const WHO: [&str; 5] = [
    "一名男子，穿黑色外套",
    "两名青年",
    "一名老人",
    "报警人本人",
    "不详",
];
const DISPOSITIONS: [(Disposition, f64); 7] = [
    (Disposition::PoliceIncident, 0.45),
    (Disposition::Consultation, 0.2),
    (Disposition::EmergencyHelp, 0.08),
    (Disposition::Complaint, 0.03),
    (Disposition::Harassment, 0.07),
    (Disposition::RepeatUrging, 0.07),
    (Disposition::Other, 0.10),
];

/// `n` calls spread over the 365 days from `start`, in batches handed to
/// `sink` (so a million calls never sit in memory at once). Shifts of eight
/// hours from 00:00 China time, four call-takers each (`T01`…`T12`).
pub fn generate(
    n: u64,
    start: DateTime<Utc>,
    seed: u64,
    batch: usize,
    mut sink: impl FnMut(&mut Vec<Call>),
) {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let total: f64 = HOURLY.iter().sum::<f64>() * 365.0;
    let mut buf = Vec::with_capacity(batch);
    let mut made = 0u64;
    let mut due = 0.0f64; // calls owed so far by the hourly profile
    for day in 0..365i64 {
        for (hour, w) in HOURLY.iter().enumerate() {
            // This hour's share of the n calls (UTC hour; close enough for
            // demo data), carried over so the total comes out exactly n.
            due += n as f64 * w / total;
            let here = (due.round() as u64).min(n).saturating_sub(made);
            for _ in 0..here {
                let at = start
                    + Duration::days(day)
                    + Duration::hours(hour as i64)
                    + Duration::milliseconds((rng.f() * 3_600_000.0) as i64);
                // China time (UTC+8) decides the shift.
                let local_hour = (hour + 8) % 24;
                let taker = format!(
                    "T{:02}",
                    (local_hour / 8) * 4 + (rng.next() % 4) as usize + 1
                );
                buf.push(one(&mut rng, at, &taker));
                made += 1;
                if buf.len() == batch {
                    sink(&mut buf);
                    buf.clear();
                }
            }
        }
    }
    if !buf.is_empty() {
        sink(&mut buf);
    }
}

fn one(rng: &mut Rng, at: DateTime<Utc>, taker: &str) -> Call {
    let mut c = Call::ring(at, AnswerSource::Audio, taker, "cz-110", "你好，常州110");
    // Rings: mostly 1–3, a tail to 6; a ring every 5 s.
    let rings = match rng.f() {
        x if x < 0.35 => 1,
        x if x < 0.72 => 2,
        x if x < 0.9 => 3,
        x if x < 0.96 => 4,
        x if x < 0.985 => 5,
        _ => 6,
    };
    let marks: Vec<RingMark> = (0..rings)
        .map(|i| RingMark {
            onset: at + Duration::seconds(5 * i),
            offset: at + Duration::milliseconds(5000 * i + 1000),
        })
        .collect();
    let last_off = marks.last().expect("one ring at least").offset;
    let now = last_off + Duration::milliseconds(300 + (rng.f() * 2500.0) as i64);
    if rng.f() < 0.03 {
        c.record_rings(marks, None, now + Duration::seconds(5)); // rang out
        return c;
    }
    c.record_rings(marks, Some(now), now);
    if rng.f() < 0.93 {
        let _ = c.mark_greeting(now + Duration::seconds(1));
    }
    let mut t = now + Duration::seconds(5);
    let pick =
        |rng: &mut Rng, from: &[&'static str]| from[(rng.next() % from.len() as u64) as usize];
    // Varied enough that a search finds a few calls, not all of them.
    let values = [
        format!(
            "{}{}点{}",
            pick(rng, &WHEN_DAY),
            1 + rng.next() % 12,
            pick(rng, &["左右", "半", "刚才", ""])
        ),
        format!(
            "{}{}{}号",
            pick(rng, &DISTRICTS),
            pick(rng, &ROADS),
            1 + rng.next() % 300
        ),
        pick(rng, &WHAT).to_string(),
        pick(rng, &WHO).to_string(),
        pick(rng, &["纠纷引起", "酒后", "不详", "债务纠纷", "邻里矛盾"]).to_string(),
        format!("苏D{:05}", rng.next() % 100_000),
        pick(rng, &["无人受伤", "一人轻伤", "财物损失约两千元", "已送医"]).to_string(),
        format!("13{:09}", rng.next() % 1_000_000_000),
    ];
    for (k, v) in ElementKey::ALL.iter().zip(&values) {
        t += Duration::seconds(8 + (rng.next() % 20) as i64);
        let r = rng.f();
        if r < 0.85 {
            let _ = c.set_element(*k, v, t);
        } else if r < 0.93 {
            let _ = c.set_element_state(*k, ElementState::NotApplicable, t);
        }
    }
    let mut x = rng.f();
    let mut d = Disposition::Other;
    for (disp, p) in DISPOSITIONS {
        if x < p {
            d = disp;
            break;
        }
        x -= p;
    }
    let _ = c.close(d, true, t + Duration::seconds(10));
    c
}
