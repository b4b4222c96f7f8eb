//! Account lockout (CJIS AC-7): 5 failed logons within 15 minutes lock the account until a
//! supervisor or administrator unlocks it.

use std::time::Duration;
use vigil_types::Timestamp;

pub const MAX_FAILURES: u32 = 5;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

/// Failed-logon bookkeeping stored with the account.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Lockout {
    pub failures: u32,
    pub window_start: Option<Timestamp>,
    pub locked: bool,
}

impl Lockout {
    /// Records a failed attempt at `now` and returns the new state.
    #[must_use]
    pub fn after_failure(self, now: Timestamp) -> Self {
        if self.locked {
            return self;
        }
        let in_window = self.window_start.is_some_and(|s| now.since(s) < WINDOW);
        let (failures, window_start) = if in_window {
            (self.failures + 1, self.window_start)
        } else {
            (1, Some(now))
        };
        Self {
            failures,
            window_start,
            locked: failures >= MAX_FAILURES,
        }
    }

    /// A successful logon clears the counter (it cannot clear a lock: locked accounts never
    /// reach the password check).
    #[must_use]
    pub fn after_success(self) -> Self {
        if self.locked {
            self
        } else {
            Self::default()
        }
    }

    /// An unlock by a supervisor or administrator.
    #[must_use]
    pub fn unlocked() -> Self {
        Self::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vigil_types::{Clock, TestClock};

    #[test]
    fn five_failures_in_fifteen_minutes_lock() {
        let clock = TestClock::at_rfc3339("2025-03-01T09:00:00Z");
        let mut l = Lockout::default();
        for _ in 0..4 {
            l = l.after_failure(clock.now());
            clock.advance(Duration::from_secs(3 * 60));
        }
        assert!(!l.locked);
        l = l.after_failure(clock.now());
        assert!(l.locked);
        clock.advance(Duration::from_secs(24 * 3600));
        assert!(l.after_success().locked, "time alone never unlocks");
        assert!(!Lockout::unlocked().locked);
    }

    #[test]
    fn failures_spread_out_do_not_lock() {
        let clock = TestClock::at_rfc3339("2025-03-01T09:00:00Z");
        let mut l = Lockout::default();
        for _ in 0..10 {
            l = l.after_failure(clock.now());
            clock.advance(Duration::from_secs(4 * 60));
        }
        assert!(!l.locked);
    }
}
