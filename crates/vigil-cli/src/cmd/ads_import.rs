//! `vigil ads import FILE`: stores a JSON Lines ad feed in a case as `OnlineAd` entities, each
//! with the SHA-256 of its captured content (one record per content; re-importing is a no-op),
//! its extracted selectors and its indicator score with the explanation.
//!
//! Ads live in a case, like every entity: `--case NUMBER --agency CODE` names it and `--as
//! USERNAME` names the task-force member importing. The one policy decides: the user must be
//! allowed to add content to that case (`vigil_core::authorize`, `case.write`); the ads are then
//! visible exactly as the case is. Each batch is one writer job (its entities, ad rows, selectors,
//! a timeline line and one `ad.import` audit event commit together); a bad line is reported as
//! `FILE:LINE:FIELD: reason` and skipped.

use super::ads::{features, line_text};
use super::db::DbArgs;
use anyhow::{bail, Context};
use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::{BufReader, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;
use vigil_ads::{AdRecord, FeedError, Scorer, WeightSet};
use vigil_audit::Outcome;
use vigil_core::entity::{self, PropertyError, Schema};
use vigil_core::{authorize, Action, Actor, Decision, Target, TokenScope};
use vigil_ident::jsonl::{read_line_limited, LimitedLine};
use vigil_store::ads::{self, AdSelector, BatchOutcome, NewAd};
use vigil_store::content::Entity;
use vigil_store::{AuditDraft, Store};
use vigil_types::{CaseId, EntityId, Timestamp, UserId, Username};

/// Arguments of `vigil ads import`.
#[derive(clap::Args)]
pub struct ImportArgs {
    /// Ads JSONL: one object per line with id, source, url, posted_at (RFC 3339), location,
    /// title, text.
    pub file: PathBuf,
    /// The case number the ads are imported into.
    #[arg(long = "case")]
    pub case_number: String,
    /// The short code of the agency that owns the case.
    #[arg(long)]
    pub agency: String,
    /// The task-force member importing (must be allowed to add content to the case).
    #[arg(long = "as")]
    pub user: String,
    /// Open the case with this title (the `--as` user's agency, the user as lead) when the
    /// agency has no case with that number yet; the policy must allow the user to open cases.
    #[arg(long, value_name = "TITLE")]
    pub open_case: Option<String>,
    /// Weight-set TOML replacing the embedded default (data/indicators-v1.toml).
    #[arg(long)]
    pub weights: Option<PathBuf>,
    /// Default region for phone numbers written without a country code.
    #[arg(long, default_value = "US")]
    pub region: String,
    /// Ads per writer job (a job also ends once its lines hold 64 MiB).
    #[arg(long, default_value_t = 5_000)]
    pub batch: usize,
    /// Longest input line read, in bytes; a longer line is rejected without being held in
    /// memory. The default, 1 MiB, is the API's largest request body.
    #[arg(long, default_value_t = vigil_server::MAX_BODY_BYTES)]
    pub max_line_bytes: usize,
    #[command(flatten)]
    pub db: DbArgs,
}

/// What happened to the input, printed at the end.
#[derive(Default, Debug)]
struct Summary {
    read: usize,
    stored: usize,
    duplicates: usize,
    rejected: usize,
}

/// Rejected lines printed in full; beyond this only counted.
const MAX_PRINTED_REJECTS: usize = 100;
/// A writer job ends once its lines hold this many bytes, whatever `--batch` says, so that a
/// batch of long lines stays within memory.
const BATCH_BYTES: usize = 64 << 20;
/// Characters of ad text kept in the entity's `text` property (the ad row keeps all of it).
const ENTITY_TEXT_CHARS: usize = 2_000;

pub fn run(a: ImportArgs) -> anyhow::Result<ExitCode> {
    if a.batch == 0 {
        bail!("--batch must be at least 1");
    }
    if !vigil_ident::is_known_region(&a.region) {
        bail!(
            "--region: {:?} is not a known ISO 3166 alpha-2 region",
            a.region
        );
    }
    let set = match &a.weights {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read {}", p.display()))?;
            WeightSet::from_toml(&text).with_context(|| format!("weight set {}", p.display()))?
        }
        None => WeightSet::default_set()?,
    };
    let rt = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    rt.block_on(async {
        let (store, _) = a.db.open().await?;
        let r = import(&store, &a, &set).await;
        store.close().await;
        r
    })
}

/// The case and the acting user, after the policy allowed the import.
struct ImportTarget {
    case: CaseId,
    owner: vigil_types::AgencyId,
    actor: Actor,
}

async fn resolve_target(store: &Store, a: &ImportArgs) -> anyhow::Result<ImportTarget> {
    let agency = store
        .agency_by_code(&a.agency)
        .await?
        .with_context(|| format!("--agency: no agency with short code {:?}", a.agency))?;
    let name = Username::parse(&a.user).map_err(|e| anyhow::anyhow!("--as: {e}"))?;
    let user = store
        .user_by_username(&name)
        .await?
        .with_context(|| format!("--as: no user named {name}"))?;
    if user.disabled {
        bail!("--as: the account {name} is disabled");
    }
    let case = match store.case_by_number(agency, a.case_number.trim()).await? {
        Some(case) => case,
        None => match &a.open_case {
            Some(title) => open_case(store, &user, agency, a, title).await?,
            None => bail!(
                "--case: agency {} has no case {:?} (add --open-case TITLE to open it)",
                a.agency,
                a.case_number
            ),
        },
    };
    let facts = store
        .case_facts(case)
        .await?
        .context("the case disappeared")?;
    let actor = Actor {
        user: user.id,
        agency: user.agency_id,
        role: user.role,
        scope: TokenScope::Full,
    };
    if let Decision::Deny(why) = authorize(&actor, Action::WriteCaseContent, Target::Case(&facts)) {
        let event = AuditDraft {
            outcome: Outcome::Denied,
            detail: format!("local_cli;{}", why.as_str()),
            ..event(&actor, case, facts.owner, String::new())
        };
        store
            .write(move |mut ctx| async move {
                let r = ctx.audit(event).await.map(|_| ());
                (ctx, r)
            })
            .await?;
        bail!(
            "--as: {name} may not add content to case {} of {} ({}); ask the case lead to add them to the team",
            a.case_number,
            a.agency,
            why.as_str()
        );
    }
    Ok(ImportTarget {
        case,
        owner: facts.owner,
        actor,
    })
}

/// Opens the case the import goes into, as the API's `POST /cases` would (same policy, same
/// audit action).
async fn open_case(
    store: &Store,
    user: &vigil_store::users::User,
    agency: vigil_types::AgencyId,
    a: &ImportArgs,
    title: &str,
) -> anyhow::Result<CaseId> {
    let actor = Actor {
        user: user.id,
        agency: user.agency_id,
        role: user.role,
        scope: TokenScope::Full,
    };
    if agency != user.agency_id {
        bail!(
            "--open-case: {} belongs to another agency than {}",
            user.username,
            a.agency
        );
    }
    if !authorize(&actor, Action::CreateCase, Target::TaskForce).is_allowed() {
        bail!("--open-case: {}'s role may not open cases", user.username);
    }
    let number = vigil_types::CaseNumber::parse(a.case_number.trim())
        .map_err(|e| anyhow::anyhow!("--case: {e}"))?;
    let title = vigil_types::DisplayText::parse(title, 200)
        .map_err(|e| anyhow::anyhow!("--open-case: {e}"))?;
    let now = store.clock().now();
    let case = vigil_store::cases::Case {
        id: CaseId::new_random(),
        agency_id: agency,
        number,
        title: title.into_string(),
        trafficking_type: vigil_core::TraffickingType::Unknown,
        status: vigil_core::CaseStatus::Open,
        sensitivity: vigil_core::Sensitivity::Normal,
        created_by: user.id,
        created_at: now,
        updated_at: now,
    };
    let id = case.id;
    let d = AuditDraft {
        action: "case.create".into(),
        ..event(&actor, id, agency, "local_cli".into())
    };
    store
        .write_audited(d, move |mut ctx| async move {
            let r = vigil_store::cases::insert(&mut ctx, &case).await;
            (ctx, r)
        })
        .await?;
    eprintln!(
        "vigil ads import: opened case {} ({id})",
        a.case_number.trim()
    );
    Ok(id)
}

fn event(actor: &Actor, case: CaseId, owner: vigil_types::AgencyId, detail: String) -> AuditDraft {
    AuditDraft {
        actor_user: Some(actor.user),
        actor_agency: Some(actor.agency),
        action: "ad.import".into(),
        object_kind: "case".into(),
        object_id: Some(case.to_string()),
        object_agency: Some(owner),
        outcome: Outcome::Success,
        detail,
    }
}

/// A rejected line: the feed field at fault and why (never the value).
struct Reject {
    field: &'static str,
    reason: String,
}

/// The feed field an FtM property of `OnlineAd` came from.
fn feed_field(property: &str) -> &'static str {
    match property {
        "title" => "title",
        "url" => "url",
        "site" => "source",
        "postedAt" => "posted_at",
        "location" => "location",
        _ => "text",
    }
}

/// Control characters other than newline and tab become spaces in the entity copy (FtM text
/// refuses them); the ad row keeps the text as captured.
fn clean(s: &str, max_chars: Option<usize>) -> String {
    let s = s.replace("\r\n", "\n");
    let it = s.chars().map(|c| {
        if c.is_control() && c != '\n' && c != '\t' {
            ' '
        } else {
            c
        }
    });
    match max_chars {
        Some(n) => it.take(n).collect(),
        None => it.collect(),
    }
}

/// Everything one line becomes, computed off the async runtime.
fn prepare(
    line: &str,
    opts: &vigil_ident::Options,
    scorer: &Scorer<'_>,
    weight_set: &str,
    case: CaseId,
    user: UserId,
    now: Timestamp,
) -> Result<NewAd, Reject> {
    let record = vigil_ads::parse_ad_line(line).map_err(|e| match e {
        FeedError::MissingId => Reject {
            field: "id",
            reason: "missing or empty".into(),
        },
        FeedError::BadTime(_) => Reject {
            field: "posted_at",
            reason: "not an RFC 3339 time".into(),
        },
        FeedError::Json(e) => Reject {
            field: "json",
            reason: e.to_string(),
        },
    })?;
    let props = properties(&record).map_err(|e| match &e {
        PropertyError::Unknown { property, .. }
        | PropertyError::Invalid { property, .. }
        | PropertyError::TooMany { property, .. } => Reject {
            field: feed_field(property),
            reason: e.to_string(),
        },
        PropertyError::Empty => Reject {
            field: "text",
            reason: "the ad has no title, text, url or location".into(),
        },
    })?;
    let digest = record.content_sha256();
    let mut ad = features(record.clone(), opts);
    let mut selectors: Vec<AdSelector> = ad
        .selectors
        .iter()
        .map(|s| AdSelector {
            kind: s.kind.as_str().into(),
            value: s.value.clone(),
            obfuscated: s.obfuscated,
        })
        .collect();
    // Links written in the ad, and the selectors the captured URL itself carries (wa.me/…,
    // t.me/…): searchable and graphed; URLs are not clustering selectors.
    let mut urls: Vec<String> = Vec::new();
    for text in [&record.title, &record.text] {
        urls.extend(vigil_ident::url::find(text).into_iter().map(|u| u.url));
    }
    if let Some(u) = &record.url {
        let x = vigil_ident::extract(u, opts);
        urls.extend(x.urls.into_iter().map(|u| u.url));
        for p in &x.phones {
            selectors.push(AdSelector {
                kind: "phone".into(),
                value: p.e164.clone(),
                obfuscated: false,
            });
        }
        for h in &x.handles {
            selectors.push(AdSelector {
                kind: if h.kind == vigil_ident::HandleKind::Payment {
                    "payment".into()
                } else {
                    "handle".into()
                },
                value: format!("{}:{}", h.platform, h.handle),
                obfuscated: false,
            });
        }
    }
    selectors.extend(urls.into_iter().map(|u| AdSelector {
        kind: "url".into(),
        value: u,
        obfuscated: false,
    }));
    let score = scorer.score(&ad);
    let explanation = serde_json::to_string(&score).map_err(|e| Reject {
        field: "text",
        reason: format!("cannot serialise the score: {e}"),
    })?;
    ad.title.clear();
    ad.text.clear();
    let features_json = serde_json::to_string(&ad).map_err(|e| Reject {
        field: "text",
        reason: format!("cannot serialise the extraction: {e}"),
    })?;
    let id = EntityId::new_random();
    Ok(NewAd {
        entity: Entity {
            id,
            case_id: case,
            schema: Schema::OnlineAd,
            caption: entity::caption(Schema::OnlineAd, &props),
            properties: props,
            created_by: user,
            created_at: now,
            updated_at: now,
        },
        content_sha256: digest,
        feed_id: record.id,
        source: record.source,
        url: record.url,
        posted_at: record.posted_at,
        location: record.location,
        title: record.title,
        body: record.text,
        score_milli: (score.score * 1000.0).round() as i64,
        urgent_review: score.urgent_review,
        weight_set: weight_set.to_owned(),
        features: features_json,
        explanation,
        selectors,
    })
}

/// The `OnlineAd` properties of one record, validated by the FtM rules.
fn properties(r: &AdRecord) -> Result<entity::Properties, PropertyError> {
    let mut raw: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut put = |k: &str, v: String| {
        if !v.trim().is_empty() {
            raw.insert(k.to_owned(), vec![v]);
        }
    };
    put("title", clean(&r.title, Some(ENTITY_TEXT_CHARS)));
    put("text", clean(&r.text, Some(ENTITY_TEXT_CHARS)));
    if let Some(u) = &r.url {
        put("url", u.clone());
    }
    if let Some(s) = &r.source {
        put("site", clean(s, None));
    }
    if let Some(l) = &r.location {
        put("location", clean(l, None));
    }
    if let Some(t) = r.posted_at {
        let day: String = Timestamp::from_unix_micros(t.saturating_mul(1_000_000))
            .to_rfc3339()
            .chars()
            .take(10)
            .collect();
        put("postedAt", day);
    }
    entity::validate(Schema::OnlineAd, &raw)
}

/// Progress on standard error: a bar redrawn in place on a terminal, a line per batch otherwise.
struct Progress {
    tty: bool,
    total_bytes: u64,
    started: Instant,
}

impl Progress {
    fn show(&self, bytes: u64, s: &Summary) {
        let secs = self.started.elapsed().as_secs_f64().max(1e-9);
        let rate = s.read as f64 / secs;
        let frac = if self.total_bytes == 0 {
            1.0
        } else {
            (bytes as f64 / self.total_bytes as f64).min(1.0)
        };
        let mut err = std::io::stderr().lock();
        if self.tty {
            let filled = (frac * 30.0).round() as usize;
            let _ = write!(
                err,
                "\r[{}{}] {:3.0}% {} read, {} stored, {} dup, {} rejected, {:.0} ads/s ",
                "#".repeat(filled),
                " ".repeat(30 - filled.min(30)),
                frac * 100.0,
                s.read,
                s.stored,
                s.duplicates,
                s.rejected,
                rate
            );
        } else {
            let _ = writeln!(
                err,
                "vigil ads import: {:.0}% {} read, {} stored, {} duplicates, {} rejected, {:.0} ads/s",
                frac * 100.0,
                s.read,
                s.stored,
                s.duplicates,
                s.rejected,
                rate
            );
        }
        let _ = err.flush();
    }
}

/// Prepares a batch on every core; results keep input order.
fn prepare_batch(
    batch: &[(usize, String)],
    opts: &vigil_ident::Options,
    scorer: &Scorer<'_>,
    weight_set: &str,
    t: (CaseId, UserId, Timestamp),
) -> anyhow::Result<Vec<(usize, Result<NewAd, Reject>)>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .max(1);
    let chunk = batch.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = batch
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|(n, line)| {
                            (*n, prepare(line, opts, scorer, weight_set, t.0, t.1, t.2))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut out = Vec::with_capacity(batch.len());
        for h in handles {
            out.extend(
                h.join()
                    .map_err(|_| anyhow::anyhow!("an extraction worker panicked"))?,
            );
        }
        Ok(out)
    })
}

async fn import(store: &Store, a: &ImportArgs, set: &WeightSet) -> anyhow::Result<ExitCode> {
    let target = resolve_target(store, a).await?;
    let file = File::open(&a.file).with_context(|| format!("cannot open {}", a.file.display()))?;
    let total_bytes = file.metadata().map(|m| m.len()).unwrap_or(0);
    let progress = Progress {
        tty: std::io::stderr().is_terminal(),
        total_bytes,
        started: Instant::now(),
    };
    let opts = vigil_ident::Options::default().with_region(&a.region);
    let scorer = Scorer::new(set);
    let weight_set = format!("{} v{}", set.id, set.version);
    let shown = a.file.display().to_string();
    let mut summary = Summary::default();
    let mut seen: HashSet<String> = HashSet::new();
    let mut reader = BufReader::new(file);
    let (mut line_no, mut bytes_read) = (0usize, 0u64);
    let mut buf = Vec::new();
    loop {
        let mut batch: Vec<(usize, String)> = Vec::with_capacity(a.batch);
        let mut eof = false;
        let mut batch_bytes = 0usize;
        while batch.len() < a.batch && batch_bytes < BATCH_BYTES {
            let (found, n) = read_line_limited(&mut reader, &mut buf, a.max_line_bytes)
                .with_context(|| format!("{shown}: line {}: cannot read", line_no + 1))?;
            if found == LimitedLine::End {
                eof = true;
                break;
            }
            line_no += 1;
            bytes_read += n;
            if found == LimitedLine::TooLong {
                summary.read += 1;
                let reason = format!("longer than {} bytes (--max-line-bytes)", a.max_line_bytes);
                reject(&mut summary, &shown, line_no, "json", &reason);
                continue;
            }
            batch_bytes += buf.len();
            match line_text(&buf) {
                Ok(None) => {}
                Ok(Some(text)) => {
                    summary.read += 1;
                    batch.push((line_no, text.to_owned()));
                }
                Err(_) => {
                    summary.read += 1;
                    reject(&mut summary, &shown, line_no, "json", "not valid UTF-8");
                }
            }
        }
        if !batch.is_empty() {
            let now = store.clock().now();
            let prepared = prepare_batch(
                &batch,
                &opts,
                &scorer,
                &weight_set,
                (target.case, target.actor.user, now),
            )?;
            let mut fresh = Vec::with_capacity(prepared.len());
            for (line, r) in prepared {
                match r {
                    Ok(ad) if seen.insert(ad.content_sha256.clone()) => fresh.push(ad),
                    Ok(_) => summary.duplicates += 1,
                    Err(e) => reject(&mut summary, &shown, line, e.field, &e.reason),
                }
            }
            if !fresh.is_empty() {
                let outcome = store_batch(store, &target, fresh).await?;
                summary.stored += outcome.stored;
                summary.duplicates += outcome.duplicates;
            }
            progress.show(bytes_read, &summary);
        }
        if eof {
            break;
        }
    }
    if progress.tty {
        eprintln!();
    }
    let secs = progress.started.elapsed().as_secs_f64();
    eprintln!(
        "vigil ads import: {} lines read, {} ads stored, {} duplicates, {} rejected into case {} of {} in {:.1} s ({:.0} ads/s); weight set {}",
        summary.read,
        summary.stored,
        summary.duplicates,
        summary.rejected,
        a.case_number,
        a.agency,
        secs,
        summary.read as f64 / secs.max(1e-9),
        weight_set
    );
    eprintln!("vigil ads import: {}", vigil_ads::LEAD_NOT_EVIDENCE);
    println!(
        "{}",
        serde_json::json!({
            "read": summary.read,
            "stored": summary.stored,
            "duplicates": summary.duplicates,
            "rejected": summary.rejected,
            "case_id": target.case.to_string(),
        })
    );
    Ok(ExitCode::SUCCESS)
}

fn reject(s: &mut Summary, file: &str, line: usize, field: &str, reason: &str) {
    s.rejected += 1;
    if s.rejected <= MAX_PRINTED_REJECTS {
        eprintln!("{file}:{line}:{field}: {reason}");
    } else if s.rejected == MAX_PRINTED_REJECTS + 1 {
        eprintln!("vigil ads import: more rejected lines are counted, not printed");
    }
}

async fn store_batch(
    store: &Store,
    t: &ImportTarget,
    fresh: Vec<NewAd>,
) -> anyhow::Result<BatchOutcome> {
    let (case, owner, actor) = (t.case, t.owner, t.actor.clone());
    let user = actor.user;
    let offered = fresh.len();
    let outcome = store
        .write(move |mut ctx| async move {
            let r = async {
                let o = ads::insert_batch(&mut ctx, case, user, fresh).await?;
                let detail = format!(
                    "local_cli;offered={offered};stored={};duplicates={}",
                    o.stored, o.duplicates
                );
                ctx.audit(event(&actor, case, owner, detail)).await?;
                Ok(o)
            }
            .await;
            (ctx, r)
        })
        .await?;
    Ok(outcome)
}

/// For tests of the mapping: the features of one line as the import computes them.
#[cfg(test)]
fn features_of(line: &str) -> vigil_ads::AdFeatures {
    features(
        vigil_ads::parse_ad_line(line).unwrap_or_else(|e| panic!("{e}")),
        &vigil_ident::Options::default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scorer_set() -> WeightSet {
        WeightSet::default_set().unwrap_or_else(|e| panic!("{e}"))
    }

    fn prep(line: &str) -> Result<NewAd, Reject> {
        let set = scorer_set();
        let scorer = Scorer::new(&set);
        prepare(
            line,
            &vigil_ident::Options::default(),
            &scorer,
            "test v1",
            CaseId::new_random(),
            UserId::new_random(),
            Timestamp::from_unix_micros(0),
        )
    }

    #[test]
    fn a_line_becomes_an_online_ad_with_selectors_and_score() {
        let ad = prep(r#"{"id":"a1","source":"synthboard","url":"https://wa.me/14805550142","posted_at":"2026-01-02T03:04:05Z","location":"Phoenix","title":"New in town","text":"call 480 555 0143 or see www.synth-site.test/me"}"#)
            .unwrap_or_else(|e| panic!("{}: {}", e.field, e.reason));
        assert_eq!(ad.entity.schema, Schema::OnlineAd);
        assert_eq!(ad.entity.properties["postedAt"], ["2026-01-02"]);
        assert_eq!(ad.entity.properties["site"], ["synthboard"]);
        let values: Vec<&str> = ad.selectors.iter().map(|s| s.value.as_str()).collect();
        assert!(values.contains(&"+14805550143"), "{values:?}");
        assert!(values.contains(&"+14805550142"), "{values:?}");
        assert!(
            values.contains(&"http://www.synth-site.test/me"),
            "{values:?}"
        );
        assert_eq!(ad.content_sha256.len(), 64);
        assert!(ad.explanation.contains("lead for human review"));
        assert!(
            features_of(r#"{"id":"x","text":"480 555 0143"}"#)
                .selectors
                .len()
                == 1
        );
    }

    #[test]
    fn bad_lines_name_their_field() {
        let field = |l: &str| prep(l).err().map(|e| e.field);
        assert_eq!(field("{"), Some("json"));
        assert_eq!(field(r#"{"title":"x"}"#), Some("id"));
        assert_eq!(
            field(r#"{"id":"1","posted_at":"soon","text":"x"}"#),
            Some("posted_at")
        );
        assert_eq!(
            field(r#"{"id":"1","url":"ftp://x.example","text":"x"}"#),
            Some("url")
        );
        assert_eq!(field(r#"{"id":"1"}"#), Some("text"));
        let long = "x".repeat(300);
        assert_eq!(
            field(&format!(r#"{{"id":"1","location":"{long}","text":"x"}}"#)),
            Some("location")
        );
    }

    #[test]
    fn long_text_is_kept_whole_in_the_ad_row() {
        let text = "wordy".repeat(1_000);
        let ad = prep(&format!(r#"{{"id":"1","text":"{text}\r\nend"}}"#))
            .unwrap_or_else(|e| panic!("{}: {}", e.field, e.reason));
        assert!(ad.body.ends_with("\r\nend"));
        assert_eq!(
            ad.entity.properties["text"][0].chars().count(),
            ENTITY_TEXT_CHARS
        );
    }
}
