//! E-mail addresses (design §5), plain and written out (`name [at] host [dot] com`,
//! `name at gmail dot com`). The domain must end in a public suffix; a bare `at` is rewritten
//! only when the result validates, so `in at 9, out at 11` yields nothing.

use std::sync::OnceLock;

use regex::Regex;

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

const AT: &str = r"(?:\s*@\s*|\s*[\[\(\{<]\s*at\s*[\]\)\}>]\s*|\s+at\s+)";
const DOT: &str = r"(?:\s*\.\s*|\s*[\[\(\{<]\s*dot\s*[\]\)\}>]\s*|\s+dot\s+)";
const LABEL: &str = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";

fn regex() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        let pat = format!(r"(?i-u)[a-z0-9._%+\-]{{1,64}}{AT}{LABEL}(?:{DOT}{LABEL}){{1,8}}");
        Regex::new(&pat).ok()
    })
    .as_ref()
}

fn is_tld(s: &str) -> bool {
    TLDS.binary_search(&s).is_ok()
}

/// Finds the e-mail addresses of `text`, de-duplicated by address.
pub fn find(text: &str) -> Vec<EmailHit> {
    let mut out: Vec<EmailHit> = Vec::new();
    // Every accepted form has an `@`, a bracketed `at` or a `dot` word.
    let maybe = may_hold_email(text.as_bytes());
    if !maybe {
        return out;
    }
    let Some(re) = regex() else { return out };
    for m in re.find_iter(text) {
        let Some(hit) = validate(m.start(), m.as_str()) else {
            continue;
        };
        // A domain followed by a path is a link ("text me at wa.me/1480…"), not an address.
        if text.as_bytes().get(hit.span.end) == Some(&b'/') {
            continue;
        }
        if !out.iter().any(|h| h.address == hit.address) {
            out.push(hit);
        }
    }
    out
}

/// An `@`, a `dot` (any case) or an opening bracket followed by `at` (after at most one space).
/// Vectorised byte searches: most texts hold none of these bytes, or an `@` early on.
fn may_hold_email(b: &[u8]) -> bool {
    let lower_at = |i: usize| b.get(i).map(u8::to_ascii_lowercase);
    if memchr::memchr(b'@', b).is_some() {
        return true;
    }
    if memchr::memchr2_iter(b'd', b'D', b)
        .any(|i| lower_at(i + 1) == Some(b'o') && lower_at(i + 2) == Some(b't'))
    {
        return true;
    }
    let bracket_then_at = |i: usize| {
        let j = if b.get(i + 1) == Some(&b' ') {
            i + 2
        } else {
            i + 1
        };
        lower_at(j) == Some(b'a') && lower_at(j + 1) == Some(b't')
    };
    memchr::memchr3_iter(b'[', b'(', b'{', b).any(bracket_then_at)
        || memchr::memchr_iter(b'<', b).any(bracket_then_at)
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

/// Splits a match into local part, `at` separator, labels and dot separators; validates.
fn validate(start: usize, m: &str) -> Option<EmailHit> {
    let bytes = m.as_bytes();
    let local_end = bytes
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || b"._%+-".contains(b)))?;
    let local = &m[..local_end];
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
    let mut labels: Vec<&str> = Vec::new();
    let mut dot_forms: Vec<Form> = Vec::new();
    let rest = &m[p..];
    let mut q = 0;
    let rb = rest.as_bytes();
    loop {
        let ls = q;
        while q < rb.len() && (rb[q].is_ascii_alphanumeric() || rb[q] == b'-') {
            q += 1;
        }
        let label = &rest[ls..q];
        // a bare "dot" word is a separator, not a label
        labels.push(label);
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
        dot_forms.push(form_of(&rest[ss..q]));
    }
    // A plain `@` takes only plain dots after it, a bare `at` no spaced dots: "a@b.com. Call".
    let cut = match at_form {
        Form::Plain => dot_forms.iter().position(|f| *f != Form::Plain),
        Form::Word => dot_forms.iter().position(|f| *f == Form::Spaced),
        _ => None,
    };
    if let Some(cut) = cut {
        labels.truncate(cut + 1);
        dot_forms.truncate(cut);
    }
    // Drop trailing labels until the last one is a public suffix ("a@b.com. Call" → b.com).
    while labels.len() >= 2 {
        let tld = labels[labels.len() - 1].to_ascii_lowercase();
        if is_tld(&tld) {
            break;
        }
        labels.pop();
        dot_forms.pop();
    }
    if labels.len() < 2 {
        return None;
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") || local.is_empty() {
        return None;
    }
    let domain = labels
        .iter()
        .map(|l| l.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join(".");
    if labels
        .iter()
        .any(|l| l.is_empty() || l.starts_with('-') || l.ends_with('-'))
        || domain.len() > 253
    {
        return None;
    }
    // the covered text ends at the last kept label
    let kept_len = {
        let last = labels[labels.len() - 1];
        let offset = last.as_ptr() as usize - rest.as_ptr() as usize;
        p + offset + last.len()
    };
    let obfuscated = at_form != Form::Plain || dot_forms.iter().any(|f| *f != Form::Plain);
    Some(EmailHit {
        raw: String::new(),
        span: start..start + kept_len,
        address: format!("{local}@{domain}"),
        obfuscated,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition `may_hold_email` implements, one byte at a time.
    fn may_hold_email_bytewise(b: &[u8]) -> bool {
        let lower_at = |i: usize| b.get(i).map(u8::to_ascii_lowercase);
        b.iter().enumerate().any(|(i, &c)| match c {
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
            _ => false,
        })
    }

    proptest::proptest! {
        /// The vectorised pre-check says yes exactly when the byte-wise definition does.
        #[test]
        fn pre_check_equals_its_definition(text in "([dDoOtTaA @\\[({<x]{0,8}){0,12}") {
            proptest::prop_assert_eq!(
                may_hold_email(text.as_bytes()),
                may_hold_email_bytewise(text.as_bytes())
            );
        }
    }

    fn addrs(text: &str) -> Vec<(String, bool)> {
        find(text)
            .into_iter()
            .map(|h| (h.address, h.obfuscated))
            .collect()
    }

    #[test]
    fn plain_and_written_out_forms() {
        assert_eq!(
            addrs("mail Jane.Doe@Example.COM. Call"),
            [("Jane.Doe@example.com".to_owned(), false)]
        );
        assert_eq!(
            addrs("jane [at] example [dot] com"),
            [("jane@example.com".to_owned(), true)]
        );
        assert_eq!(
            addrs("jane(at)example{dot}org"),
            [("jane@example.org".to_owned(), true)]
        );
        assert_eq!(
            addrs("jane @ example . com"),
            [("jane@example.com".to_owned(), true)]
        );
        assert_eq!(
            addrs("jane at gmail dot com"),
            [("jane@gmail.com".to_owned(), true)]
        );
    }

    #[test]
    fn traps_yield_nothing() {
        assert!(addrs("in at 9, out at 11").is_empty());
        assert!(
            addrs("text me at wa.me/14805550142").is_empty(),
            "a link, not an address"
        );
        assert!(addrs("meet me at the hotel. Rooms are clean").is_empty());
        assert!(
            addrs("pay me at paypal.me tonight").is_empty(),
            "a payment link, not an address"
        );
        assert!(addrs("jane@example.notatld").is_empty());
        assert!(addrs("jane..doe@example.com").is_empty());
    }
}
