#!/usr/bin/env bash
# A shift starting: N waiters created and signed in at once while the kitchen's tablet lists the orders every 250 ms;
# prints the sign-ins' p50/p99, the kitchen's list p50/p99 before and during the rush, and the circuits the api opened.
# Usage: bench/signin.sh [waiters]   (default 64)
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/VSmenu.Bench.Api -c Release -v quiet -nologo >/dev/null
dotnet run --project bench/VSmenu.Bench.Api -c Release --no-build -- signin "${1:-64}"
