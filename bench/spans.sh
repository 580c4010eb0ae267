#!/usr/bin/env bash
# Where POST /api/v1/orders and then GET /api/v1/orders?include=items,customer spend their time inside the api under
# closed-loop load: from the OTLP export, each request's calls out (PostgreSQL statements, Redis commands) and the waits
# in the api between them, largest first.
# Usage: bench/spans.sh [seconds] [clients] [warm-up seconds]   (defaults 20, 64 and 30)
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/VSmenu.Bench.Api -c Release -v quiet -nologo >/dev/null
dotnet run --project bench/VSmenu.Bench.Api -c Release --no-build -- spans "${1:-20}" "${2:-64}" "${3:-30}"
