//! `vigil admin …`: agencies and accounts from the host, for the first administrator and for
//! recovery. Every action is audited as done by the local operator.

use super::db::DbArgs;
use anyhow::{bail, Context};
use clap::Subcommand;
use std::process::ExitCode;
use vigil_audit::Outcome;
use vigil_core::auth::lockout::Lockout;
use vigil_core::auth::password;
use vigil_core::{AgencyKind, Role};
use vigil_store::agencies::{self, Agency};
use vigil_store::users::{self, User};
use vigil_store::{AuditDraft, Store};
use vigil_types::{AgencyId, DisplayText, UserId, Username};

/// Arguments of `vigil admin`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub db: DbArgs,
    #[command(subcommand)]
    pub action: Action,
}

#[derive(Subcommand)]
pub enum Action {
    /// Add an agency to the task force.
    CreateAgency {
        #[arg(long)]
        name: String,
        /// 2–12 letters or digits, e.g. PHXPD.
        #[arg(long)]
        short_code: String,
        /// federal_law_enforcement, state_law_enforcement, local_law_enforcement, prosecutor,
        /// victim_services_ngo, social_services or other.
        #[arg(long)]
        kind: String,
    },
    /// Create an account; prints a one-time initial password. The user enrols TOTP at first login.
    CreateUser {
        #[arg(long)]
        username: String,
        #[arg(long)]
        display_name: String,
        /// investigator, analyst, prosecutor, victim_advocate, supervisor or administrator.
        #[arg(long)]
        role: String,
        /// The agency's short code.
        #[arg(long)]
        agency: String,
    },
    /// Unlock an account after a lockout.
    Unlock {
        #[arg(long)]
        username: String,
    },
    /// Disable an account; ends its sessions and tokens at once.
    Disable {
        #[arg(long)]
        username: String,
    },
    /// Re-enable a disabled account (for example after 90 days without sign-in; AC-2(3)).
    Enable {
        #[arg(long)]
        username: String,
    },
    /// List agencies and accounts.
    List,
}

fn operator(action: &str, kind: &str, id: Option<String>, agency: Option<AgencyId>) -> AuditDraft {
    AuditDraft {
        actor_user: None,
        actor_agency: None,
        action: action.into(),
        object_kind: kind.into(),
        object_id: id,
        object_agency: agency,
        outcome: Outcome::Success,
        detail: "local_cli_operator".into(),
    }
}

async fn find_user(store: &Store, username: &str) -> anyhow::Result<User> {
    let name = Username::parse(username).map_err(|e| anyhow::anyhow!("--username: {e}"))?;
    store
        .user_by_username(&name)
        .await?
        .with_context(|| format!("no user named {name}"))
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let rt = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    rt.block_on(async {
        let (store, _) = args.db.open().await?;
        let result = act(&store, args.action).await;
        store.close().await;
        result.map(|()| ExitCode::SUCCESS)
    })
}

async fn act(store: &Store, action: Action) -> anyhow::Result<()> {
    match action {
        Action::CreateAgency {
            name,
            short_code,
            kind,
        } => {
            let name =
                DisplayText::parse(&name, 200).map_err(|e| anyhow::anyhow!("--name: {e}"))?;
            let code = short_code.trim().to_ascii_uppercase();
            if !(2..=12).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
                bail!("--short-code: must be 2 to 12 letters or digits");
            }
            let kind = AgencyKind::parse(&kind).map_err(|e| anyhow::anyhow!("--kind: {e}"))?;
            let a = Agency {
                id: AgencyId::new_random(),
                name: name.into_string(),
                short_code: code.clone(),
                kind,
                created_at: store.clock().now(),
            };
            let id = a.id;
            store
                .write_audited(
                    operator(
                        "agency.create",
                        "agency",
                        Some(a.id.to_string()),
                        Some(a.id),
                    ),
                    move |mut ctx| async move {
                        let r = agencies::insert(&mut ctx, &a).await;
                        (ctx, r)
                    },
                )
                .await?;
            println!("Created agency {code} ({id}).");
        }
        Action::CreateUser {
            username,
            display_name,
            role,
            agency,
        } => {
            let username =
                Username::parse(&username).map_err(|e| anyhow::anyhow!("--username: {e}"))?;
            let display = DisplayText::parse(&display_name, 120)
                .map_err(|e| anyhow::anyhow!("--display-name: {e}"))?;
            let role = Role::parse(&role).map_err(|e| anyhow::anyhow!("--role: {e}"))?;
            let code = agency.trim().to_ascii_uppercase();
            let agency = store
                .agencies()
                .await?
                .into_iter()
                .find(|a| a.short_code == code)
                .with_context(|| {
                    format!("no agency with short code {code} (see `vigil admin list`)")
                })?;
            let initial = password::generate_initial(&mut rand::rngs::OsRng);
            let phc = password::hash(&initial, &mut rand::rngs::OsRng)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let u = User {
                id: UserId::new_random(),
                agency_id: agency.id,
                username: username.clone(),
                display_name: display.into_string(),
                role,
                password_hash: phc,
                totp_secret: None,
                totp_pending_secret: None,
                totp_last_step: None,
                lockout: Lockout::default(),
                disabled: false,
                created_at: store.clock().now(),
                last_login_at: None,
            };
            store
                .write_audited(
                    operator(
                        "user.create",
                        "user",
                        Some(u.id.to_string()),
                        Some(u.agency_id),
                    ),
                    move |mut ctx| async move {
                        let r = users::insert(&mut ctx, &u).await;
                        (ctx, r)
                    },
                )
                .await?;
            println!("Created {role} {username} in {code}.");
            println!("Initial password (shown once; give it to the user over a separate channel): {initial}");
            println!("At first login the user must set up a TOTP authenticator.");
        }
        Action::Unlock { username } => {
            let u = find_user(store, &username).await?;
            store
                .write_audited(
                    operator(
                        "user.unlock",
                        "user",
                        Some(u.id.to_string()),
                        Some(u.agency_id),
                    ),
                    move |mut ctx| async move {
                        let r = users::unlock(&mut ctx, u.id).await;
                        (ctx, r)
                    },
                )
                .await?;
            println!("Unlocked {username}.");
        }
        Action::Disable { username } => {
            let u = find_user(store, &username).await?;
            store
                .write_audited(
                    operator(
                        "user.disable",
                        "user",
                        Some(u.id.to_string()),
                        Some(u.agency_id),
                    ),
                    move |mut ctx| async move {
                        let r = users::disable(&mut ctx, u.id).await;
                        (ctx, r)
                    },
                )
                .await?;
            println!("Disabled {username}; its sessions and API tokens are ended.");
        }
        Action::Enable { username } => {
            let u = find_user(store, &username).await?;
            store
                .write_audited(
                    operator(
                        "user.enable",
                        "user",
                        Some(u.id.to_string()),
                        Some(u.agency_id),
                    ),
                    move |mut ctx| async move {
                        let r = users::enable(&mut ctx, u.id).await;
                        (ctx, r)
                    },
                )
                .await?;
            println!("Re-enabled {username}; inactivity now counts from today. Its old API tokens stay revoked.");
        }
        Action::List => {
            let agencies = store.agencies().await?;
            for a in &agencies {
                println!("{:<8} {:<26} {}", a.short_code, a.kind.as_str(), a.name);
                for u in store.users(Some(a.id)).await? {
                    let flags = [
                        (u.totp_secret.is_none(), "no-2fa-yet"),
                        (u.lockout.locked, "LOCKED"),
                        (u.disabled, "disabled"),
                    ];
                    let flags: Vec<&str> = flags
                        .iter()
                        .filter(|(on, _)| *on)
                        .map(|(_, f)| *f)
                        .collect();
                    println!(
                        "    {:<36} {:<16} {}",
                        u.username.as_str(),
                        u.role.as_str(),
                        flags.join(" ")
                    );
                }
            }
            if agencies.is_empty() {
                println!("No agencies yet: start with `vigil admin create-agency`.");
            }
        }
    }
    Ok(())
}
