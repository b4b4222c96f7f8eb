#!/usr/bin/env bash
# Entity-resolution benchmark: Vigil vs Splink (DuckDB) on FEBRL1-4 and on `vigil synth people`,
# and Vigil's privacy-preserving mode vs clkhash + anonlink on FEBRL4.
#
# usage: bench/resolve/run.sh [N]      N = synthetic records (default 1,000,000)
# Splink is skipped on synthetic inputs above SPLINK_MAX records (default 200,000; it needs
# minutes and gigabytes there): run a smaller N for both to compare.
set -euo pipefail

N=${1:-1000000}
SPLINK_MAX=${SPLINK_MAX:-200000}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/bench/resolve"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/work/target-resolve}
export CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-1}
VENV=${VENV:-/opt/vigil-venv-resolve}
FEBRL=${FEBRL:-$ROOT/../shared/data/febrl}
[ -d "$FEBRL" ] || FEBRL=/work/shared/data/febrl
WORK=$(mktemp -d /tmp/vigil-bench-resolve.XXXXXX)

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "building vigil (release)…" >&2
  (cd "$ROOT" && cargo build --release -p vigil-cli >&2)
fi
VIGIL="$CARGO_TARGET_DIR/release/vigil"

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import splink, pandas, clkhash, anonlink" 2>/dev/null; then
  echo "creating $VENV and installing splink, pandas, clkhash, anonlink…" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q splink pandas clkhash anonlink >&2
fi
PY="$VENV/bin/python"

# measure LOG CMD…: runs CMD under /usr/bin/time -v, stderr to LOG; prints "seconds rss_mb".
measure() {
  local log=$1; shift
  /usr/bin/time -v "$@" > /dev/null 2> "$log" || { echo "failed: $* (see $log)" >&2; tail -5 "$log" >&2; echo "fail fail"; return 0; }
  local wall rss
  wall=$(grep "Elapsed (wall clock)" "$log" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(grep "Maximum resident set size" "$log" | awk '{printf "%.0f", $NF/1024}')
  echo "$wall $rss"
}

j() { python3 -c "import json,sys; d=json.loads(sys.argv[1]); print($2)" "$1"; }

ROWS=()
row() { ROWS+=("| $1 | $2 | $3 | $4 | $5 | $6 | $7 | $8 |"); }

dedupe_case() { # name input truth
  local name=$1 input=$2 truth=$3
  read -r t m < <(measure "$WORK/$name.vigil.log" "$VIGIL" resolve dedupe "$input" --out "$WORK/$name.vigil.clusters.csv" --pairs "$WORK/$name.vigil.pairs.csv")
  local c p
  c=$(python3 "$HERE/evaluate.py" clusters "$WORK/$name.vigil.clusters.csv" "$truth")
  p=$(python3 "$HERE/evaluate.py" pairs "$WORK/$name.vigil.pairs.csv" "$truth")
  row "$name" "Vigil" "$(j "$p" 'd["at_threshold"]["precision"]') / $(j "$p" 'd["at_threshold"]["recall"]') / $(j "$p" 'd["at_threshold"]["f1"]')" \
      "$(j "$p" 'd["best_f1"]') @ $(j "$p" 'round(d["best_threshold"],3)')" "$(j "$c" 'd["f1"]')" "$t" "$m" "$(grep -E '^pairs compared' "$WORK/$name.vigil.log" | awk '{print $3}')"
  local rows
  rows=$(($(wc -l < "$input") - 1))
  if [ "$rows" -le "$SPLINK_MAX" ]; then
    read -r t m < <(measure "$WORK/$name.splink.log" "$PY" "$HERE/splink_run.py" dedupe "$input" "$WORK/$name.splink")
    if [ "$t" != fail ]; then
      c=$(python3 "$HERE/evaluate.py" clusters "$WORK/$name.splink.clusters.csv" "$truth")
      p=$(python3 "$HERE/evaluate.py" pairs "$WORK/$name.splink.pairs.csv" "$truth")
      row "$name" "Splink" "$(j "$p" 'd["at_threshold"]["precision"]') / $(j "$p" 'd["at_threshold"]["recall"]') / $(j "$p" 'd["at_threshold"]["f1"]')" \
          "$(j "$p" 'd["best_f1"]') @ $(j "$p" 'round(d["best_threshold"],3)')" "$(j "$c" 'd["f1"]')" "$t" "$m" "-"
    fi
  else
    row "$name" "Splink" "skipped ($rows > SPLINK_MAX=$SPLINK_MAX)" "-" "-" "-" "-" "-"
  fi
}

echo "FEBRL1-3 dedupe…" >&2
for k in 1 2 3; do dedupe_case "febrl$k" "$FEBRL/febrl$k.csv" "$FEBRL/febrl${k}_links.csv"; done

echo "FEBRL4 link…" >&2
printf 'threshold = 0.01\n' > "$WORK/all.toml"
read -r t m < <(measure "$WORK/febrl4.vigil.log" "$VIGIL" resolve link "$FEBRL/febrl4a.csv" "$FEBRL/febrl4b.csv" --config "$WORK/all.toml" --out "$WORK/febrl4.vigil.pairs.csv")
p=$(python3 "$HERE/evaluate.py" pairs "$WORK/febrl4.vigil.pairs.csv" "$FEBRL/febrl4_links.csv")
row "febrl4 (link)" "Vigil" "$(j "$p" 'd["at_threshold"]["precision"]') / $(j "$p" 'd["at_threshold"]["recall"]') / $(j "$p" 'd["at_threshold"]["f1"]')" \
    "$(j "$p" 'd["best_f1"]') @ $(j "$p" 'round(d["best_threshold"],3)')" "-" "$t" "$m" "$(grep -E '^pairs compared' "$WORK/febrl4.vigil.log" | awk '{print $3}')"
read -r t m < <(measure "$WORK/febrl4.splink.log" "$PY" "$HERE/splink_run.py" link "$FEBRL/febrl4a.csv" "$FEBRL/febrl4b.csv" "$WORK/febrl4.splink")
if [ "$t" != fail ]; then
  p=$(python3 "$HERE/evaluate.py" pairs "$WORK/febrl4.splink.pairs.csv" "$FEBRL/febrl4_links.csv")
  row "febrl4 (link)" "Splink" "$(j "$p" 'd["at_threshold"]["precision"]') / $(j "$p" 'd["at_threshold"]["recall"]') / $(j "$p" 'd["at_threshold"]["f1"]')" \
      "$(j "$p" 'd["best_f1"]') @ $(j "$p" 'round(d["best_threshold"],3)')" "-" "$t" "$m" "-"
fi

echo "privacy-preserving FEBRL4…" >&2
head -c 32 /dev/urandom | base64 > "$WORK/secret.key"
read -r t1 m1 < <(measure "$WORK/enc_a.log" "$VIGIL" resolve encode "$FEBRL/febrl4a.csv" --secret-file "$WORK/secret.key" --out "$WORK/enc_a.csv")
read -r t2 m2 < <(measure "$WORK/enc_b.log" "$VIGIL" resolve encode "$FEBRL/febrl4b.csv" --secret-file "$WORK/secret.key" --out "$WORK/enc_b.csv")
for thr in 0.8 0.7; do
  printf 'threshold = %s\n' "$thr" > "$WORK/pprl.toml"
  read -r t3 m3 < <(measure "$WORK/pprl_link.log" "$VIGIL" resolve link "$WORK/enc_a.csv" "$WORK/enc_b.csv" --config "$WORK/pprl.toml" --out "$WORK/pprl_links.csv")
  p=$(python3 "$HERE/evaluate.py" pairs "$WORK/pprl_links.csv" "$FEBRL/febrl4_links.csv")
  tt=$(python3 -c "print(round($t1+$t2+$t3,2))")
  mm=$(python3 -c "print(max($m1,$m2,$m3))")
  row "febrl4 PPRL (Dice ≥ $thr, 1:1)" "Vigil CLK-1024" "$(j "$p" 'd["at_threshold"]["precision"]') / $(j "$p" 'd["at_threshold"]["recall"]') / $(j "$p" 'd["at_threshold"]["f1"]')" "-" "-" "$tt" "$mm" "$(grep -E '^pairs compared' "$WORK/pprl_link.log" | awk '{print $3}')"
done
read -r t m < <(measure "$WORK/anonlink.log" "$PY" "$HERE/pprl_peer.py" "$FEBRL/febrl4a.csv" "$FEBRL/febrl4b.csv" "$WORK/secret.key" "$WORK/anonlink.csv")
if [ "$t" != fail ]; then
  p=$(python3 "$HERE/evaluate.py" pairs "$WORK/anonlink.csv" "$FEBRL/febrl4_links.csv")
  row "febrl4 PPRL (Dice ≥ 0.8, greedy)" "clkhash+anonlink" "$(j "$p" 'd["at_threshold"]["precision"]') / $(j "$p" 'd["at_threshold"]["recall"]') / $(j "$p" 'd["at_threshold"]["f1"]')" "-" "-" "$t" "$m" "-"
fi

echo "synthetic people, N=$N…" >&2
"$VIGIL" synth people --count "$N" --seed 1 --out "$WORK/people.csv" --truth "$WORK/people_truth.csv"
dedupe_case "synth people $N" "$WORK/people.csv" "$WORK/people_truth.csv"

echo
echo "Run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores; work files in $WORK"
echo
echo "| data | tool | pairwise P / R / F1 @ 0.5 | best pairwise F1 @ threshold | cluster F1 @ 0.5 | wall s | peak RSS MB | pairs compared |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
