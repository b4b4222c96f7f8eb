//! Grouping one LSH band's `(band key, ad)` entries into buckets: a sort in the exact order of
//! `sort_unstable`, done by counting passes on the keys' top bits, since band keys are
//! well-mixed hashes.

/// Sorts one band's entries by key, then ad, as `entries.sort_unstable()` would (the pairs are
/// distinct, so the order is unique). Band keys are hashes, so two counting passes on their top
/// bits (the first into 2^[`FIRST_BITS`] buckets, each of those by as many of the next bits as
/// it has entries) leave about one entry per bucket, and a short sort finishes every bucket.
/// Each pass writes to few places at once, so it stays in the caches, where one pass over a
/// million buckets would miss on nearly every entry. Keys that crowd one bucket (by chance or by
/// design) fall to `sort_unstable` inside it, so the worst case stays `O(n log n)`. The buffers
/// are kept from one band to the next.
#[derive(Default)]
pub(crate) struct BandSorter {
    scratch: Vec<(u64, u32)>,
    first: Vec<u32>,
    second: Vec<u32>,
}

/// Top bits of the first counting pass: 2048 buckets, whose write positions stay in the caches.
const FIRST_BITS: u32 = 11;

/// Buckets this small are finished by insertion.
const SMALL: usize = 16;

impl BandSorter {
    pub(crate) fn sort(&mut self, entries: &mut [(u64, u32)]) {
        let n = entries.len();
        if n <= SMALL || n > u32::MAX as usize {
            finish_bucket(entries);
            return;
        }
        let scratch = &mut self.scratch;
        scratch.clear();
        scratch.extend_from_slice(entries);
        // Into `entries` by the first bits; then each first bucket into `scratch` by the next
        // bits, finished there and copied home.
        let shift = 64 - FIRST_BITS;
        distribute(scratch, entries, shift, FIRST_BITS, &mut self.first);
        let mut start = 0usize;
        for &end in &self.first {
            let end = end as usize;
            let bucket = &mut entries[start..end];
            if bucket.len() > SMALL {
                let bits = (usize::BITS - (bucket.len() - 1).leading_zeros()).min(16);
                let shift = 64 - FIRST_BITS - bits;
                let out = &mut scratch[start..end];
                distribute(bucket, out, shift, bits, &mut self.second);
                let mut s = 0usize;
                for &e in &self.second {
                    finish_bucket(&mut out[s..e as usize]);
                    s = e as usize;
                }
                bucket.copy_from_slice(out);
            } else {
                finish_bucket(bucket);
            }
            start = end;
        }
    }
}

/// `from` into `to` (same length), stably, by the `bits` bits of the key at `shift`; afterwards
/// `ends[b]` is where bucket `b` ends in `to`.
fn distribute(
    from: &[(u64, u32)],
    to: &mut [(u64, u32)],
    shift: u32,
    bits: u32,
    ends: &mut Vec<u32>,
) {
    let bucket_of = |key: u64| ((key >> shift) & ((1u64 << bits) - 1)) as usize;
    ends.clear();
    ends.resize(1 << bits, 0);
    for &(key, _) in from {
        ends[bucket_of(key)] += 1;
    }
    // Exclusive prefix sums: each bucket's first slot, advanced past each entry placed.
    let mut total = 0u32;
    for slot in ends.iter_mut() {
        let here = *slot;
        *slot = total;
        total += here;
    }
    for &item in from {
        let slot = &mut ends[bucket_of(item.0)];
        to[*slot as usize] = item;
        *slot += 1;
    }
}

/// Sorts one bucket: insertion when small, `sort_unstable` otherwise.
fn finish_bucket(bucket: &mut [(u64, u32)]) {
    if bucket.len() <= SMALL {
        insertion_sort(bucket);
    } else {
        bucket.sort_unstable();
    }
}

fn insertion_sort(items: &mut [(u64, u32)]) {
    for i in 1..items.len() {
        let item = items[i];
        let mut j = i;
        while j > 0 && items[j - 1] > item {
            items[j] = items[j - 1];
            j -= 1;
        }
        items[j] = item;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sorted_by_both(entries: &[(u64, u32)]) -> Vec<(u64, u32)> {
        let mut ours = entries.to_vec();
        BandSorter::default().sort(&mut ours);
        ours
    }

    fn reference(entries: &[(u64, u32)]) -> Vec<(u64, u32)> {
        let mut expected = entries.to_vec();
        expected.sort_unstable();
        expected
    }

    proptest! {
        /// Spread keys, keys crowding a few top-bit buckets, and repeated keys all come out in
        /// `sort_unstable`'s order.
        #[test]
        fn matches_sort_unstable(
            keys in prop::collection::vec(any::<u64>(), 0..3000),
            crowd_bits in 0u32..64,
            repeat in 1usize..5,
        ) {
            // `repeat` entries per key; ads numbered downwards so ties must be ordered.
            let entries: Vec<(u64, u32)> = (0..keys.len())
                .map(|i| (keys[i / repeat] >> crowd_bits, (keys.len() - i) as u32))
                .collect();
            prop_assert_eq!(sorted_by_both(&entries), reference(&entries));
        }
    }

    #[test]
    fn one_crowded_bucket_and_empty_input() {
        // Every key in the lowest top-bit bucket: the bucket's own sort does all the work.
        let entries: Vec<(u64, u32)> = (0..5000u32).map(|i| (u64::from(i * 7 % 13), i)).collect();
        assert_eq!(sorted_by_both(&entries), reference(&entries));
        assert!(sorted_by_both(&[]).is_empty());
    }
}
