//! Settings' station section (issue #12): the lead creates the schema,
//! joins this desk as a seat, or leaves, as `jiejing station` does. The
//! worker notices a join or a leave by itself (it reads the link every
//! tick); the desk's reads across seats are set here.
//!
//! The `postgres` client is blocking and builds its own runtime, which
//! must not run on Tauri's async runtime: each call goes on a thread of
//! its own.

use jiejing_core::ErrorCode;
use jiejing_desk::{paths, Need};
use jiejing_station::{DeskLink, Station, StationError};

use crate::commands::{lock, DeskState_, Result};
use crate::error::AppError;

impl From<StationError> for AppError {
    fn from(e: StationError) -> Self {
        let code = match &e {
            StationError::Unreachable { .. } => ErrorCode::StationOffline,
            StationError::Store(_) | StationError::Db(_) => ErrorCode::Storage,
            _ => ErrorCode::InvalidValue,
        };
        AppError {
            code,
            message: e.to_string(),
            field: Some("station".into()),
            limit: None,
            missing: Vec::new(),
        }
    }
}

fn off_runtime<T: Send + 'static>(
    f: impl FnOnce() -> std::result::Result<T, StationError> + Send + 'static,
) -> Result<T> {
    std::thread::spawn(f)
        .join()
        .map_err(|_| AppError::internal("the station call panicked"))?
        .map_err(AppError::from)
}

/// Creates or migrates the station's schema: "version A -> B".
#[tauri::command]
#[specta::specta]
pub async fn station_init(desk: DeskState_<'_>, url: String) -> Result<String> {
    lock(&desk)?.authorize(Need::Lead)?;
    let (before, after) = off_runtime(move || Station::init(&url))?;
    Ok(format!("{before} -> {after}"))
}

/// Joins this desk as `seat`; returns how many records were queued.
#[tauri::command]
#[specta::specta]
pub async fn station_join(desk: DeskState_<'_>, url: String, seat: String) -> Result<u64> {
    let (dir, now) = {
        let mut d = lock(&desk)?;
        d.authorize(Need::Lead)?;
        (d.data_dir().to_path_buf(), d.now())
    };
    let (queued, link) = off_runtime(move || {
        let mut store = paths::open_store(&dir)?;
        let queued = jiejing_station::join(&mut store, &url, &seat, now)?;
        Ok((
            queued,
            store.station_link()?.ok_or(StationError::NotJoined)?,
        ))
    })?;
    lock(&desk)?.set_station(Box::new(DeskLink::new(&link)));
    Ok(queued)
}

/// Leaves the station; refused while changes are still queued unless `force`.
#[tauri::command]
#[specta::specta]
pub async fn station_leave(desk: DeskState_<'_>, force: bool) -> Result<()> {
    let mut d = lock(&desk)?;
    d.authorize(Need::Lead)?;
    let mut store = paths::open_store(d.data_dir()).map_err(StationError::from)?;
    jiejing_station::leave(&mut store, force)?;
    d.clear_station();
    Ok(())
}
