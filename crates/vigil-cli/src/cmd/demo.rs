//! `vigil demo`: seed a fresh data directory with a synthetic task force (agencies of every kind,
//! users of every role with random passwords and enrolled TOTP, cases with people, phones and
//! links), print how to log in as each role, and serve it. Nothing here is a default password:
//! every secret is random and shown only to whoever ran the command.

use super::db::{create_private_dir, DbArgs};
use anyhow::{bail, Context};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use vigil_audit::Outcome;
use vigil_core::auth::lockout::Lockout;
use vigil_core::auth::password;
use vigil_core::auth::totp::TotpSecret;
use vigil_core::entity::{self, LinkType, Schema};
use vigil_core::{AgencyKind, CaseStatus, Role, Sensitivity, TaskStatus, TraffickingType};
use vigil_store::agencies::{self, Agency};
use vigil_store::cases::{self, Case};
use vigil_store::content::{self, Entity, Link, Note, Task};
use vigil_store::users::{self, User};
use vigil_store::{AuditDraft, Store};
use vigil_types::{
    AgencyId, CaseId, CaseNumber, EntityId, LinkId, NoteId, TaskId, UserId, Username,
};

/// Arguments of `vigil demo`.
#[derive(clap::Args)]
pub struct Args {
    /// Where the demo's data lives.
    #[arg(long, env = "VIGIL_DEMO_DIR", default_value = "vigil-demo")]
    pub data_dir: PathBuf,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// Seed for the synthetic task force.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// How many cases to create.
    #[arg(long, default_value_t = 24)]
    pub cases: usize,
    /// Delete an existing demo directory first.
    #[arg(long)]
    pub reset: bool,
    /// Seed and print the logins, but do not serve.
    #[arg(long)]
    pub no_serve: bool,
    /// Put the demo's database in PostgreSQL instead of SQLite (an empty database; the logins file
    /// still goes to --data-dir).
    #[arg(long, hide_env_values = true)]
    pub database_url: Option<String>,
}

const CREDENTIALS: &str = "demo-logins.txt";

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let dir = args.data_dir.clone();
    if args.reset && dir.exists() {
        if !dir.join(CREDENTIALS).exists() {
            bail!(
                "{} is not a demo directory (no {CREDENTIALS}); refusing to delete it",
                dir.display()
            );
        }
        std::fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    let existing = dir.join(CREDENTIALS).exists();
    if !existing
        && dir.exists()
        && std::fs::read_dir(&dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(false)
    {
        bail!(
            "{} exists and is not an earlier demo; choose another --data-dir",
            dir.display()
        );
    }
    create_private_dir(&dir)?;
    let db = DbArgs {
        data_dir: Some(dir.clone()),
        database_url: args.database_url.clone(),
        config: None,
        blob_dir: None, // --- evidence: <demo dir>/blobs
    };
    let rt = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    rt.block_on(async {
        let (store, shown) = db.open().await?;
        let logins = if existing {
            eprintln!(
                "Re-using the demo in {} (run with --reset for a fresh one).",
                dir.display()
            );
            std::fs::read_to_string(dir.join(CREDENTIALS))?
        } else {
            eprintln!("Seeding a synthetic task force into {} …", dir.display());
            let blobs = vigil_evidence::BlobStore::new(db.blob_dir()?);
            let text = seed(&store, &blobs, args.seed, args.cases).await?;
            write_private(&dir.join(CREDENTIALS), &text)?;
            text
        };
        let note = format!(
            "{logins}\n(These logins are also in {}.)",
            dir.join(CREDENTIALS).display()
        );
        if args.no_serve {
            eprintln!("{note}");
            store.close().await;
            return Ok(ExitCode::SUCCESS);
        }
        let config = db.server_config()?;
        super::serve::serve(store, &args.listen, &shown, Some(note), config).await?;
        Ok(ExitCode::SUCCESS)
    })
}

fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

fn seed_event(actor: &User, action: &str, kind: &str, id: String, agency: AgencyId) -> AuditDraft {
    AuditDraft {
        actor_user: Some(actor.id),
        actor_agency: Some(actor.agency_id),
        action: action.into(),
        object_kind: kind.into(),
        object_id: Some(id),
        object_agency: Some(agency),
        outcome: Outcome::Success,
        detail: "demo_seed".into(),
    }
}

/// Seeds the store; returns the login table to print.
async fn seed(
    store: &Store,
    blobs: &vigil_evidence::BlobStore,
    seed: u64,
    n_cases: usize,
) -> anyhow::Result<String> {
    let tf = vigil_synth::taskforce::generate(seed, n_cases);
    let now = store.clock().now();
    let agency_rows: Vec<Agency> = tf
        .agencies
        .iter()
        .map(|a| {
            Ok(Agency {
                id: AgencyId::new_random(),
                name: a.name.clone(),
                short_code: a.short_code.clone(),
                kind: AgencyKind::parse(a.kind)?,
                created_at: now,
            })
        })
        .collect::<Result<_, vigil_core::EnumError>>()?;
    let mut logins = String::from("\nDemo logins (password, then the 6-digit code from `vigil totp SECRET` or an authenticator app):\n");
    let mut user_rows = Vec::new();
    for u in &tf.users {
        let pw = password::generate_initial(&mut rand::rngs::OsRng);
        let totp = TotpSecret::generate(&mut rand::rngs::OsRng);
        let agency = agency_rows
            .get(u.agency)
            .context("synthetic user without agency")?;
        let _ = writeln!(
            logins,
            "  {:<16} {:<34} password {}  TOTP secret {}  ({})",
            u.role,
            u.username,
            pw,
            totp.to_base32(),
            agency.short_code
        );
        user_rows.push(User {
            id: UserId::new_random(),
            agency_id: agency.id,
            username: Username::parse(&u.username)?,
            display_name: u.display_name.clone(),
            role: Role::parse(u.role)?,
            password_hash: password::hash(&pw, &mut rand::rngs::OsRng)
                .map_err(|e| anyhow::anyhow!("{e}"))?,
            totp_secret: Some(totp.to_base32()),
            totp_pending_secret: None,
            totp_last_step: None,
            lockout: Lockout::default(),
            disabled: false,
            created_at: now,
            last_login_at: None,
        });
    }
    let (a2, u2) = (agency_rows.clone(), user_rows.clone());
    store
        .write(move |mut ctx| async move {
            let r = async {
                for a in &a2 {
                    agencies::insert(&mut ctx, a).await?;
                    ctx.audit(AuditDraft {
                        actor_user: None,
                        actor_agency: None,
                        action: "agency.create".into(),
                        object_kind: "agency".into(),
                        object_id: Some(a.id.to_string()),
                        object_agency: Some(a.id),
                        outcome: Outcome::Success,
                        detail: "demo_seed".into(),
                    })
                    .await?;
                }
                for u in &u2 {
                    users::insert(&mut ctx, u).await?;
                    ctx.audit(AuditDraft {
                        actor_user: None,
                        actor_agency: None,
                        action: "user.create".into(),
                        object_kind: "user".into(),
                        object_id: Some(u.id.to_string()),
                        object_agency: Some(u.agency_id),
                        outcome: Outcome::Success,
                        detail: "demo_seed".into(),
                    })
                    .await?;
                }
                Ok(())
            }
            .await;
            (ctx, r)
        })
        .await?;
    let mut seeded: Vec<SeededCase> = Vec::new(); // --- xref
                                                  // --- ops: the first case gets a protocol, a charge and a planned operation.
    let mut demo_case: Option<(CaseId, AgencyId, User, Option<EntityId>)> = None;
    for c in tf.cases {
        let lead = user_rows.get(c.lead).context("case lead")?.clone();
        let agency = agency_rows.get(c.agency).context("case agency")?.id;
        let case = Case {
            id: CaseId::new_random(),
            agency_id: agency,
            number: CaseNumber::parse(&c.number)?,
            title: c.title.clone(),
            trafficking_type: TraffickingType::parse(c.trafficking_type)?,
            status: CaseStatus::Open,
            sensitivity: Sensitivity::Normal,
            created_by: lead.id,
            created_at: now,
            updated_at: now,
        };
        let members: Vec<UserId> = c
            .members
            .iter()
            .filter_map(|m| user_rows.get(*m))
            .map(|u| u.id)
            .filter(|id| *id != lead.id)
            .collect();
        let mut ents = Vec::new();
        for e in &c.entities {
            let schema = Schema::parse(e.schema)?;
            let mut raw: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for (k, v) in &e.properties {
                raw.entry((*k).to_owned()).or_default().push(v.clone());
            }
            let props = entity::validate(schema, &raw)
                .map_err(|err| anyhow::anyhow!("synthetic entity: {err}"))?;
            ents.push(Entity {
                id: EntityId::new_random(),
                case_id: case.id,
                schema,
                caption: entity::caption(schema, &props),
                properties: props,
                created_by: lead.id,
                created_at: now,
                updated_at: now,
            });
        }
        let links: Vec<Link> = c
            .links
            .iter()
            .filter_map(|(s, t, kind)| {
                Some(Link {
                    id: LinkId::new_random(),
                    case_id: case.id,
                    source_id: ents.get(*s)?.id,
                    target_id: ents.get(*t)?.id,
                    link_type: LinkType::parse(kind).ok()?,
                    description: None,
                    created_by: lead.id,
                    created_at: now,
                })
            })
            .collect();
        let notes: Vec<Note> = c
            .notes
            .iter()
            .map(|b| Note {
                id: NoteId::new_random(),
                case_id: case.id,
                author_id: lead.id,
                body: b.clone(),
                created_at: now,
            })
            .collect();
        let tasks: Vec<Task> = c
            .tasks
            .iter()
            .map(|t| Task {
                id: TaskId::new_random(),
                case_id: case.id,
                title: t.clone(),
                status: TaskStatus::Open,
                assignee_id: Some(lead.id),
                due_at: Some(now.plus(std::time::Duration::from_secs(7 * 86_400))),
                created_by: lead.id,
                created_at: now,
                updated_at: now,
            })
            .collect();
        seeded.push((case.id, agency, lead.clone())); // --- xref
        if demo_case.is_none() {
            let defendant = ents
                .iter()
                .find(|e| e.schema == Schema::Person)
                .map(|e| e.id);
            demo_case = Some((case.id, agency, lead.clone(), defendant));
        }
        let path: Vec<CaseStatus> = c
            .status_path
            .iter()
            .map(|s| CaseStatus::parse(s))
            .collect::<Result<_, _>>()?;
        store
            .write(move |mut ctx| async move {
                let r = async {
                    cases::insert(&mut ctx, &case).await?;
                    ctx.audit(seed_event(
                        &lead,
                        "case.create",
                        "case",
                        case.id.to_string(),
                        agency,
                    ))
                    .await?;
                    for m in &members {
                        cases::add_member(&mut ctx, case.id, *m, false).await?;
                        ctx.audit(seed_event(
                            &lead,
                            "case.team.add",
                            "case",
                            case.id.to_string(),
                            agency,
                        ))
                        .await?;
                    }
                    for e in &ents {
                        content::insert_entity(&mut ctx, e).await?;
                        ctx.audit(seed_event(
                            &lead,
                            "entity.create",
                            "entity",
                            e.id.to_string(),
                            agency,
                        ))
                        .await?;
                    }
                    for l in &links {
                        content::insert_link(&mut ctx, l).await?;
                        ctx.audit(seed_event(
                            &lead,
                            "link.create",
                            "link",
                            l.id.to_string(),
                            agency,
                        ))
                        .await?;
                    }
                    for n in &notes {
                        content::insert_note(&mut ctx, n).await?;
                        ctx.audit(seed_event(
                            &lead,
                            "note.create",
                            "note",
                            n.id.to_string(),
                            agency,
                        ))
                        .await?;
                    }
                    for t in &tasks {
                        content::insert_task(&mut ctx, t).await?;
                        ctx.audit(seed_event(
                            &lead,
                            "task.create",
                            "task",
                            t.id.to_string(),
                            agency,
                        ))
                        .await?;
                    }
                    for s in &path {
                        cases::set_status(&mut ctx, case.id, lead.id, *s).await?;
                        ctx.audit(seed_event(
                            &lead,
                            "case.status",
                            "case",
                            case.id.to_string(),
                            agency,
                        ))
                        .await?;
                    }
                    Ok(())
                }
                .await;
                (ctx, r)
            })
            .await?;
    }
    // --- xref
    seed_xref(store, &seeded).await?;
    // --- evidence
    if let Some((case, agency, lead, _)) = &demo_case {
        seed_evidence(store, blobs, *case, *agency, lead, &user_rows).await?;
    }
    // --- ops
    if let Some((case, agency, lead, defendant)) = demo_case {
        ops::seed(
            store,
            case,
            agency,
            &lead,
            defendant,
            &agency_rows,
            &user_rows,
        )
        .await?;
    }
    // --- tips
    logins.push_str(&seed_tips(store, &user_rows).await?);
    // --- vault
    if let Some(pseudonym) = seed_vault(store, &agency_rows, &user_rows).await? {
        let _ = writeln!(
            logins,
            "\nVictim vault: a synthetic survivor record ({pseudonym}) with a consent, a screening and a referral; \
             log in as the victim advocate to see it in full (GET /api/v1/victims), as a prosecutor to see what the consent allows."
        );
    }
    let _ = writeln!(
        logins,
        "\nSign in with a browser at the address Vigil prints when it starts (http://127.0.0.1:8080/ by default):\n  \
         username, password, then the 6-digit code from `vigil totp SECRET`.\n\
         Or log in through the API:\n  \
         curl -s -H 'content-type: application/json' -d '{{\"username\":\"USER\",\"password\":\"PASSWORD\",\"acknowledge_banner\":true}}' http://HOST/api/v1/auth/login\n  \
         curl -s -H 'authorization: Bearer TOKEN_FROM_ABOVE' -H 'content-type: application/json' -d \"{{\\\"code\\\":\\\"$(vigil totp SECRET)\\\"}}\" http://HOST/api/v1/auth/totp\n  \
         then send the returned token as 'authorization: Bearer …' to /api/v1/cases and friends."
    );
    Ok(logins)
}

// --- xref
/// Cross-referencing demo: the same man recorded in two cases of one agency ("Jon Smyth" and
/// "John Smith", same birth date, the phone written two ways: the agency's supervisor sees the
/// candidate and its explanation) and in a third case of another agency (each lead gets a
/// deconfliction notice, nothing more); a hotel switchboard on the stoplist shared by unrelated
/// people. Candidates are computed once here; later changes are matched incrementally.
/// A seeded case: id, owning agency, lead.
type SeededCase = (CaseId, AgencyId, User);

async fn seed_xref(store: &Store, seeded: &[SeededCase]) -> anyhow::Result<()> {
    let Some((first, rest)) = seeded.split_first() else {
        return Ok(());
    };
    let same = rest.iter().find(|c| c.1 == first.1);
    let other = rest.iter().find(|c| c.1 != first.1);
    let (Some(same), Some(other)) = (same, other) else {
        return Ok(());
    };
    let now = store.clock().now();
    let people: [(&SeededCase, &str, &str, &str, &str); 5] = [
        (first, "Jon", "Smyth", "1988-04-03", "480-555-0142"),
        (same, "John", "Smith", "1988-04-03", "+1 (480) 555-0142"),
        (other, "Jonathan", "Smith", "1988-04-03", "480.555.0142"),
        (first, "Greta", "Hollis", "1979-11-30", "602-555-0100"),
        (other, "Pavel", "Okonjo", "1983-06-14", "602-555-0100"),
    ];
    let mut jobs = Vec::new();
    for (c, given, last, dob, phone) in people {
        let mk = |schema: Schema, props: &[(&str, &str)]| -> anyhow::Result<Entity> {
            let raw: BTreeMap<String, Vec<String>> = props
                .iter()
                .map(|(k, v)| ((*k).to_owned(), vec![(*v).to_owned()]))
                .collect();
            let p = entity::validate(schema, &raw).map_err(|e| anyhow::anyhow!("{e}"))?;
            Ok(Entity {
                id: EntityId::new_random(),
                case_id: c.0,
                schema,
                caption: entity::caption(schema, &p),
                properties: p,
                created_by: c.2.id,
                created_at: now,
                updated_at: now,
            })
        };
        let person = mk(
            Schema::Person,
            &[
                ("firstName", given),
                ("lastName", last),
                ("birthDate", dob),
                ("htcdsRole", "suspected_perpetrator"),
            ],
        )?;
        let ph = mk(Schema::Phone, &[("number", phone)])?;
        let link = Link {
            id: LinkId::new_random(),
            case_id: c.0,
            source_id: person.id,
            target_id: ph.id,
            link_type: LinkType::parse("uses")?,
            description: None,
            created_by: c.2.id,
            created_at: now,
        };
        jobs.push((c.clone(), person, ph, link));
    }
    store
        .write(move |mut ctx| async move {
            let r = async {
                for (c, person, ph, link) in &jobs {
                    for e in [person, ph] {
                        content::insert_entity(&mut ctx, e).await?;
                        ctx.audit(seed_event(
                            &c.2,
                            "entity.create",
                            "entity",
                            e.id.to_string(),
                            c.1,
                        ))
                        .await?;
                    }
                    content::insert_link(&mut ctx, link).await?;
                    ctx.audit(seed_event(
                        &c.2,
                        "link.create",
                        "link",
                        link.id.to_string(),
                        c.1,
                    ))
                    .await?;
                }
                let stop = vigil_store::xref::StopEntry {
                    id: EntityId::new_random().to_string(),
                    kind: "phone".into(),
                    value: "+16025550100".into(),
                    reason: "hotel switchboard".into(),
                    added_by: None,
                    added_at: ctx.now(),
                };
                vigil_store::xref::insert_stop(&mut ctx, &stop).await?;
                ctx.audit(AuditDraft {
                    actor_user: None,
                    actor_agency: None,
                    action: "xref.stoplist.add".into(),
                    object_kind: "xref_stoplist".into(),
                    object_id: Some(stop.id.clone()),
                    object_agency: None,
                    outcome: Outcome::Success,
                    detail: "demo_seed".into(),
                })
                .await?;
                Ok(())
            }
            .await;
            (ctx, r)
        })
        .await?;
    let n = vigil_server::xref::match_all(
        store,
        AuditDraft {
            actor_user: None,
            actor_agency: None,
            action: "xref.run".into(),
            object_kind: "xref".into(),
            object_id: None,
            object_agency: None,
            outcome: Outcome::Success,
            detail: "demo_seed".into(),
        },
    )
    .await?;
    eprintln!("Cross-referencing: {n} candidate pairs for review.");
    Ok(())
}
// --- ops
mod ops {
    //! Demo content for protocols (T5), joint operations (O1) and prosecution (C6) on the first
    //! case: a checklist with one overdue item, a planned operation and a charge.

    use super::seed_event;
    use std::time::Duration;
    use vigil_core::operation::{OperationStatus, ParticipantRole};
    use vigil_core::prosecution::Disposition;
    use vigil_core::protocol::ItemStatus;
    use vigil_core::{AgencyKind, Role};
    use vigil_store::agencies::Agency;
    use vigil_store::operations::{self, OnsiteService, Operation, Participant};
    use vigil_store::prosecution::{self, Charge};
    use vigil_store::protocols;
    use vigil_store::users::User;
    use vigil_store::Store;
    use vigil_types::{AgencyId, CaseId, ChargeId, EntityId, OperationId};

    const HOUR: Duration = Duration::from_secs(3600);

    pub(super) async fn seed(
        store: &Store,
        case: CaseId,
        agency: AgencyId,
        lead: &User,
        defendant: Option<EntityId>,
        agencies: &[Agency],
        users: &[User],
    ) -> anyhow::Result<()> {
        let now = store.clock().now();
        let template = vigil_core::protocol::builtin()
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .get("victim-identification", None)
            .ok_or_else(|| anyhow::anyhow!("the default protocol set lacks victim-identification"))?
            .clone();
        // The identification was 30 hours before the case was entered: the 4- and 24-hour items
        // are due; two are done, the advocate notification is overdue.
        let started =
            vigil_types::Timestamp::from_unix_micros(now.unix_micros() - 30 * 3_600_000_000);
        let actor = lead.clone();
        let protocol = store
            .write(move |mut ctx| async move {
                let r = async {
                    let id =
                        protocols::start(&mut ctx, case, &template, started, &[], actor.id, None)
                            .await?;
                    ctx.audit(seed_event(
                        &actor,
                        "protocol.start",
                        "case",
                        case.to_string(),
                        agency,
                    ))
                    .await?;
                    Ok(id)
                }
                .await;
                (ctx, r)
            })
            .await?;
        let done: Vec<_> = store
            .protocols(case)
            .await?
            .into_iter()
            .filter(|(p, _)| p.id == protocol)
            .flat_map(|(_, items)| items)
            .filter(|i| matches!(i.key.as_str(), "safety-assessed" | "interpreter-offered"))
            .map(|i| i.id)
            .collect();
        let actor = lead.clone();
        store
            .write(move |mut ctx| async move {
                let r = async {
                    for id in done {
                        protocols::set_item_status(&mut ctx, id, ItemStatus::Done, None, actor.id)
                            .await?;
                        ctx.audit(seed_event(
                            &actor,
                            "protocol.item.update",
                            "protocol_item",
                            id.to_string(),
                            agency,
                        ))
                        .await?;
                    }
                    Ok(())
                }
                .await;
                (ctx, r)
            })
            .await?;

        // A planned operation led by the case's agency, with another law-enforcement agency and
        // a victim-services NGO on site, linked to the case.
        let other_le = agencies
            .iter()
            .find(|a| a.id != agency && a.kind.is_law_enforcement())
            .map(|a| a.id);
        let ngo = agencies
            .iter()
            .find(|a| a.kind == AgencyKind::VictimServices)
            .cloned();
        let mut parts = vec![Participant {
            agency_id: agency,
            role: ParticipantRole::Lead,
        }];
        if let Some(a) = other_le {
            parts.push(Participant {
                agency_id: a,
                role: ParticipantRole::Tactical,
            });
        }
        let mut services = Vec::new();
        let mut advocate = None;
        if let Some(n) = &ngo {
            parts.push(Participant {
                agency_id: n.id,
                role: ParticipantRole::VictimServices,
            });
            services.push(OnsiteService {
                provider: n.name.clone(),
                agency_id: Some(n.id),
                advocates: 2,
            });
            advocate = users
                .iter()
                .find(|u| u.agency_id == n.id && u.role == Role::VictimAdvocate)
                .map(|u| (u.id, n.id));
        }
        let op = Operation {
            id: OperationId::new_random(),
            lead_agency_id: agency,
            name: "Operation Lantern".into(),
            location: "Staging: district 4 station, rear lot".into(),
            planned_start: now.plus(72 * HOUR),
            planned_end: Some(now.plus(80 * HOUR)),
            status: OperationStatus::Planned,
            outcomes: None,
            outcome_notes: None,
            outcomes_by: None,
            outcomes_at: None,
            created_by: lead.id,
            created_at: now,
            updated_at: now,
        };
        let charge = defendant.map(|d| Charge {
            id: ChargeId::new_random(),
            case_id: case,
            defendant_id: d,
            statute: "18 U.S.C. § 1591(a)(1)".into(),
            description: "Sex trafficking by force, fraud or coercion".into(),
            trafficking: true,
            counts: 1,
            disposition: Disposition::Pending,
            disposed_on: None,
            sentence: None,
            created_by: lead.id,
            created_at: now,
            updated_at: now,
        });
        let actor = lead.clone();
        store
            .write(move |mut ctx| async move {
                let r = async {
                    operations::insert(&mut ctx, &op, &parts, &services, agency).await?;
                    ctx.audit(seed_event(
                        &actor,
                        "operation.create",
                        "operation",
                        op.id.to_string(),
                        agency,
                    ))
                    .await?;
                    if let Some((user, ngo)) = advocate {
                        operations::add_to_roster(&mut ctx, op.id, user, ngo, false).await?;
                        ctx.audit(seed_event(
                            &actor,
                            "operation.roster.add",
                            "operation",
                            op.id.to_string(),
                            agency,
                        ))
                        .await?;
                    }
                    operations::link_case(&mut ctx, op.id, case, actor.id).await?;
                    ctx.audit(seed_event(
                        &actor,
                        "operation.case.link",
                        "operation",
                        op.id.to_string(),
                        agency,
                    ))
                    .await?;
                    if let Some(c) = &charge {
                        prosecution::insert_charge(&mut ctx, c).await?;
                        ctx.audit(seed_event(
                            &actor,
                            "charge.create",
                            "charge",
                            c.id.to_string(),
                            agency,
                        ))
                        .await?;
                    }
                    Ok(())
                }
                .await;
                (ctx, r)
            })
            .await?;
        Ok(())
    }
}

// --- tips
/// Synthetic anonymous tips: (what, where, when). Phones are in the fictional 555-01XX range.
const DEMO_TIPS: &[(&str, Option<&str>, Option<&str>)] = &[
    (
        "Two girls, one of them says she is 15 years old, are brought to the Sunset Inn most \
         nights by an older man. The ads with their photos list 602-555-0147.",
        Some("Sunset Inn, W Van Buren St"),
        Some("Most nights after 10 pm"),
    ),
    (
        "My cousin works for a landscaping crew; the boss keeps everyone's passports and says they \
         owe $8,000 for the trip. They sleep in his garage and are not paid.",
        Some("East Mesa"),
        Some("Since March"),
    ),
    (
        "A woman texted from a massage place asking for help. She said she cannot leave and the \
         owner has a gun. The number she used was (480) 555-0163.",
        None,
        Some("Tonight around 9 pm"),
    ),
    (
        "Restaurant kitchen staff work 14-hour days with no pay and live above the restaurant. \
         The recruiter uses the e-mail jobs.desert.synth@example.com.",
        Some("Downtown Chandler"),
        None,
    ),
];

/// Seeds the triage queue through the same submission code as `POST /api/v1/tips` (at a
/// trivial proof-of-work difficulty), adds a staff reply to the first tip, and returns the
/// receipt codes to print so the follow-up can be tried.
async fn seed_tips(store: &Store, users: &[User]) -> anyhow::Result<String> {
    use vigil_server::tips::{self, Proof, Submitted, TipInput, TipsConfig};
    let state = vigil_server::AppState::new(
        store.clone(),
        vigil_server::ServerConfig {
            tips: TipsConfig::for_bench(),
            ..vigil_server::ServerConfig::default()
        },
    );
    let mut out = String::from(
        "\nSynthetic anonymous tips in the triage queue (GET /api/v1/intake as a supervisor); a tipster \
         follows up with POST /api/v1/tips/status {\"receipt_code\": …}:\n",
    );
    let mut first = None;
    for (what, where_text, when_text) in DEMO_TIPS {
        let c = tips::issue_challenge(&state).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let nonce = vigil_core::tips::solve(&c.challenge, c.difficulty_bits);
        let input = TipInput {
            what: (*what).into(),
            where_text: where_text.map(Into::into),
            when_text: when_text.map(Into::into),
            contact: None,
            attachments: Vec::new(),
        };
        let proof = Proof::Work {
            challenge: c.challenge,
            nonce,
        };
        match tips::submit(&state, proof, input, None).await {
            Ok(Submitted::Created(r)) => {
                let short: String = what.chars().take(60).collect();
                let _ = writeln!(out, "  {}  {short}…", r.receipt_code);
                first.get_or_insert(r.receipt_code);
            }
            Ok(Submitted::Replayed(_)) => {}
            Err(e) => anyhow::bail!("seeding a demo tip: {e:?}"),
        }
    }
    let supervisor = users.iter().find(|u| u.role == Role::Supervisor);
    if let (Some(code), Some(sup)) = (first, supervisor) {
        let lookup = vigil_core::tips::ReceiptCode::parse(&code)
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .lookup()
            .to_owned();
        if let Some(item) = store.intake_by_receipt(&lookup).await? {
            let m = vigil_store::intake::IntakeMessage {
                id: vigil_types::IntakeMessageId::new_random(),
                item_id: item.id,
                author: vigil_core::triage::MessageAuthor::Staff,
                author_user: Some(sup.id),
                body: "Thank you. Do you remember the room number or the car they arrive in?"
                    .into(),
                created_at: store.clock().now(),
            };
            let event = seed_event(
                sup,
                "intake.reply",
                "intake",
                item.id.to_string(),
                sup.agency_id,
            );
            store
                .write_audited(event, move |mut ctx| async move {
                    let r = vigil_store::intake::insert_message(&mut ctx, &m).await;
                    (ctx, r)
                })
                .await?;
        }
    }
    Ok(out)
}

// --- evidence
/// One evidence item on the first case (a synthetic ledger page, in the blob store like an
/// upload: blob durable first, then its row with the `collected` event), handed by the lead to
/// the agency's supervisor and opened once, so its chain of custody has three events.
async fn seed_evidence(
    store: &Store,
    blobs: &vigil_evidence::BlobStore,
    case: CaseId,
    agency: AgencyId,
    lead: &User,
    users: &[User],
) -> anyhow::Result<()> {
    use vigil_store::evidence::{self, CustodyEvent, CustodyKind, Evidence};
    let Some(sup) = users
        .iter()
        .find(|u| u.role == Role::Supervisor && u.agency_id == agency)
        .cloned()
    else {
        return Ok(());
    };
    let bytes = b"SYNTHETIC DEMO DATA - ledger page 3 (photographed at the scene)\n\
        week 1: rent 400, transport 1200, 'fees' 350  -> owed 1950\n\
        week 2: rent 400, food 150                     -> owed 2500\n\
        week 3: paid 200                               -> owed 2700\n";
    let b = blobs.clone();
    let stored = tokio::task::spawn_blocking(move || b.ingest_bytes(bytes))
        .await
        .context("the blob writer stopped")??;
    let now = store.clock().now();
    let item = Evidence {
        id: vigil_types::EvidenceId::new_random(),
        case_id: case,
        name: "ledger-page-3.txt".into(),
        description: Some("Debt ledger kept by the site manager (synthetic)".into()),
        media_type: "text/plain".into(),
        size: stored.size,
        sha256: stored.digest,
        collected_by: lead.id,
        collected_at: now,
        collected_where: Some("Site office, unit 4 (synthetic)".into()),
        added_by: lead.id,
        added_at: now,
    };
    let event = |kind, actor: &User, to: Option<UserId>, purpose: &str| CustodyEvent {
        evidence_id: item.id,
        kind,
        at: now,
        actor_id: actor.id,
        actor_agency: actor.agency_id,
        from_user: to.map(|_| lead.id),
        to_user: to,
        recipient: None,
        purpose: Some(purpose.into()),
        sha256: stored.digest,
    };
    let later = [
        event(
            CustodyKind::Transferred,
            lead,
            Some(sup.id),
            "Into the property room",
        ),
        event(CustodyKind::Accessed, &sup, None, "Case review"),
    ];
    let (lead, new) = (lead.clone(), item.clone());
    store
        .write(move |mut ctx| async move {
            let r = async {
                evidence::insert_evidence(&mut ctx, &new, lead.agency_id, Some("consent search"))
                    .await?;
                ctx.audit(seed_event(
                    &lead,
                    "evidence.add",
                    "evidence",
                    new.id.to_string(),
                    agency,
                ))
                .await?;
                for ev in &later {
                    evidence::insert_custody(&mut ctx, ev).await?;
                }
                Ok(())
            }
            .await;
            (ctx, r)
        })
        .await?;
    Ok(())
}

// --- vault
/// Seeds the provider directory and one synthetic survivor record (served by the first victim
/// advocate's agency) with a consent naming the prosecutors' agency, a screening, an accepted
/// referral and a safety plan. Every value is invented. Returns the record's pseudonym.
async fn seed_vault(
    store: &Store,
    agencies: &[Agency],
    users: &[User],
) -> anyhow::Result<Option<String>> {
    use vigil_core::screening;
    use vigil_core::vault::{self as rules, DataCategory, Recipient, ReferralStatus, ServiceType};
    use vigil_store::services::{self, Provider, Referral};
    use vigil_store::vault::{self, Consent, SafetyPlan, Screening, Victim, VictimCase};
    use vigil_types::{ConsentId, ProviderId, ReferralId, ScreeningId, VictimId};

    let Some(advocate) = users
        .iter()
        .find(|u| u.role == Role::VictimAdvocate)
        .cloned()
    else {
        return Ok(None);
    };
    let now = store.clock().now();
    /// (name, service types, languages, eligibility, capacity, intake contact)
    type Entry = (
        &'static str,
        &'static [ServiceType],
        &'static [&'static str],
        &'static str,
        Option<i64>,
        &'static str,
    );
    let directory: &[Entry] = &[
        (
            "Casa Segura Emergency Shelter",
            &[ServiceType::Shelter, ServiceType::CaseManagement],
            &["en", "es"],
            "Adults 18+ of any gender; pets welcome",
            Some(4),
            "Intake line 602-555-0110, 24/7",
        ),
        (
            "Desert Bloom Health Clinic",
            &[ServiceType::Medical],
            &["en", "es", "vi"],
            "Anyone, regardless of insurance or status",
            None,
            "Clinic desk 602-555-0111",
        ),
        (
            "Open Door Counselling Collective",
            &[ServiceType::Counselling],
            &["en", "es", "zh"],
            "Survivors 14+; trauma-informed therapists",
            Some(6),
            "Referrals 602-555-0112",
        ),
        (
            "Sonoran Immigrant Legal Aid",
            &[ServiceType::Legal, ServiceType::Immigration],
            &["en", "es", "pt"],
            "T-visa, U-visa and continued presence applicants",
            Some(2),
            "Intake 602-555-0113",
        ),
        (
            "Bridges Job Training Program",
            &[ServiceType::JobTraining, ServiceType::Education],
            &["en", "es"],
            "Adults with a case manager referral",
            Some(10),
            "Program office 602-555-0114",
        ),
        (
            "LanguageLine Volunteers",
            &[ServiceType::Interpretation],
            &["es", "vi", "zh", "tl", "ru"],
            "Task-force agencies and partner providers",
            None,
            "Dispatcher 602-555-0115",
        ),
    ];
    let providers: Vec<Provider> = directory
        .iter()
        .map(|(name, types, langs, elig, cap, contact)| Provider {
            id: ProviderId::new_random(),
            name: (*name).into(),
            service_types: types.to_vec(),
            languages: langs.iter().map(|l| (*l).to_owned()).collect(),
            eligibility: (*elig).into(),
            capacity: *cap,
            contact: (*contact).into(),
            created_by: advocate.id,
            created_at: now,
            updated_at: now,
        })
        .collect();
    let shelter = providers
        .first()
        .map(|p| p.id)
        .context("provider directory")?;
    let victim = Victim {
        id: VictimId::new_random(),
        serving_agency: advocate.agency_id,
        pseudonym: rules::pseudonym(&mut rand::rngs::OsRng),
        full_name: "Marisol Ventanilla".into(),
        preferred_name: Some("Mari".into()),
        birth_date: Some("1998-11".into()),
        nationality: Some("mx".into()),
        languages: vec!["es".into(), "en".into()],
        phone: Some("602-555-0177".into()),
        email: None,
        contact_notes: Some("Text first; safe to call after 6 pm".into()),
        created_by: advocate.id,
        created_at: now,
        updated_at: now,
    };
    let prosecutors = agencies.iter().find(|a| a.kind == AgencyKind::Prosecutor);
    let mut consents = vec![Consent {
        id: ConsentId::new_random(),
        victim_id: victim.id,
        purpose: "Shelter placement".into(),
        recipients: vec![Recipient::Provider(shelter)],
        categories: vec![DataCategory::Identity, DataCategory::Contact],
        given_at: now,
        expires_at: Some(now.plus(std::time::Duration::from_secs(180 * 86_400))),
        language: "es".into(),
        recorded_by: advocate.id,
        recorded_at: now,
        revoked_at: None,
        revoked_by: None,
    }];
    if let Some(p) = prosecutors {
        consents.push(Consent {
            id: ConsentId::new_random(),
            purpose: "Preparing testimony with the prosecutor".into(),
            recipients: vec![Recipient::AgencyRole(p.id, Role::Prosecutor)],
            categories: vec![DataCategory::Identity],
            ..consents[0].clone()
        });
    }
    let q = screening::builtin()
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .into_iter()
        .next()
        .context("no screening questionnaire")?;
    let answers: std::collections::BTreeMap<String, screening::Answer> = [
        ("documents_held", screening::Answer::Yes),
        ("debt_owed", screening::Answer::Yes),
        ("control_leave", screening::Answer::No),
        ("age_under18", screening::Answer::No),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let outcome = q.score(&answers).map_err(|e| anyhow::anyhow!("{e}"))?;
    let screening_row = Screening {
        id: ScreeningId::new_random(),
        victim_id: victim.id,
        questionnaire: q.id.clone(),
        version: q.version,
        language: "es".into(),
        answers,
        recommendation: outcome.recommendation,
        concerns: outcome.concerns,
        administered_by: advocate.id,
        administered_at: now,
    };
    let referral = Referral {
        id: ReferralId::new_random(),
        victim_id: victim.id,
        provider_id: shelter,
        service_type: ServiceType::Shelter,
        status: ReferralStatus::Sent,
        created_by: advocate.id,
        created_at: now,
        updated_at: now,
    };
    let plan = SafetyPlan {
        victim_id: victim.id,
        sections: [
            (
                "safe_people".to_owned(),
                "Advocate on call; sister in Tucson".to_owned(),
            ),
            (
                "emergency_steps".to_owned(),
                "Call 911, then the advocate line".to_owned(),
            ),
        ]
        .into_iter()
        .collect(),
        review_on: None,
        updated_by: advocate.id,
        updated_at: now,
    };
    // Link to the first case of a law-enforcement agency, so its team sees the pseudonym.
    let mut link = None;
    if let Some(le) = agencies.iter().find(|a| a.kind.is_law_enforcement()) {
        if let Some(c) = store
            .case_candidates(UserId::new_random(), le.id)
            .await?
            .first()
        {
            link = Some(VictimCase {
                victim_id: victim.id,
                case_id: c.id,
                entity_id: None,
                linked_by: advocate.id,
                linked_at: now,
            });
        }
    }
    let adv = advocate.clone();
    let pseudonym = store
        .write(move |mut ctx| async move {
            let r = async {
                for p in &providers {
                    services::insert_provider(&mut ctx, p).await?;
                    ctx.audit(seed_event(
                        &adv,
                        "provider.create",
                        "provider",
                        p.id.to_string(),
                        adv.agency_id,
                    ))
                    .await?;
                }
                let pseudonym = vault::insert_victim(&mut ctx, &victim, || {
                    rules::pseudonym(&mut rand::rngs::OsRng)
                })
                .await?;
                let agency = adv.agency_id;
                ctx.audit(seed_event(
                    &adv,
                    "victim.create",
                    "victim",
                    victim.id.to_string(),
                    agency,
                ))
                .await?;
                for c in &consents {
                    vault::insert_consent(&mut ctx, c).await?;
                    ctx.audit(seed_event(
                        &adv,
                        "consent.create",
                        "consent",
                        c.id.to_string(),
                        agency,
                    ))
                    .await?;
                }
                vault::insert_screening(&mut ctx, &screening_row).await?;
                ctx.audit(seed_event(
                    &adv,
                    "screening.create",
                    "screening",
                    screening_row.id.to_string(),
                    agency,
                ))
                .await?;
                services::insert_referral(&mut ctx, &referral).await?;
                ctx.audit(seed_event(
                    &adv,
                    "referral.create",
                    "referral",
                    referral.id.to_string(),
                    agency,
                ))
                .await?;
                services::set_referral_status(
                    &mut ctx,
                    referral.id,
                    adv.id,
                    ReferralStatus::Accepted,
                )
                .await?;
                ctx.audit(seed_event(
                    &adv,
                    "referral.status",
                    "referral",
                    referral.id.to_string(),
                    agency,
                ))
                .await?;
                vault::put_safety_plan(&mut ctx, &plan).await?;
                ctx.audit(seed_event(
                    &adv,
                    "safety_plan.write",
                    "victim",
                    victim.id.to_string(),
                    agency,
                ))
                .await?;
                if let Some(l) = &link {
                    vault::link_case(&mut ctx, l).await?;
                    ctx.audit(seed_event(
                        &adv,
                        "victim.link_case",
                        "victim",
                        victim.id.to_string(),
                        agency,
                    ))
                    .await?;
                }
                Ok(pseudonym)
            }
            .await;
            (ctx, r)
        })
        .await?;
    Ok(Some(pseudonym))
}
