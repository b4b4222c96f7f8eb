//! `StoreError` and the one place where database errors become domain errors.

/// What went wrong in the store. Never carries row contents.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A uniqueness rule was violated; names the rule.
    #[error("already exists: {0}")]
    Conflict(&'static str),
    /// A referenced record does not exist.
    #[error("refers to a record that does not exist")]
    MissingReference,
    /// The record does not exist.
    #[error("not found")]
    NotFound,
    /// A domain rule refused the change; the message is safe to show.
    #[error("{0}")]
    Rejected(String),
    /// A stored value could not be read back (a bug or tampering).
    #[error("stored data is invalid in {table}.{column}")]
    Corrupt {
        table: &'static str,
        column: &'static str,
    },
    /// The connection settings are unsafe (for example SQLite not in WAL + synchronous=FULL).
    #[error("unsafe database settings: {0}")]
    UnsafeSettings(String),
    /// A migration already applied differs from the one shipped (migrations are never edited).
    #[error("migration {version} was changed after it was applied")]
    MigrationChanged { version: i64 },
    /// The writer task is gone (shutting down or crashed); the write was not done.
    #[error("the store is shutting down")]
    WriterGone,
    /// Any other database failure.
    #[error("database error")]
    Backend(#[source] sqlx::Error),
    /// A read on the SQLite fast path failed (the message is for the operator's log only).
    #[error("database read failed: {0}")]
    ReadFailed(String),
}

impl From<sqlx::Error> for StoreError {
    /// The one place constraint violations are mapped: SQLite extended codes 2067/1555 (unique)
    /// and 787 (foreign key), PostgreSQL SQLSTATE 23505 and 23503, via sqlx's `ErrorKind`.
    fn from(err: sqlx::Error) -> Self {
        match &err {
            sqlx::Error::RowNotFound => Self::NotFound,
            sqlx::Error::Database(db) => match db.kind() {
                sqlx::error::ErrorKind::UniqueViolation => {
                    Self::Conflict(unique_rule(db.message()))
                }
                sqlx::error::ErrorKind::ForeignKeyViolation => Self::MissingReference,
                _ => Self::Backend(err),
            },
            _ => Self::Backend(err),
        }
    }
}

/// Names the uniqueness rule from the database's message (both backends name the columns or the
/// constraint). The message itself is never passed on: it can contain values.
fn unique_rule(message: &str) -> &'static str {
    const RULES: &[(&[&str], &str)] = &[
        (
            &[
                "cases.agency_id, cases.number",
                "cases_agency_id_number_key",
            ],
            "a case with this number in this agency",
        ),
        (
            &["users.username", "users_username_key"],
            "a user with this username",
        ),
        (
            &["agencies.name", "agencies_name_key"],
            "an agency with this name",
        ),
        (
            &["agencies.short_code", "agencies_short_code_key"],
            "an agency with this short code",
        ),
        (
            &["case_team.case_id", "case_team_pkey"],
            "this user on the case team",
        ),
        (
            &["idempotency", "idempotency_pkey"],
            "a request with this idempotency key",
        ),
        // --- ops
        (
            &["protocols.case_id", "protocols_case_template"],
            "this protocol on this case",
        ),
        (
            &["operation_roster.operation_id", "operation_roster_pkey"],
            "this user on the operation roster",
        ),
        (
            &["operation_cases.operation_id", "operation_cases_pkey"],
            "this case linked to the operation",
        ),
        (
            &["operation_agencies.operation_id", "operation_agencies_pkey"],
            "this agency among the participants",
        ),
    ];
    RULES
        .iter()
        .find(|(needles, _)| needles.iter().any(|n| message.contains(n)))
        .map_or("a record with these values", |(_, rule)| rule)
}
