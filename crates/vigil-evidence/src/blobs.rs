//! The content-addressed blob store: `<root>/sha256/ab/cd/<64 hex>`, written once, read-only.
//!
//! Ingest streams: bytes go to a temp file in `<root>/tmp` (same filesystem) while SHA-256 is
//! computed; the file is fsynced, made read-only, linked into place without clobbering, and the
//! directory is fsynced. Only after `finish` returns may a caller commit a row that names the
//! digest (the invariant "blob fsynced before its row commits"). The same bytes uploaded twice
//! are stored once. A crash before the row commits leaves an orphan blob, never a dangling row.

use bytes::Bytes;
use sha2::{Digest, Sha256};
use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Read, Write};
use std::path::{Path, PathBuf};
use tokio::sync::mpsc;
use vigil_types::Sha256Digest;

/// Read and copy granularity.
pub(crate) const CHUNK: usize = 256 * 1024;
/// Chunks in flight between the request and the writer thread (bounds memory per upload).
const IN_FLIGHT: usize = 32;

/// What went wrong. Paths are the store's own (digest-named), never user-supplied names.
#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    /// The upload passed the configured limit; nothing was kept.
    #[error("the upload is larger than the limit of {limit} bytes")]
    TooLarge { limit: u64 },
    /// No blob with this digest is in the store.
    #[error("blob {0} is missing from the store")]
    Missing(Sha256Digest),
    /// The stored bytes no longer hash to their name (or their recorded size).
    #[error("blob {expected} fails its fixity check (read {actual}, {size} bytes)")]
    FixityMismatch {
        expected: Sha256Digest,
        actual: Sha256Digest,
        size: u64,
    },
    /// The request stopped before `finish` (client gone, or the writer thread ended).
    #[error("the upload was abandoned before it finished")]
    Abandoned,
    #[error("blob store I/O: {op} {}", path.display())]
    Io {
        op: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn io<'a>(op: &'static str, path: &'a Path) -> impl FnOnce(std::io::Error) -> BlobError + 'a {
    move |source| BlobError::Io {
        op,
        path: path.to_owned(),
        source,
    }
}

/// The result of an ingest: the digest and size of the bytes received.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ingested {
    pub digest: Sha256Digest,
    pub size: u64,
    /// The same bytes were already stored (kept as they were; the new copy was discarded).
    pub already_present: bool,
}

/// A blob store rooted at a directory. Cheap to clone; creating one touches nothing on disk.
#[derive(Clone, Debug)]
pub struct BlobStore {
    root: PathBuf,
}

impl BlobStore {
    #[must_use]
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    #[must_use]
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn objects(&self) -> PathBuf {
        self.root.join("sha256")
    }

    fn tmp(&self) -> PathBuf {
        self.root.join("tmp")
    }

    /// Where the blob with `digest` lives (whether or not it exists).
    #[must_use]
    pub fn path(&self, digest: &Sha256Digest) -> PathBuf {
        let hex = digest.to_hex();
        self.objects()
            .join(hex.get(0..2).unwrap_or("00"))
            .join(hex.get(2..4).unwrap_or("00"))
            .join(hex)
    }

    /// Whether a blob with `digest` is present.
    #[must_use]
    pub fn contains(&self, digest: &Sha256Digest) -> bool {
        self.path(digest).is_file()
    }

    /// Starts a blocking, streaming write of at most `limit` bytes.
    pub fn writer(&self, limit: u64) -> Result<BlobWriter, BlobError> {
        let tmp_dir = self.tmp();
        create_private_dirs(&self.root)?;
        create_private_dirs(&tmp_dir)?;
        loop {
            let path = tmp_dir.join(format!("{:016x}.part", rand::random::<u64>()));
            let mut o = OpenOptions::new();
            o.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
            match o.open(&path) {
                Ok(file) => {
                    return Ok(BlobWriter {
                        store: self.clone(),
                        tmp: path,
                        file: Some(file),
                        hasher: Sha256::new(),
                        size: 0,
                        limit,
                    })
                }
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
                Err(e) => return Err(io("creating", &path)(e)),
            }
        }
    }

    /// Ingests everything `r` yields (blocking).
    pub fn ingest_reader(&self, mut r: impl Read, limit: u64) -> Result<Ingested, BlobError> {
        let mut w = self.writer(limit)?;
        let mut buf = vec![0u8; CHUNK];
        loop {
            let n = match r.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(io("reading the upload for", &w.tmp)(e)),
            };
            w.write(buf.get(..n).unwrap_or_default())?;
        }
        w.finish()
    }

    /// Ingests `bytes` held in memory (small files and tests).
    pub fn ingest_bytes(&self, bytes: &[u8]) -> Result<Ingested, BlobError> {
        let mut w = self.writer(bytes.len() as u64)?;
        w.write(bytes)?;
        w.finish()
    }

    /// Starts an ingest fed from async code: chunks go through a bounded channel to a blocking
    /// thread that hashes and writes them, so a request never holds more than a few chunks.
    #[must_use]
    pub fn start_ingest(&self, limit: u64) -> Ingest {
        let (tx, mut rx) = mpsc::channel::<Msg>(IN_FLIGHT);
        let store = self.clone();
        let task = tokio::task::spawn_blocking(move || {
            let mut w = store.writer(limit)?;
            while let Some(msg) = rx.blocking_recv() {
                match msg {
                    Msg::Chunk(b) => w.write(&b)?,
                    Msg::Finish => return w.finish(),
                }
            }
            Err(BlobError::Abandoned) // dropping `w` removes the temp file
        });
        Ingest {
            tx: Some(tx),
            task: Some(task),
            received: 0,
            limit,
        }
    }

    /// Opens a blob for reading; returns the file and its size.
    pub fn open(&self, digest: &Sha256Digest) -> Result<(File, u64), BlobError> {
        let path = self.path(digest);
        let file = File::open(&path).map_err(|e| {
            if e.kind() == ErrorKind::NotFound {
                BlobError::Missing(*digest)
            } else {
                io("opening", &path)(e)
            }
        })?;
        let size = file
            .metadata()
            .map_err(io("reading metadata of", &path))?
            .len();
        Ok((file, size))
    }

    /// Re-hashes a blob (streaming); returns what its bytes hash to and how many there are.
    pub fn rehash(&self, digest: &Sha256Digest) -> Result<(Sha256Digest, u64), BlobError> {
        let (mut file, _) = self.open(digest)?;
        let path = self.path(digest);
        let mut h = Sha256::new();
        let mut buf = vec![0u8; CHUNK];
        let mut size = 0u64;
        loop {
            let n = match file.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(io("reading", &path)(e)),
            };
            let chunk = buf.get(..n).unwrap_or_default();
            h.update(chunk);
            size += n as u64;
        }
        Ok((Sha256Digest::from_bytes(h.finalize().into()), size))
    }

    /// Copies a blob to `w`, re-hashing as it goes. The last chunk is held back until the
    /// digest and size are confirmed, so a reader of a damaged blob never receives all of it.
    pub fn copy_verified(
        &self,
        digest: &Sha256Digest,
        expected_size: u64,
        w: &mut impl Write,
    ) -> Result<u64, BlobError> {
        let (mut file, _) = self.open(digest)?;
        let path = self.path(digest);
        let mut h = Sha256::new();
        let mut held = vec![0u8; CHUNK];
        let mut held_len = 0usize;
        let mut buf = vec![0u8; CHUNK];
        let mut size = 0u64;
        loop {
            let n = match file.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(io("reading", &path)(e)),
            };
            let chunk = buf.get(..n).unwrap_or_default();
            h.update(chunk);
            size += n as u64;
            if held_len > 0 {
                w.write_all(held.get(..held_len).unwrap_or_default())
                    .map_err(io("sending", &path))?;
            }
            std::mem::swap(&mut held, &mut buf);
            held_len = n;
        }
        let actual = Sha256Digest::from_bytes(h.finalize().into());
        if actual != *digest || size != expected_size {
            return Err(BlobError::FixityMismatch {
                expected: *digest,
                actual,
                size,
            });
        }
        w.write_all(held.get(..held_len).unwrap_or_default())
            .map_err(io("sending", &path))?;
        Ok(size)
    }

    /// Streams a verified copy of a blob to async code: chunks of up to 256 KiB, then either the
    /// end of the channel (all good) or one `Err` (damaged or missing; the copy is incomplete).
    #[must_use]
    pub fn stream(
        &self,
        digest: Sha256Digest,
        expected_size: u64,
    ) -> mpsc::Receiver<Result<Bytes, BlobError>> {
        let (tx, rx) = mpsc::channel(4);
        let store = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut w = ChannelWriter::new(tx.clone());
            let r = store
                .copy_verified(&digest, expected_size, &mut w)
                .and_then(|_| w.flush_chunk());
            if let Err(e) = r {
                if !w.closed {
                    let _ = tx.blocking_send(Err(e));
                }
            }
        });
        rx
    }

    /// Every blob on disk, plus anything in the tree that is not a blob and any partial uploads.
    pub fn scan(&self) -> Result<Scan, BlobError> {
        let mut scan = Scan::default();
        let objects = self.objects();
        for a in read_dir_or_empty(&objects)? {
            let a_name = a.file_name().to_string_lossy().into_owned();
            if !a.path().is_dir() {
                scan.strays.push(a.path());
                continue;
            }
            for b in read_dir_or_empty(&a.path())? {
                let b_name = b.file_name().to_string_lossy().into_owned();
                if !b.path().is_dir() {
                    scan.strays.push(b.path());
                    continue;
                }
                for f in read_dir_or_empty(&b.path())? {
                    let name = f.file_name().to_string_lossy().into_owned();
                    let parsed = Sha256Digest::parse(&name).ok().filter(|d| {
                        let hex = d.to_hex();
                        hex == name
                            && hex.get(0..2) == Some(a_name.as_str())
                            && hex.get(2..4) == Some(b_name.as_str())
                    });
                    match (parsed, f.metadata()) {
                        (Some(d), Ok(m)) if m.is_file() => scan.blobs.push((d, m.len())),
                        _ => scan.strays.push(f.path()),
                    }
                }
            }
        }
        for t in read_dir_or_empty(&self.tmp())? {
            scan.partials.push(t.path());
        }
        scan.blobs.sort();
        scan.strays.sort();
        scan.partials.sort();
        Ok(scan)
    }
}

/// What `BlobStore::scan` found.
#[derive(Debug, Default)]
pub struct Scan {
    /// Blobs by digest (from the file name) and size on disk, sorted.
    pub blobs: Vec<(Sha256Digest, u64)>,
    /// Files or directories in the tree that are not blobs.
    pub strays: Vec<PathBuf>,
    /// Temp files of uploads that never finished (a crash or an upload in progress).
    pub partials: Vec<PathBuf>,
}

fn read_dir_or_empty(dir: &Path) -> Result<Vec<fs::DirEntry>, BlobError> {
    match fs::read_dir(dir) {
        Ok(rd) => rd
            .map(|e| e.map_err(io("listing", dir)))
            .collect::<Result<Vec<_>, _>>(),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(io("listing", dir)(e)),
    }
}

/// Creates `dir` (and parents) readable by the owner only; fsyncs the parent of each directory
/// it creates so the new entry survives a power cut.
fn create_private_dirs(dir: &Path) -> Result<(), BlobError> {
    if dir.is_dir() {
        return Ok(());
    }
    if let Some(parent) = dir.parent() {
        if !parent.as_os_str().is_empty() {
            create_private_dirs(parent)?;
        }
    }
    match fs::create_dir(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == ErrorKind::AlreadyExists => return Ok(()),
        Err(e) => return Err(io("creating directory", dir)(e)),
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
            .map_err(io("restricting", dir))?;
    }
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        sync_dir(parent)?;
    }
    Ok(())
}

fn sync_dir(dir: &Path) -> Result<(), BlobError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io("syncing directory", dir))
}

/// A blob being written. Dropping it without `finish` removes the temp file.
pub struct BlobWriter {
    store: BlobStore,
    tmp: PathBuf,
    file: Option<File>,
    hasher: Sha256,
    size: u64,
    limit: u64,
}

impl BlobWriter {
    /// Appends bytes; refuses to grow past the limit.
    pub fn write(&mut self, chunk: &[u8]) -> Result<(), BlobError> {
        self.size += chunk.len() as u64;
        if self.size > self.limit {
            return Err(BlobError::TooLarge { limit: self.limit });
        }
        self.hasher.update(chunk);
        let Some(file) = self.file.as_mut() else {
            return Err(BlobError::Abandoned);
        };
        file.write_all(chunk).map_err(io("writing", &self.tmp))
    }

    /// Bytes written so far.
    #[must_use]
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Makes the blob durable under its digest: fsync, read-only, link into place (never over an
    /// existing blob), fsync the directory. Returns only when all of that is done.
    pub fn finish(mut self) -> Result<Ingested, BlobError> {
        let Some(file) = self.file.take() else {
            return Err(BlobError::Abandoned);
        };
        file.sync_all().map_err(io("syncing", &self.tmp))?;
        drop(file);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&self.tmp, fs::Permissions::from_mode(0o444))
                .map_err(io("making read-only", &self.tmp))?;
        }
        let digest = Sha256Digest::from_bytes(std::mem::take(&mut self.hasher).finalize().into());
        let dest = self.store.path(&digest);
        let dir = dest.parent().map(Path::to_path_buf).unwrap_or_default();
        create_private_dirs(&dir)?;
        let already_present = match fs::hard_link(&self.tmp, &dest) {
            Ok(()) => false,
            Err(e) if e.kind() == ErrorKind::AlreadyExists => true,
            // Filesystems without hard links: rename, still never over an existing blob.
            Err(_) if dest.exists() => true,
            Err(_) => {
                fs::rename(&self.tmp, &dest).map_err(io("renaming into", &dest))?;
                false
            }
        };
        sync_dir(&dir)?;
        // The temp name goes last: the blob is already durable under its digest.
        let _ = fs::remove_file(&self.tmp);
        Ok(Ingested {
            digest,
            size: self.size,
            already_present,
        })
    }
}

impl Drop for BlobWriter {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

enum Msg {
    Chunk(Bytes),
    Finish,
}

/// An ingest fed from async code (`BlobStore::start_ingest`). Dropping it without `finish`
/// discards the upload.
pub struct Ingest {
    tx: Option<mpsc::Sender<Msg>>,
    task: Option<tokio::task::JoinHandle<Result<Ingested, BlobError>>>,
    received: u64,
    limit: u64,
}

impl Ingest {
    /// Hands over one chunk; fails at once when the limit is passed.
    pub async fn push(&mut self, chunk: Bytes) -> Result<(), BlobError> {
        self.received += chunk.len() as u64;
        if self.received > self.limit {
            // Close the channel and wait for the writer thread to remove its temp file.
            self.tx = None;
            let _ = self.outcome().await;
            return Err(BlobError::TooLarge { limit: self.limit });
        }
        let Some(tx) = &self.tx else {
            return Err(BlobError::Abandoned);
        };
        if tx.send(Msg::Chunk(chunk)).await.is_err() {
            // The writer thread stopped: report why.
            self.tx = None;
            return Err(self.outcome().await.err().unwrap_or(BlobError::Abandoned));
        }
        Ok(())
    }

    /// Bytes handed over so far.
    #[must_use]
    pub fn received(&self) -> u64 {
        self.received
    }

    /// Discards the upload and waits until its temp file is gone.
    pub async fn abort(mut self) {
        self.tx = None;
        let _ = self.outcome().await;
    }

    /// Finishes the blob (durable when this returns `Ok`).
    pub async fn finish(mut self) -> Result<Ingested, BlobError> {
        if let Some(tx) = self.tx.take() {
            let _ = tx.send(Msg::Finish).await;
        }
        self.outcome().await
    }

    async fn outcome(&mut self) -> Result<Ingested, BlobError> {
        match self.task.take() {
            Some(task) => task.await.unwrap_or(Err(BlobError::Abandoned)),
            None => Err(BlobError::Abandoned),
        }
    }
}

/// A blocking `Write` that sends 256 KiB chunks into a channel (to an async response body).
pub struct ChannelWriter {
    tx: mpsc::Sender<Result<Bytes, BlobError>>,
    buf: Vec<u8>,
    closed: bool,
}

impl ChannelWriter {
    #[must_use]
    pub fn new(tx: mpsc::Sender<Result<Bytes, BlobError>>) -> Self {
        Self {
            tx,
            buf: Vec::with_capacity(CHUNK),
            closed: false,
        }
    }

    /// Sends what is buffered.
    pub fn flush_chunk(&mut self) -> Result<(), BlobError> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        if self.tx.blocking_send(Ok(chunk)).is_err() {
            self.closed = true;
            return Err(BlobError::Abandoned);
        }
        Ok(())
    }

    /// Whether the receiving side went away.
    #[must_use]
    pub fn is_closed(&self) -> bool {
        self.closed
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        if self.closed {
            return Err(std::io::Error::new(
                ErrorKind::BrokenPipe,
                "the receiver went away",
            ));
        }
        let room = CHUNK.saturating_sub(self.buf.len());
        let n = room.min(data.len());
        self.buf
            .extend_from_slice(data.get(..n).unwrap_or_default());
        if self.buf.len() >= CHUNK {
            self.flush_chunk().map_err(|_| {
                std::io::Error::new(ErrorKind::BrokenPipe, "the receiver went away")
            })?;
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.flush_chunk()
            .map_err(|_| std::io::Error::new(ErrorKind::BrokenPipe, "the receiver went away"))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn sha(bytes: &[u8]) -> Sha256Digest {
        Sha256Digest::from_bytes(Sha256::digest(bytes).into())
    }

    #[test]
    fn ingest_is_content_addressed_read_only_and_stored_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::new(dir.path().join("blobs"));
        let a = store.ingest_bytes(b"exhibit A").unwrap();
        assert_eq!(a.digest, sha(b"exhibit A"));
        assert_eq!(a.size, 9);
        assert!(!a.already_present);
        let path = store.path(&a.digest);
        let hex = a.digest.to_hex();
        assert!(path.ends_with(format!("sha256/{}/{}/{hex}", &hex[0..2], &hex[2..4])));
        assert_eq!(fs::read(&path).unwrap(), b"exhibit A");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o444, "originals are read-only");
        }
        let again = store
            .ingest_reader(std::io::Cursor::new(b"exhibit A".to_vec()), 100)
            .unwrap();
        assert_eq!(again.digest, a.digest);
        assert!(again.already_present);
        let scan = store.scan().unwrap();
        assert_eq!(scan.blobs, vec![(a.digest, 9)]);
        assert!(scan.partials.is_empty() && scan.strays.is_empty());
    }

    #[test]
    fn too_large_keeps_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::new(dir.path());
        let err = store
            .ingest_reader(std::io::Cursor::new(vec![7u8; 1000]), 999)
            .unwrap_err();
        assert!(matches!(err, BlobError::TooLarge { limit: 999 }));
        let scan = store.scan().unwrap();
        assert!(scan.blobs.is_empty() && scan.partials.is_empty());
    }

    #[test]
    fn abandoned_writer_leaves_no_partial() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::new(dir.path());
        let mut w = store.writer(100).unwrap();
        w.write(b"half").unwrap();
        drop(w);
        assert!(store.scan().unwrap().partials.is_empty());
    }

    #[test]
    fn copy_verified_holds_back_damaged_blobs() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::new(dir.path());
        let big: Vec<u8> = (0..(CHUNK * 2 + 17)).map(|i| (i % 251) as u8).collect();
        let i = store.ingest_bytes(&big).unwrap();
        let mut out = Vec::new();
        store.copy_verified(&i.digest, i.size, &mut out).unwrap();
        assert_eq!(out, big);
        // Flip one bit on disk (the owner may chmod; the store itself never writes twice).
        let path = store.path(&i.digest);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        }
        let mut damaged = big.clone();
        damaged[CHUNK + 3] ^= 1;
        fs::write(&path, &damaged).unwrap();
        let mut out = Vec::new();
        let err = store
            .copy_verified(&i.digest, i.size, &mut out)
            .unwrap_err();
        assert!(matches!(err, BlobError::FixityMismatch { .. }));
        assert!(out.len() < big.len(), "the tail is withheld");
        let (actual, size) = store.rehash(&i.digest).unwrap();
        assert_eq!((actual, size), (sha(&damaged), big.len() as u64));
    }

    #[test]
    fn scan_reports_strays_and_partials() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::new(dir.path());
        let i = store.ingest_bytes(b"x").unwrap();
        fs::write(dir.path().join("tmp/0000.part"), b"partial").unwrap();
        let parent = store.path(&i.digest).parent().unwrap().to_owned();
        fs::write(parent.join("not-a-digest"), b"?").unwrap();
        let scan = store.scan().unwrap();
        assert_eq!(scan.blobs.len(), 1);
        assert_eq!(scan.partials.len(), 1);
        assert_eq!(scan.strays.len(), 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn async_ingest_and_stream_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::new(dir.path());
        let mut ing = store.start_ingest(1 << 20);
        let mut all = Vec::new();
        for k in 0..50u8 {
            let chunk = vec![k; 10_000];
            all.extend_from_slice(&chunk);
            ing.push(Bytes::from(chunk)).await.unwrap();
        }
        let done = ing.finish().await.unwrap();
        assert_eq!(done.digest, sha(&all));
        let mut rx = store.stream(done.digest, done.size);
        let mut back = Vec::new();
        while let Some(c) = rx.recv().await {
            back.extend_from_slice(&c.unwrap());
        }
        assert_eq!(back, all);
        // Over the limit: refused at once, nothing kept.
        let mut ing = store.start_ingest(15_000);
        ing.push(Bytes::from(vec![1u8; 10_000])).await.unwrap();
        let err = ing.push(Bytes::from(vec![1u8; 10_000])).await.unwrap_err();
        assert!(matches!(err, BlobError::TooLarge { .. }));
        drop(ing);
        // A dropped ingest removes its temp file (the writer thread notices the closed channel).
        let mut rx = store.stream(sha(b"absent"), 6);
        assert!(matches!(rx.recv().await, Some(Err(BlobError::Missing(_)))));
    }
}
