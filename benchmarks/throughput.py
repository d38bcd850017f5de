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

End to end (``--e2e WORDS``, e.g. ``--e2e 200000``): writes about WORDS words
of distinct articles (each a different random draw of 25 sentences from the
example corpus, with its own date and outlet), then, in the same run, times
``nlp.pipe`` over their masked texts in this process, and ``detente analyze``
as a user runs it (a fresh process: start-up, reading, parsing, actors, coder,
writes, stories and events) with ``--workers 1`` and ``--workers 2``; and a
breakdown of one in-process ``analyze`` run by stage (timers wrapped around the
stage functions, so the stages sum to the run).
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
    ap.add_argument("--e2e", type=int, default=0, metavar="WORDS",
                    help="end-to-end mode: `detente analyze` on about WORDS words of distinct articles vs nlp.pipe")
    ap.add_argument("--breakdown", metavar="FOLDER", help="time one in-process analyze of FOLDER by stage")
    ap.add_argument("--timeline", type=int, default=0, metavar="WORDS",
                    help="where the wall time of `detente analyze --workers 1` and `--workers 2` goes, on about "
                         "WORDS words of distinct articles (DETENTE_TIMELINE marks), against nlp.pipe alone")
    ap.add_argument("--baseline", metavar="SRC",
                    help="with --timeline: also time `analyze` from another checkout's src/ folder (PYTHONPATH), "
                         "alternating with this one, e.g. a `git archive REV src | tar -x -C DIR` of main")
    ap.add_argument("--startup", action="store_true",
                    help="start-up: `detente analyze` of one short article, with and without the KB/lexicon cache")
    args = ap.parse_args(argv)
    if args.startup:
        return startup()
    if args.breakdown:
        import tempfile
        from pathlib import Path

        import shutil

        tmp = Path(tempfile.mkdtemp(prefix="detente-prof-"))
        try:
            return breakdown(args.breakdown, tmp / "store", args.batch_size)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    if args.e2e:
        return end_to_end(args.e2e, args.batch_size, args.trials)
    if args.timeline:
        return timelines(args.timeline, args.batch_size, args.trials, args.workers or [1, 2], args.baseline)

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


def make_corpus(folder, words: int, seed: int = 16) -> int:
    """Distinct articles of 25 sentences drawn from the example corpus, about ``words`` words in all."""
    import datetime as dt
    import random
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "examples" / "articles"
    body = " ".join(p.read_text("utf-8").split("---", 2)[-1] for p in sorted(root.glob("*.md")))
    sents = [s.strip() for s in re.split(r"(?<=[.!?])\s+", body) if len(s.split()) > 5]
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    n = total = 0
    while total < words:
        picked = rng.sample(sents, 25)
        pub = dt.date(2014, 1, 1) + dt.timedelta(days=rng.randrange(1000))
        text = "\n\n".join(" ".join(picked[i:i + 5]) for i in range(0, 25, 5))
        (folder / f"a{n:05d}.md").write_text(
            f"---\ntitle: \"Article {n}\"\noutlet: \"Outlet {rng.randrange(30)}\"\npublished: {pub}\n---\n{text}\n",
            "utf-8")
        total += len(text.split())
        n += 1
    return n


def _bench_corpus(prefix: str, words: int):
    """A temporary folder with a corpus of about ``words`` words of distinct articles, and
    a cache folder of its own (the KB/lexicon pickle, the language model's arrays, built by
    the first run): other installations sharing ~/.cache/detente cannot evict it between
    runs. Returns the folder, the corpus folder, its article count, the articles, their
    masked texts and their word count."""
    import os
    import tempfile
    from pathlib import Path

    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ["DETENTE_CACHE_DIR"] = str(tmp / "cache")
    corpus = tmp / "corpus"
    n = make_corpus(corpus, words)
    arts = [a for a in read_inputs([str(corpus)]) if isinstance(a, Article)]
    texts = [mask(a.text, a.masked) for a in arts]
    return tmp, corpus, n, arts, texts, sum(len(t.split()) for t in texts)


def end_to_end(words: int, batch_size: int, trials: int = 1) -> None:
    import os
    import shutil
    import subprocess
    from pathlib import Path

    tmp, corpus, n, arts, texts, n_words = _bench_corpus("detente-e2e-", words)
    exe = str(Path(sys.executable).with_name("detente"))
    print(f"machine: {platform.machine()} {platform.system()} python {platform.python_version()}, "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; {n} distinct articles, {n_words:,} words")

    loads: dict[str, str] = {}
    cpu: dict[str, float] = {}  # CPU seconds (user + system) of each run: the work, whatever the load

    def analyze(workers: int, name: str, ahead: str = "") -> float:
        """`detente analyze` in a new process; ``ahead`` is DETENTE_PARSE_AHEAD ("" for the default)."""
        store = tmp / f"store-w{workers}"
        shutil.rmtree(store, ignore_errors=True)
        before = os.getloadavg()[0]
        c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.Popen([exe, "analyze", str(corpus), "--store", str(store), "--workers", str(workers),
                                 "--batch-size", str(batch_size)], stdout=subprocess.DEVNULL,
                                env=dict(os.environ, DETENTE_PARSE_AHEAD=ahead))
        # worker and parse processes are children of multiprocessing's forkserver, whose CPU the
        # run's rusage does not include: sample them (psutil, if installed) every 0.2 s
        others: dict[int, float] = {}
        while proc.poll() is None:
            for pid, c in _descendant_cpu(proc.pid).items():
                others[pid] = max(others.get(pid, 0.0), c)
            time.sleep(0.2)
        if proc.returncode:
            raise subprocess.CalledProcessError(proc.returncode, proc.args)
        secs = time.perf_counter() - t0
        c1 = resource.getrusage(resource.RUSAGE_CHILDREN)  # the process (and what it waited for)
        cpu[name] = c1.ru_utime + c1.ru_stime - c0.ru_utime - c0.ru_stime + sum(others.values())
        loads[name] = f"{before:.1f}-{os.getloadavg()[0]:.1f}"
        rows.append((name, secs))
        return secs

    # one tiny run first, so that the KB/lexicon cache exists (built once per installation)
    tiny = tmp / "tiny"
    tiny.mkdir()
    (tiny / "a.md").write_text((corpus / "a00000.md").read_text("utf-8"), "utf-8")
    subprocess.run([exe, "analyze", str(tiny), "--store", str(tmp / "tiny-store"), "--workers", "1"],
                   check=True, stdout=subprocess.DEVNULL)

    rows = []
    t0 = time.perf_counter()
    res = resources_for(Config())
    load = time.perf_counter() - t0
    list(res.nlp.pipe(texts[:4]))

    def parse_only() -> float:
        name = "nlp.pipe only (model loaded)"
        before = os.getloadavg()[0]
        c0 = resource.getrusage(resource.RUSAGE_SELF)
        t0 = time.perf_counter()
        for _ in res.nlp.pipe(texts, batch_size=batch_size):
            pass
        secs = time.perf_counter() - t0
        c1 = resource.getrusage(resource.RUSAGE_SELF)
        cpu[name] = c1.ru_utime + c1.ru_stime - c0.ru_utime - c0.ru_stime
        loads[name] = f"{before:.1f}-{os.getloadavg()[0]:.1f}"
        rows.append((name, secs))
        return secs

    runs = (parse_only, lambda: analyze(1, "detente analyze --workers 1 (new process)", ahead=""),
            lambda: analyze(2, "detente analyze --workers 2 (new process)"),
            lambda: analyze(1, "--workers 1, DETENTE_PARSE_AHEAD=0", ahead="0"),
            lambda: analyze(1, "--workers 1, DETENTE_PARSE_AHEAD=thread", ahead="thread"),
            lambda: analyze(1, "--workers 1, DETENTE_PARSE_AHEAD=process", ahead="process"))
    best: dict[int, float] = {}
    for trial in range(trials):  # alternating, so that a burst of load hits one trial, not one kind of run
        print(f"trial {trial + 1}:")
        start = len(rows)
        times = [fn() for fn in runs]
        for i, t in enumerate(times):
            best[i] = min(best.get(i, t), t)
        parse_s = times[0]
        for name, secs in rows[start:]:  # CPU: the run's process and (sampled) its worker/parse processes
            print(f"  {name:<44}{secs:>9.1f}{n_words / secs:>10,.0f}{parse_s / secs:>11.2f}  load {loads[name]}"
                  f"  CPU {cpu[name]:.1f} s")
        print(f"  --workers 2 / --workers 1: {times[1] / times[2]:.2f}; "
              f"over --workers 1 with no parse-ahead thread: {times[3] / times[2]:.2f}; "
              f"parse process / parse thread: {times[4] / times[5]:.2f}")
    if trials > 1:
        names = [r[0] for r in rows[:len(runs)]]
        print(f"fastest of {trials} trials of each ({'run':<40}{'seconds':>9}{'words/s':>10}{'parse/run':>11}):")
        for i, name in enumerate(names):
            print(f"  {name:<44}{best[i]:>9.1f}{n_words / best[i]:>10,.0f}{best[0] / best[i]:>11.2f}")
        print(f"  --workers 2 / --workers 1: {best[1] / best[2]:.2f}; over --workers 1 with no parse-ahead "
              f"thread: {best[3] / best[2]:.2f}; parse process / parse thread: {best[4] / best[5]:.2f}")
    print(f"model load in this process: {load:.1f} s")
    # the breakdown in a fresh process, so that its start-up is measured too
    subprocess.run([sys.executable, __file__, "--breakdown", str(corpus), "--batch-size", str(batch_size)], check=True)
    print(f"load average at the end: {os.getloadavg()}")
    shutil.rmtree(tmp, ignore_errors=True)


def timelines(words: int, batch_size: int, trials: int, workers: list[int], baseline: str | None = None) -> None:
    """`detente analyze` with DETENTE_TIMELINE set: when the first parse starts, how busy the parse
    is, when the last one ends and what follows it, for each worker count, against nlp.pipe alone
    (and, with ``baseline``, the same runs of another checkout, alternating, without marks)."""
    import json
    import os
    import shutil
    import subprocess
    from pathlib import Path

    tmp, corpus, n, arts, texts, n_words = _bench_corpus("detente-timeline-", words)
    tiny = tmp / "tiny"
    tiny.mkdir()
    (tiny / "a.md").write_text((corpus / "a00000.md").read_text("utf-8"), "utf-8")
    versions = [("this checkout", dict(os.environ))]
    if baseline:
        versions.append(("baseline", dict(os.environ, PYTHONPATH=str(Path(baseline).resolve()))))
    for i, (_, env) in enumerate(versions):  # builds each version's KB/lexicon cache
        subprocess.run([sys.executable, "-m", "detente", "analyze", str(tiny), "--store", str(tmp / f"tiny-{i}"),
                        "--workers", "1"], check=True, stdout=subprocess.DEVNULL, env=env)
    print(f"{n} distinct articles, {n_words:,} words, batch size {batch_size}")
    res = resources_for(Config())
    list(res.nlp.pipe(texts[:4]))
    for trial in range(trials):
        before = os.getloadavg()[0]
        c0 = time.process_time()
        t0 = time.perf_counter()
        for _ in res.nlp.pipe(texts, batch_size=batch_size):
            pass
        parse_s = time.perf_counter() - t0
        print(f"trial {trial + 1}: nlp.pipe alone {parse_s:.1f} s (CPU {time.process_time() - c0:.1f} s), "
              f"load {before:.1f}-{os.getloadavg()[0]:.1f}")
        for k, (i, (label, env)) in ((k, v) for k in workers for v in enumerate(versions)):
            log = tmp / f"timeline-{k}-{trial}-{i}.jsonl"
            store = tmp / f"store-{k}-{trial}-{i}"
            before = os.getloadavg()[0]
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.time()
            proc = subprocess.Popen([sys.executable, "-m", "detente", "analyze", str(corpus), "--store", str(store),
                                     "--workers", str(k), "--batch-size", str(batch_size)],
                                    stdout=subprocess.DEVNULL, env=dict(env, DETENTE_TIMELINE=str(log)))
            others: dict[int, float] = {}
            while proc.poll() is None:
                for pid, c in _descendant_cpu(proc.pid).items():
                    others[pid] = max(others.get(pid, 0.0), c)
                time.sleep(0.2)
            end = time.time()
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)  # the run's process (and what it waited for)
            own = r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime
            marks = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
            print(f"  {label}, --workers {k}: {end - t0:.1f} s wall, parse alone / run {parse_s / (end - t0):.3f}, "
                  f"load {before:.1f}-{os.getloadavg()[0]:.1f}, CPU {own + sum(others.values()):.1f} s "
                  f"(the run's process {own:.1f} s, its worker processes {sum(others.values()):.1f} s)")
            if marks:
                _print_timeline(marks, t0, end)
    shutil.rmtree(tmp, ignore_errors=True)


def _print_timeline(marks: list[dict], t0: float, end: float) -> None:
    """The marks of one run, as offsets from the launch: parent first, then each other process."""
    parent = min(marks, key=lambda m: m["wall"])["pid"]
    starts = [m["wall"] for m in marks if m["event"] in ("parse start", "task start") and m.get("n")]
    ends = [m["wall"] for m in marks if m["event"] in ("parse end", "task end") and m.get("n")]
    busy: dict[tuple, float] = {}
    open_: dict[tuple, float] = {}
    for m in sorted(marks, key=lambda m: m["wall"]):
        key = (m["pid"], m["thread"])
        if m["event"] in ("parse start", "task start"):
            open_[key] = m["wall"]
        elif m["event"] in ("parse end", "task end") and key in open_:
            busy[key] = busy.get(key, 0.0) + m["wall"] - open_.pop(key)
    seen = set()
    for m in sorted(marks, key=lambda m: (m["pid"] != parent, m["pid"], m["wall"])):
        ev = m["event"]
        if ev in ("parse start", "parse end", "task start", "task end", "written", "batch read", "finished"):
            continue
        if (m["pid"], ev) in seen:
            continue
        seen.add((m["pid"], ev))
        who = "parent" if m["pid"] == parent else f"pid {m['pid']}"
        print(f"    {who:<10}{ev:<18}{m['wall'] - t0:>7.2f} s  CPU {m['cpu']:>6.2f} s")
    if starts:
        print(f"    first parse starts {min(starts) - t0:.2f} s after launch; last parse ends {max(ends) - t0:.2f} s; "
              f"then {end - max(ends):.2f} s to exit")
    for (pid, thread), secs in sorted(busy.items()):
        print(f"    parsing/analysing in pid {pid} {thread}: {secs:.1f} s busy")


def _descendant_cpu(pid: int) -> dict[int, float]:
    """CPU seconds (user + system) so far of each process below ``pid``, except its own direct
    children, which the parent's rusage counts once they are waited for ({} without psutil)."""
    try:
        import psutil
    except ImportError:
        return {}
    out = {}
    try:
        top = psutil.Process(pid)
        direct = {c.pid for c in top.children()}
        for c in top.children(recursive=True):
            if c.pid in direct:
                continue
            try:
                t = c.cpu_times()
                out[c.pid] = t.user + t.system
            except psutil.Error:
                pass
    except psutil.Error:
        pass
    return out


def startup(trials: int = 3) -> None:
    """What a user waits for before the first article is parsed, and a whole run of one short article."""
    import os
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    tmp = Path(tempfile.mkdtemp(prefix="detente-startup-"))
    make_corpus(tmp / "one", 1)
    exe = str(Path(sys.executable).with_name("detente"))
    probe = ("import time; t0 = time.perf_counter(); import spacy; t1 = time.perf_counter(); "
             "from detente.pipeline import kb_and_lexicon; from detente.nlp import load_pipeline; "
             "from detente.config import Config; t2 = time.perf_counter(); load_pipeline(Config().model); "
             "t3 = time.perf_counter(); kb_and_lexicon(); t4 = time.perf_counter(); "
             "print(t1 - t0, t2 - t1, t3 - t2, t4 - t3)")
    print(f"load average {os.getloadavg()}")
    for label, cache in (("no cache (DETENTE_CACHE_DIR=off)", "off"), ("cache built at first use", str(tmp / "c"))):
        env = dict(os.environ, DETENTE_CACHE_DIR=cache)
        subprocess.run([sys.executable, "-c", probe], env=env, check=True, capture_output=True)  # builds the cache
        parts, runs = [], []
        for i in range(trials):
            out = subprocess.run([sys.executable, "-c", probe], env=env, check=True, capture_output=True, text=True)
            parts.append([float(x) for x in out.stdout.split()])
            t0 = time.perf_counter()
            subprocess.run([exe, "analyze", str(tmp / "one"), "--store", str(tmp / f"s{i}{cache[-1]}"),
                            "--workers", "1"], env=env, check=True, stdout=subprocess.DEVNULL)
            runs.append(time.perf_counter() - t0)
        best = min(parts, key=sum)
        print(f"{label}: import spaCy {best[0]:.2f} s, import detente {best[1]:.2f} s, model {best[2]:.2f} s, "
              f"KB + lexicon {best[3]:.2f} s; `detente analyze` of one article (new process, new store): "
              f"{min(runs):.2f} s (best of {trials})")
    print(f"load average {os.getloadavg()}")
    shutil.rmtree(tmp, ignore_errors=True)


def breakdown(corpus, store, batch_size: int) -> None:
    """One in-process ``analyze`` run, its wall time split by stage (timers around the stage functions)."""
    import detente.actors as actors_mod
    import detente.coding as coding_mod
    import detente.engines.local as local
    import detente.pipeline as pipeline
    from detente.store import Store

    spent: dict[str, float] = {}

    def timed(name, fn):
        def inner(*a, **kw):
            t = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - t
        return inner

    def timed_iter(name, fn):
        def inner(*a, **kw):
            it = iter(fn(*a, **kw))
            while True:
                t = time.perf_counter()
                try:
                    x = next(it)
                except StopIteration:
                    spent[name] = spent.get(name, 0.0) + time.perf_counter() - t
                    return
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - t
                yield x
        return inner

    t_start = time.perf_counter()
    orig_load = pipeline.load_resources

    def load(*a, **kw):
        res = timed("start-up (model, KB, lexicon)", orig_load)(*a, **kw)
        nlp = res.nlp

        class Timed:  # nlp.pipe's time is the parse
            def __getattr__(self, k):
                return getattr(nlp, k)

            def pipe(self, *a, **kw):
                return timed_iter("parse (spaCy)", nlp.pipe)(*a, **kw)
        return pipeline.Resources(Timed(), res.kb, res.lexicon, res.model)

    patches = [(pipeline, "load_resources", load),
               (actors_mod, "resolve_doc", timed("actors", actors_mod.resolve_doc)),
               (coding_mod, "code_doc", timed("coder", coding_mod.code_doc)),
               (local, "read_any", timed_iter("read inputs", local.read_any)),
               (Store, "write_batch", timed("write batches", Store.write_batch)),
               (local, "refresh_events", timed("stories + events", local.refresh_events))]
    patches.append((local.InProcess, "overlap", False))  # stages one after another, so that they add up
    saved = [(m, k, getattr(m, k)) for m, k, _ in patches]
    for m, k, v in patches:
        setattr(m, k, v)
    try:
        local.run_analyze([str(corpus)], Config(store=str(store), workers=1, batch_size=batch_size))
    finally:
        for m, k, v in saved:
            setattr(m, k, v)
    total = time.perf_counter() - t_start
    spent["other (skip checks, bookkeeping)"] = total - sum(spent.values())
    print(f"\nin-process analyze, stages one after another (no parse-ahead thread), by stage ({total:.1f} s in all):")
    for k, v in spent.items():
        print(f"  {k:<36}{v:>8.1f} s {100 * v / total:>5.1f}%")


if __name__ == "__main__":
    sys.exit(main())
