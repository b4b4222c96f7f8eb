//! Which non-ASCII characters continue a word written in Latin, Greek, Cyrillic or Armenian
//! letters (scripts that put spaces between words): an ASCII run of letters and digits next
//! to such a letter is a piece of a longer word (`josé22`, `café`, `naïve`), never a name of its own.
//! Scripts written without spaces (Chinese, Japanese, Thai) are left out: there an ASCII name
//! often stands right against the text around it (`微信jane22请加`).

/// Whether `c` is a non-ASCII letter or combining diacritic of those scripts: alphabetic, or
/// one of U+0300–U+036F, in U+0080–U+058F (Latin-1 to Armenian) or Latin Extended Additional
/// (U+1E00–U+1EFF, Vietnamese). Superscripts and fractions (`²`, `½`) are no letters: they
/// stand beside names as symbols do.
pub(crate) fn continues_word(c: char) -> bool {
    let u = u32::from(c);
    let spaced_script = (0x80..0x590).contains(&u) || (0x1E00..=0x1EFF).contains(&u);
    spaced_script && (c.is_alphabetic() || (0x300..=0x36F).contains(&u))
}

/// Whether the character just before byte `at` of `text` continues a word (`false` at the
/// start and off a character boundary).
pub(crate) fn word_before(text: &str, at: usize) -> bool {
    text.get(..at)
        .and_then(|before| before.chars().next_back())
        .is_some_and(continues_word)
}

/// Whether the character at byte `at` of `text` continues a word (`false` at the end and off
/// a character boundary).
pub(crate) fn word_at(text: &str, at: usize) -> bool {
    text.get(at..)
        .and_then(|after| after.chars().next())
        .is_some_and(continues_word)
}

#[cfg(test)]
mod tests {
    use super::{continues_word, word_at, word_before};

    #[test]
    fn letters_of_spaced_scripts_continue_words_but_symbols_and_cjk_do_not() {
        for c in ['é', 'ï', 'ß', 'ñ', 'ø', 'Ж', 'λ', 'ա', 'ệ', '\u{301}'] {
            assert!(continues_word(c), "{c:?}");
        }
        for c in [
            'a', '1', '@', '×', '°', '²', '½', '€', '微', 'ア', '한', '๓', '💋', '👻', '\u{fe0f}',
        ] {
            assert!(!continues_word(c), "{c:?}");
        }
    }

    #[test]
    fn neighbours_are_read_at_character_boundaries_only() {
        let text = "josé22 café";
        assert!(word_before(text, 5)); // before "22"
        assert!(word_at(text, 3)); // "é"
        assert!(!word_at(text, 4)); // inside "é"
        assert!(!word_before(text, 0));
        assert!(!word_at(text, text.len()));
    }
}
