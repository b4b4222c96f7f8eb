//! Cross-referencing: run matching for a case, the review queue of candidates (only pairs whose
//! both records the caller may see; at most a deconfliction notice otherwise, decided by
//! `vigil_core::xref_view`), judgements and their undo, checking an imported CSV, label export,
//! same-as clusters and the stoplist of generic values. Every call is audited (ids and counts).

use super::Params;
use crate::access::{draft, Object};
use crate::auth::Authed;
use crate::extract::{path_id, Body};
use crate::victim_view::{is_marked_victim, VictimView};
use crate::wire::{
    AddStop, JudgeCandidate, List, StopOut, XrefCandidateOut, XrefCheck, XrefCheckCandidate,
    XrefCheckOut, XrefExplanation, XrefJudgementOut, XrefLabel, XrefList, XrefNotice,
    XrefRowMatches, XrefSameAs, XrefSideOut,
};
use crate::xref::{self, effective, PersonRecord, DECISIONS, GENERIC_KINDS};
use crate::{ApiError, AppState};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use std::collections::{BTreeSet, HashMap};
use std::future::Future;
use vigil_audit::Outcome;
use vigil_core::{authorize, xref_view, Action, AgencyKind, CaseFacts, Target, XrefSide, XrefView};
use vigil_resolve::FieldKind;
use vigil_store::content::Entity;
use vigil_store::xref::{self as store_xref, Candidate, Judgement, StopEntry};
use vigil_store::{AuditDraft, StoreError, WriteCtx};
use vigil_types::{AgencyId, CandidateId, CaseId, DisplayText, EntityId};

/// Facts about cases and agencies, loaded once per request.
#[derive(Default)]
struct Facts {
    cases: HashMap<CaseId, Option<CaseFacts>>,
    agencies: HashMap<AgencyId, Option<(AgencyKind, String)>>,
    entities: HashMap<EntityId, Option<Entity>>,
    /// The caller's view of each case's victims (`None`: no such case).
    victims: HashMap<CaseId, Option<VictimView>>,
}

impl Facts {
    async fn case(&mut self, app: &AppState, id: CaseId) -> Result<Option<CaseFacts>, ApiError> {
        if let Some(f) = self.cases.get(&id) {
            return Ok(f.clone());
        }
        let f = app.store.case_facts(id).await?;
        self.cases.insert(id, f.clone());
        Ok(f)
    }

    /// The caller's view of the victims of case `id`, read once per request.
    async fn victim_view(
        &mut self,
        app: &AppState,
        who: &Authed,
        id: CaseId,
    ) -> Result<Option<&VictimView>, ApiError> {
        if !self.victims.contains_key(&id) {
            let view = match self.case(app, id).await? {
                Some(f) => Some(VictimView::for_case(app, who, &f).await?),
                None => None,
            };
            self.victims.insert(id, view);
        }
        Ok(self.victims.get(&id).and_then(Option::as_ref))
    }

    async fn agency(
        &mut self,
        app: &AppState,
        id: AgencyId,
    ) -> Result<Option<(AgencyKind, String)>, ApiError> {
        if let Some(a) = self.agencies.get(&id) {
            return Ok(a.clone());
        }
        let a = app.store.agency(id).await?.map(|a| (a.kind, a.name));
        self.agencies.insert(id, a.clone());
        Ok(a)
    }

    async fn entity(&mut self, app: &AppState, id: EntityId) -> Result<Option<Entity>, ApiError> {
        if let Some(e) = self.entities.get(&id) {
            return Ok(e.clone());
        }
        let e = app.store.entity(id).await?;
        self.entities.insert(id, e.clone());
        Ok(e)
    }

    /// Whether the caller may read the case's candidates.
    async fn readable(
        &mut self,
        app: &AppState,
        who: &Authed,
        id: CaseId,
    ) -> Result<bool, ApiError> {
        Ok(match self.case(app, id).await? {
            Some(f) => authorize(&who.actor, Action::ReadXref, Target::Case(&f)).is_allowed(),
            None => false,
        })
    }
}

fn side_out(e: &Entity) -> XrefSideOut {
    XrefSideOut {
        entity_id: e.id.to_string(),
        case_id: e.case_id.to_string(),
        caption: e.caption.clone(),
    }
}

fn status_of(history: &[Judgement]) -> String {
    effective(history.iter().map(|j| j.decision.as_str()))
        .unwrap_or("open")
        .to_string()
}

fn explanation_of(c: &Candidate) -> XrefExplanation {
    serde_json::from_str(&c.explanation).unwrap_or(XrefExplanation {
        probability: c.score_ppm as f64 / 1e6,
        total_bits: 0.0,
        evidence: Vec::new(),
        generic: Vec::new(),
    })
}

fn candidate_out(c: &Candidate, a: &Entity, b: &Entity, history: &[Judgement]) -> XrefCandidateOut {
    XrefCandidateOut {
        id: c.id.to_string(),
        probability: c.score_ppm as f64 / 1e6,
        status: status_of(history),
        generic: c.generic,
        a: side_out(a),
        b: side_out(b),
        explanation: explanation_of(c),
        found_by: c.found_by.clone(),
        updated_at: c.updated_at.to_rfc3339(),
        history: history
            .iter()
            .map(|j| XrefJudgementOut {
                decision: j.decision.clone(),
                judged_by: j.judged_by.to_string(),
                judged_at: j.judged_at.to_rfc3339(),
            })
            .collect(),
    }
}

/// A candidate as `who` may see it: a side whose person is a victim the caller may not see in
/// that case (the rule of `victim_view`, as in the entity routes and the chart) shows its
/// pseudonym, and the comparison values of that side are withheld (levels and weights stay, so
/// the reviewer still sees why the pair was proposed).
async fn visible_candidate(
    app: &AppState,
    who: &Authed,
    facts: &mut Facts,
    c: &Candidate,
    a: &Entity,
    b: &Entity,
    history: &[Judgement],
) -> Result<XrefCandidateOut, ApiError> {
    let mut out = candidate_out(c, a, b, history);
    for (e, left_side) in [(a, true), (b, false)] {
        let Some(view) = facts.victim_view(app, who, e.case_id).await? else {
            continue;
        };
        if !view.hides(e) {
            continue;
        }
        let side = if left_side { &mut out.a } else { &mut out.b };
        side.caption = view.label(e);
        for ev in &mut out.explanation.evidence {
            let value = if left_side {
                &mut ev.left
            } else {
                &mut ev.right
            };
            *value = WITHHELD.to_owned();
        }
    }
    Ok(out)
}

/// What a withheld comparison value reads as.
const WITHHELD: &str = "(withheld: victim record)";

/// The candidates of `case` the caller may see, and deconfliction notices for the others the
/// policy allows to be announced.
async fn visible_list(
    app: &AppState,
    who: &Authed,
    case: &CaseFacts,
    status: Option<&str>,
) -> Result<XrefList, ApiError> {
    let mut facts = Facts::default();
    let my_kind = facts
        .agency(app, who.actor.agency)
        .await?
        .map_or(AgencyKind::Other, |a| a.0);
    let candidates = app.store.xref_candidates_for_case(case.id).await?;
    let mut history: HashMap<CandidateId, Vec<Judgement>> = HashMap::new();
    for j in app.store.xref_judgements_for_case(case.id).await? {
        history.entry(j.candidate_id).or_default().push(j);
    }
    let mut items = Vec::new();
    let mut notices: Vec<XrefNotice> = Vec::new();
    let mut noticed: BTreeSet<(EntityId, AgencyId)> = BTreeSet::new();
    for c in candidates {
        let (mine_e, other_e, other_case) = if c.case_a == case.id {
            (c.entity_a, c.entity_b, c.case_b)
        } else {
            (c.entity_b, c.entity_a, c.case_a)
        };
        let (Some(me), Some(oe), Some(of)) = (
            facts.entity(app, mine_e).await?,
            facts.entity(app, other_e).await?,
            facts.case(app, other_case).await?,
        ) else {
            continue;
        };
        let other_agency = facts.agency(app, of.owner).await?;
        let other_kind = other_agency.as_ref().map_or(AgencyKind::Other, |a| a.0);
        let view = xref_view(
            &who.actor,
            my_kind,
            XrefSide {
                case,
                agency_kind: my_kind,
                victim: is_marked_victim(&me),
            },
            XrefSide {
                case: &of,
                agency_kind: other_kind,
                victim: is_marked_victim(&oe),
            },
        );
        match view {
            XrefView::Both => {
                let h = history.get(&c.id).map_or(&[][..], Vec::as_slice);
                let out = if c.entity_a == me.id {
                    visible_candidate(app, who, &mut facts, &c, &me, &oe, h).await?
                } else {
                    visible_candidate(app, who, &mut facts, &c, &oe, &me, h).await?
                };
                if status.is_none_or(|s| s == "all" || s == out.status) {
                    items.push(out);
                }
            }
            XrefView::Deconfliction => {
                if noticed.insert((me.id, of.owner)) {
                    let name = other_agency.map(|a| a.1).unwrap_or_default();
                    let message = if of.owner == who.actor.agency {
                        "another case in your agency holds a possible match for this record; contact your supervisor".to_string()
                    } else {
                        format!("{name} holds a possible match for this record; contact its supervisor before acting")
                    };
                    notices.push(XrefNotice {
                        entity_id: me.id.to_string(),
                        agency_id: of.owner.to_string(),
                        agency_name: name,
                        message,
                    });
                }
            }
            XrefView::Hidden => {}
        }
    }
    Ok(XrefList { items, notices })
}

/// `POST /cases/{id}/xref`: matches every person of the case against the index and records
/// the candidates; answers with what the caller may see.
pub async fn run(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
) -> Result<Json<XrefList>, ApiError> {
    let facts = app.case_access(&who, &raw, Action::RunXref).await?;
    let mut locked = app.xref.lock(&app.store).await?;
    let now = app.now();
    let records = locked.matcher().records_of_case(facts.id);
    let mut rows = Vec::new();
    for r in &records {
        for f in locked.matcher().query(r) {
            rows.push(xref::candidate_row(r, &f, "run", now));
        }
    }
    let d = draft(
        &who,
        "xref.run",
        &Object::case(&facts),
        Outcome::Success,
        format!("persons={}", records.len()),
    );
    app.audited(&who, d, move |mut ctx| async move {
        let r = async {
            for c in &rows {
                store_xref::upsert_candidate(&mut ctx, c).await?;
            }
            Ok(())
        }
        .await;
        (ctx, r)
    })
    .await?;
    drop(locked);
    Ok(Json(visible_list(&app, &who, &facts, None).await?))
}

/// `GET /cases/{id}/xref/candidates`: the review queue (`?status=open|same|different|unsure|all`).
pub async fn list(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<XrefList>, ApiError> {
    let q = Params::only(q, &["status"])?;
    let facts = app.case_access(&who, &raw, Action::ReadXref).await?;
    let status = q.get("status");
    if let Some(s) = status {
        if !["open", "all"].contains(&s) && !DECISIONS.contains(&s) {
            return Err(ApiError::invalid(
                "query parameter `status`",
                "expected open, same, different, unsure or all",
            ));
        }
    }
    let out = visible_list(&app, &who, &facts, status).await?;
    app.audit(
        &who,
        draft(
            &who,
            "xref.list",
            &Object::case(&facts),
            Outcome::Success,
            format!("count={};notices={}", out.items.len(), out.notices.len()),
        ),
    )
    .await?;
    Ok(Json(out))
}

/// Loads a candidate and asks the policy for `action` on both of its cases. A missing
/// candidate and one with a record the caller may not see both answer 404 (the latter audited).
async fn candidate_access(
    app: &AppState,
    who: &Authed,
    raw: &str,
    action: Action,
) -> Result<(Candidate, CaseFacts, Entity, Entity), ApiError> {
    let id = path_id(raw, CandidateId::parse)?;
    let c = app
        .store
        .xref_candidate(id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let fa = app
        .store
        .case_facts(c.case_a)
        .await?
        .ok_or(ApiError::NotFound)?;
    let fb = app
        .store
        .case_facts(c.case_b)
        .await?
        .ok_or(ApiError::NotFound)?;
    let object = Object::with_id("candidate", c.id, Some(fa.owner));
    app.check(who, action, Target::Case(&fa), &object).await?;
    app.check(who, action, Target::Case(&fb), &object).await?;
    let a = app
        .store
        .entity(c.entity_a)
        .await?
        .ok_or(ApiError::NotFound)?;
    let b = app
        .store
        .entity(c.entity_b)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok((c, fa, a, b))
}

/// `GET /xref/candidates/{id}`: one candidate with its explanation and judgement history.
pub async fn show(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
) -> Result<Json<XrefCandidateOut>, ApiError> {
    let (c, fa, a, b) = candidate_access(&app, &who, &raw, Action::ReadXref).await?;
    let history = app.store.xref_judgements(c.id).await?;
    app.audit(
        &who,
        draft(
            &who,
            "xref.read",
            &Object::with_id("candidate", c.id, Some(fa.owner)),
            Outcome::Success,
            format!("case_a={};case_b={}", c.case_a, c.case_b),
        ),
    )
    .await?;
    Ok(Json(
        visible_candidate(&app, &who, &mut Facts::default(), &c, &a, &b, &history).await?,
    ))
}

/// `POST /xref/candidates/{id}/judgements`: same / different / unsure; supersedes the last.
pub async fn judge(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
    Body(req): Body<JudgeCandidate>,
) -> Result<(StatusCode, Json<XrefCandidateOut>), ApiError> {
    let (c, fa, a, b) = candidate_access(&app, &who, &raw, Action::JudgeXref).await?;
    let Some(decision) = DECISIONS.iter().find(|d| **d == req.decision).copied() else {
        return Err(ApiError::invalid(
            "decision",
            "expected same, different or unsure",
        ));
    };
    let (id, user) = (c.id, who.actor.user);
    let d = draft(
        &who,
        "xref.judge",
        &Object::with_id("candidate", id, Some(fa.owner)),
        Outcome::Success,
        format!("decision={decision}"),
    );
    app.audited(&who, d, move |mut ctx| async move {
        let r = store_xref::insert_judgement(&mut ctx, id, decision, user).await;
        (ctx, r)
    })
    .await?;
    // Judgements are training labels: the resident model learns from this one.
    app.xref.retrain(&app.store).await?;
    let history = app.store.xref_judgements(id).await?;
    Ok((
        StatusCode::CREATED,
        Json(visible_candidate(&app, &who, &mut Facts::default(), &c, &a, &b, &history).await?),
    ))
}

/// `POST /xref/candidates/{id}/judgements/undo`: withdraws the judgement in force (the one
/// before it applies again); the history keeps both.
pub async fn undo(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
) -> Result<Json<XrefCandidateOut>, ApiError> {
    let (c, fa, a, b) = candidate_access(&app, &who, &raw, Action::JudgeXref).await?;
    let (id, user) = (c.id, who.actor.user);
    let d = draft(
        &who,
        "xref.undo",
        &Object::with_id("candidate", id, Some(fa.owner)),
        Outcome::Success,
        "",
    );
    app.audited(&who, d, move |mut ctx| async move {
        let r = async {
            let h = store_xref::judgements_in(&mut ctx, id).await?;
            if effective(h.iter().map(|j| j.decision.as_str())).is_none() {
                return Err(StoreError::Rejected(
                    "nothing to undo: this candidate has no judgement in force".into(),
                ));
            }
            store_xref::insert_judgement(&mut ctx, id, "undo", user).await
        }
        .await;
        (ctx, r)
    })
    .await?;
    // The withdrawn judgement stops counting as a training label.
    app.xref.retrain(&app.store).await?;
    let history = app.store.xref_judgements(id).await?;
    Ok(Json(
        visible_candidate(&app, &who, &mut Facts::default(), &c, &a, &b, &history).await?,
    ))
}

/// Most rows one check may hold.
const MAX_ROWS: usize = 5_000;
/// Most error lines returned.
const MAX_ERRORS: usize = 100;

fn clean_name(raw: Option<&str>) -> String {
    let n: String = raw
        .unwrap_or("import.csv")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "._-".contains(*c))
        .take(80)
        .collect();
    if n.is_empty() {
        "import.csv".into()
    } else {
        n
    }
}

/// A valid CSV row: line, row id, fields.
type Row = (u64, String, Vec<(FieldKind, String)>);

/// A parsed CSV: the valid rows, the errors, the mapped columns.
struct Parsed {
    rows: u64,
    valid: Vec<Row>,
    errors: Vec<String>,
    error_count: u64,
    columns: Vec<String>,
}

fn parse_csv(name: &str, text: &str) -> Result<Parsed, ApiError> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = rdr
        .headers()
        .map_err(|_| ApiError::invalid("csv", "the header row could not be read"))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    if header.iter().all(String::is_empty) {
        return Err(ApiError::invalid(
            "csv",
            "empty: expected a header row and records",
        ));
    }
    let id_col = vigil_resolve::schema::guess_id_column(&header).unwrap_or_default();
    let id_index = header.iter().position(|h| *h == id_col).unwrap_or(0);
    let kinds: Vec<FieldKind> = header
        .iter()
        .enumerate()
        .map(|(i, h)| {
            if i == id_index && header.len() > 1 {
                FieldKind::Ignore
            } else {
                vigil_resolve::schema::guess_kind(h)
            }
        })
        .collect();
    let columns: Vec<String> = header
        .iter()
        .zip(&kinds)
        .filter(|(_, k)| **k != FieldKind::Ignore)
        .map(|(h, k)| format!("{h}={}", k.name()))
        .collect();
    if columns.is_empty() {
        return Err(ApiError::invalid(
            "csv",
            "no column could be mapped: name columns like given_name, surname, date_of_birth, phone, email",
        ));
    }
    let mut p = Parsed {
        rows: 0,
        valid: Vec::new(),
        errors: Vec::new(),
        error_count: 0,
        columns,
    };
    let err = |p: &mut Parsed, msg: String| {
        p.error_count += 1;
        if p.errors.len() < MAX_ERRORS {
            p.errors.push(msg);
        }
    };
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                p.rows += 1;
                err(&mut p, format!("{name}:{line}: unreadable row skipped"));
                continue;
            }
        };
        let line = rec.position().map_or(0, csv::Position::line);
        if rec.len() == 1 && rec.get(0).is_some_and(|f| f.trim().is_empty()) {
            continue;
        }
        p.rows += 1;
        if p.rows as usize > MAX_ROWS {
            return Err(ApiError::invalid(
                "csv",
                format!("more than {MAX_ROWS} rows; split the file"),
            ));
        }
        if rec.len() != header.len() {
            err(
                &mut p,
                format!(
                    "{name}:{line}: row has {} fields, header has {}; row skipped",
                    rec.len(),
                    header.len()
                ),
            );
            continue;
        }
        let mut fields = Vec::new();
        let mut bad = false;
        for ((raw, kind), col) in rec.iter().zip(&kinds).zip(&header) {
            let v = raw.trim();
            if v.is_empty() || *kind == FieldKind::Ignore {
                continue;
            }
            let problem = match kind {
                FieldKind::DateOfBirth => vigil_resolve::dates::parse_date(
                    v,
                    vigil_resolve::dates::DateOrder::default(),
                    2025,
                )
                .is_none()
                .then_some("not a date (e.g. 1988-04-03 or 03/04/1988)"),
                FieldKind::Phone => vigil_resolve::contact::normalise_phone(v, "1")
                    .is_none()
                    .then_some("not a telephone number (7 to 15 digits)"),
                FieldKind::Email => vigil_resolve::contact::normalise_email(v)
                    .is_none()
                    .then_some("not an e-mail address"),
                _ if v.chars().count() > 200 => Some("longer than 200 characters"),
                _ => None,
            };
            if let Some(why) = problem {
                bad = true;
                err(&mut p, format!("{name}:{line}:{col}: {why}; row skipped"));
            } else {
                fields.push((*kind, v.to_string()));
            }
        }
        if bad {
            continue;
        }
        if fields.is_empty() {
            err(
                &mut p,
                format!("{name}:{line}: nothing to match on; row skipped"),
            );
            continue;
        }
        let id = rec
            .get(id_index)
            .unwrap_or("")
            .trim()
            .chars()
            .take(64)
            .collect();
        p.valid.push((line, id, fields));
    }
    if p.rows == 0 {
        return Err(ApiError::invalid(
            "csv",
            "empty: no records after the header row",
        ));
    }
    Ok(p)
}

/// `POST /xref/check`: matches the rows of a CSV against the persons the caller may see.
/// Nothing from the file is stored.
pub async fn check(
    State(app): State<AppState>,
    who: Authed,
    Body(req): Body<XrefCheck>,
) -> Result<Json<XrefCheckOut>, ApiError> {
    app.check(
        &who,
        Action::CheckXref,
        Target::TaskForce,
        &Object::task_force("xref"),
    )
    .await?;
    let name = clean_name(req.name.as_deref());
    let parsed = match parse_csv(&name, &req.csv) {
        Ok(p) => p,
        Err(e) => {
            app.audit(
                &who,
                draft(
                    &who,
                    "xref.check",
                    &Object::task_force("xref"),
                    Outcome::Failed,
                    "bad_csv",
                ),
            )
            .await?;
            return Err(e);
        }
    };
    let mut found = Vec::new();
    {
        let mut locked = app.xref.lock(&app.store).await?;
        for (line, id, fields) in &parsed.valid {
            found.push((*line, id.clone(), locked.matcher().query_fields(fields)));
        }
    }
    let mut facts = Facts::default();
    let mut matches = Vec::new();
    for (line, row_id, hits) in found {
        let mut candidates = Vec::new();
        for f in hits {
            if !facts.readable(&app, &who, f.case).await? {
                continue;
            }
            let Some(e) = facts.entity(&app, f.entity).await? else {
                continue;
            };
            candidates.push(XrefCheckCandidate {
                entity_id: e.id.to_string(),
                case_id: e.case_id.to_string(),
                caption: e.caption.clone(),
                probability: f.probability,
                explanation: f.explanation,
            });
        }
        if !candidates.is_empty() {
            matches.push(XrefRowMatches {
                line,
                row_id,
                candidates,
            });
        }
    }
    app.audit(
        &who,
        draft(
            &who,
            "xref.check",
            &Object::task_force("xref"),
            Outcome::Success,
            format!(
                "rows={};errors={};matched_rows={}",
                parsed.rows,
                parsed.error_count,
                matches.len()
            ),
        ),
    )
    .await?;
    Ok(Json(XrefCheckOut {
        rows: parsed.rows,
        checked: parsed.valid.len() as u64,
        errors: parsed.errors,
        error_count: parsed.error_count,
        columns: parsed.columns,
        matches,
    }))
}

/// Judgements in force as training labels, for pairs whose both records the caller may see.
pub async fn labels(
    State(app): State<AppState>,
    who: Authed,
) -> Result<Json<List<XrefLabel>>, ApiError> {
    app.check(
        &who,
        Action::ExportXrefLabels,
        Target::TaskForce,
        &Object::task_force("xref"),
    )
    .await?;
    let mut facts = Facts::default();
    let items = label_rows(&app, Some((&who, &mut facts))).await?;
    app.audit(
        &who,
        draft(
            &who,
            "xref.labels",
            &Object::task_force("xref"),
            Outcome::Success,
            format!("count={}", items.len()),
        ),
    )
    .await?;
    Ok(Json(List { items }))
}

async fn label_rows(
    app: &AppState,
    mut visible_to: Option<(&Authed, &mut Facts)>,
) -> Result<Vec<XrefLabel>, ApiError> {
    let mut by: HashMap<CandidateId, Vec<Judgement>> = HashMap::new();
    for j in app.store.xref_all_judgements().await? {
        by.entry(j.candidate_id).or_default().push(j);
    }
    let mut out = Vec::new();
    for c in app.store.xref_judged_candidates().await? {
        let h = by.get(&c.id).map_or(&[][..], Vec::as_slice);
        let label = match effective(h.iter().map(|j| j.decision.as_str())) {
            Some("same") => "match",
            Some("different") => "non_match",
            _ => continue,
        };
        if let Some((who, facts)) = visible_to.as_mut() {
            if !facts.readable(app, who, c.case_a).await?
                || !facts.readable(app, who, c.case_b).await?
            {
                continue;
            }
        }
        out.push(XrefLabel {
            candidate_id: c.id.to_string(),
            entity_a: c.entity_a.to_string(),
            entity_b: c.entity_b.to_string(),
            label: label.into(),
            probability: c.score_ppm as f64 / 1e6,
            decided_at: h
                .last()
                .map(|j| j.judged_at.to_rfc3339())
                .unwrap_or_default(),
        });
    }
    Ok(out)
}

/// `GET /entities/{id}/same-as`: the entities judged the same as this one, that the caller may
/// see. Every member keeps its own record; undoing a judgement splits the cluster again.
pub async fn same_as(
    State(app): State<AppState>,
    who: Authed,
    Path(raw): Path<String>,
) -> Result<Json<XrefSameAs>, ApiError> {
    let id = path_id(&raw, EntityId::parse)?;
    let e = app.store.entity(id).await?.ok_or(ApiError::NotFound)?;
    let fe = app
        .store
        .case_facts(e.case_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let object = Object::with_id("entity", e.id, Some(fe.owner));
    app.check(&who, Action::ReadXref, Target::Case(&fe), &object)
        .await?;
    let mut by: HashMap<CandidateId, Vec<Judgement>> = HashMap::new();
    for j in app.store.xref_all_judgements().await? {
        by.entry(j.candidate_id).or_default().push(j);
    }
    let mut facts = Facts::default();
    let mut pairs = Vec::new();
    for c in app.store.xref_judged_candidates().await? {
        let h = by.get(&c.id).map_or(&[][..], Vec::as_slice);
        if effective(h.iter().map(|j| j.decision.as_str())) != Some("same") {
            continue;
        }
        if facts.readable(&app, &who, c.case_a).await?
            && facts.readable(&app, &who, c.case_b).await?
        {
            pairs.push((c.entity_a, c.entity_b));
        }
    }
    let mut members = Vec::new();
    if let Some(cluster) = xref::same_as_clusters(&pairs)
        .into_iter()
        .find(|c| c.contains(&id))
    {
        for m in cluster.into_iter().filter(|m| *m != id) {
            if let Some(me) = facts.entity(&app, m).await? {
                members.push(side_out(&me));
            }
        }
    }
    app.audit(
        &who,
        draft(
            &who,
            "xref.same_as",
            &object,
            Outcome::Success,
            format!("members={}", members.len()),
        ),
    )
    .await?;
    Ok(Json(XrefSameAs {
        entity_id: id.to_string(),
        members,
    }))
}

fn stop_out(s: &StopEntry) -> StopOut {
    StopOut {
        id: s.id.clone(),
        kind: s.kind.clone(),
        value: s.value.clone(),
        reason: s.reason.clone(),
        added_at: s.added_at.to_rfc3339(),
    }
}

pub async fn list_stoplist(
    State(app): State<AppState>,
    who: Authed,
) -> Result<Json<List<StopOut>>, ApiError> {
    app.check(
        &who,
        Action::ReadXrefStoplist,
        Target::TaskForce,
        &Object::task_force("xref_stoplist"),
    )
    .await?;
    let items: Vec<StopOut> = app
        .store
        .xref_stoplist()
        .await?
        .iter()
        .map(stop_out)
        .collect();
    app.audit(
        &who,
        draft(
            &who,
            "xref.stoplist.read",
            &Object::task_force("xref_stoplist"),
            Outcome::Success,
            format!("count={}", items.len()),
        ),
    )
    .await?;
    Ok(Json(List { items }))
}

pub async fn add_stop(
    State(app): State<AppState>,
    who: Authed,
    Body(req): Body<AddStop>,
) -> Result<(StatusCode, Json<StopOut>), ApiError> {
    app.check(
        &who,
        Action::ManageXrefStoplist,
        Target::TaskForce,
        &Object::task_force("xref_stoplist"),
    )
    .await?;
    let Some(kind) = GENERIC_KINDS.iter().find(|k| **k == req.kind).copied() else {
        return Err(ApiError::invalid("kind", "expected phone or email"));
    };
    let value = xref::normalise_generic(kind, &req.value)
        .ok_or_else(|| ApiError::invalid("value", format!("not a valid {kind}")))?;
    let reason =
        DisplayText::parse(&req.reason, 100).map_err(|e| ApiError::invalid("reason", e))?;
    let s = StopEntry {
        id: CandidateId::new_random().to_string(),
        kind: kind.into(),
        value,
        reason: reason.into_string(),
        added_by: Some(who.actor.user),
        added_at: app.now(),
    };
    let out = stop_out(&s);
    let d = draft(
        &who,
        "xref.stoplist.add",
        &Object::with_id("xref_stoplist", &s.id, None),
        Outcome::Success,
        format!("kind={kind}"),
    );
    let (k, v) = (s.kind.clone(), s.value.clone());
    app.audited(&who, d, move |mut ctx| async move {
        let r = store_xref::insert_stop(&mut ctx, &s).await;
        (ctx, r)
    })
    .await?;
    app.xref.lock(&app.store).await?.matcher().add_stop(&k, &v);
    Ok((StatusCode::CREATED, Json(out)))
}

/// Runs an entity or link change and matches the persons it affects (`affected` and the persons
/// linked to them) in the same job, under one audit event; the index takes the new records
/// after the commit. Holding the matcher's lock across the job means no change is matched
/// against an index that misses a concurrent one.
pub(crate) async fn audited_matching<F, Fut>(
    app: &AppState,
    who: &Authed,
    d: AuditDraft,
    affected: Vec<EntityId>,
    change: F,
) -> Result<(), ApiError>
where
    F: FnOnce(WriteCtx) -> Fut + Send + 'static,
    Fut: Future<Output = (WriteCtx, Result<(), StoreError>)> + Send + 'static,
{
    let locked = app.xref.lock(&app.store).await?;
    let (mut locked, records): (xref::Locked, Vec<PersonRecord>) = app
        .audited(who, d, move |ctx| async move {
            let (mut ctx, r) = change(ctx).await;
            if let Err(e) = r {
                return (ctx, Err(e));
            }
            let mut locked = locked;
            let r = xref::stage(locked.matcher(), &mut ctx, &affected, "incremental").await;
            (ctx, r.map(|recs| (locked, recs)))
        })
        .await?;
    for r in records {
        locked.matcher().apply(r);
    }
    Ok(())
}
