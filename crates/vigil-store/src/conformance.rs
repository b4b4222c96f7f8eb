//! The backend conformance suite: a backend is finished when all of this passes. The crate's
//! integration tests run it against SQLite and (when `VIGIL_TEST_POSTGRES_URL` is set) PostgreSQL.

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

use crate::agencies::{self, Agency};
use crate::audit::AuditQuery;
use crate::cases::{self, Case};
use crate::content::{self, Entity, Link};
use crate::sessions::{self, Session, Stage};
use crate::users::{self, User};
use crate::{AuditDraft, Backend, Store, StoreConfig, StoreError};
use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use vigil_audit::{Outcome, Tamper};
use vigil_core::auth::lockout::Lockout;
use vigil_core::entity::{LinkType, Schema};
use vigil_core::{AgencyKind, CaseStatus, Role, Sensitivity, TraffickingType};
use vigil_types::{
    AgencyId, CaseId, CaseNumber, Clock, EntityId, LinkId, TestClock, UserId, Username,
};

/// Opens a fresh, empty store; returns it with the config that reopens the same database.
pub trait Fresh {
    fn fresh(&self) -> impl Future<Output = (Store, StoreConfig, TestClock)> + Send;
}

/// Runs every conformance check, each on a fresh store.
pub async fn run(f: &impl Fresh) {
    constraint_errors_map_alike(f).await;
    case_facts_and_candidates(f).await;
    status_workflow_is_enforced(f).await;
    failed_job_rolls_back_with_its_audit_events(f).await;
    concurrent_writes_keep_a_gapless_verifiable_chain(f).await;
    audit_is_append_only(f).await;
    tampering_is_detected_at_the_right_position(f).await;
    reopen_continues_the_chain(f).await;
    sessions_and_totp_replay(f).await;
    inactive_accounts_are_disabled(f).await;
    case_content_round_trips(f).await;
    audit_search_filters(f).await;
    // --- evidence
    evidence_is_idempotent_and_immutable(f).await;
}

pub(crate) fn draft(action: &str, agency: Option<AgencyId>) -> AuditDraft {
    AuditDraft {
        actor_user: None,
        actor_agency: agency,
        action: action.into(),
        object_kind: "test".into(),
        object_id: None,
        object_agency: agency,
        outcome: Outcome::Success,
        detail: String::new(),
    }
}

async fn seed_agency(store: &Store, name: &str) -> AgencyId {
    let a = Agency {
        id: AgencyId::new_random(),
        name: name.into(),
        short_code: name
            .to_uppercase()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(8)
            .collect(),
        kind: AgencyKind::LocalLaw,
        created_at: store.clock().now(),
    };
    let id = a.id;
    store
        .write(move |mut ctx| async move {
            let r = agencies::insert(&mut ctx, &a).await;
            (ctx, r)
        })
        .await
        .unwrap();
    id
}

fn user(agency: AgencyId, name: &str, role: Role, now: vigil_types::Timestamp) -> User {
    User {
        id: UserId::new_random(),
        agency_id: agency,
        username: Username::parse(name).unwrap(),
        display_name: name.into(),
        role,
        password_hash: "$argon2id$placeholder".into(),
        totp_secret: None,
        totp_pending_secret: None,
        totp_last_step: None,
        lockout: Lockout::default(),
        disabled: false,
        created_at: now,
        last_login_at: None,
    }
}

async fn seed_user(store: &Store, agency: AgencyId, name: &str, role: Role) -> UserId {
    let u = user(agency, name, role, store.clock().now());
    let id = u.id;
    store
        .write(move |mut ctx| async move {
            let r = users::insert(&mut ctx, &u).await;
            (ctx, r)
        })
        .await
        .unwrap();
    id
}

fn case(agency: AgencyId, by: UserId, number: &str, now: vigil_types::Timestamp) -> Case {
    Case {
        id: CaseId::new_random(),
        agency_id: agency,
        number: CaseNumber::parse(number).unwrap(),
        title: "Massage parlour network".into(),
        trafficking_type: TraffickingType::Sex,
        status: CaseStatus::Open,
        sensitivity: Sensitivity::Normal,
        created_by: by,
        created_at: now,
        updated_at: now,
    }
}

async fn seed_case(store: &Store, agency: AgencyId, by: UserId, number: &str) -> CaseId {
    let c = case(agency, by, number, store.clock().now());
    let id = c.id;
    store
        .write(move |mut ctx| async move {
            let r = cases::insert(&mut ctx, &c).await;
            (ctx, r)
        })
        .await
        .unwrap();
    id
}

async fn audit_n(store: &Store, n: usize) {
    for i in 0..n {
        store
            .write(move |mut ctx| async move {
                let r = ctx
                    .audit(draft(&format!("test.{i}"), None))
                    .await
                    .map(|_| ());
                (ctx, r)
            })
            .await
            .unwrap();
    }
}

async fn constraint_errors_map_alike(f: &impl Fresh) {
    let (store, _, _) = f.fresh().await;
    let a = seed_agency(&store, "Phoenix PD").await;
    let u = seed_user(&store, a, "j.rivera", Role::Investigator).await;
    seed_case(&store, a, u, "PHX-2026-0001").await;
    let dup = case(a, u, "PHX-2026-0001", store.clock().now());
    let err = store
        .write(move |mut ctx| async move {
            let r = cases::insert(&mut ctx, &dup).await;
            (ctx, r)
        })
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Conflict(rule) if rule.contains("case with this number")),
        "{err:?}"
    );

    let dup_user = user(a, "j.rivera", Role::Analyst, store.clock().now());
    let err = store
        .write(move |mut ctx| async move {
            let r = users::insert(&mut ctx, &dup_user).await;
            (ctx, r)
        })
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Conflict(rule) if rule.contains("username")),
        "{err:?}"
    );

    let orphan = user(
        AgencyId::new_random(),
        "orphan",
        Role::Analyst,
        store.clock().now(),
    );
    let err = store
        .write(move |mut ctx| async move {
            let r = users::insert(&mut ctx, &orphan).await;
            (ctx, r)
        })
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::MissingReference), "{err:?}");
    store.close().await;
}

async fn case_facts_and_candidates(f: &impl Fresh) {
    let (store, _, _) = f.fresh().await;
    let a = seed_agency(&store, "Phoenix PD").await;
    let b = seed_agency(&store, "HSI Phoenix").await;
    let lead = seed_user(&store, a, "lead.a", Role::Investigator).await;
    let other = seed_user(&store, b, "agent.b", Role::Investigator).await;
    let c1 = seed_case(&store, a, lead, "A-1").await;
    let c2 = seed_case(&store, b, other, "B-1").await;
    store
        .write(move |mut ctx| async move {
            let r = cases::add_member(&mut ctx, c2, lead, false).await;
            (ctx, r)
        })
        .await
        .unwrap();
    let facts = store.case_facts(c1).await.unwrap().unwrap();
    assert_eq!(facts.owner, a);
    assert_eq!(facts.team.len(), 1);
    assert!(facts.team[0].lead && facts.team[0].user == lead);
    assert!(store
        .case_facts(CaseId::new_random())
        .await
        .unwrap()
        .is_none());
    let mut seen: Vec<CaseId> = store
        .case_candidates(lead, a)
        .await
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    seen.sort();
    let mut want = vec![c1, c2];
    want.sort();
    assert_eq!(seen, want);
    let other_sees: Vec<CaseId> = store
        .case_candidates(other, b)
        .await
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(other_sees, vec![c2]);
    // The last lead cannot leave.
    let err = store
        .write(move |mut ctx| async move {
            let r = cases::remove_member(&mut ctx, c1, lead).await;
            (ctx, r)
        })
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Rejected(_)));
    store.close().await;
}

async fn status_workflow_is_enforced(f: &impl Fresh) {
    let (store, _, _) = f.fresh().await;
    let a = seed_agency(&store, "Phoenix PD").await;
    let u = seed_user(&store, a, "j.rivera", Role::Investigator).await;
    let c = seed_case(&store, a, u, "A-1").await;
    let set = |next| {
        let store = store.clone();
        async move {
            store
                .write(move |mut ctx| async move {
                    let r = cases::set_status(&mut ctx, c, u, next).await;
                    (ctx, r)
                })
                .await
        }
    };
    assert!(matches!(
        set(CaseStatus::ReferredForProsecution).await,
        Err(StoreError::Rejected(_))
    ));
    assert_eq!(set(CaseStatus::Active).await.unwrap(), CaseStatus::Open);
    assert_eq!(
        set(CaseStatus::ReferredForProsecution).await.unwrap(),
        CaseStatus::Active
    );
    assert_eq!(
        store.case(c).await.unwrap().unwrap().status,
        CaseStatus::ReferredForProsecution
    );
    let timeline = store.timeline(c).await.unwrap();
    assert_eq!(
        timeline.iter().filter(|e| e.kind == "case.status").count(),
        2
    );
    store.close().await;
}

async fn failed_job_rolls_back_with_its_audit_events(f: &impl Fresh) {
    let (store, _, _) = f.fresh().await;
    audit_n(&store, 3).await;
    let err = store
        .write(|mut ctx| async move {
            let seq = ctx.audit(draft("doomed", None)).await;
            assert!(seq.is_ok());
            let r: Result<(), StoreError> =
                Err(StoreError::Rejected("refused after auditing".into()));
            (ctx, r)
        })
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Rejected(_)));
    audit_n(&store, 1).await;
    let report = store.audit_verify(None, |_| {}).await.unwrap();
    assert_eq!(
        report.events, 4,
        "the failed job's event must not be in the log"
    );
    let doomed = store
        .audit_search(&AuditQuery {
            action_prefix: Some("doomed".into()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(doomed.is_empty());
    store.close().await;
}

async fn concurrent_writes_keep_a_gapless_verifiable_chain(f: &impl Fresh) {
    let (store, _, clock) = f.fresh().await;
    let mut handles = Vec::new();
    for i in 0..1100usize {
        let s = store.clone();
        let clock = clock.clone();
        handles.push(tokio::spawn(async move {
            clock.advance(std::time::Duration::from_micros(10));
            s.write(move |mut ctx| async move {
                let r = ctx.audit(draft(&format!("burst.{i}"), None)).await;
                (ctx, r)
            })
            .await
        }));
    }
    let mut seqs = Vec::new();
    for h in handles {
        seqs.push(h.await.unwrap().unwrap());
    }
    seqs.sort_unstable();
    assert_eq!(
        seqs,
        (1..=1100).collect::<Vec<u64>>(),
        "positions are gapless and unique"
    );
    let report = store.audit_verify(None, |_| {}).await.unwrap();
    assert_eq!(report.events, 1100);
    assert!(
        report.checkpoints >= 1,
        "a checkpoint is stored every 1000 events"
    );
    // Times never go backwards along the chain.
    let events = store
        .audit_search(&AuditQuery {
            after_seq: Some(0),
            limit: 2000,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(events.windows(2).all(|w| w[0].event.at <= w[1].event.at));
    store.close().await;
}

async fn audit_is_append_only(f: &impl Fresh) {
    let (store, _, _) = f.fresh().await;
    audit_n(&store, 2).await;
    let upd = sqlx::query("UPDATE audit_events SET detail = 'x' WHERE seq = 1")
        .execute(store.reader())
        .await;
    assert!(
        upd.is_err(),
        "UPDATE of an audit event must be refused by the database"
    );
    let del = sqlx::query("DELETE FROM audit_events WHERE seq = 2")
        .execute(store.reader())
        .await;
    assert!(
        del.is_err(),
        "DELETE of an audit event must be refused by the database"
    );
    assert_eq!(store.audit_verify(None, |_| {}).await.unwrap().events, 2);
    store.close().await;
}

/// Drops the append-only guards the way an attacker with database access could.
async fn disable_guards(store: &Store) {
    let statements: &[&str] = match store.backend() {
        Backend::Sqlite => &[
            "DROP TRIGGER audit_events_no_update",
            "DROP TRIGGER audit_events_no_delete",
        ],
        Backend::Postgres => &["ALTER TABLE audit_events DISABLE TRIGGER USER"],
    };
    for s in statements {
        sqlx::query(s).execute(store.reader()).await.unwrap();
    }
}

async fn tampering_is_detected_at_the_right_position(f: &impl Fresh) {
    // Edit one byte of one event.
    let (store, _, _) = f.fresh().await;
    audit_n(&store, 10).await;
    disable_guards(&store).await;
    sqlx::query("UPDATE audit_events SET action = 'test.X' WHERE seq = 4")
        .execute(store.reader())
        .await
        .unwrap();
    let err = store.audit_verify(None, |_| {}).await.unwrap_err();
    assert!(
        matches!(
            err,
            crate::audit::VerifyError::Tampered(Tamper::LeafMismatch { seq: 4 })
        ),
        "{err:?}"
    );
    store.close().await;

    // Delete one event.
    let (store, _, _) = f.fresh().await;
    audit_n(&store, 10).await;
    disable_guards(&store).await;
    sqlx::query("DELETE FROM audit_events WHERE seq = 6")
        .execute(store.reader())
        .await
        .unwrap();
    let err = store.audit_verify(None, |_| {}).await.unwrap_err();
    assert!(
        matches!(
            err,
            crate::audit::VerifyError::Tampered(Tamper::Gap {
                expected: 6,
                found: 7
            })
        ),
        "{err:?}"
    );
    store.close().await;

    // Swap two events' contents (keeping positions): caught as an edit at the first of them.
    let (store, _, _) = f.fresh().await;
    audit_n(&store, 10).await;
    disable_guards(&store).await;
    sqlx::query("UPDATE audit_events SET action = CASE seq WHEN 2 THEN 'test.2' ELSE 'test.1' END WHERE seq IN (2, 3)")
        .execute(store.reader())
        .await
        .unwrap();
    let err = store.audit_verify(None, |_| {}).await.unwrap_err();
    assert!(
        matches!(
            err,
            crate::audit::VerifyError::Tampered(Tamper::LeafMismatch { seq: 2 })
        ),
        "{err:?}"
    );
    store.close().await;

    // Truncate the tail: caught against a head recorded elsewhere.
    let (store, _, _) = f.fresh().await;
    audit_n(&store, 10).await;
    let head = store.audit_verify(None, |_| {}).await.unwrap().head;
    disable_guards(&store).await;
    sqlx::query("DELETE FROM audit_events WHERE seq > 7")
        .execute(store.reader())
        .await
        .unwrap();
    let err = store.audit_verify(Some(head), |_| {}).await.unwrap_err();
    assert!(
        matches!(
            err,
            crate::audit::VerifyError::Tampered(Tamper::Truncated { last: 7, seq: 10 })
        ),
        "{err:?}"
    );
    store.close().await;
}

async fn reopen_continues_the_chain(f: &impl Fresh) {
    let (store, config, clock) = f.fresh().await;
    audit_n(&store, 5).await;
    store.close().await;
    let reopened = Store::open(&config, Arc::new(clock)).await.unwrap();
    audit_n(&reopened, 5).await;
    assert_eq!(
        reopened.audit_verify(None, |_| {}).await.unwrap().events,
        10
    );
    reopened.close().await;
}

async fn sessions_and_totp_replay(f: &impl Fresh) {
    let (store, _, clock) = f.fresh().await;
    let a = seed_agency(&store, "Phoenix PD").await;
    let u = seed_user(&store, a, "j.rivera", Role::Investigator).await;
    let s = Session {
        token_hash: "h1".into(),
        user_id: u,
        csrf_hash: "c1".into(),
        stage: Stage::Full,
        created_at: clock.now(),
        last_seen_at: clock.now(),
        ended: false,
        auth_at: Some(clock.now()),
    };
    store
        .write(move |mut ctx| async move {
            let r = sessions::insert_session(&mut ctx, &s).await;
            (ctx, r)
        })
        .await
        .unwrap();
    clock.advance(std::time::Duration::from_secs(60));
    let now = clock.now();
    store
        .write(move |mut ctx| async move {
            let r = sessions::touch(&mut ctx, "h1", now).await;
            (ctx, r)
        })
        .await
        .unwrap();
    assert_eq!(
        store.session("h1").await.unwrap().unwrap().last_seen_at,
        now
    );
    store
        .write(move |mut ctx| async move {
            let r = sessions::step_up(&mut ctx, "h1", now).await;
            (ctx, r)
        })
        .await
        .unwrap();
    let (stepped, _) = store.session_with_user("h1").await.unwrap().unwrap();
    assert_eq!(
        stepped.auth_at,
        Some(now),
        "a step-up is read back on the hot path"
    );
    store
        .write(move |mut ctx| async move {
            let r = sessions::end(&mut ctx, "h1").await;
            (ctx, r)
        })
        .await
        .unwrap();
    assert!(store.session("h1").await.unwrap().unwrap().ended);

    let use_step = |step: i64| {
        let store = store.clone();
        async move {
            store
                .write(move |mut ctx| async move {
                    let r = users::use_totp_step(&mut ctx, u, step).await;
                    (ctx, r)
                })
                .await
        }
    };
    assert!(use_step(100).await.is_ok());
    assert!(
        matches!(use_step(100).await, Err(StoreError::Rejected(_))),
        "a step is single-use"
    );
    assert!(matches!(use_step(99).await, Err(StoreError::Rejected(_))));
    assert!(use_step(101).await.is_ok());
    store.close().await;
}

/// AC-2(3): the sweep disables accounts unused for 90 days, audits each, and spares accounts
/// that logged in, were re-enabled, or have a live API token.
async fn inactive_accounts_are_disabled(f: &impl Fresh) {
    use vigil_core::auth::inactivity;
    let (store, _, clock) = f.fresh().await;
    let a = seed_agency(&store, "Phoenix PD").await;
    let idle = seed_user(&store, a, "idle.user", Role::Analyst).await;
    let active = seed_user(&store, a, "active.user", Role::Analyst).await;
    let automated = seed_user(&store, a, "automation", Role::Analyst).await;
    let day = std::time::Duration::from_secs(24 * 3600);
    clock.advance(day * 80);
    let (login_at, token_until) = (clock.now(), clock.now().plus(day * 30));
    store
        .write(move |mut ctx| async move {
            let r = async {
                users::set_last_login(&mut ctx, active, login_at).await?;
                sessions::insert_token(
                    &mut ctx,
                    &sessions::ApiToken {
                        id: vigil_types::TokenId::new_random(),
                        token_hash: "t-automation".into(),
                        user_id: automated,
                        name: "nightly import".into(),
                        scope: vigil_core::TokenScope::Full,
                        created_at: login_at,
                        expires_at: token_until,
                        revoked: false,
                    },
                )
                .await
            }
            .await;
            (ctx, r)
        })
        .await
        .unwrap();
    let sweep = |store: Store| async move {
        let cutoff = inactivity::cutoff(store.clock().now());
        store
            .write(move |mut ctx| async move {
                let r = users::disable_inactive(&mut ctx, cutoff).await;
                (ctx, r)
            })
            .await
            .unwrap()
    };
    clock.advance(day * 9);
    assert!(sweep(store.clone()).await.is_empty(), "89 days: nobody yet");
    clock.advance(day * 2);
    let gone = sweep(store.clone()).await;
    assert_eq!(
        gone,
        vec![(idle, a)],
        "only the unused account without a live token"
    );
    assert!(store.user(idle).await.unwrap().unwrap().disabled);
    assert!(!store.user(active).await.unwrap().unwrap().disabled);
    let events = store
        .audit_search(&AuditQuery {
            action_prefix: Some("user.disable".into()),
            object_id: Some(idle.to_string()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].event.detail, "inactive_90_days");
    store
        .write(move |mut ctx| async move {
            let r = users::enable(&mut ctx, idle).await;
            (ctx, r)
        })
        .await
        .unwrap();
    assert!(
        sweep(store.clone()).await.is_empty(),
        "re-enabled: counted from now"
    );
    assert!(!store.user(idle).await.unwrap().unwrap().disabled);
    store.close().await;
}

async fn case_content_round_trips(f: &impl Fresh) {
    let (store, _, clock) = f.fresh().await;
    let a = seed_agency(&store, "Phoenix PD").await;
    let u = seed_user(&store, a, "j.rivera", Role::Investigator).await;
    let c1 = seed_case(&store, a, u, "A-1").await;
    let c2 = seed_case(&store, a, u, "A-2").await;
    let mut props = BTreeMap::new();
    props.insert("number".to_owned(), vec!["+14805550142".to_owned()]);
    let mk = |case_id, schema, props: BTreeMap<String, Vec<String>>| Entity {
        id: EntityId::new_random(),
        case_id,
        schema,
        caption: "x".into(),
        properties: props,
        created_by: u,
        created_at: clock.now(),
        updated_at: clock.now(),
    };
    let phone = mk(c1, Schema::Phone, props.clone());
    let mut pprops = BTreeMap::new();
    pprops.insert("name".to_owned(), vec!["Ana Flores".to_owned()]);
    let person = mk(c1, Schema::Person, pprops);
    let elsewhere = mk(c2, Schema::Phone, props);
    let (p_id, ph_id, else_id) = (person.id, phone.id, elsewhere.id);
    for e in [phone.clone(), person, elsewhere] {
        store
            .write(move |mut ctx| async move {
                let r = content::insert_entity(&mut ctx, &e).await;
                (ctx, r)
            })
            .await
            .unwrap();
    }
    assert_eq!(store.entity(ph_id).await.unwrap().unwrap(), phone);
    assert_eq!(store.entities(c1).await.unwrap().len(), 2);
    let link = |target| Link {
        id: LinkId::new_random(),
        case_id: c1,
        source_id: p_id,
        target_id: target,
        link_type: LinkType::Uses,
        description: None,
        created_by: u,
        created_at: clock.now(),
    };
    let ok = link(ph_id);
    let ok2 = ok.clone();
    store
        .write(move |mut ctx| async move {
            let r = content::insert_link(&mut ctx, &ok2).await;
            (ctx, r)
        })
        .await
        .unwrap();
    assert_eq!(store.links(c1).await.unwrap(), vec![ok]);
    let cross = link(else_id);
    let err = store
        .write(move |mut ctx| async move {
            let r = content::insert_link(&mut ctx, &cross).await;
            (ctx, r)
        })
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Rejected(_)),
        "links never cross cases: {err:?}"
    );
    let kinds: Vec<String> = store
        .timeline(c1)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            "case.created",
            "entity.created",
            "entity.created",
            "link.created"
        ]
    );
    store.close().await;
}

async fn audit_search_filters(f: &impl Fresh) {
    let (store, _, _) = f.fresh().await;
    let a = AgencyId::new_random();
    let b = AgencyId::new_random();
    for (action, agency) in [
        ("case.read", a),
        ("case.read", b),
        ("case.update", a),
        ("auth.login", a),
    ] {
        store
            .write(move |mut ctx| async move {
                let r = ctx.audit(draft(action, Some(agency))).await;
                (ctx, r)
            })
            .await
            .unwrap();
    }
    let q = |agency, prefix: &str| AuditQuery {
        agency_scope: Some(agency),
        action_prefix: Some(prefix.into()),
        limit: 100,
        ..Default::default()
    };
    assert_eq!(store.audit_search(&q(a, "case.")).await.unwrap().len(), 2);
    assert_eq!(store.audit_search(&q(b, "case.")).await.unwrap().len(), 1);
    assert_eq!(
        store.audit_search(&q(a, "%")).await.unwrap().len(),
        3,
        "wildcards in the prefix are literal"
    );
    let newest = store
        .audit_search(&AuditQuery {
            limit: 1,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(newest[0].event.seq, 4);
    store.close().await;
}

// --- evidence
async fn evidence_is_idempotent_and_immutable(f: &impl Fresh) {
    use crate::evidence::{self, Added, CustodyEvent, CustodyKind, Evidence};
    use vigil_types::{EvidenceId, Sha256Digest};
    let (store, _, _) = f.fresh().await;
    let a = seed_agency(&store, "Phoenix PD").await;
    let u = seed_user(&store, a, "j.rivera", Role::Investigator).await;
    let v = seed_user(&store, a, "p.kim", Role::Prosecutor).await;
    let c = seed_case(&store, a, u, "PHX-2026-0009").await;
    let now = store.clock().now();
    let sha = Sha256Digest::from_bytes([7; 32]);
    let item = |id| Evidence {
        id,
        case_id: c,
        name: "../../etc/passwd\u{202e}gpj.exe".into(),
        description: Some("Phone extraction".into()),
        media_type: "application/octet-stream".into(),
        size: 5_000_000_000, // past 32 bits
        sha256: sha,
        collected_by: u,
        collected_at: now,
        collected_where: None,
        added_by: u,
        added_at: now,
    };
    let first = item(EvidenceId::new_random());
    let add = |e: Evidence| {
        let store = store.clone();
        async move {
            store
                .write(move |mut ctx| async move {
                    let r = evidence::insert_evidence(&mut ctx, &e, a, Some("seized")).await;
                    (ctx, r)
                })
                .await
                .unwrap()
        }
    };
    assert_eq!(add(first.clone()).await, Added::New);
    // The same bytes in the same case: the existing item, nothing new.
    assert_eq!(
        add(item(EvidenceId::new_random())).await,
        Added::Existing(Box::new(first.clone()))
    );
    assert_eq!(store.evidence(first.id).await.unwrap(), Some(first.clone()));
    assert_eq!(store.case_evidence(c).await.unwrap(), vec![first.clone()]);
    assert_eq!(
        store.blob_ledger().await.unwrap(),
        vec![(sha, 5_000_000_000)]
    );
    let transfer = CustodyEvent {
        evidence_id: first.id,
        kind: CustodyKind::Transferred,
        at: now,
        actor_id: u,
        actor_agency: a,
        from_user: Some(u),
        to_user: Some(v),
        recipient: None,
        purpose: Some("charging review".into()),
        sha256: sha,
    };
    store
        .write(move |mut ctx| async move {
            let r = evidence::insert_custody(&mut ctx, &transfer).await;
            (ctx, r)
        })
        .await
        .unwrap();
    let log = store.custody(first.id).await.unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].event.kind, CustodyKind::Collected);
    assert_eq!(log[0].event.purpose.as_deref(), Some("seized"));
    assert_eq!(log[1].to_name.as_deref(), Some("p.kim"));
    assert!(log[0].seq < log[1].seq);
    assert_eq!(store.custodian(&first).await.unwrap(), v);
    // A digest names one byte string: the same digest with another size is refused.
    let r = store
        .write(move |mut ctx| async move {
            let r = evidence::register_blob(&mut ctx, sha, 1).await;
            (ctx, r)
        })
        .await;
    assert!(matches!(r, Err(StoreError::Corrupt { .. })));
    for statement in [
        "UPDATE evidence SET sha256 = 'x'",
        "DELETE FROM evidence",
        "UPDATE evidence_custody SET purpose = 'x'",
        "DELETE FROM evidence_custody",
        "UPDATE blobs SET size_bytes = 1",
    ] {
        let r = sqlx::query(statement).execute(store.reader()).await;
        assert!(r.is_err(), "{statement} must be refused by the database");
    }
    assert_eq!(store.custody(first.id).await.unwrap().len(), 2);
    store.close().await;
}
