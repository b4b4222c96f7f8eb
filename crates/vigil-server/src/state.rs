//! Shared server state: the store, the clock and settings.

use std::path::PathBuf;
use std::sync::Arc;
use vigil_store::Store;
use vigil_types::{Clock, Timestamp};

/// Settings that change how the server talks to clients.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// Mark cookies `Secure` with the `__Host-` prefix. Browsers accept that on http://localhost;
    /// turn it off only for a non-localhost plain-HTTP test deployment.
    pub secure_cookies: bool,
    /// The system-use banner users must acknowledge before logging in (CJIS AC-8).
    pub banner: String,
    // --- tips
    /// Anonymous tip intake: proof-of-work difficulty, token lifetimes, rate limit, size caps.
    pub tips: crate::tips::TipsConfig,
    // --- evidence
    /// The blob store's directory (`<data_dir>/blobs` from the CLI). `None`: evidence routes that
    /// move file bytes answer 503.
    pub blob_dir: Option<PathBuf>,
    /// The largest evidence upload accepted, in bytes (JSON bodies stay limited to 1 MiB).
    pub max_upload_bytes: u64,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            secure_cookies: true,
            banner: "This system holds criminal-justice and victim information. Use is limited to \
                     authorised task-force members for official purposes. All access is recorded \
                     and audited."
                .into(),
            // --- tips
            tips: crate::tips::TipsConfig::default(),
            // --- evidence
            blob_dir: None,
            max_upload_bytes: DEFAULT_MAX_UPLOAD_BYTES,
        }
    }
}

// --- evidence
/// The default evidence upload limit: 4 GiB.
pub const DEFAULT_MAX_UPLOAD_BYTES: u64 = 4 * 1024 * 1024 * 1024;

/// Test-only fault injection (feature `failpoints`): each flag makes a handler fail at one step.
#[cfg(feature = "failpoints")]
#[derive(Debug, Default)]
pub struct Failpoints {
    /// The evidence upload stops after its blob is durable and before its row commits (the state
    /// a crash at that moment leaves).
    pub evidence_after_blob: std::sync::atomic::AtomicBool,
    /// A tip with attachments stops after their blobs are durable and before its row commits.
    pub tip_after_blob: std::sync::atomic::AtomicBool,
}

/// What every handler gets.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<ServerConfig>,
    // --- xref
    /// The cross-referencing matcher (built from the store on first use).
    pub xref: crate::xref::Xref,
    // --- tips
    /// The tip signing key and the global tip rate limiter (per process).
    pub(crate) tips: Arc<crate::tips::TipRuntime>,
    // --- evidence
    /// The blob store, when `config.blob_dir` is set.
    pub blobs: Option<vigil_evidence::BlobStore>,
    #[cfg(feature = "failpoints")]
    pub failpoints: Arc<Failpoints>,
}

impl AppState {
    #[must_use]
    pub fn new(store: Store, config: ServerConfig) -> Self {
        let tips = Arc::new(crate::tips::TipRuntime::new(&config.tips));
        Self {
            store,
            // --- evidence
            blobs: config.blob_dir.clone().map(vigil_evidence::BlobStore::new),
            #[cfg(feature = "failpoints")]
            failpoints: Arc::default(),
            config: Arc::new(config),
            xref: crate::xref::Xref::default(),
            tips,
        }
    }

    #[must_use]
    pub fn now(&self) -> Timestamp {
        self.store.clock().now()
    }

    #[must_use]
    pub fn clock(&self) -> &Arc<dyn Clock> {
        self.store.clock()
    }
}
