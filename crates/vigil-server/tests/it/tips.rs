//! Anonymous tips (T1, T2), the triage queue (T4) and idempotency keys, on every backend:
//! proof of work and form tokens, single use, the global rate limit, receipt codes without an
//! enumeration oracle, no client metadata stored, priority rules explained, routing visibility,
//! merging into a case, and duplicate submissions.

use crate::support::{backends, Cred, TestApp};
use axum::body::Body;
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;
use vigil_core::triage::{IntakeKind, IntakeState, Priority};
use vigil_core::{AgencyKind, Role, TraffickingType};
use vigil_server::tips::{self, Proof, TipInput, TipsConfig};
use vigil_server::{AppState, ServerConfig};
use vigil_store::intake::{self, Attachment, IntakeItem};
use vigil_types::{AgencyId, AttachmentId, Clock, IntakeId};

/// A submission body with a solved challenge (the test config's difficulty is 1 bit).
pub fn solved_submission(app: &TestApp, what: &str) -> Value {
    let c = tips::issue_challenge(&app.state).unwrap();
    let nonce = vigil_core::tips::solve(&c.challenge, c.difficulty_bits);
    json!({"challenge": c.challenge, "nonce": nonce, "what": what})
}

/// Submits a tip through the API and returns its receipt code.
pub async fn submit_tip(app: &TestApp, what: &str) -> String {
    let (status, body) = app
        .call(
            Method::POST,
            "/api/v1/tips",
            &Cred::None,
            Some(solved_submission(app, what)),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["receipt_code"].as_str().unwrap().to_owned()
}

/// An open tip item (no receipt code) with one text attachment, routed to `agency`, written
/// straight to the store.
pub async fn routed_item(app: &TestApp, agency: Option<AgencyId>) -> (IntakeId, AttachmentId) {
    let now = app.clock.now();
    let item = IntakeItem {
        id: IntakeId::new_random(),
        kind: IntakeKind::Tip,
        receipt_lookup: None,
        receipt_hash: None,
        what: "Workers at the nail salon sleep in the back room; call 480-555-0142.".into(),
        where_text: None,
        when_text: None,
        contact: None,
        created_by: None,
        priority: Priority::Routine,
        indicates: TraffickingType::Labour,
        rules: Vec::new(),
        state: IntakeState::Open,
        routed_agency: agency,
        assignee: None,
        case_id: None,
        close_reason: None,
        received_at: now,
        updated_at: now,
    };
    let id = item.id;
    // Kept in the database, as attachments were before the blob store held them.
    let file = Attachment {
        id: AttachmentId::new_random(),
        item_id: id,
        name: None,
        media_type: "text/plain".into(),
        size: 5,
        sha256: "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824".into(),
        in_blob_store: false,
        content: b"hello".to_vec(),
        created_at: now,
    };
    let attachment = file.id;
    app.store
        .write(move |mut ctx| async move {
            let r = async {
                intake::insert_item(&mut ctx, &item).await?;
                intake::insert_attachment(&mut ctx, &file).await
            }
            .await;
            (ctx, r)
        })
        .await
        .unwrap();
    (id, attachment)
}

async fn post_raw(
    app: &TestApp,
    path: &str,
    body: &str,
    content_type: Option<&str>,
    extra: &[(&str, &str)],
) -> (StatusCode, axum::http::HeaderMap, Value) {
    let mut req = axum::http::Request::builder()
        .method(Method::POST)
        .uri(path);
    if let Some(ct) = content_type {
        req = req.header("content-type", ct);
    }
    for (k, v) in extra {
        req = req.header(*k, *v);
    }
    let req = req.body(Body::from(body.to_owned())).unwrap();
    let res = tower::ServiceExt::oneshot(vigil_server::router(app.state.clone()), req)
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 24)
        .await
        .unwrap();
    (
        status,
        headers,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

const MARKERS: [&str; 3] = [
    "203.0.113.77",
    "SyntheticBrowser/9.9",
    "tipster-host.example",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tip_round_trip_stores_no_client_metadata() {
    for db in backends() {
        let app = TestApp::spawn(db).await;
        let a = app
            .agency("Phoenix Police Department", AgencyKind::LocalLaw)
            .await;
        let sup = app.user(a, "supervisor.a", Role::Supervisor, None).await;
        let sup = Cred::Bearer(app.session(sup).await);
        let mut sub = solved_submission(&app, "A girl who says she is 16 years old works nights at the Desert Rose motel. Texts come from 480-555-0199.");
        sub["where"] = json!("Desert Rose motel, Van Buren St");
        sub["when"] = json!("most nights after 10pm");
        let before = app.audit_len().await;
        let (status, headers, body) = post_raw(
            &app,
            "/api/v1/tips",
            &sub.to_string(),
            Some("application/json"),
            &[
                ("x-forwarded-for", MARKERS[0]),
                ("x-real-ip", MARKERS[0]),
                ("forwarded", "for=203.0.113.77;host=tipster-host.example"),
                ("user-agent", MARKERS[1]),
                ("referer", "https://tipster-host.example/page"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert!(headers.get("set-cookie").is_none());
        let code = body["receipt_code"].as_str().unwrap().to_owned();
        assert_eq!(code.len(), 29, "five groups of five: {code}");
        // Exactly one audit event: no actor, no content, no client metadata.
        assert_eq!(app.audit_len().await, before + 1);
        let e = app.last_event().await;
        assert_eq!((e.actor_user, e.actor_agency), (None, None));
        assert_eq!((e.action.as_str(), e.detail.as_str()), ("tip.submit", ""));
        let event_text = format!("{e:?}");
        let secret = code.replace('-', "")[9..].to_owned();
        for m in MARKERS
            .iter()
            .chain(["Desert Rose", "480-555-0199", secret.as_str()].iter())
        {
            assert!(!event_text.contains(m), "audit event holds {m}");
        }
        // The stored row: exactly the tip's own fields, none of the request's metadata; the
        // receipt secret only as an Argon2id hash.
        let id = IntakeId::parse(e.object_id.as_deref().unwrap()).unwrap();
        let row = app.store.intake_row_for_tests(id).await.unwrap();
        for (column, value) in &row {
            for m in MARKERS {
                assert!(!value.contains(m), "column {column} holds {m}");
            }
        }
        let mut columns: Vec<&str> = row.iter().map(|(c, _)| c.as_str()).collect();
        columns.sort();
        assert_eq!(
            columns,
            [
                "assignee",
                "case_id",
                "close_reason",
                "contact",
                "created_by",
                "id",
                "indicates",
                "kind",
                "priority",
                "priority_rank",
                "receipt_hash",
                "receipt_lookup",
                "received_at",
                "routed_agency",
                "rules",
                "state",
                "updated_at",
                "what",
                "when_text",
                "where_text"
            ]
        );
        let item = app.store.intake_item(id).await.unwrap().unwrap();
        let stored = format!("{item:?}");
        for m in MARKERS {
            assert!(!stored.contains(m), "row holds {m}");
        }
        assert!(!stored.contains(&secret));
        assert!(item
            .receipt_hash
            .as_deref()
            .unwrap()
            .starts_with("$argon2id$"));
        assert_eq!(item.created_by, None);
        // Triage: a stated age under 18 → high, explained; labour/sex indicators.
        assert_eq!(item.priority, Priority::High);
        assert!(item.rules.iter().any(|r| r.rule == "stated_age_under_18"));
        assert_eq!(item.indicates, TraffickingType::Sex);

        // The supervisor sees it with its selectors and replies.
        let (s, detail) = app
            .call(Method::GET, &format!("/api/v1/intake/{id}"), &sup, None)
            .await;
        assert_eq!(s, StatusCode::OK, "{detail}");
        assert_eq!(detail["selectors"][0]["kind"], "phone");
        assert_eq!(detail["selectors"][0]["value"], "+14805550199");
        assert!(detail["item"]["rules"][0]["because"].as_str().is_some());
        let (s, _) = app
            .call(
                Method::POST,
                &format!("/api/v1/intake/{id}/replies"),
                &sup,
                Some(json!({"body": "Thank you. Can you tell us which room?"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);

        // The tipster reads the reply with the code in the body (any case, spaces for hyphens).
        let typed = code.to_lowercase().replace('-', " ");
        let (s, thread) = app
            .call(
                Method::POST,
                "/api/v1/tips/status",
                &Cred::None,
                Some(json!({"receipt_code": typed})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{thread}");
        assert_eq!(thread["messages"][0]["from"], "task_force");
        assert!(thread["messages"][0].get("author_id").is_none());
        // … and adds information that raises the priority.
        let (s, _) = app
            .call(
                Method::POST,
                "/api/v1/tips/messages",
                &Cred::None,
                Some(json!({"receipt_code": code, "text": "Room 12. She said he has a gun and they are being moved tonight."})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        let item = app.store.intake_item(id).await.unwrap().unwrap();
        assert_eq!(item.priority, Priority::Urgent);
        assert_eq!(item.rules[0].rule, "imminent_danger");

        // Wrong secret and unknown lookup id: the same answer, both audited the same way.
        let mut wrong_secret: Vec<char> = code.chars().collect();
        let last = wrong_secret.len() - 1;
        wrong_secret[last] = if wrong_secret[last] == '0' { '1' } else { '0' };
        let wrong_secret: String = wrong_secret.into_iter().collect();
        let unknown = format!("ZZZZZ-ZZZZ{}", &code[10..]);
        let mut answers = Vec::new();
        for bad in [wrong_secret.as_str(), unknown.as_str(), "not a code"] {
            let (s, body) = app
                .call(
                    Method::POST,
                    "/api/v1/tips/status",
                    &Cred::None,
                    Some(json!({"receipt_code": bad})),
                )
                .await;
            let e = app.last_event().await;
            assert_eq!(
                (e.action.as_str(), e.detail.as_str()),
                ("tip.followup", "code_not_recognised")
            );
            assert_eq!(e.object_id, None);
            answers.push((s, body));
        }
        assert_eq!(answers[0].0, StatusCode::NOT_FOUND);
        assert!(answers.iter().all(|a| *a == answers[0]), "{answers:?}");
        let (s, _) = app
            .call(
                Method::POST,
                "/api/v1/tips/messages",
                &Cred::None,
                Some(json!({"receipt_code": wrong_secret, "text": "x"})),
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);

        // A replayed challenge (same challenge and nonce, new text) is refused.
        let mut replay = sub.clone();
        replay["what"] = json!("A different tip with the same solved challenge");
        let (s, body) = app
            .call(Method::POST, "/api/v1/tips", &Cred::None, Some(replay))
            .await;
        assert_eq!(
            (s, body["error"]["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("TOKEN_USED"))
        );
        app.store.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicate_submissions_with_an_idempotency_key() {
    for db in backends() {
        let app = TestApp::spawn(db).await;
        let a = app
            .agency("Phoenix Police Department", AgencyKind::LocalLaw)
            .await;
        let sup = app.user(a, "supervisor.a", Role::Supervisor, None).await;
        let sup_token = app.session(sup).await;
        let count = |app: &TestApp| {
            let store = app.store.clone();
            async move {
                store
                    .intake_queue(IntakeState::Open, 1000)
                    .await
                    .unwrap()
                    .len()
            }
        };
        // Anonymous tip: the retry gets the first receipt code; nothing new is stored.
        let sub =
            solved_submission(&app, "Farm workers have not been paid for months.").to_string();
        let key = [("idempotency-key", "retry-7f3a")];
        let (s1, h1, b1) =
            post_raw(&app, "/api/v1/tips", &sub, Some("application/json"), &key).await;
        assert_eq!(s1, StatusCode::CREATED, "{b1}");
        assert!(h1.get("idempotent-replayed").is_none());
        let (s2, h2, b2) =
            post_raw(&app, "/api/v1/tips", &sub, Some("application/json"), &key).await;
        assert_eq!((s2, &b2), (StatusCode::CREATED, &b1));
        assert_eq!(h2.get("idempotent-replayed").unwrap(), "true");
        assert_eq!(count(&app).await, 1);
        // The stored response does not reveal the receipt code.
        let stored = app.store.idempotency_responses_for_tests().await.unwrap();
        let secret = b1["receipt_code"].as_str().unwrap().replace('-', "");
        assert!(stored
            .iter()
            .all(|r| !r.contains(&secret) && !r.contains("receipt")));
        // Same key, different body: 422, nothing stored.
        let mut other: Value = serde_json::from_str(&sub).unwrap();
        other["what"] = json!("Something else entirely");
        let (s3, _, b3) = post_raw(
            &app,
            "/api/v1/tips",
            &other.to_string(),
            Some("application/json"),
            &key,
        )
        .await;
        assert_eq!(s3, StatusCode::UNPROCESSABLE_ENTITY, "{b3}");
        assert_eq!(count(&app).await, 1);
        // Without a key the same request is a replayed challenge.
        let (s4, _, b4) = post_raw(&app, "/api/v1/tips", &sub, Some("application/json"), &[]).await;
        assert_eq!(
            (s4, b4["error"]["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("TOKEN_USED"))
        );
        // A malformed key is refused before anything happens.
        let fresh = solved_submission(&app, "x").to_string();
        let (s5, _, _) = post_raw(
            &app,
            "/api/v1/tips",
            &fresh,
            Some("application/json"),
            &[("idempotency-key", "has space")],
        )
        .await;
        assert_eq!(s5, StatusCode::BAD_REQUEST);

        // Staff referral: the same mechanism, scoped per caller.
        let auth = format!("Bearer {sup_token}");
        let hdr = [
            ("authorization", auth.as_str()),
            ("idempotency-key", "ref-1"),
        ];
        let referral =
            json!({"what": "Hotline: a nanny's passport is held by her employer."}).to_string();
        let (r1, _, rb1) = post_raw(
            &app,
            "/api/v1/intake",
            &referral,
            Some("application/json"),
            &hdr,
        )
        .await;
        let (r2, rh2, rb2) = post_raw(
            &app,
            "/api/v1/intake",
            &referral,
            Some("application/json"),
            &hdr,
        )
        .await;
        assert_eq!((r1, r2), (StatusCode::CREATED, StatusCode::CREATED));
        assert_eq!(rb1, rb2);
        assert_eq!(rh2.get("idempotent-replayed").unwrap(), "true");
        assert_eq!(count(&app).await, 2);
        let changed = json!({"what": "Another referral"}).to_string();
        let (r3, _, _) = post_raw(
            &app,
            "/api/v1/intake",
            &changed,
            Some("application/json"),
            &hdr,
        )
        .await;
        assert_eq!(r3, StatusCode::UNPROCESSABLE_ENTITY);
        // After 24 hours the key is forgotten: a new item.
        app.clock.advance(Duration::from_secs(24 * 3600 + 1));
        let sup_token2 = app.session(sup).await;
        let auth2 = format!("Bearer {sup_token2}");
        let hdr2 = [
            ("authorization", auth2.as_str()),
            ("idempotency-key", "ref-1"),
        ];
        let (r4, rh4, _) = post_raw(
            &app,
            "/api/v1/intake",
            &changed,
            Some("application/json"),
            &hdr2,
        )
        .await;
        assert_eq!(r4, StatusCode::CREATED);
        assert!(rh4.get("idempotent-replayed").is_none());
        assert_eq!(count(&app).await, 3);
        app.store.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_tip_input_is_refused_clearly() {
    for db in backends() {
        let app = TestApp::spawn(db).await;
        let json_ct = Some("application/json");
        // Huge body → 413; wrong content type → 415; broken JSON and unknown fields → 400.
        let huge = format!("{{\"what\": \"{}\"}}", "a".repeat(2 * 1024 * 1024));
        let (s, _, _) = post_raw(&app, "/api/v1/tips", &huge, json_ct, &[]).await;
        assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
        let ok = solved_submission(&app, "Workers locked in at night");
        let (s, _, _) = post_raw(
            &app,
            "/api/v1/tips",
            &ok.to_string(),
            Some("text/plain"),
            &[],
        )
        .await;
        assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let (s, _, _) = post_raw(
            &app,
            "/api/v1/tips",
            "what=hello",
            Some("application/x-www-form-urlencoded"),
            &[],
        )
        .await;
        assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let (s, _, b) = post_raw(&app, "/api/v1/tips", "{\"what\":", json_ct, &[]).await;
        assert_eq!(
            (s, b["error"]["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("MALFORMED_JSON"))
        );
        let mut extra = ok.clone();
        extra["ip_address"] = json!("203.0.113.77");
        let (s, _, b) = post_raw(&app, "/api/v1/tips", &extra.to_string(), json_ct, &[]).await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert!(b["error"]["message"]
            .as_str()
            .unwrap()
            .contains("ip_address"));

        // Malformed, forged, wrong-kind, unsolved and expired challenges.
        let c = ok["challenge"].as_str().unwrap().to_owned();
        let forged = {
            let mut parts: Vec<String> = c.split('.').map(str::to_owned).collect();
            parts[3] = "0".into();
            parts.join(".")
        };
        let form = tips::issue_form_token(&app.state);
        let cases: Vec<(Value, &str)> = vec![
            (
                json!({"challenge": "garbage", "nonce": "1", "what": "x"}),
                "TOKEN_INVALID",
            ),
            (
                json!({"challenge": "x".repeat(5000), "nonce": "1", "what": "x"}),
                "TOKEN_INVALID",
            ),
            (
                json!({"challenge": forged, "nonce": "1", "what": "x"}),
                "TOKEN_INVALID",
            ),
            (
                json!({"challenge": form, "nonce": "1", "what": "x"}),
                "TOKEN_INVALID",
            ),
            (
                json!({"challenge": c, "nonce": "", "what": "x"}),
                "WORK_MISSING",
            ),
            (
                json!({"challenge": c, "nonce": "ü", "what": "x"}),
                "WORK_MISSING",
            ),
            (
                json!({"challenge": c, "nonce": ok["nonce"], "what": "  "}),
                "INVALID_FIELD",
            ),
            (
                json!({"challenge": c, "nonce": ok["nonce"], "what": "a\u{0007}b"}),
                "INVALID_FIELD",
            ),
        ];
        for (body, code) in cases {
            let (s, b) = app
                .call(
                    Method::POST,
                    "/api/v1/tips",
                    &Cred::None,
                    Some(body.clone()),
                )
                .await;
            assert_eq!(
                (s, b["error"]["code"].as_str()),
                (StatusCode::BAD_REQUEST, Some(code)),
                "{body}"
            );
        }
        // Difficulty 1 means a wrong nonce fails about half the time: find one that fails.
        let bad_nonce = (0..64)
            .map(|i| format!("n{i}"))
            .find(|n| !vigil_core::tips::check_work(&c, n, 1))
            .unwrap();
        let (s, b) = app
            .call(
                Method::POST,
                "/api/v1/tips",
                &Cred::None,
                Some(json!({"challenge": c, "nonce": bad_nonce, "what": "x"})),
            )
            .await;
        assert_eq!(
            (s, b["error"]["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("WORK_MISSING"))
        );
        app.clock.advance(Duration::from_secs(601));
        let (s, b) = app
            .call(Method::POST, "/api/v1/tips", &Cred::None, Some(ok.clone()))
            .await;
        assert_eq!(
            (s, b["error"]["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("TOKEN_EXPIRED"))
        );

        // Attachments: wrong type, content not matching its type, bad base64, too many, too big.
        let b64 = |bytes: &[u8]| {
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD, bytes)
        };
        let att =
            |media: &str, content: String| json!({"media_type": media, "content_base64": content});
        let bad_attachments = vec![
            vec![att("application/x-msdownload", b64(b"MZ\x90\x00"))],
            vec![att("image/png", b64(b"%PDF-1.7 not a png"))],
            vec![att("text/plain", "***".into())],
            vec![att("text/plain", b64(b"a")); 4],
            vec![att("text/plain", b64(&vec![b'a'; 300 * 1024]))],
        ];
        for list in bad_attachments {
            let mut body = solved_submission(&app, "See the attached photo.");
            body["attachments"] = json!(list);
            let (s, b) = app
                .call(Method::POST, "/api/v1/tips", &Cred::None, Some(body))
                .await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
            assert!(
                b["error"]["message"]
                    .as_str()
                    .unwrap()
                    .starts_with("attachments"),
                "{b}"
            );
        }
        // A JPEG's EXIF (GPS, camera serial) is removed before it is stored.
        let exif = b"Exif\0\0GPS SERIAL-0042";
        let mut jpeg = vec![
            0xFF,
            0xD8,
            0xFF,
            0xE1,
            0x00,
            u8::try_from(exif.len() + 2).unwrap(),
        ];
        jpeg.extend_from_slice(exif);
        jpeg.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x02, 7, 7, 0xFF, 0xD9]);
        // A name with a directory part keeps only its last part; a text-direction trick is
        // refused before anything is stored.
        let mut body = solved_submission(&app, "Photo of the van attached.");
        body["attachments"] = json!([{"media_type": "image/jpeg", "content_base64": b64(&jpeg),
                                      "name": "invoice\u{202e}gpj.exe"}]);
        let (s, b) = app
            .call(Method::POST, "/api/v1/tips", &Cred::None, Some(body))
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
        assert!(b["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("attachments[0].name"));
        let before = app.state.blobs.as_ref().unwrap().scan().unwrap();
        assert!(before.blobs.is_empty(), "a refused tip stores no file");
        let mut body = solved_submission(&app, "Photo of the van attached.");
        body["attachments"] = json!([{"media_type": "image/jpeg", "content_base64": b64(&jpeg),
                                      "name": "../../etc/van photo.jpg"}]);
        let (s, b) = app
            .call(Method::POST, "/api/v1/tips", &Cred::None, Some(body))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        let e = app.last_event().await;
        let id = IntakeId::parse(e.object_id.as_deref().unwrap()).unwrap();
        let list = app.store.intake_attachments(id).await.unwrap();
        let stored = app
            .store
            .intake_attachment(id, list[0].id)
            .await
            .unwrap()
            .unwrap();
        let clean = [0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02, 7, 7, 0xFF, 0xD9];
        // The bytes are in the blob store (under their digest, in the ledger), not in the row.
        assert!(stored.in_blob_store);
        assert!(stored.content.is_empty());
        assert_eq!(stored.name.as_deref(), Some("van photo.jpg"));
        assert_eq!(stored.size, 10);
        let digest = vigil_types::Sha256Digest::parse(&stored.sha256).unwrap();
        let blobs = app.state.blobs.as_ref().unwrap();
        assert_eq!(std::fs::read(blobs.path(&digest)).unwrap(), clean);
        let ledger: std::collections::BTreeMap<_, _> =
            app.store.blob_ledger().await.unwrap().into_iter().collect();
        assert_eq!(ledger.get(&digest), Some(&10));
        assert!(vigil_evidence::verify(blobs, &ledger, |_| {})
            .unwrap()
            .is_clean());
        // Staff see it listed in the triage view and download it as an opaque file with a
        // server-made name, streamed from the blob store.
        let a = app
            .agency("Phoenix Police Department", AgencyKind::LocalLaw)
            .await;
        let sup = app.user(a, "supervisor.a", Role::Supervisor, None).await;
        let sup = Cred::Bearer(app.session(sup).await);
        let (s, detail) = app
            .call(Method::GET, &format!("/api/v1/intake/{id}"), &sup, None)
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(
            detail["attachments"][0]["name"], "van photo.jpg",
            "{detail}"
        );
        assert_eq!(detail["attachments"][0]["sha256"], stored.sha256.as_str());
        let Cred::Bearer(token) = &sup else {
            unreachable!()
        };
        let req = axum::http::Request::builder()
            .uri(format!("/api/v1/intake/{id}/attachments/{}", stored.id))
            .header("authorization", format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap();
        let res = tower::ServiceExt::oneshot(vigil_server::router(app.state.clone()), req)
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let headers = res.headers().clone();
        let body = axum::body::to_bytes(res.into_body(), 1 << 20)
            .await
            .unwrap();
        assert_eq!(&body[..], &clean[..]);
        assert_eq!(headers["content-type"], "application/octet-stream");
        assert!(headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"tip-attachment-"));
        assert_eq!(headers["x-content-sha256"].to_str().unwrap(), stored.sha256);
        app.store.close().await;
    }
}

/// A crash after a tip's attachment reached the blob store and before its row committed: no
/// item and no attachment are visible, the blob is an orphan that fixity reports, and the
/// tipster's retry stores the tip with the same blob (then everything agrees).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tip_attachment_blob_without_row_is_an_orphan_nobody_sees() {
    use std::sync::atomic::Ordering;
    for db in backends() {
        let app = TestApp::spawn(db).await;
        let note = b"Plate SYN-0042, white van.\n";
        let b64 = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, note);
        let submission = |app: &TestApp| {
            let mut body = solved_submission(app, "A van picks up workers at 5 am.");
            body["attachments"] =
                json!([{"media_type": "text/plain", "content_base64": b64, "name": "plate.txt"}]);
            body
        };
        let fp = &app.state.failpoints.tip_after_blob;
        fp.store(true, Ordering::SeqCst);
        let (s, b) = app
            .call(
                Method::POST,
                "/api/v1/tips",
                &Cred::None,
                Some(submission(&app)),
            )
            .await;
        fp.store(false, Ordering::SeqCst);
        assert_eq!(s, StatusCode::INTERNAL_SERVER_ERROR, "{b}");
        let digest = vigil_types::Sha256Digest::from_bytes(
            <sha2::Sha256 as sha2::Digest>::digest(note).into(),
        );
        let blobs = app.state.blobs.as_ref().unwrap();
        assert!(blobs.contains(&digest), "the blob is durable");
        let a = app
            .agency("Phoenix Police Department", AgencyKind::LocalLaw)
            .await;
        let sup = app.user(a, "supervisor.a", Role::Supervisor, None).await;
        let sup = Cred::Bearer(app.session(sup).await);
        let (s, queue) = app.call(Method::GET, "/api/v1/intake", &sup, None).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(queue["items"].as_array().unwrap().len(), 0, "{queue}");
        let ledger = |app: &TestApp| {
            let store = app.store.clone();
            async move {
                store
                    .blob_ledger()
                    .await
                    .unwrap()
                    .into_iter()
                    .collect::<std::collections::BTreeMap<_, _>>()
            }
        };
        let report = vigil_evidence::verify(blobs, &ledger(&app).await, |_| {}).unwrap();
        assert_eq!(report.orphans, vec![digest]);
        // The retry (a new challenge) adopts the stored blob.
        let (s, b) = app
            .call(
                Method::POST,
                "/api/v1/tips",
                &Cred::None,
                Some(submission(&app)),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        let report = vigil_evidence::verify(blobs, &ledger(&app).await, |_| {}).unwrap();
        assert!(report.is_clean(), "{report:?}");
        let (_, queue) = app.call(Method::GET, "/api/v1/intake", &sup, None).await;
        let item = queue["items"][0]["id"].as_str().unwrap().to_owned();
        let (_, detail) = app
            .call(Method::GET, &format!("/api/v1/intake/{item}"), &sup, None)
            .await;
        assert_eq!(detail["attachments"][0]["name"], "plate.txt", "{detail}");
        assert_eq!(detail["attachments"][0]["sha256"], digest.to_hex());
        app.store.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn global_rate_limit_and_delayed_form_tokens() {
    for db in backends() {
        let app = TestApp::spawn(db).await;
        let config = ServerConfig {
            tips: TipsConfig {
                rate_per_minute: 60,
                burst: 3,
                ..TipsConfig::for_bench()
            },
            ..ServerConfig::default()
        };
        let state = AppState::new(app.store.clone(), config);
        for _ in 0..3 {
            assert!(tips::issue_challenge(&state).is_ok());
        }
        let refused = tips::issue_challenge(&state).unwrap_err();
        assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
        let res = axum::response::IntoResponse::into_response(refused);
        assert_eq!(res.headers().get("retry-after").unwrap(), "1");
        app.clock.advance(Duration::from_secs(1));
        assert!(tips::issue_challenge(&state).is_ok());
        assert!(tips::issue_challenge(&state).is_err());

        // The no-JavaScript page's path: a form token is refused for the first seconds, then
        // accepted once.
        let app2 = TestApp::spawn(db).await;
        let token = tips::issue_form_token(&app2.state);
        let input = TipInput {
            what: "Posted from the tip page.\r\nSecond line.".into(),
            ..TipInput::default()
        };
        let early = tips::submit(
            &app2.state,
            Proof::Form {
                token: token.clone(),
            },
            input.clone(),
            None,
        )
        .await;
        assert_eq!(
            early.err().map(|e| e.status()),
            Some(StatusCode::BAD_REQUEST)
        );
        app2.clock.advance(Duration::from_secs(3));
        let ok = tips::submit(
            &app2.state,
            Proof::Form {
                token: token.clone(),
            },
            input.clone(),
            None,
        )
        .await;
        assert!(matches!(ok, Ok(tips::Submitted::Created(_))));
        let again = tips::submit(&app2.state, Proof::Form { token }, input, None).await;
        assert_eq!(
            again.err().map(|e| e.status()),
            Some(StatusCode::BAD_REQUEST)
        );
        let items = app2
            .store
            .intake_queue(IntakeState::Open, 10)
            .await
            .unwrap();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].what, "Posted from the tip page.\nSecond line.");
        app.store.close().await;
        app2.store.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn triage_queue_routing_and_merge() {
    for db in backends() {
        let app = TestApp::spawn(db).await;
        let a = app
            .agency("Phoenix Police Department", AgencyKind::LocalLaw)
            .await;
        let b = app.agency("HSI Phoenix", AgencyKind::FederalLaw).await;
        let c = app
            .agency("Safe Harbor Survivor Services", AgencyKind::VictimServices)
            .await;
        let cred = |t: String| Cred::Bearer(t);
        let sup_a = cred(
            app.session(app.user(a, "supervisor.a", Role::Supervisor, None).await)
                .await,
        );
        let inv_a = cred(
            app.session(app.user(a, "agent.a", Role::Investigator, None).await)
                .await,
        );
        let sup_b_id = app.user(b, "supervisor.b", Role::Supervisor, None).await;
        let sup_b = cred(app.session(sup_b_id).await);
        let agent_b_id = app.user(b, "agent.b", Role::Investigator, None).await;
        let agent_b = cred(app.session(agent_b_id).await);
        let advocate = cred(
            app.session(app.user(c, "advocate.c", Role::VictimAdvocate, None).await)
                .await,
        );

        // One second apart: equal priorities are served oldest first.
        submit_tip(&app, "Farm workers say the recruiter kept their passports.").await;
        app.clock.advance(Duration::from_secs(1));
        submit_tip(&app, "A man with a gun keeps women locked in a house on 5th Ave; email boss.synth@example.com").await;
        app.clock.advance(Duration::from_secs(1));
        submit_tip(
            &app,
            "Massage parlour open all night; a teen answers the door.",
        )
        .await;
        app.clock.advance(Duration::from_secs(1));
        // An advocate enters a referral; it lands unrouted, visible to supervisors.
        let (s, r) = app
            .call(
                Method::POST,
                "/api/v1/intake",
                &advocate,
                Some(json!({"what": "A survivor says her cousin still works at the same motel."})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{r}");
        assert_eq!(r["kind"], "referral");

        // The queue: most urgent first, each priority explained.
        let (s, q) = app.call(Method::GET, "/api/v1/intake", &sup_a, None).await;
        assert_eq!(s, StatusCode::OK);
        let items = q["items"].as_array().unwrap();
        assert_eq!(items.len(), 4);
        let prios: Vec<&str> = items
            .iter()
            .map(|i| i["priority"].as_str().unwrap())
            .collect();
        assert_eq!(prios, ["urgent", "high", "routine", "routine"]);
        assert_eq!(items[0]["rules"][0]["rule"], "imminent_danger");
        assert_eq!(items[2]["indicates"], "labour");
        // Unrouted items: supervisors only.
        for who in [&inv_a, &agent_b, &advocate] {
            let (_, q) = app.call(Method::GET, "/api/v1/intake", who, None).await;
            assert_eq!(q["items"].as_array().unwrap().len(), 0);
        }
        let urgent = items[0]["id"].as_str().unwrap().to_owned();
        let path = |rest: &str| format!("/api/v1/intake/{urgent}{rest}");

        // Route to agency B: A's supervisor loses it (404), B's investigators see it.
        let (s, _) = app
            .call(
                Method::POST,
                &path("/route"),
                &sup_a,
                Some(json!({"agency_id": b.to_string()})),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let (s, _) = app.call(Method::GET, &path(""), &sup_a, None).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (s, d) = app.call(Method::GET, &path(""), &agent_b, None).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(d["selectors"][0]["kind"], "email");
        // Assigning someone of another agency is refused; B's agent is accepted.
        let (s, _) = app
            .call(
                Method::POST,
                &path("/assign"),
                &sup_b,
                Some(json!({"assignee_id": sup_b_id.to_string()})),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let (s, _) = app
            .call(
                Method::POST,
                &path("/assign"),
                &sup_b,
                Some(json!({"assignee_id": vigil_types::UserId::new_random().to_string()})),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        let (s, _) = app
            .call(
                Method::POST,
                &path("/assign"),
                &sup_b,
                Some(json!({"assignee_id": agent_b_id.to_string()})),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        // The assignee merges it into a new case: a note and an Email entity, timeline entry.
        let (s, m) = app
            .call(
                Method::POST,
                &path("/merge"),
                &agent_b,
                Some(json!({"new_case": {"number": "HSI-2026-001", "title": "5th Ave house", "trafficking_type": "sex"}})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{m}");
        let case_id = m["case_id"].as_str().unwrap();
        assert_eq!(m["entity_ids"].as_array().unwrap().len(), 1);
        let (_, notes) = app
            .call(
                Method::GET,
                &format!("/api/v1/cases/{case_id}/notes"),
                &agent_b,
                None,
            )
            .await;
        let note = notes["items"][0]["body"].as_str().unwrap();
        assert!(
            note.contains("locked in a house") && note.contains("imminent_danger"),
            "{note}"
        );
        let (_, ents) = app
            .call(
                Method::GET,
                &format!("/api/v1/cases/{case_id}/entities"),
                &agent_b,
                None,
            )
            .await;
        assert_eq!(ents["items"][0]["schema"], "Email");
        let (_, tl) = app
            .call(
                Method::GET,
                &format!("/api/v1/cases/{case_id}/timeline"),
                &agent_b,
                None,
            )
            .await;
        assert!(tl["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "intake.merged"));
        // Merged items cannot be merged or closed again.
        let (s, _) = app
            .call(
                Method::POST,
                &path("/merge"),
                &agent_b,
                Some(json!({"case_id": case_id})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        let (s, _) = app
            .call(
                Method::POST,
                &path("/close"),
                &sup_b,
                Some(json!({"reason": "duplicate"})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        // Closing: a reason from the list.
        let other = items[2]["id"].as_str().unwrap();
        let (s, _) = app
            .call(
                Method::POST,
                &format!("/api/v1/intake/{other}/close"),
                &sup_a,
                Some(json!({"reason": "because"})),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        let (s, closed) = app
            .call(
                Method::POST,
                &format!("/api/v1/intake/{other}/close"),
                &sup_a,
                Some(json!({"reason": "no_trafficking_indicators"})),
            )
            .await;
        assert_eq!(
            (s, closed["state"].as_str()),
            (StatusCode::OK, Some("closed"))
        );
        // Merge needs exactly one target; referrals have no tipster to reply to.
        let referral = r["id"].as_str().unwrap();
        let (s, _) = app
            .call(
                Method::POST,
                &format!("/api/v1/intake/{referral}/merge"),
                &sup_a,
                Some(json!({})),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        let (s, _) = app
            .call(
                Method::POST,
                &format!("/api/v1/intake/{referral}/replies"),
                &sup_a,
                Some(json!({"body": "hello"})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        // Merging into an existing case needs write access to that case (404 otherwise).
        let (s, _) = app
            .call(
                Method::POST,
                &format!("/api/v1/intake/{referral}/merge"),
                &sup_a,
                Some(json!({"case_id": case_id})),
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (_, q) = app
            .call(Method::GET, "/api/v1/intake?state=merged", &agent_b, None)
            .await;
        assert_eq!(q["items"].as_array().unwrap().len(), 1);
        let (s, _) = app
            .call(Method::GET, "/api/v1/intake?state=bogus", &agent_b, None)
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        // Audit details hold codes and ids, never tip text or selectors.
        let events = app
            .store
            .audit_search(&vigil_store::audit::AuditQuery {
                limit: 1000,
                ..Default::default()
            })
            .await
            .unwrap();
        for e in events {
            let t = format!("{:?}", e.event);
            assert!(
                !t.contains("locked") && !t.contains("boss.synth") && !t.contains("passport"),
                "{t}"
            );
        }
        app.store.close().await;
    }
}
