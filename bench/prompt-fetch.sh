#!/usr/bin/env bash
# Prompt fetch latency (budget p99 ≤ 5 ms on the server): starts the demo (SQLite, seeded prompts)
# on a fresh data dir, runs bench/PromptFetchBench.java against it, stops it.
# Usage: bench/prompt-fetch.sh [requests] [concurrency]   (build the jar first)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
PORT=17071
LOG="$(mktemp)"
"$JAVA" -Xmx256m -jar "$ROOT/server/target/sextant.jar" demo --port "$PORT" >"$LOG" 2>&1 &
PID=$!
trap 'kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -f "$LOG"' EXIT
until grep -q "API key:" "$LOG"; do
  kill -0 "$PID" 2>/dev/null || { cat "$LOG"; exit 1; }
  sleep 0.2
done
KEY="$(awk '/API key:/ {print $3}' "$LOG")"
"$JAVA" "$ROOT/bench/PromptFetchBench.java" "http://localhost:$PORT" "$KEY" "${1:-20000}" "${2:-4}"
