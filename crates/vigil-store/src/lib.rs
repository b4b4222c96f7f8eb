//! Persistence: the Store interface and its SQLite and PostgreSQL implementations.
