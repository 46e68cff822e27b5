//! Printing the 接警登记表: the desk writes the PDF into the exports
//! folder; the shell then opens it in the system's PDF viewer, whose print
//! dialog knows the station's printers (a webview's does not print a PDF).

use jiejing_core::CallId;
use jiejing_desk::ReviewScope;
use serde::Serialize;

use crate::commands::{lock, DeskState_, Result};

/// Where the forms went, and whether a viewer was opened on them.
#[derive(Debug, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Printed {
    pub path: String,
    pub forms: u32,
    /// False where the desk has no `xdg-open` (no desktop's viewer): the
    /// file is there to open by hand.
    pub opened: bool,
}

fn open_for_printing(path: &str, forms: u32) -> Printed {
    let opened = std::process::Command::new("xdg-open")
        .arg(path)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_ok();
    Printed {
        path: path.to_string(),
        forms,
        opened,
    }
}

/// One call's form (the lead's call detail).
#[tauri::command]
#[specta::specta]
pub async fn print_form(desk: DeskState_<'_>, seat: String, id: CallId) -> Result<Printed> {
    let out = lock(&desk)?.forms_to_folder(&[(seat, id)])?;
    Ok(open_for_printing(&out.path, out.rows))
}

/// Every call of the scope's days (the review screen: a shift, a day), in
/// one PDF.
#[tauri::command]
#[specta::specta]
pub async fn print_forms(desk: DeskState_<'_>, scope: ReviewScope) -> Result<Printed> {
    let out = {
        let mut d = lock(&desk)?;
        let calls = d.calls_to_print(&scope)?;
        d.forms_to_folder(&calls)?
    };
    Ok(open_for_printing(&out.path, out.rows))
}
