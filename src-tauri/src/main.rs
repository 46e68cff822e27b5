//! The Jiejing desktop app: Tauri glue over `jiejing-desk`.
//!
//! Commands live in [`commands`], the error that crosses to the frontend in
//! [`error`], and the generated TypeScript bindings in [`bindings`].
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod bindings;
mod commands;
mod error;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use jiejing_core::SystemClock;
use jiejing_desk::{paths, Desk};

/// `--data-dir DIR` (or `--data-dir=DIR`); anything else is left to Tauri.
fn data_dir_flag() -> Option<PathBuf> {
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--data-dir" {
            return args.next().map(PathBuf::from);
        }
        if let Some(v) = a.strip_prefix("--data-dir=") {
            return Some(PathBuf::from(v));
        }
    }
    None
}

fn main() {
    let data_dir = paths::data_dir(data_dir_flag());
    let desk = match Desk::open(&data_dir, Arc::new(SystemClock)) {
        Ok(d) => d,
        Err(e) => {
            // Without its database the desk cannot keep records; say where
            // and why rather than open a screen that would lose calls.
            eprintln!(
                "jiejing: cannot open the database in {}: {e}",
                data_dir.display()
            );
            std::process::exit(2);
        }
    };
    let builder = bindings::builder();
    tauri::Builder::default()
        .manage(Mutex::new(desk))
        .invoke_handler(builder.invoke_handler())
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("jiejing: the window could not start: {e}");
            std::process::exit(1);
        });
}
