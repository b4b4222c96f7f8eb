#!/usr/bin/env bash
# Clustering benchmark: Vigil (`vigil ads cluster`) vs python datasketch MinHashLSH on the same
# synthetic feed, with pair precision/recall against the generator's operations.
#
# Usage: bench/ads/run.sh [N] [DS_N]
#   N     ads for Vigil (default 1000000; 100000 for a quick run)
#   DS_N  ads for datasketch (default: min(N, 100000)); datasketch is also compared with Vigil on
#         exactly that sample. Set DS_N=N to run datasketch on everything (slow: ~1 ms per ad).
# Env: VIGIL_BIN to use an already built binary; WORK for the data directory.
set -euo pipefail
N="${1:-1000000}"
DS_N="${2:-$(( N < 100000 ? N : 100000 ))}"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
WORK="${WORK:-/tmp/vigil-bench-ads}"
VENV=/opt/vigil-venv-ads
mkdir -p "$WORK"

if [[ -z "${VIGIL_BIN:-}" ]]; then
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/work/target-ads}"
  (cd "$ROOT" && cargo build --release -p vigil-cli)
  VIGIL_BIN="$CARGO_TARGET_DIR/release/vigil"
fi
if [[ ! -x "$VENV/bin/python" ]]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/python" -c "import datasketch" 2>/dev/null || "$VENV/bin/pip" install -q datasketch
DS_VERSION="$("$VENV/bin/python" -c 'import datasketch; print(datasketch.__version__)')"

ADS="$WORK/ads-$N.jsonl"; TRUTH="$WORK/truth-$N.jsonl"
if [[ ! -s "$ADS" ]]; then
  "$VIGIL_BIN" synth ads --count "$N" --seed 42 --out "$ADS" --truth "$TRUTH"
fi
SAMPLE="$WORK/ads-$N-head-$DS_N.jsonl"; SAMPLE_TRUTH="$WORK/truth-$N-head-$DS_N.jsonl"
head -n "$DS_N" "$ADS" > "$SAMPLE"; head -n "$DS_N" "$TRUTH" > "$SAMPLE_TRUTH"

# timed NAME CMD...: runs CMD under /usr/bin/time -v, records "wall_s cpu_s peak_MB".
timed() {
  local name="$1"; shift
  /usr/bin/time -v "$@" 2> "$WORK/$name.time" >/dev/null || { cat "$WORK/$name.time" >&2; exit 1; }
  local wall rss cpu
  cpu=$(grep -E "User time|System time" "$WORK/$name.time" | awk '{s += $NF} END {printf "%.1f", s}')
  wall=$(grep "Elapsed (wall clock)" "$WORK/$name.time" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(grep "Maximum resident set size" "$WORK/$name.time" | awk '{printf "%.0f", $NF/1024}')
  echo "$wall $cpu $rss" > "$WORK/$name.res"
}
metrics() { python3 "$HERE/pair_metrics.py" "$@" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["precision"], d["recall"])'; }

timed vigil_full "$VIGIL_BIN" ads cluster --input "$ADS" --out "$WORK/ops-full.jsonl"
timed vigil_text "$VIGIL_BIN" ads cluster --text-only --input "$ADS" --out "$WORK/ops-text.jsonl"
timed vigil_full_s "$VIGIL_BIN" ads cluster --input "$SAMPLE" --out "$WORK/ops-full-s.jsonl"
timed vigil_text_s "$VIGIL_BIN" ads cluster --text-only --input "$SAMPLE" --out "$WORK/ops-text-s.jsonl"
timed datasketch "$VENV/bin/python" "$HERE/datasketch_cluster.py" "$SAMPLE" "$WORK/ds-labels.jsonl"

row() { # name ads res-file metrics...
  read -r wall cpu rss < "$WORK/$3.res"
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$2" "$wall" "$cpu" "$rss" "$4" "$5"
}
read -r P1 R1 <<< "$(metrics "$TRUTH" "$WORK/ops-full.jsonl")"
read -r P2 R2 <<< "$(metrics "$TRUTH" "$WORK/ops-text.jsonl")"
read -r P3 R3 <<< "$(metrics "$SAMPLE_TRUTH" "$WORK/ops-full-s.jsonl")"
read -r P4 R4 <<< "$(metrics "$SAMPLE_TRUTH" "$WORK/ops-text-s.jsonl")"
read -r P5 R5 <<< "$(metrics "$SAMPLE_TRUTH" "$WORK/ds-labels.jsonl" --format labels)"

echo
echo "Ads clustering, $(date -u +%Y-%m-%d), $(nproc) cores, datasketch $DS_VERSION; t = 0.7, char 5-grams, digits masked; Vigil: one-permutation MinHash, 126 slots as (b, r) = (21, 6), exact Jaccard check; datasketch: 128 permutations."
echo
echo "| tool | ads | wall s | CPU s (user+sys) | peak RSS MB | pair precision | pair recall |"
echo "|---|---|---|---|---|---|---|"
row "vigil ads cluster (text + selectors)" "$N" vigil_full "$P1" "$R1"
row "vigil ads cluster --text-only" "$N" vigil_text "$P2" "$R2"
row "vigil ads cluster (text + selectors)" "$DS_N" vigil_full_s "$P3" "$R3"
row "vigil ads cluster --text-only" "$DS_N" vigil_text_s "$P4" "$R4"
row "datasketch MinHashLSH + union-find" "$DS_N" datasketch "$P5" "$R5"
grep -h "^{" "$WORK/datasketch.time" | sed 's/^/datasketch: /'
grep -h "vigil ads cluster: {" "$WORK/vigil_full.time" | sed 's/^/vigil full: /'
