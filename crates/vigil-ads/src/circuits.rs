//! Circuits (A4): per selector, the time-ordered stops (city, first seen, last seen, ads) and
//! whether it reached enough cities within a window. Display and tracking only: never a score.

use crate::features::SelectorKind;
use crate::time::format_rfc3339;
use rustc_hash::FxHashMap;
use serde::Serialize;

/// Time, city and ad id of one sighting.
type Seen = (i64, String, String);

/// Circuit parameters.
#[derive(Clone, Debug)]
pub struct CircuitConfig {
    /// Distinct cities needed within the window.
    pub min_cities: usize,
    /// Window length in seconds.
    pub window_secs: i64,
}

impl Default for CircuitConfig {
    /// Three cities within 30 days.
    fn default() -> Self {
        Self {
            min_cities: 3,
            window_secs: 30 * 86_400,
        }
    }
}

/// One ad seen with a selector, in a city, at a time.
#[derive(Clone, Debug)]
pub struct Sighting {
    pub selector: SelectorKind,
    pub value: String,
    pub city: String,
    pub posted_at: i64,
    pub ad_id: String,
}

/// A stay in one city: consecutive sightings (in time) in the same city.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Stop {
    pub city: String,
    /// Unix seconds.
    pub first_seen: i64,
    pub last_seen: i64,
    /// The same instants in RFC 3339 (UTC), for reading.
    pub first_seen_at: String,
    pub last_seen_at: String,
    pub ads: Vec<String>,
}

/// A selector whose itinerary reaches `min_cities` distinct cities within the window.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Circuit {
    pub selector: SelectorKind,
    pub value: String,
    /// The whole itinerary, time-ordered.
    pub stops: Vec<Stop>,
    /// Most distinct cities seen within any one window.
    pub max_cities_in_window: usize,
    /// Start and end (Unix seconds) of the first window that reached `min_cities`.
    pub window_start: i64,
    pub window_end: i64,
}

/// The circuits among `sightings`, ordered by selector kind and value. Sightings without a
/// city or time should be filtered out by the caller.
pub fn find_circuits(sightings: Vec<Sighting>, config: &CircuitConfig) -> Vec<Circuit> {
    let mut by_selector: FxHashMap<(SelectorKind, String), Vec<Seen>> = FxHashMap::default();
    for s in sightings {
        by_selector
            .entry((s.selector, s.value))
            .or_default()
            .push((s.posted_at, s.city, s.ad_id));
    }
    let mut out = Vec::new();
    for ((selector, value), mut seen) in by_selector {
        seen.sort();
        let Some((max_cities, start, end)) = best_window(&seen, config) else {
            continue;
        };
        if max_cities < config.min_cities.max(1) {
            continue;
        }
        let mut stops: Vec<Stop> = Vec::new();
        for (t, city, ad) in seen {
            match stops.last_mut() {
                Some(stop) if stop.city == city => {
                    stop.last_seen = t;
                    stop.last_seen_at = format_rfc3339(t);
                    stop.ads.push(ad);
                }
                _ => stops.push(Stop {
                    city,
                    first_seen: t,
                    last_seen: t,
                    first_seen_at: format_rfc3339(t),
                    last_seen_at: format_rfc3339(t),
                    ads: vec![ad],
                }),
            }
        }
        out.push(Circuit {
            selector,
            value,
            stops,
            max_cities_in_window: max_cities,
            window_start: start,
            window_end: end,
        });
    }
    out.sort_by(|a, b| (a.selector, &a.value).cmp(&(b.selector, &b.value)));
    out
}

/// Sliding window over time-sorted sightings: the largest number of distinct cities inside any
/// window of `window_secs`, with the first window that reached `min_cities` (or the best one).
fn best_window(seen: &[Seen], config: &CircuitConfig) -> Option<(usize, i64, i64)> {
    let mut counts: FxHashMap<&str, usize> = FxHashMap::default();
    let mut left = 0;
    let mut best: Option<(usize, i64, i64)> = None;
    for right in 0..seen.len() {
        *counts.entry(seen[right].1.as_str()).or_default() += 1;
        while seen[right].0 - seen[left].0 > config.window_secs {
            let city = seen[left].1.as_str();
            if let Some(c) = counts.get_mut(city) {
                *c -= 1;
                if *c == 0 {
                    counts.remove(city);
                }
            }
            left += 1;
        }
        let distinct = counts.len();
        let reached_before = best.is_some_and(|b| b.0 >= config.min_cities);
        if best.is_none_or(|b| distinct > b.0) && !reached_before {
            best = Some((distinct, seen[left].0, seen[right].0));
        } else if let Some(b) = best.as_mut() {
            if distinct > b.0 {
                b.0 = distinct;
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;

    fn s(value: &str, city: &str, day: i64, ad: &str) -> Sighting {
        Sighting {
            selector: SelectorKind::Phone,
            value: value.into(),
            city: city.into(),
            posted_at: day * DAY,
            ad_id: ad.into(),
        }
    }

    #[test]
    fn three_cities_within_thirty_days_is_a_circuit() {
        let got = find_circuits(
            vec![
                s("+14805550142", "phoenix", 1, "a1"),
                s("+14805550142", "phoenix", 2, "a2"),
                s("+14805550142", "las vegas", 9, "a3"),
                s("+14805550142", "denver", 20, "a4"),
                s("+12125550199", "new york", 1, "b1"),
                s("+12125550199", "newark", 40, "b2"),
                s("+12125550199", "boston", 80, "b3"),
            ],
            &CircuitConfig::default(),
        );
        assert_eq!(
            got.len(),
            1,
            "three cities spread over 80 days are not a circuit"
        );
        let c = &got[0];
        assert_eq!(c.value, "+14805550142");
        assert_eq!(c.max_cities_in_window, 3);
        assert_eq!((c.window_start, c.window_end), (DAY, 20 * DAY));
        let cities: Vec<&str> = c.stops.iter().map(|s| s.city.as_str()).collect();
        assert_eq!(cities, ["phoenix", "las vegas", "denver"]);
        assert_eq!(c.stops[0].ads, ["a1", "a2"]);
        assert_eq!(
            (c.stops[0].first_seen, c.stops[0].last_seen),
            (DAY, 2 * DAY)
        );
    }

    #[test]
    fn returning_to_a_city_opens_a_new_stop() {
        let got = find_circuits(
            vec![
                s("x", "a", 1, "1"),
                s("x", "b", 2, "2"),
                s("x", "a", 3, "3"),
                s("x", "c", 4, "4"),
            ],
            &CircuitConfig::default(),
        );
        assert_eq!(got[0].stops.len(), 4);
    }
}
