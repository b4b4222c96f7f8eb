//! Profiling aid: dedupes one CSV with the default configuration and writes
//! `record_id,cluster_id` (the same pipeline as `vigil resolve dedupe`, without the CLI's
//! dependencies, so it builds in seconds). Usage: `dedupe_file INPUT.csv OUT.csv`.

use std::io::Write;
use std::time::Instant;
use vigil_resolve::{Config, Dataset};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(input), Some(out)) = (args.get(1), args.get(2)) else {
        return Err("usage: dedupe_file INPUT.csv OUT.csv".into());
    };
    let start = Instant::now();
    let say = move |m: &str| eprintln!("[{:7.2}s] {m}", start.elapsed().as_secs_f64());
    let mut ds = Dataset::new(Config::default());
    say("load");
    ds.add_csv(std::io::BufReader::new(std::fs::File::open(input)?), input)?;
    let (res, ids) = vigil_resolve::dedupe(&ds, &say);
    let mut w = std::io::BufWriter::new(std::fs::File::create(out)?);
    writeln!(w, "record_id,cluster_id")?;
    for (i, c) in ids.iter().enumerate() {
        writeln!(w, "{},{c}", ds.ids[i])?;
    }
    w.flush()?;
    eprint!("{}", res.summary.render());
    say(&format!("done: {} kept edges", res.edges.len()));
    Ok(())
}
