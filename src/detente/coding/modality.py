"""Modality, hedging and attribution of one event predicate.

``assess(trigger)`` looks at the dependency parse around the token that
triggered an event and says whether the event is reported as having happened
(``asserted``), as planned or wanted (``intent``), as possible or conditional
(``hypothetical``) or as not having happened (``negated``); whether the report
is hedged ("reportedly", "is said to", "sources said"); and whose claim it is
(the subject of a reporting verb whose complement holds the trigger, "according
to X", "as the X report states").

How it works. From the trigger we walk up a *governing chain*: the trigger, the
verb a noun trigger is the object of, and the verbs/adjectives that control it
through infinitival complements (xcomp: "plans to *visit*"), "be + adjective"
("would be willing to *update*"), infinitival relative clauses ("little reason
to *rein in*"), "bent on *restoring*", and subject-sharing conjuncts ("will meet
and *sign*"). Every element of the chain contributes cues from its auxiliaries,
negations and adverbs; the elements reached through a complement also
contribute their own meaning ("refused", "plans", "willing"). That-clauses
(ccomp) end the chain, but their governor may still negate ("denied that"),
make hypothetical ("it is possible that") or hedge ("it is believed that").

Precedence when several cues apply: **negated > hypothetical > intent >
asserted**. Two refinements: "would" on a desire verb ("would like to sell")
is a cue for *intent*, not a hypothetical; and "would" in the complement of a
past-tense reporting verb ("Lavrov said Russia would send troops") is the
future-in-the-past, also *intent*. Hedging is independent of modality:
"Kim reportedly would like to develop ties" is intent and hedged.

Word lists are data (``coding/data/modality.yaml``); only structure is code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from spacy.tokens import Token

from ..actors import children_of, doc_cache, doc_column, sent_of
from ..types import MODALITIES
from .args import charged_with, claimed_by, content_clause_owner, warned_against
from .modality_lexicon import ModalityLexicon, lexicon_from_dict, load_modality_lexicon

@dataclass(frozen=True, slots=True)
class ModalityResult:
    """What :func:`assess` found for one trigger."""

    modality: str  # "asserted" | "intent" | "hypothetical" | "negated"
    hedged: bool
    attribution: tuple[int, int] | None  # char span in doc.text of the claim's source
    attribution_text: str | None
    cues: tuple[str, ...]  # the words that decided it, for explanations


# ---------------------------------------------------------------- helpers

_SUBJ = ("nsubj", "nsubjpass", "csubj", "expl")


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def _forms(tok: Token) -> set[str]:
    """The lemma plus naive stems of the word form, to survive lemmatizer slips
    ("hopes" -> "hop"): hopes/hoped/hoping -> hope."""
    low = tok.lower_
    out = {tok.lemma_.lower(), low}
    if low.endswith("ies"):
        out.add(low[:-3] + "y")
    if low.endswith("s"):
        out.update((low[:-1], low[:-2]))
    if low.endswith("ed"):
        out.update((low[:-1], low[:-2]))
    if low.endswith("ing"):
        out.update((low[:-3], low[:-3] + "e"))
    return out


def _in(tok: Token, words: frozenset[str]) -> bool:
    return not _forms(tok).isdisjoint(words)


def _has_subject(tok: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "csubj") for c in children_of(tok))


def _is_to_clause(tok: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in children_of(tok))


def _is_infinitival(tok: Token) -> bool:
    """A clause "to VERB" without a subject of its own."""
    return (
        any(c.dep_ == "aux" and c.lower_ == "to" for c in children_of(tok))
        and not _has_subject(tok)
    )


def _is_past(tok: Token) -> bool:
    """Past tense, on the verb or its auxiliaries ("told", "did tell", "had told")."""
    if tok.tag_ == "VBD":
        return True
    return any(c.dep_ in ("aux", "auxpass") and c.tag_ == "VBD" for c in children_of(tok))


def _is_passive(tok: Token) -> bool:
    return any(c.dep_ == "auxpass" for c in children_of(tok)) or any(
        c.dep_ == "nsubjpass" for c in children_of(tok)
    )


def _verb_lemma(tok: Token, lex: ModalityLexicon) -> str:
    """Lemma, repairing a verb tagged as plural noun ("as the report *states*")."""
    lem = _lemma(tok)
    if tok.pos_ == "NOUN" and tok.dep_ in ("advcl", "ROOT", "ccomp", "conj") and tok.lower_.endswith("s"):
        alt = tok.lower_[:-1]
        if alt in lex.reporting_verbs:
            return alt
    return lem


def governing_chain(trigger: Token) -> list[tuple[Token, str]]:
    """The trigger and the words that govern its modality, with the arc used.

    Arcs: ``self``, ``obj`` (noun trigger -> its verb), ``xcomp``, ``acomp``
    (adjective -> copula), ``inf`` (infinitival relative/adverbial clause ->
    its head), ``pcomp`` ("bent on restoring"), ``conj`` (subject-sharing
    conjunct -> first conjunct). That-clauses are not crossed.
    """
    # a pure function of the parse that modality, attribution and dates each ask for, and
    # attribution again for every clause it climbs (four times per token on average):
    # kept per document (actors.doc_cache), a fresh list per call
    cache = doc_cache(trigger.doc)
    key = ("governing_chain", trigger.i)
    if key not in cache:
        cache[key] = tuple(_governing_chain(trigger))
    return list(cache[key])


def _governing_chain(trigger: Token) -> list[tuple[Token, str]]:
    chain: list[tuple[Token, str]] = [(trigger, "self")]
    cur = trigger
    seen = {trigger.i}
    if cur.pos_ in ("NOUN", "PROPN") and cur.dep_ in ("dobj", "attr", "oprd") and cur.head.i != cur.i:
        cur = cur.head
        chain.append((cur, "obj"))
        seen.add(cur.i)
    for _ in range(12):
        dep, head = cur.dep_, cur.head
        if head.i == cur.i:
            break
        if dep == "xcomp":
            arc = "xcomp"
        elif dep == "acomp" and cur.pos_ == "ADJ":
            arc = "acomp"
        elif dep in ("relcl", "acl", "advcl") and _is_infinitival(cur):
            arc = "inf"
        elif dep == "pcomp" and head.dep_ == "prep" and head.head.pos_ == "ADJ":
            head = head.head
            arc = "pcomp"
        elif dep == "conj" and not _has_subject(cur) and head.pos_ in ("VERB", "AUX", "ADJ"):
            arc = "conj"
        elif cur.pos_ in ("NOUN", "PRON") and chain[-1][1] == "inf" and dep in ("dobj", "attr", "oprd"):
            arc = "obj"
        else:
            break
        if head.i in seen:
            break
        seen.add(head.i)
        chain.append((head, arc))
        cur = head
    return chain


def clause_top(trigger: Token) -> Token:
    """The highest token of the trigger's governing chain (its clause head)."""
    return governing_chain(trigger)[-1][0]


def reported_clause_head(token: Token, lexicon: ModalityLexicon | None = None) -> Token | None:
    """For a reporting verb (or "made an announcement"), the head of what it reports.

    "TASS *reported* that Kim and Putin exchange messages" -> "exchange". Returns
    None when ``token`` is not a reporting predicate or has no complement clause.
    """
    lex = lexicon or load_modality_lexicon()
    lem = _verb_lemma(token, lex)
    if lem in lex.reporting_verbs:
        for c in children_of(token):
            if c.dep_ in ("ccomp", "parataxis") and c.pos_ in ("VERB", "AUX"):
                return c
        for c in children_of(token):
            if c.dep_ == "dobj" and _lemma(c) in lex.reporting_nouns:
                return _noun_clause(c)
        return None
    if lem in lex.reporting_nouns:
        return _noun_clause(token)
    for c in children_of(token):
        if c.dep_ == "dobj" and _lemma(c) in lex.reporting_nouns:
            return _noun_clause(c)
    return None


def _noun_clause(noun: Token) -> Token | None:
    for c in children_of(noun):
        if c.dep_ in ("acl", "ccomp", "relcl") and any(m.dep_ == "mark" for m in children_of(c)):
            return c
    return None


def _np_span(tok: Token) -> tuple[int, int]:
    """Char span of the noun phrase headed by ``tok`` (compounds, appositives,
    of-phrases), leaving out relative clauses and edge punctuation."""
    drop: set[int] = set()
    for c in children_of(tok):
        if c.dep_ in ("relcl", "acl", "advcl", "cc") or (c.dep_ == "punct" and c.i > tok.i and c.text in ".!?"):
            drop.update(t.i for t in c.subtree)
    toks = [t for t in tok.subtree if t.i not in drop]
    while toks and (toks[0].is_punct or toks[0].dep_ == "cc"):
        toks.pop(0)
    while toks and (toks[-1].is_punct or toks[-1].dep_ == "cc"):
        toks.pop()
    if not toks:
        return tok.idx, tok.idx + len(tok.text)
    first, last = toks[0], toks[-1]
    return first.idx, last.idx + len(last.text)


def _subject_of(verb: Token) -> Token | None:
    for c in children_of(verb):
        if c.dep_ in ("nsubj", "csubj"):
            return c
    for c in children_of(verb):  # passive with an agent: "it was reported by TASS"
        if c.dep_ == "agent":
            for p in children_of(c):
                if p.dep_ == "pobj":
                    return p
    if verb.dep_ == "conj" and verb.head.i != verb.i:
        # "..., and state media speculated that": the small model sometimes
        # hangs the second conjunct's subject elsewhere; take the nominal
        # between the conjunction and the verb if there is one.
        doc = verb.doc
        k = verb.i - 1
        while k > verb.head.i and doc[k].dep_ not in ("cc", "punct"):
            if doc[k].pos_ in ("NOUN", "PROPN", "PRON") and doc[k].dep_ != "compound":
                return doc[k]
            k -= 1
        return _subject_of(verb.head)  # "Lavrov arrived and said that"
    return None


# ------------------------------------------------------------ attribution

def _according(tok: Token, lex: ModalityLexicon) -> Token | None:
    for c in children_of(tok):
        if c.dep_ == "prep" and (c.lower_ in lex.according_words or _lemma(c) in lex.according_words):
            for to in children_of(c):
                if to.dep_ == "prep":
                    for p in children_of(to):
                        if p.dep_ == "pobj":
                            return p
    return None


def _as_states(tok: Token, lex: ModalityLexicon) -> Token | None:
    """ "As the TASS report states, ..." -> the report."""
    for c in children_of(tok):
        if c.dep_ == "advcl" and _verb_lemma(c, lex) in lex.reporting_verbs and any(
            m.dep_ == "mark" and m.lower_ == "as" for m in children_of(c)
        ):
            return _subject_of(c)
    return None


def _accused_act(top: Token, lex: ModalityLexicon) -> bool:
    """``top`` is the act of "accused/charged/blamed X *of/for doing*": a claim of the
    accuser, not a fact the text asserts."""
    h = top.head
    return (top.dep_ == "pcomp" and h.dep_ == "prep" and h.head.i != h.i
            and (h.lower_ in ("of", "for") or charged_with(h))
            and _lemma(h.head) in lex.accusation_verbs)


def find_attribution(trigger: Token, lexicon: ModalityLexicon | None = None) -> tuple[Token, str] | None:
    """The head of whoever the claim about ``trigger`` is attributed to, and how."""
    lex = lexicon or load_modality_lexicon()
    cur = trigger
    for _ in range(20):
        for tok, _arc in governing_chain(cur):
            src = _according(tok, lex)
            if src is not None:
                return src, "according to"
            src = _as_states(tok, lex)
            if src is not None:
                return src, "as ... states"
        claim = claimed_by(cur)  # "the Houthis *claimed* the attack": the noun's own verb
        if claim is not None and (subj := _subject_of(claim)) is not None:
            return subj, _lemma(claim)
        top = clause_top(cur)
        head = top.head
        if head.i == top.i:
            return None
        if top.dep_ in ("ccomp", "parataxis") and _verb_lemma(head, lex) in lex.reporting_verbs \
                and not _denies_its_object(head, top):
            subj = _subject_of(head)
            # impersonal "it is reported that" has no source (it is a hedge instead)
            if subj is not None and subj.dep_ != "expl" and subj.lower_ != "it":
                return subj, _verb_lemma(head, lex)
        if _accused_act(top, lex):  # "Seoul accused Pyongyang of firing shells"
            subj = _subject_of(head.head)
            if subj is not None:
                return subj, _lemma(head.head)
        claim = claimed_by(top)
        if claim is not None and (subj := _subject_of(claim)) is not None:
            return subj, _lemma(claim)
        if top.dep_ in ("acl", "ccomp") and _lemma(head) in lex.reporting_nouns:
            poss = next((c for c in children_of(head) if c.dep_ == "poss"), None)
            if poss is not None:
                return poss, _lemma(head)
            gov = head.head if head.dep_ in ("dobj", "attr") else None
            if gov is not None:
                subj = _subject_of(gov)
                if subj is not None:
                    return subj, _lemma(head)
        cur = head
    return None


# ------------------------------------------------------------------ assess

def _neg_exception(tok: Token, lex: ModalityLexicon) -> bool:
    """ "no matter", "not only": negation words that negate nothing."""
    low, i = doc_column(tok.doc, "lower_"), tok.i  # the words, read once per document
    return i + 1 < len(low) and f"{low[i]} {low[i + 1]}" in lex.negation_exceptions


def _neg_cues(tok: Token, lex: ModalityLexicon) -> Iterator[str]:
    for c in children_of(tok):
        if _neg_exception(c, lex) or any(_neg_exception(g, lex) for g in children_of(c) if g.i < c.i):
            continue
        if c.dep_ == "neg" and c.lower_ != "only" and (c.lower_ in lex.negation_words or _lemma(c) in lex.negation_words):
            yield c.text
        elif c.dep_ == "advmod":
            if c.lower_ in lex.negation_words:
                yield c.text
            elif any(g.dep_ == "neg" and g.lower_ in lex.negation_words for g in children_of(c)):
                # "no longer", "not yet", "not anymore"
                yield " ".join(t.text for t in sorted([c, *[g for g in children_of(c) if g.dep_ == "neg"]], key=lambda t: t.i))
        elif c.dep_ in ("dobj", "nsubj", "nsubjpass", "attr"):
            if c.lower_ in lex.negative_pronouns:
                yield c.text
            for d in children_of(c):
                if d.dep_ == "det" and d.lower_ in lex.negative_determiners:
                    yield f"{d.text} {c.text}"


def _aux_cues(tok: Token, lex: ModalityLexicon, reported_past: bool) -> Iterator[tuple[str, str]]:
    """(kind, cue) pairs from a chain element's modal auxiliaries."""
    for c in children_of(tok):
        if c.dep_ not in ("aux", "auxpass") or c.tag_ != "MD":
            continue
        lem = _lemma(c)
        if lem in lex.intent_modals or c.lower_ in lex.intent_modals:
            yield "intent", c.text
        elif lem in lex.hypothetical_modals or c.lower_ in lex.hypothetical_modals:
            if lem == "would" and _lemma(tok) in lex.desire_verbs:
                yield "intent", f"{c.text} {tok.text}"
            elif lem == "would" and reported_past:
                yield "intent", f"{c.text} (reported future)"
            else:
                yield "hyp", c.text


def _is_conditional_clause(tok: Token, lex: ModalityLexicon) -> str | None:
    """If ``tok`` heads an if/unless clause or an inverted conditional, its cue."""
    if tok.dep_ != "advcl":
        return None
    for c in children_of(tok):
        if c.dep_ == "mark" and c.lower_ in lex.conditional_marks:
            if any(a.dep_ == "advmod" and a.lower_ in lex.concessive_if_modifiers for a in children_of(tok)) or any(
                a.dep_ == "advmod" and a.lower_ in lex.concessive_if_modifiers for a in children_of(c)
            ):
                return None
            return c.text
        if c.dep_ == "mark" and c.lower_ in lex.pending_marks and any(
                a.dep_ == "aux" and a.lower_ in lex.intent_modals | {"would"} for a in children_of(tok.head)):
            return c.text
    subj = next((c for c in children_of(tok) if c.dep_ in ("nsubj", "nsubjpass", "expl")), None)
    if subj is None:
        return None
    aux = [c for c in children_of(tok) if c.dep_ in ("aux", "auxpass") and c.i < subj.i]
    cands = aux + ([tok] if tok.pos_ == "AUX" and tok.i < subj.i else [])
    for a in cands:
        if _lemma(a) in lex.inversion_auxiliaries and a.i == tok.left_edge.i:
            return f"{a.text} (inversion)"
    return None


def _exclusion(tok: Token, lex: ModalityLexicon) -> bool:
    prt = next((c.lower_ for c in children_of(tok) if c.dep_ == "prt"), None)
    lem = _lemma(tok)
    return (f"{lem} {prt}" if prt else lem) in lex.exclusion_verbs


def _alternative(tok: Token, lex: ModalityLexicon) -> str | None:
    """The marker when ``tok`` is the alternative not taken: the object of "rather than" /
    "instead of" ("*rather than attacking* Syria", "*instead of* sanctions"), or a clause
    opened by "than" under a verb with "rather" ("would rather talk *than attack*")."""
    h = tok.head
    if h.i == tok.i:
        return None
    if tok.dep_ in ("pcomp", "pobj"):
        for c in children_of(h):
            if c.dep_ == "advmod" and f"{c.lower_} {h.lower_}" in lex.alternative_markers:
                return f"{c.text} {h.text}"
    if tok.dep_ == "advcl":
        for m in children_of(tok):
            if m.dep_ in ("mark", "prep", "cc"):
                for c in children_of(h):
                    if c.dep_ == "advmod" and f"{c.lower_} {m.lower_}" in lex.alternative_markers:
                        return f"{c.text} {m.text}"
    return None


def _withheld(tok: Token, lex: ModalityLexicon) -> str | None:
    """The cue when ``tok`` is the gerund after "refrained from", "stopped short of",
    "far from" (the word the preposition hangs on is a withholding word)."""
    h = tok.head
    if tok.dep_ in ("pcomp", "pobj") and h.dep_ == "prep" and h.lower_ in ("from", "of") \
            and h.head.i != h.i and _in(h.head, lex.withholding_heads) and tok.pos_ == "VERB":
        return f"{h.head.text} {h.text}"
    return None


def _governing_noun(tok: Token) -> Token | None:
    """The noun whose complement ``tok`` is: "reason *to attack*", "intention *of
    attacking*", "chance *that* Cuba sends" (not a relative clause: "no country that
    attacked" is about the country)."""
    h = tok.head
    if h.i == tok.i:
        return None
    if tok.dep_ in ("acl", "relcl") and h.pos_ == "NOUN" and (
            _is_infinitival(tok) or any(c.dep_ == "mark" and c.lower_ == "that" for c in children_of(tok))):
        return h
    if tok.dep_ == "pcomp" and h.lower_ == "of" and h.head.pos_ == "NOUN" and h.head.i != h.i:
        return h.head
    return None


def _prospect_cues(tok: Token, lex: ModalityLexicon) -> tuple[list[str], list[str]]:
    """(negating, hypothetical) cues of the noun governing ``tok``: "*no* intention of",
    "*little* reason to", "a *chance* that"."""
    noun = _governing_noun(tok)
    if noun is None:
        return [], []
    for c in children_of(noun):
        if c.dep_ == "det" and c.lower_ in lex.negative_determiners \
                and f"{c.lower_} {noun.lower_}" not in lex.negation_exceptions:
            return [f"{c.text} {noun.text}"], []
        if c.dep_ == "amod" and c.lower_ in lex.scarcity_modifiers:
            return [], [f"{c.text} {noun.text}"]
    if _lemma(noun) in lex.prospect_nouns:
        return [], [noun.text]
    return [], []


def _hedge_cues(tok: Token, arc: str, lex: ModalityLexicon) -> Iterator[str]:
    for c in children_of(tok):
        if c.dep_ == "advmod" and (c.lower_ in lex.hedge_adverbs or _lemma(c) in lex.hedge_adverbs):
            yield c.text
    if arc in ("xcomp", "acomp", "pcomp"):
        lem = _lemma(tok)
        if lem in lex.hedge_raising_verbs:
            yield f"{tok.text} to"
        elif lem in lex.hedge_passive_verbs and _is_passive(tok):
            yield f"{tok.text} to"
        elif tok.pos_ == "ADJ" and lem in lex.hedge_adjectives:
            yield f"{tok.text} to"


def _denies_its_object(gov: Token, clause: Token) -> bool:
    """ "Pakistan blamed India, *a charge New Delhi denied*": the parser hangs the clause
    before the denial on it, but what is denied is its own object after the clause (the
    charge), and the clause itself stands."""
    return clause.i < gov.i and any(c.dep_ == "dobj" and c.i > clause.i for c in children_of(gov))


def assess(trigger: Token, lexicon: ModalityLexicon | None = None) -> ModalityResult:
    """Modality, hedging and attribution of the event triggered by ``trigger``."""
    lex = lexicon or load_modality_lexicon()
    chain = governing_chain(trigger)
    top = chain[-1][0]
    neg: list[str] = []
    hyp: list[str] = []
    intent: list[str] = []
    hedges: list[str] = []

    gov = top.head if top.dep_ in ("ccomp", "parataxis") and top.head.i != top.i else None
    reported_past = gov is not None and _verb_lemma(gov, lex) in lex.reporting_verbs and gov.tag_ in ("VBD", "VBN")

    for k, (tok, arc) in enumerate(chain):
        tok_neg = list(_neg_cues(tok, lex))
        if tok.dep_ == "pcomp" and warned_against(tok.head):
            hyp.append(f"{tok.head.head.text} against")  # "warned against sending warships"
        if k > 0 and arc in ("xcomp", "obj") and _exclusion(tok, lex):
            # "ruled out talks": negated; "did not rule out talks": left open
            (hyp if tok_neg else neg).append(" ".join([*tok_neg, tok.text]))
            tok_neg = []
        neg.extend(tok_neg)
        for kind, cue in _aux_cues(tok, lex, reported_past and tok.i == top.i):
            (intent if kind == "intent" else hyp).append(cue)
        for c in children_of(tok):
            if c.dep_ == "advmod" and c.lower_ in lex.hypothetical_adverbs:
                hyp.append(c.text)
            elif c.dep_ == "advcl" and not _is_past(tok):
                # the consequence of a conditional ("if X, Y will ..."); a past-tense
                # main clause is rhetorical or factual ("If that's not enough, Lavrov told ...")
                cue = _is_conditional_clause(c, lex)
                if cue:
                    hyp.append(cue)
        cue = _is_conditional_clause(tok, lex)
        if cue:
            hyp.append(cue)
        alt = _alternative(tok, lex)
        if alt:
            neg.append(alt)
        held = _withheld(tok, lex)
        if held:
            neg.append(held)
        if arc == "xcomp" and k > 0 and _lemma(tok) in ("have", "be") and any(
                c.dep_ == "advmod" and c.lower_ in lex.pending_adverbs
                and c.i + 1 < len(c.doc) and c.nbor(1).lower_ == "to" for c in children_of(tok)):
            neg.append(f"{tok.text} yet to")  # "has yet to recognize" (not "yet another")
        if arc == "inf" and tok.pos_ == "NOUN" and _lemma(tok) in lex.negating_nouns:
            neg.append(f"{tok.text} to")  # "Cuba's refusal to help"
        no_cue, maybe_cue = _prospect_cues(tok, lex)
        neg.extend(no_cue)
        hyp.extend(maybe_cue)
        hedges.extend(_hedge_cues(tok, arc, lex))
        # the meaning of words reached through a complement
        if arc in ("xcomp", "acomp", "pcomp", "inf", "obj") and k > 0:
            lem = _lemma(tok)
            if arc in ("xcomp", "pcomp") and _in(tok, lex.negating_control_verbs):
                neg.append(tok.text)
            elif arc == "xcomp" and _in(tok, lex.intent_control_verbs) and lem != "be" and _is_to_clause(chain[k - 1][0]):
                if lem == "go" and tok.tag_ != "VBG":
                    pass
                elif lem in ("set", "schedule") and not _is_passive(tok) and tok.tag_ != "VBN":
                    pass
                else:
                    intent.append(f"{tok.text} to")
            elif arc == "xcomp" and lem == "be" and tok.pos_ in ("AUX", "VERB") and not any(
                c.dep_ == "acomp" for c in children_of(tok)
            ):
                intent.append(f"{tok.text} to")
            elif arc in ("xcomp", "pcomp") and tok.pos_ == "ADJ" and lem in lex.intent_adjectives:
                intent.append(f"{tok.text} {'on' if arc == 'pcomp' else 'to'}")
            elif arc == "xcomp" and tok.pos_ == "ADJ" and lem in lex.hypothetical_predicates:
                hyp.append(f"{tok.text} to")
            elif arc == "inf" and tok.pos_ == "NOUN" and lem in lex.directive_nouns:
                hyp.append(f"{tok.text} to")  # "its call for Russia to withdraw"
            elif arc == "inf" and tok.pos_ == "NOUN" and lem in lex.intent_nouns:
                intent.append(f"{tok.text} to")
    # "a *potential* Cuban intervention", "the *planned* visit": an event noun's modifier
    if trigger.pos_ == "NOUN":
        # "is *preparing* new sanctions" (intent), "is *considering* sanctions" (not decided)
        if trigger.dep_ == "dobj" and trigger.head.pos_ == "VERB":
            if _lemma(trigger.head) in lex.intent_object_verbs:
                intent.append(trigger.head.text)
            elif _lemma(trigger.head) in lex.hypothetical_object_verbs:
                hyp.append(trigger.head.text)
        for c in children_of(trigger):
            if c.dep_ in ("amod", "compound") and c.lower_ in lex.hypothetical_modifiers:
                hyp.append(c.text)
            elif c.dep_ in ("amod", "compound") and c.lower_ in lex.intent_modifiers:
                intent.append(c.text)
    # "too weak to attack", "too late for Iran to act": an infinitive reached from a word
    # of excess (or from the verb such a word modifies) does not happen
    for tok, arc in chain[1:]:
        if arc not in ("xcomp", "inf"):
            continue
        for h in [tok, *(c for c in children_of(tok) if c.dep_ in ("acomp", "advmod"))]:
            if h.pos_ not in ("ADJ", "ADV"):
                continue  # "Iraq *too* wants to attack": "too" on a verb is "also"
            too = next((c for c in children_of(h) if c.dep_ == "advmod"
                        and c.lower_ in lex.excess_adverbs), None)
            if too is not None:
                neg.append(f"{too.text} {h.text} to")
    # the trigger itself as a looking/seeking predicate: "is looking for a patron"
    if _lemma(trigger) == "look" and any(c.dep_ == "prep" and c.lower_ == "for" for c in children_of(trigger)):
        intent.append(f"{trigger.text} for")
    # governor of a that-clause
    if gov is not None:
        glem = _verb_lemma(gov, lex)
        if glem in lex.negating_clause_verbs and not _denies_its_object(gov, top):
            neg.append(gov.text)
        elif glem in lex.negating_clause_verbs:
            hedges.append(gov.text)  # the clause stands, but as a contested claim
        if glem in lex.hedging_reporting_verbs:
            hedges.append(gov.text)
        if glem in lex.hedge_passive_verbs and _is_passive(gov):
            hedges.append(f"{gov.text} that")
        if glem in lex.hedge_raising_verbs:
            hedges.append(f"{gov.text} that")
        for c in children_of(gov):
            if c.dep_ in ("acomp", "attr") and _lemma(c) in lex.hypothetical_predicates:
                hyp.append(c.text)
            elif c.dep_ in ("acomp", "attr") and _lemma(c) in lex.hedge_adjectives:
                hedges.append(c.text)
        if _lemma(gov) in lex.hypothetical_predicates:
            hyp.append(gov.text)
        elif _lemma(gov) in lex.hedge_adjectives:
            hedges.append(gov.text)
    # the that-clause of a noun: "accusations that X sold ..." (a claim: hedged);
    # "denied reports that it had sent ..." (denied: negated)
    noun = top.head if top.dep_ in ("acl", "ccomp") and top.head.i != top.i else None
    if noun is not None and noun.pos_ == "NOUN" and any(c.dep_ == "mark" for c in children_of(top)):
        nlem = _lemma(noun)
        if nlem in lex.claim_nouns:
            hedges.append(noun.text)
        if (nlem in lex.claim_nouns or nlem in lex.reporting_nouns) and noun.dep_ in ("dobj", "nsubjpass") \
                and _verb_lemma(noun.head, lex) in lex.negating_clause_verbs:
            neg.append(noun.head.text)
    # "..., a charge Baku denied": the clause is a claim someone denies
    for c in children_of(top):
        if c.dep_ in ("npadvmod", "appos", "dobj") and c.i > trigger.i and _lemma(c) in lex.claim_nouns \
                and any(r.dep_ == "relcl" and _verb_lemma(r, lex) in lex.negating_clause_verbs
                        for r in children_of(c)):
            hedges.append(c.text)
    if _accused_act(top, lex):
        hedges.append(f"{top.head.head.text} {top.head.text}")
    if (claim := claimed_by(top) or claimed_by(trigger)) is not None:
        hedges.append(f"{claim.text} responsibility")
    # the content of a demand or call: "its demand *that Israel ease* restrictions", "its
    # call *for Russia to withdraw*"
    owner = content_clause_owner(top)
    if owner is not None and _lemma(owner) in lex.directive_nouns:
        mark = next(m.lower_ for m in children_of(top) if m.dep_ == "mark")
        hyp.append(f"{owner.text} {mark}")
    # questions
    sent = sent_of(trigger)  # trigger.sent, from the sentences read once per document
    last = next((t for t in reversed(sent) if not t.is_space and t.text not in ('"', "”", "'", "’", ")")), None)
    if last is not None and last.text == "?":
        q = last.head  # the clause the question mark closes, not a run-on headline before it
        if q.i == trigger.i or q.is_ancestor(trigger):
            hyp.append("?")

    attribution = find_attribution(trigger, lex)
    span = text = None
    if attribution is not None:
        head, how = attribution
        span = _np_span(head)
        # the span's own tokens, not doc.text[a:b]: Doc.text joins every token of the doc anew
        # (a tenth of the coder's time); the span starts and ends at token boundaries
        sp = trigger.doc.char_span(span[0], span[1])
        text = sp.text if sp is not None else trigger.doc.text[span[0]:span[1]]
        if how in lex.hedging_reporting_verbs and (gov is None or _verb_lemma(gov, lex) != how):
            hedges.append(how)
        if _lemma(head) in lex.vague_source_nouns and not any(
            t.pos_ == "PROPN" for t in head.subtree
        ):
            hedges.append(text)
        else:
            for t in head.subtree:
                if t.lower_ in lex.vague_source_modifiers and t.head.i == head.i:
                    hedges.append(text)
                    break

    if neg:
        modality, cues = "negated", neg
    elif hyp:
        modality, cues = "hypothetical", hyp
    elif intent:
        modality, cues = "intent", intent
    else:
        modality, cues = "asserted", []
    all_cues = tuple(dict.fromkeys([*cues, *hedges]))
    return ModalityResult(
        modality=modality,
        hedged=bool(hedges),
        attribution=span,
        attribution_text=text,
        cues=all_cues,
    )


__all__ = [
    "ModalityLexicon",
    "ModalityResult",
    "assess",
    "load_modality_lexicon",
    "lexicon_from_dict",
    "governing_chain",
    "clause_top",
    "reported_clause_head",
    "find_attribution",
    "MODALITIES",
]
