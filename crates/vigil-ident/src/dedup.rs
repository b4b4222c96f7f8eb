//! Bookkeeping that keeps an extractor linear in its number of hits: "was this value kept
//! already?" and "does this span overlap one already taken?". A text holds a few hits, and a
//! scan of them is the cheapest answer; a 10 MB line may hold a million, and a scan per hit
//! would take hours, so past [`FEW`] hits the answers come from a hash set or an ordered map.

use std::collections::BTreeMap;
use std::hash::Hash;

use rustc_hash::FxHashSet;

use crate::Span;

/// Up to this many kept hits, a scan answers.
pub(crate) const FEW: usize = 32;

/// The keys of the hits kept so far, for first-seen de-duplication. The keys mirror a list
/// that only grows (a list that shrank is read again whole).
pub(crate) struct KeptKeys<K> {
    keys: FxHashSet<K>,
    /// How many of the list's hits `keys` holds.
    synced: usize,
}

impl<K> Default for KeptKeys<K> {
    fn default() -> Self {
        Self {
            keys: FxHashSet::default(),
            synced: 0,
        }
    }
}

impl<K: Hash + Eq> KeptKeys<K> {
    /// Whether a hit of `kept` has the key of a new hit: `same` tells it of one kept hit (the
    /// scan, which copies nothing), `key_of` gives a kept hit's key and `key` the new one's
    /// (for the set, past [`FEW`]).
    pub(crate) fn contains<T>(
        &mut self,
        kept: &[T],
        same: impl Fn(&T) -> bool,
        key_of: impl Fn(&T) -> K,
        key: impl FnOnce() -> K,
    ) -> bool {
        if kept.len() <= FEW {
            return kept.iter().any(same);
        }
        if self.synced > kept.len() {
            self.keys.clear();
            self.synced = 0;
        }
        for hit in kept.get(self.synced..).unwrap_or_default() {
            self.keys.insert(key_of(hit));
        }
        self.synced = kept.len();
        self.keys.contains(&key())
    }
}

impl KeptKeys<String> {
    /// [`KeptKeys::contains`] for hits keyed by one string field (an address, a link):
    /// `key_of` borrows it from a hit, `key` is the new hit's.
    pub(crate) fn contains_str<T>(
        &mut self,
        kept: &[T],
        key_of: impl Fn(&T) -> &str,
        key: &str,
    ) -> bool {
        self.contains(
            kept,
            |hit| key_of(hit) == key,
            |hit| key_of(hit).to_owned(),
            || key.to_owned(),
        )
    }
}

/// Spans taken so far, kept disjoint (overlapping ones are merged as they come), to tell in
/// logarithmic time whether a new span overlaps any.
#[derive(Default)]
pub(crate) struct TakenSpans {
    /// Start → end of disjoint, non-empty spans.
    spans: BTreeMap<usize, usize>,
}

impl TakenSpans {
    /// Whether `span` shares a byte with a taken span. Taken spans are disjoint and so ordered
    /// by their ends too: the last one starting before `span` ends is the only one to test.
    pub(crate) fn overlaps(&self, span: &Span) -> bool {
        self.spans
            .range(..span.end)
            .next_back()
            .is_some_and(|(_, &end)| end > span.start)
    }

    /// Takes `span`, merged with the taken spans it overlaps. Empty spans take nothing.
    pub(crate) fn take(&mut self, span: &Span) {
        if span.is_empty() {
            return;
        }
        let (mut start, mut end) = (span.start, span.end);
        while let Some((&s, &e)) = self.spans.range(..end).next_back() {
            if e <= start {
                break;
            }
            start = start.min(s);
            end = end.max(e);
            self.spans.remove(&s);
        }
        self.spans.insert(start, end);
    }
}

#[cfg(test)]
mod tests {
    use super::{KeptKeys, TakenSpans, FEW};
    use proptest::prelude::*;

    #[test]
    fn kept_keys_answer_as_a_scan_does_past_the_few() {
        let mut kept: Vec<u32> = Vec::new();
        let mut keys = KeptKeys::default();
        for value in (0..200u32).map(|i| i * 7 % 101) {
            let scanned = kept.contains(&value);
            let found = keys.contains(&kept, |&v| v == value, |&v| v, || value);
            assert_eq!(found, scanned, "{value}");
            if !scanned {
                kept.push(value);
            }
        }
        assert!(kept.len() > FEW);
        // A list that shrank is read again.
        let removed = kept[FEW + 5];
        kept.truncate(FEW + 1);
        assert!(!keys.contains(&kept, |&v| v == removed, |&v| v, || removed));
        let present = kept[FEW];
        assert!(keys.contains(&kept, |&v| v == present, |&v| v, || present));
    }

    proptest! {
        #[test]
        fn taken_spans_overlap_as_a_scan_tells(spans in proptest::collection::vec((0usize..60, 0usize..8), 0..40), probe in (0usize..70, 0usize..8)) {
            let mut taken = TakenSpans::default();
            let mut all: Vec<std::ops::Range<usize>> = Vec::new();
            for (start, len) in spans {
                let span = start..start + len;
                taken.take(&span);
                all.push(span);
            }
            let probe = probe.0..probe.0 + probe.1;
            let scanned = all
                .iter()
                .any(|s| !s.is_empty() && s.start < probe.end && probe.start < s.end);
            prop_assert_eq!(taken.overlaps(&probe), scanned);
        }
    }
}
