//! Where the data lives: flags, then `VIGIL_*` environment variables, then a TOML config file,
//! then defaults. Shared by every command that opens the store.

use anyhow::Context;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use vigil_store::{Store, StoreConfig};
use vigil_types::SystemClock;

/// Store location options.
#[derive(clap::Args, Clone, Debug)]
pub struct DbArgs {
    /// Data directory: holds `vigil.db` (SQLite) unless --database-url is given. Default: ./vigil-data
    #[arg(long, env = "VIGIL_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// PostgreSQL URL (postgres://user@host/db) for a scale-out deployment. Never logged.
    #[arg(
        long,
        env = "VIGIL_DATABASE_URL",
        hide_env_values = true,
        global = true
    )]
    pub database_url: Option<String>,
    /// A TOML file with `data_dir`, `database_url` and `listen` keys (lowest precedence).
    #[arg(long, env = "VIGIL_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    // --- evidence
    /// Evidence blob directory (on disk, also with PostgreSQL). Default: <data dir>/blobs
    #[arg(long, env = "VIGIL_BLOB_DIR", global = true)]
    pub blob_dir: Option<PathBuf>,
}

/// The config file's keys.
#[derive(serde::Deserialize, Default, Debug)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub listen: Option<String>,
    // --- evidence
    pub blob_dir: Option<PathBuf>,
    pub max_upload_bytes: Option<u64>,
}

impl DbArgs {
    pub fn file(&self) -> anyhow::Result<FileConfig> {
        let Some(path) = &self.config else {
            return Ok(FileConfig::default());
        };
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading config file {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("config file {}", path.display()))
    }

    pub fn data_dir(&self) -> anyhow::Result<PathBuf> {
        Ok(self
            .data_dir
            .clone()
            .or(self.file()?.data_dir)
            .unwrap_or_else(|| PathBuf::from("vigil-data")))
    }

    // --- evidence
    /// The evidence blob directory: flag/env, config file, else `<data dir>/blobs`.
    pub fn blob_dir(&self) -> anyhow::Result<PathBuf> {
        if let Some(d) = self.blob_dir.clone().or(self.file()?.blob_dir) {
            return Ok(d);
        }
        Ok(self.data_dir()?.join("blobs"))
    }

    /// The server settings that come from where the data lives (the blob directory).
    pub fn server_config(&self) -> anyhow::Result<vigil_server::ServerConfig> {
        let blob_dir = self.blob_dir()?;
        if let Some(parent) = blob_dir.parent().filter(|p| !p.as_os_str().is_empty()) {
            if !parent.exists() {
                create_private_dir(parent)?;
            }
        }
        let max_upload_bytes = self
            .file()?
            .max_upload_bytes
            .unwrap_or(vigil_server::DEFAULT_MAX_UPLOAD_BYTES);
        Ok(vigil_server::ServerConfig {
            blob_dir: Some(blob_dir),
            max_upload_bytes,
            ..vigil_server::ServerConfig::default()
        })
    }

    /// The store configuration and a description safe to print (no credentials).
    pub fn store_config(&self) -> anyhow::Result<(StoreConfig, String)> {
        let file = self.file()?;
        if let Some(url) = self.database_url.clone().or(file.database_url) {
            let shown = url
                .split('@')
                .next_back()
                .map_or("postgres".into(), |host| format!("PostgreSQL at {host}"));
            return Ok((StoreConfig::postgres(&url), shown));
        }
        let dir = self.data_dir()?;
        create_private_dir(&dir)?;
        warn_if_network_filesystem(&dir);
        Ok((
            StoreConfig::sqlite_in(&dir),
            format!("SQLite in {}", dir.display()),
        ))
    }

    pub async fn open(&self) -> anyhow::Result<(Store, String)> {
        let (config, shown) = self.store_config()?;
        Self::open_with(config, shown).await
    }

    /// Opens without SQLite's whole-file `quick_check`, for commands that only read the audit log
    /// (they verify it more strongly themselves).
    pub async fn open_for_audit(&self) -> anyhow::Result<(Store, String)> {
        let (mut config, shown) = self.store_config()?;
        config.startup_check = false;
        Self::open_with(config, shown).await
    }

    async fn open_with(config: StoreConfig, shown: String) -> anyhow::Result<(Store, String)> {
        let store = Store::open(&config, Arc::new(SystemClock))
            .await
            .with_context(|| format!("opening the store ({shown})"))?;
        Ok((store, shown))
    }
}

/// Creates the data directory readable by its owner only.
pub fn create_private_dir(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("creating data directory {}", dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .with_context(|| format!("restricting permissions of {}", dir.display()))?;
    }
    Ok(())
}

/// SQLite's durability needs storage that honours flushes (security.md D-5).
fn warn_if_network_filesystem(dir: &Path) {
    let Ok(abs) = dir.canonicalize() else { return };
    let Ok(mounts) = std::fs::read_to_string("/proc/self/mounts") else {
        return;
    };
    let best = mounts
        .lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let (_, point, kind) = (f.next()?, f.next()?, f.next()?);
            abs.starts_with(point)
                .then(|| (point.len(), kind.to_owned()))
        })
        .max_by_key(|(len, _)| *len);
    if let Some((_, kind)) = best {
        if kind.starts_with("nfs")
            || kind.starts_with("cifs")
            || kind.starts_with("smb")
            || kind.starts_with("fuse")
        {
            eprintln!("vigil: warning: the data directory is on a {kind} filesystem; SQLite durability needs local storage that honours fsync");
        }
    }
}
