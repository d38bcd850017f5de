"""Semantic roles of a trigger: who acts (source) and on whom (target), beyond the plain
dependency arcs of :mod:`detente.coding.args`.

Verb sources and targets (with the place/adversary rule and the locative target of a
material action), event-noun arguments (light verbs, partitives, "of" complements), the
unresolved object kept as target evidence, and the fallbacks for an event with no target:
a protest's purpose clause, a comment's content clause, a threat's condition clause.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from ..actors import children_of
from .args import (DOC_NOUNS, POSS_PRON, ActorIndex, Arg, actors_under, agent_tokens, claimed_by, expand,
                   first_actors, is_passive, is_phone_call, message_recipients, object_tokens,
                   prep_objects, speaker_for_pronoun, subject_tokens, unresolved)
from .lexicon import Lexicon, Pattern
from .matching import FORCE_ROOTS, match


# comments, appeals, praise and blame, rejection: reactions, done by someone other than
# the owner of what they react to
_REACTION_ROOTS = frozenset({"01", "02", "05", "10", "11", "12"})


def verb_sources(v: Token, idx: ActorIndex, p: Pattern | None = None,
                 lex: Lexicon | None = None) -> list[Arg]:
    """Actors doing ``v``; else a pronoun's speaker; else the unresolved subject NP. An
    agentless passive state action ("was arrested *in Lebanon*", "were expelled *from
    North Korea*") is the place's: its country is the source."""
    if is_passive(v):
        toks, f = agent_tokens(v) or _gerund_agents(v), 1.0
        if not toks and lex is not None and not (p is not None and p.code[:2] in _REACTION_ROOTS):
            # "*Japan's* sanctions against North Korea were extended": with no agent, the
            # owner of the measure or act the passive is about is who acts; not for a
            # reaction to it ("Russia's statement was rejected": someone else rejects)
            toks = [c for o in object_tokens(v) if lex.patterns("noun", o.lemma_.lower())
                    for c in children_of(o) if c.dep_ == "poss" and c.lower_ not in POSS_PRON]
            f = 0.9
        if not toks and lex is not None and v.lemma_.lower() in lex.settings.self_passive_lemmas:
            own = first_actors([(object_tokens(v), 0.9)], idx, 99)
            if own:
                return own
        if not toks and p is not None and lex is not None \
                and p.code.startswith(tuple(lex.settings.state_action_codes)):
            for t in prep_objects(v, lex.settings.state_place_preps):
                found = [a for a in actors_under(t, idx, 3, 0.6) if a.actor.country]
                if found:
                    return found[:1]
    else:
        toks, f = subject_tokens(v)
    if lex is not None and toks and toks[0].dep_ == "nsubj" and toks[0].head.i == v.i \
            and not idx.at(toks[0].i) and (act := match(toks[0], "noun", lex, idx)) is not None:
        # "Israeli air strikes *on Gaza* killed 20": who did the act the subject names,
        # never the act's own target
        found = noun_args(toks[0], act, lex, idx)[0]
        if found:
            return [replace(a, factor=a.factor * f) for a in found]
    found = first_actors([(toks, f), ([b for t in toks for b in _blamed_on(t)], 0.9 * f)], idx, 99)
    if found:
        return found
    found = speaker_for_pronoun(v, idx)
    if found:
        return found
    nps = [a for a in (unresolved(t, 0.5 * f) for t in toks) if a is not None]
    return nps[:1]


def _gerund_agents(v: Token) -> list[Token]:
    """ "were convicted of spying *by a court* in Beijing": after a gerund complement the
    parser hangs the passive's "by" agent on the gerund, which (active, with no object of
    its own) takes no agent itself."""
    out = []
    for c in children_of(v):
        if c.dep_ != "prep":
            continue
        for g in children_of(c):
            # the gerund may be tagged a noun ("of smuggling/NN by a court"); a noun with
            # a determiner or owner ("the killing of ... by") is an event noun of its own
            gerund = g.tag_ == "VBG" or (g.dep_ == "pobj" and g.lower_.endswith("ing"))
            if g.dep_ in ("pcomp", "pobj") and gerund and not any(
                    x.dep_ in ("dobj", "auxpass", "nsubj", "det", "poss") for x in children_of(g)):
                out += agent_tokens(g)
    return out


# transfers of goods, aid and property, whose "to" recipient is the target
_TRANSFER_CODES = ("06", "07", "084")
# reactions to a proposal (comment, appeal, intent, consult, support, reject)
_PROPOSAL_ROOTS = frozenset({"01", "02", "03", "04", "05", "12"})
_AUTHORED = frozenset({"drafted", "sponsored", "proposed", "authored", "tabled", "penned",
                       "written", "submitted", "introduced", "initiated"})

# "a *Russian-owned* refinery", "a *Greek-flagged* tanker": whose the thing is
_OWNED = frozenset({"owned", "flagged", "operated", "run", "registered", "controlled", "held"})
# acts against property, aimed at its owner (reduce relations, coerce, force)
_OWNER_TARGET_ROOTS = frozenset({"16", "17", "18", "19", "20"})


def owners_of(objs: list[Token]) -> list[Token]:
    """The X of "an X-owned / X-flagged / X-held <thing>" on the object nouns, on their
    possessor ("seized a Russian-owned refinery's assets") or apposition ("seized the
    Stena Impero, a British-flagged tanker")."""
    return [x for o in objs for n in (o, *(c for c in children_of(o) if c.dep_ in ("poss", "appos")))
            for m in children_of(n) if m.dep_ in ("amod", "compound") and m.lower_ in _OWNED
            for x in children_of(m) if x.dep_ in ("npadvmod", "compound", "nmod")]


# praise, blame and rejection, aimed at the doer of the act they judge
_JUDGED_ROOTS = frozenset({"05", "11", "12"})
# material cooperation (06-08) and material conflict (14-20)
MATERIAL_ROOTS = frozenset({"06", "07", "08", "14", "15", "16", "17", "18", "19", "20"})


def doers_of(objs: list[Token], lex: Lexicon, idx: ActorIndex) -> list[Token]:
    """The "by" agents of the event nouns among ``objs`` (on the noun or, as the parser
    often hangs it, on the noun's own prepositional object: "the attack on the embassy
    *by* protesters")."""
    out = []
    for o in objs:
        if match(o, "noun", lex, idx) is None:
            continue
        out += agent_tokens(o) + [a for q in prep_objects(o, lex.settings.target_preps | {"of"})
                                  for a in agent_tokens(q)]
    return out


# what one party asks of another: rejecting or yielding to one answers whoever asked
_REQUEST_NOUNS = frozenset({"request", "demand", "call", "appeal", "plea", "bid", "proposal",
                            "offer", "invitation", "ultimatum", "petition", "application",
                            # what someone decided or put forward: "rejected *Trump's* decision
                            # to recognise Jerusalem" answers Trump
                            "decision", "plan", "suggestion", "initiative", "move", "claim", "order"})
_ANSWERING_ROOTS = frozenset({"08", "12"})


def requesters_of(nouns: list[Token]) -> list[Token]:
    """Who asked, for the request nouns among ``nouns``: "rejected *the Romanian
    authorities'* request", "a request *by Russian prosecutors*", "conceded to the demands
    *of the miners*"."""
    out = []
    for n in nouns:
        if n.lemma_.lower() in _REQUEST_NOUNS:
            # "the authorities' request", "a *US* demand", "an *Iranian* request"
            out += [c for c in children_of(n) if c.dep_ in ("poss", "compound", "amod")] + agent_tokens(n) \
                + prep_objects(n, frozenset({"from", "of"}))
    return out


def authors_of(objs: list[Token]) -> list[Token]:
    """The X of "an X-drafted / X-sponsored resolution" on the given object nouns."""
    out = []
    for o in objs:
        for m in children_of(o):
            if m.dep_ in ("amod", "compound") and m.lower_ in _AUTHORED:
                out += [x for x in children_of(m) if x.dep_ in ("npadvmod", "compound", "nmod")]
    return out


# codes whose CAMEO target is the place or adversary, not the moved/used agent:
# withdraw (0874), peacekeepers deployed (074), force posture/deploy (15), expel (174),
# violence (18-20), and recalling or withdrawing one's own envoys, diplomats or
# peacekeepers (161, 166: "France recalled its ambassador *to Italy*"; another country's
# diplomats expelled stay the target)
_PLACE_CODES = ("074", "0874", "15", "161", "166", "174", "18", "19", "20")
# moving one's own forces: deploy, withdraw, send peacekeepers
_MOVING_CODES = ("074", "0874", "15")
PLACE_PREPS = frozenset({"from", "in", "into", "to", "against", "inside", "at", "on", "toward",
                         "towards"})
# a show or build-up of force is aimed at what it is held near ("massed troops *near* the
# Ukrainian border"); a town seized near a border is not the neighbour's
_POSTURE_PREPS = frozenset({"near", "along"})
_BORDER_NOUNS = frozenset({"border", "frontier", "boundary"})
_WITH = frozenset({"with"})


_VENUE_PREPS = frozenset({"at", "in", "on", "during"})


def _owner_pronoun(t: Token) -> bool:
    """ "*its* troops": the phrase is owned by the clause's subject."""
    return any(c.dep_ == "poss" and c.lower_ in _OWNER_PRON for c in children_of(t))


def own_moved(p: Pattern, objs: list[Token], idx: ActorIndex) -> bool:
    """A place/adversary code whose object is the source's own forces or envoys ("withdrew
    *its* troops"): what the source moves, so the event's target is a place or no one."""
    return p.code.startswith(_PLACE_CODES) and bool(objs) and all(
        _owner_pronoun(o) and idx.at(o.i) is not None for o in objs)


def verb_targets(v: Token, p: Pattern | None, lex: Lexicon, idx: ActorIndex,
                 exclude: set[int], sources: list[Arg] | None = None) -> list[Arg]:
    """Targets of ``v``: its objects, else its prepositional arguments. For place/adversary
    codes an object that is a generic agent with no country, or the source's own forces
    ("withdraw its troops from Lebanon"), yields to a prepositional country actor."""
    preps = p.prep if p is not None and p.prep is not None else lex.settings.target_preps
    objs = object_tokens(v)
    venues = lex.settings.venue_nouns  # "met *at the APEC summit*": where, not whom
    slots = [(objs, 1.0), ([o for o in prep_objects(v, preps)
                            if not (o.lemma_.lower() in venues and o.head.lower_ in _VENUE_PREPS)], 1.0)]
    if p is not None and p.code[:2] in _PROPOSAL_ROOTS:
        # "vetoed a *U.S.-drafted* resolution": a reaction to a proposal is aimed at its author
        slots.insert(0, (authors_of(objs), 1.0))
    if p is not None and p.code[:2] in _OWNER_TARGET_ROOTS:
        slots.insert(0, (owners_of(objs), 1.0))
    if p is not None and p.code[:2] in _ANSWERING_ROOTS:
        slots.insert(0, (requesters_of(objs + prep_objects(v, frozenset({"to"}))), 1.0))
    if p is not None and p.code[:2] in _JUDGED_ROOTS:
        # "condemned the attack on the embassy *by Iranian protesters*": praise or blame of
        # an act is aimed at whoever did it
        judged_doers = doers_of(objs, lex, idx)
        slots.insert(0, (judged_doers, 1.0))
        acts = {o: q for o in objs if not idx.at(o.i) and p.code[:2] != "12"
                # (not the pattern's own noun: "filed a *protest* over X's act")
                and not (p.obj is not None and o.lemma_.lower() in p.obj)
                and (q := match(o, "noun", lex, idx)) is not None and q.code[:2] in MATERIAL_ROOTS}
        if acts:
            # "condemned *Russia's* invasion of Ukraine", "praised the attack on Israel": the
            # doer of a material act (its owner or modifier) is the one judged, never the
            # act's victim; with no doer named the act itself stands as the evidence
            # ("blamed the war *on the United States*": whom it is blamed on did it, even
            # where the parser hangs "on" on the act: "blamed [the attack on Washington]")
            on = [q for h in (v, *acts) for q in prep_objects(h, _BLAME_PREPS)] \
                if v.lemma_.lower() in BLAME_LEMMAS else []
            doers = first_actors([(on + judged_doers, 1.0)], idx, 99, exclude) or [
                a for o, q in acts.items() for a in noun_args(o, q, lex, idx)[0]
                if a.actor is not None and a.token not in exclude]
            if doers:
                return doers
            skip = {t.i for o in acts for t in o.subtree}
            slots = [([t for t in toks if t.i not in skip], f) for toks, f in slots]
            objs = [o for o in objs if o not in acts]
    if p is not None and p.code.startswith(_TRANSFER_CODES) and objs \
            and not any(idx.at(o.i) for o in objs):
        # "returned six *Iraqi* artifacts *to the government of Iraq*": a transfer of a
        # thing is aimed at its recipient, not at an actor that qualifies the thing
        tos = prep_objects(v, frozenset({"to"})) + [
            q for o in objs for t in o.subtree if t.dep_ == "prep" and t.lower_ == "to"
            for q in children_of(t) if q.dep_ == "pobj"]
        slots.insert(0, (tos, 1.0))
    for o in objs:
        slots.append((prep_objects(o, preps), 0.9))
    if p is not None and p.prep is not None:
        # "withdrew *from the treaty with Moscow*": the target hangs on the object of the
        # pattern's own preposition
        slots.append(([q for o in prep_objects(v, p.prep)
                       for q in prep_objects(o, lex.settings.target_preps - p.prep)], 0.85))
    for m in children_of(v):  # "is getting *closer to* Beijing"
        if m.dep_ in ("acomp", "advmod") and m.pos_ in ("ADJ", "ADV"):
            slots.append((prep_objects(m, preps), 0.9))
    if p is not None and p.code.startswith(_PLACE_CODES):
        own = {a.actor.country for a in sources or () if a.actor is not None} - {None}
        obj_args = [a for o in objs for a in expand(o, idx)]
        if all(not a.actor.country or a.actor.country in own for a in obj_args):
            place = prep_objects(v, preps | PLACE_PREPS | (_POSTURE_PREPS if p.code.startswith("15") else frozenset()))
            # "deployed to *the border with Guyana*": a border is shared with its neighbour
            place += [q for t in place if t.lemma_.lower() in _BORDER_NOUNS for q in prep_objects(t, _WITH)]
            # or on the own agent itself: "recalled its ambassador *to Italy*"
            on_obj = [q for o in objs for q in prep_objects(o, preps | PLACE_PREPS)]
            found = first_actors([(place, 0.95), (on_obj, 0.9)], idx, 99, exclude)
            if any(a.actor.country and a.actor.country not in own for a in found):
                return found
            # "withdraw *its* troops", "deployed marines": what the source moves is its own,
            # not whom it acts on
            exclude = exclude | {a.token for a in obj_args if _owner_pronoun(v.doc[a.token]) or (
                p.code.startswith(_MOVING_CODES) and a.actor.sector == "MIL" and a.actor.country in own)}
    found = first_actors(slots, idx, 99, exclude)
    own_codes = {a.code for a in sources or () if a.actor is not None}
    if found and own_codes and all(a.code in own_codes for a in found):
        # "reneged on *his* commitment to the Zambian people": the source's own
        # possessive is no target; look past it
        own = exclude | {a.token for a in found}
        nouns = [v.doc[a.token].head for a in found]
        tp = lex.settings.target_preps
        found = first_actors(slots + [(prep_objects(n, tp), 0.9) for n in nouns], idx, 99, own)
    if not found and p is not None and p.code[:2] in LOCATIVE_ROOTS and lex.settings.locative_preps \
            and (p.code[:2] == "09" or all(o.lemma_.lower() in lex.things for o in objs)):
        loc = lex.settings.locative_preps
        for t in prep_objects(v, loc) + [q for o in objs for q in prep_objects(o, loc)]:
            found = [a for a in actors_under(t, idx, 3, 0.7)
                     if a.actor.country and a.token not in exclude]
            if found:
                return found[:1]
    if not found and p is not None and p.code.startswith(_TRANSFER_CODES):
        # "sent 100 vehicles and a team of paratroopers *to Lebanon*", "returned a pendant
        # engraved with the image of Peter the Great *to Russian authorities*": the parser
        # hangs the recipient deep inside the object; for a transfer it is the verb's
        tos = [t for o in objs for t in o.subtree if t.dep_ == "prep" and t.lower_ == "to"]
        found = [a for a in first_actors([([q for t in tos for q in children_of(t)
                                            if q.dep_ == "pobj"], 0.8)], idx, 99, exclude)
                 if a.actor.country]
    if not found and not objs:
        # "donated and personally delivered goods *to the school*": the first of two
        # conjoined verbs shares the arguments the parser gave the second
        for c in children_of(v):
            if c.dep_ == "conj" and c.pos_ == "VERB" and c.i > v.i \
                    and not any(x.dep_ in ("nsubj", "nsubjpass") for x in children_of(c)):
                found = verb_targets(c, p, lex, idx, exclude, sources)
                if found:
                    return found
    return found


# material actions (06-08, 14-20) whose place may stand for the target ("lifted the curfew
# in Montenegro"), and investigations (09), whose place is what is investigated
# ("dispatched inspectors to a plant in central Iran"; the inspectors sent are no target);
# also the roots of the coder's place-as-target rule (place_target.py)
LOCATIVE_ROOTS = MATERIAL_ROOTS | {"09"}
# a visit with no one named is to the country of the place visited ("arrived in Pyongyang")
VISIT_CODES = ("042",)


def locative_code(code: str) -> bool:
    """Events whose place stands for their target when no actor is aimed at (see
    :mod:`.place_target`): material acts, investigations and visits."""
    return code[:2] in LOCATIVE_ROOTS or code.startswith(VISIT_CODES)


def target_np(slots: list[list[Token]]) -> Arg | None:
    """The first unresolved noun phrase of the target slots ("killed *several militants*"):
    evidence of whom the event was aimed at when no actor resolves there."""
    for toks in slots:
        for t in toks:
            if t.ent_type_ in _NOT_TARGETS:  # "on *Monday*", "*$50,000* worth of goods"
                continue
            a = unresolved(t, 0.5)
            if a is not None:
                return a
    return None


# named-entity types that never name whom an event is aimed at
_NOT_TARGETS = frozenset({"DATE", "TIME", "MONEY", "PERCENT"})


_OWNER_PRON = POSS_PRON | {"our"}  # possessive pronouns an event noun's owner may take


_COPULAS = frozenset({"be", "remain", "become"})
# "talks *between* X and Y": the parties of an act named after it
BETWEEN = frozenset({"between", "among"})
# "blamed on", "attributed to", "claimed by": who is named as the doer of an act
BLAME_LEMMAS = frozenset({"blame", "attribute", "claim", "pin"})
_BLAME_PREPS = frozenset({"on", "to"})
_RECIPIENT_PREPS = frozenset({"to", "for"})
_IN = frozenset({"in"})
# phrasal verbs of quitting or putting off ("gave up fighting", "held off an attack");
# other particles keep the light verb ("carried out airstrikes", "sped up the withdrawal")
_QUITTING = frozenset({("give", "up"), ("end", "up"), ("hold", "off"), ("put", "off"),
                       ("back", "off"), ("call", "off")})


def noun_governor(n: Token, lex: Lexicon) -> Token | None:
    """The light verb whose object (or object of "into"/"in") the event noun is; a
    conjunct takes its first conjunct's place ("launched artillery, mortar, and rocket
    *fire*")."""
    while n.dep_ == "conj" and n.head.i != n.i and n.head.pos_ in ("NOUN", "PROPN"):
        n = n.head
    h = n.head
    if n.dep_ == "pobj" and h.lower_ == "of" and h.head.lemma_.lower() in lex.settings.partitive_nouns:
        n, h = h.head, h.head.head  # "began *a new round of* joint exercises"
    elif n.dep_ == "pobj" and h.lower_ == "in" and h.head.lemma_.lower() in lex.settings.amount_nouns:
        n, h = h.head, h.head.head  # "announced *$33 million in* assistance"
    if n.dep_ in ("dobj", "nsubjpass", "attr") and h.pos_ in ("VERB", "AUX"):
        if any(c.dep_ == "prt" and (h.lemma_.lower(), c.lower_) in _QUITTING for c in children_of(h)):
            return None  # "gave *up* fighting": quitting an act is no light verb of it
        return h if h.lemma_.lower() in lex.settings.light_verbs else None
    if n.dep_ == "pobj" and h.lower_ in ("into", "in") and h.head.pos_ == "VERB":
        return h.head
    return None


def event_governor(n: Token, lex: Lexicon, idx: ActorIndex) -> Token | None:
    """:func:`noun_governor` of the event noun, or of the noun it modifies when that noun
    holds it and is no event itself: "announced a new *aid* package for Ukraine" is
    announced aid."""
    gov = noun_governor(n, lex)
    if gov is None and n.dep_ == "compound" and n.head.lemma_.lower() in _CONTAINER_NOUNS \
            and match(n.head, "noun", lex, idx) is None:
        gov = noun_governor(n.head, lex)
    return gov


# nouns that hold an act as a compound: "an *aid* package", "a *relief* convoy" (not "*war*
# reparations", which are no war)
_CONTAINER_NOUNS = frozenset({"package", "programme", "program", "shipment", "convoy", "consignment",
                              "flight", "tranche", "installment", "instalment", "plan"})


def agent_noun_args(n: Token, lex: Lexicon, idx: ActorIndex) -> tuple[list[Arg], list[Arg]]:
    """ "China is *Pakistan's* largest arms supplier", "the United States remains the
    largest donor of aid *to Iraq*": a noun that names the doer is said of the source, the
    subject of its copula (nothing else: "Iran, Hezbollah's main backer" is background);
    its possessor and its to/for complements (or those of its "of" complement) are whom
    it is done to, failing those a country it acts in, and last the "of" complement
    itself."""
    h = n.head
    if n.dep_ != "attr" or h.lemma_.lower() not in _COPULAS:
        return [], []
    sources = first_actors([(subject_tokens(h)[0], 1.0)], idx, 99)
    of_toks = prep_objects(n, frozenset({"of"}))
    slots = [([c for c in children_of(n) if c.dep_ == "poss"], 1.0),
             (prep_objects(n, _RECIPIENT_PREPS), 1.0),
             ([q for o in of_toks for q in prep_objects(o, _RECIPIENT_PREPS)], 0.9),
             (prep_objects(n, _IN) + [q for o in of_toks for q in prep_objects(o, _IN)], 0.85),
             (of_toks, 0.8)]  # "the largest creditor *of Laos*"
    return sources, first_actors(slots, idx, 99, {a.token for a in sources})


def _blamed_on(n: Token) -> list[Token]:
    """ "a drone strike *blamed on Turkey*", "the bombing *claimed by* the Islamic State",
    "attacks *attributed to* the army": whom a participle after the event noun names as
    its doer."""
    return [a for c in children_of(n) if c.dep_ == "acl" and c.lemma_.lower() in BLAME_LEMMAS
            for a in prep_objects(c, _BLAME_PREPS) + agent_tokens(c)]


def _credited_with(n: Token) -> list[Token]:
    """Who an act "for" which someone answers is said to be done by: "the Houthis *claimed
    responsibility for* an attack" (who claims it), "praised *Hamas* for the attack",
    "sanctioned *Iran* for its support" (whom the judgement is about)."""
    claim = claimed_by(n)
    if claim is not None:
        return subject_tokens(claim)[0]
    h = n.head
    if n.dep_ != "pobj" or h.lower_ != "for":
        return []
    g = h.head
    if g.pos_ == "VERB" and g.lemma_.lower() in _JUDGING_VERBS:
        return [c for c in children_of(g) if c.dep_ == "dobj" and c.i < h.i]
    return []


# verbs that judge someone *for* an act of theirs
_JUDGING_VERBS = frozenset({"praise", "thank", "commend", "congratulate", "hail", "applaud", "reward",
                            "blame", "condemn", "criticise", "criticize", "fault", "punish", "sanction",
                            "rebuke", "denounce", "slam", "chastise", "reprimand", "censure"})


# verbs of reacting to an act: welcoming "the ceasefire *between Armenia and Azerbaijan*"
# is no ceasefire of one's own
_REACTION_VERBS = frozenset({"welcome", "back", "support", "endorse", "approve", "accept", "hail",
                             "applaud", "praise"})


def parties_of(n: Token, gov: Token | None, idx: ActorIndex) -> bool:
    """An event noun, governed by a verb of reacting, that names its own parties after
    "between": the noun is their act, and the verb the reaction to it."""
    return gov is not None and gov.lemma_.lower() in _REACTION_VERBS and len(
        first_actors([(prep_objects(n, BETWEEN), 1.0)], idx, 99)) >= 2


def noun_args(n: Token, p: Pattern, lex: Lexicon, idx: ActorIndex) -> tuple[list[Arg], list[Arg]]:
    if p.agent:
        return agent_noun_args(n, lex, idx)
    gov = event_governor(n, lex, idx)
    if parties_of(n, gov, idx):
        gov = None
    of_toks = prep_objects(n, frozenset({"of"}))
    head = n.head if n.dep_ == "compound" else n  # "sanctions drive": args sit on "drive"
    mods = [c for c in (*children_of(n), *(children_of(head) if head.i != n.i else ()))
            if c.dep_ in ("poss", "amod", "compound", "nmod") and c.i != n.i]
    # "received aid from Japan": the subject of a verb of receiving is whom the act is for
    receiving = gov is not None and gov.lemma_.lower() in _RECEIVING and not is_passive(gov)
    # "drew *condemnation from the United States*", "aid from Japan": who it comes from
    # (also hung on the "of" complement: "the purchase of jets *from France*")
    from_toks = [*prep_objects(n, FROM), *(prep_objects(head, FROM) if head.i != n.i else ()),
                 *(prep_objects(gov, FROM) if receiving else ()),
                 # "drew sharp criticism *from Washington*", the "from" hung on the verb
                 *(prep_objects(n.head, FROM) if n.dep_ == "dobj" and n.head.lemma_.lower() in _ELICITING
                   else ()),
                 *(q for o in of_toks for q in prep_objects(o, FROM))] \
        if p.code[:2] in _FROM_SOURCE_ROOTS else []
    src_slots: list[tuple[list[Token], float]] = [(agent_tokens(n) + agent_tokens(head), 1.0),
                                                  (from_toks, 0.95), (_blamed_on(n), 0.9),
                                                  (_credited_with(n), 0.9)]
    if p.of_role == "target":
        # "the expulsion of Russian diplomats *by Poland*": the parser often hangs the
        # agent on the "of" complement instead of on the event noun
        src_slots.append(([a for o in of_toks for a in agent_tokens(o)], 0.9))
    if gov is not None and not receiving:
        toks, f = subject_tokens(gov) if not is_passive(gov) else (agent_tokens(gov), 1.0)
        if not toks and is_passive(gov) and gov.lemma_.lower() in lex.settings.engagement_verbs:
            toks, f = object_tokens(gov), 0.95  # "Serb forces *were engaged in* ethnic cleansing"
        src_slots.append((toks, 0.95 * f))
    src_slots.append(([c for c in mods if c.dep_ == "poss"], 0.95))
    if gov is None and n.dep_ == "dobj" and _owner_pronoun(n):
        # "the ILO reiterated *its* demand that ...": the owner is the governing verb's subject
        src_slots.append((subject_tokens(n.head)[0], 0.9))
    if p.of_role == "source":
        src_slots.append((of_toks, 0.9))
    src_slots.append(([c for c in mods if c.dep_ != "poss"], 0.85))
    if p.code[:2] == "04" and n.dep_ == "pobj" and n.head.head.pos_ in ("VERB", "AUX") \
            and n.lemma_.lower() not in lex.settings.venue_nouns and (
            n.head.lower_ in _ATTENDED_PREPS or (p.code.startswith(VISIT_CODES) and n.head.lower_ in _AFTER)):
        # "*During a visit to Beijing*, the chancellor raised ...": who is at a meeting or
        # on a visit named by a circumstance is the clause's subject
        src_slots.append((subject_tokens(n.head.head)[0], 0.85))
    sources = first_actors(src_slots, idx, 99)
    used = {a.token for a in sources}
    preps = p.prep if p.prep is not None else lex.settings.target_preps
    if p.code.startswith(_PLACE_CODES):  # "the withdrawal of forces *from Panama*"
        preps = preps | PLACE_PREPS
    tgt_slots = [(prep_objects(n, preps) + (prep_objects(head, preps) if head is not n else []), 1.0)]
    # "the attack by Israeli forces *on Gaza*": the parser often hangs the target on the
    # "by" agent's noun instead of on the event noun
    tgt_slots.append(([q for a in agent_tokens(n) for q in prep_objects(a, preps)], 0.9))
    if gov is not None:
        tgt_slots.append(([c for c in children_of(gov) if c.dep_ == "dative"] + prep_objects(gov, preps), 0.95))
    if p.of_role == "target":
        tgt_slots.append((of_toks, 0.9))
    # "a suspension of aid *to Pakistan*": the target hangs on the "of" complement
    tgt_slots.append(([q for o in of_toks for q in prep_objects(o, preps)], 0.9))
    # "a desire for closer ties *with Caracas*": or on the complement of the pattern's
    # own preposition
    if p.prep is not None:
        tgt_slots.append(([q for o in prep_objects(n, p.prep) for q in prep_objects(o, preps)], 0.85))
    if sources:  # "Chinese sanctions on ..." used the modifiers as source already
        tgt_slots.append(([c for c in mods if c.dep_ != "poss"], 0.8))
    if gov is not None:  # "sent Putin a message expressing *his desire for* relations"
        tgt_slots.append((message_recipients(gov), 0.8))
    if p.swap:  # "Turkey's purchase of missiles *from Russia*": the owner receives
        return (first_actors([(from_toks, 0.95)], idx, 99),
                first_actors([([c for c in mods if c.dep_ == "poss"], 0.95)], idx, 99))
    if aimed_by_subject(n):
        # "the new sanctions *target* Russian banks": whom the act's noun is aimed at
        tgt_slots.insert(0, (object_tokens(n.head), 1.0))
    if receiving:
        tgt_slots.insert(0, (subject_tokens(gov)[0], 0.9))
    elif from_toks and n.dep_ == "dobj" and n.head.lemma_.lower() in _ELICITING:
        # "the bill *drew* condemnation from the US", "Seoul *faced* criticism from Tokyo":
        # the reaction is aimed at whoever drew it
        tgt_slots.insert(0, (subject_tokens(n.head)[0], 0.9))
    targets = first_actors(tgt_slots, idx, 99, used)
    return sources, targets


# circumstances a clause's subject takes part in: "*during* a visit to", "*at* talks with"
_ATTENDED_PREPS = frozenset({"during", "on", "at"})
# ... and, for a visit, "returned to Beijing *after* a state visit to Pyongyang"
_AFTER = frozenset({"after", "following", "before"})

# "aid *from* Japan": who an act comes from
FROM = frozenset({"from"})
# verbs that say whom their subject is aimed at: "the sanctions *target/hit* Russian banks"
AIMING = frozenset({"target", "hit", "affect", "punish", "penalize", "penalise", "cover", "aim"})


# what such a verb's subject is when the verb is no act of force: "the measures hit exports"
_MEASURE_NOUNS = frozenset({"measure", "rule", "law", "policy", "restriction", "regulation", "legislation",
                            "decree", "order", "bill", "curb", "control", "step", "move", "decision"})


def measure_subject(v: Token, lex: Lexicon, idx: ActorIndex) -> bool:
    """True for an aiming verb whose subject is a policy or an act other than force:
    "the sanctions *target* banks", "the new rules *hit* Chinese firms" are no attacks."""
    if v.lemma_.lower() not in AIMING:
        return False
    for s in children_of(v):
        if s.dep_ == "nsubj" and not idx.at(s.i):
            if s.lemma_.lower() in _MEASURE_NOUNS:
                return True
            q = match(s, "noun", lex, idx)
            if q is not None and q.code[:2] not in FORCE_ROOTS:
                return True
    return False


def aimed_by_subject(n: Token) -> bool:
    """True for an act's noun that is the subject of a verb saying whom it is aimed at
    ("the measures *target* Chinese firms")."""
    h = n.head
    return n.dep_ == "nsubj" and h.pos_ == "VERB" and h.lemma_.lower() in AIMING


# acts whose noun names where they come from with "from" (statements, intents, visits,
# support, aid, demands, criticism, refusals, threats); not withdrawals, releases or
# force ("a withdrawal *from* Syria", "attacks *from* the north")
_FROM_SOURCE_ROOTS = frozenset({"01", "02", "03", "04", "05", "06", "07", "10", "11", "12", "13"})
_RECEIVING = frozenset({"receive", "get", "accept", "obtain", "secure"})
# verbs whose subject draws a reaction on itself
_ELICITING = frozenset({"draw", "spark", "provoke", "attract", "prompt", "trigger", "earn", "face",
                        "receive", "win", "invite", "incur", "elicit", "meet"})


def purpose_targets(trig: Token, sources: list[Arg], lex: Lexicon, idx: ActorIndex) -> list[Arg]:
    """Whom a protest is against when its own arguments name no one: the object of its
    purpose clause ("began a hunger strike *to protest against Sweden's decision*") or of
    "in protest of/against" ("*in protest of* the arrest of activists") on the trigger or
    the light verb governing it."""
    st = lex.settings
    excl = {a.token for a in sources}
    heads = [trig] + ([trig.head] if trig.dep_ in ("dobj", "nsubjpass") else [])
    for h in heads:
        for ch in children_of(h):
            if ch.dep_ in ("advcl", "xcomp", "conj") and ch.lemma_.lower() in st.purpose_verbs:
                found = verb_targets(ch, None, lex, idx, excl)
            elif ch.dep_ == "prep":
                nouns = [q for q in children_of(ch) if q.dep_ == "pobj" and q.lemma_.lower() in st.purpose_nouns]
                found = first_actors([([r for q in nouns for r in prep_objects(q, _PROTESTED)], 0.9)],
                                     idx, 99, excl)
            else:
                continue
            if found:
                return found
    return []


_PROTESTED = frozenset({"of", "against", "at", "over", "to"})


# verbs that carry a message to whoever they name: "*called* Morrison to congratulate
# him", "*wrote* to the Commission asking for ..."
_MESSAGE_VERBS = frozenset({"call", "phone", "telephone", "ring", "write", "cable", "email",
                            "e-mail", "text", "message"})


def addressee_targets(trig: Token, sources: list[Arg], idx: ActorIndex) -> list[Arg]:
    """Whom the content of a message is aimed at when it names no one else: the recipient
    of the letter or the call it is the content or the purpose of ("sent a letter to the
    WHO *threatening* to pull US funding", "called Morrison *to congratulate* him",
    "wrote to the Commission *asking* for money")."""
    excl = {a.token for a in sources}
    found = message_recipients(trig)
    h = trig.head
    if not found and trig.dep_ in ("advcl", "xcomp") and h.pos_ == "VERB" and h.i < trig.i:
        letters = [c for c in children_of(h) if c.dep_ == "dobj" and c.lemma_.lower() in DOC_NOUNS]
        if letters or h.lemma_.lower() in _MESSAGE_VERBS and (h.lemma_.lower() != "call"
                                                               or is_phone_call(h)):
            # "sent a letter to X *threatening* ...": the parser hangs the content on the verb
            found = [c for c in children_of(h) if c.dep_ in ("dobj", "dative") and c not in letters] \
                + prep_objects(h, frozenset({"to"}))
    return first_actors([(found, 0.85)], idx, 99, excl)


def clause_subject_targets(trig: Token, sources: list[Arg], idx: ActorIndex,
                           after_only: bool = False) -> list[Arg]:
    """A comment with no target is about the subject of its content clause ("expressed hope
    *the Croatian government* will change its policy", "is pessimistic that *Iran* ...").
    ``after_only``: only a clause that follows the trigger ("complained *that Somali troops*
    ..."); a clause before it is more often a misparse ("China has made its position clear:
    it opposes ...", where the parser hangs the first clause on "opposes")."""
    excl = {a.token for a in sources}
    heads = [trig] + ([trig.head] if trig.dep_ in ("dobj", "nsubjpass") else [])
    for h in heads:
        for ch in children_of(h):
            if after_only and ch.i < trig.i:
                continue
            if ch.dep_ in ("ccomp", "acl") and ch.pos_ in ("VERB", "AUX"):
                subj = [s for s in children_of(ch) if s.dep_ in ("nsubj", "nsubjpass")]
                found = first_actors([(subj, 0.85)], idx, 99, excl)
                if found:
                    return found
    return []
_COND_MARKS = frozenset({"if", "unless"})


def condition_targets(trig: Token, sources: list[Arg], idx: ActorIndex) -> list[Arg]:
    """ "threatened to stop the talks *if the United States* goes ahead": a threat or demand
    with no target is aimed at the subject of its condition clause."""
    excl = {a.token for a in sources}
    verbs = [trig] + [x for x in children_of(trig) if x.dep_ in ("xcomp", "advcl", "ccomp")]
    for v in verbs:
        for ch in children_of(v):
            if ch.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in _COND_MARKS
                                          for m in children_of(ch)):
                subj = [s for s in children_of(ch) if s.dep_ in ("nsubj", "nsubjpass")]
                found = first_actors([(subj, 0.9)], idx, 99, excl)
                if found:
                    return found
    return []
