#!/usr/bin/env bash
# One ingestion run on a fresh server: starts a copy of the server jar on a new SQLite data dir
# (or on the database DB names, e.g. DB=postgresql://user:pw@host:5432/db), runs the OTLP load
# generator with the given arguments, prints how many bytes per second each server thread wrote
# over the middle of the run (where the disk time goes), and stops the server.
#
# Usage: bench/ingest.sh [load args...]   (build first: ./mvnw -B -q package -DskipTests)
#   bench/ingest.sh --duration 600 --concurrency 16 --spans-per-request 200 --spans-per-trace 5 \
#     --report-every 60
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
PORT=17391
KEY=sk-sx-bench000000000000000000000000000000
WORK="$(mktemp -d)"
trap 'kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null; rm -rf "$WORK"' EXIT
# Copies, so a rebuild during the run cannot change the jars under it.
cp "$ROOT/server/target/sextant.jar" "$WORK/server.jar"
cp "$ROOT/bench/target/sextant-bench.jar" "$WORK/bench.jar"
DURATION=30
for ((i = 1; i <= $#; i++)); do
  if [ "${!i}" = "--duration" ]; then j=$((i + 1)); DURATION="${!j}"; fi
done

SEXTANT_INIT_ADMIN_EMAIL=bench@bench.local SEXTANT_INIT_ADMIN_PASSWORD=bench-password-1 \
SEXTANT_INIT_PROJECT=Bench SEXTANT_INIT_API_KEY=$KEY \
  "$JAVA" -Xmx256m -jar "$WORK/server.jar" serve --port "$PORT" --data-dir "$WORK/data" \
  ${DB:+--db "$DB"} > "$WORK/server.log" 2>&1 &
SERVER=$!
until curl -sf "http://localhost:$PORT/health" >/dev/null 2>&1; do sleep 0.2; done

# Written bytes per thread (/proc/<pid>/task/<tid>/io), summed by thread name.
writes() {
  for t in /proc/"$SERVER"/task/*; do
    echo "$(tr ' ' _ < "$t/comm") $(awk '/^wchar/ {print $2}' "$t/io" 2>/dev/null || echo 0)"
  done | awk '{s[$1] += $2} END {for (k in s) print k, s[k]}' | sort
}
(
  FROM=$((DURATION / 3)); TO=$((DURATION * 9 / 10))
  sleep "$FROM"; writes > "$WORK/io0"; sleep $((TO - FROM)); writes > "$WORK/io1"
  echo "writes per thread, ${FROM}-${TO} s:"
  join "$WORK/io0" "$WORK/io1" | awk -v d=$((TO - FROM)) '{x = ($3 - $2) / d / 1e6; if (x > 0.5) printf "  %.1f MB/s %s\n", x, $1}' | sort -rn
) &
MONITOR=$!
"$JAVA" -jar "$WORK/bench.jar" load --url "http://localhost:$PORT" --key "$KEY" --span-bytes 1000 "$@"
wait "$MONITOR"
ls -l "$WORK/data" | awk '/sextant.db/ {printf "  %s: %.2f GB\n", $NF, $5 / 1e9}'
