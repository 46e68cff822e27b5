//! The font the form is printed in. A CJK font is large (Noto Sans CJK is
//! 19 MB), so it is not shipped in the binary: the package depends on
//! Debian's `fonts-noto-cjk` (OFL), and a station may put its own in the
//! data folder. Only the glyphs a form uses are embedded in the PDF.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::FormError;

/// Where the system's Noto Sans CJK is, on Debian and Ubuntu.
pub const SYSTEM_FONT: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

/// The names a station's own font may have in the data folder.
pub const STATION_FONTS: [&str; 3] = ["form-font.ttc", "form-font.otf", "form-font.ttf"];

/// A font file and the face in it that prints simplified Chinese.
#[derive(Clone)]
pub struct Typeface {
    pub(crate) data: Arc<Vec<u8>>,
    pub(crate) index: u32,
    pub(crate) units_per_em: f32,
    /// Where it came from, for messages.
    pub path: PathBuf,
}

impl std::fmt::Debug for Typeface {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Typeface({} #{})", self.path.display(), self.index)
    }
}

impl Typeface {
    /// The station's font in `data_dir` if it has one, else the system's.
    ///
    /// # Errors
    /// [`FormError::Font`] saying where it looked and what to install.
    pub fn find(data_dir: &Path) -> Result<Typeface, FormError> {
        for name in STATION_FONTS {
            let p = data_dir.join(name);
            if p.exists() {
                return Typeface::load(&p);
            }
        }
        if Path::new(SYSTEM_FONT).exists() {
            return Typeface::load(Path::new(SYSTEM_FONT));
        }
        Err(FormError::Font(format!(
            "no Chinese font to print the form with: install the package fonts-noto-cjk ({SYSTEM_FONT}), or put a font with Chinese glyphs in {} as {}",
            data_dir.display(),
            STATION_FONTS.join(" or ")
        )))
    }

    /// The font in `path`; of a collection (`.ttc`), the simplified
    /// Chinese face (family name ending " SC"), else its first.
    ///
    /// # Errors
    /// [`FormError::Font`] naming the file: unreadable, not a font, or
    /// without Chinese glyphs.
    pub fn load(path: &Path) -> Result<Typeface, FormError> {
        let bad = |why: String| FormError::Font(format!("{}: {why}", path.display()));
        let data = std::fs::read(path).map_err(|e| bad(format!("cannot read: {e}")))?;
        let faces = ttf_parser::fonts_in_collection(&data).unwrap_or(1);
        let mut chosen = None;
        for i in 0..faces {
            let Ok(face) = ttf_parser::Face::parse(&data, i) else {
                continue;
            };
            let sc = face.names().into_iter().any(|n| {
                n.name_id == ttf_parser::name_id::FAMILY
                    && n.to_string().is_some_and(|s| s.ends_with(" SC"))
            });
            if chosen.is_none() || sc {
                chosen = Some((i, face.units_per_em()));
            }
            if sc {
                break;
            }
        }
        let (index, upem) =
            chosen.ok_or_else(|| bad("not a font file (TrueType or OpenType)".into()))?;
        let face = ttf_parser::Face::parse(&data, index).map_err(|e| bad(e.to_string()))?;
        if "接警登记表".chars().any(|c| face.glyph_index(c).is_none()) {
            return Err(bad("has no Chinese glyphs (接警登记表)".into()));
        }
        Ok(Typeface {
            data: Arc::new(data),
            index,
            units_per_em: f32::from(upem),
            path: path.to_path_buf(),
        })
    }

    /// A measurer of text widths in this face.
    pub(crate) fn measure(&self) -> Result<Measure<'_>, FormError> {
        let face = ttf_parser::Face::parse(&self.data, self.index)
            .map_err(|e| FormError::Font(format!("{}: {e}", self.path.display())))?;
        Ok(Measure {
            face,
            upem: self.units_per_em,
        })
    }
}

/// Widths of characters in one face.
pub struct Measure<'a> {
    face: ttf_parser::Face<'a>,
    upem: f32,
}

impl Measure<'_> {
    /// The advance of `c` at `size` points (a missing glyph takes the
    /// width of the font's empty box, as it will print).
    pub fn width(&self, c: char, size: f32) -> f32 {
        let gid = self.face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
        f32::from(self.face.glyph_hor_advance(gid).unwrap_or(0)) * size / self.upem
    }
}

#[cfg(test)]
pub(crate) fn system() -> Typeface {
    Typeface::load(Path::new(SYSTEM_FONT)).expect("fonts-noto-cjk is installed by make setup-test")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_is_not_a_font_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("form-font.ttf");
        std::fs::write(&p, b"not a font at all").unwrap();
        let e = Typeface::find(dir.path()).unwrap_err().to_string();
        assert!(
            e.contains("form-font.ttf") && e.contains("not a font"),
            "{e}"
        );
        assert_eq!(
            system().path,
            Path::new(SYSTEM_FONT),
            "the station's font comes first, else the system's"
        );
        let face = Typeface::find(tempfile::tempdir().unwrap().path()).unwrap();
        assert!(
            face.index > 0,
            "the SC face of the collection, not the JP one"
        );
    }
}
