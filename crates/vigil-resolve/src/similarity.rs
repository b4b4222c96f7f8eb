//! String comparators: Jaro-Winkler, optimal-string-alignment (Damerau) distance, token-set similarity.
//!
//! All work on bytes of already-folded ASCII keys and allocate nothing for inputs up to 64 bytes.

/// Jaro similarity in [0, 1].
pub fn jaro(a: &str, b: &str) -> f64 {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a == b {
        return 1.0;
    }
    // Keep `a` the shorter one so the symmetric definition is evaluated the same way both ways.
    let (a, b) = if (a.len(), a) <= (b.len(), b) {
        (a, b)
    } else {
        (b, a)
    };
    let window = (b.len() / 2).saturating_sub(1);
    if b.len() <= 64 {
        return jaro_masked(a, b, window);
    }
    let mut b_used = [false; 256];
    let mut b_used_heap;
    let b_used: &mut [bool] = if b.len() <= 256 {
        &mut b_used[..b.len()]
    } else {
        b_used_heap = vec![false; b.len()];
        &mut b_used_heap
    };
    let mut a_match = [0u8; 256];
    let mut a_match_heap;
    let a_match: &mut [u8] = if a.len() <= 256 {
        &mut a_match[..a.len()]
    } else {
        a_match_heap = vec![0u8; a.len()];
        &mut a_match_heap
    };
    let mut m = 0usize;
    for (i, &ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for j in lo..hi {
            if !b_used[j] && b[j] == ca {
                b_used[j] = true;
                a_match[m] = ca;
                m += 1;
                break;
            }
        }
    }
    if m == 0 {
        return 0.0;
    }
    let mut t = 0usize;
    let mut k = 0usize;
    for (j, &cb) in b.iter().enumerate() {
        if b_used[j] {
            if a_match[k] != cb {
                t += 1;
            }
            k += 1;
        }
    }
    let m = m as f64;
    (m / a.len() as f64 + m / b.len() as f64 + (m - t as f64 / 2.0) / m) / 3.0
}

/// Jaro for inputs of at most 64 bytes: matched positions live in two u64 bit masks.
fn jaro_masked(a: &[u8], b: &[u8], window: usize) -> f64 {
    let (mut a_used, mut b_used) = (0u64, 0u64);
    let mut m = 0u32;
    for (i, &ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for (j, &cb) in b.iter().enumerate().take(hi).skip(lo) {
            if b_used >> j & 1 == 0 && cb == ca {
                b_used |= 1 << j;
                a_used |= 1 << i;
                m += 1;
                break;
            }
        }
    }
    if m == 0 {
        return 0.0;
    }
    let mut t = 0u32;
    let (mut ai, mut bi) = (a_used, b_used);
    while ai != 0 {
        let (i, j) = (ai.trailing_zeros() as usize, bi.trailing_zeros() as usize);
        if a[i] != b[j] {
            t += 1;
        }
        ai &= ai - 1;
        bi &= bi - 1;
    }
    let m = f64::from(m);
    (m / a.len() as f64 + m / b.len() as f64 + (m - f64::from(t) / 2.0) / m) / 3.0
}

/// Jaro-Winkler similarity in [0, 1] (prefix scale 0.1, prefix up to 4).
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    let j = jaro(a, b);
    let prefix = a
        .bytes()
        .zip(b.bytes())
        .take(4)
        .take_while(|(x, y)| x == y)
        .count();
    (j + prefix as f64 * 0.1 * (1.0 - j)).clamp(0.0, 1.0)
}

/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions).
pub fn damerau(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a == b {
        return 0;
    }
    if a.is_empty() || b.is_empty() {
        return a.len().max(b.len());
    }
    let n = b.len();
    if n < 64 {
        // Three rows in one stack array, rotated by index (no copies).
        let mut rows = [[0u8; 64]; 3];
        for (j, x) in rows[1].iter_mut().enumerate().take(n + 1) {
            *x = j as u8;
        }
        let (mut r2, mut r1, mut r0) = (0usize, 1usize, 2usize);
        for i in 1..=a.len() {
            rows[r0][0] = i.min(255) as u8;
            for j in 1..=n {
                let cost = u8::from(a[i - 1] != b[j - 1]);
                let mut v = (rows[r1][j].saturating_add(1))
                    .min(rows[r0][j - 1].saturating_add(1))
                    .min(rows[r1][j - 1].saturating_add(cost));
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    v = v.min(rows[r2][j - 2].saturating_add(1));
                }
                rows[r0][j] = v;
            }
            (r2, r1, r0) = (r1, r0, r2);
        }
        if a.len() < 255 {
            return usize::from(rows[r1][n]);
        }
    }
    let mut prev2 = vec![0usize; n + 1];
    let mut prev: Vec<usize> = (0..=n).collect();
    let mut cur = vec![0usize; n + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=n {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[n]
}

/// True when the OSA distance is at most `k`, with a cheap length bound first.
pub fn within_edits(a: &str, b: &str, k: usize) -> bool {
    if a.len().abs_diff(b.len()) > k {
        return false;
    }
    if k == 1 {
        return within_one_edit(a.as_bytes(), b.as_bytes());
    }
    damerau(a, b) <= k
}

/// Distance ≤ 1 (one substitution, insertion, deletion or adjacent transposition), linear time.
fn within_one_edit(a: &[u8], b: &[u8]) -> bool {
    let (a, b) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let p = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    if p == a.len() {
        return b.len() - a.len() <= 1;
    }
    if a.len() == b.len() {
        // Substitution at p, or transposition of p and p+1.
        if a[p + 1..] == b[p + 1..] {
            return true;
        }
        return p + 1 < a.len() && a[p] == b[p + 1] && a[p + 1] == b[p] && a[p + 2..] == b[p + 2..];
    }
    // Insertion into the shorter at p.
    a[p..] == b[p + 1..]
}

/// Fuzzy token-set similarity in [0, 1]: tokens of the shorter side matched greedily to distinct
/// tokens of the other with Jaro-Winkler ≥ `min_jw`, divided by the larger token count.
pub fn token_set(a: &[&str], b: &[&str], min_jw: f64) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (short, long) = if (a.len(), a) <= (b.len(), b) {
        (a, b)
    } else {
        (b, a)
    };
    let mut used_stack = [false; 64];
    let mut used_heap;
    let used: &mut [bool] = if long.len() <= 64 {
        &mut used_stack[..long.len()]
    } else {
        used_heap = vec![false; long.len()];
        &mut used_heap
    };
    let mut score = 0.0;
    for s in short {
        let mut best = (0.0, usize::MAX);
        for (j, l) in long.iter().enumerate() {
            if used[j] {
                continue;
            }
            let sim = if s == l { 1.0 } else { jaro_winkler(s, l) };
            if sim > best.0 {
                best = (sim, j);
            }
        }
        if best.0 >= min_jw && best.1 != usize::MAX {
            used[best.1] = true;
            score += best.0;
        }
    }
    (score / long.len() as f64).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_values() {
        assert!((jaro_winkler("martha", "marhta") - 0.9611).abs() < 1e-3);
        assert!((jaro_winkler("dixon", "dicksonx") - 0.8133).abs() < 1e-3);
        assert_eq!(damerau("ca", "ac"), 1);
        assert_eq!(damerau("kitten", "sitting"), 3);
        assert_eq!(
            token_set(&["main", "street"], &["street", "main"], 0.9),
            1.0
        );
    }

    proptest! {
        #[test]
        fn one_edit_check_agrees_with_full_distance(a in "[ab]{0,6}", b in "[ab]{0,6}") {
            prop_assert_eq!(within_edits(&a, &b, 1), damerau(&a, &b) <= 1);
        }

        #[test]
        fn comparators_are_symmetric_and_bounded(a in "[a-z ]{0,20}", b in "[a-z ]{0,20}") {
            let (x, y) = (jaro_winkler(&a, &b), jaro_winkler(&b, &a));
            prop_assert!((0.0..=1.0).contains(&x));
            prop_assert!((x - y).abs() < 1e-12, "{} vs {}", x, y);
            prop_assert_eq!(damerau(&a, &b), damerau(&b, &a));
            let long_a = a.repeat(4);
            let long_b = b.repeat(4);
            prop_assert_eq!(damerau(&long_a, &long_b), damerau(&long_b, &long_a));
            prop_assert!(damerau(&a, &b) <= a.len().max(b.len()));
            let ta: Vec<&str> = a.split(' ').filter(|t| !t.is_empty()).collect();
            let tb: Vec<&str> = b.split(' ').filter(|t| !t.is_empty()).collect();
            let s = token_set(&ta, &tb, 0.9);
            prop_assert!((0.0..=1.0).contains(&s));
            prop_assert_eq!(jaro_winkler(&a, &a), 1.0);
        }
    }
}
