"""Memory flatness: `detente analyze` on a 1x and a 10x corpus, peak memory of the parent and its workers.

    pip install '.[bench]'   # psutil
    python benchmarks/memory.py [--base 20] [--factor 10] [--workers 2] [--batch-size 8]

Generates two corpora from ``examples/articles`` (``--base`` articles, and
``--factor`` times as many: copies under new names with a numbered sentence
appended, so every copy is a new article, parsed and stored), runs
``python -m detente analyze`` on each into a fresh store, and samples the
resident memory (RSS) of the whole process tree (parent + worker processes)
every 0.1 s with psutil. Streaming in bounded batches means the peak should
barely move with the corpus size; the report gives the ratio.
Not a test: run it when you want numbers.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def make_corpus(dst: Path, n: int) -> int:
    """``n`` distinct articles from the example corpus; returns the number of words."""
    src = sorted((ROOT / "examples/articles").glob("*.md"))
    dst.mkdir(parents=True)
    words = 0
    for i in range(n):
        f = src[i % len(src)]
        text = f.read_text("utf-8") + f"\nThis is copy {i} of the article.\n"
        (dst / f"{i:05d}-{f.name}").write_text(text, "utf-8")
        words += len(text.split())
    return words


def tree_rss(proc) -> int:
    """RSS of ``proc`` and all its descendants, in bytes (processes that vanish are skipped)."""
    import psutil

    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def run_measured(cmd: list[str]) -> tuple[float, float, float]:
    """(seconds, peak tree RSS MB, peak parent RSS MB) of ``cmd``."""
    import psutil

    t0 = time.perf_counter()
    popen = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    proc = psutil.Process(popen.pid)
    peak = [0, 0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            try:
                peak[0] = max(peak[0], tree_rss(proc))
                peak[1] = max(peak[1], proc.memory_info().rss)
            except psutil.Error:
                pass
            time.sleep(0.1)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    _, err = popen.communicate()
    stop.set()
    th.join()
    if popen.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err.decode()[-2000:]}")
    return time.perf_counter() - t0, peak[0] / 2**20, peak[1] / 2**20


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", type=int, default=20, help="articles in the 1x corpus")
    ap.add_argument("--factor", type=int, default=10)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=8)
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="detente-mem-"))
    rows = []
    try:
        for mult in (1, args.factor):
            n = args.base * mult
            corpus = tmp / f"corpus-{mult}x"
            words = make_corpus(corpus, n)
            cmd = [sys.executable, "-m", "detente", "analyze", str(corpus), "--store", str(tmp / f"store-{mult}x"),
                   "--quiet", "--workers", str(args.workers), "--batch-size", str(args.batch_size)]
            secs, peak, parent = run_measured(cmd)
            rows.append((f"{mult}x", n, words, secs, peak, parent))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"workers {args.workers}, batch size {args.batch_size}")
    print(f"{'corpus':<8}{'articles':>9}{'words':>9}{'seconds':>9}{'peak MB (tree)':>16}{'peak MB (parent)':>18}")
    for name, n, words, secs, peak, parent in rows:
        print(f"{name:<8}{n:>9}{words:>9,}{secs:>9.1f}{peak:>16,.0f}{parent:>18,.0f}")
    print(f"peak memory ratio {rows[1][0]}/{rows[0][0]}: {rows[1][4] / rows[0][4]:.2f} "
          f"for {rows[1][1] / rows[0][1]:.0f}x the articles")


if __name__ == "__main__":
    sys.exit(main())
