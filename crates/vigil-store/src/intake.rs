//! The triage queue (T1, T2, T4): intake items (anonymous tips and referrals), their messages
//! (tipster follow-ups and staff replies) and attachments, and the single-use register of tip
//! tokens. Rows hold what the tipster wrote and nothing about the tipster's connection.

use crate::row::Cols;
use crate::{Store, StoreError, WriteCtx};
use vigil_core::triage::{IntakeKind, IntakeState, MessageAuthor, Priority};
use vigil_core::{IntakeFacts, TraffickingType};
use vigil_types::{AgencyId, AttachmentId, CaseId, IntakeId, IntakeMessageId, Timestamp, UserId};

/// A rule that fired when the item was assessed (as stored).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FiredRule {
    pub rule: String,
    pub priority: String,
    pub because: String,
}

/// One item of the triage queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntakeItem {
    pub id: IntakeId,
    pub kind: IntakeKind,
    /// Tips: the public half of the receipt code (finds the row without scanning).
    pub receipt_lookup: Option<String>,
    /// Tips: Argon2id PHC string of the secret half.
    pub receipt_hash: Option<String>,
    pub what: String,
    pub where_text: Option<String>,
    pub when_text: Option<String>,
    /// Optional contact the tipster chose to give.
    pub contact: Option<String>,
    /// Referrals: the staff member who entered it. Tips: none.
    pub created_by: Option<UserId>,
    pub priority: Priority,
    pub indicates: TraffickingType,
    pub rules: Vec<FiredRule>,
    pub state: IntakeState,
    pub routed_agency: Option<AgencyId>,
    pub assignee: Option<UserId>,
    pub case_id: Option<CaseId>,
    pub close_reason: Option<String>,
    pub received_at: Timestamp,
    pub updated_at: Timestamp,
}

impl IntakeItem {
    /// What the policy needs.
    #[must_use]
    pub fn facts(&self) -> IntakeFacts {
        IntakeFacts {
            routed_to: self.routed_agency,
            assignee: self.assignee,
        }
    }
}

/// A message on an item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntakeMessage {
    pub id: IntakeMessageId,
    pub item_id: IntakeId,
    pub author: MessageAuthor,
    /// Staff replies: who wrote it (never shown to the tipster).
    pub author_user: Option<UserId>,
    pub body: String,
    pub created_at: Timestamp,
}

/// A file attached to a tip.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    pub id: AttachmentId,
    pub item_id: IntakeId,
    /// What the tipster called the file: display metadata, never a path.
    pub name: Option<String>,
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
    /// The bytes live in the blob store under `sha256` (and `content` is empty). Attachments
    /// stored before the blob store held them keep their bytes in `content`.
    pub in_blob_store: bool,
    pub content: Vec<u8>,
    pub created_at: Timestamp,
}

const ATTACHMENT_COLUMNS: &str =
    "id, item_id, name, media_type, size, sha256, in_blob_store, created_at";

fn attachment_from(c: &Cols<'_>, content: Vec<u8>) -> Result<Attachment, StoreError> {
    Ok(Attachment {
        id: c.parsed("id", AttachmentId::parse)?,
        item_id: c.parsed("item_id", IntakeId::parse)?,
        name: c.opt_string("name")?,
        media_type: c.string("media_type")?,
        size: c.int("size")?,
        sha256: c.string("sha256")?,
        in_blob_store: c.int("in_blob_store")? != 0,
        content,
        created_at: c.time("created_at")?,
    })
}

const ITEM_COLUMNS: &str = "id, kind, receipt_lookup, receipt_hash, what, where_text, when_text, contact, created_by, priority, priority_rank, indicates, rules, state, routed_agency, assignee, case_id, close_reason, received_at, updated_at";

fn rules_to_json(rules: &[FiredRule]) -> String {
    let v: Vec<serde_json::Value> = rules
        .iter()
        .map(|r| serde_json::json!({"rule": r.rule, "priority": r.priority, "because": r.because}))
        .collect();
    serde_json::Value::Array(v).to_string()
}

fn rules_from_json(s: &str) -> Result<Vec<FiredRule>, ()> {
    let v: serde_json::Value = serde_json::from_str(s).map_err(|_| ())?;
    let arr = v.as_array().ok_or(())?;
    arr.iter()
        .map(|r| {
            let f = |k: &str| {
                r.get(k)
                    .and_then(|x| x.as_str())
                    .map(str::to_owned)
                    .ok_or(())
            };
            Ok(FiredRule {
                rule: f("rule")?,
                priority: f("priority")?,
                because: f("because")?,
            })
        })
        .collect()
}

fn item_from_row(r: &sqlx::any::AnyRow) -> Result<IntakeItem, StoreError> {
    let c = Cols::new(r, "intake_items");
    Ok(IntakeItem {
        id: c.parsed("id", IntakeId::parse)?,
        kind: c.parsed("kind", IntakeKind::parse)?,
        receipt_lookup: c.opt_string("receipt_lookup")?,
        receipt_hash: c.opt_string("receipt_hash")?,
        what: c.string("what")?,
        where_text: c.opt_string("where_text")?,
        when_text: c.opt_string("when_text")?,
        contact: c.opt_string("contact")?,
        created_by: c.opt_parsed("created_by", UserId::parse)?,
        priority: c.parsed("priority", Priority::parse)?,
        indicates: c.parsed("indicates", TraffickingType::parse)?,
        rules: c.parsed("rules", rules_from_json)?,
        state: c.parsed("state", IntakeState::parse)?,
        routed_agency: c.opt_parsed("routed_agency", AgencyId::parse)?,
        assignee: c.opt_parsed("assignee", UserId::parse)?,
        case_id: c.opt_parsed("case_id", CaseId::parse)?,
        close_reason: c.opt_string("close_reason")?,
        received_at: c.time("received_at")?,
        updated_at: c.time("updated_at")?,
    })
}

impl Store {
    pub async fn intake_item(&self, id: IntakeId) -> Result<Option<IntakeItem>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {ITEM_COLUMNS} FROM intake_items WHERE id = $1"
        ))
        .bind(id.to_string())
        .fetch_optional(self.reader())
        .await?;
        row.as_ref().map(item_from_row).transpose()
    }

    /// Finds a tip by the public half of its receipt code.
    pub async fn intake_by_receipt(&self, lookup: &str) -> Result<Option<IntakeItem>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {ITEM_COLUMNS} FROM intake_items WHERE receipt_lookup = $1"
        ))
        .bind(lookup)
        .fetch_optional(self.reader())
        .await?;
        row.as_ref().map(item_from_row).transpose()
    }

    /// Queue candidates in `state` (most urgent first, then oldest first), at most `limit`. The
    /// policy, not this query, decides which the caller sees.
    pub async fn intake_queue(
        &self,
        state: IntakeState,
        limit: i64,
    ) -> Result<Vec<IntakeItem>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {ITEM_COLUMNS} FROM intake_items WHERE state = $1 ORDER BY priority_rank DESC, received_at, id LIMIT $2"
        ))
        .bind(state.as_str())
        .bind(limit)
        .fetch_all(self.reader())
        .await?;
        rows.iter().map(item_from_row).collect()
    }

    pub async fn intake_messages(&self, item: IntakeId) -> Result<Vec<IntakeMessage>, StoreError> {
        let rows = sqlx::query("SELECT id, item_id, author, author_user, body, created_at FROM intake_messages WHERE item_id = $1 ORDER BY created_at, id")
            .bind(item.to_string())
            .fetch_all(self.reader())
            .await?;
        rows.iter()
            .map(|r| {
                let c = Cols::new(r, "intake_messages");
                Ok(IntakeMessage {
                    id: c.parsed("id", IntakeMessageId::parse)?,
                    item_id: c.parsed("item_id", IntakeId::parse)?,
                    author: c.parsed("author", MessageAuthor::parse)?,
                    author_user: c.opt_parsed("author_user", UserId::parse)?,
                    body: c.string("body")?,
                    created_at: c.time("created_at")?,
                })
            })
            .collect()
    }

    /// An item's attachments without their content.
    pub async fn intake_attachments(&self, item: IntakeId) -> Result<Vec<Attachment>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {ATTACHMENT_COLUMNS} FROM intake_attachments WHERE item_id = $1 ORDER BY created_at, id"
        ))
        .bind(item.to_string())
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|r| attachment_from(&Cols::new(r, "intake_attachments"), Vec::new()))
            .collect()
    }

    /// One attachment, if it belongs to `item`; `content` holds the bytes only for attachments
    /// kept in the database (`in_blob_store` false).
    pub async fn intake_attachment(
        &self,
        item: IntakeId,
        id: AttachmentId,
    ) -> Result<Option<Attachment>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {ATTACHMENT_COLUMNS}, content FROM intake_attachments WHERE id = $1 AND item_id = $2"
        ))
        .bind(id.to_string())
        .bind(item.to_string())
        .fetch_optional(self.reader())
        .await?;
        row.as_ref()
            .map(|r| {
                let c = Cols::new(r, "intake_attachments");
                let content = c.bytes("content")?;
                attachment_from(&c, content)
            })
            .transpose()
    }
}

pub async fn insert_item(ctx: &mut WriteCtx, i: &IntakeItem) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO intake_items ({ITEM_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)"
    ))
    .bind(i.id.to_string())
    .bind(i.kind.as_str())
    .bind(i.receipt_lookup.clone())
    .bind(i.receipt_hash.clone())
    .bind(&i.what)
    .bind(i.where_text.clone())
    .bind(i.when_text.clone())
    .bind(i.contact.clone())
    .bind(i.created_by.map(|u| u.to_string()))
    .bind(i.priority.as_str())
    .bind(i.priority.rank())
    .bind(i.indicates.as_str())
    .bind(rules_to_json(&i.rules))
    .bind(i.state.as_str())
    .bind(i.routed_agency.map(|a| a.to_string()))
    .bind(i.assignee.map(|u| u.to_string()))
    .bind(i.case_id.map(|c| c.to_string()))
    .bind(i.close_reason.clone())
    .bind(i.received_at.unix_micros())
    .bind(i.updated_at.unix_micros())
    .execute(ctx.conn())
    .await?;
    Ok(())
}

pub async fn insert_message(ctx: &mut WriteCtx, m: &IntakeMessage) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO intake_messages (id, item_id, author, author_user, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(m.id.to_string())
        .bind(m.item_id.to_string())
        .bind(m.author.as_str())
        .bind(m.author_user.map(|u| u.to_string()))
        .bind(&m.body)
        .bind(m.created_at.unix_micros())
        .execute(ctx.conn())
        .await?;
    Ok(())
}

/// Inserts an attachment row. For one in the blob store the blob must already be durable
/// (`BlobWriter::finish` returned): it is registered in the `blobs` ledger in the same
/// transaction, and the row keeps no content.
pub async fn insert_attachment(ctx: &mut WriteCtx, a: &Attachment) -> Result<(), StoreError> {
    if a.in_blob_store {
        let digest = vigil_types::Sha256Digest::parse(&a.sha256)
            .map_err(|_| StoreError::Rejected("sha256: not a SHA-256 digest in hex".into()))?;
        let size = u64::try_from(a.size)
            .map_err(|_| StoreError::Rejected("size: must not be negative".into()))?;
        crate::evidence::register_blob(ctx, digest, size).await?;
    }
    sqlx::query(&format!(
        "INSERT INTO intake_attachments ({ATTACHMENT_COLUMNS}, content) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    ))
    .bind(a.id.to_string())
    .bind(a.item_id.to_string())
    .bind(a.name.clone())
    .bind(&a.media_type)
    .bind(a.size)
    .bind(&a.sha256)
    .bind(i64::from(a.in_blob_store))
    .bind(a.created_at.unix_micros())
    .bind(if a.in_blob_store {
        Vec::new()
    } else {
        a.content.clone()
    })
    .execute(ctx.conn())
    .await?;
    Ok(())
}

/// Changes an open item; fails with `Rejected` when it is merged or closed already.
async fn update_open(
    ctx: &mut WriteCtx,
    id: IntakeId,
    set: &str,
    binds: Vec<Option<String>>,
) -> Result<(), StoreError> {
    let now = ctx.now().unix_micros();
    let n = binds.len();
    let sql = format!(
        "UPDATE intake_items SET {set}, updated_at = ${} WHERE id = ${} AND state = 'open'",
        n + 1,
        n + 2
    );
    let mut q = sqlx::query(&sql);
    for b in binds {
        q = q.bind(b);
    }
    let done = q.bind(now).bind(id.to_string()).execute(ctx.conn()).await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Rejected(
            "this item is no longer open (merged or closed)".into(),
        ));
    }
    Ok(())
}

/// Routes an item to an agency and sets (or clears) its assignee.
pub async fn set_routing(
    ctx: &mut WriteCtx,
    id: IntakeId,
    agency: Option<AgencyId>,
    assignee: Option<UserId>,
) -> Result<(), StoreError> {
    update_open(
        ctx,
        id,
        "routed_agency = $1, assignee = $2",
        vec![
            agency.map(|a| a.to_string()),
            assignee.map(|u| u.to_string()),
        ],
    )
    .await
}

/// Closes an item with a reason.
pub async fn close(ctx: &mut WriteCtx, id: IntakeId, reason: &str) -> Result<(), StoreError> {
    update_open(
        ctx,
        id,
        "state = 'closed', close_reason = $1",
        vec![Some(reason.to_owned())],
    )
    .await
}

/// Marks an item merged into `case`.
pub async fn mark_merged(ctx: &mut WriteCtx, id: IntakeId, case: CaseId) -> Result<(), StoreError> {
    update_open(
        ctx,
        id,
        "state = 'merged', case_id = $1",
        vec![Some(case.to_string())],
    )
    .await
}

/// Stores a new assessment (after the tipster added information).
pub async fn reassess(
    ctx: &mut WriteCtx,
    id: IntakeId,
    priority: Priority,
    indicates: TraffickingType,
    rules: &[FiredRule],
) -> Result<(), StoreError> {
    let now = ctx.now().unix_micros();
    sqlx::query("UPDATE intake_items SET priority = $1, priority_rank = $2, indicates = $3, rules = $4, updated_at = $5 WHERE id = $6")
        .bind(priority.as_str())
        .bind(priority.rank())
        .bind(indicates.as_str())
        .bind(rules_to_json(rules))
        .bind(now)
        .bind(id.to_string())
        .execute(ctx.conn())
        .await?;
    Ok(())
}

/// Records a tip token (challenge or form token) as used until it expires; a second use is a
/// `Conflict`. Expired records are purged first (an expired token is refused before it gets here).
pub async fn use_token(
    ctx: &mut WriteCtx,
    digest: &str,
    expires_at: Timestamp,
) -> Result<(), StoreError> {
    let now = ctx.now().unix_micros();
    sqlx::query("DELETE FROM tip_tokens_used WHERE expires_at <= $1")
        .bind(now)
        .execute(ctx.conn())
        .await?;
    sqlx::query("INSERT INTO tip_tokens_used (digest, expires_at) VALUES ($1, $2)")
        .bind(digest)
        .bind(expires_at.unix_micros())
        .execute(ctx.conn())
        .await?;
    Ok(())
}

/// A stored idempotent response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdempotentResponse {
    pub request_hash: String,
    pub status: u16,
    /// Sealed (encrypted) response body, as the server stored it.
    pub response: String,
    pub created_at: Timestamp,
}

impl Store {
    /// The response stored for `(scope, key)` if it was stored at or after `not_before`.
    pub async fn idempotent_response(
        &self,
        scope: &str,
        key: &str,
        not_before: Timestamp,
    ) -> Result<Option<IdempotentResponse>, StoreError> {
        let row = sqlx::query("SELECT request_hash, status, response, created_at FROM idempotency WHERE actor = $1 AND key = $2 AND created_at >= $3")
            .bind(scope)
            .bind(key)
            .bind(not_before.unix_micros())
            .fetch_optional(self.reader())
            .await?;
        row.as_ref()
            .map(|r| {
                let c = Cols::new(r, "idempotency");
                Ok(IdempotentResponse {
                    request_hash: c.string("request_hash")?,
                    status: u16::try_from(c.int("status")?).map_err(|_| StoreError::Corrupt {
                        table: "idempotency",
                        column: "status",
                    })?,
                    response: c.string("response")?,
                    created_at: c.time("created_at")?,
                })
            })
            .transpose()
    }
}

/// Stores a response under `(scope, key)` in the change's transaction, first purging entries
/// older than `expire_before` (a second store under a live key is a `Conflict`).
pub async fn remember_response(
    ctx: &mut WriteCtx,
    scope: &str,
    key: &str,
    r: &IdempotentResponse,
    expire_before: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM idempotency WHERE created_at < $1")
        .bind(expire_before.unix_micros())
        .execute(ctx.conn())
        .await?;
    sqlx::query("INSERT INTO idempotency (actor, key, request_hash, status, response, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(scope)
        .bind(key)
        .bind(&r.request_hash)
        .bind(i64::from(r.status))
        .bind(&r.response)
        .bind(r.created_at.unix_micros())
        .execute(ctx.conn())
        .await?;
    Ok(())
}

impl Store {
    /// Whether a tip token was used and has not expired yet.
    pub async fn tip_token_used(&self, digest: &str) -> Result<bool, StoreError> {
        let row = sqlx::query("SELECT 1 AS one FROM tip_tokens_used WHERE digest = $1")
            .bind(digest)
            .fetch_optional(self.reader())
            .await?;
        Ok(row.is_some())
    }
}

#[cfg(any(test, feature = "testsuite"))]
impl Store {
    /// Every column of one intake row, as (name, value as text): tests check that nothing about
    /// the submitting client is stored.
    pub async fn intake_row_for_tests(
        &self,
        id: IntakeId,
    ) -> Result<Vec<(String, String)>, StoreError> {
        use sqlx::{Column, Row};
        let row = sqlx::query("SELECT * FROM intake_items WHERE id = $1")
            .bind(id.to_string())
            .fetch_one(self.reader())
            .await?;
        Ok(row
            .columns()
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let v = row
                    .try_get::<Option<String>, _>(i)
                    .map(Option::unwrap_or_default)
                    .or_else(|_| {
                        row.try_get::<Option<i64>, _>(i)
                            .map(|v| v.map(|n| n.to_string()).unwrap_or_default())
                    })
                    .unwrap_or_default();
                (c.name().to_owned(), v)
            })
            .collect())
    }

    /// The stored (sealed) idempotent responses.
    pub async fn idempotency_responses_for_tests(&self) -> Result<Vec<String>, StoreError> {
        use sqlx::Row;
        let rows = sqlx::query("SELECT response FROM idempotency")
            .fetch_all(self.reader())
            .await?;
        rows.iter()
            .map(|r| r.try_get::<String, _>(0).map_err(StoreError::from))
            .collect()
    }
}
