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

impl AdRecord {
    /// SHA-256 (lower-case hex) of the captured content: `source`, `url`, `posted_at`, `location`,
    /// `title` and `text`, each tagged and length-prefixed so no two records share an encoding.
    /// The feed's own `id` is left out: the same ad scraped twice under two ids is one ad.
    pub fn content_sha256(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(b"vigil-ad-content-v1");
        let mut field = |tag: u8, value: Option<&[u8]>| {
            h.update([tag]);
            match value {
                None => h.update([0u8]),
                Some(v) => {
                    h.update([1u8]);
                    h.update((v.len() as u64).to_be_bytes());
                    h.update(v);
                }
            }
        };
        field(b's', self.source.as_deref().map(str::as_bytes));
        field(b'u', self.url.as_deref().map(str::as_bytes));
        let posted = self.posted_at.map(i64::to_be_bytes);
        field(b'p', posted.as_ref().map(|b| &b[..]));
        field(b'l', self.location.as_deref().map(str::as_bytes));
        field(b't', Some(self.title.as_bytes()));
        field(b'x', Some(self.text.as_bytes()));
        hex::encode(h.finalize())
    }
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
    fn digest_ignores_the_feed_id_and_sees_every_content_field() {
        let a = parse_ad_line(r#"{"id":"a1","source":"s","url":"https://x.example/1","location":"Phoenix","title":"t","text":"x"}"#).unwrap();
        let mut b = a.clone();
        b.id = "other".into();
        assert_eq!(a.content_sha256(), b.content_sha256());
        assert_eq!(a.content_sha256().len(), 64);
        let variants = [
            AdRecord {
                source: None,
                ..a.clone()
            },
            AdRecord {
                url: None,
                ..a.clone()
            },
            AdRecord {
                posted_at: Some(0),
                ..a.clone()
            },
            AdRecord {
                location: None,
                ..a.clone()
            },
            AdRecord {
                title: "t2".into(),
                ..a.clone()
            },
            AdRecord {
                text: "x2".into(),
                ..a.clone()
            },
        ];
        for v in &variants {
            assert_ne!(v.content_sha256(), a.content_sha256(), "{v:?}");
        }
    }

    proptest::proptest! {
        /// Moving bytes between title and text never collides (fields are length-prefixed).
        #[test]
        fn digest_separates_fields(title in "\\PC{0,20}", text in "\\PC{0,20}") {
            let a = AdRecord { id: "1".into(), source: None, url: None, posted_at: None, location: None, title: title.clone(), text: text.clone() };
            let joined = format!("{title}{text}");
            let b = AdRecord { title: joined.clone(), text: String::new(), ..a.clone() };
            let c = AdRecord { title: String::new(), text: joined, ..a.clone() };
            if !text.is_empty() { proptest::prop_assert_ne!(a.content_sha256(), b.content_sha256()); }
            if !title.is_empty() { proptest::prop_assert_ne!(a.content_sha256(), c.content_sha256()); }
        }
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
