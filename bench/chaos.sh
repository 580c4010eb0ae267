#!/usr/bin/env bash
# Order traffic from 12 tablets while worker, api and hub replicas are killed -9 and restarted and PostgreSQL and Redis are
# frozen (SIGSTOP) for 5-10 s in turn; prints what was injected and what was lost or doubled, and exits 1 if anything was.
# Usage: bench/chaos.sh [minutes]   (default 10)
# CHAOS_LOGS=folder bench/chaos.sh keeps every resource's log lines in folder/api.log, folder/worker.log, ...
set -uo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/VSmenu.Bench.Api -c Release -v quiet -nologo >/dev/null || exit 1
dotnet run --project bench/VSmenu.Bench.Api -c Release --no-build -- chaos "${1:-10}" 2>&1 | grep --line-buffered -v -E '^(info|warn|fail|crit): |^      '
exit "${PIPESTATUS[0]}"
