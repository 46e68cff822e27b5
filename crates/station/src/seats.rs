//! `jiejing station add-seat`: a login of its own for each seat. The
//! station admin makes it with the admin URL and hands the printed seat URL
//! to that seat, which joins with it; row-level security (schema 0003) then
//! lets that login write only its own seat's rows. Run again, it gives the
//! seat a new password (the old one stops working).

use crate::{redact, Station, StationError};

/// The seat's PostgreSQL role: `jiejing_seat_` and the seat name's letters
/// and digits, lowercased (a role is an identifier; the seat name is
/// free text).
fn role_for(seat: &str) -> Result<String, StationError> {
    let tail: String = seat
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if tail.is_empty() || tail.len() > 40 {
        return Err(StationError::BadSeat { seat: seat.into() });
    }
    Ok(format!("jiejing_seat_{tail}"))
}

/// `url` with its user and password replaced.
fn with_login(url: &str, user: &str, password: &str) -> Result<String, StationError> {
    let bad = |why: &str| StationError::BadUrl {
        url: redact(url),
        why: why.into(),
    };
    let s = url
        .find("://")
        .ok_or_else(|| bad("expected postgres://…"))?
        + 3;
    let host = match url[s..].find('@') {
        Some(at) => &url[s + at + 1..],
        None => &url[s..],
    };
    Ok(format!("{}{user}:{password}@{host}", &url[..s]))
}

fn password() -> Result<String, StationError> {
    let mut b = [0u8; 18];
    getrandom::fill(&mut b).map_err(|e| StationError::Db(format!("no randomness: {e}")))?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

impl Station {
    /// Makes (or gives a new password to) `seat`'s login; returns the URL
    /// the seat joins with. Needs the admin's URL (a role that may create
    /// roles).
    ///
    /// # Errors
    /// [`StationError::BadSeat`]: a name with no letters or digits, or one
    /// whose role another seat has; database errors (no right to create
    /// roles).
    pub fn add_seat(&mut self, seat: &str) -> Result<String, StationError> {
        let seat = seat.trim();
        let role = role_for(seat)?;
        let pw = password()?;
        let mut tx = self.client().transaction()?;
        let holder: Option<String> = tx
            .query_opt("SELECT seat FROM seat_roles WHERE role = $1", &[&role])?
            .map(|r| r.get(0));
        let exists: bool = tx
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)",
                &[&role],
            )?
            .get(0);
        // The role and the password are made here, never from outside text:
        // both are plain letters, digits and '_', so quoting is exact.
        match (holder.as_deref(), exists) {
            (Some(other), _) if other != seat => {
                return Err(StationError::SeatRole {
                    seat: seat.into(),
                    role,
                    other: other.into(),
                })
            }
            (_, true) => {
                tx.batch_execute(&format!("ALTER ROLE \"{role}\" LOGIN PASSWORD '{pw}'"))?
            }
            (_, false) => tx.batch_execute(&format!(
                "CREATE ROLE \"{role}\" LOGIN PASSWORD '{pw}' IN ROLE jiejing_desk"
            ))?,
        }
        tx.batch_execute(&format!("GRANT jiejing_desk TO \"{role}\""))?;
        tx.execute(
            "INSERT INTO seat_roles (role, seat) VALUES ($1, $2) ON CONFLICT (role) DO NOTHING",
            &[&role, &seat],
        )?;
        tx.commit()?;
        with_login(self.url(), &role, &pw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seat_names_become_plain_roles() {
        assert_eq!(role_for("A01").unwrap(), "jiejing_seat_a01");
        assert_eq!(role_for("席位-3 B").unwrap(), "jiejing_seat_3b");
        assert!(role_for("席位").is_err());
    }

    #[test]
    fn the_seat_url_keeps_the_server_and_swaps_the_login() {
        assert_eq!(
            with_login("postgres://admin:pw@db.hall:5432/jiejing", "r", "x").unwrap(),
            "postgres://r:x@db.hall:5432/jiejing"
        );
        assert_eq!(
            with_login("postgres://db/j", "r", "x").unwrap(),
            "postgres://r:x@db/j"
        );
        assert!(with_login("host=db", "r", "x").is_err());
    }
}
