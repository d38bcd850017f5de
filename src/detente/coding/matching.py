"""Pattern matching: the most specific lexicon pattern whose constraints hold at a token.

A pattern's constraints (particle, object words, preposition, modifier, subject words,
actor object, object complement; see ``data/lexicon/README.md``) are read off the
dependency parse around the trigger. Patterns of a lemma are tried most specific first.
"""

from __future__ import annotations

from spacy.tokens import Token

from ..actors import children_of
from ..nlp import WORD_PREFIXES
from .args import (ActorIndex, actors_under, agent_tokens, is_passive, is_time_prep, object_tokens, prep_objects,
                   small_clauses, subject_tokens, up_to_objects)
from .lexicon import Lexicon, Pattern

_MOD_DEPS = {"amod", "compound", "nmod", "acomp", "oprd", "advmod", "npadvmod"}
_OBJ_DEPS = {"dobj", "nsubjpass", "attr", "oprd", "dative"}


def _words(tok: Token) -> set[str]:
    return {tok.lemma_.lower(), tok.lower_}


def _obj_words(t: Token, preps: frozenset[str] | None) -> set[str]:
    """Head words of the objects of ``t``, their compounds and "of" complements."""
    heads = [c for c in children_of(t) if c.dep_ in _OBJ_DEPS] or up_to_objects(t)
    if not heads and t.pos_ in ("VERB", "AUX"):  # "allow [UN agencies access]"
        for c in small_clauses(t):
            heads += [s for s in children_of(c) if s.dep_ == "nsubj"]
            heads += [c] if c.pos_ in ("NOUN", "PROPN") else []
    if preps:  # on the verb or, as _has_prep allows, on its object ("hold families *as
        # human shields*")
        heads += prep_objects(t, preps) + [q for h in list(heads) for q in prep_objects(h, preps)]
    if t.pos_ in ("NOUN", "PROPN"):
        heads += prep_objects(t, frozenset({"of", "for", "on", "into"}))
    out: set[str] = set()
    for h in heads:
        out |= _words(h)
        for c in children_of(h):
            if c.dep_ in ("compound", "amod"):
                out |= _words(c)
            elif c.dep_ == "appos" and h.pos_ == "PROPN":
                out |= _words(c)  # "seized *the Galaxy Leader, a ship* ...": what the name is
            elif c.dep_ == "prep" and c.lower_ == "of":
                for p in children_of(c):
                    if p.dep_ == "pobj":
                        out |= _words(p)
                        out |= {w for g in children_of(p) if g.dep_ == "compound" for w in _words(g)}
    return out


def _mod_words(t: Token) -> set[str]:
    out: set[str] = set()
    for c in children_of(t):
        if c.dep_ in _MOD_DEPS:
            out |= _words(c)
        elif c.dep_ in _OBJ_DEPS:
            out |= {w for g in children_of(c) if g.dep_ in ("amod", "compound") for w in _words(g)}
        elif c.dep_ == "ccomp" and (c.pos_ == "ADJ" or c.n_lefts + c.n_rights == 0) and not any(
                g.dep_ in ("aux", "auxpass", "mark") for g in children_of(c)):
            # an adjectival small clause the parser reads as a clause: "found [the officer
            # guilty]", "let [free] 30 activists" (a lone word, whatever its tag, or an
            # adjective with its subject: the verb's complement, not a clause of its own)
            out |= _words(c)
    if t.dep_ == "compound":  # "car bomb attack": the head's modifiers count too
        out |= {w for g in children_of(t.head) if g.dep_ in ("amod", "compound") for w in _words(g)}
    return out


def _subj_words(t: Token) -> set[str]:
    """Head words of the subject (or passive agent) of ``t`` and their modifiers."""
    toks = agent_tokens(t) if is_passive(t) else subject_tokens(t)[0]
    out: set[str] = set()
    for h in toks:
        out |= _words(h)
        out |= {w for g in children_of(h) if g.dep_ in ("compound", "amod") for w in _words(g)}
    return out


def _has_prep(t: Token, preps: frozenset[str]) -> bool:
    if any(c.dep_ in ("prep", "agent", "dative") and c.lower_ in preps and not is_time_prep(c)
           for c in children_of(t)):
        return True
    # on an object, or on a complement adjective/adverb ("getting *closer to* Beijing")
    return any(c.dep_ == "prep" and c.lower_ in preps and not is_time_prep(c)
               for o in children_of(t) if o.dep_ in _OBJ_DEPS or o.dep_ in _COMP_MODS
               for c in children_of(o))


_COMP_MODS = frozenset({"acomp", "advmod"})


def uninflected(word: str) -> list[str]:
    """Base forms an inflected verb may have, for when the parser's lemma is wrong
    (en_core_web_sm lemmatises some regular verbs badly: "staged" -> "stag"). Only
    tried when neither the lemma nor the word form has a pattern."""
    if word.endswith("ied"):
        return [word[:-3] + "y"]
    if word.endswith("ed"):
        return [word[:-1], word[:-2]]
    if word.endswith("ing"):
        return [word[:-3] + "e", word[:-3]]
    if word.endswith("es"):
        return [word[:-1], word[:-2]]
    if word.endswith("s"):
        return [word[:-1]]
    return []


def _prefixed(low: str, lemma: str, pos: str) -> list[str]:
    """Lemmas to try for a prefixed word kept whole ("re-ignited", "co-operation"; see
    ``detente.nlp``), whose lemma the lemmatizer guesses badly ("re-establishe"): the
    word without its hyphen, then the bare word after it ("re-imposed" is an imposing)."""
    prefix, _, tail = low.partition("-")
    if prefix not in WORD_PREFIXES or not tail.isalpha():
        return []
    tails = [lemma.partition("-")[2], tail]
    if pos == "verb":
        tails += uninflected(tail)
    elif tail.endswith("s"):
        tails.append(tail[:-1])
    out: list[str] = []
    for x in tails:
        out += [f"{prefix}{x}", f"{prefix}-{x}"]
    return list(dict.fromkeys(w for w in out + tails if w))


# (lexicon, {(pos, lemma, word): patterns}) of _patterns_of: the lexicon last asked about
# (a run codes with one), replaced whole when another is asked about
_PATTERN_MEMO: tuple = (None, {})
_PATTERN_MEMO_MAX = 100_000


def _patterns_of(lex: Lexicon, pos: str, lemma: str, low: str) -> tuple[Pattern, ...]:
    """The patterns :func:`match` tries for a word ``low`` with lemma ``lemma``: the
    lemma's, else the word's, else an uninflected or unprefixed guess's. A function of
    the two strings, so kept per word: most words a document asks about have none, and
    the guesses were tried again at each of their tokens. (Kept by hand, not with
    lru_cache: that hashes the lexicon, a Python-level __hash__, at every call.)"""
    global _PATTERN_MEMO
    owner, memo = _PATTERN_MEMO
    if owner is not lex or len(memo) > _PATTERN_MEMO_MAX:
        owner, memo = _PATTERN_MEMO = (lex, {})
    key = (pos, lemma, low)
    pats = memo.get(key)
    if pats is None:
        pats = memo[key] = _find_patterns(lex, pos, lemma, low)
    return pats


def may_match(lex: Lexicon, pos: str, lemma: str, low: str) -> bool:
    """Whether :func:`match` has any pattern to try at a word ``low`` (lower case) with
    lemma ``lemma`` (lower case): without one it returns None whatever the parse around
    the word. Most words have none (about three in four of those the coder asks about),
    so a caller tests this before it builds what ``match`` would be given."""
    return bool(_patterns_of(lex, pos, lemma, low))


def _find_patterns(lex: Lexicon, pos: str, lemma: str, low: str) -> tuple[Pattern, ...]:
    pats = lex.patterns(pos, lemma)
    if not pats and low != lemma:
        pats = lex.patterns(pos, low)
    if not pats and pos == "verb" and lemma != low:
        for guess in uninflected(low):  # the small model's "staged" -> "stag"
            pats = lex.patterns(pos, guess)
            if pats:
                break
    if not pats and "-" in low:
        for guess in _prefixed(low, lemma, pos):
            pats = lex.patterns(pos, guess)
            if pats:
                break
    return pats


def match(t: Token, pos: str, lex: Lexicon, idx: ActorIndex,
          extra_obj: frozenset[str] = frozenset()) -> Pattern | None:
    """The most specific pattern whose constraints all hold at ``t``, or None.

    ``extra_obj``: further object words (a wrapper's complement verb: "declined *to
    comment*" matches ``{lemma: decline, obj: [comment]}``)."""
    # (the word and its lemma read once: spaCy builds a new string per read)
    pats = _patterns_of(lex, pos, t.lemma_.lower(), t.lower_)
    if not pats:
        return None
    # a lemma's patterns often share a preposition or ask for the same words: each reading
    # of the parse around ``t`` is made once per call (they are pure functions of it)
    has_prep: dict[frozenset[str], bool] = {}
    obj_words: dict[frozenset[str] | None, set[str]] = {}
    mod_words = subj_words = prts = None
    for p in pats:
        if p.prt is not None:
            if prts is None:
                prts = {c.lower_ for c in children_of(t) if c.dep_ == "prt"}
            if (prts if "-" in p.prt else not prts & p.prt):
                continue
        if p.prep is not None:
            if p.prep not in has_prep:
                has_prep[p.prep] = _has_prep(t, p.prep)
            if not has_prep[p.prep]:
                continue
        if p.obj is not None:
            if "-" in p.obj:
                if any(c.dep_ in ("dobj", "nsubjpass") for c in children_of(t)):
                    continue
            else:
                if p.prep not in obj_words:
                    obj_words[p.prep] = _obj_words(t, p.prep)
                words = obj_words[p.prep] | extra_obj
                if not words if "*" in p.obj else not (words & p.obj):
                    continue
        if p.mod is not None:
            if mod_words is None:
                mod_words = _mod_words(t)
            if not mod_words & p.mod:
                continue
        if p.subj is not None:
            if subj_words is None:
                subj_words = _subj_words(t)
            if not subj_words & p.subj:
                continue
        if p.obj_actor and not any(idx.at(o.i) for o in object_tokens(t)):
            continue
        if p.subj_actor and not any(actors_under(s, idx, depth=1)
                                    for s in (agent_tokens(t) if is_passive(t)
                                              else subject_tokens(t)[0])):
            continue  # "*attention* turned to Iran": no one acts
        if p.ocomp and not (any(c.dep_ == "oprd" for c in children_of(t))
                            and any(c.dep_ in ("dobj", "nsubjpass") for c in children_of(t))):
            continue  # "called the move illegal"; a lone oprd is a misparsed object
        if p.code[:2] in FORCE_ROOTS and (p.obj is None or "*" in p.obj) and _fights_an_ill(t, lex):
            # "fight the Ebola epidemic", "battling corruption": no one is hit (a pattern
            # that names its object, "exchanged *fire*", means that object)
            return None
        return p
    return None


FORCE_ROOTS = frozenset({"18", "19", "20"})  # acts of force (assault, fight, mass violence)


def _fights_an_ill(t: Token, lex: Lexicon) -> bool:
    """The only things ``t`` is aimed at (object, "against"/"on" object) are ills, not
    actors: a disease, poverty, corruption, a fire (``settings.ills``)."""
    ills = lex.settings.ills
    if not ills:
        return False
    heads = [c for c in children_of(t) if c.dep_ in ("dobj", "nsubjpass")]
    heads += [h for h in prep_objects(t, frozenset({"against", "on"}))
              if h.ent_type_ not in ("DATE", "TIME")]  # "on Sunday" aims at nothing
    return bool(heads) and all(h.lemma_.lower() in ills or h.lower_ in ills for h in heads)
