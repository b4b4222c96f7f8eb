//! Shared server state: the store, the clock and settings.

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
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            secure_cookies: true,
            banner: "This system holds criminal-justice and victim information. Use is limited to \
                     authorised task-force members for official purposes. All access is recorded \
                     and audited."
                .into(),
        }
    }
}

/// What every handler gets.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<ServerConfig>,
    // --- xref
    /// The cross-referencing matcher (built from the store on first use).
    pub xref: crate::xref::Xref,
}

impl AppState {
    #[must_use]
    pub fn new(store: Store, config: ServerConfig) -> Self {
        Self {
            store,
            config: Arc::new(config),
            xref: crate::xref::Xref::default(),
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
