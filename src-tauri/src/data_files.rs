//! Settings' editor of the station's data files (referral directory,
//! phrase packs, gazetteer): one line each over the desk.

use jiejing_desk::{DataFileName, DataFileText, DeskState};

use crate::commands::{lock, DeskState_, Result};

/// The file to edit: the station's, else the built-in text.
#[tauri::command]
#[specta::specta]
pub async fn data_file(desk: DeskState_<'_>, name: DataFileName) -> Result<DataFileText> {
    Ok(lock(&desk)?.data_file(name)?)
}

/// Checks and saves the station's file; refused with the line it breaks.
#[tauri::command]
#[specta::specta]
pub async fn save_data_file(
    desk: DeskState_<'_>,
    name: DataFileName,
    text: String,
) -> Result<DeskState> {
    Ok(lock(&desk)?.save_data_file(name, &text)?)
}

/// Back to the built-in file.
#[tauri::command]
#[specta::specta]
pub async fn reset_data_file(desk: DeskState_<'_>, name: DataFileName) -> Result<DeskState> {
    Ok(lock(&desk)?.reset_data_file(name)?)
}
