//! `vigil extract`: identifiers from JSON Lines text (file or stdin) to JSON Lines.

use anyhow::Context;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `vigil extract`.
#[derive(clap::Args)]
#[command(after_help = "\
Input: one JSON object per line with `id` (string or number), `text` (string) and optional
`region` (ISO 3166 alpha-2, overrides --region for that line).
Output: one JSON object per input line with `id`, `phones` (E.164, de-duplicated, in order of
appearance), `emails`, `handles`, `wallets`, `ages`, `prices`, `obfuscated` and `spans`
(kind, value, start, end, raw, obfuscated; byte offsets into `text`).
A malformed line (bad JSON, missing or mistyped id/text, invalid UTF-8, unknown region) is
reported on stderr as `line N: <what was wrong>` and skipped; the run goes on.

A line longer than --max-line-bytes is reported the same way and skipped without being held in
memory.

Exit status: 0 when every line was processed, 2 when some lines were skipped, 1 on an I/O
error (unreadable input, unwritable output).")]
pub struct Args {
    /// JSON Lines input; stdin when absent or `-`.
    file: Option<PathBuf>,
    /// Region for numbers written without a country code (ISO 3166 alpha-2).
    #[arg(long, default_value = "US")]
    region: String,
    /// Output file; stdout when absent.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Longest input line read, in bytes before its newline (extraction may need about
    /// fifty times a line's length in memory at worst).
    #[arg(long, default_value_t = vigil_ident::jsonl::DEFAULT_MAX_LINE_BYTES)]
    max_line_bytes: usize,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let region = vigil_ident::parse_region(&args.region).context("--region")?;
    let opts = vigil_ident::Options {
        default_region: region,
        ..Default::default()
    };
    let input: Box<dyn Read> = match &args.file {
        Some(p) if p.as_os_str() != "-" => {
            Box::new(File::open(p).with_context(|| format!("cannot open {}", p.display()))?)
        }
        _ => Box::new(io::stdin().lock()),
    };
    let output: Box<dyn Write> = match &args.out {
        Some(p) => {
            Box::new(File::create(p).with_context(|| format!("cannot create {}", p.display()))?)
        }
        None => Box::new(io::stdout().lock()),
    };
    let reader = BufReader::with_capacity(1 << 20, input);
    let writer = BufWriter::with_capacity(1 << 20, output);
    let summary = vigil_ident::jsonl::run_with_progress(
        reader,
        writer,
        io::stderr(),
        &opts,
        args.max_line_bytes,
        |s| {
            if s.read % 100_000 == 0 {
                eprintln!("extract: {} lines read", s.read);
            }
        },
    )
    .context("extract")?;
    eprintln!(
        "extract: {} lines read, {} written, {} skipped",
        summary.read, summary.written, summary.skipped
    );
    Ok(if summary.skipped > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
