//! The station's gazetteer: the districts, towns, roads, residential
//! compounds and landmarks of its area. Speech snaps a place it heard to
//! the nearest entry and tells the recogniser these names; a station
//! replaces the built-in sample with its own list (`gazetteer.toml` in the
//! data folder), as it does the referral directory.

use serde::Deserialize;
use toml::Spanned;

use crate::phrases::Source;
use crate::CoreError;

const BUILTIN: &str = include_str!("../../../assets/gazetteer/zh-CN.toml");

/// What kind of place an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceKind {
    /// A district or county-level city.
    District,
    /// A town (镇) or sub-district (街道).
    Town,
    Road,
    /// A residential compound (小区, 新村).
    Compound,
    Landmark,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub name: String,
    pub kind: PlaceKind,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Gazetteer {
    /// The city, as the greeting names it (常州).
    pub city: String,
    /// The file says it is a sample, not the station's whole area.
    pub sample: bool,
    pub places: Vec<Place>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    city: Spanned<String>,
    #[serde(default)]
    sample: bool,
    #[serde(default)]
    districts: Vec<Spanned<String>>,
    #[serde(default)]
    towns: Vec<Spanned<String>>,
    #[serde(default)]
    roads: Vec<Spanned<String>>,
    #[serde(default)]
    compounds: Vec<Spanned<String>>,
    #[serde(default)]
    landmarks: Vec<Spanned<String>>,
}

impl Gazetteer {
    /// The built-in file's text (Settings shows it for a station to edit).
    pub fn builtin_text() -> &'static str {
        BUILTIN
    }

    /// The built-in sample (Changzhou).
    pub fn builtin() -> Gazetteer {
        // A test parses it, so this cannot fail in a build that passed.
        Gazetteer::parse("assets/gazetteer/zh-CN.toml", BUILTIN)
            .expect("built-in gazetteer is valid")
    }

    /// # Errors
    /// [`CoreError::BadFile`] naming the file, line and list: a name that
    /// is empty, longer than 20 characters, holds anything but Chinese
    /// characters and digits, or is listed twice; or no entries at all.
    pub fn parse(file: &str, text: &str) -> Result<Gazetteer, CoreError> {
        let src = Source { file, text };
        let raw: Raw = toml::from_str(text).map_err(|e| src.parse_err(e))?;
        let city = src.text(&raw.city, "city", 10)?;
        let mut places: Vec<Place> = Vec::new();
        for (list, kind, names) in [
            ("districts", PlaceKind::District, &raw.districts),
            ("towns", PlaceKind::Town, &raw.towns),
            ("roads", PlaceKind::Road, &raw.roads),
            ("compounds", PlaceKind::Compound, &raw.compounds),
            ("landmarks", PlaceKind::Landmark, &raw.landmarks),
        ] {
            for v in names {
                let name = src.text(v, list, 20)?;
                let at = v.span().start;
                if name.chars().count() < 2 {
                    return Err(src.err(
                        at,
                        list,
                        format!("{name}: a place name has at least two characters"),
                    ));
                }
                // What a recogniser writes: characters and digits, never
                // punctuation or Latin letters, which could not match.
                if !name.chars().all(|c| is_han(c) || c.is_ascii_digit()) {
                    return Err(src.err(
                        at,
                        list,
                        format!("{name}: only Chinese characters and digits"),
                    ));
                }
                if places.iter().any(|p| p.name == name) {
                    return Err(src.err(at, list, format!("{name} is listed twice")));
                }
                places.push(Place { name, kind });
            }
        }
        if places.is_empty() {
            return Err(src.err(0, "districts", "the gazetteer lists no places"));
        }
        Ok(Gazetteer {
            city,
            sample: raw.sample,
            places,
        })
    }
}

/// A CJK unified ideograph.
fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_sample_is_changzhou_and_says_it_is_a_sample() {
        let g = Gazetteer::builtin();
        assert_eq!(g.city, "常州");
        assert!(g.sample);
        let districts: Vec<&str> = g
            .places
            .iter()
            .filter(|p| p.kind == PlaceKind::District)
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(
            districts,
            ["天宁区", "钟楼区", "新北区", "武进区", "金坛区", "溧阳市"]
        );
        assert!(g
            .places
            .iter()
            .any(|p| p.name == "龙锦路" && p.kind == PlaceKind::Road));
    }

    #[test]
    fn a_broken_file_names_its_line_and_list() {
        let err = |t: &str| {
            Gazetteer::parse("gazetteer.toml", t)
                .unwrap_err()
                .to_string()
        };
        let e = err("city = \"常州\"\nroads = [\"延陵路\",\n \"延陵路\"]\n");
        assert!(e.contains("gazetteer.toml:3") && e.contains("twice"), "{e}");
        let e = err("city = \"常州\"\nroads = [\"Yanling Rd\"]\n");
        assert!(e.contains(":2:") && e.contains("only Chinese"), "{e}");
        let e = err("city = \"常州\"\n");
        assert!(e.contains("no places"), "{e}");
        let e = err("city = \"常州\"\nstreets = [\"延陵路\"]\n");
        assert!(e.contains("streets"), "{e}");
        let e = err("roads = [\"延陵路\"]\n");
        assert!(e.contains("city"), "{e}");
        let e = err("city = \"常州\"\nroads = [\"路\"]\n");
        assert!(e.contains("two characters"), "{e}");
    }
}
