//! The court export package (E3): the original files, a `SHA256SUMS` manifest that `sha256sum -c`
//! checks offline, a self-contained printable HTML custody report, and a README saying how to
//! verify. Written as a ustar stream or into a directory. Stored evidence names are shown in the
//! report only; files in the package are named by evidence id.
//!
//! ```text
//! evidence-<case id>/
//!   README.txt
//!   SHA256SUMS                  <hex>  files/<evidence id>.<ext>   (and the report)
//!   custody-report.html
//!   files/<evidence id>.<ext>   byte-for-byte originals, verified while copied
//! ```

use crate::blobs::{BlobError, BlobStore};
use crate::tar::{self, Kind, TarError};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::Path;
use vigil_types::{CaseId, EvidenceId, Sha256Digest, Timestamp};

/// One line of an item's custody log, as the report shows it.
#[derive(Clone, Debug)]
pub struct CustodyLine {
    pub at: Timestamp,
    /// `collected`, `transferred`, `accessed` or `exported`.
    pub kind: String,
    pub actor: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub purpose: Option<String>,
    /// The digest recorded with the event.
    pub sha256: Sha256Digest,
}

/// One evidence item in the package.
#[derive(Clone, Debug)]
pub struct PackageItem {
    pub id: EvidenceId,
    pub name: String,
    pub description: Option<String>,
    pub media_type: String,
    pub size: u64,
    pub sha256: Sha256Digest,
    pub collected_by: String,
    pub collected_at: Timestamp,
    pub collected_where: Option<String>,
    pub custody: Vec<CustodyLine>,
}

/// Everything the package says.
#[derive(Clone, Debug)]
pub struct Package {
    pub case_id: CaseId,
    pub case_number: String,
    pub case_title: String,
    pub exported_at: Timestamp,
    pub exported_by: String,
    pub purpose: String,
    pub recipient: String,
    /// The producing tool and its version, e.g. `Vigil 0.1.0`.
    pub tool: String,
    pub items: Vec<PackageItem>,
}

/// Why a package could not be written.
#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    /// A blob failed its fixity check or is missing: the package is refused (EV-5).
    #[error(transparent)]
    Blob(#[from] BlobError),
    #[error(transparent)]
    Tar(#[from] TarError),
    #[error("writing the package")]
    Write(#[source] std::io::Error),
}

/// The file extension for a media type (so the recipient's tools open the file); `bin` when
/// unknown. The name uploaded with the file is never used.
#[must_use]
pub fn extension(media_type: &str) -> &'static str {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/gif" => "gif",
        "image/webp" => "webp",
        "image/tiff" => "tif",
        "image/heic" => "heic",
        "application/pdf" => "pdf",
        "text/plain" => "txt",
        "text/csv" => "csv",
        "application/json" => "json",
        "text/html" => "html.txt", // never rendered by accident
        "audio/mpeg" => "mp3",
        "audio/wav" | "audio/x-wav" => "wav",
        "video/mp4" => "mp4",
        "video/quicktime" => "mov",
        "application/zip" => "zip",
        "message/rfc822" => "eml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => "docx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => "xlsx",
        _ => "bin",
    }
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn opt(s: Option<&String>) -> String {
    s.map_or_else(|| "—".to_owned(), |v| escape(v))
}

impl Package {
    /// The top directory of the package.
    #[must_use]
    pub fn root(&self) -> String {
        format!("evidence-{}", self.case_id)
    }

    /// An item's path inside the package (relative to the root).
    #[must_use]
    pub fn file_path(item: &PackageItem) -> String {
        format!("files/{}.{}", item.id, extension(&item.media_type))
    }

    /// The manifest: one `sha256sum` line per file, then the report's.
    #[must_use]
    pub fn sha256sums(&self, report: &[u8]) -> String {
        let mut s = String::new();
        for item in &self.items {
            s.push_str(&format!("{}  {}\n", item.sha256, Self::file_path(item)));
        }
        let digest = Sha256Digest::from_bytes(Sha256::digest(report).into());
        s.push_str(&format!("{digest}  custody-report.html\n"));
        s
    }

    /// How to check the package without Vigil.
    #[must_use]
    pub fn readme(&self) -> String {
        format!(
            "Evidence package for case {number}, exported {at} by {by} ({tool}).\n\
             Purpose: {purpose}\nRecipient: {recipient}\nItems: {n}\n\n\
             Every file under files/ is a byte-for-byte copy of the original as received, named by\n\
             its evidence id. SHA256SUMS lists the SHA-256 digest of each file (computed when the\n\
             original was received and checked again while this package was written) and of the\n\
             custody report. To verify offline, in this directory:\n\n\
             \x20   sha256sum -c SHA256SUMS              (GNU coreutils)\n\
             \x20   shasum -a 256 -c SHA256SUMS          (macOS)\n\
             \x20   certutil -hashfile FILE SHA256       (Windows, one file at a time)\n\n\
             custody-report.html is the chain of custody of each item: who collected it, every\n\
             transfer, access and export, with times in UTC. Open it in a browser and print it.\n",
            number = self.case_number,
            at = self.exported_at.to_rfc3339_seconds(),
            by = self.exported_by,
            tool = self.tool,
            purpose = self.purpose,
            recipient = self.recipient,
            n = self.items.len(),
        )
    }

    /// The custody report: one self-contained HTML page (inline CSS, no script, no external
    /// resources), laid out for printing.
    #[must_use]
    pub fn report_html(&self) -> String {
        let mut h = String::with_capacity(4096 + self.items.len() * 2048);
        let title = format!(
            "Evidence custody report — case {}",
            escape(&self.case_number)
        );
        h.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n");
        h.push_str(&format!("<title>{title}</title>\n"));
        h.push_str(
            "<style>\nbody{font:11pt/1.4 Georgia,serif;margin:2em;color:#000}\
             h1{font-size:16pt}h2{font-size:13pt;margin-top:1.6em;border-bottom:1px solid #000}\
             table{border-collapse:collapse;width:100%;margin:.5em 0}\
             th,td{border:1px solid #444;padding:3px 5px;text-align:left;vertical-align:top}\
             th{background:#eee}code{font:9pt monospace;word-break:break-all}\
             .item{page-break-inside:avoid}\
             @media print{body{margin:0}h2{page-break-after:avoid}}\n</style>\n</head><body>\n",
        );
        h.push_str(&format!("<h1>{title}</h1>\n<table>\n"));
        for (k, v) in [
            (
                "Case",
                format!(
                    "{} — {}",
                    escape(&self.case_number),
                    escape(&self.case_title)
                ),
            ),
            ("Case id", format!("<code>{}</code>", self.case_id)),
            ("Exported (UTC)", escape(&self.exported_at.to_rfc3339())),
            ("Exported by", escape(&self.exported_by)),
            ("Purpose", escape(&self.purpose)),
            ("Recipient", escape(&self.recipient)),
            ("Produced by", escape(&self.tool)),
            ("Items", self.items.len().to_string()),
        ] {
            h.push_str(&format!("<tr><th>{k}</th><td>{v}</td></tr>\n"));
        }
        h.push_str(
            "</table>\n<p>Each file in <code>files/</code> is the original as received. \
                    Verify offline with <code>sha256sum -c SHA256SUMS</code> in the package \
                    directory.</p>\n",
        );
        for (n, item) in self.items.iter().enumerate() {
            h.push_str(&format!(
                "<div class=\"item\"><h2>Item {} — {}</h2>\n<table>\n",
                n + 1,
                escape(&item.name)
            ));
            for (k, v) in [
                ("Evidence id", format!("<code>{}</code>", item.id)),
                (
                    "File in package",
                    format!("<code>{}</code>", escape(&Self::file_path(item))),
                ),
                ("SHA-256", format!("<code>{}</code>", item.sha256)),
                ("Size (bytes)", item.size.to_string()),
                ("Media type (as declared)", escape(&item.media_type)),
                ("Description", opt(item.description.as_ref())),
                ("Collected by", escape(&item.collected_by)),
                (
                    "Collected at (UTC)",
                    escape(&item.collected_at.to_rfc3339()),
                ),
                ("Collected where", opt(item.collected_where.as_ref())),
            ] {
                h.push_str(&format!("<tr><th>{k}</th><td>{v}</td></tr>\n"));
            }
            h.push_str("</table>\n<table>\n<tr><th>#</th><th>Time (UTC)</th><th>Event</th>\
                        <th>By</th><th>From</th><th>To</th><th>Purpose</th><th>SHA-256 recorded</th></tr>\n");
            for (i, c) in item.custody.iter().enumerate() {
                h.push_str(&format!(
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>\n",
                    i + 1,
                    escape(&c.at.to_rfc3339()),
                    escape(&c.kind),
                    escape(&c.actor),
                    opt(c.from.as_ref()),
                    opt(c.to.as_ref()),
                    opt(c.purpose.as_ref()),
                    c.sha256,
                ));
            }
            h.push_str("</table></div>\n");
        }
        h.push_str("</body></html>\n");
        h
    }

    /// The exact length of `write_tar`'s output (sent as Content-Length, so a cut-off download
    /// is visibly short).
    #[must_use]
    pub fn tar_len(&self) -> u64 {
        let block = tar::BLOCK as u64;
        let padded = |n: u64| n + tar::padding(n) as u64;
        let report = self.report_html();
        let small = [
            self.readme().len() as u64,
            self.sha256sums(report.as_bytes()).len() as u64,
            report.len() as u64,
        ];
        let mut n = 2 * block; // the two directories
        for len in small {
            n += block + padded(len);
        }
        for item in &self.items {
            n += block + padded(item.size);
        }
        n + tar::END.len() as u64
    }

    /// Writes the package as a ustar stream. Each original is re-hashed while copied; a damaged
    /// or missing blob stops the stream before its last chunk (the archive is left incomplete).
    pub fn write_tar(&self, blobs: &BlobStore, w: &mut impl Write) -> Result<(), PackageError> {
        let mtime = u64::try_from(self.exported_at.unix_micros() / 1_000_000).unwrap_or(0);
        let root = self.root();
        let report = self.report_html();
        let sums = self.sha256sums(report.as_bytes());
        let readme = self.readme();
        let put = |w: &mut dyn Write, b: &[u8]| w.write_all(b).map_err(PackageError::Write);
        put(w, &tar::header(&format!("{root}/"), Kind::Dir, 0, mtime)?)?;
        for (name, body) in [
            ("README.txt", readme.as_bytes()),
            ("SHA256SUMS", sums.as_bytes()),
            ("custody-report.html", report.as_bytes()),
        ] {
            let len = body.len() as u64;
            put(
                w,
                &tar::header(&format!("{root}/{name}"), Kind::File, len, mtime)?,
            )?;
            put(w, body)?;
            put(w, &[0u8; tar::BLOCK][..tar::padding(len)])?;
        }
        put(
            w,
            &tar::header(&format!("{root}/files/"), Kind::Dir, 0, mtime)?,
        )?;
        for item in &self.items {
            let path = format!("{root}/{}", Self::file_path(item));
            put(w, &tar::header(&path, Kind::File, item.size, mtime)?)?;
            blobs.copy_verified(&item.sha256, item.size, w)?;
            put(w, &[0u8; tar::BLOCK][..tar::padding(item.size)])?;
        }
        put(w, &tar::END)?;
        w.flush().map_err(PackageError::Write)
    }

    /// Writes the package into `dir/<root>` (which must not exist yet). Returns the root path.
    pub fn write_dir(
        &self,
        blobs: &BlobStore,
        dir: &Path,
    ) -> Result<std::path::PathBuf, PackageError> {
        let root = dir.join(self.root());
        std::fs::create_dir_all(dir).map_err(PackageError::Write)?;
        std::fs::create_dir(&root).map_err(PackageError::Write)?;
        std::fs::create_dir(root.join("files")).map_err(PackageError::Write)?;
        let report = self.report_html();
        let new_file = |p: &Path| {
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(p)
                .map_err(PackageError::Write)
        };
        for (name, body) in [
            ("README.txt", self.readme()),
            ("SHA256SUMS", self.sha256sums(report.as_bytes())),
            ("custody-report.html", report.clone()),
        ] {
            let mut f = new_file(&root.join(name))?;
            f.write_all(body.as_bytes()).map_err(PackageError::Write)?;
            f.sync_all().map_err(PackageError::Write)?;
        }
        for item in &self.items {
            let path = root.join(Self::file_path(item));
            let mut f = std::io::BufWriter::new(new_file(&path)?);
            let copied = blobs.copy_verified(&item.sha256, item.size, &mut f);
            if let Err(e) = copied {
                drop(f);
                let _ = std::fs::remove_file(&path);
                return Err(e.into());
            }
            let f = f
                .into_inner()
                .map_err(|e| PackageError::Write(e.into_error()))?;
            f.sync_all().map_err(PackageError::Write)?;
        }
        Ok(root)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn package(blobs: &BlobStore, files: &[(&str, &[u8])]) -> Package {
        let at = Timestamp::parse_rfc3339("2026-03-02T09:00:00Z").unwrap();
        let items = files
            .iter()
            .map(|(name, bytes)| {
                let i = blobs.ingest_bytes(bytes).unwrap();
                PackageItem {
                    id: EvidenceId::new_random(),
                    name: (*name).into(),
                    description: None,
                    media_type: "image/jpeg".into(),
                    size: i.size,
                    sha256: i.digest,
                    collected_by: "Det. A. Example".into(),
                    collected_at: at,
                    collected_where: Some("Unit 4 <b>".into()),
                    custody: vec![CustodyLine {
                        at,
                        kind: "collected".into(),
                        actor: "Det. A. Example".into(),
                        from: None,
                        to: None,
                        purpose: Some("seized under warrant 26-001".into()),
                        sha256: i.digest,
                    }],
                }
            })
            .collect();
        Package {
            case_id: CaseId::new_random(),
            case_number: "PHX-2026-0042".into(),
            case_title: "Nail salon".into(),
            exported_at: at,
            exported_by: "Prosecutor P. Example".into(),
            purpose: "discovery".into(),
            recipient: "County court".into(),
            tool: "Vigil test".into(),
            items,
        }
    }

    #[test]
    fn report_escapes_names_and_lists_custody() {
        let dir = tempfile::tempdir().unwrap();
        let blobs = BlobStore::new(dir.path());
        let p = package(&blobs, &[("<script>alert(1)</script>.jpg", b"img")]);
        let html = p.report_html();
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;.jpg"));
        assert!(html.contains("Unit 4 &lt;b&gt;"));
        assert!(html.contains(&p.items[0].sha256.to_hex()));
        assert!(html.contains("seized under warrant 26-001"));
        assert!(
            !html.contains("http://") && !html.contains("https://"),
            "self-contained"
        );
    }

    #[test]
    fn directory_package_matches_its_manifest() {
        let dir = tempfile::tempdir().unwrap();
        let blobs = BlobStore::new(dir.path().join("blobs"));
        let p = package(
            &blobs,
            &[("a.jpg", b"first"), ("../../etc/passwd", b"second")],
        );
        let root = p.write_dir(&blobs, &dir.path().join("out")).unwrap();
        let sums = std::fs::read_to_string(root.join("SHA256SUMS")).unwrap();
        assert_eq!(sums.lines().count(), 3);
        for line in sums.lines() {
            let (hex, name) = line.split_once("  ").unwrap();
            let bytes = std::fs::read(root.join(name)).unwrap();
            assert_eq!(
                Sha256Digest::from_bytes(Sha256::digest(&bytes).into()).to_hex(),
                hex
            );
        }
        assert!(!dir.path().join("etc").exists());
    }

    #[test]
    fn tar_stream_is_block_aligned_and_refuses_damage() {
        let dir = tempfile::tempdir().unwrap();
        let blobs = BlobStore::new(dir.path());
        let p = package(&blobs, &[("a.jpg", &[1u8; 1000][..])]);
        let mut out = Vec::new();
        p.write_tar(&blobs, &mut out).unwrap();
        assert_eq!(out.len() as u64, p.tar_len());
        assert_eq!(out.len() % tar::BLOCK, 0);
        assert!(out.ends_with(&tar::END));
        std::fs::remove_file(blobs.path(&p.items[0].sha256)).unwrap();
        let mut out = Vec::new();
        assert!(matches!(
            p.write_tar(&blobs, &mut out),
            Err(PackageError::Blob(BlobError::Missing(_)))
        ));
    }
}
