"""Throughput benchmark: spaCy parse alone vs the full pipeline, and worker scaling, in one run.

    python benchmarks/throughput.py [--repeat 5] [--corpus examples/articles] [--workers 1 2 N]

Reads the corpus (repeated ``--repeat`` times), then times, in the same
process and on the same texts:
  1. parse only: ``nlp.pipe`` over the masked texts;
  2. full pipeline: ``analyze_batch`` (parse + actor resolution + event coding);
and prints words/s, articles/s, the ratio parse-only time / full time (1.0 =
the pipeline adds nothing to the parse), and peak memory (max RSS). The two are
run alternately ``--trials`` times (default 3) and the fastest of each is kept.
Then the full pipeline through the worker pool of ``detente analyze --workers
K`` for each K of ``--workers`` (default 1, 2 and all cores; K=1 is the
in-process engine), wall time including worker start-up (each worker loads
its own model), with the peak memory of the parent plus its workers (sampled
with psutil when installed: ``pip install '.[bench]'``).
Not a test: machines are shared and noisy; run it when you want numbers.
"""

from __future__ import annotations

import argparse
import platform
import resource
import sys
import time

from detente.config import Config
from detente.engines.local import make_engine
from detente.engines.workers import default_workers
from detente.ingest import read_inputs
from detente.ingest.clean import mask
from detente.pipeline import analyze_batch, resources_for
from detente.types import Article


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", nargs="+", default=["examples/articles"])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--trials", type=int, default=3,
                    help="alternating parse-only / full trials; the fastest of each is reported")
    ap.add_argument("--workers", type=int, nargs="*", default=None,
                    help="worker counts to time (default: 1 2 and all cores; none: skip)")
    args = ap.parse_args(argv)

    arts = [a for a in read_inputs(args.corpus) if isinstance(a, Article)] * args.repeat
    texts = [mask(a.text, a.masked) for a in arts]
    words = sum(len(t.split()) for t in texts)
    res = resources_for(Config())
    list(res.nlp.pipe(texts[:4]))  # warm up
    analyze_batch(arts[:4], res)

    def parse_only() -> float:
        t0 = time.perf_counter()
        for _ in res.nlp.pipe(texts, batch_size=args.batch_size):
            pass
        return time.perf_counter() - t0

    def full() -> tuple[float, int]:
        t0 = time.perf_counter()
        n = 0
        for i in range(0, len(arts), args.batch_size):
            for r in analyze_batch(arts[i:i + args.batch_size], res, batch_size=args.batch_size):
                n += len(r.events)
        return time.perf_counter() - t0, n

    # alternate the two and keep each one's fastest trial: on a shared machine the
    # minimum is the least disturbed measurement (as timeit does), and alternating
    # exposes both to the same load
    parse_times, full_times = [], []
    for _ in range(args.trials):
        parse_times.append(parse_only())
        secs, n_events = full()
        full_times.append(secs)
    parse_s, full_s = min(parse_times), min(full_times)

    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"machine: {platform.machine()} {platform.system()} python {platform.python_version()}, "
          f"{len(arts)} articles, {words:,} words, model {res.model}")
    print(f"{'stage':<16}{'seconds':>9}{'words/s':>11}{'articles/s':>12}")
    print(f"{'parse only':<16}{parse_s:>9.2f}{words / parse_s:>11,.0f}{len(arts) / parse_s:>12.1f}")
    print(f"{'full pipeline':<16}{full_s:>9.2f}{words / full_s:>11,.0f}{len(arts) / full_s:>12.1f}")
    print(f"ratio parse-only/full: {parse_s / full_s:.2f}  (overhead {100 * (full_s / parse_s - 1):.0f}%; "
          f"fastest of {args.trials} alternating trials each; all: parse "
          f"{', '.join(f'{t:.1f}' for t in parse_times)} s, full {', '.join(f'{t:.1f}' for t in full_times)} s)")
    print(f"event mentions: {n_events}; peak RSS: {rss_mb:,.0f} MB")

    counts = args.workers if args.workers is not None else sorted({1, 2, default_workers()})
    if counts:
        print(f"\nworker scaling ({default_workers()} cores available), batch size {args.batch_size}:")
        print(f"{'workers':<9}{'seconds':>9}{'words/s':>11}{'articles/s':>12}{'speed-up':>10}{'peak MB':>9}"
              f"{'first batch s':>15}")
        base = None
        for k in counts:
            secs, peak, first = time_workers(arts, k, args.batch_size)
            base = base or secs
            print(f"{k:<9}{secs:>9.2f}{words / secs:>11,.0f}{len(arts) / secs:>12.1f}{base / secs:>10.2f}"
                  f"{peak:>9,.0f}{first:>15.2f}")
        print("(seconds include starting the workers, each loading its model: 'first batch s' shows that cost)")


def time_workers(arts: list[Article], workers: int, batch_size: int) -> tuple[float, float, float]:
    """Seconds for the full pipeline over ``arts`` with ``workers`` workers, peak MB of this
    process tree, and seconds until the first batch came back."""
    import threading

    peak = [0.0]
    stop = threading.Event()

    def sample() -> None:
        try:
            import psutil
        except ImportError:  # without psutil: this process only
            return
        from memory import tree_rss  # benchmarks/memory.py: this process and its workers

        me = psutil.Process()
        while not stop.is_set():
            peak[0] = max(peak[0], tree_rss(me) / 2**20)
            time.sleep(0.1)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    engine = make_engine(Config(workers=workers, batch_size=batch_size))
    t0 = time.perf_counter()
    try:
        batches = (arts[i:i + batch_size] for i in range(0, len(arts), batch_size))
        n, first = 0, None
        for r in engine.map(batches):
            first = first or time.perf_counter() - t0
            n += len(r)
    finally:
        engine.close()
    secs = time.perf_counter() - t0
    stop.set()
    th.join()
    assert n == len(arts)
    return secs, peak[0] or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, first or 0.0


if __name__ == "__main__":
    sys.exit(main())
