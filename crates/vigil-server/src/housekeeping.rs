//! Scheduled account housekeeping: the AC-2(3) sweep that disables accounts unused for 90 days.

use crate::{ApiError, AppState};
use std::time::Duration;
use vigil_core::auth::inactivity;
use vigil_store::users;

/// How often `vigil serve` runs the sweep (AC-2(3) asks for action within a week).
pub const SWEEP_EVERY: Duration = Duration::from_secs(60 * 60);

impl AppState {
    /// Disables every account inactive for `INACTIVITY_LIMIT` (each one audited as
    /// `user.disable` / `inactive_90_days`); returns how many were disabled.
    pub async fn sweep_inactive_accounts(&self) -> Result<usize, ApiError> {
        let cutoff = inactivity::cutoff(self.now());
        let disabled = self
            .store
            .write(move |mut ctx| async move {
                let r = users::disable_inactive(&mut ctx, cutoff).await;
                (ctx, r)
            })
            .await?;
        Ok(disabled.len())
    }
}

/// Runs the sweep now and then every `SWEEP_EVERY` until the task is dropped. Errors are
/// reported on stderr (no account data in them) and the next round tries again.
pub async fn run_sweeps(state: AppState) {
    let mut every = tokio::time::interval(SWEEP_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        match state.sweep_inactive_accounts().await {
            Ok(0) => {}
            Ok(n) => {
                eprintln!("vigil: disabled {n} account(s) unused for 90 days (AC-2(3); audited)")
            }
            Err(e) => eprintln!(
                "vigil: the inactive-account sweep failed ({}); retrying in an hour",
                e.status()
            ),
        }
    }
}
