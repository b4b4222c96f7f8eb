//! Malformed JSON, wrong types, unknown fields, oversized bodies, invalid ids and broken UTF-8 get
//! a 4xx that says what was wrong — never a 5xx, never a panic. A property test throws random
//! bodies at every route that takes one.

use crate::support::{Cred, Db, TestApp};
use axum::body::Body;
use axum::http::{Method, StatusCode};
use proptest::prelude::*;
use serde_json::json;
use vigil_core::{AgencyKind, Role};
use vigil_server::registry::routes;

async fn app_with_case() -> (TestApp, Cred, String) {
    let app = TestApp::spawn(Db::Sqlite).await;
    let a = app.agency("Phoenix PD", AgencyKind::LocalLaw).await;
    let u = app.user(a, "j.rivera", Role::Investigator, None).await;
    let cred = Cred::Bearer(app.session(u).await);
    let (_, case) = app
        .call(
            Method::POST,
            "/api/v1/cases",
            &cred,
            Some(json!({"number": "PHX-1", "title": "Test", "trafficking_type": "sex"})),
        )
        .await;
    let id = case["id"].as_str().unwrap().to_owned();
    (app, cred, id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_kind_of_bad_body_gets_a_clear_4xx() {
    let (app, cred, case) = app_with_case().await;
    let path = format!("/api/v1/cases/{case}/entities");
    let send = |body: Body, ct: Option<&'static str>| {
        let (app, cred, path) = (&app, &cred, &path);
        async move { app.call_raw(Method::POST, path, cred, Some(body), ct).await }
    };
    let json_ct = Some("application/json");

    let (s, _, b) = send(Body::from("{\"schema\": \"Phone\", "), json_ct).await;
    assert_eq!(
        (s, b["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("MALFORMED_JSON")),
        "{b}"
    );
    assert!(
        b["error"]["message"].as_str().unwrap().contains("line 1"),
        "{b}"
    );

    let (s, _, b) = send(Body::from(r#"{"schema": 5, "properties": {}}"#), json_ct).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        b["error"]["message"].as_str().unwrap().contains("schema"),
        "names the field: {b}"
    );

    let (s, _, b) = send(
        Body::from(r#"{"schema": "Phone", "properties": {}, "owner": "me"}"#),
        json_ct,
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        b["error"]["message"]
            .as_str()
            .unwrap()
            .contains("unknown field `owner`"),
        "{b}"
    );

    let (s, _, b) = send(
        Body::from(r#"{"schema": "Phone", "properties": {"colour": ["red"]}}"#),
        json_ct,
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        b["error"]["message"],
        "properties: property `colour` is not defined for schema Phone"
    );

    let (s, _, b) = send(
        Body::from(r#"{"schema": "Spaceship", "properties": {}}"#),
        json_ct,
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        b["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("schema: unknown schema"),
        "{b}"
    );

    let (s, _, _) = send(Body::from(vec![b'{', 0xff, 0xfe, b'}']), json_ct).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "broken UTF-8");

    let (s, _, b) = send(Body::from(r#"{"schema": "Phone", "properties": {}}"#), None).await;
    assert_eq!(
        (s, b["error"]["code"].as_str()),
        (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Some("UNSUPPORTED_MEDIA_TYPE")
        )
    );

    let huge = format!(
        r#"{{"schema": "Phone", "properties": {{"number": ["{}"]}}}}"#,
        "9".repeat(2 * 1024 * 1024)
    );
    let (s, _, b) = send(Body::from(huge), json_ct).await;
    assert_eq!(
        (s, b["error"]["code"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("BODY_TOO_LARGE"))
    );

    // Invalid ids in the path are simply "not found".
    for bad in [
        "/api/v1/cases/%00",
        "/api/v1/cases/../../etc/passwd",
        "/api/v1/entities/12345",
        "/api/v1/cases/%F0%9F%92%A9",
    ] {
        let (s, b) = app.call(Method::GET, bad, &cred, None).await;
        assert!(
            s == StatusCode::NOT_FOUND || s == StatusCode::BAD_REQUEST,
            "{bad}: {s} {b}"
        );
    }
    // Unknown query parameters are named.
    let (s, b) = app
        .call(Method::GET, "/api/v1/cases?sort=evil", &cred, None)
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(b["error"]["message"].as_str().unwrap().contains("sort"));
    app.store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn error_bodies_have_one_shape_and_leak_nothing() {
    let (app, cred, _) = app_with_case().await;
    // A conflict names the rule, not the values.
    let body = json!({"number": "PHX-1", "title": "Ana Flores trafficking case", "trafficking_type": "sex"});
    let (s, b) = app
        .call(Method::POST, "/api/v1/cases", &cred, Some(body))
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_eq!(
        b,
        json!({"error": {"code": "CONFLICT", "message": "a case with this number in this agency already exists"}})
    );
    // An invalid entity value is reported by property name only.
    let (_, cases) = app.call(Method::GET, "/api/v1/cases", &cred, None).await;
    let id = cases["items"][0]["id"].as_str().unwrap();
    let (s, b) = app.call(Method::POST, &format!("/api/v1/cases/{id}/entities"), &cred, Some(json!({"schema": "Person", "properties": {"birthDate": ["Ana Flores, born 31/31/1999"]}}))).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        b,
        json!({"error": {"code": "INVALID_FIELD", "message": "properties: property `birthDate`: expected a date as YYYY, YYYY-MM or YYYY-MM-DD"}})
    );
    app.store.close().await;
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Random JSON-ish bodies at every route that takes a body: never a 5xx.
    #[test]
    fn random_bodies_never_cause_a_server_error(bodies in proptest::collection::vec(prop_oneof![
        any::<Vec<u8>>().prop_map(|v| v),
        "\\PC{0,200}".prop_map(String::into_bytes),
        proptest::collection::vec(("[a-z_]{1,12}", prop_oneof![Just(json!(null)), any::<i64>().prop_map(|i| json!(i)), "\\PC{0,40}".prop_map(|s| json!(s)), Just(json!([])), Just(json!({"x": [1]}))]), 0..6)
            .prop_map(|kv| serde_json::Value::Object(kv.into_iter().collect()).to_string().into_bytes()),
    ], 1..4)) {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        rt.block_on(async {
            let (app, cred, case) = app_with_case().await;
            for spec in routes().specs.iter().filter(|s| s.body.is_some()) {
                let path = spec.path.replace("{id}", &case).replace("{user_id}", &case).replace("{task_id}", &case);
                let method = Method::from_bytes(spec.method.to_uppercase().as_bytes()).unwrap();
                for body in &bodies {
                    let (s, _, b) = app.call_raw(method.clone(), &path, &cred, Some(Body::from(body.clone())), Some("application/json")).await;
                    prop_assert!(!s.is_server_error(), "{} {} -> {} {}", spec.method, path, s, b);
                    if s.is_client_error() {
                        prop_assert!(b["error"]["code"].is_string() && b["error"]["message"].is_string(), "one error shape: {}", b);
                    }
                }
            }
            app.store.close().await;
            Ok(())
        })?;
    }
}
