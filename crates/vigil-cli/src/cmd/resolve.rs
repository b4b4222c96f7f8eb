//! `vigil resolve`: deduplicate one file, link two files, or encode a file for
//! privacy-preserving linkage. Thin: opens files, prints progress, calls `vigil_resolve`.

use anyhow::{bail, Context};
use clap::Subcommand;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;
use vigil_resolve::privacy::{self, Encoder};
use vigil_resolve::{Config, Dataset, ScoreTables, Scorer};

/// Arguments of `vigil resolve`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Subcommand)]
enum Action {
    /// Find duplicate records in one CSV file; writes `record_id,cluster_id` for every record.
    Dedupe {
        input: PathBuf,
        /// TOML: id_column, [fields] column = kind, threshold, [blocking].
        #[arg(long)]
        config: Option<PathBuf>,
        #[arg(long)]
        out: PathBuf,
        /// Write a readable explanation of every matched pair to this file.
        #[arg(long)]
        explain: Option<PathBuf>,
        /// Write every scored pair with probability ≥ 0.05 (`left_id,right_id,match_probability`).
        #[arg(long)]
        pairs: Option<PathBuf>,
        /// Labelled pairs `left_id,right_id[,match]` (match 1/0, default 1) to refine and calibrate.
        #[arg(long)]
        labels: Option<PathBuf>,
    },
    /// Link two CSV files (or two encoded files); writes `left_id,right_id,match_probability`.
    Link {
        left: PathBuf,
        right: PathBuf,
        #[arg(long)]
        config: Option<PathBuf>,
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        explain: Option<PathBuf>,
        /// Labelled pairs `left_id,right_id[,match]` (match 1/0, default 1) to refine and calibrate.
        #[arg(long)]
        labels: Option<PathBuf>,
    },
    /// Encode a CSV file as keyed 1024-bit Bloom filters for privacy-preserving linkage.
    Encode {
        input: PathBuf,
        /// File holding the secret shared only between the data holders (≥ 16 bytes).
        #[arg(long)]
        secret_file: PathBuf,
        #[arg(long)]
        config: Option<PathBuf>,
        #[arg(long)]
        out: PathBuf,
    },
}

fn load_config(path: Option<&Path>) -> anyhow::Result<Config> {
    match path {
        None => Ok(Config::default()),
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read config {}", p.display()))?;
            Ok(Config::from_toml(&text).with_context(|| format!("in {}", p.display()))?)
        }
    }
}

fn create(p: &Path) -> anyhow::Result<BufWriter<File>> {
    Ok(BufWriter::new(File::create(p).with_context(|| {
        format!("cannot create {}", p.display())
    })?))
}

fn load(ds: &mut Dataset, path: &Path) -> anyhow::Result<()> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let name = path.display().to_string();
    let (layout, report) = ds.add_csv(BufReader::with_capacity(1 << 20, file), &name)?;
    if layout.guessed {
        eprint!(
            "resolve: no [fields] in the config; guessed from {name}:\n{}",
            layout.describe()
        );
    }
    for w in &report.warnings {
        eprintln!("warning: {w}");
    }
    if report.warning_count > report.warnings.len() as u64 {
        eprintln!(
            "warning: … {} more warnings",
            report.warning_count - report.warnings.len() as u64
        );
    }
    eprintln!(
        "resolve: {name}: {} records loaded, {} rows skipped",
        report.rows, report.skipped_rows
    );
    Ok(())
}

fn progress(start: Instant) -> impl Fn(&str) + Sync {
    move |msg: &str| eprintln!("[{:7.2}s] {msg}", start.elapsed().as_secs_f64())
}

fn first_line(path: &Path) -> anyhow::Result<String> {
    let mut line = String::new();
    let f = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut r = BufReader::new(f);
    let mut buf = Vec::new();
    r.read_until(b'\n', &mut buf)?;
    line.push_str(&String::from_utf8_lossy(&buf));
    Ok(line)
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let start = Instant::now();
    let say = progress(start);
    match args.action {
        Action::Dedupe {
            input,
            config,
            out,
            explain,
            pairs,
            labels,
        } => {
            let mut ds = Dataset::new(load_config(config.as_deref())?);
            say("load: reading and normalising");
            load(&mut ds, &input)?;
            let labels = read_labels(&ds, labels.as_deref())?;
            let (res, clusters) = vigil_resolve::dedupe_labelled(&ds, &labels, &say);
            let mut w = create(&out)?;
            writeln!(w, "record_id,cluster_id")?;
            for (i, c) in clusters.iter().enumerate() {
                writeln!(w, "{},{}", csv_safe(&ds.ids[i]), c)?;
            }
            w.flush()?;
            if let Some(path) = pairs {
                let mut w = create(&path)?;
                writeln!(w, "left_id,right_id,match_probability")?;
                for e in &res.edges {
                    let p = res.model.probability(f64::from(e.bits));
                    writeln!(
                        w,
                        "{},{},{p:.6}",
                        csv_safe(&ds.ids[e.a as usize]),
                        csv_safe(&ds.ids[e.b as usize])
                    )?;
                }
                w.flush()?;
            }
            if let Some(path) = explain {
                let min_bits =
                    vigil_resolve::pipeline::model_bits_for(&res.model, ds.config.threshold);
                let tables = ScoreTables::new(&ds);
                let scorer = Scorer::new(&ds, &res.model, &tables);
                let mut w = create(&path)?;
                for e in res.edges.iter().filter(|e| f64::from(e.bits) >= min_bits) {
                    let (a, b) = (e.a as usize, e.b as usize);
                    let x = scorer.explain(&ds.records[a], &ds.records[b]);
                    let same = clusters[a] == clusters[b];
                    writeln!(
                        w,
                        "{} ~ {} ({})",
                        ds.ids[a],
                        ds.ids[b],
                        if same {
                            "same cluster"
                        } else {
                            "kept apart by clustering"
                        }
                    )?;
                    write!(w, "{}", x.render())?;
                }
                w.flush()?;
            }
            eprint!("{}", res.summary.render());
            say(&format!("done: wrote {}", out.display()));
        }
        Action::Link {
            left,
            right,
            config,
            out,
            explain,
            labels,
        } => {
            let (el, er) = (
                privacy::is_encoded_header(&first_line(&left)?),
                privacy::is_encoded_header(&first_line(&right)?),
            );
            if el != er {
                bail!("one input is encoded ({}) and the other is not: encode both with the same secret", privacy::CLK_COLUMN);
            }
            let cfg = load_config(config.as_deref())?;
            if el {
                return link_encoded(&left, &right, &out, &cfg, &say);
            }
            let mut ds = Dataset::new(cfg);
            say("load: reading and normalising");
            load(&mut ds, &left)?;
            load(&mut ds, &right)?;
            let labels = read_labels(&ds, labels.as_deref())?;
            let (res, links) = vigil_resolve::link_labelled(&ds, &labels, &say);
            let mut w = create(&out)?;
            writeln!(w, "left_id,right_id,match_probability")?;
            for (l, r, p) in &links {
                writeln!(
                    w,
                    "{},{},{p:.6}",
                    csv_safe(&ds.ids[*l as usize]),
                    csv_safe(&ds.ids[*r as usize])
                )?;
            }
            w.flush()?;
            if let Some(path) = explain {
                let tables = ScoreTables::new(&ds);
                let scorer = Scorer::new(&ds, &res.model, &tables);
                let mut w = create(&path)?;
                for (l, r, _) in &links {
                    let x = scorer.explain(&ds.records[*l as usize], &ds.records[*r as usize]);
                    writeln!(w, "{} ~ {}", ds.ids[*l as usize], ds.ids[*r as usize])?;
                    write!(w, "{}", x.render())?;
                }
                w.flush()?;
            }
            eprint!("{}", res.summary.render());
            say(&format!(
                "done: {} links written to {}",
                links.len(),
                out.display()
            ));
        }
        Action::Encode {
            input,
            secret_file,
            config,
            out,
        } => {
            let secret = std::fs::read(&secret_file)
                .with_context(|| format!("cannot read secret {}", secret_file.display()))?;
            let encoder = Encoder::new(&secret)?;
            let cfg = load_config(config.as_deref())?;
            let file =
                File::open(&input).with_context(|| format!("cannot open {}", input.display()))?;
            let (encoded, warnings, layout) = privacy::encode_csv(
                &cfg,
                &encoder,
                BufReader::new(file),
                &input.display().to_string(),
            )?;
            if layout.guessed {
                eprint!("resolve: guessed columns:\n{}", layout.describe());
            }
            for w in warnings.iter().take(20) {
                eprintln!("warning: {w}");
            }
            let mut w = create(&out)?;
            writeln!(w, "{},{}", layout.id_column, privacy::CLK_COLUMN)?;
            for (id, clk) in &encoded {
                writeln!(w, "{},{}", csv_safe(id), clk.to_hex())?;
            }
            w.flush()?;
            say(&format!(
                "done: {} records encoded to {}",
                encoded.len(),
                out.display()
            ));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn link_encoded(
    left: &Path,
    right: &Path,
    out: &Path,
    cfg: &Config,
    say: &(dyn Fn(&str) + Sync),
) -> anyhow::Result<ExitCode> {
    let read = |p: &Path| -> anyhow::Result<Vec<(String, privacy::Clk)>> {
        let f = File::open(p).with_context(|| format!("cannot open {}", p.display()))?;
        Ok(privacy::read_encoded(
            BufReader::new(f),
            &p.display().to_string(),
        )?)
    };
    let (l, r) = (read(left)?, read(right)?);
    // Dice threshold: the configured threshold when set above the default, else 0.8.
    let threshold = if (cfg.threshold - 0.5).abs() > f64::EPSILON {
        cfg.threshold
    } else {
        0.8
    };
    say(&format!(
        "pprl: {} x {} encodings, Dice >= {threshold}, greedy one-to-one",
        l.len(),
        r.len()
    ));
    let lc: Vec<privacy::Clk> = l.iter().map(|x| x.1).collect();
    let rc: Vec<privacy::Clk> = r.iter().map(|x| x.1).collect();
    let (links, compared) = privacy::link_encoded(&lc, &rc, threshold);
    let mut w = create(out)?;
    writeln!(w, "left_id,right_id,dice_similarity")?;
    for (i, j, d) in &links {
        writeln!(
            w,
            "{},{},{d:.6}",
            csv_safe(&l[*i as usize].0),
            csv_safe(&r[*j as usize].0)
        )?;
    }
    w.flush()?;
    eprintln!("pairs compared: {compared}\nlinks: {}", links.len());
    say(&format!("done: wrote {}", out.display()));
    Ok(ExitCode::SUCCESS)
}

/// Reads labelled pairs, mapping ids to record indices; unknown ids are reported and skipped.
fn read_labels(ds: &Dataset, path: Option<&Path>) -> anyhow::Result<Vec<(u32, u32, bool)>> {
    let Some(path) = path else {
        return Ok(Vec::new());
    };
    let index: std::collections::HashMap<&str, u32> = ds
        .ids
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i as u32))
        .collect();
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .with_context(|| format!("cannot open labels {}", path.display()))?;
    let mut out = Vec::new();
    let mut unknown = 0u64;
    for (n, rec) in rdr.records().enumerate() {
        let rec = rec.with_context(|| format!("{}:{}", path.display(), n + 2))?;
        let (Some(a), Some(b)) = (rec.get(0), rec.get(1)) else {
            bail!(
                "{}:{}: expected left_id,right_id[,match]",
                path.display(),
                n + 2
            );
        };
        let is_match = !matches!(rec.get(2).map(str::trim), Some("0" | "false" | "no"));
        match (index.get(a.trim()), index.get(b.trim())) {
            (Some(&i), Some(&j)) => out.push((i, j, is_match)),
            _ => unknown += 1,
        }
    }
    if unknown > 0 {
        eprintln!(
            "warning: {}: {unknown} labelled pairs name unknown ids; skipped",
            path.display()
        );
    }
    Ok(out)
}

fn csv_safe(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
