//! Services for survivors over HTTP (V2): the provider directory, referrals (a share of victim
//! data outside Vigil, allowed only under a consent naming the provider) and services delivered.

use super::vault::{audit_read, victim_access, victim_access_id, victim_object};
use super::Params;
use crate::access::{draft, Object};
use crate::auth::Authed;
use crate::extract::{path_id, Body};
use crate::wire::{
    CreateProvider, CreateReferral, List, ProviderOut, RecordService, ReferralOut, ReferralsOut,
    ServiceOut, SetReferralStatus,
};
use crate::{ApiError, AppState};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use std::collections::HashMap;
use vigil_audit::Outcome;
use vigil_core::vault::{Recipient, ReferralStatus, ServiceType};
use vigil_core::{authorize, Action, Decision, Deny, Role, Target};
use vigil_store::services::{self, Provider, Referral, ServiceDelivered};
use vigil_types::{DisplayText, ProviderId, ReferralId, ServiceId, Timestamp};

fn provider_out(p: &Provider) -> ProviderOut {
    ProviderOut {
        id: p.id.to_string(),
        name: p.name.clone(),
        service_types: p
            .service_types
            .iter()
            .map(|t| t.as_str().to_owned())
            .collect(),
        languages: p.languages.clone(),
        eligibility: p.eligibility.clone(),
        capacity: p.capacity,
        contact: p.contact.clone(),
        updated_at: p.updated_at.to_rfc3339(),
    }
}

fn referral_out(r: &Referral) -> ReferralOut {
    ReferralOut {
        id: r.id.to_string(),
        victim_id: r.victim_id.to_string(),
        provider_id: r.provider_id.to_string(),
        service_type: r.service_type.as_str().into(),
        status: r.status.as_str().into(),
        created_at: r.created_at.to_rfc3339(),
        updated_at: r.updated_at.to_rfc3339(),
    }
}

fn service_out(s: &ServiceDelivered) -> ServiceOut {
    ServiceOut {
        id: s.id.to_string(),
        referral_id: s.referral_id.to_string(),
        service_type: s.service_type.as_str().into(),
        delivered_on: s.delivered_on.clone(),
        note: s.note.clone(),
        recorded_at: s.recorded_at.to_rfc3339(),
    }
}

fn text(field: &str, v: &str, max: usize) -> Result<String, ApiError> {
    DisplayText::parse(v, max)
        .map(DisplayText::into_string)
        .map_err(|e| ApiError::invalid(field, e))
}

fn service_type(field: &str, v: &str) -> Result<ServiceType, ApiError> {
    ServiceType::parse(v.trim()).map_err(|e| ApiError::invalid(field, e))
}

pub async fn list_providers(
    State(app): State<AppState>,
    who: Authed,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<List<ProviderOut>>, ApiError> {
    let object = Object::task_force("provider");
    app.check(&who, Action::ListProviders, Target::TaskForce, &object)
        .await?;
    let q = Params::only(q, &["service_type", "language"])?;
    let want_type = q
        .get("service_type")
        .map(|t| service_type("service_type", t))
        .transpose()?;
    let want_lang = q.get("language").map(str::to_ascii_lowercase);
    let items: Vec<ProviderOut> = app
        .store
        .providers()
        .await?
        .iter()
        .filter(|p| want_type.is_none_or(|t| p.service_types.contains(&t)))
        .filter(|p| {
            want_lang
                .as_deref()
                .is_none_or(|l| p.languages.iter().any(|x| x.to_ascii_lowercase() == l))
        })
        .map(provider_out)
        .collect();
    app.audit(
        &who,
        draft(
            &who,
            "provider.list",
            &object,
            Outcome::Success,
            format!("count={}", items.len()),
        ),
    )
    .await?;
    Ok(Json(List { items }))
}

pub async fn show_provider(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
) -> Result<Json<ProviderOut>, ApiError> {
    let id = path_id(&raw, ProviderId::parse)?;
    let object = Object::with_id("provider", id, None);
    app.check(&who, Action::ListProviders, Target::TaskForce, &object)
        .await?;
    let p = app.store.provider(id).await?.ok_or(ApiError::NotFound)?;
    app.audit(
        &who,
        draft(&who, "provider.read", &object, Outcome::Success, ""),
    )
    .await?;
    Ok(Json(provider_out(&p)))
}

pub async fn create_provider(
    State(app): State<AppState>,
    who: Authed,
    Body(req): Body<CreateProvider>,
) -> Result<(StatusCode, Json<ProviderOut>), ApiError> {
    app.check(
        &who,
        Action::ManageProviders,
        Target::TaskForce,
        &Object::task_force("provider"),
    )
    .await?;
    let name = text("name", &req.name, 200)?;
    if req.service_types.is_empty() {
        return Err(ApiError::invalid("service_types", "name at least one"));
    }
    let mut types = Vec::new();
    for t in &req.service_types {
        let t = service_type("service_types", t)?;
        if !types.contains(&t) {
            types.push(t);
        }
    }
    if req.languages.len() > 30 {
        return Err(ApiError::invalid("languages", "at most 30"));
    }
    let mut languages = Vec::new();
    for l in &req.languages {
        let l = l.trim();
        let ok = (2..=35).contains(&l.len())
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !ok {
            return Err(ApiError::invalid(
                "languages",
                "expected language tags such as `es` or `pt-BR`",
            ));
        }
        if !languages.iter().any(|x: &String| x == l) {
            languages.push(l.to_owned());
        }
    }
    if req.capacity.is_some_and(|c| !(0..=100_000).contains(&c)) {
        return Err(ApiError::invalid("capacity", "expected 0 to 100000"));
    }
    let now = app.now();
    let p = Provider {
        id: ProviderId::new_random(),
        name,
        service_types: types,
        languages,
        eligibility: text("eligibility", &req.eligibility, 2000)?,
        capacity: req.capacity,
        contact: text("contact", &req.contact, 500)?,
        created_by: who.actor.user,
        created_at: now,
        updated_at: now,
    };
    let out = provider_out(&p);
    let ev = draft(
        &who,
        "provider.create",
        &Object::with_id("provider", p.id, None),
        Outcome::Success,
        "",
    );
    app.audited(&who, ev, move |mut ctx| async move {
        let r = services::insert_provider(&mut ctx, &p).await;
        (ctx, r)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(out)))
}

pub async fn create_referral(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Body(req): Body<CreateReferral>,
) -> Result<(StatusCode, Json<ReferralOut>), ApiError> {
    // Only the serving agency's advocates refer; others learn nothing (404/403 as for writes).
    let f = victim_access(&app, &who, &raw, Action::WriteVictim).await?;
    let provider =
        ProviderId::parse(&req.provider_id).map_err(|e| ApiError::invalid("provider_id", e))?;
    let service_type = service_type("service_type", &req.service_type)?;
    if app.store.provider(provider).await?.is_none() {
        return Err(ApiError::invalid("provider_id", "no such provider"));
    }
    // The share itself: the policy demands a consent in force naming this provider.
    let target = Target::VictimShare {
        victim: &f,
        to: Recipient::Provider(provider),
    };
    if let Decision::Deny(why) = authorize(&who.actor, Action::ReferVictim, target) {
        app.audit(
            &who,
            draft(
                &who,
                Action::ReferVictim.as_str(),
                &victim_object(&f),
                Outcome::Denied,
                format!("{};provider={provider}", why.as_str()),
            ),
        )
        .await?;
        return Err(match why {
            Deny::RoleForbids => ApiError::Forbidden {
                message: "no consent in force names this provider for identity and contact data; record the survivor's consent first",
            },
            Deny::ReadOnlyToken => ApiError::Forbidden {
                message: "this API token is read-only",
            },
            Deny::NotVisible => ApiError::NotFound,
            Deny::StepUpRequired => ApiError::StepUpRequired,
        });
    }
    let now = app.now();
    let r = Referral {
        id: ReferralId::new_random(),
        victim_id: f.id,
        provider_id: provider,
        service_type,
        status: ReferralStatus::Sent,
        created_by: who.actor.user,
        created_at: now,
        updated_at: now,
    };
    let out = referral_out(&r);
    let ev = draft(
        &who,
        "referral.create",
        &Object::with_id("referral", r.id, Some(f.serving_agency)),
        Outcome::Success,
        format!("victim={};provider={provider}", f.id),
    );
    app.audited(&who, ev, move |mut ctx| async move {
        let r = services::insert_referral(&mut ctx, &r).await;
        (ctx, r)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(out)))
}

pub async fn list_referrals(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
) -> Result<Json<ReferralsOut>, ApiError> {
    for _ in 0..4 {
        let f = victim_access(&app, &who, &raw, Action::ReadVictimServices).await?;
        let referrals: Vec<ReferralOut> = app
            .store
            .referrals(f.id)
            .await?
            .iter()
            .map(referral_out)
            .collect();
        let services: Vec<ServiceOut> = app
            .store
            .services_delivered(f.id)
            .await?
            .iter()
            .map(service_out)
            .collect();
        let relied =
            if who.actor.role == Role::VictimAdvocate && who.actor.agency == f.serving_agency {
                Vec::new()
            } else {
                f.consents_naming(&who.actor)
            };
        let d = draft(
            &who,
            "referral.list",
            &victim_object(&f),
            Outcome::Success,
            format!("count={}", referrals.len()),
        );
        if audit_read(&app, &who, relied, d).await? {
            return Ok(Json(ReferralsOut {
                referrals,
                services,
            }));
        }
    }
    Err(ApiError::Unavailable)
}

/// Loads a referral and checks `WriteVictim` on its victim record.
async fn referral_access(
    app: &AppState,
    who: &Authed,
    raw: &str,
) -> Result<(Referral, vigil_core::vault::VictimFacts), ApiError> {
    let id = path_id(raw, ReferralId::parse)?;
    let r = app.store.referral(id).await?.ok_or(ApiError::NotFound)?;
    let f = victim_access_id(app, who, r.victim_id, Action::WriteVictim).await?;
    Ok((r, f))
}

pub async fn set_referral_status(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Body(req): Body<SetReferralStatus>,
) -> Result<Json<ReferralOut>, ApiError> {
    let (r, f) = referral_access(&app, &who, &raw).await?;
    let next =
        ReferralStatus::parse(req.status.trim()).map_err(|e| ApiError::invalid("status", e))?;
    let (id, by) = (r.id, who.actor.user);
    let ev = draft(
        &who,
        "referral.status",
        &Object::with_id("referral", id, Some(f.serving_agency)),
        Outcome::Success,
        format!("to={next}"),
    );
    app.audited(&who, ev, move |mut ctx| async move {
        let r = services::set_referral_status(&mut ctx, id, by, next).await;
        (ctx, r)
    })
    .await?;
    let r = app.store.referral(id).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(referral_out(&r)))
}

pub async fn record_service(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Body(req): Body<RecordService>,
) -> Result<(StatusCode, Json<ServiceOut>), ApiError> {
    let (r, f) = referral_access(&app, &who, &raw).await?;
    let service_type = service_type("service_type", &req.service_type)?;
    let on = req.delivered_on.trim();
    if on.len() != 10 || Timestamp::parse_rfc3339(&format!("{on}T00:00:00Z")).is_err() {
        return Err(ApiError::invalid(
            "delivered_on",
            "expected a date as YYYY-MM-DD",
        ));
    }
    let note = req
        .note
        .as_deref()
        .filter(|n| !n.trim().is_empty())
        .map(|n| text("note", n, 2000))
        .transpose()?;
    let s = ServiceDelivered {
        id: ServiceId::new_random(),
        referral_id: r.id,
        service_type,
        delivered_on: on.to_owned(),
        note,
        recorded_by: who.actor.user,
        recorded_at: app.now(),
    };
    let out = service_out(&s);
    let ev = draft(
        &who,
        "referral.service",
        &Object::with_id("referral", r.id, Some(f.serving_agency)),
        Outcome::Success,
        format!("service={};type={service_type}", s.id),
    );
    app.audited(&who, ev, move |mut ctx| async move {
        let r = services::record_service(&mut ctx, &s).await;
        (ctx, r)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(out)))
}
