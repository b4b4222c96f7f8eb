//! Field kinds, the TOML configuration, and guessing kinds from column names.

use crate::dates::DateOrder;
use crate::error::ResolveError;
use serde::Deserialize;
use std::collections::BTreeMap;

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    GivenName,
    Surname,
    FullName,
    DateOfBirth,
    Phone,
    Email,
    Street,
    StreetNumber,
    Locality,
    Postcode,
    Region,
    NationalId,
    OtherText,
    /// Read but not compared.
    Ignore,
}

impl FieldKind {
    /// The configuration spelling.
    pub fn name(self) -> &'static str {
        match self {
            FieldKind::GivenName => "given_name",
            FieldKind::Surname => "surname",
            FieldKind::FullName => "full_name",
            FieldKind::DateOfBirth => "date_of_birth",
            FieldKind::Phone => "phone",
            FieldKind::Email => "email",
            FieldKind::Street => "street",
            FieldKind::StreetNumber => "street_number",
            FieldKind::Locality => "locality",
            FieldKind::Postcode => "postcode",
            FieldKind::Region => "region",
            FieldKind::NationalId => "national_id",
            FieldKind::OtherText => "other_text",
            FieldKind::Ignore => "ignore",
        }
    }
}

/// Blocking settings.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockingConfig {
    /// Rule names to use, in precedence order; empty means chosen automatically.
    #[serde(default)]
    pub rules: Vec<String>,
    /// Upper bound on candidate pairs over all rules (automatic choice stops adding rules).
    #[serde(default = "default_max_pairs")]
    pub max_pairs: u64,
    /// Blocks larger than this are not compared all-pairs but by a sorted-neighbourhood window.
    #[serde(default = "default_max_block")]
    pub max_block: usize,
}

fn default_max_pairs() -> u64 {
    60_000_000
}
fn default_max_block() -> usize {
    500
}

impl Default for BlockingConfig {
    fn default() -> Self {
        BlockingConfig {
            rules: Vec::new(),
            max_pairs: default_max_pairs(),
            max_block: default_max_block(),
        }
    }
}

/// The resolution configuration (TOML).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The record id column.
    pub id_column: Option<String>,
    /// Column name → field kind.
    #[serde(default)]
    pub fields: BTreeMap<String, FieldKind>,
    /// Match probability threshold for links and clusters.
    #[serde(default = "default_threshold")]
    pub threshold: f64,
    /// Country calling code for phone numbers without one.
    #[serde(default = "default_cc")]
    pub default_country_code: String,
    /// Reading of ambiguous numeric dates.
    #[serde(default)]
    pub date_order: DateOrder,
    /// Two-digit years are placed at or before this year.
    #[serde(default = "default_pivot")]
    pub two_digit_year_pivot: u16,
    #[serde(default)]
    pub blocking: BlockingConfig,
    /// Values shared by more than this many records (hotels, shelters, hotlines) are treated as
    /// hub values: their agreement carries no weight.
    #[serde(default = "default_hub")]
    pub hub_value_count: u32,
}

fn default_threshold() -> f64 {
    0.5
}
fn default_cc() -> String {
    "1".into()
}
fn default_pivot() -> u16 {
    2025
}
fn default_hub() -> u32 {
    50
}

impl Default for Config {
    fn default() -> Self {
        Config {
            id_column: None,
            fields: BTreeMap::new(),
            threshold: default_threshold(),
            default_country_code: default_cc(),
            date_order: DateOrder::default(),
            two_digit_year_pivot: default_pivot(),
            blocking: BlockingConfig::default(),
            hub_value_count: default_hub(),
        }
    }
}

impl Config {
    /// Parses and checks a TOML configuration.
    pub fn from_toml(text: &str) -> Result<Config, ResolveError> {
        let c: Config = toml::from_str(text).map_err(|e| ResolveError::Config(e.to_string()))?;
        if !(0.0..=1.0).contains(&c.threshold) {
            return Err(ResolveError::Config(format!(
                "threshold {} is not a probability in [0, 1]",
                c.threshold
            )));
        }
        if c.default_country_code.is_empty()
            || !c.default_country_code.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(ResolveError::Config(
                "default_country_code must be digits, e.g. \"1\"".into(),
            ));
        }
        for r in &c.blocking.rules {
            if !crate::blocking::RULE_NAMES.contains(&r.as_str()) {
                return Err(ResolveError::Config(format!(
                    "unknown blocking rule `{r}`; known: {}",
                    crate::blocking::RULE_NAMES.join(", ")
                )));
            }
        }
        Ok(c)
    }
}

/// Guesses a field kind from a column name.
pub fn guess_kind(column: &str) -> FieldKind {
    let c = column.to_ascii_lowercase().replace(['-', ' '], "_");
    let has = |w: &str| c.contains(w);
    if has("given") || has("first") || has("forename") || c == "fname" {
        FieldKind::GivenName
    } else if has("surname") || has("last_name") || has("lastname") || has("family") || c == "lname"
    {
        FieldKind::Surname
    } else if has("birth") || c == "dob" || has("_dob") {
        FieldKind::DateOfBirth
    } else if has("phone") || has("mobile") || has("tel") || has("cell") {
        FieldKind::Phone
    } else if has("mail") {
        FieldKind::Email
    } else if has("soc_sec") || has("ssn") || has("national") || has("passport") || has("licen") {
        FieldKind::NationalId
    } else if has("street_number") || has("house_number") || has("street_no") || c == "number" {
        FieldKind::StreetNumber
    } else if has("address") || has("street") || has("addr") {
        FieldKind::Street
    } else if has("suburb") || has("city") || has("town") || has("locality") {
        FieldKind::Locality
    } else if has("postcode") || has("zip") || has("postal") {
        FieldKind::Postcode
    } else if has("state") || has("region") || has("province") || has("county") {
        FieldKind::Region
    } else if has("name") {
        FieldKind::FullName
    } else {
        FieldKind::Ignore
    }
}

/// Guesses the id column: the first named `id`, `rec_id`, `record_id` or ending in `_id` that is
/// not an identifier kind, else the first column.
pub fn guess_id_column(header: &[String]) -> Option<String> {
    let lower: Vec<String> = header.iter().map(|h| h.to_ascii_lowercase()).collect();
    for want in ["rec_id", "record_id", "id"] {
        if let Some(i) = lower.iter().position(|h| h == want) {
            return Some(header[i].clone());
        }
    }
    header.first().cloned()
}

/// The resolved column layout of one input: id column index and (column index, kind) pairs.
#[derive(Clone, Debug)]
pub struct Layout {
    pub id_index: usize,
    pub id_column: String,
    pub fields: Vec<(usize, String, FieldKind)>,
    /// True when kinds were guessed rather than configured.
    pub guessed: bool,
}

impl Layout {
    /// Matches the configuration (or guesses) against a header.
    pub fn new(
        config: &Config,
        header: &[String],
        source_name: &str,
    ) -> Result<Layout, ResolveError> {
        let id_column = match &config.id_column {
            Some(c) => c.clone(),
            None => guess_id_column(header).ok_or_else(|| ResolveError::Empty {
                source_name: source_name.into(),
            })?,
        };
        let find = |col: &str| header.iter().position(|h| h.trim() == col.trim());
        let missing = |col: &str| ResolveError::MissingColumn {
            source_name: source_name.into(),
            column: col.into(),
            header: header.join(","),
        };
        let id_index = find(&id_column).ok_or_else(|| missing(&id_column))?;
        let mut fields = Vec::new();
        let guessed = config.fields.is_empty();
        if guessed {
            for (i, h) in header.iter().enumerate() {
                if i == id_index {
                    continue;
                }
                let k = guess_kind(h);
                if k != FieldKind::Ignore {
                    fields.push((i, h.clone(), k));
                }
            }
        } else {
            for (col, kind) in &config.fields {
                let i = find(col).ok_or_else(|| missing(col))?;
                if *kind != FieldKind::Ignore {
                    fields.push((i, col.clone(), *kind));
                }
            }
            fields.sort_by_key(|f| f.0);
        }
        if fields.is_empty() {
            return Err(ResolveError::NoFields {
                source_name: source_name.into(),
            });
        }
        Ok(Layout {
            id_index,
            id_column,
            fields,
            guessed,
        })
    }

    /// Human-readable mapping, one `column -> kind` per line.
    pub fn describe(&self) -> String {
        let mut s = format!("id column: {}\n", self.id_column);
        for (_, c, k) in &self.fields {
            s.push_str(&format!("  {c} -> {}\n", k.name()));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_febrl_columns() {
        let h: Vec<String> = "rec_id,given_name,surname,street_number,address_1,address_2,suburb,postcode,state,date_of_birth,soc_sec_id"
            .split(',')
            .map(String::from)
            .collect();
        let l = Layout::new(&Config::default(), &h, "t").expect("layout");
        let kinds: Vec<&str> = l.fields.iter().map(|f| f.2.name()).collect();
        assert_eq!(
            kinds,
            [
                "given_name",
                "surname",
                "street_number",
                "street",
                "street",
                "locality",
                "postcode",
                "region",
                "date_of_birth",
                "national_id"
            ]
        );
        assert_eq!(l.id_column, "rec_id");
    }

    #[test]
    fn config_errors_are_clear() {
        assert!(Config::from_toml("threshold = 2.0").is_err());
        assert!(Config::from_toml("[blocking]\nrules = [\"nope\"]").is_err());
        let c = Config::from_toml("id_column = \"id\"\n[fields]\nfirst = \"given_name\"\n")
            .expect("ok");
        assert_eq!(c.fields.get("first"), Some(&FieldKind::GivenName));
    }
}
