//! Web links written in free text: `http(s)://…` and bare `www.…`, with the host validated and
//! lower-cased. One forward pass, linear in the text length; trailing sentence punctuation is not
//! part of a link.

use crate::Span;

/// Longest link kept (longer runs are cut off at a token boundary and ignored).
pub const MAX_URL_BYTES: usize = 2_000;

/// One link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UrlHit {
    pub span: Span,
    /// The original text at `span`.
    pub raw: String,
    /// Normalised: scheme and host lower-cased, `http://` added to a bare `www.` link.
    pub url: String,
    /// The host, lower-cased, without port.
    pub host: String,
}

fn starts_with_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.len() >= needle.len() && hay[..needle.len()].eq_ignore_ascii_case(needle)
}

fn is_link_byte(b: u8) -> bool {
    b > b' ' && b < 0x7f && !matches!(b, b'<' | b'>' | b'"' | b'\'' | b'`' | b'{' | b'}' | b'|')
}

fn valid_host(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && host.len() <= 253
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()))
}

/// Finds every link in `text`, de-duplicated by normalised URL (the first span is kept).
pub fn find(text: &str) -> Vec<UrlHit> {
    let bytes = text.as_bytes();
    let mut out: Vec<UrlHit> = Vec::new();
    if !may_hold_link(bytes) {
        return out;
    }
    let mut kept = crate::dedup::KeptKeys::default();
    // `://` marks: every `:` followed by `//` (a one-byte search is cheaper on short texts
    // than a substring searcher, and colons are few).
    let mut schemes = memchr::memchr_iter(b':', bytes)
        .filter(|&c| bytes.get(c + 1..c + 3) == Some(b"//".as_slice()))
        .peekable();
    let mut dots = memchr::memchr_iter(b'.', bytes)
        .filter(|&d| d >= 3 && bytes[d - 3..d].eq_ignore_ascii_case(b"www"))
        .peekable();
    let mut i = 0;
    while i < bytes.len() {
        // Skip to the first place a link could start. Every link holds `://` (four or five
        // bytes after its start) or is `www.` (the `.` three bytes after), so a link starting
        // at or after `i` has a marker at or after `i + 3`, and starts at most five bytes
        // before the earliest such marker. Both marker streams only move forward: linear.
        while schemes.next_if(|&m| m < i + 3).is_some() {}
        while dots.next_if(|&m| m < i + 3).is_some() {}
        let marker = match (schemes.peek(), dots.peek()) {
            (Some(&a), Some(&b)) => a.min(b),
            (Some(&m), None) | (None, Some(&m)) => m,
            (None, None) => break,
        };
        i = i.max(marker.saturating_sub(5));
        let Some((hit, next)) = link_at(text, i) else {
            i += 1;
            continue;
        };
        if let Some(hit) = hit {
            if !kept.contains_str(&out, |h| &h.url, &hit.url) {
                out.push(hit);
            }
        }
        i = next;
    }
    out
}

/// Whether `bytes` holds a `://` or a `www.` in any case: every link holds one of them. Most
/// texts hold neither, and one pass over 64-byte blocks, each tested whole for `:/` or `ww` (any
/// case; rare outside links) in a loop the compiler turns into vector compares, rules that out in
/// far fewer instructions than stopping at every `.` would. Only a block with such a pair is
/// looked at exactly, at its colons and dots (its window holds the `:` of a `:/` and the `.` after
/// a `ww` starting in it).
fn may_hold_link(bytes: &[u8]) -> bool {
    let in_block = |start: usize, window: &[u8; WINDOW]| {
        any_link_pair(window)
            && memchr::memchr2_iter(b':', b'.', window).any(|k| is_marker(bytes, start + k))
    };
    let mut start = 0;
    while let Some(window) = bytes.get(start..start + WINDOW) {
        if let Ok(window) = <&[u8; WINDOW]>::try_from(window) {
            if in_block(start, window) {
                return true;
            }
        }
        start += BLOCK;
    }
    // The rest (at most a block and a byte): the last `WINDOW` bytes again, read from the text
    // (a copy read back one byte off from how it was stored stalls the loads), or a shorter
    // text followed by zeros (which are in no pair).
    match bytes.last_chunk::<WINDOW>() {
        Some(last) => in_block(bytes.len() - WINDOW, last),
        None => in_block(0, &crate::swar::zero_padded(bytes)),
    }
}

/// Whether the byte at `m` is the `:` of a `://` or the `.` of a `www.` in any case.
fn is_marker(bytes: &[u8], m: usize) -> bool {
    match bytes.get(m) {
        Some(b':') => bytes.get(m + 1..m + 3) == Some(b"//".as_slice()),
        Some(b'.') => m >= 3 && bytes[m - 3..m].eq_ignore_ascii_case(b"www"),
        _ => false,
    }
}

const BLOCK: usize = 64;
/// A block and the two bytes after it.
const WINDOW: usize = BLOCK + 2;

/// Whether a byte among the first [`BLOCK`] of `window` and the byte after it are `:/`, or `ww`
/// in any case (the first pair of `://`, the last two `w`s of `www.`). Without early exits, so
/// that it is a few vector compares per sixteen bytes; out of line, so that it is compiled for
/// whole blocks.
#[inline(never)]
fn any_link_pair(window: &[u8; WINDOW]) -> bool {
    let (Some(first), Some(second)) = (
        window.first_chunk::<BLOCK>(),
        window[1..].first_chunk::<BLOCK>(),
    ) else {
        return true;
    };
    let mut any = 0u8;
    for j in 0..BLOCK {
        let (a, b) = (first[j], second[j]);
        any |=
            u8::from(((a == b':') & (b == b'/')) | (((a | 0x20) == b'w') & ((b | 0x20) == b'w')));
    }
    any != 0
}

/// The link that starts at byte `i` of `text`, if one can: `None` when no link starts there;
/// else the hit (`None` if it does not validate or is too long) and where to go on scanning.
fn link_at(text: &str, i: usize) -> Option<(Option<UrlHit>, usize)> {
    let bytes = text.as_bytes();
    let at_boundary = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
    let rest = &bytes[i..];
    let scheme_len = if !at_boundary {
        None
    } else if starts_with_ci(rest, b"https://") {
        Some(8)
    } else if starts_with_ci(rest, b"http://") {
        Some(7)
    } else if starts_with_ci(rest, b"www.") {
        Some(0)
    } else {
        None
    }?;
    let mut end = i + scheme_len;
    while end < bytes.len() && is_link_byte(bytes[end]) {
        end += 1;
    }
    let next = end.max(i + 1);
    if end - i > MAX_URL_BYTES {
        return Some((None, next));
    }
    // Sentence punctuation after a link is not part of it; a closing bracket stays only when
    // the link opened one.
    let (paren, bracket) = (bytes[i..end].contains(&b'('), bytes[i..end].contains(&b'['));
    while end > i + scheme_len {
        let trim = match bytes[end - 1] {
            b'.' | b',' | b';' | b':' | b'!' | b'?' | b'*' => true,
            b')' => !paren,
            b']' => !bracket,
            _ => false,
        };
        if !trim {
            break;
        }
        end -= 1;
    }
    Some((hit(text, i, end, scheme_len), next))
}

fn hit(text: &str, start: usize, end: usize, scheme_len: usize) -> Option<UrlHit> {
    let raw = text.get(start..end)?;
    let after = &raw[scheme_len..];
    let host_end = after.find(['/', '?', '#', ':']).unwrap_or(after.len());
    let host = after[..host_end].to_ascii_lowercase();
    if !valid_host(&host) {
        return None;
    }
    let scheme = if scheme_len == 0 {
        "http://".to_owned()
    } else {
        raw[..scheme_len].to_ascii_lowercase()
    };
    Some(UrlHit {
        span: start..end,
        raw: raw.to_owned(),
        url: format!("{scheme}{host}{}", &after[host_end..]),
        host,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(t: &str) -> Vec<String> {
        find(t).into_iter().map(|h| h.url).collect()
    }

    #[test]
    fn finds_links_and_trims_sentence_punctuation() {
        assert_eq!(
            urls("see HTTPS://Example.COM/Path?q=1. or www.synth-escorts.test/x, (http://a.example/b)"),
            [
                "https://example.com/Path?q=1",
                "http://www.synth-escorts.test/x",
                "http://a.example/b"
            ]
        );
        let h = &find("go to https://wa.me/15555550142!")[0];
        assert_eq!(h.host, "wa.me");
        assert_eq!(h.raw, "https://wa.me/15555550142");
    }

    #[test]
    fn ignores_non_links() {
        assert!(
            urls("http:// nothing, www. nothing, xhttp://a.example, https://localhost/").is_empty()
        );
        assert!(urls("mailto:jane@example.com 24/7 555.0142").is_empty());
        assert_eq!(
            urls("https://a.example https://A.example"),
            ["https://a.example"]
        );
    }

    #[test]
    fn keeps_balanced_brackets() {
        assert_eq!(
            urls("https://en.example/wiki/Foo_(bar)"),
            ["https://en.example/wiki/Foo_(bar)"]
        );
    }

    /// The scan without skipping, to test the skipping one against.
    fn find_reference(text: &str) -> Vec<UrlHit> {
        let mut out: Vec<UrlHit> = Vec::new();
        let mut i = 0;
        while i < text.len() {
            let Some((hit, next)) = link_at(text, i) else {
                i += 1;
                continue;
            };
            if let Some(hit) = hit {
                if !out.iter().any(|h| h.url == hit.url) {
                    out.push(hit);
                }
            }
            i = next;
        }
        out
    }

    /// Many distinct links in one text are found in linear time (a scan of the kept ones per
    /// hit took minutes for this text before, hours for a 10 MB line); repeats still go.
    #[test]
    fn many_distinct_links() {
        let n = 100_000;
        let text: String = (0..n)
            .map(|i| format!("https://a{i}.example/x www.a{}.example ", i / 2))
            .collect();
        assert_eq!(find(&text).len(), n + n / 2);
    }

    #[test]
    fn markers_are_seen_at_every_offset_and_across_blocks() {
        for link in [
            "www.a.example",
            "WwW.a.example",
            "https://a.example",
            "x://a.example",
        ] {
            for offset in 0..150 {
                for (filler, tail) in [("now. ", ""), ("aww: ", " now."), ("WW.w ", " ww")] {
                    let text = format!(
                        "{}{link}{tail}",
                        filler.repeat(offset / 5) + &"-".repeat(offset % 5)
                    );
                    assert_eq!(find(&text), find_reference(&text), "{text:?}");
                    assert_eq!(
                        find(&text).len(),
                        usize::from(!link.starts_with('x')),
                        "{text:?}"
                    );
                }
            }
        }
        for text in ["ww.", "w.", ":/", "://", "aww.", "x:/"] {
            assert!(find(text).is_empty());
        }
    }

    proptest::proptest! {
        /// Skipping to link markers finds exactly what the byte-by-byte scan finds.
        #[test]
        fn skipping_scan_equals_the_plain_scan(
            t in "((https?|HTTP|ftp|www|WwW|wWw|WWW|x)?(://|\\.|:/)?[a-z.()/\\[\\]:]{0,8}[ ,é]?){0,10}"
        ) {
            proptest::prop_assert_eq!(find(&t), find_reference(&t));
        }


        /// Never panics; every span is a char-boundary slice holding the raw text.
        #[test]
        fn spans_are_valid(t in "\\PC{0,80}", pre in "(https?://|www\\.)?[a-z.]{0,12}") {
            let text = format!("{t} {pre}{t}");
            for h in find(&text) {
                proptest::prop_assert_eq!(text.get(h.span.clone()), Some(h.raw.as_str()));
            }
        }
    }
}
