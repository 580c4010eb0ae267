#!/usr/bin/env bash
# What the dashboard's Traces page lists: the topology exports to an OTLP receiver; prints the traces begun in an idle
# window and in a window at one order a second, the most frequent root spans, and the shape of one order's trace.
# Target: fewer than 5 traces in an idle minute; one trace per order.
# Usage: bench/traces.sh [window seconds]   (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/VSmenu.Bench.Api -c Release -v quiet -nologo >/dev/null
dotnet run --project bench/VSmenu.Bench.Api -c Release --no-build -- traces "${1:-60}"
