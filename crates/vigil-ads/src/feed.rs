//! One line of an ad feed (JSON Lines from scrapers) parsed into an [`AdRecord`].

use serde::{Deserialize, Serialize};

/// One ad as a feed delivers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdRecord {
    pub id: String,
    pub source: Option<String>,
    pub url: Option<String>,
    /// Unix seconds parsed from the RFC 3339 `posted_at` field.
    pub posted_at: Option<i64>,
    pub location: Option<String>,
    pub title: String,
    pub text: String,
}

/// Why a feed line was rejected.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    /// The line is not a JSON object of the expected shape.
    #[error("not a valid ad object: {0}")]
    Json(#[from] serde_json::Error),
    /// `id` is missing or empty.
    #[error("field `id` is missing or empty")]
    MissingId,
    /// `posted_at` is present but not RFC 3339.
    #[error("field `posted_at` is not an RFC 3339 time: {0:?}")]
    BadTime(String),
}

#[derive(Deserialize)]
struct RawAd {
    id: Option<serde_json::Value>,
    source: Option<String>,
    url: Option<String>,
    posted_at: Option<String>,
    location: Option<String>,
    title: Option<String>,
    text: Option<String>,
}

/// Parses one JSON line. A numeric `id` is accepted and turned into its decimal string.
pub fn parse_ad_line(line: &str) -> Result<AdRecord, FeedError> {
    let raw: RawAd = serde_json::from_str(line)?;
    let id = match raw.id {
        Some(serde_json::Value::String(s)) if !s.is_empty() => s,
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => return Err(FeedError::MissingId),
    };
    let posted_at = match raw.posted_at {
        None => None,
        Some(s) if s.is_empty() => None,
        Some(s) => Some(crate::time::parse_rfc3339(&s).ok_or(FeedError::BadTime(s))?),
    };
    Ok(AdRecord {
        id,
        source: raw.source,
        url: raw.url,
        posted_at,
        location: raw.location.filter(|l| !l.trim().is_empty()),
        title: raw.title.unwrap_or_default(),
        text: raw.text.unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_full_line() {
        let ad = parse_ad_line(r#"{"id":"a1","source":"s","url":"u","posted_at":"1970-01-02T00:00:00Z","location":"Phoenix","title":"t","text":"x"}"#).unwrap();
        assert_eq!(ad.posted_at, Some(86_400));
        assert_eq!(ad.location.as_deref(), Some("Phoenix"));
    }

    #[test]
    fn rejects_bad_lines_with_reasons() {
        assert!(matches!(parse_ad_line("{"), Err(FeedError::Json(_))));
        assert!(matches!(
            parse_ad_line(r#"{"title":"x"}"#),
            Err(FeedError::MissingId)
        ));
        assert!(matches!(
            parse_ad_line(r#"{"id":"a","posted_at":"yesterday"}"#),
            Err(FeedError::BadTime(_))
        ));
    }
}
