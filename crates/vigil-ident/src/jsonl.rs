//! The `vigil extract` contract over JSON Lines: one `{id, text, region?}` object per input
//! line, one result object per output line; malformed lines are reported as `line N: …` on the
//! error stream and skipped, and the run goes on.

use std::io::{self, BufRead, Write};

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::{parse_region, Extraction, Options};

/// Counts of one run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Non-blank input lines.
    pub read: u64,
    pub written: u64,
    pub skipped: u64,
    /// Bytes of input consumed (for throughput reports).
    pub bytes: u64,
}

/// Runs the contract; I/O errors on `input`/`output`/`errors` end the run, bad lines do not.
pub fn run(
    input: impl BufRead,
    output: impl Write,
    errors: impl Write,
    opts: &Options,
) -> Result<Summary, io::Error> {
    run_with_progress(input, output, errors, opts, |_| {})
}

/// [`run`] with a callback invoked every 10,000 lines with the counts so far.
pub fn run_with_progress(
    mut input: impl BufRead,
    mut output: impl Write,
    mut errors: impl Write,
    opts: &Options,
    mut progress: impl FnMut(&Summary),
) -> Result<Summary, io::Error> {
    let mut summary = Summary::default();
    let mut line = Vec::new();
    let mut line_no = 0u64;
    let mut out_buf = Vec::new();
    loop {
        line.clear();
        let n = input.read_until(b'\n', &mut line)?;
        if n == 0 {
            break;
        }
        line_no += 1;
        summary.bytes += n as u64;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        summary.read += 1;
        match process_line(&line, opts, &mut out_buf) {
            Ok(()) => {
                output.write_all(&out_buf)?;
                summary.written += 1;
            }
            Err(what) => {
                writeln!(errors, "line {line_no}: {what}")?;
                summary.skipped += 1;
            }
        }
        if matches!(line_no % 10_000, 0) {
            progress(&summary);
        }
    }
    output.flush()?;
    Ok(summary)
}

/// One input line: only the fields the contract reads; every other field is skipped unparsed.
#[derive(Deserialize)]
struct InLine<'a> {
    #[serde(borrow, default)]
    id: Scalar<'a>,
    #[serde(borrow, default)]
    text: Scalar<'a>,
    #[serde(borrow, default)]
    region: Scalar<'a>,
}

/// A JSON value reduced to what the contract distinguishes.
#[derive(Default)]
enum Scalar<'a> {
    #[default]
    Null,
    Str(Cow<'a, str>),
    Num(serde_json::Number),
    /// Any other type, by name (for the error message).
    Other(&'static str),
}

impl<'de: 'a, 'a> Deserialize<'de> for Scalar<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for V<'a> {
            type Value = Scalar<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Scalar::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Scalar::Str(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(Scalar::Str(Cow::Owned(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Scalar::Num(v.into()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Scalar::Num(v.into()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
                Ok(serde_json::Number::from_f64(v).map_or(Scalar::Other("number"), Scalar::Num))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Scalar::Other("boolean"))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Scalar::Null)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<Self::Value, A::Error> {
                while a.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(Scalar::Other("array"))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<Self::Value, A::Error> {
                while a
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(Scalar::Other("object"))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

impl Scalar<'_> {
    fn type_name(&self) -> &'static str {
        match self {
            Scalar::Null => "null",
            Scalar::Str(_) => "string",
            Scalar::Num(_) => "number",
            Scalar::Other(t) => t,
        }
    }
}

impl Serialize for Scalar<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Scalar::Str(v) => s.serialize_str(v),
            Scalar::Num(n) => n.serialize(s),
            _ => s.serialize_unit(),
        }
    }
}

/// Validates one input line and serialises its result (with trailing newline) into `out`.
fn process_line(line: &[u8], opts: &Options, out: &mut Vec<u8>) -> Result<(), String> {
    let text = std::str::from_utf8(line)
        .map_err(|e| format!("invalid UTF-8 at byte {}", e.valid_up_to()))?;
    if !text.trim_start().starts_with('{') {
        return Err(match serde_json::from_str::<serde::de::IgnoredAny>(text) {
            Ok(_) => "expected a JSON object".to_owned(),
            Err(e) => format!("bad JSON: {e}"),
        });
    }
    let input: InLine = serde_json::from_str(text).map_err(|e| format!("bad JSON: {e}"))?;
    match &input.id {
        Scalar::Str(_) | Scalar::Num(_) => {}
        Scalar::Null => return Err("missing field `id`".to_owned()),
        other => {
            return Err(format!(
                "field `id` must be a string or a number, not {}",
                other.type_name()
            ))
        }
    }
    let body = match &input.text {
        Scalar::Str(s) => s.as_ref(),
        Scalar::Null => return Err("missing field `text`".to_owned()),
        other => {
            return Err(format!(
                "field `text` must be a string, not {}",
                other.type_name()
            ))
        }
    };
    let region_opts;
    let opts = match &input.region {
        Scalar::Null => opts,
        Scalar::Str(r) => {
            let code = parse_region(r).map_err(|e| format!("field `region`: {e}"))?;
            region_opts = opts.with_region(&code);
            &region_opts
        }
        other => {
            return Err(format!(
                "field `region` must be a string, not {}",
                other.type_name()
            ))
        }
    };
    // Spans are written from `body` directly, so the hits' own `raw` copies are not needed.
    let ex = crate::extract_without_raw(body, opts);
    out.clear();
    Record::new(&input.id, body, &ex)
        .write_json(out)
        .map_err(|e| format!("cannot serialise result: {e}"))?;
    out.push(b'\n');
    Ok(())
}

#[derive(Serialize)]
struct Record<'a> {
    id: &'a Scalar<'a>,
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
    /// Under 18: priority human review.
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
    tricks: Option<Tricks>,
}

/// A phone occurrence's tricks, written as an array of their names without collecting them.
struct Tricks(crate::PhoneKinds);

impl Serialize for Tricks {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(crate::PhoneKind::as_str))
    }
}

impl<'a> Record<'a> {
    fn new(id: &'a Scalar<'a>, text: &'a str, ex: &'a Extraction) -> Self {
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
                    tricks: Some(Tricks(o.kinds)),
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
            spans.push(plain(
                "handle",
                Cow::Owned(format!("{}:{}", h.platform, h.handle)),
                &h.span,
                false,
            ));
        }
        for w in &ex.wallets {
            spans.push(plain("wallet", Cow::Borrowed(&w.address), &w.span, false));
        }
        for a in &ex.ages {
            spans.push(plain("age", Cow::Owned(a.age.to_string()), &a.span, false));
        }
        for p in &ex.prices {
            spans.push(plain(
                "price",
                Cow::Owned(p.amount.to_string()),
                &p.span,
                false,
            ));
        }
        for u in &ex.urls {
            spans.push(plain("url", Cow::Borrowed(&u.url), &u.span, false));
        }
        spans.sort_by_key(|s| (s.start, s.end));
        Record {
            id,
            phones: ex.phones.iter().map(|p| p.e164.as_str()).collect(),
            urls: ex.urls.iter().map(|u| u.url.as_str()).collect(),
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
                    currency: p.currency.as_deref(),
                    unit: p.unit.as_deref(),
                })
                .collect(),
            obfuscated: ex.obfuscated,
            spans,
        }
    }
}

/// A hand-written JSON writer for [`Record`], byte for byte what its `Serialize` derive gives
/// through `serde_json` (tested below) without the per-field serializer machinery.
impl Record<'_> {
    fn write_json(&self, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
        out.extend_from_slice(b"{\"id\":");
        match self.id {
            Scalar::Str(v) => json_str(out, v)?,
            other => serde_json::to_writer(&mut *out, other)?,
        }
        out.extend_from_slice(b",\"phones\":");
        json_str_list(out, &self.phones)?;
        out.extend_from_slice(b",\"emails\":");
        json_str_list(out, &self.emails)?;
        out.extend_from_slice(b",\"handles\":[");
        for (k, h) in self.handles.iter().enumerate() {
            out.extend_from_slice(if k == 0 {
                b"{\"platform\":"
            } else {
                b",{\"platform\":"
            });
            json_str(out, h.platform)?;
            out.extend_from_slice(b",\"handle\":");
            json_str(out, h.handle)?;
            out.extend_from_slice(b",\"kind\":");
            json_str(out, h.kind)?;
            out.push(b'}');
        }
        out.extend_from_slice(b"],\"wallets\":[");
        for (k, w) in self.wallets.iter().enumerate() {
            out.extend_from_slice(if k == 0 {
                b"{\"chain\":"
            } else {
                b",{\"chain\":"
            });
            json_str(out, w.chain)?;
            out.extend_from_slice(b",\"address\":");
            json_str(out, w.address)?;
            out.extend_from_slice(b",\"checksum\":");
            json_str(out, w.checksum)?;
            out.push(b'}');
        }
        out.extend_from_slice(b"],\"ages\":[");
        for (k, a) in self.ages.iter().enumerate() {
            out.extend_from_slice(if k == 0 { b"{\"age\":" } else { b",{\"age\":" });
            json_uint(out, u64::from(a.age));
            out.extend_from_slice(b",\"minor\":");
            json_bool(out, a.minor);
            out.push(b'}');
        }
        out.extend_from_slice(b"],\"prices\":[");
        for (k, p) in self.prices.iter().enumerate() {
            out.extend_from_slice(if k == 0 {
                b"{\"amount\":"
            } else {
                b",{\"amount\":"
            });
            json_uint(out, u64::from(p.amount));
            out.extend_from_slice(b",\"currency\":");
            json_opt_str(out, p.currency)?;
            out.extend_from_slice(b",\"unit\":");
            json_opt_str(out, p.unit)?;
            out.push(b'}');
        }
        out.extend_from_slice(b"],\"urls\":");
        json_str_list(out, &self.urls)?;
        out.extend_from_slice(b",\"obfuscated\":");
        json_bool(out, self.obfuscated);
        out.extend_from_slice(b",\"spans\":[");
        for (k, sp) in self.spans.iter().enumerate() {
            out.extend_from_slice(if k == 0 {
                b"{\"kind\":"
            } else {
                b",{\"kind\":"
            });
            json_str(out, sp.kind)?;
            out.extend_from_slice(b",\"value\":");
            json_str(out, &sp.value)?;
            out.extend_from_slice(b",\"start\":");
            json_uint(out, sp.start as u64);
            out.extend_from_slice(b",\"end\":");
            json_uint(out, sp.end as u64);
            out.extend_from_slice(b",\"raw\":");
            json_str(out, sp.raw)?;
            out.extend_from_slice(b",\"obfuscated\":");
            json_bool(out, sp.obfuscated);
            if let Some(Tricks(kinds)) = &sp.tricks {
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
        }
        out.extend_from_slice(b"]}");
        Ok(())
    }
}

/// A JSON string: verbatim between quotes when nothing needs escaping, else `serde_json`'s
/// own escaping (so both paths give its exact bytes).
fn json_str(out: &mut Vec<u8>, s: &str) -> Result<(), serde_json::Error> {
    let needs_escape = s.bytes().fold(false, |acc, b| {
        acc | (b < 0x20) | (b == b'"') | (b == b'\\')
    });
    if needs_escape {
        return serde_json::to_writer(&mut *out, s);
    }
    out.reserve(s.len() + 2);
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
    Ok(())
}

fn json_opt_str(out: &mut Vec<u8>, s: Option<&str>) -> Result<(), serde_json::Error> {
    match s {
        Some(s) => json_str(out, s),
        None => {
            out.extend_from_slice(b"null");
            Ok(())
        }
    }
}

fn json_str_list(out: &mut Vec<u8>, list: &[&str]) -> Result<(), serde_json::Error> {
    out.push(b'[');
    for (k, s) in list.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        json_str(out, s)?;
    }
    out.push(b']');
    Ok(())
}

fn json_bool(out: &mut Vec<u8>, b: bool) {
    out.extend_from_slice(if b { b"true" } else { b"false" });
}

fn json_uint(out: &mut Vec<u8>, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[at..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// The hand-written writer gives exactly the bytes of the `Serialize` derive.
    #[test]
    fn hand_written_json_equals_serde() {
        let texts = [
            "call 480-555-0142 or four eight zero 555 0199, jane@example.com, IG: @Sweet.Jane",
            "$200 roses qv 120 age 21 https://a.example/x?q=\"1\" t.me/+AbCd",
            "btc 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa eth 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
            "tab\there \\ back\u{1}slash ４８０５５５０１４２ ☎ \"480\" 555 0142",
            "",
        ];
        let ids = [
            Scalar::Str(Cow::Borrowed("ad-1")),
            Scalar::Str(Cow::Borrowed("we\"ird\n")),
            Scalar::Num(7.into()),
            Scalar::Num(serde_json::Number::from_f64(1.5).expect("finite")),
        ];
        for text in texts {
            let ex = crate::extract_without_raw(text, &Options::default());
            for id in &ids {
                let record = Record::new(id, text, &ex);
                let mut mine = Vec::new();
                record.write_json(&mut mine).expect("write");
                let serde = serde_json::to_vec(&record).expect("serde");
                assert_eq!(
                    String::from_utf8_lossy(&mine),
                    String::from_utf8_lossy(&serde)
                );
            }
        }
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

    #[test]
    fn good_lines_are_written_and_bad_lines_reported() {
        let input = b"{\"id\":\"a1\",\"text\":\"call 480-555-0142\"}\n\
{\"id\":2,\"text\":5}\n\
not json\n\
{\"text\":\"x\"}\n\
\n\
{\"id\":\"a3\",\"text\":\"x\",\"region\":\"ZZ\"}\n\
{\"id\":\"a4\",\"text\":\"\xff\"}\n\
{\"id\":\"a5\",\"text\":\"07700 900123\",\"region\":\"gb\"}\n";
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
}
