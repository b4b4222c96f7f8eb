use std::sync::OnceLock;

use proptest::prelude::*;
use regex::Regex;

use super::*;

/// A bracketed dot between two runs of a local part (`jane[dot]doe`).
const BDOT: &str = r"\s*[\[\(\{<]\s*(?:dot|\.)\s*[\]\)\}>]\s*";

/// The regex the scanner replaces, as production compiled it before (with `@` and `.` also
/// allowed inside brackets since, and local parts of runs joined by bracketed dots before a
/// written-out `at`): the reference.
fn reference_regex() -> &'static Regex {
    const DOT: &str = r"(?:\s*\.\s*|\s*[\[\(\{<]\s*(?:dot|\.)\s*[\]\)\}>]\s*|\s+dot\s+)";
    const LABEL: &str = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // Runs joined by bracketed dots only before an `at` that is no bare `@`.
        const RUN: &str = r"[a-z0-9._%+\-]{1,64}";
        const AT_SIGN: &str = r"\s*@\s*";
        const AT_WRITTEN: &str = r"(?:\s*[\[\(\{<]\s*(?:at|@)\s*[\]\)\}>]\s*|\s+at\s+)";
        // Runs before the last start with a letter.
        const LETTERED: &str = r"[a-z][a-z0-9._%+\-]{0,63}";
        let head = format!(r"(?:(?:{LETTERED}{BDOT})*{RUN}{AT_WRITTEN}|{RUN}{AT_SIGN})");
        let pat = format!(r"(?i-u){head}{LABEL}(?:{DOT}{LABEL}){{1,8}}");
        Regex::new(&pat).expect("reference pattern")
    })
}

/// A match's local part, from its start: the runs and bracketed dots (`jane [dot] doe`) as
/// written, and the address part they make (`jane.doe`).
fn reference_local(m: &str) -> Option<(&str, String)> {
    static RE: OnceLock<(Regex, Regex)> = OnceLock::new();
    let (local, dot) = RE.get_or_init(|| {
        let local = format!(r"(?i-u)^[a-z0-9._%+\-]+(?:{BDOT}[a-z0-9._%+\-]+)*");
        (
            Regex::new(&local).expect("local pattern"),
            Regex::new(&format!("(?i-u){BDOT}")).expect("dot pattern"),
        )
    });
    let written = local.find(m)?.as_str();
    Some((written, dot.replace_all(written, ".").into_owned()))
}

/// `find` as it was when the regex did the matching.
fn reference_find(text: &str) -> Vec<EmailHit> {
    let mut out: Vec<EmailHit> = Vec::new();
    if !may_hold_email_bytewise(text.as_bytes()) {
        return out;
    }
    for m in reference_regex().find_iter(text) {
        let Some(hit) = reference_validate(m.start(), m.as_str()) else {
            continue;
        };
        if text.as_bytes().get(hit.span.end) == Some(&b'/') {
            continue;
        }
        if !out.iter().any(|h| h.address == hit.address) {
            out.push(hit);
        }
    }
    if out.is_empty() {
        out = reference_dotless(text);
    }
    reference_amend(text, &mut out);
    out
}

/// A letter or combining diacritic of the spaced scripts `intl` reads (as a regex
/// class: Unicode properties, not `char` methods).
const WORD_CHAR: &str = r"[[\x{80}-\x{58F}\x{1E00}-\x{1EFF}]&&[\p{Alphabetic}\x{300}-\x{36F}]]";

/// `intl::amend` as it is specified, with regexes: hits next to a [`WORD_CHAR`] go; then at
/// every `@`, the longest run of local-part characters before it and of labels after it,
/// validated as `intl` says, kept unless it overlaps a hit or repeats an address.
fn reference_amend(text: &str, out: &mut Vec<EmailHit>) {
    static RE: OnceLock<[Regex; 4]> = OnceLock::new();
    let [before, after, local_re, domain_re] = RE.get_or_init(|| {
        let label = format!(r"(?:[a-zA-Z0-9\-]|{WORD_CHAR})+");
        [
            format!("{WORD_CHAR}$"),
            format!("^{WORD_CHAR}"),
            format!(r"(?:[a-zA-Z0-9._%+\-]|{WORD_CHAR})+$"),
            format!(r"^{label}(?:\.{label}){{0,8}}"),
        ]
        .map(|pattern| Regex::new(&pattern).expect("intl pattern"))
    });
    out.retain(|h| !before.is_match(&text[..h.span.start]) && !after.is_match(&text[h.span.end..]));
    let kept = out.len();
    for (at, _) in text.match_indices('@') {
        let (Some(local), Some(domain)) =
            (local_re.find(&text[..at]), domain_re.find(&text[at + 1..]))
        else {
            continue;
        };
        let local = local.as_str();
        if local.len() > 64 || !is_valid_local(local) {
            continue;
        }
        let Some(mut labels) = domain
            .as_str()
            .split('.')
            .map(|label| intl::ascii_label(label).map(|ascii| (label, ascii)))
            .collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        while labels.len() >= 2 && !is_tld(&labels[labels.len() - 1].1) {
            labels.pop();
        }
        let written: Vec<&str> = labels.iter().map(|(label, _)| *label).collect();
        let domain: Vec<&str> = labels.iter().map(|(_, ascii)| ascii.as_str()).collect();
        let (start, end) = (at - local.len(), at + 1 + written.join(".").len());
        let domain = domain.join(".");
        if labels.len() < 2 || domain.len() > 253 || text[start..end].is_ascii() {
            continue;
        }
        let address = format!(
            "{}@{domain}",
            unicode_normalization::UnicodeNormalization::nfc(local).collect::<String>()
        );
        let overlaps = out.iter().any(|h| h.span.start < end && start < h.span.end);
        if text.as_bytes().get(end) != Some(&b'/')
            && !overlaps
            && !out.iter().any(|h| h.address == address)
        {
            out.push(EmailHit {
                span: start..end,
                raw: String::new(),
                address,
                obfuscated: false,
            });
        }
    }
    for hit in reference_written_out(text) {
        let overlaps = out
            .iter()
            .any(|h| h.span.start < hit.span.end && hit.span.start < h.span.end);
        if text.as_bytes().get(hit.span.end) != Some(&b'/')
            && !overlaps
            && !out.iter().any(|h| h.address == hit.address)
        {
            out.push(hit);
        }
    }
    if out.len() > kept {
        out.sort_by_key(|h| h.span.start);
    }
}

/// `intl`'s written-out reading as specified, with regexes: the reference's matches over the
/// text with every [`WORD_CHAR`] written as the first placeholder capital the text lacks (as
/// many as the letter has bytes), kept when written out or spaced, with a [`WORD_CHAR`] in the
/// local part as written in the text and none in the rest of the span; the address is that
/// local part with its bracketed dots as `.` (NFC), `@` and the match's domain.
fn reference_written_out(text: &str) -> Vec<EmailHit> {
    static RE: OnceLock<(Regex, Regex)> = OnceLock::new();
    let (word, dot) = RE.get_or_init(|| {
        (
            Regex::new(WORD_CHAR).expect("word pattern"),
            Regex::new(&format!("(?i-u){BDOT}")).expect("dot pattern"),
        )
    });
    let Some(&mark) = b"QZXJKVWYGHFBPMUCLNRSIE"
        .iter()
        .find(|p| !text.as_bytes().contains(p))
    else {
        return Vec::new();
    };
    let stand_in = word.replace_all(text, |letter: &regex::Captures<'_>| {
        char::from(mark).to_string().repeat(letter[0].len())
    });
    let mut out = Vec::new();
    for m in reference_regex().find_iter(&stand_in) {
        let Some(hit) = reference_validate(m.start(), m.as_str()) else {
            continue;
        };
        let Some((written, _)) = reference_local(&stand_in[hit.span.start..]) else {
            continue;
        };
        // A match that starts or ends inside a letter's placeholders is a piece of a word.
        let local_end = hit.span.start + written.len();
        let (Some(local), Some(rest)) = (
            text.get(hit.span.start..local_end),
            text.get(local_end..hit.span.end),
        ) else {
            continue;
        };
        if !hit.obfuscated || !word.is_match(local) || word.is_match(rest) {
            continue;
        }
        let local = dot.replace_all(local, ".");
        let domain = hit.address.split_once('@').expect("an address").1;
        let address = format!(
            "{}@{domain}",
            unicode_normalization::UnicodeNormalization::nfc(local.as_ref()).collect::<String>()
        );
        out.push(EmailHit { address, ..hit });
    }
    out
}

/// The provider names written without their suffix, found with a regex at the end of every run
/// of local-part bytes (`find` visits the `at` separators instead): part of the reference.
fn reference_dotless(text: &str) -> Vec<EmailHit> {
    const AT: &str = r"(?:\s*@\s*|\s*[\[\(\{<]\s*(?:at|@)\s*[\]\)\}>]\s*|\s+at\s+)";
    const DOT: &str = r"(?:\s*\.\s*|\s*[\[\(\{<]\s*(?:dot|\.)\s*[\]\)\}>]\s*|\s+dot\s+)";
    const LABEL: &str = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(&format!(r"(?i-u)^{AT}({LABEL})({DOT}{LABEL})?")).expect("dotless pattern")
    });
    let local_byte = |b: u8| b.is_ascii_alphanumeric() || b"._%+-".contains(&b);
    let bytes = text.as_bytes();
    let mut out: Vec<EmailHit> = Vec::new();
    for i in 1..=bytes.len() {
        if !local_byte(bytes[i - 1]) || bytes.get(i).is_some_and(|&b| local_byte(b)) {
            continue;
        }
        let Some(c) = re.captures(&text[i..]) else {
            continue;
        };
        if c.get(2).is_some() {
            continue;
        }
        let Some(label) = c.get(1) else { continue };
        let run = bytes[..i]
            .iter()
            .rev()
            .take_while(|&&b| local_byte(b))
            .count();
        let mut start = i - run.min(64);
        // Before an `at` that is no bare `@`, earlier runs joined by bracketed dots, each up to
        // 64 bytes from a letter, while the run before stopped at something else than a 65th
        // byte (or a letter).
        let written_at = text[i..].trim_start().as_bytes().first() != Some(&b'@');
        static JOINED: OnceLock<Regex> = OnceLock::new();
        let joined = JOINED.get_or_init(|| {
            Regex::new(&format!(r"(?i-u)[a-z][a-z0-9._%+\-]{{0,63}}{BDOT}$"))
                .expect("joined pattern")
        });
        while written_at && start > 0 && !local_byte(bytes[start - 1]) {
            let Some(m) = joined.find(&text[..start]) else {
                break;
            };
            start = m.start();
        }
        let label = i + label.start()..i + label.end();
        let Some(hit) = dotless_address(text, start..label.end, label) else {
            continue;
        };
        if text.as_bytes().get(hit.span.end) == Some(&b'/') {
            continue;
        }
        if !out.iter().any(|h| h.address == hit.address) {
            out.push(hit);
        }
    }
    out
}

/// `validate` as it was before it stopped allocating: part of the reference.
fn reference_validate(start: usize, m: &str) -> Option<EmailHit> {
    let bytes = m.as_bytes();
    let (written, joined) = reference_local(m)?;
    let local_end = written.len();
    // Joined runs that make no valid local part: the last run alone, from where it starts.
    let last_run = written.len()
        - written
            .rsplit(|c: char| !c.is_ascii_alphanumeric() && !"._%+-".contains(c))
            .next()
            .map_or(0, str::len);
    let valid =
        |l: &str| !(l.is_empty() || l.starts_with('.') || l.ends_with('.') || l.contains(".."));
    let (local, span_start) = if written != joined && !valid(&joined) {
        (written[last_run..].to_owned(), start + last_run)
    } else {
        (joined, start)
    };
    let written = if span_start == start {
        written
    } else {
        &written[last_run..]
    };
    let local = local.as_str();
    // the `at` separator runs until the first label character
    let mut p = local_end;
    let sep_start = p;
    let mut seen_word = false;
    while p < bytes.len() {
        let b = bytes[p];
        if b.is_ascii_alphanumeric() {
            // "at" inside a word separator
            if !seen_word
                && m[p..].len() >= 2
                && m[p..p + 2].eq_ignore_ascii_case("at")
                && !bytes.contains(&b'@')
            {
                seen_word = true;
                p += 2;
                continue;
            }
            break;
        }
        p += 1;
    }
    let at_form = form_of(&m[sep_start..p]);
    // labels
    let mut labels: Vec<&str> = Vec::new();
    let mut dot_forms: Vec<Form> = Vec::new();
    let rest = &m[p..];
    let mut q = 0;
    let rb = rest.as_bytes();
    loop {
        let ls = q;
        while q < rb.len() && (rb[q].is_ascii_alphanumeric() || rb[q] == b'-') {
            q += 1;
        }
        let label = &rest[ls..q];
        // a bare "dot" word is a separator, not a label
        labels.push(label);
        if q >= rb.len() {
            break;
        }
        let ss = q;
        while q < rb.len() && !rb[q].is_ascii_alphanumeric() {
            q += 1;
        }
        // word separators: " dot "
        let whole_word = rest
            .get(q..q + 3)
            .is_some_and(|w| w.eq_ignore_ascii_case("dot"))
            && rb.get(q + 3).is_some_and(|b| !b.is_ascii_alphanumeric());
        if whole_word && !rest[ss..q].contains('.') {
            q += 3;
            while q < rb.len() && !rb[q].is_ascii_alphanumeric() {
                q += 1;
            }
        }
        dot_forms.push(form_of(&rest[ss..q]));
    }
    // A plain `@` takes only plain or bracketed dots after it (bracketed since), a bare `at` no
    // spaced dots: "a@b.com. Call".
    let cut = match at_form {
        Form::Plain => dot_forms
            .iter()
            .position(|f| matches!(f, Form::Spaced | Form::Word)),
        Form::Word => dot_forms.iter().position(|f| *f == Form::Spaced),
        _ => None,
    };
    if let Some(cut) = cut {
        labels.truncate(cut + 1);
        dot_forms.truncate(cut);
    }
    // Drop trailing labels until the last one is a public suffix ("a@b.com. Call" → b.com).
    while labels.len() >= 2 {
        let tld = labels[labels.len() - 1].to_ascii_lowercase();
        if is_tld(&tld) {
            break;
        }
        labels.pop();
        dot_forms.pop();
    }
    if labels.len() < 2 {
        return None;
    }
    if at_form == Form::Word
        && dot_forms.iter().all(|f| *f == Form::Plain)
        && !MAIL_PROVIDERS.contains(&labels[0].to_ascii_lowercase().as_str())
        && !local.contains(|c: char| c.is_ascii_digit() || "._%+".contains(c))
    {
        return None;
    }
    if at_form == Form::Word && is_object_pronoun(local) {
        return None;
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") || local.is_empty() {
        return None;
    }
    let domain = labels
        .iter()
        .map(|l| l.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join(".");
    if labels
        .iter()
        .any(|l| l.is_empty() || l.starts_with('-') || l.ends_with('-'))
        || domain.len() > 253
    {
        return None;
    }
    // the covered text ends at the last kept label
    let kept_len = {
        let last = labels[labels.len() - 1];
        let offset = last.as_ptr() as usize - rest.as_ptr() as usize;
        p + offset + last.len()
    };
    let obfuscated =
        written != local || at_form != Form::Plain || dot_forms.iter().any(|f| *f != Form::Plain);
    Some(EmailHit {
        raw: String::new(),
        span: span_start..start + kept_len,
        address: format!("{local}@{domain}"),
        obfuscated,
    })
}

/// The definition `may_hold_email` implements, one byte at a time.
fn may_hold_email_bytewise(b: &[u8]) -> bool {
    let lower_at = |i: usize| b.get(i).map(u8::to_ascii_lowercase);
    let space = |c: u8| c.is_ascii_whitespace() || c == 0x0b;
    // A bare `at` between spaces, then a label and a plain dot before a letter or digit, or a
    // provider's name.
    let bare_at = |i: usize| {
        let rest = std::str::from_utf8(&b[i..]).unwrap_or("");
        let at = rest.get(1..3).is_some_and(|w| w.eq_ignore_ascii_case("at"));
        let after = rest.get(3..).unwrap_or("");
        let domain = after.trim_start_matches(|c: char| c.is_ascii() && space(c as u8));
        let label = domain
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(domain.len());
        let dotted = domain[label..].starts_with('.')
            && domain[label + 1..].starts_with(|c: char| c.is_ascii_alphanumeric());
        at && domain.len() < after.len()
            && domain.starts_with(|c: char| c.is_ascii_alphanumeric())
            && (dotted
                || PROVIDER_DOMAINS
                    .iter()
                    .any(|(name, _)| name.eq_ignore_ascii_case(&domain[..label])))
    };
    b.iter().enumerate().any(|(i, &c)| match c {
        c if space(c) => bare_at(i),
        b'@' => true,
        b'd' | b'D' => lower_at(i + 1) == Some(b'o') && lower_at(i + 2) == Some(b't'),
        b'[' | b'(' | b'{' | b'<' => {
            let j = if b.get(i + 1) == Some(&b' ') {
                i + 2
            } else {
                i + 1
            };
            lower_at(j) == Some(b'a') && lower_at(j + 1) == Some(b't')
        }
        _ => false,
    })
}

/// Scanner spans, reference spans.
fn spans(text: &str) -> (Vec<Span>, Vec<Span>) {
    let scanned = scan::matches(text.as_bytes(), &std::cell::Cell::new(false)).collect();
    let reference = reference_regex()
        .find_iter(text)
        .map(|m| m.range())
        .collect();
    (scanned, reference)
}

fn assert_same(text: &str) {
    let (scanned, reference) = spans(text);
    assert_eq!(scanned, reference, "spans of {text:?}");
    assert_eq!(find(text), reference_find(text), "hits of {text:?}");
}

/// Pieces of text around addresses: separators in every form and near-misses, labels, local
/// parts, suffixes and non-suffixes, spaces of every kind, non-ASCII letters, link paths.
const PIECES: &[&str] = &[
    "@",
    " @ ",
    "  @",
    "@ ",
    "@@",
    "[at]",
    " [at] ",
    "(at)",
    "{ at }",
    "<at>",
    "[ at ]",
    "[at)",
    " at ",
    "\tat\n",
    " at",
    "at ",
    "at",
    " at  ",
    "[a t]",
    "(att)",
    ".",
    " . ",
    ". ",
    "..",
    "[dot]",
    " [dot] ",
    "(dot)",
    "{ dot }",
    "<dot>",
    " dot ",
    "\x0bdot\x0c",
    "dot",
    " dot",
    "dot ",
    "[do]",
    "com",
    "org",
    "co",
    "uk",
    "net",
    "io",
    "info",
    "notatld",
    "xn--p1ai",
    "gmail",
    "example",
    "ex-ample",
    "-bad",
    "bad-",
    "a",
    "b1",
    "9",
    "jane",
    "jane.doe",
    "jane..doe",
    ".jane",
    "j_d%x+y-z",
    "mail",
    "me",
    "in",
    "out",
    "wa.me/1480",
    "/",
    "/path",
    " ",
    "  ",
    "\t",
    "\n",
    "\r",
    "\x0b",
    "\x0c",
    ", ",
    "; ",
    "é",
    "ß",
    "josé",
    "bücher",
    "ü",
    "Ж",
    "пример",
    ".рф",
    "de",
    "\u{301}",
    "例",
    "×",
    "日",
    "$",
    "-",
    "_",
    "%",
    "+",
    "'",
    "\"",
    ")",
    "]",
    "}",
    ">",
    "(",
    "[",
    "{",
    "<",
    "text me at ",
    "email: ",
];

/// Words given a random mix of upper and lower case.
const CASED: &[&str] = &["at", "dot", "com", "gmail", "jane", "org", "example"];

fn mixed_case(word: &str, mask: u32) -> String {
    word.chars()
        .enumerate()
        .map(|(i, c)| {
            if mask >> (i % 32) & 1 == 1 {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect()
}

const AT_FORMS: &[&str] = &[
    "@", " @ ", "@ ", " [at] ", "[at]", "(at)", "{ AT }", "<at>", " at ", "\tat\n", " At  ", "at",
    "[at", "[ at )", " @@ ", "[@]", " (@) ", "{ @}", "<@>", "[@", "(@@)",
];
const DOT_FORMS: &[&str] = &[
    ".", " . ", ". ", "..", " [dot] ", "(dot)", "{DOT}", "<dot>", " dot ", "\x0bdot ", "dot",
    "dot ", "Dot\t", " -", "-", " ", "[.]", " (.) ", "{ . }", "<.>", "[..]", "(.",
];

/// A local part, an `at` form and a domain of up to eleven labels joined by `dot` forms: the
/// shape every match has, with its limits (64-byte local part, 63-byte labels, eight dots).
fn address() -> impl Strategy<Value = String> {
    let label = prop_oneof![
        6 => "[a-zA-Z0-9][a-zA-Z0-9-]{0,6}",
        2 => proptest::sample::select(&["com", "org", "io", "uk", "notatld", "dot", "at", "gmail", "Yahoo"][..])
            .prop_map(str::to_owned),
        1 => "[a-z0-9][a-z0-9-]{60,64}",
    ];
    let run = || prop_oneof![4 => "[a-zA-Z0-9._%+-]{1,10}", 1 => "[a-z0-9._]{60,70}"];
    // Mostly one run; now and then more, joined by a dot form (bracketed ones join).
    let local = (
        run(),
        proptest::collection::vec((proptest::sample::select(DOT_FORMS), run()), 0..=2),
    )
        .prop_map(|(first, more)| {
            let mut local = first;
            for (dot, run) in more {
                local.push_str(dot);
                local.push_str(&run);
            }
            local
        });
    (
        local,
        proptest::sample::select(AT_FORMS),
        proptest::collection::vec((proptest::sample::select(DOT_FORMS), label), 1..=11),
    )
        .prop_map(|(local, at, labels)| {
            let mut text = format!("{local}{at}");
            for (k, (dot, label)) in labels.into_iter().enumerate() {
                if k > 0 {
                    text.push_str(dot);
                }
                text.push_str(&label);
            }
            text
        })
}

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => address(),
        6 => proptest::sample::select(PIECES).prop_map(str::to_owned),
        2 => (proptest::sample::select(CASED), any::<u32>()).prop_map(|(w, m)| mixed_case(w, m)),
        2 => "[a-zA-Z0-9._%+-]{1,6}",
        1 => "[a-z0-9]{60,68}",
        1 => "[a-z0-9._]{60,70}",
        1 => "[a-z0-9][a-z0-9-]{58,66}[a-z0-9-]",
        1 => "[ \t\n]{1,4}",
        1 => "[a-z ]{20,70}",
    ]
}

fn text() -> impl Strategy<Value = String> {
    // Up to a few hundred bytes, so that texts cross the scanners' 16- and 64-byte blocks.
    proptest::collection::vec(piece(), 0..40).prop_map(|v| v.concat())
}

fn same_as_reference(text: &str) -> Result<(), TestCaseError> {
    let (scanned, reference) = spans(text);
    prop_assert_eq!(scanned, reference);
    prop_assert_eq!(find(text), reference_find(text));
    Ok(())
}

proptest! {
    /// The scanner's spans and `find`'s hits equal the regex's on generated texts.
    #[test]
    fn scanner_equals_the_regex(text in text()) {
        same_as_reference(&text)?;
    }

    /// The vectorised pre-check says yes exactly when the byte-wise definition does.
    #[test]
    fn pre_check_equals_its_definition(text in "([dDoOtTaA @\\[({<x.\t\x0b1-]{0,8}){0,12}") {
        prop_assert_eq!(
            may_hold_email(text.as_bytes()),
            may_hold_email_bytewise(text.as_bytes())
        );
    }

    /// The candidate mask flags every position that starts a sign, and is empty exactly when
    /// `any_candidate` says no.
    #[test]
    fn candidate_mask_covers_the_signs(text in "[dDoOtTaA @\\[({<`x.\t\x0b1-]{66}") {
        let bytes = text.as_bytes();
        let Ok(window) = <&[u8; 66]>::try_from(bytes) else {
            return Err(TestCaseError::reject("not 66 bytes"));
        };
        let mask = candidate_mask(window);
        prop_assert_eq!(mask != 0, any_candidate(window));
        for k in 0..64 {
            if starts_email_sign(bytes, k) {
                prop_assert!(mask >> k & 1 == 1, "{} at {}", text, k);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300_000))]
    /// Many more cases than CI runs: `cargo test -p vigil-ident --release -- --ignored`.
    #[test]
    #[ignore]
    fn scanner_equals_the_regex_many_cases(text in text()) {
        same_as_reference(&text)?;
    }
}

#[test]
fn edge_cases_equal_the_regex() {
    let long_local = "a".repeat(100);
    let label63 = format!("b{}c", "x".repeat(61));
    let label64 = format!("b{}c", "x".repeat(62));
    let many_dots = "a@b.c.d.e.f.g.h.i.j.k.l.com";
    for text in [
        format!("{long_local}@example.com"),
        format!("x {long_local}@example.com y"),
        long_local.clone(),
        format!("q@{label63}.com"),
        format!("q@{label64}.com"),
        format!("q@a.{label63}.com"),
        format!("q@a.{label64}.com"),
        many_dots.to_owned(),
        "a@b.com.x@y.com".to_owned(),
        "me at home. Call@x.com".to_owned(),
        "x at at gmail.com".to_owned(),
        "foo at@bar.com".to_owned(),
        "jane at gmail.com".to_owned(),
        "jane at gmail dot com dot".to_owned(),
        "jane\x0bat\x0bgmail\x0b.\x0bcom".to_owned(),
        "a@b-.com a@-b.com a@b--c.com".to_owned(),
        "a@b.co-".to_owned(),
        "a [at] b [dot] c [dot]".to_owned(),
        "a(AT)b(Dot)com".to_owned(),
        "a [at b.com".to_owned(),
        "é@b.com ß.x@b.com".to_owned(),
        "jane@b.com.é@x.de josé@bücher.de.x é@b.de@ü.de".to_owned(),
        "a@é.de@b.com é@b.com é@b.com".to_owned(),
        "a @ \n b . c".to_owned(),
        "text me at wa.me/14805550142".to_owned(),
        "rest daily studio room corner move. Good evening call me Vanessa 100% real pics txt only at 971*555*0130 email vanessa.synth3184@example.com. don't forget my specials 200 no rush 28 yrs and fun".to_owned(),
    ] {
        assert_same(&text);
    }
}

/// Inputs that would take quadratic time if a scan went back over what it had read; each is a
/// few megabytes, so a quadratic scan would not finish.
#[test]
fn adversarial_inputs_take_linear_time() {
    let n = 1 << 21;
    for unit in [
        "a@", "at ", "a at ", "a [at] ", "a@b.", "a@b ", "a@b. ", "a.", "@a", " ", "a", "a-",
        "a@b-", "[at", "dot ", "a@b dot ",
    ] {
        let text = unit.repeat(n / unit.len());
        let hits = find(&text);
        assert!(hits.len() <= 1 + text.len() / 4);
    }
    // Smaller ones are also compared with the regex.
    for unit in [
        "a@", "at ", "a [at] ", "a@b.", "a@b dot ", "a.", "a-", "a@b-",
    ] {
        assert_same(&unit.repeat(20_000 / unit.len()));
    }
}

fn addrs(text: &str) -> Vec<(String, bool)> {
    find(text)
        .into_iter()
        .map(|h| (h.address, h.obfuscated))
        .collect()
}

/// `@` and `.` in brackets are written-out separators like `[at]` and `[dot]`, and bracketed
/// dots follow a plain `@` too (spaced or word dots after it still end the address).
#[test]
fn bracketed_signs() {
    for (text, expected) in [
        ("janedoe[@]gmail[.]com", Some("janedoe@gmail.com")),
        (
            "jane.doe (@) yahoo (.) co (.) uk",
            Some("jane.doe@yahoo.co.uk"),
        ),
        ("jane{@}example<.>org", Some("jane@example.org")),
        ("jane[@]example.com", Some("jane@example.com")),
        ("jane@example[.]com", Some("jane@example.com")),
        ("jane [ @ ] example [ . ] com", Some("jane@example.com")),
        ("jane[@@]example[.]com", None),
        ("jane[@]example[..]com", None),
    ] {
        let want: Vec<(String, bool)> =
            expected.map(|a| (a.to_owned(), true)).into_iter().collect();
        assert_eq!(addrs(text), want, "{text}");
        assert_same(text);
    }
}

/// Dots written out between the runs of a local part, in brackets, before an `at` that is
/// written out too: `jane[dot]doe[at]` is `jane.doe@` (it gave `doe@gmail.com`, another
/// mailbox, before). Spaced ` dot ` words do not join, nor does anything before a bare `@`.
#[test]
fn bracketed_dots_in_the_local_part() {
    for (text, expected) in [
        (
            "jane[dot]doe[at]gmail[dot]com",
            Some(("jane.doe@gmail.com", true)),
        ),
        (
            "jane(dot)doe(at)yahoo(dot)com",
            Some(("jane.doe@yahoo.com", true)),
        ),
        (
            "jane [dot] doe [at] gmail [dot] com",
            Some(("jane.doe@gmail.com", true)),
        ),
        (
            "jane[.]doe[@]gmail[.]com",
            Some(("jane.doe@gmail.com", true)),
        ),
        (
            "j{dot}a<.>ne(at)example.com",
            Some(("j.a.ne@example.com", true)),
        ),
        (
            "Jane[DOT]Doe [AT] Gmail.com",
            Some(("Jane.Doe@gmail.com", true)),
        ),
        (
            "jane [.] doe22 at gmail.com",
            Some(("jane.doe22@gmail.com", true)),
        ),
        // a run without a letter joins nothing: a phone's last group stays the phone's
        (
            "call 702 555 0143 [dot] jane [at] gmail [dot] com",
            Some(("jane@gmail.com", true)),
        ),
        (
            "jane[dot]22[dot]doe[at]gmail.com",
            Some(("doe@gmail.com", true)),
        ),
        (
            "12jane[dot]doe[at]gmail.com",
            Some(("jane.doe@gmail.com", true)),
        ),
        // runs that make no local part together (two dots in a row): the last run alone
        ("jane.[dot]doe[at]gmail.com", Some(("doe@gmail.com", true))),
        ("jane [dot] . [at] gmail.com", None),
        // before a bare `@`, a bracketed dot is other text: the last run alone, as before
        ("jane[dot]doe22@gmail.com", Some(("doe22@gmail.com", false))),
        (
            "rose (dot)jane@example[dot]com",
            Some(("jane@example.com", true)),
        ),
        // not a bracketed dot: the last run alone, as before
        (
            "jane dot doe at gmail dot com",
            Some(("doe@gmail.com", true)),
        ),
        (
            "big (.)(.) jane(at)gmail.com",
            Some(("jane@gmail.com", true)),
        ),
        // a provider's name alone, after joined runs
        (
            "jane[dot]doe22 at gmail",
            Some(("jane.doe22@gmail.com", true)),
        ),
    ] {
        let want: Vec<(String, bool)> = expected
            .map(|(a, o)| (a.to_owned(), o))
            .into_iter()
            .collect();
        assert_eq!(addrs(text), want, "{text}");
        assert_same(text);
    }
}

/// A provider's name alone stands for its domain, in a text with no other address; after a
/// bare `at` only for a local part no word has.
#[test]
fn provider_names_without_their_suffix() {
    for (text, expected) in [
        ("email jane22 at gmail", Some("jane22@gmail.com")),
        ("janedoe@gmail", Some("janedoe@gmail.com")),
        ("janedoe @ Yahoo tonight", Some("janedoe@yahoo.com")),
        ("jane [at] hotmail", Some("jane@hotmail.com")),
        ("jane.doe at icloud.", Some("jane.doe@icloud.com")),
        ("x_y at proton!", Some("x_y@proton.me")),
        // Prose, a pronoun, a word that is no provider's name, a link.
        ("call at gmail", None),
        ("email me at gmail", None),
        ("jane22 at home", None),
        ("jane@mysite", None),
        ("jane@gmail/inbox", None),
        ("150 at qq", None),
    ] {
        let want: Vec<(String, bool)> =
            expected.map(|a| (a.to_owned(), true)).into_iter().collect();
        assert_eq!(addrs(text), want, "{text}");
        assert_same(text);
    }
    // With an address in the text, the suffix-less name is not looked for.
    assert_eq!(
        addrs("jane@gmail or bob@example.com"),
        [("bob@example.com".to_owned(), false)]
    );
    let hit = &find("mail jane22 at gmail now")[0];
    assert_eq!(hit.span, 5..20);
}

/// Addresses with letters of spaced scripts are read whole: the local part as written (NFC),
/// the domain in ASCII by punycode; a piece of a word is never an address of its own.
#[test]
fn international_addresses() {
    let read = |text: &str| -> Vec<(String, String)> {
        find(text)
            .into_iter()
            .map(|h| (h.address, text[h.span].to_owned()))
            .collect()
    };
    let one = |address: &str, raw: &str| vec![(address.to_owned(), raw.to_owned())];
    for (text, expected) in [
        (
            "mail josé22@gmail.com now",
            one("josé22@gmail.com", "josé22@gmail.com"),
        ),
        (
            "jane.dóe@gmail.com",
            one("jane.dóe@gmail.com", "jane.dóe@gmail.com"),
        ),
        // Decomposed `é` (e and a combining acute) is stored composed, as typed precomposed.
        (
            "jose\u{301}22@gmail.com",
            one("josé22@gmail.com", "jose\u{301}22@gmail.com"),
        ),
        (
            "jane@bücher.de",
            one("jane@xn--bcher-kva.de", "jane@bücher.de"),
        ),
        (
            "jane@BÜCHER.DE",
            one("jane@xn--bcher-kva.de", "jane@BÜCHER.DE"),
        ),
        (
            "jane@straße.de",
            one("jane@xn--strae-oqa.de", "jane@straße.de"),
        ),
        (
            "иван@пример.рф",
            one("иван@xn--e1afmkfd.xn--p1ai", "иван@пример.рф"),
        ),
        // Trailing labels that are no public suffix are dropped, as for ASCII addresses.
        (
            "josé@bücher.de.Danke",
            one("josé@xn--bcher-kva.de", "josé@bücher.de"),
        ),
        // Emoji and symbols are no letters: the ASCII address stands.
        (
            "💋jane22@gmail.com",
            one("jane22@gmail.com", "jane22@gmail.com"),
        ),
        (
            "×jane22@gmail.com°",
            one("jane22@gmail.com", "jane22@gmail.com"),
        ),
        (
            "²jane22@gmail.com½",
            one("jane22@gmail.com", "jane22@gmail.com"),
        ),
        // Scripts written without spaces run straight into an ASCII address.
        (
            "联系jane22@gmail.com请加",
            one("jane22@gmail.com", "jane22@gmail.com"),
        ),
        // Written out or spaced, with such letters in the local part.
        (
            "email josé at gmail dot com",
            one("josé@gmail.com", "josé at gmail dot com"),
        ),
        (
            "jane.dóe [at] gmail [dot] com",
            one("jane.dóe@gmail.com", "jane.dóe [at] gmail [dot] com"),
        ),
        (
            "maría[dot]lópez(at)gmail(dot)com",
            one("maría.lópez@gmail.com", "maría[dot]lópez(at)gmail(dot)com"),
        ),
        (
            "escríbeme: josé22 at gmail.com",
            one("josé22@gmail.com", "josé22 at gmail.com"),
        ),
        (
            "jose\u{301} @ gmail . com",
            one("josé@gmail.com", "jose\u{301} @ gmail . com"),
        ),
        (
            "иван at yandex dot ru",
            one("иван@yandex.ru", "иван at yandex dot ru"),
        ),
        // Every capital but a few in the text: a placeholder is still free.
        (
            "QZXJKVWYGHFBPMUCLNRSI josé at gmail dot com",
            one("josé@gmail.com", "josé at gmail dot com"),
        ),
    ] {
        assert_eq!(read(text), expected, "{text}");
    }
    for text in [
        // A written-out address with a label in another script is not read, nor a piece of it.
        "jane at bücher dot de",
        "josé at bücher dot de",
        // Nor one in a text that holds every placeholder capital.
        "QZXJKVWYGHFBPMUCLNRSIE josé at gmail dot com",
        // A bare `at` before plain dots after a word with such letters is prose, as after an
        // ASCII word (`pics at mysite.com`).
        "fotos más at mysite.com",
        // A local part too long by a letter's second byte: the longest run would start inside
        // the letter, a piece of a word.
        &format!("é{} at gmail dot com", "a".repeat(63)),
        // The last label runs on: `comé` is no suffix.
        "jane22@gmail.comé",
        // An international reading that would overlap an ASCII hit.
        "jane@b.com.é@x.de",
        // Too long a local part, a label with a hyphen at an end, no suffix.
        &format!("{}é@bücher.de", "a".repeat(64)),
        "josé@-bücher.de",
        "josé@bücher",
    ] {
        let hits = read(text);
        let expected: Vec<(String, String)> = if text.starts_with("jane@b.com") {
            one("jane@b.com", "jane@b.com")
        } else {
            Vec::new()
        };
        assert_eq!(hits, expected, "{text}");
    }
}

/// Many distinct addresses in one text are found in linear time: a scan of the kept ones per
/// hit (as before) took minutes for this text and hours for a 10 MB line.
#[test]
fn many_distinct_addresses() {
    let n = 100_000;
    let ascii: String = (0..n).map(|i| format!("u{i}@b.com ")).collect();
    assert_eq!(find(&ascii).len(), n);
    let intl: String = (0..n).map(|i| format!("é{i}@b.com ")).collect();
    assert_eq!(find(&intl).len(), n);
}

/// Fullwidth `＠` and `．` read as spaced signs; the span is the text's.
#[test]
fn fullwidth_signs() {
    let text = "line jane \u{ff20}: janedoe\u{ff20}gmail\u{ff0e}com ok";
    let hits = find(text);
    assert_eq!(hits.len(), 1);
    assert_eq!(
        (hits[0].address.as_str(), hits[0].obfuscated),
        ("janedoe@gmail.com", true)
    );
    assert_eq!(
        &text[hits[0].span.clone()],
        "janedoe\u{ff20}gmail\u{ff0e}com"
    );
    assert_eq!(
        addrs("jane.doe \u{ff20} yahoo\u{ff0e}co\u{ff0e}uk").len(),
        1
    );
    assert!(addrs("price\u{ff0e}com\u{ff20}").is_empty());
}

#[test]
fn plain_and_written_out_forms() {
    assert_eq!(
        addrs("mail Jane.Doe@Example.COM. Call"),
        [("Jane.Doe@example.com".to_owned(), false)]
    );
    assert_eq!(
        addrs("jane [at] example [dot] com"),
        [("jane@example.com".to_owned(), true)]
    );
    assert_eq!(
        addrs("jane(at)example{dot}org"),
        [("jane@example.org".to_owned(), true)]
    );
    assert_eq!(
        addrs("jane @ example . com"),
        [("jane@example.com".to_owned(), true)]
    );
    assert_eq!(
        addrs("jane at gmail dot com"),
        [("jane@gmail.com".to_owned(), true)]
    );
    assert_eq!(
        addrs("email jane.doe at gmail.com tonight"),
        [("jane.doe@gmail.com".to_owned(), true)]
    );
    assert_eq!(
        addrs("JANE AT Yahoo.co.uk"),
        [("JANE@yahoo.co.uk".to_owned(), true)]
    );
    assert_eq!(
        addrs("jane\tat  protonmail.com"),
        [("jane@protonmail.com".to_owned(), true)]
    );
}

/// A bare `at` before a domain written with plain dots reads as an address only for a mail
/// provider's domain or a local part no word has, and the answer does not depend on an `@` or `dot` elsewhere in the text
/// (the pre-check once let such a match through only when one was there).
#[test]
fn bare_at_with_plain_dots_needs_a_mail_provider() {
    for elsewhere in ["", " ig @jane_ig", " see dot com", " (at) home"] {
        let with = |text: &str| addrs(&format!("{text}{elsewhere}"));
        assert_eq!(
            with("text jane at gmail.com"),
            [("jane@gmail.com".to_owned(), true)],
            "with {elsewhere:?}"
        );
        assert!(
            with("more pics at mysite.com").is_empty(),
            "with {elsewhere:?}"
        );
        assert!(
            with("meet me at hotel.com").is_empty(),
            "with {elsewhere:?}"
        );
        assert!(
            with("pay me at paypal.me tonight").is_empty(),
            "with {elsewhere:?}"
        );
        assert!(with("jane at live.com").is_empty(), "with {elsewhere:?}");
        assert!(
            with("check-in at site.com").is_empty(),
            "with {elsewhere:?}"
        );
        assert_eq!(
            with("lily.synth277 at example.uk"),
            [("lily.synth277@example.uk".to_owned(), true)],
            "with {elsewhere:?}"
        );
        assert_eq!(
            with("jane22 at live.com"),
            [("jane22@live.com".to_owned(), true)],
            "with {elsewhere:?}"
        );
        assert!(
            with("in at 9.30, out at 11").is_empty(),
            "with {elsewhere:?}"
        );
    }
    // Written-out and bracketed forms keep any real suffix, but not a pronoun before a bare
    // `at`.
    assert_eq!(
        addrs("jane at mysite dot com"),
        [("jane@mysite.com".to_owned(), true)]
    );
    assert!(addrs("meet me at hotel dot com").is_empty());
    assert!(addrs("find US at gmail dot com").is_empty());
    assert!(addrs("find us at gmail.com").is_empty());
    assert_eq!(
        addrs("me [at] mysite dot com"),
        [("me@mysite.com".to_owned(), true)]
    );
    assert_eq!(
        addrs("jane [at] mysite.com"),
        [("jane@mysite.com".to_owned(), true)]
    );
    assert_eq!(
        addrs("jane@live.com"),
        [("jane@live.com".to_owned(), false)]
    );
}

#[test]
fn traps_yield_nothing() {
    assert!(addrs("in at 9, out at 11").is_empty());
    assert!(
        addrs("text me at wa.me/14805550142").is_empty(),
        "a link, not an address"
    );
    assert!(addrs("meet me at the hotel. Rooms are clean").is_empty());
    assert!(
        addrs("pay me at paypal.me tonight").is_empty(),
        "a payment link, not an address"
    );
    assert!(addrs("jane@example.notatld").is_empty());
    assert!(addrs("jane..doe@example.com").is_empty());
}

/// Every sign at every position of texts of every length up to a few blocks: the block-wise
/// pre-check and the anchors must not miss a position at a block edge or in the last block.
#[test]
fn signs_at_every_position_near_block_edges() {
    for len in 1..=200 {
        for pos in 0..len {
            for sign in [
                "@",
                "dot",
                "DoT",
                "[at",
                "( at",
                "<at",
                "{AT",
                " at a.b",
                "\tAt\n-.1",
                " at a.",
            ] {
                if pos + sign.len() > len {
                    continue;
                }
                let mut text = "x".repeat(len);
                text.replace_range(pos..pos + sign.len(), sign);
                assert_eq!(
                    may_hold_email(text.as_bytes()),
                    may_hold_email_bytewise(text.as_bytes()),
                    "{text:?}"
                );
            }
            let mut text = "b".repeat(len);
            text.replace_range(pos..pos + 1, "@");
            let with_domain = format!("{text}.com a at b.com");
            assert_same(&with_domain);
        }
    }
}

/// The anchors, from the block scan and from the exact test at every position, for anchors of
/// every kind at every position of texts of every length up to a few blocks.
#[test]
fn anchors_at_every_position_near_block_edges() {
    for len in 0..=200 {
        for pos in 0..len {
            for sign in ["@", " at ", "\tAt\n", "[", "(", "{", "<", "at ", " at", "a"] {
                let mut text = "xa t".repeat(len).into_bytes();
                text.truncate(len);
                let end = (pos + sign.len()).min(len);
                text[pos..end].copy_from_slice(&sign.as_bytes()[..end - pos]);
                let want: Vec<usize> = (0..len).filter(|&q| scan::is_anchor(&text, q)).collect();
                assert_eq!(
                    scan::at_anchors(&text).collect::<Vec<_>>(),
                    want,
                    "{:?}",
                    String::from_utf8_lossy(&text)
                );
            }
        }
    }
}
