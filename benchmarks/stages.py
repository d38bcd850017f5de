"""Per-stage cost: spaCy parse, actor resolution and event coding, on the same parsed docs.

    python benchmarks/stages.py [--corpus examples/articles] [--repeat 2]
    python benchmarks/stages.py --words 200000 [--trials 3]   # the corpus of throughput.py --e2e
    python benchmarks/stages.py --words 200000 --components --trials 2   # spaCy's components, stock vs detente's

Parses the corpus once (timed), then resolves actors and codes events on those docs
(each timed), after a warm-up on a few documents (the gazetteer and dateparser load
on first use, once per process). Prints each stage's seconds and its share of the
parse time: the bound is that the coder adds at most 20% to the parse, and the
learned parts (the argument arbiter, coding/arbiter.py, and the type arbiter,
coding/typer.py) at most 10% together; the coder is timed with the rules alone, with
the argument arbiter, and with both models (the type model is off as shipped), on the
same docs.
The loaded model, KB and lexicon are frozen out of the garbage collector's walks
(``gc.freeze``) as the engines freeze them. Each stage is given in wall seconds and in
CPU seconds of this process (``time.process_time``): on a shared machine the wall clock
also counts other jobs, the CPU time only this one's work. ``--words N`` draws the distinct articles of
``throughput.py --e2e N`` (the end-to-end benchmark's corpus) instead of ``--corpus``;
``--trials K`` times actors and coder K times on the same parsed docs and keeps each
one's fastest (CPU) trial (a later trial finds the per-process caches warm: the dates
dateparser resolved, the patterns of each word).
On each Doc the shipped coder (the arbiter on) runs right after the actors, as in
``analyze``; the other variants run after it and reuse the per-document reads it made,
so their figures, and the arbiter's share computed from them, are a little flattered.
Not a test: machines are shared and noisy; run it when you want numbers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import time

from detente.actors import load_kb, resolve_doc
from detente.coding import code_doc, load_lexicon
from detente.coding.typer import load_typer
from detente.config import Config
from detente.ingest import read_inputs
from detente.ingest.clean import mask
from detente.nlp import load_pipeline
from detente.pipeline import PIPE_BATCH
from detente.types import Article


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", nargs="+", default=["examples/articles"])
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--words", type=int, default=0,
                    help="distinct articles of about this many words, as throughput.py --e2e makes them")
    ap.add_argument("--trials", type=int, default=1, help="time actors and coder this many times; keep the fastest")
    ap.add_argument("--components", action="store_true",
                    help="instead: the CPU of each spaCy component, stock pipeline against detente's")
    args = ap.parse_args(argv)
    if args.words:
        import shutil
        import tempfile
        from pathlib import Path

        from throughput import make_corpus  # benchmarks/throughput.py

        tmp = Path(tempfile.mkdtemp(prefix="detente-stages-"))
        make_corpus(tmp, args.words)
        arts = [a for a in read_inputs([str(tmp)]) if isinstance(a, Article)]
        shutil.rmtree(tmp, ignore_errors=True)
        load = f"load average {os.getloadavg()[0]:.1f}"
    else:
        arts = [a for a in read_inputs(args.corpus) if isinstance(a, Article)] * args.repeat
        load = ""
    texts = [mask(a.text, a.masked) for a in arts]
    if args.components:
        return components(texts, max(args.trials, 1), load)
    dates = [dt.date.fromisoformat(a.published[:10]) if a.published else None for a in arts]
    nlp, kb, lex = load_pipeline(), load_kb(), load_lexicon()
    for doc, d in zip(nlp.pipe(texts[:4]), dates):  # warm-up: first-use loads
        code_doc(doc, resolve_doc(doc, "w", d, kb), "w", d, lex, kb)
    # as the engines do once the model, KB and lexicon are loaded (engines/local.py): the
    # cyclic garbage collector stops walking them, so a full collection set off by the
    # parse's or the coder's allocations is not charged with visiting them all again
    gc.freeze()
    # the parse as `analyze` runs it: streamed, in nlp.pipe batches of PIPE_BATCH texts, each
    # Doc let go once it is coded. This is the denominator: spaCy's default batch of 1000
    # texts costs more CPU (about 44 against 32 CPU s on the benchmark corpus), which would
    # flatter every share.
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(texts, batch_size=PIPE_BATCH):
        pass
    parse, parse_cpu = time.perf_counter() - t0, time.process_time() - c0
    # spaCy's pipeline as shipped, the same way: detente's own is that pipeline with its
    # attribute ruler replaced by an exact, faster one (nlp.py), so the shares are given
    # against both
    import spacy

    stock = spacy.load(Config().model)
    list(stock.pipe(texts[:4]))
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in stock.pipe(texts, batch_size=PIPE_BATCH):
        pass
    stock_parse, stock_cpu = time.perf_counter() - t0, time.process_time() - c0
    del stock
    t0, c0 = time.perf_counter(), time.process_time()
    docs = list(nlp.pipe(texts, batch_size=PIPE_BATCH))
    kept, kept_cpu = time.perf_counter() - t0, time.process_time() - c0
    typer = load_typer()  # timed whether or not the shipped lexicon switches it on
    best: dict[str, tuple[float, float]] = {}  # stage -> (wall, CPU) of its fastest trial
    # the coder as shipped: the argument arbiter on, the type model as the lexicon says
    shipped = "both" if lex.settings.type_model else "arbiter"
    # the shipped coder runs right after the actors, as in analyze; the other variants run
    # after it on the same Doc and find the per-document reads (actors.doc_cache: chains,
    # chunks, sentences) already made, so they are flattered and the shipped one is not
    names = ("actors", shipped, *(k for k in ("rules", "arbiter", "both") if k != shipped))
    for _ in range(args.trials):
        # article by article, as the pipeline runs them (analyze_doc: the actors, then the
        # coder, on one Doc), each stage timed apart; the coder's variants on the same Doc
        spent = {k: [0.0, 0.0] for k in names}
        counts = {k: 0 for k in names[1:]}
        clock = (time.perf_counter(), time.process_time())
        for i, (doc, d) in enumerate(zip(docs, dates)):
            for k in names:
                if k == "actors":
                    a = resolve_doc(doc, str(i), d, kb)
                else:
                    arb, typ = {"rules": (False, False), "arbiter": (None, False), "both": (None, typer)}[k]
                    counts[k] += len(code_doc(doc, a, str(i), d, lex, kb, arb, typ))
                now = (time.perf_counter(), time.process_time())
                spent[k][0] += now[0] - clock[0]
                spent[k][1] += now[1] - clock[1]
                clock = now
        for k in names:
            if k not in best or spent[k][1] < best[k][1]:
                best[k] = (spent[k][0], spent[k][1])
    n_rules, n_arb, n = counts["rules"], counts["arbiter"], counts["both"]
    words = sum(len(t.split()) for t in texts)
    print(f"{len(arts)} articles, {words:,} words, {n} event mentions ({n_rules} by the rules alone, "
          f"{n_arb} with the arbiter){'; ' + load if load else ''}")
    print(f"{'stage':<17}{'wall s':>8}{'CPU s':>8}   share of the parse (CPU)")
    print(f"{'parse':<17}{parse:8.2f}{parse_cpu:8.2f}   (streamed; every Doc kept: {kept:.2f} s, "
          f"CPU {kept_cpu:.2f} s)")
    print(f"{'stock spaCy':<17}{stock_parse:8.2f}{stock_cpu:8.2f}   (spacy.load as shipped, streamed: "
          f"detente's parse is {parse_cpu / stock_cpu:.1%} of its CPU)")
    labels = {"actors": "actors", "rules": "coder, rules", "arbiter": "coder + arbiter",
              "both": "coder + both"}
    for k, label in labels.items():
        wall, cpu = best[k]
        extra = ""
        if k == "arbiter":
            extra = f"; the arbiter {(cpu - best['rules'][1]) / parse_cpu:.1%}"
        elif k == "both":
            extra = (f"; the type model {(cpu - best['arbiter'][1]) / parse_cpu:.1%}, both models "
                     f"{(cpu - best['rules'][1]) / parse_cpu:.1%}")
        print(f"{label:<17}{wall:8.2f}{cpu:8.2f}   {cpu / parse_cpu:.1%}{extra}")
    act, code = best["actors"][1], best[shipped][1]
    print(f"actors + coder as shipped ({'both models' if shipped == 'both' else 'the arbiter'}): "
          f"{act + code:.2f} CPU s, {(act + code) / parse_cpu:.1%} of the parse's CPU "
          f"(wall: {(best['actors'][0] + best[shipped][0]) / parse:.1%}); the goal is 10%; "
          f"{(act + code) / stock_cpu:.1%} of stock spaCy's")
    if args.trials > 1:
        print(f"(actors and coder: fastest of {args.trials} trials on the same docs; the parse: one)")
    print(f"(the shipped coder timed first on each Doc; the other variants after it, on reads it "
          f"made; load average {os.getloadavg()[0]:.1f} at the end)")


def components(texts: list[str], trials: int, load: str) -> None:
    """CPU seconds of each component of spaCy's pipeline as shipped and of detente's
    (``load_pipeline``), run one after the other over the same texts in PIPE_BATCH batches,
    the fastest of ``trials`` runs each, alternating."""
    import spacy

    pipes = {"stock": spacy.load(Config().model), "detente": load_pipeline()}
    best: dict[str, dict[str, float]] = {k: {} for k in pipes}
    for _ in range(trials):
        for key, nlp in pipes.items():
            list(nlp.pipe(texts[:4]))
            c0 = time.process_time()
            docs = [nlp.make_doc(t) for t in texts]
            spent = {"tokenizer": time.process_time() - c0}
            for name, proc in nlp.pipeline:
                c0 = time.process_time()
                if hasattr(proc, "pipe"):
                    docs = list(proc.pipe(docs, batch_size=PIPE_BATCH))
                else:
                    docs = [proc(d) for d in docs]
                spent[name] = time.process_time() - c0
            for name, cpu in spent.items():
                best[key][name] = min(cpu, best[key].get(name, cpu))
    names = list(dict.fromkeys([*best["stock"], *best["detente"]]))
    print(f"{len(texts)} texts, {sum(len(t.split()) for t in texts):,} words; fastest of {trials}"
          f"{'; ' + load if load else ''}")
    print(f"{'component':<20}{'stock CPU s':>12}{'detente CPU s':>15}")
    for name in names:
        a, b = best["stock"].get(name), best["detente"].get(name)
        print(f"{name:<20}{'' if a is None else f'{a:.2f}':>12}{'' if b is None else f'{b:.2f}':>15}")
    ta, tb = sum(best["stock"].values()), sum(best["detente"].values())
    print(f"{'total':<20}{ta:>12.2f}{tb:>15.2f}   detente's is {tb / ta:.1%} of the stock pipeline's CPU")


if __name__ == "__main__":
    main()
