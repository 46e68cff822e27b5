-- Wrong PINs in a row per typed account id (issue #16): kept in the
-- database so a restart of the app, or a new run of the command line,
-- does not reset the sign-in back-off. The id is kept as its SHA-256:
-- what was typed may be a PIN typed into the wrong field.
CREATE TABLE sign_in_failures (
    typed_sha256 TEXT PRIMARY KEY,
    in_a_row INTEGER NOT NULL,
    last_at TEXT NOT NULL
);
