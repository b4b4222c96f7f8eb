#!/usr/bin/env bash
# Import throughput of `vigil ads import` (issue 3 part 4): a synthetic feed of N ads into a
# fresh SQLite store, then the same file again (every ad a duplicate: the re-import must store
# nothing). Prints one table row per run: ads, wall seconds, ads/s, peak RSS.
#
#   bench/ads/import.sh [N]            # default N = 100000
#   VIGIL_BIN=target/release/vigil bench/ads/import.sh 100000
#   VIGIL_DATABASE_URL=postgres://postgres@127.0.0.1:5432/vigil_bench bench/ads/import.sh
#     (an empty PostgreSQL database instead of SQLite)
set -euo pipefail
N=${1:-100000}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
if [[ -z "${VIGIL_BIN:-}" ]]; then
  (cd "$ROOT" && cargo build --release -p vigil-cli)
  VIGIL_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/vigil"
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export VIGIL_DATA_DIR="$WORK/data"
"$VIGIL_BIN" synth ads --count "$N" --seed 42 --out "$WORK/ads.jsonl" --truth "$WORK/truth.jsonl" >/dev/null
"$VIGIL_BIN" admin create-agency --name "Bench Police Department" --short-code BENCH --kind local_law_enforcement >/dev/null
"$VIGIL_BIN" admin create-user --username bench.analyst --display-name "Bench Analyst" --role analyst --agency BENCH >/dev/null
echo "| run | ads read | stored | duplicates | rejected | wall s | ads/s | peak RSS MB |"
echo "|---|---|---|---|---|---|---|---|"
for run in first re-import; do
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$VIGIL_BIN" ads import "$WORK/ads.jsonl" \
    --case ADS-1 --agency BENCH --as bench.analyst --open-case "Synthetic feed" \
    >"$WORK/summary.json" 2>"$WORK/stderr"
  read -r wall rss <"$WORK/time"
  python3 - "$run" "$wall" "$rss" "$WORK/summary.json" <<'PY'
import json, sys
run, wall, rss, path = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
s = json.load(open(path))
print(f"| {run} | {s['read']:,} | {s['stored']:,} | {s['duplicates']:,} | {s['rejected']:,} | {wall:.1f} | {s['read'] / max(wall, 1e-9):,.0f} | {rss / 1024:.0f} |")
PY
done
