//! Killing `vigil serve` with SIGKILL in the middle of a stream of writes loses no acknowledged
//! write, leaves nothing half-applied, and leaves the audit chain verifiable. The page cache
//! survives a process kill, so this proves atomicity and acknowledgement order, not fsync.

use crate::http::{call, demo_dir, json, login, serve, vigil};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[test]
fn sigkill_mid_stream_loses_no_acknowledged_write() {
    let (dir, user) = demo_dir();
    let data = dir.path().join("data");
    let (mut child, mut addr) = serve(&data);
    let session = login(&addr, &user);
    let (s, b) = call(
        &addr,
        "POST",
        "/api/v1/tokens",
        Some(&session),
        Some(r#"{"name":"crash test","scope":"full","days":1}"#),
    )
    .unwrap();
    assert_eq!(s, 201, "{b}");
    let token = json(&b)["secret"].as_str().unwrap().to_owned();
    let (_, b) = call(&addr, "GET", "/api/v1/cases", Some(&token), None).unwrap();
    let case = json(&b)["items"][0]["id"]
        .as_str()
        .expect("the investigator sees a case")
        .to_owned();

    let mut acknowledged: Vec<u64> = Vec::new();
    for round in 0..3u64 {
        let ledger = Arc::new(Mutex::new(Vec::<u64>::new()));
        let writers: Vec<_> = (0..4u64)
            .map(|w| {
                let (addr, token, case, ledger) =
                    (addr.clone(), token.clone(), case.clone(), ledger.clone());
                std::thread::spawn(move || {
                    let deadline = Instant::now() + Duration::from_secs(60);
                    for i in 0.. {
                        let n = round * 1_000_000 + w * 100_000 + i;
                        let body = format!(r#"{{"body":"crash-test note {n}"}}"#);
                        match call(
                            &addr,
                            "POST",
                            &format!("/api/v1/cases/{case}/notes"),
                            Some(&token),
                            Some(&body),
                        ) {
                            Ok((201, _)) => ledger.lock().unwrap().push(n),
                            Ok((status, b)) => panic!("unexpected {status}: {b}"),
                            Err(_) => return, // the server is gone
                        }
                        if Instant::now() > deadline {
                            return;
                        }
                    }
                })
            })
            .collect();
        let deadline = Instant::now() + Duration::from_secs(60);
        while ledger.lock().unwrap().len() < 150 && Instant::now() < deadline {
            #[allow(clippy::disallowed_methods)]
            // polling a real process's progress, not simulating time
            std::thread::sleep(Duration::from_millis(5));
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        for w in writers {
            w.join().unwrap();
        }
        acknowledged.extend(ledger.lock().unwrap().iter());
        assert!(
            acknowledged.len() >= 150 * (round as usize + 1),
            "the writers made progress"
        );

        let (c, a) = serve(&data);
        (child, addr) = (c, a);
        let (s, b) = call(
            &addr,
            "GET",
            &format!("/api/v1/cases/{case}/notes"),
            Some(&token),
            None,
        )
        .unwrap();
        assert_eq!(s, 200, "{b}");
        let notes: Vec<u64> = json(&b)["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|n| {
                n["body"]
                    .as_str()?
                    .strip_prefix("crash-test note ")?
                    .parse()
                    .ok()
            })
            .collect();
        for n in &acknowledged {
            assert!(
                notes.contains(n),
                "acknowledged note {n} was lost after SIGKILL"
            );
        }
        let unique: std::collections::HashSet<_> = notes.iter().collect();
        assert_eq!(unique.len(), notes.len(), "no note was applied twice");
    }
    child.kill().unwrap();
    child.wait().unwrap();
    // Nothing half-applied: every stored note has exactly one `note.create` audit event.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let config = vigil_store::StoreConfig::sqlite_in(&data);
        let store =
            vigil_store::Store::open(&config, std::sync::Arc::new(vigil_types::SystemClock))
                .await
                .unwrap();
        let case_id = vigil_types::CaseId::parse(&case).unwrap();
        let mut notes: Vec<String> = store
            .notes(case_id)
            .await
            .unwrap()
            .into_iter()
            .filter(|n| n.body.starts_with("crash-test note "))
            .map(|n| n.id.to_string())
            .collect();
        let q = vigil_store::audit::AuditQuery {
            action_prefix: Some("note.create".into()),
            after_seq: Some(0),
            limit: 10_000,
            ..Default::default()
        };
        let mut events: Vec<String> = store
            .audit_search(&q)
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.event.detail == format!("case={case}"))
            .filter_map(|e| e.event.object_id)
            .collect();
        notes.sort();
        events.sort();
        assert!(notes.len() >= acknowledged.len());
        assert_eq!(
            notes, events,
            "each note committed together with exactly its audit event"
        );
        store.close().await;
    });
    let out = vigil()
        .args(["audit", "verify", "--data-dir"])
        .arg(&data)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "audit verify failed after crashes: {stdout} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("audit log intact"), "{stdout}");
}
