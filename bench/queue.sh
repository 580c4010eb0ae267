#!/usr/bin/env bash
# The queue engine on one Redis: no-op jobs/s at concurrency 1 and 32 (push, reserve, run, ack), Redis commands per job,
# dispatch -> start latency of an idle worker, and a bare LPOP loop from the same client; then BullMQ 6.7.0 (npm, lock
# file in bench/bullmq) with the same jobs on the same redis-server, and the engine's ratio to it at each concurrency.
# Runs its own redis-server (no persistence) on a free port. Usage: bench/queue.sh [jobs per run] [latency samples]
set -euo pipefail
cd "$(dirname "$0")/.."
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no >/dev/null &
redis_pid=$!
engine=$(mktemp)
anchor=$(mktemp)
trap 'kill $redis_pid 2>/dev/null; rm -f "$engine" "$anchor"' EXIT
until redis-cli -p "$port" ping >/dev/null 2>&1; do sleep 0.1; done
(cd bench/bullmq && [ -d node_modules ] || npm ci --no-audit --no-fund >/dev/null)
dotnet build bench/VSmenu.Bench.Queue -c Release -v quiet -nologo >/dev/null
dotnet run --project bench/VSmenu.Bench.Queue -c Release --no-build -- "127.0.0.1:$port" "${1:-50000}" "${2:-1000}" | tee "$engine"
(cd bench/bullmq && node bullmq-bench.mjs "127.0.0.1:$port" "${1:-50000}" 1 32) | tee "$anchor"
python3 - "$engine" "$anchor" <<'PY'
import re, sys
engine = {}
for line in open(sys.argv[1]):
    m = re.match(r'concurrency\s+(\d+):\s+([\d,]+) jobs/s', line)
    if m: engine[int(m[1])] = float(m[2].replace(',', ''))
anchor = {}
for line in open(sys.argv[2]):
    m = re.match(r'bullmq concurrency (\d+): (\d+) jobs/s', line)
    if m: anchor[int(m[1])] = float(m[2])
for c in sorted(engine):
    print(f"concurrency {c:>2}: engine {engine[c]:,.0f} jobs/s, BullMQ 6.7.0 {anchor[c]:,.0f} jobs/s on the same redis-server -> {engine[c] / anchor[c]:.2f}x")
PY
