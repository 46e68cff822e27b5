//! The 接警登记表 as PDF. The desk says what the form holds ([`Form`]:
//! sections of labelled rows, in the words it should print); this crate
//! lays it out on A4 like the paper form (a ruled grid of label and value
//! cells, the value wrapped inside its cell) and writes it with only the
//! glyphs it uses of a CJK font, so a form is tens of kilobytes and its
//! text can be searched and copied. Layout ([`layout`]) is separate from
//! drawing, so where things go is tested without reading a PDF.

mod face;
pub mod layout;
mod pdf;

pub use face::Typeface;
pub use pdf::render;

/// One call's form.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    /// The station, printed above the title.
    pub station: String,
    /// "接警登记表".
    pub title: String,
    /// Printed under the title on the right, e.g. "接警编号 20261201-0042".
    pub number: String,
    pub sections: Vec<Section>,
    /// Printed at the foot of its last page (who printed it, when).
    pub footer: String,
}

/// A heading and its rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub heading: String,
    pub rows: Vec<Row>,
}

/// A label and what was recorded; an empty value prints as an empty cell,
/// as on paper.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub label: String,
    pub value: String,
}

impl Row {
    pub fn new(label: impl Into<String>, value: impl Into<String>) -> Row {
        Row {
            label: label.into(),
            value: value.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FormError {
    /// No usable font: where it was looked for and what to do.
    #[error("{0}")]
    Font(String),
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
}
