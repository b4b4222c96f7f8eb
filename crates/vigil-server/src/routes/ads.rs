//! Online ads: list and search (by selector, text, score) within a case or across every case the
//! caller may see, read one ad with its selectors and score explanation, and cluster the visible
//! ads into operations. Ads are `OnlineAd` entities of a case (`vigil ads import`), so the case
//! policy decides who sees them.

use super::Params;
use crate::access::{draft, Object};
use crate::auth::Authed;
use crate::extract::path_id;
use crate::wire::{AdDetail, AdOut, AdPage, AdSelectorOut, OperationsOut};
use crate::{ApiError, AppState};
use axum::extract::{Path, Query, State};
use axum::Json;
use std::collections::HashMap;
use vigil_audit::Outcome;
use vigil_core::{authorize, Action, CaseFacts, Target};
use vigil_store::ads::{AdFilter, StoredAd};
use vigil_types::{CaseId, EntityId, Timestamp};

/// Largest page of ads.
pub const MAX_PAGE: i64 = 1_000;
/// Most ads one clustering request may cover.
pub const MAX_CLUSTER_ADS: i64 = 200_000;

/// Every case the caller may read, as the one policy decides (the store only proposes
/// candidates: cases of the caller's agency and cases whose team the caller is on).
pub(crate) async fn visible_cases(
    app: &AppState,
    who: &Authed,
) -> Result<Vec<CaseFacts>, ApiError> {
    let mut out = Vec::new();
    for c in app
        .store
        .case_candidates(who.actor.user, who.actor.agency)
        .await?
    {
        let Some(facts) = app.store.case_facts(c.id).await? else {
            continue;
        };
        if authorize(&who.actor, Action::ReadCase, Target::Case(&facts)).is_allowed() {
            out.push(facts);
        }
    }
    Ok(out)
}

/// A selector as typed by an analyst, normalised like the import normalises it: a phone to
/// E.164, an e-mail lower-cased, anything else (`platform:handle`, a wallet, a URL) as given.
fn normalise_selector(raw: &str) -> String {
    let raw = raw.trim();
    if raw.contains("://") || raw.starts_with("www.") {
        return vigil_ident::url::find(raw)
            .into_iter()
            .next()
            .map_or_else(|| raw.to_owned(), |u| u.url);
    }
    if raw.contains(':') && !raw.starts_with('+') {
        return raw.to_lowercase();
    }
    let x = vigil_ident::extract(raw, &vigil_ident::Options::default());
    if let Some(p) = x.phones.first() {
        return p.e164.clone();
    }
    if let Some(e) = x.emails.first() {
        return e.address.clone();
    }
    if let Some(w) = x.wallets.first() {
        return w.address.clone();
    }
    raw.to_owned()
}

fn parse_filter(q: &Params) -> Result<AdFilter, ApiError> {
    let int = |k: &str, default: i64, lo: i64, hi: i64| -> Result<i64, ApiError> {
        match q.get(k) {
            None => Ok(default),
            Some(v) => v
                .parse::<i64>()
                .ok()
                .filter(|n| (lo..=hi).contains(n))
                .ok_or_else(|| {
                    ApiError::invalid(k, format!("expected an integer from {lo} to {hi}"))
                }),
        }
    };
    let min_score = q
        .get("min_score")
        .map(|v| {
            v.parse::<f64>()
                .ok()
                .filter(|s| s.is_finite() && s.abs() < 1e9)
                .map(|s| (s * 1000.0).round() as i64)
                .ok_or_else(|| ApiError::invalid("min_score", "expected a number"))
        })
        .transpose()?;
    let urgent = match q.get("urgent") {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(ApiError::invalid("urgent", "expected true or false")),
    };
    let text = q.get("q").map(str::trim).filter(|t| !t.is_empty());
    if text.is_some_and(|t| t.chars().count() > 200) {
        return Err(ApiError::invalid("q", "longer than 200 characters"));
    }
    let selector = q.get("selector").map(normalise_selector);
    if selector.as_ref().is_some_and(|s| s.chars().count() > 2_000) {
        return Err(ApiError::invalid("selector", "longer than 2000 characters"));
    }
    Ok(AdFilter {
        selector,
        text: text.map(str::to_owned),
        min_score_milli: min_score,
        urgent_only: urgent,
        limit: int("limit", 100, 1, MAX_PAGE)?,
        offset: int("offset", 0, 0, i64::from(u32::MAX))?,
    })
}

const FILTER_PARAMS: &[&str] = &["selector", "q", "min_score", "urgent", "limit", "offset"];

fn ad_out(a: &StoredAd, selectors: Vec<AdSelectorOut>) -> AdOut {
    AdOut {
        id: a.id.to_string(),
        case_id: a.case_id.to_string(),
        feed_id: a.feed_id.clone(),
        content_sha256: a.content_sha256.clone(),
        source: a.source.clone(),
        url: a.url.clone(),
        posted_at: a
            .posted_at
            .map(|s| Timestamp::from_unix_micros(s.saturating_mul(1_000_000)).to_rfc3339()),
        location: a.location.clone(),
        title: a.title.clone(),
        score: a.score_milli as f64 / 1000.0,
        urgent_review: a.urgent_review,
        weight_set: a.weight_set.clone(),
        selectors,
    }
}

async fn with_selectors(app: &AppState, ads: &[StoredAd]) -> Result<Vec<AdOut>, ApiError> {
    let mut out = Vec::with_capacity(ads.len());
    for a in ads {
        let sel = app
            .store
            .ad_selectors(a.id)
            .await?
            .into_iter()
            .map(|s| AdSelectorOut {
                kind: s.kind,
                value: s.value,
                obfuscated: s.obfuscated,
            })
            .collect();
        out.push(ad_out(a, sel));
    }
    Ok(out)
}

fn filter_detail(f: &AdFilter, count: usize) -> String {
    // Codes only: which filters were used, never their values (a selector is a phone number).
    format!(
        "count={count};selector={};text={};min_score={};urgent={}",
        u8::from(f.selector.is_some()),
        u8::from(f.text.is_some()),
        u8::from(f.min_score_milli.is_some()),
        u8::from(f.urgent_only)
    )
}

fn page(items: Vec<AdOut>, f: &AdFilter) -> AdPage {
    AdPage {
        items,
        limit: f.limit,
        offset: f.offset,
        statement: vigil_ads::LEAD_NOT_EVIDENCE.into(),
    }
}

/// `GET /cases/{id}/ads`: a case's ads, highest score first.
pub async fn list_case_ads(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<AdPage>, ApiError> {
    let q = Params::only(q, FILTER_PARAMS)?;
    let filter = parse_filter(&q)?;
    let facts = app.case_access(&who, &raw, Action::ReadCase).await?;
    let found = app.store.search_ads(&[facts.id], &filter).await?;
    let items = with_selectors(&app, &found).await?;
    app.audit(
        &who,
        draft(
            &who,
            "ad.list",
            &Object::case(&facts),
            Outcome::Success,
            filter_detail(&filter, items.len()),
        ),
    )
    .await?;
    Ok(Json(page(items, &filter)))
}

/// `GET /ads`: search the ads of every case the caller may see.
pub async fn search(
    State(app): State<AppState>,
    who: Authed,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<AdPage>, ApiError> {
    let q = Params::only(q, FILTER_PARAMS)?;
    let filter = parse_filter(&q)?;
    let object = Object::task_force("ad");
    app.check(&who, Action::ListCases, Target::TaskForce, &object)
        .await?;
    let cases: Vec<CaseId> = visible_cases(&app, &who)
        .await?
        .iter()
        .map(|f| f.id)
        .collect();
    let found = app.store.search_ads(&cases, &filter).await?;
    let items = with_selectors(&app, &found).await?;
    app.audit(
        &who,
        draft(
            &who,
            "ad.search",
            &object,
            Outcome::Success,
            format!(
                "cases={};{}",
                cases.len(),
                filter_detail(&filter, items.len())
            ),
        ),
    )
    .await?;
    Ok(Json(page(items, &filter)))
}

/// `GET /ads/{id}`: one ad with its text, selectors and the explanation of its score.
pub async fn show(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
) -> Result<Json<AdDetail>, ApiError> {
    let id = path_id(&raw, EntityId::parse)?;
    let ad = app.store.ad(id).await?.ok_or(ApiError::NotFound)?;
    let facts = app
        .store
        .case_facts(ad.case_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let object = Object::with_id("ad", ad.id, Some(facts.owner));
    app.check(&who, Action::ReadCase, Target::Case(&facts), &object)
        .await?;
    let explanation: serde_json::Value = serde_json::from_str(&ad.explanation)
        .map_err(|e| ApiError::internal("stored ad explanation", &e))?;
    let out = with_selectors(&app, std::slice::from_ref(&ad))
        .await?
        .pop()
        .ok_or(ApiError::NotFound)?;
    app.audit(
        &who,
        draft(
            &who,
            "ad.read",
            &object,
            Outcome::Success,
            format!("case={}", facts.id),
        ),
    )
    .await?;
    Ok(Json(AdDetail {
        ad: out,
        text: ad.body,
        explanation,
        imported_at: ad.imported_at.to_rfc3339(),
        statement: vigil_ads::LEAD_NOT_EVIDENCE.into(),
    }))
}

const CLUSTER_PARAMS: &[&str] = &[
    "threshold",
    "generic_max",
    "generic_max_cities",
    "generic_max_co_values",
    "include_singletons",
];

fn cluster_config(q: &Params) -> Result<vigil_ads::ClusterConfig, ApiError> {
    let mut c = vigil_ads::ClusterConfig::default();
    if let Some(t) = q.get("threshold") {
        c.threshold = t
            .parse::<f64>()
            .ok()
            .filter(|t| *t > 0.0 && *t <= 1.0)
            .ok_or_else(|| ApiError::invalid("threshold", "expected a number in (0, 1]"))?;
    }
    let count = |k: &str, slot: &mut usize| -> Result<(), ApiError> {
        if let Some(v) = q.get(k) {
            *slot = v
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=1_000_000).contains(n))
                .ok_or_else(|| ApiError::invalid(k, "expected an integer from 1 to 1000000"))?;
        }
        Ok(())
    };
    count("generic_max", &mut c.generic_max_text_clusters)?;
    count("generic_max_cities", &mut c.generic_max_cities)?;
    count("generic_max_co_values", &mut c.generic_max_co_values)?;
    c.include_singletons = match q.get("include_singletons") {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => {
            return Err(ApiError::invalid(
                "include_singletons",
                "expected true or false",
            ))
        }
    };
    c.validate()
        .map_err(|e| ApiError::invalid("parameters", e))?;
    Ok(c)
}

/// Clusters stored ads (ids are ad ids) on a blocking thread.
async fn cluster(
    ads: Vec<StoredAd>,
    config: vigil_ads::ClusterConfig,
) -> Result<(vigil_ads::Operations, serde_json::Value), ApiError> {
    let parameters = serde_json::json!({
        "threshold": config.threshold,
        "bands": config.bands,
        "rows": config.rows,
        "num_perm": config.num_perm,
        "seed": config.seed,
        "generic_max": config.generic_max_text_clusters,
        "generic_max_cities": config.generic_max_cities,
        "generic_max_co_values": config.generic_max_co_values,
        "include_singletons": config.include_singletons,
    });
    let ops = tokio::task::spawn_blocking(move || -> Result<vigil_ads::Operations, String> {
        let mut clusterer = vigil_ads::Clusterer::new(config).map_err(|e| e.to_string())?;
        for a in ads {
            let mut f: vigil_ads::AdFeatures =
                serde_json::from_str(&a.features).map_err(|e| e.to_string())?;
            f.id = a.id.to_string();
            f.title = a.title;
            f.text = a.body;
            let p = clusterer.prepare(&f);
            clusterer.push(p).map_err(|e| e.to_string())?;
        }
        Ok(clusterer.finish(&mut |_, _, _| {}))
    })
    .await
    .map_err(|e| ApiError::internal("ad clustering task", &e))?
    .map_err(|e| ApiError::internal("ad clustering", &std::io::Error::other(e)))?;
    Ok((ops, parameters))
}

async fn operations_over(
    app: &AppState,
    who: &Authed,
    cases: &[CaseId],
    q: &Params,
    object: &Object,
) -> Result<OperationsOut, ApiError> {
    let config = cluster_config(q)?;
    let n = app.store.ad_count(cases).await?;
    if n > MAX_CLUSTER_ADS {
        app.audit(
            who,
            draft(
                who,
                "ad.operations",
                object,
                Outcome::Failed,
                "too_many_ads",
            ),
        )
        .await?;
        return Err(ApiError::Unprocessable(format!(
            "{n} ads are more than one clustering request may cover ({MAX_CLUSTER_ADS}); cluster one case at a time, or use `vigil ads cluster` on an export"
        )));
    }
    let ads = app.store.ads_in_cases(cases, MAX_CLUSTER_ADS).await?;
    let (ops, parameters) = cluster(ads, config).await?;
    let operations = ops
        .operations
        .iter()
        .map(serde_json::to_value)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ApiError::internal("operations", &e))?;
    let stats =
        serde_json::to_value(&ops.stats).map_err(|e| ApiError::internal("operations", &e))?;
    app.audit(
        who,
        draft(
            who,
            "ad.operations",
            object,
            Outcome::Success,
            format!(
                "cases={};ads={n};operations={}",
                cases.len(),
                operations.len()
            ),
        ),
    )
    .await?;
    Ok(OperationsOut {
        operations,
        stats,
        parameters,
        cases: cases.len(),
        statement: vigil_ads::LEAD_NOT_EVIDENCE.into(),
    })
}

/// `GET /cases/{id}/ads/operations`: operations among one case's ads.
pub async fn case_operations(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<OperationsOut>, ApiError> {
    let q = Params::only(q, CLUSTER_PARAMS)?;
    cluster_config(&q)?;
    let facts = app.case_access(&who, &raw, Action::ReadCase).await?;
    let out = operations_over(&app, &who, &[facts.id], &q, &Object::case(&facts)).await?;
    Ok(Json(out))
}

/// `GET /ads/operations`: operations across the ads of every case the caller may see.
pub async fn operations(
    State(app): State<AppState>,
    who: Authed,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<OperationsOut>, ApiError> {
    let q = Params::only(q, CLUSTER_PARAMS)?;
    cluster_config(&q)?;
    let object = Object::task_force("ad");
    app.check(&who, Action::ListCases, Target::TaskForce, &object)
        .await?;
    let cases: Vec<CaseId> = visible_cases(&app, &who)
        .await?
        .iter()
        .map(|f| f.id)
        .collect();
    let out = operations_over(&app, &who, &cases, &q, &object).await?;
    Ok(Json(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_are_normalised_like_the_import() {
        assert_eq!(normalise_selector("(480) 555-0142"), "+14805550142");
        assert_eq!(normalise_selector("Jane@Example.COM"), "jane@example.com");
        assert_eq!(normalise_selector("Instagram:Jane"), "instagram:jane");
        assert_eq!(
            normalise_selector("HTTPS://Example.com/x"),
            "https://example.com/x"
        );
    }
}
