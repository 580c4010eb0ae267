#!/usr/bin/env bash
# The POS terminal from a UI's side (npm vscode-jsonrpc, as Electron's main process): orders:getAll on 1,000 local orders
# and orders:create round trips (p50/p99; each paced create followed by a round trip to a reference server that spends
# 1 ms of CPU a call, the machine's own floor at that moment), a server change until orders:changed at the terminal
# (p50/p99), and the cold first sync of a restaurant with [orders] orders. Targets: getAll(1,000) p99 < 20 ms; create p99 < 5 ms;
# change -> terminal p99 < 150 ms.
# Usage: bench/pos.sh [orders]   (default 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
(cd bench/pos-ipc && [ -d node_modules ] || npm ci --no-audit --no-fund >/dev/null)
dotnet build bench/VSmenu.Bench.Api -c Release -v quiet -nologo >/dev/null
dotnet run --project bench/VSmenu.Bench.Api -c Release --no-build -- pos "${1:-10000}" 2>&1 | grep --line-buffered -v -E '^(info|warn|fail|crit): |^      '
exit "${PIPESTATUS[0]}"
