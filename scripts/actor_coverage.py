"""How actors get their codes: from the KB, from text cues, a sector alone, or not at all
(dev tool, not shipped).

usage: python scripts/actor_coverage.py [SHARED_DIR] [--split tune|check|all] [--show N]

Over the sentences of ``plv_dev.jsonl`` (the ``tune`` half by default), three counts,
each split into four classes by the mention's ``basis``:

* ``kb``: the code rests on a name the KB knows (a person, organisation, armed group,
  country, demonym, capital or seat, a role noun after one of them, or a short
  reference to such a mention);
* ``text``: the name is missing from the KB and the country comes from a cue in the
  text (a nationality or title, a place in the name or in a place phrase, an
  affiliation, the sentence's country);
* ``sector``: the actor is coded with a sector and no country (``GOV``, ``BUS``,
  ``JUD``, ``PER``...), because the text says nothing about its country;
* ``uncoded``: no code.

1. *mentions*: every actor mention the resolver returns (no ``uncoded`` class);
2. *event arguments*: the source and target of every event ``detente code`` yields, an
   argument with text but no actor being ``uncoded``;
3. *gold arguments*: every gold source/target span of ``plv_dev``, classed by the
   mention that overlaps it (``uncoded`` when none does).

It also prints the share of events whose source or target text is uncoded, and what
the uncoded arguments name by the NER (a person, an organisation or group, a place,
a common noun phrase such as "the ban").

``--show N`` prints N uncoded event arguments and gold spans (for finding phenomena;
use it on ``tune`` only).
"""

from __future__ import annotations

import argparse
import random
from collections import Counter

from detente.actors import load_kb, resolve_doc
from detente.coding import code_doc, load_lexicon
from detente.evaluate import load_sets
from detente.nlp import load_pipeline
from detente.types import Basis

KB_BASES = frozenset({Basis.KB_ENTITY, Basis.INTERNATIONAL, Basis.ARMED_GROUP, Basis.PERSON,
                      Basis.FORMER_TITLE, Basis.COUNTRY, Basis.COUNTRY_LOCATIVE,
                      Basis.MISSPELT_COUNTRY, Basis.DEMONYM, Basis.CAPITAL, Basis.SEAT,
                      Basis.PREDECESSOR_SEAT, Basis.ROLE_NOUN, Basis.ROLE_OF_COUNTRY,
                      Basis.COREFERENCE})
CLASSES = ("kb", "text", "sector", "uncoded")


def klass(m) -> str:
    """The class of an actor mention (module docstring); None -> uncoded."""
    if m is None:
        return "uncoded"
    if not m.country:
        # IGOs and blocs are KB names whose codes have no country by nature
        return "kb" if m.basis == Basis.INTERNATIONAL or m.basis == Basis.ARMED_GROUP else "sector"
    return "kb" if m.basis in KB_BASES else "text"


def overlapping(mentions, start: int, end: int):
    best = None
    for m in mentions:
        if m.start < end and start < m.end:
            if best is None or min(m.end, end) - max(m.start, start) > \
                    min(best.end, end) - max(best.start, start):
                best = m
    return best


def what_is(doc, start: int, end: int) -> str:
    """What an uncoded argument's span names, by the NER: a person, an organisation or
    group (a named actor left uncoded), a place, or a common noun phrase."""
    labels = {e.label_ for e in doc.ents if e.start_char < end and start < e.end_char}
    if "PERSON" in labels:
        return "person"
    if labels & {"ORG", "NORP"}:
        return "organisation/group"
    if labels & {"GPE", "LOC", "FAC"}:
        return "place"
    return "common noun phrase"


def table(title: str, c: Counter) -> None:
    n = sum(c.values())
    cells = "  ".join(f"{k} {c[k]:5d} ({100 * c[k] / n:4.1f}%)" for k in CLASSES if k in c or k != "uncoded")
    print(f"{title:<16} n={n:5d}  {cells}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("shared", nargs="?", default="../shared")
    ap.add_argument("--split", default="tune", choices=("tune", "check", "all"))
    ap.add_argument("--show", type=int, default=0)
    a = ap.parse_args()
    recs = [r for r in load_sets(a.shared)["plv_dev.jsonl"] if a.split in ("all", r["split"])]
    nlp, kb, lex = load_pipeline(), load_kb(), load_lexicon()
    mentions, args, gold = Counter(), Counter(), Counter()
    events, unc_kind = Counter(), Counter()
    by_basis: Counter = Counter()
    unc_args, unc_gold = [], []
    for r, doc in zip(recs, nlp.pipe([r["text"] for r in recs])):
        ms = resolve_doc(doc, r["id"], None, kb)
        for m in ms:
            mentions[klass(m)] += 1
            by_basis[(klass(m), m.basis)] += 1
        for e in code_doc(doc, ms, r["id"], None, lex, kb):
            events["events"] += 1
            for side in ("source", "target"):
                text, start = getattr(e, side + "_text"), getattr(e, side + "_start")
                if not text:
                    continue
                m = overlapping(ms, start, getattr(e, side + "_end")) if \
                    getattr(e, side + "_actor") else None
                args[klass(m)] += 1
                if m is None:
                    events[side + " uncoded"] += 1
                    unc_kind[what_is(doc, start, getattr(e, side + "_end"))] += 1
                    unc_args.append((side, text, r["text"]))
        for p in r.get("pairs") or []:
            for side in ("source", "target"):
                span = p.get(side + "_span") or p.get(side)
                if not isinstance(span, (list, tuple)) or len(span) != 2:
                    continue
                m = overlapping(ms, span[0], span[1])
                gold[klass(m)] += 1
                if m is None:
                    unc_gold.append((side, r["text"][span[0]:span[1]], r["text"]))
    print(f"plv_dev {a.split}: {len(recs)} sentences")
    table("mentions", mentions)
    table("event arguments", args)
    table("gold arguments", gold)
    n = max(events["events"], 1)
    print(f"events {events['events']}: source text uncoded {events['source uncoded']} "
          f"({100 * events['source uncoded'] / n:.1f}%), target text uncoded "
          f"{events['target uncoded']} ({100 * events['target uncoded'] / n:.1f}%)")
    print("uncoded event arguments by what they name: " + ", ".join(
        f"{k} {v}" for k, v in unc_kind.most_common()))
    print("mentions by class and basis:")
    for (k, b), n in sorted(by_basis.items(), key=lambda x: (CLASSES.index(x[0][0]), -x[1])):
        print(f"  {k:<7} {b:<20} {n:5d}")
    if a.show:
        rnd = random.Random(0)
        for title, rows in (("uncoded event arguments", unc_args), ("uncoded gold arguments", unc_gold)):
            print(f"\n{title} (sample of {min(a.show, len(rows))} of {len(rows)}):")
            for side, text, sent in rnd.sample(rows, min(a.show, len(rows))):
                print(f"  [{side[0]}] {text!r}  <<  {sent[:200]}")


if __name__ == "__main__":
    main()
