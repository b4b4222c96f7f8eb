#!/usr/bin/env bash
# Incremental cross-referencing latency (issue 4 part 3): index N synthetic people
# (`vigil synth people` generator, seeded) in the matcher Vigil's server keeps resident, then
# match one new person against it and add it to the index, PROBES times; prints the latency table
# and the process's wall time and peak RSS.
#
# usage: bench/resolve/xref_latency.sh [N] [PROBES]    (defaults 100000 and 1000)
set -euo pipefail

N=${1:-100000}
PROBES=${2:-1000}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/work/target-resolve}
export CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-1}

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "building vigil (release)…" >&2
  (cd "$ROOT" && cargo build --release -p vigil-cli >&2)
fi
VIGIL="$CARGO_TARGET_DIR/release/vigil"
LOG=$(mktemp /tmp/vigil-xref-bench.XXXXXX)
/usr/bin/time -v "$VIGIL" xref bench --count "$N" --probes "$PROBES" --seed 1 2> "$LOG"
wall=$(grep "Elapsed (wall clock)" "$LOG" | awk '{print $NF}')
rss=$(grep "Maximum resident set size" "$LOG" | awk '{printf "%.0f", $NF/1024}')
echo
echo "process: wall $wall, peak RSS ${rss} MB"
