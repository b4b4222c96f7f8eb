//! Session lifetimes (CJIS IA-5 AAL2, ASVS 7.3): 30 minutes idle, 12 hours absolute.

use std::time::Duration;
use vigil_types::Timestamp;

/// Re-authenticate after this long without activity.
pub const IDLE_LIMIT: Duration = Duration::from_secs(30 * 60);
/// Re-authenticate after this long whatever the activity.
pub const ABSOLUTE_LIMIT: Duration = Duration::from_secs(12 * 60 * 60);
/// A half-finished login (password accepted, second factor pending) lasts this long.
pub const PENDING_LIMIT: Duration = Duration::from_secs(5 * 60);
/// Privileged functions (IA-11: role and account grants, exports, audit) need a password and
/// second factor entered at most this long ago; older sessions are asked to step up.
pub const STEP_UP_WINDOW: Duration = Duration::from_secs(15 * 60);

/// Whether a full authentication at `auth_at` is recent enough for a privileged function at
/// `now` (IA-11). `None` (an API token: no interactive authentication) is never recent.
#[must_use]
pub fn stepped_up(auth_at: Option<Timestamp>, now: Timestamp) -> bool {
    auth_at.is_some_and(|at| now.since(at) < STEP_UP_WINDOW)
}

/// Why a session is no longer valid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expiry {
    Idle,
    Absolute,
    Ended,
}

/// A session's validity at a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Active,
    Expired(Expiry),
}

/// The times that decide a session's validity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionTimes {
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    pub ended: bool,
    /// True while only the password has been checked.
    pub pending_second_factor: bool,
}

impl SessionTimes {
    #[must_use]
    pub fn status(&self, now: Timestamp) -> Status {
        if self.ended {
            return Status::Expired(Expiry::Ended);
        }
        let absolute = if self.pending_second_factor {
            PENDING_LIMIT
        } else {
            ABSOLUTE_LIMIT
        };
        if now.since(self.created_at) >= absolute {
            return Status::Expired(Expiry::Absolute);
        }
        if now.since(self.last_seen_at) >= IDLE_LIMIT {
            return Status::Expired(Expiry::Idle);
        }
        Status::Active
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vigil_types::{Clock, TestClock};

    #[test]
    fn step_up_lasts_fifteen_minutes_and_tokens_never_have_it() {
        let clock = TestClock::at_rfc3339("2025-03-01T09:00:00Z");
        let at = clock.now();
        assert!(stepped_up(Some(at), clock.now()));
        clock.advance(Duration::from_secs(14 * 60 + 59));
        assert!(stepped_up(Some(at), clock.now()));
        clock.advance(Duration::from_secs(1));
        assert!(!stepped_up(Some(at), clock.now()));
        assert!(!stepped_up(None, at));
    }

    #[test]
    fn idle_session_expires_at_thirty_minutes() {
        let clock = TestClock::at_rfc3339("2025-03-01T09:00:00Z");
        let s = SessionTimes {
            created_at: clock.now(),
            last_seen_at: clock.now(),
            ended: false,
            pending_second_factor: false,
        };
        clock.advance(Duration::from_secs(29 * 60));
        assert_eq!(s.status(clock.now()), Status::Active);
        clock.advance(Duration::from_secs(60));
        assert_eq!(s.status(clock.now()), Status::Expired(Expiry::Idle));
    }

    #[test]
    fn busy_session_expires_at_twelve_hours() {
        let clock = TestClock::at_rfc3339("2025-03-01T09:00:00Z");
        let mut s = SessionTimes {
            created_at: clock.now(),
            last_seen_at: clock.now(),
            ended: false,
            pending_second_factor: false,
        };
        for _ in 0..(12 * 4 - 1) {
            clock.advance(Duration::from_secs(15 * 60));
            assert_eq!(s.status(clock.now()), Status::Active);
            s.last_seen_at = clock.now();
        }
        clock.advance(Duration::from_secs(15 * 60));
        assert_eq!(s.status(clock.now()), Status::Expired(Expiry::Absolute));
    }

    #[test]
    fn pending_login_lasts_five_minutes_and_logout_ends() {
        let clock = TestClock::at_rfc3339("2025-03-01T09:00:00Z");
        let mut s = SessionTimes {
            created_at: clock.now(),
            last_seen_at: clock.now(),
            ended: false,
            pending_second_factor: true,
        };
        clock.advance(Duration::from_secs(5 * 60));
        assert_eq!(s.status(clock.now()), Status::Expired(Expiry::Absolute));
        s.pending_second_factor = false;
        s.ended = true;
        assert_eq!(s.status(clock.now()), Status::Expired(Expiry::Ended));
    }
}
