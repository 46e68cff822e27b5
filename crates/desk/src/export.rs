//! Exports for a shift lead's superior: the filtered log and the dashboard
//! as CSV (UTF-8 with a byte-order mark, which Excel needs to read Chinese)
//! or XLSX (a bold, frozen header row with filters).

use std::io::Write;
use std::path::Path;

use chrono::{Duration, FixedOffset};
use jiejing_core::Language;
use jiejing_store::{Figures, LogRow, Report};

use crate::ExportFormat;

pub(crate) enum Cell {
    Text(String),
    Num(f64),
    Empty,
}

pub(crate) struct Table {
    pub sheet: &'static str,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn num(v: Option<f64>) -> Cell {
    v.map_or(Cell::Empty, Cell::Num)
}

fn count(n: u64) -> Cell {
    Cell::Num(n as f64)
}

pub(crate) fn log_table(rows: &[LogRow], lang: Language, offset_min: i32) -> Table {
    let zh = lang == Language::ZhCn;
    let zone = FixedOffset::east_opt(offset_min * 60)
        .unwrap_or(FixedOffset::east_opt(8 * 3600).expect("valid"));
    let headers = if zh {
        vec![
            "编号",
            "来电时间",
            "接警员",
            "来电号码",
            "状态",
            "处置",
            "响铃声数",
            "接听用时(秒)",
            "三声内接听",
            "已问清要素(共8项)",
            "情形",
            "不合格项",
            "审核",
            "审核得分",
        ]
    } else {
        vec![
            "ID",
            "Rang at",
            "Call-taker",
            "Caller number",
            "State",
            "Disposition",
            "Rings",
            "Seconds to answer",
            "Within three rings",
            "Items established (of 8)",
            "Situations",
            "Failures",
            "Review",
            "QA score",
        ]
    };
    let yes_no = |b: bool| {
        if zh {
            if b {
                "是"
            } else {
                "否"
            }
        } else if b {
            "yes"
        } else {
            "no"
        }
    };
    let join = |v: Vec<&str>| v.join(if zh { "、" } else { ", " });
    let rows = rows
        .iter()
        .map(|r| {
            vec![
                Cell::Num(r.id as f64),
                text(
                    (r.ring_at + Duration::zero())
                        .with_timezone(&zone)
                        .format("%Y-%m-%d %H:%M:%S")
                        .to_string(),
                ),
                text(&r.taker_id),
                text(&r.caller_number),
                text(label(r.state.as_str(), zh)),
                text(r.disposition.map_or("", |d| label(d.as_str(), zh))),
                num(r.rings_before_answer.map(f64::from)),
                num(r.answer_s),
                r.rings_before_answer
                    .map_or(Cell::Empty, |n| text(yes_no(n <= jiejing_core::MAX_RINGS))),
                Cell::Num(f64::from(r.elements_done)),
                text(join(
                    r.situations.iter().map(|s| label(s.as_str(), zh)).collect(),
                )),
                text(join(
                    r.failures.iter().map(|f| label(f.as_str(), zh)).collect(),
                )),
                text(r.review.map_or("", |s| label(s.as_str(), zh))),
                num(r.score),
            ]
        })
        .collect();
    Table {
        sheet: if zh { "通话记录" } else { "Calls" },
        headers,
        rows,
    }
}

pub(crate) fn report_table(r: &Report, lang: Language) -> Table {
    let zh = lang == Language::ZhCn;
    let headers = if zh {
        vec![
            "范围",
            "来电",
            "接听",
            "未接",
            "已听到响铃",
            "三声内接听",
            "三声内接听率(%)",
            "接听用时P50(秒)",
            "P90(秒)",
            "P95(秒)",
            "10秒内(%)",
            "15秒内(%)",
            "20秒内(%)",
            "要素完整率(%)",
            "问候语(%)",
            "已审核",
            "平均得分",
            "严重偏差",
            "回复到期",
            "按时回复",
            "逾期回复",
            "逾期未回复",
            "按时率(%)",
        ]
    } else {
        vec![
            "Scope",
            "Calls",
            "Answered",
            "Missed",
            "Rings heard",
            "Within three rings",
            "Three-ring %",
            "Answer p50 (s)",
            "p90 (s)",
            "p95 (s)",
            "Within 10 s %",
            "Within 15 s %",
            "Within 20 s %",
            "Complete %",
            "Greeting %",
            "Reviewed",
            "Mean QA score",
            "Critical deviations",
            "Follow-ups due",
            "On time",
            "Late",
            "Open overdue",
            "On-time %",
        ]
    };
    let figures = |name: String, f: &Figures| {
        vec![
            text(name),
            count(f.calls),
            count(f.answered),
            count(f.missed),
            count(f.rings_heard),
            count(f.within_three_rings),
            num(f.three_ring_pct),
            num(f.answer_p50_s),
            num(f.answer_p90_s),
            num(f.answer_p95_s),
            num(f.within_10s_pct),
            num(f.within_15s_pct),
            num(f.within_20s_pct),
            num(f.complete_pct),
            num(f.greeting_pct),
            count(f.reviewed),
            num(f.qa_mean),
            count(f.qa_critical),
        ]
    };
    let fu = &r.followups;
    let mut all = figures(if zh { "全部".into() } else { "All".into() }, &r.figures);
    all.extend([
        count(fu.due),
        count(fu.closed_on_time),
        count(fu.closed_late),
        count(fu.open_overdue),
        num(fu.on_time_pct),
    ]);
    let mut rows = vec![all];
    for t in &r.by_taker {
        let name = if zh {
            format!("接警员 {}", t.taker_id)
        } else {
            format!("Call-taker {}", t.taker_id)
        };
        rows.push(figures(name, &t.figures));
    }
    Table {
        sheet: if zh { "统计" } else { "Figures" },
        headers,
        rows,
    }
}

/// Chinese names of the keys that appear in exports.
pub(crate) fn label(key: &str, zh: bool) -> &str {
    if !zh {
        return key;
    }
    match key {
        "ringing" => "响铃中",
        "answered" => "已接听",
        "in_progress" => "处理中",
        "closed" => "已结束",
        "police_incident" => "警情",
        "emergency_help" => "紧急求助",
        "consultation" => "咨询",
        "complaint" => "投诉",
        "harassment" => "骚扰",
        "repeat_urging" => "重复/催促",
        "other" => "其他",
        "panicked" => "惊慌",
        "rude" => "粗鲁",
        "missed" => "未接",
        "over_three_rings" => "超过三声",
        "no_greeting" => "未标记问候语",
        "elements_missing" => "要素缺失",
        "complaint_overdue" => "投诉回复逾期",
        "sampled" => "待审核",
        "reviewed" => "已审核",
        other => other,
    }
}

pub(crate) fn write(table: &Table, format: ExportFormat, path: &Path) -> Result<(), String> {
    crate::paths::replace_file(path, |tmp| match format {
        ExportFormat::Csv => write_csv(table, tmp),
        ExportFormat::Xlsx => write_xlsx(table, tmp),
    })
}

/// One CSV cell. Text that a spreadsheet would take for a formula (it
/// starts with = + - @, a tab or a carriage return: a caller's words or a
/// typed note can) gets a leading apostrophe, so opening the export never
/// runs it (OWASP's CSV injection advice). XLSX cells are written as text
/// and need nothing.
fn csv_field(s: &str) -> String {
    let s = match s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        true => format!("'{s}"),
        false => s.to_string(),
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn write_csv(table: &Table, path: &Path) -> Result<(), String> {
    let file = std::fs::File::create(path).map_err(|e| e.to_string())?;
    let mut w = std::io::BufWriter::new(file);
    let io = |e: std::io::Error| e.to_string();
    w.write_all("\u{feff}".as_bytes()).map_err(io)?;
    let header: Vec<String> = table.headers.iter().map(|h| csv_field(h)).collect();
    write!(w, "{}\r\n", header.join(",")).map_err(io)?;
    for row in &table.rows {
        let cells: Vec<String> = row
            .iter()
            .map(|c| match c {
                Cell::Text(s) => csv_field(s),
                Cell::Num(v) => v.to_string(),
                Cell::Empty => String::new(),
            })
            .collect();
        write!(w, "{}\r\n", cells.join(",")).map_err(io)?;
    }
    w.into_inner()
        .map_err(|e| e.to_string())?
        .sync_all()
        .map_err(io)
}

/// Excel holds at most 32,767 characters in a cell: a longer text (a note
/// pasted whole) is cut there and says so, rather than failing the export.
fn xlsx_text(s: &str) -> std::borrow::Cow<'_, str> {
    const MAX: usize = 32_767;
    match s.char_indices().nth(MAX) {
        None => s.into(),
        Some(_) => {
            const CUT: &str = "…(截断)";
            let keep = MAX - CUT.chars().count();
            let end = s.char_indices().nth(keep).map_or(s.len(), |(i, _)| i);
            format!("{}{CUT}", &s[..end]).into()
        }
    }
}

fn write_xlsx(table: &Table, path: &Path) -> Result<(), String> {
    use rust_xlsxwriter::{Format, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(table.sheet).map_err(err)?;
    let bold = Format::new().set_bold();
    for (c, h) in table.headers.iter().enumerate() {
        sheet
            .write_string_with_format(0, c as u16, *h, &bold)
            .map_err(err)?;
        sheet
            .set_column_width(c as u16, (h.chars().count() as f64 * 2.2).max(10.0))
            .map_err(err)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            match cell {
                Cell::Text(s) => sheet.write_string(r, c as u16, xlsx_text(s)).map(|_| ()),
                Cell::Num(v) => sheet.write_number(r, c as u16, *v).map(|_| ()),
                Cell::Empty => Ok(()),
            }
            .map_err(err)?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(err)?;
    let last_col = table.headers.len().saturating_sub(1) as u16;
    sheet
        .autofilter(0, 0, table.rows.len() as u32, last_col)
        .map_err(err)?;
    book.save(path).map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_needs_it() {
        assert_eq!(csv_field("人民路1号"), "人民路1号");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("他说\"快来\""), "\"他说\"\"快来\"\"\"");
    }

    /// RFC 4180 as a spreadsheet reads it back: rows of cells.
    fn read_csv(text: &str) -> Vec<Vec<String>> {
        let (mut rows, mut row, mut cell) = (Vec::new(), Vec::new(), String::new());
        let mut chars = text.trim_start_matches('\u{feff}').chars().peekable();
        let mut quoted = false;
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                (true, '"') => quoted = false,
                (true, c) => cell.push(c),
                (false, '"') if cell.is_empty() => quoted = true,
                (false, ',') => row.push(std::mem::take(&mut cell)),
                (false, '\r') if chars.peek() == Some(&'\n') => {
                    chars.next();
                    row.push(std::mem::take(&mut cell));
                    rows.push(std::mem::take(&mut row));
                }
                (false, c) => cell.push(c),
            }
        }
        rows
    }

    #[test]
    fn any_text_goes_out_whole_and_never_as_a_formula() {
        let dir = tempfile::tempdir().unwrap();
        let (csv, xlsx) = (dir.path().join("x.csv"), dir.path().join("x.xlsx"));
        let alphabet: Vec<char> = "=+-@\t\r\n\",'a1 中文😀\u{0}\u{1b}\u{7f}\u{2028}"
            .chars()
            .collect();
        let mut rng = jiejing_fuzz::Rng::new(11);
        for case in 0..jiejing_fuzz::cases() {
            let mut cells: Vec<String> = (0..6)
                .map(|_| {
                    (0..rng.below(30))
                        .map(|_| alphabet[rng.below(alphabet.len())])
                        .collect()
                })
                .collect();
            if case == 0 {
                cells[0] = "长".repeat(40_000); // longer than a cell holds
            }
            let table = Table {
                sheet: "x",
                headers: vec!["h"; 6],
                rows: vec![cells.iter().map(|s| Cell::Text(s.clone())).collect()],
            };
            write(&table, ExportFormat::Csv, &csv).unwrap();
            let back = read_csv(&std::fs::read_to_string(&csv).unwrap());
            assert_eq!(back.len(), 2, "case {case}: {cells:?}");
            for (sent, got) in cells.iter().zip(&back[1]) {
                let formula = sent.starts_with(['=', '+', '-', '@', '\t', '\r']);
                let want = if formula {
                    format!("'{sent}")
                } else {
                    sent.clone()
                };
                assert_eq!(got, &want, "case {case}");
                assert!(
                    !got.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "case {case}: {got:?}"
                );
            }
            write(&table, ExportFormat::Xlsx, &xlsx).unwrap_or_else(|e| panic!("case {case}: {e}"));
        }
    }

    #[test]
    fn csv_never_hands_a_spreadsheet_a_formula() {
        assert_eq!(
            csv_field("=HYPERLINK(\"http://x\")"),
            "\"'=HYPERLINK(\"\"http://x\"\")\""
        );
        assert_eq!(csv_field("+8613812345678"), "'+8613812345678");
        assert_eq!(csv_field("-1+1"), "'-1+1");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_field("\tx"), "'\tx");
        assert_eq!(csv_field("a=b"), "a=b");
    }
}
