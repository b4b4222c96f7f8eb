//! Migrations, one list per backend, embedded in the binary; run by `vigil migrate` and on start.
//! Applied migrations are checksummed: an edited migration stops the start-up.

use crate::{Backend, StoreError};
use sha2_free_checksum::checksum;
use sqlx::{AnyPool, Row};

/// The table that records applied migrations.
pub const MIGRATIONS_APPLIED_TABLE: &str = "vigil_migrations";

struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "init",
        sqlite: include_str!("../migrations/sqlite/0001_init.sql"),
        postgres: include_str!("../migrations/postgres/0001_init.sql"),
    },
    Migration {
        version: 2,
        name: "analytics",
        sqlite: include_str!("../migrations/sqlite/0002_analytics.sql"),
        postgres: include_str!("../migrations/postgres/0002_analytics.sql"),
    },
    Migration {
        version: 3,
        name: "xref",
        sqlite: include_str!("../migrations/sqlite/0003_xref.sql"),
        postgres: include_str!("../migrations/postgres/0003_xref.sql"),
    },
    Migration {
        version: 4,
        name: "tips",
        sqlite: include_str!("../migrations/sqlite/0004_tips.sql"),
        postgres: include_str!("../migrations/postgres/0004_tips.sql"),
    },
    Migration {
        version: 5,
        name: "vault",
        sqlite: include_str!("../migrations/sqlite/0005_vault.sql"),
        postgres: include_str!("../migrations/postgres/0005_vault.sql"),
    },
    Migration {
        version: 6,
        name: "evidence",
        sqlite: include_str!("../migrations/sqlite/0006_evidence.sql"),
        postgres: include_str!("../migrations/postgres/0006_evidence.sql"),
    },
    Migration {
        version: 7,
        name: "ops",
        sqlite: include_str!("../migrations/sqlite/0007_ops.sql"),
        postgres: include_str!("../migrations/postgres/0007_ops.sql"),
    },
    Migration {
        version: 8,
        name: "tip_blobs",
        sqlite: include_str!("../migrations/sqlite/0008_tip_blobs.sql"),
        postgres: include_str!("../migrations/postgres/0008_tip_blobs.sql"),
    },
    Migration {
        version: 9,
        name: "auth",
        sqlite: include_str!("../migrations/sqlite/0009_auth.sql"),
        postgres: include_str!("../migrations/postgres/0009_auth.sql"),
    },
];

/// Applies every pending migration, each in its own transaction. Returns how many ran.
pub(crate) async fn run(pool: &AnyPool, backend: Backend) -> Result<usize, StoreError> {
    sqlx::query(&format!(
        "CREATE TABLE IF NOT EXISTS {MIGRATIONS_APPLIED_TABLE} (version BIGINT PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL)"
    ))
    .execute(pool)
    .await?;
    let applied = sqlx::query(&format!(
        "SELECT version, checksum FROM {MIGRATIONS_APPLIED_TABLE}"
    ))
    .fetch_all(pool)
    .await?;
    let mut ran = 0;
    for m in MIGRATIONS {
        let sql = match backend {
            Backend::Sqlite => m.sqlite,
            Backend::Postgres => m.postgres,
        };
        let sum = checksum(sql);
        let stored: Option<String> = applied
            .iter()
            .find(|r| r.try_get::<i64, _>(0).is_ok_and(|v| v == m.version))
            .map(|r| r.try_get::<String, _>(1))
            .transpose()?;
        if let Some(stored) = stored {
            if stored != sum {
                return Err(StoreError::MigrationChanged { version: m.version });
            }
            continue;
        }
        let statements: Vec<String> = sql
            .split("\n--;;\n")
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect();
        let mut tx = pool.begin().await?;
        for statement in &statements {
            sqlx::query(statement).execute(&mut *tx).await?;
        }
        sqlx::query(&format!(
            "INSERT INTO {MIGRATIONS_APPLIED_TABLE} (version, name, checksum) VALUES ($1, $2, $3)"
        ))
        .bind(m.version)
        .bind(m.name)
        .bind(sum)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        ran += 1;
    }
    Ok(ran)
}

/// FNV-1a over the migration text: detects edits (not an integrity control against attackers).
mod sha2_free_checksum {
    pub fn checksum(s: &str) -> String {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in s.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        format!("{h:016x}")
    }
}
