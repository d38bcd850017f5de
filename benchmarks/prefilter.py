"""Would "parse only the sentences that can hold an event" pay? A measurement, not a feature.

    python benchmarks/prefilter.py --shared ../shared [--corpus examples/articles]

A prefilter must decide *before* the parse, so it can only look at word forms: here a
sentence is kept when one of its tokens (lower-cased, or with a regular inflection
stripped: "staged" -> "stage", "talks" -> "talk") is a trigger the lexicon knows (any
pattern lemma or wrapper lemma). Sentences are split by spaCy's rule-based sentencizer
and tokenised by the pipeline's own tokenizer; both are cheap next to the parse.

It reports:

* recall: the share of dev-set sentences that hold a gold event (every sentence of the
  PLOVER GSR, ConfliBERT pentaclass and plv_dev sets does) the prefilter keeps, on the
  ``tune`` halves and, as a score, the ``check`` halves;
* what it would save: the share of the corpus's sentences (and words) it drops, and the
  parse time of the kept sentences against the whole text, in the same run.

Irregular verb forms ("met", "held", "fought", "struck") have no suffix to strip, so a
form-based filter misses them unless the lexicon lists the form; that is part of what
this measures. Not a test: machines are shared and noisy; run it when you want numbers.
"""

from __future__ import annotations

import argparse
import time

from detente.coding import load_lexicon
from detente.coding.matching import uninflected  # the coder's own suffix rules
from detente.evaluate import load_sets
from detente.ingest import read_inputs
from detente.ingest.clean import mask
from detente.nlp import load_pipeline
from detente.types import Article


def vocabulary(lex) -> frozenset[str]:
    words = {lemma for (_, lemma) in lex.index} | set(lex.wrappers)
    return frozenset(w for w in words if w)


def keeps(tokens, vocab: frozenset[str]) -> bool:
    for t in tokens:
        w = t.lower_
        if w in vocab or any(g in vocab for g in uninflected(w)):
            return True
    return False


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--corpus", nargs="+", default=["examples/articles"])
    args = ap.parse_args(argv)
    nlp = load_pipeline()
    vocab = vocabulary(load_lexicon())
    tok = nlp.tokenizer
    print(f"trigger vocabulary: {len(vocab):,} word forms and lemmas")
    sets = load_sets(args.shared)
    for name, recs in sets.items():
        for split in ("tune", "check"):
            texts = [r["text"] for r in recs if r["split"] == split]
            kept = sum(keeps(tok(t), vocab) for t in texts)
            print(f"{name:36s} {split:5s} recall {kept / max(len(texts), 1):.3f} "
                  f"({len(texts) - kept} of {len(texts)} event sentences dropped)")
    import spacy

    splitter = spacy.blank("en")
    splitter.add_pipe("sentencizer")
    arts = [a for a in read_inputs(args.corpus) if isinstance(a, Article)]
    texts = [mask(a.text, a.masked) for a in arts]
    sents = [s for doc in splitter.pipe(texts) for s in doc.sents]
    kept = [s for s in sents if keeps(s, vocab)]
    words = sum(len(s) for s in sents)
    kept_words = sum(len(s) for s in kept)
    print(f"corpus: {len(arts)} articles, {len(sents):,} sentences; the prefilter keeps "
          f"{len(kept):,} ({len(kept) / len(sents):.0%}) and {kept_words / words:.0%} of tokens")
    list(nlp.pipe(texts[:5]))  # warm-up
    whole, part = [], []
    for _ in range(3):  # alternating, fastest of three: the machine is shared
        t0 = time.perf_counter()
        list(nlp.pipe(texts))
        t1 = time.perf_counter()
        list(nlp.pipe([s.text for s in kept]))
        t2 = time.perf_counter()
        whole.append(t1 - t0)
        part.append(t2 - t1)
    print(f"parse of the whole texts {min(whole):.2f} s; of the kept sentences only "
          f"{min(part):.2f} s ({min(part) / min(whole):.0%}; fastest of three each)")


if __name__ == "__main__":
    main()
