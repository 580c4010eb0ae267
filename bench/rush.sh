#!/usr/bin/env bash
# A dinner rush on one restaurant: N waiters x M orders at a combined rate over four dishes, most orders on one, each
# confirmed as it is placed; prints orders/s, POST p50/p99, each job type's dispatch -> done p50/p99, deadlocks, and the
# time from the last order until every job is done (target: within 5 s at 50 orders/s).
# Usage: bench/rush.sh [waiters] [orders per waiter] [orders/s] [worker replicas]   (defaults 48, 10, 50 and 1)
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/VSmenu.Bench.Api -c Release -v quiet -nologo >/dev/null
dotnet run --project bench/VSmenu.Bench.Api -c Release --no-build -- rush "${1:-48}" "${2:-10}" "${3:-50}" "${4:-1}"
