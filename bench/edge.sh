#!/usr/bin/env bash
# The cost of the API's edge (Redis rate limits, Idempotency-Key, request logs): GET and POST /api/v1/orders on the
# whole topology with the edge as deployed and with it off, alternately; prints req/s and the ratios of the means.
# Usage: bench/edge.sh [seconds per phase] [clients] [warm-up seconds per phase] [rounds]   (defaults 20, 64, 30 and 2)
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/VSmenu.Bench.Api -c Release -v quiet -nologo >/dev/null
dotnet run --project bench/VSmenu.Bench.Api -c Release --no-build -- edge "${1:-20}" "${2:-64}" "${3:-30}" "${4:-2}"
