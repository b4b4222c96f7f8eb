//! Evidence (E1–E3) through the real router on both stores: streaming upload with SHA-256 on
//! ingest, idempotent re-upload, streaming download and transfers as custody events, the court
//! package unpacked and verified with standard tools, bad input (limits, content types, hostile
//! names), a damaged blob, and the crash window between the blob write and the row commit.

use crate::support::{backends, Cred, Db, TestApp};
use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use http_body::Frame;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll};
use tower::ServiceExt;
use vigil_core::{AgencyKind, Role};
use vigil_evidence::BlobStore;
use vigil_server::{router, AppState, ServerConfig};
use vigil_types::{Sha256Digest, UserId};

/// Deterministic bytes that look like a file (seeded xorshift).
fn file_bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

fn sha_hex(bytes: &[u8]) -> String {
    Sha256Digest::from_bytes(Sha256::digest(bytes).into()).to_hex()
}

/// A body sent in `n` chunks with no length announced (chunked transfer, like a pipe).
struct Chunks {
    left: usize,
    chunk: Bytes,
}

impl http_body::Body for Chunks {
    type Data = Bytes;
    type Error = std::io::Error;
    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        if self.left == 0 {
            return Poll::Ready(None);
        }
        self.left -= 1;
        Poll::Ready(Some(Ok(Frame::data(self.chunk.clone()))))
    }
}

/// The response of one request: status, headers, and the body (or the error that cut it short).
struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Result<Bytes, String>,
}

impl Reply {
    fn json(&self) -> Value {
        self.body
            .as_ref()
            .ok()
            .and_then(|b| serde_json::from_slice(b).ok())
            .unwrap_or(Value::Null)
    }
}

async fn send(
    state: &AppState,
    method: Method,
    path: &str,
    token: &str,
    content_type: Option<&str>,
    extra: &[(&str, &str)],
    body: Body,
) -> Reply {
    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"));
    if let Some(ct) = content_type {
        req = req.header(header::CONTENT_TYPE, ct);
    }
    for (k, v) in extra {
        req = req.header(*k, *v);
    }
    let res = router(state.clone())
        .oneshot(req.body(body).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = axum::body::to_bytes(res.into_body(), 1 << 30)
        .await
        .map_err(|e| e.to_string());
    Reply {
        status,
        headers,
        body,
    }
}

async fn upload(
    state: &AppState,
    token: &str,
    case: &str,
    query: &str,
    content_type: Option<&str>,
    bytes: &[u8],
) -> Reply {
    send(
        state,
        Method::POST,
        &format!("/api/v1/cases/{case}/evidence?{query}"),
        token,
        content_type,
        &[],
        Body::from(bytes.to_vec()),
    )
    .await
}

struct World {
    app: TestApp,
    lead: String,
    prosecutor: String,
    prosecutor_id: UserId,
    outsider: String,
    case: String,
    case2: String,
}

async fn world(db: Db) -> World {
    let app = TestApp::spawn(db).await;
    let a = app
        .agency("Phoenix Police Department", AgencyKind::LocalLaw)
        .await;
    let lead_id = app.user(a, "lead.a", Role::Investigator, None).await;
    let prosecutor_id = app.user(a, "prosecutor.a", Role::Prosecutor, None).await;
    let b = app.agency("HSI Phoenix", AgencyKind::FederalLaw).await;
    let outsider_id = app.user(b, "agent.b", Role::Investigator, None).await;
    let lead = app.session(lead_id).await;
    let prosecutor = app.session(prosecutor_id).await;
    let outsider = app.session(outsider_id).await;
    let bearer = Cred::Bearer(lead.clone());
    let mut cases = Vec::new();
    for n in ["PHX-2026-0042", "PHX-2026-0043"] {
        let (s, b) = app
            .call(
                Method::POST,
                "/api/v1/cases",
                &bearer,
                Some(json!({"number": n, "title": "Nail salon labour case", "trafficking_type": "labour"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        cases.push(b["id"].as_str().unwrap().to_owned());
    }
    let (s, b) = app
        .call(
            Method::POST,
            &format!("/api/v1/cases/{}/team", cases[0]),
            &bearer,
            Some(json!({"user_id": prosecutor_id.to_string()})),
        )
        .await;
    assert!(s.is_success(), "{b}");
    World {
        app,
        lead,
        prosecutor,
        prosecutor_id,
        outsider,
        case: cases[0].clone(),
        case2: cases[1].clone(),
    }
}

fn blobs(w: &World) -> &BlobStore {
    w.app.state.blobs.as_ref().unwrap()
}

async fn ledger(w: &World) -> BTreeMap<Sha256Digest, u64> {
    w.app
        .store
        .blob_ledger()
        .await
        .unwrap()
        .into_iter()
        .collect()
}

async fn list(w: &World, case: &str) -> Vec<Value> {
    let (s, b) = w
        .app
        .call(
            Method::GET,
            &format!("/api/v1/cases/{case}/evidence"),
            &Cred::Bearer(w.lead.clone()),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    b["items"].as_array().unwrap().clone()
}

async fn custody_kinds(w: &World, id: &str) -> Vec<String> {
    let (s, b) = w
        .app
        .call(
            Method::GET,
            &format!("/api/v1/evidence/{id}/custody"),
            &Cred::Bearer(w.prosecutor.clone()),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    b["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_custody_and_a_court_package_that_verifies_offline() {
    for db in backends() {
        let w = world(db).await;
        let state = &w.app.state;
        let photo = file_bytes(1_300_000, 42);
        let q = "name=IMG_0042%20(salon%20back%20room).jpg&collected_where=Unit%204&reason=seized%20under%20warrant%2026-001";
        let r = upload(state, &w.lead, &w.case, q, Some("image/jpeg"), &photo).await;
        assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
        let item = r.json();
        let id = item["id"].as_str().unwrap().to_owned();
        // EV-1: the digest is SHA-256 over exactly the bytes sent, as an independent hash says.
        assert_eq!(item["sha256"], sha_hex(&photo));
        assert_eq!(item["size_bytes"], photo.len());
        assert_eq!(item["name"], "IMG_0042 (salon back room).jpg");
        assert_eq!(item["media_type"], "image/jpeg");
        let digest = Sha256Digest::parse(item["sha256"].as_str().unwrap()).unwrap();
        let path = blobs(&w).path(&digest);
        assert_eq!(std::fs::read(&path).unwrap(), photo);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o222, 0, "the original is read-only on disk");
        }

        // The same bytes again: the same item (200), nothing new; in another case: a new item
        // over the same blob, stored once.
        let again = upload(
            state,
            &w.lead,
            &w.case,
            "name=copy.jpg",
            Some("image/jpeg"),
            &photo,
        )
        .await;
        assert_eq!(again.status, StatusCode::OK);
        assert_eq!(again.json()["id"], id.as_str());
        let other = upload(
            state,
            &w.lead,
            &w.case2,
            "name=copy.jpg",
            Some("image/jpeg"),
            &photo,
        )
        .await;
        assert_eq!(other.status, StatusCode::CREATED);
        assert_ne!(other.json()["id"], id.as_str());
        assert_eq!(list(&w, &w.case).await.len(), 1);
        assert_eq!(blobs(&w).scan().unwrap().blobs.len(), 1, "stored once");

        // Outsiders see nothing, exactly like a missing item.
        let r = send(
            state,
            Method::GET,
            &format!("/api/v1/evidence/{id}/content"),
            &w.outsider,
            None,
            &[],
            Body::empty(),
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        // A prosecutor on the team may not add evidence.
        let r = upload(
            state,
            &w.prosecutor,
            &w.case,
            "name=x.txt",
            Some("text/plain"),
            b"x",
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);

        // Download: the original bytes, never rendered inline, and an `accessed` custody event.
        let r = send(
            state,
            Method::GET,
            &format!("/api/v1/evidence/{id}/content?purpose=charging%20review"),
            &w.prosecutor,
            None,
            &[],
            Body::empty(),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.body.as_ref().unwrap().as_ref(), &photo[..]);
        assert_eq!(r.headers[header::CONTENT_TYPE], "application/octet-stream");
        assert_eq!(
            r.headers[header::CONTENT_DISPOSITION],
            format!("attachment; filename=\"{id}.jpg\"").as_str()
        );
        assert_eq!(r.headers["x-vigil-sha256"], sha_hex(&photo).as_str());

        // Transfer to the prosecutor; the receiver must be able to see the case.
        let lead = Cred::Bearer(w.lead.clone());
        let (s, b) = w
            .app
            .call(
                Method::POST,
                &format!("/api/v1/evidence/{id}/transfers"),
                &lead,
                Some(json!({"to_user_id": w.prosecutor_id.to_string(), "purpose": "charging review"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
        assert_eq!(b["custodian_id"], w.prosecutor_id.to_string());
        let (s, _) = w
            .app
            .call(
                Method::POST,
                &format!("/api/v1/evidence/{id}/transfers"),
                &lead,
                Some(json!({"to_user_id": UserId::new_random().to_string(), "purpose": "x"})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            custody_kinds(&w, &id).await,
            ["collected", "accessed", "transferred"]
        );

        // A second, plain-text item with a hostile name, then the court package.
        let note = b"Ledger page 3: rent 400, transport 150, debt 2,300.\n".to_vec();
        let r = upload(
            state,
            &w.lead,
            &w.case,
            "name=%3Cscript%3Ealert(1)%3C%2Fscript%3E.txt",
            Some("text/plain; charset=utf-8"),
            &note,
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED);
        let r = send(
            state,
            Method::POST,
            &format!("/api/v1/cases/{}/evidence/export", w.case),
            &w.prosecutor,
            Some("application/json"),
            &[],
            Body::from(
                json!({"purpose": "discovery", "recipient": "Maricopa County Superior Court"})
                    .to_string(),
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
        assert_eq!(r.headers[header::CONTENT_TYPE], "application/x-tar");
        let tar = r.body.unwrap();
        assert_eq!(
            r.headers[header::CONTENT_LENGTH],
            tar.len().to_string().as_str()
        );

        // Offline: unpack with tar and check with sha256sum, as a court's examiner would.
        let out = tempfile::tempdir().unwrap();
        std::fs::write(out.path().join("package.tar"), &tar).unwrap();
        let unpack = std::process::Command::new("tar")
            .arg("-xf")
            .arg("package.tar")
            .current_dir(out.path())
            .output()
            .unwrap();
        assert!(unpack.status.success(), "{unpack:?}");
        let root = out.path().join(format!("evidence-{}", w.case));
        let check = std::process::Command::new("sha256sum")
            .args(["-c", "--strict", "SHA256SUMS"])
            .current_dir(&root)
            .output()
            .unwrap();
        assert!(check.status.success(), "{check:?}");
        let checked = String::from_utf8_lossy(&check.stdout);
        assert_eq!(checked.matches(": OK").count(), 3, "{checked}");
        assert_eq!(
            std::fs::read(root.join(format!("files/{id}.jpg"))).unwrap(),
            photo
        );
        let report = std::fs::read_to_string(root.join("custody-report.html")).unwrap();
        assert!(report.contains("IMG_0042 (salon back room).jpg"));
        assert!(report.contains("&lt;script&gt;alert(1)&lt;/script&gt;.txt"));
        assert!(!report.contains("<script>"));
        assert!(report.contains("Maricopa County Superior Court"));
        assert!(report.contains(&sha_hex(&photo)));
        assert_eq!(
            custody_kinds(&w, &id).await,
            ["collected", "accessed", "transferred", "exported"]
        );
        // Tampering with an unpacked file is caught offline.
        std::fs::write(root.join(format!("files/{id}.jpg")), b"edited").unwrap();
        let check = std::process::Command::new("sha256sum")
            .args(["-c", "SHA256SUMS"])
            .current_dir(&root)
            .output()
            .unwrap();
        assert!(!check.status.success());

        // The blob store and the ledger agree; the audit trail verifies and holds no names.
        let report = vigil_evidence::verify(blobs(&w), &ledger(&w).await, |_| {}).unwrap();
        assert!(report.is_clean(), "{report:?}");
        assert_eq!(report.checked, 2);
        w.app.store.audit_verify(None, |_| {}).await.unwrap();
        let q = vigil_store::audit::AuditQuery {
            limit: 10_000,
            ..Default::default()
        };
        for e in w.app.store.audit_search(&q).await.unwrap() {
            let text = format!("{:?}", e.event);
            assert!(
                !text.contains("IMG_0042")
                    && !text.contains("script")
                    && !text.contains("Maricopa"),
                "{text}"
            );
        }
        w.app.store.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_uploads_are_refused_and_leave_nothing_behind() {
    for db in backends() {
        let w = world(db).await;
        // A server with a small limit, over the same store and blob directory.
        let small = AppState::new(
            w.app.store.clone(),
            ServerConfig {
                blob_dir: Some(blobs(&w).root().to_owned()),
                max_upload_bytes: 100_000,
                ..ServerConfig::default()
            },
        );
        let path = format!("/api/v1/cases/{}/evidence?name=big.bin", w.case);
        // Announced too large: refused before a byte is read.
        let r = send(
            &small,
            Method::POST,
            &path,
            &w.lead,
            Some("application/octet-stream"),
            &[("content-length", "5000000000")],
            Body::from(vec![0u8; 10]),
        )
        .await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(r.json()["error"]["code"], "UPLOAD_TOO_LARGE");
        // Streamed without a length and too large: cut off at the limit.
        let chunks = Chunks {
            left: 40,
            chunk: Bytes::from(vec![9u8; 64 * 1024]),
        };
        let r = send(
            &small,
            Method::POST,
            &path,
            &w.lead,
            Some("application/octet-stream"),
            &[],
            Body::new(chunks),
        )
        .await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
        // Just under the limit, streamed: accepted.
        let chunks = Chunks {
            left: 1,
            chunk: Bytes::from(vec![9u8; 99_999]),
        };
        let r = send(
            &small,
            Method::POST,
            &path,
            &w.lead,
            Some("application/octet-stream"),
            &[],
            Body::new(chunks),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
        // The default limit is 4 GiB and the JSON limit does not apply to uploads.
        let r = send(
            &w.app.state,
            Method::POST,
            &path,
            &w.lead,
            Some("application/octet-stream"),
            &[("content-length", "4294967297")],
            Body::from(vec![0u8; 10]),
        )
        .await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
        let two_mib = file_bytes(2 << 20, 7);
        let r = upload(
            &w.app.state,
            &w.lead,
            &w.case,
            "name=two-mib.bin",
            Some("application/octet-stream"),
            &two_mib,
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED);

        // Content types: the body must be the file itself, with a media type.
        let state = &w.app.state;
        for ct in [
            None,
            Some("multipart/form-data; boundary=xyz"),
            Some("application/x-www-form-urlencoded"),
            Some("garbage"),
            Some("image/"),
            Some("/jpeg"),
        ] {
            let r = upload(state, &w.lead, &w.case, "name=a.txt", ct, b"payload").await;
            assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{ct:?}");
        }

        // Names are display metadata: traversal is just text, control and direction characters
        // and overlong names are refused.
        let r = upload(
            state,
            &w.lead,
            &w.case,
            "name=..%2F..%2F..%2Fetc%2Fpasswd",
            Some("text/plain"),
            b"traversal",
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED);
        assert_eq!(r.json()["name"], "../../../etc/passwd");
        let long_ok = "a".repeat(255);
        let r = upload(
            state,
            &w.lead,
            &w.case,
            &format!("name={long_ok}"),
            Some("text/plain"),
            b"long name",
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED);
        for q in [
            "name=a%00b.txt",
            "name=line%0Abreak.txt",
            "name=invoice%E2%80%AEfdp.exe",
            "name=%20%20",
            "",
            "name=x.txt&path=%2Fetc%2Fpasswd",
            "name=x.txt&collected_at=tomorrow",
            "name=x.txt&collected_at=2099-01-01T00:00:00Z",
            "name=x.txt&collected_by=not-a-user",
        ] {
            let r = upload(state, &w.lead, &w.case, q, Some("text/plain"), b"refused").await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{q}: {:?}", r.body);
        }
        let r = upload(
            state,
            &w.lead,
            &w.case,
            &format!("name={}", "a".repeat(256)),
            Some("text/plain"),
            b"refused",
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        let r = upload(
            state,
            &w.lead,
            &w.case,
            "name=empty.txt",
            Some("text/plain"),
            b"",
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert_eq!(r.json()["error"]["code"], "EMPTY_BODY");

        // Nothing refused left a blob, a partial upload or a file outside the store.
        let scan = blobs(&w).scan().unwrap();
        assert_eq!(scan.blobs.len(), 4, "{scan:?}");
        assert!(
            scan.partials.is_empty() && scan.strays.is_empty(),
            "{scan:?}"
        );
        let top: Vec<_> = std::fs::read_dir(blobs(&w).root())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(top.iter().all(|n| n == "sha256" || n == "tmp"), "{top:?}");
        assert_eq!(list(&w, &w.case).await.len(), 4);
        let report = vigil_evidence::verify(blobs(&w), &ledger(&w).await, |_| {}).unwrap();
        assert!(report.is_clean(), "{report:?}");
        w.app.store.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crash_between_blob_and_row_leaves_an_invisible_orphan_that_verify_reports() {
    for db in backends() {
        let w = world(db).await;
        let state = &w.app.state;
        let bytes = file_bytes(300_000, 9);
        state
            .failpoints
            .evidence_after_blob
            .store(true, Ordering::SeqCst);
        let r = upload(
            state,
            &w.lead,
            &w.case,
            "name=phone.bin",
            Some("application/octet-stream"),
            &bytes,
        )
        .await;
        state
            .failpoints
            .evidence_after_blob
            .store(false, Ordering::SeqCst);
        assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
        // The blob is on disk, durable; no row, so no route shows it.
        let digest = Sha256Digest::parse(&sha_hex(&bytes)).unwrap();
        assert!(blobs(&w).contains(&digest));
        assert!(list(&w, &w.case).await.is_empty());
        let (s, b) = w
            .app
            .call(
                Method::GET,
                &format!("/api/v1/cases/{}", w.case),
                &Cred::Bearer(w.lead.clone()),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        assert!(!b.to_string().contains(&digest.to_hex()));
        let report = vigil_evidence::verify(blobs(&w), &ledger(&w).await, |_| {}).unwrap();
        assert_eq!(report.orphans, vec![digest]);
        assert!(!report.is_clean());
        w.app.store.audit_verify(None, |_| {}).await.unwrap();
        // A retry after the "restart" adopts the stored blob; then everything agrees.
        let r = upload(
            state,
            &w.lead,
            &w.case,
            "name=phone.bin",
            Some("application/octet-stream"),
            &bytes,
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED);
        let report = vigil_evidence::verify(blobs(&w), &ledger(&w).await, |_| {}).unwrap();
        assert!(report.is_clean(), "{report:?}");
        w.app.store.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_original_is_never_served_whole() {
    for db in backends() {
        let w = world(db).await;
        let state = &w.app.state;
        let bytes = file_bytes(1_000_000, 11);
        let r = upload(
            state,
            &w.lead,
            &w.case,
            "name=video.mp4",
            Some("video/mp4"),
            &bytes,
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED);
        let id = r.json()["id"].as_str().unwrap().to_owned();
        let digest = Sha256Digest::parse(&sha_hex(&bytes)).unwrap();
        // Someone with disk access flips a bit (the store never writes an original twice).
        let path = blobs(&w).path(&digest);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
        let mut damaged = bytes.clone();
        damaged[500_000] ^= 0x10;
        std::fs::write(&path, &damaged).unwrap();
        let r = send(
            state,
            Method::GET,
            &format!("/api/v1/evidence/{id}/content"),
            &w.lead,
            None,
            &[],
            Body::empty(),
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::OK,
            "headers go out before the re-hash ends"
        );
        assert!(
            r.body.is_err(),
            "the body is cut off, never delivered whole"
        );
        let r = send(
            state,
            Method::POST,
            &format!("/api/v1/cases/{}/evidence/export", w.case),
            &w.lead,
            Some("application/json"),
            &[],
            Body::from(json!({"purpose": "discovery", "recipient": "Court"}).to_string()),
        )
        .await;
        assert!(r.body.is_err(), "the package is cut off");
        let report = vigil_evidence::verify(blobs(&w), &ledger(&w).await, |_| {}).unwrap();
        assert_eq!(report.mismatched.len(), 1);
        assert_eq!(report.mismatched[0].digest, digest);
        // Missing entirely: the download is refused before any custody event.
        std::fs::remove_file(&path).unwrap();
        let before = custody_kinds(&w, &id).await.len();
        let r = send(
            state,
            Method::GET,
            &format!("/api/v1/evidence/{id}/content"),
            &w.lead,
            None,
            &[],
            Body::empty(),
        )
        .await;
        assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(custody_kinds(&w, &id).await.len(), before);
        let report = vigil_evidence::verify(blobs(&w), &ledger(&w).await, |_| {}).unwrap();
        assert_eq!(report.missing, vec![digest]);
        w.app.store.close().await;
    }
}
