//! The `vigil extract` contract over JSON Lines: one `{id, text, region?}` object per input
//! line, one result object per output line; malformed lines are reported as `line N: …` on the
//! error stream and skipped, and the run goes on. A line longer than the limit
//! ([`DEFAULT_MAX_LINE_BYTES`] unless the caller sets another) is reported the same way and
//! dropped as it streams, never held whole.
//!
//! Both JSON edges are hand-written for speed: `compact` reads the usual line (no whitespace,
//! no escapes, string values) from its bytes, making only the kept strings `str`. Any other
//! line is checked as UTF-8 whole, then `scan` reads the common line shape (a flat object of
//! strings, numbers and values to skip) and hands anything else, valid or not, to
//! `serde_path`, whose `serde_json` parse defines the contract (values, duplicate keys, error
//! messages); `write` serialises the result straight from the [`Extraction`], into a batch of
//! result lines handed to the output every few kilobytes and whenever the input buffer is used
//! up (so no result waits on a read); a result that grows past a megabyte is handed out in
//! parts as it is written, so that no result line is held whole.

mod compact;
mod scan;
mod search;
mod serde_path;
mod write;

#[cfg(test)]
mod tests;

use std::io::{self, BufRead, Write};

use crate::{parse_region, Extraction, Options};

/// Counts of one run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Non-blank input lines.
    pub read: u64,
    pub written: u64,
    pub skipped: u64,
    /// Bytes of input consumed (for throughput reports).
    pub bytes: u64,
}

/// The longest input line [`run`] reads, in bytes before its newline: 16 MiB. A longer line is
/// reported as `line N: longer than …` and skipped without being held in memory. Extraction
/// needs up to about fifty times a text's length in the worst case (a text that is nothing but
/// prices or phone numbers: every hit has its own span and digits; the result line, longer
/// still, is handed out a megabyte at a time as it is written), so the cap is what bounds a
/// run's memory; real ads are a few kilobytes.
pub const DEFAULT_MAX_LINE_BYTES: usize = 16 << 20;

/// Result lines are gathered and handed to `output` in batches of at least this many bytes (one
/// `write_all` per batch instead of per line), and before every read that may wait for input.
const BATCH: usize = 3 * 1024;

/// Runs the contract; I/O errors on `input`/`output`/`errors` end the run, bad lines do not.
pub fn run(
    input: impl BufRead,
    output: impl Write,
    errors: impl Write,
    opts: &Options,
) -> Result<Summary, io::Error> {
    run_with_progress(input, output, errors, opts, DEFAULT_MAX_LINE_BYTES, |_| {})
}

/// [`run`] with a line limit (`max_line_bytes`, bytes before the newline; longer lines are
/// reported and skipped) and a callback invoked every 10,000 lines with the counts so far.
pub fn run_with_progress(
    mut input: impl BufRead,
    output: impl Write,
    errors: impl Write,
    opts: &Options,
    max_line_bytes: usize,
    progress: impl FnMut(&Summary),
) -> Result<Summary, io::Error> {
    let mut sink = Sink {
        output,
        errors,
        progress,
        opts,
        max_line_bytes,
        summary: Summary::default(),
        line_no: 0,
        scratch: Scratch::default(),
    };
    let read = read_lines(&mut input, &mut sink);
    // Also after an error: what was written before it goes out, as it would line by line.
    let handed = sink.hand_over();
    read?;
    handed?;
    sink.output.flush()?;
    Ok(sink.summary)
}

/// Feeds every line of `input` to `sink`.
fn read_lines<W: Write, E: Write, P: FnMut(&Summary)>(
    input: &mut impl BufRead,
    sink: &mut Sink<'_, W, E, P>,
) -> io::Result<()> {
    // Lines are handled where they lie in the reader's buffer; only a line cut by the buffer's
    // end is gathered into `pending` (this spares `read_until`'s copy of every line). A line
    // found to be longer than the limit is dropped as it is read: `discarding` counts its bytes
    // until its newline.
    let max = sink.max_line_bytes;
    let mut pending = Vec::new();
    let mut discarding: Option<u64> = None;
    loop {
        let buf = match input.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            if let Some(bytes) = discarding {
                sink.too_long(bytes)?;
            } else if !pending.is_empty() {
                sink.line(&pending)?;
            }
            break;
        }
        let len = buf.len();
        // Every line the compact reader may take ends inside `buf`, so within the limit when
        // `buf` is.
        if pending.is_empty() && discarding.is_none() && len <= max {
            if let Some(taken) = sink.compact_line(buf)? {
                input.consume(taken);
                if taken == len {
                    sink.hand_over()?;
                }
                continue;
            }
        }
        let newline = memchr::memchr(b'\n', buf);
        let taken = newline.map_or(len, |n| n + 1);
        let content = pending.len() + newline.unwrap_or(len);
        match (discarding, newline) {
            (Some(bytes), None) => discarding = Some(bytes + len as u64),
            (Some(bytes), Some(_)) => {
                sink.too_long(bytes + taken as u64)?;
                discarding = None;
            }
            (None, _) if content > max => {
                let bytes = (pending.len() + taken) as u64;
                // Its memory goes back at once.
                pending = Vec::new();
                if newline.is_some() {
                    sink.too_long(bytes)?;
                } else {
                    discarding = Some(bytes);
                }
            }
            (None, Some(newline)) if pending.is_empty() => sink.line(&buf[..=newline])?,
            (None, Some(newline)) => {
                pending.extend_from_slice(&buf[..=newline]);
                sink.line(&pending)?;
                pending.clear();
                if pending.capacity() > Scratch::KEEP_BYTES {
                    pending = Vec::new();
                }
            }
            (None, None) => pending.extend_from_slice(buf),
        }
        input.consume(taken);
        // The buffer is used up, so the next read may wait.
        if taken == len {
            sink.hand_over()?;
        }
    }
    Ok(())
}

/// What [`read_line_limited`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LimitedLine {
    /// The input is used up.
    End,
    /// A line, with its newline if it has one, is in the buffer.
    Line,
    /// A line longer than the limit was read to its end and dropped; the buffer is empty.
    TooLong,
}

/// Reads the next line into `buf` (replacing what it held) as `read_until(b'\n', buf)` does,
/// but holds at most `max` bytes before the newline: a longer line is read to its end and
/// dropped, so that one bad line cannot take the process's memory. Returns what was found and
/// the bytes consumed.
pub fn read_line_limited(
    input: &mut impl BufRead,
    buf: &mut Vec<u8>,
    max: usize,
) -> io::Result<(LimitedLine, u64)> {
    buf.clear();
    let (mut consumed, mut too_long) = (0u64, false);
    loop {
        let chunk = match input.fill_buf() {
            Ok(chunk) => chunk,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            break;
        }
        let newline = memchr::memchr(b'\n', chunk);
        let taken = newline.map_or(chunk.len(), |n| n + 1);
        if !too_long {
            if buf.len() + newline.unwrap_or(chunk.len()) > max {
                too_long = true;
                buf.clear();
                buf.shrink_to(1 << 16);
            } else {
                buf.extend_from_slice(&chunk[..taken]);
            }
        }
        input.consume(taken);
        consumed += taken as u64;
        if newline.is_some() {
            break;
        }
    }
    let found = match (too_long, consumed) {
        (true, _) => LimitedLine::TooLong,
        (false, 0) => LimitedLine::End,
        (false, _) => LimitedLine::Line,
    };
    Ok((found, consumed))
}

/// Where the lines of one run go, and what is counted on the way.
struct Sink<'o, W, E, P> {
    output: W,
    errors: E,
    progress: P,
    opts: &'o Options,
    max_line_bytes: usize,
    summary: Summary,
    line_no: u64,
    scratch: Scratch,
}

impl<W: Write, E: Write, P: FnMut(&Summary)> Sink<'_, W, E, P> {
    /// One input line with its newline, if any.
    fn line(&mut self, line: &[u8]) -> io::Result<()> {
        self.line_no += 1;
        self.summary.bytes += line.len() as u64;
        if line.iter().all(u8::is_ascii_whitespace) {
            return Ok(());
        }
        self.summary.read += 1;
        let mut spill = write::Spill {
            output: &mut self.output,
            error: None,
        };
        let result = process_line(line, self.opts, &mut self.scratch, &mut spill);
        if let Some(e) = spill.error {
            return Err(self.drop_record_after(e));
        }
        self.finish(result)
    }

    /// A line longer than the limit, of `bytes` bytes with its newline, read and dropped.
    fn too_long(&mut self, bytes: u64) -> io::Result<()> {
        self.line_no += 1;
        self.summary.bytes += bytes;
        self.summary.read += 1;
        let limit = self.max_line_bytes;
        self.finish(Err(format!("longer than the line limit of {limit} bytes")))
    }

    /// The line at the start of `buf` when the compact reader takes it, which also finds its
    /// end (sparing the search for the newline); its length, or `None` when the reader does
    /// not take it (the line is then found and handled as any other).
    fn compact_line(&mut self, buf: &[u8]) -> io::Result<Option<usize>> {
        let Some((fields, len)) = compact::line_at_start(buf) else {
            return Ok(None);
        };
        self.line_no += 1;
        self.summary.bytes += len as u64;
        self.summary.read += 1;
        let scratch = &mut self.scratch;
        let mut spill = write::Spill {
            output: &mut self.output,
            error: None,
        };
        let result = extract_and_write(
            &fields,
            self.opts,
            &mut scratch.spans,
            &mut scratch.out,
            &mut scratch.extraction,
            &mut spill,
        );
        if let Some(e) = spill.error {
            return Err(self.drop_record_after(e));
        }
        self.finish(result)?;
        Ok(Some(len))
    }

    /// Drops what the batch holds after a failed write handed out part of a record: the rest
    /// of that record, which must not follow the error onto the output (the lines before it
    /// went with the failed write). Returns the error.
    #[cold]
    fn drop_record_after(&mut self, error: io::Error) -> io::Error {
        self.scratch.out.clear();
        error
    }

    /// Hands the result lines gathered so far to `output` (they are dropped from the batch
    /// even when the write fails, so that none is written twice).
    fn hand_over(&mut self) -> io::Result<()> {
        let written = self.output.write_all(self.scratch.out.as_bytes());
        self.scratch.out.clear();
        self.scratch.shrink();
        written
    }

    /// Counts the result of a non-blank line (written into the batch), or reports why it has
    /// none.
    fn finish(&mut self, result: Result<(), String>) -> io::Result<()> {
        match result {
            Ok(()) => {
                self.summary.written += 1;
                if self.scratch.out.len() >= BATCH {
                    self.hand_over()?;
                }
            }
            Err(what) => {
                writeln!(self.errors, "line {}: {what}", self.line_no)?;
                self.summary.skipped += 1;
            }
        }
        if matches!(self.line_no % 10_000, 0) {
            (self.progress)(&self.summary);
        }
        Ok(())
    }
}

/// Buffers reused from line to line.
#[derive(Default)]
struct Scratch {
    /// Strings of the input line that held escapes, unescaped.
    unescaped: String,
    spans: Vec<write::SpanRef>,
    /// The result lines not yet handed to the output, the last one being written.
    out: write::LineBuf,
    /// The last line's extraction, kept for its buffers.
    extraction: Extraction,
}

impl Scratch {
    /// Buffers may keep this many bytes from line to line; past it they are dropped.
    const KEEP_BYTES: usize = 4 << 20;

    /// Drops the buffers a huge line grew (its hits can take fifty times its length), so
    /// that one such line does not keep that memory for the rest of the run.
    fn shrink(&mut self) {
        fn held<T>(v: &Vec<T>) -> usize {
            v.capacity() * std::mem::size_of::<T>()
        }
        let ex = &self.extraction;
        let hits = held(&ex.phones)
            + held(&ex.emails)
            + held(&ex.handles)
            + held(&ex.wallets)
            + held(&ex.ages)
            + held(&ex.prices)
            + held(&ex.urls)
            + ex.phones
                .iter()
                .map(|p| held(&p.occurrences))
                .sum::<usize>();
        if self.out.capacity() + held(&self.spans) + hits + self.unescaped.capacity()
            > Self::KEEP_BYTES
        {
            *self = Scratch::default();
        }
    }
}

/// The fields of one valid input line.
#[derive(Debug, PartialEq)]
struct Line<'a> {
    id: Id<'a>,
    text: &'a str,
    /// `text` holds no byte JSON must escape, so neither does any span of it (true when the
    /// scanner read it from the line without escapes; the writer then skips that test).
    text_is_plain: bool,
    region: Option<&'a str>,
}

/// An `id` as it will be written back.
#[derive(Debug, PartialEq)]
enum Id<'a> {
    Str(&'a str),
    /// The bytes of a string read from the line without escapes: UTF-8 holding no byte JSON
    /// must escape, so the writer copies them between quotes (as bytes, so that the compact
    /// reader need not make an ASCII id `str`).
    PlainStr(&'a [u8]),
    /// An integer in its canonical JSON form (no leading zero, not `-0`), copied verbatim.
    Int(&'a [u8]),
    Number(serde_json::Number),
}

/// Validates one input line and serialises its result (with trailing newline) after what
/// `scratch.out` holds.
fn process_line(
    line: &[u8],
    opts: &Options,
    scratch: &mut Scratch,
    spill: &mut write::Spill<'_>,
) -> Result<(), String> {
    if let Some(fields) = compact::line(line) {
        return extract_and_write(
            &fields,
            opts,
            &mut scratch.spans,
            &mut scratch.out,
            &mut scratch.extraction,
            spill,
        );
    }
    let text = utf8(line)?;
    match scan::line(text, &mut scratch.unescaped) {
        Some(fields) => extract_and_write(
            &fields,
            opts,
            &mut scratch.spans,
            &mut scratch.out,
            &mut scratch.extraction,
            spill,
        ),
        None => process_with_serde(text, opts, scratch, spill),
    }
}

/// [`process_line`] for a line the fast scanner did not take: `serde_json` parses it, and its
/// verdict (including the wording of every error) is the contract.
fn process_with_serde(
    text: &str,
    opts: &Options,
    scratch: &mut Scratch,
    spill: &mut write::Spill<'_>,
) -> Result<(), String> {
    let input = serde_path::parse(text)?;
    let fields = input.validate()?;
    extract_and_write(
        &fields,
        opts,
        &mut scratch.spans,
        &mut scratch.out,
        &mut scratch.extraction,
        spill,
    )
}

fn utf8(line: &[u8]) -> Result<&str, String> {
    std::str::from_utf8(line).map_err(|e| format!("invalid UTF-8 at byte {}", e.valid_up_to()))
}

fn extract_and_write(
    fields: &Line,
    opts: &Options,
    spans: &mut Vec<write::SpanRef>,
    out: &mut write::LineBuf,
    ex: &mut Extraction,
    spill: &mut write::Spill<'_>,
) -> Result<(), String> {
    let region_opts;
    let opts = match fields.region {
        None => opts,
        Some(r) => {
            let code = parse_region(r).map_err(|e| format!("field `region`: {e}"))?;
            region_opts = opts.with_region(&code);
            &region_opts
        }
    };
    // Spans are written from `text` directly, so the hits' own `raw` copies are not needed.
    crate::extract_into(fields.text, opts, ex);
    write::record(out, fields, ex, spans, spill);
    Ok(())
}
