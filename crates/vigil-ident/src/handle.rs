//! Social, messaging and payment handles (design §5): platform cues (`IG: @name`,
//! `snap: name`), profile links (`instagram.com/name`, `t.me/name`, `paypal.me/name`),
//! `$cashtags` and bare `@name` (platform `unknown`). E-mail addresses are never read as handles.

use std::sync::OnceLock;

use regex::bytes::Regex;

use crate::email::EmailHit;
use crate::wallet::WalletHit;
use crate::Span;

/// What a handle is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HandleKind {
    Social,
    Messaging,
    Payment,
    /// A Telegram invite link (`t.me/+AbC…`): a group, not a person.
    Invite,
}

impl HandleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            HandleKind::Social => "social",
            HandleKind::Messaging => "messaging",
            HandleKind::Payment => "payment",
            HandleKind::Invite => "invite",
        }
    }
}

/// One handle: `(platform, handle lowercased)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandleHit {
    pub span: Span,
    /// The original text at `span`.
    pub raw: String,
    pub platform: &'static str,
    pub handle: String,
    pub kind: HandleKind,
}

/// (platform, kind, allowed extra characters besides a-z0-9, min length, max length).
fn rules(platform: &str) -> (HandleKind, &'static str, usize, usize) {
    match platform {
        "instagram" => (HandleKind::Social, "._", 1, 30),
        "x" => (HandleKind::Social, "_", 1, 15),
        "telegram" => (HandleKind::Messaging, "_", 5, 32),
        "snapchat" => (HandleKind::Social, "._-", 3, 15),
        "kik" => (HandleKind::Messaging, "._", 2, 20),
        "onlyfans" => (HandleKind::Social, "._-", 1, 30),
        "fansly" => (HandleKind::Social, "._-", 1, 30),
        "tiktok" => (HandleKind::Social, "._", 2, 24),
        "cashapp" => (HandleKind::Payment, "", 1, 20),
        "venmo" => (HandleKind::Payment, "_-", 5, 30),
        "paypal" => (HandleKind::Payment, "", 1, 20),
        _ => (HandleKind::Social, "._", 2, 30),
    }
}

fn platform_of_cue(cue: &str) -> Option<(&'static str, bool)> {
    // (platform, needs ':' or '@' after the cue because the cue is also an ordinary word)
    Some(match cue {
        "instagram" | "insta" => ("instagram", false),
        "ig" => ("instagram", true),
        "snapchat" | "snap" => ("snapchat", false),
        "sc" => ("snapchat", true),
        "kik" => ("kik", false),
        "twitter" => ("x", false),
        "x" => ("x", true),
        "telegram" => ("telegram", false),
        "tg" => ("telegram", true),
        "onlyfans" => ("onlyfans", false),
        "of" => ("onlyfans", true),
        "fansly" => ("fansly", false),
        "tiktok" => ("tiktok", false),
        "cashapp" | "cash app" => ("cashapp", false),
        "venmo" => ("venmo", false),
        _ => return None,
    })
}

fn link_platform(host: &str) -> Option<&'static str> {
    Some(match host {
        "instagram.com" | "instagr.am" => "instagram",
        "onlyfans.com" => "onlyfans",
        "fansly.com" => "fansly",
        "twitter.com" | "x.com" => "x",
        "t.me" | "telegram.me" => "telegram",
        "snapchat.com/add" => "snapchat",
        "tiktok.com/@" => "tiktok",
        "paypal.me" | "paypal.com/paypalme" => "paypal",
        "venmo.com" | "venmo.com/u" => "venmo",
        "cash.app/$" => "cashapp",
        _ => return None,
    })
}

struct Patterns {
    link: Regex,
    cue: Regex,
}

/// The names of `$cashtags`, as the regex `(?i-u)(?:^|[^a-z0-9$])\$([a-z][a-z0-9]{0,19})\b`
/// would capture them (tested against it), found from the `$` bytes alone: a `$` not preceded
/// by a letter, digit or `$`, then a letter and at most 19 more letters or digits forming a
/// whole word (no letter, digit or `_` after it; a longer run has no shorter prefix ending at a
/// word boundary, so it yields nothing).
fn cashtag_names(bytes: &[u8]) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    memchr::memchr_iter(b'$', bytes).filter_map(move |p| {
        if p > 0 && (bytes[p - 1].is_ascii_alphanumeric() || bytes[p - 1] == b'$') {
            return None;
        }
        let start = p + 1;
        if !bytes.get(start)?.is_ascii_alphabetic() {
            return None;
        }
        let len = bytes[start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        let at_boundary = bytes.get(start + len).is_none_or(|&b| b != b'_');
        (len <= 20 && at_boundary).then_some(start..start + len)
    })
}

/// The names of bare `@mentions`, as the regex `(?i-u)(?:^|[^a-z0-9._%+\-])@([a-z0-9._]{2,30})`
/// would capture them (tested against it): an `@` not preceded by a local-part character, then
/// the longest run of at most 30 letters, digits, `.` and `_`, at least two long. (A name never
/// swallows the byte before a later `@`'s condition: name bytes are local-part characters.)
fn bare_names(bytes: &[u8]) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let local = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-');
    memchr::memchr_iter(b'@', bytes).filter_map(move |p| {
        if p > 0 && local(bytes[p - 1]) {
            return None;
        }
        let start = p + 1;
        let len = bytes[start..]
            .iter()
            .take(30)
            .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_')
            .count();
        (len >= 2).then_some(start..start + len)
    })
}

fn patterns() -> Option<&'static Patterns> {
    static P: OnceLock<Option<Patterns>> = OnceLock::new();
    P.get_or_init(|| {
        Some(Patterns {
            link: Regex::new(
                r"(?i-u)\b(instagram\.com|instagr\.am|onlyfans\.com|fansly\.com|twitter\.com|x\.com|t\.me|telegram\.me|snapchat\.com/add|tiktok\.com/@|paypal\.me|paypal\.com/paypalme|venmo\.com/u|venmo\.com|cash\.app/\$)/?(\+?[a-z0-9._\-]{1,40})",
            )
            .ok()?,
            cue: Regex::new(
                // Short cues that are also words ("of", "x") only with a marker after them.
                r"(?i-u)\b(?:(instagram|insta|snapchat|snap|kik|twitter|telegram|onlyfans|fansly|tiktok|cash ?app|venmo)\b(\s*(?::|-|=>?)?\s*@?\s*)|(ig|sc|x|tg|of)(\s*(?::|-|=>?|@)\s*@?\s*))([a-z0-9._\-]{1,40})",
            )
            .ok()?,
        })
    })
    .as_ref()
}

/// The matched bytes as text (every capture used here is ASCII by its pattern).
fn ascii(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Lowercases and checks a handle against its platform's rules, trimming sentence punctuation.
fn normalise(platform: &'static str, raw: &str) -> Option<(String, HandleKind, usize)> {
    let trimmed = raw.trim_end_matches(['.', '-', '_']);
    let (kind, extra, min, max) = rules(platform);
    let h = trimmed.to_ascii_lowercase();
    let ok = (min..=max).contains(&h.len())
        && h.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || extra.as_bytes().contains(&b))
        && h.bytes().any(|b| b.is_ascii_lowercase());
    ok.then_some((h, kind, trimmed.len()))
}

/// Finds the handles of `text`, skipping anything inside an e-mail address or wallet.
pub fn find(text: &str, emails: &[EmailHit], wallets: &[WalletHit]) -> Vec<HandleHit> {
    let mut out: Vec<HandleHit> = Vec::new();
    let Some(p) = patterns() else { return out };
    let taken = |out: &[HandleHit], span: &Span| {
        emails
            .iter()
            .map(|e| &e.span)
            .chain(wallets.iter().map(|w| &w.span))
            .chain(out.iter().map(|h| &h.span))
            .any(|s| s.start < span.end && span.start < s.end)
    };
    let push = |out: &mut Vec<HandleHit>, hit: HandleHit| {
        if !taken(out, &hit.span)
            && !out
                .iter()
                .any(|h| h.platform == hit.platform && h.handle == hit.handle)
        {
            out.push(hit);
        }
    };
    let bytes = text.as_bytes();
    let has_slash = bytes.contains(&b'/');
    let has_dollar = bytes.contains(&b'$');
    let has_at = bytes.contains(&b'@');
    for c in p.link.captures_iter(if has_slash { bytes } else { &[] }) {
        let (Some(host), Some(name)) = (c.get(1), c.get(2)) else {
            continue;
        };
        let Some(platform) = link_platform(&ascii(host.as_bytes()).to_ascii_lowercase()) else {
            continue;
        };
        let full_start = host.start();
        let name_str = ascii(name.as_bytes());
        if let Some(code) = name_str.strip_prefix('+') {
            // t.me/+digits is a phone (found by the phone extractor); +letters is an invite.
            if platform == "telegram" && code.bytes().any(|b| b.is_ascii_alphabetic()) {
                push(
                    &mut out,
                    HandleHit {
                        raw: String::new(),
                        span: full_start..name.end(),
                        platform,
                        handle: code.to_owned(),
                        kind: HandleKind::Invite,
                    },
                );
            }
            continue;
        }
        if let Some((handle, kind, len)) = normalise(platform, &name_str) {
            push(
                &mut out,
                HandleHit {
                    raw: String::new(),
                    span: full_start..name.start() + len,
                    platform,
                    handle,
                    kind,
                },
            );
        }
    }
    for c in p.cue.captures_iter(bytes) {
        let (Some(cue), Some(sep), Some(name)) =
            (c.get(1).or(c.get(3)), c.get(2).or(c.get(4)), c.get(5))
        else {
            continue;
        };
        let cue_l = ascii(cue.as_bytes()).to_ascii_lowercase();
        let (sep, name_str) = (ascii(sep.as_bytes()), ascii(name.as_bytes()));
        let Some((platform, needs_mark)) = platform_of_cue(&cue_l) else {
            continue;
        };
        let marked = sep.contains([':', '@', '-', '=']);
        if (needs_mark && !marked) || sep.is_empty() {
            continue;
        }
        // "insta name": an ordinary following word is a handle only with a marker or a digit/_/.
        if !marked
            && !name_str
                .bytes()
                .any(|b| b.is_ascii_digit() || b == b'_' || b == b'.')
        {
            continue;
        }
        if let Some((handle, kind, len)) = normalise(platform, &name_str) {
            push(
                &mut out,
                HandleHit {
                    raw: String::new(),
                    span: cue.start()..name.start() + len,
                    platform,
                    handle,
                    kind,
                },
            );
        }
    }
    for name in cashtag_names(if has_dollar { bytes } else { &[] }) {
        if let Some((handle, kind, len)) = normalise("cashapp", &ascii(&bytes[name.clone()])) {
            push(
                &mut out,
                HandleHit {
                    raw: String::new(),
                    span: name.start - 1..name.start + len,
                    platform: "cashapp",
                    handle,
                    kind,
                },
            );
        }
    }
    for name in bare_names(if has_at { bytes } else { &[] }) {
        if let Some((handle, kind, len)) = normalise("unknown", &ascii(&bytes[name.clone()])) {
            push(
                &mut out,
                HandleHit {
                    raw: String::new(),
                    span: name.start - 1..name.start + len,
                    platform: "unknown",
                    handle,
                    kind,
                },
            );
        }
    }
    out.sort_by_key(|h| h.span.start);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn handles(text: &str) -> Vec<(String, String)> {
        let emails = crate::email::find(text);
        find(text, &emails, &[])
            .into_iter()
            .map(|h| (h.platform.to_owned(), h.handle))
            .collect()
    }

    fn pair(p: &str, h: &str) -> (String, String) {
        (p.to_owned(), h.to_owned())
    }

    #[test]
    fn cues_links_and_payments() {
        assert_eq!(
            handles("IG: @Sweet.Jane"),
            [pair("instagram", "sweet.jane")]
        );
        assert_eq!(
            handles("snap: jane_doe22"),
            [pair("snapchat", "jane_doe22")]
        );
        assert_eq!(
            handles("see instagram.com/jane.doe/"),
            [pair("instagram", "jane.doe")]
        );
        assert_eq!(
            handles("https://t.me/janedoe99"),
            [pair("telegram", "janedoe99")]
        );
        assert_eq!(
            handles("tips $JaneDoe or paypal.me/janedoe"),
            [pair("cashapp", "janedoe"), pair("paypal", "janedoe")]
        );
        assert_eq!(handles("venmo @jane-doe"), [pair("venmo", "jane-doe")]);
        assert_eq!(handles("msg @janedoe"), [pair("unknown", "janedoe")]);
        assert_eq!(
            handles("join t.me/+AbCdEf123"),
            [pair("telegram", "AbCdEf123")]
        );
    }

    fn regex_names(pattern: &str, text: &str) -> Vec<std::ops::Range<usize>> {
        let re = Regex::new(pattern).expect("pattern");
        re.captures_iter(text.as_bytes())
            .filter_map(|c| c.get(1).map(|m| m.range()))
            .collect()
    }

    proptest::proptest! {
        /// The byte scanners capture exactly what the regexes they replace capture.
        #[test]
        fn cashtag_and_bare_scanners_equal_their_regexes(
            text in "([$@a-zA-Z0-9_.%+\\- é]{0,6}[$@]{0,2}[a-zA-Z0-9_.]{0,33}){0,6}"
        ) {
            let cashtag = regex_names(r"(?i-u)(?:^|[^a-z0-9$])\$([a-z][a-z0-9]{0,19})\b", &text);
            let bare = regex_names(r"(?i-u)(?:^|[^a-z0-9._%+\-])@([a-z0-9._]{2,30})", &text);
            proptest::prop_assert_eq!(cashtag_names(text.as_bytes()).collect::<Vec<_>>(), cashtag);
            proptest::prop_assert_eq!(bare_names(text.as_bytes()).collect::<Vec<_>>(), bare);
        }
    }

    #[test]
    fn traps() {
        assert!(
            handles("write jane@example.com").is_empty(),
            "an e-mail is not a handle"
        );
        assert!(handles("$150 $250hh").is_empty(), "prices are not cashtags");
        assert!(
            handles("t.me/+14805550142").is_empty(),
            "a phone link is not a handle"
        );
        assert!(handles("one of the best").is_empty());
    }
}
