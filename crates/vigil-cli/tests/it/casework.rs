//! The "Done when", end to end against a real `vigil demo` data directory served by
//! `vigil serve`, through the API only: an anonymous tip (proof of work solved here) followed up
//! with its receipt code; a supervisor triages it into a case; an advocate screens a survivor,
//! records a consent and the investigator's access changes, revokes it and access changes back at
//! once; a referral walks its lifecycle; evidence is added, transferred and exported as a court
//! package that verifies offline (`vigil evidence verify-package`, no database).

use crate::http::{call, call_raw, json, login, seed_demo, serve, vigil, DemoLogin as Login};
use serde_json::{json, Value};

fn find<'a>(logins: &'a [Login], role: &str, agency: &str) -> &'a Login {
    logins
        .iter()
        .find(|l| l.role == role && l.agency == agency)
        .unwrap_or_else(|| panic!("no {role} of {agency} in the demo logins"))
}

/// A signed-in demo user: token, user id and agency id.
struct Session {
    token: String,
    id: String,
    agency: String,
}

fn session(addr: &str, l: &Login) -> Session {
    let token = login(addr, &l.credentials());
    let me = ok(call(
        addr,
        "GET",
        "/api/v1/auth/session",
        Some(&token),
        None,
    ));
    Session {
        id: me["user"]["id"].as_str().unwrap().to_owned(),
        agency: me["user"]["agency_id"].as_str().unwrap().to_owned(),
        token,
    }
}

/// The JSON body of a 2xx answer (panics with the body otherwise).
fn ok(r: std::io::Result<(u16, String)>) -> Value {
    let (s, b) = r.unwrap();
    assert!((200..300).contains(&s), "status {s}: {b}");
    json(&b)
}

fn get(addr: &str, who: &Session, path: &str) -> Value {
    ok(call(addr, "GET", path, Some(&who.token), None))
}

fn post(addr: &str, who: &Session, path: &str, body: &Value) -> Value {
    ok(call(
        addr,
        "POST",
        path,
        Some(&who.token),
        Some(&body.to_string()),
    ))
}

fn public_post(addr: &str, path: &str, body: &Value) -> (u16, Value) {
    let (s, b) = call(addr, "POST", path, None, Some(&body.to_string())).unwrap();
    (s, json(&b))
}

/// Standard base64 (the tests need no base64 crate).
fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(A[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

const SURVIVOR: &str = "Ximena Quillfeather";

#[test]
#[allow(clippy::too_many_lines)] // one walk-through, in the order a new user would take it
fn demo_user_walks_the_case_work_through_the_api() {
    let (dir, data, logins) = seed_demo(3, 11);
    let (mut child, addr) = serve(&data);
    let a = addr.as_str();

    // --- 1. An anonymous tip, with the proof of work solved here, and a text attachment.
    let c = ok(call(a, "GET", "/api/v1/tips/challenge", None, None));
    let challenge = c["challenge"].as_str().unwrap();
    let bits = u8::try_from(c["difficulty_bits"].as_u64().unwrap()).unwrap();
    let nonce = vigil_core::tips::solve(challenge, bits);
    let note = b"Plates seen: a white van, fictional plate SYN-0042.\n";
    let tip = json!({
        "challenge": challenge,
        "nonce": nonce,
        "what": "A woman at the Desert Rose nail salon says the owner keeps her passport and she \
                 owes him $6,000. She sleeps in the back room. The owner's phone is 480-555-0188.",
        "where": "Desert Rose Nails, Mesa Verde",
        "when": "Every day this week",
        "attachments": [{
            "media_type": "text/plain",
            "content_base64": base64(note),
            "name": "../../notes/van plates.txt",
        }],
    });
    let (s, receipt) = public_post(a, "/api/v1/tips", &tip);
    assert_eq!(s, 201, "{receipt}");
    let code = receipt["receipt_code"].as_str().unwrap().to_owned();
    // The same challenge cannot be used twice.
    let (s, again) = public_post(a, "/api/v1/tips", &tip);
    assert_eq!(s, 400, "{again}");
    assert_eq!(again["error"]["code"], "TOKEN_USED", "{again}");

    // --- 2. A supervisor finds it in the triage queue, replies; the tipster reads the reply
    // with the receipt code and adds information.
    let sup_login = find(&logins, "supervisor", "MVPD");
    let sup = session(a, sup_login);
    let queue = get(a, &sup, "/api/v1/intake");
    let item = queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| {
            let d = get(
                a,
                &sup,
                &format!("/api/v1/intake/{}", i["id"].as_str().unwrap()),
            );
            d["what"].as_str().unwrap_or("").contains("Desert Rose")
        })
        .expect("the tip is in the supervisor's queue")
        .clone();
    let item_id = item["id"].as_str().unwrap().to_owned();
    assert_eq!(item["kind"], "tip");
    let detail = get(a, &sup, &format!("/api/v1/intake/{item_id}"));
    assert!(
        detail["selectors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["value"] == "+14805550188"),
        "{detail}"
    );
    let attachments = detail["attachments"].as_array().unwrap();
    assert_eq!(attachments.len(), 1, "{detail}");
    let att = &attachments[0];
    assert_eq!(att["media_type"], "text/plain");
    assert_eq!(att["name"], "van plates.txt", "a name, never a path: {att}");
    assert_eq!(att["size"], note.len());
    let (s, bytes) = call_raw(
        a,
        "GET",
        &format!(
            "/api/v1/intake/{item_id}/attachments/{}",
            att["id"].as_str().unwrap()
        ),
        Some(&sup.token),
        None,
    )
    .unwrap();
    assert_eq!(s, 200);
    assert_eq!(bytes, note);

    post(
        a,
        &sup,
        &format!("/api/v1/intake/{item_id}/replies"),
        &json!({"body": "Thank you. Which nights is the back door open?"}),
    );
    let (s, thread) = public_post(a, "/api/v1/tips/status", &json!({"receipt_code": code}));
    assert_eq!(s, 200, "{thread}");
    let messages = thread["messages"].as_array().unwrap();
    assert!(
        messages
            .iter()
            .any(|m| m["from"] == "task_force" && m["body"].as_str().unwrap().contains("back door")),
        "{thread}"
    );
    let (s, added) = public_post(
        a,
        "/api/v1/tips/messages",
        &json!({"receipt_code": code, "text": "Tuesdays and Fridays, after 11 pm."}),
    );
    assert_eq!(s, 201, "{added}");
    // A wrong code learns nothing.
    let mut wrong = code.clone().into_bytes();
    let last = wrong.len() - 1;
    wrong[last] = if wrong[last] == b'A' { b'B' } else { b'A' };
    let (s, _) = public_post(
        a,
        "/api/v1/tips/status",
        &json!({"receipt_code": String::from_utf8(wrong).unwrap()}),
    );
    assert_eq!(s, 404);
    let detail = get(a, &sup, &format!("/api/v1/intake/{item_id}"));
    assert!(
        detail["messages"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["author"] == "tipster" && m["body"].as_str().unwrap().contains("Fridays")),
        "{detail}"
    );

    // --- 3. Triage into a new case; the supervisor (its lead) adds an investigator and an
    // advocate to the team.
    let merged = post(
        a,
        &sup,
        &format!("/api/v1/intake/{item_id}/merge"),
        &json!({"new_case": {"number": "HT-2026-900", "title": "Desert Rose nail salon",
                             "trafficking_type": "labour"}}),
    );
    let case = merged["case_id"].as_str().unwrap().to_owned();
    assert!(!merged["entity_ids"].as_array().unwrap().is_empty());
    let item_after = get(a, &sup, &format!("/api/v1/intake/{item_id}"));
    assert_eq!(item_after["item"]["state"], "merged");
    assert_eq!(item_after["item"]["case_id"], case.as_str());
    let inv = session(a, find(&logins, "investigator", "MVPD"));
    let adv = session(a, find(&logins, "victim_advocate", "SHSS"));
    for member in [&inv, &adv] {
        post(
            a,
            &sup,
            &format!("/api/v1/cases/{case}/team"),
            &json!({"user_id": member.id}),
        );
    }
    let notes = get(a, &inv, &format!("/api/v1/cases/{case}/notes"));
    assert!(
        notes["items"][0]["body"]
            .as_str()
            .unwrap()
            .contains("Desert Rose"),
        "{notes}"
    );
    // The investigator records the woman as a person of the case.
    let person = post(
        a,
        &inv,
        &format!("/api/v1/cases/{case}/entities"),
        &json!({"schema": "Person", "properties": {
            "firstName": ["Ximena"], "lastName": ["Quillfeather"], "birthDate": ["1999-02-14"]}}),
    );
    let person_id = person["id"].as_str().unwrap().to_owned();

    // --- 4. The advocate opens a vault record, links it to the case's person and screens her.
    let victim = post(
        a,
        &adv,
        "/api/v1/victims",
        &json!({"full_name": SURVIVOR, "preferred_name": "Xime", "birth_date": "1999-02-14",
                "languages": ["es", "en"], "phone": "480-555-0191",
                "contact_notes": "Text first"}),
    );
    let victim_id = victim["id"].as_str().unwrap().to_owned();
    let pseudonym = victim["pseudonym"].as_str().unwrap().to_owned();
    post(
        a,
        &adv,
        &format!("/api/v1/victims/{victim_id}/cases"),
        &json!({"case_id": case, "entity_id": person_id}),
    );
    let qs = get(a, &adv, "/api/v1/screening/questionnaires");
    let q = &qs["items"][0];
    let domains = q["domains"].as_array().unwrap();
    let mut answers = serde_json::Map::new();
    for (i, d) in domains.iter().enumerate() {
        let qid = d["questions"][0]["id"].as_str().unwrap().to_owned();
        answers.insert(qid, json!(if i < 2 { "yes" } else { "no" }));
    }
    let screening = post(
        a,
        &adv,
        &format!("/api/v1/victims/{victim_id}/screenings"),
        &json!({"questionnaire": q["id"], "language": "es", "answers": answers}),
    );
    assert!(
        ["follow_up_recommended", "no_indicators_reported"]
            .contains(&screening["recommendation"].as_str().unwrap()),
        "{screening}"
    );
    assert!(!screening["message"].as_str().unwrap().is_empty());

    // --- 5. Consent changes what the investigator sees, at once both ways.
    let inv_view = |label: &str| {
        let v = get(a, &inv, &format!("/api/v1/victims/{victim_id}"));
        assert_eq!(v["pseudonym"], pseudonym.as_str(), "{label}: {v}");
        let e = get(a, &inv, &format!("/api/v1/entities/{person_id}"));
        let listed = get(a, &inv, &format!("/api/v1/cases/{case}/entities"));
        let in_list = listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == person_id.as_str())
            .unwrap_or_else(|| panic!("{label}: the person is listed: {listed}"))
            .clone();
        (v, e, in_list)
    };
    let (v, e, l) = inv_view("before consent");
    assert!(v["identity"].is_null(), "{v}");
    for shown in [&e, &l] {
        assert!(!shown.to_string().contains("Quillfeather"), "{shown}");
        assert_eq!(shown["pseudonymised"], true, "{shown}");
    }
    let consent = post(
        a,
        &adv,
        &format!("/api/v1/victims/{victim_id}/consents"),
        &json!({"purpose": "Joint interview planning", "language": "es",
                "recipients": [format!("agency:{}:role:investigator", inv.agency)],
                "categories": ["identity"]}),
    );
    let (v, e, l) = inv_view("with consent");
    assert_eq!(v["identity"]["full_name"], SURVIVOR, "{v}");
    assert!(v["contact"].is_null(), "identity only: {v}");
    for shown in [&e, &l] {
        assert_eq!(
            shown["properties"]["lastName"][0], "Quillfeather",
            "{shown}"
        );
        assert_eq!(shown["pseudonymised"], false, "{shown}");
    }
    post(
        a,
        &adv,
        &format!(
            "/api/v1/consents/{}/revoke",
            consent["id"].as_str().unwrap()
        ),
        &json!({}),
    );
    let (v, e, l) = inv_view("after revocation");
    assert!(v["identity"].is_null(), "{v}");
    for shown in [&e, &l] {
        assert!(!shown.to_string().contains("Quillfeather"), "{shown}");
    }
    // The advocate still sees everything; the investigator cannot read consents or screenings.
    let full = get(a, &adv, &format!("/api/v1/victims/{victim_id}"));
    assert_eq!(full["identity"]["full_name"], SURVIVOR);
    let (s, _) = call(
        a,
        "GET",
        &format!("/api/v1/victims/{victim_id}/screenings"),
        Some(&inv.token),
        None,
    )
    .unwrap();
    assert_eq!(s, 403);

    // --- 6. A referral to a provider: a share, so it needs a consent naming the provider.
    let providers = get(a, &adv, "/api/v1/providers?service_type=shelter");
    let provider = &providers["items"][0];
    let provider_id = provider["id"].as_str().unwrap().to_owned();
    let refer = json!({"provider_id": provider_id, "service_type": "shelter"});
    let (s, b) = call(
        a,
        "POST",
        &format!("/api/v1/victims/{victim_id}/referrals"),
        Some(&adv.token),
        Some(&refer.to_string()),
    )
    .unwrap();
    assert_eq!(s, 403, "no consent naming the provider yet: {b}");
    post(
        a,
        &adv,
        &format!("/api/v1/victims/{victim_id}/consents"),
        &json!({"purpose": "Shelter placement", "language": "es",
                "recipients": [format!("provider:{provider_id}")],
                "categories": ["identity", "contact"]}),
    );
    let referral = post(
        a,
        &adv,
        &format!("/api/v1/victims/{victim_id}/referrals"),
        &refer,
    );
    let referral_id = referral["id"].as_str().unwrap().to_owned();
    assert_eq!(referral["status"], "sent");
    let status = |s: &str| {
        call(
            a,
            "POST",
            &format!("/api/v1/referrals/{referral_id}/status"),
            Some(&adv.token),
            Some(&json!({"status": s}).to_string()),
        )
        .unwrap()
    };
    assert_eq!(status("closed").0, 422, "sent cannot jump to closed");
    assert_eq!(status("accepted").0, 200);
    post(
        a,
        &adv,
        &format!("/api/v1/referrals/{referral_id}/services"),
        &json!({"service_type": "shelter", "delivered_on": "2026-11-20",
                "note": "Two weeks' emergency stay"}),
    );
    // Recording a service delivered moves the referral to `service_delivered`.
    let history = get(a, &adv, &format!("/api/v1/victims/{victim_id}/referrals"));
    assert_eq!(
        history["referrals"][0]["status"], "service_delivered",
        "{history}"
    );
    assert_eq!(status("closed").0, 200);
    let history = get(a, &adv, &format!("/api/v1/victims/{victim_id}/referrals"));
    assert_eq!(history["referrals"][0]["status"], "closed", "{history}");
    assert_eq!(
        history["services"].as_array().unwrap().len(),
        1,
        "{history}"
    );

    // --- 7. The demo's own evidence item has a chain of custody to look at.
    let mut demo_custody = None;
    for c in get(a, &sup, "/api/v1/cases")["items"].as_array().unwrap() {
        let list = get(
            a,
            &sup,
            &format!("/api/v1/cases/{}/evidence", c["id"].as_str().unwrap()),
        );
        if let Some(e) = list["items"].as_array().unwrap().first() {
            let id = e["id"].as_str().unwrap();
            demo_custody = Some(get(a, &sup, &format!("/api/v1/evidence/{id}/custody")));
        }
    }
    let demo_custody = demo_custody.expect("the demo seeds an evidence item");
    let kinds: Vec<&str> = demo_custody["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds[..3],
        ["collected", "transferred", "accessed"],
        "{demo_custody}"
    );

    // --- 8. Evidence: the investigator adds a file, the lead records a transfer and exports
    // the court package, which verifies offline.
    let ledger = b"page 3: rent 400, transport 1200, \"debt\" 6000\n";
    let (s, b) = call_raw(
        a,
        "POST",
        &format!(
            "/api/v1/cases/{case}/evidence?name=ledger-page-3.txt&collected_where=Desert%20Rose%20Nails&reason=consent%20search"
        ),
        Some(&inv.token),
        Some(("text/plain", ledger)),
    )
    .unwrap();
    assert_eq!(s, 201, "{}", String::from_utf8_lossy(&b));
    let evidence: Value = serde_json::from_slice(&b).unwrap();
    let evidence_id = evidence["id"].as_str().unwrap().to_owned();
    let sha = evidence["sha256"].as_str().unwrap().to_owned();
    post(
        a,
        &sup,
        &format!("/api/v1/evidence/{evidence_id}/transfers"),
        &json!({"to_user_id": sup.id, "purpose": "Into the property room"}),
    );
    let custody = get(a, &sup, &format!("/api/v1/evidence/{evidence_id}/custody"));
    let kinds: Vec<&str> = custody["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["collected", "transferred"], "{custody}");
    let (s, tar) = call_raw(
        a,
        "POST",
        &format!("/api/v1/cases/{case}/evidence/export"),
        Some(&sup.token),
        Some((
            "application/json",
            json!({"purpose": "Discovery", "recipient": "County Superior Court"})
                .to_string()
                .as_bytes(),
        )),
    )
    .unwrap();
    assert_eq!(s, 200, "{}", String::from_utf8_lossy(&tar));
    child.kill().unwrap();
    child.wait().unwrap();

    let unpacked = dir.path().join("court");
    std::fs::create_dir(&unpacked).unwrap();
    std::fs::write(unpacked.join("package.tar"), &tar).unwrap();
    let untar = std::process::Command::new("tar")
        .arg("-xf")
        .arg("package.tar")
        .current_dir(&unpacked)
        .status()
        .unwrap();
    assert!(untar.success());
    let root = unpacked.join(format!("evidence-{case}"));
    let sums = std::fs::read_to_string(root.join("SHA256SUMS")).unwrap();
    assert!(
        sums.contains(&format!("{sha}  files/{evidence_id}.txt")),
        "{sums}"
    );
    assert_eq!(
        std::fs::read(root.join(format!("files/{evidence_id}.txt"))).unwrap(),
        ledger
    );
    let check = |dir: &std::path::Path| {
        let out = vigil()
            .args(["evidence", "verify-package"])
            .arg(dir)
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (good, text) = check(&root);
    assert!(good, "{text}");
    assert!(text.contains("package intact: 2 files"), "{text}");
    let report = std::fs::read_to_string(root.join("custody-report.html")).unwrap();
    assert!(report.contains("ledger-page-3.txt") && report.contains("exported"));
    // A changed copy is caught.
    std::fs::write(
        root.join(format!("files/{evidence_id}.txt")),
        b"page 3: rent 0\n",
    )
    .unwrap();
    let (good, text) = check(&root);
    assert!(!good, "{text}");
    assert!(
        text.contains(&format!("MISMATCH files/{evidence_id}.txt")),
        "{text}"
    );

    // --- 9. The same package from the host, into a directory, and `vigil evidence verify`.
    let out_dir = dir.path().join("from-cli");
    let out = vigil()
        .args([
            "evidence",
            "export",
            "HT-2026-900",
            "--agency",
            "MVPD",
            "--as",
        ])
        .arg(&sup_login.username)
        .args([
            "--purpose",
            "Discovery",
            "--recipient",
            "County Superior Court",
            "--out",
        ])
        .arg(&out_dir)
        .arg("--data-dir")
        .arg(&data)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (good, text) = check(&out_dir.join(format!("evidence-{case}")));
    assert!(good, "{text}");
    let out = vigil()
        .args(["evidence", "verify", "--data-dir"])
        .arg(&data)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    // The demo's item, the tip's attachment and the ledger: all in the blob store, all intact.
    assert!(text.contains("evidence fixity intact: 3 blobs"), "{text}");
}
