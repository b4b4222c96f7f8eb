//! Logging in as a person does: banner, password, TOTP enrolment or code, cookie + CSRF, idle and
//! absolute timeouts, lockout and unlock, logout. Time moves on a `TestClock`, never by sleeping.

use crate::support::{backends, Cred, TestApp, TEST_PASSWORD};
use axum::http::{header, Method, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;
use vigil_core::auth::totp::TotpSecret;
use vigil_core::{AgencyKind, Role};
use vigil_types::Clock;

const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

fn code(app: &TestApp, secret: &str) -> String {
    TotpSecret::from_base32(secret)
        .unwrap()
        .code_at(app.clock.now())
}

async fn login(app: &TestApp, user: &str, password: &str) -> (StatusCode, Value) {
    app.call(
        Method::POST,
        "/api/v1/auth/login",
        &Cred::None,
        Some(json!({"username": user, "password": password, "acknowledge_banner": true})),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_login_enrols_totp_then_second_login_uses_it() {
    for db in backends() {
        let app = TestApp::spawn(db).await;
        let a = app.agency("Phoenix PD", AgencyKind::LocalLaw).await;
        app.user(a, "j.rivera", Role::Investigator, None).await;

        // Banner must be acknowledged.
        let (s, body) = app.call(Method::POST, "/api/v1/auth/login", &Cred::None, Some(json!({"username": "j.rivera", "password": TEST_PASSWORD, "acknowledge_banner": false}))).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
        assert!(body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("acknowledge_banner"));

        let (s, step) = login(&app, "j.rivera", TEST_PASSWORD).await;
        assert_eq!(s, StatusCode::OK, "{step}");
        assert_eq!(step["stage"], "enrol");
        let pending = Cred::Cookie {
            token: step["token"].as_str().unwrap().into(),
            csrf: Some(step["csrf_token"].as_str().unwrap().into()),
        };

        // A pending login has no data scope (IA-2(1)).
        let (s, _) = app.call(Method::GET, "/api/v1/cases", &pending, None).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        // Cookie state changes need the CSRF token.
        let no_csrf = Cred::Cookie {
            token: step["token"].as_str().unwrap().into(),
            csrf: None,
        };
        let (s, _) = app
            .call(Method::POST, "/api/v1/auth/totp/enrol", &no_csrf, None)
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);

        let (s, enrol) = app
            .call(Method::POST, "/api/v1/auth/totp/enrol", &pending, None)
            .await;
        assert_eq!(s, StatusCode::OK, "{enrol}");
        let secret = enrol["secret_base32"].as_str().unwrap().to_owned();
        assert!(enrol["otpauth_uri"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/Vigil:j.rivera?secret="));
        let (s, _) = app
            .call(
                Method::POST,
                "/api/v1/auth/totp/confirm",
                &pending,
                Some(json!({"code": "000000"})),
            )
            .await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        let (s, done) = app
            .call(
                Method::POST,
                "/api/v1/auth/totp/confirm",
                &pending,
                Some(json!({"code": code(&app, &secret)})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{done}");
        assert_eq!(done["stage"], "complete");
        assert_ne!(
            done["token"], step["token"],
            "a new session id after authentication (ASVS 7.2.4)"
        );
        let full = Cred::Bearer(done["token"].as_str().unwrap().into());
        let (s, me) = app
            .call(Method::GET, "/api/v1/auth/session", &full, None)
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(me["user"]["mfa_enrolled"], true);
        // The pending session is gone.
        let (s, _) = app
            .call(
                Method::POST,
                "/api/v1/auth/totp/confirm",
                &pending,
                Some(json!({"code": code(&app, &secret)})),
            )
            .await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);

        // Next login: the code from the step already used is a replay.
        let (_, step) = login(&app, "j.rivera", TEST_PASSWORD).await;
        assert_eq!(step["stage"], "second_factor");
        let pending = Cred::Bearer(step["token"].as_str().unwrap().into());
        let (s, body) = app
            .call(
                Method::POST,
                "/api/v1/auth/totp",
                &pending,
                Some(json!({"code": code(&app, &secret)})),
            )
            .await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "replayed code: {body}");
        app.clock.advance(Duration::from_secs(30));
        let (s, body) = app
            .call(
                Method::POST,
                "/api/v1/auth/totp",
                &pending,
                Some(json!({"code": code(&app, &secret)})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        app.store.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_expire_idle_and_absolute_and_logout_ends_them() {
    for db in backends() {
        let app = TestApp::spawn(db).await;
        let a = app.agency("Phoenix PD", AgencyKind::LocalLaw).await;
        let u = app
            .user(a, "j.rivera", Role::Investigator, Some(SECRET))
            .await;

        // Idle: 29 minutes is fine, 30 is not.
        let s1 = Cred::Bearer(app.session(u).await);
        app.clock.advance(Duration::from_secs(29 * 60));
        assert_eq!(
            app.call(Method::GET, "/api/v1/cases", &s1, None).await.0,
            StatusCode::OK
        );
        app.clock.advance(Duration::from_secs(29 * 60));
        assert_eq!(
            app.call(Method::GET, "/api/v1/cases", &s1, None).await.0,
            StatusCode::OK,
            "activity resets the idle timer"
        );
        app.clock.advance(Duration::from_secs(30 * 60));
        let (s, body) = app.call(Method::GET, "/api/v1/cases", &s1, None).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        assert_eq!(body["error"]["code"], "SESSION_EXPIRED");

        // Absolute: busy for 12 hours still ends.
        let s2 = Cred::Bearer(app.session(u).await);
        for _ in 0..47 {
            app.clock.advance(Duration::from_secs(15 * 60));
            assert_eq!(
                app.call(Method::GET, "/api/v1/cases", &s2, None).await.0,
                StatusCode::OK
            );
        }
        app.clock.advance(Duration::from_secs(15 * 60));
        assert_eq!(
            app.call(Method::GET, "/api/v1/cases", &s2, None).await.0,
            StatusCode::UNAUTHORIZED
        );

        // Logout: the old credential is refused afterwards, and the cookie is cleared.
        let s3 = Cred::Bearer(app.session(u).await);
        let (s, headers, _) = app
            .call_raw(Method::POST, "/api/v1/auth/logout", &s3, None, None)
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        assert!(headers
            .get(header::SET_COOKIE)
            .unwrap()
            .to_str()
            .unwrap()
            .contains("Max-Age=0"));
        assert_eq!(
            app.call(Method::GET, "/api/v1/cases", &s3, None).await.0,
            StatusCode::UNAUTHORIZED
        );
        app.store.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_failures_lock_until_unlocked_and_everything_is_audited() {
    for db in backends() {
        let app = TestApp::spawn(db).await;
        let a = app.agency("Phoenix PD", AgencyKind::LocalLaw).await;
        app.user(a, "j.rivera", Role::Investigator, Some(SECRET))
            .await;
        let sup = app
            .user(a, "sgt.okafor", Role::Supervisor, Some(SECRET))
            .await;
        for _ in 0..5 {
            let (s, body) = login(&app, "j.rivera", "wrong password, again").await;
            assert_eq!(s, StatusCode::UNAUTHORIZED);
            assert_eq!(body["error"]["code"], "LOGIN_FAILED");
            app.clock.advance(Duration::from_secs(60));
        }
        // The right password is now refused with a lockout message.
        let (s, body) = login(&app, "j.rivera", TEST_PASSWORD).await;
        assert_eq!(s, StatusCode::LOCKED, "{body}");
        // A day later it is still locked: only a supervisor or administrator unlocks.
        app.clock.advance(Duration::from_secs(86_400));
        assert_eq!(
            login(&app, "j.rivera", TEST_PASSWORD).await.0,
            StatusCode::LOCKED
        );
        let users = app
            .call(
                Method::GET,
                "/api/v1/users",
                &Cred::Bearer(app.session(sup).await),
                None,
            )
            .await
            .1;
        let id = users["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["username"] == "j.rivera")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let sup_cred = Cred::Bearer(app.session(sup).await);
        let (s, body) = app
            .call(
                Method::POST,
                &format!("/api/v1/users/{id}/unlock"),
                &sup_cred,
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        assert_eq!(body["locked"], false);
        let (s, step) = login(&app, "j.rivera", TEST_PASSWORD).await;
        assert_eq!(s, StatusCode::OK, "{step}");
        // Unknown users get the same answer as wrong passwords.
        let (s, body) = login(&app, "nobody.here", TEST_PASSWORD).await;
        assert_eq!(
            (s, body["error"]["code"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("LOGIN_FAILED"))
        );

        let audit = app
            .call(
                Method::GET,
                "/api/v1/audit?action=auth.&limit=100",
                &sup_cred,
                None,
            )
            .await
            .1;
        let actions: Vec<(String, String)> = audit["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["action"].as_str().unwrap().to_owned(),
                    e["outcome"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        assert_eq!(
            actions
                .iter()
                .filter(|(a, o)| a == "auth.password" && o == "failed")
                .count(),
            7,
            "{actions:?}"
        );
        assert_eq!(
            actions.iter().filter(|(a, _)| a == "auth.lockout").count(),
            1
        );
        assert!(actions
            .iter()
            .any(|(a, o)| a == "auth.password" && o == "success"));
        app.store.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disabling_an_account_kills_its_sessions_and_tokens() {
    for db in backends() {
        let app = TestApp::spawn(db).await;
        let a = app.agency("Phoenix PD", AgencyKind::LocalLaw).await;
        let u = app
            .user(a, "j.rivera", Role::Investigator, Some(SECRET))
            .await;
        let admin = app
            .user(a, "admin.one", Role::Administrator, Some(SECRET))
            .await;
        let session = Cred::Bearer(app.session(u).await);
        let token = Cred::Bearer(app.api_token(u, vigil_core::TokenScope::Full).await.1);
        assert_eq!(
            app.call(Method::GET, "/api/v1/cases", &token, None).await.0,
            StatusCode::OK
        );
        let (s, _) = app
            .call(
                Method::POST,
                &format!("/api/v1/users/{u}/disable"),
                &Cred::Bearer(app.session(admin).await),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(
            app.call(Method::GET, "/api/v1/cases", &session, None)
                .await
                .0,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            app.call(Method::GET, "/api/v1/cases", &token, None).await.0,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            login(&app, "j.rivera", TEST_PASSWORD).await.0,
            StatusCode::UNAUTHORIZED
        );
        app.store.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cookies_and_headers_are_hardened() {
    let app = TestApp::spawn(crate::support::Db::Sqlite).await;
    let a = app.agency("Phoenix PD", AgencyKind::LocalLaw).await;
    app.user(a, "j.rivera", Role::Investigator, None).await;
    let body =
        json!({"username": "j.rivera", "password": TEST_PASSWORD, "acknowledge_banner": true});
    let (s, headers, _) = app
        .call_raw(
            Method::POST,
            "/api/v1/auth/login",
            &Cred::None,
            Some(axum::body::Body::from(body.to_string())),
            Some("application/json"),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let cookie = headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    for attr in [
        "__Host-vigil_session=",
        "Path=/",
        "HttpOnly",
        "SameSite=Strict",
        "Secure",
    ] {
        assert!(cookie.contains(attr), "cookie lacks {attr}: {cookie}");
    }
    for (h, want) in [
        ("content-security-policy", "script-src 'self'"),
        ("x-content-type-options", "nosniff"),
        ("cache-control", "no-store"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "no-referrer"),
    ] {
        assert!(
            headers.get(h).unwrap().to_str().unwrap().contains(want),
            "{h}"
        );
    }
    app.store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn privileged_functions_need_a_recent_step_up() {
    for db in backends() {
        let app = TestApp::spawn(db).await;
        let a = app.agency("Phoenix PD", AgencyKind::LocalLaw).await;
        let admin = app
            .user(a, "admin.one", Role::Administrator, Some(SECRET))
            .await;
        let analyst = app.user(a, "a.analyst", Role::Analyst, Some(SECRET)).await;
        let session = Cred::Bearer(app.session(admin).await);
        let unlock = format!("/api/v1/users/{analyst}/unlock");
        // Fresh from login: allowed.
        assert_eq!(
            app.call(Method::POST, &unlock, &session, None).await.0,
            StatusCode::OK
        );
        // Sixteen minutes later (the session is still alive): a step-up is due.
        app.clock.advance(Duration::from_secs(16 * 60));
        let (s, body) = app.call(Method::POST, &unlock, &session, None).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
        assert_eq!(body["error"]["code"], "STEP_UP_REQUIRED");
        // Ordinary reads need none.
        assert_eq!(
            app.call(Method::GET, "/api/v1/users", &session, None)
                .await
                .0,
            StatusCode::OK
        );
        // A wrong password or code is refused and counts toward the lockout.
        let (s, body) = app
            .call(
                Method::POST,
                "/api/v1/auth/step-up",
                &session,
                Some(json!({"password": "not my password at all", "code": code(&app, SECRET)})),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
        let failures = app
            .store
            .user(admin)
            .await
            .unwrap()
            .unwrap()
            .lockout
            .failures;
        assert_eq!(failures, 1);
        // The right password and code open privileged functions again, for 15 minutes.
        let (s, body) = app
            .call(
                Method::POST,
                "/api/v1/auth/step-up",
                &session,
                Some(json!({"password": TEST_PASSWORD, "code": code(&app, SECRET)})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        assert!(body["step_up_expires_at"].is_string());
        assert_eq!(
            app.call(Method::POST, &unlock, &session, None).await.0,
            StatusCode::OK
        );
        // The same code cannot be replayed for another step-up.
        let (s, _) = app
            .call(
                Method::POST,
                "/api/v1/auth/step-up",
                &session,
                Some(json!({"password": TEST_PASSWORD, "code": code(&app, SECRET)})),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "a TOTP code is single-use");
        // API tokens never qualify, whatever their scope.
        let token = Cred::Bearer(app.api_token(admin, vigil_core::TokenScope::Full).await.1);
        let (s, body) = app.call(Method::POST, &unlock, &token, None).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        assert_eq!(body["error"]["code"], "STEP_UP_REQUIRED");
        // Every refusal and the step-up itself are audited.
        let actions: Vec<(String, String)> = app
            .store
            .audit_search(&vigil_store::audit::AuditQuery {
                limit: 1000,
                ..Default::default()
            })
            .await
            .unwrap()
            .into_iter()
            .map(|e| (e.event.action, e.event.outcome.as_str().to_owned()))
            .collect();
        assert!(actions
            .iter()
            .any(|(a, o)| a == "user.unlock" && o == "denied"));
        assert!(actions
            .iter()
            .any(|(a, o)| a == "auth.step_up" && o == "success"));
        app.store.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accounts_unused_for_ninety_days_are_disabled_until_re_enabled() {
    for db in backends() {
        let app = TestApp::spawn(db).await;
        let a = app.agency("Phoenix PD", AgencyKind::LocalLaw).await;
        app.user(a, "j.rivera", Role::Investigator, Some(SECRET))
            .await;
        let admin = app
            .user(a, "admin.one", Role::Administrator, Some(SECRET))
            .await;
        app.clock.advance(Duration::from_secs(89 * 86_400));
        // The administrator keeps working; the investigator does not.
        assert_eq!(app.state.sweep_inactive_accounts().await.unwrap(), 0);
        let (s, step) = login(&app, "admin.one", TEST_PASSWORD).await;
        assert_eq!(s, StatusCode::OK);
        let pending = Cred::Bearer(step["token"].as_str().unwrap().to_owned());
        let (s, body) = app
            .call(
                Method::POST,
                "/api/v1/auth/totp",
                &pending,
                Some(json!({"code": code(&app, SECRET)})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        app.clock.advance(Duration::from_secs(2 * 86_400));
        assert_eq!(app.state.sweep_inactive_accounts().await.unwrap(), 1);
        assert_eq!(
            login(&app, "j.rivera", TEST_PASSWORD).await.0,
            StatusCode::UNAUTHORIZED,
            "disabled: the login fails like any other"
        );
        let fresh_admin = Cred::Bearer(app.session(admin).await);
        let users = app
            .call(Method::GET, "/api/v1/users", &fresh_admin, None)
            .await
            .1;
        let rivera = users["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["username"] == "j.rivera")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let (s, body) = app
            .call(
                Method::POST,
                &format!("/api/v1/users/{rivera}/enable"),
                &fresh_admin,
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        assert_eq!(app.state.sweep_inactive_accounts().await.unwrap(), 0);
        assert_eq!(
            login(&app, "j.rivera", TEST_PASSWORD).await.0,
            StatusCode::OK
        );
        app.store.close().await;
    }
}
