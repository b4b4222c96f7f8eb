//! A3/A4 and N2/N3 in Vigil: stored ads are listed, searched, read and clustered only within the
//! cases the caller may see; link charts pseudonymise victims for everyone but advocates.

use crate::support::{backends, Cred, TestApp};
use axum::http::Method;
use serde_json::Value;
use vigil_core::entity::{LinkType, Schema};
use vigil_core::{AgencyKind, CaseStatus, Role, Sensitivity, TraffickingType};
use vigil_store::ads::{self, AdSelector, NewAd};
use vigil_store::cases::{self, Case};
use vigil_store::content::{self, Entity, Link};
use vigil_types::{CaseId, CaseNumber, Clock, EntityId, LinkId, UserId};

/// A synthetic name that must never reach a caller who may not see victim identity.
const VICTIM_NAME: &str = "Zyxwa Marker-Victim";

async fn case(app: &TestApp, agency: vigil_types::AgencyId, lead: UserId, n: &str) -> CaseId {
    let now = app.clock.now();
    let c = Case {
        id: CaseId::new_random(),
        agency_id: agency,
        number: CaseNumber::parse(n).unwrap(),
        title: "Massage parlour network".into(),
        trafficking_type: TraffickingType::Sex,
        status: CaseStatus::Open,
        sensitivity: Sensitivity::Normal,
        created_by: lead,
        created_at: now,
        updated_at: now,
    };
    let id = c.id;
    app.store
        .write(move |mut ctx| async move {
            let r = cases::insert(&mut ctx, &c).await;
            (ctx, r)
        })
        .await
        .unwrap();
    id
}

fn ad(case: CaseId, by: UserId, digest: &str, phone: &str, text: &str, score_milli: i64) -> NewAd {
    let now = vigil_types::Timestamp::from_unix_micros(1_700_000_000_000_000);
    let entity = Entity {
        id: EntityId::new_random(),
        case_id: case,
        schema: Schema::OnlineAd,
        caption: "ad".into(),
        properties: [("text".to_owned(), vec![text.to_owned()])]
            .into_iter()
            .collect(),
        created_by: by,
        created_at: now,
        updated_at: now,
    };
    let features = serde_json::json!({
        "id": "x", "title": "", "text": "", "posted_at": 1_700_000_000, "city": "Phoenix",
        "selectors": [{"kind": "phone", "value": phone, "span": null, "obfuscated": false}],
        "obfuscated_phone": false, "stated_ages": []
    });
    NewAd {
        entity,
        content_sha256: digest.into(),
        feed_id: digest.into(),
        source: None,
        url: None,
        posted_at: Some(1_700_000_000),
        location: Some("Phoenix".into()),
        title: "New in town".into(),
        body: text.into(),
        score_milli,
        urgent_review: false,
        weight_set: "test v1".into(),
        features: features.to_string(),
        explanation: r#"{"score":0,"contributions":[]}"#.into(),
        selectors: vec![AdSelector {
            kind: "phone".into(),
            value: phone.into(),
            obfuscated: false,
        }],
    }
}

async fn store_ads(
    app: &TestApp,
    case: CaseId,
    by: UserId,
    batch: Vec<NewAd>,
) -> ads::BatchOutcome {
    app.store
        .write(move |mut ctx| async move {
            let r = ads::insert_batch(&mut ctx, case, by, batch).await;
            (ctx, r)
        })
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ads_are_deduplicated_searched_and_clustered_within_what_the_caller_sees() {
    for db in backends() {
        let app = TestApp::spawn(db).await;
        let a = app.agency("Phoenix PD", AgencyKind::LocalLaw).await;
        let b = app.agency("Tucson PD", AgencyKind::LocalLaw).await;
        let lead = app.user(a, "lead.a", Role::Investigator, None).await;
        let other = app.user(b, "lead.b", Role::Investigator, None).await;
        let ca = case(&app, a, lead, "A-1").await;
        let cb = case(&app, b, other, "B-1").await;
        let text = "Sweet new girl in town, upscale companionship, call now for specials tonight";
        let first = store_ads(
            &app,
            ca,
            lead,
            vec![
                ad(ca, lead, "d1", "+14805550142", text, 2_500),
                ad(
                    ca,
                    lead,
                    "d2",
                    "+14805550142",
                    "Completely different wording about a used car for sale",
                    500,
                ),
                ad(ca, lead, "d1", "+14805550142", text, 2_500),
            ],
        )
        .await;
        assert_eq!((first.stored, first.duplicates), (2, 1));
        // Re-import: nothing new.
        let again = store_ads(
            &app,
            ca,
            lead,
            vec![ad(ca, lead, "d1", "+14805550142", text, 2_500)],
        )
        .await;
        assert_eq!((again.stored, again.duplicates), (0, 1));
        store_ads(
            &app,
            cb,
            other,
            vec![ad(cb, other, "d1", "+14805550142", text, 3_000)],
        )
        .await;

        let me = Cred::Bearer(app.session(lead).await);
        let (s, page) = app
            .call(
                Method::GET,
                "/api/v1/ads?selector=(480)%20555-0142",
                &me,
                None,
            )
            .await;
        assert_eq!(s.as_u16(), 200, "{page}");
        let items = page["items"].as_array().unwrap();
        assert_eq!(items.len(), 2, "only case A's ads: {page}");
        assert!(items.iter().all(|i| i["case_id"] == ca.to_string()));
        assert!(page["statement"].as_str().unwrap().contains("not evidence"));

        let (_, high) = app
            .call(
                Method::GET,
                &format!("/api/v1/cases/{ca}/ads?min_score=2&q=UPSCALE"),
                &me,
                None,
            )
            .await;
        assert_eq!(high["items"].as_array().unwrap().len(), 1, "{high}");
        let id = high["items"][0]["id"].as_str().unwrap().to_owned();
        assert_eq!(high["items"][0]["score"], 2.5);

        let (s, one) = app
            .call(Method::GET, &format!("/api/v1/ads/{id}"), &me, None)
            .await;
        assert_eq!(s.as_u16(), 200, "{one}");
        assert_eq!(one["text"], text);
        assert_eq!(one["ad"]["selectors"][0]["value"], "+14805550142");
        assert!(one["explanation"].is_object());

        // Case B's ad is invisible to A's lead: 404, like a missing one.
        let (_, theirs) = app
            .call(
                Method::GET,
                "/api/v1/ads",
                &Cred::Bearer(app.session(other).await),
                None,
            )
            .await;
        let their_id = theirs["items"][0]["id"].as_str().unwrap().to_owned();
        let (s, _) = app
            .call(Method::GET, &format!("/api/v1/ads/{their_id}"), &me, None)
            .await;
        assert_eq!(s.as_u16(), 404);

        // The two case-A ads share a phone: one operation, with the link explained.
        let (s, ops) = app
            .call(Method::GET, "/api/v1/ads/operations", &me, None)
            .await;
        assert_eq!(s.as_u16(), 200, "{ops}");
        assert_eq!(ops["cases"], 1);
        let list = ops["operations"].as_array().unwrap();
        assert_eq!(list.len(), 1, "{ops}");
        assert_eq!(list[0]["size"], 2);
        assert_eq!(list[0]["links"][0]["reason"]["kind"], "selector");

        // Bad parameters are named.
        for (q, field) in [
            ("min_score=high", "min_score"),
            ("limit=0", "limit"),
            ("urgent=maybe", "urgent"),
            ("colour=red", "colour"),
        ] {
            let (s, e) = app
                .call(Method::GET, &format!("/api/v1/ads?{q}"), &me, None)
                .await;
            assert_eq!(s.as_u16(), 400, "{q}: {e}");
            assert!(
                e["error"]["message"].as_str().unwrap().contains(field),
                "{e}"
            );
        }
        let (s, _) = app
            .call(
                Method::GET,
                "/api/v1/ads/operations?threshold=1.5",
                &me,
                None,
            )
            .await;
        assert_eq!(s.as_u16(), 400);
        app.store.close().await;
    }
}

fn person(case: CaseId, by: UserId, name: &str, role: &str) -> Entity {
    let now = vigil_types::Timestamp::from_unix_micros(1_700_000_000_000_000);
    Entity {
        id: EntityId::new_random(),
        case_id: case,
        schema: Schema::Person,
        caption: name.into(),
        properties: [
            ("name".to_owned(), vec![name.to_owned()]),
            ("htcdsRole".to_owned(), vec![role.to_owned()]),
        ]
        .into_iter()
        .collect(),
        created_by: by,
        created_at: now,
        updated_at: now,
    }
}

fn link(case: CaseId, by: UserId, s: EntityId, t: EntityId, ty: LinkType) -> Link {
    Link {
        id: LinkId::new_random(),
        case_id: case,
        source_id: s,
        target_id: t,
        link_type: ty,
        description: None,
        created_by: by,
        created_at: vigil_types::Timestamp::from_unix_micros(1_700_000_000_000_000),
    }
}

fn node<'a>(graph: &'a Value, id: &str) -> &'a Value {
    graph["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == id)
        .unwrap_or_else(|| panic!("no node {id} in {graph}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn link_charts_pseudonymise_victims_except_for_advocates() {
    for db in backends() {
        let app = TestApp::spawn(db).await;
        let a = app.agency("Phoenix PD", AgencyKind::LocalLaw).await;
        let ngo = app.agency("Safe Harbor", AgencyKind::VictimServices).await;
        let lead = app.user(a, "lead.a", Role::Investigator, None).await;
        let advocate = app
            .user(ngo, "advocate.c", Role::VictimAdvocate, None)
            .await;
        let c = case(&app, a, lead, "A-7").await;
        let suspect = person(c, lead, "Rex Synthetic", "suspected_perpetrator");
        let victim = person(c, lead, VICTIM_NAME, "victim");
        let now = app.clock.now();
        let phone = Entity {
            id: EntityId::new_random(),
            case_id: c,
            schema: Schema::Phone,
            caption: "+14805550150".into(),
            properties: [("number".to_owned(), vec!["+14805550150".to_owned()])]
                .into_iter()
                .collect(),
            created_by: lead,
            created_at: now,
            updated_at: now,
        };
        let l1 = link(c, lead, suspect.id, phone.id, LinkType::Uses);
        let l2 = link(c, lead, victim.id, phone.id, LinkType::Uses);
        let (sid, vid, pid, l1id) = (suspect.id, victim.id, phone.id, l1.id);
        app.store
            .write(move |mut ctx| async move {
                let r = async {
                    cases::add_member(&mut ctx, c, advocate, false).await?;
                    for e in [&suspect, &victim, &phone] {
                        content::insert_entity(&mut ctx, e).await?;
                    }
                    content::insert_link(&mut ctx, &l1).await?;
                    content::insert_link(&mut ctx, &l2).await
                }
                .await;
                (ctx, r)
            })
            .await
            .unwrap();
        // Two ads of the case share a phone: a selector node joins them.
        store_ads(
            &app,
            c,
            lead,
            vec![
                ad(c, lead, "g1", "+14805550199", "first ad text here", 0),
                ad(c, lead, "g2", "+14805550199", "second ad other words", 0),
            ],
        )
        .await;

        let lead_cred = Cred::Bearer(app.session(lead).await);
        let (s, g) = app
            .call(
                Method::GET,
                &format!("/api/v1/cases/{c}/graph"),
                &lead_cred,
                None,
            )
            .await;
        assert_eq!(s.as_u16(), 200, "{g}");
        let text = g.to_string();
        assert!(
            !text.contains(VICTIM_NAME) && !text.contains(&vid.to_string()),
            "victim leaked: {text}"
        );
        let hidden: Vec<&Value> = g["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["pseudonymised"] == true)
            .collect();
        assert_eq!(hidden.len(), 1);
        let pseudonym = hidden[0]["id"].as_str().unwrap().to_owned();
        assert!(pseudonym.starts_with("victim-"));
        assert_eq!(hidden[0]["type"], "Person");
        // Stable across requests.
        let (_, g2) = app
            .call(Method::GET, "/api/v1/graph", &lead_cred, None)
            .await;
        assert!(g2["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["id"] == pseudonym.as_str()));
        // Metrics and records: the phone is the hub; each link edge names its link record.
        let hub = node(&g, &pid.to_string());
        assert_eq!(hub["metrics"]["degree"], 2);
        assert!(g["edges"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["record_id"] == l1id.to_string() && e["type"] == "uses"));
        assert!(g["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["id"] == "selector:phone:+14805550199"));
        assert!(!g["communities"].as_array().unwrap().is_empty());

        // Paths reach the victim through the pseudonym; the path never shows the name.
        let (s, p) = app
            .call(
                Method::GET,
                &format!("/api/v1/cases/{c}/graph/path?from={sid}&to={pseudonym}"),
                &lead_cred,
                None,
            )
            .await;
        assert_eq!(s.as_u16(), 200, "{p}");
        assert_eq!(p["paths"][0]["nodes"].as_array().unwrap().len(), 3);
        assert_eq!(p["paths"][0]["cost"], 2.0);
        assert!(!p.to_string().contains(VICTIM_NAME));
        // The real id of a pseudonymised victim is not a node of the lead's graph.
        let (s, e) = app
            .call(
                Method::GET,
                &format!("/api/v1/graph/path?from={sid}&to={vid}"),
                &lead_cred,
                None,
            )
            .await;
        assert_eq!(s.as_u16(), 422, "{e}");
        assert!(e["error"]["message"].as_str().unwrap().starts_with("to:"));
        let (s, e) = app
            .call(
                Method::GET,
                &format!("/api/v1/cases/{c}/graph/path?from={sid}"),
                &lead_cred,
                None,
            )
            .await;
        assert_eq!(s.as_u16(), 400, "{e}");
        let (s, ego) = app
            .call(
                Method::GET,
                &format!("/api/v1/cases/{c}/graph/ego?node={pid}&hops=1"),
                &lead_cred,
                None,
            )
            .await;
        assert_eq!(s.as_u16(), 200, "{ego}");
        assert_eq!(ego["nodes"].as_array().unwrap().len(), 3);
        assert_eq!(ego["edges"].as_array().unwrap().len(), 2);
        let (s, _) = app
            .call(
                Method::GET,
                &format!("/api/v1/cases/{c}/graph/ego?node={pid}&hops=9"),
                &lead_cred,
                None,
            )
            .await;
        assert_eq!(s.as_u16(), 400);

        // The victim advocate on the team sees the person.
        let adv = Cred::Bearer(app.session(advocate).await);
        let (s, g) = app
            .call(Method::GET, &format!("/api/v1/cases/{c}/graph"), &adv, None)
            .await;
        assert_eq!(s.as_u16(), 200, "{g}");
        let v = node(&g, &vid.to_string());
        assert_eq!(v["label"], VICTIM_NAME);
        assert_eq!(v["pseudonymised"], false);

        // Audit events carry counts, never the name.
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
        assert!(all.contains("graph.read") && !all.contains(VICTIM_NAME));
        app.store.close().await;
    }
}
