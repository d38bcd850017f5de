"""The coder: triggers -> CAMEO code + source/target + modality + date + evidence.

Pattern matching lives in :mod:`detente.coding.matching`, source/target roles in
:mod:`detente.coding.roles` (over the arcs of :mod:`detente.coding.args`); this module
builds the candidates, composes wrappers and codes the events.

For each sentence with at least one resolved actor:

1. **Verbs** (one dictionary lookup per token, by lemma): a wrapper verb with an
   infinitival/finite complement ("urged X to halt drills") is coded through the
   wrapper table from the complement's own code; otherwise the most specific matching
   pattern wins. The objects of a coded verb are consumed (not coded again as nouns).
2. **Event nouns** not consumed by a verb ("the visit to Russia by an envoy",
   "the US-led sanctions drive against Russia"), with arguments from the noun phrase or
   from the light verb governing it ("entered negotiations with").
3. Sources x targets are expanded over coordination, capped at ``max_sources`` x
   ``max_targets``; at most ``max_events_per_sentence`` events per sentence (highest
   confidence kept). An event needs a code matched by a pattern (there is no fallback
   code) and at least one resolved actor; ``needs_target`` patterns also need a target.

Confidence = base(pattern specificity) x source path factor x target path factor x
mean actor-resolution confidence, where base = min(0.95, 0.6 + 0.08 * specificity),
a path factor is 1.0 for a direct dependent and shrinks for each climb or NP search
step (see :mod:`detente.coding.args`), a missing source counts 0.6 and a missing
target ``no_target_factor``; the base is further multiplied by the clause factors of
``wrappers.yaml`` settings (subordinate arcs, circumstance prepositions, conditions,
hedged claims, reporting verbs), so the main clause's event ranks first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field, replace
from functools import cached_property

from spacy.tokens import Span, Token

from ..actors import at_event_date, children_of, doc_column, doc_sents, doc_text, doc_tokens
from ..actors.kb import KB
from ..types import ActorMention, Basis, EventMention
from .arbiter import ArbiterModel, DepPaths, Mention, features, load_arbiter, rank_features, \
    sentence_mentions
from .args import DOC_NOUNS, ActorIndex, Arg, agent_tokens, claimed_by, content_clause_owner, first_actors, is_for_clause, \
    is_passive, is_phone_call, object_tokens, participle_agent, postnominal_participle, prenominal_gerund, \
    prenominal_participle, prep_objects, sponsoring_participle, subject_tokens, warned_against
from .dates import is_historical, resolve_event_date
from .lexicon import Lexicon, Pattern
from .matching import FORCE_ROOTS, match, may_match
from .modality import assess
from .place_target import place_target
from .roles import BETWEEN, BLAME_LEMMAS, FROM, MATERIAL_ROOTS, PLACE_PREPS, locative_code, own_moved, \
    parties_of
from .roles import addressee_targets as _addressee_targets
from .roles import clause_subject_targets as _clause_subject_targets
from .roles import condition_targets as _condition_targets
from .roles import noun_args as _noun_args
from .roles import event_governor as _event_governor
from .roles import purpose_targets as _purpose_targets
from .roles import measure_subject, requesters_of
from .roles import target_np as _target_np
from .roles import verb_sources as _verb_sources
from .roles import verb_targets as _verb_targets
from .tables import CameoInfo, cameo_info
from .typer import TypeModel, load_typer, retype

_POS = {"VERB": "verb", "NOUN": "noun", "PROPN": "noun", "ADJ": "adj"}


def _verb_tagged_noun(t: Token) -> bool:
    """A clause's root the tagger called a noun though the parser gave it a subject and an
    object or particle: a present-tense verb of headline style ("EU and UN *hand* over
    medical supplies to ...")."""
    return t.pos_ == "NOUN" and t.dep_ == "ROOT" and any(c.dep_ == "nsubj" for c in children_of(t)) \
        and any(c.dep_ in ("dobj", "prt") for c in children_of(t))


_TO_PREPS = frozenset({"on", "upon", "to"})


@dataclass
class Candidate:
    trigger: Token
    code: str
    specificity: int
    sources: list[Arg]
    targets: list[Arg]
    pattern: Pattern | None = None
    symmetric: bool = False
    needs_target: bool = False
    consumed: set[int] = field(default_factory=set)
    wrapped: bool = False  # the code already comes from a control verb ("agreed to ...")
    target_np: Arg | None = None  # unresolved object NP, kept as evidence when no target
    judged_act: bool = False  # target_np is a material act praised or blamed, whose doer is unnamed


# ------------------------------------------------------------------------- wrappers

def _inner_of(t: Token, lemma: str, w) -> Token | None:
    ends = {o.right_edge.i + 1 for o in children_of(t) if o.dep_ == "dobj" and o.i > t.i}
    for c in children_of(t):
        if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX"):
            return c
        # "pushed for Congress to update the law": a for-to clause of an appeal/demand
        if w.target == "object" and is_for_clause(c):
            return c
        # "is committed to opening up the economy": a gerund after "to"
        if c.dep_ == "prep" and c.lower_ == "to" and c.i == t.i + 1:
            g = next((x for x in children_of(c) if x.dep_ == "pcomp" and x.tag_ == "VBG"), None)
            if g is not None:
                return g
        # "have sworn to fight" is sometimes parsed as an adverbial infinitive: accept one
        # whose "to" follows the wrapper directly, or the wrapper's object ("rejected loud
        # appeals to release")
        if c.dep_ == "advcl" and c.pos_ == "VERB" and any(
                a.dep_ == "aux" and a.lower_ == "to" and (0 < a.i - t.i <= 2 or a.i in ends)
                for a in children_of(c)):
            return c
        if c.dep_ == "ccomp" and lemma in w.ccomp and c.pos_ in ("VERB", "AUX"):
            return c
    for o in object_tokens(t) + prep_objects(t, _TO_PREPS):
        for c in children_of(o):
            if c.dep_ in ("acl", "xcomp", "relcl") and c.pos_ == "VERB" and \
                    any(a.dep_ == "aux" and a.lower_ == "to" for a in children_of(c)):
                return c
    return None


def _inner_code(inner: Token, lex: Lexicon, idx: ActorIndex) -> tuple[Pattern | None, set[int]]:
    """The pattern the complement verb matches (or its light-verb object noun)."""
    p = match(inner, "verb", lex, idx)
    if p is not None:
        return p, {inner.i}
    if inner.lemma_.lower() in lex.settings.light_verbs:
        for o in children_of(inner):
            if o.dep_ == "dobj":
                q = match(o, "noun", lex, idx)
                if q is not None:
                    return q, {inner.i, o.i}
    return None, set()


def _wrapped(t: Token, lex: Lexicon, idx: ActorIndex) -> Candidate | None:
    lemma = t.lemma_.lower()
    w = lex.wrappers[lemma]
    inner = _inner_of(t, lemma, w)
    if inner is None:
        return None
    ip, used = _inner_code(inner, lex, idx)
    if ip is None and lemma in w.weak and not is_for_clause(inner):
        return None
    code = w.rewrite(ip.code if ip else None)
    sources = _verb_sources(t, idx)
    if not sources and is_passive(t) and not agent_tokens(t):  # "Angola is committed to ..."
        sources = first_actors([(object_tokens(t), 0.9)], idx, 99)
    excl = {a.token for a in sources}
    if w.target == "object":
        isubj = [x for x in children_of(inner) if x.dep_ in ("nsubj", "nsubjpass")] \
            if inner.dep_ == "ccomp" or is_for_clause(inner) else []
        slots = [(object_tokens(t), 1.0), (prep_objects(t, _TO_PREPS), 1.0), (isubj, 0.9)]
        targets = first_actors(slots, idx, 99, excl) or _verb_targets(inner, ip, lex, idx, excl)
    else:
        # "rejected *Romania's* request to extradite him": the answer goes to who asked
        targets = (first_actors([(requesters_of(object_tokens(t)), 1.0)], idx, 99, excl)
                   or _verb_targets(inner, ip, lex, idx, excl, sources)
                   or _verb_targets(t, None, lex, idx, excl))
    spec = 1 + (ip.specificity if ip else 0)
    consumed = used | {inner.i} | {o.i for o in object_tokens(inner)}
    np_ = None
    if not targets:
        np_ = _target_np([object_tokens(t) if w.target == "object" else [],
                          object_tokens(inner), prep_objects(inner, lex.settings.target_preps)])
    return Candidate(t, code, spec, sources, targets, ip, False, False, consumed, True, np_)


def _directive_noun(t: Token, lex: Lexicon, idx: ActorIndex) -> Candidate | None:
    """ "renewed *its call for Russia to withdraw*", "its demand that Israel ease ...": a
    demanding or appealing noun (a lemma of an ``object``-target wrapper) with a content
    clause is that wrapper's event, from the noun's owner to the clause's subject, coded
    through the wrapper's map from the clause's verb."""
    w = lex.wrappers.get(t.lemma_.lower())
    if w is None or w.target != "object":
        return None
    owners = [t] + ([t.head] if t.dep_ == "dobj" else [])
    inner = next((c for h in owners for c in children_of(h)
                  if c.i > t.i and getattr(content_clause_owner(c), "i", None) == t.i), None)
    if inner is None:
        return None
    src_slots = [([c for c in children_of(t) if c.dep_ == "poss"], 0.95)]
    if t.dep_ == "dobj" and t.head.pos_ == "VERB":
        src_slots.append((subject_tokens(t.head)[0], 0.9))  # "Germany renewed its call"
    sources = first_actors(src_slots, idx, 99)
    isubj = [x for x in children_of(inner) if x.dep_ in ("nsubj", "nsubjpass")]
    targets = first_actors([(isubj, 0.9)], idx, 99, {a.token for a in sources})
    if not sources or not targets:
        return None
    ip, used = _inner_code(inner, lex, idx)
    code = w.rewrite(ip.code if ip else None)
    return Candidate(t, code, 1 + (ip.specificity if ip else 0), sources, targets, ip, False,
                     False, used | {t.i}, True)


def _obligation(t: Token, lex: Lexicon, idx: ActorIndex) -> Candidate | None:
    """"Russia said Sudan must return the helicopter": a speech verb whose that-clause has
    an obligation modal and an actor subject is a demand/appeal from the speaker to that
    actor (the modal's wrapper kind in ``settings.obligation_modals``)."""
    st = lex.settings
    for c in children_of(t):
        if c.dep_ != "ccomp" or c.pos_ not in ("VERB", "AUX"):
            continue
        kind = next((st.obligation_modals[a.lower_] for a in children_of(c)
                     if a.dep_ == "aux" and a.lower_ in st.obligation_modals), None)
        w = _wrapper_of_kind(lex, kind) if kind else None
        if w is None:
            continue
        subj = [x for x in children_of(c) if x.dep_ in ("nsubj", "nsubjpass")]
        targets = first_actors([(subj, 1.0)], idx, 99)
        if not any(a.actor.country or a.actor.code.startswith("IGO") for a in targets):
            continue
        sources = _verb_sources(t, idx)
        ip, used = _inner_code(c, lex, idx)
        consumed = used | {c.i} | {o.i for o in object_tokens(c)}
        return Candidate(t, w.rewrite(ip.code if ip else None), 1 + (ip.specificity if ip else 0),
                         sources, targets, ip, False, False, consumed, True)
    return None


_SELF_PRON = frozenset({"they", "it", "we", "he", "she", "i"})


def _claimed(t: Token, lex: Lexicon, idx: ActorIndex) -> Candidate | None:
    """ "The Houthis claimed that they had attacked the airport": an actor saying it did
    an act of force (roots 14-20) claims responsibility (015) toward that act's target."""
    for c in children_of(t):
        if c.dep_ != "ccomp" or c.pos_ not in ("VERB", "AUX"):
            continue
        subj = [x for x in children_of(c) if x.dep_ in ("nsubj", "nsubjpass")]
        if not subj or subj[0].lower_ not in _SELF_PRON:
            continue
        ip, used = _inner_code(c, lex, idx)
        if ip is None or ip.code[:2] not in _THREAT_ROOTS:
            continue
        sources = _verb_sources(t, idx)
        targets = _verb_targets(c, ip, lex, idx, {a.token for a in sources}, sources)
        # the claimed act itself stays an event of its own (attributed to the claimant)
        return Candidate(t, lex.settings.responsibility_code, 1 + ip.specificity, sources, targets,
                         ip, False, False, set(), True)
    return None


# --------------------------------------------------------------------------- coding

def candidates(sent: Span, lex: Lexicon, idx: ActorIndex, model: ArbiterModel | None = None,
               table: "MentionTable | None" = None) -> list[Candidate]:
    """The rules' event candidates of a sentence (trigger, code, proposed arguments); with
    ``model`` a verb candidate the rules left without a resolved actor or without a
    source is first re-read by the arbiter (see :func:`arbitrate`)."""
    out: list[Candidate] = []
    consumed: set[int] = set()
    tokens = doc_tokens(sent.doc)[0]  # the Doc's tokens, read once
    # each token's part of speech, arc and word, read once per document (doc_column): both
    # passes walk the sentence by index and take a word's Token only when its part of
    # speech makes it a candidate (a Token's ``.i`` is a property read)
    tpos, tdep = doc_column(sent.doc, "pos_"), doc_column(sent.doc, "dep_")
    tlower = doc_column(sent.doc, "lower_")
    span = range(sent.start, sent.end)
    for i in span:  # pass 1: verbs and predicative adjectives
        tp = tpos[i]
        if tp == "NOUN":  # a noun is a verb here only as a headline's root (else pass 2's)
            if tdep[i] != "ROOT" or not _verb_tagged_noun(tokens[i]):
                continue
            pos = "verb"
        else:
            pos = _POS.get(tp)
            if pos in (None, "noun"):
                continue
        if i in consumed:
            continue
        t = tokens[i]
        cand = None
        lemma = t.lemma_.lower()
        if pos == "verb" and lemma in lex.settings.speech_verbs:
            cand = _obligation(t, lex, idx)
        if cand is None and pos == "verb" and lemma in lex.settings.responsibility_verbs:
            cand = _claimed(t, lex, idx)
        if cand is None and pos in ("verb", "adj") and lemma in lex.wrappers \
                and not _named_complement(t, pos, lex, idx) and not is_phone_call(t):
            cand = _wrapped(t, lex, idx)
        if cand is None:
            if not may_match(lex, pos, lemma, tlower[i]):
                continue  # no pattern for the word: match() below would find none
            extra = _complement_words(t)  # "declined to comment", "failed to reach a deal"
            p = match(t, pos, lex, idx, extra)
            if p is None or (p.obj is None and _light_object(t, lex, idx)):
                continue  # "approved the extradition": the object noun carries the event
            if p.code[:2] in FORCE_ROOTS and measure_subject(t, lex, idx):
                continue  # "the sanctions *target* banks": the subject noun carries the event
            if lemma in _ANSWERING_VERBS and _answered_by_doing(t):
                continue  # "retaliated *by restricting* exports": the means is the act
            sources = _verb_sources(t, idx, p, lex)
            targets = _verb_targets(t, p, lex, idx, {a.token for a in sources}, sources)
            # (an act with its own parties stays an event: "welcomed the ceasefire *between
            # Armenia and Azerbaijan*")
            consumed_here = {o.i for o in object_tokens(t) if not parties_of(o, t, idx)}
            named = [c for c in children_of(t) if c.dep_ == "xcomp" and p.obj is not None
                     and c.lemma_.lower() in p.obj] if extra else []
            for c in named:  # "threatened *to ban* opposition candidates": the pattern
                # names the complement, whose object is the target and which is no
                # second event
                consumed_here |= {c.i} | {o.i for o in object_tokens(c)}
                if not targets:
                    targets = _verb_targets(c, None, lex, idx, {a.token for a in sources},
                                            sources)
            cand = Candidate(t, p.code, p.specificity, sources, targets, p, p.symmetric,
                             p.needs_target, consumed_here)
            if p.swap:
                # "received aid *from Japan*": the giver, as sure as a subject
                givers = first_actors([(prep_objects(t, FROM) + [
                    q for o in object_tokens(t) for q in prep_objects(o, FROM)], 1.0)],
                    idx, 99, {a.token for a in sources})
                targets = [replace(a, factor=max(a.factor, 0.9)) for a in givers] or targets
                cand.sources, cand.targets = targets, sources
            elif not targets:
                preps = p.prep if p.prep is not None else lex.settings.target_preps
                objs = object_tokens(t)
                if own_moved(p, objs, idx):  # "intensified *its* forces *in Mosul*": where, not what
                    objs, preps = [], preps | PLACE_PREPS
                ev_objs = {o: q for o in objs if (q := match(o, "noun", lex, idx)) is not None}
                if p.code[:2] in ("05", "11"):  # "condemned *the attack* on X": the act judged
                    cand.target_np = _target_np([objs])
                    # (an act blamed *on* someone names its doer, deep as it may sit)
                    cand.judged_act = lemma not in BLAME_LEMMAS and any(
                        q.code[:2] in MATERIAL_ROOTS for q in ev_objs.values())
                else:
                    cand.target_np = _target_np([[o for o in objs if o not in ev_objs],
                                                 [q for o in ev_objs for q in prep_objects(o, preps)],
                                                 prep_objects(t, preps)])
        if not any(a.actor for a in cand.targets):
            more = []
            if cand.code[:2] in ("01", "11"):  # "complained that *Somali troops* ..."
                more = _clause_subject_targets(cand.trigger, cand.sources, idx,
                                               after_only=cand.code[:2] == "11")
            elif cand.code[:2] == "14":
                more = _purpose_targets(cand.trigger, cand.sources, lex, idx)
            elif cand.code[:2] in ("10", "13") or (
                    cand.code[:2] in _THREAT_ROOTS and _conditioned(cand.trigger, cand.code[:2])
                    and _announced_future(cand.trigger)):
                # (and "Israel will strike *if Iran* ...": a conditioned act of force threatens)
                more = _condition_targets(cand.trigger, cand.sources, idx)
            if more:
                cand.targets, cand.target_np = more, None
        own = {a.actor.country for a in cand.sources if a.actor is not None} - {None}
        if not any(a.actor and a.actor.country not in own for a in cand.targets):
            # the content of a letter or call aimed at no one else ("threatening to pull
            # *US* funding") is aimed at its addressee
            more = _addressee_targets(cand.trigger, cand.sources, idx)
            if more:
                cand.targets, cand.target_np = more, None
        if model is not None and table is not None and (
                not cand.sources or not any(a.actor for a in (*cand.sources, *cand.targets))):
            arbitrate(cand, table, model, lex)
            if cand.sources and not any(a.actor is not None or a.token in table.at and _agentive(
                    table.at[a.token], t, lex.settings.person_nouns) for a in cand.sources):
                continue  # rescued only with someone who acts ("the treaty obliges ...": no)
        if not any(a.actor for a in (*cand.sources, *cand.targets)):
            continue  # no resolved actor at all
        if not cand.sources and not (cand.targets and _has_subject_or_passive(t)):
            continue  # no "who": imperatives, headlines, unresolved pronoun subjects
        consumed |= cand.consumed
        out.append(cand)
    tent = doc_column(sent.doc, "ent_type_")
    at = idx.by_tok.get  # idx.at
    for i in span:  # pass 2: event nouns
        if _POS.get(tpos[i]) != "noun" or i in consumed or at(i):
            continue
        if tent[i] in ("DATE", "TIME"):
            continue  # "joined NATO in *March*": a month, no march
        t = tokens[i]
        cand = _directive_noun(t, lex, idx)
        if cand is not None:
            out.append(cand)
            continue
        if not may_match(lex, "noun", t.lemma_.lower(), tlower[i]):
            continue  # no pattern for the noun: match(t) below would find none
        if t.dep_ == "compound" and (hp := match(t.head, "noun", lex, idx)) is not None \
                and hp.mod is not None and t.lemma_.lower() in hp.mod:
            continue  # "an *arrest* warrant": the modifier that makes its head an event
        p = match(t, "noun", lex, idx)
        if p is None:
            continue
        sources, targets = _noun_args(t, p, lex, idx)
        symmetric = p.symmetric
        if not sources:  # "talks *between Russia and China*": each acts on the other
            parties = first_actors([(prep_objects(t, BETWEEN), 1.0)], idx, 99)
            if len(parties) >= 2:
                sources, targets, symmetric = parties, [], True
        # an event noun needs a target; without a source only material conflict
        # ("the 2010 sinking of a South Korean Navy ship") is kept. The object of a
        # light verb whose subject is a resolved actor ("Iraqi forces launched
        # airstrikes", "Ghani announced a cease-fire") is an event of that actor even
        # with no target, unless the pattern needs one.
        light_src = (not p.needs_target and (_event_governor(t, lex, idx) is not None
                                             or t.dep_ == "dobj" and claimed_by(t) is not None)  # "claimed the attack"
                     and any(a.actor for a in sources))
        if not targets and p.code[:2] == "14":
            targets = _purpose_targets(t, sources, lex, idx)
        elif not targets and p.code[:2] in _CLAUSE_NOUN_ROOTS:
            # "its demand *that Israel* ease restrictions", "a call for the rebels to ..."
            targets = _clause_subject_targets(t, sources, idx)
        if (targets or light_src or symmetric and len(sources) >= 2) \
                and (sources or cameo_info(p.code).quad_class == 4):
            cand = Candidate(t, p.code, p.specificity, sources, targets, p, symmetric,
                             p.needs_target)
            if not targets and not symmetric:
                preps = p.prep if p.prep is not None else lex.settings.target_preps
                cand.target_np = _target_np([prep_objects(t, preps)])
            out.append(cand)
    return out


# ------------------------------------------------------------------------ arbiter

class MentionTable:
    """The candidate arguments of one sentence, and which one holds each token; built on
    first use, so a sentence whose candidates the arbiter never reads pays nothing."""

    def __init__(self, sent: Span, idx: ActorIndex):
        self._sent, self._idx = sent, idx
        self.paths = DepPaths(sent.doc)  # dependency paths, read once per sentence

    @cached_property
    def mentions(self) -> list[Mention]:
        spans = {i: (self._idx.by_tok[i], a, b) for i, (a, b) in self._idx.spans.items()}
        return sentence_mentions(self._sent, spans)

    @cached_property
    def at(self) -> dict[int, Mention]:
        # a token inside an actor mention belongs to it, not to the wider noun chunk around it
        rank = {"chunk": 0, "entity": 1, "actor": 2}
        return {i: m for m in sorted(self.mentions, key=lambda m: rank[m.kind])
                for i in range(m.first, m.last)}

    def heads(self, args) -> set[int]:
        """Head tokens of the mentions holding ``args`` (Args, None skipped)."""
        return {self.at[a.token].head for a in args if a is not None and a.token in self.at}


def mention_table(sent: Span, idx: ActorIndex) -> MentionTable:
    return MentionTable(sent, idx)


def candidate_features(c: Candidate, table: MentionTable) -> list[tuple[Mention, list[str]]]:
    """Each candidate argument of ``c`` with its arbiter features."""
    src, tgt = table.heads(c.sources), table.heads([*c.targets, c.target_np])
    trig = c.trigger
    passive = is_passive(trig)
    key = trig.lemma_.lower()
    ms = [m for m in table.mentions if m.head != trig.i]
    rank = rank_features(trig, ms)
    return [(m, features(trig, m, c.code, key, m.head in src, m.head in tgt, passive, table.paths)
             + rank[m.head]) for m in ms]


def _arg(m: Mention, factor: float) -> Arg:
    f = round(factor, 3)
    if m.actor is not None:
        return Arg(m.actor, m.head, f)
    return Arg(None, m.head, f, m.text, m.start, m.end)


_CORE_ARCS = frozenset({"nsubj", "nsubjpass", "dobj", "agent"})
_PATIENT_ARCS = frozenset({"dobj", "nsubjpass"})


def _core(a: Arg, trig: Token, person_nouns: frozenset[str] = frozenset()) -> bool:
    """An argument the rules found as a core dependent of the trigger (its subject, its
    direct object, a passive's agent, or what a construction rule named with full
    confidence): the arbiter re-reads the rest, not these ("killed *several gunmen* near
    the border", "accused Tehran of *supplying* ...")."""
    if a.factor >= 0.85 and a.actor is not None:
        return True
    doer = participle_agent(trig)
    if doer is not None and a.token == doer.i:
        return True  # "a *government*-backed consortium": the compounded doer, named or not
    t = trig.doc[a.token]
    while t.dep_ in ("compound", "amod", "poss", "det") and t.head.i != t.i:
        t = t.head
    if a.actor is not None:
        return t.head.i == trig.i and t.dep_ in _CORE_ARCS
    # an unresolved noun phrase counts only when it is the patient (the direct object, or
    # the subject of a passive) and names people ("killed *several gunmen*"); a thing
    # given or done ("provided *6 million euros* to refugees") is not whom the act aims at
    return t.head.i == trig.i and t.dep_ in _PATIENT_ARCS and (
        t.lemma_.lower() in person_nouns or t.ent_type_ in ("PERSON", "NORP", "ORG"))


_CLAUSE_BOUNDS = frozenset({"ccomp", "xcomp", "advcl", "relcl", "acl", "parataxis", "csubj"})


def _other_clause(trig: Token, m: Mention, paths: DepPaths) -> bool:
    """The mention is reached from the trigger only across a clause boundary. For an event
    noun the arbiter does not look there for a doer: "Russia may encourage North Korea *to
    commit attacks like the sinking*": the sinking's doer is not the subject of the clause
    above (the rules' control and speaker readings, which do cross, stay theirs)."""
    up, down = paths.path(trig.i, m.head)
    return any(a.split(":")[0] in _CLAUSE_BOUNDS for a in up + down)


def _agentive(m: Mention, trig: Token, person_nouns: frozenset[str]) -> bool:
    head = trig.doc[m.head]
    return head.lemma_.lower() in person_nouns or head.ent_type_ in ("PERSON", "NORP", "ORG", "GPE")


def arbitrate(c: Candidate, table: MentionTable, model: ArbiterModel, lex: Lexicon) -> None:
    """Let the model re-decide the source and target of a rule candidate: a mention the
    model is sure of (probability at least ``arbiter_min_p``) that it prefers by at least
    ``arbiter_margin`` to the rules' pick replaces that pick for the role (both chosen
    with the model by cross-validation and stored in it; else the lexicon settings); arguments the model agrees with are kept as the rules found them
    (with their coordination)."""
    if c.symmetric or _mutual_parties(c):
        return
    people = lex.settings.person_nouns
    # Neither role is re-read below when the rules' source is out of the model's reach (a
    # core dependent, or an event noun or participle that keeps no doer) and so is their
    # target (a core dependent, a judged act, a participle before its noun): scoring every
    # mention would change nothing, so it is skipped (a quarter of the candidates). Each
    # test is the one the branch below makes (the roles do not change before it), made
    # once here.
    src_fixed = any(_core(a, c.trigger, people) for a in c.sources) or _keeps_no_doer(c)
    tgt_core = None  # (tested only when needed: the tests build Tokens)
    if src_fixed:
        tgt_core = any(_core(a, c.trigger, people) for a in [*c.targets, *filter(None, [c.target_np])])
        if tgt_core or c.judged_act or prenominal_participle(c.trigger):
            return
    if not table.mentions:
        return
    scored = [(m, model.proba(f)) for m, f in candidate_features(c, table)]
    if not scored:
        return
    min_p = model.meta.get("arbiter_min_p", lex.settings.arbiter_min_p)
    rule_src, rule_tgt = table.heads(c.sources), table.heads([*c.targets, c.target_np])
    margin = model.meta.get("arbiter_margin", lex.settings.arbiter_margin)
    # a source needs a surer pick than a target: a wrong "who" misattributes the act
    # (the 2010 sinking of a ship is not Russia's because Russia is the sentence's subject)
    src_min_p = lex.settings.arbiter_source_min_p
    # a source acts: an unresolved noun phrase is one only if it names people or a body
    # (looked for only when the source may change)
    agents = [] if src_fixed else [
        (m, p[1]) for m, p in scored if (m.actor is not None or _agentive(m, c.trigger, people))
        and not (c.trigger.pos_ in ("NOUN", "PROPN") and _other_clause(c.trigger, m, table.paths))]
    ms, ps = max(agents, key=lambda x: x[1], default=(None, 0.0))
    if ms is not None and ps >= max(min_p, src_min_p) and ms.head not in rule_src:
        ps_rule = max((p[1] for m, p in scored if m.head in rule_src), default=None)
    else:
        ps_rule = None  # (the test below fails whatever it is)
    if ms is not None and ps >= max(min_p, src_min_p) \
            and ms.head not in rule_src and (ps_rule is None or ps - ps_rule >= margin):
        # the model's pick ranks no higher than the rules' reading would have: its
        # probability scales the factor the rules' argument (or its absence) had
        c.sources = [_arg(ms, ps * (c.sources[0].factor if c.sources else 0.6))]
    src_heads = table.heads(c.sources)  # the sources as they now stand
    # (never the sponsor compounded on a participle: "ties with *Iran*-backed groups")
    doc = c.trigger.doc
    # (the head's arc read from the columns first: a Token is built only for an "amod")
    tokens, heads, deps = doc_tokens(doc)[0], doc_column(doc, "head"), doc_column(doc, "dep_")
    rest = [(m, p[2]) for m, p in scored if m.head not in src_heads
            and not (deps[heads[m.head]] == "amod" and sponsoring_participle(tokens[heads[m.head]]))]
    if not rest:
        return
    mt, pt = max(rest, key=lambda x: x[1])
    pt_rule = max((p for m, p in rest if m.head in rule_tgt), default=None)
    if c.judged_act:
        return  # "praised the attack on Israel": not Israel; the doer is unnamed
    if prenominal_participle(c.trigger):
        return  # "Iranian-*backed* groups": done to its own noun or to no one
    if tgt_core is None:  # (the targets are still the rules': only the sources changed)
        tgt_core = any(_core(a, c.trigger, people) for a in [*c.targets, *filter(None, [c.target_np])])
    if pt >= min_p and mt.head not in rule_tgt and (pt_rule is None or pt - pt_rule >= margin) \
            and not tgt_core:
        if mt.actor is None and any(a.actor is not None and a.token in
                                    {t.i for t in c.trigger.doc[mt.head].subtree} for a in c.targets):
            return  # "the head *of the WHO*": the rules' actor is the phrase's own
        was = c.targets[0].factor if c.targets else lex.settings.no_target_factor
        a = _arg(mt, pt * was)
        if mt.actor is not None:
            c.targets, c.target_np = [a], None
        else:
            c.targets, c.target_np = [], a


def _keeps_no_doer(c: Candidate) -> bool:
    """The trigger keeps the doer the rules gave it (or none): the arbiter picks no source.
    An event noun the rules found no doer for ("the 2010 sinking of a ship") keeps none:
    news names the doer of a nominal event in its own phrase or not at all; likewise a
    participle before its noun ("wartime *forced* labour"): its doer is compounded on
    ("Iran-backed") or unnamed; or after it ("sanctions *imposed* on Eritrea"): its doer is
    its "by" agent or unnamed."""
    t = c.trigger
    return (t.pos_ in ("NOUN", "PROPN") and not c.sources) or prenominal_participle(t) \
        or prenominal_gerund(t) or (postnominal_participle(t) and not c.sources) \
        or (t.dep_ == "pcomp" and warned_against(t.head) and not c.sources)


# cooperation roots (intent to cooperate, consult, engage in diplomatic or material
# cooperation) whose coordinated subjects with no target are each other's partners
_MUTUAL_ROOTS = frozenset({"03", "04", "05", "06"})
# ... except acts whose other party is by definition someone else: mediating (045,
# and the intent to mediate, 039) and giving aid or intending to (033x)
_THIRD_PARTY_CODES = ("033", "039", "045")
_AGREEING = frozenset({"agree", "concur"})
# sectors whose members demonstrate rather than lodge protests
_PEOPLE_SECTORS = frozenset({"CVL", "OPP", "LAB", "EDU", "REF", "REL"})
# event nouns whose content clause names whom they address: comments, appeals, demands,
# threats
_CLAUSE_NOUN_ROOTS = frozenset({"01", "02", "10", "13"})


def _complement_words(t: Token) -> frozenset[str]:
    """Lemmas of the infinitival complements of ``t`` ("declined *to comment*")."""
    return frozenset(c.lemma_.lower() for c in children_of(t)
                     if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX"))


def _named_complement(t: Token, pos: str, lex: Lexicon, idx: ActorIndex) -> bool:
    """A pattern of the wrapper verb itself names its complement ("decline to comment"
    is 011, not a refusal): the specific pattern wins over the wrapper."""
    extra = _complement_words(t)
    if not extra:
        return False
    p = match(t, pos, lex, idx, extra)
    return p is not None and p.obj is not None and bool(p.obj & extra)


def _light_object(v: Token, lex: Lexicon, idx: ActorIndex) -> bool:
    """A light verb whose direct object is an event noun of the lexicon."""
    if v.lemma_.lower() not in lex.settings.light_verbs:
        return False
    return any(o.dep_ == "dobj" and match(o, "noun", lex, idx) is not None
               and not parties_of(o, v, idx) for o in children_of(v))


def _has_subject_or_passive(v: Token) -> bool:
    """A verb whose subject is a (non-actor, non-pronoun) noun phrase, or a passive."""
    if is_passive(v):
        return True
    toks, _ = subject_tokens(v)
    return any(t.pos_ in ("NOUN", "PROPN") for t in toks)


def _modality(trig: Token):
    """Modality of the trigger; an event noun that is the subject of a clause also takes
    a non-asserted modality of that clause ("Russian assistance would be limited")."""
    mr = assess(trig)
    if mr.modality == "asserted" and trig.dep_ in ("nsubj", "nsubjpass") and trig.head.i != trig.i:
        up = assess(trig.head)
        if up.modality != "asserted":
            return up
    return mr


_INTENT_ROOTS = frozenset({"04", "05", "06", "07", "08"})
_THREAT_ROOTS = frozenset({"14", "15", "16", "17", "18", "19", "20"})


def _wrapper_of_kind(lex: Lexicon, kind: str):
    return next((w for w in lex.wrappers.values() if w.kind == kind), None)


_FUTURE_AUX = frozenset({"will", "would", "wo", "'ll", "shall"})


def _future_negated(trig: Token) -> bool:
    """ "X will not / would not <verb>" on the trigger or the light verb governing it."""
    v = trig.head if trig.dep_ in ("dobj", "nsubjpass") else trig
    kids = {c.lower_ for c in children_of(v) if c.dep_ == "aux"}
    return bool(kids & _FUTURE_AUX) and any(c.dep_ == "neg" for c in children_of(v))


_ATTEMPT = frozenset({"try", "attempt", "seek", "strive"})


def _attempted(trig: Token, decisions: frozenset[str] = frozenset()) -> bool:
    """ "tried to hack into": an attempt is an action, not an announced intent; so is a
    decision ("decided to grant asylum" is coded as the grant itself)."""
    v = trig.head if trig.dep_ in ("dobj", "nsubjpass") else trig
    return (v.dep_ == "xcomp" and v.head.lemma_.lower() in (_ATTEMPT | decisions)) or (
        v.dep_ == "acl" and v.head.lemma_.lower() in _DECISION_NOUNS)  # "Russia's *decision* to suspend"


_DECISION_NOUNS = frozenset({"decision"})


def _conditioned(trig: Token, root: str) -> bool:
    """An announced act with a condition clause that makes it a threat: any act "unless"
    the other side does something; an act of force also "if" it does ("Israel will strike
    *if Iran* enriches uranium"), where a cooperative one "if" is a promise."""
    marks = _UNLESS if root not in _THREAT_ROOTS else _UNLESS | {"if"}
    return any(ch.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in marks for m in children_of(ch))
               for ch in children_of(trig))


_UNLESS = frozenset({"unless"})


def _announced_future(trig: Token) -> bool:
    """ "Israel *will* strike", "would withdraw": the act is announced for the future."""
    return any(a.dep_ == "aux" and a.lower_ in _FUTURE_AUX for a in children_of(trig))


def _answered_by_doing(v: Token) -> bool:
    """ "retaliated *by restricting* exports": a verb of answering with a "by"-gerund."""
    return any(c.dep_ == "prep" and c.lower_ == "by" and any(g.dep_ == "pcomp" and g.pos_ == "VERB"
                                                             for g in children_of(c))
               for c in children_of(v))


def _intent_code(c: Candidate, modality: str, lex: Lexicon) -> str:
    """CAMEO codes an actor's announced future action as intent (03x) or threat (13x):
    "Israel will evacuate the settlements" is 035, "Turkey says it will launch an
    operation" is 138, "X will withdraw unless Y ..." is a threat. Only events in the
    ``intent`` modality are rewritten; the modality itself is kept on the mention.
    Codes already composed by a control verb, statements, appeals and verbal
    conflict are left alone. A negated future of a cooperative action ("will not lift
    the ban", "would not accept refugees") is a refusal, coded through the reject
    wrapper; its modality stays ``negated``."""
    code = c.code
    if c.wrapped:
        return code
    root = code[:2]
    if modality == "negated" and root in _INTENT_ROOTS and _future_negated(c.trigger):
        w = _wrapper_of_kind(lex, "reject")  # "will not lift the ban": a refusal (12x)
        return w.rewrite(code) if w is not None else code
    conditional = _conditioned(c.trigger, root)
    # "Nigeria will withdraw its force unless ...": a conditioned announced future is a
    # threat even where the condition made the modality hypothetical (it stays so)
    future = _announced_future(c.trigger)
    if modality == "hypothetical" and conditional and future and root in _INTENT_ROOTS | _THREAT_ROOTS:
        w = _wrapper_of_kind(lex, "threaten")
        return w.rewrite(code) if w is not None else code
    if modality != "intent" or _attempted(c.trigger, lex.settings.decision_verbs):
        return code
    if root in _THREAT_ROOTS or (conditional and root in _INTENT_ROOTS):
        w = _wrapper_of_kind(lex, "threaten")
    elif root in _INTENT_ROOTS:
        w = _wrapper_of_kind(lex, "intent")
    else:
        return code
    return w.rewrite(code) if w is not None else code


# what names one entry of the knowledge base by itself, not by standing for its state
_OWN_NAME = frozenset({Basis.PERSON, Basis.KB_ENTITY, Basis.INTERNATIONAL, Basis.ARMED_GROUP})


def _same_party(a: Arg, b: Arg) -> bool:
    """Two arguments that are one party: the same code, unless each names a different
    entry of the knowledge base by itself ("Netanyahu met President Rivlin" is ISRGOV to
    ISRGOV; "the General Assembly urged the Security Council" is IGOUNO to IGOUNO). A
    capital, seat or country standing for its government is the same party as the
    government's people ("Putin" and "Moscow")."""
    if a.code != b.code:
        return False
    x, y = a.actor, b.actor
    return not (x is not None and y is not None and x.kb_id and y.kb_id and x.kb_id != y.kb_id
                and x.basis in _OWN_NAME and y.basis in _OWN_NAME)


def _protest_code(c: Candidate, src: Arg | None) -> str:
    """PLOVER's line between ACCUSE and PROTEST for the verb "protest": a state, government
    or organisation that protests makes a diplomatic protest (ACCUSE 'disapprove', 114:
    "the Philippines protested against China's actions"); people who protest demonstrate
    (PROTEST, 141: "thousands of Georgians protested outside parliament"). People are a
    people's sector (civilians, opposition, labour, ...) or a plural demonym; an
    unresolved subject keeps the lexicon's reading."""
    if c.trigger.lemma_.lower() != "protest" or c.trigger.pos_ != "VERB" \
            or not c.code.startswith(("114", "141")) or src is None or src.actor is None:
        return c.code
    a = src.actor
    people = a.sector in _PEOPLE_SECTORS or c.trigger.doc[src.token].ent_type_ == "NORP"
    return "141" if people else "114"


_EXTRADITION = frozenset({"extradite", "extradition"})


def _plover_reading(c: Candidate, info: CameoInfo, tgt: Arg | None) -> CameoInfo:
    """The PLOVER type where PLOVER's definitions draw a line that CAMEO's codes do not.
    A pattern may name it (CAMEO 173 arrests or charges; PLOVER makes a charge ACCUSE).
    An extradition is judicial cooperation between states (COOPERATE), but the person
    handed over (the object of "extradited", the "of" of "extradition") is brought to
    trial: toward them it is ACCUSE 'allege'."""
    p = c.pattern
    if p is not None and p.plover and p.code == info.code:
        ptype, _, mode = p.plover.partition("/")
        return replace(info, plover=ptype, plover_mode=mode or None)
    if tgt is None or tgt.actor is None or not info.code.startswith("063") \
            or c.trigger.lemma_.lower() not in _EXTRADITION:
        return info
    *below, tok = _path_up(c.trigger, c.trigger.doc[tgt.token])
    if any(t.dep_ == "prep" and t.lower_ != "of" for t in below):
        return info  # not through "to France"
    handed = tok.head.i == c.trigger.i and tok.i != c.trigger.i and (
        tok.dep_ in ("dobj", "nsubjpass") or (tok.dep_ == "prep" and tok.lower_ == "of"))
    return replace(info, plover="ACCUSE", plover_mode="allege") if handed else info


def _path_up(trig: Token, tok: Token) -> list[Token]:
    """``tok`` and its heads up to the trigger's own dependent (or to the root when
    ``tok`` is not under the trigger), in that order."""
    path = [tok]
    while tok.head.i not in (trig.i, tok.i):
        tok = tok.head
        path.append(tok)
    return path


_JOINT = frozenset({"joint", "combined", "bilateral", "trilateral", "multinational", "multilateral"})


_NEAR_PREPS = frozenset({"near", "off", "around", "outside", "toward", "towards"})


def _sent_near(trig: Token, tgt: Arg | None) -> bool:
    """The target of a transfer of arms is reached through "near", "off", "around" or
    "toward" ("sent warships near Taiwan", "an aircraft carrier off the coast of North
    Korea"): the hardware goes close to it, not to it."""
    return tgt is not None and any(t.dep_ == "prep" and t.lower_ in _NEAR_PREPS
                                   for t in _path_up(trig, trig.doc[tgt.token]))


def _show_of_force(c: Candidate) -> bool:
    """Exercises held by one party with no partner named or implied ("Chinese warships
    conducted live-fire drills near Taiwan") are a show of force (CAMEO 150, PLOVER
    MOBILIZE), not military cooperation (062), which takes two ("Jordan and Britain held
    exercises", "drills with India", "joint drills")."""
    srcs = [a for a in c.sources if a.actor is not None]
    if not (c.symmetric and c.code.startswith("062")) or len(srcs) != 1 or any(a.actor for a in c.targets):
        return False
    src = c.trigger.doc[srcs[0].token]
    if src.tag_ in ("NNS", "NNPS") and not src.ent_type_:
        return False  # "the leaders said they would hold exercises": several parties
    joint = any(m.lower_ in _JOINT for o in object_tokens(c.trigger) for m in children_of(o))
    return not joint and not prep_objects(c.trigger, BETWEEN | {"with"})


def _mutual_parties(c: Candidate) -> bool:
    """Coordinated actors who agree or meet with no other party named ("Kishida, Biden and
    Yoon agreed to hold a summit every year"): they act on each other (see :func:`_pairs`),
    and no third party is looked for. Not for a joint proposal or a joint statement of
    support ("Russia and China proposed easing sanctions"), which is addressed to someone
    else, whom the argument model may find."""
    return _mutual_code(c.code) and (c.code[:2] == "04" or c.trigger.lemma_.lower() in _AGREEING) \
        and not any(a.actor for a in c.targets) and sum(a.actor is not None for a in c.sources) >= 2


def _mutual_code(code: str) -> bool:
    return code[:2] in _MUTUAL_ROOTS and not code.startswith(_THIRD_PARTY_CODES)


_OWN_FORCES = frozenset({"MIL", "COP"})
# verbs of answering whose "by"-gerund names what was done in answer
_ANSWERING_VERBS = frozenset({"retaliate", "respond", "react", "reply", "answer", "hit"})


def _pairs(c: Candidate, lex: Lexicon) -> list[tuple[Arg | None, Arg | None]]:
    st = lex.settings
    srcs = c.sources[: st.max_sources]
    tgts = [a for a in c.targets if a.actor and all(not _same_party(a, s) for s in srcs)]
    tgts = tgts[: st.max_targets]
    # "Jordan and Britain agreed to hold exercises", "the UK and the EU signed a deal":
    # coordinated actors of a cooperative act with no other party act on each other
    mutual = c.symmetric or _mutual_code(c.code)
    parties = mutual and sum(a.actor is not None for a in srcs) >= 2
    if parties:
        # "India and China agreed to disengage *troops*": forces with no country are what
        # the parties act with, not a third party (unlike "hand over vehicles to *children*")
        tgts = [a for a in tgts if a.actor.country or a.actor.code not in _OWN_FORCES]
    if not tgts and parties:
        return [(a, b) for a in srcs for b in srcs if a is not b and a.actor and b.actor]
    if not tgts:  # an unresolved source needs a resolved target
        return [] if c.needs_target else [(s, None) for s in srcs if s.actor]
    return [(s, t) for s in (srcs or [None]) for t in tgts]


def _clause_factor(trig: Token, arcs: dict[str, float],
                   preps: dict[str, float] | None = None,
                   marks: dict[str, float] | None = None) -> float:
    """Product of the ``subordinate_arcs`` factors on the trigger's path to the root, of
    the ``circumstance_preps`` factors for objects of those prepositions ("*during*
    demonstrations", "*after* the attack") and of the ``condition_marks`` factors for
    conditional clauses ("*unless* the president agrees")."""
    f, x = 1.0, trig
    while x.head.i != x.i:
        # a reduced relative ("the activists *arrested* by police") is a relative clause
        f *= arcs.get("relcl" if postnominal_participle(x) else x.dep_, 1.0)
        if preps and x.dep_ == "pobj" and x.head.lower_ != "for":
            f *= preps.get(x.head.lower_, 1.0)
        if preps and x.dep_ == "pcomp" and x.head.lower_ == "for" and x.tag_ == "VBG":
            f *= preps.get("for", 1.0)  # the reason: "arrested *for collaborating*"
        if marks and x.dep_ == "advcl":
            for m in children_of(x):
                if m.dep_ == "mark" and m.lower_ in marks:
                    f *= marks[m.lower_]
        x = x.head
    return f


def _confidence(c: Candidate, s: Arg | None, t: Arg | None, clause: float = 1.0,
                no_target: float = 0.85) -> float:
    base = min(0.95, 0.6 + 0.08 * c.specificity) * clause
    sf = s.factor if s else 0.6
    tf = t.factor if t else no_target
    confs = [a.actor.confidence for a in (s, t) if a is not None and a.actor is not None] or [0.5]
    return round(max(0.0, min(1.0, base * sf * tf * sum(confs) / len(confs))), 3)


def _purpose_clauses(t: Token) -> list[Token]:
    """Infinitival purpose clauses of ``t`` ("called him *to congratulate*", "operations
    *to detain*", "in order *to* ...") and participle clauses that say what it conveys
    ("sent a letter to the WHO *threatening* to ...", "a message *urging* ...")."""
    return [ch for ch in children_of(t) if ch.dep_ in ("advcl", "xcomp", "acl", "relcl")
            and (any(a.dep_ in ("aux", "mark") and a.lower_ == "to" for a in children_of(ch))
                 or ch.tag_ == "VBG" and ch.dep_ in ("advcl", "acl") and ch.i > t.i)]


def _means_with_purpose(c: Candidate, code: str, lex: Lexicon, triggers: frozenset[int]) -> int | None:
    """A consultation, a statement or letter, or an operation launched by a light verb,
    whose purpose or content clause is itself the trigger of an event aimed at an actor
    (``triggers``; see ``means_roots`` in wrappers.yaml): that trigger's index."""
    st = lex.settings
    t = c.trigger
    means = [o for o in object_tokens(t) if o.lemma_.lower() in st.means_nouns | DOC_NOUNS]
    if not (means or code[:2] in st.means_roots or t.lemma_.lower() in st.means_nouns | DOC_NOUNS):
        return None
    # "sent *a letter* to X threatening ...": the parser hangs the content on the verb
    sender = [t.head] if t.dep_ == "dobj" and t.lemma_.lower() in DOC_NOUNS else []
    return next((p.i for h in (t, *means, *sender) for p in _purpose_clauses(h) if p.i in triggers),
                None)


def _attributed(mr, actors: list[ActorMention]) -> str | None:
    if mr.attribution is None:
        return mr.attribution_text
    a0, a1 = mr.attribution
    for m in actors:
        if m.start < a1 and a0 < m.end:
            return m.code
    return mr.attribution_text


def mention_id(article_id: str, start: int, end: int, trig: int, src: str | None,
               tgt: str | None, cameo: str) -> str:
    key = f"{article_id}|{start}|{end}|{trig}|{src}|{tgt}|{cameo}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def code_sentence(sent: Span, actors_in_sent: list[ActorMention], article_id: str,
                  article_date: dt.date | None, lexicon: Lexicon,
                  kb: KB | None = None,
                  doc_countries: frozenset[str] | None = None,
                  arbiter: ArbiterModel | None | bool = None,
                  typer: TypeModel | None | bool = None) -> list[EventMention]:
    """All events one sentence reports, highest confidence first (at most the cap).

    ``arbiter`` is the argument model (:mod:`.arbiter`) that re-decides each candidate's
    source and target: None for the shipped model, False for the rules alone. ``typer`` is
    the type model (:mod:`.typer`) that re-decides the PLOVER type among the codebook's
    neighbours: None for the shipped model when the lexicon setting ``type_model`` is on
    (it is off as shipped: see the README), False for the lexicon's types, or a model.

    With ``kb``, person actors are re-resolved at each event's own date
    (:func:`detente.actors.at_event_date`): "in 2001, Putin met ..." gets
    Putin's role in 2001, not on the article date; and a material event aimed at no
    actor takes the place where it happened as target (:mod:`.place_target`), the
    place's namesakes told apart by ``doc_countries`` (the article's countries)."""
    idx = ActorIndex(sent, actors_in_sent)
    if not idx:
        return []
    out: list[EventMention] = []
    means: list[tuple[int, int]] = []  # (event in out, start of its content trigger)
    # Evidence is the sentence without surrounding whitespace (masked boilerplate
    # and blank lines are whitespace), with offsets that match it exactly.
    raw = doc_text(sent.doc)[sent.start_char:sent.end_char]  # sent.text, without a join per sentence
    text = raw.strip()
    sent_start = sent.start_char + (len(raw) - len(raw.lstrip()))
    sent_end = sent_start + len(text)
    if doc_countries is None:
        doc_countries = frozenset(m.country for m in actors_in_sent if m.country)
    model = load_arbiter() if arbiter is None else (arbiter or None)
    mentions = mention_table(sent, idx) if model is not None else None
    if typer is None:
        types = load_typer() if lexicon.settings.type_model else None
    else:
        types = typer or None
    cands = candidates(sent, lexicon, idx, model, mentions)
    # triggers of events aimed at an actor: a means whose purpose is one of them is coded
    # for that content (see _means_with_purpose)
    triggers = frozenset(c.trigger.i for c in cands if any(a.actor for a in c.targets))
    for c in cands:
        if model is not None:
            before = (c.sources, c.targets, c.target_np)
            had = bool(_pairs(c, lexicon))
            arbitrate(c, mentions, model, lexicon)
            if had and not _pairs(c, lexicon):  # the model may re-read an event, not lose it
                c.sources, c.targets, c.target_np = before
        if _show_of_force(c):  # aimed at whoever it is held near, not at a partner
            c.code, c.symmetric = "150", False
        ed = None  # resolved once, and only for a candidate that needs it (dateparser is slow)
        if kb is not None and not c.symmetric and locative_code(c.code) \
                and not any(a.actor for a in c.targets):
            ed = resolve_event_date(c.trigger, article_date)
            when = dt.date.fromisoformat(ed.event_date) if ed.event_date else article_date
            place = place_target(c.trigger, object_tokens(c.trigger), c.code, lexicon, kb,
                                 when, doc_countries, article_id,
                                 (sent.start_char, sent.end_char))
            if place is not None and all(place.code != s.code for s in c.sources):
                c.targets, c.target_np = [place], None
        pairs = _pairs(c, lexicon)
        if not pairs:
            continue
        if c.code.startswith("072") and _sent_near(c.trigger, pairs[0][1]):
            c.code = "150"  # "sent warships *near* Taiwan": a show of force, no arms supply
        ed = ed or resolve_event_date(c.trigger, article_date)
        mr = _modality(c.trigger)
        c.code = _protest_code(c, pairs[0][0])
        info = _plover_reading(c, cameo_info(_intent_code(c, mr.modality, lexicon)), pairs[0][1])
        if types is not None:
            s0, t0 = pairs[0]
            info, _ = retype(info, c.trigger, mr.modality, s0, t0, c.target_np,
                             [p.code for p in lexicon.patterns(_POS.get(c.trigger.pos_, "verb"),
                                                               c.trigger.lemma_.lower())],
                             types)
        hist = is_historical(ed, article_date)
        attributed = _attributed(mr, actors_in_sent)
        trig = c.trigger
        clause = _clause_factor(trig, lexicon.settings.subordinate_arcs,
                                lexicon.settings.circumstance_preps,
                                lexicon.settings.condition_marks)
        if mr.hedged:
            clause *= lexicon.settings.hedge_factor  # a claim is weaker evidence than a report
        if info.code == "010" and any(ch.dep_ in ("ccomp", "parataxis") and ch.pos_ in ("VERB", "AUX")
                                      for ch in children_of(trig)):
            clause *= lexicon.settings.reporting_factor  # "..., commanders told AFP"
        content = _means_with_purpose(c, info.code, lexicon, triggers)
        if content is not None:
            clause *= lexicon.settings.purpose_factor  # "called X *to congratulate* him"
        for s, t in pairs:
            if content is not None:
                means.append((len(out), sent.doc[content].idx))
            sa, ta = (s.actor if s else None), (t.actor if t else None)
            if kb is not None:
                sa = at_event_date(kb, sa, ed.event_date, ed.granularity, article_date)
                ta = at_event_date(kb, ta, ed.event_date, ed.granularity, article_date)
            tnp = c.target_np if t is None else None
            s_text = sa.text if sa else (s.text if s else None)
            s_start = sa.start if sa else (s.start if s else None)
            s_end = sa.end if sa else (s.end if s else None)
            out.append(EventMention(
                article_id=article_id,
                source_actor=sa.code if sa else None, source_country=sa.country if sa else None,
                target_actor=ta.code if ta else None, target_country=ta.country if ta else None,
                cameo=info.code, cameo_root=info.root, quad_class=info.quad_class,
                goldstein=info.goldstein, plover=info.plover, modality=mr.modality,
                hedged=mr.hedged, attributed_to=attributed, historical=hist,
                event_date=ed.event_date, date_granularity=ed.granularity, date_reason=ed.reason,
                confidence=_confidence(c, s, t, clause, lexicon.settings.no_target_factor),
                sentence=text, start=sent_start,
                end=sent_end, trigger=trig.text, trigger_start=trig.idx,
                trigger_end=trig.idx + len(trig.text),
                source_text=s_text, source_start=s_start, source_end=s_end,
                target_text=ta.text if ta else (tnp.text if tnp else None),
                target_start=ta.start if ta else (tnp.start if tnp else None),
                target_end=ta.end if ta else (tnp.end if tnp else None),
                plover_mode=info.plover_mode, plover_context=info.plover_context,
                mention_id=mention_id(article_id, sent_start, sent_end, trig.idx,
                                      sa.code if sa else None, ta.code if ta else None, info.code),
            ))
    for k, at in means:  # the means never outranks its content, whatever its arguments' scores
        top = max((e.confidence for e in out if e.trigger_start == at), default=None)
        if top is not None and out[k].confidence >= top:
            out[k] = replace(out[k], confidence=round(top * lexicon.settings.purpose_factor, 3))
    out.sort(key=lambda e: (-e.confidence, e.trigger_start))
    return out[: lexicon.settings.max_events_per_sentence]


def code_doc(doc, actors: list[ActorMention], article_id: str, article_date: dt.date | None,
             lexicon: Lexicon, kb: KB | None = None,
             arbiter: ArbiterModel | None | bool = None,
             typer: TypeModel | None | bool = None) -> list[EventMention]:
    """Events of every sentence of a parsed article, in text order of sentences."""
    actors = sorted(actors, key=lambda m: m.start)
    doc_countries = frozenset(m.country for m in actors if m.country)
    out: list[EventMention] = []
    j = 0
    for sent in doc_sents(doc):  # doc.sents, read once per Doc (the resolver read them)
        while j < len(actors) and actors[j].end <= sent.start_char:
            j += 1
        k = j
        while k < len(actors) and actors[k].start < sent.end_char:
            k += 1
        if k > j:
            out.extend(code_sentence(sent, actors[j:k], article_id, article_date, lexicon, kb,
                                     doc_countries, arbiter, typer))
    return out
