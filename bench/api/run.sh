#!/usr/bin/env bash
# Vigil API and audit benchmarks (issue 2): GET of a case and POST of an entity under wrk on
# loopback, on SQLite and PostgreSQL; `vigil audit verify` over N audit events (default 1,000,000).
# Usage: bench/api/run.sh [DURATION=10s] [EVENTS=1000000]   (CONNS=32 to change concurrency)
# PostgreSQL: VIGIL_BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432) — databases
# vigil_bench_api and vigil_bench_audit are dropped and recreated.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-10s}
EVENTS=${2:-1000000}
CONNS=${CONNS:-32}
PG=${VIGIL_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cargo build --release -q -p vigil-cli && cargo build --release -q -p vigil-store --example fill_audit
TARGET=${CARGO_TARGET_DIR:-$PWD/target}
VIGIL=$TARGET/release/vigil
FILL=$TARGET/release/examples/fill_audit
WORK=$(mktemp -d /tmp/vigil-bench-api.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
json() { python3 -c "import sys,json; print(json.load(sys.stdin)$1)"; }
pg_fresh() { psql "$PG/postgres" -q -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null; }

rows=()
bench_store() {
  local name=$1 port=$2; shift 2
  "$VIGIL" demo --data-dir "$WORK/$name" --no-serve --cases 24 "$@" >/dev/null 2>&1
  "$VIGIL" serve --data-dir "$WORK/$name" --listen 127.0.0.1:$port "$@" 2>"$WORK/$name.log" &
  for _ in $(seq 50); do curl -sf http://127.0.0.1:$port/api/v1/health >/dev/null && break; sleep 0.1; done
  local line user pw secret pending session token case
  line=$(grep -m1 '^  investigator' "$WORK/$name/demo-logins.txt")
  user=$(awk '{print $2}' <<<"$line"); pw=$(awk '{print $4}' <<<"$line"); secret=$(awk '{print $7}' <<<"$line")
  pending=$(curl -s -H 'content-type: application/json' -d "{\"username\":\"$user\",\"password\":\"$pw\",\"acknowledge_banner\":true}" http://127.0.0.1:$port/api/v1/auth/login | json '["token"]')
  session=$(curl -s -H "authorization: Bearer $pending" -H 'content-type: application/json' -d "{\"code\":\"$("$VIGIL" totp "$secret")\"}" http://127.0.0.1:$port/api/v1/auth/totp | json '["token"]')
  token=$(curl -s -H "authorization: Bearer $session" -H 'content-type: application/json' -d '{"name":"bench","scope":"full","days":1}' http://127.0.0.1:$port/api/v1/tokens | json '["secret"]')
  case=$(curl -s -H "authorization: Bearer $token" http://127.0.0.1:$port/api/v1/cases | json '["items"][0]["id"]')
  cat >"$WORK/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"schema":"Phone","properties":{"number":["480-555-0142"]}}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
LUA
  for kind in get post; do
    local out
    if [ $kind = get ]; then
      out=$(wrk -t2 -c"$CONNS" -d"$DURATION" --latency -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/cases/$case")
    else
      out=$(wrk -t2 -c"$CONNS" -d"$DURATION" --latency -s "$WORK/post.lua" "http://127.0.0.1:$port/api/v1/cases/$case/entities")
    fi
    local rps p50 p99 errs
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1=="50%" {print $2}' <<<"$out"); p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    errs=$(grep -E "Non-2xx|Socket errors" <<<"$out" | tr -s ' ' | paste -sd';' || true)
    rows+=("| $name | $( [ $kind = get ] && echo 'GET /cases/{id}' || echo 'POST /cases/{id}/entities' ) | $CONNS | $rps | $p50 | $p99 | ${errs:-none} |")
  done
  kill %1 2>/dev/null || true; wait %1 2>/dev/null || true
  "$VIGIL" audit verify --data-dir "$WORK/$name" "$@" | sed 's/^/    /'
}

echo "Vigil $(git rev-parse --short HEAD) on $(nproc) cores, wrk -t2 -c$CONNS -d$DURATION (client and server share the machine)"
bench_store sqlite 18181
pg_fresh vigil_bench_api
bench_store postgresql 18182 --database-url "$PG/vigil_bench_api"
echo
echo "| store | request | connections | requests/s | p50 | p99 | errors |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"

echo
echo "Audit verification over $EVENTS events:"
mkdir -p "$WORK/audit"
"$FILL" "$WORK/audit" "$EVENTS" 2>/dev/null
pg_fresh vigil_bench_audit
"$FILL" "$PG/vigil_bench_audit" "$EVENTS" 2>/dev/null
echo "| store | events | vigil audit verify (wall) | peak RSS |"
echo "|---|---|---|---|"
for store in sqlite postgresql; do
  if [ $store = sqlite ]; then args=(--data-dir "$WORK/audit"); else args=(--database-url "$PG/vigil_bench_audit"); fi
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$VIGIL" audit verify "${args[@]}" >"$WORK/verify.out"
  read -r secs kb <"$WORK/time"
  grep -q "audit log intact: $EVENTS events" "$WORK/verify.out" || { cat "$WORK/verify.out"; exit 1; }
  echo "| $store | $EVENTS | ${secs} s | $((kb / 1024)) MiB |"
done
