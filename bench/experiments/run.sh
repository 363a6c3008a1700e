#!/usr/bin/env bash
# Experiment benchmark (docs/BENCHMARKS.md): Sextant vs promptfoo, 1,000 items x 3 checks against one
# standalone sim with a fixed 200 ms latency, both at concurrency 32.
# Usage: bench/experiments/run.sh [items] [concurrency]   (builds the server jar when missing)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/bench/experiments"
ITEMS="${1:-1000}"
CONC="${2:-32}"
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
JAR="$ROOT/server/target/sextant.jar"
KEY="sk-sx-bench000000000000000000000000000000000000"
[ -f "$JAR" ] || (cd "$ROOT" && ./mvnw -q -B -DskipTests package -pl server -am)
WORK="$(mktemp -d)"
cleanup() { kill "${SIM_PID:-}" "${SERVER_PID:-}" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

"$JAVA" -jar "$JAR" sim --port 7391 --host 127.0.0.1 --script "$HERE/sim-200ms.yaml" >"$WORK/sim.log" 2>&1 &
SIM_PID=$!
SEXTANT_INIT_ADMIN_EMAIL=bench@localhost SEXTANT_INIT_ADMIN_PASSWORD=bench-password-1 \
SEXTANT_INIT_PROJECT=bench SEXTANT_INIT_API_KEY="$KEY" SEXTANT_MODEL_CONCURRENCY=64 \
  "$JAVA" -jar "$JAR" serve --port 7390 --data-dir "$WORK/data" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
until curl -sf http://127.0.0.1:7390/health >/dev/null && curl -s -o /dev/null http://127.0.0.1:7391/v1/models; do sleep 0.1; done

cd "$HERE"
echo "== sextant"
python3 bench.py http://127.0.0.1:7390 "$KEY" http://127.0.0.1:7391/v1 "$ITEMS" "$CONC"

echo "== promptfoo"
if [ -x promptfoo/node_modules/.bin/promptfoo ]; then
  cp tests.jsonl promptfoo/ && cp promptfooconfig.yaml promptfoo/
  cd promptfoo
  START=$(date +%s%N)
  PROMPTFOO_DISABLE_TELEMETRY=1 PROMPTFOO_DISABLE_UPDATE=1 PROMPTFOO_CONFIG_DIR="$WORK/pf" \
    ./node_modules/.bin/promptfoo eval -c promptfooconfig.yaml -j "$CONC" --no-cache --no-progress-bar \
    --no-table -o "$WORK/pf-results.json" >"$WORK/pf.log" 2>&1 || true
  END=$(date +%s%N)
  echo "{\"tool\": \"promptfoo\", \"items\": $ITEMS, \"concurrency\": $CONC, \"wallSeconds\": $(( (END - START) / 10000000 ))e-2}"
  grep -iE "pass|fail|error|Successes|Failures|Duration" "$WORK/pf.log" | tail -8
else
  echo "promptfoo is not installed: (cd bench/experiments/promptfoo && npm install promptfoo)"
fi
