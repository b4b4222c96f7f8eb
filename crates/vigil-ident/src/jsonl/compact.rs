//! The usual input line read straight from its bytes, before any UTF-8 check of the whole
//! line: `{"key":value,…}` with no whitespace between tokens, no escapes, every value a string
//! (but a canonical integer `id` and a null `region`). Only `text` and `region` are made `str`
//! (checked by the standard library); every other byte is proved ASCII by the searches, or its
//! string checked (a string `id` too, which the writer copies as bytes), so an accepted line is
//! valid UTF-8 as a whole and is read exactly as `scan` reads it. Anything else, valid or not,
//! gets `None`, and the caller checks the whole line and hands it to `scan`, so errors keep
//! their wording and their order.

use super::scan::canonical_integer_end;
use super::search::{first_special, first_special_or_high};
use super::{Id, Line};

/// The fields of `line` when it has the usual shape and is valid input.
pub(super) fn line(line: &[u8]) -> Option<Line<'_>> {
    let (fields, end) = object(line)?;
    let after = line.get(end..)?;
    let blank = after
        .iter()
        .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
    blank.then_some(fields)
}

/// The fields of the line at the start of `buf` and the line's length with its newline, when
/// the line has the usual shape, is valid input and ends inside `buf`. No byte before the
/// object's end can be a newline (strings hold no control byte here), so the line ends at the
/// first newline after it, with only JSON whitespace between.
pub(super) fn line_at_start(buf: &[u8]) -> Option<(Line<'_>, usize)> {
    let (fields, end) = object(buf)?;
    let mut at = end;
    loop {
        match buf.get(at)? {
            b' ' | b'\t' | b'\r' => at += 1,
            b'\n' => return Some((fields, at + 1)),
            _ => return None,
        }
    }
}

/// The object at the start of `line` and the index after its closing brace.
fn object(line: &[u8]) -> Option<(Line<'_>, usize)> {
    // Two bytes at a time where the shape is fixed: `{"`, `":"` before a skipped value and
    // `,"` between members.
    if line.get(..2) != Some(b"{\"") {
        return None;
    }
    let mut reader = Reader { bytes: line, at: 2 };
    let (mut id, mut text, mut region) = (None, None, None);
    // Which of the three keys were met, to refuse duplicates (`serde_json` rejects them).
    let mut seen = 0u8;
    loop {
        let key = reader.string_body()?;
        let bit = match key {
            b"id" => {
                reader.expect(b':')?;
                id = reader.id()?;
                1
            }
            b"text" => {
                reader.expect(b':')?;
                text = reader.kept_string_or_null()?;
                2
            }
            b"region" => {
                reader.expect(b':')?;
                region = reader.kept_string_or_null()?;
                4
            }
            _ => {
                reader.expect_pair(b":\"")?;
                reader.string_body()?;
                0
            }
        };
        if seen & bit != 0 {
            return None;
        }
        seen |= bit;
        if reader.expect_pair(b",\"").is_none() {
            reader.expect(b'}')?;
            break;
        }
    }
    let fields = Line {
        id: id?,
        text: text?,
        // The string held no quote, backslash or control byte.
        text_is_plain: true,
        region,
    };
    Some((fields, reader.at))
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    #[inline(always)]
    fn next(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    #[inline(always)]
    fn expect(&mut self, wanted: u8) -> Option<()> {
        (self.next()? == wanted).then_some(())
    }

    /// The two bytes `pair` next, or `None` (moving nowhere).
    #[inline(always)]
    fn expect_pair(&mut self, pair: &[u8; 2]) -> Option<()> {
        let end = self.at + 2;
        (self.bytes.get(self.at..end)? == pair).then_some(())?;
        self.at = end;
        Some(())
    }

    /// A string that is not kept (a key or a skipped value) after its opening quote, as its
    /// raw bytes: they are ASCII, or checked to be UTF-8 (the rare case).
    #[inline(always)]
    fn string_body(&mut self) -> Option<&'a [u8]> {
        let start = self.at;
        let stop = first_special_or_high(self.bytes, start)?;
        let end = match self.bytes.get(stop)? {
            b'"' => stop,
            b if *b >= 0x80 => {
                let end = self.string_end(stop)?;
                simdutf8::basic::from_utf8(self.bytes.get(start..end)?).ok()?;
                end
            }
            _ => return None,
        };
        self.at = end + 1;
        self.bytes.get(start..end)
    }

    /// Where a string without escapes that goes on at `from` ends; `None` at an escape or a
    /// control byte.
    #[inline(always)]
    fn string_end(&self, from: usize) -> Option<usize> {
        let stop = first_special(self.bytes, from)?;
        (*self.bytes.get(stop)? == b'"').then_some(stop)
    }

    /// A string the contract keeps, checked to be UTF-8; `None` for `null`.
    #[inline(always)]
    fn kept_string_or_null(&mut self) -> Option<Option<&'a str>> {
        match self.bytes.get(self.at)? {
            b'"' => self.kept_string().map(Some),
            b'n' => self.null(),
            _ => None,
        }
    }

    #[inline(always)]
    fn kept_string(&mut self) -> Option<&'a str> {
        let start = self.at + 1;
        let end = self.string_end(start)?;
        self.at = end + 1;
        simdutf8::basic::from_utf8(self.bytes.get(start..end)?).ok()
    }

    fn null(&mut self) -> Option<Option<&'a str>> {
        let end = self.at + 4;
        (self.bytes.get(self.at..end)? == b"null").then_some(())?;
        self.at = end;
        Some(None)
    }

    /// `id`: a string, an integer that needs no conversion, or null.
    fn id(&mut self) -> Option<Option<Id<'a>>> {
        match self.bytes.get(self.at)? {
            // Proved ASCII by the search, or checked as UTF-8: no `str` is needed.
            b'"' => {
                self.at += 1;
                self.string_body().map(|s| Some(Id::PlainStr(s)))
            }
            b'n' => self.null().map(|_| None),
            _ => self.canonical_integer().map(|s| Some(Id::Int(s))),
        }
    }

    /// An integer `id` written back exactly as read ([`canonical_integer_end`]).
    fn canonical_integer(&mut self) -> Option<&'a [u8]> {
        let start = self.at;
        self.at = canonical_integer_end(self.bytes, start)?;
        self.bytes.get(start..self.at)
    }
}
