//! Protocol checklists on cases (T5): a started template's items, copied at start, and who
//! closed each item when.

use crate::row::Cols;
use crate::{Store, StoreError, WriteCtx};
use sqlx::Row;
use vigil_core::protocol::{ItemStatus, Template, Trigger};
use vigil_types::{CaseId, ProtocolId, ProtocolItemId, Timestamp, UserId};

/// A checklist started on a case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Protocol {
    pub id: ProtocolId,
    pub case_id: CaseId,
    pub template_key: String,
    pub template_version: u32,
    pub title: String,
    /// Conditions declared at start (e.g. `minor`).
    pub conditions: Vec<String>,
    /// Set when the checklist started by itself.
    pub trigger: Option<Trigger>,
    pub started_at: Timestamp,
    pub started_by: UserId,
}

/// One item of a checklist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub id: ProtocolItemId,
    pub protocol_id: ProtocolId,
    pub case_id: CaseId,
    pub position: i64,
    pub key: String,
    pub text: String,
    pub due_at: Timestamp,
    pub status: ItemStatus,
    pub closed_by: Option<UserId>,
    pub closed_at: Option<Timestamp>,
    pub note: Option<String>,
    /// Added to the checklist by hand rather than copied from the template.
    pub custom: bool,
}

const PROTOCOL_COLUMNS: &str =
    "id, case_id, template_key, template_version, title, conditions, start_trigger, started_at, started_by";
const ITEM_COLUMNS: &str =
    "id, protocol_id, case_id, position, item_key, text, due_at, status, closed_by, closed_at, note, custom";

fn protocol_from_row(r: &sqlx::any::AnyRow) -> Result<Protocol, StoreError> {
    let c = Cols::new(r, "protocols");
    Ok(Protocol {
        id: c.parsed("id", ProtocolId::parse)?,
        case_id: c.parsed("case_id", CaseId::parse)?,
        template_key: c.string("template_key")?,
        template_version: u32::try_from(c.int("template_version")?).map_err(|_| {
            StoreError::Corrupt {
                table: "protocols",
                column: "template_version",
            }
        })?,
        title: c.string("title")?,
        conditions: c
            .string("conditions")?
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        trigger: c.opt_parsed("start_trigger", Trigger::parse)?,
        started_at: c.time("started_at")?,
        started_by: c.parsed("started_by", UserId::parse)?,
    })
}

fn item_from_row(r: &sqlx::any::AnyRow) -> Result<Item, StoreError> {
    let c = Cols::new(r, "protocol_items");
    Ok(Item {
        id: c.parsed("id", ProtocolItemId::parse)?,
        protocol_id: c.parsed("protocol_id", ProtocolId::parse)?,
        case_id: c.parsed("case_id", CaseId::parse)?,
        position: c.int("position")?,
        key: c.string("item_key")?,
        text: c.string("text")?,
        due_at: c.time("due_at")?,
        status: c.parsed("status", ItemStatus::parse)?,
        closed_by: c.opt_parsed("closed_by", UserId::parse)?,
        closed_at: c.opt_time("closed_at")?,
        note: c.opt_string("note")?,
        custom: c.flag("custom")?,
    })
}

impl Store {
    /// A case's checklists with their items, oldest first.
    pub async fn protocols(&self, case: CaseId) -> Result<Vec<(Protocol, Vec<Item>)>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {PROTOCOL_COLUMNS} FROM protocols WHERE case_id = $1 ORDER BY created_at, id"
        ))
        .bind(case.to_string())
        .fetch_all(self.reader())
        .await?;
        let protocols: Vec<Protocol> = rows
            .iter()
            .map(protocol_from_row)
            .collect::<Result<_, _>>()?;
        let rows = sqlx::query(&format!(
            "SELECT {ITEM_COLUMNS} FROM protocol_items WHERE case_id = $1 ORDER BY protocol_id, position"
        ))
        .bind(case.to_string())
        .fetch_all(self.reader())
        .await?;
        let mut items: Vec<Item> = rows.iter().map(item_from_row).collect::<Result<_, _>>()?;
        Ok(protocols
            .into_iter()
            .map(|p| {
                let (mine, rest): (Vec<Item>, Vec<Item>) =
                    items.drain(..).partition(|i| i.protocol_id == p.id);
                items = rest;
                (p, mine)
            })
            .collect())
    }

    pub async fn protocol(&self, id: ProtocolId) -> Result<Option<Protocol>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {PROTOCOL_COLUMNS} FROM protocols WHERE id = $1"
        ))
        .bind(id.to_string())
        .fetch_optional(self.reader())
        .await?;
        row.as_ref().map(protocol_from_row).transpose()
    }

    pub async fn protocol_item(&self, id: ProtocolItemId) -> Result<Option<Item>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {ITEM_COLUMNS} FROM protocol_items WHERE id = $1"
        ))
        .bind(id.to_string())
        .fetch_optional(self.reader())
        .await?;
        row.as_ref().map(item_from_row).transpose()
    }
}

async fn insert_item(ctx: &mut WriteCtx, i: &Item) -> Result<(), StoreError> {
    let now = ctx.now().unix_micros();
    sqlx::query(&format!(
        "INSERT INTO protocol_items ({ITEM_COLUMNS}, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
    ))
    .bind(i.id.to_string())
    .bind(i.protocol_id.to_string())
    .bind(i.case_id.to_string())
    .bind(i.position)
    .bind(&i.key)
    .bind(&i.text)
    .bind(i.due_at.unix_micros())
    .bind(i.status.as_str())
    .bind(i.closed_by.map(|u| u.to_string()))
    .bind(i.closed_at.map(Timestamp::unix_micros))
    .bind(i.note.clone())
    .bind(i64::from(i.custom))
    .bind(now)
    .execute(ctx.conn())
    .await?;
    Ok(())
}

/// Starts `template` on `case` at `start` with `conditions` declared; returns the new
/// checklist's id. Items whose condition was not declared are recorded as not applicable, by
/// the starter, with the reason. A protocol is on a case at most once (`Conflict`).
pub async fn start(
    ctx: &mut WriteCtx,
    case: CaseId,
    template: &Template,
    start: Timestamp,
    conditions: &[String],
    actor: UserId,
    trigger: Option<Trigger>,
) -> Result<ProtocolId, StoreError> {
    let items = template
        .instantiate(start, conditions)
        .map_err(StoreError::Rejected)?;
    let id = ProtocolId::new_random();
    let now = ctx.now();
    sqlx::query(&format!(
        "INSERT INTO protocols ({PROTOCOL_COLUMNS}, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    ))
    .bind(id.to_string())
    .bind(case.to_string())
    .bind(&template.key)
    .bind(i64::from(template.version))
    .bind(&template.title)
    .bind(conditions.join(","))
    .bind(trigger.map(|t| t.as_str().to_owned()))
    .bind(start.unix_micros())
    .bind(actor.to_string())
    .bind(now.unix_micros())
    .execute(ctx.conn())
    .await?;
    for (n, it) in items.iter().enumerate() {
        let skipped = it.skipped_for.as_ref();
        insert_item(
            ctx,
            &Item {
                id: ProtocolItemId::new_random(),
                protocol_id: id,
                case_id: case,
                position: i64::try_from(n).unwrap_or(i64::MAX),
                key: it.key.clone(),
                text: it.text.clone(),
                due_at: it.due_at,
                status: it.status,
                closed_by: skipped.map(|_| actor),
                closed_at: skipped.map(|_| now),
                note: skipped
                    .map(|c| format!("does not apply: condition `{c}` was not declared at start")),
                custom: false,
            },
        )
        .await?;
    }
    crate::cases::touch(ctx, case).await?;
    let how = if trigger.is_some() {
        "started automatically"
    } else {
        "started"
    };
    crate::content::insert_event(
        ctx,
        case,
        Some(actor),
        "protocol.started",
        &format!(
            "Protocol \"{}\" (v{}) {how}",
            template.title, template.version
        ),
    )
    .await?;
    Ok(id)
}

/// Starts every protocol that `trigger` starts and that the case does not have yet. Every
/// condition is declared, so no conditional item is skipped silently: the team marks those
/// that do not apply. Returns how many started.
pub async fn start_triggered(
    ctx: &mut WriteCtx,
    case: CaseId,
    trigger: Trigger,
    templates: &[Template],
    actor: UserId,
) -> Result<usize, StoreError> {
    let mut started = 0;
    for t in templates {
        let have: i64 =
            sqlx::query("SELECT COUNT(*) FROM protocols WHERE case_id = $1 AND template_key = $2")
                .bind(case.to_string())
                .bind(&t.key)
                .fetch_one(ctx.conn())
                .await?
                .try_get(0)?;
        if have == 0 {
            let now = ctx.now();
            start(ctx, case, t, now, &t.conditions, actor, Some(trigger)).await?;
            started += 1;
        }
    }
    Ok(started)
}

/// Adds an item by hand at the end of a checklist. The due time must not be in the past.
pub async fn add_item(
    ctx: &mut WriteCtx,
    protocol: ProtocolId,
    case: CaseId,
    text: &str,
    due_at: Timestamp,
    actor: UserId,
) -> Result<ProtocolItemId, StoreError> {
    if due_at < ctx.now() {
        return Err(StoreError::Rejected(
            "due_at is in the past; a new checklist item must be due now or later".into(),
        ));
    }
    let next: i64 = sqlx::query(
        "SELECT COALESCE(MAX(position), -1) + 1 FROM protocol_items WHERE protocol_id = $1",
    )
    .bind(protocol.to_string())
    .fetch_one(ctx.conn())
    .await?
    .try_get(0)?;
    let id = ProtocolItemId::new_random();
    insert_item(
        ctx,
        &Item {
            id,
            protocol_id: protocol,
            case_id: case,
            position: next,
            key: format!("custom-{next}"),
            text: text.to_owned(),
            due_at,
            status: ItemStatus::Open,
            closed_by: None,
            closed_at: None,
            note: None,
            custom: true,
        },
    )
    .await?;
    crate::cases::touch(ctx, case).await?;
    crate::content::insert_event(
        ctx,
        case,
        Some(actor),
        "protocol.item.added",
        "Protocol item added",
    )
    .await?;
    Ok(id)
}

/// Moves an item along its workflow (open → done / not applicable, closed → open). Who and
/// when are recorded on close and cleared on re-open; the note is kept either way.
pub async fn set_item_status(
    ctx: &mut WriteCtx,
    id: ProtocolItemId,
    next: ItemStatus,
    note: Option<&str>,
    actor: UserId,
) -> Result<ItemStatus, StoreError> {
    let row = sqlx::query("SELECT case_id, status, text FROM protocol_items WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(ctx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    let c = Cols::new(&row, "protocol_items");
    let case = c.parsed("case_id", CaseId::parse)?;
    let current = c.parsed("status", ItemStatus::parse)?;
    let text = c.string("text")?;
    if !current.may_become(next) {
        return Err(StoreError::Rejected(format!(
            "a checklist item cannot move from {current} to {next}"
        )));
    }
    if next.needs_note() && note.is_none() {
        return Err(StoreError::Rejected(
            "note: say why the item does not apply".into(),
        ));
    }
    let now = ctx.now();
    let closing = next != ItemStatus::Open;
    sqlx::query(
        "UPDATE protocol_items SET status = $1, closed_by = $2, closed_at = $3, note = COALESCE($4, note), updated_at = $5 WHERE id = $6",
    )
    .bind(next.as_str())
    .bind(closing.then(|| actor.to_string()))
    .bind(closing.then(|| now.unix_micros()))
    .bind(note.map(str::to_owned))
    .bind(now.unix_micros())
    .bind(id.to_string())
    .execute(ctx.conn())
    .await?;
    crate::cases::touch(ctx, case).await?;
    let what = match next {
        ItemStatus::Done => "done",
        ItemStatus::NotApplicable => "marked not applicable",
        ItemStatus::Open => "re-opened",
    };
    crate::content::insert_event(
        ctx,
        case,
        Some(actor),
        "protocol.item",
        &format!("Protocol item {what}: {text}"),
    )
    .await?;
    Ok(current)
}
