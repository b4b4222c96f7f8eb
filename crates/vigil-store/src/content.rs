//! What a case holds: entities, links, notes, tasks and the timeline.

use crate::row::Cols;
use crate::{Store, StoreError, WriteCtx};
use vigil_core::entity::{LinkType, Properties, Schema};
use vigil_core::TaskStatus;
use vigil_types::{CaseId, EntityId, LinkId, NoteId, TaskId, Timestamp, UserId};

/// An entity (FollowTheMoney-style) in a case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entity {
    pub id: EntityId,
    pub case_id: CaseId,
    pub schema: Schema,
    pub caption: String,
    pub properties: Properties,
    pub created_by: UserId,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A typed link between two entities of the same case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub id: LinkId,
    pub case_id: CaseId,
    pub source_id: EntityId,
    pub target_id: EntityId,
    pub link_type: LinkType,
    pub description: Option<String>,
    pub created_by: UserId,
    pub created_at: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub id: NoteId,
    pub case_id: CaseId,
    pub author_id: UserId,
    pub body: String,
    pub created_at: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Task {
    pub id: TaskId,
    pub case_id: CaseId,
    pub title: String,
    pub status: TaskStatus,
    pub assignee_id: Option<UserId>,
    pub due_at: Option<Timestamp>,
    pub created_by: UserId,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// One line of a case's timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseEvent {
    pub at: Timestamp,
    pub actor_id: Option<UserId>,
    pub kind: String,
    pub summary: String,
}

fn props_to_json(p: &Properties) -> String {
    serde_json::to_string(p).unwrap_or_else(|_| "{}".into())
}

pub(crate) fn entity_from_row(r: &sqlx::any::AnyRow) -> Result<Entity, StoreError> {
    let c = Cols::new(r, "entities");
    Ok(Entity {
        id: c.parsed("id", EntityId::parse)?,
        case_id: c.parsed("case_id", CaseId::parse)?,
        schema: c.parsed("schema", Schema::parse)?,
        caption: c.string("caption")?,
        properties: c.parsed("properties", |s| serde_json::from_str::<Properties>(s))?,
        created_by: c.parsed("created_by", UserId::parse)?,
        created_at: c.time("created_at")?,
        updated_at: c.time("updated_at")?,
    })
}

pub(crate) fn link_from_row(r: &sqlx::any::AnyRow) -> Result<Link, StoreError> {
    let c = Cols::new(r, "links");
    Ok(Link {
        id: c.parsed("id", LinkId::parse)?,
        case_id: c.parsed("case_id", CaseId::parse)?,
        source_id: c.parsed("source_id", EntityId::parse)?,
        target_id: c.parsed("target_id", EntityId::parse)?,
        link_type: c.parsed("link_type", LinkType::parse)?,
        description: c.opt_string("description")?,
        created_by: c.parsed("created_by", UserId::parse)?,
        created_at: c.time("created_at")?,
    })
}

fn task_from_row(r: &sqlx::any::AnyRow) -> Result<Task, StoreError> {
    let c = Cols::new(r, "tasks");
    Ok(Task {
        id: c.parsed("id", TaskId::parse)?,
        case_id: c.parsed("case_id", CaseId::parse)?,
        title: c.string("title")?,
        status: c.parsed("status", TaskStatus::parse)?,
        assignee_id: c.opt_parsed("assignee_id", UserId::parse)?,
        due_at: c.opt_time("due_at")?,
        created_by: c.parsed("created_by", UserId::parse)?,
        created_at: c.time("created_at")?,
        updated_at: c.time("updated_at")?,
    })
}

pub(crate) const ENTITY_COLUMNS: &str =
    "id, case_id, schema, caption, properties, created_by, created_at, updated_at";
pub(crate) const LINK_COLUMNS: &str =
    "id, case_id, source_id, target_id, link_type, description, created_by, created_at";
const TASK_COLUMNS: &str =
    "id, case_id, title, status, assignee_id, due_at, created_by, created_at, updated_at";

impl Store {
    pub async fn entities(&self, case: CaseId) -> Result<Vec<Entity>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {ENTITY_COLUMNS} FROM entities WHERE case_id = $1 ORDER BY created_at, id"
        ))
        .bind(case.to_string())
        .fetch_all(self.reader())
        .await?;
        rows.iter().map(entity_from_row).collect()
    }

    pub async fn entity(&self, id: EntityId) -> Result<Option<Entity>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {ENTITY_COLUMNS} FROM entities WHERE id = $1"
        ))
        .bind(id.to_string())
        .fetch_optional(self.reader())
        .await?;
        row.as_ref().map(entity_from_row).transpose()
    }

    pub async fn links(&self, case: CaseId) -> Result<Vec<Link>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {LINK_COLUMNS} FROM links WHERE case_id = $1 ORDER BY created_at, id"
        ))
        .bind(case.to_string())
        .fetch_all(self.reader())
        .await?;
        rows.iter().map(link_from_row).collect()
    }

    pub async fn notes(&self, case: CaseId) -> Result<Vec<Note>, StoreError> {
        let rows = sqlx::query("SELECT id, case_id, author_id, body, created_at FROM notes WHERE case_id = $1 ORDER BY created_at, id")
            .bind(case.to_string())
            .fetch_all(self.reader())
            .await?;
        rows.iter()
            .map(|r| {
                let c = Cols::new(r, "notes");
                Ok(Note {
                    id: c.parsed("id", NoteId::parse)?,
                    case_id: c.parsed("case_id", CaseId::parse)?,
                    author_id: c.parsed("author_id", UserId::parse)?,
                    body: c.string("body")?,
                    created_at: c.time("created_at")?,
                })
            })
            .collect()
    }

    pub async fn tasks(&self, case: CaseId) -> Result<Vec<Task>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {TASK_COLUMNS} FROM tasks WHERE case_id = $1 ORDER BY created_at, id"
        ))
        .bind(case.to_string())
        .fetch_all(self.reader())
        .await?;
        rows.iter().map(task_from_row).collect()
    }

    pub async fn task(&self, id: TaskId) -> Result<Option<Task>, StoreError> {
        let row = sqlx::query(&format!("SELECT {TASK_COLUMNS} FROM tasks WHERE id = $1"))
            .bind(id.to_string())
            .fetch_optional(self.reader())
            .await?;
        row.as_ref().map(task_from_row).transpose()
    }

    pub async fn timeline(&self, case: CaseId) -> Result<Vec<CaseEvent>, StoreError> {
        let rows = sqlx::query(
            "SELECT at, actor_id, kind, summary FROM case_events WHERE case_id = $1 ORDER BY id",
        )
        .bind(case.to_string())
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|r| {
                let c = Cols::new(r, "case_events");
                Ok(CaseEvent {
                    at: c.time("at")?,
                    actor_id: c.opt_parsed("actor_id", UserId::parse)?,
                    kind: c.string("kind")?,
                    summary: c.string("summary")?,
                })
            })
            .collect()
    }
}

/// Appends a line to a case's timeline.
pub async fn insert_event(
    ctx: &mut WriteCtx,
    case: CaseId,
    actor: Option<UserId>,
    kind: &str,
    summary: &str,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO case_events (case_id, at, actor_id, kind, summary) VALUES ($1, $2, $3, $4, $5)")
        .bind(case.to_string())
        .bind(ctx.now().unix_micros())
        .bind(actor.map(|a| a.to_string()))
        .bind(kind)
        .bind(summary)
        .execute(ctx.conn())
        .await?;
    Ok(())
}

pub async fn insert_entity(ctx: &mut WriteCtx, e: &Entity) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO entities ({ENTITY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    ))
    .bind(e.id.to_string())
    .bind(e.case_id.to_string())
    .bind(e.schema.as_str())
    .bind(&e.caption)
    .bind(props_to_json(&e.properties))
    .bind(e.created_by.to_string())
    .bind(e.created_at.unix_micros())
    .bind(e.updated_at.unix_micros())
    .execute(ctx.conn())
    .await?;
    crate::cases::touch(ctx, e.case_id).await?;
    insert_event(
        ctx,
        e.case_id,
        Some(e.created_by),
        "entity.created",
        &format!("{} added", e.schema),
    )
    .await
}

/// Replaces an entity's properties (and caption).
pub async fn update_entity(
    ctx: &mut WriteCtx,
    id: EntityId,
    caption: &str,
    props: &Properties,
) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE entities SET caption = $1, properties = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(caption)
    .bind(props_to_json(props))
    .bind(ctx.now().unix_micros())
    .bind(id.to_string())
    .execute(ctx.conn())
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Inserts a link; both ends must be entities of the link's case.
pub async fn insert_link(ctx: &mut WriteCtx, l: &Link) -> Result<(), StoreError> {
    use sqlx::Row;
    let same_case: i64 =
        sqlx::query("SELECT COUNT(*) FROM entities WHERE case_id = $1 AND id IN ($2, $3)")
            .bind(l.case_id.to_string())
            .bind(l.source_id.to_string())
            .bind(l.target_id.to_string())
            .fetch_one(ctx.conn())
            .await?
            .try_get(0)?;
    let expected = if l.source_id == l.target_id { 1 } else { 2 };
    if same_case != expected {
        return Err(StoreError::Rejected(
            "both ends of a link must be entities of this case".into(),
        ));
    }
    sqlx::query(&format!(
        "INSERT INTO links ({LINK_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    ))
    .bind(l.id.to_string())
    .bind(l.case_id.to_string())
    .bind(l.source_id.to_string())
    .bind(l.target_id.to_string())
    .bind(l.link_type.as_str())
    .bind(l.description.clone())
    .bind(l.created_by.to_string())
    .bind(l.created_at.unix_micros())
    .execute(ctx.conn())
    .await?;
    crate::cases::touch(ctx, l.case_id).await?;
    insert_event(
        ctx,
        l.case_id,
        Some(l.created_by),
        "link.created",
        &format!("Link ({}) added", l.link_type),
    )
    .await
}

pub async fn insert_note(ctx: &mut WriteCtx, n: &Note) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO notes (id, case_id, author_id, body, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(n.id.to_string())
    .bind(n.case_id.to_string())
    .bind(n.author_id.to_string())
    .bind(&n.body)
    .bind(n.created_at.unix_micros())
    .execute(ctx.conn())
    .await?;
    crate::cases::touch(ctx, n.case_id).await?;
    insert_event(
        ctx,
        n.case_id,
        Some(n.author_id),
        "note.created",
        "Note added",
    )
    .await
}

pub async fn insert_task(ctx: &mut WriteCtx, t: &Task) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO tasks ({TASK_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    ))
    .bind(t.id.to_string())
    .bind(t.case_id.to_string())
    .bind(&t.title)
    .bind(t.status.as_str())
    .bind(t.assignee_id.map(|a| a.to_string()))
    .bind(t.due_at.map(Timestamp::unix_micros))
    .bind(t.created_by.to_string())
    .bind(t.created_at.unix_micros())
    .bind(t.updated_at.unix_micros())
    .execute(ctx.conn())
    .await?;
    crate::cases::touch(ctx, t.case_id).await?;
    insert_event(
        ctx,
        t.case_id,
        Some(t.created_by),
        "task.created",
        "Task added",
    )
    .await
}

/// Updates a task's status and/or assignee.
pub async fn update_task(
    ctx: &mut WriteCtx,
    id: TaskId,
    status: Option<TaskStatus>,
    assignee: Option<Option<UserId>>,
) -> Result<(), StoreError> {
    let now = ctx.now().unix_micros();
    if let Some(s) = status {
        sqlx::query("UPDATE tasks SET status = $1, updated_at = $2 WHERE id = $3")
            .bind(s.as_str())
            .bind(now)
            .bind(id.to_string())
            .execute(ctx.conn())
            .await?;
    }
    if let Some(a) = assignee {
        sqlx::query("UPDATE tasks SET assignee_id = $1, updated_at = $2 WHERE id = $3")
            .bind(a.map(|u| u.to_string()))
            .bind(now)
            .bind(id.to_string())
            .execute(ctx.conn())
            .await?;
    }
    Ok(())
}
