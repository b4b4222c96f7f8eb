//! Punycode (RFC 3492) encoding of one domain label, for IDN domains written in e-mail
//! addresses: `bücher` → `bcher-kva`, stored as `xn--bcher-kva`.

/// The bootstring parameters of RFC 3492 §5.
const BASE: u32 = 36;
const T_MIN: u32 = 1;
const T_MAX: u32 = 26;
const SKEW: u32 = 38;
const DAMP: u32 = 700;
const INITIAL_BIAS: u32 = 72;
const INITIAL_N: u32 = 0x80;

/// Appends the punycode of `label` (already mapped: lowercased and normalised) to `out`, as
/// RFC 3492 §6.3 encodes it; `false`, with `out` partly written, only on overflow, which a
/// label of at most 63 bytes of output never reaches.
pub(crate) fn encode(label: &str, out: &mut String) -> bool {
    let basic = label.chars().filter(char::is_ascii).count();
    out.extend(label.chars().filter(char::is_ascii));
    if basic > 0 {
        out.push('-');
    }
    let total = label.chars().count();
    let (mut n, mut delta, mut bias) = (INITIAL_N, 0u32, INITIAL_BIAS);
    let mut handled = basic;
    while handled < total {
        // The smallest code point not yet handled (there is one: `handled < total`).
        let Some(m) = label.chars().map(u32::from).filter(|&c| c >= n).min() else {
            return false;
        };
        let Some(d) = (m - n)
            .checked_mul(handled as u32 + 1)
            .and_then(|step| delta.checked_add(step))
        else {
            return false;
        };
        delta = d;
        n = m;
        for c in label.chars().map(u32::from) {
            if c < n {
                let Some(d) = delta.checked_add(1) else {
                    return false;
                };
                delta = d;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = threshold(k, bias);
                    if q < t {
                        break;
                    }
                    out.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                out.push(digit(q));
                bias = adapt(delta, handled as u32 + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta += 1;
        n += 1;
    }
    true
}

/// RFC 3492 §6.1's bias adaptation.
fn adapt(delta: u32, points: u32, first: bool) -> u32 {
    let mut delta = if first { delta / DAMP } else { delta / 2 };
    delta += delta / points;
    let mut k = 0;
    while delta > ((BASE - T_MIN) * T_MAX) / 2 {
        delta /= BASE - T_MIN;
        k += BASE;
    }
    k + (BASE - T_MIN + 1) * delta / (delta + SKEW)
}

fn threshold(k: u32, bias: u32) -> u32 {
    k.saturating_sub(bias).clamp(T_MIN, T_MAX)
}

/// The basic code point of digit value `d` (`a`–`z` for 0–25, `0`–`9` for 26–35).
fn digit(d: u32) -> char {
    match d {
        0..=25 => char::from(b'a' + d as u8),
        _ => char::from(b'0' + (d - 26) as u8),
    }
}

#[cfg(test)]
mod tests {
    use super::encode;

    fn punycode(label: &str) -> String {
        let mut out = String::new();
        assert!(encode(label, &mut out), "{label}");
        out
    }

    #[test]
    fn labels_encode_as_rfc_3492_and_python_s_codec_do() {
        // Expected values from RFC 3492 §7.1 (the Spanish and Russian samples, lowercased) and
        // from python's `str.encode("punycode")`.
        for (label, expected) in [
            ("bücher", "bcher-kva"),
            ("münchen", "mnchen-3ya"),
            ("пример", "e1afmkfd"),
            ("рф", "p1ai"),
            ("straße", "strae-oqa"),
            ("ñandú", "and-6ma2c"),
            ("ελληνικά", "hxargifdar"),
            (
                "porquénopuedensimplementehablarenespañol",
                "porqunopuedensimplementehablarenespaol-fmd56a",
            ),
            (
                "почемужеонинеговорятпорусски",
                "b1abfaaepdrnnbgefbadotcwatmq2g4l",
            ),
        ] {
            assert_eq!(punycode(label), expected, "{label}");
        }
    }

    #[test]
    fn an_ascii_label_is_itself_and_a_dash() {
        assert_eq!(punycode("abc"), "abc-");
        assert_eq!(punycode(""), "");
    }
}
