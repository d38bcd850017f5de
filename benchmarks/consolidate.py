"""Consolidation benchmark: the events/stories recompute on a synthetic 100k-mention store.

    python benchmarks/consolidate.py [--mentions 100000] [--per-article 10] [--store /tmp/x]

Builds (once; reused when ``--store`` already holds one) a store of synthetic
articles and event mentions through the store's own writer: article texts are
sentences of ``examples/articles`` shuffled per article (so MinHash sees real
prose, mostly distinct), 5% of articles are reprints of another; mentions draw
dyads from 40 actors, CAMEO codes from the shipped table, dates over ten years
with every granularity. Then it times the full recompute from all mentions (the
in-memory ``find_stories``/``consolidate``; ``analyze`` now updates incrementally,
see ``benchmarks/incremental.py``) twice: cold (no MinHash signature cache) and with the
signatures cached, step by step (reading mentions and articles, signatures,
LSH story grouping, consolidation into events, the writes), and reports that
event ids are the same both times.
Not a test: run it when you want numbers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import re
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

ACTORS = [c + s for c in ("RUS", "CHN", "PRK", "USA", "JPN", "KOR", "UKR", "IRN") for s in ("", "GOV", "MIL", "MED", "ELI")]
CODES = ["010", "012", "013", "020", "036", "040", "042", "043", "046", "050", "057", "061", "070", "111", "112",
         "120", "130", "138", "160", "163", "172", "190", "193", "0311", "0421"]
GRANS = ["day"] * 4 + ["article"] * 3 + ["month"] * 2 + ["year", "season", "unknown"]


def _sentences() -> list[str]:
    text = " ".join(p.read_text("utf-8").split("---", 2)[-1] for p in sorted((ROOT / "examples/articles").glob("*.md")))
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) > 5]


def build_store(path: Path, n_mentions: int, per_article: int, seed: int = 7) -> None:
    from detente.store import Store
    from detente.types import Article, EventMention

    rng = random.Random(seed)
    sents = _sentences()
    store = Store(path, create=True)
    outlets = [f"Outlet {i}" for i in range(25)]
    n_articles = n_mentions // per_article
    start = dt.date(2014, 1, 1)
    texts: list[str] = []
    with store.writer():
        arts: list[Article] = []
        ments: list[EventMention] = []
        for a in range(n_articles):
            aid = f"syn{a:07d}"
            if texts and rng.random() < 0.05:  # a reprint of an earlier article
                text = rng.choice(texts)
            else:
                text = " ".join(rng.sample(sents, 20))
            texts.append(text)
            if len(texts) > 2000:
                texts.pop(0)
            pub = start + dt.timedelta(days=rng.randrange(3650))
            h = hashlib.sha256(text.encode()).hexdigest()
            arts.append(Article(aid, text, h, f"{aid}.txt", "txt", outlet=rng.choice(outlets),
                                published=pub.isoformat(), language="en"))
            for k in range(per_article):
                src, tgt = rng.sample(ACTORS, 2)
                code = rng.choice(CODES)
                gran = rng.choice(GRANS)
                ed = None if gran == "unknown" else (pub - dt.timedelta(days=rng.randrange(30))).isoformat()
                s0 = rng.randrange(max(1, len(text) - 200))
                mid = hashlib.sha1(f"{aid}|{k}|{src}|{tgt}|{code}".encode()).hexdigest()[:16]
                ments.append(EventMention(
                    aid, src, src[:3], tgt, tgt[:3], code, code[:2], 1 + int(code[:2]) // 6 % 4, 1.0, None,
                    rng.choice(["asserted"] * 6 + ["intent", "hypothetical", "negated"]), rng.random() < 0.2, None,
                    False, ed, gran, "synthetic", 0.8, text[s0:s0 + 200], s0, s0 + 200, "met", s0, s0 + 3,
                    mention_id=mid))
            if len(arts) >= 1000:
                store.write_batch(f"syn-{a:07d}", arts, [], ments)
                arts, ments = [], []
        if arts:
            store.write_batch(f"syn-{n_articles:07d}", arts, [], ments)


_SIGS: dict = {}  # signatures kept between the two runs (``analyze`` keeps them in _cache/derived.duckdb)


def timed_refresh(path: Path, tag: str) -> tuple[dict[str, float], list]:
    """``refresh_events``, step by step (the same calls, timed)."""
    from detente.analysis import consolidate, find_stories
    from detente.analysis.stories import signatures
    from detente.store import Store

    store = Store(path)
    t: dict[str, float] = {}
    t0 = time.perf_counter()
    con = store.connect()
    mentions = con.execute("SELECT * FROM event_mentions").df()
    articles = con.execute("SELECT article_id, content_hash, text, masked, outlet, published, "
                           "originally_published_by FROM articles").df()
    con.close()
    t["read tables"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    known = dict(_SIGS)
    sigs = signatures(articles, known)
    _SIGS.update(sigs)
    t["MinHash signatures"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    stories = find_stories(articles, sigs=sigs)
    t["stories (LSH)"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    copies = frozenset(s.article_id for s in stories if s.is_copy)
    events = consolidate(mentions, articles[["article_id", "outlet", "published"]], copies)
    t["consolidate"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    with store.writer():
        # one file per month, as the store keeps them (an approximation of the incremental update's
        # partitions, good for timing; the next analyze recomputes them, the state not matching)
        store.write_partitions("stories", {"all": stories}, tag, complete=True)
        by_month: dict[str, list] = {}
        for e in events:
            by_month.setdefault(e.event_date[:7] if e.event_date and len(e.event_date) >= 7 else "undated", []).append(e)
        store.write_partitions("events", by_month, tag, complete=True)
    t["write"] = time.perf_counter() - t0
    t["_mentions"], t["_articles"], t["_events"], t["_copies"] = len(mentions), len(articles), len(events), len(copies)
    t["_cached"] = len(known)
    return t, events


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mentions", type=int, default=100_000)
    ap.add_argument("--per-article", type=int, default=10)
    ap.add_argument("--store", type=Path, default=Path("/tmp/detente-bench-consolidate"))
    args = ap.parse_args(argv)
    if not (args.store / "detente-store.json").exists():
        t0 = time.perf_counter()
        build_store(args.store, args.mentions, args.per_article)
        print(f"built {args.store} in {time.perf_counter() - t0:.1f} s")
    # run 1: cold (every article hashed); run 2: signatures cached
    t1, ev1 = timed_refresh(args.store, "bench1")
    t2, ev2 = timed_refresh(args.store, "bench2")
    print(f"{t1['_mentions']:,} mentions, {t1['_articles']:,} articles ({t1['_copies']:,} copies) "
          f"-> {t1['_events']:,} events")
    print(f"{'step':<20}{'cold s':>9}{'cached s':>9}")
    for k in t1:
        if not k.startswith("_"):
            print(f"{k:<20}{t1[k]:>9.2f}{t2[k]:>9.2f}")
    total = [sum(v for k, v in t.items() if not k.startswith("_")) for t in (t1, t2)]
    print(f"{'total':<20}{total[0]:>9.2f}{total[1]:>9.2f}")
    print(f"event ids stable across refreshes: {[e.event_id for e in ev1] == [e.event_id for e in ev2]}")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
