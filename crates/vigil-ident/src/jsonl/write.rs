//! The result line, written straight from an [`Extraction`]: byte for byte what `serde_json`
//! gives for the contract's record (field order, escaping, numbers; tested against a derived
//! `Serialize`), without building the record or allocating per hit.

use crate::Extraction;

use super::{search, Id, Line};

/// One output line being written: bytes go at a cursor into a zero-filled buffer kept longer
/// than the line (grown when a write would pass its end), so a write is one room check and a
/// copy, where `Vec::push` and `Vec::extend_from_slice` also load and store the vector's
/// length and capacity around every piece.
#[derive(Default)]
pub(super) struct LineBuf {
    buf: Vec<u8>,
    len: usize,
}

impl LineBuf {
    /// The bytes written since the last [`LineBuf::clear`].
    pub(super) fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    pub(super) fn len(&self) -> usize {
        self.len
    }

    pub(super) fn clear(&mut self) {
        self.len = 0;
    }

    /// The bytes held for lines, written or not.
    pub(super) fn capacity(&self) -> usize {
        self.buf.len()
    }

    /// Writes the next `n` bytes of the line with `fill`, which must overwrite all of them.
    #[inline(always)]
    fn fill(&mut self, n: usize, fill: impl FnOnce(&mut [u8])) {
        let start = self.len;
        let end = start + n;
        // The growing branch writes too, so that the usual one is one test and the copy.
        match self.buf.get_mut(start..end) {
            Some(room) => fill(room),
            None => {
                // By value, so that a `LineBuf` kept in a local never has its address taken.
                self.buf = grown(std::mem::take(&mut self.buf), end);
                fill(&mut self.buf[start..end]);
            }
        }
        self.len = end;
    }

    #[inline(always)]
    fn put(&mut self, bytes: &[u8]) {
        self.fill(bytes.len(), |room| room.copy_from_slice(bytes));
    }

    #[inline(always)]
    fn byte(&mut self, b: u8) {
        self.fill(1, |room| room[0] = b);
    }
}

/// `buf` zero-filled to at least `needed` bytes (and at least twice as long, so growth is rare).
#[cold]
#[inline(never)]
fn grown(mut buf: Vec<u8>, needed: usize) -> Vec<u8> {
    let len = needed.max(buf.len() * 2).max(4096);
    buf.resize(len, 0);
    buf
}

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

/// Writes the record of one line and its newline after what `out` holds. A record that grows
/// past [`SPILL_AT`] bytes is handed to `spill` in parts as it is written (see [`Spill`]).
pub(super) fn record(
    out: &mut LineBuf,
    line: &Line,
    ex: &Extraction,
    spans: &mut Vec<SpanRef>,
    spill: &mut Spill<'_>,
) {
    // Written through a local, whose length and buffer stay in registers between writes.
    let mut local = std::mem::take(out);
    record_into(&mut local, line, ex, spans, spill);
    *out = local;
}

/// The bytes a line buffer may hold before the record being written is handed out in parts:
/// a text of many hits makes a record tens of times its length (a 10 MB text of prices, one
/// of about 300 MB), which would otherwise be held whole.
const SPILL_AT: usize = 1 << 20;

/// Where the bytes of a long record go while it is written, once the line buffer holds
/// [`SPILL_AT`] bytes: the lines before it in the batch and the record so far are written to
/// `output` and the buffer starts again. Writing a record cannot fail, so what has been handed
/// out is never withdrawn; a failed write is kept in `error` (the caller ends the run with it
/// and drops the rest of the record, which is no longer handed out).
pub(super) struct Spill<'w> {
    pub(super) output: &'w mut dyn std::io::Write,
    pub(super) error: Option<std::io::Error>,
}

impl Spill<'_> {
    /// Hands `out` to the output when it holds [`SPILL_AT`] bytes or more.
    #[inline(always)]
    fn check(&mut self, out: &mut LineBuf) {
        if out.len >= SPILL_AT {
            // By value, as in `LineBuf::fill`: the local being written never has its address
            // taken.
            *out = self.hand_out(std::mem::take(out));
        }
    }

    /// Writes what `out` holds and returns it emptied.
    #[cold]
    #[inline(never)]
    fn hand_out(&mut self, mut out: LineBuf) -> LineBuf {
        if self.error.is_none() {
            if let Err(e) = self.output.write_all(out.as_bytes()) {
                self.error = Some(e);
            }
        }
        out.clear();
        out
    }
}

#[inline(always)]
fn record_into(
    out: &mut LineBuf,
    line: &Line,
    ex: &Extraction,
    spans: &mut Vec<SpanRef>,
    spill: &mut Spill<'_>,
) {
    let (id, text) = (&line.id, Text(line.text, line.text_is_plain));
    write_id(out, id);
    let phones = ex.phones.iter().map(|p| p.e164.as_str());
    str_list(out, b",\"phones\":[", b",\"phones\":[]", phones, spill);
    let emails = ex.emails.iter().map(|e| e.address.as_str());
    str_list(out, b",\"emails\":[", b",\"emails\":[]", emails, spill);
    out.put(b",\"handles\":[");
    // Constant pieces are written with their neighbours (a prefix is a constant after
    // inlining, so its copy is a few stores); each separating comma is a write of its own, as
    // a prefix that may start with one would be copied by `memcpy`.
    for (k, h) in ex.handles.iter().enumerate() {
        spill.check(out);
        if k > 0 {
            out.byte(b',');
        }
        prefixed_str(out, b"{\"platform\":", h.platform);
        prefixed_str(out, b",\"handle\":", &h.handle);
        prefixed_str(out, b",\"kind\":", h.kind.as_str());
        out.byte(b'}');
    }
    out.put(b"],\"wallets\":[");
    for (k, w) in ex.wallets.iter().enumerate() {
        spill.check(out);
        if k > 0 {
            out.byte(b',');
        }
        prefixed_str(out, b"{\"chain\":", w.chain.as_str());
        prefixed_str(out, b",\"address\":", &w.address);
        prefixed_str(out, b",\"checksum\":", w.checksum);
        out.byte(b'}');
    }
    out.put(b"],\"ages\":[");
    for (k, a) in ex.ages.iter().enumerate() {
        spill.check(out);
        if k > 0 {
            out.byte(b',');
        }
        uint(out, b"{\"age\":", u64::from(a.age));
        if a.minor {
            out.put(b",\"minor\":true}");
        } else {
            out.put(b",\"minor\":false}");
        }
    }
    out.put(b"],\"prices\":[");
    for (k, p) in ex.prices.iter().enumerate() {
        spill.check(out);
        if k > 0 {
            out.byte(b',');
        }
        uint(out, b"{\"amount\":", u64::from(p.amount));
        opt_str(out, b",\"currency\":", p.currency);
        opt_str(out, b",\"unit\":", p.unit);
        out.byte(b'}');
    }
    let urls = ex.urls.iter().map(|u| u.url.as_str());
    str_list(out, b"],\"urls\":[", b"],\"urls\":[]", urls, spill);
    if ex.obfuscated {
        out.put(b",\"obfuscated\":true,\"spans\":[");
    } else {
        out.put(b",\"obfuscated\":false,\"spans\":[");
    }
    collect_spans(ex, spans);
    for (k, span) in spans.iter().enumerate() {
        spill.check(out);
        if k > 0 {
            out.byte(b',');
        }
        write_span(out, text, ex, span);
    }
    out.put(b"]}\n");
}

/// `{"id":` and the id.
fn write_id(out: &mut LineBuf, id: &Id) {
    const OPENING: &[u8] = b"{\"id\":";
    match id {
        Id::Str(s) => prefixed_str(out, OPENING, s),
        Id::PlainStr(s) => {
            prefixed_quoted(out, OPENING, s);
        }
        Id::Int(literal) => {
            out.fill(OPENING.len() + literal.len(), |room| {
                let (head, rest) = room.split_at_mut(OPENING.len());
                head.copy_from_slice(OPENING);
                rest.copy_from_slice(literal);
            });
        }
        Id::Number(n) => {
            out.put(OPENING);
            out.put(n.to_string().as_bytes());
        }
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
/// Constant parts are written together with their neighbours, so that a span takes a few
/// writes.
#[inline(always)]
fn write_span(out: &mut LineBuf, Text(text, text_is_plain): Text, ex: &Extraction, span: &SpanRef) {
    let mut obfuscated = false;
    let mut tricks = None;
    match span.hit {
        Hit::Phone { hit, occurrence } => {
            let phone = &ex.phones[hit];
            let o = &phone.occurrences[occurrence];
            prefixed_str(out, b"{\"kind\":\"phone\",\"value\":", &phone.e164);
            obfuscated = o.obfuscated;
            tricks = Some(o.kinds);
        }
        Hit::Email(k) => {
            let e = &ex.emails[k];
            prefixed_str(out, b"{\"kind\":\"email\",\"value\":", &e.address);
            obfuscated = e.obfuscated;
        }
        Hit::Handle(k) => {
            let h = &ex.handles[k];
            out.put(b"{\"kind\":\"handle\",\"value\":");
            handle_value(out, h.platform, &h.handle);
        }
        Hit::Wallet(k) => {
            let address = &ex.wallets[k].address;
            prefixed_str(out, b"{\"kind\":\"wallet\",\"value\":", address);
        }
        Hit::Age(k) => {
            uint(
                out,
                b"{\"kind\":\"age\",\"value\":\"",
                u64::from(ex.ages[k].age),
            );
            out.byte(b'"');
        }
        Hit::Price(k) => {
            let amount = u64::from(ex.prices[k].amount);
            uint(out, b"{\"kind\":\"price\",\"value\":\"", amount);
            out.byte(b'"');
        }
        Hit::Url(k) => {
            prefixed_str(out, b"{\"kind\":\"url\",\"value\":", &ex.urls[k].url);
        }
    }
    uint(out, b",\"start\":", span.start as u64);
    uint(out, b",\"end\":", span.end as u64);
    let raw = text.get(span.start..span.end).unwrap_or("");
    if text_is_plain {
        prefixed_quoted(out, b",\"raw\":", raw.as_bytes());
    } else {
        prefixed_str(out, b",\"raw\":", raw);
    }
    match (tricks, obfuscated) {
        (None, false) => out.put(b",\"obfuscated\":false}"),
        (None, true) => out.put(b",\"obfuscated\":true}"),
        // (The usual phone: no trick to list.)
        (Some(kinds), false) if kinds.is_empty() => {
            out.put(b",\"obfuscated\":false,\"tricks\":[]}");
        }
        (Some(kinds), obfuscated) => {
            if obfuscated {
                out.put(b",\"obfuscated\":true,\"tricks\":[");
            } else {
                out.put(b",\"obfuscated\":false,\"tricks\":[");
            }
            for (t, kind) in kinds.iter().enumerate() {
                if t > 0 {
                    out.byte(b',');
                }
                json_str(out, kind.as_str());
            }
            out.put(b"]}");
        }
    }
}

/// `prefix` then `s` as a JSON string, in one write when `s` needs no escaping. A string of
/// up to sixteen bytes is loaded once, as two overlapping words, for both the escape test and
/// the copy (where a call to the test and one to `memcpy` cost more than the work).
#[inline(always)]
fn prefixed_str(out: &mut LineBuf, prefix: &[u8], s: &str) {
    let bytes = s.as_bytes();
    match Short::of(bytes) {
        Some(short) if !short.has_special() => {
            out.fill(prefix.len() + bytes.len() + 2, |room| {
                let (head, rest) = room.split_at_mut(prefix.len());
                head.copy_from_slice(prefix);
                if let [open, body @ .., close] = rest {
                    *open = b'"';
                    short.store(body);
                    *close = b'"';
                }
            });
        }
        None if !needs_escape(s) => {
            prefixed_quoted(out, prefix, bytes);
        }
        _ => {
            out.put(prefix);
            out.put(&escaped(s));
        }
    }
}

/// A string of at most sixteen bytes as two little-endian words that cover it: its first and
/// last eight bytes (overlapping when shorter than sixteen), or, when shorter than eight, its
/// first and last four bytes (or first, middle and last byte) and filler.
#[derive(Clone, Copy)]
struct Short {
    first: u64,
    last: u64,
    len: usize,
}

impl Short {
    /// Bytes that JSON never escapes, filling the words of a string shorter than eight bytes.
    const FILLER: u64 = 0x6161_6161_6161_6161;

    #[inline(always)]
    fn of(bytes: &[u8]) -> Option<Short> {
        let len = bytes.len();
        let (first, last) = match (bytes.first_chunk::<8>(), bytes.last_chunk::<8>()) {
            (Some(first), Some(last)) if len <= 16 => {
                (u64::from_le_bytes(*first), u64::from_le_bytes(*last))
            }
            (Some(_), Some(_)) => return None,
            _ => match (bytes.first_chunk::<4>(), bytes.last_chunk::<4>()) {
                (Some(first), Some(last)) => {
                    let high = Self::FILLER << 32;
                    let first = u64::from(u32::from_le_bytes(*first)) | high;
                    (first, u64::from(u32::from_le_bytes(*last)) | high)
                }
                _ => match bytes {
                    [] => (Self::FILLER, Self::FILLER),
                    [a, ..] => {
                        let (b, c) = (bytes[len / 2], bytes[len - 1]);
                        let word = u64::from_le_bytes([*a, b, c, b'a', b'a', b'a', b'a', b'a']);
                        (word, word)
                    }
                },
            },
        };
        Some(Short { first, last, len })
    }

    #[inline(always)]
    fn has_special(self) -> bool {
        search::special_bytes(self.first) | search::special_bytes(self.last) != 0
    }

    /// Writes the string into `body`, which is as long.
    #[inline(always)]
    fn store(self, body: &mut [u8]) {
        let (first, last) = (self.first.to_le_bytes(), self.last.to_le_bytes());
        let len = self.len;
        if len >= 8 {
            if let Some(head) = body.first_chunk_mut::<8>() {
                *head = first;
            }
            if let Some(tail) = body.last_chunk_mut::<8>() {
                *tail = last;
            }
        } else if len >= 4 {
            if let Some(head) = body.first_chunk_mut::<4>() {
                head.copy_from_slice(&first[..4]);
            }
            if let Some(tail) = body.last_chunk_mut::<4>() {
                tail.copy_from_slice(&last[..4]);
            }
        } else if let [a, .., c] = body {
            *a = first[0];
            *c = first[2];
            if let Some(b) = body.get_mut(len / 2) {
                *b = first[1];
            }
        } else if let [a] = body {
            *a = first[0];
        }
    }
}

/// `prefix` then `s`, which needs no escaping, between quotes, in one write.
#[inline(always)]
fn prefixed_quoted(out: &mut LineBuf, prefix: &[u8], s: &[u8]) {
    out.fill(prefix.len() + s.len() + 2, |room| {
        let (head, rest) = room.split_at_mut(prefix.len());
        head.copy_from_slice(prefix);
        if let [open, body @ .., close] = rest {
            *open = b'"';
            body.copy_from_slice(s);
            *close = b'"';
        }
    });
}

/// A handle's span value, `platform:handle`, without joining the two first.
fn handle_value(out: &mut LineBuf, platform: &str, handle: &str) {
    if needs_escape(platform) || needs_escape(handle) {
        // Rare enough that joining is fine; serde_json then escapes the joined string.
        out.put(&escaped(&format!("{platform}:{handle}")));
        return;
    }
    let (p, h) = (platform.len(), handle.len());
    out.fill(p + h + 3, |room| {
        room[0] = b'"';
        room[1..=p].copy_from_slice(platform.as_bytes());
        room[p + 1] = b':';
        room[p + 2..p + 2 + h].copy_from_slice(handle.as_bytes());
        room[p + h + 2] = b'"';
    });
}

fn needs_escape(s: &str) -> bool {
    search::has_special(s.as_bytes())
}

/// A JSON string: verbatim between quotes when nothing needs escaping (the usual case, checked
/// eight bytes at a time), else `serde_json`'s own escaping (so both give its exact bytes).
#[inline(always)]
pub(super) fn json_str(out: &mut LineBuf, s: &str) {
    prefixed_str(out, b"", s)
}

/// `s` as `serde_json` writes it, escapes and quotes included: `"` and `\\` escaped, the
/// control characters U+0000–U+001F as `\b`, `\t`, `\n`, `\f`, `\r` or `\u00xx` (lower-case
/// hex), everything else verbatim (tested against `serde_json` on any string). Written here
/// rather than called, as `serde_json`'s returns a `Result` that writing into memory never
/// fails: the record then cannot fail, so a long one can be handed out in parts.
#[cold]
#[inline(never)]
fn escaped(s: &str) -> Vec<u8> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = Vec::with_capacity(s.len() + 2);
    out.push(b'"');
    for &b in s.as_bytes() {
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            0x0c => out.extend_from_slice(b"\\f"),
            b'\r' => out.extend_from_slice(b"\\r"),
            0x00..=0x1f => {
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 15)]);
            }
            _ => out.push(b),
        }
    }
    out.push(b'"');
    out
}

#[inline(always)]
fn opt_str(out: &mut LineBuf, prefix: &[u8], s: Option<&str>) {
    match s {
        Some(s) => prefixed_str(out, prefix, s),
        None => {
            out.put(prefix);
            out.put(b"null");
        }
    }
}

/// A list of strings after `open` (which ends with its bracket), or `empty` when there are
/// none.
#[inline(always)]
fn str_list<'a>(
    out: &mut LineBuf,
    open: &[u8],
    empty: &[u8],
    mut list: impl Iterator<Item = &'a str>,
    spill: &mut Spill<'_>,
) {
    let Some(first) = list.next() else {
        out.put(empty);
        return;
    };
    prefixed_str(out, open, first);
    for s in list {
        spill.check(out);
        prefixed_str(out, b",", s);
    }
    out.byte(b']');
}

/// The decimal digits of "00".."99", two per step.
const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// `prefix` and a decimal number; the small ones (span offsets, ages, prices) without a loop
/// and in one write (prefix and digit count are constants in each arm, once inlined).
#[inline(always)]
pub(super) fn uint(out: &mut LineBuf, prefix: &[u8], n: u64) {
    let pair = |k: u64| {
        let at = (k % 100) as usize * 2;
        [PAIRS[at], PAIRS[at + 1]]
    };
    match n {
        0..=9 => prefixed_digits(out, prefix, &[b'0' + n as u8]),
        10..=99 => prefixed_digits(out, prefix, &pair(n)),
        100..=999 => {
            let [a, b] = pair(n);
            prefixed_digits(out, prefix, &[b'0' + (n / 100) as u8, a, b]);
        }
        1000..=9999 => {
            let ([a, b], [c, d]) = (pair(n / 100), pair(n));
            prefixed_digits(out, prefix, &[a, b, c, d]);
        }
        _ => {
            out.put(prefix);
            let (digits, start) = long_digits(n);
            out.put(&digits[start..]);
        }
    }
}

#[inline(always)]
fn prefixed_digits(out: &mut LineBuf, prefix: &[u8], digits: &[u8]) {
    out.fill(prefix.len() + digits.len(), |room| {
        let (head, rest) = room.split_at_mut(prefix.len());
        head.copy_from_slice(prefix);
        rest.copy_from_slice(digits);
    });
}

/// The digits of `n` at the end of the array, from the index returned.
#[inline(never)]
fn long_digits(n: u64) -> ([u8; 20], usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n;
    while rest > 0 {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    (digits, at)
}
