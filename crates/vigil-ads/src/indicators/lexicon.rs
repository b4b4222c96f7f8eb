//! Phrase lexicons matched per token, leftmost-longest, in time linear in the number of tokens
//! (times the longest phrase length, a constant of the lexicon).

use rustc_hash::FxHashMap;
use unicode_normalization::UnicodeNormalization;

/// A token: NFKC lower-cased text and its byte range in the original string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

fn is_joiner(c: char) -> bool {
    matches!(c, '\u{FE0E}' | '\u{FE0F}' | '\u{200D}' | '\u{20E3}')
}

/// Tokens of `text`: maximal runs of letters/digits, plus each other non-ASCII symbol (emoji) on
/// its own. ASCII punctuation and whitespace separate tokens.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut run: Option<usize> = None;
    let fold = |s: &str| -> String { s.nfkc().flat_map(char::to_lowercase).collect() };
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            run.get_or_insert(i);
            continue;
        }
        if let Some(start) = run.take() {
            out.push(Token {
                text: fold(&text[start..i]),
                start,
                end: i,
            });
        }
        if !c.is_ascii() && !c.is_whitespace() && !is_joiner(c) {
            let end = i + c.len_utf8();
            out.push(Token {
                text: fold(&text[i..end]),
                start: i,
                end,
            });
        }
    }
    if let Some(start) = run {
        out.push(Token {
            text: fold(&text[start..]),
            start,
            end: text.len(),
        });
    }
    out
}

#[derive(Default, Debug, Clone)]
struct Node {
    next: FxHashMap<Box<str>, u32>,
    /// Labels (indicator indices) of phrases ending here.
    labels: Vec<u16>,
}

/// A token trie over phrases, each labelled with one or more indicator indices.
#[derive(Debug, Clone)]
pub struct Lexicon {
    nodes: Vec<Node>,
    depth: usize,
}

impl Default for Lexicon {
    fn default() -> Self {
        Self {
            nodes: vec![Node::default()],
            depth: 0,
        }
    }
}

impl Lexicon {
    /// Adds `phrase` with `label`.
    pub fn insert(&mut self, phrase: &str, label: u16) {
        let toks = tokens(phrase);
        if toks.is_empty() {
            return;
        }
        self.depth = self.depth.max(toks.len());
        let mut node = 0usize;
        for t in toks {
            let next = self.nodes.len() as u32;
            let child = *self.nodes[node].next.entry(t.text.into()).or_insert(next);
            if child == next {
                self.nodes.push(Node::default());
            }
            node = child as usize;
        }
        if !self.nodes[node].labels.contains(&label) {
            self.nodes[node].labels.push(label);
        }
    }

    /// Leftmost-longest, non-overlapping matches: `(first token, last token exclusive, labels)`.
    pub fn find<'a>(&'a self, toks: &[Token]) -> Vec<(usize, usize, &'a [u16])> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            let mut node = 0usize;
            let mut best: Option<(usize, usize)> = None;
            for (k, t) in toks[i..].iter().take(self.depth).enumerate() {
                match self.nodes[node].next.get(t.text.as_str()) {
                    Some(&child) => node = child as usize,
                    None => break,
                }
                if !self.nodes[node].labels.is_empty() {
                    best = Some((i + k + 1, node));
                }
            }
            match best {
                Some((end, node)) => {
                    out.push((i, end, self.nodes[node].labels.as_slice()));
                    i = end;
                }
                None => i += 1,
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_fold_width_case_and_split_emoji() {
        let t = tokens("ＮＥＷ in-town🍒! she's");
        let texts: Vec<&str> = t.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["new", "in", "town", "🍒", "she", "s"]);
        assert_eq!((t[0].start, t[0].end), (0, 9));
    }

    #[test]
    fn leftmost_longest_wins() {
        let mut lex = Lexicon::default();
        lex.insert("new in town", 1);
        lex.insert("town", 2);
        lex.insert("in", 3);
        let toks = tokens("Brand NEW in Town today, in town");
        let got: Vec<(usize, usize, Vec<u16>)> = lex
            .find(&toks)
            .into_iter()
            .map(|(a, b, l)| (a, b, l.to_vec()))
            .collect();
        assert_eq!(got, [(1, 4, vec![1]), (5, 6, vec![3]), (6, 7, vec![2])]);
    }

    #[test]
    fn words_inside_words_do_not_match() {
        let mut lex = Lexicon::default();
        lex.insert("thai", 0);
        assert!(lex.find(&tokens("thailand thaiger")).is_empty());
    }
}
