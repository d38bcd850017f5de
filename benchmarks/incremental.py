"""Incremental events and stories: the cost of adding 1,000 articles as the store grows to 1M+ mentions.

    python benchmarks/incremental.py [--sizes 100000 300000 1000000] [--add 1000] [--repeat 3] [--store /tmp/x]

Grows a synthetic store by writing its Parquet files directly (the store's own
layout and schema; analysing that much text would take days on this machine):
news arriving day by day (``--per-day`` articles a day, as a feed fills a
store: 1M mentions is 100 days at 1,000 articles a day; ``--per-day 0`` spreads
every article over one year instead, so the store grows by density, not by
time), 10 event mentions per article, actors drawn from 60 countries
x 5 roles with Zipf-like popularity (a few dyads carry most reports, as in
GDELT), CAMEO codes likewise skewed, event dates 0-30 days before publication
with every granularity (``--no-coarse``: no year or season dates), 8% undated articles and 5% reprints of a recent
article. Article texts are 60 words (MinHash sees distinct prose for each).
Each article is stored (``stored_at``) on its simulated day, as a feed stores
each day's news; ``--stored-now`` stores them all at the real time instead (a
whole store backfilled in one sitting: then every undated event shares one
month file, see the README).

At each size it first brings events and stories up to date (one increment
growing the store to that size, untimed for the curve), then times adding
``--add`` new articles: writing their batch, and ``refresh_events`` (what
``analyze`` runs at the end), split into the analysis and the rewrite of the
events/stories Parquet files (one file per month: only the months the new
articles touch are rewritten; the line says how many of how many). With ``--repeat N`` it adds
``--add`` articles N times at each size and reports the fastest update (each line lists them all),
since on a shared machine a single timing moves with the load. Not a test: run it when you want numbers.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import logging
import os
import random
import resource
import shutil
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

WORDS = None


def _words(rng: random.Random) -> list[str]:
    global WORDS
    if WORDS is None:
        root = Path(__file__).resolve().parents[1] / "examples" / "articles"
        text = " ".join(p.read_text("utf-8") for p in sorted(root.glob("*.md")))
        WORDS = sorted({w.lower() for w in text.split() if w.isalpha() and len(w) > 2})
    return WORDS


class Generator:
    def __init__(self, seed: int = 7, coarse: bool = True, per_day: int = 1000, stored_now: bool = False):
        self.rng = random.Random(seed)
        self.per_day = per_day
        self.stored_now = stored_now or not per_day
        countries = [f"C{i:02d}" for i in range(60)]
        roles = ["GOV", "MIL", "", "MED", "ELI"]
        self.actors = [c + r for c in countries for r in roles]
        self.actor_w = [1.0 / (1 + i) ** 1.1 for i in range(len(self.actors))]  # Zipf-like popularity
        self.codes = ["010", "012", "013", "020", "036", "040", "042", "043", "046", "050", "057", "061", "070",
                      "111", "112", "120", "130", "138", "160", "163", "172", "190", "193", "0311", "0421"]
        self.code_w = [1.0 / (1 + i) for i in range(len(self.codes))]
        self.grans = ["day"] * 4 + ["article"] * 4 + ["month"] * 2 + (["year", "season"] if coarse else []) + ["unknown"]
        self.n = 0
        self.recent: list[tuple[str, str | None, list]] = []

    def articles(self, k: int, tag: str) -> tuple[pa.Table, pa.Table]:
        from detente.schema import arrow_schema
        from detente.types import Article, EventMention

        rng, words = self.rng, _words(self.rng)
        start = dt.date(2025, 1, 1)
        arts: dict[str, list] = {f.name: [] for f in dataclasses.fields(Article)}
        ments: dict[str, list] = {f.name: [] for f in dataclasses.fields(EventMention)}
        stored_a: list[str] = []
        stored_m: list[str] = []
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")
        for _ in range(k):
            aid = f"syn{self.n:08d}"
            self.n += 1
            if self.recent and rng.random() < 0.05:  # a reprint of a recent article, maybe undated
                text, pub, rows = rng.choice(self.recent)
                pub = None if rng.random() < 0.3 else pub
                rows = [dict(r, article_id=aid, mention_id=hashlib.sha1(f"{aid}{r['mention_id']}".encode())
                             .hexdigest()[:16]) for r in rows]
            else:
                text = " ".join(rng.choice(words) for _ in range(60))
                day = self.n // self.per_day if self.per_day else rng.randrange(365)
                pub = None if rng.random() < 0.08 else (start + dt.timedelta(days=day)).isoformat()
                rows = []
                for j in range(10):
                    src, tgt = rng.choices(self.actors, self.actor_w, k=2)
                    while tgt == src:  # no self-dyads: they would make the busiest chains longer still
                        tgt = rng.choices(self.actors, self.actor_w)[0]
                    code = rng.choices(self.codes, self.code_w)[0]
                    gran = rng.choice(self.grans) if pub else "unknown"
                    date = None if gran == "unknown" else (
                        dt.date.fromisoformat(pub) - dt.timedelta(days=rng.randrange(30))).isoformat()
                    if gran == "article":
                        date = pub
                    rows.append(dict(article_id=aid, source_actor=src, source_country=src[:3], target_actor=tgt,
                                     target_country=tgt[:3], cameo=code, cameo_root=code[:2],
                                     quad_class=1 + int(code[:2]) // 6 % 4, goldstein=1.0, plover=None,
                                     modality=rng.choice(["asserted"] * 6 + ["intent", "hypothetical", "negated"]),
                                     hedged=rng.random() < 0.2, attributed_to=None, historical=False,
                                     event_date=date, date_granularity=gran, date_reason="synthetic",
                                     confidence=0.8, sentence=text[j * 20:j * 20 + 120], start=j * 20,
                                     end=j * 20 + 120, trigger="met",
                                     mention_id=hashlib.sha1(f"{aid}|{j}".encode()).hexdigest()[:16]))
            self.recent.append((text, pub, rows))
            if len(self.recent) > 500:
                self.recent.pop(0)
            a = Article(aid, text, hashlib.sha256(f"{text}{pub}{aid}".encode()).hexdigest(), f"{aid}.txt", "txt",
                        outlet=f"Outlet {rng.randrange(200)}", published=pub, language="en")
            for f in arts:
                v = getattr(a, f)
                arts[f].append([list(x) for x in v] if isinstance(v, tuple) else v)
            for r in rows:
                for f in ments:
                    ments[f].append(r.get(f, _default(EventMention, f)))
            # stored the day it is published, as a feed stores each day's news (--stored-now: all now)
            stored = now if self.stored_now else (dt.datetime(2025, 1, 1, 12, tzinfo=dt.timezone.utc) + dt.timedelta(
                days=self.n // self.per_day, seconds=self.n % self.per_day)).isoformat(timespec="microseconds")
            stored_a.append(stored)
            stored_m.extend([stored] * len(rows))
        for cols, stored in ((arts, stored_a), (ments, stored_m)):
            cols["batch_id"], cols["stored_at"] = [tag] * len(stored), stored
        return (pa.table(arts, schema=arrow_schema(Article)), pa.table(ments, schema=arrow_schema(EventMention)))


def _default(cls, name):
    f = {f.name: f for f in dataclasses.fields(cls)}[name]
    return None if f.default is dataclasses.MISSING else f.default


def write(store, gen: Generator, n_articles: int, tag: str, chunk: int = 20_000) -> None:
    """Commit batches as the store's writer does: mentions first, the articles file last."""
    done = 0
    while done < n_articles:
        k = min(chunk, n_articles - done)
        bid = f"{tag}-{done:08d}"
        arts, ments = gen.articles(k, bid)
        pq.write_table(ments, store.path / "event_mentions" / f"{bid}.parquet", compression="zstd")
        pq.write_table(arts, store.path / "articles" / f"{bid}.parquet", compression="zstd")
        done += k


def refresh_timed(store, tag: str) -> tuple[float, float, int, str, str, float]:
    """refresh_events, with the time spent writing the derived Parquet files measured apart,
    how many month files of events/stories it rewrote (of how many), and the CPU seconds of the
    whole update (this process's, every thread: what the load of a shared machine moves least)."""
    from detente.engines.local import refresh_events

    spent = [0.0]
    written = {"events": 0, "stories": 0}
    orig = store.write_partitions

    def timed(table, parts, *a, **kw):
        t = time.perf_counter()
        written[table] += len(parts)
        try:
            return orig(table, parts, *a, **kw)
        finally:
            spent[0] += time.perf_counter() - t

    store.write_partitions = timed
    stats: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda rec: stats.append(rec.getMessage())
    lg = logging.getLogger("detente.analysis.incremental")
    lg.addHandler(handler)
    lg.setLevel(logging.INFO)
    t0, c0 = time.perf_counter(), time.process_time()
    with store.writer():
        n = refresh_events(store, tag)
    total, cpu = time.perf_counter() - t0, time.process_time() - c0
    del store.write_partitions
    lg.removeHandler(handler)
    files = (f"rewrote {written['events']}/{len(store.derived_partitions('events'))} events and "
             f"{written['stories']}/{len(store.derived_partitions('stories'))} stories month files")
    return total - spent[0], spent[0], n, stats[-1] if stats else "", files, cpu


def _largest_events(store) -> list[int]:
    con = store.connect()
    try:
        return [r[0] for r in con.execute("SELECT num_mentions FROM events ORDER BY num_mentions DESC LIMIT 5").fetchall()]
    finally:
        con.close()


def main(argv: list[str] | None = None) -> None:
    from detente.store import Store

    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 300_000, 1_000_000])
    ap.add_argument("--add", type=int, default=1000)
    ap.add_argument("--no-coarse", action="store_true",
                    help="no year/season-dated mentions (whose windows chain a busy dyad's whole year into one event)")
    ap.add_argument("--per-day", type=int, default=1000,
                    help="articles published a day (the store grows through time); 0: all in one year")
    ap.add_argument("--stored-now", action="store_true",
                    help="every article stored now (a backfill in one sitting), not on its simulated day")
    ap.add_argument("--repeat", type=int, default=1,
                    help="time the addition this many times at each size (each adds --add more articles) and "
                         "report the fastest: on a shared machine the load moves single timings by up to 2x")
    ap.add_argument("--store", type=Path, default=Path("/tmp/detente-bench-incremental"))
    args = ap.parse_args(argv)
    shutil.rmtree(args.store, ignore_errors=True)
    store = Store(args.store, create=True)
    gen = Generator(coarse=not args.no_coarse, per_day=args.per_day, stored_now=args.stored_now)
    print(f"{'mentions':>10} {'articles':>9} {'grow s':>8} | add {args.add} articles: {'write s':>8} "
          f"{'analysis s':>10} {'files s':>8} {'total s':>8} {'update CPU s':>10} {'events':>9}", flush=True)
    mentions = 0
    for size in args.sizes:
        t0 = time.perf_counter()
        grow = max(0, (size - mentions) // 10)
        write(store, gen, grow, f"grow{size}")
        mentions += grow * 10
        refresh_timed(store, f"g{size}")
        t_grow = time.perf_counter() - t0
        runs = []
        for rep in range(max(1, args.repeat)):
            t0 = time.perf_counter()
            write(store, gen, args.add, f"add{size}-{rep}")
            t_write = time.perf_counter() - t0
            analysis, files, n_events, stat, rewritten, cpu = refresh_timed(store, f"a{size}-{rep}")
            mentions += args.add * 10
            runs.append((analysis, files, cpu, t_write, mentions, gen.n, n_events, stat, rewritten,
                         os.getloadavg()[0]))
        analysis, files, cpu, t_write, n_mentions, n_articles, n_events, stat, rewritten, load = min(runs)
        every = (f"; updates of {', '.join(f'{r[0]:.2f}' for r in runs)} s at load "
                 f"{', '.join(f'{r[-1]:.1f}' for r in runs)}" if len(runs) > 1 else f"; load average {load:.1f}")
        print(f"{n_mentions:>10,} {n_articles:>9,} {t_grow:>8.1f} | {'':>17}{t_write:>8.2f} {analysis:>10.2f} "
              f"{files:>8.2f} {t_write + analysis + files:>8.2f} {cpu:>10.2f} {n_events:>9,}   "
              f"({stat}; {rewritten}{every}; CPU s of the updates {', '.join(f'{r[2]:.2f}' for r in runs)})",
              flush=True)
    n_members = _largest_events(store)
    print(f"largest events (mentions): {n_members}")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
