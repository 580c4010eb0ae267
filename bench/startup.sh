#!/usr/bin/env bash
# Cold start of the whole VSmenu topology with the dashboard (as `dotnet run` of the AppHost) until every resource is
# healthy; prints seconds per run, when each resource (replica) started, ran and was healthy or done (the critical path),
# the CPU-seconds the machine spent meanwhile (a start cannot end before they are spread over every core), and the median.
# It uses the dashboard's ports (15100, 19100, 20100): not beside a running AppHost.
# Usage: bench/startup.sh [runs]   (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/VSmenu.Bench.Startup -c Release -v quiet -nologo >/dev/null
dotnet run --project bench/VSmenu.Bench.Startup -c Release --no-build -- "${1:-3}"
