//! The victim vault end to end (V1–V6, T3): a survivor's record, consent given and revoked
//! (including a revocation racing reads), screening, referral lifecycle, safety plan, the
//! "victim, not suspect" guard, and a synthetic marker that must never reach the audit trail or an
//! error message.

use crate::support::{backends, Cred, TestApp};
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::{json, Value};
use tower::ServiceExt;
use vigil_core::{AgencyKind, Role};

/// Synthetic PII markers: must never appear in audit payloads or error messages.
const MARKER_NAME: &str = "Qorvexa Lindqvist";
const MARKER_PHONE: &str = "602-555-0188";

async fn get(state: vigil_server::AppState, path: String, token: String) -> (StatusCode, Value) {
    let req = Request::builder()
        .method(Method::GET)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let res = vigil_server::router(state).oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 20)
        .await
        .unwrap();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn survivor_record_consent_screening_referral_and_guard() {
    for db in backends() {
        let app = TestApp::spawn(db).await;
        let pd = app.agency("Phoenix PD", AgencyKind::LocalLaw).await;
        let da = app
            .agency("Maricopa County Attorney", AgencyKind::Prosecutor)
            .await;
        let ngo = app
            .agency("Safe Harbor Survivor Services", AgencyKind::VictimServices)
            .await;
        let adv = app.user(ngo, "adv.ramos", Role::VictimAdvocate, None).await;
        let dda = app.user(da, "dda.chen", Role::Prosecutor, None).await;
        let lead = app.user(pd, "det.rivera", Role::Investigator, None).await;
        let sup = app.user(pd, "sgt.okafor", Role::Supervisor, None).await;
        let (adv_t, dda_t) = (app.session(adv).await, app.session(dda).await);
        let adv_c = Cred::Bearer(adv_t.clone());
        let dda_c = Cred::Bearer(dda_t.clone());
        let lead_c = Cred::Bearer(app.session(lead).await);
        let sup_c = Cred::Bearer(app.session(sup).await);

        // V1: the advocate opens a record; it gets a pseudonym.
        let (s, v) = app
            .call(
                Method::POST,
                "/api/v1/victims",
                &adv_c,
                Some(json!({"full_name": MARKER_NAME, "birth_date": "2001-07", "languages": ["es", "en"], "phone": MARKER_PHONE, "contact_notes": "Text only, after 6pm"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let vid = v["id"].as_str().unwrap().to_owned();
        let pseudonym = v["pseudonym"].as_str().unwrap().to_owned();
        assert!(
            pseudonym.starts_with("Survivor ") && pseudonym.len() == 13,
            "{pseudonym}"
        );
        assert_eq!(v["identity"]["full_name"], MARKER_NAME);

        // Bad input names the field, never the value.
        let (s, err) = app
            .call(
                Method::POST,
                "/api/v1/victims",
                &adv_c,
                Some(
                    json!({"full_name": MARKER_NAME, "birth_date": format!("{MARKER_NAME} 31/31")}),
                ),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        let msg = err["error"]["message"].as_str().unwrap();
        assert!(
            msg.contains("birth_date") && !msg.contains("Qorvexa"),
            "{msg}"
        );

        // Without consent, the prosecutor does not even learn the record exists.
        let path = format!("/api/v1/victims/{vid}");
        assert_eq!(
            app.call(Method::GET, &path, &dda_c, None).await.0,
            StatusCode::NOT_FOUND
        );

        // V3: consent naming the DA's prosecutors for identity only.
        let (s, consent) = app
            .call(
                Method::POST,
                &format!("/api/v1/victims/{vid}/consents"),
                &adv_c,
                Some(json!({"purpose": "Prepare testimony", "recipients": [format!("agency:{da}:role:prosecutor")], "categories": ["identity"], "language": "es", "expires_at": "2026-09-01"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{consent}");
        assert_eq!(consent["active"], true);
        let (s, seen) = app.call(Method::GET, &path, &dda_c, None).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(seen["identity"]["full_name"], MARKER_NAME);
        assert!(
            seen["contact"].is_null(),
            "contact was not consented: {seen}"
        );
        assert_eq!(seen["access"], json!(["identity"]));
        // Screening and services are other categories; the safety plan is never shared.
        for sub in ["screenings", "referrals", "safety-plan", "consents"] {
            let (s, _) = app
                .call(Method::GET, &format!("{path}/{sub}"), &dda_c, None)
                .await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{sub}");
        }

        // A revocation racing reads: once it is acknowledged, no read returns identity data,
        // and no read that did has its audit event after the revocation's.
        let state = app.state.clone();
        let readers: Vec<_> = (0..4)
            .map(|_| {
                let (state, path, t) = (state.clone(), path.clone(), dda_t.clone());
                tokio::spawn(async move {
                    let mut out = Vec::new();
                    for _ in 0..15 {
                        out.push(get(state.clone(), path.clone(), t.clone()).await);
                        tokio::task::yield_now().await;
                    }
                    out
                })
            })
            .collect();
        tokio::task::yield_now().await;
        let cid = consent["id"].as_str().unwrap();
        let (s, revoked) = app
            .call(
                Method::POST,
                &format!("/api/v1/consents/{cid}/revoke"),
                &adv_c,
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{revoked}");
        assert_eq!(revoked["active"], false);
        for _ in 0..5 {
            let (s, body) = get(state.clone(), path.clone(), dda_t.clone()).await;
            assert_eq!(s, StatusCode::NOT_FOUND, "after the revocation: {body}");
        }
        let mut full_reads = 0;
        for r in readers {
            for (s, body) in r.await.unwrap() {
                assert!(s == StatusCode::OK || s == StatusCode::NOT_FOUND, "{s}");
                if s == StatusCode::OK {
                    full_reads += 1;
                    assert_eq!(body["identity"]["full_name"], MARKER_NAME);
                }
            }
        }
        let events = app
            .store
            .audit_search(&vigil_store::audit::AuditQuery {
                after_seq: Some(0),
                limit: 100_000,
                ..Default::default()
            })
            .await
            .unwrap();
        let revoke_seq = events
            .iter()
            .find(|e| e.event.action == "consent.revoke")
            .unwrap()
            .event
            .seq;
        let dda_full: Vec<u64> = events
            .iter()
            .filter(|e| {
                e.event.action == "victim.read"
                    && e.event.actor_user == Some(dda)
                    && e.event.detail.contains("identity")
            })
            .map(|e| e.event.seq)
            .collect();
        assert_eq!(
            dda_full.len(),
            full_reads + 1,
            "every full read is audited, once"
        );
        assert!(
            dda_full.iter().all(|s| *s < revoke_seq),
            "a full read was audited after the revocation: {dda_full:?} vs {revoke_seq}"
        );

        // T3: screening gives reasons and a recommendation, never a verdict.
        let (s, q) = app
            .call(
                Method::GET,
                "/api/v1/screening/questionnaires",
                &adv_c,
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(q["items"][0]["id"], "vigil-default");
        let (s, sc) = app
            .call(
                Method::POST,
                &format!("{path}/screenings"),
                &adv_c,
                Some(json!({"questionnaire": "vigil-default", "language": "es", "answers": {"documents_held": "yes", "debt_owed": "unsure", "control_leave": "yes", "age_under18": "declined"}})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{sc}");
        assert_eq!(sc["recommendation"], "follow_up_recommended");
        assert_eq!(sc["version"], 1);
        let domains: Vec<&str> = sc["concerns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["domain"].as_str().unwrap())
            .collect();
        assert_eq!(domains, ["documents", "debt"]);
        assert!(sc["message"]
            .as_str()
            .unwrap()
            .contains("not a determination"));
        let (s, _) = app
            .call(
                Method::POST,
                &format!("{path}/screenings"),
                &adv_c,
                Some(json!({"questionnaire": "vigil-default", "language": "es", "answers": {"documents_held": "perhaps"}})),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);

        // V2: a referral needs a consent naming the provider; the lifecycle refuses skips.
        let (s, p) = app
            .call(
                Method::POST,
                "/api/v1/providers",
                &adv_c,
                Some(json!({"name": "Casa Segura Shelter", "service_types": ["shelter", "counselling"], "languages": ["es", "en"], "eligibility": "Adults of any gender", "capacity": 3, "contact": "Intake 602-555-0100"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{p}");
        let pid = p["id"].as_str().unwrap();
        let refer = json!({"provider_id": pid, "service_type": "shelter"});
        let (s, body) = app
            .call(
                Method::POST,
                &format!("{path}/referrals"),
                &adv_c,
                Some(refer.clone()),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
        let (s, _) = app
            .call(
                Method::POST,
                &format!("{path}/consents"),
                &adv_c,
                Some(json!({"purpose": "Shelter placement", "recipients": [format!("provider:{pid}")], "categories": ["identity", "contact"], "language": "es"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        let (s, r) = app
            .call(
                Method::POST,
                &format!("{path}/referrals"),
                &adv_c,
                Some(refer),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{r}");
        assert_eq!(r["status"], "sent");
        let rpath = format!("/api/v1/referrals/{}", r["id"].as_str().unwrap());
        let service = json!({"service_type": "shelter", "delivered_on": "2026-03-02"});
        let (s, _) = app
            .call(
                Method::POST,
                &format!("{rpath}/services"),
                &adv_c,
                Some(service.clone()),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "not accepted yet");
        let (s, _) = app
            .call(
                Method::POST,
                &format!("{rpath}/status"),
                &adv_c,
                Some(json!({"status": "closed"})),
            )
            .await;
        assert_eq!(
            s,
            StatusCode::UNPROCESSABLE_ENTITY,
            "sent cannot become closed"
        );
        for next in ["accepted"] {
            let (s, r) = app
                .call(
                    Method::POST,
                    &format!("{rpath}/status"),
                    &adv_c,
                    Some(json!({"status": next})),
                )
                .await;
            assert_eq!((s, r["status"].as_str()), (StatusCode::OK, Some(next)));
        }
        let (s, _) = app
            .call(
                Method::POST,
                &format!("{rpath}/services"),
                &adv_c,
                Some(service),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        let (s, list) = app
            .call(Method::GET, &format!("{path}/referrals"), &adv_c, None)
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(list["referrals"][0]["status"], "service_delivered");
        assert_eq!(list["services"].as_array().unwrap().len(), 1);

        // V6: the safety plan stays with the advocates even under a broad consent.
        let (s, _) = app
            .call(
                Method::PUT,
                &format!("{path}/safety-plan"),
                &adv_c,
                Some(json!({"sections": {"safe_people": "Advocate on call", "emergency_steps": "Call 911"}, "review_on": "2026-04-01"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let (s, _) = app
            .call(
                Method::POST,
                &format!("{path}/consents"),
                &adv_c,
                Some(json!({"purpose": "Case coordination", "recipients": [format!("agency:{da}")], "categories": ["identity", "contact", "screening", "services"], "language": "es"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        assert_eq!(
            app.call(Method::GET, &format!("{path}/safety-plan"), &dda_c, None)
                .await
                .0,
            StatusCode::FORBIDDEN
        );
        let (s, plan) = app
            .call(Method::GET, &format!("{path}/safety-plan"), &adv_c, None)
            .await;
        assert_eq!(
            (s, plan["sections"]["safe_people"].as_str()),
            (StatusCode::OK, Some("Advocate on call"))
        );
        let (s, sl) = app
            .call(Method::GET, &format!("{path}/screenings"), &dda_c, None)
            .await;
        assert_eq!(s, StatusCode::OK, "screening now consented: {sl}");

        // V5: victim, not suspect.
        let (_, case) = app
            .call(Method::POST, "/api/v1/cases", &lead_c, Some(json!({"number": "PHX-1", "title": "Labour case", "trafficking_type": "labour"})))
            .await;
        let case_id = case["id"].as_str().unwrap().to_owned();
        let ents = format!("/api/v1/cases/{case_id}/entities");
        let (_, person) = app
            .call(
                Method::POST,
                &ents,
                &lead_c,
                Some(json!({"schema": "Person", "properties": {"name": ["Witness A"]}})),
            )
            .await;
        let (_, other) = app
            .call(
                Method::POST,
                &ents,
                &lead_c,
                Some(json!({"schema": "Person", "properties": {"name": ["Person B"]}})),
            )
            .await;
        let eid = person["id"].as_str().unwrap().to_owned();
        let (s, both) = app
            .call(Method::POST, &ents, &lead_c, Some(json!({"schema": "Person", "properties": {"name": ["X"], "htcdsRole": ["victim", "suspected_perpetrator"]}})))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{both}");
        // The advocate links the record to the case's Person entity.
        let (s, linked) = app
            .call(
                Method::POST,
                &format!("{path}/cases"),
                &adv_c,
                Some(json!({"case_id": case_id, "entity_id": eid})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{linked}");
        // The case team now sees the pseudonym, nothing more.
        let (s, lv) = app.call(Method::GET, &path, &lead_c, None).await;
        assert_eq!(
            (s, lv["pseudonym"].as_str()),
            (StatusCode::OK, Some(pseudonym.as_str()))
        );
        assert!(lv["identity"].is_null() && lv["contact"].is_null(), "{lv}");
        let suspect =
            json!({"properties": {"name": ["Witness A"], "htcdsRole": ["suspected_perpetrator"]}});
        let (s, refusal) = app
            .call(
                Method::PATCH,
                &format!("/api/v1/entities/{eid}"),
                &lead_c,
                Some(suspect.clone()),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{refusal}");
        assert!(refusal["error"]["message"]
            .as_str()
            .unwrap()
            .contains("override"));
        let exploits = json!({"source_id": eid, "target_id": other["id"], "link_type": "exploits"});
        let links = format!("/api/v1/cases/{case_id}/links");
        assert_eq!(
            app.call(Method::POST, &links, &lead_c, Some(exploits.clone()))
                .await
                .0,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        let ov = format!("/api/v1/entities/{eid}/victim-override");
        let reason =
            json!({"reason": "Bank records show this person collected the debts; DA agrees."});
        assert_eq!(
            app.call(Method::POST, &ov, &lead_c, Some(reason.clone()))
                .await
                .0,
            StatusCode::FORBIDDEN,
            "only supervisors override"
        );
        assert_eq!(
            app.call(Method::POST, &ov, &sup_c, Some(json!({"reason": "ok"})))
                .await
                .0,
            StatusCode::BAD_REQUEST,
            "a reason is required"
        );
        let (s, o) = app.call(Method::POST, &ov, &sup_c, Some(reason)).await;
        assert_eq!(s, StatusCode::CREATED, "{o}");
        assert_eq!(
            app.call(
                Method::PATCH,
                &format!("/api/v1/entities/{eid}"),
                &lead_c,
                Some(suspect)
            )
            .await
            .0,
            StatusCode::OK
        );
        assert_eq!(
            app.call(Method::POST, &links, &lead_c, Some(exploits))
                .await
                .0,
            StatusCode::CREATED
        );

        // The audit trail holds ids and codes: no name, phone or contact note.
        let events = app
            .store
            .audit_search(&vigil_store::audit::AuditQuery {
                after_seq: Some(0),
                limit: 100_000,
                ..Default::default()
            })
            .await
            .unwrap();
        let all: String = events.iter().map(|e| format!("{:?}", e.event)).collect();
        for marker in [
            "Qorvexa",
            "Lindqvist",
            MARKER_PHONE,
            "Text only",
            "2001-07",
            "Bank records",
            "Advocate on call",
        ] {
            assert!(!all.contains(marker), "audit holds `{marker}`");
        }
        for want in [
            "victim.create",
            "victim.read",
            "consent.create",
            "consent.revoke",
            "screening.create",
            "referral.create",
            "referral.status",
            "referral.service",
            "safety_plan.write",
            "victim.link_case",
            "victim_guard.override",
        ] {
            assert!(
                events.iter().any(|e| e.event.action == want),
                "missing {want}"
            );
        }
        let report = app.store.audit_verify(None, |_| {}).await.unwrap();
        assert_eq!(report.events as usize, events.len());
        app.store.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_shows_pseudonyms_only_to_those_who_may_see_them() {
    for db in backends() {
        let app = TestApp::spawn(db).await;
        let ngo = app.agency("Safe Harbor", AgencyKind::VictimServices).await;
        let other = app.agency("Other NGO", AgencyKind::VictimServices).await;
        let adv = Cred::Bearer(
            app.session(app.user(ngo, "adv.one", Role::VictimAdvocate, None).await)
                .await,
        );
        let colleague = Cred::Bearer(
            app.session(app.user(ngo, "case.mgr", Role::Supervisor, None).await)
                .await,
        );
        let stranger = Cred::Bearer(
            app.session(app.user(other, "adv.two", Role::VictimAdvocate, None).await)
                .await,
        );
        for i in 0..3 {
            let (s, _) = app
                .call(
                    Method::POST,
                    "/api/v1/victims",
                    &adv,
                    Some(json!({"full_name": format!("{MARKER_NAME} {i}")})),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED);
        }
        let (_, mine) = app.call(Method::GET, "/api/v1/victims", &adv, None).await;
        assert_eq!(mine["items"].as_array().unwrap().len(), 3);
        assert!(
            mine["items"][0]["identity"].is_null(),
            "lists carry pseudonyms only"
        );
        assert_eq!(
            mine["items"][0]["access"],
            json!(["identity", "contact", "screening", "services"])
        );
        let (_, theirs) = app
            .call(Method::GET, "/api/v1/victims", &colleague, None)
            .await;
        assert_eq!(theirs["items"].as_array().unwrap().len(), 3);
        assert_eq!(theirs["items"][0]["access"], json!([]));
        let (_, none) = app
            .call(Method::GET, "/api/v1/victims", &stranger, None)
            .await;
        assert_eq!(none["items"].as_array().unwrap().len(), 0);
        app.store.close().await;
    }
}

/// Victims in case content: a person marked `htcdsRole: victim` and a person linked to a vault
/// record are shown by the entity routes (list, read, update answer) and the link chart alike —
/// in full to the advocates on the case, and for the linked one also to those a consent in force
/// names for identity; as a pseudonym with no properties to everyone else who reads the case.
/// Revocation hides the name again at once. Nothing identifying reaches the audit trail.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn case_views_pseudonymise_victims_the_policy_hides() {
    for db in backends() {
        let app = TestApp::spawn(db).await;
        let pd = app.agency("Phoenix PD", AgencyKind::LocalLaw).await;
        let da = app.agency("County Attorney", AgencyKind::Prosecutor).await;
        let ngo = app
            .agency("Safe Harbor Survivor Services", AgencyKind::VictimServices)
            .await;
        let lead = app.user(pd, "det.rivera", Role::Investigator, None).await;
        let sup = app.user(pd, "sgt.okafor", Role::Supervisor, None).await;
        let dda = app.user(da, "dda.chen", Role::Prosecutor, None).await;
        let adv = app.user(ngo, "adv.ramos", Role::VictimAdvocate, None).await;
        let cred = |t: String| Cred::Bearer(t);
        let lead_c = cred(app.session(lead).await);
        let sup_c = cred(app.session(sup).await);
        let dda_c = cred(app.session(dda).await);
        let adv_c = cred(app.session(adv).await);

        let (s, case) = app
            .call(
                Method::POST,
                "/api/v1/cases",
                &lead_c,
                Some(json!({"number": "HT-26-77", "title": "Motel", "trafficking_type": "sex"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{case}");
        let case_id = case["id"].as_str().unwrap().to_owned();
        for member in [dda, adv] {
            let (s, b) = app
                .call(
                    Method::POST,
                    &format!("/api/v1/cases/{case_id}/team"),
                    &lead_c,
                    Some(json!({"user_id": member.to_string()})),
                )
                .await;
            assert!(s.is_success(), "{b}");
        }
        let ents = format!("/api/v1/cases/{case_id}/entities");
        let person = |props: Value| {
            let (app, ents, lead_c) = (&app, &ents, &lead_c);
            async move {
                let (s, e) = app
                    .call(
                        Method::POST,
                        ents,
                        lead_c,
                        Some(json!({"schema": "Person", "properties": props})),
                    )
                    .await;
                assert_eq!(s, StatusCode::CREATED, "{e}");
                e["id"].as_str().unwrap().to_owned()
            }
        };
        let marked = person(json!({"name": ["Velmira Ostrakova"], "htcdsRole": ["victim"]})).await;
        let linked = person(json!({"name": [MARKER_NAME], "birthDate": ["2001-07-03"]})).await;
        let suspect = person(json!({"name": ["Dorn Halvey"]})).await;
        let (_, v) = app
            .call(
                Method::POST,
                "/api/v1/victims",
                &adv_c,
                Some(json!({"full_name": MARKER_NAME})),
            )
            .await;
        let vid = v["id"].as_str().unwrap().to_owned();
        let pseudonym = v["pseudonym"].as_str().unwrap().to_owned();
        let (s, b) = app
            .call(
                Method::POST,
                &format!("/api/v1/victims/{vid}/cases"),
                &adv_c,
                Some(json!({"case_id": case_id, "entity_id": linked})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");

        // What each caller sees of (marked, linked): the name, or nothing but a pseudonym.
        let views = |who: Cred| {
            let (app, ents, case_id) = (&app, &ents, &case_id);
            let (marked, linked, suspect) = (&marked, &linked, &suspect);
            async move {
                let (s, list) = app.call(Method::GET, ents, &who, None).await;
                assert_eq!(s, StatusCode::OK);
                let (s, chart) = app
                    .call(
                        Method::GET,
                        &format!("/api/v1/cases/{case_id}/graph"),
                        &who,
                        None,
                    )
                    .await;
                assert_eq!(s, StatusCode::OK, "{chart}");
                let mut seen = Vec::new();
                for id in [marked, linked] {
                    let (s, one) = app
                        .call(Method::GET, &format!("/api/v1/entities/{id}"), &who, None)
                        .await;
                    assert_eq!(s, StatusCode::OK);
                    let in_list = list["items"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .find(|e| e["id"] == id.as_str())
                        .unwrap()
                        .clone();
                    assert_eq!(one, in_list, "read and list agree");
                    let shown = one["pseudonymised"] == false;
                    if shown {
                        assert!(!one["properties"]["name"][0].is_null(), "{one}");
                    } else {
                        assert_eq!(one["properties"], json!({}), "{one}");
                        assert!(!one.to_string().contains("Ostrakova"), "{one}");
                        assert!(!one.to_string().contains(MARKER_NAME), "{one}");
                    }
                    // The chart shows the same label as the entity routes.
                    let label = one["caption"].as_str().unwrap();
                    assert!(
                        chart["nodes"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .any(|n| n["label"] == label && n["pseudonymised"] == !shown),
                        "{label}: {chart}"
                    );
                    seen.push(shown);
                }
                // Other people are never hidden.
                let (_, s) = app
                    .call(
                        Method::GET,
                        &format!("/api/v1/entities/{suspect}"),
                        &who,
                        None,
                    )
                    .await;
                assert_eq!(s["properties"]["name"][0], "Dorn Halvey");
                assert!(!chart.to_string().contains("Ostrakova") || seen[0]);
                assert!(!chart.to_string().contains(MARKER_NAME) || seen[1]);
                (seen[0], seen[1])
            }
        };
        assert_eq!(views(lead_c.clone()).await, (false, false));
        assert_eq!(views(sup_c.clone()).await, (false, false));
        assert_eq!(views(dda_c.clone()).await, (false, false));
        assert_eq!(views(adv_c.clone()).await, (true, true));
        let (_, hidden) = app
            .call(
                Method::GET,
                &format!("/api/v1/entities/{linked}"),
                &lead_c,
                None,
            )
            .await;
        assert_eq!(hidden["caption"], pseudonym.as_str(), "the vault pseudonym");

        // A consent naming the prosecutors for identity shows them the linked person's name
        // (the marked one stays an advocates-only view); revoking hides it at once.
        let (s, consent) = app
            .call(
                Method::POST,
                &format!("/api/v1/victims/{vid}/consents"),
                &adv_c,
                Some(json!({"purpose": "Testimony", "recipients": [format!("agency:{da}:role:prosecutor")],
                            "categories": ["identity"], "language": "en"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{consent}");
        assert_eq!(views(dda_c.clone()).await, (false, true));
        assert_eq!(views(lead_c.clone()).await, (false, false));
        // A contact-only consent for the investigators shows them nothing more.
        let (s, _) = app
            .call(
                Method::POST,
                &format!("/api/v1/victims/{vid}/consents"),
                &adv_c,
                Some(
                    json!({"purpose": "Safety check", "recipients": [format!("agency:{pd}")],
                            "categories": ["contact"], "language": "en"}),
                ),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        assert_eq!(views(lead_c.clone()).await, (false, false));
        let (s, _) = app
            .call(
                Method::POST,
                &format!(
                    "/api/v1/consents/{}/revoke",
                    consent["id"].as_str().unwrap()
                ),
                &adv_c,
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(views(dda_c.clone()).await, (false, false));

        // The answer to an update is masked the same way.
        let (s, upd) = app
            .call(
                Method::PATCH,
                &format!("/api/v1/entities/{marked}"),
                &lead_c,
                Some(json!({"properties": {"name": ["Velmira Ostrakova"], "htcdsRole": ["victim"], "nationality": ["mx"]}})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{upd}");
        assert_eq!(upd["pseudonymised"], true, "{upd}");
        assert_eq!(upd["properties"], json!({}));

        // Reads are audited with counts, never names.
        let events = app
            .store
            .audit_search(&vigil_store::audit::AuditQuery {
                after_seq: Some(0),
                limit: 100_000,
                ..Default::default()
            })
            .await
            .unwrap();
        let all: String = events.iter().map(|e| format!("{:?}", e.event)).collect();
        assert!(!all.contains("Ostrakova") && !all.contains(MARKER_NAME));
        assert!(
            all.contains("pseudonymised=2"),
            "list details count hidden people"
        );
        app.store.close().await;
    }
}
