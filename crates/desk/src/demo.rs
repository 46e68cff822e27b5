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
    let values = [
        "今天晚上八点左右",
        "新北区太湖路88号",
        "电动车被盗",
        "一名男子，穿黑色外套",
        "纠纷引起",
        "苏D88367",
        "无人受伤",
        "13812345678",
    ];
    for (k, v) in ElementKey::ALL.iter().zip(values) {
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
