#!/usr/bin/env bash
# Measures "start to serving": wall time from launching the server jar on a fresh SQLite data dir
# until GET /health answers 200, over N runs, with the launcher's class-data-sharing flags (the
# first run creates the archive and is reported separately). Usage: bench/startup.sh [runs]
# (build the jar first).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${1:-5}"
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
PORT=17070
JSA="$ROOT/server/target/sextant.jsa"
# Like the launcher: an archive older than the jar belongs to another build and would not be used.
if [ -f "$JSA" ] && [ "$ROOT/server/target/sextant.jar" -nt "$JSA" ]; then rm -f "$JSA"; fi
for i in $(seq 1 "$RUNS"); do
  DIR="$(mktemp -d)"
  START=$(date +%s%N)
  "$JAVA" -XX:SharedArchiveFile="$JSA" -XX:+AutoCreateSharedArchive -Xlog:cds*=off \
    -jar "$ROOT/server/target/sextant.jar" serve --port "$PORT" --data-dir "$DIR" >/dev/null 2>&1 &
  PID=$!
  until curl -sf "http://localhost:$PORT/health" >/dev/null 2>&1; do sleep 0.02; done
  END=$(date +%s%N)
  echo "run $i: $(( (END - START) / 1000000 )) ms$([ "$i" = 1 ] && echo ' (creates the CDS archive if absent)')"
  kill "$PID"; wait "$PID" 2>/dev/null || true
  rm -rf "$DIR"
done
