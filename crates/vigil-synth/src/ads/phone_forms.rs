//! Writes a 10-digit NANP number in every form of the phone golden table (§2): plain shapes and
//! each obfuscation class (odd separators, words, leetspeak, homophones, look-alikes, keycaps,
//! Unicode digit blocks, links, words between groups).

use rand::Rng;

/// The forms the generator writes. `PLAIN` forms need no de-obfuscation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhoneForm {
    Dashes,
    Parens,
    Dots,
    Bare,
    PlusOne,
    TrunkDots,
    Slash,
    Star,
    Underscore,
    SpacedTilde,
    SingleSpaced,
    Words,
    OhForZero,
    GluedWords,
    WordInGroup,
    CamelCase,
    Leet,
    Homophones,
    TensTeens,
    SpanishUnits,
    SpanishTens,
    LookO,
    LookL,
    LookI,
    Pipe,
    KeycapVs16,
    Keycap,
    Fullwidth,
    MathBold,
    MathDouble,
    MathMono,
    Circled,
    SuperSub,
    NegCircled,
    Dingbat,
    ArabicIndic,
    ExtArabicIndic,
    Devanagari,
    Thai,
    TenEmoji,
    WaMe,
    Tel,
    Sms,
    TMe,
    UrlPath,
    WordsBetween,
}

use PhoneForm::*;

/// Plain forms (a plain pass finds them).
pub const PLAIN: &[PhoneForm] = &[Dashes, Parens, Dots, Bare, PlusOne, TrunkDots];
/// Obscured forms, one per class of the golden table.
pub const OBSCURED: &[PhoneForm] = &[
    Slash,
    Star,
    Underscore,
    SpacedTilde,
    SingleSpaced,
    Words,
    OhForZero,
    GluedWords,
    WordInGroup,
    CamelCase,
    Leet,
    Homophones,
    TensTeens,
    SpanishUnits,
    SpanishTens,
    LookO,
    LookL,
    LookI,
    Pipe,
    KeycapVs16,
    Keycap,
    Fullwidth,
    MathBold,
    MathDouble,
    MathMono,
    Circled,
    SuperSub,
    NegCircled,
    Dingbat,
    ArabicIndic,
    ExtArabicIndic,
    Devanagari,
    Thai,
    TenEmoji,
    WordsBetween,
];
/// Link forms (written where a URL would appear).
pub const LINKS: &[PhoneForm] = &[WaMe, Tel, Sms, TMe, UrlPath];

const EN: [&str; 10] = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
];
const ES: [&str; 10] = [
    "cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve",
];
const LEET: [&str; 10] = [
    "zer0", "0ne", "tw0", "three", "f0ur", "f1ve", "s1x", "seven", "e1ght", "n1ne",
];
const TEENS: [&str; 10] = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];
const ES_TEENS: [&str; 10] = [
    "diez",
    "once",
    "doce",
    "trece",
    "catorce",
    "quince",
    "dieciséis",
    "diecisiete",
    "dieciocho",
    "diecinueve",
];
const ES_TENS: [&str; 10] = [
    "",
    "",
    "veinte",
    "treinta",
    "cuarenta",
    "cincuenta",
    "sesenta",
    "setenta",
    "ochenta",
    "noventa",
];

fn shift(d: u8, zero: u32) -> char {
    char::from_u32(zero + u32::from(d)).unwrap_or('?')
}

fn circled(d: u8) -> char {
    if d == 0 {
        '⓪'
    } else {
        shift(d - 1, 0x2460)
    }
}

fn neg_circled(d: u8) -> char {
    if d == 0 {
        '⓿'
    } else {
        shift(d - 1, 0x2776)
    }
}

fn dingbat(d: u8) -> char {
    // Dingbat circled digits exist for 1..=9 only; zero uses the negative circled form.
    if d == 0 {
        '⓿'
    } else {
        shift(d - 1, 0x2780)
    }
}

fn superscript(d: u8) -> char {
    match d {
        1 => '¹',
        2 => '²',
        3 => '³',
        _ => shift(d, 0x2070),
    }
}

fn groups(d: &[u8; 10]) -> [&[u8]; 3] {
    [&d[0..3], &d[3..6], &d[6..10]]
}

fn digits(g: &[u8]) -> String {
    g.iter().map(|&x| char::from(b'0' + x)).collect()
}

fn map_all(d: &[u8; 10], sep: &str, f: impl Fn(u8) -> String) -> String {
    groups(d)
        .iter()
        .map(|g| g.iter().map(|&x| f(x)).collect::<String>())
        .collect::<Vec<_>>()
        .join(sep)
}

fn two_digit_en(n: u8) -> String {
    match n {
        0..=9 => format!("zero {}", EN[n as usize]),
        10..=19 => TEENS[n as usize - 10].to_string(),
        20 | 30 | 40 | 50 | 60 | 70 | 80 | 90 => TENS[n as usize / 10].to_string(),
        _ => format!("{}-{}", TENS[n as usize / 10], EN[n as usize % 10]),
    }
}

fn two_digit_es(n: u8) -> Option<String> {
    match n {
        0..=9 => Some(format!("cero {}", ES[n as usize])),
        10..=19 => Some(ES_TEENS[n as usize - 10].to_string()),
        20 => Some("veinte".into()),
        21..=29 => None,
        30 | 40 | 50 | 60 | 70 | 80 | 90 => Some(ES_TENS[n as usize / 10].to_string()),
        _ => Some(format!(
            "{} y {}",
            ES_TENS[n as usize / 10],
            ES[n as usize % 10]
        )),
    }
}

fn camel(w: &str) -> String {
    let mut c = w.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Writes `d` (area code, exchange, line) in `form`. Forms that cannot express this number
/// (a look-alike for a digit it lacks) fall back to a related form that can.
pub fn render(d: &[u8; 10], form: PhoneForm, rng: &mut impl Rng) -> String {
    let [a, e, l] = groups(d);
    let (sa, se, sl) = (digits(a), digits(e), digits(l));
    let all = digits(d);
    match form {
        Dashes => format!("{sa}-{se}-{sl}"),
        Parens => format!("({sa}) {se}-{sl}"),
        Dots => format!("{sa}.{se}.{sl}"),
        Bare => all,
        PlusOne => format!("+1 ({sa}) {se}-{sl}"),
        TrunkDots => format!("1.{sa}.{se}.{sl}"),
        Slash => format!("{sa}/{se}/{sl}"),
        Star => format!("{sa}*{se}*{sl}"),
        Underscore => format!("{sa}_{se}_{sl}"),
        SpacedTilde => groups(d)
            .iter()
            .map(|g| {
                g.iter()
                    .map(|x| x.to_string())
                    .collect::<Vec<_>>()
                    .join("-")
            })
            .collect::<Vec<_>>()
            .join(" ~ "),
        SingleSpaced => all.chars().map(String::from).collect::<Vec<_>>().join(" "),
        Words => d
            .iter()
            .map(|&x| EN[x as usize])
            .collect::<Vec<_>>()
            .join(" "),
        OhForZero => {
            let last: Vec<&str> = l
                .iter()
                .map(|&x| if x == 0 { "oh" } else { EN[x as usize] })
                .collect();
            if l.contains(&0) {
                format!("{sa} {se} {}", last.join(" "))
            } else {
                render(d, Words, rng)
            }
        }
        GluedWords => format!(
            "{sa} {}{}{} {}{}{}{}",
            EN[e[0] as usize], e[1], EN[e[2] as usize], l[0], l[1], EN[l[2] as usize], l[3]
        ),
        WordInGroup => format!("{sa}.{se}.{}{}{}{}", l[0], EN[l[1] as usize], l[2], l[3]),
        CamelCase => groups(d)
            .iter()
            .map(|g| g.iter().map(|&x| camel(EN[x as usize])).collect::<String>())
            .collect::<Vec<_>>()
            .join("."),
        Leet => d
            .iter()
            .map(|&x| LEET[x as usize])
            .collect::<Vec<_>>()
            .join(" "),
        Homophones => {
            if !d.iter().any(|&x| x == 4 || x == 2) {
                return render(d, GluedWords, rng);
            }
            let g = |g: &[u8]| -> String {
                g.iter()
                    .map(|&x| match x {
                        4 => "for".to_string(),
                        2 => "to".to_string(),
                        _ => x.to_string(),
                    })
                    .collect()
            };
            // Keep at least one digit per group so ambiguous words stay glued to digits.
            let pieces = [g(a), g(e), g(l)];
            if pieces
                .iter()
                .any(|p| !p.chars().any(|c| c.is_ascii_digit()))
            {
                return render(d, GluedWords, rng);
            }
            pieces.join(" ")
        }
        TensTeens => format!(
            "{} {}, {} {}, {} {} {}",
            EN[a[0] as usize],
            two_digit_en(a[1] * 10 + a[2]),
            EN[e[0] as usize],
            two_digit_en(e[1] * 10 + e[2]),
            EN[l[0] as usize],
            EN[l[1] as usize],
            two_digit_en(l[2] * 10 + l[3])
        ),
        SpanishUnits => d
            .iter()
            .map(|&x| ES[x as usize])
            .collect::<Vec<_>>()
            .join(" "),
        SpanishTens => {
            let parts = [
                two_digit_es(a[1] * 10 + a[2]),
                two_digit_es(e[1] * 10 + e[2]),
                two_digit_es(l[2] * 10 + l[3]),
            ];
            match parts {
                [Some(x), Some(y), Some(z)] => format!(
                    "{} {x}, {} {y}, {} {} {z}",
                    ES[a[0] as usize], ES[e[0] as usize], ES[l[0] as usize], ES[l[1] as usize]
                ),
                _ => render(d, SpanishUnits, rng),
            }
        }
        LookO if all.contains('0') => format!("{sa}-{se}-{}", sl.replace('0', "O")),
        LookL if all.contains('1') => format!("{sa} {se} {}", sl.replace('1', "l")),
        LookI if all.contains('1') => format!("{sa}.{se}.{}", sl.replace('1', "I")),
        Pipe if sl[1..3].contains('1') => format!(
            "{sa} {se} {}{}{}",
            &sl[..1],
            sl[1..3].replace('1', "|"),
            &sl[3..]
        ),
        LookO | LookL | LookI | Pipe => render(d, Slash, rng),
        KeycapVs16 => all
            .chars()
            .map(|c| format!("{c}\u{FE0F}\u{20E3}"))
            .collect(),
        Keycap => format!(
            "{} {se} {sl}",
            sa.chars()
                .map(|c| format!("{c}\u{20E3}"))
                .collect::<String>()
        ),
        Fullwidth => map_all(d, "－", |x| shift(x, 0xFF10).to_string()),
        MathBold => map_all(d, " ", |x| shift(x, 0x1D7CE).to_string()),
        MathDouble => map_all(d, " ", |x| shift(x, 0x1D7D8).to_string()),
        MathMono => map_all(d, " ", |x| shift(x, 0x1D7F6).to_string()),
        Circled => map_all(d, " ", |x| circled(x).to_string()),
        SuperSub => format!(
            "{}{}{}",
            a.iter().map(|&x| superscript(x)).collect::<String>(),
            e.iter().map(|&x| shift(x, 0x2080)).collect::<String>(),
            l.iter().map(|&x| superscript(x)).collect::<String>()
        ),
        NegCircled => map_all(d, " ", |x| neg_circled(x).to_string()),
        Dingbat => format!(
            "{} {se} {sl}",
            a.iter().map(|&x| dingbat(x)).collect::<String>()
        ),
        ArabicIndic => d.iter().map(|&x| shift(x, 0x0660)).collect(),
        ExtArabicIndic => d.iter().map(|&x| shift(x, 0x06F0)).collect(),
        Devanagari => d.iter().map(|&x| shift(x, 0x0966)).collect(),
        Thai => d.iter().map(|&x| shift(x, 0x0E50)).collect(),
        TenEmoji if sl[1..].contains("10") => format!("{sa} {se} {}", sl.replacen("10", "🔟", 1)),
        TenEmoji => render(d, Circled, rng),
        WaMe => format!("wa.me/1{all}"),
        Tel => format!("tel:+1-{sa}-{se}-{sl}"),
        Sms => format!("sms:+1{all}"),
        TMe => format!("https://t.me/+1{all}"),
        UrlPath => format!("https://example.com/ad/{sa}-{se}-{sl}/new"),
        WordsBetween => {
            let gap = ["(text only)", "txt me", "call"][rng.gen_range(0..3)];
            format!("{sa} {gap} {se} {sl}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    const A: [u8; 10] = [4, 8, 0, 5, 5, 5, 0, 1, 4, 2];
    const B: [u8; 10] = [2, 1, 2, 5, 5, 5, 0, 1, 9, 9];

    fn r(d: &[u8; 10], f: PhoneForm) -> String {
        render(d, f, &mut rand_chacha::ChaCha8Rng::seed_from_u64(0))
    }

    #[test]
    fn golden_rows_are_reproduced() {
        assert_eq!(r(&A, Dashes), "480-555-0142");
        assert_eq!(r(&B, Parens), "(212) 555-0199");
        assert_eq!(r(&A, SpacedTilde), "4-8-0 ~ 5-5-5 ~ 0-1-4-2");
        assert_eq!(r(&B, SingleSpaced), "2 1 2 5 5 5 0 1 9 9");
        assert_eq!(
            r(&A, Words),
            "four eight zero five five five zero one four two"
        );
        assert_eq!(r(&A, OhForZero), "480 555 oh one four two");
        assert_eq!(r(&A, GluedWords), "480 five5five 01four2");
        assert_eq!(r(&A, WordInGroup), "480.555.0one42");
        assert_eq!(
            r(&A, CamelCase),
            "FourEightZero.FiveFiveFive.ZeroOneFourTwo"
        );
        assert_eq!(
            r(&A, TensTeens),
            "four eighty, five fifty-five, zero one forty-two"
        );
        assert_eq!(
            r(&B, TensTeens),
            "two twelve, five fifty-five, zero one ninety-nine"
        );
        assert_eq!(
            r(&B, SpanishTens),
            "dos doce, cinco cincuenta y cinco, cero uno noventa y nueve"
        );
        assert_eq!(
            r(&A, SpanishUnits),
            "cuatro ocho cero cinco cinco cinco cero uno cuatro dos"
        );
        assert_eq!(r(&A, KeycapVs16), "4️⃣8️⃣0️⃣5️⃣5️⃣5️⃣0️⃣1️⃣4️⃣2️⃣");
        assert_eq!(r(&B, Fullwidth), "２１２－５５５－０１９９");
        assert_eq!(r(&A, MathBold), "𝟒𝟖𝟎 𝟓𝟓𝟓 𝟎𝟏𝟒𝟐");
        assert_eq!(r(&A, Circled), "④⑧⓪ ⑤⑤⑤ ⓪①④②");
        assert_eq!(r(&A, SuperSub), "⁴⁸⁰₅₅₅⁰¹⁴²");
        assert_eq!(r(&A, NegCircled), "❹❽⓿ ❺❺❺ ⓿❶❹❷");
        assert_eq!(r(&B, Dingbat), "➁➀➁ 555 0199");
        assert_eq!(r(&A, ArabicIndic), "٤٨٠٥٥٥٠١٤٢");
        assert_eq!(r(&A, Thai), "๔๘๐๕๕๕๐๑๔๒");
        assert_eq!(r(&A, LookO), "480-555-O142");
        assert_eq!(r(&A, Pipe), "480 555 0|42");
        assert_eq!(r(&[4, 8, 0, 5, 5, 5, 0, 1, 0, 0], TenEmoji), "480 555 0🔟0");
    }
}
