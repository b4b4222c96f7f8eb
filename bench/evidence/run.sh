#!/usr/bin/env bash
# Vigil evidence ingest benchmark (issue 6, E1): upload a file through the API (streamed raw body,
# SHA-256 on ingest, fsync before the row commits) vs `sha256sum` on the same file from the page
# cache; and the server's peak RSS for each size (goal: flat, independent of file size).
# Usage: bench/evidence/run.sh [SIZES_MB="100 1024"]
#   PROFILE=dev uses a dev build (dependencies at opt-level 2, Vigil's own crates unoptimised)
#   instead of --release; VIGIL_BIN=path uses a prebuilt binary. Each size runs on a fresh `vigil serve` so VmHWM is that upload's peak.
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZES=${1:-"100 1024"}
PROFILE=${PROFILE:-release}
TARGET=${CARGO_TARGET_DIR:-$PWD/target}
if [ -n "${VIGIL_BIN:-}" ]; then
  VIGIL=$VIGIL_BIN # a binary built elsewhere (say which profile in RESULTS.md)
elif [ "$PROFILE" = release ]; then
  cargo build --release -q -p vigil-cli; VIGIL=$TARGET/release/vigil
else
  cargo build -q -p vigil-cli; VIGIL=$TARGET/debug/vigil
fi
WORK=$(mktemp -d /tmp/vigil-bench-evidence.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
json() { python3 -c "import sys,json; print(json.load(sys.stdin)$1)"; }
PORT=18191
"$VIGIL" demo --data-dir "$WORK/data" --no-serve --cases 4 >/dev/null 2>&1

start() {
  "$VIGIL" serve --data-dir "$WORK/data" --listen 127.0.0.1:$PORT 2>"$WORK/serve.log" &
  SERVER=$!
  for _ in $(seq 100); do curl -sf http://127.0.0.1:$PORT/api/v1/health >/dev/null && return; sleep 0.1; done
  echo "server did not start"; cat "$WORK/serve.log"; exit 1
}
stop() { kill -TERM "$SERVER"; wait "$SERVER" 2>/dev/null || true; }
hwm_kib() { awk '/^VmHWM/ {print $2}' "/proc/$SERVER/status"; }
# CPU seconds (user + system) the server has used so far: comparable under a loaded machine.
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$SERVER/stat"; }

start
line=$(grep -m1 '^  investigator' "$WORK/data/demo-logins.txt")
user=$(awk '{print $2}' <<<"$line"); pw=$(awk '{print $4}' <<<"$line"); secret=$(awk '{print $7}' <<<"$line")
pending=$(curl -s -H 'content-type: application/json' -d "{\"username\":\"$user\",\"password\":\"$pw\",\"acknowledge_banner\":true}" http://127.0.0.1:$PORT/api/v1/auth/login | json '["token"]')
session=$(curl -s -H "authorization: Bearer $pending" -H 'content-type: application/json' -d "{\"code\":\"$("$VIGIL" totp "$secret")\"}" http://127.0.0.1:$PORT/api/v1/auth/totp | json '["token"]')
token=$(curl -s -H "authorization: Bearer $session" -H 'content-type: application/json' -d '{"name":"bench","scope":"full","days":1}' http://127.0.0.1:$PORT/api/v1/tokens | json '["secret"]')
case=$(curl -s -H "authorization: Bearer $token" http://127.0.0.1:$PORT/api/v1/cases | json '["items"][0]["id"]')
stop

echo "Vigil $(git rev-parse --short HEAD) ($PROFILE build) on $(nproc) cores, $(uname -r); files and blob store on $(df --output=source "$WORK" | tail -1)"
echo
echo "| file | sha256sum wall | API upload wall (hash + write + fsync + commit) | upload / sha256sum (wall) | CPU s: sha256sum → server | server peak RSS before → after upload |"
echo "|---|---|---|---|---|---|"
n=0
for mb in $SIZES; do
  n=$((n + 1))
  f="$WORK/file-$mb.bin"
  head -c "$((mb * 1024 * 1024))" /dev/urandom >"$f"
  cat "$f" >/dev/null # both sides read it from the page cache
  bytes=$(stat -c %s "$f")
  /usr/bin/time -f "%e %U %S" -o "$WORK/t" sha256sum "$f" >"$WORK/sum"
  read -r sum_s sum_u sum_k <"$WORK/t"; want=$(cut -d' ' -f1 "$WORK/sum")
  start
  before=$(hwm_kib); cpu0=$(cpu_s)
  out=$(curl -s -o "$WORK/resp" -w '%{http_code} %{time_total}' -X POST -T "$f" -H 'Expect:' \
    -H "authorization: Bearer $token" -H 'content-type: application/octet-stream' \
    "http://127.0.0.1:$PORT/api/v1/cases/$case/evidence?name=bench-$n.bin")
  after=$(hwm_kib); cpu1=$(cpu_s)
  stop
  read -r code up_s <<<"$out"
  [ "$code" = 201 ] || { echo "upload answered $code: $(cat "$WORK/resp")"; exit 1; }
  got=$(json '["sha256"]' <"$WORK/resp")
  [ "$got" = "$want" ] || { echo "digest mismatch: $got vs $want"; exit 1; }
  python3 - "$mb" "$bytes" "$sum_s" "$up_s" "$before" "$after" "$(echo "$sum_u + $sum_k" | bc)" "$(echo "$cpu1 - $cpu0" | bc)" <<'PY'
import sys
mb, n, s, u, b, a, sc, uc = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), float(sys.argv[7]), float(sys.argv[8])
rate = lambda t: n / 1e6 / max(t, 1e-9)
print(f"| {mb} MiB | {s:.2f} s, {rate(s):.0f} MB/s | {u:.2f} s, {rate(u):.0f} MB/s | {rate(u)/rate(s):.2f}x | {sc:.2f} → {uc:.2f} | {b/1024:.0f} → {a/1024:.0f} MiB |")
PY
  rm -f "$f"
done
echo
/usr/bin/time -f "%e s wall, peak RSS %M KiB" -o "$WORK/t" "$VIGIL" evidence verify --data-dir "$WORK/data" | sed 's/^/    /'
echo "    vigil evidence verify: $(cat "$WORK/t")"
