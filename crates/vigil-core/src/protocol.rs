//! Response-protocol checklists (T5): versioned templates read from TOML, the item workflow and
//! the overdue rule. Pure: the caller passes the time.
//!
//! A template is data (`protocols/default.toml` is the default set). Starting a checklist copies
//! the template's items with their due times computed from the start time, so a later template
//! version never changes a checklist already running.

use std::collections::BTreeSet;
use std::sync::OnceLock;
use std::time::Duration;
use vigil_types::Timestamp;

/// The default set shipped with Vigil.
pub const DEFAULT_TOML: &str = include_str!("../protocols/default.toml");

/// The longest due offset a template may give an item.
pub const MAX_DUE: Duration = Duration::from_secs(365 * 86_400);

/// A template that does not make sense. Names where (protocol key, item key) and what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("protocol template {at}: {what}")]
pub struct TemplateError {
    pub at: String,
    pub what: String,
}

fn err(at: impl Into<String>, what: impl Into<String>) -> TemplateError {
    TemplateError {
        at: at.into(),
        what: what.into(),
    }
}

string_enum!(
    /// When a checklist starts by itself.
    Trigger, "protocol trigger" {
        /// When a case moves to `active`.
        CaseActive = "case_active",
    }
);

string_enum!(
    /// The state of one checklist item.
    ItemStatus, "protocol item status" {
        Open = "open",
        Done = "done",
        NotApplicable = "not_applicable",
    }
);

impl ItemStatus {
    /// Open items are closed as done or not applicable; a closed item can only be re-opened.
    #[must_use]
    pub fn may_become(self, next: ItemStatus) -> bool {
        use ItemStatus::{Done, NotApplicable, Open};
        matches!(
            (self, next),
            (Open, Done | NotApplicable) | (Done | NotApplicable, Open)
        )
    }

    /// Whether moving to this status needs a note saying why.
    #[must_use]
    pub const fn needs_note(self) -> bool {
        matches!(self, Self::NotApplicable)
    }
}

/// An item is overdue when it is still open after its due time.
#[must_use]
pub fn is_overdue(status: ItemStatus, due_at: Timestamp, now: Timestamp) -> bool {
    status == ItemStatus::Open && now > due_at
}

/// One item of a template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateItem {
    pub key: String,
    pub text: String,
    /// Due this long after the checklist starts.
    pub due_after: Duration,
    /// The condition this item applies under, if any.
    pub when: Option<String>,
}

/// One version of a protocol.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    pub key: String,
    pub version: u32,
    pub title: String,
    pub trigger: Option<Trigger>,
    pub reviewed_by: String,
    pub reviewed_on: String,
    pub conditions: Vec<String>,
    pub items: Vec<TemplateItem>,
}

/// An item as it is instantiated on a case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instantiated {
    pub key: String,
    pub text: String,
    pub due_at: Timestamp,
    /// `NotApplicable` when the item's condition was not declared at start.
    pub status: ItemStatus,
    /// The condition that was not declared (the reason for `NotApplicable`).
    pub skipped_for: Option<String>,
}

impl Template {
    /// The items of a checklist started at `start` with `conditions` declared. Unknown
    /// conditions are refused (a typo must not silently mark an item not applicable).
    pub fn instantiate(
        &self,
        start: Timestamp,
        conditions: &[String],
    ) -> Result<Vec<Instantiated>, String> {
        if let Some(bad) = conditions.iter().find(|c| !self.conditions.contains(c)) {
            return Err(format!(
                "unknown condition `{}` for {}; this protocol knows: {}",
                bad.chars().take(40).collect::<String>(),
                self.key,
                if self.conditions.is_empty() {
                    "none".to_owned()
                } else {
                    self.conditions.join(", ")
                }
            ));
        }
        Ok(self
            .items
            .iter()
            .map(|i| {
                let skipped = i.when.as_ref().filter(|w| !conditions.contains(w)).cloned();
                Instantiated {
                    key: i.key.clone(),
                    text: i.text.clone(),
                    due_at: start.plus(i.due_after),
                    status: if skipped.is_some() {
                        ItemStatus::NotApplicable
                    } else {
                        ItemStatus::Open
                    },
                    skipped_for: skipped,
                }
            })
            .collect())
    }
}

/// A set of templates (every version of every protocol).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateSet {
    templates: Vec<Template>,
}

/// The default set, parsed once. A broken default set is a build defect that the tests catch;
/// at run time it is reported as an error, never a panic.
pub fn builtin() -> Result<&'static TemplateSet, &'static TemplateError> {
    static SET: OnceLock<Result<TemplateSet, TemplateError>> = OnceLock::new();
    SET.get_or_init(|| TemplateSet::parse(DEFAULT_TOML))
        .as_ref()
}

fn valid_key(s: &str) -> bool {
    (1..=60).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

fn only_keys(t: &toml::Table, allowed: &[&str], at: &str) -> Result<(), TemplateError> {
    match t.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(err(
            at,
            format!("unknown field `{k}`; allowed: {}", allowed.join(", ")),
        )),
        None => Ok(()),
    }
}

fn text(t: &toml::Table, field: &str, max: usize, at: &str) -> Result<String, TemplateError> {
    let s = t
        .get(field)
        .and_then(toml::Value::as_str)
        .ok_or_else(|| err(at, format!("`{field}` must be a string")))?
        .trim();
    if s.is_empty() || s.chars().count() > max || s.chars().any(char::is_control) {
        return Err(err(
            at,
            format!("`{field}` must be 1–{max} characters without control characters"),
        ));
    }
    Ok(s.to_owned())
}

fn due(t: &toml::Table, at: &str) -> Result<Duration, TemplateError> {
    let minutes = match (t.get("due_hours"), t.get("due_minutes")) {
        (Some(h), None) => h
            .as_integer()
            .and_then(|h| h.checked_mul(60))
            .ok_or_else(|| err(at, "`due_hours` must be an integer"))?,
        (None, Some(m)) => m
            .as_integer()
            .ok_or_else(|| err(at, "`due_minutes` must be an integer"))?,
        _ => return Err(err(at, "give exactly one of `due_hours` or `due_minutes`")),
    };
    let secs = u64::try_from(minutes)
        .ok()
        .and_then(|m| m.checked_mul(60))
        .ok_or_else(|| err(at, "the due time must not be negative"))?;
    let d = Duration::from_secs(secs);
    if d > MAX_DUE {
        return Err(err(at, "the due time must be at most 365 days"));
    }
    Ok(d)
}

impl TemplateSet {
    /// Parses and checks a TOML template file (see `protocols/default.toml` for the format).
    pub fn parse(source: &str) -> Result<Self, TemplateError> {
        let doc: toml::Table = source
            .parse()
            .map_err(|e: toml::de::Error| err("file", e.message().to_owned()))?;
        only_keys(&doc, &["protocol"], "file")?;
        let list = doc
            .get("protocol")
            .and_then(toml::Value::as_array)
            .ok_or_else(|| err("file", "expected [[protocol]] tables"))?;
        let mut templates: Vec<Template> = Vec::with_capacity(list.len());
        for (n, p) in list.iter().enumerate() {
            let at = format!("#{}", n + 1);
            let p = p
                .as_table()
                .ok_or_else(|| err(&at, "expected a [[protocol]] table"))?;
            only_keys(
                p,
                &[
                    "key",
                    "version",
                    "title",
                    "trigger",
                    "reviewed_by",
                    "reviewed_on",
                    "conditions",
                    "item",
                ],
                &at,
            )?;
            let key = text(p, "key", 60, &at)?;
            if !valid_key(&key) {
                return Err(err(&at, "`key` must be 1–60 of a-z, 0-9, - and _"));
            }
            let at = key.clone();
            let version = p
                .get("version")
                .and_then(toml::Value::as_integer)
                .and_then(|v| u32::try_from(v).ok())
                .filter(|v| *v >= 1)
                .ok_or_else(|| err(&at, "`version` must be a whole number from 1"))?;
            let at = format!("{key} v{version}");
            if templates
                .iter()
                .any(|t| t.key == key && t.version == version)
            {
                return Err(err(&at, "this key and version appear twice"));
            }
            let trigger = match p.get("trigger") {
                None => None,
                Some(v) => Some(
                    v.as_str()
                        .ok_or_else(|| err(&at, "`trigger` must be a string"))
                        .and_then(|s| Trigger::parse(s).map_err(|e| err(&at, e.to_string())))?,
                ),
            };
            let reviewed_on = text(p, "reviewed_on", 10, &at)?;
            if reviewed_on.len() != 10 || Timestamp::parse_rfc3339(&reviewed_on).is_err() {
                return Err(err(&at, "`reviewed_on` must be a date YYYY-MM-DD"));
            }
            let conditions: Vec<String> = match p.get("conditions") {
                None => Vec::new(),
                Some(v) => v
                    .as_array()
                    .ok_or_else(|| err(&at, "`conditions` must be a list of names"))?
                    .iter()
                    .map(|c| {
                        c.as_str()
                            .filter(|c| valid_key(c))
                            .map(str::to_owned)
                            .ok_or_else(|| {
                                err(&at, "each condition must be 1–60 of a-z, 0-9, - and _")
                            })
                    })
                    .collect::<Result<_, _>>()?,
            };
            let raw_items = p
                .get("item")
                .and_then(toml::Value::as_array)
                .filter(|a| !a.is_empty())
                .ok_or_else(|| err(&at, "a protocol needs at least one [[protocol.item]]"))?;
            if raw_items.len() > 100 {
                return Err(err(&at, "at most 100 items"));
            }
            let mut items: Vec<TemplateItem> = Vec::with_capacity(raw_items.len());
            let mut seen = BTreeSet::new();
            for (i, it) in raw_items.iter().enumerate() {
                let item_at = format!("{at} item #{}", i + 1);
                let it = it
                    .as_table()
                    .ok_or_else(|| err(&item_at, "expected a table"))?;
                only_keys(
                    it,
                    &["key", "text", "due_hours", "due_minutes", "when"],
                    &item_at,
                )?;
                let ikey = text(it, "key", 60, &item_at)?;
                if !valid_key(&ikey) || !seen.insert(ikey.clone()) {
                    return Err(err(
                        &item_at,
                        "`key` must be unique within the protocol and 1–60 of a-z, 0-9, - and _",
                    ));
                }
                let when = match it.get("when") {
                    None => None,
                    Some(w) => {
                        let w = w
                            .as_str()
                            .ok_or_else(|| err(&item_at, "`when` must be a string"))?;
                        if !conditions.iter().any(|c| c == w) {
                            return Err(err(
                                &item_at,
                                "`when` must name one of the protocol's `conditions`",
                            ));
                        }
                        Some(w.to_owned())
                    }
                };
                items.push(TemplateItem {
                    key: ikey,
                    text: text(it, "text", 300, &item_at)?,
                    due_after: due(it, &item_at)?,
                    when,
                });
            }
            templates.push(Template {
                key,
                version,
                title: text(p, "title", 200, &at)?,
                trigger,
                reviewed_by: text(p, "reviewed_by", 200, &at)?,
                reviewed_on,
                conditions,
                items,
            });
        }
        Ok(Self { templates })
    }

    /// Every version of every protocol, in file order.
    #[must_use]
    pub fn all(&self) -> &[Template] {
        &self.templates
    }

    /// The newest version of each protocol, in file order.
    #[must_use]
    pub fn latest(&self) -> Vec<&Template> {
        let mut out: Vec<&Template> = Vec::new();
        for t in &self.templates {
            match out.iter_mut().find(|o| o.key == t.key) {
                Some(o) if o.version < t.version => *o = t,
                Some(_) => {}
                None => out.push(t),
            }
        }
        out
    }

    /// A protocol by key: the given version, or the newest.
    #[must_use]
    pub fn get(&self, key: &str, version: Option<u32>) -> Option<&Template> {
        match version {
            Some(v) => self
                .templates
                .iter()
                .find(|t| t.key == key && t.version == v),
            None => self.latest().into_iter().find(|t| t.key == key),
        }
    }

    /// The newest versions that start by themselves on `trigger`.
    #[must_use]
    pub fn triggered_by(&self, trigger: Trigger) -> Vec<&Template> {
        self.latest()
            .into_iter()
            .filter(|t| t.trigger == Some(trigger))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: Duration = Duration::from_secs(3600);

    #[test]
    fn default_set_parses_and_says_what_the_design_asks() {
        let set = builtin().unwrap();
        let id = set.get("victim-identification", None).unwrap();
        assert_eq!(id.trigger, Some(Trigger::CaseActive));
        let advocate = id
            .items
            .iter()
            .find(|i| i.key == "advocate-notified")
            .unwrap();
        assert_eq!(advocate.due_after, 24 * HOUR);
        let cps = id
            .items
            .iter()
            .find(|i| i.key == "child-protection-notified")
            .unwrap();
        assert_eq!(cps.when.as_deref(), Some("minor"));
        assert!(cps.due_after <= HOUR);
        for t in set.latest() {
            assert!(!t.items.is_empty(), "{}", t.key);
        }
    }

    #[test]
    fn instantiation_computes_due_times_and_skips_undeclared_conditions() {
        let set = builtin().unwrap();
        let t = set.get("victim-identification", Some(1)).unwrap();
        let start = Timestamp::parse_rfc3339("2026-03-02T09:00:00Z").unwrap();
        let adult = t.instantiate(start, &[]).unwrap();
        let cps = adult
            .iter()
            .find(|i| i.key == "child-protection-notified")
            .unwrap();
        assert_eq!(cps.status, ItemStatus::NotApplicable);
        assert_eq!(cps.skipped_for.as_deref(), Some("minor"));
        let minor = t.instantiate(start, &["minor".into()]).unwrap();
        let cps = minor
            .iter()
            .find(|i| i.key == "child-protection-notified")
            .unwrap();
        assert_eq!(cps.status, ItemStatus::Open);
        assert_eq!(cps.due_at, start.plus(HOUR));
        let e = t.instantiate(start, &["minr".into()]).unwrap_err();
        assert!(e.contains("unknown condition `minr`"), "{e}");
    }

    #[test]
    fn overdue_only_when_open_and_past_due() {
        let due = Timestamp::parse_rfc3339("2026-03-03T09:00:00Z").unwrap();
        let before = Timestamp::parse_rfc3339("2026-03-03T08:59:59Z").unwrap();
        let after = Timestamp::parse_rfc3339("2026-03-03T09:00:01Z").unwrap();
        assert!(!is_overdue(ItemStatus::Open, due, before));
        assert!(!is_overdue(ItemStatus::Open, due, due));
        assert!(is_overdue(ItemStatus::Open, due, after));
        assert!(!is_overdue(ItemStatus::Done, due, after));
        assert!(!is_overdue(ItemStatus::NotApplicable, due, after));
    }

    #[test]
    fn item_workflow() {
        use ItemStatus::*;
        assert!(Open.may_become(Done));
        assert!(Open.may_become(NotApplicable));
        assert!(Done.may_become(Open));
        assert!(!Done.may_become(NotApplicable));
        assert!(!Done.may_become(Done));
        assert!(!Open.may_become(Open));
        assert!(NotApplicable.needs_note());
    }

    #[test]
    fn newest_version_wins_and_old_versions_stay_reachable() {
        let src = r#"
[[protocol]]
key = "p"
version = 1
title = "Old"
reviewed_by = "x"
reviewed_on = "2026-01-01"
[[protocol.item]]
key = "a"
text = "A"
due_hours = 1

[[protocol]]
key = "p"
version = 2
title = "New"
reviewed_by = "x"
reviewed_on = "2026-02-01"
[[protocol.item]]
key = "a"
text = "A, sooner"
due_minutes = 30
"#;
        let set = TemplateSet::parse(src).unwrap();
        assert_eq!(set.get("p", None).unwrap().title, "New");
        assert_eq!(set.get("p", Some(1)).unwrap().title, "Old");
        assert!(set.get("p", Some(3)).is_none());
        assert!(set.triggered_by(Trigger::CaseActive).is_empty());
    }

    #[test]
    fn bad_templates_are_refused_with_where_and_what() {
        let base = |item: &str, extra: &str| {
            format!(
                "[[protocol]]\nkey = \"p\"\nversion = 1\ntitle = \"T\"\nreviewed_by = \"x\"\nreviewed_on = \"2026-01-01\"\n{extra}\n[[protocol.item]]\n{item}\n"
            )
        };
        let cases = [
            (
                base("key = \"a\"\ntext = \"A\"\ndue_hours = -1", ""),
                "negative",
            ),
            (base("key = \"a\"\ntext = \"A\"", ""), "exactly one"),
            (
                base(
                    "key = \"a\"\ntext = \"A\"\ndue_hours = 1\ndue_minutes = 1",
                    "",
                ),
                "exactly one",
            ),
            (
                base("key = \"a\"\ntext = \"A\"\ndue_hours = 9000", ""),
                "365",
            ),
            (
                base(
                    "key = \"a\"\ntext = \"A\"\ndue_hours = 1\nwhen = \"minor\"",
                    "",
                ),
                "conditions",
            ),
            (
                base("key = \"a\"\ntext = \"A\"\ndue_hours = 1\ncolour = 1", ""),
                "unknown field `colour`",
            ),
            (
                base("key = \"A B\"\ntext = \"A\"\ndue_hours = 1", ""),
                "`key`",
            ),
            (
                base(
                    "key = \"a\"\ntext = \"A\"\ndue_hours = 1",
                    "trigger = \"case_closed\"",
                ),
                "unknown protocol trigger",
            ),
            (
                base("key = \"a\"\ntext = \"A\"\ndue_hours = 1", "")
                    .replace("2026-01-01", "last week"),
                "reviewed_on",
            ),
            ("[[protocol]]\nkey = \"p\"".to_owned(), "version"),
            ("not toml at all [".to_owned(), "file"),
        ];
        for (src, want) in cases {
            let e = TemplateSet::parse(&src).unwrap_err().to_string();
            assert!(e.contains(want), "expected `{want}` in: {e}\n{src}");
        }
    }

    proptest::proptest! {
        /// Arbitrary text never panics the template parser.
        #[test]
        fn parser_never_panics(s in "\\PC{0,400}") {
            let _ = TemplateSet::parse(&s);
        }

        /// Due times are the start plus the offset, so they never precede the start.
        #[test]
        fn due_never_before_start(secs in 0i64..4_000_000_000, conds in proptest::collection::vec(proptest::sample::select(vec!["minor", "foreign_national"]), 0..3)) {
            let start = Timestamp::from_unix_micros(secs * 1_000_000);
            let conds: Vec<String> = conds.into_iter().map(str::to_owned).collect();
            let t = builtin().unwrap().get("victim-identification", None).unwrap();
            for i in t.instantiate(start, &conds).unwrap() {
                proptest::prop_assert!(i.due_at >= start);
                proptest::prop_assert_eq!(i.status == ItemStatus::NotApplicable, i.skipped_for.is_some());
            }
        }
    }
}
