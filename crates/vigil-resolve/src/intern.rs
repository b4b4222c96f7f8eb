//! Interning of normalised values to dense integer ids, with occurrence counts.

use rustc_hash::FxHashMap;

/// The id meaning "no value".
pub const NONE: u32 = u32::MAX;

/// A dictionary of distinct strings; ids are dense from 0.
#[derive(Clone, Debug, Default)]
pub struct Interner {
    ids: FxHashMap<Box<str>, u32>,
    /// All strings back to back (one allocation, good locality); `ends[i]` closes string i.
    arena: String,
    ends: Vec<usize>,
}

impl Interner {
    /// The id of `s`, adding it when new. Empty strings are [`NONE`].
    pub fn intern(&mut self, s: &str) -> u32 {
        if s.is_empty() {
            return NONE;
        }
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = u32::try_from(self.ends.len()).unwrap_or(NONE - 1);
        self.arena.push_str(s);
        self.ends.push(self.arena.len());
        self.ids.insert(s.into(), id);
        id
    }

    /// The id of `s` when known.
    pub fn get(&self, s: &str) -> Option<u32> {
        self.ids.get(s).copied()
    }

    /// The string of an id ("" for [`NONE`] or unknown ids).
    pub fn resolve(&self, id: u32) -> &str {
        let i = id as usize;
        let Some(&end) = self.ends.get(i) else {
            return "";
        };
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.arena.get(start..end).unwrap_or("")
    }

    /// Number of distinct values.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interns_densely() {
        let mut i = Interner::default();
        assert_eq!(i.intern("a"), 0);
        assert_eq!(i.intern("b"), 1);
        assert_eq!(i.intern("a"), 0);
        assert_eq!(i.intern(""), NONE);
        assert_eq!(i.resolve(1), "b");
        assert_eq!(i.resolve(NONE), "");
    }
}
