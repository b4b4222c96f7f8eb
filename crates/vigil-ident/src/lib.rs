//! Identifier extraction: turns free text into normalised, validated selectors with spans.
//!
//! One call, [`extract`], runs every extractor over one text and returns typed hits whose spans
//! are byte ranges in the original text. [`jsonl::run`] drives it over JSON Lines for
//! `vigil extract`. Web links are found by [`url::find`]. Nothing here touches the filesystem,
//! network or clock.
//!
//! Phone pipeline (design doc `ads-and-identifiers.md` §4), all linear in the text length:
//! `fold` (keycaps, NFKC per code point, a UCD decimal-digit table, lowercase; one ASCII unit
//! per output byte with its original byte range) → `strip` (one linear-time regex pass for
//! cards, dates, times, measurements, prices, ages, IDs; e-mails, handles and wallets are masked
//! too) → `phone` (tokens to digit groups through `words`: number words in English and
//! Spanish, teens/tens, leetspeak, homophones, one-edit typos, look-alikes, repeat words inside
//! a number (`double five`, `triple siete`), hundreds (`seven hundred two`, `setecientos dos`);
//! clusters across at most two words; left-first segmentation) → `region` (validation).
//!
//! Validation uses NANP rules for +1 and, elsewhere, a table generated from libphonenumber
//! metadata (calling code, trunk prefix, general national-number pattern, possible lengths;
//! `tools/gen_regions.py`) instead of the `phonenumber` crate: a smaller dependency tree and a
//! lazily compiled pattern per region actually used. It checks the general pattern, not the
//! per-type (mobile, fixed) patterns libphonenumber's `is_valid_number` uses.
//!
//! A number is read with its calling code after `+`, `wa.me/`, `phone=` or the international
//! (IDD) prefix of the default or a candidate region (`011` from NANP, `00` from most others;
//! generated from the same metadata), and a trunk prefix written after the calling code
//! (`+44 (0)20 …`) is dropped as libphonenumber does. A span runs from the first to the last
//! digit, widened to a `+` and an opening `(` written just before it. The pre-2019 Mexican
//! mobile form `+52 1 55 …` is read as `+52 55 …` (libphonenumber no longer validates it).

mod dedup;
mod digit_table;
pub mod email;
mod fold;
pub mod handle;
pub mod jsonl;
pub mod phone;
pub mod price_age;
mod punycode;
mod region;
mod region_table;
mod strip;
mod swar;
mod tld_table;
pub mod url;
pub mod wallet;
mod word_char;
mod words;

use std::cell::RefCell;
use std::ops::Range;

pub use email::EmailHit;
pub use handle::{HandleHit, HandleKind};
pub use phone::{Occurrence, PhoneHit, PhoneKind, PhoneKinds};
pub use price_age::{AgeHit, PriceHit};
pub use region::{is_known_region, parse_region, RegionError};
pub use url::UrlHit;
pub use wallet::{WalletChain, WalletHit};

/// What [`extract`] needs to know besides the text.
#[derive(Clone, Debug)]
pub struct Options {
    /// ISO 3166 alpha-2 region used for numbers written without a country code ("US").
    pub default_region: String,
    /// Further regions tried, in order, when a national number does not validate in the default.
    pub candidate_regions: Vec<String>,
    /// Prices outside this inclusive range are not reported (they are still kept out of phones).
    pub price_range: (u32, u32),
}

impl Default for Options {
    fn default() -> Self {
        Self {
            default_region: "US".to_owned(),
            candidate_regions: Vec::new(),
            price_range: (20, 5_000),
        }
    }
}

impl Options {
    /// The same options with another default region (a per-record hint).
    pub fn with_region(&self, region: &str) -> Self {
        Self {
            default_region: region.to_ascii_uppercase(),
            ..self.clone()
        }
    }
}

/// Everything found in one text. Hits are in order of appearance; phones, e-mails, handles and
/// wallets are de-duplicated by normalised value (the first span is kept).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Extraction {
    pub phones: Vec<PhoneHit>,
    pub emails: Vec<EmailHit>,
    pub handles: Vec<HandleHit>,
    pub wallets: Vec<WalletHit>,
    pub ages: Vec<AgeHit>,
    pub prices: Vec<PriceHit>,
    /// Web links (`http(s)://…`, `www.…`).
    pub urls: Vec<UrlHit>,
    /// True when at least one phone number was obfuscated (design doc §1, indicator A1).
    pub obfuscated: bool,
}

/// Runs every extractor over `text`. Never panics; linear in the length of `text`.
pub fn extract(text: &str, opts: &Options) -> Extraction {
    let mut ex = extract_without_raw(text, opts);
    fill_raw(text, &mut ex);
    ex
}

/// [`extract`] without copying the original text into each hit: every `raw` field is empty
/// (callers that only need values and spans save one allocation per hit).
pub fn extract_without_raw(text: &str, opts: &Options) -> Extraction {
    let mut ex = Extraction::default();
    extract_into(text, opts, &mut ex);
    ex
}

/// [`extract_without_raw`] into `out`, replacing what it held and reusing its buffers (the
/// phone hits' strings and vectors): for callers that extract many texts in a row and are done
/// with each result before the next.
pub fn extract_into(text: &str, opts: &Options, out: &mut Extraction) {
    let region = region::Region::lookup(&opts.default_region).unwrap_or_else(region::Region::us);
    let candidates: Vec<region::Region> = opts
        .candidate_regions
        .iter()
        .filter_map(|r| region::Region::lookup(r))
        .collect();
    thread_local! {
        static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
    }
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => extract_with(text, opts, region, &candidates, &mut scratch, out),
        Err(_) => extract_with(
            text,
            opts,
            region,
            &candidates,
            &mut Scratch::default(),
            out,
        ),
    })
}

/// Buffers reused by [`extract`] on one thread.
#[derive(Default)]
struct Scratch {
    folded: fold::Folded,
    phone: phone::PhoneScratch,
    /// Folded-unit ranges kept out of phone matching.
    mask: Vec<(usize, usize)>,
    /// The strip pass's finds; its prices and ages are swapped into the result, whose previous
    /// vectors come back here to be refilled by the next text.
    stripped: strip::Stripped,
}

fn extract_with(
    text: &str,
    opts: &Options,
    region: region::Region,
    candidates: &[region::Region],
    scratch: &mut Scratch,
    out: &mut Extraction,
) {
    let Scratch {
        folded,
        phone: phone_scratch,
        mask,
        stripped,
    } = scratch;
    folded.refill(text);
    strip::strip_into(folded, opts.price_range, stripped);
    out.wallets = wallet::find(text);
    out.emails = email::find_with(text, folded.fullwidth_email_signs, folded.spaced_letters);
    out.handles = handle::find_with(
        text,
        &out.emails,
        &out.wallets,
        folded.east_asian,
        folded.snapchat_ghost,
        folded.spaced_letters,
    );
    // Digits inside e-mails, handles and wallets are not phone digits ("jane_synth8668").
    let identifier_spans = out
        .emails
        .iter()
        .map(|e| &e.span)
        .chain(out.handles.iter().map(|h| &h.span))
        .chain(out.wallets.iter().map(|w| &w.span));
    let phone_mask = folded.merged_mask(&stripped.mask, identifier_spans, mask);
    phone::find(
        folded,
        phone_mask,
        region,
        candidates,
        phone_scratch,
        &mut out.phones,
    );
    phone::include_marks(text, &mut out.phones);
    folded.shrink();
    phone_scratch.shrink();
    out.obfuscated = out.phones.iter().any(|p| p.obfuscated);
    std::mem::swap(&mut out.ages, &mut stripped.ages);
    std::mem::swap(&mut out.prices, &mut stripped.prices);
    // After the swaps: what `stripped` holds now is the last text's, kept for its buffers.
    if mask.capacity().max(stripped.mask.capacity()) > 1 << 16 {
        release(mask, stripped);
    }
    out.urls = url::find(text);
}

/// Frees the masks a huge text grew (cold: only such a text gets here).
#[cold]
#[inline(never)]
fn release(mask: &mut Vec<(usize, usize)>, stripped: &mut strip::Stripped) {
    *mask = Vec::new();
    *stripped = strip::Stripped::default();
}

/// Copies the original text at every hit's span into its `raw` field.
fn fill_raw(text: &str, ex: &mut Extraction) {
    let raw = |s: &Span| text.get(s.clone()).unwrap_or_default().to_owned();
    for p in &mut ex.phones {
        p.raw = raw(&p.span);
        for o in &mut p.occurrences {
            o.raw = raw(&o.span);
        }
    }
    for e in &mut ex.emails {
        e.raw = raw(&e.span);
    }
    for h in &mut ex.handles {
        h.raw = raw(&h.span);
    }
    for w in &mut ex.wallets {
        w.raw = raw(&w.span);
    }
    for a in &mut ex.ages {
        a.raw = raw(&a.span);
    }
    for p in &mut ex.prices {
        p.raw = raw(&p.span);
    }
    for u in &mut ex.urls {
        u.raw = raw(&u.span);
    }
}

/// A byte range in the original text.
pub type Span = Range<usize>;
