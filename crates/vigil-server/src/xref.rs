//! The cross-referencing service: one resident `vigil_resolve::Index` over every person in the
//! store (rebuilt from the store on first use, then kept current as entities and links change, so
//! a new record is one probe per blocking rule plus scoring), person records built from a Person
//! entity and the phones, e-mails and addresses linked to it, generic-value detection, and the
//! pure judgement rule (a later judgement supersedes; `undo` withdraws the one before it).
//!
//! Need-to-know is not decided here: the index holds every person, and handlers show a candidate
//! only through `vigil_core::xref_view`.

use crate::wire::{XrefEvidence, XrefExplanation, XrefGeneric};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, OnceLock};
use tokio::sync::{Mutex, OwnedMutexGuard};
use vigil_core::entity::Schema;
use vigil_resolve::contact::{normalise_email, normalise_phone};
use vigil_resolve::model::Model;
use vigil_resolve::names::{normalise_part, split_full_name};
use vigil_resolve::scoring::GenericReason;
use vigil_resolve::{Config, Explanation, FieldKind, Index};
use vigil_store::content::{Entity, Link};
use vigil_store::xref::{self as store_xref, Candidate};
use vigil_store::{Store, StoreError, WriteCtx};
use vigil_types::{CandidateId, CaseId, EntityId, Timestamp};

/// Candidates at or above this match probability enter the review queue.
pub const REVIEW_THRESHOLD: f64 = 0.5;
/// At most this many candidates are kept per probe (best first).
pub const TOP_K: usize = 20;
/// A phone or e-mail held by at least this many persons …
const UNRELATED_RECORDS: usize = 4;
/// … carrying at least this many different surnames is generic.
const UNRELATED_NAMES: usize = 3;
/// Size and seed of the synthetic reference population the model is trained on.
const REFERENCE_PEOPLE: u64 = 4_000;
const REFERENCE_SEED: u64 = 20_261_122;
/// Country calling code for numbers written without one.
const DEFAULT_CC: &str = "1";

/// Kinds of value that can be generic (and stoplisted), as the API spells them.
pub const GENERIC_KINDS: &[&str] = &["phone", "email"];

fn kind_of(name: &str) -> Option<FieldKind> {
    match name {
        "phone" => Some(FieldKind::Phone),
        "email" => Some(FieldKind::Email),
        _ => None,
    }
}

/// Normalises a stoplist value of `kind` (`None` when it is not a valid value of that kind).
#[must_use]
pub fn normalise_generic(kind: &str, raw: &str) -> Option<String> {
    match kind {
        "phone" => normalise_phone(raw, DEFAULT_CC),
        "email" => normalise_email(raw),
        _ => None,
    }
}

/// The Fellegi-Sunter model the store index scores with: m/u estimated by EM on a seeded
/// synthetic population (`vigil-synth` people: households, moves, typos, hub phones), refined
/// with that population's ground truth so probabilities are calibrated. Trained once per process.
pub fn reference_model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| {
        let cfg = vigil_synth::people::PeopleConfig {
            count: REFERENCE_PEOPLE,
            seed: REFERENCE_SEED,
        };
        let fallback = || {
            Model::initial(
                [true; vigil_resolve::compare::CONCEPTS],
                vigil_resolve::model::level_distribution(&Default::default()),
            )
        };
        let mut csv = Vec::new();
        let mut truth = Vec::new();
        if vigil_synth::people::write_people(&cfg, &mut csv, &mut truth).is_err() {
            return fallback();
        }
        let mut ds = vigil_resolve::Dataset::new(Config::default());
        if ds.add_csv(&csv[..], "reference").is_err() {
            return fallback();
        }
        let truth_of: HashMap<String, String> = String::from_utf8_lossy(&truth)
            .lines()
            .skip(1)
            .filter_map(|l| l.split_once(','))
            .map(|(r, e)| (r.to_string(), e.to_string()))
            .collect();
        let mut res = vigil_resolve::pipeline::resolve(&ds, false, &|_| {});
        let labels: Vec<(u32, u32, bool)> = res
            .edges
            .iter()
            .map(|e| {
                let same =
                    truth_of.get(&ds.ids[e.a as usize]) == truth_of.get(&ds.ids[e.b as usize]);
                (e.a, e.b, same)
            })
            .collect();
        vigil_resolve::apply_labels(&ds, &mut res, &labels);
        res.model
    })
}

/// What the matcher knows about one person entity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonRecord {
    pub entity: EntityId,
    pub case: CaseId,
    pub given: String,
    pub surname: String,
    pub full_name: String,
    pub birth_date: String,
    pub id_number: String,
    /// Normalised phones and e-mails, own properties first, then linked entities.
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub street: String,
    pub city: String,
    pub postcode: String,
    pub region: String,
}

impl PersonRecord {
    /// The normalised surname used to tell unrelated holders of a value apart.
    fn surname_key(&self) -> String {
        if self.surname.is_empty() {
            split_full_name(&self.full_name).surname
        } else {
            normalise_part(&self.surname)
        }
    }
}

fn first(e: &Entity, prop: &str) -> String {
    e.properties
        .get(prop)
        .and_then(|v| v.first())
        .cloned()
        .unwrap_or_default()
}

fn all(e: &Entity, prop: &str) -> Vec<String> {
    e.properties.get(prop).cloned().unwrap_or_default()
}

fn push_unique(v: &mut Vec<String>, x: Option<String>) {
    if let Some(x) = x {
        if !v.contains(&x) {
            v.push(x);
        }
    }
}

/// Builds the records of `persons` from their entities and the same-case entities linked to
/// them (phones, e-mails, the first address). Non-person ids are ignored.
#[must_use]
pub fn person_records(
    persons: &[EntityId],
    entities: &[Entity],
    links: &[Link],
) -> Vec<PersonRecord> {
    let by_id: HashMap<EntityId, &Entity> = entities.iter().map(|e| (e.id, e)).collect();
    let mut out = Vec::new();
    for pid in persons {
        let Some(p) = by_id.get(pid).filter(|e| e.schema == Schema::Person) else {
            continue;
        };
        let mut r = PersonRecord {
            entity: p.id,
            case: p.case_id,
            given: first(p, "firstName"),
            surname: first(p, "lastName"),
            full_name: first(p, "name"),
            birth_date: first(p, "birthDate"),
            id_number: first(p, "idNumber"),
            phones: Vec::new(),
            emails: Vec::new(),
            street: String::new(),
            city: String::new(),
            postcode: String::new(),
            region: String::new(),
        };
        for ph in all(p, "phone") {
            push_unique(&mut r.phones, normalise_phone(&ph, DEFAULT_CC));
        }
        for em in all(p, "email") {
            push_unique(&mut r.emails, normalise_email(&em));
        }
        let mut linked: Vec<&Link> = links
            .iter()
            .filter(|l| l.case_id == p.case_id && (l.source_id == p.id || l.target_id == p.id))
            .collect();
        linked.sort_by_key(|l| (l.created_at, l.id));
        for l in linked {
            let other = if l.source_id == p.id {
                l.target_id
            } else {
                l.source_id
            };
            let Some(o) = by_id.get(&other) else { continue };
            match o.schema {
                Schema::Phone => {
                    for n in all(o, "number") {
                        push_unique(&mut r.phones, normalise_phone(&n, DEFAULT_CC));
                    }
                }
                Schema::Email => {
                    for a in all(o, "address") {
                        push_unique(&mut r.emails, normalise_email(&a));
                    }
                }
                Schema::Address if r.street.is_empty() && r.city.is_empty() => {
                    r.street = first(o, "street");
                    if r.street.is_empty() {
                        r.street = first(o, "full");
                    }
                    r.city = first(o, "city");
                    r.postcode = first(o, "postalCode");
                    r.region = first(o, "region");
                }
                _ => {}
            }
        }
        out.push(r);
    }
    out
}

/// A candidate the index found for a probe.
#[derive(Clone, Debug)]
pub struct Found {
    pub entity: EntityId,
    pub case: CaseId,
    pub probability: f64,
    pub explanation: XrefExplanation,
}

type ValueKey = (&'static str, String);

/// The index and what it needs to stay current.
pub struct Matcher {
    index: Index,
    by_entity: HashMap<EntityId, u32>,
    owners: Vec<(EntityId, CaseId)>,
    current: HashMap<EntityId, PersonRecord>,
    /// (kind, normalised value) → holders → their surname key.
    holders: HashMap<ValueKey, BTreeMap<EntityId, String>>,
    stoplist: HashSet<ValueKey>,
    generic: HashMap<ValueKey, GenericReason>,
}

fn explanation_out(e: &Explanation, probe_is_left: bool) -> XrefExplanation {
    let evidence: Vec<XrefEvidence> = e
        .evidence
        .iter()
        .map(|f| {
            let (left, right) = if probe_is_left {
                (f.left.clone(), f.right.clone())
            } else {
                (f.right.clone(), f.left.clone())
            };
            XrefEvidence {
                field: f.field.to_string(),
                level: f.level.clone(),
                left,
                right,
                bits: (f.bits * 1000.0).round() / 1000.0,
            }
        })
        .collect();
    let generic = evidence
        .iter()
        .filter(|f| f.level.starts_with("generic value") || f.level.starts_with("hub value"))
        .map(|f| XrefGeneric {
            field: f.field.clone(),
            reason: f.level.clone(),
        })
        .collect();
    XrefExplanation {
        probability: e.probability,
        total_bits: (e.total_bits * 1000.0).round() / 1000.0,
        evidence,
        generic,
    }
}

impl Matcher {
    /// An empty matcher over the reference model.
    #[must_use]
    pub fn empty() -> Matcher {
        let config = Config {
            default_country_code: DEFAULT_CC.into(),
            ..Config::default()
        };
        Matcher {
            index: Index::with_model(config, reference_model().clone()),
            by_entity: HashMap::new(),
            owners: Vec::new(),
            current: HashMap::new(),
            holders: HashMap::new(),
            stoplist: HashSet::new(),
            generic: HashMap::new(),
        }
    }

    /// Rebuilds from the store: every person with its linked entities, and the stoplist.
    pub async fn build(store: &Store) -> Result<Matcher, StoreError> {
        let (entities, links) = store.xref_sources().await?;
        let stop = store.xref_stoplist().await?;
        let mut m = Matcher::empty();
        for s in stop {
            m.add_stop(&s.kind, &s.value);
        }
        let persons: Vec<EntityId> = entities
            .iter()
            .filter(|e| e.schema == Schema::Person)
            .map(|e| e.id)
            .collect();
        let records = person_records(&persons, &entities, &links);
        // Holders first, so generic values are known before any phone is chosen.
        for r in &records {
            m.hold(r, true);
        }
        let keys: Vec<ValueKey> = m.holders.keys().cloned().collect();
        for k in keys {
            m.refresh_generic(&k);
        }
        for r in records {
            m.insert_into_index(r);
        }
        m.retrain_from_store(store).await?;
        Ok(m)
    }

    /// Retrains the model: the reference model refined with the human judgements in force
    /// (`same` and `different`; see [`labels_from`]) on pairs of indexed persons. Starting from
    /// the reference model each time, a judgement that was undone or superseded stops counting.
    /// Returns how many labels were used.
    pub fn retrain(&mut self, labels: &[(EntityId, EntityId, bool)]) -> usize {
        let pairs: Vec<(u32, u32, bool)> = labels
            .iter()
            .filter_map(|(a, b, same)| {
                Some((*self.by_entity.get(a)?, *self.by_entity.get(b)?, *same))
            })
            .collect();
        self.index.retrain_with_labels(reference_model(), &pairs)
    }

    /// [`Matcher::retrain`] with the judgements currently in the store.
    pub async fn retrain_from_store(&mut self, store: &Store) -> Result<usize, StoreError> {
        let candidates = store.xref_judged_candidates().await?;
        let judgements = store.xref_all_judgements().await?;
        Ok(self.retrain(&labels_from(&candidates, &judgements)))
    }

    /// The model candidates are scored with.
    #[must_use]
    pub fn model(&self) -> &Model {
        self.index.model()
    }

    /// Number of indexed persons.
    #[must_use]
    pub fn len(&self) -> usize {
        self.current.len()
    }

    /// True when no person is indexed.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.current.is_empty()
    }

    /// Adds a stoplisted value (already normalised) and re-marks it.
    pub fn add_stop(&mut self, kind: &str, value: &str) {
        let Some(k) = GENERIC_KINDS.iter().find(|x| **x == kind) else {
            return;
        };
        let key = (*k, value.to_string());
        self.stoplist.insert(key.clone());
        self.refresh_generic(&key);
    }

    /// Why a value is generic, if it is.
    #[must_use]
    pub fn generic_reason(&self, kind: &'static str, value: &str) -> Option<GenericReason> {
        self.generic.get(&(kind, value.to_string())).copied()
    }

    fn value_keys(r: &PersonRecord) -> Vec<ValueKey> {
        r.phones
            .iter()
            .map(|p| ("phone", p.clone()))
            .chain(r.emails.iter().map(|e| ("email", e.clone())))
            .collect()
    }

    fn hold(&mut self, r: &PersonRecord, add: bool) {
        let sk = r.surname_key();
        for k in Self::value_keys(r) {
            let h = self.holders.entry(k).or_default();
            if add {
                h.insert(r.entity, sk.clone());
            } else {
                h.remove(&r.entity);
            }
        }
    }

    fn refresh_generic(&mut self, key: &ValueKey) {
        let why = if self.stoplist.contains(key) {
            Some(GenericReason::Stoplist)
        } else {
            self.holders.get(key).and_then(|h| {
                let names: HashSet<&String> = h.values().filter(|s| !s.is_empty()).collect();
                (h.len() >= UNRELATED_RECORDS && names.len() >= UNRELATED_NAMES).then(|| {
                    GenericReason::SharedByUnrelated {
                        records: u32::try_from(h.len()).unwrap_or(u32::MAX),
                        names: u32::try_from(names.len()).unwrap_or(u32::MAX),
                    }
                })
            })
        };
        match why {
            Some(w) => {
                self.generic.insert(key.clone(), w);
            }
            None => {
                self.generic.remove(key);
            }
        }
        if let Some(kind) = kind_of(key.0) {
            self.index.set_generic(kind, &key.1, why);
        }
    }

    /// The fields the index compares: the first phone and e-mail that are not generic (a
    /// record holds one of each), else the first.
    fn fields(&self, r: &PersonRecord) -> Vec<(FieldKind, String)> {
        let pick = |kind: &'static str, vals: &[String]| {
            vals.iter()
                .find(|v| !self.generic.contains_key(&(kind, (*v).clone())))
                .or_else(|| vals.first())
                .cloned()
        };
        let mut f = vec![
            (FieldKind::GivenName, r.given.clone()),
            (FieldKind::Surname, r.surname.clone()),
            (FieldKind::DateOfBirth, r.birth_date.clone()),
            (FieldKind::NationalId, r.id_number.clone()),
            (FieldKind::Street, r.street.clone()),
            (FieldKind::Locality, r.city.clone()),
            (FieldKind::Postcode, r.postcode.clone()),
            (FieldKind::Region, r.region.clone()),
        ];
        if r.given.is_empty() && r.surname.is_empty() {
            f.push((FieldKind::FullName, r.full_name.clone()));
        }
        if let Some(p) = pick("phone", &r.phones) {
            f.push((FieldKind::Phone, p));
        }
        if let Some(e) = pick("email", &r.emails) {
            f.push((FieldKind::Email, e));
        }
        f.retain(|(_, v)| !v.trim().is_empty());
        f
    }

    fn insert_into_index(&mut self, r: PersonRecord) {
        if let Some(old) = self.by_entity.remove(&r.entity) {
            self.index.remove(old);
        }
        let fields = self.fields(&r);
        let idx = self.index.insert(
            &r.entity.to_string(),
            fields.iter().map(|(k, v)| (*k, v.as_str())),
        );
        let i = idx as usize;
        if self.owners.len() <= i {
            self.owners.resize(i + 1, (r.entity, r.case));
        }
        self.owners[i] = (r.entity, r.case);
        self.by_entity.insert(r.entity, idx);
        self.current.insert(r.entity, r);
    }

    /// Makes `r` the current version of its entity (after the change committed).
    pub fn apply(&mut self, r: PersonRecord) {
        if let Some(old) = self.current.get(&r.entity).cloned() {
            self.hold(&old, false);
            for k in Self::value_keys(&old) {
                self.refresh_generic(&k);
            }
        }
        self.hold(&r, true);
        for k in Self::value_keys(&r) {
            self.refresh_generic(&k);
        }
        self.insert_into_index(r);
    }

    /// The indexed persons of a case.
    #[must_use]
    pub fn records_of_case(&self, case: CaseId) -> Vec<PersonRecord> {
        let mut v: Vec<PersonRecord> = self
            .current
            .values()
            .filter(|r| r.case == case)
            .cloned()
            .collect();
        v.sort_by_key(|r| r.entity);
        v
    }

    /// Candidates for raw fields (an imported row): best first, at most `TOP_K`.
    pub fn query_fields(&mut self, fields: &[(FieldKind, String)]) -> Vec<Found> {
        let hits = self.index.query(
            fields.iter().map(|(k, v)| (*k, v.as_str())),
            REVIEW_THRESHOLD,
            TOP_K,
        );
        hits.into_iter()
            .filter_map(|c| {
                let (entity, case) = *self.owners.get(c.record as usize)?;
                Some(Found {
                    entity,
                    case,
                    probability: c.probability,
                    explanation: explanation_out(&c.explanation, true),
                })
            })
            .collect()
    }

    /// Candidates for a person record (never itself), best first.
    pub fn query(&mut self, r: &PersonRecord) -> Vec<Found> {
        let fields = self.fields(r);
        let mut out = self.query_fields_plus_one(&fields);
        out.retain(|f| f.entity != r.entity);
        out.truncate(TOP_K);
        out
    }

    fn query_fields_plus_one(&mut self, fields: &[(FieldKind, String)]) -> Vec<Found> {
        let hits = self.index.query(
            fields.iter().map(|(k, v)| (*k, v.as_str())),
            REVIEW_THRESHOLD,
            TOP_K + 1,
        );
        hits.into_iter()
            .filter_map(|c| {
                let (entity, case) = *self.owners.get(c.record as usize)?;
                Some(Found {
                    entity,
                    case,
                    probability: c.probability,
                    explanation: explanation_out(&c.explanation, true),
                })
            })
            .collect()
    }
}

/// A candidate row for a pair, oriented so `entity_a` < `entity_b` (explanation sides follow).
#[must_use]
pub fn candidate_row(probe: &PersonRecord, f: &Found, found_by: &str, now: Timestamp) -> Candidate {
    let probe_first = probe.entity.to_string() < f.entity.to_string();
    let mut explanation = f.explanation.clone();
    if !probe_first {
        for e in &mut explanation.evidence {
            std::mem::swap(&mut e.left, &mut e.right);
        }
    }
    let (ea, ca, eb, cb) = if probe_first {
        (probe.entity, probe.case, f.entity, f.case)
    } else {
        (f.entity, f.case, probe.entity, probe.case)
    };
    Candidate {
        id: CandidateId::new_random(),
        entity_a: ea,
        case_a: ca,
        entity_b: eb,
        case_b: cb,
        score_ppm: (f.probability.clamp(0.0, 1.0) * 1_000_000.0).round() as i64,
        explanation: serde_json::to_string(&explanation).unwrap_or_else(|_| "{}".into()),
        generic: !explanation.generic.is_empty(),
        found_by: found_by.into(),
        created_at: now,
        updated_at: now,
    }
}

/// The service handle kept in `AppState`: the matcher behind one lock, built on first use.
#[derive(Clone, Default)]
pub struct Xref {
    inner: Arc<Mutex<Option<Matcher>>>,
}

/// The locked matcher. Hold it across a write job so matching and committing are not raced.
pub struct Locked(OwnedMutexGuard<Option<Matcher>>);

impl Locked {
    /// The matcher (always present once locked through [`Xref::lock`]).
    pub fn matcher(&mut self) -> &mut Matcher {
        self.0.get_or_insert_with(Matcher::empty)
    }
}

impl Xref {
    /// Locks the matcher, building it from the store first if needed.
    pub async fn lock(&self, store: &Store) -> Result<Locked, StoreError> {
        let mut g = self.inner.clone().lock_owned().await;
        if g.is_none() {
            *g = Some(Matcher::build(store).await?);
        }
        Ok(Locked(g))
    }

    /// After a judgement changed: retrains the resident matcher with the judgements in force
    /// (a matcher not built yet trains with them when it is built).
    pub async fn retrain(&self, store: &Store) -> Result<(), StoreError> {
        let mut g = self.inner.lock().await;
        if let Some(m) = g.as_mut() {
            m.retrain_from_store(store).await?;
        }
        Ok(())
    }

    /// Drops the matcher; the next use rebuilds it from the store.
    pub async fn reset(&self) {
        *self.inner.lock().await = None;
    }
}

/// Inside a write job: matches the persons affected by a change to `ids` (reading the job's own
/// uncommitted rows) and records their candidates. Returns the records to [`Matcher::apply`]
/// after the job committed.
pub async fn stage(
    m: &mut Matcher,
    ctx: &mut WriteCtx,
    ids: &[EntityId],
    found_by: &str,
) -> Result<Vec<PersonRecord>, StoreError> {
    let (persons, entities, links) = store_xref::person_neighbourhood(ctx.conn(), ids).await?;
    let records = person_records(&persons, &entities, &links);
    let now = ctx.now();
    for r in &records {
        for f in m.query(r) {
            store_xref::upsert_candidate(ctx, &candidate_row(r, &f, found_by, now)).await?;
        }
    }
    Ok(records)
}

/// Matches every person in the store against all others and records the candidates in one job
/// with `event` as its audit record (for seeding and host operations). Returns how many pairs.
pub async fn match_all(store: &Store, event: vigil_store::AuditDraft) -> Result<usize, StoreError> {
    let mut m = Matcher::build(store).await?;
    let now = store.clock().now();
    let mut records: Vec<PersonRecord> = m.current.values().cloned().collect();
    records.sort_by_key(|r| r.entity);
    let mut seen = HashSet::new();
    let mut rows = Vec::new();
    for r in &records {
        for f in m.query(r) {
            let c = candidate_row(r, &f, "seed", now);
            if seen.insert((c.entity_a, c.entity_b)) {
                rows.push(c);
            }
        }
    }
    let n = rows.len();
    store
        .write_audited(event, move |mut ctx| async move {
            let r = async {
                for c in &rows {
                    store_xref::upsert_candidate(&mut ctx, c).await?;
                }
                Ok(())
            }
            .await;
            (ctx, r)
        })
        .await?;
    Ok(n)
}

/// A person record from a synthetic `vigil synth people` row (benchmarks).
#[must_use]
pub fn synthetic_record(p: &vigil_synth::people::PersonRecord, case: CaseId) -> PersonRecord {
    PersonRecord {
        entity: EntityId::new_random(),
        case,
        given: p.given_name.clone(),
        surname: p.surname.clone(),
        full_name: String::new(),
        birth_date: p.date_of_birth.clone(),
        id_number: p.soc_sec_id.clone(),
        phones: normalise_phone(&p.phone, DEFAULT_CC).into_iter().collect(),
        emails: normalise_email(&p.email).into_iter().collect(),
        street: format!("{} {}", p.street_number, p.address_1)
            .trim()
            .to_string(),
        city: p.suburb.clone(),
        postcode: p.postcode.clone(),
        region: p.state.clone(),
    }
}

/// A judgement decision as the API spells it.
pub const DECISIONS: &[&str] = &["same", "different", "unsure"];

/// The judgement in force after a history (oldest first): each decision supersedes the one
/// before; `undo` withdraws the latest one still in force. `None`: not judged (in the queue).
#[must_use]
pub fn effective<'a>(history: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut stack: Vec<&str> = Vec::new();
    for d in history {
        if d == "undo" {
            stack.pop();
        } else {
            stack.push(d);
        }
    }
    stack.last().copied()
}

/// Training labels from the judgement histories: `(entity_a, entity_b, same)` for every
/// candidate whose judgement in force ([`effective`]) is `same` (true) or `different` (false).
/// `unsure`, undone and never-judged candidates give no label.
#[must_use]
pub fn labels_from(
    candidates: &[Candidate],
    judgements: &[store_xref::Judgement],
) -> Vec<(EntityId, EntityId, bool)> {
    let mut history: HashMap<CandidateId, Vec<(i64, &str)>> = HashMap::new();
    for j in judgements {
        history
            .entry(j.candidate_id)
            .or_default()
            .push((j.seq, j.decision.as_str()));
    }
    candidates
        .iter()
        .filter_map(|c| {
            let mut h = history.get(&c.id)?.clone();
            h.sort_by_key(|x| x.0);
            match effective(h.iter().map(|x| x.1))? {
                "same" => Some((c.entity_a, c.entity_b, true)),
                "different" => Some((c.entity_a, c.entity_b, false)),
                _ => None,
            }
        })
        .collect()
}

/// Same-as clusters: connected components of the pairs whose judgement in force is `same`
/// (union-find over entity ids). Every entity keeps its own record; a cluster is only this
/// grouping, undone by undoing the judgement.
#[must_use]
pub fn same_as_clusters(pairs: &[(EntityId, EntityId)]) -> Vec<Vec<EntityId>> {
    let mut parent: HashMap<EntityId, EntityId> = HashMap::new();
    fn find(p: &mut HashMap<EntityId, EntityId>, x: EntityId) -> EntityId {
        let mut r = x;
        while let Some(&n) = p.get(&r) {
            if n == r {
                break;
            }
            r = n;
        }
        p.insert(x, r);
        r
    }
    for &(a, b) in pairs {
        parent.entry(a).or_insert(a);
        parent.entry(b).or_insert(b);
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            parent.insert(hi, lo);
        }
    }
    let keys: Vec<EntityId> = parent.keys().copied().collect();
    let mut groups: BTreeMap<EntityId, Vec<EntityId>> = BTreeMap::new();
    for k in keys {
        let r = find(&mut parent, k);
        groups.entry(r).or_default().push(k);
    }
    groups
        .into_values()
        .map(|mut v| {
            v.sort();
            v
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn later_judgement_supersedes_and_undo_restores() {
        assert_eq!(effective([]), None);
        assert_eq!(effective(["same"]), Some("same"));
        assert_eq!(effective(["same", "different"]), Some("different"));
        assert_eq!(effective(["same", "different", "undo"]), Some("same"));
        assert_eq!(effective(["same", "undo"]), None);
        assert_eq!(effective(["undo", "unsure"]), Some("unsure"));
    }

    proptest! {
        /// Judging then undoing always leaves the judgement in force unchanged.
        #[test]
        fn undo_reverses_any_judgement(hist in proptest::collection::vec(0usize..4, 0..20), d in 0usize..3) {
            let all = ["same", "different", "unsure", "undo"];
            let h: Vec<&str> = hist.iter().map(|&i| all[i]).collect();
            let before = effective(h.iter().copied());
            let mut after = h.clone();
            after.push(DECISIONS[d]);
            prop_assert_eq!(effective(after.iter().copied()), Some(DECISIONS[d]));
            after.push("undo");
            prop_assert_eq!(effective(after.iter().copied()), before);
        }

        /// Clusters partition the entities named by the pairs; both ends of a pair share one.
        #[test]
        fn clusters_partition(pairs in proptest::collection::vec((0u128..12, 0u128..12), 0..20)) {
            let ids: Vec<(EntityId, EntityId)> = pairs.iter().map(|&(a, b)| (EntityId::from_u128(a), EntityId::from_u128(b))).collect();
            let cl = same_as_clusters(&ids);
            let mut seen = HashSet::new();
            for c in &cl { for e in c { prop_assert!(seen.insert(*e)); } }
            for (a, b) in &ids {
                prop_assert!(cl.iter().any(|c| c.contains(a) && c.contains(b)));
            }
        }
    }

    fn entity(case: CaseId, schema: Schema, props: &[(&str, &str)]) -> Entity {
        let now = Timestamp::from_unix_micros(0);
        Entity {
            id: EntityId::new_random(),
            case_id: case,
            schema,
            caption: String::new(),
            properties: props
                .iter()
                .map(|(k, v)| ((*k).to_string(), vec![(*v).to_string()]))
                .collect(),
            created_by: vigil_types::UserId::new_random(),
            created_at: now,
            updated_at: now,
        }
    }

    fn link(case: CaseId, a: EntityId, b: EntityId) -> Link {
        Link {
            id: vigil_types::LinkId::new_random(),
            case_id: case,
            source_id: a,
            target_id: b,
            link_type: vigil_core::entity::LinkType::Associate,
            description: None,
            created_by: vigil_types::UserId::new_random(),
            created_at: Timestamp::from_unix_micros(0),
        }
    }

    #[test]
    fn records_take_linked_phones_and_addresses() {
        let c = CaseId::new_random();
        let p = entity(
            c,
            Schema::Person,
            &[("firstName", "Jon"), ("lastName", "Smyth")],
        );
        let ph = entity(c, Schema::Phone, &[("number", "480-555-0142")]);
        let ad = entity(
            c,
            Schema::Address,
            &[("street", "12 Saguaro Ave"), ("city", "Mesa Verde")],
        );
        let other_case = entity(
            CaseId::new_random(),
            Schema::Phone,
            &[("number", "480-555-0199")],
        );
        let links = [
            link(c, p.id, ph.id),
            link(c, ad.id, p.id),
            link(other_case.case_id, p.id, other_case.id),
        ];
        let r = person_records(&[p.id, ph.id], &[p.clone(), ph, ad, other_case], &links);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].phones, vec!["+14805550142".to_string()]);
        assert_eq!(r[0].city, "Mesa Verde");
        assert_eq!(r[0].surname_key(), "smyth");
    }

    fn rec(case: CaseId, given: &str, surname: &str, dob: &str, phone: &str) -> PersonRecord {
        PersonRecord {
            entity: EntityId::new_random(),
            case,
            given: given.into(),
            surname: surname.into(),
            full_name: String::new(),
            birth_date: dob.into(),
            id_number: String::new(),
            phones: normalise_phone(phone, DEFAULT_CC).into_iter().collect(),
            emails: Vec::new(),
            street: String::new(),
            city: String::new(),
            postcode: String::new(),
            region: String::new(),
        }
    }

    #[test]
    fn incremental_match_and_generic_values() {
        let mut m = Matcher::empty();
        let (c1, c2) = (CaseId::new_random(), CaseId::new_random());
        let a = rec(c1, "Jon", "Smyth", "1988-04-03", "480-555-0142");
        m.apply(a.clone());
        let b = rec(c2, "John", "Smith", "1988-04-03", "(480) 555-0142");
        let found = m.query(&b);
        assert_eq!(found.first().map(|f| f.entity), Some(a.entity), "{found:?}");
        assert!(found[0].explanation.generic.is_empty());
        // A switchboard shared by four unrelated people becomes generic and says so.
        for (g, s) in [
            ("Ana", "Lopez"),
            ("Bea", "Quarles"),
            ("Cy", "Norwood"),
            ("Di", "Renwick"),
        ] {
            m.apply(rec(c1, g, s, "1970-01-01", "602-555-0100"));
        }
        assert!(m.generic_reason("phone", "+16025550100").is_some());
        let probe = rec(c2, "Ana", "Lopes", "1970-01-01", "602-555-0100");
        let hits = m.query(&probe);
        let top = hits
            .first()
            .expect("the near-identical name and birth date still match");
        assert!(
            top.explanation.generic.iter().any(|g| g.field == "phone"),
            "{:?}",
            top.explanation
        );
        // The switchboard alone no longer makes anyone a candidate.
        let p2 = rec(c2, "Zed", "Unrelated", "", "602-555-0100");
        assert!(m.query(&p2).is_empty());
    }

    #[test]
    fn judgements_are_training_labels_and_undo_withdraws_them() {
        let mut m = Matcher::empty();
        let (c1, c2) = (CaseId::new_random(), CaseId::new_random());
        let a = rec(c1, "Jon", "Smyth", "1988-04-03", "480-555-0142");
        let b = rec(c2, "Jonathan", "Smyth", "1988-04-03", "");
        m.apply(a.clone());
        m.apply(b.clone());
        let now = Timestamp::from_unix_micros(1_700_000_000_000_000);
        let found = m.query(&b);
        let f = found
            .iter()
            .find(|f| f.entity == a.entity)
            .expect("a candidate");
        let before = f.probability;
        let cand = candidate_row(&b, f, "incremental", now);
        let user = vigil_types::UserId::new_random();
        let judgement = |seq: i64, decision: &str| store_xref::Judgement {
            seq,
            candidate_id: cand.id,
            decision: decision.into(),
            judged_by: user,
            judged_at: now,
        };
        let probability = |m: &mut Matcher| {
            m.query(&b)
                .iter()
                .find(|f| f.entity == a.entity)
                .map_or(0.0, |f| f.probability)
        };
        // "same": a label that raises m of the levels this pair shows, so it scores higher.
        let history = vec![judgement(1, "same")];
        let labels = labels_from(std::slice::from_ref(&cand), &history);
        assert_eq!(labels.len(), 1);
        assert_eq!(m.retrain(&labels), 1);
        assert_ne!(m.model().m, reference_model().m);
        let same = probability(&mut m);
        assert!(same > before, "{before} -> {same}");
        // Superseded by "different": u moves instead and the pair scores lower than untrained.
        let history = vec![judgement(1, "same"), judgement(2, "different")];
        m.retrain(&labels_from(std::slice::from_ref(&cand), &history));
        assert_eq!(m.model().m, reference_model().m);
        assert!(probability(&mut m) < before);
        // Undone, and "unsure": no label, back to the reference model.
        for history in [
            vec![judgement(1, "same"), judgement(2, "undo")],
            vec![judgement(1, "unsure")],
            vec![],
        ] {
            let labels = labels_from(std::slice::from_ref(&cand), &history);
            assert!(labels.is_empty());
            assert_eq!(m.retrain(&labels), 0);
            assert_eq!(m.model().m, reference_model().m);
            assert_eq!(m.model().u, reference_model().u);
            assert!((probability(&mut m) - before).abs() < 1e-12);
        }
    }
}
