//! Tip attachments: a short list of accepted types, checked by content (not by the declared
//! type alone), and identifying metadata removed before anything is stored: JPEG APP1–APP15
//! segments (EXIF with GPS and camera serials, XMP, IPTC) and PNG text and EXIF chunks. PDFs are
//! stored as sent (their metadata is not stripped; the README says so).

/// Accepted media types.
pub const ACCEPTED: &[&str] = &["image/jpeg", "image/png", "application/pdf", "text/plain"];

/// Why a file was refused (safe to show; never echoes content).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error(
        "media type not accepted; send one of: image/jpeg, image/png, application/pdf, text/plain"
    )]
    TypeNotAccepted,
    #[error("content does not match the declared media type")]
    ContentMismatch,
    #[error("the file is damaged or truncated")]
    Malformed,
    #[error("the file name contains a control or text-direction character")]
    NameCharacters,
    #[error("the file name is longer than 255 characters")]
    NameTooLong,
}

/// A file name as display metadata: the part after the last `/` or `\` (browsers send
/// `C:\fakepath\x.jpg`), trimmed; `None` when nothing is left. Control and bidirectional
/// characters (`invoice\u{202e}gpj.exe` tricks) are refused. The name is never used as a path:
/// the blob store names files by digest and downloads get a server-made name.
pub fn display_name(raw: &str) -> Result<Option<String>, FileError> {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("").trim();
    let bidi = |c: char| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}');
    if raw.chars().any(|c| c.is_control() || bidi(c)) {
        return Err(FileError::NameCharacters);
    }
    if base.chars().count() > 255 {
        return Err(FileError::NameTooLong);
    }
    Ok((!base.is_empty() && base != "." && base != "..").then(|| base.to_owned()))
}

/// Checks `content` against `media_type` and returns the bytes to store.
pub fn sanitise(media_type: &str, content: &[u8]) -> Result<Vec<u8>, FileError> {
    match media_type {
        "image/jpeg" => strip_jpeg(content),
        "image/png" => strip_png(content),
        "application/pdf" => {
            if content.starts_with(b"%PDF-") {
                Ok(content.to_vec())
            } else {
                Err(FileError::ContentMismatch)
            }
        }
        "text/plain" => {
            if std::str::from_utf8(content).is_ok() && !content.contains(&0) {
                Ok(content.to_vec())
            } else {
                Err(FileError::ContentMismatch)
            }
        }
        _ => Err(FileError::TypeNotAccepted),
    }
}

/// Copies a JPEG without APPn (n ≥ 1) and COM segments; everything from SOS on is copied as is.
fn strip_jpeg(b: &[u8]) -> Result<Vec<u8>, FileError> {
    if !b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Err(FileError::ContentMismatch);
    }
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    let mut i = 2;
    loop {
        if i + 4 > b.len() || b[i] != 0xFF {
            return Err(FileError::Malformed);
        }
        let marker = b[i + 1];
        if marker == 0xFF {
            // Fill byte.
            i += 1;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([b[i + 2], b[i + 3]]));
        if len < 2 || i + 2 + len > b.len() {
            return Err(FileError::Malformed);
        }
        let segment = &b[i..i + 2 + len];
        if marker == 0xDA {
            // Start of scan: the rest is entropy-coded data and the end marker.
            out.extend_from_slice(&b[i..]);
            return Ok(out);
        }
        let drop = (0xE1..=0xEF).contains(&marker) || marker == 0xFE;
        if !drop {
            out.extend_from_slice(segment);
        }
        i += 2 + len;
    }
}

const PNG_SIG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

/// Copies a PNG without tEXt, zTXt, iTXt, eXIf and tIME chunks.
fn strip_png(b: &[u8]) -> Result<Vec<u8>, FileError> {
    if !b.starts_with(PNG_SIG) {
        return Err(FileError::ContentMismatch);
    }
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(PNG_SIG);
    let mut i = PNG_SIG.len();
    loop {
        if i + 12 > b.len() {
            return Err(FileError::Malformed);
        }
        let len = usize::try_from(u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]))
            .map_err(|_| FileError::Malformed)?;
        let end = i
            .checked_add(12)
            .and_then(|x| x.checked_add(len))
            .filter(|e| *e <= b.len())
            .ok_or(FileError::Malformed)?;
        let kind = &b[i + 4..i + 8];
        let drop = matches!(kind, b"tEXt" | b"zTXt" | b"iTXt" | b"eXIf" | b"tIME");
        if !drop {
            out.extend_from_slice(&b[i..end]);
        }
        i = end;
        if kind == b"IEND" {
            return Ok(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg_with_exif() -> Vec<u8> {
        let mut v = vec![0xFF, 0xD8];
        v.extend_from_slice(&[0xFF, 0xE0, 0x00, 0x06, b'J', b'F', b'I', b'F']); // APP0 kept
        let exif = b"Exif\0\0GPS 33.4484N CAMERA-SERIAL-555";
        v.extend_from_slice(&[0xFF, 0xE1, 0x00, u8::try_from(exif.len() + 2).unwrap()]);
        v.extend_from_slice(exif);
        v.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x02, 1, 2, 3, 0xFF, 0xD9]);
        v
    }

    #[test]
    fn jpeg_metadata_is_removed_and_image_kept() {
        let out = sanitise("image/jpeg", &jpeg_with_exif()).unwrap();
        assert!(!out.windows(6).any(|w| w == b"SERIAL"));
        assert!(out.windows(4).any(|w| w == b"JFIF"));
        assert!(out.ends_with(&[1, 2, 3, 0xFF, 0xD9]));
    }

    #[test]
    fn png_text_chunks_are_removed() {
        let chunk = |kind: &[u8], data: &[u8]| {
            let mut c = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
            c.extend_from_slice(kind);
            c.extend_from_slice(data);
            c.extend_from_slice(&[0, 0, 0, 0]);
            c
        };
        let mut png = PNG_SIG.to_vec();
        png.extend(chunk(b"IHDR", &[0; 13]));
        png.extend(chunk(b"tEXt", b"Author\0Jane Synthetic"));
        png.extend(chunk(b"IDAT", &[1, 2, 3]));
        png.extend(chunk(b"IEND", &[]));
        let out = sanitise("image/png", &png).unwrap();
        assert!(!out.windows(4).any(|w| w == b"Jane"));
        assert!(out.windows(4).any(|w| w == b"IDAT"));
    }

    #[test]
    fn wrong_or_broken_content_is_refused() {
        assert_eq!(
            sanitise("image/png", b"%PDF-1.7"),
            Err(FileError::ContentMismatch)
        );
        assert_eq!(
            sanitise("application/pdf", b"\x89PNG"),
            Err(FileError::ContentMismatch)
        );
        assert_eq!(
            sanitise("text/plain", b"a\0b"),
            Err(FileError::ContentMismatch)
        );
        assert_eq!(
            sanitise("application/x-msdownload", b"MZ"),
            Err(FileError::TypeNotAccepted)
        );
        assert_eq!(
            sanitise("image/jpeg", &[0xFF, 0xD8, 0xFF, 0xE1, 0xFF]),
            Err(FileError::Malformed)
        );
    }

    #[test]
    fn names_are_display_text_only() {
        assert_eq!(display_name("van.jpg"), Ok(Some("van.jpg".into())));
        assert_eq!(display_name("../../etc/passwd"), Ok(Some("passwd".into())));
        assert_eq!(
            display_name("C:\\fakepath\\plate.png"),
            Ok(Some("plate.png".into()))
        );
        assert_eq!(display_name("dir/.."), Ok(None));
        assert_eq!(display_name("  "), Ok(None));
        assert_eq!(
            display_name("invoice\u{202e}gpj.exe"),
            Err(FileError::NameCharacters)
        );
        assert_eq!(display_name("a\nb.txt"), Err(FileError::NameCharacters));
        assert_eq!(display_name(&"x".repeat(256)), Err(FileError::NameTooLong));
    }

    proptest::proptest! {
        /// Whatever is sent, a kept name has no separator, control or bidi character.
        #[test]
        fn kept_names_are_plain(raw in "\\PC{0,40}") {
            if let Ok(Some(n)) = display_name(&raw) {
                proptest::prop_assert!(!n.contains('/') && !n.contains('\\'));
                proptest::prop_assert!(!n.chars().any(char::is_control));
                proptest::prop_assert!(n != ".." && !n.is_empty());
            }
        }

        #[test]
        fn never_panics(ty in 0usize..4, bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let mut b = match ty { 0 => vec![0xFF, 0xD8, 0xFF], 1 => PNG_SIG.to_vec(), _ => Vec::new() };
            b.extend(bytes);
            let _ = sanitise(ACCEPTED[ty], &b);
        }
    }
}
