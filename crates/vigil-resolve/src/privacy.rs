//! Privacy-preserving record linkage: keyed cryptographic-long-term-key (CLK) Bloom filters of
//! 1024 bits, compared by the Dice coefficient (popcount), blocked with Hamming LSH for large
//! inputs, and linked with a greedy one-to-one assignment. See PRIVACY.md for the threat model.

use crate::dataset::{normalise_row, Slot};
use crate::error::ResolveError;
use crate::schema::{Config, Layout};
use hmac::{Hmac, Mac};
use rayon::prelude::*;
use sha2::Sha256;
use std::io::Read;

/// Bits in one encoding.
pub const CLK_BITS: usize = 1024;
const WORDS: usize = CLK_BITS / 64;
/// Header name of the encoding column; its presence marks an encoded file.
pub const CLK_COLUMN: &str = "clk1024";

/// A 1024-bit Bloom filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Clk(pub [u64; WORDS]);

impl Clk {
    /// Number of set bits.
    pub fn popcount(&self) -> u32 {
        self.0.iter().map(|w| w.count_ones()).sum()
    }

    /// Dice coefficient 2|A∩B| / (|A|+|B|) in [0, 1].
    pub fn dice(&self, other: &Clk) -> f64 {
        let inter: u32 = self
            .0
            .iter()
            .zip(&other.0)
            .map(|(a, b)| (a & b).count_ones())
            .sum();
        let total = self.popcount() + other.popcount();
        if total == 0 {
            return 0.0;
        }
        2.0 * f64::from(inter) / f64::from(total)
    }

    /// Lower-case hex, 256 characters.
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|w| format!("{w:016x}")).collect()
    }

    /// Parses [`Clk::to_hex`] output.
    pub fn from_hex(s: &str) -> Option<Clk> {
        let s = s.trim();
        if s.len() != WORDS * 16 || !s.is_ascii() {
            return None;
        }
        let mut w = [0u64; WORDS];
        for (i, x) in w.iter_mut().enumerate() {
            *x = u64::from_str_radix(&s[i * 16..i * 16 + 16], 16).ok()?;
        }
        Some(Clk(w))
    }

    fn bit(&self, i: usize) -> bool {
        self.0[i / 64] >> (i % 64) & 1 == 1
    }
}

/// Fields encoded, with the number of hash functions per q-gram (more for stronger identifiers).
const ENCODED: &[(Slot, &str, u32)] = &[
    (Slot::Given, "given_name", 20),
    (Slot::Surname, "surname", 20),
    (Slot::Street, "street", 8),
    (Slot::Number, "street_number", 8),
    (Slot::Locality, "locality", 10),
    (Slot::Postcode, "postcode", 10),
    (Slot::NationalId, "national_id", 15),
    (Slot::Phone, "phone", 10),
    (Slot::Email, "email", 10),
];
const DOB_HASHES: u32 = 15;

/// Per-field HMAC keys derived with HKDF-SHA256 from the shared secret.
pub struct Encoder {
    keys: Vec<(Slot, u32, Vec<u8>)>,
    dob_key: Vec<u8>,
}

impl Encoder {
    /// Derives the field keys. The secret must be shared only between the data holders.
    pub fn new(secret: &[u8]) -> Result<Encoder, ResolveError> {
        if secret.len() < 16 {
            return Err(ResolveError::Config(
                "the secret must hold at least 16 bytes".into(),
            ));
        }
        let hk = hkdf::Hkdf::<Sha256>::new(Some(b"vigil-clk-v1"), secret);
        let derive = |name: &str| -> Result<Vec<u8>, ResolveError> {
            let mut k = vec![0u8; 32];
            hk.expand(format!("field:{name}").as_bytes(), &mut k)
                .map_err(|_| ResolveError::Config("key derivation failed".into()))?;
            Ok(k)
        };
        let mut keys = Vec::new();
        for (slot, name, k) in ENCODED {
            keys.push((*slot, *k, derive(name)?));
        }
        Ok(Encoder {
            keys,
            dob_key: derive("date_of_birth")?,
        })
    }

    fn add(filter: &mut Clk, key: &[u8], value: &str, k: u32) {
        if value.is_empty() {
            return;
        }
        let padded: Vec<char> = format!("_{value}_").chars().collect();
        for w in padded.windows(2) {
            let gram: String = w.iter().collect();
            let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
                return;
            };
            mac.update(gram.as_bytes());
            let d = mac.finalize().into_bytes();
            let h1 = u64::from_le_bytes(d[0..8].try_into().unwrap_or([0; 8]));
            let h2 = u64::from_le_bytes(d[8..16].try_into().unwrap_or([0; 8])) | 1;
            for i in 0..u64::from(k) {
                let bit = (h1.wrapping_add(i.wrapping_mul(h2)) % CLK_BITS as u64) as usize;
                filter.0[bit / 64] |= 1 << (bit % 64);
            }
        }
    }

    /// Encodes one normalised row.
    pub fn encode(&self, row: &crate::dataset::NormalisedRow) -> Clk {
        let mut f = Clk([0; WORDS]);
        for (slot, k, key) in &self.keys {
            Self::add(&mut f, key, &row.values[slot.idx()], *k);
        }
        if let Some(d) = row.dob {
            Self::add(&mut f, &self.dob_key, &d.key(), DOB_HASHES);
        }
        f
    }
}

/// Encodings of one input: (record id, encoding) per row, warnings for skipped rows, layout.
pub type Encoded = (Vec<(String, Clk)>, Vec<String>, Layout);

/// Encodes a CSV input: returns (record id, encoding) per row and warnings for skipped rows.
pub fn encode_csv<R: Read>(
    config: &Config,
    encoder: &Encoder,
    reader: R,
    source_name: &str,
) -> Result<Encoded, ResolveError> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let header: Vec<String> = rdr
        .byte_headers()
        .map_err(|e| ResolveError::Csv {
            source_name: source_name.into(),
            line: 1,
            message: e.to_string(),
        })?
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_string())
        .collect();
    let layout = Layout::new(config, &header, source_name)?;
    let mut rows: Vec<(u64, String, crate::dataset::NormalisedRow)> = Vec::new();
    let mut warnings = Vec::new();
    for rec in rdr.byte_records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                warnings.push(format!(
                    "{source_name}:{}: {e}; row skipped",
                    e.position().map_or(0, |p| p.line())
                ));
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| p.line());
        if rec.len() != header.len() {
            warnings.push(format!(
                "{source_name}:{line}: {} fields, header has {}; row skipped",
                rec.len(),
                header.len()
            ));
            continue;
        }
        let s: Vec<String> = rec
            .iter()
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect();
        let row = normalise_row(
            config,
            layout.fields.iter().map(|(i, _, k)| (*k, s[*i].as_str())),
        );
        rows.push((line, s[layout.id_index].trim().to_string(), row));
    }
    if rows.is_empty() {
        return Err(ResolveError::Empty {
            source_name: source_name.into(),
        });
    }
    let out = rows
        .par_iter()
        .map(|(_, id, row)| (id.clone(), encoder.encode(row)))
        .collect();
    Ok((out, warnings, layout))
}

/// Reads an encoded CSV (`id,clk1024`).
pub fn read_encoded<R: Read>(
    reader: R,
    source_name: &str,
) -> Result<Vec<(String, Clk)>, ResolveError> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| ResolveError::Encoding {
            source_name: source_name.into(),
            line: e.position().map_or(0, |p| p.line()),
            message: e.to_string(),
        })?;
        let line = rec.position().map_or(0, |p| p.line());
        let (Some(id), Some(hex)) = (rec.get(0), rec.get(1)) else {
            return Err(ResolveError::Encoding {
                source_name: source_name.into(),
                line,
                message: "expected two fields: id,clk1024".into(),
            });
        };
        let clk = Clk::from_hex(hex).ok_or_else(|| ResolveError::Encoding {
            source_name: source_name.into(),
            line,
            message: "clk1024 is not 256 hex digits".into(),
        })?;
        out.push((id.to_string(), clk));
    }
    if out.is_empty() {
        return Err(ResolveError::Empty {
            source_name: source_name.into(),
        });
    }
    Ok(out)
}

/// True when a CSV header marks an encoded file.
pub fn is_encoded_header(header_line: &str) -> bool {
    header_line
        .split(',')
        .nth(1)
        .map(|c| c.trim().trim_matches('"'))
        == Some(CLK_COLUMN)
}

/// Above this many cross pairs, candidates come from Hamming LSH instead of all pairs.
const ALL_PAIRS_LIMIT: u64 = 100_000_000;
const LSH_BANDS: usize = 64;
const LSH_BITS: usize = 12;

/// Links two encoded inputs one-to-one: pairs with Dice ≥ `threshold`, taken greedily best
/// first so each record links at most once. Returns (left index, right index, dice) and the
/// number of pairs compared.
pub fn link_encoded(left: &[Clk], right: &[Clk], threshold: f64) -> (Vec<(u32, u32, f64)>, u64) {
    let total = left.len() as u64 * right.len() as u64;
    let (mut cands, compared): (Vec<(u32, u32, f64)>, u64) = if total <= ALL_PAIRS_LIMIT {
        let c: Vec<(u32, u32, f64)> = left
            .par_iter()
            .enumerate()
            .flat_map_iter(|(i, a)| {
                right.iter().enumerate().filter_map(move |(j, b)| {
                    let d = a.dice(b);
                    (d >= threshold).then_some((i as u32, j as u32, d))
                })
            })
            .collect();
        (c, total)
    } else {
        lsh_candidates(left, right, threshold)
    };
    cands.sort_by(|x, y| y.2.total_cmp(&x.2).then((x.0, x.1).cmp(&(y.0, y.1))));
    let mut used_l = vec![false; left.len()];
    let mut used_r = vec![false; right.len()];
    let mut out = Vec::new();
    for (i, j, d) in cands {
        if !used_l[i as usize] && !used_r[j as usize] {
            used_l[i as usize] = true;
            used_r[j as usize] = true;
            out.push((i, j, d));
        }
    }
    out.sort_by_key(|x| (x.0, x.1));
    (out, compared)
}

fn lsh_candidates(left: &[Clk], right: &[Clk], threshold: f64) -> (Vec<(u32, u32, f64)>, u64) {
    // Fixed pseudo-random bit positions per band (public; they reveal nothing about the data).
    let mut state = 0x1234_5678_9abc_def0u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let bands: Vec<Vec<usize>> = (0..LSH_BANDS)
        .map(|_| {
            (0..LSH_BITS)
                .map(|_| (next() % CLK_BITS as u64) as usize)
                .collect()
        })
        .collect();
    let key = |c: &Clk, band: &[usize]| {
        band.iter()
            .fold(0u32, |acc, &b| (acc << 1) | u32::from(c.bit(b)))
    };
    let mut pairs: rustc_hash::FxHashSet<(u32, u32)> = rustc_hash::FxHashSet::default();
    for band in &bands {
        let mut map: rustc_hash::FxHashMap<u32, Vec<u32>> = rustc_hash::FxHashMap::default();
        for (j, b) in right.iter().enumerate() {
            map.entry(key(b, band)).or_default().push(j as u32);
        }
        for (i, a) in left.iter().enumerate() {
            if let Some(js) = map.get(&key(a, band)) {
                // Oversized buckets (mostly empty-ish filters) are skipped.
                if js.len() <= 2000 {
                    pairs.extend(js.iter().map(|&j| (i as u32, j)));
                }
            }
        }
    }
    let compared = pairs.len() as u64;
    let out = pairs
        .into_par_iter()
        .filter_map(|(i, j)| {
            let d = left[i as usize].dice(&right[j as usize]);
            (d >= threshold).then_some((i, j, d))
        })
        .collect();
    (out, compared)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn enc(secret: &[u8], csv: &str) -> Vec<Clk> {
        let e = Encoder::new(secret).expect("key");
        encode_csv(&Config::default(), &e, csv.as_bytes(), "t")
            .expect("enc")
            .0
            .into_iter()
            .map(|x| x.1)
            .collect()
    }

    #[test]
    fn similar_records_have_high_dice_and_the_key_matters() {
        let csv = "id,given_name,surname,dob\n1,Katherine,Smith,1990-01-02\n2,Katharine,Smith,1990-01-02\n3,Omar,Diallo,1971-07-30\n";
        let a = enc(b"0123456789abcdef-secret", csv);
        assert!(a[0].dice(&a[1]) > 0.8, "{}", a[0].dice(&a[1]));
        assert!(a[0].dice(&a[2]) < 0.5);
        let b = enc(b"another-secret-0123456789", csv);
        assert!(
            a[0].dice(&b[0]) < 0.6,
            "a different key must give unrelated encodings"
        );
        assert_eq!(Clk::from_hex(&a[0].to_hex()), Some(a[0]));
        let (links, _) = link_encoded(&a, &a, 0.8);
        assert!(links.iter().all(|l| l.0 == l.1) && links.len() == 3);
    }

    proptest! {
        #[test]
        fn dice_is_symmetric_and_bounded(x in proptest::array::uniform16(any::<u64>()), y in proptest::array::uniform16(any::<u64>())) {
            let (a, b) = (Clk(x), Clk(y));
            let d = a.dice(&b);
            prop_assert!((0.0..=1.0).contains(&d));
            prop_assert_eq!(d, b.dice(&a));
        }
    }
}
