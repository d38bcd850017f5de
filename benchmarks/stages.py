"""Per-stage cost: spaCy parse, actor resolution and event coding, on the same parsed docs.

    python benchmarks/stages.py [--corpus examples/articles] [--repeat 2]

Parses the corpus once (timed), then resolves actors and codes events on those docs
(each timed), after a warm-up on a few documents (the gazetteer and dateparser load
on first use, once per process). Prints each stage's seconds and its share of the
parse time: the bound is that the coder adds at most 20% to the parse, and the
learned parts (the argument arbiter, coding/arbiter.py, and the type arbiter,
coding/typer.py) at most 10% together; the coder is timed with the rules alone, with
the argument arbiter, and with both models (the type model is off as shipped), on the
same docs.
Not a test: machines are shared and noisy; run it when you want numbers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

from detente.actors import load_kb, resolve_doc
from detente.coding import code_doc, load_lexicon
from detente.coding.typer import load_typer
from detente.ingest import read_inputs
from detente.ingest.clean import mask
from detente.nlp import load_pipeline
from detente.types import Article


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", nargs="+", default=["examples/articles"])
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args(argv)
    arts = [a for a in read_inputs(args.corpus) if isinstance(a, Article)] * args.repeat
    texts = [mask(a.text, a.masked) for a in arts]
    dates = [dt.date.fromisoformat(a.published[:10]) if a.published else None for a in arts]
    nlp, kb, lex = load_pipeline(), load_kb(), load_lexicon()
    for doc, d in zip(nlp.pipe(texts[:4]), dates):  # warm-up: first-use loads
        code_doc(doc, resolve_doc(doc, "w", d, kb), "w", d, lex, kb)
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts))
    t1 = time.perf_counter()
    actors = [resolve_doc(doc, str(i), d, kb) for i, (doc, d) in enumerate(zip(docs, dates))]
    t2 = time.perf_counter()
    n_rules = sum(len(code_doc(doc, a, str(i), d, lex, kb, False, False))
                  for i, (doc, a, d) in enumerate(zip(docs, actors, dates)))
    t3 = time.perf_counter()
    for i, (doc, a, d) in enumerate(zip(docs, actors, dates)):
        code_doc(doc, a, str(i), d, lex, kb, None, False)
    t4 = time.perf_counter()
    typer = load_typer()  # timed whether or not the shipped lexicon switches it on
    n = sum(len(code_doc(doc, a, str(i), d, lex, kb, None, typer))
            for i, (doc, a, d) in enumerate(zip(docs, actors, dates)))
    t5 = time.perf_counter()
    parse, act, rules, arb, code = t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4
    words = sum(len(t.split()) for t in texts)
    print(f"{len(arts)} articles, {words:,} words, {n} event mentions ({n_rules} by the rules alone)")
    print(f"parse            {parse:7.2f} s")
    print(f"actors           {act:7.2f} s  ({act / parse:.1%} of the parse)")
    print(f"coder, rules     {rules:7.2f} s  ({rules / parse:.1%} of the parse)")
    print(f"coder + arbiter  {arb:7.2f} s  ({arb / parse:.1%} of the parse; the arbiter "
          f"{(arb - rules) / parse:.1%})")
    print(f"coder + both     {code:7.2f} s  ({code / parse:.1%} of the parse; the type model "
          f"{(code - arb) / parse:.1%}; both models {(code - rules) / parse:.1%})")
    print(f"actors + coder: {(act + code) / parse:.1%} of the parse")


if __name__ == "__main__":
    main()
