//! Pair scoring with the trained model: pattern weights, term-frequency adjustment for names,
//! hub values that carry no weight, household negative evidence, and the per-field explanation.

use crate::compare::{
    compare, compare_concept, level_of, name_level, Concept, Pattern, CONCEPTS, DOB_YEARS_APART,
};
use crate::dataset::{Dataset, Record, Slot};
use crate::intern::NONE;
use crate::model::Model;
use rustc_hash::FxHashMap;

/// Bound on a term-frequency adjustment, in bits.
const TF_CAP_BITS: f64 = 4.0;

/// One line of an explanation.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldEvidence {
    /// Concept compared ("name", "date_of_birth", ...), or "prior", or an adjustment.
    pub field: &'static str,
    /// Level label or adjustment description.
    pub level: String,
    pub left: String,
    pub right: String,
    /// Contribution to the match weight, in bits (log2 odds).
    pub bits: f64,
}

/// Why a pair scored as it did. `total_bits` equals the sum of the evidence bits.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    pub evidence: Vec<FieldEvidence>,
    pub total_bits: f64,
    pub probability: f64,
}

impl Explanation {
    /// A multi-line, human-readable rendering.
    pub fn render(&self) -> String {
        let mut s = format!(
            "match probability {:.4} (weight {:+.2} bits)\n",
            self.probability, self.total_bits
        );
        for e in &self.evidence {
            s.push_str(&format!(
                "  {:<14} {:+7.2} bits  {}  [{} | {}]\n",
                e.field, e.bits, e.level, e.left, e.right
            ));
        }
        s
    }
}

/// Frequency tables a scorer needs, computed once per dataset.
#[derive(Clone, Debug)]
pub struct ScoreTables {
    /// Σ p² of value frequencies for given name and surname (expected chance agreement).
    sum_sq: [f64; 2],
    present: [f64; 2],
    address_counts: FxHashMap<(u32, u32, u32), u32>,
    hub: u32,
    /// Values declared generic by the caller (stoplist, shared by unrelated records), keyed by
    /// (slot index, value id): agreement on them carries no weight and the explanation says why.
    generic: FxHashMap<(usize, u32), GenericReason>,
}

/// Why a value is generic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GenericReason {
    /// Listed on a stoplist (hotline, hotel switchboard).
    Stoplist,
    /// Held by `records` records carrying `names` different surnames.
    SharedByUnrelated { records: u32, names: u32 },
}

impl ScoreTables {
    /// Computes the tables.
    pub fn new(ds: &Dataset) -> ScoreTables {
        let mut address_counts: FxHashMap<(u32, u32, u32), u32> = FxHashMap::default();
        for r in &ds.records {
            if let Some(k) = address_key(r) {
                *address_counts.entry(k).or_default() += 1;
            }
        }
        ScoreTables {
            sum_sq: [slot_sum_sq(ds, Slot::Given), slot_sum_sq(ds, Slot::Surname)],
            present: [
                ds.present[Slot::Given.idx()] as f64,
                ds.present[Slot::Surname.idx()] as f64,
            ],
            address_counts,
            hub: ds.config.hub_value_count,
            generic: FxHashMap::default(),
        }
    }

    /// Declares a value id of a slot generic (or, with `None`, no longer generic).
    pub fn set_generic(&mut self, slot: Slot, id: u32, why: Option<GenericReason>) {
        match why {
            Some(w) => {
                self.generic.insert((slot.idx(), id), w);
            }
            None => {
                self.generic.remove(&(slot.idx(), id));
            }
        }
    }

    /// Counts a record's address key (for records added after the tables were built).
    pub fn count_address(&mut self, r: &Record, delta: i32) {
        if let Some(k) = address_key(r) {
            let e = self.address_counts.entry(k).or_default();
            *e = e.saturating_add_signed(delta);
        }
    }
}

/// A weight adjustment beyond the pattern weights.
#[derive(Clone, Copy, Debug)]
enum Adjust {
    SurnameFrequency(u32),
    GivenFrequency(u32),
    Hub(usize, u32),
    Generic(usize, GenericReason),
    HubAddress(u32),
    Household,
}

impl Adjust {
    fn field(self) -> &'static str {
        match self {
            Adjust::SurnameFrequency(_) | Adjust::GivenFrequency(_) => "name",
            Adjust::Hub(c, _) | Adjust::Generic(c, _) => Concept::ALL[c].name(),
            Adjust::HubAddress(_) | Adjust::Household => "address",
        }
    }

    fn describe(self) -> String {
        match self {
            Adjust::SurnameFrequency(n) => format!("term frequency: surname held by {n} records"),
            Adjust::GivenFrequency(n) => format!("term frequency: given name held by {n} records"),
            Adjust::Hub(_, n) => format!("hub value shared by {n} records: agreement ignored"),
            Adjust::Generic(_, GenericReason::Stoplist) => {
                "generic value on the stoplist: agreement ignored".into()
            }
            Adjust::Generic(_, GenericReason::SharedByUnrelated { records, names }) => format!(
                "generic value shared by {records} records with {names} different surnames: agreement ignored"
            ),
            Adjust::HubAddress(n) => format!("hub address shared by {n} records: agreement ignored"),
            Adjust::Household => "household: same surname and address but different given name and birth years apart; address agreement discounted".into(),
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Adjustments {
    items: [(Adjust, f64); 6],
    len: usize,
}

impl Default for Adjustments {
    fn default() -> Self {
        Adjustments {
            items: [(Adjust::Household, 0.0); 6],
            len: 0,
        }
    }
}

impl Adjustments {
    fn push(&mut self, a: Adjust, bits: f64) {
        if self.len < self.items.len() {
            self.items[self.len] = (a, bits);
            self.len += 1;
        }
    }
}

/// Scores pairs against a dataset with a model.
pub struct Scorer<'a> {
    pub ds: &'a Dataset,
    pub model: &'a Model,
    t: &'a ScoreTables,
    /// Weight in bits per concept and level (0 for missing levels and inactive concepts).
    w: [[f64; 16]; CONCEPTS],
    prior: f64,
}

fn slot_sum_sq(ds: &Dataset, slot: Slot) -> f64 {
    let n = ds.present[slot.idx()] as f64;
    if n == 0.0 {
        return 0.0;
    }
    (0..ds.dict_len(slot) as u32)
        .map(|id| {
            let p = f64::from(ds.count(slot, id)) / n;
            p * p
        })
        .sum()
}

fn address_key(r: &Record) -> Option<(u32, u32, u32)> {
    let k = (
        r.get(Slot::Street),
        r.get(Slot::Number),
        r.get(Slot::Postcode),
    );
    (k.0 != NONE && (k.1 != NONE || k.2 != NONE)).then_some(k)
}

impl<'a> Scorer<'a> {
    /// A scorer over precomputed tables.
    pub fn new(ds: &'a Dataset, model: &'a Model, tables: &'a ScoreTables) -> Scorer<'a> {
        let mut w = [[0.0; 16]; CONCEPTS];
        for (c, row) in w.iter_mut().enumerate() {
            for (l, x) in row.iter_mut().enumerate() {
                *x = model.weight(c, l as u8);
            }
        }
        Scorer {
            ds,
            model,
            t: tables,
            w,
            prior: model.prior_bits(),
        }
    }

    /// The agreement pattern of a pair.
    pub fn pattern(&self, a: &Record, b: &Record) -> Pattern {
        compare(self.ds, &self.model.active, a, b)
    }

    fn tf_bits(&self, k: usize, slot: Slot, id: u32) -> f64 {
        let c = f64::from(self.ds.count(slot, id).max(1));
        if self.t.present[k] == 0.0 || self.t.sum_sq[k] == 0.0 {
            return 0.0;
        }
        (self.t.sum_sq[k] / (c / self.t.present[k]))
            .log2()
            .clamp(-TF_CAP_BITS, TF_CAP_BITS)
    }

    /// Adjustments beyond the pattern weight, without allocating.
    fn adjustments(&self, p: Pattern, a: &Record) -> Adjustments {
        let mut out = Adjustments::default();
        let nl = level_of(p, 0);
        // Term frequency: agreeing on a rare surname is stronger evidence than on a common one.
        if matches!(
            nl,
            name_level::EXACT
                | name_level::SURNAME_EXACT_GIVEN_CLOSE
                | name_level::SURNAME_EXACT_GIVEN_MISSING
                | name_level::SURNAME_EXACT_GIVEN_DIFFERENT
        ) {
            let id = a.get(Slot::Surname);
            let bits = self.tf_bits(1, Slot::Surname, id);
            if bits != 0.0 {
                out.push(
                    Adjust::SurnameFrequency(self.ds.count(Slot::Surname, id)),
                    bits,
                );
            }
        }
        if matches!(
            nl,
            name_level::EXACT
                | name_level::GIVEN_EXACT_SURNAME_CLOSE
                | name_level::GIVEN_EXACT_SURNAME_MISSING
        ) {
            let id = a.get(Slot::Given);
            let bits = self.tf_bits(0, Slot::Given, id);
            if bits != 0.0 {
                out.push(Adjust::GivenFrequency(self.ds.count(Slot::Given, id)), bits);
            }
        }
        // Hub values: agreement on a value shared by many records carries no weight.
        for (ci, slot) in [
            (3usize, Slot::Phone),
            (4, Slot::Email),
            (5, Slot::NationalId),
        ] {
            if level_of(p, ci) == 1 {
                let n = self.ds.count(slot, a.get(slot));
                if let Some(why) = self.t.generic.get(&(slot.idx(), a.get(slot))) {
                    out.push(Adjust::Generic(ci, *why), -self.w[ci][1]);
                } else if n > self.t.hub {
                    out.push(Adjust::Hub(ci, n), -self.w[ci][1]);
                }
            }
        }
        let al = level_of(p, 2);
        if (1..=3).contains(&al) {
            let w = self.w[2][usize::from(al)];
            if w > 0.0 {
                let n = address_key(a)
                    .and_then(|k| self.t.address_counts.get(&k).copied())
                    .unwrap_or(0);
                if n > self.t.hub {
                    out.push(Adjust::HubAddress(n), -w);
                } else if nl == name_level::SURNAME_EXACT_GIVEN_DIFFERENT
                    && DOB_YEARS_APART.contains(&level_of(p, 1))
                {
                    // Household: same surname and address, different given name, births years apart.
                    out.push(Adjust::Household, -w);
                }
            }
        }
        out
    }

    /// Total weight in bits and the pattern.
    pub fn score(&self, a: &Record, b: &Record) -> (f64, Pattern) {
        let p = self.pattern(a, b);
        (self.score_pattern(p, a, b), p)
    }

    /// Total weight in bits of a known pattern.
    pub fn score_pattern(&self, p: Pattern, a: &Record, _b: &Record) -> f64 {
        let mut bits = self.prior;
        for c in 0..CONCEPTS {
            bits += self.w[c][usize::from(level_of(p, c))];
        }
        let adj = self.adjustments(p, a);
        bits + adj.items[..adj.len].iter().map(|x| x.1).sum::<f64>()
    }

    /// Calibrated probability of a weight.
    pub fn probability(&self, bits: f64) -> f64 {
        self.model.probability(bits)
    }

    /// The per-field explanation of a pair.
    pub fn explain(&self, a: &Record, b: &Record) -> Explanation {
        let p = self.pattern(a, b);
        let mut evidence = vec![FieldEvidence {
            field: "prior",
            level: format!(
                "share of matches among candidate pairs {:.4}",
                self.model.lambda
            ),
            left: String::new(),
            right: String::new(),
            bits: self.model.prior_bits(),
        }];
        for (ci, c) in Concept::ALL.iter().enumerate() {
            if !self.model.active[ci] {
                continue;
            }
            let l = compare_concept(self.ds, *c, a, b);
            let (left, right) = (self.display(*c, a), self.display(*c, b));
            evidence.push(FieldEvidence {
                field: c.name(),
                level: c
                    .levels()
                    .get(usize::from(l))
                    .copied()
                    .unwrap_or("?")
                    .to_string(),
                left,
                right,
                bits: self.model.weight(ci, l),
            });
        }
        let adj = self.adjustments(p, a);
        for &(what, bits) in &adj.items[..adj.len] {
            evidence.push(FieldEvidence {
                field: what.field(),
                level: what.describe(),
                left: String::new(),
                right: String::new(),
                bits,
            });
        }
        let total_bits = evidence.iter().map(|e| e.bits).sum();
        Explanation {
            evidence,
            total_bits,
            probability: self.model.probability(total_bits),
        }
    }

    fn display(&self, c: Concept, r: &Record) -> String {
        let v = |s: Slot| self.ds.value(s, r.get(s)).to_string();
        match c {
            Concept::Name => format!("{} {}", v(Slot::Given), v(Slot::Surname))
                .trim()
                .to_string(),
            Concept::DateOfBirth => {
                if r.dob.is_empty() {
                    String::new()
                } else {
                    r.dob.key()
                }
            }
            Concept::Address => [Slot::Number, Slot::Street, Slot::Locality, Slot::Postcode]
                .iter()
                .map(|&s| v(s))
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", "),
            Concept::Phone => v(Slot::Phone),
            Concept::Email => v(Slot::Email),
            Concept::NationalId => v(Slot::NationalId),
            Concept::OtherText => v(Slot::Other),
        }
    }
}

/// Mutual information (bits) between "agrees" indicators of each pair of concepts among likely
/// matches, from a histogram: high values flag correlated evidence that the independence
/// assumption double-counts.
pub fn dependence_report(
    model: &Model,
    h: &crate::model::Histogram,
) -> Vec<(&'static str, &'static str, f64)> {
    let mut out = Vec::new();
    for c1 in 0..CONCEPTS {
        for c2 in c1 + 1..CONCEPTS {
            if !model.active[c1] || !model.active[c2] {
                continue;
            }
            let mut joint = [[0.0f64; 2]; 2];
            for (&p, &n) in h {
                let (l1, l2) = (level_of(p, c1), level_of(p, c2));
                if l1 == 0 || l2 == 0 {
                    continue;
                }
                let g = 1.0 / (1.0 + (-model.pattern_bits(p)).exp2());
                joint[usize::from(l1 == 1)][usize::from(l2 == 1)] += g * n as f64;
            }
            let total: f64 = joint.iter().flatten().sum();
            if total <= 0.0 {
                continue;
            }
            let mut mi = 0.0;
            for x in 0..2 {
                for y in 0..2 {
                    let pxy = joint[x][y] / total;
                    let px = (joint[x][0] + joint[x][1]) / total;
                    let py = (joint[0][y] + joint[1][y]) / total;
                    if pxy > 0.0 {
                        mi += pxy * (pxy / (px * py)).log2();
                    }
                }
            }
            out.push((Concept::ALL[c1].name(), Concept::ALL[c2].name(), mi));
        }
    }
    out.sort_by(|a, b| b.2.total_cmp(&a.2));
    out
}
