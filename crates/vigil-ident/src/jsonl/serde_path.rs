//! The reference reading of an input line through `serde_json`: it decides what a line means
//! and how every bad line is reported. The fast scanner only takes lines on which it agrees.

use std::borrow::Cow;

use serde::Deserialize;

use super::{Id, Line};

/// One input line: only the fields the contract reads; every other field is skipped unparsed.
#[derive(Deserialize)]
pub(super) struct InLine<'a> {
    #[serde(borrow, default)]
    id: Scalar<'a>,
    #[serde(borrow, default)]
    text: Scalar<'a>,
    #[serde(borrow, default)]
    region: Scalar<'a>,
}

/// A JSON value reduced to what the contract distinguishes.
#[derive(Default)]
enum Scalar<'a> {
    #[default]
    Null,
    Str(Cow<'a, str>),
    Num(serde_json::Number),
    /// Any other type, by name (for the error message).
    Other(&'static str),
}

impl<'de: 'a, 'a> Deserialize<'de> for Scalar<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for V<'a> {
            type Value = Scalar<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Scalar::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Scalar::Str(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(Scalar::Str(Cow::Owned(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Scalar::Num(v.into()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Scalar::Num(v.into()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
                Ok(serde_json::Number::from_f64(v).map_or(Scalar::Other("number"), Scalar::Num))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Scalar::Other("boolean"))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Scalar::Null)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<Self::Value, A::Error> {
                while a.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(Scalar::Other("array"))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<Self::Value, A::Error> {
                while a
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(Scalar::Other("object"))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

impl Scalar<'_> {
    fn type_name(&self) -> &'static str {
        match self {
            Scalar::Null => "null",
            Scalar::Str(_) => "string",
            Scalar::Num(_) => "number",
            Scalar::Other(t) => t,
        }
    }
}

/// Parses one line (already known to be UTF-8) into its fields, or says why it is not an
/// input object.
pub(super) fn parse(text: &str) -> Result<InLine<'_>, String> {
    if !text.trim_start().starts_with('{') {
        return Err(match serde_json::from_str::<serde::de::IgnoredAny>(text) {
            Ok(_) => "expected a JSON object".to_owned(),
            Err(e) => format!("bad JSON: {e}"),
        });
    }
    serde_json::from_str(text).map_err(|e| format!("bad JSON: {e}"))
}

impl InLine<'_> {
    /// Checks the fields' types, in the order `id`, `text`, `region`.
    pub(super) fn validate(&self) -> Result<Line<'_>, String> {
        let id = match &self.id {
            Scalar::Str(s) => Id::Str(s),
            Scalar::Num(n) => Id::Number(n.clone()),
            Scalar::Null => return Err("missing field `id`".to_owned()),
            other => {
                return Err(format!(
                    "field `id` must be a string or a number, not {}",
                    other.type_name()
                ))
            }
        };
        let text = match &self.text {
            Scalar::Str(s) => s.as_ref(),
            Scalar::Null => return Err("missing field `text`".to_owned()),
            other => {
                return Err(format!(
                    "field `text` must be a string, not {}",
                    other.type_name()
                ))
            }
        };
        let region = match &self.region {
            Scalar::Null => None,
            Scalar::Str(r) => Some(r.as_ref()),
            other => {
                return Err(format!(
                    "field `region` must be a string, not {}",
                    other.type_name()
                ))
            }
        };
        Ok(Line {
            id,
            text,
            // Not worth proving on this rare path: the writer checks every span.
            text_is_plain: false,
            region,
        })
    }
}
