//! Profiling harness: the `vigil extract` path (`jsonl::run`) over stdin to stdout, without
//! building the whole CLI. `cargo run --release -p vigil-ident --example extract_jsonl < ads.jsonl`
#![allow(clippy::unwrap_used)]

fn main() {
    let stdin = std::io::stdin();
    let reader = std::io::BufReader::with_capacity(1 << 20, stdin.lock());
    let writer = std::io::BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
    let summary =
        vigil_ident::jsonl::run(reader, writer, std::io::stderr(), &Default::default()).unwrap();
    eprintln!("{summary:?}");
}
