#!/usr/bin/env bash
# The realtime hub on the whole topology: publish -> deliver latency to 1,000 subscribers (one order a second through
# the REST API), the hub's memory with 10,000 idle connections, and fan-out to them at 10 events/s next to a bare
# Node ws broadcast server. Usage: bench/realtime.sh [subscribers] [fan-out sockets, 0 for none] [seconds]   (1000, 10000, 20)
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
(cd bench/ws-broadcast && [ -d node_modules ] || npm ci --no-audit --no-fund >/dev/null)
dotnet build bench/VSmenu.Bench.Realtime -c Release -v quiet -nologo >/dev/null
# The clients are the load generator: inline socket completions keep them from being the bottleneck. The services it
# starts inherit the switch, so the bench sets it back to 0 for them; the hub turns it on for itself, as in production.
DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 dotnet run --project bench/VSmenu.Bench.Realtime -c Release --no-build -- "${1:-1000}" "${2:-10000}" "${3:-20}"
