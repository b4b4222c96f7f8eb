//! Fuzz target: `extract` never panics or hangs (libFuzzer's `-timeout`), and what it returns
//! holds together whatever the input:
//! - every span lies inside the text, on char boundaries, and `raw` is the text at that span;
//! - every phone is `+` and 6 to 19 digits (a calling code and a national length of the
//!   region table: the shortest make 6, the longest 19), and its first occurrence is at its
//!   span;
//! - extracting into a value that held another text's result gives a fresh extraction's result
//!   (the thread's reused buffers carry nothing from one text to the next).
//!
//! The input is two texts: the bytes before the first `0xFF` (no UTF-8 byte) and after it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vigil_ident::{extract, extract_into, extract_without_raw, Extraction, Options, Span};

fuzz_target!(|data: &[u8]| {
    let (first, second) = match data.iter().position(|&b| b == 0xFF) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &data[..0]),
    };
    let (Ok(first), Ok(second)) = (std::str::from_utf8(first), std::str::from_utf8(second)) else {
        return;
    };
    let opts = Options::default();
    let ex = extract(first, &opts);
    check(first, &ex);

    let mut reused = Extraction::default();
    extract_into(second, &opts, &mut reused);
    extract_into(first, &opts, &mut reused);
    assert_eq!(reused, extract_without_raw(first, &opts), "reused buffers changed the result");
});

/// The invariants of one text's result.
fn check(text: &str, ex: &Extraction) {
    let at = |span: &Span, raw: &str| {
        let found = text.get(span.clone());
        assert!(found.is_some(), "span {span:?} outside the text or inside a char");
        assert_eq!(found, Some(raw), "raw differs from the text at {span:?}");
    };
    for p in &ex.phones {
        let digits = p.e164.strip_prefix('+').unwrap_or("");
        assert!(
            (6..=19).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()),
            "phone {:?} is no calling code and national number",
            p.e164
        );
        assert_eq!(p.occurrences.first().map(|o| &o.span), Some(&p.span));
        at(&p.span, &p.raw);
        for o in &p.occurrences {
            at(&o.span, &o.raw);
        }
    }
    for e in &ex.emails {
        at(&e.span, &e.raw);
    }
    for h in &ex.handles {
        at(&h.span, &h.raw);
    }
    for w in &ex.wallets {
        at(&w.span, &w.raw);
    }
    for a in &ex.ages {
        at(&a.span, &a.raw);
    }
    for p in &ex.prices {
        at(&p.span, &p.raw);
    }
    for u in &ex.urls {
        at(&u.span, &u.raw);
    }
}
