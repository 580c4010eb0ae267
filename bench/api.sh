#!/usr/bin/env bash
# Throughput and latency of the REST API against the whole topology, next to pgbench on the same PostgreSQL and a
# bare endpoint on the same host; prints req/s, p50/p99, the statements PostgreSQL spent each phase's time on, p50/p99
# open-loop at half of each peak, and the ratios the API issue targets.
# Usage: bench/api.sh [seconds per phase] [clients] [warm-up seconds per phase]   (defaults 20, 64 and 30)
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/VSmenu.Bench.Api -c Release -v quiet -nologo >/dev/null
dotnet run --project bench/VSmenu.Bench.Api -c Release --no-build -- "${1:-20}" "${2:-64}" "${3:-30}"
