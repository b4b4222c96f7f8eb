//! Fixity: re-hash every blob the database knows, and compare the disk with the database's ledger
//! of blobs (mismatched, missing, orphaned). Used by `vigil evidence verify` and the tests.

use crate::blobs::{BlobError, BlobStore};
use std::collections::BTreeMap;
use std::path::PathBuf;
use vigil_types::Sha256Digest;

/// A blob whose bytes no longer match the ledger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    pub digest: Sha256Digest,
    /// What the bytes on disk hash to now.
    pub actual: Sha256Digest,
    pub expected_size: u64,
    pub actual_size: u64,
}

/// What a fixity run found.
#[derive(Debug, Default)]
pub struct FixityReport {
    /// Blobs re-hashed.
    pub checked: u64,
    /// Bytes re-hashed.
    pub bytes: u64,
    pub mismatched: Vec<Mismatch>,
    /// In the ledger, not on disk.
    pub missing: Vec<Sha256Digest>,
    /// On disk, not in the ledger (e.g. a crash between the blob write and its row's commit).
    pub orphans: Vec<Sha256Digest>,
    /// Files in the blob tree that are not blobs.
    pub strays: Vec<PathBuf>,
    /// Temp files of unfinished uploads (informational: an upload may be in progress).
    pub partials: Vec<PathBuf>,
}

impl FixityReport {
    /// No mismatches, missing blobs, orphans or strays.
    #[must_use]
    pub fn is_clean(&self) -> bool {
        self.mismatched.is_empty()
            && self.missing.is_empty()
            && self.orphans.is_empty()
            && self.strays.is_empty()
    }
}

/// Re-hashes every blob in `ledger` (digest → recorded size) and compares the disk with it.
/// `progress` gets the bytes re-hashed so far after each blob.
pub fn verify(
    store: &BlobStore,
    ledger: &BTreeMap<Sha256Digest, u64>,
    mut progress: impl FnMut(u64),
) -> Result<FixityReport, BlobError> {
    let scan = store.scan()?;
    let mut report = FixityReport {
        strays: scan.strays,
        partials: scan.partials,
        ..FixityReport::default()
    };
    for (digest, _) in &scan.blobs {
        if !ledger.contains_key(digest) {
            report.orphans.push(*digest);
        }
    }
    for (digest, &expected_size) in ledger {
        match store.rehash(digest) {
            Ok((actual, actual_size)) => {
                report.checked += 1;
                report.bytes += actual_size;
                if actual != *digest || actual_size != expected_size {
                    report.mismatched.push(Mismatch {
                        digest: *digest,
                        actual,
                        expected_size,
                        actual_size,
                    });
                }
            }
            Err(BlobError::Missing(d)) => report.missing.push(d),
            Err(e) => return Err(e),
        }
        progress(report.bytes);
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn finds_mismatch_missing_orphan_and_stray() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::new(dir.path());
        let good = store.ingest_bytes(b"good").unwrap();
        let bad = store.ingest_bytes(b"will be damaged").unwrap();
        let orphan = store.ingest_bytes(b"never committed").unwrap();
        let gone = store.ingest_bytes(b"deleted").unwrap();
        let path = store.path(&bad.digest);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
        std::fs::write(&path, b"will be damagee").unwrap();
        std::fs::remove_file(store.path(&gone.digest)).unwrap();
        let ledger: BTreeMap<_, _> = [good, bad, gone]
            .iter()
            .map(|i| (i.digest, i.size))
            .collect();
        let r = verify(&store, &ledger, |_| {}).unwrap();
        assert_eq!(r.checked, 2);
        assert_eq!(r.mismatched.len(), 1);
        assert_eq!(r.mismatched[0].digest, bad.digest);
        assert_eq!(r.missing, vec![gone.digest]);
        assert_eq!(r.orphans, vec![orphan.digest]);
        assert!(!r.is_clean());
        let clean: BTreeMap<_, _> = [(good.digest, good.size), (orphan.digest, orphan.size)]
            .into_iter()
            .collect();
        let mut store_only_good = verify(&store, &clean, |_| {}).unwrap();
        store_only_good.orphans.retain(|d| *d != bad.digest);
        assert!(store_only_good.is_clean());
    }
}
