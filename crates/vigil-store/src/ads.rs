//! Online ads imported into a case: each is an `OnlineAd` entity of the case (same id) plus a row
//! holding the captured content in full, its SHA-256, the extraction and the indicator score, and
//! one row per extracted hard selector for search and link analysis. Imports are batched: one
//! writer job stores thousands of ads, skipping any whose digest the case already holds.

use crate::content::Entity;
use crate::row::Cols;
use crate::{Store, StoreError, WriteCtx};
use sqlx::Row;
use std::collections::HashSet;
use vigil_types::{AgencyId, CaseId, EntityId, Timestamp, UserId};

/// One ad ready to store.
#[derive(Clone, Debug)]
pub struct NewAd {
    /// The `OnlineAd` entity (its id is the ad's id).
    pub entity: Entity,
    pub content_sha256: String,
    /// The id the feed gave the ad.
    pub feed_id: String,
    pub source: Option<String>,
    pub url: Option<String>,
    /// Unix seconds.
    pub posted_at: Option<i64>,
    pub location: Option<String>,
    pub title: String,
    pub body: String,
    /// The indicator score × 1000, rounded (kept integral so both stores compare it exactly).
    pub score_milli: i64,
    pub urgent_review: bool,
    /// `id vVERSION` of the weight set.
    pub weight_set: String,
    /// The extraction as JSON (`vigil_ads::AdFeatures` without title and text).
    pub features: String,
    /// The score with its explanation as JSON (`vigil_ads::Score`).
    pub explanation: String,
    pub selectors: Vec<AdSelector>,
}

/// One hard selector of an ad.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdSelector {
    /// `phone`, `email`, `handle`, `payment` or `wallet`.
    pub kind: String,
    /// Normalised value (E.164, lower-cased e-mail, `platform:handle`, address).
    pub value: String,
    pub obfuscated: bool,
}

/// A stored ad.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredAd {
    pub id: EntityId,
    pub case_id: CaseId,
    pub content_sha256: String,
    pub feed_id: String,
    pub source: Option<String>,
    pub url: Option<String>,
    pub posted_at: Option<i64>,
    pub location: Option<String>,
    pub title: String,
    pub body: String,
    pub score_milli: i64,
    pub urgent_review: bool,
    pub weight_set: String,
    pub features: String,
    pub explanation: String,
    pub imported_by: UserId,
    pub imported_at: Timestamp,
}

/// A selector row with the ad and case it belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdSelectorRow {
    pub ad: EntityId,
    pub case_id: CaseId,
    pub selector: AdSelector,
}

/// What one batch did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BatchOutcome {
    pub stored: usize,
    /// Ads whose content the case already held (or that repeated earlier in the batch).
    pub duplicates: usize,
}

/// Filters for [`Store::search_ads`]. Every filter is optional; they combine with AND.
#[derive(Clone, Debug, Default)]
pub struct AdFilter {
    /// Exact normalised selector value.
    pub selector: Option<String>,
    /// Case-insensitive substring of the title or body.
    pub text: Option<String>,
    pub min_score_milli: Option<i64>,
    pub urgent_only: bool,
    pub limit: i64,
    pub offset: i64,
}

const AD_COLUMNS: &str =
    "entity_id, case_id, content_sha256, feed_id, source, url, posted_at, location, title, body, \
     score_milli, urgent_review, weight_set, features, explanation, imported_by, imported_at";

fn ad_from_row(r: &sqlx::any::AnyRow) -> Result<StoredAd, StoreError> {
    let c = Cols::new(r, "ads");
    Ok(StoredAd {
        id: c.parsed("entity_id", EntityId::parse)?,
        case_id: c.parsed("case_id", CaseId::parse)?,
        content_sha256: c.string("content_sha256")?,
        feed_id: c.string("feed_id")?,
        source: c.opt_string("source")?,
        url: c.opt_string("url")?,
        posted_at: c.opt_int("posted_at")?,
        location: c.opt_string("location")?,
        title: c.string("title")?,
        body: c.string("body")?,
        score_milli: c.int("score_milli")?,
        urgent_review: c.flag("urgent_review")?,
        weight_set: c.string("weight_set")?,
        features: c.string("features")?,
        explanation: c.string("explanation")?,
        imported_by: c.parsed("imported_by", UserId::parse)?,
        imported_at: c.time("imported_at")?,
    })
}

/// `($1, $2, …), (…)` for `rows` rows of `cols` columns, numbered from `$1`.
fn placeholders(rows: usize, cols: usize) -> String {
    let mut s = String::with_capacity(rows * cols * 5);
    for r in 0..rows {
        if r > 0 {
            s.push_str(", ");
        }
        s.push('(');
        for c in 0..cols {
            if c > 0 {
                s.push_str(", ");
            }
            s.push('$');
            s.push_str(&(r * cols + c + 1).to_string());
        }
        s.push(')');
    }
    s
}

/// `$from, $from+1, …` for an `IN (…)` list.
fn list(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Rows per multi-row INSERT: well under SQLite's and PostgreSQL's bound-parameter limits.
const PARAMS_PER_STATEMENT: usize = 3_000;

/// Stores a batch of ads into `case` in the caller's job. Ads whose digest the case already holds,
/// or that repeat an earlier ad of the batch, are counted as duplicates and not stored. Adds one
/// timeline line for the batch.
pub async fn insert_batch(
    ctx: &mut WriteCtx,
    case: CaseId,
    actor: UserId,
    ads: Vec<NewAd>,
) -> Result<BatchOutcome, StoreError> {
    let mut existing: HashSet<String> = HashSet::new();
    for chunk in ads.chunks(500) {
        let sql = format!(
            "SELECT content_sha256 FROM ads WHERE case_id = $1 AND content_sha256 IN ({})",
            list(2, chunk.len())
        );
        let mut q = sqlx::query(&sql).bind(case.to_string());
        for a in chunk {
            q = q.bind(a.content_sha256.clone());
        }
        for row in q.fetch_all(ctx.conn()).await? {
            existing.insert(row.try_get::<String, _>(0)?);
        }
    }
    let total = ads.len();
    let fresh: Vec<NewAd> = ads
        .into_iter()
        .filter(|a| a.entity.case_id == case && existing.insert(a.content_sha256.clone()))
        .collect();
    let outcome = BatchOutcome {
        stored: fresh.len(),
        duplicates: total - fresh.len(),
    };
    if fresh.is_empty() {
        return Ok(outcome);
    }
    let now = ctx.now().unix_micros();
    let per = PARAMS_PER_STATEMENT / 8;
    for chunk in fresh.chunks(per) {
        let sql = format!(
            "INSERT INTO entities (id, case_id, schema, caption, properties, created_by, created_at, updated_at) VALUES {}",
            placeholders(chunk.len(), 8)
        );
        let mut q = sqlx::query(&sql);
        for a in chunk {
            let e = &a.entity;
            q = q
                .bind(e.id.to_string())
                .bind(e.case_id.to_string())
                .bind(e.schema.as_str())
                .bind(e.caption.clone())
                .bind(serde_json::to_string(&e.properties).unwrap_or_else(|_| "{}".into()))
                .bind(e.created_by.to_string())
                .bind(e.created_at.unix_micros())
                .bind(e.updated_at.unix_micros());
        }
        q.execute(ctx.conn()).await?;
    }
    let per = PARAMS_PER_STATEMENT / 17;
    for chunk in fresh.chunks(per) {
        let sql = format!(
            "INSERT INTO ads ({AD_COLUMNS}) VALUES {}",
            placeholders(chunk.len(), 17)
        );
        let mut q = sqlx::query(&sql);
        for a in chunk {
            q = q
                .bind(a.entity.id.to_string())
                .bind(case.to_string())
                .bind(a.content_sha256.clone())
                .bind(a.feed_id.clone())
                .bind(a.source.clone())
                .bind(a.url.clone())
                .bind(a.posted_at)
                .bind(a.location.clone())
                .bind(a.title.clone())
                .bind(a.body.clone())
                .bind(a.score_milli)
                .bind(i64::from(a.urgent_review))
                .bind(a.weight_set.clone())
                .bind(a.features.clone())
                .bind(a.explanation.clone())
                .bind(actor.to_string())
                .bind(now);
        }
        q.execute(ctx.conn()).await?;
    }
    let selectors: Vec<(EntityId, &AdSelector)> = fresh
        .iter()
        .flat_map(|a| {
            let mut seen = HashSet::new();
            a.selectors
                .iter()
                .filter(move |s| seen.insert((s.kind.clone(), s.value.clone())))
                .map(move |s| (a.entity.id, s))
        })
        .collect();
    let per = PARAMS_PER_STATEMENT / 5;
    for chunk in selectors.chunks(per) {
        let sql = format!(
            "INSERT INTO ad_selectors (entity_id, case_id, kind, value, obfuscated) VALUES {}",
            placeholders(chunk.len(), 5)
        );
        let mut q = sqlx::query(&sql);
        for (id, s) in chunk {
            q = q
                .bind(id.to_string())
                .bind(case.to_string())
                .bind(s.kind.clone())
                .bind(s.value.clone())
                .bind(i64::from(s.obfuscated));
        }
        q.execute(ctx.conn()).await?;
    }
    crate::cases::touch(ctx, case).await?;
    crate::content::insert_event(
        ctx,
        case,
        Some(actor),
        "ads.imported",
        &format!("{} online ads imported", outcome.stored),
    )
    .await?;
    Ok(outcome)
}

fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('%');
    for ch in s.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('%');
    out
}

impl Store {
    /// The agency with this short code.
    pub async fn agency_by_code(&self, code: &str) -> Result<Option<AgencyId>, StoreError> {
        let row = sqlx::query("SELECT id FROM agencies WHERE short_code = $1")
            .bind(code.trim().to_ascii_uppercase())
            .fetch_optional(self.reader())
            .await?;
        row.map(|r| Cols::new(&r, "agencies").parsed("id", AgencyId::parse))
            .transpose()
    }

    /// The case with this number in this agency.
    pub async fn case_by_number(
        &self,
        agency: AgencyId,
        number: &str,
    ) -> Result<Option<CaseId>, StoreError> {
        let row = sqlx::query("SELECT id FROM cases WHERE agency_id = $1 AND number = $2")
            .bind(agency.to_string())
            .bind(number)
            .fetch_optional(self.reader())
            .await?;
        row.map(|r| Cols::new(&r, "cases").parsed("id", CaseId::parse))
            .transpose()
    }

    /// One stored ad.
    pub async fn ad(&self, id: EntityId) -> Result<Option<StoredAd>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {AD_COLUMNS} FROM ads WHERE entity_id = $1"
        ))
        .bind(id.to_string())
        .fetch_optional(self.reader())
        .await?;
        row.as_ref().map(ad_from_row).transpose()
    }

    /// Ads of `cases` matching `filter`, highest score first, then newest. `cases` empty: none.
    pub async fn search_ads(
        &self,
        cases: &[CaseId],
        filter: &AdFilter,
    ) -> Result<Vec<StoredAd>, StoreError> {
        if cases.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = format!(
            "SELECT {AD_COLUMNS} FROM ads WHERE case_id IN ({})",
            list(1, cases.len())
        );
        let mut n = cases.len();
        if filter.selector.is_some() {
            n += 1;
            sql.push_str(&format!(
                " AND entity_id IN (SELECT entity_id FROM ad_selectors WHERE value = ${n})"
            ));
        }
        if filter.text.is_some() {
            n += 2;
            sql.push_str(&format!(
                " AND (LOWER(title) LIKE ${} ESCAPE '\\' OR LOWER(body) LIKE ${n} ESCAPE '\\')",
                n - 1
            ));
        }
        if filter.min_score_milli.is_some() {
            n += 1;
            sql.push_str(&format!(" AND score_milli >= ${n}"));
        }
        if filter.urgent_only {
            sql.push_str(" AND urgent_review = 1");
        }
        sql.push_str(&format!(
            " ORDER BY score_milli DESC, posted_at DESC, entity_id LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        ));
        let mut q = sqlx::query(&sql);
        for c in cases {
            q = q.bind(c.to_string());
        }
        if let Some(s) = &filter.selector {
            q = q.bind(s.clone());
        }
        if let Some(t) = &filter.text {
            let pattern = escape_like(&t.to_lowercase());
            q = q.bind(pattern.clone()).bind(pattern);
        }
        if let Some(m) = filter.min_score_milli {
            q = q.bind(m);
        }
        let rows = q
            .bind(filter.limit)
            .bind(filter.offset)
            .fetch_all(self.reader())
            .await?;
        rows.iter().map(ad_from_row).collect()
    }

    /// How many ads `cases` hold.
    pub async fn ad_count(&self, cases: &[CaseId]) -> Result<i64, StoreError> {
        if cases.is_empty() {
            return Ok(0);
        }
        let sql = format!(
            "SELECT COUNT(*) FROM ads WHERE case_id IN ({})",
            list(1, cases.len())
        );
        let mut q = sqlx::query(&sql);
        for c in cases {
            q = q.bind(c.to_string());
        }
        Ok(q.fetch_one(self.reader()).await?.try_get(0)?)
    }

    /// Every ad of `cases`, oldest import first, at most `cap` (for clustering).
    pub async fn ads_in_cases(
        &self,
        cases: &[CaseId],
        cap: i64,
    ) -> Result<Vec<StoredAd>, StoreError> {
        if cases.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {AD_COLUMNS} FROM ads WHERE case_id IN ({}) ORDER BY imported_at, entity_id LIMIT ${}",
            list(1, cases.len()),
            cases.len() + 1
        );
        let mut q = sqlx::query(&sql);
        for c in cases {
            q = q.bind(c.to_string());
        }
        let rows = q.bind(cap).fetch_all(self.reader()).await?;
        rows.iter().map(ad_from_row).collect()
    }

    /// The selectors of one ad.
    pub async fn ad_selectors(&self, ad: EntityId) -> Result<Vec<AdSelector>, StoreError> {
        let rows = sqlx::query(
            "SELECT kind, value, obfuscated FROM ad_selectors WHERE entity_id = $1 ORDER BY kind, value",
        )
        .bind(ad.to_string())
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|r| {
                let c = Cols::new(r, "ad_selectors");
                Ok(AdSelector {
                    kind: c.string("kind")?,
                    value: c.string("value")?,
                    obfuscated: c.flag("obfuscated")?,
                })
            })
            .collect()
    }

    /// Every selector of the ads of `cases` (for link analysis).
    pub async fn ad_selectors_in_cases(
        &self,
        cases: &[CaseId],
    ) -> Result<Vec<AdSelectorRow>, StoreError> {
        if cases.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT entity_id, case_id, kind, value, obfuscated FROM ad_selectors WHERE case_id IN ({}) ORDER BY entity_id, kind, value",
            list(1, cases.len())
        );
        let mut q = sqlx::query(&sql);
        for c in cases {
            q = q.bind(c.to_string());
        }
        let rows = q.fetch_all(self.reader()).await?;
        rows.iter()
            .map(|r| {
                let c = Cols::new(r, "ad_selectors");
                Ok(AdSelectorRow {
                    ad: c.parsed("entity_id", EntityId::parse)?,
                    case_id: c.parsed("case_id", CaseId::parse)?,
                    selector: AdSelector {
                        kind: c.string("kind")?,
                        value: c.string("value")?,
                        obfuscated: c.flag("obfuscated")?,
                    },
                })
            })
            .collect()
    }

    /// How many entities and links `cases` hold, to refuse an oversized graph before loading it.
    pub async fn graph_size(&self, cases: &[CaseId]) -> Result<(i64, i64, i64), StoreError> {
        if cases.is_empty() {
            return Ok((0, 0, 0));
        }
        let mut counts = [0i64; 3];
        for (slot, table) in counts.iter_mut().zip(["entities", "links", "ad_selectors"]) {
            let sql = format!(
                "SELECT COUNT(*) FROM {table} WHERE case_id IN ({})",
                list(1, cases.len())
            );
            let mut q = sqlx::query(&sql);
            for c in cases {
                q = q.bind(c.to_string());
            }
            *slot = q.fetch_one(self.reader()).await?.try_get(0)?;
        }
        Ok((counts[0], counts[1], counts[2]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_number_rows_and_columns() {
        assert_eq!(placeholders(2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(list(3, 2), "$3, $4");
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(escape_like("50%_off"), "%50\\%\\_off%");
    }
}
