//! Properties over arbitrary text: no panics, spans on char boundaries, idempotent output.

use proptest::prelude::*;
use vigil_ident::{extract, extract_into, extract_without_raw, Extraction, Options};

fn check_spans(text: &str) {
    let ex = extract(text, &Options::default());
    let spans = ex
        .phones
        .iter()
        .flat_map(|p| p.occurrences.iter().map(|o| o.span.clone()))
        .chain(ex.emails.iter().map(|e| e.span.clone()))
        .chain(ex.handles.iter().map(|h| h.span.clone()))
        .chain(ex.wallets.iter().map(|w| w.span.clone()))
        .chain(ex.ages.iter().map(|a| a.span.clone()))
        .chain(ex.prices.iter().map(|p| p.span.clone()));
    for s in spans {
        assert!(
            s.start <= s.end && s.end <= text.len(),
            "span {s:?} outside text"
        );
        assert!(
            text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
            "span {s:?} splits a char"
        );
    }
    for p in &ex.phones {
        let again = extract(&p.e164, &Options::default());
        assert_eq!(again.phones.len(), 1, "{} re-extracts", p.e164);
        assert_eq!(again.phones[0].e164, p.e164);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_unicode_never_panics(text in "\\PC{0,200}") {
        check_spans(&text);
    }

    #[test]
    fn phone_like_soup_keeps_spans_valid(
        text in "([0-9]{1,4}|[ .\\-/()+|~]|four|eight|oh|o|l|for|to|zer0|y|forty|cincuenta|\u{20e3}|\u{fe0f}|４|𝟒|⓪|❶|٤|🔟|\\$|hh|#|@|at|dot|com|\\[dot\\]|\\(at\\)|👻|me|is|kik|ig|signal|qv|double|00|44|\\$\\$){0,60}"
    ) {
        check_spans(&text);
    }

    /// Extracting into a reused value gives what a fresh extraction gives, whatever the value
    /// held before.
    #[test]
    fn reused_extraction_equals_a_fresh_one(
        first in "([0-9]{1,4}|[ .\\-()+]|four|oh|call|480 555 0142|702.555.0199|a@b.com|IG: @jo|\\$150|age 21){0,30}",
        second in "([0-9]{1,4}|[ .\\-()+]|four|oh|call|480 555 0142|702.555.0199|a@b.com|IG: @jo|\\$150|age 21){0,30}",
    ) {
        let mut reused = Extraction::default();
        extract_into(&first, &Options::default(), &mut reused);
        extract_into(&second, &Options::default(), &mut reused);
        prop_assert_eq!(reused, extract_without_raw(&second, &Options::default()));
    }

    #[test]
    fn valid_numbers_round_trip(npa in 200u32..1000, ex in 200u32..1000, line in 0u32..10000) {
        let text = format!("call {npa}-{ex}-{line:04} now");
        check_spans(&text);
    }
}

#[test]
fn huge_digit_runs_and_long_lines_complete() {
    let digits = "4805550142".repeat(1000) + "7";
    check_spans(&digits);
    let soup: String = (0..200_000)
        .map(|i| ["4", " ", "oh", "-", "𝟒", "five", "x"][i % 7])
        .collect();
    check_spans(&soup);
}

#[test]
fn ten_megabyte_line_completes() {
    let unit = "Sweet girl 480 555 0142, IG: @jane, $150hh, 34-24-36, age 21, four eight zero ";
    let text = unit.repeat(10 * 1024 * 1024 / unit.len() + 1);
    let ex = extract(&text, &Options::default());
    assert_eq!(ex.phones[0].e164, "+14805550142");
}
