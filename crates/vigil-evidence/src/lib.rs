//! Evidence files on disk: a content-addressed blob store (streaming SHA-256 ingest, fsync before
//! rename, read-only originals, fixity checks) and court export packages (ustar archive or
//! directory with a `SHA256SUMS` manifest and a printable HTML custody report).
//!
//! Nothing here knows SQL or HTTP: the store keeps the rows, the server the routes. The blob
//! store is shared by everything that keeps uploaded files (evidence, tip attachments).

pub mod blobs;
pub mod fixity;
pub mod offline;
pub mod package;
pub mod tar;

pub use blobs::{BlobError, BlobStore, Ingest, Ingested};
pub use fixity::{verify, FixityReport, Mismatch};
pub use offline::{check_dir, CheckError, PackageCheck};
pub use package::{CustodyLine, Package, PackageItem};
