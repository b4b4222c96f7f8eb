#!/usr/bin/env bash
# Anonymous tip submission under wrk on loopback (issue 6): POST /api/v1/tips throughput and
# latency percentiles, on SQLite and PostgreSQL.
#
# A real submission needs a fresh, single-use proof-of-work challenge, which a wrk Lua script
# cannot solve at the deployed difficulty. So the server runs with `vigil serve --bench-tips`
# (BENCHMARK ONLY: proof of work at 1 bit and no tip rate limit); before each run prefetch.py
# fetches N challenges from the server and solves them (1 bit: two hashes on average), and
# tips.lua sends each pre-solved body once. Everything else is the production path: signature
# and expiry checks, single-use register, triage rules and selector extraction, Argon2id hashing
# of the receipt secret, and the audited insert.
#
# Usage: bench/tips/run.sh [DURATION=10s]   (CONNS=8, BODIES=6000 to change)
# PostgreSQL: VIGIL_BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432) — database
# vigil_bench_tips is dropped and recreated. SKIP_BUILD=1 reuses target/release/vigil;
# VIGIL_BIN=/path/to/vigil benchmarks that binary instead.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-10s}
CONNS=${CONNS:-8}
BODIES=${BODIES:-6000}
PG=${VIGIL_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
# VIGIL_BIN=path uses that binary (and skips the build).
if [ -z "${VIGIL_BIN:-}" ]; then
  [ -n "${SKIP_BUILD:-}" ] || cargo build --release -q -p vigil-cli
fi
VIGIL=${VIGIL_BIN:-${CARGO_TARGET_DIR:-$PWD/target}/release/vigil}
HERE=$PWD/bench/tips
WORK=$(mktemp -d /tmp/vigil-bench-tips.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
pg_fresh() { psql "$PG/postgres" -q -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null; }

rows=()
bench_store() {
  local name=$1 port=$2; shift 2
  mkdir -p "$WORK/$name"
  "$VIGIL" serve --bench-tips --data-dir "$WORK/$name" --listen 127.0.0.1:$port "$@" 2>"$WORK/$name.log" &
  for _ in $(seq 100); do curl -sf http://127.0.0.1:$port/api/v1/health >/dev/null && break; sleep 0.1; done
  python3 "$HERE/prefetch.py" "127.0.0.1:$port" "$BODIES" "$WORK/bodies.txt"
  local out rps p50 p90 p99 errs
  out=$(BODIES_FILE="$WORK/bodies.txt" wrk -t2 -c"$CONNS" -d"$DURATION" --latency -s "$HERE/tips.lua" "http://127.0.0.1:$port/api/v1/tips")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out"); p90=$(awk '$1=="90%" {print $2}' <<<"$out"); p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errs=$(grep -E "Non-2xx|Socket errors|bodies exhausted" <<<"$out" | tr -s ' ' | paste -sd';' || true)
  rows+=("| $name | $CONNS | $rps | $p50 | $p90 | $p99 | ${errs:-none} |")
  kill %1 2>/dev/null || true; wait %1 2>/dev/null || true
}

echo "Vigil $(git rev-parse --short HEAD) on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), wrk -t2 -c$CONNS -d$DURATION (client and server share the machine)"
bench_store sqlite 18191
pg_fresh vigil_bench_tips
bench_store postgresql 18192 --database-url "$PG/vigil_bench_tips"
echo
echo "POST /api/v1/tips (each body a fresh pre-solved challenge; Argon2id m=19 MiB t=2 per tip):"
echo "| store | connections | tips/s | p50 | p90 | p99 | errors |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
