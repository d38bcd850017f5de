"""Which clear predicates between two resolved actors yield no event linking them
(dev tool, not shipped; issue 14 item 3).

usage: python scripts/predicate_coverage.py [--shared ../shared] [--show N] [--top K]

Over the ``tune`` sentences of every dev set (``evaluate.tune_records``: check texts of
every set left out, each text once; check sentences are never read here), each sentence
is parsed, its actors resolved and its events coded as ``detente code`` does. Then:

1. **Structural pairs** (no gold needed). Two resolved actor mentions (an actor code)
   are *connected through a clear predicate* when the dependency parse links them so:
   the first is the subject of a verb (``nsubj``; or the ``by`` agent of a passive, or the
   possessor/``by`` complement of an event noun of the lexicon: "X's sanctions on Y",
   "the attack by X on Y") and the second is reached from that predicate through objects,
   prepositions and the object's participial or infinitival complement, never through a
   new clause with its own subject (``ccomp``, ``relcl``, ``advcl``): "X fired rockets *at*
   Y", "X opened an investigation *into* Y's spending", "X passed a resolution
   *criticising* Y", "X agreed to help Y". A copula ("be") is not a predicate. The pair is
   *linked* when some event of the sentence has its source on one mention and its target
   on the other (either direction). The script prints the rate of unlinked pairs, why they
   are unlinked (no event on the predicate at all; an event but no source; no target;
   other arguments), and the predicate lemmas and constructions ranked by frequency.

2. **Gold pairs of ``plv_dev``** (tune half): of the marked source -> target pairs whose
   two spans both overlap a resolved mention, how many no event links, and how many of
   those the structural finder above connects through a clear predicate (the issue's
   "28%": both actors resolved, no event linking them).

The construction of a pair is the lemmas on the dependency path from the predicate to
the second actor's noun phrase ("open investigation into", "pass resolution criticise",
"fire at"); the predicate lemma is its first word.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from dataclasses import dataclass

from detente.actors import load_kb, resolve_doc
from detente.coding import code_doc, load_lexicon
from detente.evaluate import load_sets, span_hit, tune_records
from detente.nlp import load_pipeline

# edges followed from the predicate down to the second actor; a new clause with its own
# subject (ccomp, relcl, advcl, parataxis) is a different predication and is not followed
DOWN = {"dobj", "dative", "prep", "pobj", "pcomp", "xcomp", "acl", "oprd", "attr", "agent",
        "nsubjpass", "conj", "appos", "compound", "poss", "nmod", "npadvmod", "advmod"}
# edges inside the second actor's noun phrase (after its head is reached)
NP = {"poss", "compound", "conj", "appos", "amod", "nmod"}
# edges that reach the head of a noun phrase
NP_HEAD = {"dobj", "pobj", "nsubjpass", "dative", "attr", "oprd", "appos"}
MAX_DEPTH = 5  # tokens on the path from the predicate to the second actor's head
MAX_VERBS = 2  # the predicate and at most one complement verb ("agreed to help Y")
# prepositions of circumstance, place or comparison: their object is where, when or why
# an act happens, not whom it is done to ("during a campaign", "in the capital", "as
# doctors"); "in front of" is kept (a protest in front of an embassy is against its owner)
CIRCUMSTANCE = {"during", "amid", "after", "before", "following", "since", "despite", "due",
                "because", "until", "as", "like", "including", "such", "in", "near",
                "within", "across", "throughout", "inside", "over", "beside", "besides",
                "via", "than", "except", "per", "among", "amongst"}


@dataclass
class Pair:
    a: object  # ActorMention: the subject side
    b: object  # ActorMention: the object side
    pred: object  # Token: the predicate
    path: list  # Tokens from the predicate to b's head
    construction: str


def head_of(doc, m):
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    return span.root if span is not None else None


def subject_predicate(t, lex):
    """The predicate a mention's head is the subject (or agent, or possessor of an event
    noun) of, with the edges of its own that the down-walk must not take (None if none)."""
    while t.dep_ in ("conj", "appos", "compound") and t.head is not t:
        t = t.head  # "Russia and China", "Zarif, Iran's minister", "U.S. forces"
    if t.dep_ == "nsubj":
        p = t.head
        ok = p.pos_ in ("VERB", "AUX") and p.lemma_.lower() not in ("be", "have")
        return (p, t) if ok else (None, None)
    if t.dep_ == "pobj" and t.head.lower_ == "by":
        by = t.head
        if by.dep_ == "agent":
            return by.head, by  # passive: "Y was attacked by X"
        if by.dep_ == "prep" and by.head.pos_ == "NOUN" and lex.patterns("noun", by.head.lemma_.lower()):
            return by.head, by  # "the attack by X on Y"
    if t.dep_ == "poss" and t.head.pos_ == "NOUN" and lex.patterns("noun", t.head.lemma_.lower()):
        return t.head, t  # "X's sanctions against Y"
    return None, None


def construction(path) -> str:
    """Lemmas from the predicate to the second actor's noun phrase, that phrase left out."""
    cut = len(path)
    for i in range(len(path) - 1, 0, -1):  # the NP: a head reached by NP_HEAD, then NP edges
        if path[i].dep_ in NP_HEAD and all(x.dep_ in NP for x in path[i + 1:]):
            cut = i
            break
    words = [t.lemma_.lower() for t in path[:cut] if t.pos_ in ("VERB", "NOUN", "ADP", "AUX", "ADJ", "PROPN")
             or t.dep_ in ("prep", "agent")]
    return " ".join(words) or path[0].lemma_.lower()


def _event_noun(t, lex) -> bool:
    """A noun that carries an event: in the lexicon, or the object of a light verb."""
    lem = t.lemma_.lower()
    return bool(lex.patterns("noun", lem)) or (
        t.dep_ in ("dobj", "nsubjpass") and t.head.lemma_.lower() in lex.settings.light_verbs)


def _may_follow(t, c, lex) -> bool:
    """Whether the walk from ``t`` may take the edge to its child ``c``."""
    if c.dep_ not in DOWN:
        return False
    if c.dep_ == "prep":
        if c.lower_ in CIRCUMSTANCE and not (c.lower_ == "in" and any(
                x.lower_ == "front" for x in c.children)):
            return False
    if c.dep_ in ("xcomp", "acl") and any(x.dep_ in ("nsubj", "nsubjpass") for x in c.children):
        return False  # a complement with its own subject is a new predication
    if t.pos_ in ("NOUN", "PROPN") and t.dep_ in NP_HEAD and not _event_noun(t, lex):
        # inside a plain noun phrase only its own parts and an "of" owner ("positions
        # *of* Hezbollah") lead to an actor, not its own modifiers' clauses
        return c.dep_ in NP or (c.dep_ == "prep" and c.lower_ == "of")
    return True


def find_pairs(doc, mentions, lex) -> list[Pair]:
    """Mention pairs connected through a clear predicate (module docstring)."""
    heads = {}
    for m in mentions:
        if not m.code:
            continue
        h = head_of(doc, m)
        if h is not None:
            heads.setdefault(h.i, m)
    out = []
    for m in mentions:
        if not m.code:
            continue
        h = head_of(doc, m)
        if h is None:
            continue
        pred, own = subject_predicate(h, lex)
        if pred is None:
            continue
        passive = own is not None and own.dep_ == "agent"
        # coordinated verbs share the subject: each is a predicate of its own
        preds = [pred] + [c for c in pred.children if c.dep_ == "conj" and c.pos_ == "VERB"
                          and not any(x.dep_ in ("nsubj", "nsubjpass") for x in c.children)]
        for p in preds:
            stack = [(p, [p])]
            seen = {p.i, h.i} | {c.i for c in p.children if c.dep_ == "conj" and c.pos_ == "VERB"}
            while stack:
                t, path = stack.pop()
                for c in t.children:
                    if c.i in seen or c is own or not _may_follow(t, c, lex):
                        continue
                    if c.dep_ == "nsubjpass" and not (passive and t is p):
                        continue
                    p2 = path + [c]
                    if sum(x.pos_ in ("VERB", "AUX") for x in p2) > MAX_VERBS:
                        continue
                    seen.add(c.i)
                    other = heads.get(c.i)
                    if other is not None and other is not m and not (
                            other.start < m.end and m.start < other.end):
                        out.append(Pair(m, other, p, p2, construction(p2)))
                    if len(p2) < MAX_DEPTH:
                        stack.append((c, p2))
    return out


def linked(pair: Pair, events) -> bool:
    a, b = (pair.a.start, pair.a.end), (pair.b.start, pair.b.end)
    for e in events:
        if span_hit(e.source_start, e.source_end, a) and span_hit(e.target_start, e.target_end, b):
            return True
        if span_hit(e.source_start, e.source_end, b) and span_hit(e.target_start, e.target_end, a):
            return True
    return False


def why(pair: Pair, events) -> str:
    """Why a connected pair is unlinked: no event triggered on the path; or the event(s)
    on the path miss a source, a target, or have other arguments."""
    on_path = {t.idx for t in pair.path[:-1]}
    evs = [e for e in events if e.trigger_start in on_path]
    if not evs:
        return "no event on the predicate"
    a, b = (pair.a.start, pair.a.end), (pair.b.start, pair.b.end)
    if any(e.source_start is None for e in evs) and not any(
            span_hit(e.source_start, e.source_end, a) for e in evs):
        return "event, no source"
    if any(e.target_start is None for e in evs) and not any(
            span_hit(e.target_start, e.target_end, b) for e in evs):
        return "event, no target"
    return "event, other arguments"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--show", type=int, default=0, help="print N unlinked pairs (tune only)")
    ap.add_argument("--top", type=int, default=25)
    a = ap.parse_args()
    sets = load_sets(a.shared)
    seen: set[str] = set()  # plv_dev first, so its gold pairs are kept for part 2
    recs = list(tune_records(sets, "plv_", seen)) + list(tune_records(sets, "", seen))
    nlp, kb, lex = load_pipeline(), load_kb(), load_lexicon()
    n_pairs = n_unlinked = 0
    reasons, preds, constr = Counter(), Counter(), Counter()
    all_preds = Counter()
    shown = []
    gold_n = gold_res = gold_unlinked = gold_pred = 0
    gold_constr = Counter()
    for r, doc in zip(recs, nlp.pipe([r["text"] for r in recs], batch_size=64)):
        ms = resolve_doc(doc, r["id"], None, kb)
        evs = code_doc(doc, ms, r["id"], None, lex, kb)
        pairs = find_pairs(doc, ms, lex)
        for p in pairs:
            n_pairs += 1
            all_preds[p.pred.lemma_.lower()] += 1
            if linked(p, evs):
                continue
            n_unlinked += 1
            reasons[why(p, evs)] += 1
            preds[p.pred.lemma_.lower()] += 1
            constr[p.construction] += 1
            shown.append((p.a.text, p.construction, p.b.text, why(p, evs), r["text"]))
        for gp in r.get("pairs") or []:
            gold_n += 1
            src = [m for m in ms if m.code and span_hit(m.start, m.end, gp["source"])]
            tgt = [m for m in ms if m.code and span_hit(m.start, m.end, gp["target"])]
            if not (src and tgt):
                continue
            gold_res += 1
            fake = [Pair(s, t, None, [], "") for s in src for t in tgt]
            if any(linked(f, evs) for f in fake):
                continue
            gold_unlinked += 1
            found = [p for p in pairs if {id(p.a), id(p.b)} & {id(x) for x in src}
                     and {id(p.a), id(p.b)} & {id(x) for x in tgt}]
            if found:
                gold_pred += 1
                gold_constr[found[0].construction] += 1
    print(f"tune sentences: {len(recs)}")
    print(f"structural pairs (two resolved actors, a clear predicate between them): {n_pairs}")
    print(f"  unlinked: {n_unlinked} ({100 * n_unlinked / max(n_pairs, 1):.1f}%)")
    for k, v in reasons.most_common():
        print(f"    {k:<28} {v:5d} ({100 * v / max(n_unlinked, 1):.1f}% of unlinked)")
    print(f"\nunlinked pairs by predicate lemma (top {a.top}; lemma: unlinked/all):")
    for k, v in preds.most_common(a.top):
        print(f"  {k:<20} {v:4d}/{all_preds[k]:<4d}")
    print(f"\nunlinked pairs by construction (top {a.top}):")
    for k, v in constr.most_common(a.top):
        print(f"  {k:<40} {v:4d}")
    print(f"\nplv_dev gold pairs (tune): {gold_n}; both actors resolved {gold_res}; "
          f"no event links them {gold_unlinked} ({100 * gold_unlinked / max(gold_n, 1):.1f}% of all "
          f"pairs); of these, connected through a clear predicate {gold_pred} "
          f"({100 * gold_pred / max(gold_n, 1):.1f}% of all pairs)")
    for k, v in gold_constr.most_common(a.top):
        print(f"  {k:<40} {v:4d}")
    if a.show:
        rnd = random.Random(0)
        print(f"\nunlinked pairs (sample of {min(a.show, len(shown))} of {len(shown)}):")
        for x in rnd.sample(shown, min(a.show, len(shown))):
            print(f"  {x[0]!r} --[{x[1]}]--> {x[2]!r}  ({x[3]})  <<  {x[4][:220]}")


if __name__ == "__main__":
    main()
