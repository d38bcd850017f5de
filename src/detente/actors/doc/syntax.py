"""Syntax facts about tokens of a parsed Doc that several resolution rules ask.

One home for the prepositions that mark a place phrase: :data:`LOCATIVE_PREPS`
(where something is or happens: "in Seoul", "near the border", "off the coast"),
:data:`MOTION_PREPS` (where from or to: "from Calgary", "to Moscow") and their
union :data:`PLACE_PREPS`. Rules pick the set whose meaning they need.
"""

from __future__ import annotations

from .read import doc_column

LOCATIVE_PREPS = frozenset({"in", "at", "near", "inside", "outside", "around", "within",
                            "throughout", "across", "into", "onto", "via", "along", "beyond",
                            "off", "above", "below", "under"})
MOTION_PREPS = frozenset({"from", "to", "toward", "towards"})
PLACE_PREPS = LOCATIVE_PREPS | MOTION_PREPS
# a place phrase or an "of" phrase ("the Serbs of Bosnia", "a union of Nigeria")
LOCATIVE_OR_OF_PREPS = LOCATIVE_PREPS | {"of"}
# after "based", "headquartered": "based in Trinidad", "operating out of Peshawar"
BASED_PREPS = frozenset({"in", "at", "near", "out"})


def locative(tok) -> bool:
    """True if ``tok`` heads an adverbial of place ("in Seoul", "at the White House")."""
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    if tok.dep_ == "pobj" and tok.head.lower_ in LOCATIVE_PREPS:
        return True
    return tok.dep_ in ("npadvmod",) and tok.ent_type_ == "GPE" and tok.i == tok.sent.start


def governing_verb(tok):
    """The verb of the clause ``tok`` belongs to (or None)."""
    for _ in range(6):
        if tok.head is tok:
            return tok if tok.pos_ in ("VERB", "AUX") else None
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ != "amod":
            return tok
        tok = tok.head
    return None


def inside_person(doc, start: int, end: int) -> bool:
    """True if tokens [start, end) are part of a longer PERSON entity."""
    return (start > 0 and doc[start].ent_iob_ == "I" and doc[start].ent_type_ == "PERSON") or \
        (end < len(doc) and doc[end].ent_iob_ == "I" and doc[end].ent_type_ == "PERSON")


# what only a leader owns: "Erdogan's *government*" names the leader, not a footballer
# (rules ``names`` and ``agents``)
LEADER_BODIES = frozenset({"government", "administration", "regime", "cabinet", "army",
                           "military", "forces", "troops", "ministers", "spokesman",
                           "spokeswoman", "spokesperson", "envoy", "junta", "coalition"})


# waters named after a state or a city: "the South China Sea", "the Sea of Japan", "the
# Gulf of Mexico", "the Taiwan Strait", "the English Channel", "the Jordan River", "Lake
# Chad" are places, never the state
_WATERS = frozenset({"sea", "gulf", "ocean", "strait", "straits", "bay", "channel", "river", "lake",
                     "canal"})
# ... but "the Gulf states" are a bloc of states
_STATES_NOUNS = frozenset({"state", "states", "country", "countries", "nation", "nations",
                           "monarchies", "allies", "kingdoms"})


# words before "American(s)" that make it a region's people, not the United States'
_REGION_PREFIXES = frozenset({"central", "south", "latin", "north", "pan", "meso"})


def in_other_name(doc, start: int, end: int) -> bool:
    """The country word at ``doc[start:end]`` names no state here: it is part of the name of
    a water (:func:`in_water_name`) or of a region ("*Central American* migrants")."""
    lower = doc_column(doc, "lower_")
    if start >= 1 and lower[start - 1] in _REGION_PREFIXES and lower[start].startswith("america"):
        return True
    return in_water_name(doc, start, end)


def in_water_name(doc, start: int, end: int) -> bool:
    """The name at ``doc[start:end]`` is part of a capitalised name of a sea, gulf, strait,
    river or lake."""
    # the words around the name, from the columns read once per document (doc_column):
    # a Token per neighbour looked at cost more than the test
    lower, text = doc_column(doc, "lower_"), doc_column(doc, "text")
    n = len(lower)

    def water(i: int) -> bool:
        return lower[i] in _WATERS and text[i][:1].isupper()
    if end < n and water(end):
        return not (end + 1 < n and lower[end + 1] in _STATES_NOUNS)
    if start >= 2 and lower[start - 1] == "of" and water(start - 2):
        return True
    return start >= 1 and lower[start - 1] == "lake" and water(start - 1)


_STANCE_PREFIXES = frozenset({"pro", "anti"})


def stance_prefixed(doc, i: int) -> bool:
    """True for the country word of "*pro-Russian* protesters", "anti-American rallies":
    it names a stance, not whose the people are."""
    return i >= 2 and doc[i - 1].text in ("-", "–") and doc[i - 2].lower_ in _STANCE_PREFIXES
