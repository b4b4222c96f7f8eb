//! Inactive accounts (CJIS AC-2(3)): an account that has not signed in for 90 days is disabled.

use std::time::Duration;
use vigil_types::Timestamp;

/// An account unused for this long is disabled (AC-2(3) asks for 90 days, acted on within a week;
/// Vigil checks at every login attempt and in an hourly sweep).
pub const INACTIVITY_LIMIT: Duration = Duration::from_secs(90 * 24 * 60 * 60);

/// Whether an account last used at `last_login_at` (or, never used, created at `created_at`) is
/// inactive at `now`.
#[must_use]
pub fn inactive(last_login_at: Option<Timestamp>, created_at: Timestamp, now: Timestamp) -> bool {
    now.since(last_login_at.unwrap_or(created_at)) >= INACTIVITY_LIMIT
}

/// The cut-off for a sweep at `now`: accounts whose last use is before it are inactive.
#[must_use]
pub fn cutoff(now: Timestamp) -> Timestamp {
    now.minus(INACTIVITY_LIMIT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use vigil_types::{Clock, TestClock};

    #[test]
    fn ninety_days_without_a_login_is_inactive() {
        let clock = TestClock::at_rfc3339("2025-01-01T00:00:00Z");
        let created = clock.now();
        clock.advance(Duration::from_secs(10 * 24 * 3600));
        let login = clock.now();
        clock.advance(INACTIVITY_LIMIT - Duration::from_secs(1));
        assert!(!inactive(Some(login), created, clock.now()));
        assert!(
            inactive(None, created, clock.now()),
            "never used: counted from creation"
        );
        clock.advance(Duration::from_secs(1));
        assert!(inactive(Some(login), created, clock.now()));
        assert!(cutoff(clock.now()) == login);
    }
}
