//! Crypto wallet addresses (design §5): Bitcoin Base58Check (P2PKH/P2SH), Bitcoin
//! bech32/bech32m segwit, Ethereum with EIP-55 (which also covers the tokens on it and on the
//! chains that share its address form), and beyond the design doc the two other chains task
//! forces meet most in these cases: TRON (`T…`, Base58Check with version 0x41; USDT-TRC20 is
//! the usual stablecoin of trafficking and scam payments) and Litecoin (`L…`/`M…` Base58Check,
//! `ltc1…` segwit). A shape alone is never enough: every address must pass its checksum.

use sha2::{Digest, Sha256};
use sha3::Keccak256;

use crate::Span;

/// Which chain an address belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WalletChain {
    Bitcoin,
    Ethereum,
    Tron,
    Litecoin,
}

impl WalletChain {
    pub fn as_str(self) -> &'static str {
        match self {
            WalletChain::Bitcoin => "btc",
            WalletChain::Ethereum => "eth",
            WalletChain::Tron => "trx",
            WalletChain::Litecoin => "ltc",
        }
    }
}

/// One validated address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalletHit {
    pub span: Span,
    /// The original text at `span`.
    pub raw: String,
    pub chain: WalletChain,
    /// Normalised key: base58 as written, bech32 and Ethereum lowercased.
    pub address: String,
    /// The checksum that was verified: `base58check`, `bech32`, `bech32m`, `eip55` or `none`
    /// (an all-lower or all-upper Ethereum address carries no checksum).
    pub checksum: &'static str,
}

/// Finds every checksum-valid address in `text`, de-duplicated by address.
pub fn find(text: &str) -> Vec<WalletHit> {
    let bytes = text.as_bytes();
    let mut out: Vec<WalletHit> = Vec::new();
    // Every address is a run of at least 26 letters and digits; most texts have none.
    if !has_long_run(bytes) {
        return out;
    }
    let mut kept = crate::dedup::KeptKeys::default();
    for std::ops::Range { start: a, end } in candidate_runs(bytes) {
        let tok = &text[a..end];
        let hit = check_eth(tok)
            .map(|(address, checksum)| (WalletChain::Ethereum, address, checksum))
            .or_else(|| check_segwit(tok))
            .or_else(|| base58_chain(tok).map(|chain| (chain, tok.to_owned(), "base58check")));
        if let Some((chain, address, checksum)) = hit {
            if !kept.contains_str(&out, |h| &h.address, &address) {
                out.push(WalletHit {
                    raw: String::new(),
                    span: a..end,
                    chain,
                    address,
                    checksum,
                });
            }
        }
    }
    out
}

/// Shortest and longest address checked (a Litecoin P2WSH address is 63 bytes).
const MIN_LEN: usize = 26;
const MAX_LEN: usize = 63;

/// The maximal ASCII-alphanumeric runs of 26–63 bytes, in order.
///
/// `i` is always 0 or just after a non-alphanumeric byte, so every range starts and ends on a
/// char boundary. A run of at least 26 bytes starting at or after `i` covers the 26 bytes from
/// its start, so it cannot start at or before a non-alphanumeric byte among `i..i + 26`: the
/// scan reads that window backwards and jumps past the first such byte it meets (in ordinary
/// text after a few bytes, so most bytes are never read). A window without one is the start of
/// a run, whose end is then found forwards.
fn candidate_runs(bytes: &[u8]) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        while let Some(window) = bytes.get(i..i + MIN_LEN) {
            if let Some(k) = window.iter().rposition(|&b| !ALPHANUMERIC[usize::from(b)]) {
                i += k + 1;
                continue;
            }
            let a = i;
            let end = a
                + MIN_LEN
                + bytes[a + MIN_LEN..]
                    .iter()
                    .position(|&b| !ALPHANUMERIC[usize::from(b)])
                    .unwrap_or(bytes.len() - a - MIN_LEN);
            i = end + 1;
            if end - a <= MAX_LEN {
                return Some(a..end);
            }
        }
        None
    })
}

/// Whether `bytes` may hold [`MIN_LEN`] ASCII letters and digits in a row (a superset of
/// [`candidate_runs`] being non-empty), without a branch that depends on the bytes. Such a run
/// covers two whole consecutive eight-byte words of the text (counted from its start: 26 bytes
/// hold at least two whole words at every offset), so it is enough to look for two consecutive
/// words of letters and digits, each tested by a few word-wide subtractions ([`alnum_word`]).
/// Ordinary text has a space or punctuation in nearly every sixteen bytes.
fn has_long_run(bytes: &[u8]) -> bool {
    let mut found = false;
    let mut previous = false;
    for word in bytes.chunks_exact(8) {
        let mut lanes = [0u8; 8];
        lanes.copy_from_slice(word);
        let ok = alnum_word(u64::from_le_bytes(lanes));
        found |= previous & ok;
        previous = ok;
    }
    found
}

/// Whether all eight bytes of `w` are ASCII letters or digits.
fn alnum_word(w: u64) -> bool {
    const fn lanes(b: u8) -> u64 {
        u64::from_le_bytes([b; 8])
    }
    const TOP: u64 = lanes(0x80);
    // With each byte's top bit set, no byte borrows from the next in a subtraction of at most
    // 0x7f, and the top bit stays set exactly where the byte (below 0x80) is at least what was
    // subtracted. Bit 5 set folds upper-case letters onto lower-case ones.
    let raw = w | TOP;
    let folded = raw | lanes(0x20);
    let digit = raw.wrapping_sub(lanes(b'0')) & !raw.wrapping_sub(lanes(b'9' + 1));
    let letter = folded.wrapping_sub(lanes(b'a')) & !folded.wrapping_sub(lanes(b'z' + 1));
    (w & TOP == 0) & ((digit | letter) & TOP == TOP)
}

/// `u8::is_ascii_alphanumeric` as a table: one load per byte in the scan.
static ALPHANUMERIC: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    table
};

/// EIP-55: `0x` + 40 hex; mixed case must match the Keccak-256 of the lowercase hex.
pub fn check_eth(tok: &str) -> Option<(String, &'static str)> {
    let hex = tok.strip_prefix("0x").or_else(|| tok.strip_prefix("0X"))?;
    if hex.len() != 40 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let lower = hex.to_ascii_lowercase();
    let has_upper = hex.bytes().any(|b| b.is_ascii_uppercase());
    let has_lower = hex.bytes().any(|b| b.is_ascii_lowercase());
    if has_upper && has_lower {
        let hash = Keccak256::digest(lower.as_bytes());
        for (k, b) in hex.bytes().enumerate() {
            if !b.is_ascii_alphabetic() {
                continue;
            }
            let nibble = (hash[k / 2] >> if k % 2 == 0 { 4 } else { 0 }) & 0xf;
            if (nibble >= 8) != b.is_ascii_uppercase() {
                return None;
            }
        }
        return Some((format!("0x{lower}"), "eip55"));
    }
    Some((format!("0x{lower}"), "none"))
}

const BECH32_CHARSET: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";

fn bech32_polymod(values: impl Iterator<Item = u8>) -> u32 {
    const GEN: [u32; 5] = [
        0x3b6a_57b2,
        0x2650_8e6d,
        0x1ea1_19fa,
        0x3d42_33dd,
        0x2a14_62b3,
    ];
    let mut chk: u32 = 1;
    for v in values {
        let top = chk >> 25;
        chk = ((chk & 0x01ff_ffff) << 5) ^ u32::from(v);
        for (i, g) in GEN.iter().enumerate() {
            if (top >> i) & 1 == 1 {
                chk ^= g;
            }
        }
    }
    chk
}

/// BIP-173 (witness v0) / BIP-350 (v1+) Bitcoin mainnet segwit address; mixed case is invalid.
pub fn check_bech32(tok: &str) -> Option<(String, &'static str)> {
    segwit(tok, "bc")
}

/// A Bitcoin (`bc1…`) or Litecoin (`ltc1…`) mainnet segwit address, with its chain.
fn check_segwit(tok: &str) -> Option<(WalletChain, String, &'static str)> {
    let (chain, hrp) = match tok.as_bytes().first()?.to_ascii_lowercase() {
        b'b' => (WalletChain::Bitcoin, "bc"),
        b'l' => (WalletChain::Litecoin, "ltc"),
        _ => return None,
    };
    segwit(tok, hrp).map(|(address, checksum)| (chain, address, checksum))
}

/// A mainnet segwit address with human-readable part `hrp` (BIP-173 for witness v0, BIP-350
/// for v1+), lowercased, and the checksum it passed; mixed case is invalid. A v0 program is 20
/// or 32 bytes, so with the `1` separator the address is 40 or 60 characters longer than `hrp`.
fn segwit(tok: &str, hrp: &str) -> Option<(String, &'static str)> {
    if tok.len() != hrp.len() + 40 && tok.len() != hrp.len() + 60 {
        return None;
    }
    let has_upper = tok.bytes().any(|b| b.is_ascii_uppercase());
    let has_lower = tok.bytes().any(|b| b.is_ascii_lowercase());
    if has_upper && has_lower {
        return None;
    }
    let lower = tok.to_ascii_lowercase();
    let data_part = lower.strip_prefix(hrp)?.strip_prefix('1')?;
    let data: Vec<u8> = data_part
        .bytes()
        .map(|c| BECH32_CHARSET.iter().position(|&x| x == c).map(|p| p as u8))
        .collect::<Option<_>>()?;
    let hrp = hrp.as_bytes();
    let expanded = hrp
        .iter()
        .map(|c| c >> 5)
        .chain(std::iter::once(0))
        .chain(hrp.iter().map(|c| c & 31));
    let poly = bech32_polymod(expanded.chain(data.iter().copied()));
    let version = *data.first()?;
    let program_len = (data.len() - 1 - 6) * 5 / 8;
    let checksum = match (version, poly) {
        (0, 1) if program_len == 20 || program_len == 32 => "bech32",
        (1..=16, 0x2bc8_30a3) => "bech32m",
        _ => return None,
    };
    Some((lower, checksum))
}

const BASE58: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// Base58Check with version 0x00 (P2PKH) or 0x05 (P2SH), 25 bytes, double SHA-256 checksum.
pub fn check_base58(tok: &str) -> bool {
    base58_chain(tok) == Some(WalletChain::Bitcoin)
}

/// The chain of a Base58Check address by its first character and version byte: Bitcoin `1`
/// (0x00) or `3` (0x05, which Litecoin's old P2SH form shares and is read as Bitcoin), TRON `T`
/// (0x41, always 34 characters), Litecoin `L` (0x30) or `M` (0x32).
fn base58_chain(tok: &str) -> Option<WalletChain> {
    let (chain, versions): (WalletChain, &[u8]) = match tok.as_bytes().first()? {
        b'1' => (WalletChain::Bitcoin, &[0x00]),
        b'3' => (WalletChain::Bitcoin, &[0x05]),
        b'T' if tok.len() == 34 => (WalletChain::Tron, &[0x41]),
        b'L' => (WalletChain::Litecoin, &[0x30]),
        b'M' => (WalletChain::Litecoin, &[0x32]),
        _ => return None,
    };
    let version = base58check_version(tok)?;
    versions.contains(&version).then_some(chain)
}

/// The version byte of a 26–35 character Base58Check string that decodes to 25 bytes whose
/// last four are the first four of the double SHA-256 of the rest.
fn base58check_version(tok: &str) -> Option<u8> {
    if !(26..=35).contains(&tok.len()) {
        return None;
    }
    let mut num: Vec<u8> = Vec::with_capacity(25); // big-endian
    for c in tok.bytes() {
        let v = BASE58.iter().position(|&x| x == c)?;
        let mut carry = v as u32;
        for byte in num.iter_mut().rev() {
            carry += u32::from(*byte) * 58;
            *byte = (carry & 0xff) as u8;
            carry >>= 8;
        }
        while carry > 0 {
            num.insert(0, (carry & 0xff) as u8);
            carry >>= 8;
        }
    }
    let zeros = tok.bytes().take_while(|&c| c == b'1').count();
    let mut full = vec![0u8; zeros];
    full.extend_from_slice(&num);
    if full.len() != 25 {
        return None;
    }
    let first = Sha256::digest(&full[..21]);
    let second = Sha256::digest(first);
    (second[..4] == full[21..]).then_some(full[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_vectors_from_the_design_doc() {
        assert!(check_base58("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"));
        assert!(!check_base58("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb"));
        assert_eq!(
            check_bech32("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4").map(|x| x.1),
            Some("bech32")
        );
        assert!(check_bech32("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4").is_some());
        assert!(check_bech32("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5").is_none());
        assert!(
            check_bech32("bc1qw508d6qejxtdg4y5r3zarvary0c5XW7kv8f3t4").is_none(),
            "mixed case"
        );
        assert_eq!(
            check_eth("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed").map(|x| x.1),
            Some("eip55")
        );
        assert!(check_eth("0x5aaeb6053F3E94C9b9A09f33669435E7Ef1BeAed").is_none());
        assert_eq!(
            check_eth("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed").map(|x| x.1),
            Some("none")
        );
    }

    proptest::proptest! {
        /// The skipping scan yields exactly the maximal alphanumeric runs of 26–62 bytes.
        #[test]
        fn candidate_runs_are_the_long_tokens(text in "([a-zA-Z0-9]{0,70}[ .\\-é€]{0,3}){0,8}") {
            let bytes = text.as_bytes();
            let mut want = Vec::new();
            let mut i = 0;
            while i < bytes.len() {
                if !bytes[i].is_ascii_alphanumeric() {
                    i += 1;
                    continue;
                }
                let a = i;
                while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                    i += 1;
                }
                if (MIN_LEN..=MAX_LEN).contains(&(i - a)) {
                    want.push(a..i);
                }
            }
            proptest::prop_assert_eq!(candidate_runs(bytes).collect::<Vec<_>>(), want);
        }
    }

    /// What [`has_long_run`] computes, byte by byte: two consecutive whole eight-byte words
    /// (counted from the start) of letters and digits.
    fn has_long_run_reference(bytes: &[u8]) -> bool {
        let words: Vec<bool> = bytes
            .chunks_exact(8)
            .map(|w| w.iter().all(u8::is_ascii_alphanumeric))
            .collect();
        words.windows(2).any(|pair| pair[0] && pair[1])
    }

    /// Whether some 26 bytes in a row are letters or digits (what [`has_long_run`] must not miss).
    fn has_run_of_26(bytes: &[u8]) -> bool {
        bytes
            .windows(MIN_LEN)
            .any(|w| w.iter().all(u8::is_ascii_alphanumeric))
    }

    #[test]
    fn long_runs_are_seen_at_every_offset_and_length() {
        for len in 0..100 {
            for run in [15, 16, 25, 26, 27, 64] {
                for at in 0..=len {
                    // A run of `run` letters and digits at `at` in text of spaces, cut to `len`.
                    let mut text = vec![b' '; len.max(at + run)];
                    for (k, b) in text[at..at + run].iter_mut().enumerate() {
                        *b = b"aZ09m"[k % 5];
                    }
                    text.truncate(len);
                    let found = has_long_run(&text);
                    assert_eq!(found, has_long_run_reference(&text), "{len} {run} {at}");
                    assert!(found || !has_run_of_26(&text), "{len} {run} {at}");
                }
            }
        }
    }

    #[test]
    fn alnum_word_is_exact_for_every_byte_at_every_place() {
        for byte in 0..=255u8 {
            for place in 0..8 {
                for filler in [b'a', b'Z', b'0', b'9'] {
                    let mut lanes = [filler; 8];
                    lanes[place] = byte;
                    assert_eq!(
                        alnum_word(u64::from_le_bytes(lanes)),
                        byte.is_ascii_alphanumeric(),
                        "{byte:#x} at {place}"
                    );
                }
            }
        }
    }

    proptest::proptest! {
        /// The word test agrees with its byte-by-byte definition and never rules out a
        /// candidate run.
        #[test]
        fn long_run_test_equals_the_reference(
            text in "([a-zA-Z0-9]{0,40}[ .\\-é€_@:/`{\\[]{0,2}){0,12}"
        ) {
            let bytes = text.as_bytes();
            proptest::prop_assert_eq!(has_long_run(bytes), has_long_run_reference(bytes));
            if has_run_of_26(bytes) || candidate_runs(bytes).next().is_some() {
                proptest::prop_assert!(has_long_run(bytes));
            }
        }
    }

    /// TRON's USDT contract address (public), and synthetic TRON and Litecoin addresses made
    /// with the reference encodings (Base58Check; BIP-173 with `ltc`).
    #[test]
    fn tron_and_litecoin_addresses() {
        let chain = |tok: &str| {
            let hits = find(&format!("pay {tok} now"));
            assert!(hits.len() <= 1, "{tok}");
            hits.first()
                .map(|h| (h.chain.as_str(), h.address.clone(), h.checksum))
        };
        for tok in [
            "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
            "TX7ZHhc6xCqdcuDvEeEtYCRitV8n1z2BdM",
        ] {
            assert_eq!(chain(tok), Some(("trx", tok.to_owned(), "base58check")));
        }
        assert_eq!(
            chain("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u"),
            None,
            "checksum"
        );
        assert_eq!(
            chain("LU7PELJCgJdHMiMTeEjVQ76VWMBkz3bfyd").map(|c| c.0),
            Some("ltc")
        );
        assert_eq!(
            chain("M9HCZJ6AFRNxNkkXHBxneYYvWVwBorgqB9").map(|c| c.0),
            Some("ltc")
        );
        assert_eq!(
            chain("LU7PELJCgJdHMiMTeEjVQ76VWMBkz3bfye"),
            None,
            "checksum"
        );
        for tok in [
            "ltc1qcsau44mvqz9fkznttlynx922dh3ggp9gautrcq",
            "ltc1qjlzj2f3wdf7q0097apqlw3w9t48f7arlv9gkf3hh9rt3sdfhzwpq50lz8k",
        ] {
            assert_eq!(chain(tok), Some(("ltc", tok.to_owned(), "bech32")));
            assert_eq!(
                chain(&tok.to_ascii_uppercase()),
                Some(("ltc", tok.to_owned(), "bech32"))
            );
        }
        assert_eq!(
            chain("ltc1qcsau44mvqz9fkznttlynx922dh3ggp9gautrcp"),
            None,
            "checksum"
        );
        // A TRON version byte under another first character, and the reverse, are nothing.
        assert_eq!(
            base58_chain("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"),
            Some(WalletChain::Bitcoin)
        );
        assert!(!check_base58("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"));
        // Bitcoin's vectors are unchanged (the design doc's, through `find`).
        assert_eq!(
            chain("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4").map(|c| c.0),
            Some("btc")
        );
    }

    #[test]
    fn bech32m_taproot_vector() {
        // BIP-350 test vector (mainnet, witness v1).
        let t = "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0";
        assert_eq!(check_bech32(t).map(|x| x.1), Some("bech32m"));
    }

    #[test]
    fn finds_addresses_in_text_and_ignores_lookalikes() {
        let hits =
            find("btc: 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa, not 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].span, 5..39);
    }

    /// Many distinct addresses in one text are found in linear time (a scan of the kept ones
    /// per hit took minutes for this text before, hours for a 10 MB line); repeats still go.
    #[test]
    fn many_distinct_addresses() {
        let n = 100_000;
        let text: String = (0..n)
            .map(|i| format!("0x{i:040x} 0x{:040x} ", i / 2))
            .collect();
        assert_eq!(find(&text).len(), n);
    }
}
