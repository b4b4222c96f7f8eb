//! `vigil totp SECRET`: print the current code for a base32 TOTP secret, like an authenticator
//! app does (handy for the demo and for scripted API tests).

use std::process::ExitCode;
use vigil_core::auth::totp::TotpSecret;
use vigil_types::{Clock, SystemClock};

/// Arguments of `vigil totp`.
#[derive(clap::Args)]
pub struct Args {
    /// The base32 secret shown at enrolment.
    pub secret: String,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let secret = TotpSecret::from_base32(&args.secret)
        .ok_or_else(|| anyhow::anyhow!("not a 160-bit base32 TOTP secret"))?;
    println!("{}", secret.code_at(SystemClock.now()));
    Ok(ExitCode::SUCCESS)
}
