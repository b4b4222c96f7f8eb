//! Anonymous tips (T1, T2): the submission and follow-up logic shared by the JSON routes
//! (`routes/tips.rs`) and the no-JavaScript tip page, which calls these functions directly.
//!
//! Anti-abuse without identifying anyone: every tip carries either a solved proof-of-work
//! challenge (API clients) or a form token that becomes valid a few seconds after the page was
//! served (the no-JavaScript page); both are HMAC-signed, stateless until used, and single-use
//! (their SHA-256 is kept until they expire). One global token bucket limits all public tip
//! calls together. Nothing here reads the peer address, user agent or any other header, and the
//! server has no request-logging layer: a tip row and its audit event hold no client metadata.
//! Receipt codes are a lookup id plus an 80-bit secret stored only as an Argon2id hash; an
//! unknown lookup id costs the same Argon2id work and gets the same answer as a wrong secret.

pub mod files;

use crate::idempotency::{PendingKey, Replay};
use crate::wire::{TipReceipt, TipSubmission, TipThread, TipThreadMessage};
use crate::{ApiError, AppState};
use axum::http::StatusCode;
use base64::Engine;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;
use vigil_audit::Outcome;
use vigil_core::tips::{ReceiptCode, TokenError, TokenKey, TokenKind, Verified};
use vigil_core::triage::{self, IntakeKind, IntakeState, MessageAuthor};
use vigil_store::intake::{self, Attachment, FiredRule, IntakeItem, IntakeMessage};
use vigil_store::{AuditDraft, StoreError};
use vigil_types::{AttachmentId, DisplayText, IntakeId, IntakeMessageId, Timestamp};

/// Tip intake settings.
#[derive(Clone, Debug)]
pub struct TipsConfig {
    /// Proof-of-work difficulty in leading zero bits (each bit doubles the expected work).
    pub pow_bits: u8,
    pub challenge_ttl: Duration,
    /// A form token is refused until this long after it was issued (bots post at once).
    pub form_delay: Duration,
    pub form_ttl: Duration,
    /// The global rate limit for all public tip calls together (not per client).
    pub rate_per_minute: u32,
    pub burst: u32,
    /// Attachments per tip and bytes per attachment (after base64 decoding). Attachments are
    /// kept in the blob store (like evidence); the request body limit (1 MiB) also applies.
    pub max_attachments: usize,
    pub max_attachment_bytes: usize,
    /// Characters of the free text.
    pub max_text_chars: usize,
}

impl Default for TipsConfig {
    fn default() -> Self {
        Self {
            pow_bits: 18,
            challenge_ttl: Duration::from_secs(600),
            form_delay: Duration::from_secs(3),
            form_ttl: Duration::from_secs(2 * 3600),
            rate_per_minute: 120,
            burst: 60,
            max_attachments: 3,
            max_attachment_bytes: 256 * 1024,
            max_text_chars: 10_000,
        }
    }
}

impl TipsConfig {
    /// Low difficulty and no practical rate limit: tests, and the tip benchmark
    /// (`vigil serve --bench-tips`). Never for a deployment.
    #[must_use]
    pub fn for_bench() -> Self {
        Self {
            pow_bits: 1,
            rate_per_minute: 100_000_000,
            burst: 1_000_000,
            ..Self::default()
        }
    }
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    last: Option<Timestamp>,
}

/// Per-process tip state: the signing key (random at start, so challenges and form tokens do not
/// survive a restart and are valid only on the instance that issued them) and the rate limiter.
pub struct TipRuntime {
    key: TokenKey,
    bucket: Mutex<Bucket>,
    dummy_hash: OnceLock<String>,
}

impl TipRuntime {
    pub(crate) fn new(c: &TipsConfig) -> Self {
        Self {
            key: TokenKey::generate(&mut rand::rngs::OsRng),
            bucket: Mutex::new(Bucket {
                tokens: f64::from(c.burst),
                last: None,
            }),
            dummy_hash: OnceLock::new(),
        }
    }
}

impl AppState {
    /// Takes one token from the global bucket or answers 429.
    fn tip_rate_limit(&self) -> Result<(), ApiError> {
        let c = &self.config.tips;
        let now = self.now();
        let per_sec = f64::from(c.rate_per_minute) / 60.0;
        let mut b = self
            .tips
            .bucket
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(last) = b.last {
            let dt = now.since(last).as_secs_f64();
            b.tokens = (b.tokens + dt * per_sec).min(f64::from(c.burst));
        }
        b.last = Some(now);
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else {
            let wait = if per_sec > 0.0 {
                ((1.0 - b.tokens) / per_sec).ceil()
            } else {
                60.0
            };
            // Bounded above, so the cast cannot truncate meaningfully.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let retry_after_secs = wait.clamp(1.0, 3600.0) as u64;
            Err(ApiError::TooManyRequests { retry_after_secs })
        }
    }
}

/// A proof-of-work challenge to solve before submitting.
#[derive(Clone, Debug)]
pub struct Challenge {
    pub challenge: String,
    pub difficulty_bits: u8,
    pub expires_at: Timestamp,
}

/// Issues a challenge (rate-limited like every public tip call).
pub fn issue_challenge(app: &AppState) -> Result<Challenge, ApiError> {
    app.tip_rate_limit()?;
    let now = app.now();
    let c = &app.config.tips;
    let expires_at = now.plus(c.challenge_ttl);
    let challenge = vigil_core::tips::issue(
        &app.tips.key,
        TokenKind::Challenge,
        now,
        expires_at,
        c.pow_bits,
        &mut rand::rngs::OsRng,
    );
    Ok(Challenge {
        challenge,
        difficulty_bits: c.pow_bits,
        expires_at,
    })
}

/// Issues a form token for the no-JavaScript tip page: put it in a hidden field; it is accepted
/// from `form_delay` after now until `form_ttl`, once.
#[must_use]
pub fn issue_form_token(app: &AppState) -> String {
    let now = app.now();
    let c = &app.config.tips;
    vigil_core::tips::issue(
        &app.tips.key,
        TokenKind::Form,
        now.plus(c.form_delay),
        now.plus(c.form_ttl),
        0,
        &mut rand::rngs::OsRng,
    )
}

/// How a submission proves it is worth accepting.
#[derive(Clone, Debug)]
pub enum Proof {
    /// A challenge from `issue_challenge` and a nonce solving it.
    Work { challenge: String, nonce: String },
    /// A form token from `issue_form_token`.
    Form { token: String },
}

/// A tip as the page or the API received it (attachments already decoded).
#[derive(Clone, Debug, Default)]
pub struct TipInput {
    pub what: String,
    pub where_text: Option<String>,
    pub when_text: Option<String>,
    pub contact: Option<String>,
    pub attachments: Vec<AttachmentInput>,
}

#[derive(Clone, Debug)]
pub struct AttachmentInput {
    pub media_type: String,
    pub content: Vec<u8>,
    /// What the tipster called the file (display metadata only; see `files::display_name`).
    pub name: Option<String>,
}

/// What `submit` did.
pub enum Submitted {
    /// A new tip: show the receipt code once.
    Created(TipReceipt),
    /// The same request with the same `Idempotency-Key` was accepted before: its response.
    Replayed(Replay),
}

fn token_error(field: &str, e: TokenError) -> ApiError {
    let code = match e {
        TokenError::Expired => "TOKEN_EXPIRED",
        TokenError::NotYetValid => "TOKEN_NOT_YET_VALID",
        TokenError::WorkMissing => "WORK_MISSING",
        TokenError::TooEasy => "TOKEN_TOO_EASY",
        TokenError::Malformed | TokenError::WrongKind | TokenError::BadSignature => "TOKEN_INVALID",
    };
    ApiError::Invalid {
        code,
        message: format!("{field}: {e}"),
    }
}

fn token_used() -> ApiError {
    ApiError::Invalid {
        code: "TOKEN_USED",
        message: "this challenge or form token was already used; fetch a new one".into(),
    }
}

/// Normalises line ends (browsers send CRLF) and checks length and characters.
pub(crate) fn text(field: &str, s: &str, max: usize) -> Result<String, ApiError> {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    DisplayText::parse(&s, max)
        .map(DisplayText::into_string)
        .map_err(|e| ApiError::invalid(field, e))
}

pub(crate) fn opt_text(
    field: &str,
    s: Option<&str>,
    max: usize,
) -> Result<Option<String>, ApiError> {
    match s.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => text(field, v, max).map(Some),
    }
}

fn verify_proof(app: &AppState, proof: &Proof) -> Result<Verified, ApiError> {
    let now = app.now();
    let key = &app.tips.key;
    match proof {
        Proof::Work { challenge, nonce } => {
            let v = vigil_core::tips::verify(
                key,
                TokenKind::Challenge,
                challenge,
                now,
                app.config.tips.pow_bits,
            )
            .map_err(|e| token_error("challenge", e))?;
            if !vigil_core::tips::check_work(challenge, nonce, v.bits) {
                return Err(token_error("nonce", TokenError::WorkMissing));
            }
            Ok(v)
        }
        Proof::Form { token } => vigil_core::tips::verify(key, TokenKind::Form, token, now, 0)
            .map_err(|e| token_error("form_token", e)),
    }
}

/// Decodes the API's attachments (base64) into `AttachmentInput`s, with the size caps.
pub fn decode_attachments(
    app: &AppState,
    list: &[crate::wire::TipAttachmentIn],
) -> Result<Vec<AttachmentInput>, ApiError> {
    let c = &app.config.tips;
    if list.len() > c.max_attachments {
        return Err(ApiError::invalid(
            "attachments",
            format!("at most {} files", c.max_attachments),
        ));
    }
    list.iter()
        .enumerate()
        .map(|(i, a)| {
            // Base64 is 4/3 of the size: refuse before decoding anything too big.
            if a.content_base64.len() > c.max_attachment_bytes.saturating_mul(4) / 3 + 4 {
                return Err(ApiError::invalid(
                    &format!("attachments[{i}].content_base64"),
                    format!("file larger than {} bytes", c.max_attachment_bytes),
                ));
            }
            let content = base64::engine::general_purpose::STANDARD
                .decode(a.content_base64.as_bytes())
                .map_err(|_| {
                    ApiError::invalid(
                        &format!("attachments[{i}].content_base64"),
                        "not valid standard base64",
                    )
                })?;
            Ok(AttachmentInput {
                media_type: a.media_type.clone(),
                content,
                name: a.name.clone(),
            })
        })
        .collect()
}

/// Selectors' ages for the stated-minor rule.
fn stated_ages(text: &str) -> Vec<u8> {
    vigil_ident::extract(text, &vigil_ident::Options::default())
        .ages
        .iter()
        .map(|a| a.age)
        .collect()
}

/// Assesses the text with the triage rules.
pub(crate) fn assess(text: &str) -> (triage::Assessment, Vec<FiredRule>) {
    let a = triage::assess(text, &stated_ages(text));
    let rules = a
        .fired
        .iter()
        .map(|f| FiredRule {
            rule: f.rule.to_owned(),
            priority: f.priority.as_str().to_owned(),
            because: f.because.clone(),
        })
        .collect();
    (a, rules)
}

/// The tip's searchable text: what, where and when.
pub(crate) fn item_text(what: &str, where_text: Option<&str>, when_text: Option<&str>) -> String {
    [Some(what), where_text, when_text]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("\n")
}

async fn hash_secret(secret: String) -> Result<String, ApiError> {
    tokio::task::spawn_blocking(move || {
        vigil_core::auth::password::hash(&secret, &mut rand::rngs::OsRng)
    })
    .await
    .map_err(|e| ApiError::internal("receipt hash task", &e))?
    .map_err(|e| ApiError::internal("receipt hash", &e))
}

fn public_draft(
    action: &str,
    item: Option<IntakeId>,
    outcome: Outcome,
    detail: &str,
) -> AuditDraft {
    AuditDraft {
        actor_user: None,
        actor_agency: None,
        action: action.to_owned(),
        object_kind: "intake".to_owned(),
        object_id: item.map(|i| i.to_string()),
        object_agency: None,
        outcome,
        detail: detail.to_owned(),
    }
}

/// Writes checked attachments (media type, display name, sanitised bytes) to the blob store and
/// returns their rows (not yet committed).
async fn store_attachments(
    app: &AppState,
    item: IntakeId,
    now: Timestamp,
    checked: Vec<(String, Option<String>, Vec<u8>)>,
) -> Result<Vec<Attachment>, ApiError> {
    if checked.is_empty() {
        return Ok(Vec::new());
    }
    let blobs = app.blobs.clone().ok_or(ApiError::NotConfigured(
        "this server has no blob directory configured; tip attachments cannot be stored",
    ))?;
    let limit = app.config.tips.max_attachment_bytes as u64;
    tokio::task::spawn_blocking(move || {
        checked
            .into_iter()
            .map(|(media_type, name, bytes)| {
                let stored = blobs
                    .ingest_reader(bytes.as_slice(), limit)
                    .map_err(|e| ApiError::internal("tip attachment", &e))?;
                Ok(Attachment {
                    id: AttachmentId::new_random(),
                    item_id: item,
                    name,
                    media_type,
                    size: i64::try_from(stored.size).unwrap_or(i64::MAX),
                    sha256: stored.digest.to_hex(),
                    in_blob_store: true,
                    content: Vec::new(),
                    created_at: now,
                })
            })
            .collect()
    })
    .await
    .map_err(|e| ApiError::internal("tip attachment task", &e))?
}

/// Accepts an anonymous tip: checks the rate limit, the proof, the text and attachments, and
/// stores the tip, its attachments, the used token and its audit event (no actor, no content)
/// in one transaction. With an idempotency key, a repeat of the same request returns the first
/// response and stores nothing.
pub async fn submit(
    app: &AppState,
    proof: Proof,
    input: TipInput,
    idem: Option<&PendingKey>,
) -> Result<Submitted, ApiError> {
    app.tip_rate_limit()?;
    let verified = verify_proof(app, &proof)?;
    let idem = idem.map(|k| k.scoped(&format!("tip:{}", verified.digest)));
    if let Some(i) = &idem {
        if let Some(replay) = app.idempotent_replay(i).await? {
            let d = public_draft("tip.submit", None, Outcome::Success, "idempotent_replay");
            app.store
                .write(move |mut ctx| async move {
                    let r = ctx.audit(d).await.map(|_| ());
                    (ctx, r)
                })
                .await?;
            return Ok(Submitted::Replayed(replay));
        }
    }
    let c = &app.config.tips;
    let what = text("what", &input.what, c.max_text_chars)?;
    let where_text = opt_text("where", input.where_text.as_deref(), 1_000)?;
    let when_text = opt_text("when", input.when_text.as_deref(), 1_000)?;
    let contact = opt_text("contact", input.contact.as_deref(), 500)?;
    if input.attachments.len() > c.max_attachments {
        return Err(ApiError::invalid(
            "attachments",
            format!("at most {} files", c.max_attachments),
        ));
    }
    let now = app.now();
    let id = IntakeId::new_random();
    let mut checked = Vec::with_capacity(input.attachments.len());
    for (i, a) in input.attachments.iter().enumerate() {
        let field = format!("attachments[{i}]");
        if a.content.len() > c.max_attachment_bytes {
            return Err(ApiError::invalid(
                &field,
                format!("file larger than {} bytes", c.max_attachment_bytes),
            ));
        }
        let name = a
            .name
            .as_deref()
            .map(files::display_name)
            .transpose()
            .map_err(|e| ApiError::invalid(&format!("{field}.name"), e))?
            .flatten();
        let stored =
            files::sanitise(&a.media_type, &a.content).map_err(|e| ApiError::invalid(&field, e))?;
        checked.push((a.media_type.clone(), name, stored));
    }
    // A used token is refused before the slow hash (the store refuses it again, race-free).
    if app.store.tip_token_used(&verified.digest).await? {
        return Err(token_used());
    }
    let (assessment, rules) = assess(&item_text(
        &what,
        where_text.as_deref(),
        when_text.as_deref(),
    ));
    // Attachments go to the blob store: written, hashed and fsynced under their digest before
    // the row that names them commits (a crash in between leaves an orphan blob that no route
    // shows and `vigil evidence verify` reports).
    let attachments = store_attachments(app, id, now, checked).await?;
    #[cfg(feature = "failpoints")]
    if !attachments.is_empty()
        && app
            .failpoints
            .tip_after_blob
            .load(std::sync::atomic::Ordering::SeqCst)
    {
        return Err(ApiError::internal(
            "tip attachment",
            &std::io::Error::other("failpoint tip_after_blob"),
        ));
    }
    let mut last_err = None;
    // A 45-bit lookup id can collide; draw another code then (the transaction rolled back).
    for _ in 0..3 {
        let code = ReceiptCode::generate(&mut rand::rngs::OsRng);
        let hash = hash_secret(code.secret().to_owned()).await?;
        let item = IntakeItem {
            id,
            kind: IntakeKind::Tip,
            receipt_lookup: Some(code.lookup().to_owned()),
            receipt_hash: Some(hash),
            what: what.clone(),
            where_text: where_text.clone(),
            when_text: when_text.clone(),
            contact: contact.clone(),
            created_by: None,
            priority: assessment.priority,
            indicates: assessment.indicates,
            rules: rules.clone(),
            state: IntakeState::Open,
            routed_agency: None,
            assignee: None,
            case_id: None,
            close_reason: None,
            received_at: now,
            updated_at: now,
        };
        let receipt = TipReceipt {
            receipt_code: code.expose(),
            received_at: now.to_rfc3339(),
            message: "Thank you. Keep this receipt code somewhere safe: it is shown only once, \
                      and with it you can read replies and add information later."
                .into(),
        };
        let body =
            serde_json::to_value(&receipt).map_err(|e| ApiError::internal("tip receipt", &e))?;
        let digest = verified.digest.clone();
        let expires_at = verified.expires_at;
        let files = attachments.clone();
        let idem = idem.clone();
        let d = public_draft("tip.submit", Some(id), Outcome::Success, "");
        let r = app
            .store
            .write(move |mut ctx| async move {
                let r = async {
                    intake::use_token(&mut ctx, &digest, expires_at).await?;
                    intake::insert_item(&mut ctx, &item).await?;
                    for f in &files {
                        intake::insert_attachment(&mut ctx, f).await?;
                    }
                    if let Some(i) = &idem {
                        i.remember(&mut ctx, StatusCode::CREATED, &body).await?;
                    }
                    ctx.audit(d).await.map(|_| ())
                }
                .await;
                (ctx, r)
            })
            .await;
        match r {
            Ok(()) => return Ok(Submitted::Created(receipt)),
            Err(StoreError::Conflict(rule)) if rule.contains("receipt lookup") => {
                last_err = Some(StoreError::Conflict(rule));
            }
            Err(StoreError::Conflict(rule)) if rule.contains("challenge or form token") => {
                return Err(token_used());
            }
            Err(StoreError::Conflict(_)) => {
                return Err(ApiError::Conflict(
                    "this request is already being processed; retry to get its response".into(),
                ));
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(last_err.map_or(ApiError::Unavailable, ApiError::from))
}

/// Same answer, same work for an unknown code and a wrong secret.
fn code_not_recognised() -> ApiError {
    ApiError::NotFound
}

/// Finds the tip a receipt code belongs to, or refuses with the same error and a comparable
/// Argon2id verification whether the lookup id is unknown or the secret wrong. Failures are
/// audited (no actor, no code).
async fn tip_by_code(app: &AppState, raw: &str) -> Result<IntakeItem, ApiError> {
    app.tip_rate_limit()?;
    let parsed = ReceiptCode::parse(raw).ok();
    let found = match &parsed {
        Some(code) => app.store.intake_by_receipt(code.lookup()).await?,
        None => None,
    };
    let dummy = dummy_hash(app).await?;
    let phc = found
        .as_ref()
        .and_then(|i| i.receipt_hash.clone())
        .unwrap_or(dummy);
    let secret = parsed
        .as_ref()
        .map_or_else(|| "-".repeat(16), |c| c.secret().to_owned());
    let ok = tokio::task::spawn_blocking(move || vigil_core::auth::password::verify(&secret, &phc))
        .await
        .map_err(|e| ApiError::internal("receipt verify task", &e))?;
    match found {
        Some(item) if ok => Ok(item),
        _ => {
            let d = public_draft("tip.followup", None, Outcome::Failed, "code_not_recognised");
            app.store
                .write(move |mut ctx| async move {
                    let r = ctx.audit(d).await.map(|_| ());
                    (ctx, r)
                })
                .await?;
            Err(code_not_recognised())
        }
    }
}

/// An Argon2id hash of a value no code can have, computed once per process.
async fn dummy_hash(app: &AppState) -> Result<String, ApiError> {
    if let Some(h) = app.tips.dummy_hash.get() {
        return Ok(h.clone());
    }
    let h = hash_secret("not a receipt secret".into()).await?;
    Ok(app.tips.dummy_hash.get_or_init(|| h).clone())
}

/// What the tipster sees with the code: replies from the task force and their own additions.
pub async fn thread(app: &AppState, receipt_code: &str) -> Result<TipThread, ApiError> {
    let item = tip_by_code(app, receipt_code).await?;
    let messages = app
        .store
        .intake_messages(item.id)
        .await?
        .into_iter()
        .map(|m| TipThreadMessage {
            from: match m.author {
                MessageAuthor::Tipster => "you".into(),
                MessageAuthor::Staff => "task_force".into(),
            },
            body: m.body,
            at: m.created_at.to_rfc3339(),
        })
        .collect();
    let d = public_draft("tip.followup.read", Some(item.id), Outcome::Success, "");
    app.store
        .write(move |mut ctx| async move {
            let r = ctx.audit(d).await.map(|_| ());
            (ctx, r)
        })
        .await?;
    Ok(TipThread {
        received_at: item.received_at.to_rfc3339(),
        messages,
    })
}

/// The tipster adds information; the item is re-assessed with it (its priority can only rise).
pub async fn add_information(
    app: &AppState,
    receipt_code: &str,
    body: &str,
) -> Result<(), ApiError> {
    let body = text("text", body, app.config.tips.max_text_chars)?;
    let item = tip_by_code(app, receipt_code).await?;
    let mut all = vec![item_text(
        &item.what,
        item.where_text.as_deref(),
        item.when_text.as_deref(),
    )];
    all.extend(
        app.store
            .intake_messages(item.id)
            .await?
            .into_iter()
            .filter(|m| m.author == MessageAuthor::Tipster)
            .map(|m| m.body),
    );
    all.push(body.clone());
    let (assessment, rules) = assess(&all.join("\n"));
    let m = IntakeMessage {
        id: IntakeMessageId::new_random(),
        item_id: item.id,
        author: MessageAuthor::Tipster,
        author_user: None,
        body,
        created_at: app.now(),
    };
    let d = public_draft("tip.followup.add", Some(item.id), Outcome::Success, "");
    let id = item.id;
    app.store
        .write(move |mut ctx| async move {
            let r = async {
                intake::insert_message(&mut ctx, &m).await?;
                intake::reassess(
                    &mut ctx,
                    id,
                    assessment.priority,
                    assessment.indicates,
                    &rules,
                )
                .await?;
                ctx.audit(d).await.map(|_| ())
            }
            .await;
            (ctx, r)
        })
        .await?;
    Ok(())
}

/// The API's submission body as `Proof` and `TipInput`.
pub fn from_wire(app: &AppState, s: TipSubmission) -> Result<(Proof, TipInput), ApiError> {
    let attachments = decode_attachments(app, &s.attachments)?;
    Ok((
        Proof::Work {
            challenge: s.challenge,
            nonce: s.nonce,
        },
        TipInput {
            what: s.what,
            where_text: s.where_text,
            when_text: s.when_text,
            contact: s.contact,
            attachments,
        },
    ))
}
