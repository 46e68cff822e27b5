//! The station-editable data files, each with a built-in fallback.

use std::path::Path;

use jiejing_core::{
    CoreError, Directory, Gazetteer, Language, PhraseLanguage, PhrasePack, SourceNote,
};
use serde::Serialize;

/// The phrase packs: Mandarin, English, and the station's dialect when it
/// has filled one in (a call's phrases may be any of them, Alt+L).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct PhrasePacks {
    pub zh: PhrasePack,
    pub en: PhrasePack,
    pub dialect: Option<PhrasePack>,
}

impl PhrasePacks {
    pub fn get(&self, language: PhraseLanguage) -> Option<&PhrasePack> {
        match language {
            PhraseLanguage::Mandarin => Some(&self.zh),
            PhraseLanguage::English => Some(&self.en),
            PhraseLanguage::Dialect => self.dialect.as_ref(),
        }
    }
}

jiejing_core::keyed_enum!(
    /// The files a station may keep in its data folder, each in place of
    /// the built-in one (named as under `assets/`).
    DataFileName {
        PhrasesZh = "phrases/zh-CN.toml", PhrasesEn = "phrases/en.toml",
        PhrasesDialect = "phrases/dialect.toml",
        ReferralsZh = "referrals/zh-CN.toml", ReferralsEn = "referrals/en.toml",
        Gazetteer = "gazetteer.toml",
    }
);

impl DataFileName {
    /// The built-in file's text (for the dialect pack, which has none, its
    /// template to fill in).
    pub fn builtin_text(self) -> &'static str {
        match self {
            DataFileName::PhrasesZh => PhrasePack::builtin_text(Language::ZhCn),
            DataFileName::PhrasesEn => PhrasePack::builtin_text(Language::En),
            DataFileName::PhrasesDialect => PhrasePack::dialect_template(),
            DataFileName::ReferralsZh => Directory::builtin_text(Language::ZhCn),
            DataFileName::ReferralsEn => Directory::builtin_text(Language::En),
            DataFileName::Gazetteer => Gazetteer::builtin_text(),
        }
    }

    /// Checks `text` as this file, exactly as [`DataFiles::load`] does;
    /// `shown` names it in the error (`<path>:LINE: key: what`).
    ///
    /// # Errors
    /// [`CoreError::BadFile`] with the line it breaks.
    pub fn check(self, shown: &str, text: &str) -> Result<(), CoreError> {
        match self {
            DataFileName::PhrasesZh => {
                PhrasePack::parse(shown, text, PhraseLanguage::Mandarin).map(drop)
            }
            DataFileName::PhrasesEn => {
                PhrasePack::parse(shown, text, PhraseLanguage::English).map(drop)
            }
            DataFileName::PhrasesDialect => {
                PhrasePack::parse(shown, text, PhraseLanguage::Dialect).map(drop)
            }
            DataFileName::ReferralsZh | DataFileName::ReferralsEn => {
                Directory::parse(shown, text).map(drop)
            }
            DataFileName::Gazetteer => Gazetteer::parse(shown, text).map(drop),
        }
    }
}

#[derive(Debug, Clone)]
pub struct DataFiles {
    pub phrases: PhrasePacks,
    pub directory_zh: Directory,
    pub directory_en: Directory,
    /// The station's places, which speech snaps what it heard to.
    pub gazetteer: Gazetteer,
    /// One note per file: where it came from and any problem.
    pub notes: Vec<SourceNote>,
}

impl DataFiles {
    /// Loads each file from `<data_dir>/<name>` if present, else the
    /// built-in one. A station file that is unreadable or invalid is not
    /// used: the built-in one is, and the note says what was wrong and where.
    pub fn load(data_dir: &Path) -> DataFiles {
        let mut notes = Vec::new();
        use DataFileName as N;
        let zh = load_one(data_dir, N::PhrasesZh, &mut notes, |f, t| {
            PhrasePack::parse(f, t, PhraseLanguage::Mandarin)
        })
        .unwrap_or_else(|| PhrasePack::builtin(Language::ZhCn));
        let en = load_one(data_dir, N::PhrasesEn, &mut notes, |f, t| {
            PhrasePack::parse(f, t, PhraseLanguage::English)
        })
        .unwrap_or_else(|| PhrasePack::builtin(Language::En));
        // No built-in dialect: without the station's pack there is none.
        let dialect = load_one(data_dir, N::PhrasesDialect, &mut notes, |f, t| {
            PhrasePack::parse(f, t, PhraseLanguage::Dialect)
        });
        let directory_zh = load_one(data_dir, N::ReferralsZh, &mut notes, Directory::parse)
            .unwrap_or_else(|| Directory::builtin(Language::ZhCn));
        let directory_en = load_one(data_dir, N::ReferralsEn, &mut notes, Directory::parse)
            .unwrap_or_else(|| Directory::builtin(Language::En));
        let gazetteer = load_one(data_dir, N::Gazetteer, &mut notes, Gazetteer::parse)
            .unwrap_or_else(Gazetteer::builtin);
        DataFiles {
            phrases: PhrasePacks { zh, en, dialect },
            directory_zh,
            directory_en,
            gazetteer,
            notes,
        }
    }

    pub fn directory(&self, language: Language) -> &Directory {
        match language {
            Language::ZhCn => &self.directory_zh,
            Language::En => &self.directory_en,
        }
    }
}

fn load_one<T>(
    data_dir: &Path,
    name: DataFileName,
    notes: &mut Vec<SourceNote>,
    parse: impl Fn(&str, &str) -> Result<T, CoreError>,
) -> Option<T> {
    // What is used without the station's file: the built-in one, or (the
    // dialect pack, which has none) nothing.
    let (fallback, instead) = match name {
        DataFileName::PhrasesDialect => ("none", "no dialect phrases until it is put right"),
        _ => ("builtin", "using the built-in file"),
    };
    let name = name.as_str();
    let path = data_dir.join(name);
    let shown = path.display().to_string();
    let (value, source, warning) = match std::fs::read(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (None, fallback.to_string(), None),
        Err(e) => (
            None,
            fallback.into(),
            Some(format!("{shown}: cannot read: {e}; {instead}")),
        ),
        Ok(bytes) => match String::from_utf8(bytes) {
            Err(_) => (
                None,
                fallback.into(),
                Some(format!("{shown}: not UTF-8 text; {instead}")),
            ),
            Ok(text) => match parse(&shown, &text) {
                Ok(v) => (Some(v), shown, None),
                Err(e) => (None, fallback.into(), Some(format!("{e}; {instead}"))),
            },
        },
    };
    notes.push(SourceNote {
        name: name.to_string(),
        source,
        warning,
    });
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn station_files_override_and_broken_ones_fall_back() {
        let dir = tempfile::tempdir().unwrap();
        let files = DataFiles::load(dir.path());
        assert!(files.notes.iter().all(|n| n.warning.is_none()
            && n.source
                == if n.name == "phrases/dialect.toml" {
                    "none"
                } else {
                    "builtin"
                }));
        assert!(files.phrases.dialect.is_none(), "no built-in dialect");

        std::fs::create_dir_all(dir.path().join("referrals")).unwrap();
        std::fs::write(
            dir.path().join("referrals/zh-CN.toml"),
            "[[department]]\nname = \"本站值班室\"\nhandles = \"内部\"\naddress = \"一楼\"\nphone = \"0519-1234567\"\n",
        )
        .unwrap();
        std::fs::create_dir_all(dir.path().join("phrases")).unwrap();
        let broken =
            include_str!("../../../assets/phrases/zh-CN.toml").replace("你好，{city}110", "");
        std::fs::write(dir.path().join("phrases/zh-CN.toml"), &broken).unwrap();
        let line = broken
            .lines()
            .position(|l| l.starts_with("text = \"\""))
            .unwrap()
            + 1;
        std::fs::write(dir.path().join("phrases/en.toml"), [0xff, 0xfe, 0x00]).unwrap();

        let files = DataFiles::load(dir.path());
        assert_eq!(files.directory_zh.departments[0].name, "本站值班室");
        assert_eq!(files.phrases.zh, PhrasePack::builtin(Language::ZhCn));
        let warn = |n: &str| {
            files
                .notes
                .iter()
                .find(|x| x.name == n)
                .unwrap()
                .warning
                .clone()
                .unwrap_or_default()
        };
        let w = warn("phrases/zh-CN.toml");
        assert!(
            w.contains(&format!("zh-CN.toml:{line}:"))
                && w.contains("greeting.text")
                && w.contains("built-in"),
            "{w}"
        );
        assert!(warn("phrases/en.toml").contains("not UTF-8"));
        assert!(warn("referrals/zh-CN.toml").is_empty());
    }

    #[test]
    fn the_stations_gazetteer_replaces_the_sample_and_a_broken_one_is_named() {
        let dir = tempfile::tempdir().unwrap();
        assert!(DataFiles::load(dir.path()).gazetteer.sample);
        let path = dir.path().join("gazetteer.toml");
        std::fs::write(&path, "city = \"溧阳\"\nroads = [\"燕山路\"]\n").unwrap();
        let files = DataFiles::load(dir.path());
        assert_eq!(files.gazetteer.city, "溧阳");
        assert!(!files.gazetteer.sample);
        std::fs::write(&path, "city = \"溧阳\"\nroads = [\"燕山路\", \"燕山路\"]\n").unwrap();
        let files = DataFiles::load(dir.path());
        assert_eq!(files.gazetteer, Gazetteer::builtin());
        let note = files
            .notes
            .iter()
            .find(|n| n.name == "gazetteer.toml")
            .unwrap();
        let w = note.warning.clone().unwrap();
        assert!(
            w.contains("gazetteer.toml:2:") && w.contains("twice") && w.contains("built-in"),
            "{w}"
        );
    }
}
