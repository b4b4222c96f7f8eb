//! Phone-number validation per region: NANP area-code and exchange rules for +1, and the
//! libphonenumber general pattern and possible lengths (generated table) for the rest.

use std::sync::OnceLock;

use regex::bytes::Regex;

use crate::region_table::{RegionRow, REGIONS};

/// An ISO 3166 alpha-2 code that has no numbering-plan entry.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown region code {0:?} (expected an ISO 3166 alpha-2 code with a numbering plan)")]
pub struct RegionError(pub String);

/// True when `code` (any case) names a region with a numbering plan.
pub fn is_known_region(code: &str) -> bool {
    Region::lookup(code).is_some()
}

/// Checks a region code, returning it upper-cased.
pub fn parse_region(code: &str) -> Result<String, RegionError> {
    Region::lookup(code)
        .map(|r| r.row().region.to_owned())
        .ok_or_else(|| RegionError(code.to_owned()))
}

/// One row of the region table.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Region {
    index: usize,
}

/// A region's international (IDD) prefix: none, fixed digits (most regions), or a pattern of
/// the generated table (compiled on first use).
#[derive(Clone, Copy, Debug)]
enum Idd {
    None,
    Digits(&'static [u8]),
    Pattern(Region),
}

impl Idd {
    /// Bit `d` set when the prefix may start with digit `d` (all ten for a pattern).
    fn first_digits(self) -> u16 {
        match self {
            Idd::None => 0,
            Idd::Digits(idd) => idd.first().map_or(0, |&d| 1 << (d.wrapping_sub(b'0') & 15)),
            Idd::Pattern(_) => 0x3ff,
        }
    }

    /// The length of the prefix that `digits` (ASCII) starts with.
    fn len_at_start(self, digits: &[u8]) -> Option<usize> {
        match self {
            Idd::None => None,
            Idd::Digits(idd) => digits.starts_with(idd).then_some(idd.len()),
            Idd::Pattern(region) => {
                let idd = region.row().idd;
                idd_patterns()[region.index]
                    .get_or_init(|| Regex::new(&format!("^(?:{idd})")).ok())
                    .as_ref()?
                    .find(digits)
                    .map(|m| m.end())
            }
        }
    }
}

/// True when `digits` (ASCII) are a whole country calling code of the table.
pub(crate) fn is_calling_code(digits: &[u8]) -> bool {
    (1..=3).contains(&digits.len())
        && calling_code_value(digits).is_some_and(|cc| !regions_of_calling_code(cc).is_empty())
}

/// The value of up to three ASCII digits; `None` when one is not a digit.
fn calling_code_value(digits: &[u8]) -> Option<u16> {
    digits.iter().try_fold(0u16, |cc, &d| {
        d.is_ascii_digit().then(|| cc * 10 + u16::from(d - b'0'))
    })
}

/// The rows of the region table with calling code `cc`, in table order.
fn regions_of_calling_code(cc: u16) -> &'static [usize] {
    static BY_CODE: OnceLock<Vec<Vec<usize>>> = OnceLock::new();
    let by_code = BY_CODE.get_or_init(|| {
        let mut by_code = vec![Vec::new(); 1000];
        for (index, row) in REGIONS.iter().enumerate() {
            if let Some(rows) = by_code.get_mut(usize::from(row.calling_code)) {
                rows.push(index);
            }
        }
        by_code
    });
    by_code.get(usize::from(cc)).map_or(&[], Vec::as_slice)
}

fn patterns() -> &'static [OnceLock<Option<Regex>>] {
    static P: OnceLock<Vec<OnceLock<Option<Regex>>>> = OnceLock::new();
    P.get_or_init(|| REGIONS.iter().map(|_| OnceLock::new()).collect())
}

/// Per row of the table: the digits its international prefix may start with (bit `d` for digit
/// `d`) and the prefix.
fn idd_prefixes() -> &'static [(u16, Idd)] {
    static P: OnceLock<Vec<(u16, Idd)>> = OnceLock::new();
    P.get_or_init(|| {
        (0..REGIONS.len())
            .map(|index| {
                let idd = match REGIONS[index].idd {
                    "" => Idd::None,
                    digits if digits.bytes().all(|b| b.is_ascii_digit()) => {
                        Idd::Digits(digits.as_bytes())
                    }
                    _ => Idd::Pattern(Region { index }),
                };
                (idd.first_digits(), idd)
            })
            .collect()
    })
}

fn idd_patterns() -> &'static [OnceLock<Option<Regex>>] {
    static P: OnceLock<Vec<OnceLock<Option<Regex>>>> = OnceLock::new();
    P.get_or_init(|| REGIONS.iter().map(|_| OnceLock::new()).collect())
}

impl Region {
    pub(crate) fn lookup(code: &str) -> Option<Region> {
        let &[a, b] = code.as_bytes() else {
            return None;
        };
        let upper = [a.to_ascii_uppercase(), b.to_ascii_uppercase()];
        // The default region is looked up for every text: remembered once.
        if upper == *b"US" {
            static US: OnceLock<Option<Region>> = OnceLock::new();
            return *US.get_or_init(|| Self::search(upper));
        }
        Self::search(upper)
    }

    fn search(upper: [u8; 2]) -> Option<Region> {
        REGIONS
            .binary_search_by(|r| r.region.as_bytes().cmp(&upper[..]))
            .ok()
            .map(|index| Region { index })
    }

    pub(crate) fn us() -> Region {
        Region::lookup("US").unwrap_or(Region { index: 0 })
    }

    fn row(&self) -> &'static RegionRow {
        &REGIONS[self.index]
    }

    pub(crate) fn is_nanp(&self) -> bool {
        self.row().calling_code == 1
    }

    /// True when `national` (ASCII digits, no trunk prefix) is a valid number of this region.
    fn valid_national(&self, national: &[u8]) -> bool {
        let row = self.row();
        if row.calling_code == 1 {
            return nanp_valid(national);
        }
        if !row.lengths.contains(&(national.len() as u8)) {
            return false;
        }
        let re = patterns()[self.index]
            .get_or_init(|| Regex::new(&format!("^(?:{})$", row.pattern)).ok());
        re.as_ref().is_some_and(|re| re.is_match(national))
    }

    /// The length of the international (IDD) prefix that `digits` (ASCII) starts with: what is
    /// dialled from this region before a calling code, `011` from NANP, `00` from most others.
    /// Digits no prefix of the region starts with are turned away by one table look-up.
    pub(crate) fn idd_len(&self, digits: &[u8]) -> Option<usize> {
        let first = *digits.first()?;
        let (may_start, idd) = idd_prefixes().get(self.index)?;
        if (may_start >> (first.wrapping_sub(b'0') & 15)) & 1 == 0 {
            return None;
        }
        idd.len_at_start(digits)
    }

    /// The E.164 form of `digits` written nationally in this region (trunk prefix optional).
    pub(crate) fn parse_national(&self, digits: &[u8]) -> Option<E164> {
        let row = self.row();
        if row.calling_code == 1 {
            let national = match digits.len() {
                10 => digits,
                11 if digits[0] == b'1' => &digits[1..],
                _ => return None,
            };
            return nanp_valid(national).then(|| e164(1, national));
        }
        let trunk = row.trunk_prefix.as_bytes();
        if !trunk.is_empty()
            && digits.starts_with(trunk)
            && self.valid_national(&digits[trunk.len()..])
        {
            return Some(e164(row.calling_code, &digits[trunk.len()..]));
        }
        self.valid_national(digits)
            .then(|| e164(row.calling_code, digits))
    }
}

/// The E.164 form of `digits` written with its country calling code (after `+`, `00`, `wa.me/`).
///
/// A national trunk prefix written after the calling code, as in `+44 (0)20 7946 0018` or
/// `+33 (0)1 23 45 67 89`, is dropped when the number is not valid with it, as libphonenumber's
/// parser does (regions whose numbers may start with their trunk digit, such as Italy, have no
/// trunk prefix in the table, so their numbers are kept whole).
pub(crate) fn parse_international(digits: &[u8]) -> Option<E164> {
    for cc_len in 1..=3usize {
        if digits.len() <= cc_len + 3 {
            return None;
        }
        let cc = calling_code_value(&digits[..cc_len])?;
        let national = &digits[cc_len..];
        let regions = regions_of_calling_code(cc);
        if valid_in_any(regions, national) {
            return Some(e164(cc, national));
        }
        if !regions.is_empty() {
            return without_dropped_prefix(regions, national).map(|n| e164(cc, n));
        }
    }
    None
}

/// `national` without the prefix written after the calling code of one of `regions` (the rows
/// of one calling code) when it starts with that prefix and what follows is valid in that
/// region: see [`RegionRow::prefix_after_calling_code`].
fn without_dropped_prefix<'a>(regions: &[usize], national: &'a [u8]) -> Option<&'a [u8]> {
    answering_rows(regions).iter().find_map(|&index| {
        let region = Region { index };
        let prefix = region.row().prefix_after_calling_code();
        let rest = national
            .strip_prefix(prefix)
            .filter(|_| !prefix.is_empty())?;
        region.valid_national(rest).then_some(rest)
    })
}

impl RegionRow {
    /// What may be written between the calling code and the number without being part of it:
    /// the trunk prefix (`+44 (0)20 7946 0018`), or for Mexico, which has none, the `1` its
    /// mobile numbers carried until 2019 (`+52 1 55 1234 5678` is `+52 55 1234 5678`; the old
    /// form is still written in ads, libphonenumber no longer validates it, and without this its
    /// last ten digits would be read again as a NANP number).
    fn prefix_after_calling_code(&self) -> &'static [u8] {
        match self.region {
            "MX" => b"1",
            _ => self.trunk_prefix.as_bytes(),
        }
    }
}

/// True when `national` is valid in one of `regions` (the rows of one calling code).
fn valid_in_any(regions: &[usize], national: &[u8]) -> bool {
    answering_rows(regions)
        .iter()
        .any(|&index| (Region { index }).valid_national(national))
}

/// The rows of `regions` (those of one calling code) that validation and prefix dropping need
/// to try: the two dozen rows of calling code 1 all validate by the same NANP rules
/// ([`Region::valid_national`]) and share the trunk prefix `1` (a test checks the table), so
/// the first one answers for them; otherwise all of them.
fn answering_rows(regions: &[usize]) -> &[usize] {
    match regions.first() {
        Some(&index) if (Region { index }).row().calling_code == 1 => &regions[..1],
        _ => regions,
    }
}

/// A number in E.164 form held inline: `+`, the calling code and the national digits. Numbers
/// are compared and de-duplicated in this form, so only a text's distinct numbers become
/// `String`s.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct E164 {
    len: u8,
    bytes: [u8; E164::CAPACITY],
}

impl E164 {
    /// `+`, up to three calling-code digits and the longest national run tried (17 digits).
    const CAPACITY: usize = 21;

    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }

    /// Appends the number to `out`. Every byte is `+` or an ASCII digit, so each is one char;
    /// masked to seven bits, each is known to be one byte of UTF-8 and is pushed as it is,
    /// where `str::from_utf8` would check the bytes one by one (numbers are too short for its
    /// word-at-a-time path).
    pub(crate) fn push_to(&self, out: &mut String) {
        let bytes = self.as_bytes();
        out.reserve(bytes.len());
        for &b in bytes {
            out.push(char::from(b & 0x7f));
        }
    }

    pub(crate) fn to_string_lossless(self) -> String {
        let mut text = String::new();
        self.push_to(&mut text);
        text
    }

    /// The inline form of a number written by [`E164::to_string_lossless`].
    pub(crate) fn from_str(text: &str) -> Option<E164> {
        let mut out = E164 {
            len: 0,
            bytes: [0; E164::CAPACITY],
        };
        out.bytes
            .get_mut(..text.len())?
            .copy_from_slice(text.as_bytes());
        out.len = text.len() as u8;
        Some(out)
    }

    /// True when this number's calling code is 1 (NANP).
    pub(crate) fn is_nanp(&self) -> bool {
        self.as_bytes().starts_with(b"+1")
    }
}

impl std::fmt::Debug for E164 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_string_lossless())
    }
}

/// `+`, the calling code and `national` (ASCII digits); national runs too long to be any
/// number are cut at the capacity (validation rejects them long before).
fn e164(cc: u16, national: &[u8]) -> E164 {
    let mut out = E164 {
        len: 0,
        bytes: [0; E164::CAPACITY],
    };
    let mut cc_digits = [0u8; 5];
    let mut n = 0;
    let mut rest = cc;
    loop {
        cc_digits[n] = b'0' + (rest % 10) as u8;
        n += 1;
        rest /= 10;
        if rest == 0 || n == cc_digits.len() {
            break;
        }
    }
    out.bytes[0] = b'+';
    let mut len = 1;
    for &d in cc_digits[..n].iter().rev() {
        out.bytes[len] = d;
        len += 1;
    }
    for &d in national.iter().take(E164::CAPACITY - len) {
        out.bytes[len] = d;
        len += 1;
    }
    out.len = len as u8;
    out
}

/// NANP rules for a 10-digit national number: NPA `[2-9][0-8]x`, not N11, 555, 37X or 96X
/// (libphonenumber assigns none of these), exchange starting 2–9.
pub(crate) fn nanp_valid(n: &[u8]) -> bool {
    if n.len() != 10 || !n.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let (a, b, c) = (n[0], n[1], n[2]);
    let npa_ok = (b'2'..=b'9').contains(&a)
        && b != b'9'
        && !(b == b'1' && c == b'1')
        && &n[..3] != b"555"
        && !(a == b'3' && b == b'7')
        && !(a == b'9' && b == b'6');
    npa_ok && (b'2'..=b'9').contains(&n[3])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nanp_rules() {
        assert!(nanp_valid(b"4805550142"));
        for bad in [
            "5551234567",
            "5555550142",
            "4801550142",
            "4800550142",
            "2115550142",
            "3735550142",
            "9655550142",
            "1805550142",
        ] {
            assert!(!nanp_valid(bad.as_bytes()), "{bad}");
        }
    }

    /// What lets the first row of calling code 1 answer for all of them
    /// ([`answering_rows`]): every row validates by the NANP rules and drops the same prefix.
    #[test]
    fn nanp_rows_share_their_rules_and_prefix() {
        let rows = regions_of_calling_code(1);
        assert!(rows.len() > 20, "{}", rows.len());
        for &index in rows {
            let region = Region { index };
            assert!(region.is_nanp());
            assert_eq!(region.row().prefix_after_calling_code(), b"1");
            for national in ["4805550142", "2015550123", "1805550142", "5551234567"] {
                assert_eq!(
                    region.valid_national(national.as_bytes()),
                    nanp_valid(national.as_bytes()),
                    "{} {national}",
                    region.row().region
                );
            }
        }
        assert_eq!(answering_rows(rows), &rows[..1]);
    }

    /// The phone segmenter does not try other lengths when NANP is the only region.
    #[test]
    fn nanp_national_numbers_have_ten_or_eleven_digits() {
        let us = Region::us();
        for len in 0..=17 {
            for fill in [b'2', b'5', b'9'] {
                for lead in [None, Some(b'1'), Some(b'4')] {
                    let mut digits: Vec<u8> = lead.into_iter().collect();
                    digits.resize(len.max(digits.len()), fill);
                    if us.parse_national(&digits).is_some() {
                        assert!(matches!(digits.len(), 10 | 11), "{digits:?}");
                    }
                }
            }
        }
        assert!(us.parse_national(b"4805550142").is_some());
        assert!(us.parse_national(b"14805550142").is_some());
    }

    /// The shortcut for calling code 1 answers as a test of every NANP row would.
    #[test]
    fn one_nanp_test_stands_for_every_nanp_row() {
        let rows = regions_of_calling_code(1);
        assert!(rows.len() > 1);
        let numbers: [&[u8]; 8] = [
            b"4805550142",
            b"2685550142",
            b"5551234567",
            b"9005550142",
            b"480555014",
            b"48055501420",
            b"1805550142",
            b"3735550142",
        ];
        for national in numbers {
            let every_row = rows
                .iter()
                .any(|&index| (Region { index }).valid_national(national));
            assert_eq!(valid_in_any(rows, national), every_row, "{national:?}");
        }
    }

    #[test]
    fn pushed_text_is_the_numbers_bytes() {
        for number in [
            Region::us().parse_national(b"4805550142"),
            parse_international(b"8801712345678"),
            parse_international(b"447700900123"),
        ] {
            let number = number.expect("valid");
            let mut out = String::from("kept");
            number.push_to(&mut out);
            let bytes = String::from_utf8_lossy(number.as_bytes());
            assert_eq!(out, format!("kept{bytes}"));
            assert_eq!(number.to_string_lossless(), bytes);
        }
    }

    #[test]
    fn national_and_international_forms() {
        let gb = Region::lookup("gb").expect("GB is in the table");
        let text = |e: Option<E164>| e.map(E164::to_string_lossless);
        assert_eq!(
            text(gb.parse_national(b"07700900123")).as_deref(),
            Some("+447700900123")
        );
        assert_eq!(
            text(parse_international(b"447700900123")).as_deref(),
            Some("+447700900123")
        );
        assert_eq!(
            text(parse_international(b"14805550142")).as_deref(),
            Some("+14805550142")
        );
        assert_eq!(
            text(Region::us().parse_national(b"14805550142")).as_deref(),
            Some("+14805550142")
        );
        assert_eq!(
            text(parse_international(b"8801712345678")).as_deref(),
            Some("+8801712345678"),
            "three-digit calling code"
        );
        assert_eq!(
            text(parse_international(b"4402079460018")).as_deref(),
            Some("+442079460018"),
            "GB trunk 0 after the calling code, as in +44 (0)20 7946 0018"
        );
        assert_eq!(
            text(parse_international(b"330123456789")).as_deref(),
            Some("+33123456789"),
            "FR trunk 0 after the calling code"
        );
        assert_eq!(
            text(parse_international(b"390612345678")).as_deref(),
            Some("+390612345678"),
            "Italian numbers keep their leading 0 (no trunk prefix)"
        );
        assert_eq!(
            text(parse_international(b"5215512345678")).as_deref(),
            Some("+525512345678"),
            "the pre-2019 Mexican mobile 1 after +52"
        );
        assert_eq!(
            parse_international(b"521551234567"),
            None,
            "one digit short"
        );
        assert_eq!(
            parse_international(b"4400"),
            None,
            "a trunk prefix alone is not a number"
        );
        assert!(parse_region("ZZ").is_err());
    }

    #[test]
    fn international_prefixes_per_region() {
        let region = |code: &str| Region::lookup(code).expect("in the table");
        assert_eq!(region("US").idd_len(b"01144"), Some(3));
        assert_eq!(region("US").idd_len(b"0044"), None);
        assert_eq!(region("GB").idd_len(b"0015"), Some(2));
        assert_eq!(region("MX").idd_len(b"0915"), Some(2), "a pattern, 0[09]");
        assert_eq!(
            region("AU").idd_len(b"001144"),
            Some(4),
            "alternatives: the longest written first wins"
        );
        assert_eq!(region("AU").idd_len(b"0044"), None);
        assert_eq!(region("RU").idd_len(b"81044"), Some(3));
        assert!(is_calling_code(b"44") && is_calling_code(b"1") && is_calling_code(b"880"));
        assert!(!is_calling_code(b"5") && !is_calling_code(b"0") && !is_calling_code(b"1234"));
        // Every pattern in the table compiles.
        for index in 0..REGIONS.len() {
            let r = Region { index };
            if !r.row().idd.is_empty() && !r.row().idd.bytes().all(|b| b.is_ascii_digit()) {
                r.idd_len(b"0");
                assert!(
                    idd_patterns()[index].get().is_some_and(Option::is_some),
                    "{}",
                    r.row().region
                );
            }
        }
        assert_eq!(parse_region("mx").as_deref(), Ok("MX"));
    }
}
