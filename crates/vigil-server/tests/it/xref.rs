//! X2–X5 in Vigil: incremental matching as records are created, the review queue under
//! need-to-know (cross-agency matches reveal at most a deconfliction notice), judgements that
//! supersede and undo with history kept, same-as clusters, label export, generic values, and
//! checking an imported CSV with `file:line:field` errors. Every read and judgement audited.

use crate::support::{backends, Cred, TestApp};
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use vigil_core::{AgencyKind, Role};

async fn person(app: &TestApp, cred: &Cred, case: &str, props: Value) -> String {
    let (s, e) = app
        .call(
            Method::POST,
            &format!("/api/v1/cases/{case}/entities"),
            cred,
            Some(json!({"schema": "Person", "properties": props})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    e["id"].as_str().unwrap().to_owned()
}

async fn open_case(app: &TestApp, cred: &Cred, number: &str) -> String {
    let (s, c) = app
        .call(
            Method::POST,
            "/api/v1/cases",
            cred,
            Some(json!({"number": number, "title": "Cross-agency matching", "trafficking_type": "sex"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    c["id"].as_str().unwrap().to_owned()
}

async fn queue(app: &TestApp, cred: &Cred, case: &str) -> Value {
    let (s, l) = app
        .call(
            Method::GET,
            &format!("/api/v1/cases/{case}/xref/candidates"),
            cred,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{l}");
    l
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_agency_matching_respects_need_to_know() {
    for db in backends() {
        let app = TestApp::spawn(db).await;
        let a = app.agency("Mesa Verde PD", AgencyKind::LocalLaw).await;
        let b = app.agency("HSI Field Office", AgencyKind::FederalLaw).await;
        let lead_a = app.user(a, "lead.a", Role::Investigator, None).await;
        let sup_a = app.user(a, "sup.a", Role::Supervisor, None).await;
        let inv_b = app.user(b, "agent.b", Role::Investigator, None).await;
        let la = Cred::Bearer(app.session(lead_a).await);
        let sa = Cred::Bearer(app.session(sup_a).await);
        let ib = Cred::Bearer(app.session(inv_b).await);
        let case_a = open_case(&app, &la, "MVPD-1").await;
        let case_b = open_case(&app, &ib, "HSI-1").await;

        // A stoplisted hotel switchboard, then records arriving one by one.
        let (s, stop) = app
            .call(Method::POST, "/api/v1/xref/stoplist", &sa, Some(json!({"kind": "phone", "value": "(602) 555-0100", "reason": "hotel switchboard"})))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{stop}");
        assert_eq!(stop["value"], "+16025550100");
        let jon = person(&app, &la, &case_a, json!({"firstName": ["Jon"], "lastName": ["Smyth"], "birthDate": ["1988-04-03"], "phone": ["480-555-0142"]})).await;
        let rosa_a = person(
            &app,
            &la,
            &case_a,
            json!({"firstName": ["Rosa"], "lastName": ["Arvelo"], "birthDate": ["1999-02-02"]}),
        )
        .await;
        let ana_a = person(&app, &la, &case_a, json!({"firstName": ["Ana"], "lastName": ["Lopez"], "birthDate": ["1970-01-01"], "phone": ["602-555-0100"]})).await;
        let john = person(&app, &ib, &case_b, json!({"firstName": ["John"], "lastName": ["Smith"], "birthDate": ["1988-04-03"], "phone": ["+1 480 555 0142"]})).await;
        let _rosa_b = person(&app, &ib, &case_b, json!({"firstName": ["Rosa"], "lastName": ["Arvelo"], "birthDate": ["1999-02-02"], "htcdsRole": ["victim"]})).await;
        let ana_b = person(&app, &ib, &case_b, json!({"firstName": ["Ana"], "lastName": ["Lopes"], "birthDate": ["1970-01-01"], "phone": ["602 555 0100"]})).await;

        // Lead A sees no candidate from HSI's case: only a notice for Jon (Ana too), never for
        // the victim, and nothing of HSI's records.
        let l = queue(&app, &la, &case_a).await;
        assert_eq!(l["items"].as_array().unwrap().len(), 0, "{l}");
        let notices = l["notices"].as_array().unwrap();
        assert!(
            notices.iter().any(|n| n["entity_id"] == jon.as_str()),
            "{l}"
        );
        assert!(
            notices.iter().all(|n| n["entity_id"] != rosa_a.as_str()),
            "victims are never announced: {l}"
        );
        assert!(notices
            .iter()
            .all(|n| n["agency_name"] == "HSI Field Office"));
        let text = l.to_string();
        for secret in [
            john.as_str(),
            ana_b.as_str(),
            case_b.as_str(),
            "Smith",
            "Lopes",
        ] {
            assert!(!text.contains(secret), "lead A learned {secret}: {text}");
        }
        // The other side gets the mirror notice.
        let l = queue(&app, &ib, &case_b).await;
        assert_eq!(l["items"].as_array().unwrap().len(), 0);
        assert!(l["notices"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["agency_name"] == "Mesa Verde PD"));

        // Added to case A's team, agent B sees both records and the candidates appear.
        let (s, _) = app
            .call(
                Method::POST,
                &format!("/api/v1/cases/{case_a}/team"),
                &la,
                Some(json!({"user_id": inv_b.to_string()})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        let l = queue(&app, &ib, &case_b).await;
        let items = l["items"].as_array().unwrap();
        let c = items
            .iter()
            .find(|c| c["a"]["entity_id"] == jon.as_str() || c["b"]["entity_id"] == jon.as_str())
            .unwrap_or_else(|| panic!("no Jon/John candidate: {l}"));
        assert!(c["probability"].as_f64().unwrap() >= 0.5, "{c}");
        assert_eq!(c["status"], "open");
        let fields: Vec<&str> = c["explanation"]["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        for f in ["prior", "name", "date_of_birth", "phone"] {
            assert!(fields.contains(&f), "explanation lacks {f}: {c}");
        }
        let ana = items
            .iter()
            .find(|c| {
                c["a"]["entity_id"] == ana_a.as_str() || c["b"]["entity_id"] == ana_a.as_str()
            })
            .unwrap_or_else(|| panic!("no Ana candidate: {l}"));
        assert_eq!(ana["generic"], true, "{ana}");
        assert!(
            ana["explanation"]["generic"]
                .as_array()
                .unwrap()
                .iter()
                .any(
                    |g| g["field"] == "phone" && g["reason"].as_str().unwrap().contains("stoplist")
                ),
            "{ana}"
        );
        let cid = c["id"].as_str().unwrap().to_owned();

        // Lead A still may not read it (404, audited as a denial).
        let (s, _) = app
            .call(
                Method::GET,
                &format!("/api/v1/xref/candidates/{cid}"),
                &la,
                None,
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let e = app.last_event().await;
        assert_eq!(
            (e.action.as_str(), e.outcome.as_str()),
            ("xref.read", "denied")
        );

        // Judgements: a later one supersedes, undo restores the one before, history is kept.
        let judge = |d: &'static str| {
            let cid = cid.clone();
            let ib = ib.clone();
            let app = &app;
            async move {
                app.call(
                    Method::POST,
                    &format!("/api/v1/xref/candidates/{cid}/judgements"),
                    &ib,
                    Some(json!({"decision": d})),
                )
                .await
            }
        };
        let (s, j) = judge("same").await;
        assert_eq!(
            (s, j["status"].as_str()),
            (StatusCode::CREATED, Some("same")),
            "{j}"
        );
        let (s, same) = app
            .call(
                Method::GET,
                &format!("/api/v1/entities/{john}/same-as"),
                &ib,
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(same["members"][0]["entity_id"], jon.as_str(), "{same}");
        let (_, j) = judge("different").await;
        assert_eq!(j["status"], "different");
        let (s, j) = app
            .call(
                Method::POST,
                &format!("/api/v1/xref/candidates/{cid}/judgements/undo"),
                &ib,
                None,
            )
            .await;
        assert_eq!(
            (s, j["status"].as_str()),
            (StatusCode::OK, Some("same")),
            "{j}"
        );
        assert_eq!(j["history"].as_array().unwrap().len(), 3);
        let (s, bad) = judge("maybe").await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}");
        // Both records are untouched by the merge.
        let (s, e) = app
            .call(Method::GET, &format!("/api/v1/entities/{john}"), &ib, None)
            .await;
        assert_eq!(
            (s, e["caption"].as_str()),
            (StatusCode::OK, Some("John Smith"))
        );

        // Labels: agent B gets the match; lead A (who cannot see case B) gets nothing.
        let (_, labels) = app
            .call(Method::GET, "/api/v1/xref/labels", &ib, None)
            .await;
        let labels = labels["items"].as_array().unwrap().clone();
        assert!(
            labels
                .iter()
                .any(|x| x["candidate_id"] == cid.as_str() && x["label"] == "match"),
            "{labels:?}"
        );
        let (_, labels) = app
            .call(Method::GET, "/api/v1/xref/labels", &la, None)
            .await;
        assert_eq!(labels["items"].as_array().unwrap().len(), 0);

        // A CSV checked by lead A matches only what lead A may see, and bad rows are named.
        let csv = "id,given_name,surname,date_of_birth,phone\n\
                   r1,John,Smith,03/04/1988,480-555-0142\n\
                   r2,Ana,Lopez,31/31/1970,\n\
                   r3,only,two\n\
                   r4,,,,12\n";
        let (s, out) = app
            .call(
                Method::POST,
                "/api/v1/xref/check",
                &la,
                Some(json!({"name": "intake.csv", "csv": csv})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{out}");
        assert_eq!(out["rows"], 4);
        let errors: Vec<&str> = out["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e.as_str().unwrap())
            .collect();
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with("intake.csv:3:date_of_birth: not a date")),
            "{errors:?}"
        );
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with("intake.csv:4: row has 3 fields")),
            "{errors:?}"
        );
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with("intake.csv:5:phone: not a telephone number")),
            "{errors:?}"
        );
        let m = out["matches"].as_array().unwrap();
        assert_eq!(m.len(), 1, "{out}");
        assert_eq!(m[0]["row_id"], "r1");
        let hit_ids: Vec<&str> = m[0]["candidates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["entity_id"].as_str().unwrap())
            .collect();
        assert_eq!(
            hit_ids,
            vec![jon.as_str()],
            "only case A's record is visible to lead A"
        );
        let (s, _) = app
            .call(
                Method::POST,
                "/api/v1/xref/check",
                &la,
                Some(json!({"csv": ""})),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);

        // Running the cross-reference again finds the same candidates (no duplicates).
        let (s, run) = app
            .call(
                Method::POST,
                &format!("/api/v1/cases/{case_b}/xref"),
                &ib,
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{run}");
        assert_eq!(run["items"].as_array().unwrap().len(), items.len());

        // Audit: every read and judgement recorded, with ids and codes only.
        let all = app
            .store
            .audit_search(&vigil_store::audit::AuditQuery {
                after_seq: Some(0),
                limit: 10_000,
                ..Default::default()
            })
            .await
            .unwrap();
        let actions: Vec<&str> = all.iter().map(|e| e.event.action.as_str()).collect();
        for want in [
            "xref.list",
            "xref.read",
            "xref.judge",
            "xref.undo",
            "xref.check",
            "xref.labels",
            "xref.same_as",
            "xref.run",
            "xref.stoplist.add",
        ] {
            assert!(actions.contains(&want), "missing {want}");
        }
        let text: String = all.iter().map(|e| format!("{:?}", e.event)).collect();
        for pii in [
            "Smyth",
            "Smith",
            "1988-04-03",
            "+1480",
            "480-555",
            "Lopez",
            "Arvelo",
        ] {
            assert!(!text.contains(pii), "audit holds {pii}");
        }
        app.store.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn linking_a_phone_rematches_and_index_rebuilds_from_the_store() {
    for db in backends() {
        let app = TestApp::spawn(db).await;
        let a = app.agency("Mesa Verde PD", AgencyKind::LocalLaw).await;
        let lead = app.user(a, "lead.a", Role::Investigator, None).await;
        let la = Cred::Bearer(app.session(lead).await);
        let c1 = open_case(&app, &la, "MVPD-7").await;
        let c2 = open_case(&app, &la, "MVPD-8").await;
        let p1 = person(
            &app,
            &la,
            &c1,
            json!({"name": ["Marisol Iturbe"], "birthDate": ["1991-07-12"]}),
        )
        .await;
        let p2 = person(
            &app,
            &la,
            &c2,
            json!({"name": ["Marisol Yturbe"], "birthDate": ["1991"]}),
        )
        .await;
        let before = queue(&app, &la, &c1).await["items"]
            .as_array()
            .unwrap()
            .len();
        // Linking the same phone to both makes (or strengthens) the match incrementally.
        for (case, p) in [(&c1, &p1), (&c2, &p2)] {
            let (_, ph) = app
                .call(
                    Method::POST,
                    &format!("/api/v1/cases/{case}/entities"),
                    &la,
                    Some(json!({"schema": "Phone", "properties": {"number": ["520-555-0177"]}})),
                )
                .await;
            let (s, _) = app
                .call(
                    Method::POST,
                    &format!("/api/v1/cases/{case}/links"),
                    &la,
                    Some(json!({"source_id": p, "target_id": ph["id"], "link_type": "uses"})),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED);
        }
        let l = queue(&app, &la, &c1).await;
        let items = l["items"].as_array().unwrap();
        assert!(items.len() >= before.max(1), "{l}");
        let c = &items[0];
        assert!(
            c["explanation"]["evidence"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["field"] == "phone" && e["right"] == "+15205550177"),
            "{c}"
        );
        let p_before = c["probability"].as_f64().unwrap();
        // A fresh matcher (as after a restart) rebuilt from the store scores the pair the same.
        app.state.xref.reset().await;
        let (s, run) = app
            .call(Method::POST, &format!("/api/v1/cases/{c1}/xref"), &la, None)
            .await;
        assert_eq!(s, StatusCode::OK);
        let again = run["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == c["id"])
            .unwrap();
        assert!(
            (again["probability"].as_f64().unwrap() - p_before).abs() < 1e-6,
            "{again} vs {c}"
        );
        app.store.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn candidates_withhold_a_victim_side_from_those_who_may_not_see_it() {
    for db in backends() {
        let app = TestApp::spawn(db).await;
        let pd = app.agency("Phoenix PD", AgencyKind::LocalLaw).await;
        let lead = app.user(pd, "det.rivera", Role::Investigator, None).await;
        let lead_c = Cred::Bearer(app.session(lead).await);
        let first = open_case(&app, &lead_c, "HT-26-301").await;
        let second = open_case(&app, &lead_c, "HT-26-302").await;
        person(&app, &lead_c, &first, json!({"firstName": ["Rosa"], "lastName": ["Arvelo"], "birthDate": ["1999-02-02"], "htcdsRole": ["victim"]})).await;
        person(
            &app,
            &lead_c,
            &second,
            json!({"firstName": ["Rosa"], "lastName": ["Arvelo"], "birthDate": ["1999-02-02"]}),
        )
        .await;
        let (s, run) = app
            .call(
                Method::POST,
                &format!("/api/v1/cases/{second}/xref"),
                &lead_c,
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{run}");
        let list = queue(&app, &lead_c, &second).await;
        let items = list["items"].as_array().unwrap();
        assert!(!items.is_empty(), "the two records match: {list}");
        for c in items {
            let (victim_side, other_side, left) = if c["a"]["case_id"] == first.as_str() {
                (&c["a"], &c["b"], true)
            } else {
                (&c["b"], &c["a"], false)
            };
            // The investigator sees the case, but not the victim's identity (no advocate role,
            // no consent): pseudonym, and the victim side's values withheld.
            assert!(
                victim_side["caption"]
                    .as_str()
                    .unwrap()
                    .starts_with("Victim "),
                "{c}"
            );
            assert!(
                other_side["caption"].as_str().unwrap().contains("Arvelo"),
                "{c}"
            );
            let evidence = c["explanation"]["evidence"].as_array().unwrap();
            assert!(!evidence.is_empty(), "levels and weights stay: {c}");
            for ev in evidence {
                let hidden = if left { &ev["left"] } else { &ev["right"] };
                assert_eq!(hidden, "(withheld: victim record)", "{c}");
            }
            let cid = c["id"].as_str().unwrap();
            let (s, one) = app
                .call(
                    Method::GET,
                    &format!("/api/v1/xref/candidates/{cid}"),
                    &lead_c,
                    None,
                )
                .await;
            assert_eq!(s, StatusCode::OK);
            let v = if left { &one["a"] } else { &one["b"] };
            assert!(
                v["caption"].as_str().unwrap().starts_with("Victim "),
                "{one}"
            );
            for ev in one["explanation"]["evidence"].as_array().unwrap() {
                let hidden = if left { &ev["left"] } else { &ev["right"] };
                assert_eq!(hidden, "(withheld: victim record)", "{one}");
            }
        }
        app.store.close().await;
    }
}
