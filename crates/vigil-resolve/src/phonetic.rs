//! Phonetic codes for blocking keys that survive spelling variation: NYSIIS and Soundex.

/// NYSIIS code (original algorithm, truncated to 6 characters) of a folded ASCII word.
pub fn nysiis(word: &str) -> String {
    let mut w: Vec<u8> = word
        .bytes()
        .filter(u8::is_ascii_alphabetic)
        .map(|b| b.to_ascii_uppercase())
        .collect();
    if w.is_empty() {
        return String::new();
    }
    // Prefixes.
    let starts = |w: &[u8], p: &[u8]| w.starts_with(p);
    if starts(&w, b"MAC") {
        w.splice(0..3, b"MCC".iter().copied());
    } else if starts(&w, b"KN") {
        w.splice(0..2, b"NN".iter().copied());
    } else if starts(&w, b"K") {
        w[0] = b'C';
    } else if starts(&w, b"PH") || starts(&w, b"PF") {
        w.splice(0..2, b"FF".iter().copied());
    } else if starts(&w, b"SCH") {
        w.splice(0..3, b"SSS".iter().copied());
    }
    // Suffixes.
    let ends = |w: &[u8], p: &[u8]| w.ends_with(p);
    let n = w.len();
    if ends(&w, b"EE") || ends(&w, b"IE") {
        w.truncate(n - 2);
        w.push(b'Y');
    } else if ends(&w, b"DT")
        || ends(&w, b"RT")
        || ends(&w, b"RD")
        || ends(&w, b"NT")
        || ends(&w, b"ND")
    {
        w.truncate(n - 2);
        w.push(b'D');
    }
    let is_vowel = |c: u8| matches!(c, b'A' | b'E' | b'I' | b'O' | b'U');
    let first = w[0];
    let mut out: Vec<u8> = vec![first];
    let mut i = 1;
    while i < w.len() {
        let c = w[i];
        let next = w.get(i + 1).copied();
        let rep: Vec<u8> = if c == b'E' && next == Some(b'V') {
            i += 1;
            b"AF".to_vec()
        } else if is_vowel(c) {
            b"A".to_vec()
        } else if c == b'Q' {
            b"G".to_vec()
        } else if c == b'Z' {
            b"S".to_vec()
        } else if c == b'M' {
            b"N".to_vec()
        } else if c == b'K' {
            if next == Some(b'N') {
                b"N".to_vec()
            } else {
                b"C".to_vec()
            }
        } else if c == b'S' && next == Some(b'C') && w.get(i + 2) == Some(&b'H') {
            i += 2;
            b"SSS".to_vec()
        } else if c == b'P' && next == Some(b'H') {
            i += 1;
            b"FF".to_vec()
        } else if (c == b'H' && (!is_vowel(w[i - 1]) || next.is_some_and(|n| !is_vowel(n))))
            || (c == b'W' && is_vowel(w[i - 1]))
        {
            vec![out.last().copied().unwrap_or(first)]
        } else {
            vec![c]
        };
        for r in rep {
            if out.last() != Some(&r) {
                out.push(r);
            }
        }
        i += 1;
    }
    if out.len() > 1 && out.last() == Some(&b'S') {
        out.pop();
    }
    if out.len() > 2 && out.ends_with(b"AY") {
        out.truncate(out.len() - 2);
        out.push(b'Y');
    }
    if out.len() > 1 && out.last() == Some(&b'A') {
        out.pop();
    }
    out.truncate(6);
    String::from_utf8_lossy(&out).into_owned()
}

/// American Soundex code (letter + three digits) of a folded ASCII word.
pub fn soundex(word: &str) -> String {
    let code = |c: u8| match c {
        b'b' | b'f' | b'p' | b'v' => b'1',
        b'c' | b'g' | b'j' | b'k' | b'q' | b's' | b'x' | b'z' => b'2',
        b'd' | b't' => b'3',
        b'l' => b'4',
        b'm' | b'n' => b'5',
        b'r' => b'6',
        b'h' | b'w' => b'-',
        _ => b'0',
    };
    let letters: Vec<u8> = word
        .bytes()
        .filter(u8::is_ascii_alphabetic)
        .map(|b| b.to_ascii_lowercase())
        .collect();
    let Some(&first) = letters.first() else {
        return String::new();
    };
    let mut out = vec![first.to_ascii_uppercase()];
    let mut last = code(first);
    for &c in &letters[1..] {
        let d = code(c);
        if d == b'-' {
            continue;
        }
        if d != b'0' && d != last {
            out.push(d);
            if out.len() == 4 {
                break;
            }
        }
        last = d;
    }
    while out.len() < 4 {
        out.push(b'0');
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn codes_group_spelling_variants() {
        assert_eq!(soundex("robert"), "R163");
        assert_eq!(soundex("rupert"), "R163");
        assert_eq!(soundex("tymczak"), "T522");
        assert_eq!(soundex("smith"), soundex("smyth"));
        assert_eq!(nysiis("johnson"), nysiis("jonson"));
        assert_eq!(nysiis("macintosh"), nysiis("mackintosh"));
    }

    proptest! {
        #[test]
        fn codes_never_panic_and_are_ascii(s in "\\PC{0,30}") {
            prop_assert!(nysiis(&s).is_ascii());
            prop_assert!(soundex(&s).len() <= 4);
        }
    }
}
