//! `vigil evidence verify` on a real data directory: intact after an upload through the API,
//! then exit status 1 naming an orphan blob (the state a crash between the blob write and the
//! row commit leaves) and a blob whose bytes changed on disk.

use crate::http::{call, demo_dir, json, login, serve, vigil};

#[test]
fn evidence_verify_reports_orphans_and_mismatches() {
    let (dir, user) = demo_dir();
    let data = dir.path().join("data");
    let (mut child, addr) = serve(&data);
    let session = login(&addr, &user);
    let (_, b) = call(&addr, "GET", "/api/v1/cases", Some(&session), None).unwrap();
    let case = json(&b)["items"][0]["id"].as_str().unwrap().to_owned();
    let (s, b) = call(
        &addr,
        "POST",
        &format!("/api/v1/cases/{case}/evidence?name=ledger.json"),
        Some(&session),
        Some(r#"{"page": 3, "rent": 400, "debt": 2300}"#),
    )
    .unwrap();
    assert_eq!(s, 201, "{b}");
    let item = json(&b);
    let digest = vigil_types::Sha256Digest::parse(item["sha256"].as_str().unwrap()).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();

    let verify = || {
        let out = vigil()
            .args(["evidence", "verify", "--data-dir"])
            .arg(&data)
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (ok, text) = verify();
    assert!(ok, "{text}");
    // The demo seeds one item; the upload adds a second.
    assert!(text.contains("evidence fixity intact: 2 blobs"), "{text}");

    // An orphan: a blob with no row, as a crash after the blob's fsync and before its commit.
    let blobs = vigil_evidence::BlobStore::new(data.join("blobs"));
    let orphan = blobs.ingest_bytes(b"interrupted upload").unwrap();
    // A changed original.
    let path = blobs.path(&digest);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    std::fs::write(&path, br#"{"page": 3, "rent": 400, "debt": 0}"#).unwrap();
    let (ok, text) = verify();
    assert!(!ok, "{text}");
    assert!(
        text.contains(&format!("ORPHAN {}", orphan.digest)),
        "{text}"
    );
    assert!(text.contains(&format!("MISMATCH {digest}")), "{text}");
    assert!(
        text.contains(&format!("evidence {}", item["id"].as_str().unwrap())),
        "{text}"
    );
    assert!(text.contains("evidence fixity FAILED"), "{text}");
}
