//! Protocol checklists (T5), joint operations (O1, O2) and prosecution (C6) through the API:
//! overdue flags on the test clock, workflows and their refusals, need-to-know for operations,
//! bad input answered 400/422 naming the field, and no free text in the audit trail.

use crate::support::{backends, Cred, TestApp};
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;
use vigil_core::{AgencyKind, Role};

const HOUR: Duration = Duration::from_secs(3600);

async fn post(app: &TestApp, path: &str, who: &Cred, body: Value) -> (StatusCode, Value) {
    app.call(Method::POST, path, who, Some(body)).await
}

/// No audit event mentions `marker`, and the chain verifies.
async fn assert_audit_free_of(app: &TestApp, marker: &str) {
    let all = app
        .store
        .audit_search(&vigil_store::audit::AuditQuery {
            after_seq: Some(0),
            limit: 100_000,
            ..Default::default()
        })
        .await
        .unwrap();
    let text: String = all.iter().map(|e| format!("{:?}", e.event)).collect();
    assert!(
        !text.contains(marker),
        "audit payloads must hold ids and codes only"
    );
    let report = app.store.audit_verify(None, |_| {}).await.unwrap();
    assert_eq!(report.events as usize, all.len());
}

#[track_caller]
fn refused(got: (StatusCode, Value), status: StatusCode, field: &str) {
    assert_eq!(got.0, status, "{}", got.1);
    let msg = got.1["error"]["message"].as_str().unwrap_or_default();
    assert!(msg.contains(field), "message should name `{field}`: {msg}");
}

struct Team {
    app: TestApp,
    lead: Cred,
    prosecutor: Cred,
    analyst: Cred,
    case: String,
    ids: [vigil_types::UserId; 3],
}

impl Team {
    /// Fresh sessions (lead, prosecutor) after the clock moved past the idle timeout.
    async fn relogin(&mut self) {
        self.lead = Cred::Bearer(self.app.session(self.ids[0]).await);
        self.prosecutor = Cred::Bearer(self.app.session(self.ids[1]).await);
    }
}

/// A case in agency A with a lead investigator, a prosecutor and an analyst on the team.
async fn team(app: TestApp) -> Team {
    let a = app.agency("Phoenix PD", AgencyKind::LocalLaw).await;
    let lead_id = app.user(a, "j.rivera", Role::Investigator, None).await;
    let pros_id = app.user(a, "dda.chen", Role::Prosecutor, None).await;
    let analyst_id = app.user(a, "an.patel", Role::Analyst, None).await;
    let lead = Cred::Bearer(app.session(lead_id).await);
    let prosecutor = Cred::Bearer(app.session(pros_id).await);
    let analyst = Cred::Bearer(app.session(analyst_id).await);
    let (s, case) = post(&app, "/api/v1/cases", &lead, json!({"number": "PHX-2026-0007", "title": "Massage parlour network", "trafficking_type": "sex"})).await;
    assert_eq!(s, StatusCode::CREATED, "{case}");
    let case = case["id"].as_str().unwrap().to_owned();
    for u in [pros_id, analyst_id] {
        let (s, _) = post(
            &app,
            &format!("/api/v1/cases/{case}/team"),
            &lead,
            json!({"user_id": u.to_string()}),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED);
    }
    Team {
        app,
        lead,
        prosecutor,
        analyst,
        case,
        ids: [lead_id, pros_id, analyst_id],
    }
}

fn item<'a>(protocol: &'a Value, key: &str) -> &'a Value {
    protocol["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == key)
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn protocol_checklist_due_times_overdue_flags_and_workflow() {
    for db in backends() {
        let mut t = team(TestApp::spawn(db).await).await;
        let case = t.case.clone();
        let path = format!("/api/v1/cases/{case}/protocols");
        let app = &t.app;

        // The templates list names every version and the default items.
        let (s, templates) = app
            .call(Method::GET, "/api/v1/protocols", &t.analyst, None)
            .await;
        assert_eq!(s, StatusCode::OK);
        assert!(templates["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["key"] == "victim-identification"));

        // Bad starts: unknown template, unknown condition, a start in the future or too long ago.
        refused(
            post(app, &path, &t.lead, json!({"template": "no-such"})).await,
            StatusCode::BAD_REQUEST,
            "template",
        );
        refused(
            post(
                app,
                &path,
                &t.lead,
                json!({"template": "victim-identification", "conditions": ["minr"]}),
            )
            .await,
            StatusCode::BAD_REQUEST,
            "conditions",
        );
        refused(
            post(
                app,
                &path,
                &t.lead,
                json!({"template": "victim-identification", "version": 99}),
            )
            .await,
            StatusCode::BAD_REQUEST,
            "version",
        );
        refused(
            post(
                app,
                &path,
                &t.lead,
                json!({"template": "victim-identification", "started_at": "2026-03-03T09:00:00Z"}),
            )
            .await,
            StatusCode::BAD_REQUEST,
            "started_at",
        );
        refused(
            post(
                app,
                &path,
                &t.lead,
                json!({"template": "victim-identification", "started_at": "2026-01-01"}),
            )
            .await,
            StatusCode::BAD_REQUEST,
            "started_at",
        );
        refused(
            post(
                app,
                &path,
                &t.lead,
                json!({"template": "victim-identification", "started_at": "yesterday"}),
            )
            .await,
            StatusCode::BAD_REQUEST,
            "started_at",
        );
        refused(
            post(
                app,
                &path,
                &t.lead,
                json!({"template": "victim-identification", "colour": 1}),
            )
            .await,
            StatusCode::BAD_REQUEST,
            "colour",
        );

        // The analyst on the team starts it for a minor; the CPS item is due in an hour.
        let (s, p) = post(
            app,
            &path,
            &t.analyst,
            json!({"template": "victim-identification", "conditions": ["minor"]}),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{p}");
        assert_eq!(p["overdue_items"], 0);
        assert_eq!(item(&p, "child-protection-notified")["status"], "open");
        assert_eq!(
            item(&p, "child-protection-notified")["due_at"],
            "2026-03-02T10:00:00.000000Z"
        );
        // Undeclared conditions are recorded as not applicable, with the reason.
        let visa = item(&p, "immigration-relief-considered");
        assert_eq!(visa["status"], "not_applicable");
        assert!(visa["note"].as_str().unwrap().contains("foreign_national"));
        // Once only per case.
        assert_eq!(
            post(
                app,
                &path,
                &t.lead,
                json!({"template": "victim-identification"})
            )
            .await
            .0,
            StatusCode::CONFLICT
        );

        // Two hours on, CPS is overdue; after 25 hours, the advocate item too. (Sessions idle
        // out after 30 minutes, so log in again after each jump.)
        t.app.clock.advance(2 * HOUR);
        t.relogin().await;
        let app = &t.app;
        let (_, list) = app.call(Method::GET, &path, &t.prosecutor, None).await;
        let p = &list["items"][0];
        assert_eq!(item(p, "child-protection-notified")["overdue"], true);
        assert_eq!(item(p, "advocate-notified")["overdue"], false);
        assert_eq!(
            p["overdue_items"], 1,
            "CPS only: the 4-hour safety item is not due yet"
        );
        t.app.clock.advance(23 * HOUR);
        t.relogin().await;
        let app = &t.app;
        let (_, list) = app.call(Method::GET, &path, &t.prosecutor, None).await;
        let p = list["items"][0].clone();
        assert_eq!(item(&p, "advocate-notified")["overdue"], true);

        // Done by the prosecutor on the team: no longer overdue, closed late, who and when kept.
        let cps = item(&p, "child-protection-notified")["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let ipath = format!("/api/v1/cases/{case}/protocol-items/{cps}");
        let (s, done) = app
            .call(
                Method::PATCH,
                &ipath,
                &t.prosecutor,
                Some(json!({"status": "done", "note": "DCS hotline, report number on file"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{done}");
        assert_eq!(done["overdue"], false);
        assert_eq!(done["closed_late"], true);
        assert!(done["closed_by"].is_string() && done["closed_at"].is_string());
        // Invalid transitions and a missing reason.
        refused(
            app.call(
                Method::PATCH,
                &ipath,
                &t.lead,
                Some(json!({"status": "done"})),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "done to done",
        );
        refused(
            app.call(
                Method::PATCH,
                &ipath,
                &t.lead,
                Some(json!({"status": "not_applicable", "note": "x"})),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "cannot move",
        );
        refused(
            app.call(
                Method::PATCH,
                &ipath,
                &t.lead,
                Some(json!({"status": "finished"})),
            )
            .await,
            StatusCode::BAD_REQUEST,
            "status",
        );
        let med = item(&p, "medical-screening-offered")["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let mpath = format!("/api/v1/cases/{case}/protocol-items/{med}");
        refused(
            app.call(
                Method::PATCH,
                &mpath,
                &t.lead,
                Some(json!({"status": "not_applicable"})),
            )
            .await,
            StatusCode::BAD_REQUEST,
            "note",
        );
        // Re-opening clears who/when.
        let (s, reopened) = app
            .call(
                Method::PATCH,
                &ipath,
                &t.lead,
                Some(json!({"status": "open"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        assert!(reopened["closed_by"].is_null());

        // A hand-added item: due in the past is refused; due later is accepted.
        let pid = p["id"].as_str().unwrap();
        let add = format!("/api/v1/cases/{case}/protocols/{pid}/items");
        refused(
            post(
                app,
                &add,
                &t.lead,
                json!({"text": "Call the shelter", "due_at": "2026-03-01T00:00:00Z"}),
            )
            .await,
            StatusCode::BAD_REQUEST,
            "due_at",
        );
        refused(
            post(
                app,
                &add,
                &t.lead,
                json!({"text": "Call the shelter", "due_at": "soon"}),
            )
            .await,
            StatusCode::BAD_REQUEST,
            "due_at",
        );
        let (s, added) = post(
            app,
            &add,
            &t.lead,
            json!({"text": "Call the shelter", "due_at": "2026-03-05T00:00:00Z"}),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{added}");
        assert_eq!(added["custom"], true);

        // The timeline shows the checklist's life.
        let (_, tl) = app
            .call(
                Method::GET,
                &format!("/api/v1/cases/{case}/timeline"),
                &t.lead,
                None,
            )
            .await;
        let kinds: Vec<&str> = tl["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["kind"].as_str().unwrap())
            .collect();
        assert!(
            kinds.contains(&"protocol.started")
                && kinds.contains(&"protocol.item")
                && kinds.contains(&"protocol.item.added"),
            "{kinds:?}"
        );
        app.store.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_becoming_active_starts_the_triggered_protocol_once() {
    for db in backends() {
        let t = team(TestApp::spawn(db).await).await;
        let (app, case) = (&t.app, &t.case);
        let status = format!("/api/v1/cases/{case}/status");
        assert_eq!(
            post(app, &status, &t.lead, json!({"status": "active"}))
                .await
                .0,
            StatusCode::OK
        );
        let (_, list) = app
            .call(
                Method::GET,
                &format!("/api/v1/cases/{case}/protocols"),
                &t.lead,
                None,
            )
            .await;
        let items = list["items"].as_array().unwrap();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0]["template"], "victim-identification");
        assert_eq!(items[0]["trigger"], "case_active");
        // Every condition is declared on an automatic start: nothing is skipped silently.
        assert_eq!(
            item(&items[0], "child-protection-notified")["status"],
            "open"
        );
        // Closing and re-activating does not start it again.
        assert_eq!(
            post(app, &status, &t.lead, json!({"status": "closed"}))
                .await
                .0,
            StatusCode::OK
        );
        assert_eq!(
            post(app, &status, &t.lead, json!({"status": "active"}))
                .await
                .0,
            StatusCode::OK
        );
        let (_, list) = app
            .call(
                Method::GET,
                &format!("/api/v1/cases/{case}/protocols"),
                &t.lead,
                None,
            )
            .await;
        assert_eq!(list["items"].as_array().unwrap().len(), 1);
        app.store.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prosecution_charges_dispositions_and_court_events() {
    for db in backends() {
        let t = team(TestApp::spawn(db).await).await;
        let (app, case) = (&t.app, &t.case);
        let marker = "Qwxzy Vutsr"; // synthetic PII marker: must never reach the audit trail
        let (_, person) = post(
            app,
            &format!("/api/v1/cases/{case}/entities"),
            &t.lead,
            json!({"schema": "Person", "properties": {"name": [marker]}}),
        )
        .await;
        let (_, phone) = post(
            app,
            &format!("/api/v1/cases/{case}/entities"),
            &t.lead,
            json!({"schema": "Phone", "properties": {"number": ["480-555-0142"]}}),
        )
        .await;
        let charges = format!("/api/v1/cases/{case}/charges");
        let ok = json!({"defendant_id": person["id"], "statute": "18 usc 1591(a)", "description": format!("Sex trafficking; victim {marker}"), "trafficking": true, "counts": 2});

        // Unknown statute formats, bad counts and a defendant who is not a Person.
        let with = |k: &str, v: Value| {
            let mut b = ok.clone();
            b[k] = v;
            b
        };
        refused(
            post(
                app,
                &charges,
                &t.prosecutor,
                with("statute", json!("trafficking")),
            )
            .await,
            StatusCode::BAD_REQUEST,
            "statute: names no section number",
        );
        refused(
            post(app, &charges, &t.prosecutor, with("statute", json!("1591"))).await,
            StatusCode::BAD_REQUEST,
            "statute: names no code",
        );
        refused(
            post(
                app,
                &charges,
                &t.prosecutor,
                with("statute", json!("18 U.S.C.")),
            )
            .await,
            StatusCode::BAD_REQUEST,
            "statute",
        );
        refused(
            post(
                app,
                &charges,
                &t.prosecutor,
                with("statute", json!("A.R.S. § 13-1307; DROP TABLE")),
            )
            .await,
            StatusCode::BAD_REQUEST,
            "statute",
        );
        refused(
            post(app, &charges, &t.prosecutor, with("counts", json!(0))).await,
            StatusCode::BAD_REQUEST,
            "counts",
        );
        refused(
            post(app, &charges, &t.prosecutor, with("counts", json!(-2))).await,
            StatusCode::BAD_REQUEST,
            "counts",
        );
        refused(
            post(app, &charges, &t.prosecutor, with("counts", json!(100_000))).await,
            StatusCode::BAD_REQUEST,
            "counts",
        );
        refused(
            post(
                app,
                &charges,
                &t.prosecutor,
                with("defendant_id", phone["id"].clone()),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "defendant_id",
        );
        refused(
            post(
                app,
                &charges,
                &t.prosecutor,
                with("trafficking", json!("yes")),
            )
            .await,
            StatusCode::BAD_REQUEST,
            "trafficking",
        );

        // The prosecutor on the team charges; the analyst on the team may not.
        assert_eq!(
            post(app, &charges, &t.analyst, ok.clone()).await.0,
            StatusCode::FORBIDDEN
        );
        let (s, charge) = post(app, &charges, &t.prosecutor, ok.clone()).await;
        assert_eq!(s, StatusCode::CREATED, "{charge}");
        assert_eq!(charge["statute"], "18 U.S.C. § 1591(a)");
        assert_eq!(charge["known_trafficking_statute"], true);
        assert_eq!(charge["disposition"], "pending");
        let (s, other) = post(app, &charges, &t.lead, json!({"defendant_id": person["id"], "statute": "A.R.S. § 13-2317", "description": "Money laundering", "trafficking": false})).await;
        assert_eq!(s, StatusCode::CREATED, "{other}");

        // Dispositions: once, not pending, not in the future, sentence only with a conviction.
        let disp = format!(
            "/api/v1/cases/{case}/charges/{}/disposition",
            charge["id"].as_str().unwrap()
        );
        refused(
            post(
                app,
                &disp,
                &t.prosecutor,
                json!({"disposition": "pending", "date": "2026-03-01"}),
            )
            .await,
            StatusCode::BAD_REQUEST,
            "disposition",
        );
        refused(
            post(
                app,
                &disp,
                &t.prosecutor,
                json!({"disposition": "guilty", "date": "2026-03-01"}),
            )
            .await,
            StatusCode::BAD_REQUEST,
            "disposition",
        );
        refused(
            post(
                app,
                &disp,
                &t.prosecutor,
                json!({"disposition": "plea", "date": "2027-01-01"}),
            )
            .await,
            StatusCode::BAD_REQUEST,
            "date",
        );
        refused(
            post(
                app,
                &disp,
                &t.prosecutor,
                json!({"disposition": "dismissed", "date": "2026-03-01", "sentence": "5 years"}),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "sentence",
        );
        let (s, decided) = post(
            app,
            &disp,
            &t.prosecutor,
            json!({"disposition": "plea", "date": "2026-03-01", "sentence": "84 months"}),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{decided}");
        assert_eq!(decided["disposition"], "plea");
        refused(
            post(
                app,
                &disp,
                &t.prosecutor,
                json!({"disposition": "acquitted", "date": "2026-03-01"}),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "cannot move from plea",
        );
        // Another case's charge id through this case is not found.
        let bogus = format!(
            "/api/v1/cases/{case}/charges/{}/disposition",
            vigil_types::ChargeId::new_random()
        );
        assert_eq!(
            post(
                app,
                &bogus,
                &t.prosecutor,
                json!({"disposition": "plea", "date": "2026-03-01"})
            )
            .await
            .0,
            StatusCode::NOT_FOUND
        );

        // Court events.
        let events = format!("/api/v1/cases/{case}/court-events");
        refused(
            post(
                app,
                &events,
                &t.prosecutor,
                json!({"kind": "party", "date": "2026-04-01", "court": "Superior Court"}),
            )
            .await,
            StatusCode::BAD_REQUEST,
            "kind",
        );
        refused(
            post(
                app,
                &events,
                &t.prosecutor,
                json!({"kind": "trial", "date": "April", "court": "Superior Court"}),
            )
            .await,
            StatusCode::BAD_REQUEST,
            "date",
        );
        refused(
            post(
                app,
                &events,
                &t.prosecutor,
                json!({"kind": "trial", "date": "2026-04-01", "court": " "}),
            )
            .await,
            StatusCode::BAD_REQUEST,
            "court",
        );
        let (s, ev) = post(app, &events, &t.prosecutor, json!({"kind": "sentencing", "date": "2026-05-12", "court": "U.S. District Court, D. Ariz.", "defendant_id": person["id"]})).await;
        assert_eq!(s, StatusCode::CREATED, "{ev}");

        let (_, view) = app
            .call(
                Method::GET,
                &format!("/api/v1/cases/{case}/prosecution"),
                &t.analyst,
                None,
            )
            .await;
        assert_eq!(view["charges"].as_array().unwrap().len(), 2);
        assert_eq!(view["trafficking_counts"], 2);
        assert_eq!(view["other_counts"], 1);
        assert_eq!(view["court_events"][0]["kind"], "sentencing");

        // The audit trail has the codes of all this, never the description or the name in it.
        let (_, tl) = app
            .call(
                Method::GET,
                &format!("/api/v1/cases/{case}/timeline"),
                &t.lead,
                None,
            )
            .await;
        assert!(tl.to_string().contains("Charge added: 18 U.S.C. § 1591(a)"));
        assert_audit_free_of(app, marker).await;
        app.store.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn joint_operation_need_to_know_workflow_and_outcomes() {
    for db in backends() {
        let app = TestApp::spawn(db).await;
        let a = app.agency("Phoenix PD", AgencyKind::LocalLaw).await;
        let b = app.agency("HSI Phoenix", AgencyKind::FederalLaw).await;
        let c = app.agency("Safe Harbor", AgencyKind::VictimServices).await;
        let d = app.agency("Tempe PD", AgencyKind::LocalLaw).await;
        let cmd = Cred::Bearer(
            app.session(app.user(a, "lt.ramos", Role::Investigator, None).await)
                .await,
        );
        let agent_id = app.user(b, "sa.kim", Role::Investigator, None).await;
        let agent = Cred::Bearer(app.session(agent_id).await);
        let sup_b = Cred::Bearer(
            app.session(app.user(b, "ssa.wu", Role::Supervisor, None).await)
                .await,
        );
        let advocate_id = app.user(c, "adv.ortiz", Role::VictimAdvocate, None).await;
        let advocate = Cred::Bearer(app.session(advocate_id).await);
        let tempe_id = app.user(d, "det.lee", Role::Investigator, None).await;

        let marker = "Lmnop Rstuv"; // must never reach the audit trail
        let base = json!({
            "name": "Operation Lantern",
            "location": format!("Motel row, contact {marker}"),
            "planned_start": "2026-03-05T05:00:00Z",
            "planned_end": "2026-03-05T14:00:00Z",
            "participants": [{"agency_id": b.to_string(), "role": "tactical"}, {"agency_id": c.to_string(), "role": "victim_services"}],
            "victim_services": [{"provider": "Safe Harbor", "agency_id": c.to_string(), "advocates": 3}]
        });
        let with = |k: &str, v: Value| {
            let mut x = base.clone();
            x[k] = v;
            x
        };
        // Bad plans.
        refused(
            post(
                &app,
                "/api/v1/operations",
                &cmd,
                with("planned_start", json!("2026-03-01T05:00:00Z")),
            )
            .await,
            StatusCode::BAD_REQUEST,
            "planned_start",
        );
        refused(
            post(
                &app,
                "/api/v1/operations",
                &cmd,
                with("planned_end", json!("2026-03-05T04:00:00Z")),
            )
            .await,
            StatusCode::BAD_REQUEST,
            "planned_end",
        );
        refused(
            post(
                &app,
                "/api/v1/operations",
                &cmd,
                with("planned_end", json!("2026-04-05T04:00:00Z")),
            )
            .await,
            StatusCode::BAD_REQUEST,
            "planned_end",
        );
        refused(
            post(
                &app,
                "/api/v1/operations",
                &cmd,
                with(
                    "participants",
                    json!([{"agency_id": b.to_string(), "role": "cavalry"}]),
                ),
            )
            .await,
            StatusCode::BAD_REQUEST,
            "participants.role",
        );
        refused(
            post(
                &app,
                "/api/v1/operations",
                &cmd,
                with(
                    "participants",
                    json!([{"agency_id": a.to_string(), "role": "support"}]),
                ),
            )
            .await,
            StatusCode::BAD_REQUEST,
            "participants.agency_id",
        );
        refused(post(&app, "/api/v1/operations", &cmd, with("participants", json!([{"agency_id": vigil_types::AgencyId::new_random().to_string(), "role": "support"}]))).await, StatusCode::BAD_REQUEST, "no such agency");
        refused(
            post(
                &app,
                "/api/v1/operations",
                &cmd,
                with(
                    "victim_services",
                    json!([{"provider": "Safe Harbor", "advocates": -1}]),
                ),
            )
            .await,
            StatusCode::BAD_REQUEST,
            "advocates",
        );
        refused(
            post(
                &app,
                "/api/v1/operations",
                &cmd,
                with(
                    "victim_services",
                    json!([{"provider": "Safe Harbor", "advocates": 100_000}]),
                ),
            )
            .await,
            StatusCode::BAD_REQUEST,
            "advocates",
        );

        let (s, op) = post(&app, "/api/v1/operations", &cmd, base.clone()).await;
        assert_eq!(s, StatusCode::CREATED, "{op}");
        assert_eq!(op["operation"]["status"], "planned");
        assert_eq!(op["roster"][0]["commander"], true);
        assert_eq!(op["participants"].as_array().unwrap().len(), 3);
        let id = op["operation"]["id"].as_str().unwrap().to_owned();
        let path = format!("/api/v1/operations/{id}");

        // Participation alone shows nothing: the agent of B sees it once on the roster.
        assert_eq!(
            app.call(Method::GET, &path, &agent, None).await.0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.call(Method::GET, &path, &sup_b, None).await.0,
            StatusCode::NOT_FOUND
        );
        let (_, listed) = app
            .call(Method::GET, "/api/v1/operations", &agent, None)
            .await;
        assert_eq!(listed["items"].as_array().unwrap().len(), 0);
        for u in [agent_id, advocate_id] {
            let (s, r) = post(
                &app,
                &format!("{path}/roster"),
                &cmd,
                json!({"user_id": u.to_string()}),
            )
            .await;
            assert_eq!(s, StatusCode::CREATED, "{r}");
        }
        // A user whose agency does not take part cannot be rostered.
        refused(
            post(
                &app,
                &format!("{path}/roster"),
                &cmd,
                json!({"user_id": tempe_id.to_string()}),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "does not take part",
        );
        assert_eq!(
            app.call(Method::GET, &path, &agent, None).await.0,
            StatusCode::OK
        );
        let (_, listed) = app
            .call(Method::GET, "/api/v1/operations", &advocate, None)
            .await;
        assert_eq!(listed["items"].as_array().unwrap().len(), 1);
        // A roster member who is not a commander reads but does not run it.
        assert_eq!(
            app.call(
                Method::PATCH,
                &path,
                &agent,
                Some(json!({"location": "elsewhere"}))
            )
            .await
            .0,
            StatusCode::FORBIDDEN
        );

        // A linked case: visible to its readers, counted (not named) for the others.
        let (_, case) = post(
            &app,
            "/api/v1/cases",
            &cmd,
            json!({"number": "PHX-2026-0100", "title": "Motel row", "trafficking_type": "sex"}),
        )
        .await;
        let case_id = case["id"].as_str().unwrap();
        let (s, linked) = post(
            &app,
            &format!("{path}/cases"),
            &cmd,
            json!({"case_id": case_id}),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{linked}");
        assert_eq!(linked["linked_cases"][0], case_id);
        assert_eq!(
            post(
                &app,
                &format!("{path}/cases"),
                &cmd,
                json!({"case_id": case_id})
            )
            .await
            .0,
            StatusCode::CONFLICT
        );
        refused(
            post(
                &app,
                &format!("{path}/cases"),
                &cmd,
                json!({"case_id": "nope"}),
            )
            .await,
            StatusCode::BAD_REQUEST,
            "case_id",
        );
        let (_, seen) = app.call(Method::GET, &path, &agent, None).await;
        assert_eq!(seen["linked_cases"].as_array().unwrap().len(), 0);
        assert_eq!(seen["linked_cases_not_shown"], 1);

        // Workflow: no outcomes while planned; no jumping to completed; completed is final.
        let outcomes = json!({"people_recovered": 4, "minors_recovered": 1, "arrests": 3, "referrals_made": 4});
        refused(
            app.call(
                Method::PUT,
                &format!("{path}/outcomes"),
                &cmd,
                Some(outcomes.clone()),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "under way",
        );
        refused(
            post(
                &app,
                &format!("{path}/status"),
                &cmd,
                json!({"status": "completed"}),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "from planned to completed",
        );
        refused(
            post(
                &app,
                &format!("{path}/status"),
                &cmd,
                json!({"status": "active"}),
            )
            .await,
            StatusCode::BAD_REQUEST,
            "status",
        );
        assert_eq!(
            post(
                &app,
                &format!("{path}/status"),
                &cmd,
                json!({"status": "under_way"})
            )
            .await
            .0,
            StatusCode::OK
        );
        // Outcome counts: negative, absurd, inconsistent, wrong type.
        let mut bad = outcomes.clone();
        bad["arrests"] = json!(-1);
        refused(
            app.call(Method::PUT, &format!("{path}/outcomes"), &cmd, Some(bad))
                .await,
            StatusCode::BAD_REQUEST,
            "arrests",
        );
        let mut bad = outcomes.clone();
        bad["people_recovered"] = json!(1_000_000);
        refused(
            app.call(Method::PUT, &format!("{path}/outcomes"), &cmd, Some(bad))
                .await,
            StatusCode::BAD_REQUEST,
            "people_recovered",
        );
        let mut bad = outcomes.clone();
        bad["minors_recovered"] = json!(9);
        refused(
            app.call(Method::PUT, &format!("{path}/outcomes"), &cmd, Some(bad))
                .await,
            StatusCode::BAD_REQUEST,
            "minors_recovered",
        );
        let mut bad = outcomes.clone();
        bad["referrals_made"] = json!(2.5);
        refused(
            app.call(Method::PUT, &format!("{path}/outcomes"), &cmd, Some(bad))
                .await,
            StatusCode::BAD_REQUEST,
            "referrals_made",
        );
        let (s, done) = app
            .call(
                Method::PUT,
                &format!("{path}/outcomes"),
                &cmd,
                Some(outcomes.clone()),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{done}");
        assert_eq!(done["outcomes"]["arrests"], 3);
        assert_eq!(
            post(
                &app,
                &format!("{path}/status"),
                &cmd,
                json!({"status": "completed"})
            )
            .await
            .0,
            StatusCode::OK
        );
        refused(
            post(
                &app,
                &format!("{path}/status"),
                &cmd,
                json!({"status": "under_way"}),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "cannot move",
        );
        refused(
            app.call(
                Method::PATCH,
                &path,
                &cmd,
                Some(json!({"location": "after the fact"})),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "cannot change",
        );

        // The linked case's timeline tells its team, without the operation's details.
        let (_, tl) = app
            .call(
                Method::GET,
                &format!("/api/v1/cases/{case_id}/timeline"),
                &cmd,
                None,
            )
            .await;
        let kinds: Vec<&str> = tl["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["kind"].as_str().unwrap())
            .collect();
        assert!(
            kinds.contains(&"operation.linked")
                && kinds.contains(&"operation.outcomes")
                && kinds.contains(&"operation.status"),
            "{kinds:?}"
        );
        assert_audit_free_of(&app, marker).await;
        app.store.close().await;
    }
}
