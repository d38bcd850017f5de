"""What each actor rule contributes: ``detente eval`` figures with one rule switched off.

    python scripts/ablate_rules.py [../shared]

Runs the gold sets of ``<shared>/eval`` once with every rule and once per rule with
that rule disabled (``resolve_doc(..., disable=(rule,))``), and prints a Markdown
table of the ``tune``-half figures and their change against the full run (the README's
ablation table; ``check`` is left out, being read only as a score). Each sentence is parsed once and the parsed Docs are reused by every run.
A last column counts the actor mentions of the example corpus and the seed
articles (when ``../shared`` has them) with the rule off: the dev sets are single
sentences, so rules for longer text show there. Development tool: the package
never needs ``../shared``.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import detente.actors as actors
from detente.actors import load_kb, rule_order
from detente.coding import load_lexicon
from detente.evaluate import run_eval
from detente.ingest import mask, read_inputs
from detente.nlp import load_pipeline
from detente.pipeline import parse_date
from detente.types import Article

ROOT = Path(__file__).resolve().parents[1]

METRICS = [("plover_gsr_dev.jsonl", "plover_type_top1", "PLOVER type"),
           ("plover_gsr_dev.jsonl", "source_country", "source country"),
           ("plover_gsr_dev.jsonl", "target_country", "target country"),
           ("conflibert_pentaclass_train.jsonl", "pentaclass_accuracy", "pentaclass"),
           ("conflibert_srctgt_train.bio", "source_span", "source span"),
           ("conflibert_srctgt_train.bio", "target_span", "target span"),
           ("plv_dev.jsonl", "dyad_linked", "plv dyad linked"),
           ("plv_dev.jsonl", "pair_type", "plv pair typed")]


class ParsedOnce:
    """An nlp stand-in whose ``pipe`` parses each text once per process."""

    def __init__(self, nlp):
        self.nlp, self.cache = nlp, {}

    def pipe(self, texts, batch_size=64):
        texts = list(texts)
        todo = [t for t in dict.fromkeys(texts) if t not in self.cache]
        for t, doc in zip(todo, self.nlp.pipe(todo, batch_size=batch_size)):
            self.cache[t] = doc
        return [self.cache[t] for t in texts]


def figures(shared: str, nlp, kb, lex, disable: tuple[str, ...]) -> dict:
    # evaluate.run_eval resolves actors through detente.actors.resolve_doc; the ablation
    # swaps that one public name for the same function with rules disabled.
    original = actors.resolve_doc
    actors.resolve_doc = functools.partial(original, disable=disable)
    try:
        rows = run_eval(shared, nlp=nlp, kb=kb, lexicon=lex)
    finally:
        actors.resolve_doc = original
    # the tune half (GUIDE §6: decisions are read on tune; check is only a score)
    return {(r.dataset, r.metric): r.value for r in rows if r.split in ("tune", "all")}


def corpus_docs(nlp, shared: str) -> list:
    """(doc, article id, article date) of examples/articles and the seeds (undated)."""
    paths = [ROOT / "examples" / "articles"]
    seeds = Path(shared) / "corpus" / "seeds"
    if seeds.is_dir():
        paths.append(seeds)
    arts = [a for a in read_inputs(paths) if isinstance(a, Article)]
    docs = nlp.pipe([mask(a.text, a.masked) for a in arts])  # as analyze_batch parses them
    return [(doc, a.article_id, parse_date(a.published)) for doc, a in zip(docs, arts)]


def mentions(docs, kb, disable: tuple[str, ...]) -> int:
    return sum(len(actors.resolve_doc(doc, aid, date, kb, disable=disable)) for doc, aid, date in docs)


def main(argv: list[str]) -> int:
    shared = argv[0] if argv else str(ROOT.parent / "shared")
    nlp, kb, lex = ParsedOnce(load_pipeline()), load_kb(), load_lexicon()
    docs = corpus_docs(nlp, shared)
    base = figures(shared, nlp, kb, lex, ())
    n_base = mentions(docs, kb, ())
    head = "| rule disabled | " + " | ".join(m[2] for m in METRICS) + " | actor mentions (corpus) |"
    print(head)
    print("|" + "---|" * (len(METRICS) + 2))
    print("| (none: all rules) | " + " | ".join(f"{base[m[:2]]:.3f}" for m in METRICS) + f" | {n_base} |")
    for r in rule_order():
        f = figures(shared, nlp, kb, lex, (r.name,))
        cells = []
        for m in METRICS:
            d = f[m[:2]] - base[m[:2]]
            cells.append(f"{f[m[:2]]:.3f} ({d:+.3f})" if abs(d) >= 0.0005 else f"{f[m[:2]]:.3f} (=)")
        n = mentions(docs, kb, (r.name,))
        cells.append(f"{n} ({n - n_base:+d})")
        print(f"| `{r.name}` | " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
