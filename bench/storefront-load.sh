#!/usr/bin/env bash
# Load on the storefront's plans endpoint (Active plans with tiers, channels, products, benefits and the activity feed) and
# on a hosted card guide page: CLIENTS concurrent clients for DURATION each, with hey (Debian: apt-get install -y hey),
# against the app built in Release on a fresh data folder (Demo data) on loopback. Prints requests/s, p99 and errors.
#
#   bash bench/storefront-load.sh            # 200 clients, 30 s per target
#   CLIENTS=50 DURATION=10s bash bench/storefront-load.sh
#
# One machine's address stands in for 200 customers here, so the storefront's per-address limit
# (Storefront:RequestsPerMinute, 120) is raised for the run; otherwise nearly every request would be a 429.
set -euo pipefail
cd "$(dirname "$0")/.."

CLIENTS=${CLIENTS:-200}
DURATION=${DURATION:-30s}
PORT=${PORT:-5391}
MERCHANT=${MERCHANT:-aroma-coffee}
BASE="http://127.0.0.1:$PORT"

command -v hey >/dev/null || { echo "hey is missing: apt-get install -y hey" >&2; exit 1; }
DATA=$(mktemp -d /tmp/mc-storefront-load.XXXXXX)
APP=""
cleanup() {
  if [[ -n "$APP" ]]; then kill "$APP" 2>/dev/null || true; wait "$APP" 2>/dev/null || true; fi
  rm -rf "$DATA"
}
trap cleanup EXIT

echo "Building (Release)..."
dotnet build -c Release MerchantConsole/MerchantConsole.csproj -nologo -v q >/dev/null

echo "Starting the app on $BASE with a fresh data folder ($DATA)..."
(
  cd MerchantConsole
  # Telemetry off: the default console exporter would print a span per request and measure the terminal.
  export ASPNETCORE_ENVIRONMENT=Demo ASPNETCORE_URLS="$BASE" \
    Database__DataFolder="$DATA" Logging__LogLevel__Default=Warning \
    Storefront__RequestsPerMinute=1000000000 Telemetry__Exporter=None
  exec dotnet bin/Release/net10.0/MerchantConsole.dll
) >"$DATA/app.log" 2>&1 &
APP=$!

for _ in $(seq 1 180); do
  curl -fsS "$BASE/health/live" >/dev/null 2>&1 && break
  kill -0 "$APP" 2>/dev/null || { echo "The app stopped:"; cat "$DATA/app.log"; exit 1; }
  sleep 1
done

PLANS="$BASE/api/storefront/v1/$MERCHANT/plans"
PLAN_ID=$(curl -fsS "$PLANS" | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["id"])')
GUIDE="$BASE/m/$MERCHANT/plans/$PLAN_ID"
echo "Plans: $PLANS"
echo "Guide: $GUIDE"

run() {
  local name=$1 url=$2 out
  hey -n 400 -c 20 "$url" >/dev/null             # warm-up: JIT, connection pools, EF's compiled model
  out=$(hey -z "$DURATION" -c "$CLIENTS" "$url")
  python3 - "$name" <<PY
import re, sys
out = """$out"""
rps = re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)
p99 = re.search(r"99%+ in ([\d.]+) secs", out)
codes = {int(c): int(n) for c, n in re.findall(r"\[(\d{3})\]\s+(\d+) responses", out)}
errors = sum(n for c, n in codes.items() if c >= 400)
errors += sum(int(n) for n in re.findall(r"\[(\d+)\]\s+(?:Get|Post|dial|read|write)", out))
total = sum(codes.values())
print(f"{sys.argv[1]:<28} {float(rps):>10.0f} req/s   p99 {float(p99.group(1)) * 1000 if p99 else float('nan'):>7.1f} ms   "
      f"{total} responses, {errors} errors {dict(sorted(codes.items()))}")
PY
}

echo
echo "$CLIENTS clients, $DURATION per target, $(nproc) cores:"
run "storefront plans + feed" "$PLANS"
run "hosted guide page" "$GUIDE"
