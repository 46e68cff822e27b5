//! The report's one computation, for a desk and the station. Calls are
//! first summed up per call-taker and local day ([`ReportGroup`]): a desk
//! sums its rows here ([`group_rows`]); the station sums them in SQL, so a
//! week of a hall's calls (96,000 at 50 seats) is not sent row by row.
//! The figures are then taken over all groups, per call-taker and per day.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::log::Scope;
use crate::report::{DayFigures, Figures, FollowUpFigures, Report, ReportRow, TakerFigures};

/// One call-taker's calls of one local day, summed up: all the figures
/// need, and no more. The station's SQL fills the same fields with the
/// same rules as [`ReportGroup::add`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportGroup {
    pub taker_id: String,
    /// Days since 1970-01-01 in the station's zone.
    pub day: i64,
    pub calls: u64,
    /// Answered calls' times from the first ring to the answer, ms.
    pub answer_ms: Vec<i64>,
    /// Calls whose rings were heard, and of those answered by the third.
    pub rings_heard: u64,
    pub within_three_rings: u64,
    pub missed: u64,
    /// Closed, answered calls, and of those the complete ones (eight items).
    pub closed_answered: u64,
    pub complete: u64,
    /// Answered calls whose greeting was marked.
    pub greeted: u64,
    /// Reviewed calls, their scores (where scored) and critical ones.
    pub reviewed: u64,
    pub scores: Vec<f64>,
    pub critical: u64,
}

impl ReportGroup {
    /// Adds one call as a desk reads it.
    pub fn add(&mut self, r: &ReportRow) {
        self.calls += 1;
        if let Some(ms) = r.answer_ms {
            self.answer_ms.push(ms);
            self.greeted += u64::from(r.greeted);
            if r.closed {
                self.closed_answered += 1;
                self.complete += u64::from(r.elements_done >= 8);
            }
        }
        if let Some(n) = r.rings {
            self.rings_heard += 1;
            self.within_three_rings += u64::from(n <= i64::from(jiejing_core::MAX_RINGS));
        }
        self.missed += u64::from(r.missed);
        if let Some((score, critical)) = r.qa {
            self.reviewed += 1;
            self.scores.extend(score);
            self.critical += u64::from(critical);
        }
    }
}

/// A desk's rows summed up per call-taker and day, and its closed calls by
/// disposition ("missed" for calls that rang out).
pub fn group_rows(rows: &[ReportRow]) -> (Vec<ReportGroup>, BTreeMap<String, u64>) {
    let mut groups: BTreeMap<(String, i64), ReportGroup> = BTreeMap::new();
    let mut dispositions = BTreeMap::new();
    for r in rows {
        if r.closed {
            let key = match (r.missed, &r.disposition) {
                (true, _) => "missed".to_string(),
                (false, d) => d.clone().unwrap_or_else(|| "none".into()),
            };
            *dispositions.entry(key).or_insert(0) += 1;
        }
        groups
            .entry((r.taker_id.clone(), r.day))
            .or_insert_with(|| ReportGroup {
                taker_id: r.taker_id.clone(),
                day: r.day,
                ..ReportGroup::default()
            })
            .add(r);
    }
    (groups.into_values().collect(), dispositions)
}

fn pct(n: u64, of: u64) -> Option<f64> {
    (of > 0).then(|| (1000.0 * n as f64 / of as f64).round() / 10.0)
}

/// Nearest-rank percentile of sorted values, in seconds.
fn rank(sorted: &[i64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let i = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1;
    Some(sorted[i] as f64 / 1000.0)
}

fn figures(groups: &[&ReportGroup]) -> Figures {
    let sum = |f: fn(&ReportGroup) -> u64| groups.iter().map(|g| f(g)).sum::<u64>();
    let mut answer: Vec<i64> = groups
        .iter()
        .flat_map(|g| g.answer_ms.iter().copied())
        .collect();
    answer.sort_unstable();
    // Summed in one order whatever the grouping, so a desk and the station
    // round the same mean the same way.
    let mut scores: Vec<f64> = groups
        .iter()
        .flat_map(|g| g.scores.iter().copied())
        .collect();
    scores.sort_unstable_by(f64::total_cmp);
    let within = |s: i64| {
        pct(
            answer.iter().filter(|&&ms| ms <= s * 1000).count() as u64,
            answer.len() as u64,
        )
    };
    let (heard, within3) = (sum(|g| g.rings_heard), sum(|g| g.within_three_rings));
    Figures {
        calls: sum(|g| g.calls),
        answered: answer.len() as u64,
        missed: sum(|g| g.missed),
        rings_heard: heard,
        within_three_rings: within3,
        three_ring_pct: pct(within3, heard),
        answer_p50_s: rank(&answer, 0.50),
        answer_p90_s: rank(&answer, 0.90),
        answer_p95_s: rank(&answer, 0.95),
        within_10s_pct: within(10),
        within_15s_pct: within(15),
        within_20s_pct: within(20),
        complete_pct: pct(sum(|g| g.complete), sum(|g| g.closed_answered)),
        greeting_pct: pct(sum(|g| g.greeted), answer.len() as u64),
        reviewed: sum(|g| g.reviewed),
        qa_mean: (!scores.is_empty())
            .then(|| (10.0 * scores.iter().sum::<f64>() / scores.len() as f64).round() / 10.0),
        qa_critical: sum(|g| g.critical),
    }
}

/// The report from its groups, its closed calls by disposition and the
/// follow-ups due in its range (due, closed), judged at `now`.
pub fn build(
    scope: &Scope<'_>,
    groups: &[ReportGroup],
    dispositions: BTreeMap<String, u64>,
    due: &[(DateTime<Utc>, Option<DateTime<Utc>>)],
    now: DateTime<Utc>,
) -> Report {
    let all: Vec<&ReportGroup> = groups.iter().collect();
    let mut takers: BTreeMap<&str, Vec<&ReportGroup>> = BTreeMap::new();
    let mut days: BTreeMap<i64, Vec<&ReportGroup>> = BTreeMap::new();
    for g in groups {
        takers.entry(&g.taker_id).or_default().push(g);
        days.entry(g.day).or_default().push(g);
    }
    let by_day = days
        .into_iter()
        .map(|(d, groups)| {
            let f = figures(&groups);
            DayFigures {
                day: (DateTime::<Utc>::UNIX_EPOCH + chrono::Duration::days(d))
                    .format("%Y-%m-%d")
                    .to_string(),
                calls: f.calls,
                three_ring_pct: f.three_ring_pct,
                answer_p90_s: f.answer_p90_s,
            }
        })
        .collect();
    let by_taker = takers
        .into_iter()
        .map(|(k, groups)| TakerFigures {
            taker_id: k.to_string(),
            figures: figures(&groups),
        })
        .collect();
    let mut f = FollowUpFigures::default();
    for &(at, closed) in due {
        f.due += 1;
        match closed {
            Some(c) if c <= at => f.closed_on_time += 1,
            Some(_) => f.closed_late += 1,
            None if at < now => f.open_overdue += 1,
            None => {}
        }
    }
    f.on_time_pct = pct(
        f.closed_on_time,
        f.closed_on_time + f.closed_late + f.open_overdue,
    );
    Report {
        from: scope.from,
        to: scope.to,
        taker_id: scope.taker.map(str::to_string),
        figures: figures(&all),
        dispositions,
        followups: f,
        by_taker,
        by_day,
        this_seat_only: false,
    }
}
