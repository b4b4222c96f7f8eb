//! Social, messaging and payment handles (design §5): platform cues (`IG: @name`,
//! `snap: name`, `kik id: name`, `wechat: name`, `line id: name`, `kakao: name`,
//! `signal: name.22`, and in East
//! Asian scripts `微信：name`, `ラインID: name`, `카톡 name`: module `east_asian`), profile links
//! (`instagram.com/name`, `t.me/name`, `paypal.me/name`, `line.me/ti/p/~id`), the ghost emoji
//! for Snapchat (`👻: name`), `$cashtags` and bare `@name` (platform `unknown`). A cue may be
//! followed by `me` or `is` (`kik me jane22`). E-mail addresses are never read as handles.
//!
//! Links and cues are the matches of two patterns found by hand-written linear-time scanners
//! (module `scan`) that give exactly what the regex engine gave for them (the tests keep the
//! regexes as the reference); `$cashtags` and `@names` come from byte searches for `$` and `@`.

mod east_asian;
mod scan;
#[cfg(test)]
mod tests;

use std::cell::RefCell;

use crate::dedup::{KeptKeys, TakenSpans};
use crate::email::EmailHit;
use crate::fold::SNAPCHAT_GHOST;
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
        "wechat" => (HandleKind::Messaging, "_-", 6, 20),
        "line" => (HandleKind::Messaging, "._-", 4, 20),
        "kakao" => (HandleKind::Messaging, "._-", 4, 20),
        "signal" => (HandleKind::Messaging, "._", 6, 42),
        _ => (HandleKind::Social, "._", 2, 30),
    }
}

/// Whether a name has a digit, `_` or `.`, which words do not: what a name needs after a cue
/// without a marker, or after `line` (an ordinary word) with one. Judged without the trailing
/// `.`, `-`, `_` that [`normalise`] trims: a sentence's full stop makes no word an ID
/// (`insta private.` gave instagram `private`).
fn looks_like_id(name: &str) -> bool {
    name.trim_end_matches(['.', '-', '_'])
        .bytes()
        .any(|b| b.is_ascii_digit() || b == b'_' || b == b'.')
}

/// Whether `name` has the form of a Signal username (since 2024): a nickname of 3–32 letters,
/// digits or `_` that starts with a letter, a `.`, and 2–9 digits (`jane_doe.22`). Signal is an
/// ordinary word (`no signal`, `signal me`), and this form is no word's.
fn is_signal_username(name: &str) -> bool {
    let Some((nickname, digits)) = name.rsplit_once('.') else {
        return false;
    };
    (3..=32).contains(&nickname.len())
        && nickname.as_bytes()[0].is_ascii_alphabetic()
        && nickname
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && (2..=9).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Whether a name has the form `platform` requires beyond its characters and length
/// ([`rules`]): a Signal username's.
fn has_platform_form(platform: &str, name: &str) -> bool {
    platform != "signal" || is_signal_username(name)
}

/// Whether `platform`'s names must begin with a letter besides holding one: a WeChat ID does
/// (WeChat refuses any other), so `wechat: 88jane` is not one.
fn starts_with_letter_required(platform: &str) -> bool {
    platform == "wechat"
}

/// Whether a name after a cue is a word that follows a platform cue and its marker as an
/// instruction, not a name ("kik - text me first", "snap: ask for it", "insta - call"): read as
/// handles they would be one junk selector shared by unrelated ads. Compared after the trailing
/// `.`, `-`, `_` that [`normalise`] trims, in any case; most names are longer than any of the
/// words and are settled by their length.
fn is_instruction_word(name: &str) -> bool {
    const LONGEST: usize = 7;
    let word = name.trim_end_matches(['.', '-', '_']).as_bytes();
    let mut lower = [0u8; LONGEST];
    let Some(lower) = lower.get_mut(..word.len()) else {
        return false;
    };
    lower.copy_from_slice(word);
    lower.make_ascii_lowercase();
    matches!(
        &*lower,
        b"add"
            | b"and"
            | b"ask"
            | b"at"
            | b"below"
            | b"call"
            | b"dm"
            | b"first"
            | b"follow"
            | b"for"
            | b"here"
            | b"is"
            | b"me"
            | b"message"
            | b"msg"
            | b"my"
            | b"now"
            | b"only"
            | b"or"
            | b"please"
            | b"pls"
            | b"same"
            | b"text"
            | b"the"
            | b"to"
            | b"txt"
    )
}

/// Every `$cashtag` name, from [`cashtag_at`] at each `$` (the tests' view: `find` takes the `$`
/// bytes from one search together with the `@` bytes).
#[cfg(test)]
fn cashtag_names(bytes: &[u8]) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    memchr::memchr_iter(b'$', bytes).filter_map(move |p| cashtag_at(bytes, p))
}

/// The name the `$` at `p` begins, as the regex `(?i-u)(?:^|[^a-z0-9$])\$([a-z][a-z0-9]{0,19})\b`
/// would capture it (tested against it): a `$` not preceded by a letter, digit or `$`, then a
/// letter and at most 19 more letters or digits forming a whole word (no letter, digit or `_`
/// after it; a longer run has no shorter prefix ending at a word boundary, so it yields nothing).
fn cashtag_at(bytes: &[u8], p: usize) -> Option<std::ops::Range<usize>> {
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
}

/// Every bare `@mention` name, from [`bare_name_at`] at each `@` (the tests' view, as for
/// [`cashtag_names`]).
#[cfg(test)]
fn bare_names(bytes: &[u8]) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    memchr::memchr_iter(b'@', bytes).filter_map(move |p| bare_name_at(bytes, p))
}

/// The name the `@` at `p` begins, as the regex `(?i-u)(?:^|[^a-z0-9._%+\-])@([a-z0-9._]{2,30})`
/// would capture it (tested against it): an `@` not preceded by a local-part character, then the
/// longest run of at most 30 letters, digits, `.` and `_`, at least two long. (A name never
/// swallows the byte before a later `@`'s condition: name bytes are local-part characters.)
fn bare_name_at(bytes: &[u8], p: usize) -> Option<std::ops::Range<usize>> {
    let local = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-');
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
}

/// The matched bytes as text, borrowed (every capture used here is ASCII by its pattern, so
/// the lossy conversion never has to replace anything or copy).
fn ascii(b: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(b) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(b),
    }
}

/// [`ascii`] of `text`'s bytes at `range`, without validating them again: a capture used here is
/// ASCII by its pattern, so both its ends are character boundaries and it is a slice of `text`
/// (a range that were not would take the conversion; the same text either way, tested).
fn capture(text: &str, range: std::ops::Range<usize>) -> std::borrow::Cow<'_, str> {
    match text.get(range.clone()) {
        Some(s) => std::borrow::Cow::Borrowed(s),
        None => ascii(&text.as_bytes()[range]),
    }
}

/// Lowercases and checks a handle against its platform's rules, trimming sentence punctuation.
/// The rules are checked on the text as written (a byte is a letter, digit or allowed extra
/// character exactly when its lower-case form is), so only an accepted handle is copied.
fn normalise(platform: &'static str, raw: &str) -> Option<(String, HandleKind, usize)> {
    let trimmed = raw.trim_end_matches(['.', '-', '_']);
    let (kind, extra, min, max) = rules(platform);
    let ok = (min..=max).contains(&trimmed.len())
        && trimmed
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || extra.as_bytes().contains(&b))
        && trimmed.bytes().any(|b| b.is_ascii_alphabetic())
        && (!starts_with_letter_required(platform)
            || trimmed
                .as_bytes()
                .first()
                .is_some_and(u8::is_ascii_alphabetic))
        && has_platform_form(platform, trimmed);
    ok.then(|| (trimmed.to_ascii_lowercase(), kind, trimmed.len()))
}

/// [`normalise`] as it was written before, lowercasing first (the tests' reference).
#[cfg(test)]
fn normalise_lowercasing_first(
    platform: &'static str,
    raw: &str,
) -> Option<(String, HandleKind, usize)> {
    let trimmed = raw.trim_end_matches(['.', '-', '_']);
    let (kind, extra, min, max) = rules(platform);
    let h = trimmed.to_ascii_lowercase();
    let ok = (min..=max).contains(&h.len())
        && h.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || extra.as_bytes().contains(&b))
        && h.bytes().any(|b| b.is_ascii_lowercase())
        && (!starts_with_letter_required(platform)
            || h.as_bytes().first().is_some_and(u8::is_ascii_lowercase))
        && has_platform_form(platform, &h);
    ok.then_some((h, kind, trimmed.len()))
}

/// Finds the handles of `text`, skipping anything inside an e-mail address or wallet.
pub fn find(text: &str, emails: &[EmailHit], wallets: &[WalletHit]) -> Vec<HandleHit> {
    let east_asian = text.chars().any(crate::fold::is_east_asian);
    let ghost = text.contains(SNAPCHAT_GHOST);
    let spaced_letters = text.chars().any(crate::word_char::continues_word);
    find_with(text, emails, wallets, east_asian, ghost, spaced_letters)
}

/// [`find`] told whether `text` holds a character of U+3000–U+D7FF or a fullwidth colon, and
/// whether it holds the Snapchat ghost (as the fold found out): only then are cues in East
/// Asian scripts, or the ghost as a cue, looked for; and whether it may hold a letter of a
/// spaced script such as `é` (`Folded::spaced_letters`): only then can a name run into one.
pub(crate) fn find_with(
    text: &str,
    emails: &[EmailHit],
    wallets: &[WalletHit],
    east_asian: bool,
    ghost: bool,
    spaced_letters: bool,
) -> Vec<HandleHit> {
    let mut out: Vec<HandleHit> = Vec::new();
    // The spans a handle may not overlap: e-mails, wallets, the handles kept and the names
    // cut from longer words (below; `snap twitter.com/café` is no Snapchat `twitter.com`
    // either). A scan of them while they are few; past that an ordered map (built then), so
    // that a text with a million names takes linear time, as does the de-duplication by name.
    let held: RefCell<Vec<Span>> = RefCell::default();
    let index: RefCell<Option<(TakenSpans, usize)>> = RefCell::new(None);
    let kept_names: RefCell<KeptKeys<(&'static str, String)>> = RefCell::default();
    let taken = |span: &Span| {
        let held = held.borrow();
        let overlaps = |s: &Span| s.start < span.end && span.start < s.end;
        if emails.len() + wallets.len() + held.len() <= crate::dedup::FEW {
            return emails
                .iter()
                .map(|e| &e.span)
                .chain(wallets.iter().map(|w| &w.span))
                .chain(held.iter())
                .any(overlaps);
        }
        let mut index = index.borrow_mut();
        let (spans, synced) = index.get_or_insert_with(|| {
            let mut spans = TakenSpans::default();
            for s in emails
                .iter()
                .map(|e| &e.span)
                .chain(wallets.iter().map(|w| &w.span))
            {
                spans.take(s);
            }
            (spans, 0)
        });
        for s in held.get(*synced..).unwrap_or_default() {
            spans.take(s);
        }
        *synced = held.len();
        spans.overlaps(span)
    };
    let push = |out: &mut Vec<HandleHit>, hit: HandleHit| {
        // Platforms' names are ASCII: one that runs on into a letter such as `é` was cut from
        // a longer word (`ig: josé_22`, `twitter.com/café`) and would name someone else.
        if spaced_letters && crate::word_char::word_at(text, hit.span.end) {
            held.borrow_mut().push(hit.span);
            return;
        }
        if !taken(&hit.span)
            && !kept_names.borrow_mut().contains(
                out,
                |h| h.platform == hit.platform && h.handle == hit.handle,
                |h| (h.platform, h.handle.clone()),
                || (hit.platform, hit.handle.clone()),
            )
        {
            held.borrow_mut().push(hit.span.clone());
            out.push(hit);
        }
    };
    // A name after a cue (from `start`; the name from `name_start`): no instruction word, and
    // valid for the platform.
    let push_named = |out: &mut Vec<HandleHit>,
                      platform: &'static str,
                      name: &str,
                      start: usize,
                      name_start: usize| {
        if is_instruction_word(name) {
            return;
        }
        if let Some((handle, kind, len)) = normalise(platform, name) {
            let span = start..name_start + len;
            push(
                out,
                HandleHit {
                    raw: String::new(),
                    span,
                    platform,
                    handle,
                    kind,
                },
            );
        }
    };
    let bytes = text.as_bytes();
    let found = scan::scan(bytes);
    // Links have only ever been looked for in texts holding a `/`; kept so results stay the same
    // (and the search is only needed when there is a link).
    let links = if !found.links.is_empty() && memchr::memchr(b'/', bytes).is_some() {
        &found.links[..]
    } else {
        &[]
    };
    for link in links {
        let platform = link.platform;
        let name_str = capture(text, link.name.clone());
        if let Some(code) = name_str.strip_prefix('+') {
            // t.me/+digits is a phone (found by the phone extractor); +letters is an invite.
            if platform == "telegram" && code.bytes().any(|b| b.is_ascii_alphabetic()) {
                push(
                    &mut out,
                    HandleHit {
                        raw: String::new(),
                        span: link.host.start..link.name.end,
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
                    span: link.host.start..link.name.start + len,
                    platform,
                    handle,
                    kind,
                },
            );
        }
    }
    for cue in &found.cues {
        let sep = &bytes[cue.sep.clone()];
        let name_str = capture(text, cue.name.clone());
        let marked = sep.iter().any(|b| matches!(b, b':' | b'@' | b'-' | b'='));
        // A filler word (`my ig is jane.22`) stands for a short cue's marker; unmarked, the name
        // must then be one no word is (below).
        let filler = sep.iter().any(u8::is_ascii_alphabetic);
        if (cue.needs_mark && !marked && !filler) || sep.is_empty() {
            continue;
        }
        // "insta name": an ordinary following word is a handle only with a marker or a digit/_/.
        // After `line`, itself an ordinary word even before a marker ("bottom line: cash only",
        // "line-dancing"), a name needs the digit/_/. in any case.
        let ordinary_cue = bytes[cue.cue.clone()].eq_ignore_ascii_case(b"line");
        if (!marked || ordinary_cue) && !looks_like_id(&name_str) {
            continue;
        }
        push_named(
            &mut out,
            cue.platform,
            &name_str,
            cue.cue.start,
            cue.name.start,
        );
    }
    // Before the `@name`s: `微信：@jane88` is a WeChat ID.
    if east_asian {
        for cue in east_asian::find(text) {
            let name_str = capture(text, cue.name.clone());
            // A Latin `line` needs an ID-like name before a fullwidth colon as before any other
            // marker.
            if cue.latin && cue.platform == "line" && !looks_like_id(&name_str) {
                continue;
            }
            push_named(
                &mut out,
                cue.platform,
                &name_str,
                cue.span_start,
                cue.name.start,
            );
        }
    }
    // The ghost emoji stands for Snapchat (`👻: jane_22`, `snap 👻 jane_22`); like a cue that
    // is an ordinary word, it takes a name with a marker or one no word has.
    if ghost {
        let mut buf = [0u8; 4];
        let ghost_bytes = SNAPCHAT_GHOST.encode_utf8(&mut buf).as_bytes();
        for at in memchr::memmem::find_iter(bytes, ghost_bytes) {
            let Some((marked, name)) = east_asian::tail(text, at + ghost_bytes.len()) else {
                continue;
            };
            let name_str = capture(text, name.clone());
            if marked || looks_like_id(&name_str) {
                push_named(&mut out, "snapchat", &name_str, at, name.start);
            }
        }
    }
    // One pass over the `$` and `@` bytes (few, and in most texts none): `$cashtags` are taken
    // as they come, the `@`s kept for after them (the first few in place, the rest searched
    // again), so that the hits are pushed in the same order as two searches would give.
    const KEPT: usize = 8;
    let (mut ats, mut kept, mut more_from) = ([0usize; KEPT], 0, None);
    for p in memchr::memchr2_iter(b'$', b'@', bytes) {
        if bytes[p] == b'@' {
            match ats.get_mut(kept) {
                Some(slot) => {
                    *slot = p;
                    kept += 1;
                }
                None => {
                    more_from.get_or_insert(p);
                }
            }
            continue;
        }
        let Some(name) = cashtag_at(bytes, p) else {
            continue;
        };
        if let Some((handle, kind, len)) = normalise("cashapp", &capture(text, name.clone())) {
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
    let more = more_from.map_or(&[][..], |from| &bytes[from..]);
    let offset = more_from.unwrap_or(0);
    let at_positions = ats[..kept]
        .iter()
        .copied()
        .chain(memchr::memchr_iter(b'@', more).map(|k| offset + k));
    for name in at_positions.filter_map(|p| bare_name_at(bytes, p)) {
        if let Some((handle, kind, len)) = normalise("unknown", &capture(text, name.clone())) {
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
