//! One comparison per concept (name, date of birth, address, phone, e-mail, national id, other
//! text), each with ordered agreement levels; level 0 means "a value is missing" and carries no
//! weight.

use crate::dataset::{Dataset, Record, Slot};
use crate::intern::NONE;
use crate::names::nickname_equivalent;
use crate::similarity::{damerau, jaro_winkler, token_set, within_edits};

/// A compared concept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Concept {
    Name,
    DateOfBirth,
    Address,
    Phone,
    Email,
    NationalId,
    OtherText,
}

/// Number of concepts.
pub const CONCEPTS: usize = 7;

impl Concept {
    /// All concepts in pattern order.
    pub const ALL: [Concept; CONCEPTS] = [
        Concept::Name,
        Concept::DateOfBirth,
        Concept::Address,
        Concept::Phone,
        Concept::Email,
        Concept::NationalId,
        Concept::OtherText,
    ];

    /// Display name.
    pub fn name(self) -> &'static str {
        match self {
            Concept::Name => "name",
            Concept::DateOfBirth => "date_of_birth",
            Concept::Address => "address",
            Concept::Phone => "phone",
            Concept::Email => "email",
            Concept::NationalId => "national_id",
            Concept::OtherText => "other_text",
        }
    }

    /// Level labels; index 0 is the null level.
    pub fn levels(self) -> &'static [&'static str] {
        match self {
            Concept::Name => &[
                "missing",
                "given name and surname exact",
                "given name and surname swapped",
                "surname exact, given name close or nickname or initial",
                "given name exact, surname close",
                "given name and surname close",
                "surname exact, given name missing on one side",
                "given name exact, surname missing on one side",
                "surname exact, given name different",
                "given name exact, surname different",
                "given name and surname similar",
                "one part close, the other different",
                "different",
            ],
            Concept::DateOfBirth => &[
                "missing",
                "exact",
                "day and month swapped",
                "one digit different",
                "same year and month, or partial date agrees",
                "within one year",
                "within five years",
                "more than five years apart",
            ],
            Concept::Address => &[
                "missing",
                "same address (all parts agree)",
                "all but one part agree",
                "the parts both records have agree",
                "two parts agree",
                "one part agrees",
                "different",
            ],
            Concept::Phone => &[
                "missing",
                "exact",
                "same last seven digits",
                "one digit different",
                "different",
            ],
            Concept::Email => &[
                "missing",
                "exact",
                "same user, other domain",
                "user name close",
                "different",
            ],
            Concept::NationalId => &[
                "missing",
                "exact",
                "one character different",
                "two characters different",
                "different",
            ],
            Concept::OtherText => &[
                "missing",
                "nearly identical",
                "largely similar",
                "partly similar",
                "different",
            ],
        }
    }

    /// The slots a concept reads (for deciding whether it is active).
    pub fn slots(self) -> &'static [Slot] {
        match self {
            Concept::Name => &[Slot::Given, Slot::Surname],
            Concept::DateOfBirth => &[],
            Concept::Address => &[Slot::Street, Slot::Number, Slot::Locality, Slot::Postcode],
            Concept::Phone => &[Slot::Phone],
            Concept::Email => &[Slot::Email],
            Concept::NationalId => &[Slot::NationalId],
            Concept::OtherText => &[Slot::Other],
        }
    }
}

/// Name-level index constants used elsewhere (household rule, TF adjustment).
pub mod name_level {
    pub const EXACT: u8 = 1;
    pub const SWAPPED: u8 = 2;
    pub const SURNAME_EXACT_GIVEN_CLOSE: u8 = 3;
    pub const GIVEN_EXACT_SURNAME_CLOSE: u8 = 4;
    pub const SURNAME_EXACT_GIVEN_MISSING: u8 = 6;
    pub const GIVEN_EXACT_SURNAME_MISSING: u8 = 7;
    pub const SURNAME_EXACT_GIVEN_DIFFERENT: u8 = 8;
    pub const GIVEN_EXACT_SURNAME_DIFFERENT: u8 = 9;
}

/// Date-of-birth levels that mean "years apart".
pub const DOB_YEARS_APART: [u8; 2] = [6, 7];

/// Levels of every concept for one pair, packed 4 bits per concept in `Concept::ALL` order.
pub type Pattern = u32;

/// Extracts one concept's level from a pattern.
pub fn level_of(p: Pattern, c: usize) -> u8 {
    ((p >> (4 * c)) & 0xF) as u8
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Part {
    Exact,
    Close,
    Fuzzy,
    Missing,
    Different,
}

fn given_part(ds: &Dataset, a: u32, b: u32) -> Part {
    if a == NONE || b == NONE {
        return Part::Missing;
    }
    if a == b {
        return Part::Exact;
    }
    let (x, y) = (ds.value(Slot::Given, a), ds.value(Slot::Given, b));
    let initial = |s: &str, t: &str| s.len() == 1 && t.starts_with(s);
    if initial(x, y) || initial(y, x) || nickname_equivalent(x, y) {
        return Part::Close;
    }
    similar(x, y)
}

fn surname_part(ds: &Dataset, a: u32, b: u32) -> Part {
    if a == NONE || b == NONE {
        return Part::Missing;
    }
    if a == b {
        return Part::Exact;
    }
    similar(ds.value(Slot::Surname, a), ds.value(Slot::Surname, b))
}

fn similar(x: &str, y: &str) -> Part {
    let jw = jaro_winkler(x, y);
    if jw >= 0.92 || within_edits(x, y, 1) {
        Part::Close
    } else if jw >= 0.8 {
        Part::Fuzzy
    } else {
        Part::Different
    }
}

fn name_level(g: Part, s: Part) -> u8 {
    use Part::*;
    match (g, s) {
        (Missing, Missing) => 0,
        (Exact, Exact) => 1,
        (Close, Exact) => 3,
        (Exact, Close) => 4,
        (Close, Close) => 5,
        (Missing, Exact) => 6,
        (Exact, Missing) => 7,
        (Different, Exact) | (Fuzzy, Exact) => 8,
        (Exact, Different) | (Exact, Fuzzy) => 9,
        (Fuzzy, Fuzzy) | (Close, Fuzzy) | (Fuzzy, Close) => 10,
        (Close, _) | (_, Close) => 11,
        _ => 12,
    }
}

fn compare_name(ds: &Dataset, a: &Record, b: &Record) -> u8 {
    let (ga, sa, gb, sb) = (
        a.get(Slot::Given),
        a.get(Slot::Surname),
        b.get(Slot::Given),
        b.get(Slot::Surname),
    );
    let direct = name_level(given_part(ds, ga, gb), surname_part(ds, sa, sb));
    if direct <= 1 || ga == NONE || sa == NONE || gb == NONE || sb == NONE {
        return direct;
    }
    // Swapped order: given of one equals surname of the other (shared dictionary).
    if ga == sb && sa == gb {
        return 2;
    }
    direct
}

/// `YYYYMMDD` digits of a complete date without allocating.
fn date_digits(d: &crate::dates::PartialDate) -> [u8; 8] {
    let (y, m, dd) = (
        d.year.unwrap_or(0),
        d.month.unwrap_or(0),
        d.day.unwrap_or(0),
    );
    let y = y.min(9999);
    [
        (y / 1000) as u8,
        (y / 100 % 10) as u8,
        (y / 10 % 10) as u8,
        (y % 10) as u8,
        m / 10,
        m % 10,
        dd / 10,
        dd % 10,
    ]
}

/// One substitution or one adjacent transposition between the digit strings.
fn date_digits_within_one_edit(
    x: &crate::dates::PartialDate,
    y: &crate::dates::PartialDate,
) -> bool {
    let (a, b) = (date_digits(x), date_digits(y));
    let mut diff = [0usize; 3];
    let mut n = 0;
    for i in 0..8 {
        if a[i] != b[i] {
            if n == 3 {
                return false;
            }
            diff[n] = i;
            n += 1;
        }
    }
    match n {
        1 => true,
        2 => {
            let (i, j) = (diff[0], diff[1]);
            j == i + 1 && a[i] == b[j] && a[j] == b[i]
        }
        _ => false,
    }
}

fn compare_dob(a: &Record, b: &Record) -> u8 {
    let (x, y) = (a.dob, b.dob);
    if x.is_empty() || y.is_empty() {
        return 0;
    }
    if x == y && x.day.is_some() {
        return 1;
    }
    if let (Some(_), Some(_)) = (x.day_number(), y.day_number()) {
        if x.year == y.year && x.month == y.day && x.day == y.month {
            return 2;
        }
        if date_digits_within_one_edit(&x, &y) {
            return 3;
        }
    }
    let agree = |p: Option<u16>, q: Option<u16>| p.is_none() || q.is_none() || p == q;
    let agree8 = |p: Option<u8>, q: Option<u8>| p.is_none() || q.is_none() || p == q;
    if x.year.is_some()
        && x.year == y.year
        && agree8(x.month, y.month)
        && (agree8(x.day, y.day) || (x.month.is_some() && y.month.is_some()))
    {
        return 4;
    }
    let _ = agree;
    let days = match (x.day_number(), y.day_number()) {
        (Some(p), Some(q)) => Some((p - q).abs()),
        _ => match (x.year, y.year) {
            (Some(p), Some(q)) => Some(i64::from(p.abs_diff(q)) * 365),
            _ => None,
        },
    };
    match days {
        Some(d) if d <= 366 => 5,
        Some(d) if d <= 5 * 366 => 6,
        Some(_) => 7,
        None => 0,
    }
}

/// Splits on spaces into a stack buffer (at most 16 tokens; the rest are ignored).
fn stack_tokens<'s, 'b>(s: &'s str, buf: &'b mut [&'s str; 16]) -> &'b [&'s str] {
    let mut n = 0;
    for t in s.split(' ').filter(|t| !t.is_empty()) {
        if n == buf.len() {
            break;
        }
        buf[n] = t;
        n += 1;
    }
    &buf[..n]
}

fn compare_address(ds: &Dataset, a: &Record, b: &Record) -> u8 {
    let mut present = 0u8;
    let mut agree = 0u8;
    let mut part = |slot: Slot, f: &dyn Fn(&str, &str) -> bool| {
        let (x, y) = (a.get(slot), b.get(slot));
        if x == NONE || y == NONE {
            return;
        }
        present += 1;
        if x == y || f(ds.value(slot, x), ds.value(slot, y)) {
            agree += 1;
        }
    };
    part(Slot::Number, &|_, _| false);
    part(Slot::Street, &|x, y| {
        let (mut bx, mut by) = ([""; 16], [""; 16]);
        let (tx, ty) = (stack_tokens(x, &mut bx), stack_tokens(y, &mut by));
        // House or unit numbers inside the street text must agree exactly.
        let has_digit = |w: &&str| w.bytes().any(|b| b.is_ascii_digit());
        let (mut nx, mut ny) = ([""; 16], [""; 16]);
        let mut cx = 0;
        for w in tx.iter().filter(|w| has_digit(w)) {
            nx[cx] = w;
            cx += 1;
        }
        let mut cy = 0;
        for w in ty.iter().filter(|w| has_digit(w)) {
            ny[cy] = w;
            cy += 1;
        }
        nx[..cx].sort_unstable();
        ny[..cy].sort_unstable();
        if cx > 0 && cy > 0 && nx[..cx] != ny[..cy] {
            return false;
        }
        token_set(tx, ty, 0.88) >= 0.6
    });
    part(Slot::Locality, &|x, y| jaro_winkler(x, y) >= 0.9);
    part(Slot::Postcode, &|x, y| {
        x.len() == y.len() && damerau(x, y) <= 1
    });
    match (present, agree) {
        (0, _) => 0,
        (p, a) if p >= 3 && a == p => 1,
        (p, a) if p >= 3 && a + 1 == p => 2,
        (p, a) if a == p => 3,
        (_, 2) => 4,
        (_, 1) => 5,
        _ => 6,
    }
}

fn compare_exactish(ds: &Dataset, slot: Slot, a: &Record, b: &Record) -> u8 {
    let (x, y) = (a.get(slot), b.get(slot));
    if x == NONE || y == NONE {
        return 0;
    }
    if x == y {
        return 1;
    }
    let (sx, sy) = (ds.value(slot, x), ds.value(slot, y));
    match slot {
        Slot::Phone => {
            fn tail(s: &str) -> &str {
                s.get(s.len().saturating_sub(7)..).unwrap_or("")
            }
            if sx.len() >= 8 && sy.len() >= 8 && tail(sx) == tail(sy) {
                2
            } else if within_edits(sx, sy, 1) {
                3
            } else {
                4
            }
        }
        Slot::Email => {
            let (ux, uy) = (
                sx.split('@').next().unwrap_or(""),
                sy.split('@').next().unwrap_or(""),
            );
            if ux == uy {
                2
            } else if jaro_winkler(ux, uy) >= 0.9 {
                3
            } else {
                4
            }
        }
        _ => {
            if within_edits(sx, sy, 1) {
                2
            } else if within_edits(sx, sy, 2) {
                3
            } else {
                4
            }
        }
    }
}

fn compare_other(ds: &Dataset, a: &Record, b: &Record) -> u8 {
    let (x, y) = (a.get(Slot::Other), b.get(Slot::Other));
    if x == NONE || y == NONE {
        return 0;
    }
    if x == y {
        return 1;
    }
    let (mut bx, mut by) = ([""; 16], [""; 16]);
    let tx = stack_tokens(ds.value(Slot::Other, x), &mut bx);
    let ty = stack_tokens(ds.value(Slot::Other, y), &mut by);
    match token_set(tx, ty, 0.9) {
        s if s >= 0.9 => 1,
        s if s >= 0.6 => 2,
        s if s >= 0.3 => 3,
        _ => 4,
    }
}

/// The level of one concept for a pair.
pub fn compare_concept(ds: &Dataset, c: Concept, a: &Record, b: &Record) -> u8 {
    match c {
        Concept::Name => compare_name(ds, a, b),
        Concept::DateOfBirth => compare_dob(a, b),
        Concept::Address => compare_address(ds, a, b),
        Concept::Phone => compare_exactish(ds, Slot::Phone, a, b),
        Concept::Email => compare_exactish(ds, Slot::Email, a, b),
        Concept::NationalId => compare_exactish(ds, Slot::NationalId, a, b),
        Concept::OtherText => compare_other(ds, a, b),
    }
}

/// The agreement pattern of a pair over the active concepts (inactive ones stay 0).
pub fn compare(ds: &Dataset, active: &[bool; CONCEPTS], a: &Record, b: &Record) -> Pattern {
    let mut p: Pattern = 0;
    for (i, c) in Concept::ALL.iter().enumerate() {
        if active[i] {
            p |= Pattern::from(compare_concept(ds, *c, a, b)) << (4 * i);
        }
    }
    p
}

/// Concepts with data on both sides often enough to compare.
pub fn active_concepts(ds: &Dataset) -> [bool; CONCEPTS] {
    let mut active = [false; CONCEPTS];
    for (i, c) in Concept::ALL.iter().enumerate() {
        active[i] = match c {
            Concept::DateOfBirth => ds.dob_present > 0,
            _ => c.slots().iter().any(|s| ds.present[s.idx()] > 0),
        };
    }
    active
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Config;
    use proptest::prelude::*;

    fn ds(rows: &[&str]) -> Dataset {
        let mut text = String::from(
            "id,given_name,surname,dob,street_number,street,suburb,postcode,phone,email,ssn\n",
        );
        for r in rows {
            text.push_str(r);
            text.push('\n');
        }
        let mut d = Dataset::new(Config::default());
        d.add_csv(text.as_bytes(), "t").expect("loads");
        d
    }

    #[test]
    fn levels_read_as_expected() {
        let d = ds(&[
            "1,William,Smith,1990-03-12,12,Main Street,Mesa,85201,480-555-0101,bill.smith+x@gmail.com,123456789",
            "2,Bill,Smith,1990-12-03,12,Main St,Mesa,85201,(480) 555 0101,billsmith@gmail.com,123456780",
            "3,Smith,William,1955-01-01,,,,,,,",
        ]);
        let (a, b, c) = (&d.records[0], &d.records[1], &d.records[2]);
        assert_eq!(
            compare_concept(&d, Concept::Name, a, b),
            name_level::SURNAME_EXACT_GIVEN_CLOSE
        );
        assert_eq!(
            compare_concept(&d, Concept::Name, a, c),
            name_level::SWAPPED
        );
        assert_eq!(compare_concept(&d, Concept::DateOfBirth, a, b), 2);
        assert_eq!(compare_concept(&d, Concept::DateOfBirth, a, c), 7);
        assert_eq!(compare_concept(&d, Concept::Address, a, b), 1);
        assert_eq!(compare_concept(&d, Concept::Address, a, c), 0);
        assert_eq!(compare_concept(&d, Concept::Phone, a, b), 1);
        assert_eq!(compare_concept(&d, Concept::Email, a, b), 1);
        assert_eq!(compare_concept(&d, Concept::NationalId, a, b), 2);
    }

    proptest! {
        #[test]
        fn comparisons_are_symmetric(
            g1 in "[a-e]{1,5}", s1 in "[a-e]{1,5}", g2 in "[a-e]{0,5}", s2 in "[a-e]{0,5}",
            y1 in 1950u16..1960, y2 in 1950u16..1960, m in 1u8..13, dd in 1u8..13,
        ) {
            let d = ds(&[
                &format!("1,{g1},{s1},{y1}-{m:02}-{dd:02},1,{s1} st,{g1},{y1},,,{y1}{m}"),
                &format!("2,{g2},{s2},{y2}-{dd:02}-{m:02},1,{s2} st,{g2},{y2},,,{y2}{dd}"),
            ]);
            let (a, b) = (&d.records[0], &d.records[1]);
            for c in Concept::ALL {
                let l = compare_concept(&d, c, a, b);
                prop_assert_eq!(l, compare_concept(&d, c, b, a), "{:?}", c);
                prop_assert!((l as usize) < c.levels().len());
            }
        }
    }
}
