//! Ingest: CSV rows → normalised, interned records held column-compactly in a [`Dataset`].

use crate::address::{
    normalise_postcode, normalise_street, normalise_street_number, normalise_text,
};
use crate::contact::{normalise_email, normalise_phone};
use crate::dates::{parse_date, PartialDate};
use crate::error::ResolveError;
use crate::intern::{Interner, NONE};
use crate::names::{normalise_part, split_full_name};
use crate::schema::{Config, FieldKind, Layout};
use std::io::Read;

/// Number of value slots in a record.
pub const SLOTS: usize = 11;

/// A normalised value slot of a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Slot {
    Given = 0,
    Surname,
    Street,
    Number,
    Locality,
    Postcode,
    Region,
    Phone,
    Email,
    NationalId,
    Other,
}

impl Slot {
    /// All slots in index order.
    pub const ALL: [Slot; SLOTS] = [
        Slot::Given,
        Slot::Surname,
        Slot::Street,
        Slot::Number,
        Slot::Locality,
        Slot::Postcode,
        Slot::Region,
        Slot::Phone,
        Slot::Email,
        Slot::NationalId,
        Slot::Other,
    ];

    /// Index into `Record::values`.
    pub fn idx(self) -> usize {
        self as usize
    }

    /// Dictionary holding this slot's strings (given and surname share one, so swapped names compare).
    pub fn dict(self) -> usize {
        match self {
            Slot::Given | Slot::Surname => 0,
            s => s as usize - 1,
        }
    }

    /// Display name.
    pub fn name(self) -> &'static str {
        match self {
            Slot::Given => "given_name",
            Slot::Surname => "surname",
            Slot::Street => "street",
            Slot::Number => "street_number",
            Slot::Locality => "locality",
            Slot::Postcode => "postcode",
            Slot::Region => "region",
            Slot::Phone => "phone",
            Slot::Email => "email",
            Slot::NationalId => "national_id",
            Slot::Other => "other_text",
        }
    }
}

const DICTS: usize = SLOTS - 1;

/// One normalised record: interned value ids per slot ([`NONE`] when missing), date of birth,
/// and the index of the input it came from.
#[derive(Clone, Copy, Debug)]
pub struct Record {
    pub values: [u32; SLOTS],
    pub dob: PartialDate,
    pub source: u8,
}

impl Record {
    /// The id in a slot.
    pub fn get(&self, s: Slot) -> u32 {
        self.values[s.idx()]
    }
}

/// A row's values normalised to strings, before interning.
#[derive(Clone, Debug, Default)]
pub struct NormalisedRow {
    pub values: [String; SLOTS],
    pub dob: Option<PartialDate>,
}

/// Normalises one row given `(kind, raw value)` pairs.
pub fn normalise_row<'a>(
    config: &Config,
    fields: impl IntoIterator<Item = (FieldKind, &'a str)>,
) -> NormalisedRow {
    let mut row = NormalisedRow::default();
    let mut full_name: Option<crate::names::PersonName> = None;
    let push = |row: &mut NormalisedRow, slot: Slot, v: String| {
        if v.is_empty() {
            return;
        }
        let dst = &mut row.values[slot.idx()];
        if !dst.is_empty() {
            dst.push(' ');
        }
        dst.push_str(&v);
    };
    for (kind, raw) in fields {
        let raw = raw.trim();
        if raw.is_empty() {
            continue;
        }
        match kind {
            FieldKind::GivenName => push(&mut row, Slot::Given, normalise_part(raw)),
            FieldKind::Surname => push(&mut row, Slot::Surname, normalise_part(raw)),
            FieldKind::FullName => full_name = Some(split_full_name(raw)),
            FieldKind::DateOfBirth => {
                if row.dob.is_none() {
                    row.dob = parse_date(raw, config.date_order, config.two_digit_year_pivot);
                }
            }
            FieldKind::Phone => {
                if row.values[Slot::Phone.idx()].is_empty() {
                    if let Some(p) = normalise_phone(raw, &config.default_country_code) {
                        row.values[Slot::Phone.idx()] = p;
                    }
                }
            }
            FieldKind::Email => {
                if row.values[Slot::Email.idx()].is_empty() {
                    if let Some(e) = normalise_email(raw) {
                        row.values[Slot::Email.idx()] = e;
                    }
                }
            }
            FieldKind::Street => push(&mut row, Slot::Street, normalise_street(raw)),
            FieldKind::StreetNumber => push(&mut row, Slot::Number, normalise_street_number(raw)),
            FieldKind::Locality => push(&mut row, Slot::Locality, normalise_text(raw)),
            FieldKind::Postcode => push(&mut row, Slot::Postcode, normalise_postcode(raw)),
            FieldKind::Region => push(&mut row, Slot::Region, normalise_text(raw)),
            FieldKind::NationalId => {
                let v: String = raw
                    .chars()
                    .filter(char::is_ascii_alphanumeric)
                    .map(|c| c.to_ascii_uppercase())
                    .collect();
                push(&mut row, Slot::NationalId, v)
            }
            FieldKind::OtherText => push(&mut row, Slot::Other, normalise_text(raw)),
            FieldKind::Ignore => {}
        }
    }
    if let Some(n) = full_name {
        if row.values[Slot::Given.idx()].is_empty() {
            row.values[Slot::Given.idx()] = n.given;
        }
        if row.values[Slot::Surname.idx()].is_empty() {
            row.values[Slot::Surname.idx()] = n.surname;
        }
    }
    row
}

/// What loading one input produced besides records.
#[derive(Clone, Debug, Default)]
pub struct LoadReport {
    pub rows: u64,
    pub skipped_rows: u64,
    pub lossy_rows: u64,
    /// Human-readable warnings (at most 20 kept; `warning_count` has the total).
    pub warnings: Vec<String>,
    pub warning_count: u64,
    /// Columns that were mapped but empty on every row.
    pub blank_columns: Vec<String>,
}

impl LoadReport {
    fn warn(&mut self, w: String) {
        self.warning_count += 1;
        if self.warnings.len() < 20 {
            self.warnings.push(w);
        }
    }
}

/// Normalised, interned records from one or two inputs.
#[derive(Clone, Debug)]
pub struct Dataset {
    pub config: Config,
    pub ids: Vec<String>,
    pub records: Vec<Record>,
    dicts: Vec<Interner>,
    /// Occurrences per slot and value id.
    counts: Vec<Vec<u32>>,
    /// Records with a value per slot, and with a date of birth.
    pub present: [u64; SLOTS],
    pub dob_present: u64,
    /// Input names, indexed by `Record::source`.
    pub sources: Vec<String>,
}

impl Dataset {
    /// An empty dataset.
    pub fn new(config: Config) -> Dataset {
        Dataset {
            config,
            ids: Vec::new(),
            records: Vec::new(),
            dicts: vec![Interner::default(); DICTS],
            counts: vec![Vec::new(); SLOTS],
            present: [0; SLOTS],
            dob_present: 0,
            sources: Vec::new(),
        }
    }

    /// The string of a slot's value id.
    pub fn value(&self, slot: Slot, id: u32) -> &str {
        self.dicts[slot.dict()].resolve(id)
    }

    /// Number of records holding this value in this slot.
    pub fn count(&self, slot: Slot, id: u32) -> u32 {
        self.counts[slot.idx()]
            .get(id as usize)
            .copied()
            .unwrap_or(0)
    }

    /// Distinct values in a slot's dictionary.
    pub fn dict_len(&self, slot: Slot) -> usize {
        self.dicts[slot.dict()].len()
    }

    /// Interns a normalised row as a record of `source`, counting its values when `count` is set.
    pub fn intern(&mut self, row: &NormalisedRow, source: u8, count: bool) -> Record {
        let mut values = [NONE; SLOTS];
        for s in Slot::ALL {
            let id = self.dicts[s.dict()].intern(&row.values[s.idx()]);
            values[s.idx()] = id;
            if id != NONE && count {
                let c = &mut self.counts[s.idx()];
                if c.len() <= id as usize {
                    c.resize(id as usize + 1, 0);
                }
                c[id as usize] += 1;
                self.present[s.idx()] += 1;
            }
        }
        let dob = row.dob.unwrap_or_default();
        if count && !dob.is_empty() {
            self.dob_present += 1;
        }
        Record {
            values,
            dob,
            source,
        }
    }

    /// Takes a record's values out of the counts (the record was removed from an index).
    pub fn uncount(&mut self, r: &Record) {
        for s in Slot::ALL {
            let id = r.values[s.idx()];
            if id == NONE {
                continue;
            }
            if let Some(c) = self.counts[s.idx()].get_mut(id as usize) {
                if *c > 0 {
                    *c -= 1;
                    self.present[s.idx()] = self.present[s.idx()].saturating_sub(1);
                }
            }
        }
        if !r.dob.is_empty() {
            self.dob_present = self.dob_present.saturating_sub(1);
        }
    }

    /// The id of an already interned value of a slot.
    pub fn lookup(&self, slot: Slot, value: &str) -> Option<u32> {
        self.dicts[slot.dict()].get(value)
    }

    /// Reads a CSV input (header row first) as source number `self.sources.len()`.
    ///
    /// Ragged rows are skipped with a `name:line` warning; non-UTF-8 bytes are replaced (lossy)
    /// with a warning. Returns the layout used and a report.
    pub fn add_csv<R: Read>(
        &mut self,
        reader: R,
        source_name: &str,
    ) -> Result<(Layout, LoadReport), ResolveError> {
        let source = u8::try_from(self.sources.len())
            .map_err(|_| ResolveError::Config("at most 255 inputs".into()))?;
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(true)
            .from_reader(reader);
        let csv_err = |e: csv::Error| ResolveError::Csv {
            source_name: source_name.into(),
            line: e.position().map_or(0, |p| p.line()),
            message: e.to_string(),
        };
        let header_raw = rdr.byte_headers().map_err(csv_err)?.clone();
        let header: Vec<String> = header_raw
            .iter()
            .map(|h| {
                String::from_utf8_lossy(h)
                    .trim()
                    .trim_start_matches('\u{feff}')
                    .to_string()
            })
            .collect();
        if header.iter().all(String::is_empty) {
            return Err(ResolveError::Empty {
                source_name: source_name.into(),
            });
        }
        let layout = Layout::new(&self.config, &header, source_name)?;
        let mut report = LoadReport::default();
        let mut filled = vec![0u64; layout.fields.len()];
        let mut rec = csv::ByteRecord::new();
        let mut strings: Vec<std::borrow::Cow<'_, str>> = Vec::new();
        loop {
            let more = match rdr.read_byte_record(&mut rec) {
                Ok(m) => m,
                Err(e) => {
                    // An I/O error ends the input; a parse error skips the row.
                    let line = e.position().map_or(0, |p| p.line());
                    if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                        return Err(csv_err(e));
                    }
                    report.skipped_rows += 1;
                    report.warn(format!("{source_name}:{line}: unreadable row skipped: {e}"));
                    continue;
                }
            };
            if !more {
                break;
            }
            let line = rec.position().map_or(0, |p| p.line());
            if rec.len() != header.len() {
                if rec.len() == 1
                    && rec
                        .get(0)
                        .is_some_and(|f| f.iter().all(u8::is_ascii_whitespace))
                {
                    continue; // blank line
                }
                report.skipped_rows += 1;
                report.warn(format!(
                    "{source_name}:{line}: row has {} fields, header has {}; row skipped",
                    rec.len(),
                    header.len()
                ));
                continue;
            }
            strings.clear();
            let mut lossy = false;
            for f in rec.iter() {
                let s = String::from_utf8_lossy(f);
                lossy |= matches!(s, std::borrow::Cow::Owned(_));
                strings.push(std::borrow::Cow::Owned(s.into_owned()));
            }
            if lossy {
                report.lossy_rows += 1;
                report.warn(format!(
                    "{source_name}:{line}: not valid UTF-8; invalid bytes replaced with U+FFFD"
                ));
            }
            let id = strings[layout.id_index].trim().to_string();
            if id.is_empty() {
                report.skipped_rows += 1;
                report.warn(format!(
                    "{source_name}:{line}: empty id in column `{}`; row skipped",
                    layout.id_column
                ));
                continue;
            }
            for (k, (i, _, _)) in layout.fields.iter().enumerate() {
                if !strings[*i].trim().is_empty() {
                    filled[k] += 1;
                }
            }
            let row = normalise_row(
                &self.config,
                layout
                    .fields
                    .iter()
                    .map(|(i, _, k)| (*k, strings[*i].as_ref())),
            );
            let r = self.intern(&row, source, true);
            self.records.push(r);
            self.ids.push(id);
            report.rows += 1;
        }
        if report.rows == 0 {
            return Err(ResolveError::Empty {
                source_name: source_name.into(),
            });
        }
        for (k, (_, name, _)) in layout.fields.iter().enumerate() {
            if filled[k] == 0 {
                report.blank_columns.push(name.clone());
                report.warn(format!(
                    "{source_name}: column `{name}` is blank on every row; it is not compared"
                ));
            }
        }
        self.sources.push(source_name.to_string());
        Ok((layout, report))
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// True when there are no records.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_with_warnings_instead_of_failing() {
        let csv = b"id,first,last,dob\n1,Ann,Lee,1990-01-02\n2,Bob\n3,J\xffn,Smith,02/03/1980\n\n";
        let mut d = Dataset::new(Config::default());
        let (_, rep) = d.add_csv(&csv[..], "t.csv").expect("loads");
        assert_eq!(rep.rows, 2);
        assert_eq!(rep.skipped_rows, 1);
        assert!(
            rep.warnings[0].starts_with("t.csv:3:"),
            "{:?}",
            rep.warnings
        );
        assert_eq!(rep.lossy_rows, 1);
        assert_eq!(d.value(Slot::Given, d.records[0].get(Slot::Given)), "ann");
    }

    #[test]
    fn empty_and_missing_column_are_errors() {
        let mut d = Dataset::new(Config::default());
        assert!(matches!(
            d.add_csv(&b""[..], "e.csv"),
            Err(ResolveError::Empty { .. })
        ));
        assert!(matches!(
            d.add_csv(&b"id,first\n"[..], "h.csv"),
            Err(ResolveError::Empty { .. })
        ));
        let cfg =
            Config::from_toml("id_column = \"id\"\n[fields]\nnope = \"surname\"\n").expect("cfg");
        let mut d = Dataset::new(cfg);
        assert!(matches!(
            d.add_csv(&b"id,x\n1,a\n"[..], "m.csv"),
            Err(ResolveError::MissingColumn { .. })
        ));
    }
}
