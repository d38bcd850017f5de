"""The Ray engine on a local Ray: `detente analyze --engine ray` end to end, against another checkout.

    python benchmarks/ray_engine.py [--articles 600] [--sentences 5] [--batch-size 1] [--trials 2]
                                    [--baseline SRC]   # e.g. a `git archive REV src | tar -x -C DIR` of main

Writes ``--articles`` distinct short articles (each a random draw of ``--sentences`` sentences of
the example corpus, with its own date and outlet), then runs `detente analyze --engine ray` on them
in a fresh process (a local Ray on all cores: start-up, reading, the actor pool, writes, events),
``--trials`` times, and with ``--baseline`` the same runs of another checkout's ``src`` folder
(PYTHONPATH), alternating, and checks that both stored the same rows. Small batches make many of
them, which is where an engine's per-batch and per-window costs show.
Not a test: machines are shared and noisy; run it when you want numbers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def make_short_corpus(folder: Path, articles: int, sentences: int, seed: int = 7) -> int:
    body = " ".join(p.read_text("utf-8").split("---", 2)[-1] for p in sorted((ROOT / "examples" / "articles").glob("*.md")))
    sents = [s.strip() for s in re.split(r"(?<=[.!?])\s+", body) if len(s.split()) > 5]
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    words = 0
    for n in range(articles):
        text = " ".join(rng.sample(sents, sentences))
        pub = dt.date(2014, 1, 1) + dt.timedelta(days=rng.randrange(1000))
        (folder / f"r{n:05d}.md").write_text(
            f"---\ntitle: \"R {n}\"\noutlet: \"Outlet {rng.randrange(20)}\"\npublished: {pub}\n---\n{text}\n", "utf-8")
        words += len(text.split())
    return words


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=600)
    ap.add_argument("--sentences", type=int, default=5)
    ap.add_argument("--batch-size", type=int, default=1)
    ap.add_argument("--trials", type=int, default=2)
    ap.add_argument("--baseline", metavar="SRC", help="another checkout's src/ folder, run alternately")
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="detente-ray-"))
    corpus = tmp / "corpus"
    words = make_short_corpus(corpus, args.articles, args.sentences)
    print(f"{os.cpu_count()} cores; {args.articles} articles, {words:,} words, batch size {args.batch_size}")
    kinds = {"this checkout": str(ROOT / "src")}
    if args.baseline:
        kinds["baseline"] = str(Path(args.baseline).resolve())
    times: dict[str, list[float]] = {k: [] for k in kinds}
    try:
        for trial in range(args.trials):
            order = list(kinds) if trial % 2 == 0 else list(reversed(kinds))
            for name in order:
                store = tmp / f"store-{len(times[name])}-{name.replace(' ', '-')}"
                env = dict(os.environ, PYTHONPATH=kinds[name], RAY_USAGE_STATS_ENABLED="0")
                load = os.getloadavg()[0]
                t0 = time.perf_counter()
                r = subprocess.run([sys.executable, "-m", "detente", "analyze", str(corpus), "--store", str(store),
                                    "--engine", "ray", "--batch-size", str(args.batch_size)],
                                   env=env, capture_output=True, text=True)
                wall = time.perf_counter() - t0
                if r.returncode:
                    sys.exit(f"{name}: exit {r.returncode}\n{r.stderr[-2000:]}")
                times[name].append(wall)
                print(f"trial {trial + 1} {name:<14} {wall:6.1f} s  load {load:.1f}-{os.getloadavg()[0]:.1f}")
        if args.baseline:
            sys.path.insert(0, str(ROOT / "tests"))
            from conftest import table_rows  # the tests' canonical row order

            import pandas as pd

            a = table_rows(tmp / "store-0-this-checkout")
            b = table_rows(tmp / "store-0-baseline")
            for name in a:
                pd.testing.assert_frame_equal(a[name], b[name], obj=name)
            print(f"same rows: {', '.join(f'{len(a[n])} {n}' for n in a)}")
        for name, ts in times.items():
            print(f"{name}: fastest {min(ts):.1f} s, {words / min(ts):,.0f} words/s")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
