"""Where a run's wall time goes: timestamped marks, written only when ``DETENTE_TIMELINE`` names a file.

``DETENTE_TIMELINE=/tmp/t.jsonl detente analyze ...`` appends one JSON line per mark
(``{"pid", "thread", "event", "wall", "cpu"}``: ``time.time()`` and the process's CPU
seconds, ``time.process_time()``) from the parent, its parse thread and its worker
processes (which inherit the environment), plus one ``process start`` line per process
(its creation time, from ``/proc``). ``benchmarks/throughput.py --timeline`` reads
them back into the run's timeline: start-up before the first parse, the parse, the
tail after the last parse. Unset, :func:`mark` returns at once (a bench tool, not a
log: nothing is written in a normal run). Hand-written: a few appended lines shared by
processes; a tracing library (viztracer, OpenTelemetry) would record far more and
cost the run time it measures.
"""

from __future__ import annotations

import json
import os
import threading
import time

PATH = os.environ.get("DETENTE_TIMELINE") or None
_started: set[int] = set()
_lock = threading.Lock()


def _process_start() -> float | None:
    """This process's creation time (seconds since the epoch, to 10 ms), from /proc (Linux only).

    /proc gives it in clock ticks since boot; the boot time is taken from CLOCK_BOOTTIME, not
    /proc/stat's btime (whole seconds: up to a second off)."""
    try:
        with open(f"/proc/{os.getpid()}/stat") as f:
            ticks = int(f.read().rsplit(")", 1)[1].split()[19])
        since_start = time.clock_gettime(time.CLOCK_BOOTTIME) - ticks / os.sysconf("SC_CLK_TCK")
        return time.time() - since_start
    except (OSError, ValueError, AttributeError):
        return None


def mark(event: str, **extra) -> None:
    """Record ``event`` now (no-op unless ``DETENTE_TIMELINE`` is set)."""
    if PATH is None:
        return
    pid = os.getpid()
    lines = []
    with _lock:
        if pid not in _started:
            _started.add(pid)
            t = _process_start()
            if t is not None:
                lines.append({"pid": pid, "thread": "-", "event": "process start", "wall": t, "cpu": 0.0})
        lines.append({"pid": pid, "thread": threading.current_thread().name, "event": event,
                      "wall": time.time(), "cpu": time.process_time(), **extra})
        try:
            with open(PATH, "a", encoding="utf-8") as f:  # one write per call: lines from processes do not mix
                f.write("".join(json.dumps(x) + "\n" for x in lines))
        except OSError:
            pass
