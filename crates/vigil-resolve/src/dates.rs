//! Date parsing for dates of birth: many formats, partial dates, two-digit years, ambiguous
//! day/month order, and the comparison facts the date comparison needs.

/// A possibly partial calendar date.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct PartialDate {
    pub year: Option<u16>,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

/// How to read an ambiguous all-numeric date such as 03/04/1990.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateOrder {
    /// Month first (United States).
    #[default]
    Mdy,
    /// Day first.
    Dmy,
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

impl PartialDate {
    /// True when no part is known.
    pub fn is_empty(&self) -> bool {
        self.year.is_none() && self.month.is_none() && self.day.is_none()
    }

    /// Canonical key `YYYYMMDD` with `?` for unknown parts.
    pub fn key(&self) -> String {
        let y = self.year.map_or("????".to_string(), |y| format!("{y:04}"));
        let m = self.month.map_or("??".to_string(), |m| format!("{m:02}"));
        let d = self.day.map_or("??".to_string(), |d| format!("{d:02}"));
        format!("{y}{m}{d}")
    }

    /// Days since 0000-03-01 when the date is complete (for distances).
    pub fn day_number(&self) -> Option<i64> {
        let (y, m, d) = (
            i64::from(self.year?),
            i64::from(self.month?),
            i64::from(self.day?),
        );
        let (y, m) = if m <= 2 { (y - 1, m + 12) } else { (y, m) };
        Some(365 * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 + d - 1)
    }
}

fn days_in_month(y: u16, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        _ => 0,
    }
}

fn valid(y: u16, m: u8, d: u8) -> bool {
    (1800..=2200).contains(&y) && (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)
}

fn full(y: u16, m: u8, d: u8) -> PartialDate {
    PartialDate {
        year: Some(y),
        month: Some(m),
        day: Some(d),
    }
}

fn expand_year(y: u32, pivot_year: u16) -> Option<u16> {
    let y = u16::try_from(y).ok()?;
    if y >= 100 {
        return Some(y);
    }
    // Two-digit year: the latest year ≤ pivot with those last digits.
    let century = pivot_year / 100 * 100;
    let candidate = century + y;
    Some(if candidate > pivot_year {
        candidate - 100
    } else {
        candidate
    })
}

/// Parses a date of birth. Returns `None` when nothing date-like is found.
///
/// Accepts `YYYYMMDD`, `YYYY-MM-DD`, `YYYY/MM/DD`, `DD/MM/YYYY` or `MM/DD/YYYY` (per `order`,
/// switching when a part exceeds 12), two-digit years (pivot `pivot_year`), month names
/// (`12 Mar 1990`, `March 12, 1990`), `YYYY-MM` and a bare `YYYY`.
pub fn parse_date(raw: &str, order: DateOrder, pivot_year: u16) -> Option<PartialDate> {
    let s = crate::text::fold(raw);
    if s.is_empty() {
        return None;
    }
    let parts: Vec<&str> = s.split(' ').collect();
    // Month name anywhere.
    let month_name = parts.iter().position(|p| {
        p.len() >= 3 && p.bytes().all(|b| b.is_ascii_alphabetic()) && MONTHS.contains(&&p[..3])
    });
    if let Some(mi) = month_name {
        let m = MONTHS.iter().position(|x| *x == &parts[mi][..3])? as u8 + 1;
        let nums: Vec<u32> = parts
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != mi)
            .filter_map(|(_, p)| {
                let d: String = p.chars().take_while(char::is_ascii_digit).collect();
                d.parse().ok()
            })
            .collect();
        let (day, year) = match nums.as_slice() {
            [a, b] if *a > 31 => (Some(*b), Some(*a)),
            [a, b] => (Some(*a), Some(*b)),
            [y] => (None, Some(*y)),
            _ => (None, None),
        };
        let year = year.and_then(|y| expand_year(y, pivot_year));
        let day = day
            .and_then(|d| u8::try_from(d).ok())
            .filter(|d| (1..=31).contains(d));
        return Some(PartialDate {
            year,
            month: Some(m),
            day,
        });
    }
    let nums: Vec<&str> = parts
        .iter()
        .copied()
        .filter(|p| p.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    if nums.len() != parts.len() {
        return None;
    }
    let n = |p: &str| p.parse::<u32>().ok();
    match nums.as_slice() {
        [one] if one.len() == 8 => {
            let y = n(&one[..4])?;
            let (m, d) = (n(&one[4..6])? as u8, n(&one[6..8])? as u8);
            let y = u16::try_from(y).ok()?;
            if valid(y, m, d) {
                Some(full(y, m, d))
            } else if valid(y, d, m) {
                Some(full(y, d, m))
            } else {
                Some(PartialDate {
                    year: Some(y),
                    month: (1..=12).contains(&m).then_some(m),
                    day: None,
                })
            }
        }
        [one] if one.len() == 4 => Some(PartialDate {
            year: Some(u16::try_from(n(one)?).ok()?),
            month: None,
            day: None,
        }),
        [a, b] if a.len() == 4 => Some(PartialDate {
            year: Some(u16::try_from(n(a)?).ok()?),
            month: u8::try_from(n(b)?).ok().filter(|m| (1..=12).contains(m)),
            day: None,
        }),
        [a, b, c] if a.len() == 4 => {
            let y = u16::try_from(n(a)?).ok()?;
            let (m, d) = (u8::try_from(n(b)?).ok()?, u8::try_from(n(c)?).ok()?);
            if valid(y, m, d) {
                Some(full(y, m, d))
            } else if valid(y, d, m) {
                Some(full(y, d, m))
            } else {
                None
            }
        }
        [a, b, c] => {
            let y = expand_year(n(c)?, pivot_year)?;
            let (x, z) = (u8::try_from(n(a)?).ok()?, u8::try_from(n(b)?).ok()?);
            let (m, d) = match order {
                DateOrder::Mdy => (x, z),
                DateOrder::Dmy => (z, x),
            };
            if valid(y, m, d) {
                Some(full(y, m, d))
            } else if valid(y, d, m) {
                Some(full(y, d, m))
            } else {
                None
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formats() {
        let d = full(1990, 3, 12);
        for s in [
            "19900312",
            "1990-03-12",
            "03/12/1990",
            "12 Mar 1990",
            "March 12, 1990",
            "3/12/90",
        ] {
            assert_eq!(parse_date(s, DateOrder::Mdy, 2025), Some(d), "{s}");
        }
        assert_eq!(parse_date("12/03/1990", DateOrder::Dmy, 2025), Some(d));
        assert_eq!(
            parse_date("25/12/1990", DateOrder::Mdy, 2025),
            Some(full(1990, 12, 25))
        );
        assert_eq!(
            parse_date("1990", DateOrder::Mdy, 2025).map(|d| d.key()),
            Some("1990????".into())
        );
        assert_eq!(parse_date("unknown", DateOrder::Mdy, 2025), None);
        assert_eq!(
            full(2000, 3, 1)
                .day_number()
                .zip(full(2000, 2, 29).day_number())
                .map(|(a, b)| a - b),
            Some(1)
        );
    }

    proptest! {
        #[test]
        fn round_trips_through_key(y in 1900u16..2020, m in 1u8..=12, d in 1u8..=28) {
            let date = full(y, m, d);
            prop_assert_eq!(parse_date(&date.key(), DateOrder::Dmy, 2025), Some(date));
        }
        #[test]
        fn never_panics(s in "\\PC{0,30}") {
            let _ = parse_date(&s, DateOrder::Mdy, 2025);
        }
    }
}
