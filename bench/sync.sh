#!/usr/bin/env bash
# Offline sync for POS terminals: pushes of 500 offline orders (seconds each), full pulls of the restaurant (seconds, MB)
# and the change -> sync.changed -> pull loop (p50/p99). Targets: full pull of 10k orders < 3 s; change -> pulled p99
# < 100 ms; a 500-order push < 2 s.
# Usage: bench/sync.sh [orders]   (default 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/VSmenu.Bench.Api -c Release -v quiet -nologo >/dev/null
dotnet run --project bench/VSmenu.Bench.Api -c Release --no-build -- sync "${1:-10000}" 2>&1 | grep --line-buffered -v -E '^(info|warn|fail|crit): |^      '
exit "${PIPESTATUS[0]}"
