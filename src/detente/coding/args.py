"""Argument extraction: who (source) and whom (target) of a trigger, from the parse.

Arguments are found by walking dependency arcs from the trigger:

* subjects (``nsubj``), passive agents (``by``), the shared subject of control verbs and
  conjoined verbs (``xcomp``/``conj``/``advcl``), the noun a relative clause modifies;
* objects (``dobj``, ``dative``, passive subjects) and prepositional targets
  ("with", "to", "against", "on", ...), also on the object noun;
* for event nouns: "by" agents, possessives, actor modifiers ("US-led", "Chinese"),
  the "of" argument, and the subject of the light verb governing the noun.

An argument token is mapped to an actor if it lies in an actor span, or else by a short
search of its noun-phrase modifiers ("a special representative of North Korean leader
Kim" -> PRKGOV). Coordinated arguments ("Russia, China and North Korea") give one
actor each. Every argument carries a path factor in (0, 1] used in the confidence.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.tokens import Span, Token

from ..actors import children_of, conjuncts_of
from ..types import ActorMention

# noun-phrase modifier arcs searched for an actor under an argument head, with a factor
_NP_ARCS = {"compound": 0.95, "amod": 0.9, "poss": 0.95, "nmod": 0.9, "appos": 0.95,
            "npadvmod": 0.85, "det": 0.9}
_NP_PREPS = {"of": 0.85, "from": 0.8, "in": 0.75, "by": 0.8, "for": 0.75, "on": 0.7, "against": 0.75,
             "to": 0.7}
_MEMBER_PREPS = frozenset({"including"})
_REL_PRON = {"which", "who", "that", "whom", "whose"}
POSS_PRON = frozenset({"his", "her", "its", "their"})
# "his government", "its army": the sector the head noun names
_BODY_SECTOR = {"government": "GOV", "regime": "GOV", "administration": "GOV", "leadership": "GOV",
                "cabinet": "GOV", "ministry": "GOV", "army": "MIL", "military": "MIL",
                "troops": "MIL", "forces": "MIL", "navy": "MIL", "country": None, "nation": None}
SUBJ = ("nsubj", "csubj", "expl")
# documents that speak for their author: "issued a statement urging ...", "a report accusing"
DOC_NOUNS = frozenset({"statement", "report", "declaration", "communique", "communiqué",
                        "resolution", "letter", "message", "note", "document", "motion",
                        "petition", "memorandum", "release", "bulletin", "decree", "order",
                        "bill", "law", "legislation", "measure", "amendment", "directive"})


# nouns of saying whose that-clause is the owner's words ("Moscow's claim that it ...")
_SAYING_NOUNS = frozenset({"announcement", "claim", "assertion", "pledge", "promise", "warning",
                           "assurance", "insistence", "admission", "denial", "threat"})


@dataclass(frozen=True, slots=True)
class Arg:
    """An actor filling a role, the token it was found at, and how direct the path was.

    ``actor`` is None for an unresolved noun-phrase subject ("demonstrators"): such an
    argument keeps its text span as evidence and gets no actor code.
    """

    actor: ActorMention | None
    token: int
    factor: float
    text: str | None = None
    start: int | None = None
    end: int | None = None

    @property
    def code(self) -> str | None:
        return self.actor.code if self.actor is not None else None


_OF = frozenset({"of"})
_PRON_SUBJ = {"it", "they", "he", "she", "we"}


def unresolved(tok: Token, factor: float = 0.5) -> Arg | None:
    """An unresolved noun-phrase argument (not a pronoun), with its text span."""
    if tok.pos_ not in ("NOUN", "PROPN"):
        return None
    lo = tok.left_edge
    span = tok.doc[lo.i: tok.i + 1]
    return Arg(None, tok.i, factor, span.text, span.start_char, span.end_char)


def speaker_for_pronoun(v: Token, idx: "ActorIndex") -> list[Arg]:
    """"X said it/they would ...": a pronoun subject stands for the subject of a
    governing clause that names an actor (nearest governing verb first)."""
    toks, _ = subject_tokens(v)  # "Syria says it is willing to withdraw"
    subj = [c for c in toks if c.dep_ in SUBJ and c.lower_ in _PRON_SUBJ]
    if not subj or idx.at(subj[0].i):
        return []
    np_: Arg | None = None
    clause = subj[0].head
    if clause.dep_ in ("acl", "ccomp") and clause.head.pos_ == "NOUN" \
            and clause.head.lemma_.lower() in DOC_NOUNS | _SAYING_NOUNS:
        # "a Russian announcement that *it* had opened corridors": the noun's owner speaks
        found = [a for a in expand(clause.head, idx, 0.75) if a.token != clause.head.i]
        if found:
            return found
    for a in subj[0].head.ancestors:
        if a.pos_ not in ("VERB", "AUX"):
            continue
        for c in children_of(a):
            if c.dep_ in ("nsubj", "nsubjpass") and c.i < v.i:
                found = expand(c, idx, 0.75)
                if found:
                    return found
                np_ = np_ or unresolved(c, 0.4)
    # "Action Against Hunger says it is providing ...": the nearest speaker is an
    # unresolved noun phrase; it is still the source, as evidence (no actor code)
    return [np_] if np_ is not None else []

class ActorIndex:
    """Token index -> actor mention, for one sentence (built once, O(1) lookups)."""

    def __init__(self, sent: Span, actors: list[ActorMention]):
        self.by_tok: dict[int, ActorMention] = {}
        self.spans: dict[int, tuple[int, int]] = {}
        doc = sent.doc
        for m in actors:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            for i in range(span.start, span.end):  # the span's tokens, by index (no Tokens built)
                self.by_tok.setdefault(i, m)
                self.spans.setdefault(i, (span.start, span.end))

    def __bool__(self) -> bool:
        return bool(self.by_tok)

    def at(self, i: int) -> ActorMention | None:
        return self.by_tok.get(i)


def _actor_here(tok: Token, idx: ActorIndex) -> ActorMention | None:
    return idx.at(tok.i)


def _own_body(tok: Token, idx: ActorIndex) -> ActorMention | None:
    """"his government" / "its army" with no resolved actor: the body of the nearest
    actor named before it in the sentence (the speaker whose government it is)."""
    if tok.lower_ not in _BODY_SECTOR or not any(
            c.dep_ == "poss" and c.lower_ in POSS_PRON for c in children_of(tok)):
        return None
    prev = [m for i, m in idx.by_tok.items() if i < tok.i and m.country]
    if not prev:
        return None
    m = max(prev, key=lambda x: x.start)
    sector = _BODY_SECTOR[tok.lower_]
    return replace(m, text=tok.doc[tok.left_edge.i: tok.i + 1].text, start=tok.left_edge.idx,
                   end=tok.idx + len(tok.text), code=m.country + (sector or ""), sector=sector,
                   kb_id=None, reason=f"possessive-pronoun-body→{m.code}",
                   confidence=round(0.6 * m.confidence, 3))


# participles whose compounded doer sponsors the noun without being it ("Iran-backed")
_SPONSORING = frozenset({"back", "sponsor", "support", "fund", "finance", "arm", "train", "bankroll",
                         "equip", "supply", "aid"})


def sponsoring_participle(tok: Token) -> bool:
    """``tok`` is the participle of "*Iran-backed* groups", "*US-funded* militias": its
    compounded doer sponsors the noun and is not what the noun names."""
    return tok.dep_ == "amod" and tok.tag_ == "VBN" and tok.lemma_.lower() in _SPONSORING


def actors_under(tok: Token, idx: ActorIndex, depth: int = 2, factor: float = 1.0) -> list[Arg]:
    """Actors for the phrase headed by ``tok``: itself, else its NP modifiers (BFS)."""
    m = _actor_here(tok, idx)
    if m is None or not m.country:  # "its troops": the possessor's country wins
        m = _own_body(tok, idx) or m
    if m is not None:
        return [Arg(m, tok.i, factor)]
    frontier = [(tok, factor)]
    for _ in range(depth):
        nxt: list[tuple[Token, float]] = []
        found: list[Arg] = []
        for t, f in frontier:
            for c in children_of(t):
                if sponsoring_participle(c):
                    continue  # "cut ties with *Iran*-backed groups": the sponsor is not the groups
                if c.dep_ in _NP_ARCS:
                    g = f * _NP_ARCS[c.dep_]
                    nxt.append((c, g))
                    if c.dep_ == "appos":  # "old allies *Cuba and Angola*": every member
                        nxt.extend((j, g) for j in conjuncts_of(c))
                elif c.dep_ == "prep" and c.lower_ in _NP_PREPS:
                    g = f * _NP_PREPS[c.lower_]
                    nxt.extend((p, g) for p in children_of(c) if p.dep_ == "pobj")
                else:
                    continue
        for t, f in nxt:  # one actor per country: "South Korean Navy ship" is KORMIL only
            m = _actor_here(t, idx)
            if m is not None and all(a.actor.country != m.country or a.actor is m and False
                                     for a in found):
                found.append(Arg(m, t.i, f))
            elif m is not None:
                k = next(j for j, a in enumerate(found) if a.actor.country == m.country)
                if len(m.code) > len(found[k].actor.code):
                    found[k] = Arg(m, t.i, f)
        if found:
            return found
        frontier = nxt
    # "several groups, *including Amnesty and HRW*,": the named members of a group that
    # is not an actor itself act for it
    members = [j for c in children_of(tok) if c.dep_ == "prep" and c.lower_ in _MEMBER_PREPS
               for p in children_of(c) if p.dep_ == "pobj" for j in (p, *conjuncts_of(p))]
    out: list[Arg] = []
    for j in members:
        m = _actor_here(j, idx)
        if m is not None and all(a.code != m.code for a in out):
            out.append(Arg(m, j.i, factor * 0.9))
    return out


def expand(tok: Token, idx: ActorIndex, factor: float = 1.0, depth: int = 2) -> list[Arg]:
    """Actors of ``tok`` and of its coordinated conjuncts, deduplicated by actor code."""
    out: list[Arg] = []
    seen: set[str] = set()
    for t in (tok, *conjuncts_of(tok)):  # conjuncts count only when they are actors themselves
        for a in actors_under(t, idx, depth if t is tok else 0, factor):
            if a.code not in seen:
                seen.add(a.code)
                out.append(a)
    if out:
        # "*Indian and Chinese* troops", "Syrian and Iraqi forces": coordinated modifiers
        # of one head name one actor each; the head's mention holds only the last one
        mine = idx.at(tok.i)
        more = [j for c in children_of(tok) if c.dep_ in ("amod", "compound", "nmod")  # "*US and Philippine* forces"
                and conjuncts_of(c) for j in (c, *conjuncts_of(c))]
        # "the foreign ministers *of Saudi Arabia and Iran*": the role distributes over
        # the coordinated "of" complement; the head's mention holds only the first
        more += [j for o in prep_objects(tok, _OF) if idx.at(o.i) is not None for j in conjuncts_of(o)]
        for j in more:
            m = idx.at(j.i)
            if m is not None and m is not mine and m.country and m.code not in seen:
                seen.add(m.code)
                out.append(Arg(m, j.i, factor))
    return out


def is_passive(v: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in children_of(v)) or postnominal_participle(v)


def postnominal_participle(v: Token) -> bool:
    """A past participle after the noun it modifies, with no subject or auxiliary of its
    own (a reduced passive relative: "the activists *arrested* by police", "a strike
    *blamed* on Turkey"): the noun is its patient and the "by" agent its doer."""
    return v.dep_ == "acl" and v.tag_ == "VBN" and v.head.i < v.i \
        and v.head.pos_ in ("NOUN", "PROPN") and v.head.dep_ != "ROOT" \
        and not any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "dobj") for c in children_of(v))


_GERUND_PREPS = frozenset({"of", "for", "by", "against", "from"})


def visiting_name(v: Token) -> Token | None:
    """The name a "visiting" the parser took for a verb qualifies: in "met *visiting*
    Chinese Premier Li" or "rallied against *visiting* Prime Minister X" the small model
    makes "visiting" a verb with the name as its object. A "visiting" with no subject or
    auxiliary of its own, right before a person's name it governs, is the adjective: the
    named person is the visitor and the object of the clause around it."""
    if v.lower_ != "visiting" or v.dep_ not in ("xcomp", "pcomp", "dobj", "ccomp", "advcl") \
            or any(c.dep_ in ("nsubj", "aux", "mark", "det") for c in children_of(v)):
        return None
    name = next((c for c in children_of(v) if c.dep_ == "dobj"), None)
    if name is None or name.ent_type_ != "PERSON" or name.left_edge.i != v.i + 1:
        return None  # "accused of visiting Syria": a place visited
    return name


def gerund_object(v: Token) -> Token | None:
    """The object of a gerund the parser read as an adjective: in "accused Iran *of
    supporting rebels*" the small model makes "supporting" a modifier of "rebels". A
    participle right after the preposition of a verb or adjective ("accused of", "guilty
    of", "blamed for") is a verb and the noun its object ("the *visiting* president",
    "thousands of *protesting* farmers" keep their reading)."""
    h = v.head
    if v.dep_ != "amod" or v.tag_ != "VBG" or h.dep_ != "pobj" or h.i <= v.i \
            or h.head.lower_ not in _GERUND_PREPS or v.i != h.head.i + 1 \
            or h.head.head.pos_ not in ("VERB", "AUX", "ADJ"):
        return None  # "dozens *of protesting* farmers": an adjective after a noun's "of"
    return h


def prenominal_participle(v: Token) -> bool:
    """A past participle modifying the noun after it ("an Iran-*backed* militia",
    "wartime *forced* labour"): the noun is its patient."""
    return v.dep_ == "amod" and v.tag_ in ("VBN", "VBD") and v.head.i > v.i


def prenominal_gerund(v: Token) -> bool:
    """A present participle modifying the noun after it ("the *striking* miners", "the
    *warring* factions"): the noun is its doer. Not the gerund the parser read as an
    adjective (:func:`gerund_object`), whose noun is its object."""
    return v.dep_ == "amod" and v.tag_ == "VBG" and v.head.i > v.i and gerund_object(v) is None


def participle_agent(v: Token) -> Token | None:
    """The X of "an *Iran*-backed militia", "the *Saudi*-led coalition", "a *US*-funded
    programme": the doer compounded on a :func:`prenominal_participle`."""
    if not prenominal_participle(v):
        return None
    return next((c for c in children_of(v) if c.dep_ in ("npadvmod", "compound", "nmod")
                 and c.i < v.i), None)


def _acronym_subject(v: Token) -> Token | None:
    """An all-capitals name right before a finite verb that the parser took for an
    adverb: the small English model reads unknown acronyms by their spelling, so
    "USAID provided ..." (suffix "aid") has no subject and "USAID" is an ``advmod``.
    Such a token in the subject's place is the subject."""
    if v.pos_ != "VERB" or v.tag_ not in ("VBD", "VBZ", "VBP") or v.i == 0:
        return None
    c = v.doc[v.i - 1]
    if c.head.i == v.i and c.dep_ in ("advmod", "npadvmod", "dep") and c.is_alpha \
            and c.is_upper and len(c) >= 2:
        return c
    return None


_INSTRUMENTAL = frozenset({"use", "employ", "utilise", "utilize", "deploy", "fire"})
_ASPECTUAL = frozenset({"stop", "start", "begin", "continue", "keep", "cease", "resume", "quit"})


def subject_tokens(v: Token, depth: int = 0) -> tuple[list[Token], float]:
    """The token(s) naming who does ``v``, climbing control/conjunction/relative arcs."""
    kids = children_of(v)
    for c in kids:
        if c.dep_ in SUBJ:
            if c.pos_ == "ADJ" and any(x.dep_ == c.dep_ and x.pos_ in ("NOUN", "PROPN") for x in kids):
                continue  # "Sudan's *paramilitary* Rapid Support Forces attacked": the
                # parser made the adjective a second subject; the noun is who acts
            if c.lower_ in _REL_PRON and v.dep_ == "relcl":
                return [v.head], 0.9
            if c.pos_ == "VERB" and c.tag_ in ("VBG", "VBN"):
                # "The Red Cross *operating in Iraq* said": the parser makes the reduced
                # relative the subject and the noun its subject; the noun is who acts
                inner = [s for s in children_of(c) if s.dep_ in ("nsubj", "nsubjpass") and s.i < c.i]
                if inner:
                    return inner, 0.95
            # "Modi, Albanese and Kishida agreed": a comma coordination the parser split
            # into two subjects of the verb
            more = [x for x in children_of(v) if x.dep_ == "nsubj" and x.i > c.i and x.i < v.i
                    and c.dep_ == "nsubj" and v.doc[x.left_edge.i - 1].text == ","]
            return [c, *more], 1.0
    acronym = _acronym_subject(v)
    if acronym is not None:
        return [acronym], 0.9
    visitor = visiting_name(v)
    if visitor is not None:
        return [visitor], 0.9
    if prenominal_participle(v):  # "an Iran-backed militia": its own doer only
        doer = participle_agent(v)
        return ([doer], 0.9) if doer is not None else ([], 0.0)
    if postnominal_participle(v):  # "the activists arrested *by police*"
        return agent_tokens(v), 1.0
    if prenominal_gerund(v):  # "the *striking* miners": the miners strike
        return [v.head], 0.9
    if v.dep_ == "agent" or depth >= 3:
        return [], 0.0
    if gerund_object(v) is not None:  # "accused Iran *of supporting* rebels": as a pcomp
        return _prep_clause_subject(v.head.head, depth)
    h = v.head
    if h.i == v.i:
        return [], 0.0
    if v.dep_ == "acl" and v.tag_ == "VBG" and h.lemma_.lower() in DOC_NOUNS \
            and h.dep_ in ("dobj", "nsubjpass") and h.head.pos_ == "VERB":
        # "Amnesty *issued a statement calling on* Belarus": the document's author acts,
        # unless the document names its own ("Hungary blocked *an EU* statement criticising")
        own = [c for c in children_of(h) if c.dep_ in ("poss", "compound", "amod") and c.i < h.i
               and c.ent_type_ in ("ORG", "GPE", "NORP", "PERSON")]
        if own:
            return own, 0.9
        g = h.head
        toks, f = (agent_tokens(g), 1.0) if is_passive(g) else subject_tokens(g, depth + 1)
        if toks:
            return toks, f * 0.85
    if v.dep_ == "relcl" or (v.dep_ in ("acl", "amod") and v.tag_ == "VBG"):
        # "the *visiting* Saudi crown prince": a present participle before its noun says
        # what the noun does
        return [h], 0.85
    if v.dep_ == "acomp" or (v.dep_ == "xcomp" and h.pos_ in ("ADJ", "AUX")):
        toks, f = subject_tokens(h, depth + 1)  # "would be willing to update"
        return toks, f * 0.9
    if v.dep_ == "xcomp" and h.lemma_.lower() in _ASPECTUAL and h.pos_ == "VERB":
        # "urged the US to *stop arming* Taiwan": an aspectual verb is transparent; who
        # stops arming is who arms, as surely as who stops
        return subject_tokens(h, depth + 1)
    if v.dep_ == "xcomp":
        # (no time spent: "has spent *two years* sending tanks": who spent them sends)
        objs = [c for c in children_of(h) if c.dep_ in ("dobj", "dative", "oprd")
                and c.ent_type_ not in ("DATE", "TIME")]
        # (not an instrument: "police *used water cannon* to disperse": the police disperse)
        if objs and h.pos_ == "VERB" and not is_phone_call(h) and h.lemma_.lower() not in _INSTRUMENTAL:
            return objs, 0.85  # object control: "urged X to halt"
        passive_subj = [c for c in children_of(h) if c.dep_ == "nsubjpass"]
        if passive_subj and h.pos_ == "VERB":
            # "Castro *is expected to visit*", "was asked to leave", "is set to sign": the
            # passive subject of the governing verb is who does the infinitive
            return passive_subj, 0.85
        toks, f = subject_tokens(h, depth + 1)
        return toks, f * 0.9
    if v.dep_ == "acl" and h.pos_ in ("NOUN", "PROPN"):
        return [h], 0.8  # "U.S. moves to arm South Korea"
    if v.dep_ in ("conj", "advcl"):
        toks, f = subject_tokens(h, depth + 1)
        return toks, f * (0.9 if v.dep_ == "conj" else 0.8)
    if v.dep_ == "pcomp" and h.dep_ == "prep":
        return _prep_clause_subject(h, depth)
    return [], 0.0


def _prep_clause_subject(prep: Token, depth: int) -> tuple[list[Token], float]:
    """Who does a clause hung on ``prep`` of a verb or adjective: "accused Pyongyang *of
    supplying* shells", "praised Seoul *for sending* aid", "was accused of ...": the
    object is who did it; "helped Africa *by donating* vaccines", "are guilty *of
    violating* the truce": the governor's subject."""
    g = prep.head
    if g.pos_ not in ("VERB", "AUX", "ADJ"):
        return [], 0.0
    objs = [c for c in children_of(g) if c.dep_ in ("dobj", "nsubjpass")]
    if (prep.lower_ in ("of", "for") or charged_with(prep)) and objs and g.pos_ == "VERB" \
            and objs[0].i < prep.i:
        return objs, 0.85
    if warned_against(prep):
        # "warned *against scrapping* the deal": those warned would do it, not the warner
        return (objs, 0.85) if objs and objs[0].i < prep.i else ([], 0.0)
    toks, f = subject_tokens(g, depth + 1)
    return toks, f * 0.8


_WARNING_VERBS = frozenset({"warn", "caution", "advise", "counsel"})
_CREDIT_NOUNS = frozenset({"responsibility", "credit"})
_OWNING_VERBS = frozenset({"claim", "take", "admit", "accept", "acknowledge", "assume"})
# acts one claims by naming them: "claimed the attack/bombing/killing"
_CLAIMABLE_ACTS = frozenset({"attack", "bombing", "blast", "explosion", "killing", "assassination",
                             "abduction", "kidnapping", "strike", "ambush", "raid", "shooting",
                             "hijacking", "assault", "massacre", "attacks", "bombings"})


def claimed_by(n: Token) -> Token | None:
    """The verb of "the Taliban *claimed* responsibility for *the attack*" for the act
    ``n``: its subject says it did the act, which is that subject's claim."""
    h = n.head
    if n.dep_ == "pobj" and h.lower_ == "for" and h.head.dep_ == "dobj" \
            and h.head.lemma_.lower() in _CREDIT_NOUNS and h.head.head.lemma_.lower() in _OWNING_VERBS:
        return h.head.head
    if n.dep_ == "dobj" and h.lemma_.lower() == "claim" and n.lemma_.lower() in _CLAIMABLE_ACTS:
        return h  # "the Pakistani Taliban *claimed* an attack on a police station"
    return None


def charged_with(prep: Token) -> bool:
    """``prep`` is the "with" of "charged (X) with doing": the act is X's, as the charge
    says ("with" names the act after no other verb of accusing)."""
    return prep.lower_ == "with" and prep.head.lemma_.lower() == "charge"


def warned_against(prep: Token) -> bool:
    """``prep`` is the "against" of "warned (X) against doing": what follows is done, if
    at all, by those warned."""
    return prep.lower_ == "against" and prep.head.lemma_.lower() in _WARNING_VERBS


def is_time_prep(c: Token) -> bool:
    """ "on Tuesday", "at noon": a preposition of time is no argument."""
    objs = [o for o in children_of(c) if o.dep_ == "pobj"]
    return bool(objs) and all(o.ent_type_ in ("DATE", "TIME") for o in objs)


def is_phone_call(t: Token) -> bool:
    """ "Stoltenberg *called* Erdogan to apologize" is a telephone call, whose purpose is
    the caller's; only "call on/upon X to" and "call for X to" are appeals ("on Tuesday"
    is no "call on")."""
    lemma = t.lemma_.lower()
    if lemma in ("phone", "telephone", "ring"):
        return True
    return lemma == "call" and not any(
        c.dep_ in ("prep", "prt") and c.lower_ in ("on", "upon", "for") and not is_time_prep(c)
        for c in children_of(t)) and not any(c.dep_ == "advcl" and is_for_clause(c) for c in children_of(t))


def content_clause_owner(c: Token) -> Token | None:
    """The noun whose content clause ``c`` is: "its demand *that Israel ease* ...", "its
    call *for Russia to withdraw*". The parser hangs such a clause on the noun or on the
    verb whose object the noun is (the noun then stands before the clause)."""
    h = c.head
    if h.i == c.i or c.pos_ not in ("VERB", "AUX"):
        return None
    that = c.dep_ in ("acl", "ccomp") and any(m.dep_ == "mark" and m.lower_ == "that"
                                               for m in children_of(c))
    if not (that or is_for_clause(c)):
        return None
    return next((n for n in [h] + [x for x in children_of(h) if x.dep_ == "dobj" and x.i < c.i]
                 if n.pos_ == "NOUN"), None)


def is_for_clause(c: Token) -> bool:
    """An adverbial "for X to <verb>" clause ("called for Iran to release ...")."""
    return c.dep_ == "advcl" and c.pos_ in ("VERB", "AUX") \
        and any(m.dep_ == "mark" and m.lower_ == "for" for m in children_of(c)) \
        and any(a.dep_ == "aux" and a.lower_ == "to" for a in children_of(c))


def agent_tokens(v: Token) -> list[Token]:
    """The "by" agent of a passive verb or of an event noun."""
    out = []
    for c in children_of(v):
        if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by"):
            out.extend(p for p in children_of(c) if p.dep_ == "pobj")
    return out


def small_clauses(v: Token) -> list[Token]:
    """Complement clauses the parser hangs where an object belongs: a verbless clause
    ("allow [UN agencies access]") or an infinitival one ("declared [a state of siege to
    begin]"); their subject is the verb's object."""
    return [c for c in children_of(v) if c.dep_ == "ccomp" and (
        c.pos_ in ("NOUN", "PROPN") or (
            (c.pos_ == "ADJ" or any(a.dep_ == "aux" and a.lower_ == "to" for a in children_of(c)))
            and any(s.dep_ == "nsubj" for s in children_of(c))))]


def object_tokens(v: Token) -> list[Token]:
    """Direct objects of a verb (or the passive subject), else small-clause subjects."""
    if postnominal_participle(v):
        return [v.head]
    if is_passive(v):
        return [c for c in children_of(v) if c.dep_ == "nsubjpass"]
    if visiting_name(v) is not None:
        return []  # the visitor is the subject (see visiting_name)
    if prenominal_participle(v):
        return [v.head]  # "an Iran-*backed* militia": the militia is backed
    if prenominal_gerund(v):
        return []  # "the *warring* factions": the factions are its doers, not its objects
    out = [c for c in children_of(v) if c.dep_ in ("dobj", "dative", "attr", "oprd")]
    out = [visiting_name(c) or c for c in out]
    out += [n for c in children_of(v) if c.dep_ in ("xcomp", "ccomp", "advcl")
            and (n := visiting_name(c)) is not None]
    if not out:
        g = gerund_object(v)
        out = [g] if g is not None else up_to_objects(v)
    if not out and v.pos_ in ("VERB", "AUX"):  # the clause's subject, else its noun head
        for c in small_clauses(v):
            out += [s for s in children_of(c) if s.dep_ == "nsubj"] or [c]
    return out


def up_to_objects(v: Token) -> list[Token]:
    """ "kidnapped *up to 16 Russian advisers*", "killed up to 50 people": the parser reads
    the quantity "up to N" as a particle and a preposition; the counted noun is the object."""
    ups = [c for c in children_of(v) if c.dep_ == "prt" and c.lower_ == "up"]
    if not ups:
        return []
    return [o for h in (v, *ups) for c in children_of(h) if c.dep_ == "prep" and c.lower_ == "to"
            for o in children_of(c) if o.dep_ == "pobj" and any(n.dep_ == "nummod" for n in children_of(o))]


def message_recipients(v: Token) -> list[Token]:
    """Whom the document a clause describes was addressed to: "sent Putin *a message
    expressing* his desire for ...", "a letter to Abe *calling for* talks" (the dative or
    "to" object of the verb that sent the document, or "to" on the document itself)."""
    doc_noun = v.head
    if v.dep_ != "acl" or doc_noun.i == v.i or doc_noun.lemma_.lower() not in DOC_NOUNS:
        return []
    out = [q for c in children_of(doc_noun) if c.dep_ == "prep" and c.lower_ == "to"
           for q in children_of(c) if q.dep_ == "pobj"]
    sender = doc_noun.head
    if doc_noun.dep_ in ("dobj", "nsubjpass") and sender.pos_ == "VERB":
        out += [c for c in children_of(sender) if c.dep_ == "dative" and c.pos_ in ("PROPN", "NOUN")]
        out += [q for c in children_of(sender) if c.dep_ in ("prep", "dative") and c.lower_ == "to"
                for q in children_of(c) if q.dep_ == "pobj"]
    return out


def prep_objects(tok: Token, preps: frozenset[str]) -> list[Token]:
    """Objects of the prepositions in ``preps`` attached to ``tok``."""
    out = []
    for c in children_of(tok):
        if c.dep_ in ("prep", "agent", "dative") and c.lower_ in preps:
            objs = [visiting_name(p) or p for p in children_of(c) if p.dep_ in ("pobj", "pcomp")]
            out.extend(objs or _reduced_relative_object(c))
    return out


def _reduced_relative_object(prep: Token) -> list[Token]:
    """ "granted asylum *to five officers holed up* in a residence": with a reduced relative
    clause after it, the parser leaves the preposition without an object and makes the noun
    the subject of the clause. The noun right after the preposition is its object."""
    nxt = prep.i + 1
    if nxt >= len(prep.doc):
        return []
    for clause in children_of(prep.head):
        if clause.dep_ in ("advcl", "acl", "relcl", "ccomp", "conj") and clause.i > prep.i:
            for s in children_of(clause):
                if s.dep_ in ("nsubj", "nsubjpass") and s.left_edge.i == nxt:
                    return [s]
    return []


def first_actors(slots: list[tuple[list[Token], float]], idx: ActorIndex, limit: int,
                 exclude: set[int] | None = None) -> list[Arg]:
    """Actors of the first slot (in priority order) that yields one with a country.

    A generic agent with no country ("troops" -> MIL) is kept only when no later slot
    names a country-bearing actor ("withdraw troops *from Lebanon*"); within a slot,
    country-bearing actors come first."""
    fallback: list[Arg] = []
    for toks, f in slots:
        out: list[Arg] = []
        for t in toks:
            for a in expand(t, idx, f):
                if exclude and a.token in exclude:
                    continue
                if all(a.code != b.code for b in out):
                    out.append(a)
        if any(a.actor.country for a in out):
            return sorted(out, key=lambda a: not a.actor.country)[:limit]
        if out and not fallback:
            fallback = out[:limit]
    return fallback
