#!/usr/bin/env bash
# Network metrics: `vigil graph metrics` vs networkx and python-igraph.
#
# usage: bench/graph/run.sh [SIZES]     e.g. bench/graph/run.sh "10000"  (quick)
#        default SIZES="10000 100000 1000000" (edges of the synthetic scale-free graphs)
# Also runs one real public network shipped inside a PyPI package: a mouse brain connectome
# (DTI, weighted) from graspologic's bundled datasets, fetched once with `pip download`.
# Environment: VIGIL (a prebuilt vigil binary; skips the build), PEER_TIMEOUT (seconds per peer run, default 900), BENCH_DATA (default /tmp/vigil-bench-graph),
# BENCH_REPEAT / BENCH_BUDGET (each metric: best of up to 5 runs, no new run after 2 s; all tools alike), EIGENVECTOR_MAX_ITER (default 1000, Vigil and networkx alike).
set -euo pipefail

SIZES="${1:-10000 100000 1000000}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
if [ -z "${VIGIL:-}" ]; then
  cargo build --release -p vigil-cli >&2
  VIGIL="$CARGO_TARGET_DIR/release/vigil"
fi

VENV=/opt/vigil-venv-graph
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c "import networkx, igraph, scipy, numpy" 2>/dev/null; then
  "$VENV/bin/pip" install -q networkx scipy numpy igraph >&2
fi
"$VENV/bin/python" -c "import networkx, igraph; print('networkx', networkx.__version__, '| python-igraph', igraph.__version__)" >&2

DATA="${BENCH_DATA:-/tmp/vigil-bench-graph}"
mkdir -p "$DATA"
GRAPHS=()
MOUSE="$DATA/mouse-connectome.csv"
if [ ! -s "$MOUSE" ]; then
  if "$VENV/bin/pip" download -q --no-deps graspologic==3.4.4 -d "$DATA/wheel" >&2; then
    WHEEL="$(ls "$DATA"/wheel/graspologic-*.whl | head -1)"
    unzip -o -q "$WHEEL" 'graspologic/datasets/mice/edgelists/sub-54776_ses-1_dti.edgelist' -d "$DATA/wheel"
    { echo "source,target,weight"; awk '{print "r" $1 ",r" $2 "," $3}' \
        "$DATA/wheel/graspologic/datasets/mice/edgelists/sub-54776_ses-1_dti.edgelist"; } > "$MOUSE"
  else
    echo "could not fetch graspologic's dataset; skipping the real network" >&2
  fi
fi
[ -s "$MOUSE" ] && GRAPHS+=("mouse-connectome=$MOUSE")

for size in $SIZES; do
  f="$DATA/ba-$size.csv"
  [ -s "$f" ] || "$VIGIL" synth graph --edges "$size" --seed 1 --out "$f"
  GRAPHS+=("ba-$size=$f")
done

echo "# vigil graph bench — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(uname -m)"
echo
"$VENV/bin/python" "$ROOT/bench/graph/bench.py" --vigil "$VIGIL" --python "$VENV/bin/python" \
  --work "$DATA/work" "${GRAPHS[@]}"
