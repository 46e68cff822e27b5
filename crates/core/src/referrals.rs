//! The referral directory of norm clause 5: which department handles what,
//! with its address and phone, searchable while the caller waits.

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::phrases::Source;
use crate::{text, CoreError, Language};

const BUILTIN_ZH: &str = include_str!("../../../assets/referrals/zh-CN.toml");
const BUILTIN_EN: &str = include_str!("../../../assets/referrals/en.toml");

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Department {
    pub name: String,
    /// What the department handles, in the caller's words where possible.
    pub handles: String,
    pub keywords: Vec<String>,
    pub address: String,
    pub phone: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Directory {
    pub departments: Vec<Department>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDirectory {
    #[serde(default)]
    department: Vec<RawDepartment>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDepartment {
    name: Spanned<String>,
    handles: Spanned<String>,
    #[serde(default)]
    keywords: Vec<Spanned<String>>,
    address: Spanned<String>,
    phone: Spanned<String>,
}

impl Directory {
    /// The built-in file's text (Settings shows it for a station to edit).
    pub fn builtin_text(language: Language) -> &'static str {
        match language {
            Language::ZhCn => BUILTIN_ZH,
            Language::En => BUILTIN_EN,
        }
    }

    pub fn builtin(language: Language) -> Directory {
        let (file, text) = match language {
            Language::ZhCn => ("assets/referrals/zh-CN.toml", BUILTIN_ZH),
            Language::En => ("assets/referrals/en.toml", BUILTIN_EN),
        };
        // Both built-in files are parsed by a test.
        Directory::parse(file, text).expect("built-in referral directory is valid")
    }

    /// # Errors
    /// [`CoreError::BadFile`] naming the file, line and key
    /// (`department[N].field`, N counted from 1).
    pub fn parse(file: &str, text: &str) -> Result<Directory, CoreError> {
        let src = Source { file, text };
        let raw: RawDirectory = toml::from_str(text).map_err(|e| src.parse_err(e))?;
        if raw.department.is_empty() {
            return Err(src.err(
                0,
                "department",
                "the directory has no [[department]] entries",
            ));
        }
        let mut departments: Vec<Department> = Vec::new();
        for (i, d) in raw.department.iter().enumerate() {
            let key = |f: &str| format!("department[{}].{f}", i + 1);
            let name = src.text(&d.name, &key("name"), 64)?;
            if departments.iter().any(|x| x.name == name) {
                return Err(src.err(
                    d.name.span().start,
                    &key("name"),
                    "duplicate department name",
                ));
            }
            let phone = src.text(&d.phone, &key("phone"), 32)?;
            text::phone("phone", &phone)
                .map_err(|_| src.err(d.phone.span().start, &key("phone"), "not a phone number"))?;
            let keywords = d
                .keywords
                .iter()
                .map(|k| src.text(k, &key("keywords"), 32))
                .collect::<Result<Vec<_>, _>>()?;
            departments.push(Department {
                name,
                handles: src.text(&d.handles, &key("handles"), 200)?,
                keywords,
                address: src.text(&d.address, &key("address"), 200)?,
                phone,
            });
        }
        Ok(Directory { departments })
    }

    /// Departments matching every word of `query` (in name, what it
    /// handles, keywords or phone; case-insensitive), name matches first.
    /// An empty query lists all.
    pub fn search(&self, query: &str) -> Vec<&Department> {
        let terms: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        let mut hits: Vec<(usize, &Department)> = self
            .departments
            .iter()
            .filter_map(|d| {
                let name = d.name.to_lowercase();
                let rest =
                    format!("{} {} {}", d.handles, d.keywords.join(" "), d.phone).to_lowercase();
                let mut rank = 0;
                for t in &terms {
                    if name.contains(t.as_str()) {
                        rank += 2;
                    } else if rest.contains(t.as_str())
                        || d.keywords.iter().any(|k| t.contains(&k.to_lowercase()))
                    {
                        rank += 1;
                    } else {
                        return None;
                    }
                }
                Some((rank, d))
            })
            .collect();
        // Stable: equal ranks keep the directory's order.
        hits.sort_by_key(|h| std::cmp::Reverse(h.0));
        hits.into_iter().map(|(_, d)| d).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_directories_have_the_usual_numbers() {
        for lang in [Language::ZhCn, Language::En] {
            let d = Directory::builtin(lang);
            for n in ["12345", "119", "120", "122", "12315"] {
                assert!(
                    d.departments.iter().any(|x| x.phone == n),
                    "{lang:?} lacks {n}"
                );
            }
        }
    }

    #[test]
    fn search_matches_keywords_and_phrases() {
        let d = Directory::builtin(Language::ZhCn);
        assert_eq!(d.search("12315")[0].phone, "12315");
        assert_eq!(d.search("噪音")[0].phone, "12345");
        // A caller's phrase containing a keyword finds the department.
        assert_eq!(d.search("家里停电了")[0].phone, "95598");
        assert!(d.search("完全无关的词").is_empty());
        assert_eq!(d.search("").len(), d.departments.len());
        let en = Directory::builtin(Language::En);
        assert_eq!(en.search("FIRE")[0].phone, "119");
    }

    fn err(text: &str) -> (usize, String) {
        match Directory::parse("r.toml", text).unwrap_err() {
            CoreError::BadFile { line, key, .. } => (line, key),
            e => panic!("{e:?}"),
        }
    }

    #[test]
    fn validation_names_entry_and_line() {
        let base =
            "[[department]]\nname = \"A\"\nhandles = \"h\"\naddress = \"a\"\nphone = \"12345\"\n";
        assert!(Directory::parse("r.toml", base).is_ok());
        let two = format!("{base}\n[[department]]\nname = \"B\"\nhandles = \"h\"\naddress = \"a\"\nphone = \"call us\"\n");
        assert_eq!(err(&two), (11, "department[2].phone".into()));
        let dup = format!("{base}\n{base}");
        assert_eq!(err(&dup), (8, "department[2].name".into()));
        assert_eq!(
            err(&base.replace("\"h\"", "\"\"")).1,
            "department[1].handles"
        );
        assert_eq!(err("").1, "department");
        assert_eq!(err(&base.replace("handles", "handle")).0, 3);
    }
}
