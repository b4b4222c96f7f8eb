//! Messaging cues written the way Chinese, Japanese and Korean ads write them: in their own
//! script (`微信：jane88`, `加微 jane88`, `V信号 jane88`, `ラインID: jane88`, `카톡 jane88`,
//! `电报 jane_doe`) or as a Latin cue before a fullwidth colon (`wechat：jane88`,
//! `LINE：jane.88`). Texts without a character of those scripts or a fullwidth colon (the fold
//! flags them) never reach this module, so ordinary ads pay nothing for it.
//!
//! After a cue come, each optional and in this order: spaces (ASCII or ideographic), an ID word
//! (`号`, `號`, `id` in any case), spaces, a marker (`:`, `：`, `-`, `=`), spaces, an `@` (or
//! `＠`), spaces; then the name, `[a-z0-9._-]{1,40}` in any case. Cues that are also ordinary
//! words (`ライン` and `라인`, "line"; `賴`, a surname) need an ID word or a marker; a Latin cue
//! is only looked for before a fullwidth colon, the cue scanner finds it before any other
//! marker. Each cue is searched for on its own and each find parses a bounded stretch apart from
//! space runs, which no two finds of one cue share: linear time.

use std::ops::Range;

/// One cue and the name after it.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct EastAsianCue {
    /// The cue, from its first byte to the end of the name.
    pub span_start: usize,
    pub name: Range<usize>,
    pub platform: &'static str,
    /// A Latin cue (`line：…`), judged by the rules of the Latin cues.
    pub latin: bool,
}

/// `(cue, platform, needs an ID word or marker)`. `加微` and `加賴` are "add on WeChat / LINE";
/// `V信`, `薇信` and `威信` are the homophones ads use to dodge filters on `微信`; `电报` and
/// `電報` ("telegram") name Telegram.
const SCRIPT_CUES: &[(&str, &str, bool)] = &[
    ("微信", "wechat", false),
    ("薇信", "wechat", false),
    ("威信", "wechat", false),
    ("V信", "wechat", false),
    ("v信", "wechat", false),
    ("加微", "wechat", false),
    ("加賴", "line", false),
    ("加赖", "line", false),
    ("賴", "line", true),
    ("ライン", "line", true),
    ("라인", "line", true),
    ("카카오톡", "kakao", false),
    ("카톡", "kakao", false),
    ("电报", "telegram", false),
    ("電報", "telegram", false),
];

/// The Latin cues read before a fullwidth colon, lower case, and their platforms.
const LATIN_CUES: &[(&str, &str)] = &[
    ("wechat", "wechat"),
    ("weixin", "wechat"),
    ("wx", "wechat"),
    ("vx", "wechat"),
    ("line", "line"),
    ("kakao", "kakao"),
    ("kakaotalk", "kakao"),
    ("telegram", "telegram"),
    ("tg", "telegram"),
    ("kik", "kik"),
    ("snap", "snapchat"),
    ("snapchat", "snapchat"),
    ("ig", "instagram"),
    ("insta", "instagram"),
    ("instagram", "instagram"),
];

const FULLWIDTH_COLON: &str = "：";
const IDEOGRAPHIC_SPACE: &str = "\u{3000}";

/// The cues of `text` (in no particular order; the caller sorts its hits).
pub(super) fn find(text: &str) -> Vec<EastAsianCue> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for &(cue, platform, needs_mark) in SCRIPT_CUES {
        for at in memchr::memmem::find_iter(bytes, cue.as_bytes()) {
            if let Some((marked, name)) = tail(text, at + cue.len()) {
                if marked || !needs_mark {
                    out.push(EastAsianCue {
                        span_start: at,
                        name,
                        platform,
                        latin: false,
                    });
                }
            }
        }
    }
    for colon in memchr::memmem::find_iter(bytes, FULLWIDTH_COLON.as_bytes()) {
        let Some((start, platform)) = latin_cue_before(text, colon) else {
            continue;
        };
        if let Some((_, name)) = tail(text, start.end) {
            out.push(EastAsianCue {
                span_start: start.start,
                name,
                platform,
                latin: true,
            });
        }
    }
    out
}

/// Spaces (ASCII blank or ideographic) from `p`.
fn skip_spaces(text: &str, mut p: usize) -> usize {
    loop {
        let rest = &text.as_bytes()[p.min(text.len())..];
        if matches!(rest.first(), Some(b' ' | b'\t')) {
            p += 1;
        } else if rest.starts_with(IDEOGRAPHIC_SPACE.as_bytes()) {
            p += IDEOGRAPHIC_SPACE.len();
        } else {
            return p;
        }
    }
}

/// The length of the first of `words` that `text` holds at `p` (ASCII ones in any case), if any.
fn word_at(text: &str, p: usize, words: &[&str]) -> Option<usize> {
    let rest = text.as_bytes().get(p..)?;
    words
        .iter()
        .find(|w| {
            rest.get(..w.len())
                .is_some_and(|r| r.eq_ignore_ascii_case(w.as_bytes()))
        })
        .map(|w| w.len())
}

/// What follows a cue that ends at `p` (see the module doc): whether an ID word or marker was
/// there, and the name.
pub(super) fn tail(text: &str, p: usize) -> Option<(bool, Range<usize>)> {
    let mut p = skip_spaces(text, p);
    let mut marked = false;
    if let Some(len) = word_at(text, p, &["号", "號", "id"]) {
        // `id` only as a word of its own: `idol` is no ID word.
        let after = text.as_bytes().get(p + len).copied();
        if len != 2 || !after.is_some_and(|b| b.is_ascii_alphanumeric()) {
            p = skip_spaces(text, p + len);
            marked = true;
        }
    }
    if let Some(len) = word_at(text, p, &[":", FULLWIDTH_COLON, "-", "="]) {
        p = skip_spaces(text, p + len);
        marked = true;
    }
    if let Some(len) = word_at(text, p, &["@", "＠"]) {
        p = skip_spaces(text, p + len);
    }
    let name_len = text
        .as_bytes()
        .get(p..)?
        .iter()
        .take(40)
        .take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        .count();
    (name_len > 0).then_some((marked, p..p + name_len))
}

/// The Latin cue that ends before the fullwidth colon at `colon` (spaces and an ID word may sit
/// between them), as its range and platform: a run of ASCII letters that starts a word.
fn latin_cue_before(text: &str, colon: usize) -> Option<(Range<usize>, &'static str)> {
    let bytes = text.as_bytes();
    let mut end = colon;
    while end > 0 && matches!(bytes[end - 1], b' ' | b'\t') {
        end -= 1;
    }
    let letters_before = |end: usize| {
        bytes[..end]
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_alphabetic())
            .count()
    };
    let mut start = end - letters_before(end);
    // `wechat id：x`: the cue is the word before `id`.
    if bytes[start..end].eq_ignore_ascii_case(b"id") {
        let mut before_id = start;
        while before_id > 0 && bytes[before_id - 1] == b' ' {
            before_id -= 1;
        }
        if before_id < start {
            end = before_id;
            start = end - letters_before(end);
        }
    }
    if start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_') {
        return None;
    }
    let word = &bytes[start..end];
    LATIN_CUES
        .iter()
        .find(|(cue, _)| word.eq_ignore_ascii_case(cue.as_bytes()))
        .map(|&(cue, platform)| (start..start + cue.len(), platform))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(&'static str, &str, bool)> {
        let mut cues = find(text);
        cues.sort_by_key(|c| c.span_start);
        cues.iter()
            .map(|c| (c.platform, &text[c.name.clone()], c.latin))
            .collect()
    }

    #[test]
    fn script_cues_with_and_without_markers() {
        for (text, expected) in [
            ("微信：jane88", Some(("wechat", "jane88"))),
            ("微信号 Jane_88", Some(("wechat", "Jane_88"))),
            ("加微jane88", Some(("wechat", "jane88"))),
            ("加微信 jane88", Some(("wechat", "jane88"))),
            ("V信: jane88", Some(("wechat", "jane88"))),
            ("薇信　@jane88", Some(("wechat", "jane88"))),
            ("ラインID: jane88", Some(("line", "jane88"))),
            ("ライン：jane.88", Some(("line", "jane.88"))),
            ("加賴 jane88", Some(("line", "jane88"))),
            ("카톡 아이디 jane88", None),
            ("카톡 jane88", Some(("kakao", "jane88"))),
            ("카카오톡ID：jane88", Some(("kakao", "jane88"))),
            ("电报 jane_doe", Some(("telegram", "jane_doe"))),
            // Ordinary words need an ID word or a marker.
            ("ライン jane88", None),
            ("賴 jane88", None),
            ("賴ID jane88", Some(("line", "jane88"))),
            ("微信", None),
            ("微信：", None),
        ] {
            let want: Vec<_> = expected.map(|(p, n)| (p, n, false)).into_iter().collect();
            assert_eq!(found(text), want, "{text}");
        }
    }

    #[test]
    fn latin_cues_before_a_fullwidth_colon() {
        for (text, expected) in [
            ("wechat：jane88", Some(("wechat", "jane88"))),
            ("WeChat ID：Jane88", Some(("wechat", "Jane88"))),
            ("LINE：jane.88", Some(("line", "jane.88"))),
            ("line ：jane88", Some(("line", "jane88"))),
            ("kakaotalk：jane88", Some(("kakao", "jane88"))),
            ("IG：jane.88", Some(("instagram", "jane.88"))),
            // Not a cue word, or not at a word start.
            ("online：jane88", None),
            ("price：200", None),
            ("2line：jane88", None),
            ("：jane88", None),
        ] {
            let want: Vec<_> = expected.map(|(p, n)| (p, n, true)).into_iter().collect();
            assert_eq!(found(text), want, "{text}");
        }
    }

    #[test]
    fn spans_start_at_the_cue() {
        let cues = find("call 加微 jane88 ok");
        assert_eq!(cues.len(), 1);
        assert_eq!(cues[0].span_start, 5);
        assert_eq!(cues[0].name, 12..18);
    }

    /// Many cues each followed by a long space run, and many colons after letters and spaces
    /// (a quadratic scan of these megabytes would not finish).
    #[test]
    fn adversarial_inputs_take_linear_time() {
        // Each colon but the last is followed by the next unit's cue word, read as a name.
        for (unit, names_between) in [
            ("微信　", false),
            ("wechat ：", true),
            ("line id ：", true),
            (" ：", false),
            ("加微@", false),
            ("ライン", false),
        ] {
            let repeats = (1 << 21) / unit.len();
            let text = unit.repeat(repeats);
            let expected = if names_between { repeats - 1 } else { 0 };
            assert_eq!(find(&text).len(), expected, "{unit}");
        }
        let text = format!("{}jane88", "微信".repeat(1 << 18));
        assert_eq!(find(&text).len(), 1);
    }
}
