//! Time: `Timestamp` (UTC, microsecond resolution) and the `Clock` seam that makes time testable.

use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// An instant in UTC, as microseconds since the Unix epoch. Audit records need at least
/// hundredths of a second (CJIS AU-8); we keep microseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp(i64);

/// A timestamp string that is not RFC 3339 UTC.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an RFC 3339 timestamp (expected e.g. 2026-11-22T17:14:21Z)")]
pub struct TimestampError;

impl Timestamp {
    #[must_use]
    pub const fn from_unix_micros(us: i64) -> Self {
        Self(us)
    }

    #[must_use]
    pub const fn unix_micros(self) -> i64 {
        self.0
    }

    #[must_use]
    pub const fn unix_seconds(self) -> i64 {
        self.0.div_euclid(1_000_000)
    }

    /// This instant plus `d` (saturating).
    #[must_use]
    pub fn plus(self, d: Duration) -> Self {
        Self(
            self.0
                .saturating_add(i64::try_from(d.as_micros()).unwrap_or(i64::MAX)),
        )
    }

    /// This instant minus `d` (saturating).
    #[must_use]
    pub fn minus(self, d: Duration) -> Self {
        Self(
            self.0
                .saturating_sub(i64::try_from(d.as_micros()).unwrap_or(i64::MAX)),
        )
    }

    /// How long after `earlier` this instant is (zero if it is not after).
    #[must_use]
    pub fn since(self, earlier: Timestamp) -> Duration {
        Duration::from_micros(u64::try_from(self.0.saturating_sub(earlier.0)).unwrap_or(0))
    }

    /// RFC 3339 in UTC with six fractional digits, e.g. `2026-11-22T17:14:21.250000Z`.
    #[must_use]
    pub fn to_rfc3339(self) -> String {
        let secs = self.0.div_euclid(1_000_000);
        let micros = self.0.rem_euclid(1_000_000);
        let days = secs.div_euclid(86_400);
        let sod = secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{micros:06}Z",
            sod / 3600,
            (sod % 3600) / 60,
            sod % 60
        )
    }

    /// RFC 3339 in UTC to the whole second, e.g. `2026-11-22T17:14:21Z` (fraction dropped).
    #[must_use]
    pub fn to_rfc3339_seconds(self) -> String {
        let full = Self(self.0.div_euclid(1_000_000) * 1_000_000).to_rfc3339();
        match full.split_once('.') {
            Some((head, _)) => format!("{head}Z"),
            None => full,
        }
    }

    /// Parses RFC 3339 (`Z` or a numeric offset, optional fraction) or a bare date `YYYY-MM-DD`
    /// (midnight UTC).
    pub fn parse_rfc3339(s: &str) -> Result<Self, TimestampError> {
        let b = s.as_bytes();
        let num = |r: std::ops::Range<usize>| -> Result<i64, TimestampError> {
            let part = s.get(r).ok_or(TimestampError)?;
            if part.is_empty() || !part.bytes().all(|c| c.is_ascii_digit()) {
                return Err(TimestampError);
            }
            part.parse::<i64>().map_err(|_| TimestampError)
        };
        if b.len() < 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return Err(TimestampError);
        }
        let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) {
            return Err(TimestampError);
        }
        let days = days_from_civil(y, mo, d);
        if b.len() == 10 {
            return Ok(Self(days * 86_400 * 1_000_000));
        }
        if !matches!(b.get(10), Some(b'T' | b't' | b' ')) || b.len() < 20 {
            return Err(TimestampError);
        }
        if b.get(13) != Some(&b':') || b.get(16) != Some(&b':') {
            return Err(TimestampError);
        }
        let (h, mi, se) = (num(11..13)?, num(14..16)?, num(17..19)?);
        if h > 23 || mi > 59 || se > 60 {
            return Err(TimestampError);
        }
        let mut i = 19;
        let mut micros = 0i64;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            let frac = s.get(start..i).ok_or(TimestampError)?;
            if frac.is_empty() {
                return Err(TimestampError);
            }
            let mut digits: String = frac.chars().take(6).collect();
            while digits.len() < 6 {
                digits.push('0');
            }
            micros = digits.parse().map_err(|_| TimestampError)?;
        }
        let offset_secs = match b.get(i) {
            Some(b'Z' | b'z') if b.len() == i + 1 => 0,
            Some(sign @ (b'+' | b'-')) if b.len() == i + 6 && b.get(i + 3) == Some(&b':') => {
                let oh = num(i + 1..i + 3)?;
                let om = num(i + 4..i + 6)?;
                if oh > 23 || om > 59 {
                    return Err(TimestampError);
                }
                let o = oh * 3600 + om * 60;
                if *sign == b'+' {
                    o
                } else {
                    -o
                }
            }
            _ => return Err(TimestampError),
        };
        let secs = days * 86_400 + h * 3600 + mi * 60 + se.min(59) - offset_secs;
        Ok(Self(secs * 1_000_000 + micros))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// The one way to read the time. Production uses `SystemClock`; tests use `TestClock`.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> Timestamp;
}

/// The wall clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)] // the single sanctioned wall-clock read
    fn now(&self) -> Timestamp {
        let d = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        Timestamp(i64::try_from(d.as_micros()).unwrap_or(i64::MAX))
    }
}

/// A clock that moves only when told to. Clones share the same time.
#[derive(Clone, Debug)]
pub struct TestClock(Arc<AtomicI64>);

impl TestClock {
    #[must_use]
    pub fn at(t: Timestamp) -> Self {
        Self(Arc::new(AtomicI64::new(t.0)))
    }

    /// Starts at an RFC 3339 instant; panics on a bad literal (tests only pass literals).
    #[must_use]
    #[allow(clippy::unwrap_used)]
    pub fn at_rfc3339(s: &str) -> Self {
        Self::at(Timestamp::parse_rfc3339(s).unwrap())
    }

    pub fn advance(&self, d: Duration) {
        self.0.fetch_add(
            i64::try_from(d.as_micros()).unwrap_or(i64::MAX),
            Ordering::SeqCst,
        );
    }

    pub fn set(&self, t: Timestamp) {
        self.0.store(t.0, Ordering::SeqCst);
    }
}

impl Clock for TestClock {
    fn now(&self) -> Timestamp {
        Timestamp(self.0.load(Ordering::SeqCst))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses() {
        let t = Timestamp::parse_rfc3339("2026-11-22T17:14:21.25Z").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-11-22T17:14:21.250000Z");
        assert_eq!(t.to_rfc3339_seconds(), "2026-11-22T17:14:21Z");
        assert_eq!(
            Timestamp::from_unix_micros(-1).to_rfc3339_seconds(),
            "1969-12-31T23:59:59Z"
        );
        let with_offset = Timestamp::parse_rfc3339("2026-11-22T19:14:21.25+02:00").unwrap();
        assert_eq!(with_offset, t);
        assert_eq!(
            Timestamp::parse_rfc3339("1970-01-01").unwrap(),
            Timestamp::from_unix_micros(0)
        );
        assert_eq!(
            Timestamp::from_unix_micros(-1).to_rfc3339(),
            "1969-12-31T23:59:59.999999Z"
        );
        for bad in [
            "",
            "2026-13-01",
            "2026-02-30",
            "2026-11-22T25:00:00Z",
            "2026-11-22T10:00:00",
            "x",
        ] {
            assert!(Timestamp::parse_rfc3339(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn test_clock_advances_without_sleeping() {
        let c = TestClock::at_rfc3339("2025-03-01T09:00:00Z");
        let c2 = c.clone();
        c.advance(Duration::from_secs(90));
        assert_eq!(c2.now().to_rfc3339(), "2025-03-01T09:01:30.000000Z");
    }

    proptest::proptest! {
        #[test]
        fn round_trip(us in -62_000_000_000_000_000i64..250_000_000_000_000_000i64) {
            let t = Timestamp::from_unix_micros(us);
            let s = t.to_rfc3339();
            proptest::prop_assert_eq!(Timestamp::parse_rfc3339(&s), Ok(t));
            // AU-8: at least hundredths of a second, UTC.
            proptest::prop_assert!(s.ends_with('Z') && s.len() >= 27);
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,40}") {
            let _ = Timestamp::parse_rfc3339(&s);
        }
    }
}
