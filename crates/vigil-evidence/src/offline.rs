//! Offline verification of an exported court package directory, without Vigil's database or
//! blob store: every line of `SHA256SUMS` is re-hashed (streaming), and files under the package
//! that the manifest does not list are reported. The same check `sha256sum -c SHA256SUMS` makes,
//! plus the unlisted files, for a recipient who has only the `vigil` binary.
//!
//! Manifest paths are never trusted as paths: only `custody-report.html` and `files/<name>`
//! with a plain file name (no separators, no `..`, no leading dot) are opened.

use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{ErrorKind, Read};
use std::path::{Path, PathBuf};
use vigil_types::Sha256Digest;

/// What the check found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PackageCheck {
    /// Files listed and checked.
    pub checked: usize,
    pub bytes: u64,
    /// Listed files whose bytes hash to something else: (path, listed, actual).
    pub mismatched: Vec<(String, Sha256Digest, Sha256Digest)>,
    /// Listed files that are not there.
    pub missing: Vec<String>,
    /// Files under `files/` that the manifest does not list.
    pub unlisted: Vec<String>,
    /// Manifest lines that are not `<64 hex>  <allowed path>` (1-based line numbers).
    pub bad_lines: Vec<usize>,
}

impl PackageCheck {
    /// Everything listed is present and intact, nothing is unlisted, every line parsed.
    #[must_use]
    pub fn is_intact(&self) -> bool {
        self.checked > 0
            && self.mismatched.is_empty()
            && self.missing.is_empty()
            && self.unlisted.is_empty()
            && self.bad_lines.is_empty()
    }
}

/// The package could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error("{} has no SHA256SUMS: not an evidence package directory", .0.display())]
    NoManifest(PathBuf),
    #[error("reading {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> CheckError + '_ {
    move |source| CheckError::Io {
        path: path.to_owned(),
        source,
    }
}

/// A manifest path the check may open, or `None`.
fn allowed(rel: &str) -> Option<&str> {
    if rel == "custody-report.html" {
        return Some(rel);
    }
    let name = rel.strip_prefix("files/")?;
    let plain = !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    plain.then_some(rel)
}

fn hash_file(path: &Path) -> Result<Option<(Sha256Digest, u64)>, CheckError> {
    let mut f = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io(path)(e)),
    };
    let mut h = Sha256::new();
    let mut buf = vec![0u8; crate::blobs::CHUNK];
    let mut n_total = 0u64;
    loop {
        let n = match f.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(io(path)(e)),
        };
        h.update(buf.get(..n).unwrap_or_default());
        n_total += n as u64;
    }
    Ok(Some((
        Sha256Digest::from_bytes(h.finalize().into()),
        n_total,
    )))
}

/// Checks the package rooted at `root` (the `evidence-<case id>` directory).
pub fn check_dir(root: &Path) -> Result<PackageCheck, CheckError> {
    let manifest_path = root.join("SHA256SUMS");
    let manifest = match std::fs::read_to_string(&manifest_path) {
        Ok(s) => s,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            return Err(CheckError::NoManifest(root.to_owned()))
        }
        Err(e) => return Err(io(&manifest_path)(e)),
    };
    let mut out = PackageCheck::default();
    let mut listed = std::collections::BTreeSet::new();
    for (i, line) in manifest.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let parsed = line
            .split_once("  ")
            .and_then(|(hex, rel)| Some((Sha256Digest::parse(hex).ok()?, allowed(rel)?)));
        let Some((want, rel)) = parsed else {
            out.bad_lines.push(i + 1);
            continue;
        };
        listed.insert(rel.to_owned());
        match hash_file(&root.join(rel))? {
            None => out.missing.push(rel.to_owned()),
            Some((got, size)) => {
                out.checked += 1;
                out.bytes += size;
                if got != want {
                    out.mismatched.push((rel.to_owned(), want, got));
                }
            }
        }
    }
    let files = root.join("files");
    match std::fs::read_dir(&files) {
        Ok(entries) => {
            for entry in entries {
                let entry = entry.map_err(io(&files))?;
                let rel = format!("files/{}", entry.file_name().to_string_lossy());
                if !listed.contains(&rel) {
                    out.unlisted.push(rel);
                }
            }
        }
        Err(e) if e.kind() == ErrorKind::NotFound => {}
        Err(e) => return Err(io(&files)(e)),
    }
    out.unlisted.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::package::{CustodyLine, Package, PackageItem};
    use crate::BlobStore;
    use vigil_types::{CaseId, EvidenceId, Timestamp};

    fn written(dir: &Path) -> (PathBuf, EvidenceId) {
        let blobs = BlobStore::new(dir.join("blobs"));
        let i = blobs.ingest_bytes(b"photo bytes").unwrap();
        let at = Timestamp::parse_rfc3339("2026-03-02T09:00:00Z").unwrap();
        let id = EvidenceId::new_random();
        let p = Package {
            case_id: CaseId::new_random(),
            case_number: "HT-1".into(),
            case_title: "T".into(),
            exported_at: at,
            exported_by: "A".into(),
            purpose: "P".into(),
            recipient: "R".into(),
            tool: "Vigil test".into(),
            items: vec![PackageItem {
                id,
                name: "x.jpg".into(),
                description: None,
                media_type: "image/jpeg".into(),
                size: i.size,
                sha256: i.digest,
                collected_by: "A".into(),
                collected_at: at,
                collected_where: None,
                custody: vec![CustodyLine {
                    at,
                    kind: "collected".into(),
                    actor: "A".into(),
                    from: None,
                    to: None,
                    purpose: None,
                    sha256: i.digest,
                }],
            }],
        };
        (p.write_dir(&blobs, &dir.join("out")).unwrap(), id)
    }

    #[test]
    fn a_written_package_checks_and_every_change_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let (root, id) = written(dir.path());
        let ok = check_dir(&root).unwrap();
        assert!(ok.is_intact(), "{ok:?}");
        assert_eq!(ok.checked, 2);

        let file = root.join(format!("files/{id}.jpg"));
        std::fs::write(&file, b"edited").unwrap();
        std::fs::write(root.join("files/extra.bin"), b"x").unwrap();
        let bad = check_dir(&root).unwrap();
        assert!(!bad.is_intact());
        assert_eq!(bad.mismatched.len(), 1);
        assert_eq!(bad.unlisted, vec!["files/extra.bin".to_owned()]);

        std::fs::remove_file(&file).unwrap();
        let gone = check_dir(&root).unwrap();
        assert_eq!(gone.missing, vec![format!("files/{id}.jpg")]);
    }

    #[test]
    fn manifest_paths_outside_the_package_are_never_opened() {
        let dir = tempfile::tempdir().unwrap();
        let (root, _) = written(dir.path());
        let mut m = std::fs::read_to_string(root.join("SHA256SUMS")).unwrap();
        let hex = "0".repeat(64);
        m.push_str(&format!(
            "{hex}  ../../etc/passwd\n{hex}  files/../x\n{hex}  /etc/hosts\n"
        ));
        std::fs::write(root.join("SHA256SUMS"), m).unwrap();
        let c = check_dir(&root).unwrap();
        assert_eq!(c.bad_lines, vec![3, 4, 5]);
        assert_eq!(c.checked, 2);
        assert!(!c.is_intact());
    }

    #[test]
    fn a_directory_without_manifest_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            check_dir(dir.path()),
            Err(CheckError::NoManifest(_))
        ));
    }
}
