//! Policy and audit plumbing shared by handlers: ask `authorize`, record the decision, run a
//! change together with its audit event.

use crate::auth::Authed;
use crate::ApiError;
use crate::AppState;
use std::future::Future;
use vigil_audit::Outcome;
use vigil_core::{authorize, Action, CaseFacts, Decision, Deny, Target};
use vigil_store::{AuditDraft, StoreError, WriteCtx};
use vigil_types::{AgencyId, CaseId};

/// What an audit event is about.
#[derive(Clone, Debug)]
pub struct Object {
    pub kind: &'static str,
    pub id: Option<String>,
    pub agency: Option<AgencyId>,
}

impl Object {
    #[must_use]
    pub fn task_force(kind: &'static str) -> Self {
        Self {
            kind,
            id: None,
            agency: None,
        }
    }

    #[must_use]
    pub fn case(facts: &CaseFacts) -> Self {
        Self {
            kind: "case",
            id: Some(facts.id.to_string()),
            agency: Some(facts.owner),
        }
    }

    #[must_use]
    pub fn with_id(kind: &'static str, id: impl ToString, agency: Option<AgencyId>) -> Self {
        Self {
            kind,
            id: Some(id.to_string()),
            agency,
        }
    }
}

pub fn draft(
    who: &Authed,
    action: &str,
    object: &Object,
    outcome: Outcome,
    detail: impl Into<String>,
) -> AuditDraft {
    AuditDraft {
        actor_user: Some(who.actor.user),
        actor_agency: Some(who.actor.agency),
        action: action.to_owned(),
        object_kind: object.kind.to_owned(),
        object_id: object.id.clone(),
        object_agency: object.agency,
        outcome,
        detail: detail.into(),
    }
}

fn deny_error(why: Deny) -> ApiError {
    match why {
        Deny::NotVisible => ApiError::NotFound,
        Deny::RoleForbids => ApiError::Forbidden {
            message: "your role does not allow this",
        },
        Deny::ReadOnlyToken => ApiError::Forbidden {
            message: "this API token is read-only",
        },
        Deny::StepUpRequired => ApiError::StepUpRequired,
    }
}

impl AppState {
    /// Writes one audit event (and marks the session active) in its own transaction.
    pub async fn audit(&self, who: &Authed, d: AuditDraft) -> Result<(), ApiError> {
        let touch = who.session_hash().map(str::to_owned);
        self.store
            .append_audit(d, touch)
            .await
            .map(|_| ())
            .map_err(ApiError::from)
    }

    /// Asks the policy about a task-force-scope action; a refusal is audited and answered.
    pub async fn check(
        &self,
        who: &Authed,
        action: Action,
        target: Target<'_>,
        object: &Object,
    ) -> Result<(), ApiError> {
        let decision = match authorize(&who.actor, action, target) {
            // IA-11: the policy allows it, and a privileged function also needs a recent
            // password and second factor.
            Decision::Allow
                if action.needs_step_up()
                    && !vigil_core::auth::session::stepped_up(who.auth_at, self.now()) =>
            {
                Decision::Deny(Deny::StepUpRequired)
            }
            other => other,
        };
        match decision {
            Decision::Allow => Ok(()),
            Decision::Deny(why) => {
                self.audit(
                    who,
                    draft(who, action.as_str(), object, Outcome::Denied, why.as_str()),
                )
                .await?;
                Err(deny_error(why))
            }
        }
    }

    /// Loads a case by its raw path id and asks the policy. A malformed id, a missing case and a
    /// case the caller may not see all answer 404; the last is audited as a denial.
    pub async fn case_access(
        &self,
        who: &Authed,
        raw_id: &str,
        action: Action,
    ) -> Result<CaseFacts, ApiError> {
        let Ok(id) = CaseId::parse(raw_id) else {
            return Err(ApiError::NotFound);
        };
        let Some(facts) = self.store.case_facts(id).await? else {
            return Err(ApiError::NotFound);
        };
        self.check(who, action, Target::Case(&facts), &Object::case(&facts))
            .await?;
        Ok(facts)
    }

    /// Runs `change` and its audit event in one transaction. If the change fails, the failure is
    /// audited separately (the change itself rolled back) and returned.
    pub async fn audited<T, F, Fut>(
        &self,
        who: &Authed,
        d: AuditDraft,
        change: F,
    ) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(WriteCtx) -> Fut + Send + 'static,
        Fut: Future<Output = (WriteCtx, Result<T, StoreError>)> + Send + 'static,
    {
        let touch = who.session_hash().map(str::to_owned);
        let event = d.clone();
        let result = self
            .store
            .write(move |ctx| async move {
                let (mut ctx, r) = change(ctx).await;
                let r = match r {
                    Ok(v) => record(&mut ctx, touch.as_deref(), event).await.map(|()| v),
                    Err(e) => Err(e),
                };
                (ctx, r)
            })
            .await;
        match result {
            Ok(v) => Ok(v),
            Err(
                e @ (StoreError::Conflict(_)
                | StoreError::Rejected(_)
                | StoreError::MissingReference
                | StoreError::NotFound),
            ) => {
                let code = match &e {
                    StoreError::Conflict(_) => "conflict",
                    StoreError::Rejected(_) => "rule_violation",
                    StoreError::MissingReference => "missing_reference",
                    _ => "not_found",
                };
                let failed = AuditDraft {
                    outcome: Outcome::Failed,
                    detail: code.into(),
                    ..d
                };
                self.audit(who, failed).await?;
                Err(e.into())
            }
            Err(e) => Err(e.into()),
        }
    }
}

/// Appends the event and touches the session inside a job.
pub async fn record(
    ctx: &mut WriteCtx,
    session: Option<&str>,
    d: AuditDraft,
) -> Result<(), StoreError> {
    if let Some(hash) = session {
        ctx.touch_session(hash);
    }
    ctx.audit(d).await.map(|_| ())
}
