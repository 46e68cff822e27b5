/// Errors from the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("database upgrade failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("database holds a value this version cannot read: {0}")]
    Corrupt(String),
    /// The key file: missing, unreadable or not a key.
    #[error("database key: {0}")]
    Key(String),
    /// The file is not a database this key opens: another desk's key, a
    /// damaged file, or not a database at all.
    #[error("{path} cannot be opened with the key in {key}: the key belongs to another data folder, or the file is damaged or not a Jiejing database")]
    WrongKey { path: String, key: String },
    #[error("cannot create data folder {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
}
