#!/usr/bin/env bash
# The kitchen display in Chromium against the whole topology: REST confirm -> ticket visible in the page, p50/p99 over
# N orders confirmed at five a second (target p99 < 300 ms), then with 200 tickets open the page's JS heap and its frames while the columns scroll
# (target: no dropped frame): once as the servers on the same cores still work the last orders, then five times once they are at rest
# (a kitchen's screen is a device of its own), each beside 3 s of the same page left still (the frames the machine drops anyway). Needs Chromium (/usr/bin/chromium or CHROMIUM_PATH).
# Usage: bench/kds.sh [orders]   (default 100)
# KDS_TRACE=trace.json bench/kds.sh records Chromium's trace of each 200-ticket scroll (trace-busy.json, trace-rest-1.json, ...);
# bench/kds-frames.py trace-busy.json then prints what the main thread and the raster workers ran in each long frame.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/VSmenu.Bench.Api -c Release -v quiet -nologo >/dev/null
dotnet run --project bench/VSmenu.Bench.Api -c Release --no-build -- kds "${1:-100}"
