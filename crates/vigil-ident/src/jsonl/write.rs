//! The result line, written straight from an [`Extraction`]: byte for byte what `serde_json`
//! gives for the contract's record (field order, escaping, numbers; tested against a derived
//! `Serialize`), without building the record or allocating per hit.

use crate::Extraction;

use super::{search, Id, Line};

/// One span of the `spans` list: where it lies and which hit it belongs to (indices, so the
/// list can be kept from line to line).
#[derive(Clone, Copy, Debug)]
pub(super) struct SpanRef {
    start: usize,
    end: usize,
    hit: Hit,
}

#[derive(Clone, Copy, Debug)]
enum Hit {
    Phone { hit: usize, occurrence: usize },
    Email(usize),
    Handle(usize),
    Wallet(usize),
    Age(usize),
    Price(usize),
    Url(usize),
}

/// Writes the record of one line (no newline).
pub(super) fn record(
    out: &mut Vec<u8>,
    line: &Line,
    ex: &Extraction,
    spans: &mut Vec<SpanRef>,
) -> Result<(), serde_json::Error> {
    let (id, text) = (&line.id, Text(line.text, line.text_is_plain));
    // One reservation for a typical record; the pushes below then rarely grow the buffer.
    out.reserve(1024);
    out.extend_from_slice(b"{\"id\":");
    write_id(out, id)?;
    out.extend_from_slice(b",\"phones\":");
    str_list(out, ex.phones.iter().map(|p| p.e164.as_str()))?;
    out.extend_from_slice(b",\"emails\":");
    str_list(out, ex.emails.iter().map(|e| e.address.as_str()))?;
    out.extend_from_slice(b",\"handles\":[");
    // In the lists of objects below, `&b",{…"[usize::from(k == 0)..]` is the element's opening
    // with the separating comma left off for the first one.
    for (k, h) in ex.handles.iter().enumerate() {
        out.extend_from_slice(&b",{\"platform\":"[usize::from(k == 0)..]);
        json_str(out, h.platform)?;
        out.extend_from_slice(b",\"handle\":");
        json_str(out, &h.handle)?;
        out.extend_from_slice(b",\"kind\":");
        json_str(out, h.kind.as_str())?;
        out.push(b'}');
    }
    out.extend_from_slice(b"],\"wallets\":[");
    for (k, w) in ex.wallets.iter().enumerate() {
        out.extend_from_slice(&b",{\"chain\":"[usize::from(k == 0)..]);
        json_str(out, w.chain.as_str())?;
        out.extend_from_slice(b",\"address\":");
        json_str(out, &w.address)?;
        out.extend_from_slice(b",\"checksum\":");
        json_str(out, w.checksum)?;
        out.push(b'}');
    }
    out.extend_from_slice(b"],\"ages\":[");
    for (k, a) in ex.ages.iter().enumerate() {
        out.extend_from_slice(&b",{\"age\":"[usize::from(k == 0)..]);
        uint(out, u64::from(a.age));
        out.extend_from_slice(b",\"minor\":");
        boolean(out, a.minor);
        out.push(b'}');
    }
    out.extend_from_slice(b"],\"prices\":[");
    for (k, p) in ex.prices.iter().enumerate() {
        out.extend_from_slice(&b",{\"amount\":"[usize::from(k == 0)..]);
        uint(out, u64::from(p.amount));
        out.extend_from_slice(b",\"currency\":");
        opt_str(out, p.currency.as_deref())?;
        out.extend_from_slice(b",\"unit\":");
        opt_str(out, p.unit.as_deref())?;
        out.push(b'}');
    }
    out.extend_from_slice(b"],\"urls\":");
    str_list(out, ex.urls.iter().map(|u| u.url.as_str()))?;
    out.extend_from_slice(b",\"obfuscated\":");
    boolean(out, ex.obfuscated);
    out.extend_from_slice(b",\"spans\":[");
    collect_spans(ex, spans);
    for (k, span) in spans.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        write_span(out, text, ex, span)?;
    }
    out.extend_from_slice(b"]}");
    Ok(())
}

fn write_id(out: &mut Vec<u8>, id: &Id) -> Result<(), serde_json::Error> {
    match id {
        Id::Str(s) => json_str(out, s),
        Id::Int(literal) => {
            out.extend_from_slice(literal.as_bytes());
            Ok(())
        }
        Id::Number(n) => serde_json::to_writer(&mut *out, n),
    }
}

/// Every hit's span (each phone occurrence is one), in order of position; hits at the same
/// place keep the order phones, e-mails, handles, wallets, ages, prices, links (a stable sort).
fn collect_spans(ex: &Extraction, spans: &mut Vec<SpanRef>) {
    spans.clear();
    let mut add = |span: &crate::Span, hit| {
        spans.push(SpanRef {
            start: span.start,
            end: span.end,
            hit,
        })
    };
    for (hit, p) in ex.phones.iter().enumerate() {
        for (occurrence, o) in p.occurrences.iter().enumerate() {
            add(&o.span, Hit::Phone { hit, occurrence });
        }
    }
    for (k, e) in ex.emails.iter().enumerate() {
        add(&e.span, Hit::Email(k));
    }
    for (k, h) in ex.handles.iter().enumerate() {
        add(&h.span, Hit::Handle(k));
    }
    for (k, w) in ex.wallets.iter().enumerate() {
        add(&w.span, Hit::Wallet(k));
    }
    for (k, a) in ex.ages.iter().enumerate() {
        add(&a.span, Hit::Age(k));
    }
    for (k, p) in ex.prices.iter().enumerate() {
        add(&p.span, Hit::Price(k));
    }
    for (k, u) in ex.urls.iter().enumerate() {
        add(&u.span, Hit::Url(k));
    }
    spans.sort_by_key(|s| (s.start, s.end));
}

/// The input text, and whether it is known to need no escaping.
#[derive(Clone, Copy)]
struct Text<'a>(&'a str, bool);

/// One element of `spans`: kind, value, start, end, raw, obfuscated and, for phones, tricks.
fn write_span(
    out: &mut Vec<u8>,
    Text(text, text_is_plain): Text,
    ex: &Extraction,
    span: &SpanRef,
) -> Result<(), serde_json::Error> {
    let mut obfuscated = false;
    let mut tricks = None;
    match span.hit {
        Hit::Phone { hit, occurrence } => {
            let phone = &ex.phones[hit];
            let o = &phone.occurrences[occurrence];
            out.extend_from_slice(b"{\"kind\":\"phone\",\"value\":");
            json_str(out, &phone.e164)?;
            obfuscated = o.obfuscated;
            tricks = Some(o.kinds);
        }
        Hit::Email(k) => {
            let e = &ex.emails[k];
            out.extend_from_slice(b"{\"kind\":\"email\",\"value\":");
            json_str(out, &e.address)?;
            obfuscated = e.obfuscated;
        }
        Hit::Handle(k) => {
            let h = &ex.handles[k];
            out.extend_from_slice(b"{\"kind\":\"handle\",\"value\":");
            handle_value(out, h.platform, &h.handle)?;
        }
        Hit::Wallet(k) => {
            out.extend_from_slice(b"{\"kind\":\"wallet\",\"value\":");
            json_str(out, &ex.wallets[k].address)?;
        }
        Hit::Age(k) => {
            out.extend_from_slice(b"{\"kind\":\"age\",\"value\":");
            quoted_uint(out, u64::from(ex.ages[k].age));
        }
        Hit::Price(k) => {
            out.extend_from_slice(b"{\"kind\":\"price\",\"value\":");
            quoted_uint(out, u64::from(ex.prices[k].amount));
        }
        Hit::Url(k) => {
            out.extend_from_slice(b"{\"kind\":\"url\",\"value\":");
            json_str(out, &ex.urls[k].url)?;
        }
    }
    out.extend_from_slice(b",\"start\":");
    uint(out, span.start as u64);
    out.extend_from_slice(b",\"end\":");
    uint(out, span.end as u64);
    out.extend_from_slice(b",\"raw\":");
    let raw = text.get(span.start..span.end).unwrap_or("");
    if text_is_plain {
        quoted(out, raw);
    } else {
        json_str(out, raw)?;
    }
    out.extend_from_slice(b",\"obfuscated\":");
    boolean(out, obfuscated);
    if let Some(kinds) = tricks {
        out.extend_from_slice(b",\"tricks\":[");
        for (t, kind) in kinds.iter().enumerate() {
            if t > 0 {
                out.push(b',');
            }
            json_str(out, kind.as_str())?;
        }
        out.push(b']');
    }
    out.push(b'}');
    Ok(())
}

/// A handle's span value, `platform:handle`, without joining the two first.
fn handle_value(out: &mut Vec<u8>, platform: &str, handle: &str) -> Result<(), serde_json::Error> {
    if needs_escape(platform) || needs_escape(handle) {
        // Rare enough that joining is fine; serde_json then escapes the joined string.
        return serde_json::to_writer(&mut *out, &format!("{platform}:{handle}"));
    }
    out.push(b'"');
    out.extend_from_slice(platform.as_bytes());
    out.push(b':');
    out.extend_from_slice(handle.as_bytes());
    out.push(b'"');
    Ok(())
}

fn needs_escape(s: &str) -> bool {
    search::has_special(s.as_bytes())
}

/// A JSON string: verbatim between quotes when nothing needs escaping (the usual case, checked
/// eight bytes at a time), else `serde_json`'s own escaping (so both give its exact bytes).
#[inline]
pub(super) fn json_str(out: &mut Vec<u8>, s: &str) -> Result<(), serde_json::Error> {
    if needs_escape(s) {
        return escaped_str(out, s);
    }
    quoted(out, s);
    Ok(())
}

/// A string that needs no escaping, between quotes.
fn quoted(out: &mut Vec<u8>, s: &str) {
    out.reserve(s.len() + 2);
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
}

#[cold]
fn escaped_str(out: &mut Vec<u8>, s: &str) -> Result<(), serde_json::Error> {
    serde_json::to_writer(&mut *out, s)
}

fn opt_str(out: &mut Vec<u8>, s: Option<&str>) -> Result<(), serde_json::Error> {
    match s {
        Some(s) => json_str(out, s),
        None => {
            out.extend_from_slice(b"null");
            Ok(())
        }
    }
}

fn str_list<'a>(
    out: &mut Vec<u8>,
    list: impl Iterator<Item = &'a str>,
) -> Result<(), serde_json::Error> {
    out.push(b'[');
    for (k, s) in list.enumerate() {
        if k > 0 {
            out.push(b',');
        }
        json_str(out, s)?;
    }
    out.push(b']');
    Ok(())
}

fn boolean(out: &mut Vec<u8>, b: bool) {
    out.extend_from_slice(if b { b"true" } else { b"false" });
}

/// A number written as a string (ages and prices as span values, as `to_string` gave them).
fn quoted_uint(out: &mut Vec<u8>, n: u64) {
    out.push(b'"');
    uint(out, n);
    out.push(b'"');
}

/// A decimal number; the small ones (span offsets, ages, prices) without a loop.
pub(super) fn uint(out: &mut Vec<u8>, n: u64) {
    // Two digits per step from a table of "00".."99".
    const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";
    let pair = |k: u64| {
        let at = (k % 100) as usize * 2;
        [PAIRS[at], PAIRS[at + 1]]
    };
    match n {
        0..=9 => out.push(b'0' + n as u8),
        10..=99 => out.extend_from_slice(&pair(n)),
        100..=999 => {
            let [a, b] = pair(n);
            out.extend_from_slice(&[b'0' + (n / 100) as u8, a, b]);
        }
        1000..=9999 => {
            let ([a, b], [c, d]) = (pair(n / 100), pair(n));
            out.extend_from_slice(&[a, b, c, d]);
        }
        _ => {
            let mut buf = [0u8; 20];
            let mut at = buf.len();
            let mut rest = n;
            while rest > 0 {
                at -= 1;
                buf[at] = b'0' + (rest % 10) as u8;
                rest /= 10;
            }
            out.extend_from_slice(&buf[at..]);
        }
    }
}
