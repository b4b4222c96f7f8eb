//! Fuzz target: `extract` never panics and every span lies on char boundaries of the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let ex = vigil_ident::extract(text, &vigil_ident::Options::default());
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
        assert!(text.get(s.clone()).is_some(), "span {s:?} not on char boundaries");
    }
});
