//! E-mail addresses (design §5), plain and written out (`name [at] host [dot] com`,
//! `name[@]host[.]com`, `name at gmail dot com`, `name at gmail.com`, fullwidth
//! `name＠gmail．com`). The domain must end in a public suffix, or be a mail provider's name
//! alone (`name22 at gmail`, in a text with no other address). A bare `at` is rewritten only
//! when the result validates, so `in at 9, out at 11` yields nothing, and a bare `at` before a
//! domain written with plain dots only when the domain is a known mail provider's
//! (`MAIL_PROVIDERS`) or the local part could not be a word (a digit or one of `. _ % +`), so
//! `more pics at mysite.com` yields nothing either; nor does a pronoun before a bare `at`
//! (`meet me at hotel dot com`).
//!
//! Candidates are the matches of the pattern (ASCII, any case)
//! `LOCAL AT LABEL (?:DOT LABEL){1,8}` with
//! `LOCAL = [a-z0-9._%+\-]{1,64}(?:BDOT [a-z0-9._%+\-]{1,64})*` before an `AT` that is written
//! out or bracketed, and one run before an `@`: runs joined by a bracketed dot,
//! `BDOT = \s*[\[({<]\s*(?:dot|\.)\s*[\])}>]\s*`, make one local part, `jane[dot]doe[at]`
//! is `jane.doe@`, where the whole address is written out (a bracketed dot before a plain
//! `jane.doe@gmail.com` is other text),
//! `AT = \s*@\s* | \s*[\[({<]\s*(?:at|@)\s*[\])}>]\s* | \s+at\s+`,
//! `DOT = \s*\.\s* | \s*[\[({<]\s*(?:dot|\.)\s*[\])}>]\s* | \s+dot\s+` and
//! `LABEL = [a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?`, found by a hand-written linear-time scan
//! (module `scan`) that gives exactly the spans the regex engine gave for this pattern (the
//! tests keep the regex as the reference).
//!
//! In a text that may hold a letter such as `é` (the fold tells), `intl` then drops a hit that one
//! runs into (a piece of a word: `22@gmail.com` out of `josé22@gmail.com`), reads international
//! addresses around each `@` whole, the domain in ASCII by punycode, and reads written-out ones
//! with such letters in their local part (`josé at gmail dot com`).

mod intl;
mod scan;
#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::cell::Cell;
use std::sync::LazyLock;

use rustc_hash::FxHashSet;

use crate::dedup::KeptKeys;
use crate::fold::{FULLWIDTH_AT, FULLWIDTH_DOT};
use crate::tld_table::TLDS;
use crate::Span;

/// One validated address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmailHit {
    pub span: Span,
    /// The original text at `span`.
    pub raw: String,
    /// Local part as written, `@`, domain lowercased.
    pub address: String,
    /// Written out or spaced rather than as `local@domain`.
    pub obfuscated: bool,
}

/// Whether `s` is a public suffix (the tests' reference; `find` uses [`is_tld_in_any_case`]).
#[cfg(test)]
fn is_tld(s: &str) -> bool {
    TLDS.binary_search(&s).is_ok()
}

/// Finds the e-mail addresses of `text`, de-duplicated by address.
pub fn find(text: &str) -> Vec<EmailHit> {
    find_with(
        text,
        text.chars().any(crate::fold::is_fullwidth_email_sign),
        text.chars().any(crate::word_char::continues_word),
    )
}

/// [`find`] told whether `text` holds a fullwidth `＠` or `．` (as the fold found out). Such a
/// text is read with each of them written as its ASCII sign and two spaces, the same three
/// bytes long, so that the spans stay those of `text` (the signs then read as spaced ones:
/// obfuscated). `spaced_letters` tells whether it may hold a letter such as `é`
/// (`Folded::spaced_letters`): only then are international addresses read (`intl`).
pub(crate) fn find_with(text: &str, fullwidth_signs: bool, spaced_letters: bool) -> Vec<EmailHit> {
    if fullwidth_signs {
        let ascii_signs = text
            .replace(FULLWIDTH_AT, "@  ")
            .replace(FULLWIDTH_DOT, ".  ");
        find_in(&ascii_signs, spaced_letters)
    } else {
        find_in(text, spaced_letters)
    }
}

/// [`find`] of a text whose signs are ASCII.
fn find_in(text: &str, spaced_letters: bool) -> Vec<EmailHit> {
    let mut out: Vec<EmailHit> = Vec::new();
    // Every accepted form has an `@`, a bracketed `at`, a `dot` word or a bare `at` before a
    // dotted domain or a provider's name.
    if !may_hold_email(text.as_bytes()) {
        return out;
    }
    let dotless = Cell::new(false);
    let mut any_match = false;
    let mut kept = KeptKeys::default();
    let mut push = |out: &mut Vec<EmailHit>, hit: EmailHit| {
        // A domain followed by a path is a link ("text me at wa.me/1480…"), not an address.
        if text.as_bytes().get(hit.span.end) != Some(&b'/')
            && !kept.contains_str(out, |h| &h.address, &hit.address)
        {
            out.push(hit);
        }
    };
    for m in scan::matches(text.as_bytes(), &dotless) {
        any_match = true;
        if let Some(hit) = text.get(m.clone()).and_then(|s| validate(m.start, s)) {
            push(&mut out, hit);
        }
    }
    // A provider's name without its suffix (`jane22 at gmail`), looked for only in a text with
    // no other address (most texts with an `@` have one) where the scan saw one: with no match
    // it tried every anchor; after a match that did not validate, it may have skipped some.
    if out.is_empty() && (dotless.get() || any_match) {
        for (span, label) in scan::dotless_domains(text.as_bytes()) {
            if let Some(hit) = dotless_address(text, span, label) {
                push(&mut out, hit);
            }
        }
    }
    // Letters of other scripts around an address: pieces of words go, international
    // addresses come (`josé22@gmail.com` is not `22@gmail.com`).
    if spaced_letters {
        intl::amend(text, &mut out);
    }
    out
}

/// The mail providers whose name alone stands for their domain (`jane22 at gmail`,
/// `jane@gmail` → `…@gmail.com`): those that are no ordinary word and no price unit (`qq`,
/// `live`, `mail` are left out).
const PROVIDER_DOMAINS: &[(&str, &str)] = &[
    ("aol", "aol.com"),
    ("gmail", "gmail.com"),
    ("googlemail", "googlemail.com"),
    ("hotmail", "hotmail.com"),
    ("icloud", "icloud.com"),
    ("outlook", "outlook.com"),
    ("proton", "proton.me"),
    ("protonmail", "protonmail.com"),
    ("yahoo", "yahoo.com"),
    ("ymail", "ymail.com"),
];

/// Whether `label` (any case) is a name of [`PROVIDER_DOMAINS`].
fn is_provider_name(label: &[u8]) -> bool {
    provider_domain(label).is_some()
}

/// The domain of the [`PROVIDER_DOMAINS`] name `label` (any case).
fn provider_domain(label: &[u8]) -> Option<&'static str> {
    PROVIDER_DOMAINS
        .iter()
        .find(|(provider, _)| provider.as_bytes().eq_ignore_ascii_case(label))
        .map(|&(_, domain)| domain)
}

/// The address of a local part, `at` separator and provider name written without its suffix
/// (`text[span]`, the name at `label`), if the name is in [`PROVIDER_DOMAINS`] and the local part
/// is a valid one; after a bare `at` it must also look like a mailbox and be no pronoun
/// (`call at gmail`, `me at gmail` are prose). Always obfuscated: the suffix is implied.
fn dotless_address(
    text: &str,
    span: std::ops::Range<usize>,
    label: std::ops::Range<usize>,
) -> Option<EmailHit> {
    let domain = provider_domain(text.get(label.clone())?.as_bytes())?;
    let m = text.get(span.start..label.start)?;
    let (local, local_end, _, local_start) = local_part(m)?;
    let span = span.start + local_start..span.end;
    let local = local.as_ref();
    let at_form = form_of(&m[local_end..]);
    if at_form == Form::Word && (!looks_like_mailbox(local) || is_object_pronoun(local)) {
        return None;
    }
    if !is_valid_local(local) {
        return None;
    }
    Some(EmailHit {
        raw: String::new(),
        span,
        address: format!("{local}@{domain}"),
        obfuscated: true,
    })
}

/// Whether `text` has an `@`, a `dot` (any case), an opening bracket followed by `at` (after
/// at most one space) or a bare `at` before a dotted domain ([`bare_at_before_domain`])
/// anywhere. Most texts have none: one vectorisable pass over 64-byte blocks
/// rules them out, and only blocks holding a candidate byte are looked at exactly.
///
/// The blocks go from the end of the text to its start: an ad that has an address mostly gives
/// it with the contact details at the end, so the first block looked at usually settles it,
/// while a text without one is read whole either way. Each block is read from the text itself
/// with the two bytes after it (not from a copy, which read back at other offsets than it was
/// stored at stalls the loads): the last two positions, where only an `@` fits, are looked at
/// directly, the blocks end at every 64th position before them, and the first block starts at
/// the text's start (looking again at positions already ruled out changes nothing). Only a text
/// shorter than a window is copied, followed by zeros, which start nothing.
fn may_hold_email(b: &[u8]) -> bool {
    const WINDOW: usize = BLOCK + 2;
    let Some(last) = b.len().checked_sub(WINDOW) else {
        let window: [u8; WINDOW] = crate::swar::zero_padded(b);
        // The window's block holds the first 64 positions; a 65-byte text has one more, the
        // last, where only an `@` fits.
        return (any_candidate(&window) && holds_email_sign(b, &window, 0))
            || b.get(BLOCK..).is_some_and(|rest| rest.contains(&b'@'));
    };
    if b[last + BLOCK..].contains(&b'@') {
        return true;
    }
    let mut start = last;
    loop {
        if let Some(window) = b.get(start..start + WINDOW) {
            if let Ok(window) = <&[u8; WINDOW]>::try_from(window) {
                if any_candidate(window) && holds_email_sign(b, window, start) {
                    return true;
                }
            }
        }
        if start == 0 {
            return false;
        }
        start = start.saturating_sub(BLOCK);
    }
}

const BLOCK: usize = 64;

/// Whether any position of the block at `start` (the first [`BLOCK`] bytes of `window`, which
/// past the end of the text are zeros, which start nothing) satisfies [`starts_email_sign`],
/// looking closer only at the positions [`candidate_mask`] flags (most bytes of a block that
/// holds a candidate are ordinary letters).
fn holds_email_sign(b: &[u8], window: &[u8; BLOCK + 2], start: usize) -> bool {
    let mut candidates = candidate_mask(window);
    while candidates != 0 {
        let k = candidates.trailing_zeros() as usize;
        candidates &= candidates - 1;
        if starts_email_sign(b, start + k) {
            return true;
        }
    }
    false
}

/// What [`any_candidate`] tests, position by position: bit `j` set when position `j` of the
/// window may start a sign. The flags are one loop the compiler vectorises, gathered eight at a
/// time into bits by one multiplication (the shifted copies of the flags land in distinct bits
/// of the top byte). Out of line, as [`any_candidate`].
#[inline(never)]
fn candidate_mask(window: &[u8; BLOCK + 2]) -> u64 {
    let (Some(first), Some(second), Some(third)) = (
        window.first_chunk::<BLOCK>(),
        window[1..].first_chunk::<BLOCK>(),
        window[2..].first_chunk::<BLOCK>(),
    ) else {
        return u64::MAX;
    };
    let mut flags = [0u8; BLOCK];
    for j in 0..BLOCK {
        flags[j] = u8::from(may_start_sign(first[j], second[j], third[j]));
    }
    crate::swar::mask_of_flags(&flags)
}

/// A superset of [`starts_email_sign`] over the first [`BLOCK`] positions of `window`: an `@` or
/// a backtick, an opening bracket (or `{`'s lower-case twin), `dot` in any case, or a byte up
/// to a space followed by `at` in any case. Out of line so that the three views of the window
/// stay three plain vector loads.
#[inline(never)]
fn any_candidate(window: &[u8; BLOCK + 2]) -> bool {
    let (Some(first), Some(second), Some(third)) = (
        window.first_chunk::<BLOCK>(),
        window[1..].first_chunk::<BLOCK>(),
        window[2..].first_chunk::<BLOCK>(),
    ) else {
        return true;
    };
    let mut any = 0u8;
    for j in 0..BLOCK {
        any |= u8::from(may_start_sign(first[j], second[j], third[j]));
    }
    any != 0
}

/// The test of [`any_candidate`] and [`candidate_mask`] at one position, whose byte is `c`
/// followed by `c1` and `c2`: branch-free, so that their loops vectorise.
#[inline(always)]
fn may_start_sign(c: u8, c1: u8, c2: u8) -> bool {
    // Any byte up to a space stands in for the pattern's whitespace: one comparison.
    let at_word = (c <= b' ') & ((c1 | 0x20) == b'a') & ((c2 | 0x20) == b't');
    // `| 0x20` folds case, maps `@` to a backtick and `[` to `{`, and keeps `(` and `<`.
    let c = c | 0x20;
    let dot = (c == b'd') & ((c1 | 0x20) == b'o') & ((c2 | 0x20) == b't');
    (c == b'`') | (c == b'{') | (c == b'(') | (c == b'<') | dot | at_word
}

/// Whether the whitespace byte at `i` starts a bare `at` (any case) followed by whitespace, a
/// label and a plain `.` before a letter or digit, or by a provider's name alone: the accepted
/// forms without an `@`, a bracket or a `dot` word (`jane at gmail.com`, `jane22 at gmail`;
/// [`validate`] then asks for a mail provider's domain or a local part no word has).
fn bare_at_before_domain(b: &[u8], i: usize) -> bool {
    let lower_at = |i: usize| b.get(i).map(u8::to_ascii_lowercase);
    if lower_at(i + 1) != Some(b'a') || lower_at(i + 2) != Some(b't') {
        return false;
    }
    let domain = scan::skip_spaces(b, i + 3);
    let after_domain = &b[domain.min(b.len())..];
    let label = after_domain
        .iter()
        .take_while(|&&c| c.is_ascii_alphanumeric() || c == b'-')
        .count();
    domain > i + 3
        && after_domain.first().is_some_and(u8::is_ascii_alphanumeric)
        && ((after_domain.get(label) == Some(&b'.')
            && after_domain
                .get(label + 1)
                .is_some_and(u8::is_ascii_alphanumeric))
            || is_provider_name(&after_domain[..label]))
}

/// The definition [`may_hold_email`] applies at each position.
fn starts_email_sign(b: &[u8], i: usize) -> bool {
    let lower_at = |i: usize| b.get(i).map(u8::to_ascii_lowercase);
    match b[i] {
        b'@' => true,
        b'd' | b'D' => lower_at(i + 1) == Some(b'o') && lower_at(i + 2) == Some(b't'),
        b'[' | b'(' | b'{' | b'<' => {
            let j = if b.get(i + 1) == Some(&b' ') {
                i + 2
            } else {
                i + 1
            };
            lower_at(j) == Some(b'a') && lower_at(j + 1) == Some(b't')
        }
        c if scan::is_space(c) => bare_at_before_domain(b, i),
        _ => false,
    }
}

/// The first labels of the mail providers' domains (`gmail` of `gmail.com`, `yahoo` of
/// `yahoo.co.uk`) after which a bare `at` with plain dots reads as an address whatever the
/// local part. Written that way an address looks like prose pointing at a site (`more pics at
/// mysite.com`, `pay me at paypal.me`), so only the domains people give as mailboxes count
/// (and local parts no word has, [`looks_like_mailbox`]). Words that are also ordinary words or
/// sites (`live`, `me`, `mail`, `att`) are left out: `jane at live.com` yields nothing,
/// `jane22 at live.com`, `jane [at] live.com` and `jane@live.com` still do.
const MAIL_PROVIDERS: &[&str] = &[
    "126",
    "163",
    "aol",
    "bellsouth",
    "comcast",
    "daum",
    "gmail",
    "gmx",
    "googlemail",
    "hanmail",
    "hotmail",
    "icloud",
    "naver",
    "outlook",
    "proton",
    "protonmail",
    "qq",
    "rocketmail",
    "sbcglobal",
    "tuta",
    "tutanota",
    "verizon",
    "yahoo",
    "yandex",
    "ymail",
    "zoho",
];

/// Whether a local part has a digit or one of `. _ % +`, which words of prose do not
/// (`lily.synth277 at example.uk`, `jane_22 at mysite.com`; not `pics at mysite.com`).
fn looks_like_mailbox(local: &str) -> bool {
    local
        .bytes()
        .any(|b| b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'%' | b'+'))
}

/// Whether a local part is an English object pronoun (any case).
fn is_object_pronoun(local: &str) -> bool {
    ["me", "us", "you", "him", "her", "them", "it"]
        .iter()
        .any(|pronoun| pronoun.eq_ignore_ascii_case(local))
}

/// Whether a local part is not empty and has no dot at either end nor two in a row.
fn is_valid_local(local: &str) -> bool {
    !(local.starts_with('.')
        || local.ends_with('.')
        || local.as_bytes().windows(2).any(|w| w == b"..")
        || local.is_empty())
}

/// Whether `label` (any case) is the first label of a [`MAIL_PROVIDERS`] domain.
fn is_mail_provider(label: &str) -> bool {
    MAIL_PROVIDERS
        .iter()
        .any(|provider| provider.eq_ignore_ascii_case(label))
}

/// The separator forms: `Plain` is `@`/`.` with no spaces, `Spaced` the same with spaces,
/// `Word` a bare or bracketed `at`/`dot`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    Plain,
    Spaced,
    Word,
    Bracket,
}

fn form_of(sep: &str) -> Form {
    let t = sep.trim();
    if t == "@" || t == "." {
        if t.len() == sep.len() {
            Form::Plain
        } else {
            Form::Spaced
        }
    } else if t.starts_with(|c: char| "[({<".contains(c)) {
        Form::Bracket
    } else {
        Form::Word
    }
}

/// The local part a match starts with: its runs of local-part bytes joined by bracketed dots
/// (`jane[dot]doe`, `jane (.) doe`) as one address part with `.` for each, where it ends in the
/// match, whether a dot was written out so, and where in the match it starts. Runs that make no
/// valid local part together (`jane.[dot]doe`) leave the last one alone, as it is without them.
/// One run, the usual case, is borrowed as written.
fn local_part(m: &str) -> Option<(Cow<'_, str>, usize, bool, usize)> {
    let bytes = m.as_bytes();
    let run_end = |from: usize| {
        from + bytes[from..]
            .iter()
            .take_while(|&&b| scan::is_local(b))
            .count()
    };
    let mut end = run_end(0);
    if end == 0 || end == bytes.len() {
        return None;
    }
    let mut joined: Option<String> = None;
    let mut last_run = 0;
    while let Some(next) = scan::after_bracketed_dot(bytes, end)
        .filter(|&next| bytes.get(next).is_some_and(|&b| scan::is_local(b)))
    {
        let next_end = run_end(next);
        let local = joined.get_or_insert_with(|| m[..end].to_owned());
        local.push('.');
        local.push_str(&m[next..next_end]);
        (last_run, end) = (next, next_end);
    }
    Some(match joined {
        Some(local) if is_valid_local(&local) => (Cow::Owned(local), end, true, 0),
        Some(_) => (Cow::Borrowed(&m[last_run..end]), end, false, last_run),
        None => (Cow::Borrowed(&m[..end]), end, false, 0),
    })
}

/// Splits a match into local part, `at` separator, labels and dot separators; validates.
fn validate(start: usize, m: &str) -> Option<EmailHit> {
    // A match has one label more than `dot` separators, and at most eight of those; fixed
    // arrays keep the common case free of allocations.
    const MAX_LABELS: usize = 9;
    let bytes = m.as_bytes();
    let (local, local_end, dots_written, local_start) = local_part(m)?;
    let span_start = start + local_start;
    let local = local.as_ref();
    // the `at` separator runs until the first label character
    let mut p = local_end;
    let sep_start = p;
    let mut seen_word = false;
    while p < bytes.len() {
        let b = bytes[p];
        if b.is_ascii_alphanumeric() {
            // "at" inside a word separator
            if !seen_word
                && m[p..].len() >= 2
                && m[p..p + 2].eq_ignore_ascii_case("at")
                && !bytes.contains(&b'@')
            {
                seen_word = true;
                p += 2;
                continue;
            }
            break;
        }
        p += 1;
    }
    let at_form = form_of(&m[sep_start..p]);
    // labels
    let mut labels = [""; MAX_LABELS];
    let mut dot_forms = [Form::Plain; MAX_LABELS - 1];
    let (mut label_count, mut dot_count) = (0, 0);
    let rest = &m[p..];
    let mut q = 0;
    let rb = rest.as_bytes();
    loop {
        let ls = q;
        while q < rb.len() && (rb[q].is_ascii_alphanumeric() || rb[q] == b'-') {
            q += 1;
        }
        *labels.get_mut(label_count)? = &rest[ls..q];
        label_count += 1;
        if q >= rb.len() {
            break;
        }
        let ss = q;
        while q < rb.len() && !rb[q].is_ascii_alphanumeric() {
            q += 1;
        }
        // word separators: " dot "
        let whole_word = rest
            .get(q..q + 3)
            .is_some_and(|w| w.eq_ignore_ascii_case("dot"))
            && rb.get(q + 3).is_some_and(|b| !b.is_ascii_alphanumeric());
        if whole_word && !rest[ss..q].contains('.') {
            q += 3;
            while q < rb.len() && !rb[q].is_ascii_alphanumeric() {
                q += 1;
            }
        }
        *dot_forms.get_mut(dot_count)? = form_of(&rest[ss..q]);
        dot_count += 1;
    }
    // A plain `@` takes only plain or bracketed dots after it, a bare `at` no spaced dots:
    // "a@b.com. Call".
    let cut = match at_form {
        Form::Plain => dot_forms[..dot_count]
            .iter()
            .position(|f| matches!(f, Form::Spaced | Form::Word)),
        Form::Word => dot_forms[..dot_count]
            .iter()
            .position(|f| *f == Form::Spaced),
        _ => None,
    };
    if let Some(cut) = cut {
        label_count = label_count.min(cut + 1);
        dot_count = dot_count.min(cut);
    }
    // Drop trailing labels until the last one is a public suffix ("a@b.com. Call" → b.com).
    while label_count >= 2 {
        if is_tld_in_any_case(labels[label_count - 1]) {
            break;
        }
        label_count -= 1;
        dot_count = dot_count.saturating_sub(1);
    }
    let (labels, dot_forms) = (&labels[..label_count], &dot_forms[..dot_count]);
    if labels.len() < 2 {
        return None;
    }
    // A bare `at` before plain dots is prose ("more pics at mysite.com") unless the domain is
    // a mailbox provider's or the local part could not be a word.
    if at_form == Form::Word
        && dot_forms.iter().all(|f| *f == Form::Plain)
        && !is_mail_provider(labels[0])
        && !looks_like_mailbox(local)
    {
        return None;
    }
    // Whatever the dots, a pronoun before a bare `at` is the object of a verb ("meet me at
    // hotel dot com", "find us at"), not a mailbox.
    if at_form == Form::Word && is_object_pronoun(local) {
        return None;
    }
    if !is_valid_local(local) {
        return None;
    }
    let domain_len = labels.iter().map(|l| l.len()).sum::<usize>() + labels.len() - 1;
    if labels
        .iter()
        .any(|l| l.is_empty() || l.starts_with('-') || l.ends_with('-'))
        || domain_len > 253
    {
        return None;
    }
    // the covered text ends at the last kept label
    let kept_len = {
        let last = labels[labels.len() - 1];
        let offset = last.as_ptr() as usize - rest.as_ptr() as usize;
        p + offset + last.len()
    };
    let obfuscated =
        dots_written || at_form != Form::Plain || dot_forms.iter().any(|f| *f != Form::Plain);
    // local part as written, `@`, the labels lowercased and joined by dots
    let mut address = String::with_capacity(local.len() + 1 + domain_len);
    address.push_str(local);
    address.push('@');
    for (i, label) in labels.iter().enumerate() {
        if i > 0 {
            address.push('.');
        }
        // Labels are ASCII (their pattern says so): lowercased in place, without a char loop.
        let from = address.len();
        address.push_str(label);
        address[from..].make_ascii_lowercase();
    }
    Some(EmailHit {
        raw: String::new(),
        span: span_start..start + kept_len,
        address,
        obfuscated,
    })
}

/// Whether `label` lowercased is a public suffix, without allocating (no suffix is longer than
/// 63 bytes, the longest label a match holds).
fn is_tld_in_any_case(label: &str) -> bool {
    let mut lower = [0u8; 63];
    let Some(lower) = lower.get_mut(..label.len()) else {
        return false;
    };
    lower.copy_from_slice(label.as_bytes());
    lower.make_ascii_lowercase();
    // A hash set: a binary search would call `memcmp` a dozen times per label.
    static SUFFIXES: LazyLock<FxHashSet<&'static [u8]>> =
        LazyLock::new(|| TLDS.iter().map(|tld| tld.as_bytes()).collect());
    SUFFIXES.contains(&*lower)
}
