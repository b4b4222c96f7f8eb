//! Blocking: several key rules (exact identifiers, phonetic name codes, initial + surname code +
//! birth year, postcode + number, a sorted-neighbourhood window over names), chosen from the data
//! under a cap on comparisons. Pairs are generated block by block from a contiguous gathered
//! buffer; the global pair list is never materialised. Oversized blocks are reported and compared
//! only within a sorted-neighbourhood window.

use crate::dataset::{Dataset, Record, Slot};
use crate::intern::NONE;
use crate::phonetic::{nysiis, soundex};
use rayon::prelude::*;
use rustc_hash::FxHasher;
use std::hash::{Hash, Hasher};

/// Names of the rules, in default precedence order.
pub const RULE_NAMES: &[&str] = &[
    "national_id",
    "phone",
    "email",
    "dob",
    "dob+surname_initial",
    "surname_nysiis+given_initial",
    "initial+surname_soundex+birth_year",
    "given_nysiis+birth_year",
    "postcode+street_number",
    "surname+postcode",
    "sorted_name",
];

/// Automatic choice: a rule with a refined variant (`dob` → `dob+surname_initial`) is replaced
/// by it when it would give more than this many pairs per keyed record. Birth dates have a fixed
/// number of values, so their blocks grow with the input (about 3 pairs per record at 100,000
/// records, 24 at 1,000,000): past this point the dob-only pairs, nearly all non-matches agreeing
/// on one field, crowd out the other rules and tip EM into calling name agreement a match.
pub const REFINE_PAIRS_PER_RECORD: u64 = 8;

/// Width of the sorted-neighbourhood window (each record meets the next `WINDOW - 1`).
pub const WINDOW: usize = 8;

/// Counters of one rule.
#[derive(Clone, Debug, Default)]
pub struct RuleStats {
    pub name: &'static str,
    pub records_with_key: u64,
    pub blocks: u64,
    pub largest_block: u64,
    /// Blocks larger than the cap, compared by window only.
    pub capped_blocks: u64,
    /// Pairs this rule generated that no earlier rule had generated.
    pub pairs: u64,
}

/// Per-value derived codes for the shared name dictionary.
struct NameCodes {
    nysiis: Vec<u64>,
    soundex: Vec<u64>,
}

impl NameCodes {
    fn last_token(ds: &Dataset, id: u32) -> String {
        ds.value(Slot::Given, id)
            .rsplit(' ')
            .next()
            .unwrap_or("")
            .to_string()
    }
    fn nysiis(&self, ds: &Dataset, id: u32) -> u64 {
        self.nysiis
            .get(id as usize)
            .copied()
            .unwrap_or_else(|| h(nysiis(&Self::last_token(ds, id))))
    }
    fn soundex(&self, ds: &Dataset, id: u32) -> u64 {
        self.soundex.get(id as usize).copied().unwrap_or_else(|| {
            let s = ds.value(Slot::Given, id);
            h(soundex(s.split(' ').next().unwrap_or("")))
        })
    }
}

fn h<T: Hash>(t: T) -> u64 {
    let mut s = FxHasher::default();
    t.hash(&mut s);
    let v = s.finish();
    if v == 0 {
        1
    } else {
        v
    }
}

/// The chosen rules with their per-record keys (0 = no key).
pub struct Blocker {
    pub rules: Vec<&'static str>,
    keys: Vec<Vec<u64>>,
    /// Keys of oversized blocks per rule (their members were only window-compared).
    capped: Vec<rustc_hash::FxHashSet<u64>>,
    codes: NameCodes,
    pub stats: Vec<RuleStats>,
    pub max_block: usize,
    /// Whether only cross-source pairs are compared.
    pub link: bool,
}

fn name_codes(ds: &Dataset) -> NameCodes {
    let n = ds.dict_len(Slot::Given);
    let (nysiis, soundex): (Vec<u64>, Vec<u64>) = (0..n)
        .into_par_iter()
        .map(|id| {
            let s = ds.value(Slot::Given, id as u32);
            let first = s.split(' ').next().unwrap_or("");
            let last = s.rsplit(' ').next().unwrap_or("");
            (h(nysiis(last)), h(soundex(first)))
        })
        .unzip();
    NameCodes { nysiis, soundex }
}

fn name_sort_key(ds: &Dataset, r: &Record) -> Option<String> {
    let (g, s) = (r.get(Slot::Given), r.get(Slot::Surname));
    if g == NONE && s == NONE {
        return None;
    }
    Some(format!(
        "{} {}",
        ds.value(Slot::Surname, s),
        ds.value(Slot::Given, g)
    ))
}

/// The key of `rule` for one record (0 when a part is missing).
fn key(rule: &str, ds: &Dataset, codes: &NameCodes, r: &Record) -> u64 {
    let v = |s: Slot| r.get(s);
    let some = |x: u32| x != NONE;
    let initial = |id: u32| ds.value(Slot::Given, id).as_bytes().first().copied();
    let year = r.dob.year;
    match rule {
        "national_id" if some(v(Slot::NationalId)) => h((1u8, v(Slot::NationalId))),
        "phone" if some(v(Slot::Phone)) => h((2u8, v(Slot::Phone))),
        "email" if some(v(Slot::Email)) => h((3u8, v(Slot::Email))),
        "dob" if r.dob.day.is_some() && r.dob.month.is_some() && year.is_some() => h((4u8, r.dob)),
        "dob+surname_initial"
            if r.dob.day.is_some()
                && r.dob.month.is_some()
                && year.is_some()
                && some(v(Slot::Surname)) =>
        {
            h((
                10u8,
                r.dob,
                ds.value(Slot::Surname, v(Slot::Surname))
                    .as_bytes()
                    .first()
                    .copied(),
            ))
        }
        "surname_nysiis+given_initial" if some(v(Slot::Surname)) && some(v(Slot::Given)) => h((
            5u8,
            codes.nysiis(ds, v(Slot::Surname)),
            initial(v(Slot::Given)),
        )),
        "initial+surname_soundex+birth_year" if some(v(Slot::Surname)) && year.is_some() => {
            let sx = codes.soundex(ds, v(Slot::Surname));
            h((
                6u8,
                sx,
                year,
                if some(v(Slot::Given)) {
                    initial(v(Slot::Given))
                } else {
                    None
                },
            ))
        }
        "given_nysiis+birth_year" if some(v(Slot::Given)) && year.is_some() => {
            h((7u8, codes.nysiis(ds, v(Slot::Given)), year))
        }
        "postcode+street_number" if some(v(Slot::Postcode)) && some(v(Slot::Number)) => {
            h((8u8, v(Slot::Postcode), v(Slot::Number)))
        }
        "surname+postcode" if some(v(Slot::Postcode)) && some(v(Slot::Surname)) => {
            h((9u8, v(Slot::Postcode), v(Slot::Surname)))
        }
        _ => 0,
    }
}

/// Counts pairs a block of `n` records yields (link mode: `left × right`).
fn block_pairs(n: u64, left: u64, link: bool, max_block: usize) -> u64 {
    if n as usize > max_block {
        return n * (WINDOW as u64 - 1);
    }
    if link {
        left * (n - left)
    } else {
        n * (n.saturating_sub(1)) / 2
    }
}

/// Sorted (key, record) runs of one rule: (start, end) ranges into the sorted order.
fn runs(keys: &[u64]) -> (Vec<u32>, Vec<(usize, usize)>) {
    let mut order: Vec<u32> = (0..keys.len() as u32)
        .filter(|&i| keys[i as usize] != 0)
        .collect();
    order.par_sort_unstable_by_key(|&i| (keys[i as usize], i));
    let mut out = Vec::new();
    let mut s = 0;
    for e in 1..=order.len() {
        if e == order.len() || keys[order[e] as usize] != keys[order[s] as usize] {
            if e - s > 1 {
                out.push((s, e));
            }
            s = e;
        }
    }
    (order, out)
}

impl Blocker {
    /// Computes keys for the configured rules, or chooses rules automatically: in precedence
    /// order, a rule is kept when at least 1% of records have its key and the running total of
    /// estimated pairs stays under `max_pairs`.
    pub fn plan(ds: &Dataset, link: bool, progress: &(dyn Fn(&str) + Sync)) -> Blocker {
        let cfg = &ds.config.blocking;
        let codes = name_codes(ds);
        let n = ds.len() as u64;
        let wanted: Vec<&'static str> = if cfg.rules.is_empty() {
            RULE_NAMES.to_vec()
        } else {
            RULE_NAMES
                .iter()
                .copied()
                .filter(|r| cfg.rules.iter().any(|c| c == r))
                .collect()
        };
        let mut rules = Vec::new();
        let mut keys = Vec::new();
        let mut capped = Vec::new();
        let mut total = 0u64;
        for rule in wanted {
            if rule == "sorted_name" {
                let est = n * (WINDOW as u64 - 1);
                if cfg.rules.is_empty() && total + est > cfg.max_pairs {
                    progress(&format!("blocking: rule {rule} skipped (pair budget)"));
                    continue;
                }
                total += est;
                rules.push(rule);
                keys.push(Vec::new());
                capped.push(rustc_hash::FxHashSet::default());
                continue;
            }
            let k: Vec<u64> = ds
                .records
                .par_iter()
                .map(|r| key(rule, ds, &codes, r))
                .collect();
            let with_key = k.iter().filter(|&&x| x != 0).count() as u64;
            if with_key * 100 < n {
                if !cfg.rules.is_empty() {
                    progress(&format!(
                        "blocking: rule {rule} has a key on only {with_key} of {n} records"
                    ));
                } else {
                    continue;
                }
            }
            let (order, blocks) = runs(&k);
            let est: u64 = blocks
                .iter()
                .map(|&(s, e)| {
                    let left = order[s..e]
                        .iter()
                        .filter(|&&i| ds.records[i as usize].source == 0)
                        .count() as u64;
                    block_pairs((e - s) as u64, left, link, cfg.max_block)
                })
                .sum();
            if cfg.rules.is_empty() && rule == "dob" && est > with_key * REFINE_PAIRS_PER_RECORD {
                progress(&format!(
                    "blocking: rule {rule} replaced by dob+surname_initial: ~{est} pairs, more than {REFINE_PAIRS_PER_RECORD} per record"
                ));
                continue;
            }
            if rule == "dob+surname_initial" && rules.contains(&"dob") {
                // A subset of the dob blocks already chosen.
                continue;
            }
            if cfg.rules.is_empty() && total + est > cfg.max_pairs {
                progress(&format!(
                    "blocking: rule {rule} skipped: ~{est} more pairs would pass the budget of {}",
                    cfg.max_pairs
                ));
                continue;
            }
            total += est;
            progress(&format!(
                "blocking: rule {rule}: {with_key} keys, {} blocks, ~{est} pairs",
                blocks.len()
            ));
            capped.push(
                blocks
                    .iter()
                    .filter(|&&(s, e)| e - s > cfg.max_block)
                    .map(|&(s, _)| k[order[s] as usize])
                    .collect(),
            );
            rules.push(rule);
            keys.push(k);
        }
        let stats = rules
            .iter()
            .map(|r| RuleStats {
                name: r,
                ..RuleStats::default()
            })
            .collect();
        Blocker {
            rules,
            keys,
            capped,
            codes,
            stats,
            max_block: cfg.max_block,
            link,
        }
    }

    /// True when an earlier rule than `rule` already put `i` and `j` in one block.
    fn seen_before(&self, rule: usize, i: u32, j: u32) -> bool {
        self.keys[..rule]
            .iter()
            .zip(&self.capped)
            .any(|(k, capped)| {
                !k.is_empty()
                    && k[i as usize] != 0
                    && k[i as usize] == k[j as usize]
                    && !capped.contains(&k[i as usize])
            })
    }

    /// Visits every candidate pair once per rule that first produced it, in parallel over
    /// blocks. `sample` in (0, 1] keeps only that share of blocks (for training). Each worker
    /// folds into its own accumulator; accumulators are merged at the end.
    pub fn for_each_pair<A, F, M>(
        &mut self,
        ds: &Dataset,
        sample: f64,
        init: impl Fn() -> A + Sync + Send,
        visit: F,
        merge: M,
    ) -> A
    where
        A: Send,
        F: Fn(&mut A, usize, u32, u32, &Record, &Record) + Sync + Send,
        M: Fn(A, A) -> A + Sync + Send,
    {
        let mut acc: Option<A> = None;
        let threshold = (sample.clamp(0.0, 1.0) * u64::MAX as f64) as u64;
        for r in 0..self.rules.len() {
            let this = &*self;
            let pair_ok = |i: u32, j: u32, a: &Record, b: &Record| {
                (!this.link || a.source != b.source) && !this.seen_before(r, i, j)
            };
            let (part, stats) = if self.rules[r] == "sorted_name" {
                let mut order: Vec<(String, u32)> = ds
                    .records
                    .par_iter()
                    .enumerate()
                    .filter_map(|(i, rec)| name_sort_key(ds, rec).map(|k| (k, i as u32)))
                    .collect();
                order.par_sort_unstable();
                let ids: Vec<u32> = order.into_iter().map(|x| x.1).collect();
                let chunks: Vec<usize> = (0..ids.len()).step_by(4096).collect();
                let res = chunks
                    .par_iter()
                    .filter(|&&s| sample >= 1.0 || h(s) <= threshold)
                    .fold(
                        || (init(), 0u64),
                        |(mut a, mut cnt), &s| {
                            let end = (s + 4096 + WINDOW - 1).min(ids.len());
                            let local: Vec<Record> = ids[s..end]
                                .iter()
                                .map(|&i| ds.records[i as usize])
                                .collect();
                            for x in 0..(end - s).min(4096) {
                                for y in x + 1..(x + WINDOW).min(end - s) {
                                    let (i, j) = (ids[s + x], ids[s + y]);
                                    if pair_ok(i, j, &local[x], &local[y]) {
                                        visit(&mut a, r, i, j, &local[x], &local[y]);
                                        cnt += 1;
                                    }
                                }
                            }
                            (a, cnt)
                        },
                    )
                    .reduce_with(|(a, c1), (b, c2)| (merge(a, b), c1 + c2));
                let st = RuleStats {
                    name: self.rules[r],
                    records_with_key: ids.len() as u64,
                    blocks: chunks.len() as u64,
                    largest_block: WINDOW as u64,
                    capped_blocks: 0,
                    pairs: res.as_ref().map_or(0, |x| x.1),
                };
                (res.map(|x| x.0), st)
            } else {
                let (order, blocks) = runs(&self.keys[r]);
                let max_block = self.max_block;
                let res = blocks
                    .par_iter()
                    .filter(|&&(s, _)| sample >= 1.0 || h((r, order[s])) <= threshold)
                    .fold(
                        || (init(), 0u64),
                        |(mut a, mut cnt), &(s, e)| {
                            let mut ids: Vec<u32> = order[s..e].to_vec();
                            if ids.len() > max_block {
                                // Oversized: compare only within a window over names.
                                ids.sort_by_cached_key(|&i| {
                                    name_sort_key(ds, &ds.records[i as usize])
                                });
                            }
                            let local: Vec<Record> =
                                ids.iter().map(|&i| ds.records[i as usize]).collect();
                            let win = if ids.len() > max_block {
                                WINDOW
                            } else {
                                ids.len()
                            };
                            for x in 0..ids.len() {
                                for y in x + 1..(x + win).min(ids.len()) {
                                    if pair_ok(ids[x], ids[y], &local[x], &local[y]) {
                                        visit(&mut a, r, ids[x], ids[y], &local[x], &local[y]);
                                        cnt += 1;
                                    }
                                }
                            }
                            (a, cnt)
                        },
                    )
                    .reduce_with(|(a, c1), (b, c2)| (merge(a, b), c1 + c2));
                let st = RuleStats {
                    name: self.rules[r],
                    records_with_key: order.len() as u64,
                    blocks: blocks.len() as u64,
                    largest_block: blocks
                        .iter()
                        .map(|&(s, e)| (e - s) as u64)
                        .max()
                        .unwrap_or(0),
                    capped_blocks: blocks.iter().filter(|&&(s, e)| e - s > max_block).count()
                        as u64,
                    pairs: res.as_ref().map_or(0, |x| x.1),
                };
                (res.map(|x| x.0), st)
            };
            if sample >= 1.0 {
                self.stats[r] = stats;
            }
            if let Some(p) = part {
                acc = Some(match acc {
                    Some(a) => merge(a, p),
                    None => p,
                });
            }
        }
        acc.unwrap_or_else(init)
    }

    /// Keys of a (new) record for every rule, for probing an index.
    pub fn record_keys(&self, ds: &Dataset, r: &Record) -> Vec<u64> {
        self.rules
            .iter()
            .map(|rule| key(rule, ds, &self.codes, r))
            .collect()
    }

    /// True when `key` of rule `r` names an oversized block.
    pub fn is_capped(&self, r: usize, key: u64) -> bool {
        self.capped[r].contains(&key)
    }

    /// Per-record keys of rule `r` (empty for the window rule).
    pub fn keys(&self, r: usize) -> &[u64] {
        &self.keys[r]
    }
}
