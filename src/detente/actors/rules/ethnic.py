"""Ethnic and national groups, coded by the country they live in (CAMEO's convention).

Runs after the named and titled-people passes and before countries and demonyms
(:func:`.countries.pass_places`), on tokens no earlier pass claimed. Data:
``data/ethnic_groups.yaml`` (see :func:`read_ethnic`). Rules:

1. ``residence+ethnic-group`` (0.8): a country adjective or name right before an
   ethnic or nationality word is the group's country of residence — "Bosnian Serbs
   demanded a truce" -> BIH (not SRB), "Iraqi Kurds", "Russian Jews", "Bosnian Serb
   forces" -> BIHMIL. Citizen nouns of immigrant nations are not residence words, so
   "Chinese Americans" is not read this way.
2. ``ethnic+<how>`` (0.6): "ethnic" + demonym or group word ("ethnic Albanians",
   "ethnic Turks") takes the residence country from the sentence, by the first of:
   a place phrase on the group or its clause ("guerrillas operating in Macedonia",
   ``attached-place``); a possessor or place phrase anywhere in the sentence
   ("Sweden's decision", "near Macedonia's border", ``sentence-place``); the only
   other country of the sentence (``sentence-country``). The ethnicity's own state
   never counts; when a step finds two countries nothing is claimed here and the
   demonym keeps its own country.
3. ``ethnic-group+<how>`` (0.6): a people without a state ("Kurds", "Tamil civilian
   refugees", "a Karen guerrilla stronghold") takes a country by the same steps, but
   only one of the countries listed as its homeland ("Tamil refugees ... the Sri
   Lankan army" -> LKA); with no country at all in the sentence, a group with a single
   homeland takes it (``ethnic-group+homeland``, 0.5).

A role noun after the group is kept in the mention and gives the sector
("Tamil civilian refugees" -> LKAREF); a state organ's role (officials, forces, a
leader) never takes the sentence's other country, which is as often the counterpart
("Kurdish forces clashed with Turkish troops" is not TURMIL), and its title before a name
gives the non-state sector ("Kurdish commander Mazlum Abdi met Turkish officials" -> REB,
"Tamil leader X" -> OPP; ``+people-title``); without a role the group is a population,
not the state it lives in, and takes the civilian sector ("Bosnian Serbs" -> BIHCVL, "ethnic
Turks ... Sweden's decision" -> SWECVL, so that their protest against SWE is a dyad).
"""

from __future__ import annotations

from ..doc.context import Basis, Context, Draft, role_after
from ..doc.read import doc_column
from ..doc.places import place_words, sentence_countries
from ..doc.syntax import LOCATIVE_OR_OF_PREPS, LOCATIVE_PREPS, governing_verb
from ..kb.keys import norm
from ..kb.lexicons import EthnicLex
from .registry import rule

GROUP_SECTOR = "CVL"
# a state organ's title before a name, after a people's word ("Kurdish commander X",
# "Tamil leader X", "ethnic Albanian leader X"): the person leads the people, not the
# state it lives in, so the sector becomes the non-state one
PEOPLE_TITLE_SECTORS = {"GOV": "OPP", "LEG": "OPP", "MIL": "REB", "COP": "REB", "SPY": "REB"}


# --- the residence country of a group from its sentence ---------------------------------

def _one(found: set[str], allowed, exclude) -> tuple[bool, str | None]:
    """(decided?, country): one country decides, two or more stop the search."""
    found = {c for c in found if c != exclude and (allowed is None or c in allowed)}
    if len(found) == 1:
        return True, found.pop()
    return len(found) > 1, None


def _attached_places(places: dict[int, str], tok) -> set[str]:
    """Countries of the place phrases on ``tok``, conjuncts included ("near Greece and
    Bulgaria")."""
    out = set()
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ in LOCATIVE_PREPS:
            for obj in prep.children:
                if obj.dep_ == "pobj":
                    out.update(places[t.i] for t in [obj, *obj.conjuncts] if t.i in places)
    return out


def residence_country(ctx: Context, places: dict[int, str], head, span: tuple[int, int],
                      allowed=None, exclude: str | None = None) -> tuple[str | None, str]:
    """(ISO3, how) of the country a group lives in, by the steps of rule 2, or (None, "")."""

    doc = ctx.doc
    near = _attached_places(places, head)
    for child in head.children:
        if child.dep_ in ("acl", "relcl"):
            near |= _attached_places(places, child)
    verb = governing_verb(head)
    if verb is not None:
        near |= _attached_places(places, verb)
    done, iso3 = _one(near, allowed, exclude)
    if done:
        return iso3, "attached-place"
    sent = head.sent
    marked = set()
    for i in range(sent.start, sent.end):
        if span[0] <= i < span[1] or ctx.dateline[i] or i not in places:
            continue
        tok = doc[i]
        while tok.dep_ == "conj" and tok.head is not tok:  # "near Greece and Bulgaria"
            tok = tok.head
        poss = i + 1 < len(doc) and doc[i + 1].lower_ in ("'s", "’s") and places.get(i + 1) is None
        loc = tok.dep_ == "pobj" and tok.head.lower_ in LOCATIVE_OR_OF_PREPS
        if poss or loc:
            marked.add(places[i])
    done, iso3 = _one(marked, allowed, exclude)
    if done:
        return iso3, "sentence-place"
    done, iso3 = _one(sentence_countries(ctx, places, sent, span), allowed, exclude)
    if done:
        return iso3, "sentence-country"
    return None, ""


# --- the pass ---------------------------------------------------------------------------

def _tail(ctx: Context, tok, end: int) -> tuple[int, str | None]:
    """(span end, sector) over a role noun the group word modifies ("Serb forces")."""
    if tok.head.i > tok.i or tok.dep_ in ("amod", "compound", "nmod"):
        t = role_after(ctx, end)
        if t is not None:
            return t[0], t[1].sector
    return end, None


def _pairs(ctx: Context, lex: EthnicLex) -> None:
    """Rule 1: "Bosnian Serbs", "Iraqi Kurds", "Bosnian Serb forces"."""
    doc = ctx.doc
    for m in ctx.matches:
        if m.kind not in ("country", "demonym") or ctx.dateline[m.start] or m.end >= len(doc):
            continue
        tok = doc[m.end]
        key = norm(tok.text)
        if not tok.text[:1].isupper() or not lex.residence_word(key) or \
                not ctx.free(m.start, m.end + 1) or not doc[m.end - 1].whitespace_:
            continue  # "Serb-Croat" is a pair of states, not a group's residence
        standalone = key in lex.residence_nouns or (key in lex.groups and tok.pos_ in
                                                    ("NOUN", "PROPN") and tok.head.i <= tok.i)
        end, sector = _tail(ctx, tok, m.end + 1)
        if sector is None and not standalone and tok.head.i <= tok.i:
            continue  # "Iraqi Turkish" with nothing after it: two adjectives
        iso3 = m.entries[0].country
        sector = sector or GROUP_SECTOR
        ctx.claim(Draft(m.start, end, iso3 + sector, iso3, sector, f"C:{iso3}",
                        "residence+ethnic-group", 0.8, basis=Basis.ETHNIC))


def _ethnic_word(ctx: Context, lex: EthnicLex, places: dict[int, str]) -> None:
    """Rules 2 and 3 on demonyms after "ethnic" and on stateless groups' words."""
    doc = ctx.doc
    demonyms = {m.start: m for m in ctx.matches if m.kind == "demonym"}
    toks = ctx.tokens
    # tok.text and tok.lower_, read once per document
    texts, lower = doc_column(doc, "text"), doc_column(doc, "lower_")
    for i, text in enumerate(texts):
        if ctx.claimed[i] or ctx.dateline[i] or not text[:1].isupper():
            continue
        tok = toks[i]
        key = norm(text)
        ethnic = i > 0 and lower[i - 1] == "ethnic" and not ctx.claimed[i - 1]
        group = lex.groups.get(key)
        m = demonyms.get(i)
        if group is None and not (ethnic and m is not None):
            continue
        if group is not None and (i + 1 < len(doc) and doc[i + 1].pos_ == "PROPN" and
                                  doc[i + 1].text[:1].isupper() or
                                  tok.ent_type_ == "PERSON" and doc[i + 1:i + 2].text[:1].isupper()):
            continue  # part of a name: "Karen Bass", "Kurdistan Workers"
        if group is not None and key in ctx.kb.surnames and \
                not (tok.dep_ in ("amod", "compound", "nmod") and tok.head.i > i):
            continue  # a leader's surname alone ("Tatar said" after Ersin Tatar); the
            # group word modifies a noun ("Crimean Tatar activists") or is plural
        end = m.end if m is not None and group is None else i + 1
        if not ctx.free(i, end):
            continue
        end, sector = _tail(ctx, doc[end - 1], end)
        start = i - 1 if ethnic else i
        head = doc[end - 1]
        if group is not None:
            allowed, exclude, how = group[1], None, "ethnic-group"
        else:
            allowed, exclude, how = None, m.entries[0].country, "ethnic"
        iso3, step = residence_country(ctx, places, head, (start, end), allowed, exclude)
        conf = 0.6
        leader = _people_title(ctx, end, sector)
        if step == "sentence-country" and (leader is not None or sector in PEOPLE_TITLE_SECTORS):
            # a people's leaders, officials or forces are not the state the sentence's
            # other country names: that country is as often the counterpart
            iso3, step = None, ""
        if iso3 is None and group is not None and len(group[1]) == 1 and \
                not _any_country(ctx, places, head.sent, (start, end)):
            iso3, step, conf = group[1][0], "homeland", 0.5
        key = name = None
        if leader is not None:
            sector, step = leader, (step or "no-country") + "+people-title"
            person = next((p for p in ctx.person_ents if p.start == end), None)
            if person is not None and ctx.free(person.start, person.end):
                key, name, end = "name:" + norm(person[-1].text), (person.start, person.end), \
                    person.end
        elif iso3 is None:
            continue
        sector = sector or GROUP_SECTOR
        ctx.claim(Draft(start, end, (iso3 or "") + sector, iso3, sector,
                        f"C:{iso3}" if iso3 else None, f"{how}+{step}", conf,
                        person_key=key, name_span=name, basis=Basis.ETHNIC))


def _people_title(ctx: Context, end: int, sector: str | None) -> str | None:
    """The non-state sector for a state organ's title that ends at ``end`` right before a
    name ("Kurdish *commander* Mazlum Abdi" -> REB, "Tamil *leader* X" -> OPP), else None."""
    r = ctx.role_at_end.get(end)
    if sector not in PEOPLE_TITLE_SECTORS or r is None or not r.title or end >= len(ctx.doc):
        return None
    nxt = ctx.doc[end]
    return PEOPLE_TITLE_SECTORS[sector] if nxt.ent_type_ == "PERSON" or \
        (nxt.pos_ == "PROPN" and nxt.text[:1].isupper()) else None


def _any_country(ctx: Context, places: dict[int, str], sent, span) -> bool:

    return bool(sentence_countries(ctx, places, sent, span))


@rule("ethnic", after="titled_people")
def pass_ethnic(ctx: Context) -> None:
    """Ethnic and national groups (module docstring, rules 1-3)."""

    lex = ctx.kb.ethnic
    if lex is None:
        return
    _pairs(ctx, lex)
    _ethnic_word(ctx, lex, place_words(ctx))
