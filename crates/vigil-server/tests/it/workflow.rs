//! A case from opening to referral through the API, then the audit trail: every step is there,
//! it verifies, and it holds ids, never the names, dates or notes typed into the case.

use crate::support::{backends, Cred, TestApp};
use axum::http::{Method, StatusCode};
use serde_json::json;
use vigil_core::{AgencyKind, Role};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn case_lifecycle_is_audited_and_audit_holds_no_personal_data() {
    for db in backends() {
        let app = TestApp::spawn(db).await;
        let a = app.agency("Phoenix PD", AgencyKind::LocalLaw).await;
        let b = app
            .agency("Maricopa County Attorney", AgencyKind::Prosecutor)
            .await;
        let lead = app.user(a, "j.rivera", Role::Investigator, None).await;
        let sup = app.user(a, "sgt.okafor", Role::Supervisor, None).await;
        let dda = app.user(b, "dda.chen", Role::Prosecutor, None).await;
        let lead_c = Cred::Bearer(app.session(lead).await);
        let dda_c = Cred::Bearer(app.session(dda).await);

        let (s, case) = app.call(Method::POST, "/api/v1/cases", &lead_c, Some(json!({"number": "PHX-2026-0042", "title": "Spa network on Indian School Rd", "trafficking_type": "both"}))).await;
        assert_eq!(s, StatusCode::CREATED, "{case}");
        let id = case["id"].as_str().unwrap().to_owned();
        let marker_name = "Zyxwv Qutsrp"; // synthetic PII marker: must never reach the audit trail
        let (s, person) = app.call(Method::POST, &format!("/api/v1/cases/{id}/entities"), &lead_c, Some(json!({"schema": "Person", "properties": {"name": [marker_name], "birthDate": ["1990-04-17"]}}))).await;
        assert_eq!(s, StatusCode::CREATED, "{person}");
        let (_, phone) = app
            .call(
                Method::POST,
                &format!("/api/v1/cases/{id}/entities"),
                &lead_c,
                Some(json!({"schema": "Phone", "properties": {"number": ["480-555-0142"]}})),
            )
            .await;
        let (s, _) = app.call(Method::POST, &format!("/api/v1/cases/{id}/links"), &lead_c, Some(json!({"source_id": person["id"], "target_id": phone["id"], "link_type": "uses"}))).await;
        assert_eq!(s, StatusCode::CREATED);
        let (s, _) = app
            .call(
                Method::POST,
                &format!("/api/v1/cases/{id}/notes"),
                &lead_c,
                Some(json!({"body": format!("{marker_name} said she was moved from Tucson.")})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        let (s, task) = app
            .call(
                Method::POST,
                &format!("/api/v1/cases/{id}/tasks"),
                &lead_c,
                Some(json!({"title": "Subpoena phone records", "due_at": "2026-03-01"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        assert_eq!(task["overdue"], true, "due yesterday on the test clock");

        // The prosecutor from another agency sees nothing until added to the team.
        assert_eq!(
            app.call(Method::GET, &format!("/api/v1/cases/{id}"), &dda_c, None)
                .await
                .0,
            StatusCode::NOT_FOUND
        );
        let (s, _) = app
            .call(
                Method::POST,
                &format!("/api/v1/cases/{id}/team"),
                &lead_c,
                Some(json!({"user_id": dda.to_string()})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        let (s, detail) = app
            .call(Method::GET, &format!("/api/v1/cases/{id}"), &dda_c, None)
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(detail["counts"]["entities"], 2);
        assert_eq!(
            app.call(
                Method::POST,
                &format!("/api/v1/cases/{id}/entities"),
                &dda_c,
                Some(json!({"schema": "Phone", "properties": {"number": ["480-555-0199"]}}))
            )
            .await
            .0,
            StatusCode::FORBIDDEN
        );

        // Workflow.
        assert_eq!(
            app.call(
                Method::POST,
                &format!("/api/v1/cases/{id}/status"),
                &lead_c,
                Some(json!({"status": "referred_for_prosecution"}))
            )
            .await
            .0,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        for next in ["active", "referred_for_prosecution"] {
            let (s, c) = app
                .call(
                    Method::POST,
                    &format!("/api/v1/cases/{id}/status"),
                    &lead_c,
                    Some(json!({"status": next})),
                )
                .await;
            assert_eq!((s, c["status"].as_str()), (StatusCode::OK, Some(next)));
        }
        let (_, timeline) = app
            .call(
                Method::GET,
                &format!("/api/v1/cases/{id}/timeline"),
                &lead_c,
                None,
            )
            .await;
        let kinds: Vec<&str> = timeline["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["kind"].as_str().unwrap())
            .collect();
        assert_eq!(
            kinds,
            [
                "case.created",
                "entity.created",
                "entity.created",
                "link.created",
                "note.created",
                "task.created",
                "case.status",
                // --- ops: becoming active starts the victim-identification checklist (T5).
                "protocol.started",
                "case.status"
            ]
        );

        // The supervisor's export has every step; none of it carries the marker or the DOB.
        let sup_c = Cred::Bearer(app.session(sup).await);
        let (s, headers, _) = app
            .call_raw(Method::GET, "/api/v1/audit/export", &sup_c, None, None)
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(headers.get("content-type").unwrap(), "application/x-ndjson");
        let export = app
            .store
            .audit_search(&vigil_store::audit::AuditQuery {
                after_seq: Some(0),
                limit: 10_000,
                ..Default::default()
            })
            .await
            .unwrap();
        let all: String = export.iter().map(|e| format!("{:?}", e.event)).collect();
        assert!(
            !all.contains("Zyxwv") && !all.contains("1990-04-17") && !all.contains("Tucson"),
            "audit payloads must hold ids only"
        );
        let actions: Vec<&str> = export.iter().map(|e| e.event.action.as_str()).collect();
        for want in [
            "case.create",
            "entity.create",
            "link.create",
            "note.create",
            "task.create",
            "case.team.add",
            "case.read",
            "case.status",
        ] {
            assert!(actions.contains(&want), "missing {want} in {actions:?}");
        }
        assert!(
            export.iter().any(|e| e.event.action == "case.read"
                && e.event.outcome == vigil_audit::Outcome::Denied),
            "the prosecutor's first attempt is a recorded denial"
        );
        let report = app.store.audit_verify(None, |_| {}).await.unwrap();
        assert_eq!(report.events as usize, export.len());
        app.store.close().await;
    }
}
