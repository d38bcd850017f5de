"""Throughput benchmark: spaCy parse alone vs the full pipeline, measured in one run.

    python benchmarks/throughput.py [--repeat 5] [--corpus examples/articles]

Reads the corpus (repeated ``--repeat`` times), then times, in the same
process and on the same texts:
  1. parse only: ``nlp.pipe`` over the masked texts;
  2. full pipeline: ``analyze_batch`` (parse + actor resolution + event coding);
and prints words/s, articles/s, the ratio parse-only time / full time (1.0 =
the pipeline adds nothing to the parse), and peak memory (max RSS).
Not a test: machines are shared and noisy; run it when you want numbers.
"""

from __future__ import annotations

import argparse
import platform
import resource
import sys
import time
from pathlib import Path

from detente.config import Config
from detente.ingest import read_inputs
from detente.ingest.clean import mask
from detente.pipeline import analyze_batch, resources_for
from detente.types import Article


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", nargs="+", default=["examples/articles"])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--batch-size", type=int, default=32)
    args = ap.parse_args(argv)

    arts = [a for a in read_inputs(args.corpus) if isinstance(a, Article)] * args.repeat
    texts = [mask(a.text, a.masked) for a in arts]
    words = sum(len(t.split()) for t in texts)
    res = resources_for(Config())
    list(res.nlp.pipe(texts[:4]))  # warm up
    analyze_batch(arts[:4], res)

    t0 = time.perf_counter()
    for _ in res.nlp.pipe(texts, batch_size=args.batch_size):
        pass
    parse_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    n_events = 0
    for i in range(0, len(arts), args.batch_size):
        for r in analyze_batch(arts[i:i + args.batch_size], res, batch_size=args.batch_size):
            n_events += len(r.events)
    full_s = time.perf_counter() - t0

    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"machine: {platform.machine()} {platform.system()} python {platform.python_version()}, "
          f"{len(arts)} articles, {words:,} words, model {res.model}")
    print(f"{'stage':<16}{'seconds':>9}{'words/s':>11}{'articles/s':>12}")
    print(f"{'parse only':<16}{parse_s:>9.2f}{words / parse_s:>11,.0f}{len(arts) / parse_s:>12.1f}")
    print(f"{'full pipeline':<16}{full_s:>9.2f}{words / full_s:>11,.0f}{len(arts) / full_s:>12.1f}")
    print(f"ratio parse-only/full: {parse_s / full_s:.2f}  (overhead {100 * (full_s / parse_s - 1):.0f}%)")
    print(f"event mentions: {n_events}; peak RSS: {rss_mb:,.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
