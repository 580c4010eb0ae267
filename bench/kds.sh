#!/usr/bin/env bash
# The kitchen display in Chromium against the whole topology: REST confirm -> ticket visible in the page, p50/p99 over
# N orders confirmed at five a second (target p99 < 300 ms), then with 200 tickets open the page's JS heap and its frames while the columns scroll
# (target: no dropped frame). Needs Chromium (/usr/bin/chromium or CHROMIUM_PATH).
# Usage: bench/kds.sh [orders]   (default 100)
# KDS_TRACE=trace.json bench/kds.sh records Chromium's trace of the 200-ticket scroll; bench/kds-frames.py trace.json then
# prints what the main thread and the raster workers ran in each long frame.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/VSmenu.Bench.Api -c Release -v quiet -nologo >/dev/null
dotnet run --project bench/VSmenu.Bench.Api -c Release --no-build -- kds "${1:-100}"
