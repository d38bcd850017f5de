"""Fault drills for issue 12: a hostile folder through `detente analyze`, and kill trials.

    python benchmarks/faults.py hostile [--out DIR]
    python benchmarks/faults.py kills [--trials 12] [--articles 12] [--out DIR]
    python benchmarks/faults.py long [--chars 1000000]

``hostile`` writes a folder of hostile inputs (the classes of issue 12), runs the real CLI on it
under ``/usr/bin/time -v`` and prints: exit status, wall time, peak memory, articles stored, the
skip codes by file, and the size of the run record.

``kills`` analyses a copy of ``examples/articles`` once cleanly (the reference events), then runs
trials: each starts a real ``detente analyze`` and kills it, then re-runs ``analyze`` (which adds
nothing when every batch had committed) and compares the events with the clean run's. Trials
alternate between a real SIGKILL sent from outside (a random 0-0.6 s after a randomly chosen
batch commits, so kills land inside batches, between them and in the derived-table window) and a
kill at named points through ``DETENTE_TEST_CRASH_AT`` (the window the issue names). It prints
one line per trial and the count of re-runs identical to the clean run.
"""

from __future__ import annotations

import argparse
import codecs
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "articles"
ENGLISH = ("Russian Foreign Minister Sergei Lavrov met his Chinese counterpart in Beijing on Tuesday. "
           "The two ministers discussed sanctions and signed an agreement on energy cooperation. ")
POINTS = ["after-last-batch", "between-derived", "before-derived-state", "mid-batch"]


def detente(*args, env=None, timeout=3600):
    e = {**os.environ, "COLUMNS": "220", **(env or {})}
    return subprocess.run([sys.executable, "-m", "detente", *map(str, args)], capture_output=True, text=True,
                          env=e, timeout=timeout)


# --- hostile folder -------------------------------------------------------------------------

def make_hostile(d: Path) -> None:
    d.mkdir(parents=True, exist_ok=True)
    for f in sorted(EXAMPLES.glob("*.md"))[:3]:
        shutil.copy(f, d / f.name)
    w = lambda name, text: (d / name).write_text(text, "utf-8")  # noqa: E731
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (d / "cp1251.txt").write_bytes(("Министр иностранных дел России встретился с коллегой. " * 5).encode("cp1251"))
    (d / "bom.txt").write_bytes(codecs.BOM_UTF8 + ENGLISH.encode())
    w("de.txt", "Die Regierung in Berlin hat am Dienstag neue Sanktionen gegen Russland beschlossen. " * 3)
    w("long-article.txt", (ENGLISH + "\n\n") * 17_000)  # ~3 MB of paragraphs
    w("long-line.txt", ENGLISH * 30_000)  # ~5 MB on one line
    w("long-word.txt", "a" * 3_000_000)
    w("allowed-but-big.txt", (ENGLISH + "\n") * 1_700)  # ~290,000 characters: under the limit, analysed
    w("deep.json", "[" * 200_000 + "]" * 200_000)
    w("deep-line.jsonl", json.dumps({"id": "jl-ok", "text": ENGLISH}) + "\n"
      + '{"id": "jl-deep", "text": "x", "m": ' + "[" * 100_000 + "]" * 100_000 + "}\n")
    w("deep-front.md", "---\nx: " + "[" * 50_000 + "]" * 50_000 + "\n---\n" + ENGLISH)
    bomb = ['---', 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, n in enumerate("bcdefghi"):
        bomb.append(f"{n}: &{n} [" + ",".join([f"*{'abcdefghi'[i]}"] * 9) + "]")
    w("alias-bomb.md", "\n".join(bomb) + "\n---\n" + ENGLISH)
    w("giant-field.csv", f'id,text\ncsv-big,"{ENGLISH * 1_000}"\ncsv-after,"{ENGLISH}"\n')
    w("unclosed.csv", f'id,text\ncsv-a,"{ENGLISH}"\ncsv-open,"never closed\ncsv-b,"{ENGLISH}"\n')
    w("million.json", json.dumps([1] * 1_000_000))
    sub = d / "with-sidecar"
    sub.mkdir()
    (sub / "a.txt").write_text(ENGLISH + " Sidecar folder.", "utf-8")
    (sub / "_meta.yaml").write_text("- file: a.txt\n  outlet: [unclosed\n", "utf-8")
    (d / "loop.txt").symlink_to(d / "loop.txt")
    (d / "dangling.txt").symlink_to(d / "nowhere.txt")
    (d / "passwd.txt").symlink_to("/etc/passwd")
    os.mkfifo(d / "fifo.txt")


def hostile(out: Path) -> None:
    folder, store = out / "hostile", out / "store"
    shutil.rmtree(out, ignore_errors=True)
    make_hostile(folder)
    cmd = ["/usr/bin/time", "-v", sys.executable, "-m", "detente", "analyze", str(folder), "--store", str(store),
           "--quiet", "--workers", "1"]
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "COLUMNS": "220"}, timeout=3600)
    wall = time.perf_counter() - t0
    peak = next((ln.split(":")[1].strip() for ln in r.stderr.splitlines() if "Maximum resident" in ln), "?")
    print(f"exit status {r.returncode}; wall {wall:.1f} s; peak RSS {int(peak) / 1024:.0f} MB" if peak != "?"
          else f"exit status {r.returncode}; wall {wall:.1f} s")
    if "Traceback" in r.stderr:
        print("TRACEBACK:", r.stderr[-3000:])
    sys.path.insert(0, str(ROOT / "src"))
    import detente as dt

    db = dt.open(store)
    run = db.runs.iloc[-1]
    print(f"articles stored {run.articles_stored}, skipped {run.articles_skipped}, events {run.events}, "
          f"status {run.status}; run record skipped field {len(run.skipped):,} bytes")
    print("stored:", ", ".join(sorted(db.articles.article_id)))
    for s in json.loads(run.skipped):
        print(f"  {s['code']}  {Path(s['path']).name:28s} {s['reason'][:110]}")


# --- kill trials -----------------------------------------------------------------------------

def events_of(store: Path) -> list:
    sys.path.insert(0, str(ROOT / "src"))
    import detente as dt

    df = dt.open(store).events.drop(columns=["stored_at"], errors="ignore")
    return json.loads(df.sort_values("event_id").to_json(orient="records"))


def _committed(store: Path) -> int:
    d = store / "articles"
    return len([f for f in d.glob("*.parquet") if f.name != "_schema.parquet"]) if d.is_dir() else 0


def kills(out: Path, trials: int, n_articles: int, seed: int = 12) -> None:
    rng = random.Random(seed)
    shutil.rmtree(out, ignore_errors=True)
    corpus = out / "corpus"
    corpus.mkdir(parents=True)
    for f in sorted(EXAMPLES.glob("*.md"))[:n_articles]:
        shutil.copy(f, corpus / f.name)
    args = ["--quiet", "--workers", "1", "--batch-size", "3"]
    t0 = time.perf_counter()
    r = detente("analyze", corpus, "--store", out / "clean", *args)
    clean_s = time.perf_counter() - t0
    assert r.returncode == 0, r.stderr
    clean = events_of(out / "clean")
    n_batches = _committed(out / "clean")
    print(f"clean run: {len(clean)} events from {n_articles} articles in {n_batches} batches, {clean_s:.1f} s")
    same = stale_after_kill = 0
    for t in range(trials):
        store = out / f"t{t}"
        env = {k: v for k, v in os.environ.items() if k != "DETENTE_TEST_CRASH_AT"}
        if t % 2 == 0:
            # a real SIGKILL: after the k-th batch commits (k random), plus a random delay, so kills
            # land across the run: inside a batch, between batches, and in the derived-table window
            k = rng.randint(1, n_batches)
            delay = rng.uniform(0.0, 0.6)
            how = f"SIGKILL {delay:.2f} s after batch {k}/{n_batches}"
            p = subprocess.Popen([sys.executable, "-m", "detente", "analyze", str(corpus), "--store", str(store),
                                  *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
            while p.poll() is None and _committed(store) < k:
                time.sleep(0.01)
            time.sleep(delay)
            if p.poll() is None:
                os.kill(p.pid, signal.SIGKILL)
            else:
                how += " (finished first)"
            p.wait()
        else:
            point = POINTS[(t // 2) % len(POINTS)]
            how = f"killed at {point}"
            r = detente("analyze", corpus, "--store", store, *args, env={"DETENTE_TEST_CRASH_AT": point})
            assert r.returncode == 137, (r.returncode, r.stderr[-500:])
        committed = _committed(store)
        stale = None
        if (store / "detente-store.json").exists():
            from detente.store import Store

            stale = Store(store).derived_stale()
        stale_after_kill += bool(stale)
        r = detente("analyze", corpus, "--store", store, *args)
        ok = r.returncode == 0 and events_of(store) == clean
        same += ok
        repaired = "repaired" in r.stdout
        print(f"trial {t:2d}: {how:38s} batches committed {committed:2d}, stale {'yes' if stale else 'no ':3s}, "
              f"re-run exit {r.returncode}, {'repaired, ' if repaired else ''}"
              f"{'identical to clean' if ok else 'DIFFERENT'}")
    print(f"{same}/{trials} re-runs identical to the clean run ({stale_after_kill} kills left stale derived tables)")


def long_text(n: int) -> None:
    """One article of ``n`` characters (the example articles repeated) through ``analyze_batch``:
    peak memory and time, in this process (chunked parsing keeps the parse to 100,000 characters)."""
    import resource

    sys.path.insert(0, str(ROOT / "src"))
    from detente.config import Config
    from detente.ingest.readers import make_article
    from detente.pipeline import analyze_batch, load_resources

    res = load_resources(Config().model)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    corpus = "\n\n".join(p.read_text("utf-8") for p in sorted(EXAMPLES.glob("*.md")))
    text = (corpus * (n // len(corpus) + 1))[:n]
    art = make_article("long", text, "long.md", "md", {}, [], 0, Config(max_text_chars=10**9))
    t0 = time.perf_counter()
    r = analyze_batch([art], res)[0]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{len(text):,} characters: model loaded {base / 1024:.0f} MB, peak {peak / 1024:.0f} MB, "
          f"{time.perf_counter() - t0:.1f} s; {len(r.actors)} actor mentions, {len(r.events)} event mentions")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["hostile", "kills", "long"])
    ap.add_argument("--chars", type=int, default=1_000_000)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--trials", type=int, default=12)
    ap.add_argument("--articles", type=int, default=12)
    a = ap.parse_args()
    out = a.out or Path(tempfile.mkdtemp(prefix=f"detente-{a.what}-"))
    if a.what == "long":
        long_text(a.chars)
    elif a.what == "hostile":
        hostile(out)
    else:
        kills(out, a.trials, a.articles)


if __name__ == "__main__":
    main()
