//! `vigil ads`: import ads into a case (`ads_import.rs`); score ads, cluster them into
//! operations, list circuits (file mode).

use anyhow::Context;
use clap::Subcommand;
use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use vigil_ads::{AdFeatures, AdRecord, Field, Selector, SelectorKind, Span, StatedAge};
use vigil_ident::jsonl::{read_line_limited, LimitedLine};

/// Arguments of `vigil ads`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Store a JSONL feed in a case as OnlineAd entities with selectors and scores (de-duplicated
    /// by content SHA-256; re-import is idempotent).
    Import(super::ads_import::ImportArgs),
    /// Cluster ads into operations (near-duplicate text + shared selectors).
    Cluster(ClusterArgs),
    /// Score ads against an indicator weight set; one JSON line per ad with its explanation.
    Score(ScoreArgs),
    /// Selectors seen in several cities within a window (movement; never a score input).
    Circuits(CircuitArgs),
}

#[derive(clap::Args)]
struct ClusterArgs {
    /// Ads JSONL (id, source, url, posted_at, location, title, text).
    #[arg(long)]
    input: PathBuf,
    /// Exact Jaccard a text link must reach.
    #[arg(long, default_value_t = 0.7)]
    threshold: f64,
    /// LSH bands.
    #[arg(long, default_value_t = 21)]
    bands: usize,
    /// Rows per band.
    #[arg(long, default_value_t = 6)]
    rows: usize,
    /// MinHash seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// MinHash signature scheme: one hash per shingle (one-permutation hashing with optimal
    /// densification) or one per shingle and slot (independent multiply-shift functions).
    #[arg(long, value_enum, default_value_t = MinHashArg::OnePermutation)]
    minhash: MinHashArg,
    /// A selector in more distinct text clusters than this is generic (annotates, never merges).
    #[arg(long, default_value_t = 20)]
    generic_max: usize,
    /// A selector in more distinct cities than this is generic.
    #[arg(long, default_value_t = 12)]
    generic_max_cities: usize,
    /// A selector beside more distinct other selector values than this is generic.
    #[arg(long, default_value_t = 8)]
    generic_max_co_values: usize,
    /// Link by text only (no selector edges), e.g. to compare with text-only tools.
    #[arg(long)]
    text_only: bool,
    /// File of known generic values (one per line, `#` comments): hotlines, switchboards.
    #[arg(long)]
    stoplist: Option<PathBuf>,
    /// Also write one-ad operations.
    #[arg(long)]
    include_singletons: bool,
    /// Operations JSONL output.
    #[arg(long)]
    out: PathBuf,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum MinHashArg {
    OnePermutation,
    Permutations,
}

#[derive(clap::Args)]
struct ScoreArgs {
    #[arg(long)]
    input: PathBuf,
    /// Weight-set TOML replacing the embedded default.
    #[arg(long)]
    weights: Option<PathBuf>,
    /// Output JSONL (default: standard output).
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(clap::Args)]
struct CircuitArgs {
    #[arg(long)]
    input: PathBuf,
    /// Distinct cities that make a circuit.
    #[arg(long, default_value_t = 3)]
    min_cities: usize,
    /// Window in days.
    #[arg(long, default_value_t = 30)]
    window_days: i64,
    /// Known generic values to leave out.
    #[arg(long)]
    stoplist: Option<PathBuf>,
    #[arg(long)]
    out: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Command::Import(a) => super::ads_import::run(a),
        Command::Cluster(a) => cluster(a),
        Command::Score(a) => score(a),
        Command::Circuits(a) => circuits(a),
    }
}

const BATCH: usize = 20_000;

/// Maps one ad record through vigil-ident into the features vigil-ads needs.
pub(crate) fn features(record: AdRecord, opts: &vigil_ident::Options) -> AdFeatures {
    let mut ad = AdFeatures {
        id: record.id,
        posted_at: record.posted_at,
        city: record.location,
        ..AdFeatures::default()
    };
    thread_local! {
        // One extraction per worker, reused from ad to ad for its buffers.
        static EXTRACTION: std::cell::RefCell<vigil_ident::Extraction> =
            std::cell::RefCell::new(vigil_ident::Extraction::default());
    }
    EXTRACTION.with(|cell| match cell.try_borrow_mut() {
        Ok(mut x) => add_selectors(&mut ad, [&record.title, &record.text], opts, &mut x),
        Err(_) => add_selectors(
            &mut ad,
            [&record.title, &record.text],
            opts,
            &mut Default::default(),
        ),
    });
    ad.title = record.title;
    ad.text = record.text;
    ad
}

/// The selectors and stated ages of the ad's title and text.
fn add_selectors(
    ad: &mut AdFeatures,
    [title, text]: [&String; 2],
    opts: &vigil_ident::Options,
    x: &mut vigil_ident::Extraction,
) {
    for (field, text) in [(Field::Title, title), (Field::Text, text)] {
        vigil_ident::extract_into(text, opts, x);
        let span = |r: &std::ops::Range<usize>| {
            Some(Span {
                field,
                start: r.start,
                end: r.end,
            })
        };
        ad.obfuscated_phone |= x.obfuscated;
        for p in &x.phones {
            for o in &p.occurrences {
                ad.selectors.push(Selector {
                    kind: SelectorKind::Phone,
                    value: p.e164.clone(),
                    span: span(&o.span),
                    obfuscated: o.obfuscated,
                });
            }
            if p.occurrences.is_empty() {
                ad.selectors.push(Selector {
                    kind: SelectorKind::Phone,
                    value: p.e164.clone(),
                    span: span(&p.span),
                    obfuscated: p.obfuscated,
                });
            }
        }
        for e in &x.emails {
            ad.selectors.push(Selector {
                kind: SelectorKind::Email,
                value: e.address.clone(),
                span: span(&e.span),
                obfuscated: e.obfuscated,
            });
        }
        for h in &x.handles {
            let kind = match h.kind {
                vigil_ident::HandleKind::Payment => SelectorKind::Payment,
                _ => SelectorKind::Handle,
            };
            ad.selectors.push(Selector {
                kind,
                value: format!("{}:{}", h.platform, h.handle),
                span: span(&h.span),
                obfuscated: false,
            });
        }
        for w in &x.wallets {
            ad.selectors.push(Selector {
                kind: SelectorKind::Wallet,
                value: w.address.clone(),
                span: span(&w.span),
                obfuscated: false,
            });
        }
        for a in &x.ages {
            ad.stated_ages.push(StatedAge {
                age: a.age,
                span: span(&a.span),
            });
        }
    }
}

/// One numbered input line: its text, or why it cannot be read (not UTF-8, or longer than
/// [`MAX_LINE_BYTES`]), which the caller reports like any other bad line.
type NumberedLine = (usize, Result<String, String>);

/// Longest ad line read by `vigil ads features|cluster|score|circuits`, as by `vigil ads
/// import`: the API's largest request body. A longer line is reported and skipped without being
/// held in memory.
const MAX_LINE_BYTES: usize = vigil_server::MAX_BODY_BYTES;

/// Reads the input in batches of numbered lines; blank lines are skipped. A line that is not
/// UTF-8 or is too long goes into the batch as its error, so that the run goes on.
fn for_each_batch(
    path: &Path,
    mut f: impl FnMut(Vec<NumberedLine>) -> anyhow::Result<()>,
) -> anyhow::Result<usize> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut reader = BufReader::new(file);
    let mut batch = Vec::with_capacity(BATCH);
    let mut buf = Vec::new();
    let mut lines = 0;
    loop {
        let (found, _) = read_line_limited(&mut reader, &mut buf, MAX_LINE_BYTES)
            .with_context(|| format!("{}: line {}: cannot read", path.display(), lines + 1))?;
        let line = match found {
            LimitedLine::End => break,
            LimitedLine::TooLong => Err(format!("longer than {MAX_LINE_BYTES} bytes")),
            LimitedLine::Line => match line_text(&buf) {
                Ok(None) => {
                    lines += 1;
                    continue;
                }
                Ok(Some(text)) => Ok(text.to_owned()),
                Err(e) => Err(format!("not valid UTF-8 at byte {}", e.valid_up_to())),
            },
        };
        lines += 1;
        batch.push((lines, line));
        if batch.len() == BATCH {
            f(std::mem::take(&mut batch))?;
            eprintln!("vigil ads: read {lines} lines");
        }
    }
    if !batch.is_empty() {
        f(batch)?;
    }
    Ok(lines)
}

/// The text of an ad line read with its line ending (by [`read_line_limited`]): `None` for a
/// blank line, otherwise the line without its ending; an error when it is not UTF-8.
pub(super) fn line_text(line: &[u8]) -> Result<Option<&str>, std::str::Utf8Error> {
    let text = std::str::from_utf8(line)?;
    Ok((!text.trim().is_empty()).then(|| text.trim_end_matches(['\n', '\r'])))
}

/// Parses and extracts a batch on every core; results keep input order.
fn par_map<T: Send>(
    batch: &[NumberedLine],
    f: impl Fn(AdFeatures) -> T + Sync,
) -> anyhow::Result<Vec<(usize, Result<T, String>)>> {
    let opts = vigil_ident::Options::default();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .max(1);
    let chunk = batch.len().div_ceil(threads).max(1);
    let work = |part: &[NumberedLine]| -> Vec<(usize, Result<T, String>)> {
        part.iter()
            .map(|(n, line)| {
                let result = line.as_deref().map_err(Clone::clone).and_then(|line| {
                    vigil_ads::parse_ad_line(line)
                        .map(|r| f(features(r, &opts)))
                        .map_err(|e| e.to_string())
                });
                (*n, result)
            })
            .collect()
    };
    std::thread::scope(|s| {
        let handles: Vec<_> = batch
            .chunks(chunk)
            .map(|part| s.spawn(|| work(part)))
            .collect();
        let mut out = Vec::with_capacity(batch.len());
        for h in handles {
            // A worker that panicked would silently drop ads: fail the run instead.
            out.extend(
                h.join()
                    .map_err(|_| anyhow::anyhow!("an extraction worker panicked"))?,
            );
        }
        Ok(out)
    })
}

fn open_out(path: Option<&Path>) -> anyhow::Result<Box<dyn Write>> {
    Ok(match path {
        Some(p) => Box::new(BufWriter::new(
            File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        )),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    })
}

fn read_stoplist(path: &Path) -> anyhow::Result<Vec<String>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read stoplist {}", path.display()))?;
    let opts = vigil_ident::Options::default();
    let mut values = Vec::new();
    for line in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let x = vigil_ident::extract(line, &opts);
        match (x.phones.first(), x.emails.first()) {
            (Some(p), _) => values.push(p.e164.clone()),
            (None, Some(e)) => values.push(e.address.clone()),
            _ => values.push(line.to_lowercase()),
        }
    }
    Ok(values)
}

fn report_bad(path: &Path, line: usize, err: &str, bad: &mut usize) {
    *bad += 1;
    eprintln!("vigil ads: {}: line {line}: skipped: {err}", path.display());
}

fn cluster(a: ClusterArgs) -> anyhow::Result<ExitCode> {
    let mut config = vigil_ads::ClusterConfig {
        threshold: a.threshold,
        bands: a.bands,
        rows: a.rows,
        seed: a.seed,
        scheme: match a.minhash {
            MinHashArg::OnePermutation => vigil_ads::MinHashScheme::OnePermutation,
            MinHashArg::Permutations => vigil_ads::MinHashScheme::Permutations,
        },
        generic_max_text_clusters: a.generic_max,
        generic_max_cities: a.generic_max_cities,
        generic_max_co_values: a.generic_max_co_values,
        include_singletons: a.include_singletons,
        use_selectors: !a.text_only,
        ..Default::default()
    };
    if let Some(p) = &a.stoplist {
        config.stoplist.extend(read_stoplist(p)?);
    }
    let mut clusterer = vigil_ads::Clusterer::new(config)?;
    let mut bad = 0usize;
    for_each_batch(&a.input, |batch| {
        let prepared = par_map(&batch, |ad| clusterer.prepare(&ad))?;
        for (line, r) in prepared {
            match r {
                Ok(p) => clusterer.push(p)?,
                Err(e) => report_bad(&a.input, line, &e, &mut bad),
            }
        }
        Ok(())
    })?;
    let ops = clusterer.finish(&mut |stage, done, total| {
        if stage != "lsh-bands" || done == total {
            eprintln!("vigil ads: {stage} {done}/{total}");
        }
    });
    let mut out = open_out(Some(&a.out))?;
    for op in &ops.operations {
        serde_json::to_writer(&mut out, op)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    eprintln!(
        "vigil ads cluster: {} ; bad lines {bad}",
        serde_json::to_string(&ops.stats)?
    );
    eprintln!("vigil ads cluster: {}", vigil_ads::LEAD_NOT_EVIDENCE);
    Ok(ExitCode::SUCCESS)
}

fn score(a: ScoreArgs) -> anyhow::Result<ExitCode> {
    let set = match &a.weights {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read {}", p.display()))?;
            vigil_ads::WeightSet::from_toml(&text)
                .with_context(|| format!("weight set {}", p.display()))?
        }
        None => vigil_ads::WeightSet::default_set()?,
    };
    let scorer = vigil_ads::Scorer::new(&set);
    let mut out = open_out(a.out.as_deref())?;
    let (mut bad, mut scored, mut urgent) = (0usize, 0usize, 0usize);
    for_each_batch(&a.input, |batch| {
        for (line, r) in par_map(&batch, |ad| scorer.score(&ad))? {
            match r {
                Ok(s) => {
                    scored += 1;
                    urgent += usize::from(s.urgent_review);
                    serde_json::to_writer(&mut out, &s)?;
                    out.write_all(b"\n")?;
                }
                Err(e) => report_bad(&a.input, line, &e, &mut bad),
            }
        }
        Ok(())
    })?;
    out.flush()?;
    eprintln!(
        "vigil ads score: {scored} ads scored with weight set {} v{}; {urgent} flagged for urgent review; bad lines {bad}",
        set.id, set.version
    );
    Ok(ExitCode::SUCCESS)
}

fn circuits(a: CircuitArgs) -> anyhow::Result<ExitCode> {
    let stop: std::collections::HashSet<String> = match &a.stoplist {
        Some(p) => read_stoplist(p)?.into_iter().collect(),
        None => Default::default(),
    };
    let mut sightings = Vec::new();
    let (mut bad, mut no_place) = (0usize, 0usize);
    for_each_batch(&a.input, |batch| {
        for (line, r) in par_map(&batch, |ad| ad)? {
            let ad = match r {
                Ok(ad) => ad,
                Err(e) => {
                    report_bad(&a.input, line, &e, &mut bad);
                    continue;
                }
            };
            let (Some(city), Some(t)) = (&ad.city, ad.posted_at) else {
                no_place += 1;
                continue;
            };
            let mut seen = std::collections::HashSet::new();
            for s in &ad.selectors {
                if stop.contains(&s.value) || !seen.insert((s.kind, s.value.clone())) {
                    continue;
                }
                sightings.push(vigil_ads::Sighting {
                    selector: s.kind,
                    value: s.value.clone(),
                    city: city.trim().to_lowercase(),
                    posted_at: t,
                    ad_id: ad.id.clone(),
                });
            }
        }
        Ok(())
    })?;
    let config = vigil_ads::CircuitConfig {
        min_cities: a.min_cities,
        window_secs: a.window_days * 86_400,
    };
    let found = vigil_ads::find_circuits(sightings, &config);
    let mut out = open_out(a.out.as_deref())?;
    for c in &found {
        serde_json::to_writer(&mut out, c)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    eprintln!(
        "vigil ads circuits: {} selectors in ≥{} cities within {} days; {no_place} ads without city or time; bad lines {bad}. Movement is for tracking, never a score input.",
        found.len(), a.min_cities, a.window_days
    );
    Ok(ExitCode::SUCCESS)
}
