/// Errors from the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("database upgrade failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("database holds a value this version cannot read: {0}")]
    Corrupt(String),
    #[error("cannot create data folder {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
}
