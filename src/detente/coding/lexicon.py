"""Lexicon: predicate patterns -> CAMEO codes, loaded from YAML with a schema check.

Pattern files live in ``coding/data/lexicon/*.yaml`` (syntax in the README there).
A user lexicon (same syntax) is merged over the shipped one: its patterns are added
with a priority bonus so they win over shipped ones for the same trigger, and its
``wrappers``/``settings`` entries replace the shipped entries of the same name.
The loaded :class:`Lexicon` is immutable and indexes patterns by trigger lemma.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from ..errors import DetenteError
from .tables import is_code, plover_types

POS = ("verb", "noun", "adj")
_PATTERN_KEYS = {"code", "lemma", "pos", "prt", "obj", "prep", "mod", "subj", "obj_actor", "ocomp",
                 "subj_actor", "needs_target", "swap", "symmetric", "of_role", "agent", "plover"}
_WRAPPER_KEYS = {"lemmas", "default", "target", "map", "weak", "ccomp"}
USER_BONUS = 10  # user patterns outrank shipped ones


@dataclass(frozen=True, slots=True)
class Pattern:
    """One predicate pattern; every constraint that is not None must hold."""

    code: str
    lemma: str
    pos: str = "verb"
    prt: frozenset[str] | None = None  # particle ("up" in "blow up"); {"-"} = no particle
    obj: frozenset[str] | None = None  # object head lemmas; {"*"} = any object; {"-"} = none
    prep: frozenset[str] | None = None  # a preposition that must be attached
    mod: frozenset[str] | None = None  # a modifier lemma ("joint" exercises, "car" bomb)
    subj: frozenset[str] | None = None  # subject head/modifier lemma ("*aircraft* killed")
    obj_actor: bool = False  # the direct object must itself be an actor
    subj_actor: bool = False  # the subject must name a resolved actor ("*Cuba* turned to")
    ocomp: bool = False  # an object complement must be attached ("called him *a liar*")
    needs_target: bool = False  # no event without a resolved target
    swap: bool = False  # subject is the recipient ("X received aid from Y")
    symmetric: bool = False  # coordinated subjects with no target act on each other
    of_role: str = "target"  # nouns: role of the "of" argument (visit of X -> source)
    agent: bool = False  # nouns: the noun names the doer ("donor"), said of the source
    # PLOVER type and mode ("ACCUSE/allege") where PLOVER draws a line CAMEO does not: CAMEO
    # 173 arrests or charges; PLOVER makes the arrest COERCE, the charge ACCUSE
    plover: str | None = None
    origin: str = ""  # file the pattern came from
    priority: int = 0

    @property
    def specificity(self) -> int:
        """How constrained the pattern is: more constraints = more trust."""
        s = sum(x is not None for x in (self.prt, self.prep, self.mod)) + 2 * (self.subj is not None)
        if self.obj is not None:
            s += 2 if not self.obj & {"*", "-"} else 1
        return s + int(self.obj_actor) + int(self.subj_actor) + int(self.ocomp) + self.priority


@dataclass(frozen=True, slots=True)
class Wrapper:
    """A control verb that rewrites the code of the event it governs."""

    kind: str
    lemmas: frozenset[str]
    default: str
    target: str  # "object" | "inner"
    map: dict[str, str]
    weak: frozenset[str] = frozenset()
    ccomp: frozenset[str] = frozenset()

    def rewrite(self, inner: str | None) -> str | None:
        """The wrapped code for an inner code (longest prefix), or the default."""
        if inner:
            for k in range(len(inner), 1, -1):
                if inner[:k] in self.map:
                    return self.map[inner[:k]]
        return self.default


@dataclass(frozen=True, slots=True)
class Settings:
    light_verbs: frozenset[str]
    target_preps: frozenset[str]
    max_sources: int = 4
    max_targets: int = 4
    max_events_per_sentence: int = 8
    # "X said Y must/should <verb>": modal -> wrapper kind (a demand or an appeal to Y)
    obligation_modals: dict[str, str] = field(default_factory=dict)
    speech_verbs: frozenset[str] = frozenset()
    # "X claimed that they attacked Y": claiming one's own act of force is this code (015)
    responsibility_verbs: frozenset[str] = frozenset()
    responsibility_code: str = "015"
    # clause arcs that make a trigger subordinate (lower confidence: the main clause wins)
    subordinate_arcs: dict[str, float] = field(default_factory=dict)
    circumstance_preps: dict[str, float] = field(default_factory=dict)
    # adverbial clauses opened by these marks ("unless", "if") are conditions, not reports
    condition_marks: dict[str, float] = field(default_factory=dict)
    # confidence factor of an event with no target actor (a dyad says more than a monad)
    no_target_factor: float = 0.85
    # the argument model (coding/arbiter.py) replaces the rules' source or target with a
    # mention it gives at least this probability for that role
    arbiter_min_p: float = 0.5
    # ... and by at least this much more than the rules' own pick
    arbiter_margin: float = 0.0
    # ... and for a source at least this probability (whatever the model's own threshold)
    arbiter_source_min_p: float = 0.5
    # confidence factor of a hedged event ("reportedly", "accused X of doing")
    hedge_factor: float = 1.0
    # locative prepositions whose country is the target of a material action with none
    locative_preps: frozenset[str] = frozenset()
    # "a round of talks", "a wave of airstrikes": the event noun's governor is the partitive's
    partitive_nouns: frozenset[str] = frozenset()
    amount_nouns: frozenset[str] = frozenset()
    person_nouns: frozenset[str] = frozenset()
    # "met *at the APEC summit* in Vietnam": a venue after at/in/on is where, not whom
    venue_nouns: frozenset[str] = frozenset()
    # "decided to grant asylum": coded as the grant, not as an intent (03x)
    decision_verbs: frozenset[str] = frozenset()
    # confidence factor of a generic statement (010) whose content clause is coded itself
    reporting_factor: float = 1.0
    # a protest's purpose clause / "in protest of" names whom it is against
    purpose_verbs: frozenset[str] = frozenset()
    purpose_nouns: frozenset[str] = frozenset()
    # passive "X were engaged in <event noun>": the passive subject is the source
    engagement_verbs: frozenset[str] = frozenset()
    # agentless passive state actions whose place (after these prepositions) is the source
    state_action_codes: tuple[str, ...] = ()
    # agentless passives of moving one's own forces: the moved force is the source
    self_passive_lemmas: frozenset[str] = frozenset()
    state_place_preps: frozenset[str] = frozenset()
    # a means (a contact, an operation) coded for the content its purpose clause names
    # "fight the epidemic", "battle corruption": ills that force verbs are used against
    # figuratively (no event of roots 18-20 when they are all it is aimed at)
    ills: frozenset[str] = frozenset()
    # the learned type model (coding/typer.py) re-decides PLOVER types when true
    type_model: bool = False
    means_roots: tuple[str, ...] = ()
    means_nouns: frozenset[str] = frozenset()
    purpose_factor: float = 1.0


@dataclass(frozen=True)
class Lexicon:
    """Patterns indexed by (pos, lemma), wrappers by lemma, and coder settings."""

    index: dict[tuple[str, str], tuple[Pattern, ...]]
    wrappers: dict[str, Wrapper]  # lemma -> wrapper
    settings: Settings
    files: tuple[str, ...] = field(default=())
    # every object word and event noun the patterns name ("curfew", "aid", "ban") except
    # ``settings.person_nouns``: things an action is done with, never a possible target
    things: frozenset[str] = field(default=frozenset())

    def patterns(self, pos: str, lemma: str) -> tuple[Pattern, ...]:
        return self.index.get((pos, lemma), ())

    def __len__(self) -> int:
        return sum(len(v) for v in self.index.values())

    def __hash__(self) -> int:  # cached loaders hand out one instance per file set
        return hash(self.files)


def _fs(v, where: str) -> frozenset[str] | None:
    if v is None:
        return None
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise DetenteError("E304", f"{where}: expected a word or a list of words, got {v!r}",
                           "quote YAML keywords such as \"on\", \"off\", \"no\", \"yes\"")
    return frozenset(x.lower() for x in v)


def parse_patterns(data: dict, origin: str, priority: int = 0) -> list[Pattern]:
    """Patterns of one YAML document, schema-checked."""
    out: list[Pattern] = []
    for i, p in enumerate(data.get("patterns") or []):
        where = f"{origin}: pattern {i + 1}"
        if not isinstance(p, dict):
            raise DetenteError("E304", f"{where}: not a mapping")
        unknown = set(p) - _PATTERN_KEYS
        if unknown:
            raise DetenteError("E304", f"{where}: unknown keys {sorted(unknown)}",
                               f"allowed: {sorted(_PATTERN_KEYS)}")
        code = str(p.get("code", ""))
        if not is_code(code):
            raise DetenteError("E304", f"{where}: {code!r} is not a CAMEO code",
                               "codes are zero-padded strings, e.g. \"0312\"; quote them in YAML")
        pos = p.get("pos", "verb")
        if pos not in POS:
            raise DetenteError("E304", f"{where}: pos must be one of {POS}")
        lemmas = _fs(p.get("lemma"), where)
        if not lemmas:
            raise DetenteError("E304", f"{where}: missing lemma")
        plover = p.get("plover")
        if plover is not None and (not isinstance(plover, str)
                                   or plover.partition("/")[0] not in plover_types()):
            raise DetenteError("E304", f"{where}: plover must be a PLOVER type, optionally with "
                               f"a mode (\"ACCUSE/allege\"), not {plover!r}",
                               f"types: {sorted(plover_types())}")
        of_role = p.get("of_role", "target")
        if of_role not in ("target", "source"):
            raise DetenteError("E304", f"{where}: of_role must be target or source")
        for lem in sorted(lemmas):
            out.append(Pattern(
                code=code, lemma=lem, pos=pos, prt=_fs(p.get("prt"), where),
                obj=_fs(p.get("obj"), where), prep=_fs(p.get("prep"), where),
                mod=_fs(p.get("mod"), where), subj=_fs(p.get("subj"), where),
                obj_actor=bool(p.get("obj_actor", False)),
                subj_actor=bool(p.get("subj_actor", False)),
                ocomp=bool(p.get("ocomp", False)),
                needs_target=bool(p.get("needs_target", False)), swap=bool(p.get("swap", False)),
                symmetric=bool(p.get("symmetric", False)), of_role=of_role,
                agent=bool(p.get("agent", False)), plover=plover, origin=origin,
                priority=priority,
            ))
    return out


def parse_wrappers(data: dict, origin: str) -> dict[str, Wrapper]:
    out: dict[str, Wrapper] = {}
    for kind, w in (data.get("wrappers") or {}).items():
        where = f"{origin}: wrapper {kind}"
        unknown = set(w) - _WRAPPER_KEYS
        if unknown:
            raise DetenteError("E304", f"{where}: unknown keys {sorted(unknown)}")
        codes = [str(w.get("default"))] + [str(v) for v in (w.get("map") or {}).values()]
        bad = [c for c in codes if not is_code(c)]
        if bad:
            raise DetenteError("E304", f"{where}: not CAMEO codes: {bad}")
        if w.get("target", "inner") not in ("inner", "object"):
            raise DetenteError("E304", f"{where}: target must be inner or object")
        out[kind] = Wrapper(kind, _fs(w.get("lemmas"), where) or frozenset(), str(w["default"]),
                            w.get("target", "inner"),
                            {str(k): str(v) for k, v in (w.get("map") or {}).items()},
                            _fs(w.get("weak"), where) or frozenset(),
                            _fs(w.get("ccomp"), where) or frozenset())
    return out


def _shipped_docs() -> list[tuple[str, dict]]:
    folder = resources.files("detente.coding").joinpath("data").joinpath("lexicon")
    docs = []
    for f in sorted(folder.iterdir(), key=lambda p: p.name):
        if f.name.endswith(".yaml"):
            docs.append((f.name, yaml.safe_load(f.read_text("utf-8")) or {}))
    return docs


def build_lexicon(docs: list[tuple[str, dict, int]]) -> Lexicon:
    """Build a lexicon from (origin, yaml document, priority) triples, in merge order."""
    pats: list[Pattern] = []
    wrappers: dict[str, Wrapper] = {}
    settings: dict = {}
    for origin, data, prio in docs:
        if not isinstance(data, dict):
            raise DetenteError("E304", f"{origin}: a lexicon file must be a YAML mapping")
        pats += parse_patterns(data, origin, prio)
        wrappers.update(parse_wrappers(data, origin))
        settings.update(data.get("settings") or {})
    index: dict[tuple[str, str], list[Pattern]] = {}
    for p in pats:
        index.setdefault((p.pos, p.lemma), []).append(p)
    frozen = {k: tuple(sorted(v, key=lambda p: -p.specificity)) for k, v in index.items()}
    by_lemma = {lem: w for w in wrappers.values() for lem in w.lemmas}
    st = Settings(
        light_verbs=_fs(settings.get("light_verbs", []), "settings") or frozenset(),
        target_preps=_fs(settings.get("target_preps", []), "settings") or frozenset(),
        max_sources=int(settings.get("max_sources", 4)),
        max_targets=int(settings.get("max_targets", 4)),
        max_events_per_sentence=int(settings.get("max_events_per_sentence", 8)),
        obligation_modals={str(k).lower(): str(v) for k, v in
                           (settings.get("obligation_modals") or {}).items()},
        speech_verbs=_fs(settings.get("speech_verbs", []), "settings") or frozenset(),
        responsibility_verbs=_fs(settings.get("responsibility_verbs", []), "settings") or frozenset(),
        responsibility_code=str(settings.get("responsibility_code", "015")),
        subordinate_arcs={str(k): float(v) for k, v in
                          (settings.get("subordinate_arcs") or {}).items()},
        circumstance_preps={str(k).lower(): float(v) for k, v in
                            (settings.get("circumstance_preps") or {}).items()},
        condition_marks={str(k).lower(): float(v) for k, v in
                         (settings.get("condition_marks") or {}).items()},
        no_target_factor=float(settings.get("no_target_factor", 0.85)),
        arbiter_min_p=float(settings.get("arbiter_min_p", 0.5)),
        arbiter_margin=float(settings.get("arbiter_margin", 0.0)),
        arbiter_source_min_p=float(settings.get("arbiter_source_min_p", 0.5)),
        hedge_factor=float(settings.get("hedge_factor", 1.0)),
        locative_preps=_fs(settings.get("locative_preps", []), "settings") or frozenset(),
        partitive_nouns=_fs(settings.get("partitive_nouns", []), "settings") or frozenset(),
        amount_nouns=_fs(settings.get("amount_nouns", []), "settings") or frozenset(),
        person_nouns=_fs(settings.get("person_nouns", []), "settings") or frozenset(),
        venue_nouns=_fs(settings.get("venue_nouns", []), "settings") or frozenset(),
        decision_verbs=_fs(settings.get("decision_verbs", []), "settings") or frozenset(),
        reporting_factor=float(settings.get("reporting_factor", 1.0)),
        purpose_verbs=_fs(settings.get("purpose_verbs", []), "settings") or frozenset(),
        purpose_nouns=_fs(settings.get("purpose_nouns", []), "settings") or frozenset(),
        engagement_verbs=_fs(settings.get("engagement_verbs", []), "settings") or frozenset(),
        state_action_codes=tuple(str(c) for c in settings.get("state_action_codes") or ()),
        self_passive_lemmas=_fs(settings.get("self_passive_lemmas", []), "settings") or frozenset(),
        state_place_preps=_fs(settings.get("state_place_preps", []), "settings") or frozenset(),
        type_model=bool(settings.get("type_model", False)),
        ills=_fs(settings.get("ills", []), "settings") or frozenset(),
        means_roots=tuple(str(c) for c in settings.get("means_roots") or ()),
        means_nouns=_fs(settings.get("means_nouns", []), "settings") or frozenset(),
        purpose_factor=float(settings.get("purpose_factor", 1.0)),
    )
    unknown = set(st.obligation_modals.values()) - set(wrappers)
    if unknown:
        raise DetenteError("E304", f"settings.obligation_modals: unknown wrapper kinds {sorted(unknown)}")
    things = (frozenset(w for p in pats for w in (p.obj or ()) if w not in ("*", "-")) |
              frozenset(p.lemma for p in pats if p.pos == "noun")) - st.person_nouns
    return Lexicon(frozen, by_lemma, st, tuple(o for o, _, _ in docs), things)


@lru_cache(maxsize=8)
def _load(user_file: str | None) -> Lexicon:
    docs = [(name, data, 0) for name, data in _shipped_docs()]
    if user_file is not None:
        path = Path(user_file)
        if not path.is_file():
            raise DetenteError("E302", f"user lexicon {user_file} does not exist")
        try:
            data = yaml.safe_load(path.read_text("utf-8")) or {}
        except yaml.YAMLError as e:
            raise DetenteError("E304", f"user lexicon {user_file} is not valid YAML: {e}") from e
        docs.append((str(path), data, USER_BONUS))
    return build_lexicon(docs)


def load_lexicon(user_file: str | None = None) -> Lexicon:
    """The shipped lexicon, with ``user_file`` merged over it (cached per file)."""
    return _load(str(user_file) if user_file is not None else None)
