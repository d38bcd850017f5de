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

End to end (``--e2e WORDS``, e.g. ``--e2e 200000 --trials 3``): writes about WORDS
words of distinct articles (each a different random draw of 25 sentences from the
example corpus, with its own date and outlet), then, in the same run, times
``detente analyze`` as a user runs it (a fresh process: start-up, reading,
parsing, actors, coder, writes, stories and events) with ``--workers 1`` and
``--workers 2``, each run paired with a run of ``nlp.pipe`` alone over the same
masked texts in this process, one right after the other (the order alternating
from trial to trial); prints each run's wall time, load average and CPU seconds
per process (the ``detente`` process, the fork server, each worker: psutil), and
the median over the trials; then a breakdown of one in-process ``analyze`` run
by stage (timers wrapped around the stage functions, so the stages sum to the
run; ``--no-breakdown`` skips it). ``--env-b KEY=VALUE`` adds the same runs
with an environment of their own, in the same trials (an A/B test).
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
    ap.add_argument("--variants", action="store_true",
                    help="with --e2e: also --workers 1 with DETENTE_PARSE_AHEAD=0 and =process")
    ap.add_argument("--no-breakdown", action="store_true", help="with --e2e: skip the in-process stage breakdown")
    ap.add_argument("--env-b", nargs="*", metavar="KEY=VALUE",
                    help="with --e2e: also time each --workers run with these environment variables (A/B in the "
                         "same trials, each paired with its own parse alone)")
    ap.add_argument("--reference", choices=["stock", "detente", "both"], default="stock",
                    help="with --e2e: the parse alone is spaCy's pipeline as shipped (stock, the default), "
                         "detente's pipeline (its tokenizer and component additions and its faster attribute "
                         "ruler, nlp.py), or both, each run paired with each")
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
        return end_to_end(args.e2e, args.batch_size, args.trials, args.variants, not args.no_breakdown,
                          args.workers or None, dict(kv.split("=", 1) for kv in args.env_b or []),
                          args.reference)
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


def end_to_end(words: int, batch_size: int, trials: int = 3, variants: bool = False, breakdown_too: bool = True,
               workers: list[int] | None = None, env_b: dict | None = None, reference: str = "stock") -> None:
    """`detente analyze` end to end against nlp.pipe alone, on a shared machine.

    The parse alone is ``spacy.load(model)`` as shipped, over the same masked texts: what a user
    would run to parse them with spaCy and nothing else. detente's own pipeline (``load_pipeline``)
    is that pipeline with two small components, a tokenizer rule and the attribute ruler replaced by
    an exact, faster one (``nlp.py``); ``reference="both"`` pairs every run with it too, so that the
    share of the run outside detente's own parse can be read as well.

    Each trial pairs every `analyze` run with a run of `nlp.pipe` alone over the same texts, one right
    after the other, the order alternating from trial to trial (parse first in odd trials, analyze
    first in even ones), so that both halves of a pair see about the same load. Every run prints its
    wall time, the load average before and after, and the CPU seconds of each of its processes (the
    `detente` process, multiprocessing's fork server, each worker), so that a short figure can be
    told from a loaded machine: a worker that was busy all along but got less CPU than wall time
    shared its core. The summary gives the median over trials of each figure and of each ratio taken
    within a trial."""
    import os
    import shutil
    import statistics
    import subprocess
    from pathlib import Path

    tmp, corpus, n, arts, texts, n_words = _bench_corpus("detente-e2e-", words)
    exe = str(Path(sys.executable).with_name("detente"))
    print(f"machine: {platform.machine()} {platform.system()} python {platform.python_version()}, "
          f"{os.cpu_count()} cores, load average {_load()}; {n} distinct articles, {n_words:,} words, "
          f"batch size {batch_size}")

    # one tiny run first, so that the KB/lexicon cache exists (built once per installation)
    tiny = tmp / "tiny"
    tiny.mkdir()
    (tiny / "a.md").write_text((corpus / "a00000.md").read_text("utf-8"), "utf-8")
    subprocess.run([exe, "analyze", str(tiny), "--store", str(tmp / "tiny-store"), "--workers", "1"],
                   check=True, stdout=subprocess.DEVNULL)
    t0 = time.perf_counter()
    res = resources_for(Config())
    print(f"model load in this process: {time.perf_counter() - t0:.1f} s")
    import spacy

    refs = {"stock": "nlp.pipe alone", "detente": "detente's nlp.pipe alone"}
    refs = {k: v for k, v in refs.items() if reference in (k, "both")}
    nlps = {"stock": spacy.load(Config().model), "detente": res.nlp}
    for key in refs:
        list(nlps[key].pipe(texts[:4]))

    def parse_alone(key: str = next(iter(refs))) -> dict:
        before = _load()
        c0 = resource.getrusage(resource.RUSAGE_SELF)
        t0 = time.perf_counter()
        for _ in nlps[key].pipe(texts, batch_size=batch_size):
            pass
        secs = time.perf_counter() - t0
        c1 = resource.getrusage(resource.RUSAGE_SELF)
        cpu = c1.ru_utime + c1.ru_stime - c0.ru_utime - c0.ru_stime
        return {"wall": secs, "cpu": cpu, "load": f"{before}-{_load()}", "procs": {"this process": [cpu]}}

    def analyze(k: int, ahead: str | None = None, extra: dict | None = None) -> dict:
        store = tmp / "store"
        shutil.rmtree(store, ignore_errors=True)
        env = dict(os.environ, **(extra or {}))
        if ahead is not None:
            env["DETENTE_PARSE_AHEAD"] = ahead
        return run_measured([exe, "analyze", str(corpus), "--store", str(store), "--workers", str(k),
                             "--batch-size", str(batch_size)], env)

    kinds = [(f"--workers {k}", k, None, None) for k in (workers or [1, 2])]
    if variants:
        kinds += [("--workers 1, DETENTE_PARSE_AHEAD=0", 1, "0", None),
                  ("--workers 1, DETENTE_PARSE_AHEAD=process", 1, "process", None)]
    if env_b:
        label = " ".join(f"{a}={b}" for a, b in env_b.items())
        kinds += [(f"--workers {k}, {label}", k, None, env_b) for k in (workers or [1, 2])]
    runs: dict[str, list[dict]] = {}
    for trial in range(trials):
        print(f"trial {trial + 1} (parse alone {'before' if trial % 2 == 0 else 'after'} each run):")
        for name, k, ahead, extra in kinds:
            pair = [*(lambda key=key: parse_alone(key) for key in refs), lambda: analyze(k, ahead, extra)]
            if trial % 2:
                pair.reverse()
            out = [fn() for fn in pair]
            if trial % 2:
                out.reverse()
            a, ps = out[-1], dict(zip(refs, out))
            for key, p in ps.items():
                a[f"parse {key}"] = p["wall"]
                runs.setdefault(f"{refs[key]}, paired with {name}", []).append(p)
                print(f"  {refs[key]:<36}{p['wall']:>7.1f} s  load {p['load']:<10} CPU {p['cpu']:.1f} s")
            a["parse"] = next(iter(ps.values()))["wall"]
            runs.setdefault(name, []).append(a)
            ratios = "  ".join(f"{'parse' if key == 'stock' else 'detente parse'}/run {a[f'parse {key}'] / a['wall']:.2f}"
                               for key in refs)
            print(f"  {'analyze ' + name:<36}{a['wall']:>7.1f} s  load {a['load']:<10} "
                  f"{ratios}  CPU {_cpu_line(a['procs'])}, system CPU "
                  f"{a['system']:.1f} s")
        if "--workers 1" in runs and "--workers 2" in runs:
            print(f"  --workers 2 / --workers 1: {runs['--workers 1'][-1]['wall'] / runs['--workers 2'][-1]['wall']:.2f}")

    med = statistics.median
    print(f"\nmedian of {trials} trial(s) ({'run':<34}{'wall s':>8}{'CPU s':>8}{'parse/run':>11}  load):")
    for name, _, _, _ in kinds:
        rs = runs[name]
        print(f"  {'analyze ' + name:<38}{med(r['wall'] for r in rs):>8.1f}{med(r['cpu'] for r in rs):>8.1f}"
              f"{med(r['parse'] / r['wall'] for r in rs):>11.3f}  {', '.join(r['load'] for r in rs)}")
        for key, label in refs.items():
            ps = runs[f"{label}, paired with {name}"]
            print(f"    {'its paired ' + label:<36}{med(p['wall'] for p in ps):>8.1f}{med(p['cpu'] for p in ps):>8.1f}"
                  f"{med(r[f'parse {key}'] / r['wall'] for r in rs):>11.3f}")
        for role in sorted({r for x in rs for r in x["procs"]}):
            vals = [sum(x["procs"].get(role, [0.0])) for x in rs]
            print(f"    CPU of {role:<29}{'':>8}{med(vals):>8.1f}")
        print(f"    {'of which system CPU (all processes)':<36}{'':>8}{med(r['system'] for r in rs):>8.1f}")
    if "--workers 1" in runs and "--workers 2" in runs:
        sp = [a["wall"] / b["wall"] for a, b in zip(runs["--workers 1"], runs["--workers 2"])]
        w2 = runs["--workers 2"]
        bound = [r["cpu"] / 2 for r in w2]
        print(f"  --workers 2 / --workers 1 within a trial: median {med(sp):.2f} (all: "
              f"{', '.join(f'{x:.2f}' for x in sp)}); --workers 2 over its own CPU / 2 cores: "
              f"{med(r['wall'] / b for r, b in zip(w2, bound)):.2f} (1.00 = both cores busy from launch to exit)")
    if breakdown_too:  # the breakdown in a fresh process, so that its start-up is measured too
        subprocess.run([sys.executable, __file__, "--breakdown", str(corpus), "--batch-size", str(batch_size)],
                       check=True)
    print(f"load average at the end: {_load()}")
    shutil.rmtree(tmp, ignore_errors=True)


def _load() -> str:
    import os

    return f"{os.getloadavg()[0]:.1f}"


def run_measured(cmd: list[str], env: dict) -> dict:
    """Run ``cmd``; its wall time, the load before-after, and the CPU seconds (user + system) of each of
    its processes by role: {"wall", "cpu", "load", "procs": {role: [seconds, ...]}}.

    Every process of the run's tree is sampled with psutil every 0.1 s (the last sample before a
    process exits is kept: up to 0.1 s of a process's CPU can be missed); the run's own process is
    taken from the rusage of its exit, exact, less its sampled direct children (which it may have reaped)."""
    import subprocess
    import threading

    before = _load()
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    err: list[bytes] = []  # the progress bar; shown only if the run fails
    reader = threading.Thread(target=lambda: err.append(proc.stderr.read()), daemon=True)
    reader.start()
    seen: dict[int, tuple[float, str, float]] = {}  # pid: (CPU seconds, role, of which system)
    try:
        import psutil

        top = psutil.Process(proc.pid)
    except (ImportError, Exception):  # noqa: BLE001 - without psutil: the run's process only
        top = None
    while proc.poll() is None:
        if top is not None:
            _sample_tree(top, seen)
        time.sleep(0.1)
    wall = time.perf_counter() - t0
    reader.join()
    if proc.returncode:
        sys.stderr.write(b"".join(err).decode("utf-8", "replace")[-3000:])
        raise subprocess.CalledProcessError(proc.returncode, proc.args)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime
    procs: dict[str, list[float]] = {}
    direct = 0.0
    for pid, (cpu, role, _) in seen.items():
        if pid == proc.pid:
            continue
        procs.setdefault(role, []).append(cpu)
        direct += cpu if role in ("fork server", "resource tracker", "parse process") else 0.0
    procs["detente process"] = [max(own - direct, seen.get(proc.pid, (0.0,))[0])]
    system = r1.ru_stime - r0.ru_stime + sum(v[2] for pid, v in seen.items() if pid != proc.pid)
    return {"wall": wall, "cpu": sum(sum(v) for v in procs.values()), "load": f"{before}-{_load()}",
            "procs": procs, "system": system}


def _sample_tree(top, seen: dict) -> None:
    import psutil

    try:
        procs = [top, *top.children(recursive=True)]
    except psutil.Error:
        return
    for p in procs:
        try:
            t = p.cpu_times()
            if p.pid not in seen:
                cmd = " ".join(p.cmdline())
                role = ("detente process" if p.pid == top.pid else "worker" if p.ppid() != top.pid  # forked
                        else "fork server" if "forkserver" in cmd  # from the fork server
                        else "resource tracker" if "resource_tracker" in cmd else "parse process")
            else:
                role = seen[p.pid][1]
            if t.user + t.system >= seen.get(p.pid, (0.0,))[0]:
                seen[p.pid] = (t.user + t.system, role, t.system)
        except psutil.Error:
            pass


def _cpu_line(procs: dict) -> str:
    total = sum(sum(v) for v in procs.values())
    order = ["detente process", "fork server", "resource tracker", "parse process", "worker"]
    parts = [f"{role} {' + '.join(f'{x:.1f}' for x in procs[role])}" for role in order if role in procs]
    return f"{total:.1f} s ({', '.join(parts)})"


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
        if ev in ("parse start", "parse end", "task start", "task parsed", "task end", "written", "batch read",
                  "finished"):
            continue
        if (m["pid"], ev) in seen:
            continue
        seen.add((m["pid"], ev))
        who = "parent" if m["pid"] == parent else f"pid {m['pid']}"
        print(f"    {who:<10}{ev:<18}{m['wall'] - t0:>7.2f} s  CPU {m['cpu']:>6.2f} s")
    if starts:
        print(f"    first parse starts {min(starts) - t0:.2f} s after launch; last parse ends {max(ends) - t0:.2f} s; "
              f"then {end - max(ends):.2f} s to exit")
        # the parent's CPU while the parse runs (what competes with the workers for the cores), and when it
        # read its first batch (before the first parse when reading overlaps the workers' launch)
        own = sorted((m for m in marks if m["pid"] == parent), key=lambda m: m["wall"])
        at_first = [m for m in own if m["wall"] <= min(starts)]
        done = [m for m in own if m["event"] == "batches done"]
        read = [m["wall"] for m in own if m["event"] == "batch read"]
        if at_first and done and read:
            print(f"    parent: first batch read {min(read) - t0:.2f} s after launch; CPU {at_first[-1]['cpu']:.2f} s "
                  f"when the first parse starts, {done[0]['cpu'] - at_first[-1]['cpu']:.2f} s more until the "
                  f"last batch is written")
    for (pid, thread), secs in sorted(busy.items()):
        print(f"    parsing/analysing in pid {pid} {thread}: {secs:.1f} s busy")
    # a worker's tasks: CPU of the parse (task start -> task parsed) and of actors + coder (-> task end)
    split: dict[int, list[float]] = {}
    last: dict[int, dict] = {}
    for m in sorted(marks, key=lambda m: m["wall"]):
        if m["event"] in ("task start", "task parsed", "task end") and m.get("n"):
            prev = last.get(m["pid"])
            if prev is not None and prev["event"] != "task end":
                split.setdefault(m["pid"], [0.0, 0.0])[m["event"] == "task end"] += m["cpu"] - prev["cpu"]
            last[m["pid"]] = m
    for pid, (parse, rest) in sorted(split.items()):
        print(f"    worker pid {pid}: parse {parse:.1f} CPU s, actors + coder {rest:.1f} CPU s")


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
