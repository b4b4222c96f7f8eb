//! The clustering run: collect prepared ads, find verified text edges through LSH buckets, add
//! hard-selector edges unless the value is generic, and explain every link.

use super::buckets::BandSorter;
use super::minhash::{band_keys, MinHasher};
use super::text::{jaccard_at_least, normalise_into, scrambled_set_into, shingle_keys_into};
use super::union_find::UnionFind;
use super::{ClusterConfig, ClusterError};
use crate::features::{AdFeatures, Field, SelectorKind};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

/// One ad reduced to what clustering needs. Computing it is the expensive, parallel part.
#[derive(Clone, Debug)]
pub struct PreparedAd {
    id: Box<str>,
    city: Option<Box<str>>,
    /// Normalised text, digits masked, identifiers dropped.
    pub(crate) text: Box<str>,
    /// One key per band; empty when the text is empty.
    band_keys: Vec<u64>,
    /// The low byte of every signature slot (see [`SketchFilter`]); empty without text.
    pub(crate) sketch: Vec<u8>,
    selectors: Vec<(SelectorKind, Box<str>)>,
}

/// Why two ads are linked.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LinkReason {
    /// Their texts (digits masked, identifiers removed) have this exact Jaccard similarity of
    /// character 5-grams, at or above the threshold.
    Text { jaccard: f64, threshold: f64 },
    /// Both carry this selector value.
    Selector {
        selector: SelectorKind,
        value: String,
    },
}

/// One edge of an operation's spanning forest: the link that joined two groups.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Link {
    pub a: String,
    pub b: String,
    pub reason: LinkReason,
}

/// Why a selector value was not allowed to merge ads.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SuppressionReason {
    /// The value is on the deployment stoplist.
    Stoplist,
    /// The value occurs in more distinct text clusters or cities than allowed.
    Generic {
        text_clusters: usize,
        cities: usize,
        /// Distinct other selector values seen in the same ads (claimed identities).
        co_values: usize,
        max_text_clusters: usize,
        max_cities: usize,
        max_co_values: usize,
    },
}

/// A suppressed value present in an operation, kept as an annotation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Suppressed {
    pub selector: SelectorKind,
    pub value: String,
    pub reason: SuppressionReason,
    /// Ads of this operation that carry it.
    pub ads_here: usize,
    /// Ads of the whole run that carry it.
    pub ads_total: usize,
}

/// A selector value and how many of the operation's ads carry it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SelectorCount {
    pub selector: SelectorKind,
    pub value: String,
    pub ads: usize,
}

/// A group of ads joined by verified links.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Operation {
    pub id: String,
    pub size: usize,
    pub ads: Vec<String>,
    /// Number of text clusters (near-duplicate groups) inside the operation.
    pub text_clusters: usize,
    pub cities: Vec<String>,
    pub selectors: Vec<SelectorCount>,
    /// `size - 1` links that join the operation; each says why it exists.
    pub links: Vec<Link>,
    pub suppressed: Vec<Suppressed>,
}

/// Counts that describe one run.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ClusterStats {
    pub ads: usize,
    pub ads_without_text: usize,
    pub exact_checks: u64,
    pub checks_rejected: u64,
    /// Candidate pairs rejected by their signatures alone, before an exact check.
    pub sketch_rejected: u64,
    pub text_edges: u64,
    pub text_clusters: usize,
    pub selector_values: usize,
    pub selector_edges: u64,
    pub suppressed_stoplist: usize,
    pub suppressed_generic: usize,
    pub buckets_truncated: u64,
    pub operations: usize,
    pub singletons: usize,
}

/// The result of a run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Operations {
    pub operations: Vec<Operation>,
    pub stats: ClusterStats,
}

const NO_CITY: u32 = u32::MAX;

/// Most shingle keys kept for verification at once: 32 Mi keys, 256 MiB (a typical ad has
/// about 250, so some 130,000 ads).
const SHINGLE_CACHE_KEYS: usize = 32 << 20;

/// Shingle sets of the ads verified so far, in the scrambled sorted form of
/// [`scrambled_set_into`] (same Jaccard, cheaper to sort), back to back in one arena (no
/// allocation per ad), emptied when it outgrows its bound.
struct ShingleCache {
    range_of: FxHashMap<u32, (usize, usize)>,
    arena: Vec<u64>,
    scratch: Vec<u64>,
    unsorted: Vec<u64>,
    counts: Vec<u32>,
}

impl ShingleCache {
    fn new() -> Self {
        Self {
            range_of: FxHashMap::default(),
            arena: Vec::new(),
            scratch: Vec::new(),
            unsorted: Vec::new(),
            counts: Vec::new(),
        }
    }

    /// Forgets every set once the arena holds more than [`SHINGLE_CACHE_KEYS`].
    fn bound(&mut self) {
        if self.arena.len() > SHINGLE_CACHE_KEYS {
            self.arena.clear();
            self.range_of.clear();
        }
    }

    /// The arena range of `ad`'s sorted shingle set, computing it from `text` on first use.
    fn range(&mut self, ad: u32, text: &str) -> (usize, usize) {
        if let Some(&r) = self.range_of.get(&ad) {
            return r;
        }
        scrambled_set_into(
            text,
            &mut self.scratch,
            &mut self.unsorted,
            &mut self.counts,
        );
        let r = (self.arena.len(), self.arena.len() + self.scratch.len());
        self.arena.extend_from_slice(&self.scratch);
        self.range_of.insert(ad, r);
        r
    }
}

/// The state of the bucket walk that finds text edges.
struct BucketWalk<'a> {
    uf: &'a mut UnionFind,
    links: &'a mut Vec<(u32, u32, f64)>,
    stats: &'a mut ClusterStats,
    /// Pairs whose exact check failed, `(earlier, later)`.
    rejected: FxHashSet<(u32, u32)>,
    cache: ShingleCache,
    /// The component of each member of the current bucket.
    roots: Vec<u32>,
}

/// Accumulates prepared ads, then clusters them.
pub struct Clusterer {
    config: ClusterConfig,
    hasher: MinHasher,
    ids: Vec<Box<str>>,
    texts: Vec<Box<str>>,
    cities: Vec<u32>,
    city_names: Vec<Box<str>>,
    city_index: FxHashMap<Box<str>, u32>,
    /// Band keys band by band (`keys[band][ad]`), so that one band's walk reads them in order.
    keys: Vec<Vec<u64>>,
    has_keys: Vec<bool>,
    /// `sketch_filter.slots` bytes per ad.
    sketches: Vec<u8>,
    sketch_filter: SketchFilter,
    selector_index: FxHashMap<(SelectorKind, Box<str>), u32>,
    selector_values: Vec<(SelectorKind, Box<str>)>,
    occurrences: Vec<(u32, u32)>,
}

impl Clusterer {
    /// A clusterer for `config`.
    pub fn new(config: ClusterConfig) -> Result<Self, ClusterError> {
        config.validate()?;
        let slots = config.bands * config.rows;
        let keys = vec![Vec::new(); config.bands];
        let hasher = MinHasher::with_scheme(slots, config.seed, config.scheme);
        let sketch_filter = SketchFilter::new(slots, config.threshold);
        Ok(Self {
            config,
            hasher,
            ids: Vec::new(),
            texts: Vec::new(),
            cities: Vec::new(),
            city_names: Vec::new(),
            city_index: FxHashMap::default(),
            keys,
            has_keys: Vec::new(),
            sketches: Vec::new(),
            sketch_filter,
            selector_index: FxHashMap::default(),
            selector_values: Vec::new(),
            occurrences: Vec::new(),
        })
    }

    /// The configuration in use.
    pub fn config(&self) -> &ClusterConfig {
        &self.config
    }

    /// Normalises, shingles and MinHashes one ad. Pure; safe to call from many threads.
    pub fn prepare(&self, ad: &AdFeatures) -> PreparedAd {
        let drops = |field: Field| -> Vec<std::ops::Range<usize>> {
            ad.selectors
                .iter()
                .filter_map(|s| s.span)
                .filter(|s| s.field == field)
                .map(|s| s.start..s.end)
                .collect()
        };
        // Title and body normalised into one string, joined by a space when both have text.
        let mut text = String::with_capacity(ad.title.len() + ad.text.len() + 1);
        normalise_into(&ad.title, &drops(Field::Title), true, &mut text);
        if !text.is_empty() {
            text.push(' ');
        }
        let title_end = text.len();
        normalise_into(&ad.text, &drops(Field::Text), true, &mut text);
        if title_end > 0 && text.len() == title_end {
            text.pop();
        }
        // A signature is a minimum per slot, so the shingle keys need neither sorting nor
        // de-duplication here (only exact Jaccard needs the sorted set).
        let mut set = Vec::new();
        shingle_keys_into(&text, &mut set);
        let (band_keys, sketch) = if set.is_empty() {
            (Vec::new(), Vec::new())
        } else {
            let sig = self.hasher.signature(&set);
            (
                band_keys(&sig, self.config.bands, self.config.rows).collect(),
                sig.iter().map(|&slot| slot as u8).collect(),
            )
        };
        let mut selectors: Vec<(SelectorKind, Box<str>)> = ad
            .selectors
            .iter()
            .map(|s| (s.kind, s.value.as_str().into()))
            .collect();
        selectors.sort();
        selectors.dedup();
        PreparedAd {
            id: ad.id.as_str().into(),
            city: ad.city.as_deref().map(|c| c.trim().to_lowercase().into()),
            text: text.into(),
            band_keys,
            sketch,
            selectors,
        }
    }

    /// [`Clusterer::prepare`] over a batch, in parallel.
    pub fn prepare_all(&self, ads: &[AdFeatures]) -> Vec<PreparedAd> {
        ads.par_iter().map(|ad| self.prepare(ad)).collect()
    }

    /// Adds one prepared ad; ads keep the order they are pushed in.
    pub fn push(&mut self, ad: PreparedAd) -> Result<(), ClusterError> {
        let index = u32::try_from(self.ids.len()).map_err(|_| ClusterError::TooManyAds)?;
        if index == u32::MAX {
            return Err(ClusterError::TooManyAds);
        }
        let city = match ad.city {
            None => NO_CITY,
            Some(name) => {
                let next = self.city_names.len() as u32;
                *self.city_index.entry(name.clone()).or_insert_with(|| {
                    self.city_names.push(name);
                    next
                })
            }
        };
        for sel in ad.selectors {
            let next = self.selector_values.len() as u32;
            let sid = *self.selector_index.entry(sel.clone()).or_insert_with(|| {
                self.selector_values.push(sel);
                next
            });
            self.occurrences.push((sid, index));
        }
        self.has_keys.push(!ad.band_keys.is_empty());
        for (band, keys) in self.keys.iter_mut().enumerate() {
            keys.push(ad.band_keys.get(band).copied().unwrap_or(0));
        }
        let slots = self.sketch_filter.slots;
        if ad.sketch.len() == slots {
            self.sketches.extend_from_slice(&ad.sketch);
        } else {
            self.sketches.extend(std::iter::repeat_n(0, slots));
        }
        self.ids.push(ad.id);
        self.texts.push(ad.text);
        self.cities.push(city);
        Ok(())
    }

    /// Number of ads pushed so far.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True when no ad was pushed.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Clusters everything pushed. `progress(stage, done, total)` is called between steps.
    pub fn finish(self, progress: &mut dyn FnMut(&str, u64, u64)) -> Operations {
        let n = self.ids.len();
        let mut stats = ClusterStats {
            ads: n,
            ..ClusterStats::default()
        };
        stats.ads_without_text = self.has_keys.iter().filter(|h| !**h).count();
        let mut uf = UnionFind::new(n);
        let mut text_links: Vec<(u32, u32, f64)> = Vec::new();
        self.text_edges(&mut uf, &mut text_links, &mut stats, progress);

        // Text clusters, before any selector edge.
        let text_root: Vec<u32> = (0..n as u32).map(|i| uf.find(i)).collect();
        stats.text_clusters = text_root
            .iter()
            .enumerate()
            .filter(|(i, r)| *i as u32 == **r)
            .count();

        progress("selectors", 0, self.selector_values.len() as u64);
        let mut occurrences = self.occurrences.clone();
        occurrences.sort_unstable();
        stats.selector_values = self.selector_values.len();
        let mut suppressed: FxHashMap<u32, (SuppressionReason, usize)> = FxHashMap::default();
        let mut selector_links: Vec<(u32, u32, u32)> = Vec::new();
        // Selectors per ad, to count the other values a selector appears with.
        let mut by_ad: Vec<(u32, u32)> = occurrences.iter().map(|&(s, a)| (a, s)).collect();
        by_ad.sort_unstable();
        let sids_of = |ad: u32| -> &[(u32, u32)] {
            let start = by_ad.partition_point(|x| x.0 < ad);
            let end = by_ad.partition_point(|x| x.0 <= ad);
            &by_ad[start..end]
        };
        for group in occurrences.chunk_by(|x, y| x.0 == y.0) {
            let sid = group[0].0;
            let ads: Vec<u32> = group.iter().map(|o| o.1).collect();
            let value = &self.selector_values[sid as usize].1;
            let reason = if self.config.stoplist.contains(&**value) {
                Some(SuppressionReason::Stoplist)
            } else {
                let clusters: FxHashSet<u32> = ads.iter().map(|&a| text_root[a as usize]).collect();
                let cities: FxHashSet<u32> = ads
                    .iter()
                    .map(|&a| self.cities[a as usize])
                    .filter(|&c| c != NO_CITY)
                    .collect();
                let co_values: FxHashSet<u32> = ads
                    .iter()
                    .flat_map(|&a| sids_of(a).iter().map(|x| x.1))
                    .filter(|&other| other != sid)
                    .collect();
                (clusters.len() > self.config.generic_max_text_clusters
                    || cities.len() > self.config.generic_max_cities
                    || co_values.len() > self.config.generic_max_co_values)
                    .then_some(SuppressionReason::Generic {
                        text_clusters: clusters.len(),
                        cities: cities.len(),
                        co_values: co_values.len(),
                        max_text_clusters: self.config.generic_max_text_clusters,
                        max_cities: self.config.generic_max_cities,
                        max_co_values: self.config.generic_max_co_values,
                    })
            };
            match reason {
                Some(r) => {
                    match r {
                        SuppressionReason::Stoplist => stats.suppressed_stoplist += 1,
                        SuppressionReason::Generic { .. } => stats.suppressed_generic += 1,
                    }
                    suppressed.insert(sid, (r, ads.len()));
                }
                None if !self.config.use_selectors => {}
                None => {
                    for &other in &ads[1..] {
                        if uf.union(ads[0], other) {
                            selector_links.push((ads[0], other, sid));
                            stats.selector_edges += 1;
                        }
                    }
                }
            }
        }

        progress("operations", 0, n as u64);
        let ops = self.assemble(
            &mut uf,
            &text_root,
            &text_links,
            &selector_links,
            &occurrences,
            &suppressed,
        );
        stats.operations = ops.iter().filter(|o| o.size > 1).count();
        stats.singletons = n - ops
            .iter()
            .filter(|o| o.size > 1)
            .map(|o| o.size)
            .sum::<usize>();
        progress("done", n as u64, n as u64);
        Operations {
            operations: ops,
            stats,
        }
    }

    /// Walks every band's buckets and verifies candidates by exact Jaccard, skipping pairs
    /// already in one component (which cannot change the components).
    ///
    /// The order: the first band's buckets as they come, which joins most near-duplicates
    /// early; then the buckets of all other bands grouped by the component their members had
    /// after it (the smallest root among them), band by band within a group. A group's ads meet
    /// again while their shingle sets are still cached: walked band after band, each set was
    /// computed 2.5 times on average on the 1M benchmark feed, as the cache's bound emptied it
    /// between an ad's bands. The components do not depend on the order (only on which
    /// candidate pairs reach the threshold); which pair is named as a link, and how many pairs
    /// are checked, do (on that feed 12% more exact checks, for 7% less CPU time).
    fn text_edges(
        &self,
        uf: &mut UnionFind,
        links: &mut Vec<(u32, u32, f64)>,
        stats: &mut ClusterStats,
        progress: &mut dyn FnMut(&str, u64, u64),
    ) {
        let bands = self.config.bands;
        let n = self.ids.len();
        let mut walk = BucketWalk {
            uf,
            links,
            stats,
            rejected: FxHashSet::default(),
            cache: ShingleCache::new(),
            roots: Vec::new(),
        };
        let mut entries: Vec<(u64, u32)> = Vec::with_capacity(n);
        let mut sorter = BandSorter::default();
        let mut members: Vec<u32> = Vec::new();
        // Buckets of the later bands as (group, band, start in `later_members`, length).
        let mut later: Vec<(u32, u32, usize, u32)> = Vec::new();
        let mut later_members: Vec<u32> = Vec::new();
        for band in 0..bands {
            progress("lsh-bands", band as u64, bands as u64);
            entries.clear();
            entries.extend(
                self.keys[band]
                    .iter()
                    .zip(&self.has_keys)
                    .enumerate()
                    .filter(|(_, (_, &has))| has)
                    .map(|(i, (&key, _))| (key, i as u32)),
            );
            // One thread: idle rayon workers spin, which costs CPU time for nothing here.
            sorter.sort(&mut entries);
            for bucket in entries.chunk_by(|x, y| x.0 == y.0) {
                if bucket.len() < 2 {
                    continue;
                }
                if band == 0 {
                    members.clear();
                    members.extend(bucket.iter().map(|e| e.1));
                    self.walk_bucket(&mut walk, &members);
                } else {
                    let start = later_members.len();
                    later_members.extend(bucket.iter().map(|e| e.1));
                    let group = bucket.iter().map(|e| walk.uf.find(e.1)).min().unwrap_or(0);
                    later.push((group, band as u32, start, bucket.len() as u32));
                }
            }
        }
        progress("lsh-bands", bands as u64, bands as u64);
        let later_buckets = later.len() as u64;
        progress("lsh-buckets", 0, later_buckets);
        later.sort_unstable();
        for &(_, _, start, len) in &later {
            self.walk_bucket(&mut walk, &later_members[start..start + len as usize]);
        }
        progress("lsh-buckets", later_buckets, later_buckets);
    }

    /// Verifies the candidate pairs of one bucket (`members` in ad order): each member against
    /// every earlier one, skipping pairs already joined, pairs the sketches rule out and pairs
    /// rejected before.
    fn walk_bucket(&self, walk: &mut BucketWalk<'_>, bucket: &[u32]) {
        // Shingle sets stay cached across buckets and bands (an ad meets its near-duplicates in
        // many bands), up to a bound on memory.
        walk.cache.bound();
        // Each member's component, found once: within the bucket only its own unions change
        // components, and each union relabels the two it joined.
        let roots = &mut walk.roots;
        roots.clear();
        roots.extend(bucket.iter().map(|&m| walk.uf.find(m)));
        let mut checks = 0usize;
        'members: for i in 1..bucket.len() {
            let mi = bucket[i];
            for (j, &mj) in bucket[..i].iter().enumerate() {
                if roots[i] == roots[j] {
                    continue;
                }
                // The sketches first: a pair they reject was never checked exactly, so it
                // cannot be in `rejected`, and most pairs stop here without a hash-set look-up.
                let sketch_ok = self
                    .sketch_filter
                    .may_reach(self.sketch(mi as usize), self.sketch(mj as usize));
                if sketch_ok && walk.rejected.contains(&(mj, mi)) {
                    continue;
                }
                if checks >= self.config.max_checks_per_bucket {
                    walk.stats.buckets_truncated += 1;
                    break 'members;
                }
                checks += 1;
                if !sketch_ok {
                    // Not remembered in `rejected`: comparing the sketches again in a later
                    // band is cheaper than a hash-set entry.
                    walk.stats.sketch_rejected += 1;
                    continue;
                }
                walk.stats.exact_checks += 1;
                if let Some(jac) = self.jaccard_cached(&mut walk.cache, mi, mj) {
                    let (was_i, was_j) = (roots[i], roots[j]);
                    walk.uf.union(mi, mj);
                    let joined = walk.uf.find(mi);
                    for root in roots.iter_mut() {
                        if *root == was_i || *root == was_j {
                            *root = joined;
                        }
                    }
                    walk.links.push((mj, mi, jac));
                    walk.stats.text_edges += 1;
                } else {
                    walk.stats.checks_rejected += 1;
                    walk.rejected.insert((mj, mi));
                }
            }
        }
    }

    fn sketch(&self, ad: usize) -> &[u8] {
        let slots = self.sketch_filter.slots;
        &self.sketches[ad * slots..(ad + 1) * slots]
    }

    /// The exact Jaccard of `a` and `b` when it reaches the threshold; `None` when it does not.
    fn jaccard_cached(&self, cache: &mut ShingleCache, a: u32, b: u32) -> Option<f64> {
        let ra = cache.range(a, &self.texts[a as usize]);
        let rb = cache.range(b, &self.texts[b as usize]);
        jaccard_at_least(
            &cache.arena[ra.0..ra.1],
            &cache.arena[rb.0..rb.1],
            self.config.threshold,
        )
    }

    fn assemble(
        &self,
        uf: &mut UnionFind,
        text_root: &[u32],
        text_links: &[(u32, u32, f64)],
        selector_links: &[(u32, u32, u32)],
        occurrences: &[(u32, u32)],
        suppressed: &FxHashMap<u32, (SuppressionReason, usize)>,
    ) -> Vec<Operation> {
        let n = self.ids.len();
        let root: Vec<u32> = (0..n as u32).map(|i| uf.find(i)).collect();
        // Members per root, in input order; operations ordered by their first ad.
        let mut slot_of_root: FxHashMap<u32, usize> = FxHashMap::default();
        let mut members: Vec<Vec<u32>> = Vec::new();
        for (i, &r) in root.iter().enumerate() {
            let slot = *slot_of_root.entry(r).or_insert_with(|| {
                members.push(Vec::new());
                members.len() - 1
            });
            members[slot].push(i as u32);
        }
        let mut links: Vec<Vec<Link>> = vec![Vec::new(); members.len()];
        for &(a, b, j) in text_links {
            let slot = slot_of_root[&root[a as usize]];
            links[slot].push(Link {
                a: self.ids[a as usize].to_string(),
                b: self.ids[b as usize].to_string(),
                reason: LinkReason::Text {
                    jaccard: (j * 10_000.0).round() / 10_000.0,
                    threshold: self.config.threshold,
                },
            });
        }
        for &(a, b, sid) in selector_links {
            let slot = slot_of_root[&root[a as usize]];
            let (kind, value) = &self.selector_values[sid as usize];
            links[slot].push(Link {
                a: self.ids[a as usize].to_string(),
                b: self.ids[b as usize].to_string(),
                reason: LinkReason::Selector {
                    selector: *kind,
                    value: value.to_string(),
                },
            });
        }
        // Selector counts per operation (occurrences are sorted by selector, then ad).
        let mut selector_counts: Vec<FxHashMap<u32, usize>> =
            vec![FxHashMap::default(); members.len()];
        for &(sid, ad) in occurrences {
            *selector_counts[slot_of_root[&root[ad as usize]]]
                .entry(sid)
                .or_default() += 1;
        }
        let mut out = Vec::new();
        let mut number = 0usize;
        for (slot, ads) in members.into_iter().enumerate() {
            if ads.len() < 2 && !self.config.include_singletons {
                continue;
            }
            number += 1;
            let mut cities: Vec<String> = ads
                .iter()
                .map(|&a| self.cities[a as usize])
                .filter(|&c| c != NO_CITY)
                .map(|c| self.city_names[c as usize].to_string())
                .collect();
            cities.sort();
            cities.dedup();
            let text_clusters: FxHashSet<u32> =
                ads.iter().map(|&a| text_root[a as usize]).collect();
            let mut counts: Vec<(u32, usize)> = selector_counts[slot]
                .iter()
                .map(|(s, c)| (*s, *c))
                .collect();
            counts.sort_unstable();
            let mut selectors = Vec::new();
            let mut suppressed_here = Vec::new();
            for (sid, count) in counts {
                let (kind, value) = &self.selector_values[sid as usize];
                match suppressed.get(&sid) {
                    Some((reason, total)) => suppressed_here.push(Suppressed {
                        selector: *kind,
                        value: value.to_string(),
                        reason: reason.clone(),
                        ads_here: count,
                        ads_total: *total,
                    }),
                    None => selectors.push(SelectorCount {
                        selector: *kind,
                        value: value.to_string(),
                        ads: count,
                    }),
                }
            }
            selectors.sort_by(|a, b| (a.selector, &a.value).cmp(&(b.selector, &b.value)));
            suppressed_here.sort_by(|a, b| (a.selector, &a.value).cmp(&(b.selector, &b.value)));
            out.push(Operation {
                id: format!("op-{number:06}"),
                size: ads.len(),
                ads: ads
                    .iter()
                    .map(|&a| self.ids[a as usize].to_string())
                    .collect(),
                text_clusters: text_clusters.len(),
                cities,
                selectors,
                links: std::mem::take(&mut links[slot]),
                suppressed: suppressed_here,
            });
        }
        out
    }
}

/// A cheap first test for an LSH candidate pair: two sets of Jaccard similarity `J` agree on
/// each MinHash slot with probability `J` (one-permutation with densification and independent
/// permutations alike), and their slots' low bytes agree at least as often. A pair whose
/// low bytes agree on fewer than `min_agreements` slots is rejected without computing its exact
/// Jaccard; `min_agreements` is the largest count whose binomial lower tail at the threshold is
/// below [`SketchFilter::MISS_PROBABILITY`], so a pair at or above the threshold is rejected
/// with at most that probability (at 126 slots and t = 0.7: fewer than 56 agreements). The
/// bound assumes independent slots; densified one-permutation slots of very short texts are
/// copies of each other, so there it is a guide rather than a guarantee (the margin is wide:
/// 0.44 against 0.7). Pairs that pass are still verified exactly, so the filter never adds a
/// link; on the 1,000,000-ad benchmark feed the operations are byte-identical with and without
/// it, and it spares 10.4 M of 12.4 M exact checks.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SketchFilter {
    slots: usize,
    min_agreements: usize,
}

impl SketchFilter {
    /// Bound on the chance that a pair at the threshold is rejected by the sketch alone.
    pub(crate) const MISS_PROBABILITY: f64 = 1e-9;

    pub(crate) fn new(slots: usize, threshold: f64) -> Self {
        Self {
            slots,
            min_agreements: binomial_quantile(slots, threshold, Self::MISS_PROBABILITY),
        }
    }

    /// False when the two sketches agree on too few slots for the pair to reach the threshold.
    pub(crate) fn may_reach(&self, a: &[u8], b: &[u8]) -> bool {
        agreements(a, b) >= self.min_agreements
    }
}

/// How many positions of `a` and `b` (up to the shorter's length) hold the same byte. Counted
/// in byte lanes, 32 positions at a time, and summed every 255 steps (before a lane could
/// overflow), which the compiler turns into a few vector instructions per step.
pub(crate) fn agreements(a: &[u8], b: &[u8]) -> usize {
    const LANES: usize = 32;
    let common = a.len().min(b.len());
    let (a, b) = (&a[..common], &b[..common]);
    let (mut total, mut lanes, mut steps) = (0usize, [0u8; LANES], 0u8);
    let (chunks_a, chunks_b) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
    let tail = chunks_a
        .remainder()
        .iter()
        .zip(chunks_b.remainder())
        .filter(|(x, y)| x == y)
        .count();
    for (ca, cb) in chunks_a.zip(chunks_b) {
        for k in 0..LANES {
            lanes[k] += u8::from(ca[k] == cb[k]);
        }
        steps += 1;
        if steps == u8::MAX {
            total += lanes.iter().map(|&l| usize::from(l)).sum::<usize>();
            (lanes, steps) = ([0; LANES], 0);
        }
    }
    total + tail + lanes.iter().map(|&l| usize::from(l)).sum::<usize>()
}

/// The largest `k` with `P(Binomial(n, p) < k) <= tail` (0 when even `k = 1` exceeds it).
pub(crate) fn binomial_quantile(n: usize, p: f64, tail: f64) -> usize {
    if p <= 0.0 || n == 0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    // pmf(i) by the recurrence pmf(i+1) = pmf(i) * (n-i)/(i+1) * p/(1-p), in log space.
    let mut log_pmf = n as f64 * (1.0 - p).ln();
    let ratio = (p / (1.0 - p)).ln();
    let mut below = 0.0f64; // P(X < k) for the current k
    let mut k = 0usize;
    while k < n {
        let next = below + log_pmf.exp();
        if next > tail {
            break;
        }
        below = next;
        log_pmf += ((n - k) as f64 / (k + 1) as f64).ln() + ratio;
        k += 1;
    }
    k
}
