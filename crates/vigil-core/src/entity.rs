//! Entities after the FollowTheMoney model: a schema name plus typed, multi-valued properties,
//! and typed links between entities.

use std::collections::BTreeMap;

string_enum!(
    /// The entity schemas Vigil understands (FollowTheMoney names).
    Schema, "schema" {
        Person = "Person",
        Organization = "Organization",
        Company = "Company",
        Address = "Address",
        Vehicle = "Vehicle",
        BankAccount = "BankAccount",
        CryptoWallet = "CryptoWallet",
        Phone = "Phone",
        Email = "Email",
        UserAccount = "UserAccount",
        OnlineAd = "OnlineAd",
        Location = "Location",
        Event = "Event",
    }
);

/// How a property's values are checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PropType {
    /// Free text up to 2,000 characters.
    Text,
    /// A name up to 200 characters.
    Name,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (FtM allows partial dates).
    Date,
    /// A telephone number as written; normalisation to E.164 happens in analytics.
    Phone,
    /// An e-mail address.
    Email,
    /// ISO 3166-1 alpha-2 country code.
    Country,
    /// An http(s) URL.
    Url,
    /// A decimal number.
    Number,
    /// An identifier (account number, plate, handle, wallet address) up to 200 characters.
    Identifier,
    /// One of a fixed set of words.
    Choice(&'static [&'static str]),
}

/// HTCDS-style role a person plays in the trafficking situation (victim/perpetrator context).
pub const HTCDS_ROLES: &[&str] = &["victim", "suspected_perpetrator", "witness", "other"];

/// The properties a schema allows, with their types. Every schema also allows `name` and `notes`.
#[must_use]
pub fn properties(schema: Schema) -> &'static [(&'static str, PropType)] {
    use PropType::{Choice, Country, Date, Email, Identifier, Name, Phone, Text, Url};
    match schema {
        Schema::Person => &[
            ("firstName", Name),
            ("lastName", Name),
            ("alias", Name),
            ("birthDate", Date),
            ("gender", Choice(&["male", "female", "other", "unknown"])),
            ("nationality", Country),
            ("phone", Phone),
            ("email", Email),
            ("idNumber", Identifier),
            ("htcdsRole", Choice(HTCDS_ROLES)),
        ],
        Schema::Organization | Schema::Company => &[
            ("alias", Name),
            ("registrationNumber", Identifier),
            ("jurisdiction", Country),
            ("phone", Phone),
            ("email", Email),
            ("website", Url),
        ],
        Schema::Address => &[
            ("full", Text),
            ("street", Text),
            ("city", Name),
            ("postalCode", Identifier),
            ("region", Name),
            ("country", Country),
        ],
        Schema::Vehicle => &[
            ("registrationNumber", Identifier),
            ("model", Name),
            ("color", Name),
            ("country", Country),
        ],
        Schema::BankAccount => &[
            ("accountNumber", Identifier),
            ("iban", Identifier),
            ("bankName", Name),
            ("country", Country),
        ],
        Schema::CryptoWallet => &[("publicKey", Identifier), ("currency", Identifier)],
        Schema::Phone => &[("number", Phone), ("country", Country)],
        Schema::Email => &[("address", Email)],
        Schema::UserAccount => &[("username", Identifier), ("service", Name), ("url", Url)],
        Schema::OnlineAd => &[
            ("title", Text),
            ("url", Url),
            ("site", Name),
            ("postedAt", Date),
            ("location", Name),
            ("text", Text),
        ],
        Schema::Location => &[("city", Name), ("region", Name), ("country", Country)],
        Schema::Event => &[
            ("date", Date),
            ("endDate", Date),
            ("location", Name),
            ("summary", Text),
        ],
    }
}

/// A property value or name that failed validation. Names the property, never echoes the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PropertyError {
    #[error("property `{property}` is not defined for schema {schema}")]
    Unknown {
        schema: &'static str,
        property: String,
    },
    #[error("property `{property}`: {reason}")]
    Invalid {
        property: String,
        reason: &'static str,
    },
    #[error("property `{property}` has more than {max} values")]
    TooMany { property: String, max: usize },
    #[error("an entity needs at least one property (for example `name`)")]
    Empty,
}

/// Validated properties: known names, checked values, trimmed, duplicates removed.
pub type Properties = BTreeMap<String, Vec<String>>;

/// At most this many values per property.
pub const MAX_VALUES: usize = 50;

/// Checks and cleans a property map for `schema`.
pub fn validate(
    schema: Schema,
    raw: &BTreeMap<String, Vec<String>>,
) -> Result<Properties, PropertyError> {
    let defs = properties(schema);
    let mut out = Properties::new();
    for (name, values) in raw {
        let ty = match name.as_str() {
            "name" => PropType::Name,
            "notes" => PropType::Text,
            _ => defs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, t)| *t)
                .ok_or_else(|| PropertyError::Unknown {
                    schema: schema.as_str(),
                    property: name.clone(),
                })?,
        };
        if values.len() > MAX_VALUES {
            return Err(PropertyError::TooMany {
                property: name.clone(),
                max: MAX_VALUES,
            });
        }
        let mut clean: Vec<String> = Vec::with_capacity(values.len());
        for v in values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
            let v = check_value(ty, v).map_err(|reason| PropertyError::Invalid {
                property: name.clone(),
                reason,
            })?;
            if !v.is_empty() && !clean.contains(&v) {
                clean.push(v);
            }
        }
        if !clean.is_empty() {
            out.insert(name.clone(), clean);
        }
    }
    if out.is_empty() {
        return Err(PropertyError::Empty);
    }
    Ok(out)
}

fn check_value(ty: PropType, v: &str) -> Result<String, &'static str> {
    let chars = v.chars().count();
    if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err("contains control characters");
    }
    match ty {
        PropType::Text if chars > 2000 => Err("longer than 2000 characters"),
        PropType::Name | PropType::Identifier if chars > 200 => Err("longer than 200 characters"),
        PropType::Date if !is_partial_date(v) => {
            Err("expected a date as YYYY, YYYY-MM or YYYY-MM-DD")
        }
        PropType::Email if !looks_like_email(v) => {
            Err("expected an e-mail address like name@example.org")
        }
        PropType::Phone if !looks_like_phone(v) => {
            Err("expected a telephone number with 5 to 20 digits")
        }
        PropType::Country if !(v.len() == 2 && v.bytes().all(|b| b.is_ascii_alphabetic())) => {
            Err("expected an ISO 3166-1 alpha-2 country code")
        }
        PropType::Country => Ok(v.to_ascii_lowercase()),
        PropType::Url
            if !(v.starts_with("http://") || v.starts_with("https://")) || chars > 2000 =>
        {
            Err("expected an http(s) URL")
        }
        PropType::Number if v.parse::<f64>().map_or(true, |n| !n.is_finite()) => {
            Err("expected a number")
        }
        PropType::Choice(options) if !options.contains(&v) => Err("not one of the allowed values"),
        _ => Ok(v.to_owned()),
    }
}

fn is_partial_date(v: &str) -> bool {
    let parts: Vec<&str> = v.split('-').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let in_range =
        |s: &str, lo: u32, hi: u32| s.parse::<u32>().is_ok_and(|x| (lo..=hi).contains(&x));
    match parts.as_slice() {
        [y] => digits(y, 4),
        [y, m] => digits(y, 4) && digits(m, 2) && in_range(m, 1, 12),
        [y, m, d] => {
            digits(y, 4) && digits(m, 2) && digits(d, 2) && in_range(m, 1, 12) && in_range(d, 1, 31)
        }
        _ => false,
    }
}

fn looks_like_email(v: &str) -> bool {
    match v.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && local.len() <= 64
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !v.contains(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    }
}

fn looks_like_phone(v: &str) -> bool {
    let digits = v.chars().filter(char::is_ascii_digit).count();
    (5..=20).contains(&digits)
        && v.chars()
            .all(|c| c.is_ascii_digit() || " +-().x/".contains(c))
}

/// A short human label for an entity: its first name-like property.
#[must_use]
pub fn caption(schema: Schema, props: &Properties) -> String {
    let keys: &[&str] = match schema {
        Schema::Person => &["name", "alias", "lastName"],
        Schema::Phone => &["number", "name"],
        Schema::Email => &["address", "name"],
        Schema::UserAccount => &["username", "name"],
        Schema::OnlineAd => &["title", "url", "name"],
        Schema::BankAccount => &["accountNumber", "iban", "name"],
        Schema::CryptoWallet => &["publicKey", "name"],
        Schema::Vehicle => &["registrationNumber", "name"],
        Schema::Address => &["full", "street", "city", "name"],
        _ => &["name", "alias"],
    };
    if schema == Schema::Person && !props.contains_key("name") {
        let first = props.get("firstName").and_then(|v| v.first());
        let last = props.get("lastName").and_then(|v| v.first());
        if let (Some(f), Some(l)) = (first, last) {
            return format!("{f} {l}");
        }
    }
    keys.iter()
        .find_map(|k| props.get(*k).and_then(|v| v.first()))
        .map_or_else(
            || schema.as_str().to_owned(),
            |v| v.chars().take(120).collect(),
        )
}

string_enum!(
    /// Typed links between entities (after FollowTheMoney's interval schemas).
    LinkType, "link type" {
        Associate = "associate",
        Family = "family",
        Employment = "employment",
        Ownership = "ownership",
        Membership = "membership",
        Payment = "payment",
        /// A person or organisation uses a phone, e-mail, account, wallet or vehicle.
        Uses = "uses",
        /// Someone or something is located at an address or place.
        LocatedAt = "located_at",
        /// An online ad lists a selector (phone, e-mail, account).
        AdvertisedWith = "advertised_with",
        /// Someone took part in an event.
        Participant = "participant",
        Unknown = "unknown",
        // --- vault
        /// The source exploits the target (trafficker → victim). An identified victim is never
        /// the source without a supervisor's override (V5).
        Exploits = "exploits",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    fn props(pairs: &[(&str, &str)]) -> BTreeMap<String, Vec<String>> {
        let mut m = BTreeMap::new();
        for (k, v) in pairs {
            m.entry((*k).to_owned())
                .or_insert_with(Vec::new)
                .push((*v).to_owned());
        }
        m
    }

    #[test]
    fn person_validates_and_captions() {
        let p = validate(
            Schema::Person,
            &props(&[
                ("firstName", "Ana"),
                ("lastName", "Flores"),
                ("birthDate", "1990-04"),
            ]),
        )
        .unwrap();
        assert_eq!(caption(Schema::Person, &p), "Ana Flores");
    }

    #[test]
    fn errors_name_the_property_not_the_value() {
        let err = validate(
            Schema::Person,
            &props(&[("birthDate", "secret-ish 31/31/1990")]),
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("birthDate") && !msg.contains("secret"),
            "{msg}"
        );
        assert!(matches!(
            validate(Schema::Phone, &props(&[("colour", "x")])),
            Err(PropertyError::Unknown { .. })
        ));
        assert_eq!(
            validate(Schema::Phone, &props(&[("number", "  ")])),
            Err(PropertyError::Empty)
        );
    }

    #[test]
    fn every_schema_has_properties_and_dedupes_values() {
        for s in Schema::ALL {
            assert!(!properties(*s).is_empty());
        }
        let p = validate(
            Schema::Phone,
            &props(&[("number", "480-555-0142"), ("number", "480-555-0142 ")]),
        )
        .unwrap();
        assert_eq!(p["number"].len(), 1);
    }

    proptest::proptest! {
        #[test]
        fn validation_is_idempotent(v in "\\PC{0,60}") {
            let raw = props(&[("name", v.as_str()), ("notes", v.as_str())]);
            if let Ok(once) = validate(Schema::Organization, &raw) {
                proptest::prop_assert_eq!(validate(Schema::Organization, &once), Ok(once.clone()));
            }
        }
    }
}
