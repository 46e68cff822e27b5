//! The station's data files edited in Settings (issue #17): a lead fixes a
//! referral number or a phrase in the app, not in a file. The edit is
//! checked by the loader's own parser and refused with the line it breaks;
//! a good one is written into the data folder (the built-in files are never
//! touched), used at once, and audited with its whole text, so the trail
//! shows every version a station ran with.

use serde::Serialize;

use crate::data_files::{DataFileName, DataFiles};
use crate::session::Need;
use crate::{Desk, DeskError, DeskState};

type Result<T> = std::result::Result<T, DeskError>;

/// The longest file Settings saves (the built-in ones are a few KB; a
/// city's full gazetteer is some tens).
pub const MAX_DATA_FILE_BYTES: usize = 512 * 1024;

/// One data file as Settings shows it to edit.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DataFileText {
    pub name: DataFileName,
    /// The station's file if it has one (even a broken one: it is there to
    /// be put right), else the built-in text to start from.
    pub text: String,
    pub builtin: bool,
}

impl Desk {
    /// File `name` to edit.
    ///
    /// # Errors
    /// [`DeskError::Forbidden`] (a lead's), an unreadable station file.
    pub fn data_file(&mut self, name: DataFileName) -> Result<DataFileText> {
        self.authorize(Need::Lead)?;
        let path = self.data_dir.join(name.as_str());
        match std::fs::read(&path) {
            Ok(bytes) => Ok(DataFileText {
                name,
                text: String::from_utf8_lossy(&bytes).into_owned(),
                builtin: false,
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(DataFileText {
                name,
                text: name.builtin_text().to_string(),
                builtin: true,
            }),
            Err(e) => Err(DeskError::Io(format!("{}: {e}", path.display()))),
        }
    }

    /// Saves `text` as the station's file `name`: checked as the loader
    /// checks it, written beside and renamed (a crash leaves the old file
    /// or the new, never half), used from now on, audited
    /// (`data_file_saved`, with the text).
    ///
    /// # Errors
    /// [`DeskError::Forbidden`], the parser's [`jiejing_core::CoreError::BadFile`]
    /// naming the line, a file too large, an unwritable data folder.
    pub fn save_data_file(&mut self, name: DataFileName, text: &str) -> Result<DeskState> {
        let actor = self.authorize(Need::Lead)?;
        if text.len() > MAX_DATA_FILE_BYTES {
            return Err(jiejing_core::CoreError::TooLong {
                field: name.as_str().into(),
                max: MAX_DATA_FILE_BYTES,
            }
            .into());
        }
        name.check(name.as_str(), text)?;
        let path = self.data_dir.join(name.as_str());
        crate::paths::replace_file(&path, |tmp| {
            std::fs::write(tmp, text).map_err(|e| e.to_string())
        })
        .map_err(|e| DeskError::Io(format!("{}: {e}", path.display())))?;
        self.reload_data_files();
        let detail =
            serde_json::json!({ "file": name.as_str(), "bytes": text.len(), "text": text });
        self.audit_entry(&actor, "data_file_saved", None, detail)?;
        self.state()
    }

    /// Goes back to the built-in file `name`: the station's is deleted
    /// (audited, `data_file_reset`, with the text it had).
    ///
    /// # Errors
    /// [`DeskError::Forbidden`], a file that cannot be deleted.
    pub fn reset_data_file(&mut self, name: DataFileName) -> Result<DeskState> {
        let actor = self.authorize(Need::Lead)?;
        let path = self.data_dir.join(name.as_str());
        let had = match std::fs::read(&path) {
            Ok(b) => String::from_utf8_lossy(&b).into_owned(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return self.state(),
            Err(e) => return Err(DeskError::Io(format!("{}: {e}", path.display()))),
        };
        std::fs::remove_file(&path)
            .map_err(|e| DeskError::Io(format!("{}: {e}", path.display())))?;
        self.reload_data_files();
        let detail = serde_json::json!({ "file": name.as_str(), "text": had });
        self.audit_entry(&actor, "data_file_reset", None, detail)?;
        self.state()
    }

    /// Reads the data files again; speech's places follow the gazetteer.
    fn reload_data_files(&mut self) {
        self.files = DataFiles::load(&self.data_dir);
        self.places = std::cell::OnceCell::new();
    }
}
