//! RFC 3339 timestamps to and from Unix seconds (UTC), without a clock: a thin view of
//! `vigil_types::Timestamp` that accepts only full date-times (an ad's posting time).

use vigil_types::Timestamp;

/// Parses `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)` into Unix seconds. Returns `None` when malformed
/// (a bare date is refused: a posting time needs its time of day).
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    if s.len() < 20 {
        return None;
    }
    Timestamp::parse_rfc3339(s)
        .ok()
        .map(Timestamp::unix_seconds)
}

/// Formats Unix seconds as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn format_rfc3339(unix: i64) -> String {
    Timestamp::from_unix_micros(unix.saturating_mul(1_000_000)).to_rfc3339_seconds()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_instants() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_rfc3339("2024-02-29T12:00:00Z"), Some(1_709_208_000));
        assert_eq!(
            parse_rfc3339("2024-02-29T14:00:00+02:00"),
            Some(1_709_208_000)
        );
        assert_eq!(
            parse_rfc3339("2024-02-29T12:00:00.250Z"),
            Some(1_709_208_000)
        );
    }

    #[test]
    fn malformed_is_none() {
        for bad in [
            "",
            "2024-02-30T00:00:00Z",
            "2023-13-01T00:00:00Z",
            "2024-01-01",
            "2024-01-01T00:00:00",
            "2024-01-01T00:00:00Zjunk",
            "2024-01-01T00:00:00+0200",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }

    proptest! {
        #[test]
        fn format_then_parse_round_trips(t in -5_000_000_000i64..5_000_000_000) {
            prop_assert_eq!(parse_rfc3339(&format_rfc3339(t)), Some(t));
        }
    }
}
