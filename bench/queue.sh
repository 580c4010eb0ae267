#!/usr/bin/env bash
# The queue engine on one Redis: no-op jobs/s at concurrency 1 and 32 (push, reserve, run, ack), Redis commands per job,
# dispatch -> start latency of an idle worker, and a bare LPOP loop from the same client for the ratio.
# Runs its own redis-server (no persistence) on a free port. Usage: bench/queue.sh [jobs per run] [latency samples]
set -euo pipefail
cd "$(dirname "$0")/.."
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no >/dev/null &
redis_pid=$!
trap 'kill $redis_pid 2>/dev/null' EXIT
until redis-cli -p "$port" ping >/dev/null 2>&1; do sleep 0.1; done
dotnet build bench/VSmenu.Bench.Queue -c Release -v quiet -nologo >/dev/null
dotnet run --project bench/VSmenu.Bench.Queue -c Release --no-build -- "127.0.0.1:$port" "${1:-50000}" "${2:-1000}"
