#!/usr/bin/env python3
"""What the kitchen display's long frames did: reads a Chromium trace of bench/kds.sh's scroll (KDS_TRACE=file.json)
and, for each gap between two scroll frames longer than 1.5 frames, prints what the page's main thread and the
browser's other threads ran in it, longest first.
Usage: bench/kds-frames.py trace.json"""
import json
import sys
from collections import defaultdict

FRAME_MS = 1000 / 60
# Main-thread work by what it is, not by the task that wraps it.
KINDS = ("FunctionCall", "TimerFire", "EventDispatch", "FireAnimationFrame", "UpdateLayoutTree", "Layout", "PrePaint",
         "Paint", "Layerize", "UpdateLayer", "Commit", "HitTest", "ScrollLayer", "ParseHTML", "MinorGC", "MajorGC",
         "V8.GC_SCAVENGER", "V8.GC_MARK_COMPACTOR", "BlinkGC.AtomicPhase", "v8.run", "RasterTask", "ImageDecodeTask")

events = json.load(open(sys.argv[1]))
events = events["traceEvents"] if isinstance(events, dict) else events
names = {(e["pid"], e["tid"]): e["args"]["name"] for e in events if e.get("ph") == "M" and e.get("name") == "thread_name"}
marks = sorted(e["ts"] for e in events if e.get("name") == "scroll-frame" and e.get("ph") in ("R", "I", "i", "n"))
if not marks:
    sys.exit("no scroll-frame marks in the trace")
page = next((e["pid"], e["tid"]) for e in events if e.get("name") == "scroll-frame")
complete = [e for e in events if e.get("ph") == "X" and "dur" in e]

gaps = [(a, b) for a, b in zip(marks, marks[1:]) if (b - a) / 1000 > FRAME_MS * 1.5]
print(f"{len(marks)} frames, {len(gaps)} longer than 1.5 frames")
for start, end in gaps:
    work = defaultdict(float)
    for e in complete:
        overlap = min(end, e["ts"] + e["dur"]) - max(start, e["ts"])
        if overlap <= 0 or not any(e["name"].startswith(kind) for kind in KINDS):
            continue
        thread = "main" if (e["pid"], e["tid"]) == page else names.get((e["pid"], e["tid"]), str(e["tid"]))
        work[f"{thread}: {e['name']}"] += overlap / 1000
    busy = sorted(work.items(), key=lambda item: -item[1])[:8]
    print(f"  at +{(start - marks[0]) / 1000:7.1f} ms, {(end - start) / 1000:5.1f} ms: "
          + ", ".join(f"{name} {ms:.1f}" for name, ms in busy))
