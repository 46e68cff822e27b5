/// What can go wrong between a desk and its station. Each says what is
/// wrong and where, so the header, the CLI and the log can show it as is.
#[derive(Debug, thiserror::Error)]
pub enum StationError {
    #[error("station URL {url:?} is not valid: {why}")]
    BadUrl { url: String, why: String },
    #[error("cannot reach the station at {url}: {why}")]
    Unreachable { url: String, why: String },
    #[error(
        "the station at {url} has no Jiejing schema yet: run `jiejing station init URL` first"
    )]
    NoSchema { url: String },
    #[error("the station's schema is version {found}, newer than this desk knows ({known}): update Jiejing on this desk")]
    SchemaNewer { found: i32, known: i32 },
    #[error("the station's schema is version {found}, older than this desk needs ({known}): run `jiejing station init URL`")]
    SchemaOlder { found: i32, known: i32 },
    #[error("seat name {seat:?}: a seat name is 1 to 64 characters")]
    BadSeat { seat: String },
    #[error("seat {seat:?} is held by another desk at this station: choose another seat name")]
    SeatTaken { seat: String },
    #[error("this is a training desk (--training): its exercise calls never join a station")]
    Training,
    #[error("seat {seat:?} would log in as {role}, which seat {other:?} has: choose a name whose letters and digits differ")]
    SeatRole {
        seat: String,
        role: String,
        other: String,
    },
    #[error("the station refused this login ({0}): a seat's login writes only its own seat's rows; join with the URL `jiejing station add-seat` printed for this seat")]
    Refused(String),
    #[error("{n} changes have not reached the station yet: sync first (`jiejing station sync`), or leave anyway (--force)")]
    Backlog { n: u64 },
    #[error("this desk is not joined to a station (`jiejing station join URL --seat NAME`)")]
    NotJoined,
    #[error("station database error: {0}")]
    Db(String),
    #[error(transparent)]
    Store(#[from] jiejing_store::StoreError),
}

impl From<postgres::Error> for StationError {
    fn from(e: postgres::Error) -> Self {
        // The server's own message (with its detail) says more than the
        // driver's "db error".
        match e.as_db_error() {
            Some(db) if *db.code() == postgres::error::SqlState::INSUFFICIENT_PRIVILEGE => {
                StationError::Refused(db.message().to_string())
            }
            Some(db) => StationError::Db(match db.detail() {
                Some(d) => format!("{}: {d}", db.message()),
                None => db.message().to_string(),
            }),
            None => StationError::Db(e.to_string()),
        }
    }
}
