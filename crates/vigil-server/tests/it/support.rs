//! `TestApp`: a fresh store and router, seeded principals, and a request helper.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::Value;
use std::sync::Arc;
use tower::ServiceExt;
use vigil_core::auth::lockout::Lockout;
use vigil_core::auth::secret::BearerSecret;
use vigil_core::{AgencyKind, Role, TokenScope};
use vigil_server::{router, AppState, ServerConfig};
use vigil_store::agencies::{self, Agency};
use vigil_store::sessions::{self, ApiToken, Session, Stage};
use vigil_store::users::{self, User};
use vigil_store::{Store, StoreConfig};
use vigil_types::{AgencyId, Clock, TestClock, TokenId, UserId, Username};

/// Which database a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// The backends to run on: SQLite always, PostgreSQL when configured (and it says when it skips).
pub fn backends() -> Vec<Db> {
    if std::env::var("VIGIL_TEST_POSTGRES_URL").is_ok() {
        vec![Db::Sqlite, Db::Postgres]
    } else {
        // Written straight to stderr (not eprintln!, which the test harness captures) so the skip is seen.
        let _ = std::io::Write::write_all(&mut std::io::stderr(), b"SKIPPED the PostgreSQL run of a vigil-server test: VIGIL_TEST_POSTGRES_URL is not set\n");
        vec![Db::Sqlite]
    }
}

pub struct TestApp {
    pub store: Store,
    pub clock: TestClock,
    pub state: AppState,
    _dir: Option<tempfile::TempDir>,
    // --- evidence
    /// Holds the blob store (`<blob_dir>/blobs`) on both backends.
    _blob_dir: tempfile::TempDir,
}

/// One Argon2id hash of `TEST_PASSWORD`, shared by seeded users (hashing is deliberately slow).
pub const TEST_PASSWORD: &str = "correct horse battery staple";

pub fn test_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        vigil_core::auth::password::hash(TEST_PASSWORD, &mut rand::rngs::OsRng).unwrap()
    })
}

/// A credential a test calls with.
#[derive(Clone, Debug)]
pub enum Cred {
    None,
    Bearer(String),
    Cookie { token: String, csrf: Option<String> },
}

impl TestApp {
    pub async fn spawn(db: Db) -> TestApp {
        let clock = TestClock::at_rfc3339("2026-03-02T09:00:00Z");
        let (config, dir) = match db {
            Db::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                (StoreConfig::sqlite_in(dir.path()), Some(dir))
            }
            Db::Postgres => {
                let mut c =
                    StoreConfig::postgres(&std::env::var("VIGIL_TEST_POSTGRES_URL").unwrap());
                c.read_connections = 4;
                c.pg_schema = Some(format!(
                    "vigil_it_{}",
                    UserId::new_random().to_string().replace('-', "")
                ));
                (c, None)
            }
        };
        let store = Store::open(&config, Arc::new(clock.clone())).await.unwrap();
        // --- tips: trivial proof of work and no practical rate limit (tips.rs tests both).
        // --- evidence: blobs in a temporary directory.
        let blob_dir = tempfile::tempdir().unwrap();
        let server_config = ServerConfig {
            tips: vigil_server::tips::TipsConfig::for_bench(),
            blob_dir: Some(blob_dir.path().join("blobs")),
            ..ServerConfig::default()
        };
        let state = AppState::new(store.clone(), server_config);
        TestApp {
            store,
            clock,
            state,
            _dir: dir,
            _blob_dir: blob_dir,
        }
    }

    pub async fn agency(&self, name: &str, kind: AgencyKind) -> AgencyId {
        let a = Agency {
            id: AgencyId::new_random(),
            name: name.into(),
            short_code: name
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .take(10)
                .collect::<String>()
                .to_uppercase(),
            kind,
            created_at: self.clock.now(),
        };
        let id = a.id;
        self.store
            .write(move |mut ctx| async move {
                let r = agencies::insert(&mut ctx, &a).await;
                (ctx, r)
            })
            .await
            .unwrap();
        id
    }

    /// A user with `TEST_PASSWORD` and, if `totp` is given, that TOTP secret enrolled.
    pub async fn user(
        &self,
        agency: AgencyId,
        name: &str,
        role: Role,
        totp: Option<&str>,
    ) -> UserId {
        let u = User {
            id: UserId::new_random(),
            agency_id: agency,
            username: Username::parse(name).unwrap(),
            display_name: name.into(),
            role,
            password_hash: test_hash().into(),
            totp_secret: totp.map(str::to_owned),
            totp_pending_secret: None,
            totp_last_step: None,
            lockout: Lockout::default(),
            disabled: false,
            created_at: self.clock.now(),
            last_login_at: None,
        };
        let id = u.id;
        self.store
            .write(move |mut ctx| async move {
                let r = users::insert(&mut ctx, &u).await;
                (ctx, r)
            })
            .await
            .unwrap();
        id
    }

    /// A complete session for `user`, created directly in the store (login itself is tested in
    /// `login.rs`). Returns the bearer token.
    pub async fn session(&self, user: UserId) -> String {
        let token = BearerSecret::generate("vs", &mut rand::rngs::OsRng);
        let csrf = BearerSecret::generate("vc", &mut rand::rngs::OsRng);
        let s = Session {
            token_hash: token.digest(),
            user_id: user,
            csrf_hash: csrf.digest(),
            stage: Stage::Full,
            created_at: self.clock.now(),
            last_seen_at: self.clock.now(),
            ended: false,
            auth_at: Some(self.clock.now()),
        };
        self.store
            .write(move |mut ctx| async move {
                let r = sessions::insert_session(&mut ctx, &s).await;
                (ctx, r)
            })
            .await
            .unwrap();
        token.expose().to_owned()
    }

    pub async fn api_token(&self, user: UserId, scope: TokenScope) -> (TokenId, String) {
        let secret = BearerSecret::generate("vt", &mut rand::rngs::OsRng);
        let t = ApiToken {
            id: TokenId::new_random(),
            token_hash: secret.digest(),
            user_id: user,
            name: "test".into(),
            scope,
            created_at: self.clock.now(),
            expires_at: self
                .clock
                .now()
                .plus(std::time::Duration::from_secs(86_400)),
            revoked: false,
        };
        let id = t.id;
        self.store
            .write(move |mut ctx| async move {
                let r = sessions::insert_token(&mut ctx, &t).await;
                (ctx, r)
            })
            .await
            .unwrap();
        (id, secret.expose().to_owned())
    }

    /// Sends a request through the real router; returns status, headers and the JSON body
    /// (`Value::Null` when the body is empty or not JSON).
    pub async fn call_raw(
        &self,
        method: Method,
        path: &str,
        cred: &Cred,
        body: Option<Body>,
        content_type: Option<&str>,
    ) -> (StatusCode, axum::http::HeaderMap, Value) {
        let mut req = Request::builder().method(method).uri(path);
        match cred {
            Cred::None => {}
            Cred::Bearer(t) => req = req.header(header::AUTHORIZATION, format!("Bearer {t}")),
            Cred::Cookie { token, csrf } => {
                req = req.header(header::COOKIE, format!("__Host-vigil_session={token}"));
                if let Some(c) = csrf {
                    req = req.header("x-csrf-token", c);
                }
            }
        }
        if let Some(ct) = content_type {
            req = req.header(header::CONTENT_TYPE, ct);
        }
        let req = req.body(body.unwrap_or_else(Body::empty)).unwrap();
        let res = router(self.state.clone()).oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), 64 * 1024 * 1024)
            .await
            .unwrap();
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        (status, headers, json)
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        cred: &Cred,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let (status, _, json) = match body {
            Some(b) => {
                self.call_raw(
                    method,
                    path,
                    cred,
                    Some(Body::from(b.to_string())),
                    Some("application/json"),
                )
                .await
            }
            None => self.call_raw(method, path, cred, None, None).await,
        };
        (status, json)
    }

    /// How many audit events exist.
    pub async fn audit_len(&self) -> u64 {
        self.store.audit_verify(None, |_| {}).await.unwrap().events
    }

    /// The newest audit event.
    pub async fn last_event(&self) -> vigil_audit::AuditEvent {
        let q = vigil_store::audit::AuditQuery {
            limit: 1,
            ..Default::default()
        };
        self.store.audit_search(&q).await.unwrap().remove(0).event
    }
}
