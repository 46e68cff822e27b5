//! The Jiejing desktop app: Tauri glue over `jiejing-desk`.
//!
//! Commands live in [`commands`], the error that crosses to the frontend in
//! [`error`], and the generated TypeScript bindings in [`bindings`].
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod bindings;
mod commands;
mod data_files;
mod error;
mod forms;
mod station;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use jiejing_core::{Clock, OffsetClock, SystemClock};
use jiejing_desk::{paths, Desk};

/// The value of `--NAME VALUE` or `--NAME=VALUE`; other arguments are left
/// to Tauri.
fn flag(name: &str) -> Option<String> {
    let long = format!("--{name}");
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == long {
            return args.next();
        }
        if let Some(v) = a.strip_prefix(&format!("{long}=")) {
            return Some(v.to_string());
        }
    }
    None
}

/// `--now RFC3339` starts the desk's clock at that time (training, and the
/// end-to-end tests of due and overdue follow-ups); the clock then runs.
/// Only a training desk accepts it (see `main`).
fn clock() -> Arc<dyn Clock> {
    match flag("now").map(|v| chrono::DateTime::parse_from_rfc3339(&v).map(|t| (v, t))) {
        None => Arc::new(SystemClock),
        Some(Ok((_, t))) => Arc::new(OffsetClock::starting_at(t.with_timezone(&chrono::Utc))),
        Some(Err(_)) => {
            eprintln!(
                "jiejing: --now: expected an RFC 3339 time such as 2026-10-11T09:00:00+08:00"
            );
            std::process::exit(2);
        }
    }
}

/// Whether `--NAME` was given (a switch without a value).
fn switch(name: &str) -> bool {
    let long = format!("--{name}");
    std::env::args().skip(1).any(|a| a == long)
}

/// WebKitGTK composites the page on the GPU when it can, and under software
/// rendering (a desk PC without a strong GPU, or Xvfb) that doubles the web
/// process for the same screen: 250 MiB against 126 MiB measured here (the
/// start-up benchmark, `make bench`). `--low-memory` turns compositing off.
/// It is not the default: with it, WebKitGTK 2.x under Xvfb never answers a
/// WebDriver screenshot, so the end-to-end tests could not look at the
/// screen a desk would then show.
fn webkit_environment() {
    if cfg!(target_os = "linux") && switch("low-memory") {
        // Before any thread starts: the environment is process-wide.
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
}

fn main() {
    webkit_environment();
    let data_dir = paths::data_dir(flag("data-dir").map(PathBuf::from));
    let clock = clock();
    let mut desk = match Desk::open(&data_dir, clock.clone()) {
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
    // A set clock would date real calls wrongly: only a training desk,
    // made so on a new data folder with --training, may have one.
    if switch("training") {
        if let Err(e) = desk.start_training() {
            eprintln!("jiejing: --training: {e}");
            std::process::exit(2);
        }
    }
    if flag("now").is_some() && !desk.training().unwrap_or(false) {
        eprintln!(
            "jiejing: --now sets the desk clock, which only a training desk may have; start a new data folder with --training (this one, {}, is not)",
            data_dir.display()
        );
        std::process::exit(2);
    }
    // A desk joined to a station reads repeat callers across seats, and
    // ships its queue from its own thread.
    if let Ok(Some(link)) = desk.station_link() {
        desk.set_station(Box::new(jiejing_station::DeskLink::new(&link)));
    }
    let station = {
        let dir = data_dir.clone();
        jiejing_station::Worker::spawn(Box::new(move || paths::open_store(&dir)), clock)
    };
    let builder = bindings::builder();
    let desk = Arc::new(Mutex::new(desk));
    let listening = jiejing_live::Listening::start(desk.clone()).unwrap_or_else(|e| {
        eprintln!("jiejing: {e}");
        std::process::exit(1);
    });
    let app = tauri::Builder::default()
        .manage(desk)
        .manage(listening)
        .manage(station)
        .invoke_handler(builder.invoke_handler())
        .build(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("jiejing: the window could not start: {e}");
            std::process::exit(1);
        });
    app.run(|app, event| {
        // Tauri ends the process without dropping its state: the station
        // worker ships what the last seconds queued, and ends, first.
        if let tauri::RunEvent::Exit = event {
            use tauri::Manager;
            let worker = app.state::<jiejing_station::Worker>();
            if !worker.stop(std::time::Duration::from_secs(STOP_WITHIN_S)) {
                eprintln!("jiejing: the station link did not finish within {STOP_WITHIN_S} s; what it had not shipped goes at the next start");
            }
        }
    });
}

/// How long the exit waits for the station worker.
const STOP_WITHIN_S: u64 = 5;
