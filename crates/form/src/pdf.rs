//! Draws laid-out pages into a PDF (krilla: the font is subset to the
//! glyphs used, with a ToUnicode map, so the text can be searched).

use krilla::color::{luma, rgb};
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};
use krilla::Document;

use crate::layout::{self, Op, PAGE_H, PAGE_W};
use crate::{Form, FormError, Typeface};

/// `forms` as one PDF, each starting on a new page.
///
/// # Errors
/// [`FormError::Font`] when the face cannot be read, [`FormError::Pdf`]
/// when the document cannot be written.
pub fn render(forms: &[Form], face: &Typeface) -> Result<Vec<u8>, FormError> {
    // A station's own font is outside input, and the subsetter is not ours:
    // a font it cannot take fails this print, in words, not the app.
    std::panic::catch_unwind(|| draw(forms, face)).unwrap_or_else(|_| {
        Err(FormError::Font(format!(
            "{}: this font could not be embedded in the PDF; use another (fonts-noto-cjk's works)",
            face.path.display()
        )))
    })
}

fn draw(forms: &[Form], face: &Typeface) -> Result<Vec<u8>, FormError> {
    let pages = layout::pages(forms, &face.measure()?);
    let font = Font::new(face.data.as_ref().clone().into(), face.index).ok_or_else(|| {
        FormError::Font(format!(
            "{}: krilla cannot read this font",
            face.path.display()
        ))
    })?;
    let mut doc = Document::new();
    let title = forms.first().map_or_else(String::new, |f| f.title.clone());
    doc.set_metadata(
        Metadata::new()
            .title(title)
            .creator("Jiejing".into())
            .language("zh-CN".into()),
    );
    let black = Fill {
        paint: luma::Color::black().into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    };
    for page in &pages {
        let mut p = doc.start_page_with(PageSettings::new(PAGE_W, PAGE_H));
        let mut s = p.surface();
        for op in &page.ops {
            match op {
                Op::Text { x, y, size, text } => {
                    s.set_fill(Some(black.clone()));
                    s.set_stroke(None);
                    s.draw_text(
                        Point::from_xy(*x, *y),
                        font.clone(),
                        *size,
                        text,
                        false,
                        TextDirection::LeftToRight,
                    );
                }
                Op::Rule {
                    x1,
                    y1,
                    x2,
                    y2,
                    width,
                } => {
                    let mut pb = PathBuilder::new();
                    pb.move_to(*x1, *y1);
                    pb.line_to(*x2, *y2);
                    if let Some(path) = pb.finish() {
                        s.set_fill(None);
                        s.set_stroke(Some(Stroke {
                            width: *width,
                            ..Stroke::default()
                        }));
                        s.draw_path(&path);
                    }
                }
                Op::Band { x, y, w, h } => {
                    let mut pb = PathBuilder::new();
                    if let Some(r) = krilla::geom::Rect::from_xywh(*x, *y, *w, *h) {
                        pb.push_rect(r);
                    }
                    if let Some(path) = pb.finish() {
                        s.set_stroke(None);
                        s.set_fill(Some(Fill {
                            paint: rgb::Color::new(235, 235, 235).into(),
                            opacity: NormalizedF32::ONE,
                            rule: Default::default(),
                        }));
                        s.draw_path(&path);
                    }
                }
            }
        }
        s.finish();
        p.finish();
    }
    doc.finish().map_err(|e| FormError::Pdf(format!("{e:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Row, Section};

    #[test]
    fn a_form_is_a_small_pdf_with_its_font_subset() {
        let face = crate::face::system();
        let form = Form {
            station: "常州110报警服务台".into(),
            title: "接警登记表".into(),
            number: "接警编号 20261201-0042".into(),
            sections: vec![Section {
                heading: "报警内容".into(),
                rows: vec![Row::new("何地", "钟楼区南大街88号")],
            }],
            footer: "打印：L01".into(),
        };
        let pdf = render(&[form], &face).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(
            pdf.len() < 200_000,
            "a subset, not the 19 MB font: {} bytes",
            pdf.len()
        );
    }
}
