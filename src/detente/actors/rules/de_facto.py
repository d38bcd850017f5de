"""Rule ``de_facto``: the authorities of de facto states (Transnistria, Abkhazia, South
Ossetia, Nagorno-Karabakh, Northern Cyprus, Somaliland).

Their formal names ("Republic of Abkhazia", "TRNC") are groups of ``groups.csv``, coded
by the ``named`` rule, and their leaders are people of ``people.csv``. This rule codes the
other names ``de_facto.yaml`` lists for them (KB entries of kind ``territory``), which
stand for the authority only where a country's name or capital would stand for its
government:

* a territory or capital name as a subject, object or possessor ("Somaliland signed a
  port deal with Ethiopia", "Tiraspol rejected the plan", "Abkhazia's leader"), not in an
  adverbial of place ("fighting in Abkhazia"), as the place after "the region of"
  inside one ("troops entered the breakaway region of South Ossetia") or as a modifier
  of a thing ("the Transnistria settlement"): those stay contested places;
* an adjective only before a role noun ("Abkhaz officials", "Transnistrian leader");
* a role noun with the name after "of", "in" or "from" ("the government of Abkhazia",
  "the authorities in Sukhumi");
* "the breakaway region", "the self-declared republic" and the like when the document
  names exactly one de facto state.

State roles (government, forces, police, officials, separatists) take the authority's
code (``MDASEPPMR``: the territory stays recognisable and is never the claimant's
government); other roles take the claimant country with the role ("Abkhaz refugees" ->
``GEOREF``). A titled name after them is the authority's ("Transnistrian leader
Ivan Petrov"), and a KB leader right after the name joins the mention ("Transnistria's
leader Vadim Krasnoselsky"). Names outside the dates of ``de_facto.yaml`` (Karabakh
after the Republic's dissolution on 2024-01-01) are left to the place rules.
"""

from __future__ import annotations

from ..doc.context import Basis, Context, Draft, role_after
from ..doc.matching import Match
from ..doc.syntax import locative
from ..kb.keys import norm
from ..kb.model import Entry
from ..kb.tenure import entity_code
from .registry import rule

# roles of a state's organs: these take the authority's own code
STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "LEG", "JUD", "SPY", "SEP", "REB", "INS"})
# words that make "the ... region/republic" a reference to a de facto state
REFERENCE_MODS = frozenset({"breakaway", "separatist", "secessionist", "self-declared",
                            "self-proclaimed", "self-styled", "unrecognised", "unrecognized",
                            "rebel", "renegade"})
REFERENCE_HEADS = frozenset({"region", "republic", "territory", "enclave", "province", "state",
                             "statelet", "entity"})
# place nouns whose "of" introduces the place itself ("the region of South Ossetia")
PLACE_HEADS = REFERENCE_HEADS | {"part", "north", "south", "east", "west", "capital", "city",
                                 "town", "border", "parts", "areas", "area"}
# verbs of moving: where they go from or to is a place ("fled from Transnistria"), and so
# is their object "the region of X" ("entered the breakaway region of South Ossetia")
MOTION_VERBS = frozenset({"enter", "visit", "reach", "cross", "leave", "tour", "return", "flee",
                          "evacuate", "come", "go", "travel", "move", "withdraw", "arrive", "fly",
                          "drive", "march", "escape", "deploy", "relocate", "head"})
# a state's posts abroad: "in" a capital they are not its government's
FOREIGN_POSTS = frozenset({"embassy", "embassies", "consulate", "consulates", "mission", "missions",
                           "ambassador", "ambassadors", "envoy", "envoys", "diplomats", "diplomat",
                           "representative", "representatives", "office", "offices"})
# verbs and nouns that take a territory, not its authority, as their object ("Moscow
# annexed Crimea", "the occupation of Abkhazia")
SEIZE_VERBS = frozenset({"annex", "occupy", "invade", "seize", "capture", "retake", "recapture",
                         "liberate", "control", "hold", "lose", "reintegrate", "incorporate",
                         "take", "retook", "retaken", "took", "taken", "held", "lost"})
SEIZE_NOUNS = frozenset({"annexation", "occupation", "invasion", "seizure", "capture",
                         "recapture", "liberation", "control", "loss", "reintegration",
                         "incorporation"})
PLACE_VERBS = MOTION_VERBS | SEIZE_VERBS
# "the Abkhaz side", "the Transnistrian side": the party to talks (no role noun in roles.yaml)
SIDE_NOUNS = frozenset({"side"})
# prepositions that tie an agent to where it governs ("the authorities in Sukhumi")
AGENT_PREPS = frozenset({"in", "of", "from"})


def _authority(ctx: Context, e: Entry, role: bool = False
               ) -> tuple[str, str | None, str | None, float] | None:
    """(code, country, sector, confidence) of the authority a name stands for on the
    article date, or None outside the dates the names stand for it. An undated article is
    read as today, except that a name with a state role ("the Karabakh authorities",
    ``role``) proves the authority existed when it was written."""
    if e.end and (ctx.date is None and not role or ctx.date is not None and ctx.date > e.end) or \
            e.start and ctx.date is not None and ctx.date < e.start:
        return None
    rows = [r for r in ctx.kb.by_id.get(e.kb_id, ()) if r.kind == "group"]
    if not rows:
        return None
    _, code, country, sector, _, conf = entity_code(ctx.kb, rows[0], ctx.date)
    return code, country, sector, conf


def _poss(doc, j: int) -> bool:
    return j < len(doc) and doc[j].lower_ in ("'s", "’s", "'", "’")


def _role_code(auth, sector: str) -> tuple[str, str | None, str]:
    """A role of the authority: its own code for a state role, else the claimant's."""
    code, country, own = auth[0], auth[1], auth[2]
    if sector in STATE_SECTORS or not country:
        return code, country, own or sector
    return country + sector, country, sector


def _claim_role(ctx: Context, m_start: int, end: int, role, e: Entry, auth, how: str) -> None:
    """Claim [m_start, end) for a role of the authority, over a titled name after it."""
    code, country, sector = _role_code(auth, role.sector)
    person = next((p for p in ctx.person_ents if p.start == end), None) if role.title else None
    if person is not None and ctx.free(person.start, person.end):
        ctx.claim(Draft(m_start, person.end, code, country, sector, e.kb_id if code == auth[0]
                        else None, f"{how}+title", 0.85 * auth[3],
                        person_key="name:" + norm(person[-1].text),
                        name_span=(person.start, person.end), basis=Basis.TITLE))
        return
    ctx.claim(Draft(m_start, end, code, country, sector, e.kb_id if code == auth[0] else None,
                    f"{how}+role", 0.9 * auth[3],
                    basis=Basis.ARMED_GROUP if code == auth[0] else Basis.ROLE_NOUN))


def _join_person(ctx: Context, m: Match, j: int, auth) -> bool:
    """A KB person of the same authority right after the name joins it ("Transnistria's
    leader Vadim Krasnoselsky", "Abkhaz leader Aslan Bzhania"); True if it did."""
    d = ctx.draft_at(j) if j < len(ctx.doc) else None
    if d is None or d.start != j or d.basis != Basis.PERSON or d.code != auth[0]:
        return False
    ctx.release(d)
    d.start = m.start
    return ctx.claim(d)


def _place_use(root) -> bool:
    """True if the name is a place here: an adverbial of place, where a motion goes from or
    to, what is annexed, occupied or held ("Moscow annexed Crimea", "the occupation of
    Abkhazia"), or the place after "the region of" inside one ("entered the breakaway
    region of South Ossetia")."""
    if locative(root):
        return True
    if root.dep_ == "pobj" and root.head.lower_ in ("from", "to", "into", "toward", "towards") \
            and root.head.head.lemma_ in MOTION_VERBS:
        return True  # "refugees fled from Transnistria", "troops moved into Abkhazia"
    if root.dep_ in ("dobj", "nsubjpass") and (root.head.lemma_ in PLACE_VERBS or
                                               root.head.lower_ in PLACE_VERBS):
        return True  # "Moscow annexed Crimea", "Abkhazia was occupied", "troops entered Abkhazia"
    if root.dep_ == "pobj" and root.head.lower_ == "of" and \
            root.head.head.lower_ in SEIZE_NOUNS:
        return True  # "the annexation of Crimea"
    if root.dep_ == "pobj" and root.head.lower_ == "of":
        noun = root.head.head
        return noun.lower_ in PLACE_HEADS and (
            locative(noun) or noun.dep_ == "pobj" or
            (noun.dep_ == "dobj" and noun.head.lemma_ in PLACE_VERBS))
    return False


def _agent_before(ctx: Context, root):
    """The free state-role phrase a name hangs on through "of/in/from" ("the government
    of Abkhazia", "the authorities in Sukhumi"), or None."""
    if root.dep_ != "pobj" or root.head.lower_ not in AGENT_PREPS:
        return None
    noun = root.head.head
    r = ctx.role_at_end.get(noun.i + 1)
    if r is None or r.sector not in STATE_SECTORS or not ctx.free(r.start, r.end):
        return None
    if root.head.lower_ != "of" and norm(noun.text) in FOREIGN_POSTS:
        return None  # "an embassy in Sukhumi" is another state's
    if r.title and noun.i + 1 < len(ctx.doc) and ctx.doc[noun.i + 1].pos_ == "PROPN":
        return None
    return r


def _name(ctx: Context, m: Match, e: Entry, auth, bare: bool) -> None:
    """Code one territory, capital or adjective name (module docstring); ``bare``: the name
    alone may stand for the authority on this date (else only with a role)."""
    doc = ctx.doc
    root = doc[m.start:m.end].root
    poss = _poss(doc, m.end)
    j = m.end + 1 if poss else m.end
    kind = e.note
    tail = role_after(ctx, j)
    if tail is not None and any(doc[k].text[:1].isupper() for k in range(j, tail[1].start)):
        tail = None  # "Crimean Tatar leader": the role is another people's
    if tail is not None and (kind == "adjective" or poss or
                             root.dep_ in ("amod", "compound", "nmod") or
                             root.head.i >= tail[1].start):
        _claim_role(ctx, m.start, tail[0], tail[1], e, auth, f"de-facto-{kind}")
        return
    if _join_person(ctx, m, j, auth):
        return
    if j < len(doc) and doc[j].lower_ in SIDE_NOUNS and ctx.free(j, j + 1) and (
            kind == "adjective" or poss or root.dep_ in ("amod", "compound", "nmod")):
        # "the Abkhaz side rejected the plan": a party to talks is its authority
        ctx.claim(Draft(m.start, j + 1, auth[0], auth[1], auth[2], e.kb_id,
                        f"de-facto-{kind}+side", 0.85 * auth[3], basis=Basis.ARMED_GROUP))
        return
    if kind == "adjective":
        return
    agent = _agent_before(ctx, root)
    if agent is not None:
        code, country, sector = _role_code(auth, agent.sector)
        end = m.end if root.head.lower_ == "of" else agent.end
        ctx.claim(Draft(agent.start, end, code, country, sector,
                        e.kb_id if code == auth[0] else None,
                        f"de-facto-{kind}+agent-{root.head.lower_}", 0.85 * auth[3],
                        basis=Basis.ARMED_GROUP if code == auth[0] else Basis.ROLE_NOUN))
        return
    if _place_use(root) or not bare:
        return
    if root.dep_ in ("compound", "amod", "nmod") and root.head.i >= m.end and not poss:
        return  # "the Transnistria settlement", "the Karabakh war": a modifier of a thing
    ctx.claim(Draft(m.start, m.end, auth[0], auth[1], auth[2], e.kb_id,
                    f"de-facto-{kind}", 0.9 * auth[3], basis=Basis.ARMED_GROUP))


def _references(ctx: Context, entry: Entry) -> None:
    """ "the breakaway region('s government)", "the self-declared republic" for the one de
    facto state the document names."""
    auth = _authority(ctx, entry)
    if auth is None:
        return
    doc = ctx.doc
    for tok in ctx.tokens:
        if tok.lower_ not in REFERENCE_HEADS or tok.pos_ not in ("NOUN", "PROPN") or \
                ctx.claimed[tok.i] or ctx.dateline[tok.i]:
            continue
        mods_left = [c for c in tok.lefts if c.dep_ not in ("det", "poss", "predet")]
        start = min((c.left_edge.i for c in mods_left), default=tok.i)
        if not ctx.free(start, tok.i + 1):
            continue
        mods = " ".join(norm(t.text) for t in doc[start:tok.i]).replace(" - ", "-")
        if not any(w in REFERENCE_MODS for w in mods.split()):
            continue
        if start == 0 or doc[start - 1].lower_ not in ("the", "its"):
            continue
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if nxt is not None and nxt.lower_ == "of":
            continue  # "the breakaway region of Abkhazia": the name after it decides
        if _place_use(tok):
            continue  # "troops entered the breakaway republic": a place
        m = Match(start, tok.i + 1, (entry,))
        poss = _poss(doc, tok.i + 1)
        tail = role_after(ctx, tok.i + 2) if poss else None
        if tail is not None:
            _claim_role(ctx, start, tail[0], tail[1], entry, auth, "de-facto-reference")
        elif not poss or not _join_person(ctx, m, tok.i + 2, auth):
            if tok.dep_ in ("compound", "amod") and tok.head.i > tok.i:
                continue
            ctx.claim(Draft(start, tok.i + 1, auth[0], auth[1], auth[2], entry.kb_id,
                            "de-facto-reference", 0.7 * auth[3], basis=Basis.ARMED_GROUP))


@rule("de_facto", after="named")
def pass_de_facto(ctx: Context) -> None:
    """Territory, capital and adjective names of de facto states as their authorities."""
    table = ctx.kb.de_facto
    if not table:
        return
    named: set[str] = set()
    for m in ctx.matches:
        e = m.entries[0]
        if e.kb_id not in table:
            continue
        named.add(e.kb_id)
        if m.kind != "territory" or ctx.dateline[m.start] or not ctx.free(m.start, m.end):
            continue
        auth = _authority(ctx, e, role=True)
        if auth is not None:
            _name(ctx, m, e, auth, _authority(ctx, e) is not None)
    if len(named) > 1:
        return  # "the breakaway region" of two de facto states is left alone
    codes = ctx.kb.de_facto_codes
    named.update(codes[d.code] for d in ctx.drafts if d.code in codes)
    if len(named) == 1:
        _references(ctx, table[named.pop()])
