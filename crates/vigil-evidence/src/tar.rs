//! A minimal POSIX ustar writer: regular files and directories with fixed owner and mode, read by
//! GNU tar, bsdtar, 7-Zip and Python's `tarfile`. Sizes of 8 GiB and more use the base-256 size
//! field that GNU tar and bsdtar understand. Paths are ours (ASCII, short), never user input.

/// Header and padding unit.
pub const BLOCK: usize = 512;

/// Why a header could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TarError {
    #[error("tar path must be 1–100 printable ASCII bytes without `..`")]
    BadPath,
}

/// What an entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    File,
    Dir,
}

fn put(field: &mut [u8], value: &[u8]) {
    for (d, s) in field.iter_mut().zip(value) {
        *d = *s;
    }
}

/// Writes `v` as zero-padded octal filling `field` except the final NUL.
fn octal(field: &mut [u8], v: u64) {
    let digits = field.len().saturating_sub(1);
    let text = format!("{v:0digits$o}");
    put(field, text.as_bytes());
    if let Some(last) = field.last_mut() {
        *last = 0;
    }
}

/// The 512-byte header of one entry.
pub fn header(path: &str, kind: Kind, size: u64, mtime: u64) -> Result<[u8; BLOCK], TarError> {
    let ok = !path.is_empty()
        && path.len() <= 100
        && path.bytes().all(|b| b.is_ascii_graphic())
        && !path.split('/').any(|seg| seg == "..")
        && !path.starts_with('/');
    if !ok {
        return Err(TarError::BadPath);
    }
    let mut h = [0u8; BLOCK];
    put(&mut h[0..100], path.as_bytes());
    let (mode, flag, size) = match kind {
        Kind::File => (0o444, b'0', size),
        Kind::Dir => (0o755, b'5', 0),
    };
    octal(&mut h[100..108], mode);
    octal(&mut h[108..116], 0);
    octal(&mut h[116..124], 0);
    if size < 0o777_7777_7777 {
        octal(&mut h[124..136], size);
    } else {
        // base-256: high bit set, big-endian in the remaining 11 bytes.
        h[124] = 0x80;
        put(&mut h[128..136], &size.to_be_bytes());
    }
    octal(&mut h[136..148], mtime.min(0o777_7777_7777));
    h[148..156].fill(b' ');
    h[156] = flag;
    put(&mut h[257..263], b"ustar\0");
    put(&mut h[263..265], b"00");
    put(&mut h[265..297], b"vigil");
    put(&mut h[297..329], b"vigil");
    octal(&mut h[329..337], 0);
    octal(&mut h[337..345], 0);
    let sum: u64 = h.iter().map(|&b| u64::from(b)).sum();
    let text = format!("{sum:06o}\0 ");
    put(&mut h[148..156], text.as_bytes());
    Ok(h)
}

/// Zero bytes that follow `size` bytes of content to fill its last block.
#[must_use]
pub fn padding(size: u64) -> usize {
    let rem = (size % BLOCK as u64) as usize;
    if rem == 0 {
        0
    } else {
        BLOCK - rem
    }
}

/// The end-of-archive marker: two zero blocks.
pub const END: [u8; 2 * BLOCK] = [0u8; 2 * BLOCK];

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn field(h: &[u8], r: std::ops::Range<usize>) -> String {
        String::from_utf8(h[r].iter().copied().take_while(|&b| b != 0).collect()).unwrap()
    }

    #[test]
    fn header_fields_and_checksum() {
        let h = header("pkg/files/a.bin", Kind::File, 1234, 1_700_000_000).unwrap();
        assert_eq!(field(&h, 0..100), "pkg/files/a.bin");
        assert_eq!(u64::from_str_radix(&field(&h, 124..136), 8).unwrap(), 1234);
        assert_eq!(field(&h, 100..108), "0000444");
        assert_eq!(&h[257..263], b"ustar\0");
        // The checksum counts its own field as spaces.
        let mut copy = h;
        copy[148..156].fill(b' ');
        let sum: u64 = copy.iter().map(|&b| u64::from(b)).sum();
        assert_eq!(
            u64::from_str_radix(field(&h, 148..156).trim(), 8).unwrap(),
            sum
        );
    }

    #[test]
    fn huge_sizes_use_base256() {
        let size = 10 * 1024 * 1024 * 1024u64;
        let h = header("big", Kind::File, size, 0).unwrap();
        assert_eq!(h[124], 0x80);
        assert_eq!(u64::from_be_bytes(h[128..136].try_into().unwrap()), size);
    }

    #[test]
    fn refuses_unsafe_paths() {
        for p in [
            "",
            "/etc/passwd",
            "a/../b",
            "sp ace",
            "x\n",
            &"a".repeat(101),
        ] {
            assert_eq!(header(p, Kind::File, 0, 0), Err(TarError::BadPath), "{p:?}");
        }
    }

    #[test]
    fn padding_fills_blocks() {
        assert_eq!(padding(0), 0);
        assert_eq!(padding(1), 511);
        assert_eq!(padding(512), 0);
        assert_eq!(padding(513), 511);
    }
}
