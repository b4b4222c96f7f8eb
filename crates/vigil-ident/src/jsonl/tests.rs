//! The fast edges against the reference ones: `serde_json` reading every line and a derived
//! `Serialize` writing every record (the code the fast paths replaced, kept here as oracle).

use std::borrow::Cow;

use proptest::prelude::*;
use serde::Serialize;
use serde_json::Value;

use super::*;

/// The record as the contract defines it, serialised by `serde_json` through the derive.
#[derive(Serialize)]
struct Record<'a> {
    id: &'a Id<'a>,
    phones: Vec<&'a str>,
    emails: Vec<&'a str>,
    handles: Vec<HandleOut<'a>>,
    wallets: Vec<WalletOut<'a>>,
    ages: Vec<AgeOut>,
    prices: Vec<PriceOut<'a>>,
    urls: Vec<&'a str>,
    obfuscated: bool,
    spans: Vec<SpanOut<'a>>,
}

#[derive(Serialize)]
struct HandleOut<'a> {
    platform: &'a str,
    handle: &'a str,
    kind: &'a str,
}

#[derive(Serialize)]
struct WalletOut<'a> {
    chain: &'a str,
    address: &'a str,
    checksum: &'a str,
}

#[derive(Serialize)]
struct AgeOut {
    age: u8,
    minor: bool,
}

#[derive(Serialize)]
struct PriceOut<'a> {
    amount: u32,
    currency: Option<&'a str>,
    unit: Option<&'a str>,
}

#[derive(Serialize)]
struct SpanOut<'a> {
    kind: &'static str,
    value: Cow<'a, str>,
    start: usize,
    end: usize,
    raw: &'a str,
    obfuscated: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    tricks: Option<Vec<&'static str>>,
}

impl Serialize for Id<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Id::Str(v) => s.serialize_str(v),
            Id::PlainStr(v) => s.serialize_str(std::str::from_utf8(v).expect("UTF-8")),
            Id::Int(lit) => std::str::from_utf8(lit)
                .ok()
                .and_then(|lit| lit.parse::<i64>().ok())
                .expect("canonical integer")
                .serialize(s),
            Id::Number(n) => n.serialize(s),
        }
    }
}

impl<'a> Record<'a> {
    fn new(id: &'a Id<'a>, text: &'a str, ex: &'a Extraction) -> Self {
        let raw = |s: &crate::Span| text.get(s.clone()).unwrap_or("");
        let mut spans = Vec::new();
        for p in &ex.phones {
            for o in &p.occurrences {
                spans.push(SpanOut {
                    kind: "phone",
                    value: Cow::Borrowed(&p.e164),
                    start: o.span.start,
                    end: o.span.end,
                    raw: raw(&o.span),
                    obfuscated: o.obfuscated,
                    tricks: Some(o.kinds.iter().map(crate::PhoneKind::as_str).collect()),
                });
            }
        }
        let plain = |kind, value: Cow<'a, str>, s: &crate::Span, obfuscated| SpanOut {
            kind,
            value,
            start: s.start,
            end: s.end,
            raw: raw(s),
            obfuscated,
            tricks: None,
        };
        for e in &ex.emails {
            spans.push(plain(
                "email",
                Cow::Borrowed(&e.address),
                &e.span,
                e.obfuscated,
            ));
        }
        for h in &ex.handles {
            let value = Cow::Owned(format!("{}:{}", h.platform, h.handle));
            spans.push(plain("handle", value, &h.span, false));
        }
        for w in &ex.wallets {
            spans.push(plain("wallet", Cow::Borrowed(&w.address), &w.span, false));
        }
        for a in &ex.ages {
            spans.push(plain("age", Cow::Owned(a.age.to_string()), &a.span, false));
        }
        for p in &ex.prices {
            let value = Cow::Owned(p.amount.to_string());
            spans.push(plain("price", value, &p.span, false));
        }
        for u in &ex.urls {
            spans.push(plain("url", Cow::Borrowed(&u.url), &u.span, false));
        }
        spans.sort_by_key(|s| (s.start, s.end));
        Record {
            id,
            phones: ex.phones.iter().map(|p| p.e164.as_str()).collect(),
            emails: ex.emails.iter().map(|e| e.address.as_str()).collect(),
            handles: ex
                .handles
                .iter()
                .map(|h| HandleOut {
                    platform: h.platform,
                    handle: &h.handle,
                    kind: h.kind.as_str(),
                })
                .collect(),
            wallets: ex
                .wallets
                .iter()
                .map(|w| WalletOut {
                    chain: w.chain.as_str(),
                    address: &w.address,
                    checksum: w.checksum,
                })
                .collect(),
            ages: ex
                .ages
                .iter()
                .map(|a| AgeOut {
                    age: a.age,
                    minor: a.minor,
                })
                .collect(),
            prices: ex
                .prices
                .iter()
                .map(|p| PriceOut {
                    amount: p.amount,
                    currency: p.currency,
                    unit: p.unit,
                })
                .collect(),
            urls: ex.urls.iter().map(|u| u.url.as_str()).collect(),
            obfuscated: ex.obfuscated,
            spans,
        }
    }
}

/// The serde-only reading and writing of one line: the oracle for [`process_line`].
fn oracle_line(line: &[u8], opts: &Options) -> Result<Vec<u8>, String> {
    let text = utf8(line)?;
    let input = serde_path::parse(text)?;
    let fields = input.validate()?;
    let region_opts;
    let opts = match fields.region {
        None => opts,
        Some(r) => {
            let code = parse_region(r).map_err(|e| format!("field `region`: {e}"))?;
            region_opts = opts.with_region(&code);
            &region_opts
        }
    };
    let ex = crate::extract_without_raw(fields.text, opts);
    let mut out = serde_json::to_vec(&Record::new(&fields.id, fields.text, &ex))
        .map_err(|e| format!("cannot serialise result: {e}"))?;
    out.push(b'\n');
    Ok(out)
}

/// [`run`] as it was: `read_until` per line and the oracle per line.
fn oracle_run(mut input: &[u8], opts: &Options) -> (Vec<u8>, Vec<u8>, Summary) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let mut summary = Summary::default();
    let mut line = Vec::new();
    let mut line_no = 0u64;
    loop {
        line.clear();
        let n = input.read_until(b'\n', &mut line).expect("in memory");
        if n == 0 {
            break;
        }
        line_no += 1;
        summary.bytes += n as u64;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        summary.read += 1;
        match oracle_line(&line, opts) {
            Ok(bytes) => {
                out.extend_from_slice(&bytes);
                summary.written += 1;
            }
            Err(what) => {
                err.extend_from_slice(format!("line {line_no}: {what}\n").as_bytes());
                summary.skipped += 1;
            }
        }
    }
    (out, err, summary)
}

fn fast_line(line: &[u8], scratch: &mut Scratch) -> Result<Vec<u8>, String> {
    scratch.out.clear();
    let mut handed_out = Vec::new();
    let mut spill = write::Spill {
        output: &mut handed_out,
        error: None,
    };
    process_line(line, &Options::default(), scratch, &mut spill)?;
    handed_out.extend_from_slice(scratch.out.as_bytes());
    Ok(handed_out)
}

/// Asserts that the fast path and the oracle agree on `line`, and, when the scanner takes the
/// line, that `serde_json` reads the same fields from it.
fn check_line(line: &[u8], scratch: &mut Scratch) {
    let expected = oracle_line(line, &Options::default());
    let got = fast_line(line, scratch);
    assert_eq!(
        got.as_ref().map(|b| String::from_utf8_lossy(b)),
        expected.as_ref().map(|b| String::from_utf8_lossy(b)),
        "line {:?}",
        String::from_utf8_lossy(line)
    );
    let compact = compact::line(line);
    let Ok(text) = std::str::from_utf8(line) else {
        assert!(compact.is_none(), "the compact reader took invalid UTF-8");
        return;
    };
    let mut unescaped = String::new();
    let general = scan::line(text, &mut unescaped);
    if let Some(compact) = &compact {
        assert_eq!(Some(compact), general.as_ref(), "{text:?}");
    }
    if let Some(fast) = general {
        let input = serde_path::parse(text).expect("the scanner took a line serde_json rejects");
        let reference = input
            .validate()
            .expect("the scanner took a line that is not valid input");
        assert_eq!(fast.text, reference.text, "{text:?}");
        assert_eq!(fast.region, reference.region, "{text:?}");
        assert!(
            !fast.text_is_plain || !search::has_special(fast.text.as_bytes()),
            "{text:?}"
        );
        if let Id::PlainStr(id) = fast.id {
            assert!(std::str::from_utf8(id).is_ok(), "{text:?}");
            assert!(!search::has_special(id), "{text:?}");
        }
        let written = |id: &Id| written_record(id, "", &Extraction::default());
        assert_eq!(written(&fast.id), written(&reference.id), "{text:?}");
    }
}

/// The writer's record for `text`, also with the no-escaping shortcut when `text` allows it
/// (both must give the same bytes).
fn written_record(id: &Id, text: &str, ex: &Extraction) -> Vec<u8> {
    let write = |text_is_plain| {
        let line = Line {
            id: match id {
                Id::Str(s) => Id::Str(s),
                Id::PlainStr(s) => Id::PlainStr(s),
                Id::Int(s) => Id::Int(s),
                Id::Number(n) => Id::Number(n.clone()),
            },
            text,
            text_is_plain,
            region: None,
        };
        let mut out = write::LineBuf::default();
        // What a long record hands out before its end, then what is left in the buffer.
        let mut handed_out = Vec::new();
        let mut spill = write::Spill {
            output: &mut handed_out,
            error: None,
        };
        write::record(&mut out, &line, ex, &mut Vec::new(), &mut spill);
        assert!(spill.error.is_none());
        handed_out.extend_from_slice(out.as_bytes());
        handed_out.strip_suffix(b"\n").expect("a line").to_vec()
    };
    let checked = write(false);
    if !search::has_special(text.as_bytes()) {
        assert_eq!(write(true), checked, "{text:?}");
    }
    checked
}

fn takes_fast_path(line: &str) -> bool {
    scan::line(line, &mut String::new()).is_some()
}

const TEXTS: [&str; 8] = [
    "call 480-555-0142 or four eight zero 555 0199, jane@example.com, IG: @Sweet.Jane",
    "$200 roses qv 120 age 21 https://a.example/x?q=\"1\" t.me/+AbCd",
    "btc 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa eth 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "tab\there \\ back\u{1}slash ４８０５５５０１４２ ☎ \"480\" 555 0142",
    "",
    "snap: jane\u{7f}doe kik: x\"y 17 yrs old, 480\n555\t0142 $150/hh",
    "wa.me/447700900123 cash app $sweet\\jane onlyfans.com/a\"b www.example.com/\u{1f}",
    "age 16 480.555.0142 480 555 0142 (480) 555-0142 ⁴⁸⁰⁵⁵⁵⁰¹⁴²",
];

/// The hand-written writer gives exactly the bytes of the `Serialize` derive.
#[test]
fn writer_equals_serde_derive() {
    let ids = [
        Id::Str("ad-1"),
        Id::PlainStr(b"ad-1"),
        Id::PlainStr("ad-ü".as_bytes()),
        Id::Str("we\"ird\n\u{1}\u{7f}"),
        Id::Int(b"7"),
        Id::Int(b"-123456789012345678"),
        Id::Number(7.into()),
        Id::Number(serde_json::Number::from_f64(1.5).expect("finite")),
        Id::Number(serde_json::Number::from_f64(-0.0).expect("finite")),
    ];
    for text in TEXTS {
        let ex = crate::extract_without_raw(text, &Options::default());
        for id in &ids {
            let mine = written_record(id, text, &ex);
            let serde = serde_json::to_vec(&Record::new(id, text, &ex)).expect("serde");
            assert_eq!(
                String::from_utf8_lossy(&mine),
                String::from_utf8_lossy(&serde)
            );
        }
    }
}

/// A record many times longer than the writer's first buffer grows it mid-line intact.
#[test]
fn long_records_are_written_whole() {
    let text = "call 480-555-0142 or \"jane@example.com\" $200 age 21 ".repeat(300);
    let ex = crate::extract_without_raw(&text, &Options::default());
    let id = Id::Str("long");
    let mine = written_record(&id, &text, &ex);
    let serde = serde_json::to_vec(&Record::new(&id, &text, &ex)).expect("serde");
    assert!(serde.len() > 40_000);
    assert_eq!(
        String::from_utf8_lossy(&mine),
        String::from_utf8_lossy(&serde)
    );
}

/// A record past the size at which the writer hands it out in parts (a megabyte) comes out
/// whole and in order, and the buffer never holds the whole record.
#[test]
fn records_longer_than_the_buffer_are_handed_out_in_parts_intact() {
    let text = "$25 and $30, age 21; ".repeat(40_000);
    let ex = crate::extract_without_raw(&text, &Options::default());
    assert_eq!((ex.prices.len(), ex.ages.len()), (80_000, 40_000));
    let id = Id::Str("many prices");
    let mine = written_record(&id, &text, &ex);
    let serde = serde_json::to_vec(&Record::new(&id, &text, &ex)).expect("serde");
    assert!(serde.len() > 10 << 20, "{} bytes", serde.len());
    assert_eq!(mine, serde);
    // Through the run: the output gets the record, and the buffer kept afterwards is small.
    let line = serde_json::json!({"id": "many prices", "text": text}).to_string();
    let (out, errors, summary) = run_str(line.as_bytes());
    assert_eq!((errors.as_str(), summary.written), ("", 1));
    assert_eq!(out.as_bytes(), [serde.as_slice(), b"\n"].concat());
}

/// A write error while a long record is handed out ends the run with that error, and no part
/// of that record follows it onto the output.
#[test]
fn a_failed_write_of_a_long_record_ends_the_run() {
    /// Fails its first write and keeps what it is given after.
    struct FailsOnce {
        failed: bool,
        written: Vec<u8>,
    }
    impl Write for FailsOnce {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            if !self.failed {
                self.failed = true;
                return Err(io::Error::other("disk full"));
            }
            self.written.extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let text = "$25 ".repeat(100_000);
    let input = format!(
        "{{\"id\":0,\"text\":\"call 480-555-0142\"}}\n{}\n",
        serde_json::json!({"id": 1, "text": text})
    );
    let mut output = FailsOnce {
        failed: false,
        written: Vec::new(),
    };
    let mut errors = Vec::new();
    let err = run(
        input.as_bytes(),
        &mut output,
        &mut errors,
        &Options::default(),
    )
    .expect_err("the write fails");
    assert_eq!(err.to_string(), "disk full");
    assert!(output.failed);
    assert_eq!(String::from_utf8_lossy(&output.written), "");
}

proptest::proptest! {
    /// Any string is escaped exactly as `serde_json` escapes it.
    #[test]
    fn any_string_is_written_like_serde_json(s in "\\PC*|[\\x00-\\x7f]{0,40}") {
        let mut mine = write::LineBuf::default();
        write::json_str(&mut mine, &s);
        proptest::prop_assert_eq!(mine.as_bytes(), serde_json::to_vec(&s).expect("serde"));
    }
}

#[test]
fn json_str_escapes_like_serde_json() {
    for c in (0u32..0x250).chain([0x2028, 0x2029, 0xfeff, 0x1f600]) {
        let c = char::from_u32(c).expect("scalar value");
        for s in [
            c.to_string(),
            format!("abcdefgh{c}"),
            format!("{c}12345678xyz"),
        ] {
            let mut mine = write::LineBuf::default();
            write::json_str(&mut mine, &s);
            assert_eq!(
                mine.as_bytes(),
                serde_json::to_vec(&s).expect("serde"),
                "{s:?}"
            );
        }
    }
}

#[test]
fn first_special_finds_the_first_of_quote_backslash_and_control() {
    for len in 0..40 {
        for at in 0..len {
            for special in [b'"', b'\\', 0, 0x1f, b'\n'] {
                // Bytes next to the specials' values, and non-ASCII, must not be taken for them.
                let mut bytes: Vec<u8> = (0..len)
                    .map(|k| [b'!', b'#', b'[', b']', 0x20, 0x7f, 0x80, 0xdc, 0xff][k % 9])
                    .collect();
                bytes[at] = special;
                if at + 1 < len {
                    bytes[at + 1] = b'"';
                }
                assert_eq!(search::first_special(&bytes, 0), Some(at), "{bytes:?}");
                assert_eq!(
                    search::first_special(&bytes, at + 1),
                    (at + 1 < len).then_some(at + 1)
                );
            }
            let plain: Vec<u8> = (0..len).map(|k| b"a~ \x7f\xc3\xa9#!"[k % 8]).collect();
            assert_eq!(search::first_special(&plain, at), None);
            for special in [b'"', b'\\', 0, 0x1f] {
                // A special byte before `from` must not show through (nor borrow into a `#`).
                let mut one = plain.clone();
                one[at] = special;
                for from in 0..=len {
                    let expected = (from <= at).then_some(at);
                    assert_eq!(
                        search::first_special(&one, from),
                        expected,
                        "{one:?} from {from}"
                    );
                }
            }
        }
    }
}

/// The three searches find what a byte-by-byte search finds, at every length, start and
/// place of the first hit (across the word, block and overlapping-window stages).
#[test]
fn searches_agree_with_bytewise_searches() {
    type Search = fn(&[u8], usize) -> Option<usize>;
    type Bytewise = fn(u8) -> bool;
    let searches: [(Search, Bytewise); 3] = [
        (search::first_special, |b| {
            b == b'"' || b == b'\\' || b < 0x20
        }),
        (search::first_special_or_high, |b| {
            b == b'"' || b == b'\\' || !(0x20..0x80).contains(&b)
        }),
        (search::next_quote, |b| b == b'"'),
    ];
    for (search, is) in searches {
        for len in 0..100 {
            let plain: Vec<u8> = (0..len).map(|k| b"a~ !#[]{}:,09"[k % 13]).collect();
            for at in 0..=len {
                for hit in [b'"', b'\\', 0, 0x1f, b'\n', 0x80, 0xc3, 0xff, 0x7f] {
                    let mut bytes = plain.clone();
                    if at < len {
                        bytes[at] = hit;
                    }
                    for from in [0, 1, 7, 8, 9, 15, 16, 17, 31, 33, 47, 48, 49, at, at + 1] {
                        let expected = (from <= len)
                            .then(|| bytes[from..].iter().position(|&b| is(b)).map(|k| from + k))
                            .flatten();
                        assert_eq!(search(&bytes, from), expected, "{bytes:?} from {from}");
                    }
                }
            }
        }
    }
}

/// Strings of every length up to past the short-string path (sixteen bytes), with a byte that
/// needs escaping or a non-ASCII character at every position, are written as `serde_json`
/// writes them.
#[test]
fn strings_of_every_length_are_written_like_serde_json() {
    let check = |s: &str| {
        let mut mine = write::LineBuf::default();
        write::json_str(&mut mine, s);
        assert_eq!(
            mine.as_bytes(),
            serde_json::to_vec(s).expect("serde"),
            "{s:?}"
        );
    };
    for len in 0..40 {
        let plain: String = (0..len)
            .map(|k| ['a', '~', ' ', '\u{7f}', '#', '!', ']', '['][k % 8])
            .collect();
        check(&plain);
        for at in 0..len {
            for other in ['"', '\\', '\u{0}', '\u{1f}', '\n', 'é', '💯'] {
                let one: String = plain
                    .chars()
                    .enumerate()
                    .map(|(k, c)| if k == at { other } else { c })
                    .collect();
                check(&one);
            }
        }
    }
}

/// The gathered-block test of short strings and the block loop of long ones (its last block
/// overlapping) miss no byte at any length.
#[test]
fn has_special_agrees_with_a_bytewise_test() {
    let naive = |bytes: &[u8]| bytes.iter().any(|&b| b == b'"' || b == b'\\' || b < 0x20);
    for len in 0..80 {
        let plain: Vec<u8> = (0..len).map(|k| b"a~ \x7f\xc3\xa9#!]["[k % 10]).collect();
        assert!(!search::has_special(&plain), "{plain:?}");
        for at in 0..len {
            for special in [b'"', b'\\', 0, 0x1f, b'\n'] {
                let mut one = plain.clone();
                one[at] = special;
                assert_eq!(search::has_special(&one), naive(&one), "{one:?}");
            }
        }
    }
}

#[test]
fn common_shapes_take_the_fast_path() {
    let lines = [
        r#"{"id":"ad-00000001","source":"synth-board-a","url":"https://board-a.example/x","posted_at":"2026-05-22T22:56:23Z","location":"Charlotte","title":"Discreet fun","text":"call 480-555-0142 💯"}"#,
        "{\"id\": 12, \"text\": \"a\\tb\\\"c\\\\ \\u00e9 \\ud83d\\ude18 \\u0000\"}\n",
        "{\"id\":\"x\",\"text\":\"t\",\"region\":\"gb\"}\r\n",
        r#"{"id":"x","text":"t","region":null,"meta":{"a":[1,-2.5e-3,true,false,null,{"b":"\ud800"}],"c":{}},"n":[]}"#,
        r#"  {"te\u0078t":"t","\u0069d":-42}  "#,
        r#"{"id":"x","text":"t","source":"a","source":"b"}"#,
    ];
    assert!(compact::line(lines[0].as_bytes()).is_some());
    for line in lines {
        assert!(takes_fast_path(line), "{line}");
        check_line(line.as_bytes(), &mut Scratch::default());
    }
}

/// A string `id` is taken as bytes by the compact reader: ASCII without a check, other UTF-8
/// checked, invalid UTF-8 left to the general path (and reported as the whole line's error).
#[test]
fn compact_ids_are_bytes_checked_as_utf8() {
    fn id(line: &[u8]) -> Option<Id<'_>> {
        compact::line(line).map(|fields| fields.id)
    }
    assert_eq!(
        id(br#"{"id":"ad-1","text":"t"}"#),
        Some(Id::PlainStr(b"ad-1"))
    );
    let line = "{\"id\":\"\u{e9}\u{1f4af}\",\"text\":\"t\"}";
    let expected = Id::PlainStr("\u{e9}\u{1f4af}".as_bytes());
    assert_eq!(id(line.as_bytes()), Some(expected));
    assert_eq!(id(br#"{"id":-12,"text":"t"}"#), Some(Id::Int(b"-12")));
    for bad in [
        &b"{\"id\":\"\xc3\",\"text\":\"t\"}\n"[..],
        b"{\"id\":\"a\xff\",\"text\":\"t\"}\n",
    ] {
        assert_eq!(id(bad), None);
        check_line(bad, &mut Scratch::default());
    }
}

#[test]
fn lines_left_to_serde_json_keep_its_verdict() {
    let lines = [
        r#"{"id":"a","id":"b","text":"t"}"#,
        r#"{"id":"a","text":"t","text":"u"}"#,
        r#"{"id":null,"text":"t","id":"b"}"#,
        r#"{"id":"a","text":"t","region":null,"region":"US"}"#,
        r#"{"id":1.5,"text":"t"}"#,
        r#"{"id":-0,"text":"t"}"#,
        r#"{"id":1e3,"text":"t"}"#,
        r#"{"id":12345678901234567890123,"text":"t"}"#,
        r#"{"id":-9223372036854775809,"text":"t"}"#,
        r#"{"id":1e400,"text":"t"}"#,
        r#"{"id":01,"text":"t"}"#,
        r#"{"id":true,"text":"t"}"#,
        r#"{"id":[1],"text":"t"}"#,
        r#"{"id":"a","text":5}"#,
        r#"{"id":"a","text":{"a":1}}"#,
        r#"{"id":"a","text":"t","region":1}"#,
        r#"{"id":"a","text":"t","region":"XX"}"#,
        r#"{"id":"a","text":"t","region":"gbr"}"#,
        r#"{"id":"a"}"#,
        r#"{"text":"a"}"#,
        r#"{}"#,
        r#"[1,2]"#,
        r#"["a","b"]"#,
        r#"42"#,
        r#""str""#,
        r#"null"#,
        r#"{"id":"a","text":"\ud800"}"#,
        r#"{"id":"a","text":"\udc00\ud800"}"#,
        r#"{"id":"a","text":"\ud800\u0041"}"#,
        r#"{"id":"a","text":"\ud800\n"}"#,
        r#"{"id":"a","text":"\x"}"#,
        r#"{"id":"a","text":"\u12"}"#,
        r#"{"id":"a","text":"\u12g4"}"#,
        "{\"id\":\"a\",\"text\":\"tab\there\"}",
        "{\"id\":\"a\",\"x\":\"tab\there\",\"text\":\"t\"}",
        r#"{"id":"a","text":"t",}"#,
        r#"{"id":"a","text":"t"} x"#,
        r#"{"id":"a","text":"t"}}"#,
        r#"{"id":"a","text":"t""#,
        r#"{"id":"a","text":"t"#,
        r#"{"id":"a","text":"#,
        r#"{"id":"a" "text":"t"}"#,
        r#"{"id":"a","text":"t","x":[1,]}"#,
        r#"{"id":"a","text":"t","x":[1 2]}"#,
        r#"{"id":"a","text":"t","x":{"a"}}"#,
        r#"{"id":"a","text":"t","x":{"a":1,}}"#,
        r#"{"id":"a","text":"t","x":[}"#,
        r#"{"id":"a","text":"t","x":tru}"#,
        r#"{"id":"a","text":"t","x":nulll}"#,
        r#"{"id":"a","text":"t","x":1.}"#,
        r#"{"id":"a","text":"t","x":.5}"#,
        r#"{"id":"a","text":"t","x":+1}"#,
        r#"{"id":"a","text":"t","x":1e}"#,
        r#"{"id":"a","text":"t","x":-}"#,
        r#"{"id":"a","text":"t","x":"\ud800"}"#,
        r#"{"id":"a","text":"t","x":"\q"}"#,
        r#"{"id":"a","text":"t","x":"\u12"}"#,
        r#"{"id":"a","text":"t","x":"\u004"}"#,
        r#"{"id":"a","text":"t","x":["\z"]}"#,
        r#"{"id":"a","text":"t","x":[1}"#,
        r#"{"id":"a","text":"t","x":[1}}"#,
        r#"{"id":"a","text":"t","x":{"a":[1}}}"#,
        r#"{"id":"a","text":"t","x":{"a":1]}}"#,
        r#"{"id":"a","text":"t","x":{"a":1]}"#,
        r#"{"id":"a","text":"t","x":{"a":[}]}"#,
        r#"{"id":"a","text":"t","x":{"a" 1}}"#,
        r#"{"id":"a","text":"t","x":{1:1}}"#,
        r#"{"id":"a","text":"t","x":1.e5}"#,
        r#"{"id":"a","text":"t","x":1e+}"#,
        r#"{"id":"a","text":"t","x":-01}"#,
        r#"{"id":"a","text":"\udc00"}"#,
        r#"{"id":"\udfff","text":"t"}"#,
        r#"{"id":"a","text":"t","region":"\ud800x"}"#,
        r#"{"\udc00":1,"id":"a","text":"t"}"#,
        r#"{"i\u0064":"a","\u0069\u0064":"b","text":"t"}"#,
        r#"{1:"a"}"#,
        "\u{a0}{\"id\":\"a\",\"text\":\"t\"}",
        "\u{c}{\"id\":\"a\",\"text\":\"t\"}",
        "\u{feff}{\"id\":\"a\",\"text\":\"t\"}",
        "{\"id\":\"a\",\"text\":\"t\"}\u{b}",
        "{\"id\":\"a\",\"\u{1}\":1,\"text\":\"t\"}",
    ];
    let mut scratch = Scratch::default();
    for line in lines {
        check_line(line.as_bytes(), &mut scratch);
    }
    let deep = format!(
        r#"{{"id":"a","text":"t","x":{}1{}}}"#,
        "[".repeat(200),
        "]".repeat(200)
    );
    check_line(deep.as_bytes(), &mut scratch);
    let too_deep = format!(r#"{{"id":"a","text":"t","x":{}}}"#, "[".repeat(200));
    check_line(too_deep.as_bytes(), &mut scratch);
    check_line(b"{\"id\":\"a\",\"text\":\"\xff\"}", &mut scratch);
}

fn run_str(input: &[u8]) -> (String, String, Summary) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let s = run(input, &mut out, &mut err, &Options::default()).expect("in-memory I/O");
    (
        String::from_utf8(out).expect("utf8"),
        String::from_utf8(err).expect("utf8"),
        s,
    )
}

const MIXED_INPUT: &[u8] = b"{\"id\":\"a1\",\"text\":\"call 480-555-0142\"}\n\
{\"id\":2,\"text\":5}\n\
not json\n\
{\"text\":\"x\"}\n\
\n\
{\"id\":\"a3\",\"text\":\"x\",\"region\":\"ZZ\"}\n\
{\"id\":\"a4\",\"text\":\"\xff\"}\n\
{\"id\":\"a5\",\"text\":\"07700 900123\",\"region\":\"gb\"}\n";

#[test]
fn good_lines_are_written_and_bad_lines_reported() {
    let input = MIXED_INPUT;
    let (out, err, s) = run_str(input);
    assert_eq!(
        s,
        Summary {
            read: 7,
            written: 2,
            skipped: 5,
            bytes: input.len() as u64
        }
    );
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(lines[0]["phones"], serde_json::json!(["+14805550142"]));
    assert_eq!(lines[0]["spans"][0]["raw"], "480-555-0142");
    assert_eq!(lines[1]["phones"], serde_json::json!(["+447700900123"]));
    assert_eq!(
        lines[1]["obfuscated"], false,
        "a plainly written national number"
    );
    let errs: Vec<&str> = err.lines().collect();
    assert_eq!(errs.len(), 5);
    assert!(errs[0].starts_with("line 2: field `text`"), "{}", errs[0]);
    assert!(errs[1].starts_with("line 3: bad JSON"), "{}", errs[1]);
    assert!(
        errs[2].starts_with("line 4: missing field `id`"),
        "{}",
        errs[2]
    );
    assert!(errs[3].starts_with("line 6: field `region`"), "{}", errs[3]);
    assert!(errs[4].starts_with("line 7: invalid UTF-8"), "{}", errs[4]);
}

/// Lines cut by the reader's buffer, blank lines, CRLF and a last line without a newline are
/// read as `read_until` read them.
#[test]
fn in_place_reading_matches_read_until() {
    let mut input = MIXED_INPUT.to_vec();
    input
        .extend_from_slice(b"  \r\n{\"id\":\"b\",\"text\":\"x 480 555 0142\"}\r\n\t\n{\"id\":3}\n");
    // Compact lines that end with whitespace, with something after, and cut short.
    input.extend_from_slice(b"{\"id\":\"c\",\"text\":\"y 480 555 0142\"} \t\r\n");
    input.extend_from_slice(b"{\"id\":\"d\",\"text\":\"z\"} x\n{\"id\":\"e\",\"text\":\"\xff\"}\n");
    input.extend_from_slice(b"{\"id\":\"f\",\"text\":\"\xc3\xa9\"}\n{\"id\":\"g\",\"te\n");
    input.extend_from_slice(b"{\"id\":\"last\",\"text\":\"no newline (480) 555-0142\"}");
    let expected = oracle_run(&input, &Options::default());
    for capacity in [1, 2, 3, 7, 16, 64, 1 << 16] {
        let reader = std::io::BufReader::with_capacity(capacity, &input[..]);
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let s = run(reader, &mut out, &mut err, &Options::default()).expect("in memory");
        assert_eq!(
            (
                String::from_utf8_lossy(&out),
                String::from_utf8_lossy(&err),
                s
            ),
            (
                String::from_utf8_lossy(&expected.0),
                String::from_utf8_lossy(&expected.1),
                expected.2
            ),
            "capacity {capacity}"
        );
    }
}

/// Input delivered a few bytes per read; at every read, the output recorded so far.
struct Trickle {
    input: Vec<u8>,
    at: usize,
    step: usize,
    output: std::rc::Rc<std::cell::RefCell<Vec<u8>>>,
    /// (input delivered, output written) at each read.
    seen: Vec<(usize, usize)>,
    /// Fail after delivering this much input.
    fail_at: Option<usize>,
}

impl std::io::Read for Trickle {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.seen.push((self.at, self.output.borrow().len()));
        if self.fail_at.is_some_and(|end| self.at >= end) {
            return Err(std::io::Error::other("input failed"));
        }
        let n = self.step.min(buf.len()).min(self.input.len() - self.at);
        buf[..n].copy_from_slice(&self.input[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

struct Shared(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl std::io::Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The lines of many results are handed to the output in batches, but all of them before any
/// read that may wait for more input (and, when the input fails, before the error returns).
#[test]
fn results_are_handed_over_before_every_read() {
    let mut input = Vec::new();
    for k in 0..400 {
        let line =
            format!("{{\"id\":\"ad-{k}\",\"text\":\"call 480-555-{k:04} or me@x{k}.com\"}}\n");
        input.extend_from_slice(line.as_bytes());
        if k % 50 == 7 {
            input.extend_from_slice(MIXED_INPUT);
        }
    }
    let expected = oracle_run(&input, &Options::default());
    assert!(expected.0.len() > 8 * BATCH);
    for (step, capacity, fail_at) in [
        (7, 64, None),
        (1000, 1 << 12, None),
        (1 << 20, 1 << 16, None),
        (333, 1 << 10, Some(input.len() / 2)),
    ] {
        let output = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
        let mut trickle = Trickle {
            input: input.clone(),
            at: 0,
            step,
            output: output.clone(),
            seen: Vec::new(),
            fail_at,
        };
        let mut err = Vec::new();
        let reader = std::io::BufReader::with_capacity(capacity, &mut trickle);
        let result = run(
            reader,
            Shared(output.clone()),
            &mut err,
            &Options::default(),
        );
        let delivered = trickle.at;
        let lines_in = |n: usize| {
            input[..n]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |k| k + 1)
        };
        for &(delivered, written) in &trickle.seen {
            let upto = oracle_run(&input[..lines_in(delivered)], &Options::default());
            assert_eq!(written, upto.0.len(), "step {step}: at {delivered} bytes");
        }
        let output = output.borrow();
        if fail_at.is_some() {
            assert!(result.is_err());
            let upto = oracle_run(&input[..lines_in(delivered)], &Options::default());
            assert_eq!(
                String::from_utf8_lossy(&output),
                String::from_utf8_lossy(&upto.0)
            );
        } else {
            assert_eq!(result.expect("in memory"), expected.2);
            assert_eq!(
                String::from_utf8_lossy(&output),
                String::from_utf8_lossy(&expected.0)
            );
            assert_eq!(
                String::from_utf8_lossy(&err),
                String::from_utf8_lossy(&expected.1)
            );
        }
    }
}

/// When the error stream fails, the run ends with the results of the lines before.
#[test]
fn results_before_a_failed_report_are_written() {
    struct Broken;
    impl std::io::Write for Broken {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("errors failed"))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let good = b"{\"id\":\"a\",\"text\":\"call 480-555-0142\"}\n".repeat(30);
    let mut input = good.clone();
    input.extend_from_slice(b"not json\n");
    input.extend_from_slice(&good);
    let mut out = Vec::new();
    assert!(run(&input[..], &mut out, Broken, &Options::default()).is_err());
    let expected = oracle_run(&good, &Options::default()).0;
    assert_eq!(
        String::from_utf8_lossy(&out),
        String::from_utf8_lossy(&expected)
    );
}

#[test]
fn progress_is_reported_every_10000_lines() {
    let input = "{\"id\":1,\"text\":\"\"}\n".repeat(25_000);
    let mut calls = Vec::new();
    let s = run_with_progress(
        input.as_bytes(),
        std::io::sink(),
        std::io::sink(),
        &Options::default(),
        super::DEFAULT_MAX_LINE_BYTES,
        |s| calls.push(s.read),
    )
    .expect("in memory");
    assert_eq!(calls, [10_000, 20_000]);
    assert_eq!(s.written, 25_000);
}

// Generated lines: JSON built piece by piece with every kind of escape, number form and
// whitespace. A clean line is valid JSON (with its `id` and `text` once each); a noisy line may
// hold anything, damage included, so both paths meet valid lines, odd lines and broken ones.

/// Weight of the pieces that break a line: none in a clean line.
fn broken(noisy: bool) -> u32 {
    u32::from(noisy)
}

fn whitespace(noisy: bool) -> impl Strategy<Value = String> {
    prop_oneof![
        16 => Just(String::new()),
        6 => "[ \t\r\n]{1,3}",
        broken(noisy) => prop_oneof![Just("\u{a0}"), Just("\u{c}"), Just("\u{b}")].prop_map(str::to_owned),
    ]
}

/// Content of a JSON string literal (without quotes).
fn string_body(noisy: bool) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        6 => "[a-zA-Z0-9 .@$:/+()-]{1,8}",
        3 => prop_oneof![
            Just("480-555-0142"), Just("four eight zero 555 0142"), Just("jane@example.com"),
            Just("IG: @sweet.jane"), Just("$200 qv"), Just("age 17"), Just("t.me/jane_doe"),
            Just("https://x.example/a"), Just("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"),
            Just("４８０５５５０１４２"), Just("💯"), Just("é"), Just("\u{7f}"),
        ].prop_map(str::to_owned),
        2 => any::<char>()
            .prop_map(|c| if matches!(c, '"' | '\\') || c < ' ' { '·' } else { c })
            .prop_map(String::from),
        2 => prop_oneof![
            Just("\\\""), Just("\\\\"), Just("\\/"), Just("\\b"), Just("\\f"), Just("\\n"),
            Just("\\r"), Just("\\t"),
        ].prop_map(str::to_owned),
        2 => (any::<char>(), any::<bool>()).prop_map(|(c, upper)| u_escape(c, upper)),
        broken(noisy) => prop_oneof![
            Just("\\ud800"), Just("\\udfff"), Just("\\ud83d\\u0041"), Just("\\ud83d\\n"),
            Just("\\ud83d"), Just("\\x"), Just("\\u12"), Just("\\u00g0"), Just("\t"),
            Just("\u{1}"), Just("\\"), Just("\\U0041"),
        ].prop_map(str::to_owned),
    ];
    prop::collection::vec(piece, 0..10).prop_map(|v| v.concat())
}

/// `c` as one `\u` escape, or a surrogate pair of them.
fn u_escape(c: char, upper: bool) -> String {
    let mut units = [0u16; 2];
    let escaped: String = c
        .encode_utf16(&mut units)
        .iter()
        .map(|u| format!("\\u{u:04x}"))
        .collect();
    if upper {
        escaped.to_uppercase().replace("\\U", "\\u")
    } else {
        escaped
    }
}

fn json_string(noisy: bool) -> impl Strategy<Value = String> {
    string_body(noisy).prop_map(|b| format!("\"{b}\""))
}

fn number(noisy: bool) -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "-?(0|[1-9][0-9]{0,20})",
        2 => "-?(0|[1-9][0-9]{0,3})(\\.[0-9]{1,4})?([eE][+-]?[0-9]{1,3})?",
        1 => prop_oneof![
            Just("-0"), Just("1e400"), Just("-1e400"), Just("18446744073709551615"),
            Just("18446744073709551616"), Just("-9223372036854775808"), Just("999999999999999999"),
            Just("-999999999999999999"), Just("1000000000000000000"), Just("0.0"), Just("1E2"),
            Just("-9223372036854775809"), Just("1e-400"),
        ].prop_map(str::to_owned),
        broken(noisy) => prop_oneof![
            Just("01"), Just("1."), Just(".5"), Just("+1"), Just("-"), Just("1e"), Just("1e+"),
            Just("--1"), Just("0x1"),
        ].prop_map(str::to_owned),
    ]
}

fn value(noisy: bool) -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        3 => json_string(noisy),
        2 => number(noisy),
        1 => prop_oneof![Just("true"), Just("false"), Just("null")].prop_map(str::to_owned),
        broken(noisy) => prop_oneof![Just("nul"), Just("tru"), Just("nulll"), Just("True")]
            .prop_map(str::to_owned),
    ];
    leaf.prop_recursive(4, 24, 5, move |inner| {
        prop_oneof![
            prop::collection::vec((whitespace(noisy), inner.clone(), whitespace(noisy)), 0..5)
                .prop_map(|items| {
                    let items: Vec<String> = items
                        .into_iter()
                        .map(|(a, v, b)| format!("{a}{v}{b}"))
                        .collect();
                    format!("[{}]", items.join(","))
                }),
            prop::collection::vec((json_string(noisy), whitespace(noisy), inner), 0..5).prop_map(
                |items| {
                    let items: Vec<String> = items
                        .into_iter()
                        .map(|(k, w, v)| format!("{k}{w}:{w}{v}"))
                        .collect();
                    format!("{{{}}}", items.join(","))
                }
            ),
        ]
    })
}

/// A key of a field the contract does not read (in a noisy line: any key).
fn other_key(noisy: bool) -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop_oneof![
            Just("\"source\""), Just("\"url\""), Just("\"title\""), Just("\"ID\""),
            Just("\"ids\""), Just("\"\""), Just("\"\\ud800\\udc00\""), Just("\"i\\\\d\""),
        ].prop_map(str::to_owned),
        1 => json_string(false).prop_filter("not a contract key", |k| {
            !matches!(
                serde_json::from_str::<String>(k).as_deref(),
                Ok("id" | "text" | "region")
            )
        }),
        broken(noisy) => prop_oneof![
            Just("\"id\""), Just("\"text\""), Just("\"region\""), Just("\"te\\u0078t\""),
            Just("\"\\u0069d\""), Just("\"regio\\u006e\""), Just("\"\\ud800\""), Just("\"i\\d\""),
        ].prop_map(str::to_owned),
        broken(noisy) => json_string(true),
    ]
}

fn id_member(noisy: bool) -> impl Strategy<Value = (String, String)> {
    (
        prop_oneof![4 => Just("\"id\""), 1 => Just("\"\\u0069d\"")],
        prop_oneof![
            4 => json_string(noisy),
            3 => number(noisy),
            1 => value(noisy),
        ],
    )
        .prop_map(|(k, v)| (k.to_owned(), v))
}

fn text_member(noisy: bool) -> impl Strategy<Value = (String, String)> {
    (
        prop_oneof![4 => Just("\"text\""), 1 => Just("\"te\\u0078t\"")],
        prop_oneof![
            12 => json_string(noisy),
            1 => value(noisy),
        ],
    )
        .prop_map(|(k, v)| (k.to_owned(), v))
}

fn region_member(noisy: bool) -> impl Strategy<Value = (String, String)> {
    prop_oneof![
        3 => prop_oneof![
            Just("\"gb\""), Just("\"US\""), Just("\"XX\""), Just("\"g\\u0062\""), Just("null"),
            Just("\"\""), Just("\"usa\""),
        ].prop_map(str::to_owned),
        1 => value(noisy),
    ]
    .prop_map(|v| ("\"region\"".to_owned(), v))
}

/// How much of a line may be wrong.
#[derive(Clone, Copy, Debug)]
enum Noise {
    /// Valid JSON with `id` and `text` once each.
    Clean,
    /// The clean shape, but any piece may be broken (mostly one defect per line).
    Defects,
    /// Any mix of members, duplicates included, any piece broken.
    Chaos,
}

/// The members of one object: a clean line has `id` and `text` once each, maybe `region`,
/// and other fields, in any order; a chaotic one any mix, duplicates included.
fn members(noise: Noise) -> BoxedStrategy<Vec<(String, String)>> {
    let noisy = !matches!(noise, Noise::Clean);
    if matches!(noise, Noise::Chaos) {
        let member = prop_oneof![
            4 => id_member(true),
            4 => text_member(true),
            1 => region_member(true),
            3 => (other_key(true), value(true)),
        ];
        prop::collection::vec(member, 0..6).boxed()
    } else {
        (
            id_member(noisy),
            text_member(noisy),
            prop::option::weighted(0.2, region_member(noisy)),
            prop::collection::vec((other_key(noisy), value(noisy)), 0..5),
        )
            .prop_flat_map(|(id, text, region, mut others)| {
                others.push(id);
                others.push(text);
                others.extend(region);
                Just(others).prop_shuffle()
            })
            .boxed()
    }
}

/// How a generated line is damaged, if at all.
#[derive(Clone, Debug)]
enum Damage {
    None,
    Truncate(prop::sample::Index),
    Append(&'static str),
    Remove(prop::sample::Index),
    /// One closing bracket turned into the other kind.
    SwapBracket(prop::sample::Index),
    Wrap,
}

fn damage(noisy: bool) -> impl Strategy<Value = Damage> {
    prop_oneof![
        6 => Just(Damage::None),
        2 * broken(noisy) => any::<prop::sample::Index>().prop_map(Damage::Truncate),
        broken(noisy) => prop_oneof![Just("x"), Just("}"), Just(","), Just(" {}"), Just("\u{0}"), Just("\n\n")]
            .prop_map(Damage::Append),
        broken(noisy) => any::<prop::sample::Index>().prop_map(Damage::Remove),
        broken(noisy) => any::<prop::sample::Index>().prop_map(Damage::SwapBracket),
        broken(noisy) => Just(Damage::Wrap),
    ]
}

impl Damage {
    fn apply(self, line: &mut Vec<u8>) {
        match self {
            Damage::None => {}
            Damage::Truncate(at) => line.truncate(at.index(line.len() + 1)),
            Damage::Append(s) => line.extend_from_slice(s.as_bytes()),
            Damage::Remove(at) => {
                line.remove(at.index(line.len()));
            }
            Damage::SwapBracket(which) => {
                let closing: Vec<usize> = (0..line.len())
                    .filter(|&k| matches!(line[k], b']' | b'}'))
                    .collect();
                if !closing.is_empty() {
                    let k = closing[which.index(closing.len())];
                    line[k] = if line[k] == b']' { b'}' } else { b']' };
                }
            }
            Damage::Wrap => {
                line.insert(0, b'[');
                line.push(b']');
            }
        }
    }
}

fn line_of(noise: Noise) -> impl Strategy<Value = Vec<u8>> {
    let noisy = !matches!(noise, Noise::Clean);
    (
        whitespace(noisy),
        prop::collection::vec(
            (whitespace(noisy), whitespace(noisy), whitespace(noisy)),
            6..7,
        ),
        members(noise),
        whitespace(noisy),
        prop_oneof![Just(""), Just("\n"), Just("\r\n")],
        damage(noisy),
    )
        .prop_map(|(lead, spaces, members, trail, newline, damage)| {
            let members: Vec<String> = members
                .into_iter()
                .enumerate()
                .map(|(k, (key, v))| {
                    let (a, b, c) = &spaces[k % spaces.len()];
                    format!("{a}{key}{b}:{c}{v}{a}")
                })
                .collect();
            let mut line = format!("{lead}{{{}}}{trail}", members.join(",")).into_bytes();
            damage.apply(&mut line);
            line.extend_from_slice(newline.as_bytes());
            line
        })
}

/// A string of the compact reader's kind: no escapes, but any character else (non-ASCII
/// included), and when noisy a raw control byte, an escape or a stray quote now and then.
fn plain_json_string(noisy: bool) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        6 => "[a-zA-Z0-9 .@$:/+()-]{1,8}",
        2 => prop_oneof![
            Just("480-555-0142"), Just("jane@example.com"), Just("４８０５５５０１４２"),
            Just("💯"), Just("é"), Just("\u{7f}"), Just("id"), Just("text"),
        ].prop_map(str::to_owned),
        2 => any::<char>()
            .prop_map(|c| if matches!(c, '"' | '\\') || c < ' ' { 'ß' } else { c })
            .prop_map(String::from),
        broken(noisy) => prop_oneof![
            Just("\t"), Just("\u{1}"), Just("\\n"), Just("\\u0041"), Just("\""), Just("\\"),
        ].prop_map(str::to_owned),
    ];
    prop::collection::vec(piece, 0..8).prop_map(|v| format!("\"{}\"", v.concat()))
}

/// Whether every value of a compact line is a string, but an `id` of 7 and a null region
/// (the values the compact reader takes): the bytes between strings are all punctuation.
fn general_reads_only_strings(text: &str) -> bool {
    let pieces: Vec<&str> = text.trim_end_matches(['\r', '\n']).split('"').collect();
    (0..pieces.len()).step_by(2).all(|k| {
        let key = k.checked_sub(1).map(|before| pieces[before]);
        match pieces[k] {
            "{" | ":" | "," | "}" => true,
            ":7," | ":7}" => key == Some("id"),
            ":null," | ":null}" => key == Some("region"),
            _ => false,
        }
    })
}

/// Lines of the usual compact shape (no whitespace between tokens, string values), clean or
/// damaged, with now and then a key twice, a number, a null or a nested value.
fn compact_line(noisy: bool) -> impl Strategy<Value = Vec<u8>> {
    let key = prop_oneof![
        4 => prop_oneof![
            Just("id"), Just("text"), Just("region"), Just("source"), Just("url"), Just("ïd"),
            Just("texts"), Just(""), Just("posted_at"),
        ].prop_map(|k| format!("\"{k}\"")),
        1 => plain_json_string(noisy),
    ];
    let member_value = prop_oneof![
        8 => plain_json_string(noisy),
        1 => prop_oneof![
            Just("0"), Just("-12"), Just("123456789012345678"), Just("1234567890123456789"),
            Just("-0"), Just("01"), Just("1.5"), Just("2e3"), Just("null"), Just("nul"),
            Just("true"), Just("[]"), Just("{\"a\":1}"),
        ].prop_map(str::to_owned),
    ];
    (
        prop::collection::vec((key, member_value), 0..4),
        plain_json_string(noisy),
        prop_oneof![2 => plain_json_string(noisy), 1 => Just("7".to_owned())],
        prop::option::weighted(
            0.2,
            prop_oneof![Just("\"gb\""), Just("null"), Just("\"xx\"")],
        ),
        prop_oneof![Just(""), Just("\n"), Just("\r\n"), Just(" \n")],
        damage(noisy),
    )
        .prop_flat_map(|(mut members, text, id, region, newline, damage)| {
            members.push(("\"text\"".to_owned(), text));
            members.push(("\"id\"".to_owned(), id));
            members.extend(region.map(|r| ("\"region\"".to_owned(), r.to_owned())));
            (Just(members).prop_shuffle(), Just(newline), Just(damage))
        })
        .prop_map(|(members, newline, damage)| {
            let members: Vec<String> = members.iter().map(|(k, v)| format!("{k}:{v}")).collect();
            let mut line = format!("{{{}}}", members.join(",")).into_bytes();
            damage.apply(&mut line);
            line.extend_from_slice(newline.as_bytes());
            line
        })
}

fn line() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        2 => line_of(Noise::Clean),
        2 => line_of(Noise::Defects),
        1 => line_of(Noise::Chaos),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    /// Output bytes and error strings equal the serde-only path's on generated lines.
    #[test]
    fn fast_path_equals_serde_path(line in line()) {
        check_line(&line, &mut Scratch::default());
    }

    /// Lines of the compact reader's shape, clean and damaged: its fields equal the general
    /// reader's, and outputs and errors equal the serde-only path's.
    #[test]
    fn compact_lines_equal_serde_path(line in prop_oneof![compact_line(false), compact_line(true)]) {
        check_line(&line, &mut Scratch::default());
    }

    /// Clean compact lines without escapes are taken by the compact reader.
    #[test]
    fn clean_compact_lines_take_the_compact_reader(line in compact_line(false)) {
        let text = std::str::from_utf8(&line).expect("generated as text");
        if serde_path::parse(text).is_ok_and(|input| input.validate().is_ok())
            && !text.contains('\\')
            && general_reads_only_strings(text)
        {
            prop_assert!(compact::line(&line).is_some(), "{}", text);
        }
    }

    /// A clean line whose `id` is a string or a canonical integer and whose `region` is absent
    /// takes the fast path (else the test above would prove little about it).
    #[test]
    fn clean_lines_take_the_fast_path(line in line_of(Noise::Clean)) {
        let text = std::str::from_utf8(&line).expect("generated as text");
        // (`Value` refuses numbers out of `f64` range, which the contract skips unread.)
        let Ok(parsed) = serde_json::from_str::<Value>(text) else {
            return Ok(());
        };
        let plain_id = match &parsed["id"] {
            Value::String(_) => true,
            Value::Number(n) => {
                let written = n.to_string();
                (n.is_i64() || n.is_u64()) && written.trim_start_matches('-').len() <= 18
                    && written != "-0" && text.contains(&written)
            }
            _ => false,
        };
        let plain_text = parsed["text"].is_string();
        let plain_region = parsed.get("region").is_none_or(|r| r.is_string() || r.is_null());
        if !(plain_id && plain_text && plain_region) {
            return Ok(());
        }
        prop_assert!(takes_fast_path(text), "{}", text);
    }

    /// Texts full of identifiers and characters that need escaping are written as the derive
    /// writes them.
    #[test]
    fn writer_equals_serde_derive_on_generated_texts(
        text in "([0-9]{1,4}|[ .\\-/()+@:$_\"\\\\\t\n\u{1}\u{7f}]|jane|example|com|gmail|ig|snap|t\\.me/|wa\\.me/|https://|www\\.|btc|age|yrs|qv|hh|roses|four|eight|💯|４|\u{20e3}|1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa){0,40}"
    ) {
        let ex = crate::extract_without_raw(&text, &Options::default());
        let id = Id::Str("x");
        let mine = written_record(&id, &text, &ex);
        let serde = serde_json::to_vec(&Record::new(&id, &text, &ex)).expect("serde");
        prop_assert_eq!(String::from_utf8_lossy(&mine), String::from_utf8_lossy(&serde));
    }
}

/// The input with every line longer than `max` bytes (before its newline) left out, and the
/// numbers of those lines (counting blank lines, as the driver does).
fn without_long_lines(input: &[u8], max: usize) -> (Vec<u8>, Vec<usize>) {
    let (mut kept, mut long) = (Vec::new(), Vec::new());
    for (k, line) in input.split_inclusive(|&b| b == b'\n').enumerate() {
        let content = line.strip_suffix(b"\n").unwrap_or(line);
        if content.len() > max {
            long.push(k + 1);
        } else {
            kept.extend_from_slice(line);
        }
    }
    (kept, long)
}

/// Lines past the limit are reported by number and skipped, whatever the reader's buffer, and
/// every other line is read as if they were not there (the last line too, without a newline).
#[test]
fn lines_longer_than_the_limit_are_reported_and_skipped() {
    let max = 55;
    let fits = b"{\"id\":\"a\",\"text\":\"call 480-555-0142 tonight, ok ok ok\"}";
    assert_eq!(fits.len(), max);
    let mut input = Vec::new();
    for line in [
        &fits[..],
        b"{\"id\":\"b\",\"text\":\"call 480-555-0143 tonight, ok ok ok!\"}",
        b"",
        b"{\"id\":\"c\",\"text\":\"(480) 555-0144\"}",
        &[b'x'; 500][..],
        b"not json",
        b"{\"id\":\"d\",\"text\":\"480.555.0145\"}",
    ] {
        input.extend_from_slice(line);
        input.push(b'\n');
    }
    input.extend_from_slice(&[b' '; 61]);
    input.extend_from_slice(
        b"\n{\"id\":\"e\",\"text\":\"a last line, long enough to be cut 480 555 0146\"}",
    );
    let (kept, long) = without_long_lines(&input, max);
    assert_eq!(long, [2, 5, 8, 9]);
    let expected = oracle_run(&kept, &Options::default());
    let mut expected_errors = String::new();
    let mut kept_errors = String::from_utf8(expected.1).expect("utf8").into_lines();
    for line_no in 1..=9 {
        if long.contains(&line_no) {
            expected_errors.push_str(&format!(
                "line {line_no}: longer than the line limit of {max} bytes\n"
            ));
        } else if line_no == 6 {
            // `not json`: its number in the full input.
            let e = kept_errors.next().expect("one error");
            expected_errors.push_str(&e.replacen("line 4:", "line 6:", 1));
            expected_errors.push('\n');
        }
    }
    for capacity in [1, 2, 7, 16, 54, 55, 56, 57, 64, 1 << 16] {
        let reader = std::io::BufReader::with_capacity(capacity, &input[..]);
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let s = run_with_progress(reader, &mut out, &mut err, &Options::default(), max, |_| {})
            .expect("in memory");
        assert_eq!(
            String::from_utf8_lossy(&out),
            String::from_utf8_lossy(&expected.0),
            "capacity {capacity}"
        );
        assert_eq!(
            String::from_utf8_lossy(&err),
            expected_errors,
            "capacity {capacity}"
        );
        let summary = Summary {
            read: expected.2.read + 4,
            written: expected.2.written,
            skipped: expected.2.skipped + 4,
            bytes: input.len() as u64,
        };
        assert_eq!(s, summary, "capacity {capacity}");
    }
}

trait IntoLines {
    fn into_lines(self) -> std::vec::IntoIter<String>;
}

impl IntoLines for String {
    fn into_lines(self) -> std::vec::IntoIter<String> {
        self.lines()
            .map(str::to_owned)
            .collect::<Vec<_>>()
            .into_iter()
    }
}

/// A line far longer than the limit streams through: it is counted and dropped as it is read,
/// and the line after it is read as usual.
#[test]
fn a_huge_line_is_dropped_as_it_streams() {
    use std::io::Read;
    let huge = std::io::repeat(b'a').take(64 << 20);
    let rest = &b"\n{\"id\":\"after\",\"text\":\"480-555-0142\"}\n"[..];
    let reader = std::io::BufReader::with_capacity(1 << 16, huge.chain(rest));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let s = run_with_progress(
        reader,
        &mut out,
        &mut err,
        &Options::default(),
        1024,
        |_| {},
    )
    .expect("in memory");
    assert_eq!(
        String::from_utf8_lossy(&err),
        "line 1: longer than the line limit of 1024 bytes\n"
    );
    let out = String::from_utf8(out).expect("utf8");
    assert!(
        out.starts_with("{\"id\":\"after\",\"phones\":[\"+14805550142\"]"),
        "{out}"
    );
    assert_eq!((s.read, s.written, s.skipped), (2, 1, 1));
    assert_eq!(s.bytes, (64 << 20) + rest.len() as u64);
}

/// `read_line_limited` reads what `read_until` reads for lines within the limit, and drops
/// the others whole, whatever the reader's buffer.
#[test]
fn read_line_limited_matches_read_until_within_the_limit() {
    use super::{read_line_limited, LimitedLine};
    use std::io::BufRead;
    let input = b"short\n\nexactly ten\r\nthis one is too long\nlast, no newline";
    for capacity in [1, 3, 8, 64] {
        let mut reader = std::io::BufReader::with_capacity(capacity, &input[..]);
        let mut buf = Vec::new();
        let mut seen = Vec::new();
        loop {
            let (found, n) = read_line_limited(&mut reader, &mut buf, 15).expect("in memory");
            if found == LimitedLine::End {
                assert_eq!(n, 0);
                break;
            }
            seen.push((found, n, String::from_utf8_lossy(&buf).into_owned()));
        }
        let mut plain = std::io::BufReader::new(&input[..]);
        let mut expected = Vec::new();
        loop {
            let mut line = Vec::new();
            let n = plain.read_until(b'\n', &mut line).expect("in memory");
            if n == 0 {
                break;
            }
            let content = line.strip_suffix(b"\n").unwrap_or(&line).len();
            expected.push(if content > 15 {
                (LimitedLine::TooLong, n as u64, String::new())
            } else {
                (
                    LimitedLine::Line,
                    n as u64,
                    String::from_utf8_lossy(&line).into_owned(),
                )
            });
        }
        assert_eq!(seen, expected, "capacity {capacity}");
        assert_eq!(
            expected
                .iter()
                .filter(|e| e.0 == LimitedLine::TooLong)
                .count(),
            2
        );
    }
}

/// The buffers a huge line grew are dropped once its result is handed over; those of usual
/// lines are kept for the next line.
#[test]
fn buffers_grown_by_a_huge_line_are_dropped() {
    let opts = Options::default();
    let mut scratch = Scratch::default();
    let usual = b"{\"id\":\"a\",\"text\":\"$150 hh, call 480-555-0142\"}\n";
    let mut handed_out = Vec::new();
    let mut spill = write::Spill {
        output: &mut handed_out,
        error: None,
    };
    process_line(usual, &opts, &mut scratch, &mut spill).expect("valid");
    let kept = scratch.out.capacity();
    scratch.out.clear();
    scratch.shrink();
    assert_eq!(scratch.out.capacity(), kept);
    assert!(scratch.extraction.prices.capacity() > 0);

    let huge = format!(
        "{{\"id\":\"b\",\"text\":\"{}\"}}\n",
        "$150 ".repeat(200_000)
    );
    process_line(huge.as_bytes(), &opts, &mut scratch, &mut spill).expect("valid");
    // The record (about 25 MB) was handed out in parts: the buffer never held it whole.
    assert!(handed_out.len() > 20 << 20, "{}", handed_out.len());
    assert!(
        scratch.out.capacity() < 4 << 20,
        "{}",
        scratch.out.capacity()
    );
    assert_eq!(scratch.extraction.prices.len(), 200_000);
    scratch.out.clear();
    scratch.shrink();
    assert_eq!(scratch.out.capacity(), 0);
    assert_eq!(scratch.extraction.prices.capacity(), 0);
    assert_eq!(scratch.spans.capacity(), 0);
}
