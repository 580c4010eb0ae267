#!/usr/bin/env bash
# The local part of one orders:create at the POS terminal (the menu lookup, the order and its mutation in one SQLite
# transaction), timed back to back, after 5 and 50 ms spent spinning on the same core, and after 100 ms asleep (the pace of
# bench/pos.sh's paced creates), beside a 4 MiB walk of memory timed the same way. Nothing of VSmenu runs meanwhile: what a
# pause adds is what the machine itself does to a process's working set between two calls.
# Usage: bench/pos-store.sh [calls per line]   (default 300)
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/VSmenu.Bench.PosStore -c Release -v quiet -nologo >/dev/null
dotnet run --project bench/VSmenu.Bench.PosStore -c Release --no-build -- "${1:-300}"
