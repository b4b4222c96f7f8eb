//! Internationalised addresses around a plain `@` (RFC 6531 local parts, IDN domains):
//! `josé22@gmail.com`, `jane@bücher.de`, `иван@пример.рф`. The ASCII scan reads only the
//! ASCII run next to the `@` and so reads a piece of the address (`22@gmail.com`, another
//! person's mailbox) or none; here the address is read whole, with letters of the scripts
//! [`continues_word`] names: the local part as written (NFC), each domain label lowercased,
//! NFKC-normalised and written in ASCII by punycode (`xn--bcher-kva.de`), as the design's
//! "IDNA → ASCII" asks; `ß` stays `ß` (IDNA 2008, not 2003's `ss`).
//!
//! Written-out and spaced forms with such letters in the local part (`josé at gmail dot com`,
//! `maría.lópez(at)gmail(dot)com`) are read by [`written_out`]: the ASCII scan again, over the
//! text with each letter written as a placeholder of its byte length.
//!
//! Limits: in the written-out and spaced forms only the local part may hold such letters
//! (`jane at bücher dot de` gives nothing rather than a piece), and a provider's name without
//! its suffix is not read after one (`josé22 at gmail`); labels in scripts written without
//! spaces (`例え.jp`) are not read, because an ASCII address runs straight into such text
//! (`jane@gmail.com请联系`).

use std::cell::Cell;

use unicode_normalization::UnicodeNormalization;

use super::{is_tld_in_any_case, is_valid_local, scan, validate, EmailHit};
use crate::dedup::{KeptKeys, TakenSpans};
use crate::punycode;
use crate::word_char::{continues_word, word_at, word_before};

/// The most bytes a local part may have (RFC 5321 §4.5.3.1.1, octets in RFC 6531 too).
const MAX_LOCAL: usize = 64;
/// The most labels read after the `@` (as the ASCII pattern's `{1,8}` dots).
const MAX_LABELS: usize = 9;

/// Corrects the ASCII scan's hits `out` of a text with non-ASCII characters: a hit next to a
/// letter of a spaced script is a piece of a longer word and goes; then at every `@` an
/// international address is read, and then the written-out ones ([`written_out`]); each joins
/// `out` (which stays in order of appearance) unless it overlaps a hit or repeats an address.
/// Linear in the text: each `@` reads its neighbourhood up to the next and the previous `@`,
/// the written-out reading is one more scan, and the checks are logarithmic.
pub(super) fn amend(text: &str, out: &mut Vec<EmailHit>) {
    out.retain(|hit| !word_before(text, hit.span.start) && !word_at(text, hit.span.end));
    let ascii_hits = out.len();
    let mut joining = Joining::default();
    for at in memchr::memchr_iter(b'@', text.as_bytes()) {
        // An `@` inside a kept ASCII hit (most of them) starts no other reading. The ASCII
        // hits are in order and disjoint.
        let before = out[..ascii_hits].partition_point(|hit| hit.span.start <= at);
        if before > 0 && out[before - 1].span.end > at {
            continue;
        }
        if let Some(hit) = address_at(text, at) {
            joining.offer(text, hit, out);
        }
    }
    for hit in written_out(text) {
        joining.offer(text, hit, out);
    }
    if out.len() > ascii_hits {
        out.sort_by_key(|hit| hit.span.start);
    }
}

/// What decides whether an international reading joins the hits.
#[derive(Default)]
struct Joining {
    /// The hits' spans, which a reading may not overlap: built at the first reading offered.
    taken: Option<TakenSpans>,
    kept: KeptKeys<String>,
}

impl Joining {
    /// Adds `hit` to `out` unless it is a link (as in the ASCII path, a domain followed by a
    /// path), overlaps a hit or repeats an address.
    fn offer(&mut self, text: &str, hit: EmailHit, out: &mut Vec<EmailHit>) {
        let taken = self.taken.get_or_insert_with(|| {
            let mut taken = TakenSpans::default();
            for hit in out.iter() {
                taken.take(&hit.span);
            }
            taken
        });
        let link = text.as_bytes().get(hit.span.end) == Some(&b'/');
        if !link
            && !taken.overlaps(&hit.span)
            && !self.kept.contains_str(out, |h| &h.address, &hit.address)
        {
            taken.take(&hit.span);
            out.push(hit);
        }
    }
}

/// The capitals a letter may be written as in [`written_out`]: none is a letter of `at` or
/// `dot`, so a placeholder never makes a separator.
const PLACEHOLDERS: &[u8] = b"QZXJKVWYGHFBPMUCLNRSIE";

/// The written-out and spaced addresses of `text` with letters of spaced scripts in their local
/// part (`josé at gmail dot com`, `maría.lópez [at] gmail [dot] com`), which the ASCII scan
/// reads only as pieces (dropped by [`amend`]). The text is read again by the ASCII scan with
/// each such letter written as a placeholder of the same byte length (so spans stay the
/// text's): a capital the text does not hold (none left: nothing is read). A hit is kept when
/// it is written out or spaced (the plain form is [`address_at`]'s, with its domain) and its
/// placeholders all lie in its local part, which gets its letters back (NFC).
fn written_out(text: &str) -> Vec<EmailHit> {
    let mut hits = Vec::new();
    let bytes = text.as_bytes();
    let Some(&mark) = PLACEHOLDERS.iter().find(|p| !bytes.contains(p)) else {
        return hits;
    };
    let mut stand_in = String::with_capacity(text.len());
    let mut any = false;
    for c in text.chars() {
        if !c.is_ascii() && continues_word(c) {
            stand_in.extend(std::iter::repeat_n(char::from(mark), c.len_utf8()));
            any = true;
        } else {
            stand_in.push(c);
        }
    }
    if !any {
        return hits;
    }
    let dotless = Cell::new(false);
    for m in scan::matches(stand_in.as_bytes(), &dotless) {
        let Some(hit) = stand_in.get(m.clone()).and_then(|s| validate(m.start, s)) else {
            continue;
        };
        if hit.obfuscated {
            if let Some(hit) = with_letters(text, hit, mark) {
                hits.push(hit);
            }
        }
    }
    hits
}

/// `hit`, read from [`written_out`]'s stand-in text, with the letters of `text` in place of
/// the placeholders `mark` of its local part; `None` when it has none there (an ASCII address,
/// the scan's own) or has some elsewhere (a label in another script).
fn with_letters(text: &str, hit: EmailHit, mark: u8) -> Option<EmailHit> {
    let (local, domain) = hit.address.split_once('@')?;
    if !local.as_bytes().contains(&mark) {
        return None;
    }
    let mut letters = text
        .get(hit.span.clone())?
        .chars()
        .filter(|&c| !c.is_ascii() && continues_word(c));
    let mut restored = String::with_capacity(local.len());
    let mut rest = local;
    while let Some(k) = rest.bytes().position(|b| b == mark) {
        restored.push_str(&rest[..k]);
        let letter = letters.next()?;
        let end = k + letter.len_utf8();
        if rest.get(k..end)?.bytes().any(|b| b != mark) {
            return None;
        }
        restored.push(letter);
        rest = &rest[end..];
    }
    restored.push_str(rest);
    if letters.next().is_some() {
        return None;
    }
    let address = format!("{}@{domain}", restored.nfc());
    Some(EmailHit { address, ..hit })
}

/// Whether `c` may stand in a local part read here: the ASCII local-part bytes or a letter
/// of a spaced script.
fn local_char(c: char) -> bool {
    if c.is_ascii() {
        scan::is_local(c as u8)
    } else {
        continues_word(c)
    }
}

/// Whether `c` may stand in a domain label read here.
fn label_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || continues_word(c)
}

/// The international address around the `@` at byte `at`, if it validates and has a
/// non-ASCII character (an all-ASCII one is the ASCII scan's).
fn address_at(text: &str, at: usize) -> Option<EmailHit> {
    let before = text.get(..at)?;
    let local_start = before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| local_char(c))
        // One character more than fits, so that a longer run is refused without reading it all.
        .take(MAX_LOCAL + 1)
        .last()
        .map(|(i, _)| i)?;
    let local = &before[local_start..];
    if local.len() > MAX_LOCAL || !is_valid_local(local) {
        return None;
    }
    let domain_start = at + 1;
    let (labels, count) = labels_after(text.get(domain_start..)?);
    let labels = &labels[..count];
    // An all-ASCII address is the ASCII scan's (dropping labels below keeps it ASCII).
    let written_end = domain_start + labels.last()?.1;
    if text.get(local_start..written_end)?.is_ascii() {
        return None;
    }
    // The labels in ASCII (punycode where needed), then trailing labels dropped until the
    // last is a public suffix, as in the ASCII path ("jane@bücher.de.Call").
    let mut ascii: Vec<String> = Vec::with_capacity(labels.len());
    for &(start, end) in labels {
        ascii.push(ascii_label(
            text.get(domain_start + start..domain_start + end)?,
        )?);
    }
    while ascii.len() >= 2 && !ascii.last().is_some_and(|l| is_tld_in_any_case(l)) {
        ascii.pop();
    }
    if ascii.len() < 2 {
        return None;
    }
    let end = domain_start + labels.get(ascii.len() - 1)?.1;
    let domain = ascii.join(".");
    if domain.len() > 253 || text.get(local_start..end)?.is_ascii() {
        return None;
    }
    Some(EmailHit {
        span: local_start..end,
        raw: String::new(),
        address: format!("{}@{domain}", local.nfc()),
        obfuscated: false,
    })
}

/// The byte ranges (in `domain`) of the labels it starts with: runs of [`label_char`]s joined
/// by single dots, at most [`MAX_LABELS`]; the ranges and their number.
fn labels_after(domain: &str) -> ([(usize, usize); MAX_LABELS], usize) {
    let mut labels = [(0, 0); MAX_LABELS];
    let mut count = 0;
    let mut start = 0;
    while count < MAX_LABELS {
        let len: usize = domain
            .get(start..)
            .unwrap_or_default()
            .chars()
            .take_while(|&c| label_char(c))
            .map(char::len_utf8)
            .sum();
        if len == 0 {
            break;
        }
        labels[count] = (start, start + len);
        count += 1;
        let next = start + len;
        if domain.as_bytes().get(next) != Some(&b'.') {
            break;
        }
        start = next + 1;
    }
    (labels, count)
}

/// One label in ASCII: lowercased as it is when ASCII; otherwise lowercased, NFKC-normalised
/// and, if still not ASCII, `xn--` and its punycode. `None` when it is no valid label (empty,
/// a hyphen at either end, longer than 63 bytes).
pub(super) fn ascii_label(label: &str) -> Option<String> {
    if label.starts_with('-') || label.ends_with('-') {
        return None;
    }
    let ascii = if label.is_ascii() {
        label.to_ascii_lowercase()
    } else {
        let mapped: String = label.chars().flat_map(char::to_lowercase).nfkc().collect();
        if mapped.is_ascii() {
            mapped
        } else {
            let mut encoded = String::from("xn--");
            punycode::encode(&mapped, &mut encoded).then_some(encoded)?
        }
    };
    let valid = !ascii.is_empty()
        && ascii.len() <= 63
        && !ascii.starts_with('-')
        && !ascii.ends_with('-')
        && ascii
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-');
    valid.then_some(ascii)
}
