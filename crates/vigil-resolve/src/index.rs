//! Incremental matching: an [`Index`] keeps the trained model, the dictionaries and the blocking
//! keys resident, so one new record costs one probe per blocking rule plus scoring.

use crate::blocking::{Blocker, RULE_NAMES};
use crate::dataset::{normalise_row, Dataset, Slot};
use crate::model::Model;
use crate::pipeline::Resolution;
use crate::schema::{Config, FieldKind};
use crate::scoring::{Explanation, GenericReason, ScoreTables, Scorer};
use rustc_hash::FxHashMap;

/// A match of a probe record against an indexed record.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// Index of the record in the indexed dataset.
    pub record: u32,
    pub id: String,
    pub probability: f64,
    pub explanation: Explanation,
}

/// Largest number of records scored per probe (oversized blocks are truncated).
const MAX_PROBE: usize = 5000;

/// A trained, queryable index.
pub struct Index {
    ds: Dataset,
    model: Model,
    blocker: Blocker,
    tables: ScoreTables,
    postings: Vec<FxHashMap<u64, Vec<u32>>>,
    /// False for removed records (ids stay stable; removed records are never returned).
    live: Vec<bool>,
}

impl Index {
    /// Builds the index from a dataset and the resolution trained on it.
    pub fn new(ds: Dataset, resolution: Resolution) -> Index {
        let blocker = resolution.blocker;
        let postings = (0..blocker.rules.len())
            .map(|r| {
                let mut m: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
                for (i, &k) in blocker.keys(r).iter().enumerate() {
                    if k != 0 {
                        m.entry(k).or_default().push(i as u32);
                    }
                }
                m
            })
            .collect();
        let tables = ScoreTables::new(&ds);
        let live = vec![true; ds.len()];
        Index {
            ds,
            model: resolution.model,
            blocker,
            tables,
            postings,
            live,
        }
    }

    /// An empty index that scores with an already trained `model` (for example one trained on
    /// a reference population) and blocks with every key rule (the configured ones, if any):
    /// records arrive one by one through [`Index::insert`].
    pub fn with_model(mut config: Config, model: Model) -> Index {
        if config.blocking.rules.is_empty() {
            config.blocking.rules = RULE_NAMES
                .iter()
                // The window needs the whole sorted order; dob+surname_initial is a subset of dob.
                .filter(|r| **r != "sorted_name" && **r != "dob+surname_initial")
                .map(|r| (*r).to_string())
                .collect();
        }
        let ds = Dataset::new(config);
        let blocker = Blocker::plan(&ds, false, &|_| {});
        let postings = vec![FxHashMap::default(); blocker.rules.len()];
        let tables = ScoreTables::new(&ds);
        Index {
            ds,
            model,
            blocker,
            tables,
            postings,
            live: Vec::new(),
        }
    }

    /// The model the index scores with.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Replaces the model with `base` refined by labelled pairs of indexed records
    /// `(record, record, is_match)` (see [`Model::refine_with_labels`]; the calibration of
    /// `base` is kept, since a handful of labels cannot fit one). Starting from `base` every
    /// time means a label withdrawn since the last call no longer counts. Pairs naming an
    /// unknown or removed record are ignored; returns how many labels were used.
    pub fn retrain_with_labels(&mut self, base: &Model, labels: &[(u32, u32, bool)]) -> usize {
        let mut model = base.clone();
        let (mut matches, mut non_matches) = (
            crate::model::Histogram::default(),
            crate::model::Histogram::default(),
        );
        let mut used = 0;
        for &(i, j, is_match) in labels {
            let live = |x: u32| self.live.get(x as usize).copied().unwrap_or(false);
            if i == j || !live(i) || !live(j) {
                continue;
            }
            let p = crate::compare::compare(
                &self.ds,
                &model.active,
                &self.ds.records[i as usize],
                &self.ds.records[j as usize],
            );
            *(if is_match {
                &mut matches
            } else {
                &mut non_matches
            })
            .entry(p)
            .or_default() += 1;
            used += 1;
        }
        model.refine_with_labels(&matches, &non_matches);
        self.model = model;
        used
    }

    /// The blocking rules probed, in order.
    pub fn rules(&self) -> &[&'static str] {
        &self.blocker.rules
    }

    /// Removes a record: later queries never return it and its values stop counting.
    pub fn remove(&mut self, record: u32) {
        let i = record as usize;
        if !self.live.get(i).copied().unwrap_or(false) {
            return;
        }
        let rec = self.ds.records[i];
        let keys = self.blocker.record_keys(&self.ds, &rec);
        for (r, k) in keys.into_iter().enumerate() {
            if let Some(list) = self.postings.get_mut(r).and_then(|m| m.get_mut(&k)) {
                list.retain(|&x| x != record);
            }
        }
        self.ds.uncount(&rec);
        self.tables.count_address(&rec, -1);
        self.live[i] = false;
    }

    /// How many records currently hold a normalised value of `kind` given raw (0 when unknown).
    pub fn value_count(&self, kind: FieldKind, raw: &str) -> u32 {
        match self.slot_value(kind, raw) {
            Some((slot, Some(id))) => self.ds.count(slot, id),
            _ => 0,
        }
    }

    fn slot_value(&self, kind: FieldKind, raw: &str) -> Option<(Slot, Option<u32>)> {
        let slot = match kind {
            FieldKind::Phone => Slot::Phone,
            FieldKind::Email => Slot::Email,
            FieldKind::NationalId => Slot::NationalId,
            _ => return None,
        };
        let row = normalise_row(&self.ds.config, [(kind, raw)]);
        let v = &row.values[slot.idx()];
        if v.is_empty() {
            return None;
        }
        Some((slot, self.ds.lookup(slot, v)))
    }

    /// Declares a phone, e-mail or national-id value generic (`Some`) or not (`None`):
    /// agreement on it then carries no weight and explanations say why. Returns false when the
    /// kind cannot be generic or the value does not normalise.
    pub fn set_generic(&mut self, kind: FieldKind, raw: &str, why: Option<GenericReason>) -> bool {
        let Some((slot, _)) = self.slot_value(kind, raw) else {
            return false;
        };
        let row = normalise_row(&self.ds.config, [(kind, raw)]);
        let probe = self.ds.intern(&row, 0, false);
        self.tables.set_generic(slot, probe.get(slot), why);
        true
    }

    /// Number of indexed records.
    pub fn len(&self) -> usize {
        self.ds.len()
    }

    /// True when nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.ds.is_empty()
    }

    /// Matches one record (given as `(kind, raw value)` pairs) against the index and returns
    /// candidates with probability ≥ `min_probability`, best first, at most `limit`.
    /// New values are added to the dictionaries (not to the counts), hence `&mut self`.
    pub fn query<'a>(
        &mut self,
        fields: impl IntoIterator<Item = (FieldKind, &'a str)>,
        min_probability: f64,
        limit: usize,
    ) -> Vec<Candidate> {
        let row = normalise_row(&self.ds.config, fields);
        let probe = self.ds.intern(&row, 0, false);
        let keys = self.blocker.record_keys(&self.ds, &probe);
        let mut seen: rustc_hash::FxHashSet<u32> = rustc_hash::FxHashSet::default();
        for (r, k) in keys.iter().enumerate() {
            if *k == 0 {
                continue;
            }
            if let Some(list) = self.postings.get(r).and_then(|m| m.get(k)) {
                seen.extend(list.iter().rev().take(MAX_PROBE));
            }
        }
        let scorer = Scorer::new(&self.ds, &self.model, &self.tables);
        let mut out: Vec<Candidate> = seen
            .into_iter()
            .filter_map(|i| {
                let rec = &self.ds.records[i as usize];
                let (bits, _) = scorer.score(&probe, rec);
                let p = self.model.probability(bits);
                (p >= min_probability).then(|| Candidate {
                    record: i,
                    id: self.ds.ids[i as usize].clone(),
                    probability: p,
                    explanation: scorer.explain(&probe, rec),
                })
            })
            .collect();
        out.sort_by(|a, b| {
            b.probability
                .total_cmp(&a.probability)
                .then(a.record.cmp(&b.record))
        });
        out.truncate(limit);
        out
    }

    /// Adds a record so later queries find it; returns its index.
    pub fn insert<'a>(
        &mut self,
        id: &str,
        fields: impl IntoIterator<Item = (FieldKind, &'a str)>,
    ) -> u32 {
        let row = normalise_row(&self.ds.config, fields);
        let rec = self.ds.intern(&row, 0, true);
        let keys = self.blocker.record_keys(&self.ds, &rec);
        let idx = self.ds.records.len() as u32;
        self.ds.records.push(rec);
        self.ds.ids.push(id.to_string());
        self.live.push(true);
        self.tables.count_address(&rec, 1);
        for (r, k) in keys.into_iter().enumerate() {
            if k != 0 {
                if let Some(m) = self.postings.get_mut(r) {
                    m.entry(k).or_default().push(idx);
                }
            }
        }
        idx
    }
}
