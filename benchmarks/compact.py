"""`detente compact`: what merging many small batch files costs, and what it saves readers.

    python benchmarks/compact.py [--batches 1000] [--per-batch 32] [--store /tmp/x]

Writes a synthetic store of ``--batches`` committed batches of ``--per-batch``
articles each (the default batch size of ``analyze``; 10 event mentions an
article, the generator of ``benchmarks/incremental.py``), brings its events up
to date, then times three reader queries over the views (a count of the
current event mentions, one dyad's mentions, the articles of one outlet),
compacts the store, times the same queries again, and checks that every view
holds the same rows. Not a test: run it when you want numbers.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))

from incremental import Generator  # noqa: E402

QUERIES = {
    "count current event mentions": "SELECT count(*) FROM event_mentions",
    "one dyad's mentions": "SELECT count(*), min(event_date) FROM event_mentions "
                           "WHERE source_actor = 'C00GOV' AND target_actor = 'C01GOV'",
    "one outlet's articles": "SELECT count(*) FROM articles WHERE outlet = 'Outlet 7'",
}


def timed_queries(store, repeat: int = 3) -> dict[str, tuple[float, tuple]]:
    out = {}
    for name, q in QUERIES.items():
        best, row = float("inf"), None
        for _ in range(repeat):
            con = store.connect()  # as a reader does: a new connection, the files listed again
            t = time.perf_counter()
            row = con.execute(q).fetchone()
            best = min(best, time.perf_counter() - t)
            con.close()
        out[name] = (best, row)
    return out


def rows(store) -> dict[str, int]:
    con = store.connect()
    try:
        return {v: con.execute(f"SELECT count(*) FROM {v}").fetchone()[0]
                for v in ("article_versions", "articles", "actor_mentions", "event_mentions", "events", "stories")}
    finally:
        con.close()


def main(argv: list[str] | None = None) -> None:
    from detente.engines.local import refresh_events
    from detente.store import Store
    from detente.store.compact import compact

    ap = argparse.ArgumentParser()
    ap.add_argument("--batches", type=int, default=1000)
    ap.add_argument("--per-batch", type=int, default=32)
    ap.add_argument("--target-rows", type=int, default=1_000_000)
    ap.add_argument("--store", type=Path, default=Path("/tmp/detente-bench-compact"))
    args = ap.parse_args(argv)
    shutil.rmtree(args.store, ignore_errors=True)
    store = Store(args.store, create=True)
    gen = Generator(per_day=1000)
    t0 = time.perf_counter()
    for i in range(args.batches):
        arts, ments = gen.articles(args.per_batch, f"b{i:06d}")
        pq.write_table(ments, store.path / "event_mentions" / f"b{i:06d}.parquet", compression="zstd")
        pq.write_table(arts, store.path / "articles" / f"b{i:06d}.parquet", compression="zstd")
    with store.writer():
        refresh_events(store, "bench")
        store.mark_derived_fresh(store.articles_fingerprint(), "bench")
    print(f"store: {args.batches:,} batches of {args.per_batch} articles ({gen.n:,} articles, "
          f"{gen.n * 10:,} event mentions), written and consolidated in {time.perf_counter() - t0:.1f} s")
    before_rows, before = rows(store), timed_queries(store)
    t0 = time.perf_counter()
    res = compact(store, target_rows=args.target_rows)
    t_compact = time.perf_counter() - t0
    after_rows, after = rows(store), timed_queries(store)
    print(f"compact: {res.batches_merged:,} batches into {res.groups:,}, files {res.files_before:,} -> "
          f"{res.files_after:,}, {t_compact:.1f} s; events/stories {res.derived}")
    print(f"{'query':32} {'before s':>9} {'after s':>9}  same answer")
    for name in QUERIES:
        print(f"{name:32} {before[name][0]:>9.3f} {after[name][0]:>9.3f}  {before[name][1] == after[name][1]}")
    print(f"every view the same row count: {before_rows == after_rows} ({after_rows})")
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    sys.exit(main())
