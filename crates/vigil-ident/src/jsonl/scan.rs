//! A fast, strict reader for the common input line: one JSON object whose `id` is a string or
//! an integer, whose `text` is a string and whose `region` is a string, null or absent, with any
//! other fields skipped. It answers only when `serde_json` would read the line the same way and
//! accept it; for everything else (bad JSON, wrong types, duplicate fields, floats, lone
//! surrogates, …) it answers `None`, and the caller asks `serde_json`, whose errors are the
//! contract.

use std::ops::Range;

use super::search::{first_special, has_backslash_or_control, next_quote, special_bytes};
use super::{Id, Line};
use crate::swar::word_at;

/// Reads `line`, unescaping strings that hold escapes into `unescaped` (cleared first).
pub(super) fn line<'a>(line: &'a str, unescaped: &'a mut String) -> Option<Line<'a>> {
    unescaped.clear();
    let bytes = line.as_bytes();
    let mut cursor = Cursor {
        text: line,
        bytes,
        at: 0,
        plain: !has_backslash_or_control(trim_newline(bytes)),
    };
    let fields = cursor.object(unescaped)?;
    let unescaped: &'a String = unescaped;
    fields.resolve(line, unescaped)
}

/// The end of the integer at `start` when it is one `serde_json` keeps as `u64`/`i64` and
/// writes back exactly as read: no fraction or exponent (those become `f64`), not `-0`
/// (written `-0.0`), at most 18 digits (so it cannot overflow either type). Both readers
/// (this one and `compact`) take an `id` by it.
pub(super) fn canonical_integer_end(bytes: &[u8], start: usize) -> Option<usize> {
    let negative = bytes.get(start) == Some(&b'-');
    let digits_start = start + usize::from(negative);
    let digits = bytes.get(digits_start..)?;
    let len = digits.iter().take_while(|b| b.is_ascii_digit()).count();
    let end = digits_start + len;
    let leading_zero_ok = match digits.first()? {
        b'0' => !negative && len == 1,
        b'1'..=b'9' => true,
        _ => false,
    };
    let too_long = len > 18;
    let goes_on = matches!(bytes.get(end), Some(b'.' | b'e' | b'E'));
    (leading_zero_ok && !too_long && !goes_on).then_some(end)
}

/// `bytes` without its final `\n` or `\r\n`.
fn trim_newline(bytes: &[u8]) -> &[u8] {
    let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    bytes.strip_suffix(b"\r").unwrap_or(bytes)
}

/// Where a string value lies: in the line itself (no escapes) or in the unescaped buffer.
#[derive(Clone, Debug)]
enum Piece {
    Line(Range<usize>),
    Unescaped(Range<usize>),
}

#[derive(Clone, Debug)]
enum RawId {
    Str(Piece),
    /// An integer literal in the line.
    Int(Range<usize>),
}

/// The contract's fields as found; `None` for absent or `null` (the same thing to the contract).
#[derive(Default)]
struct RawFields {
    id: Option<RawId>,
    text: Option<Piece>,
    region: Option<Piece>,
    /// Which of the three keys were met, to refuse duplicates (`serde_json` rejects them).
    seen: u8,
}

#[derive(Clone, Copy)]
enum Field {
    Id = 1,
    Text = 2,
    Region = 4,
}

impl RawFields {
    /// Notes a key; `None` when it was met before.
    fn meet(&mut self, field: Field) -> Option<()> {
        let bit = field as u8;
        if self.seen & bit != 0 {
            return None;
        }
        self.seen |= bit;
        Some(())
    }

    /// The fields of a valid line; `None` when `id` or `text` is missing.
    fn resolve<'a>(self, line: &'a str, unescaped: &'a str) -> Option<Line<'a>> {
        let piece = |p: Piece| match p {
            Piece::Line(r) => line.get(r),
            Piece::Unescaped(r) => unescaped.get(r),
        };
        let id = match self.id? {
            // A string read from the line itself ran to its first special byte, a quote.
            RawId::Str(Piece::Line(r)) => Id::PlainStr(line.get(r)?.as_bytes()),
            RawId::Str(p) => Id::Str(piece(p)?),
            RawId::Int(r) => Id::Int(line.as_bytes().get(r)?),
        };
        let text_piece = self.text?;
        let text_is_plain = matches!(text_piece, Piece::Line(_));
        let text = piece(text_piece)?;
        let region = match self.region {
            Some(p) => Some(piece(p)?),
            None => None,
        };
        Some(Line {
            id,
            text,
            text_is_plain,
            region,
        })
    }
}

struct Cursor<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    /// The line holds no backslash and no control byte (but its final newline), so no string
    /// in it has an escape or a byte JSON forbids, and each simply runs to the next quote:
    /// one vector pass over the line spares three tests per byte of every string.
    plain: bool,
}

/// Containers nested deeper than this inside a skipped value are left to `serde_json` (the
/// open containers are kept as bits of one word).
const MAX_SKIP_DEPTH: u32 = 64;

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.at += 1;
        Some(b)
    }

    fn eat(&mut self, expected: u8) -> Option<()> {
        (self.next()? == expected).then_some(())
    }

    fn eat_if(&mut self, wanted: u8) -> bool {
        let found = self.peek() == Some(wanted);
        self.at += usize::from(found);
        found
    }

    /// JSON's four whitespace bytes, exactly the ones `serde_json` skips.
    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.at + word.len();
        (self.bytes.get(self.at..end)? == word).then_some(())?;
        self.at = end;
        Some(())
    }

    /// The whole line: one object, then only whitespace.
    fn object(&mut self, unescaped: &mut String) -> Option<RawFields> {
        let mut fields = RawFields::default();
        self.skip_whitespace();
        self.eat(b'{')?;
        self.skip_whitespace();
        if self.eat_if(b'}') {
            return self.at_end().then_some(fields);
        }
        loop {
            self.eat(b'"')?;
            let field = self.key(unescaped)?;
            self.skip_whitespace();
            self.eat(b':')?;
            self.skip_whitespace();
            match field {
                Some(Field::Id) => {
                    fields.meet(Field::Id)?;
                    fields.id = self.id_value(unescaped)?;
                }
                Some(Field::Text) => {
                    fields.meet(Field::Text)?;
                    fields.text = self.string_or_null(unescaped)?;
                }
                Some(Field::Region) => {
                    fields.meet(Field::Region)?;
                    fields.region = self.string_or_null(unescaped)?;
                }
                // Most skipped values are strings: those need none of the nesting machinery.
                None if self.eat_if(b'"') => self.skip_string()?,
                None => self.skip_value()?,
            }
            self.skip_whitespace();
            match self.next()? {
                b',' => self.skip_whitespace(),
                b'}' => break,
                _ => return None,
            }
        }
        self.at_end().then_some(fields)
    }

    fn at_end(&mut self) -> bool {
        self.skip_whitespace();
        self.at == self.bytes.len()
    }

    /// A key (after its opening quote): which contract field it names, if any. Keys are
    /// compared unescaped, as `serde_json` does (`"te\u0078t"` is `text`).
    fn key(&mut self, unescaped: &mut String) -> Option<Option<Field>> {
        if let Some(field) = self.short_key() {
            return Some(field);
        }
        let name = match self.string(unescaped)? {
            Piece::Line(r) => self.bytes.get(r)?,
            Piece::Unescaped(r) => unescaped.as_bytes().get(r)?,
        };
        Some(match name {
            b"id" => Some(Field::Id),
            b"text" => Some(Field::Text),
            b"region" => Some(Field::Region),
            _ => None,
        })
    }

    /// A key of at most seven bytes without escapes (the usual case), read from one word and
    /// compared as a number; `None` when the key is not of that kind.
    fn short_key(&mut self) -> Option<Option<Field>> {
        const fn name(key: &[u8]) -> u64 {
            let mut word = [0u8; 8];
            let mut k = 0;
            while k < key.len() {
                word[k] = key[k];
                k += 1;
            }
            u64::from_le_bytes(word)
        }
        let word = word_at(self.bytes, self.at)?;
        let found = special_bytes(word);
        if found == 0 {
            return None;
        }
        let len = found.trailing_zeros() as usize / 8;
        if *self.bytes.get(self.at + len)? != b'"' {
            return None;
        }
        self.at += len + 1;
        let key = word & !(u64::MAX << (len * 8));
        Some(match key {
            k if k == name(b"id") => Some(Field::Id),
            k if k == name(b"text") => Some(Field::Text),
            k if k == name(b"region") => Some(Field::Region),
            _ => None,
        })
    }

    /// `id`: a string, an integer that needs no conversion, or null.
    fn id_value(&mut self, unescaped: &mut String) -> Option<Option<RawId>> {
        match self.peek()? {
            b'"' => {
                self.at += 1;
                Some(Some(RawId::Str(self.string(unescaped)?)))
            }
            b'n' => self.literal(b"null").map(|()| None),
            _ => Some(Some(RawId::Int(self.canonical_integer()?))),
        }
    }

    fn string_or_null(&mut self, unescaped: &mut String) -> Option<Option<Piece>> {
        match self.peek()? {
            b'"' => {
                self.at += 1;
                self.string(unescaped).map(Some)
            }
            b'n' => self.literal(b"null").map(|()| None),
            _ => None,
        }
    }

    /// See [`canonical_integer_end`].
    fn canonical_integer(&mut self) -> Option<Range<usize>> {
        let start = self.at;
        self.at = canonical_integer_end(self.bytes, start)?;
        Some(start..self.at)
    }

    fn skip_digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.at += 1;
        }
    }

    /// A string value after its opening quote, validated as `serde_json` does for a string it
    /// keeps: no raw control bytes, known escapes only, `\u` surrogates only in pairs.
    #[inline(always)]
    fn string(&mut self, unescaped: &mut String) -> Option<Piece> {
        let start = self.at;
        if self.plain {
            let end = next_quote(self.bytes, start)?;
            self.at = end + 1;
            return Some(Piece::Line(start..end));
        }
        let special = first_special(self.bytes, start)?;
        match self.bytes.get(special)? {
            b'"' => {
                self.at = special + 1;
                Some(Piece::Line(start..special))
            }
            b'\\' => self.unescape(start, special, unescaped),
            _ => None,
        }
    }

    /// The rest of a string holding escapes, from `start`; the first escape is at `special`.
    #[cold]
    fn unescape(
        &mut self,
        mut start: usize,
        mut special: usize,
        unescaped: &mut String,
    ) -> Option<Piece> {
        let from = unescaped.len();
        loop {
            unescaped.push_str(self.text.get(start..special)?);
            self.at = special + 1;
            match self.bytes.get(special)? {
                b'"' => return Some(Piece::Unescaped(from..unescaped.len())),
                b'\\' => unescaped.push(self.escape()?),
                _ => return None,
            }
            start = self.at;
            special = first_special(self.bytes, start)?;
        }
    }

    /// One escape after its backslash.
    fn escape(&mut self) -> Option<char> {
        Some(match self.next()? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => return self.unicode_escape(),
            _ => return None,
        })
    }

    /// `\uXXXX` after its `u`; a leading surrogate must be followed by `\u` and a trailing one.
    fn unicode_escape(&mut self) -> Option<char> {
        let unit = self.hex4()?;
        match unit {
            0xD800..=0xDBFF => {
                self.eat(b'\\')?;
                self.eat(b'u')?;
                let low = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&low) {
                    return None;
                }
                char::from_u32(0x1_0000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
            }
            0xDC00..=0xDFFF => None,
            _ => char::from_u32(unit),
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.bytes.get(self.at..self.at + 4)?;
        let mut unit = 0;
        for &d in digits {
            unit = unit * 16 + char::from(d).to_digit(16)?;
        }
        self.at += 4;
        Some(unit)
    }

    /// A string that is skipped, after its opening quote, checked as `serde_json` checks one
    /// it ignores: any `\u` with four hex digits passes, lone surrogates included.
    #[inline(always)]
    fn skip_string(&mut self) -> Option<()> {
        if self.plain {
            self.at = next_quote(self.bytes, self.at)? + 1;
            return Some(());
        }
        loop {
            let special = first_special(self.bytes, self.at)?;
            self.at = special + 1;
            match self.bytes.get(special)? {
                b'"' => return Some(()),
                b'\\' => self.skip_escape()?,
                _ => return None,
            }
        }
    }

    fn skip_escape(&mut self) -> Option<()> {
        match self.next()? {
            b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => Some(()),
            b'u' => self.hex4().map(drop),
            _ => None,
        }
    }

    /// A number of any JSON form, only checked against the grammar (a skipped number is
    /// never converted, so its size does not matter).
    fn skip_number(&mut self) -> Option<()> {
        self.eat_if(b'-');
        match self.next()? {
            b'0' => {}
            b'1'..=b'9' => self.skip_digits(),
            _ => return None,
        }
        if self.eat_if(b'.') {
            self.digits_required()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            self.digits_required()?;
        }
        Some(())
    }

    fn digits_required(&mut self) -> Option<()> {
        let start = self.at;
        self.skip_digits();
        (self.at > start).then_some(())
    }

    /// Any JSON value of a field the contract does not read. Nesting is followed without
    /// recursion: bit `k` of `open` says whether the `k`-th open container is an object.
    fn skip_value(&mut self) -> Option<()> {
        let mut open: u64 = 0;
        let mut depth = 0;
        loop {
            self.skip_whitespace();
            match self.next()? {
                b'"' => self.skip_string()?,
                b'-' | b'0'..=b'9' => {
                    self.at -= 1;
                    self.skip_number()?;
                }
                b't' => self.literal(b"rue")?,
                b'f' => self.literal(b"alse")?,
                b'n' => self.literal(b"ull")?,
                opening @ (b'[' | b'{') => {
                    if depth == MAX_SKIP_DEPTH {
                        return None;
                    }
                    let object = opening == b'{';
                    open = (open << 1) | u64::from(object);
                    depth += 1;
                    self.skip_whitespace();
                    if !self.eat_if(if object { b'}' } else { b']' }) {
                        if object {
                            self.skip_member_key()?;
                        }
                        continue;
                    }
                    open >>= 1;
                    depth -= 1;
                }
                _ => return None,
            }
            // A value is complete: close what it completes, or move to the next element.
            loop {
                if depth == 0 {
                    return Some(());
                }
                self.skip_whitespace();
                let object = open & 1 == 1;
                match self.next()? {
                    b',' => {
                        if object {
                            self.skip_whitespace();
                            self.skip_member_key()?;
                        }
                        break;
                    }
                    b'}' if object => {}
                    b']' if !object => {}
                    _ => return None,
                }
                open >>= 1;
                depth -= 1;
            }
        }
    }

    /// `"key":` inside a skipped object.
    fn skip_member_key(&mut self) -> Option<()> {
        self.eat(b'"')?;
        self.skip_string()?;
        self.skip_whitespace();
        self.eat(b':')
    }
}
