//! Where every piece of a form goes, in points from the top left of an A4
//! page: a list of texts and rules per page, drawn by `pdf.rs`.

use crate::face::Measure;
use crate::{Form, Row};

pub const PAGE_W: f32 = 595.28;
pub const PAGE_H: f32 = 841.89;
/// About 15 mm each side, as forms are printed.
const MARGIN: f32 = 42.0;
const TOP: f32 = 48.0;
const BOTTOM: f32 = 56.0;
/// The label column; the value takes the rest.
const LABEL_W: f32 = 104.0;
const PAD: f32 = 5.0;
/// 五号, the size of a printed form's body.
pub const BODY: f32 = 10.5;
const LEADING: f32 = 1.45;
const TITLE: f32 = 20.0;
const HEADING: f32 = 11.5;

/// One thing drawn.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// `y` is the baseline.
    Text {
        x: f32,
        y: f32,
        size: f32,
        text: String,
    },
    Rule {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
    },
    /// A grey band behind a section's heading.
    Band { x: f32, y: f32, w: f32, h: f32 },
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    pub ops: Vec<Op>,
}

/// How many pages `forms` take (the benchmark's layout-only floor).
///
/// # Errors
/// The face cannot be read.
pub fn pages_of(forms: &[Form], face: &crate::Typeface) -> Result<usize, crate::FormError> {
    Ok(pages(forms, &face.measure()?).len())
}

/// The pages of `forms`, each form starting on a page of its own.
pub(crate) fn pages(forms: &[Form], m: &Measure<'_>) -> Vec<Page> {
    let mut out = Vec::new();
    for form in forms {
        out.extend(one(form, m));
    }
    out
}

fn text(x: f32, y: f32, size: f32, t: &str) -> Op {
    Op::Text {
        x,
        y,
        size,
        text: t.to_string(),
    }
}

fn width(t: &str, size: f32, m: &Measure<'_>) -> f32 {
    t.chars().map(|c| m.width(c, size)).sum()
}

/// The pages of one form, numbered "第n页 共N页" among themselves.
fn one(form: &Form, m: &Measure<'_>) -> Vec<Page> {
    let mut pages = vec![Page::default()];
    let center = |t: &str, size: f32| (PAGE_W - width(t, size, m)) / 2.0;
    let mut y = TOP + 12.0;
    let p = &mut pages[0].ops;
    p.push(text(center(&form.station, 12.0), y, 12.0, &form.station));
    y += TITLE + 10.0;
    p.push(text(center(&form.title, TITLE), y, TITLE, &form.title));
    y += BODY + 12.0;
    let right = PAGE_W - MARGIN - width(&form.number, BODY, m);
    p.push(text(right, y, BODY, &form.number));
    y += 8.0;

    let (left, right) = (MARGIN, PAGE_W - MARGIN);
    let value_x = left + LABEL_W;
    let line = BODY * LEADING;
    let floor = PAGE_H - BOTTOM;
    for section in &form.sections {
        // A heading is not left alone at the foot of a page.
        let first = section.rows.first().map_or(0.0, |r| row_height(r, m));
        let heading_h = HEADING * LEADING + 2.0 * PAD;
        if y + heading_h + first.min(3.0 * line + 2.0 * PAD) > floor {
            y = next_page(&mut pages, form, m);
        }
        let ops = &mut pages.last_mut().expect("a page").ops;
        ops.push(Op::Band {
            x: left,
            y,
            w: right - left,
            h: heading_h,
        });
        grid(ops, left, right, y, y + heading_h, None);
        ops.push(text(
            left + PAD,
            y + PAD + HEADING,
            HEADING,
            &section.heading,
        ));
        y += heading_h;
        for row in &section.rows {
            let label = wrap(&row.label, LABEL_W - 2.0 * PAD, BODY, m);
            let mut value = wrap(&row.value, right - value_x - 2.0 * PAD, BODY, m);
            let mut label_done = false;
            // A value longer than what is left of the page goes on over the
            // next, its label repeated there.
            loop {
                let fits = ((floor - y - 2.0 * PAD) / line).floor().max(0.0) as usize;
                let rows_needed = value.len().max(label.len()).max(1);
                if fits == 0 || (fits < rows_needed && fits < 3) {
                    y = next_page(&mut pages, form, m);
                    continue;
                }
                let take = rows_needed.min(fits);
                let h = take as f32 * line + 2.0 * PAD;
                let ops = &mut pages.last_mut().expect("a page").ops;
                grid(ops, left, right, y, y + h, Some(value_x));
                let shown: Vec<String> = if label_done {
                    vec![format!("{}（续）", row.label)]
                } else {
                    label.clone()
                };
                for (i, l) in shown.iter().take(take).enumerate() {
                    ops.push(text(left + PAD, y + PAD + BODY + i as f32 * line, BODY, l));
                }
                let rest = value.split_off(take.min(value.len()));
                for (i, l) in value.iter().enumerate() {
                    ops.push(text(
                        value_x + PAD,
                        y + PAD + BODY + i as f32 * line,
                        BODY,
                        l,
                    ));
                }
                y += h;
                label_done = true;
                if rest.is_empty() {
                    break;
                }
                value = rest;
                y = next_page(&mut pages, form, m);
            }
        }
    }
    let n = pages.len();
    for (i, page) in pages.iter_mut().enumerate() {
        let y = PAGE_H - BOTTOM + 24.0;
        page.ops.push(text(MARGIN, y, 9.0, &form.footer));
        let count = format!("第{}页 共{n}页", i + 1);
        let x = PAGE_W - MARGIN - width(&count, 9.0, m);
        page.ops.push(text(x, y, 9.0, &count));
    }
    pages
}

/// Starts a page of `form`'s with its running head; returns where the
/// grid goes on.
fn next_page(pages: &mut Vec<Page>, form: &Form, m: &Measure<'_>) -> f32 {
    let mut page = Page::default();
    let head = format!("{}（续）", form.title);
    page.ops.push(text(MARGIN, TOP + BODY, BODY, &head));
    let x = PAGE_W - MARGIN - width(&form.number, BODY, m);
    page.ops.push(text(x, TOP + BODY, BODY, &form.number));
    pages.push(page);
    TOP + BODY + 10.0
}

fn row_height(row: &Row, m: &Measure<'_>) -> f32 {
    let value_w = PAGE_W - 2.0 * MARGIN - LABEL_W - 2.0 * PAD;
    let n = wrap(&row.value, value_w, BODY, m)
        .len()
        .max(wrap(&row.label, LABEL_W - 2.0 * PAD, BODY, m).len())
        .max(1);
    n as f32 * BODY * LEADING + 2.0 * PAD
}

/// The rules of one cell row: its box, and the label/value divider.
fn grid(ops: &mut Vec<Op>, left: f32, right: f32, top: f32, bottom: f32, split: Option<f32>) {
    let rule = |x1, y1, x2, y2| Op::Rule {
        x1,
        y1,
        x2,
        y2,
        width: 0.6,
    };
    ops.push(rule(left, top, right, top));
    ops.push(rule(left, bottom, right, bottom));
    ops.push(rule(left, top, left, bottom));
    ops.push(rule(right, top, right, bottom));
    if let Some(x) = split {
        ops.push(rule(x, top, x, bottom));
    }
}

/// `t` broken into lines no wider than `max`: at its own line breaks, then
/// between any two characters of Chinese, but not inside a run of Latin
/// letters and digits (a phone number, a plate) that fits on a line.
pub fn wrap(t: &str, max: f32, size: f32, m: &Measure<'_>) -> Vec<String> {
    let mut out = Vec::new();
    for para in t.split('\n') {
        let chars: Vec<char> = para.chars().collect();
        let mut line = String::new();
        let mut w = 0.0;
        let mut i = 0;
        while i < chars.len() {
            // The unit to place: a run of ASCII letters/digits, or one char.
            let end = if chars[i].is_ascii_alphanumeric() {
                let mut j = i;
                while j < chars.len() && chars[j].is_ascii_alphanumeric() {
                    j += 1;
                }
                j
            } else {
                i + 1
            };
            let unit: String = chars[i..end].iter().collect();
            let uw = width(&unit, size, m);
            if w + uw <= max {
                line.push_str(&unit);
                w += uw;
                i = end;
            } else if line.is_empty() {
                // A run wider than a line: broken where it must be.
                for &c in &chars[i..end] {
                    let cw = m.width(c, size);
                    if w + cw > max && !line.is_empty() {
                        out.push(std::mem::take(&mut line));
                        w = 0.0;
                    }
                    line.push(c);
                    w += cw;
                }
                i = end;
            } else {
                out.push(std::mem::take(&mut line));
                w = 0.0;
                if unit == " " {
                    i = end;
                }
            }
        }
        out.push(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Row, Section};

    fn form(rows: usize, value: &str) -> Form {
        Form {
            station: "常州110报警服务台".into(),
            title: "接警登记表".into(),
            number: "接警编号 20261201-0042".into(),
            sections: vec![Section {
                heading: "报警内容".into(),
                rows: (0..rows)
                    .map(|i| Row::new(format!("项{i}"), value))
                    .collect(),
            }],
            footer: "打印：L01 2026-12-01 09:30".into(),
        }
    }

    fn texts(p: &Page) -> Vec<&str> {
        p.ops
            .iter()
            .filter_map(|o| match o {
                Op::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn lines_fit_their_cell_and_numbers_are_not_split() {
        let face = crate::face::system();
        let m = face.measure().unwrap();
        let max = 120.0;
        let t =
            "报警人称在钟楼区南大街88号门口被人打伤，联系电话15961234567，嫌疑人驾驶苏D12345逃离";
        let lines = wrap(t, max, BODY, &m);
        assert!(lines.len() > 2, "{lines:?}");
        for l in &lines {
            assert!(width(l, BODY, &m) <= max + 0.01, "{l}");
        }
        assert_eq!(lines.concat(), t, "nothing lost");
        assert!(lines.iter().any(|l| l.contains("15961234567")), "{lines:?}");
        assert_eq!(wrap("", max, BODY, &m), vec![String::new()]);
        assert_eq!(wrap("一\n二", max, BODY, &m), vec!["一", "二"]);
    }

    #[test]
    fn a_long_form_goes_on_over_pages_numbered_among_themselves() {
        let face = crate::face::system();
        let m = face.measure().unwrap();
        let short = pages(&[form(5, "值")], &m);
        assert_eq!(short.len(), 1);
        assert!(texts(&short[0]).contains(&"第1页 共1页"));
        let long = "很长的叙述".repeat(400);
        let two = pages(&[form(3, &long), form(1, "值")], &m);
        assert!(two.len() >= 4, "{}", two.len());
        let last = two.last().unwrap();
        assert!(
            texts(last).contains(&"第1页 共1页"),
            "the second form numbers its own"
        );
        let n = two.len() - 1;
        assert!(texts(&two[n - 1]).contains(&format!("第{n}页 共{n}页").as_str()));
        assert!(texts(&two[1]).contains(&"接警登记表（续）"));
        assert!(texts(&two[1])
            .iter()
            .any(|t| t.ends_with("（续）") && t.starts_with("项")));
        // Nothing is drawn below the foot margin but the footer.
        for p in &two {
            for o in &p.ops {
                if let Op::Text { y, size, .. } = o {
                    assert!(*y <= PAGE_H - BOTTOM || *size < BODY, "{o:?}");
                }
            }
        }
    }
}
