//! How long a shift's 接警登记表 take to print: N forms (default 300, a
//! busy day at one seat) laid out and written as one PDF, beside the
//! layout alone in the same run (the floor: what the PDF writing and font
//! subsetting add). Prints forms/s, ms per form and bytes per form.
//! `JIEJING_BENCH_FORMS`; `cargo bench -p jiejing-form --bench forms`.

use std::time::Instant;

use jiejing_form::{Form, Row, Section, Typeface};

fn form(i: usize) -> Form {
    let long = "报警人称在钟楼区南大街88号门口与人发生口角后被打伤，嫌疑人驾驶苏D12345向西逃离，现场有两名目击者";
    Form {
        station: "常州110报警服务台".into(),
        title: "接警登记表".into(),
        number: format!("接警编号 20261201-{i:04}"),
        sections: vec![
            Section {
                heading: "一、接警".into(),
                rows: [
                    "来电时间",
                    "接听时间",
                    "接警员工号",
                    "问候语",
                    "接警用语",
                    "来电号码",
                    "报警人姓名",
                    "联系方式",
                ]
                .iter()
                .map(|l| Row::new(*l, format!("{l} {i} 2026-12-01 09:30:12")))
                .collect(),
            },
            Section {
                heading: "二、报警内容（七要素）".into(),
                rows: ["何时", "何地", "何事", "何人", "何因", "何物", "何果"]
                    .iter()
                    .map(|l| Row::new(*l, &long[..long.len() - (i % 7) * 3]))
                    .collect(),
            },
            Section {
                heading: "三、处置".into(),
                rows: vec![Row::new("处置结果", "警情"), Row::new("备注", long)],
            },
        ],
        footer: "打印：L01 2026-12-02 08:00:00".into(),
    }
}

fn main() {
    let n: usize = std::env::var("JIEJING_BENCH_FORMS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let face = Typeface::find(std::path::Path::new("/nonexistent")).expect("fonts-noto-cjk");
    let forms: Vec<Form> = (0..n).map(form).collect();
    let t = Instant::now();
    let pages = jiejing_form::layout::pages_of(&forms, &face).expect("layout");
    let layout_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let pdf = jiejing_form::render(&forms, &face).expect("render");
    let render_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let one = jiejing_form::render(&forms[..1], &face).expect("render one");
    let one_s = t.elapsed().as_secs_f64();
    println!("forms  pages  layout s  PDF s  forms/s  ms/form  KB/form  one form: ms  KB");
    println!(
        "{n:>5} {:>6} {layout_s:>9.3} {render_s:>6.2} {:>8.0} {:>8.1} {:>8.1} {:>13.1} {:>4.0}",
        pages,
        n as f64 / render_s,
        render_s * 1000.0 / n as f64,
        pdf.len() as f64 / 1024.0 / n as f64,
        one_s * 1000.0,
        one.len() as f64 / 1024.0
    );
}
